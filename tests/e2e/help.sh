#!/bin/sh
# ? and F1 show the help screen, generated from the keymap; q/Esc close it.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "6/6 msgs"
e2e_keys '?'
check "? shows help" e2e_wait "sipsnoop keys"
check "help lists ] (dialog-next)" e2e_wait "next message of the same dialog"
check "help lists the filter key" e2e_wait "edit the filter expression"
check "help says f starts from a dialog's callid:ID" e2e_wait "(a dialog's: callid:ID)"
e2e_keys Space
check "help says Alt+key is ignored (a page down)" e2e_wait "Alt with a key"
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
# C-c quits from the help as from everywhere else (it did nothing there).
e2e_keys '?'
check "the help again" e2e_wait "sipsnoop keys"
e2e_keys C-c
check "C-c quits from the help" e2e_wait "exit=0"

# W lists the reading warnings of a log with junk in it.
e2e_start 120 40 --rules data/rules.conf tests/data/junk.cls.log
check "a log with junk says it has warnings" e2e_wait_re "[0-9]+ warnings? \\(W\\) *$"
e2e_keys W
check "W lists them with file and line" \
	e2e_wait_re "tests/data/junk.cls.log:[0-9]+: "
e2e_keys Escape
check "Esc closes the warnings" e2e_wait_gone "q/Esc close"
e2e_keys W
check "W again" e2e_wait "q/Esc close"
e2e_keys C-c
check "C-c quits from W" e2e_wait "exit=0"

# The help scrolls by rows on the screen: at 80x24 lines wrap, and End
# still shows the last one; at 40 columns keys and words are not cut.
e2e_start 80 24 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens at 80x24" e2e_wait "6/6 msgs"
e2e_keys '?'
check "help at 80x24" e2e_wait "sipsnoop keys"
e2e_keys G
check "End shows the last line of the help" \
	e2e_wait "and by juxtaposition, or, not / -, ( ), dialog:(EXPR)"
e2e_keys k
check "Up goes back one row from there" \
	e2e_wait_gone "and by juxtaposition, or, not / -, ( ), dialog:(EXPR)"
e2e_start 40 15 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens at 40x15" e2e_wait "6/6 msgs"
e2e_keys '?'
check "help at 40x15" e2e_wait "sipsnoop keys"
e2e_keys j j j j j j j j
check "keys wider than their column are whole" e2e_wait "PgDn, C-f, Space"
check "words wrap, not cut" e2e_wait_re "^ +dialog and its flow *$"
e2e_keys G
check "End shows the last line at 40 columns" e2e_wait "), dialog:(EXPR)"

# The filter summary at the end of the help names every field the filter
# language has (src/core/filter.c filter_field_names).
e2e_start 160 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens at 160x40" e2e_wait "6/6 msgs"
e2e_keys '?' G
check "help at its end" e2e_wait "dialog:(EXPR)"
for f in callid user from to method status severity dir addr src dst after before \
	file header dialog; do
	check "help names $f:" e2e_wait "$f:"
done
e2e_done
