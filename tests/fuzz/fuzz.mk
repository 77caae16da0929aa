# fuzz.mk - libFuzzer harnesses (included by the top-level Makefile).
#
#   make fuzz [FUZZ_TIME=30] [FUZZ=reader]   build and run each harness for
#                     FUZZ_TIME seconds, one after the other; a crash is
#                     saved under tests/fuzz/crashes/<harness>/ and fails
#   make fuzz-regress replay tests/fuzz/regress/<harness>/* once each
#   make fuzz-build   only build $(O)-fuzz/fuzz_<harness>
#
# The core is compiled again with clang and the sanitizers into $(O)-fuzz:
# gcc objects cannot carry libFuzzer's coverage instrumentation.

FUZZ_CC ?= clang
FUZZ_TIME ?= 30
FUZZ_O := $(O)-fuzz
FUZZ_ALL := reader follow sipmsg auth filter rules
FUZZ ?= $(FUZZ_ALL)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wno-unused-parameter \
	-Iinclude -Itests/fuzz $(PCRE2_CFLAGS) \
	$(filter -D% -I%,$(BASE_CFLAGS)) \
	-DSIPSNOOP_DATADIR='"$(datadir)/sipsnoop"'
FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FUZZ_O)/%.o)
FUZZ_BIN := $(FUZZ_ALL:%=$(FUZZ_O)/fuzz_%)
# Per harness: largest input tried (the reader gets room for several records).
FUZZ_MAXLEN_reader := 65536
FUZZ_MAXLEN_follow := 16384
FUZZ_MAXLEN_sipmsg := 16384
FUZZ_MAXLEN_auth := 8192
FUZZ_MAXLEN_filter := 512
FUZZ_MAXLEN_rules := 16384

fuzz-toolchain:
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { \
		echo "sipsnoop: make fuzz needs clang with libFuzzer:" >&2; \
		echo "  apt-get install -y clang libclang-rt-14-dev   (or set FUZZ_CC=clang-NN)" >&2; \
		exit 1; }
	@mkdir -p $(FUZZ_O)
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ return (int)(d == 0 && n); }\n' \
		> $(FUZZ_O)/probe.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $(FUZZ_O)/probe \
		$(FUZZ_O)/probe.c 2>$(FUZZ_O)/probe.log || { \
		echo "sipsnoop: $(FUZZ_CC) cannot link -fsanitize=fuzzer (see $(FUZZ_O)/probe.log);" >&2; \
		echo "  install the compiler runtime: apt-get install -y libclang-rt-14-dev" >&2; \
		exit 1; }

$(FUZZ_O)/src/core/%.o: src/core/%.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_CORE_OBJ) | fuzz-toolchain
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_CORE_OBJ) $(PCRE2_LIBS) -lm -lpthread

fuzz-build: $(FUZZ_BIN)

# Built through the fuzz_% rule only; make must not delete them as
# intermediates (and rebuild the whole core on every run).
.SECONDARY: $(FUZZ_CORE_OBJ)

# Seed corpora, rebuilt on each run from the fixtures (nothing here is
# committed; tests/fuzz/seeds/ holds the seeds that are not fixtures).
# The auth seeds are the auth header values found in the fixtures.
fuzz-seeds:
	@rm -rf $(FUZZ_O)/seed && mkdir -p $(FUZZ_ALL:%=$(FUZZ_O)/seed/%)
	@i=0; for f in $$(find tests/data data -type f 2>/dev/null | sort); do \
		i=$$((i+1)); cp "$$f" $(FUZZ_O)/seed/reader/$$i; \
	done
	@cp $(FUZZ_O)/seed/reader/* $(FUZZ_O)/seed/follow/
	@i=0; for f in $$(find tests/data/torture tests/data/hostile -type f -name '*.sip' 2>/dev/null | sort); do \
		i=$$((i+1)); cp "$$f" $(FUZZ_O)/seed/sipmsg/$$i; \
	done
	@find tests/data data -type f 2>/dev/null | sort | xargs cat 2>/dev/null | \
		grep -aiE '^(www-|proxy-)?(authenticate|authorization|authentication-info):' | \
		sed -e 's/^[^:]*:[[:space:]]*//' -e 's/\r$$//' | sort -u | \
		awk -v d=$(FUZZ_O)/seed/auth '{ f = d "/" NR; printf "%s", $$0 > f; close(f) }'
	@for h in filter rules reader; do \
		[ -d tests/fuzz/seeds/$$h ] && cp tests/fuzz/seeds/$$h/* $(FUZZ_O)/seed/$$h/ 2>/dev/null; \
	done; true
	@i=0; for f in $$(find data tests/data -type f -name '*rules*' 2>/dev/null | sort); do \
		i=$$((i+1)); cp "$$f" $(FUZZ_O)/seed/rules/data$$i; \
	done
	@for h in $(FUZZ_ALL); do \
		[ -d tests/fuzz/regress/$$h ] && cp tests/fuzz/regress/$$h/* $(FUZZ_O)/seed/$$h/ 2>/dev/null; \
	done; true

# One harness at a time (the machine is shared); the corpus a run grows is
# kept in $(FUZZ_O)/corpus/<harness> so that later runs start from it.
fuzz: $(FUZZ:%=$(FUZZ_O)/fuzz_%) fuzz-seeds
	@fail=""; for h in $(FUZZ); do \
		mkdir -p $(FUZZ_O)/corpus/$$h tests/fuzz/crashes/$$h; \
		eval maxlen=\$$FUZZ_MAXLEN_$$h; \
		echo "fuzz_$$h: $(FUZZ_TIME) s"; \
		./$(FUZZ_O)/fuzz_$$h -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-rss_limit_mb=2048 -max_len=$$maxlen -print_final_stats=1 \
			-artifact_prefix=tests/fuzz/crashes/$$h/ \
			$(FUZZ_O)/corpus/$$h $(FUZZ_O)/seed/$$h \
			>$(FUZZ_O)/fuzz_$$h.log 2>&1; rc=$$?; \
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' $(FUZZ_O)/fuzz_$$h.log | \
			sed "s/^/  fuzz_$$h /"; \
		if [ $$rc != 0 ]; then \
			fail="$$fail $$h"; \
			grep -E 'ERROR|SUMMARY|invariant|Test unit written' $(FUZZ_O)/fuzz_$$h.log | head -8 >&2; \
			echo "fuzz_$$h: FAILED (log: $(FUZZ_O)/fuzz_$$h.log, input under tests/fuzz/crashes/$$h/)" >&2; \
		fi; \
	done; \
	if [ -n "$$fail" ]; then echo "fuzz: crashes in:$$fail" >&2; exit 1; fi; \
	echo "fuzz: no crash"

# Replays every saved regression input once (no fuzzing).
fuzz-regress: $(FUZZ_BIN)
	@fail=""; n=0; for h in $(FUZZ_ALL); do \
		set -- tests/fuzz/regress/$$h/*; \
		[ -e "$$1" ] || continue; \
		n=$$((n+$$#)); \
		./$(FUZZ_O)/fuzz_$$h "$$@" >$(FUZZ_O)/regress_$$h.log 2>&1 || { \
			fail="$$fail $$h"; tail -20 $(FUZZ_O)/regress_$$h.log >&2; }; \
	done; \
	if [ -n "$$fail" ]; then echo "fuzz-regress: failures in:$$fail" >&2; exit 1; fi; \
	echo "fuzz-regress: $$n inputs replayed, no crash"

.PHONY: fuzz fuzz-build fuzz-regress fuzz-seeds fuzz-toolchain

-include $(FUZZ_CORE_OBJ:.o=.d)
