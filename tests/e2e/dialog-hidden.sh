#!/bin/sh
# ] and [ at the end of what a filter shows of a dialog say that the
# filter hides the rest of it, not that the dialog ends there; e and E
# with no error shown say how many errors the filter hides.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf -f status:401 data/sample.cls.log
check "opens on the 401s" e2e_wait "4/40 msgs  filter: status:401"
e2e_keys ']'
check "] goes to the second 401 of the registration" \
	e2e_wait_re "^ Messages +2/4$"
e2e_keys ']'
check "] again: the filter hides the two after it" \
	e2e_wait "last shown message of this dialog: the filter hides 2 after it (Enter: the whole dialog)"
e2e_keys '[' '['
check "[ before the first: the filter hides the REGISTER before it" \
	e2e_wait "first shown message of this dialog: the filter hides 1 before it"
e2e_keys Enter
check "Enter shows the whole dialog" e2e_wait "6/40 msgs  filter: callid:"
e2e_keys G ']'
check "at its real end, ] says so" e2e_wait "last message of this dialog"

e2e_start 120 30 --rules data/rules.conf -f status:401 data/sample.cls.log
check "the 401s again" e2e_wait "4/40 msgs  filter: status:401"
e2e_keys e
check "e: the filter hides three errors after" \
	e2e_wait "no next error shown: the filter hides 3 (x: all messages)"
e2e_keys G E
check "E from the last 401: one before it" \
	e2e_wait "no previous error shown: the filter hides 1 (x: all messages)"
e2e_keys x G e
check "with every message shown, none is hidden" e2e_wait_re "^no next error *$"
e2e_done
