#!/bin/sh
# ] and [ at the end of what a filter shows of a dialog say that the
# filter hides the rest of it, not that the dialog ends there.
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
check "Enter shows the whole dialog" e2e_wait "6/40 msgs  filter: dialog"
e2e_keys G ']'
check "at its real end, ] says so" e2e_wait "last message of this dialog"
e2e_done
