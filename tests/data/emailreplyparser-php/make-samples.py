#!/usr/bin/env python3
# make-samples.py - builds messages/ and expected/ of this corpus from a checkout of
# willdurand/EmailReplyParser (tests/Fixtures and the expectations of its tests).
# Usage: make-samples.py FIXTURES_DIR   (ours, not upstream's code; see README)
import os, sys

fx = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
os.makedirs(os.path.join(here, "messages"), exist_ok=True)
os.makedirs(os.path.join(here, "expected"), exist_ok=True)

COMMON = """Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.
Nulla malesuada, orci non vulputate lobortis, massa felis pharetra ex, convallis consectetur ex libero eget ante.
Nam vel turpis posuere, rhoncus ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.
Duis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,
et mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh."""

def read(name):
    with open(os.path.join(fx, name), encoding="utf-8") as f:
        return f.read()

def put(name, body, want):
    with open(os.path.join(here, "messages", name + ".txt"), "w", encoding="utf-8") as f:
        f.write(body)
    with open(os.path.join(here, "expected", name + ".txt"), "w", encoding="utf-8") as f:
        f.write(want + "\n")

# upstream's EmailParserTest::getDateFormats, each put into email_with_date_headers.txt;
# upstream expects the visible text "Thank you very much."
DATES = [
    'On Tue, 2011-03-01 at 18:02 +0530, Abhishek Kona wrote:',
    '2014-03-20 8:48 GMT+01:00 Rémi Dolan <do_not_reply@dolan.com>:',
    '2014-03-20 20:48 GMT+01:00 Rémi Dolan <do_not_reply@dolan.com>:',
    '2014-03-09 20:48 GMT+01:00 Rémi Dolan <do_not_reply@dolan.com>:',
    'Le 19 mars 2014 10:37, Cédric Lombardot <cedric.lombardot@gmail.com> a écrit :',
    'El 19/03/2014 11:34, Juan Pérez <juan.perez@mailcatch.com> escribió:',
    'El 19/03/2014 11:34, Juan Pérez <juan.perez@mailcatch.com> ha escrit:',
    'W dniu 7 stycznia 2015 15:24 użytkownik Paweł Brzoski <pbrzoski91@gmail.com> napisał:',
    'Le 19/03/2014 11:34, Georges du chemin a écrit :',
    'W dniu 2015-01-07 14:23, pbrzoski91@gmail.com pisze: ',
    'Den 08/06/2015 kl. 21.21 skrev Test user <test@example.com>:',
    'Am 25.06.2015 um 10:55 schrieb Test user:',
    'Test user <test@example.com> schrieb:',
    '在 2016年11月8日，下午2:23，Test user <test@example.com> 写道：',
    '2016. 11. 8. 오후 12:39 Test user <test@example.com> 작성:',
    '2016/11/08 14:26、Test user <test@example.com> のメッセージ:',
    'tir. 18. apr. 2017 kl. 13:09 skrev Test user <test@example.com>:',
]
tmpl = read("email_with_date_headers.txt")
for i, d in enumerate(DATES, 1):
    put("date_%02d" % i, tmpl.replace("[DATE]", d), "Thank you very much.")

# upstream's getFromHeaders: the quoted part starts at the From line, nothing above it
tmpl = read("email_with_from_headers.txt")
for i, h in enumerate(['From: foo@example.com <foo@example.com>', 'De: foo@example.com <foo@example.com>',
                       'Van: foo@example.com <foo@example.com>', 'Da: foo@example.com <foo@example.com>'], 1):
    put("from_%d" % i, tmpl.replace("[FROM]", h), "")

# literal expectations of upstream's tests (parseReply, getVisibleText, first fragment)
UP = {
    "email_iphone": "Here is another email",
    "email_blackberry": "Here is another email",
    "email_w10_mail": "Great thanks Bort, going for a test now.\nBraxton",
    "email_multi_word_sent_from_my_mobile_device": "Here is another email",
    "email_sent_from_my_not_signature": "Here is another email\n\nSent from my desk, is much easier then my mobile phone.",
    "email_2_1": "Outlook with a reply",
    "email_bullets": "test 2 this should list second\n\nand have spaces\n\nand retain this formatting\n\n\n   - how about bullets\n   - and another",
    "email_unquoted_reply": "This is my reply.",
    "email_custom_quote_header": "Thank you!",
    "email_customer_quote_header_2": "Thank you very much.",
    "email_customer_quote_header_3": "bonjour,\nje n'ai pas eu de retour sur ma précision..\nmerci d'avance",
    "email_9": COMMON, "email_22": COMMON, "email_23": COMMON,
    "email_23_1": COMMON.split("\nDuis ut")[0] + "\n\nSomething wrote:\nDuis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,\net mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.",
    "correct_sig": "this is an email with a correct -- signature.",
    "sig_no_empty_line": "this is an email with a signature with no empty line above.",
}
for name, want in UP.items():
    put(name, read(name + ".txt"), want)

# written by us from reading the fixture (upstream's test checks only a part)
OURS = {
    "email_4": "Awesome! I haven't had another problem with it.",
    "email_20": "On Thursday.",
    "email_thread": "This is new email reply in thread from bellow.",
    "email_one_is_not_on": "Thank, this is really helpful.\n\nOne outstanding question I had:\n\nLocally (on development), when I run...",
    "email_issue_77": "Bonjour Test,\n\n\tText paragraph 1\n\n\nLe paragraphe qui pose problème.\n\n\tText paragraph 2",
    "email_zimbra_free_fr": None, "email_zimbra_free_en": None, "email_21": None,
}
for name, want in OURS.items():
    body = read(name + ".txt")
    if want is None:
        if name == "email_21":
            want = body.strip()
        else:
            want = body.split("\n- ")[0].strip()
    put(name, body, want)
