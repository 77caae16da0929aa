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
check "x alone on -f's filter clears it" \
	e2e_wait "all 40 messages: filters cleared, -f's too"
check "no filter left in the title" \
	e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"

# Filters pushed over -f's: the first x goes back to -f's filter and says
# so, a second one clears that too.
e2e_start 100 30 --rules data/rules.conf -f method:INVITE data/sample.cls.log
check "opens with -f again" e2e_wait "13/40 msgs  filter: method:INVITE"
e2e_keys f C-u
e2e_keys -l "status:1xx"
e2e_keys Enter
check "a filter pushed over it" e2e_wait "5/40 msgs  filter: status:1xx"
e2e_keys Enter
check "and a dialog" e2e_wait "msgs  filter: callid:"
e2e_keys e
check "a hint for all messages names two x" \
	e2e_wait_re "the filter hides [0-9]+ \(x twice: all messages\)"
e2e_keys x
check "x goes back to -f's filter" \
	e2e_wait "13/40 msgs  filter: method:INVITE"
check "and says so, and what x does next" \
	e2e_wait "13 messages: back to -f's filter  (x again: all messages)"
e2e_keys x
check "a second x clears it" \
	e2e_wait "all 40 messages: filters cleared, -f's too"
check "the title has no filter" \
	e2e_wait_re "^sipsnoop sample.cls.log \[cls\]  40/40 msgs *$"
e2e_keys x
check "a third says there is nothing to clear" \
	e2e_wait "already showing all messages"

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
