# t_template.sh - `peermail template render`: output, escaping, partials, errors and exit
# codes, and every default template rendering with the example data.
. "$(dirname "$0")/lib.sh"

TPL=$PEERMAIL_TOP/templates/en
mkdir -p "$T/tpl" "$T/parts"
printf 'Hello {{name}}, {{{raw}}} {{#items}}[{{.}}]{{/items}}\n{{> sig}}' >"$T/tpl/msg.txt"
printf -- '-- {{name}}\n' >"$T/tpl/sig.mustache"
printf -- '== other {{name}}\n' >"$T/parts/sig.mustache"
printf '{"name": "A & <B>", "raw": "<i>", "items": [1, 2.5, "x"]}' >"$T/data.json"
cp "$T/tpl/msg.txt" "$T/tpl/msg.html"

out=$("$PEERMAIL_BIN" template render "$T/tpl/msg.txt" --data "$T/data.json"); rc=$?
is "$rc" 0 "render exits 0"
is "$out" "Hello A & <B>, <i> [1][2.5][x]
-- A & <B>" "text template: no escaping, partial from the template's folder"
out=$("$PEERMAIL_BIN" template render "$T/tpl/msg.html" --data "$T/data.json")
is "$out" "Hello A &amp; &lt;B&gt;, <i> [1][2.5][x]
-- A &amp; &lt;B&gt;" ".html template: {{x}} escaped, {{{x}}} raw"
out=$("$PEERMAIL_BIN" template render "$T/tpl/msg.txt" --data "$T/data.json" --partials "$T/parts")
like "$out" '^== other A & <B>$' "--partials DIR is used"
out=$(PEERMAIL_STRICT_TEMPLATES=0 "$PEERMAIL_BIN" template render "$T/tpl/msg.txt")
is "$out" "Hello ,  
-- " "no --data: an empty context"
# strict mode (the whole suite runs in it): a {{name}} without a value fails, sections do not
err=$("$PEERMAIL_BIN" template render "$T/tpl/msg.txt" 2>&1 >/dev/null); rc=$?
is "$rc" 65 "strict: a missing name exits 65"
like "$err" 'msg.txt: strict: no value for \{\{name\}\}' "strict: the missing name is named"
printf '{{#gone}}[{{gone}}]{{/gone}}{{^gone}}none{{/gone}}' >"$T/tpl/opt.txt"
is "$("$PEERMAIL_BIN" template render "$T/tpl/opt.txt")" "none" "strict: a name inside its own section may be absent"

# the contract: every template declares the names it uses ({{! names: ... }})
ok "every template declares exactly the names it uses" python3 "$PEERMAIL_TOP/tests/check_templates.py" "$PEERMAIL_TOP/templates"
# every language has the same templates as en, each declaring the same names
mkdir -p "$T/langs/en" "$T/langs/xx"
printf 'Subject: x\n\n{{! names: a }}\n{{a}}\n' >"$T/langs/en/one.txt"
printf 'Subject: x\n\n{{! names: b }}\n{{b}}\n' >"$T/langs/xx/one.txt"
cp "$T/langs/en/one.txt" "$T/langs/en/two.txt"
out=$(python3 "$PEERMAIL_TOP/tests/check_templates.py" "$T/langs"); rc=$?
is "$rc" 1 "the contract check fails on a language set unlike en's"
like "$out" 'xx: missing two.txt' "a template missing from a language is found"
like "$out" 'xx/one.txt: declares b, en declares a' "a language declaring other names is found"
mkdir -p "$T/contract"
printf 'Subject: x\n\n{{! names: a b? }}\n{{a}} {{c}} {{b}}\n' >"$T/contract/bad.txt"
out=$(python3 "$PEERMAIL_TOP/tests/check_templates.py" "$T/contract"); rc=$?
is "$rc" 1 "the contract check fails on a bad template"
like "$out" '\{\{c\}\} is not declared' "an undeclared name is found"
like "$out" 'optional \{\{b\}\} printed outside any section' "an optional name printed bare is found"
printf 'Subject: x\n\nno declaration\n' >"$T/contract/bare.txt"
like "$(python3 "$PEERMAIL_TOP/tests/check_templates.py" "$T/contract")" 'bare.txt: no \{\{! names' "a template without a declaration is found"
printf 'abc{{name}}' >"$T/tpl/nonl.txt"
is "$("$PEERMAIL_BIN" template render "$T/tpl/nonl.txt" --data "$T/data.json" | wc -c)" 10 \
	"the output is exact (no newline added)"

