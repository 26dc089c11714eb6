# peermail - top-level Makefile.
#   make            build build/peermail (the small front) and build/peermail-full
#   make check      unit + integration tests, ends with "N passed, N failed, N skipped"
#   make bench      benchmarks with their ceilings
#   make demo       the end-to-end demo on the embedded defaults
#   make install    PREFIX=/usr/local DESTDIR=
# Options: WERROR=1 (warnings are errors), SANITIZE=1 (ASan+UBSan, objects in build-san/).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc
DATADIR ?= $(PREFIX)/share/peermail
MANDIR  ?= $(PREFIX)/share/man
LIBEXECDIR ?= $(PREFIX)/libexec
CC      ?= cc
PKG_CONFIG ?= pkg-config

# Linked: what most commands need. Loaded on first use (src/base/lazylib.h), so that
# `peermail receive` (one process per incoming message) never maps them: libesmtp with
# OpenSSL (sending), libxml2 with ICU (HTML replies), libcrypto alone (DKIM signing) and
# libmicrohttpd with GnuTLS (the web pages; GnuTLS's start-up alone cost 2 ms a process).
# Their headers are still needed.
PKGS := glib-2.0 gio-2.0 gmodule-2.0 gmime-3.0 sqlite3 libconfuse json-glib-1.0 libcmark zlib
LAZY_PKGS := libesmtp-1.0 openssl libxml-2.0 libmicrohttpd
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) $(LAZY_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -lpthread
# soname PKG,FILE - the versioned name the run-time loader knows a library by
soname = $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir $(1))/$(2) 2>/dev/null | awk '/SONAME/ {print $$2}')
LIBESMTP_SONAME := $(or $(call soname,libesmtp-1.0,libesmtp.so),libesmtp.so.6)
LIBXML2_SONAME  := $(or $(call soname,libxml-2.0,libxml2.so),libxml2.so.2)
LIBCRYPTO_SONAME := $(or $(call soname,libcrypto,libcrypto.so),libcrypto.so.3)
MICROHTTPD_SONAME := $(or $(call soname,libmicrohttpd,libmicrohttpd.so),libmicrohttpd.so.12)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -fno-common \
        -Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN += -Werror
endif

ifeq ($(SANITIZE),1)
B := build-san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
else
B := build
SANFLAGS :=
OPT ?= -O2 -g
endif

CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -Isrc \
              -DPEERMAIL_VERSION='"0.1.0"' -DPEERMAIL_DATADIR='"$(DATADIR)"' -DPEERMAIL_SYSCONFDIR='"$(SYSCONFDIR)"' \
              -DPM_LIBESMTP_SONAME='"$(LIBESMTP_SONAME)"' -DPM_LIBXML2_SONAME='"$(LIBXML2_SONAME)"' \
              -DPM_LIBCRYPTO_SONAME='"$(LIBCRYPTO_SONAME)"' \
              -DPM_LIBMICROHTTPD_SONAME='"$(MICROHTTPD_SONAME)"' $(CFLAGS)
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

