#!/bin/sh
# c and u filter by the selected message's Call-ID and user as they are:
# a '*' in them (a voicemail feature code, *97) is not a glob.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/stars.sngrep.txt
check "opens" e2e_wait "3/3 msgs"
e2e_keys c
check "c writes the Call-ID as a literal" e2e_wait 'filter: callid:x\*'
check "and finds only its message" e2e_wait " 1/3 msgs"
e2e_keys Escape
check "Esc goes back" e2e_wait_re "stars.sngrep.txt \\[sngrep\\] +3/3 msgs"
e2e_keys u
check "u writes the user as a literal" e2e_wait 'filter: user:\*97'
check "and finds only its messages, not 1097 and 2097" e2e_wait " 1/3 msgs"
e2e_keys Escape
check "Esc goes back again" e2e_wait_re "stars.sngrep.txt \\[sngrep\\] +3/3 msgs"
# A bad filter: the error stays next to the prompt, whole when the line
# leaves room for it (it was cut at half the width).
e2e_keys f
e2e_keys -l 'after:banana'
e2e_keys Enter
check "a filter error is shown whole" e2e_wait \
	"bad time: use HH:MM[:SS[.fff]], YYYY-MM-DD or both (YYYY-MM-DDTHH:MM:SS) (column 7)"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_re "^\\? help"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
