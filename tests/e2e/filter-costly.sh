#!/bin/sh
# A /regex/ filter that backtracks for milliseconds on every message does
# not freeze the viewer: it is applied in steps that give the keys back,
# the title shows its progress, Esc goes back to the previous filter and q
# quits at once (they used to wait for the whole scan, minutes).
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'rm -rf "$dir"; e2e_cleanup' EXIT INT TERM
i=0
while [ $i -lt 100 ]; do	# 4000 messages
	cat data/sample.cls.log
	i=$((i + 1))
done >"$dir/big.cls.log"

e2e_start 120 40 --rules data/rules.conf "$dir/big.cls.log"
check "opens" e2e_wait "4000/4000 msgs"
e2e_keys f
e2e_keys -l '/(\w+\s*)+NOTHERE/'
e2e_keys Enter
check "the filter runs in steps, with its progress" e2e_wait "filtering..."
e2e_keys Escape
check "Esc goes back at once" e2e_wait_re "big.cls.log \\[cls\\] +4000/4000 msgs"
e2e_keys f
e2e_keys -l '/(\w+\s*)+NOTHERE/'
e2e_keys Enter
check "it runs again" e2e_wait "filtering..."
# Keys that need the whole list do not wait for it either.
for k in G / e ']'; do
	e2e_keys "$k"
	check "$k says it would wait" e2e_wait "not while filtering"
done
e2e_keys Escape
check "Esc still goes back at once" e2e_wait_re "big.cls.log \\[cls\\] +4000/4000 msgs"
e2e_keys f
e2e_keys -l '/(\w+\s*)+NOTHERE/'
e2e_keys Enter
check "and again" e2e_wait "filtering..."
e2e_keys G
e2e_keys q
check "q quits at once" e2e_wait "exit=0"
e2e_done
