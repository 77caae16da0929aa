# sipsnoop - hand-written Makefile (git's model). ./configure is optional:
# when config.mak.autogen is missing, the deps step and configure run first.
#
#   make            build ./sipsnoop (objects under $(O)/)
#   make run        set up, build, open the bundled sample trace
#   make check      set up, build, run unit, golden and end-to-end tests
#   make bench      build and run the benchmark
#   make install    honours prefix, DESTDIR
#   make SANITIZE=1 O=build-asan check   the same tests under ASan+UBSan

O ?= build
SANITIZE ?=
WERROR ?=

CONFIG_GOALS := clean distclean
ifeq ($(filter $(CONFIG_GOALS),$(MAKECMDGOALS)),)
include config.mak.autogen
endif

prefix ?= /usr/local
datadir ?= $(prefix)/share
mandir ?= $(prefix)/share/man
bindir ?= $(prefix)/bin
CC ?= cc

CFLAGS ?= -O2 -g
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter \
	-Iinclude $(PCRE2_CFLAGS) -DSIPSNOOP_DATADIR='"$(datadir)/sipsnoop"'
ifneq ($(WERROR),)
BASE_CFLAGS += -Werror
endif
# A unit test's time limit (Check's default timeout, in seconds): the
# sanitizers make the slowest (check_follow's cut-everywhere tests) three
# times slower, more on a loaded machine.
UNIT_TIMEOUT = 30
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
UNIT_TIMEOUT = 90
endif
# An optional library found by configure: gzip input (zlib). The core
# needs it wherever it is linked; the fragments under tests/ link it with
# $(PCRE2_LIBS), so it rides along on that. Packet captures (pcap, pcapng)
# need no library.
ifeq ($(HAVE_ZLIB),yes)
BASE_CFLAGS += -DSIPSNOOP_HAVE_ZLIB $(ZLIB_CFLAGS)
PCRE2_LIBS += $(ZLIB_LIBS)
endif
ALL_CFLAGS = $(BASE_CFLAGS) $(CFLAGS)

