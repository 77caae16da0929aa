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

# The forms stand out (reverse video) from the same characters written in
# the log: X-Literal holds a backslash and an e, X-Real an ESC byte.
e2e_start 120 40 --rules data/rules.conf tests/data/literal-escapes.raw.sip
check "opens the log of literal and real escapes" e2e_wait "1/1 msg"
esc=$(printf '\033')
row_attrs() { e2e_screen_attrs | grep -a -- "$1"; }
real_reversed() { row_attrs X-Real | grep -q "${esc}\[7m[^\\]*\\\\e"; }
literal_plain() { ! row_attrs X-Literal | grep -q "${esc}\[7m"; }
check "an ESC byte's form is in reverse video" real_reversed
check "a backslash and an e of the log are not" literal_plain
e2e_done
