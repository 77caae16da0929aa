#!/bin/sh
# A dialog view (Enter, --dialog N, Enter in the registration report) is
# named by an expression that can be typed back, callid:ID, and f starts
# from it, so that a term typed after it narrows the dialog. f opened an
# empty prompt, and whatever was typed there replaced the dialog.
. "$(dirname "$0")/lib.inc"

cid=9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys Home Enter
check "Enter: the dialog, named as a filter" e2e_wait "6/40 msgs  filter: callid:$cid"
e2e_keys f
check "f starts from the dialog's expression" e2e_wait_re "^filter: callid:$cid *$"
e2e_keys Enter
check "Enter on it as it is changes nothing" e2e_wait "filter unchanged"
e2e_keys f C-e ' status:401' Enter
check "a term typed after it narrows the dialog" \
	e2e_wait "2/40 msgs  filter: callid:$cid status:401"
check "and says how many match" e2e_wait "2 messages match  (Esc: back)"
e2e_keys Escape
check "Esc: back to the dialog" e2e_wait "6/40 msgs  filter: callid:$cid"
e2e_keys q
check "quits" e2e_wait "exit=0"

# --dialog N is named the same way.
e2e_start 120 30 --dialog 3 data/sample.cls.log
check "--dialog 3 is named as a filter" \
	e2e_wait "9/40 msgs  filter: callid:e3a91c5f0b2d47c8a6e1f93d4b7c2a80"
e2e_keys f
check "f starts from it" \
	e2e_wait_re "^filter: callid:e3a91c5f0b2d47c8a6e1f93d4b7c2a80 *$"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_re "^\? help"
e2e_keys q
check "quits" e2e_wait "exit=0"

# A registration opened from the report (R, Enter) too.
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys R
check "the report" e2e_wait_re "^ Registrations +registration 1 of 3"
e2e_keys Enter
check "Enter: the registration's messages" e2e_wait "(Esc: back to the report)"
e2e_keys f
check "f starts from its Call-ID" e2e_wait_re "^filter: callid:[^ ]+ *$"
e2e_keys Escape
check "Esc closes the prompt" e2e_wait_re "^\? help"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
