#!/bin/sh
# x says what it did: the filters it cleared, or that there were none. A
# filter the same as the one shown is not pushed again.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys x
check "x with no filter says so" e2e_wait "already showing all messages"
e2e_keys c
check "c filters by the Call-ID" e2e_wait "6/40 msgs  filter: callid:"
e2e_keys x
check "x clears it" e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"
check "and says so" e2e_wait "all 40 messages: filters cleared"

e2e_start 100 30 --rules data/rules.conf -f method:INVITE data/sample.cls.log
check "opens with -f" e2e_wait "13/40 msgs  filter: method:INVITE"
e2e_keys x
check "x clears the filter of -f too" e2e_wait "all 40 messages: filters cleared"

# c on the Call-ID already filtered by, or f and Enter on the filter as it
# is, push nothing: one Esc still goes back.
e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens once more" e2e_wait "40/40 msgs"
e2e_keys c
check "c filters" e2e_wait "6/40 msgs  filter: callid:"
e2e_keys c
check "c again says it is already so" e2e_wait "already filtered by this  (Esc: back)"
e2e_keys f Enter
check "f, Enter on the filter as it is: unchanged" e2e_wait "filter unchanged"
e2e_keys Escape
check "one Esc goes back to every message" \
	e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"

# With the same filter given with -f, there is no filter before it for Esc
# to go back to: x shows every message.
e2e_start 100 30 --rules data/rules.conf \
	-f callid:9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01 data/sample.cls.log
check "opens with -f callid:" e2e_wait "6/40 msgs  filter: callid:"
e2e_keys c
check "c on it points to x, not Esc" \
	e2e_wait "already filtered by this  (x: all messages)"
e2e_done
