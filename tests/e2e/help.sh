#!/bin/sh
# ? and F1 show the help screen, generated from the keymap; q/Esc close it.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "6/6 msgs"
e2e_keys '?'
check "? shows help" e2e_wait "sipsnoop keys"
check "help lists ] (dialog-next)" e2e_wait "next message of the same dialog"
check "help lists the filter key" e2e_wait "edit the filter expression"
e2e_keys G
check "help scrolls to the severity legend" \
	e2e_wait "benign: looks like a failure"
e2e_keys Escape
check "Esc closes help" e2e_wait_gone "sipsnoop keys"
e2e_keys F1
check "F1 shows help" e2e_wait "sipsnoop keys"
e2e_keys q
check "q closes help, not the viewer" e2e_wait_gone "sipsnoop keys"
check "viewer still there" e2e_wait "6/6 msgs"

# W lists the reading warnings of a log with junk in it.
e2e_start 120 40 --rules data/rules.conf tests/data/junk.cls.log
check "a log with junk says it has warnings" e2e_wait_re "[0-9]+ warnings? *$"
e2e_keys W
check "W lists them with file and line" \
	e2e_wait_re "tests/data/junk.cls.log:[0-9]+: "
e2e_keys Escape
check "Esc closes the warnings" e2e_wait_gone "q/Esc close"
e2e_done
