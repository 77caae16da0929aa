#!/bin/sh
# Alt+key reaches the viewer as Esc and the key in one read: it was taken
# as Esc then the key, so that Alt-q quit and Alt-x cleared the filters.
# It is now no key (the key after it in another read still counts). And
# a sequence the terminal description lacks is read whole: tmux sends
# End as \e[4~, which xterm's entry does not have, and it was Esc, [, 4
# and ~ (Home and End did nothing in tmux, or worse).
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf -f method:REGISTER data/sample.cls.log
check "opens with -f" e2e_wait "filter: method:REGISTER"
e2e_keys f C-u 'status:401' Enter
check "a filter over it" e2e_wait "4/40 msgs  filter: status:401"
e2e_keys M-x
e2e_keys t
check "after Alt-x, the next key is done" \
	e2e_wait "time: delta from the previous shown message"
check "and the filter is still there" e2e_wait "4/40 msgs  filter: status:401"
e2e_keys M-q
e2e_keys t
check "after Alt-q, the next key is done" e2e_wait "time: absolute"
check "and the viewer did not quit" sh -c '! tmux -L "$1" capture-pane -p -t e2e | grep -q "exit="' \
	sh "$E2E_SOCK"
e2e_keys Escape
check "Esc alone still goes back" e2e_wait "filter: method:REGISTER"
e2e_keys f M-b
e2e_keys C-e 'x' Enter
check "Alt-b in the prompt types nothing" \
	e2e_wait "filter: method:REGISTERx"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_re "^\? help"
e2e_keys x
check "x still clears" e2e_wait "40/40 msgs"
e2e_keys End
check "End goes to the last message" e2e_wait_re "^ Messages +40/40$"
e2e_keys Home
check "Home to the first" e2e_wait_re "^ Messages +1/40$"
e2e_keys q
check "q quits" e2e_wait "exit=0"
e2e_done
