#!/bin/sh
# A filter applied while a large log is still being indexed says how many
# messages match so far: more come as indexing goes on, and the title's
# count grows past it (the status line said "1215 messages match" beside
# a title of 4000 once indexing was over).
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=60

# N copies of the sample, izabelaf's registration with a Call-ID of its
# own each time.
copies() {
	awk -v n="$1" 'BEGIN { RS = "\001" } {
		for (i = 0; i < n; i++) {
			s = $0
			gsub(/9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01/,
			    sprintf("%08d%024d", i, i), s)
			printf "%s", s
		}
	}' data/sample.cls.log
}
copies 2000 >"$out/big.cls.log"

e2e_start 120 30 --rules data/rules.conf "$out/big.cls.log"
check "opens while indexing" e2e_wait "indexing"
e2e_keys f
e2e_keys -l "user:marinof status:401"
e2e_keys Enter
check "the count is said to be so far" \
	e2e_wait_re "^[0-9]+ messages match so far  \(Esc: back\)"
check "indexing ends" e2e_wait_gone "indexing"
check "the title has them all" e2e_wait "2000/80000 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
