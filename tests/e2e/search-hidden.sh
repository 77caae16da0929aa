#!/bin/sh
# A search that finds nothing among the shown messages says how many the
# filter hides that do match, rather than a bare "no match".
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf -f method:INVITE data/sample.cls.log
check "opens with -f" e2e_wait "13/40 msgs  filter: method:INVITE"
e2e_keys /
e2e_keys -l "Unauthorized"
check "while typing: the matches the filter hides" \
	e2e_wait "no match; 4 hidden by the filter"
e2e_keys Enter
check "accepted: the same, with the way to them" \
	e2e_wait "no match: Unauthorized; 4 hidden by the filter (x: all messages)"
e2e_keys x
check "x shows them" e2e_wait "40/40 msgs"
e2e_keys n
check "and n finds one" e2e_wait "SIP/2.0 401 Unauthorized"
e2e_keys f C-u
e2e_keys -l "method:INVITE"
e2e_keys Enter
check "filtered again" e2e_wait "13/40 msgs  filter: method:INVITE"
e2e_keys /
e2e_keys -l "no-such-text-anywhere"
e2e_keys Enter
check "text found nowhere: a plain no match" \
	e2e_wait_re "no match: no-such-text-anywhere *$"
e2e_keys x
check "x shows every message again" e2e_wait "40/40 msgs"

# Over a filter pushed on -f's, x goes back to -f's first: the hint says
# two.
e2e_start 120 30 --rules data/rules.conf -f method:REGISTER data/sample.cls.log
check "opens with -f method:REGISTER" e2e_wait "filter: method:REGISTER"
e2e_keys u
check "a filter pushed over -f's" e2e_wait "filter: user:izabelaf"
e2e_keys /
e2e_keys -l "is not enabled"
e2e_keys Enter
check "the hint says x twice over -f's filter" \
	e2e_wait "no match: is not enabled; 1 hidden by the filter (x twice: all messages)"
e2e_done
