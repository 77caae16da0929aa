#!/bin/sh
# A filter pushed while a search still runs (keys typed ahead, or a long
# search on a large log): the search goes on over the new list. It went on
# from its place in the old one: over a filter that shows nothing it
# divided by zero, and the viewer died (SIGFPE) with the terminal raw.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=30

# 14400 messages: more than one step of a typed search (4000) looks at.
awk 'BEGIN { RS = "\001" } {
	for (i = 0; i < 2400; i++) {
		s = $0
		gsub(/9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01/,
		    sprintf("%08d%024d", i, i), s)
		printf "%s", s
	}
}' tests/data/remote-ntlm.cls.log >"$out/big.cls.log"

e2e_start 120 40 --rules data/rules.conf "$out/big.cls.log"
check "opens" e2e_wait "14400/14400 msgs"
check "indexed" e2e_wait_gone "indexing"
# One write: the keys come before the search's next step.
e2e_keys /zqx Enter f status:699 Enter
check "the filter shows nothing" e2e_wait "0/14400 msgs  filter: status:699"
check "the search: no match there, nor among the hidden" \
	e2e_wait_re "no match: zqx *$"
e2e_keys x
check "the viewer still answers: x" e2e_wait "14400/14400 msgs  search: zqx"
# Over a list of one dialog: found there.
e2e_keys G /00000999 Enter c
check "c: its dialog" e2e_wait "6/14400 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
