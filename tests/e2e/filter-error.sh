#!/bin/sh
# A filter error beside the prompt is shown whole when the terminal is
# wide enough, the line being edited giving way (it scrolls to keep the
# cursor, on the error, in view); cut short on a narrow one, it keeps the
# column it is at (narrow.sh: at 40 columns, what is wrong). It was cut
# at half the width, the column lost first.
. "$(dirname "$0")/lib.inc"

long='method:invite and (status:abc or user:marinof or user:izabelaf or user:petrak or method:register or method:bye)'
err="bad status: use 401, 4xx, 400-499, >=400 or a list of them (401,407); a status is 100 to 699"

e2e_start 160 30 --rules data/rules.conf data/sample.cls.log
check "opens at 160 columns" e2e_wait "40/40 msgs"
e2e_keys f C-u
e2e_keys -l "$long"
e2e_keys Enter
check "the error whole, with its column" e2e_wait "$err (column 27)"
check "the line gives way, up to the error and past it" \
	e2e_wait_re "^filter: method:invite and \\(status:abc or user:marinof"
check "still a filter prompt: nothing filtered" e2e_wait "40/40 msgs"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_re "^\\? help"

# At 120 columns, another: a time that is none, at the end of a long
# line (the cursor there, the line scrolled to it).
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens at 120 columns" e2e_wait "40/40 msgs"
e2e_keys f C-u
e2e_keys -l "user:marinof and (method:invite or method:bye or method:register) and after:banana"
e2e_keys Enter
check "a bad time, whole" e2e_wait \
	"bad time: use HH:MM[:SS[.fff]], YYYY-MM-DD or both (YYYY-MM-DDTHH:MM:SS) (column 77)"
check "the line scrolled to the error, the bad word whole" \
	e2e_wait_re "^filter: .*and after:banana"
e2e_keys Escape
check "Esc closes that prompt" e2e_wait_re "^\\? help"

# At 80 columns there is no room for all of it: cut, but before the
# column, which stays.
e2e_start 80 30 --rules data/rules.conf data/sample.cls.log
check "opens at 80 columns" e2e_wait "40/40 msgs"
e2e_keys f C-u
e2e_keys -l "$long"
e2e_keys Enter
check "cut, the column kept" e2e_wait_re "bad status: use 401, [^(]*~ \\(column 27\\)$"
check "the line around the error, the bad word whole" \
	e2e_wait_re "^filter: .*status:abc or"
e2e_keys Escape
check "Esc closes it" e2e_wait_re "^\\? help"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
