#!/bin/sh
# Escape sequences and controls from a log are shown as visible text and
# never reach the terminal (no colour change, no window title change).
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/ui-escapes.raw.sip
check "opens the hostile log" e2e_wait "2/2 msgs"
check "CSI shown as text in the detail" e2e_wait '"\e[31mRED\e[0m"'
check "OSC shown as text" e2e_wait 'esc-\e]0;pwned\x07-call'
check "bidi override shown as an escape" e2e_wait '\u202ereversed'
title=$(t display-message -p -t e2e '#{pane_title}')
check "the pane title was not changed by the log" \
	[ "$title" != pwned ] && [ "$title" != hijacked ]
e2e_done
