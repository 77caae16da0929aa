# bench.mk: the benchmark of issue 6, included by the top-level Makefile.
#   make bench                      100 MB logs, 5 alternating runs
#   make bench BENCH_SIZE=1G BENCH_RUNS=3
# Not part of make check: nothing here is timed in CI.

BENCH_SIZE ?= 100M
BENCH_RUNS ?= 5
BENCH_SEED ?= 1
BENCH_DIR ?= /tmp/sipsnoop-bench
BENCH_TOOLS := $(O)/tests/bench/gen $(O)/tests/bench/driver $(O)/tests/bench/rusage

$(O)/tests/bench/gen $(O)/tests/bench/driver: $(O)/tests/bench/%: tests/bench/%.c $(LIBUI) $(LIBCORE) $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBUI) $(LIBCORE) $(LDFLAGS) $(PCRE2_LIBS) -lm -lpthread

$(O)/tests/bench/rusage: tests/bench/rusage.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LDFLAGS)

bench-build: $(BIN) $(BENCH_TOOLS)

bench: bench-build
	@SIPSNOOP=$(BIN) BENCH_BIN=$(O)/tests/bench BENCH_DIR=$(BENCH_DIR) \
		BENCH_SIZE=$(BENCH_SIZE) BENCH_RUNS=$(BENCH_RUNS) \
		BENCH_SEED=$(BENCH_SEED) sh tests/bench/bench.sh

.PHONY: bench bench-build