CORE_SRC := $(sort $(wildcard src/core/*.c))
UI_SRC := $(sort $(wildcard src/ui/*.c))
APP_SRC := $(sort $(wildcard src/app/*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(O)/%.o)
UI_OBJ := $(UI_SRC:%.c=$(O)/%.o)
APP_OBJ := $(APP_SRC:%.c=$(O)/%.o)
LIBCORE := $(O)/libsipsnoop-core.a
LIBUI := $(O)/libsipsnoop-ui.a

UNIT_SRC := $(sort $(wildcard tests/unit/check_*.c))
UNIT_BIN := $(UNIT_SRC:%.c=$(O)/%)
# Unit tests of ui modules link the ui library too; tests/unit/helpers.c is shared.
UNIT_HELPERS := $(wildcard tests/unit/helpers.c)

BIN := $(O)/sipsnoop

all: $(BIN) sipsnoop

config.mak.autogen: configure.ac src/config.mak.in
	@sh .ci/deps.sh build
	autoreconf -fi >/dev/null
	./configure --prefix=$(prefix) >/dev/null
	@echo "sipsnoop: configured (edit by running ./configure yourself)"

# Objects depend on the configuration (a library found or lost changes
# them) and on the flags: building with another prefix (make install
# prefix=/opt/sip, which moves the rules file) or other CFLAGS rebuilds
# them. $(O)/FLAGS changes only when the flags do (git's GIT-CFLAGS).
FLAGS_STAMP := $(O)/FLAGS
$(FLAGS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@flags='$(subst ','\'',$(ALL_CFLAGS) $(LDFLAGS))'; \
	if test x"$$flags" != x"`cat $@ 2>/dev/null`"; then \
		echo "$$flags" >$@; \
	fi

.PHONY: FORCE
FORCE:

$(O)/%.o: %.c config.mak.autogen $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(if $(filter src/ui/% src/app/%,$<),$(NCURSESW_CFLAGS)) -MMD -MP -c -o $@ $<

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBUI): $(UI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(APP_OBJ) $(LIBUI) $(LIBCORE)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJ) $(LIBUI) $(LIBCORE) $(NCURSESW_LIBS) $(PCRE2_LIBS) -lm -lpthread

# A link at the top so that ./sipsnoop works after make.
sipsnoop: $(BIN)
	@ln -sf $(BIN) sipsnoop

$(O)/tests/unit/check_%: tests/unit/check_%.c $(UNIT_HELPERS) $(LIBUI) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) $(NCURSESW_CFLAGS) -Itests/unit -DTEST_DATA='"tests/data"' \
		-o $@ $< $(UNIT_HELPERS) $(LIBUI) $(LIBCORE) $(LDFLAGS) $(CHECK_LIBS) $(PCRE2_LIBS) -lm -lpthread

deps-check:
	@sh .ci/deps.sh check

run: all
	@sh .ci/deps.sh build
	./$(BIN) --rules data/rules.conf data/sample.cls.log

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
		CK_DEFAULT_TIMEOUT=$(UNIT_TIMEOUT) ./$$t || fail=1; \
	done; test $$fail = 0

# Script suites: tests/<suite>/run.sh, each printing "N passed, N failed".
SCRIPT_SUITES := golden robust e2e

$(SCRIPT_SUITES): all
	@if [ -f tests/$@/run.sh ]; then SIPSNOOP=$(BIN) sh tests/$@/run.sh; fi

check: deps-check
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@fail=0; for s in unit $(SCRIPT_SUITES); do \
		$(MAKE) --no-print-directory $$s || fail=1; \
	done; test $$fail = 0

# Regenerates the golden files; review the diff like code.
golden-update: all $(O)/tests/unit/check_panes
	@SIPSNOOP=$(BIN) UPDATE=1 sh tests/golden/run.sh
	@UPDATE=1 ./$(O)/tests/unit/check_panes

# PCRE2's JIT code is opaque to valgrind (its vector loads read past the
# subject, harmlessly): regexes are interpreted under valgrind.
valgrind: export SIPSNOOP_NO_JIT = 1
valgrind: all $(UNIT_BIN)
	@SIPSNOOP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite $(BIN)" \
		sh tests/golden/run.sh
	@fail=0; for t in $(UNIT_BIN); do \
		CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite ./$$t || fail=1; \
	done; test $$fail = 0

install: all
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(datadir)/sipsnoop $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5
	install -m 755 $(BIN) $(DESTDIR)$(bindir)/sipsnoop
	install -m 644 data/rules.conf $(DESTDIR)$(datadir)/sipsnoop/rules.conf
	install -m 644 data/*.log data/*.uccapilog $(DESTDIR)$(datadir)/sipsnoop/
	install -m 644 man/sipsnoop.1 $(DESTDIR)$(mandir)/man1/sipsnoop.1
	install -m 644 man/sipsnoop-rules.5 $(DESTDIR)$(mandir)/man5/sipsnoop-rules.5

uninstall:
	rm -f $(DESTDIR)$(bindir)/sipsnoop $(DESTDIR)$(mandir)/man1/sipsnoop.1 \
		$(DESTDIR)$(mandir)/man5/sipsnoop-rules.5
	rm -rf $(DESTDIR)$(datadir)/sipsnoop

clean:
	rm -rf build build-* sipsnoop

distclean: clean
	rm -rf config.mak.autogen config.log config.status configure autom4te.cache aclocal.m4

.PHONY: all run unit $(SCRIPT_SUITES) check golden-update valgrind install uninstall clean distclean deps-check
.DELETE_ON_ERROR:

# Test and tool fragments (bench, fuzz) add their own targets.
-include $(wildcard tests/*/*.mk)

-include $(CORE_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(APP_OBJ:.o=.d)
