#!/bin/sh
# A filter applied while a large log is still being indexed says how many
# messages match so far: more come as indexing goes on, and the title's
# count grows past it (the status line said "1215 messages match" beside
# a title of 4000 once indexing was over).
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=60

e2e_copies data/sample.cls.log 2000 >"$out/big.cls.log"

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