# errors: one line on stderr, sysexits codes
err=$("$PEERMAIL_BIN" template render "$T/nope.txt" 2>&1 >/dev/null); rc=$?
is "$rc" 66 "missing template exits 66"
like "$err" '^peermail: cannot read template .*nope.txt' "missing template is named"
"$PEERMAIL_BIN" template render "$T/tpl/msg.txt" --data "$T/nope.json" >/dev/null 2>&1
is $? 66 "missing data file exits 66"
printf '{\n  "a": 1,\n  "b": \n}\n' >"$T/bad.json"
err=$("$PEERMAIL_BIN" template render "$T/tpl/msg.txt" --data "$T/bad.json" 2>&1 >/dev/null); rc=$?
is "$rc" 65 "bad JSON exits 65"
like "$err" 'bad.json:4' "bad JSON names its line"
printf 'one\ntwo {{#open}}\nthree\n' >"$T/tpl/broken.txt"
err=$("$PEERMAIL_BIN" template render "$T/tpl/broken.txt" 2>&1 >/dev/null); rc=$?
is "$rc" 65 "template syntax error exits 65"
is "$err" "peermail: $T/tpl/broken.txt:2: section 'open' is never closed" "syntax error: FILE:LINE and what"
printf 'a {{x}\n' >"$T/tpl/broken2.txt"
err=$("$PEERMAIL_BIN" template render "$T/tpl/broken2.txt" 2>&1 >/dev/null); rc=$?
is "$rc" 65 "unclosed tag exits 65"
is "$(printf '%s\n' "$err" | wc -l)" 1 "an error is one line"
"$PEERMAIL_BIN" template render >/dev/null 2>&1
is $? 64 "no FILE exits 64"
"$PEERMAIL_BIN" template frob >/dev/null 2>&1
is $? 64 "unknown subcommand exits 64"
like "$("$PEERMAIL_BIN" template --help 2>&1)" 'render FILE' "template --help lists render"
like "$("$PEERMAIL_BIN" --help)" 'template render' "peermail --help lists template render"

# with a configuration, compose's names (domain, help_address...) are there too
write_config
out=$(pm template render "$TPL/footer.mustache")
like "$out" 'Questions\? Write to help@act\.test\.' "config defaults: help_address"
like "$out" 'write "stop" to help@act\.test' "footer without an unsubscribe address says how to stop"
# a broken configuration is an error, not silently ignored; none at all is fine
printf 'domain = \n' >"$T/broken.conf"
"$PEERMAIL_BIN" --config "$T/broken.conf" template render "$TPL/footer.mustache" >/dev/null 2>"$T/err"
is $? 78 "template render with a broken --config exits 78"
like "$(cat "$T/err")" 'broken\.conf' "naming the file"
mkdir -p "$T/empty"
out=$(cd "$T/empty" && env -u PEERMAIL_CONFIG PEERMAIL_STRICT_TEMPLATES=0 "$PEERMAIL_BIN" template render "$TPL/footer.mustache" 2>&1); rc=$?
is "$rc" 0 "without any configuration it still renders"

# every default template of every language renders with the example data, with nothing
# left unrendered
DATA=$PEERMAIL_TOP/templates/examples/data.json
for f in "$PEERMAIL_TOP"/templates/*/*.txt "$PEERMAIL_TOP"/templates/*/*.html; do
	n=$(basename "$(dirname "$f")")/$(basename "$f")
	out=$(pm template render "$f" --data "$DATA" 2>&1); rc=$?
	is "$rc" 0 "templates/$n renders"
	unlike "$out" '\{\{|\}\}' "templates/$n: no tags left"
done
out=$(pm template render "$TPL/newsletter.html" --data "$DATA")
like "$out" '<strong>1873</strong>' "newsletter.html: body_html inserted raw"
like "$out" 'href="https://act.example.org/u/k3x9q2"' "newsletter.html: one-click link"

done_testing