# Layers, lowest first: a file may include headers of its own folder and of folders
# before it in this list only (tests/check-layers.sh).
LAYERS := base mail model produce inbound web run cli
SRCS := $(filter-out src/cli/main.c src/cli/front.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
HDRS := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.h))
# Pattern files under rules/ are compiled in (src/mail/rules.h says why).
BOUNCE_RULES := $(sort $(wildcard rules/bounce/*.rules))
REPLY_RULES := $(sort $(wildcard rules/reply/*.rules))
GEN_SRCS := $(B)/gen/bounce_rules.c $(B)/gen/reply_rules.c
OBJS := $(SRCS:src/%.c=$(B)/obj/%.o) $(GEN_SRCS:$(B)/gen/%.c=$(B)/obj/gen/%.o)
LIB  := $(B)/libpeermail.a
# peermail is a small front (src/cli/front.c): `receive` with the daemon running is all
# its own; everything else execs peermail-full, the whole program, with the same
# arguments. The front links only GLib and libconfuse, statically when their static
# libraries are installed (no relocations, no page faults of 25 shared libraries: it
# starts in under 1 ms where peermail-full needs 2.5).
BIN  := $(B)/peermail
FULL := $(B)/peermail-full
FRONT_OBJS := $(B)/obj/cli/front.o $(addprefix $(B)/obj/,base/config.o base/lang.o base/pm.o \
              base/log.o inbound/envelope.o inbound/handoff.o inbound/exitcode.o)
GLIB_LIBDIR := $(shell $(PKG_CONFIG) --variable=libdir glib-2.0 2>/dev/null)
ifneq ($(and $(wildcard $(GLIB_LIBDIR)/libglib-2.0.a),$(wildcard $(GLIB_LIBDIR)/libconfuse.a)),)
FRONT_LIBS := -Wl,-Bstatic -lconfuse -lglib-2.0 -Wl,-Bdynamic \
              $(filter-out -lglib-2.0,$(shell $(PKG_CONFIG) --libs --static glib-2.0))
else
FRONT_LIBS := $(shell $(PKG_CONFIG) --libs glib-2.0 libconfuse)
endif
TEST_SRCS := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
BENCH_SRCS := $(wildcard tests/bench_*.c)
BENCHES := $(BENCH_SRCS:tests/%.c=$(B)/bench/%)
FUZZ_SRCS := $(wildcard tests/fuzz_*.c)
FUZZERS := $(FUZZ_SRCS:tests/%.c=$(B)/fuzz/%)

.PHONY: all check bench demo install clean deps fuzz tests FORCE
all: $(BIN) $(FULL)

# The folders compiled in (where the config and templates are looked for) are recorded
# here: giving SYSCONFDIR or DATADIR only at `make install` rebuilds what uses them.
PATHS := $(SYSCONFDIR)|$(DATADIR)|$(LIBEXECDIR)
$(B)/paths.stamp: FORCE
	@mkdir -p $(B)
	@[ "$$(cat $@ 2>/dev/null)" = '$(PATHS)' ] || echo '$(PATHS)' >$@
$(B)/obj/base/config.o $(B)/obj/cli/cli.o $(B)/obj/cli/front.o: $(B)/paths.stamp
$(B)/obj/cli/front.o: CFLAGS_ALL += -DPEERMAIL_LIBEXECDIR='"$(LIBEXECDIR)/peermail"'

deps:
	./contrib/install-deps.sh

$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The lists of rule files, rewritten only when they change: removing a file regenerates too.
$(B)/gen/%.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(if $(filter bounce_rules,$*),$(BOUNCE_RULES),$(REPLY_RULES))' | cmp -s - $@ || \
	  echo '$(if $(filter bounce_rules,$*),$(BOUNCE_RULES),$(REPLY_RULES))' > $@

.PHONY: FORCE
FORCE:

$(B)/gen/bounce_rules.c: $(B)/gen/bounce_rules.list $(BOUNCE_RULES) contrib/embed-rules.sh
	@mkdir -p $(dir $@)
	./contrib/embed-rules.sh pm_bounce_rules $(BOUNCE_RULES) > $@.tmp && mv $@.tmp $@

$(B)/gen/reply_rules.c: $(B)/gen/reply_rules.list $(REPLY_RULES) contrib/embed-rules.sh
	@mkdir -p $(dir $@)
	./contrib/embed-rules.sh pm_reply_rules $(REPLY_RULES) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/%.o: $(B)/gen/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(LIB): $(OBJS)
	@rm -f $@
	ar rcs $@ $^

$(FULL): $(B)/obj/cli/main.o $(LIB)
	$(CC) -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

$(BIN): $(FRONT_OBJS) | $(FULL)
	$(CC) -o $@ $(FRONT_OBJS) $(LDFLAGS_ALL) $(FRONT_LIBS)

$(B)/tests/%: tests/%.c tests/harness.h tests/fixture.h tests/testmsg.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

$(B)/bench/%: tests/%.c tests/harness.h tests/fixture.h tests/testmsg.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

# libFuzzer targets need clang; they are built and run briefly by tests/t_fuzz.sh.
$(B)/fuzz/%: tests/%.c tests/testmsg.h $(SRCS) $(GEN_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -Isrc \
	  -DPEERMAIL_VERSION='"0.1.0"' -DPEERMAIL_DATADIR='"$(DATADIR)"' \
	  -DPEERMAIL_SYSCONFDIR='"$(SYSCONFDIR)"' -DPM_LIBESMTP_SONAME='"$(LIBESMTP_SONAME)"' \
	  -DPM_LIBXML2_SONAME='"$(LIBXML2_SONAME)"' -o $@ $< $(SRCS) $(GEN_SRCS) $(PKG_LIBS)

tests: $(BIN) $(FULL) $(TEST_BINS)

fuzz: $(FUZZERS)

check: tests
	@B=$(B) SANITIZE=$(SANITIZE) ./tests/run-tests.sh

bench: $(BIN) $(FULL) $(TEST_BINS) $(BENCHES)
	@B=$(B) ./tests/bench.sh

demo: $(BIN)
	@B=$(B) ./contrib/demo.sh

LOCALSTATEDIR ?= /var/lib/peermail
# The installed config points at the installed templates and a state folder, not ../var.
INSTALL_CONF_SED := -e 's|^transport *=.*|transport = "smtp"|' -e 's|^database *=.*|database = "$(LOCALSTATEDIR)/peermail.db"|' \
	-e 's|^secret_file *=.*|secret_file = "$(LOCALSTATEDIR)/secret"|' \
	-e 's|^templates *=.*|templates = "$(DATADIR)/templates"|' \
	-e 's|^intent_phrases *=.*|intent_phrases = "$(DATADIR)/intent"|' \
	-e 's|^maildir *=.*|maildir = "$(LOCALSTATEDIR)/sent"|'

install: $(BIN) $(FULL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/peermail $(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(DATADIR)/intent $(DESTDIR)$(MANDIR)/man1
	install -d $(DESTDIR)$(LIBEXECDIR)/peermail
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/peermail
	install -m 0755 $(FULL) $(DESTDIR)$(LIBEXECDIR)/peermail/peermail-full
	sed $(INSTALL_CONF_SED) conf/peermail.conf > $(DESTDIR)$(SYSCONFDIR)/peermail/peermail.conf.example
	[ -e $(DESTDIR)$(SYSCONFDIR)/peermail/peermail.conf ] || \
	  install -m 0644 $(DESTDIR)$(SYSCONFDIR)/peermail/peermail.conf.example $(DESTDIR)$(SYSCONFDIR)/peermail/peermail.conf
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	cp -R data/intent/. $(DESTDIR)$(DATADIR)/intent/
	install -m 0644 man/peermail.1 $(DESTDIR)$(MANDIR)/man1/peermail.1
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/peermail.conf.5 $(DESTDIR)$(MANDIR)/man5/peermail.conf.5

clean:
	rm -rf build build-san
