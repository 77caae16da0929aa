#!/bin/sh
# Mouse: a click selects a list row, a click on a flow arrow selects its
# message, the wheel scrolls. Events are sent as the terminal would (SGR
# 1006 reports), so this goes through curses' own mouse decoding.
. "$(dirname "$0")/lib.inc"

esc=$(printf '\033')
# click X Y: 1-based cell, as the terminal reports it.
click() { e2e_keys -l "${esc}[<0;$1;$2M${esc}[<0;$1;$2m"; }
wheel_down() { e2e_keys -l "${esc}[<65;$1;$2M"; }

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "6/6 msgs"
# Row 3 of the list is screen line 5 (title, heading, rows 1, 2).
click 20 5
check "click selects the third message" e2e_wait " 3/6"
check "and the detail follows" e2e_wait "CSeq: 2 REGISTER"
# The flow's arrows: the 200 OK arrow is the sixth, two lines each, under
# the column headers. Find its line from the screen itself.
line=$(e2e_screen | grep -n '│ 08:01:12.661' | head -1 | cut -d: -f1)
check "the 200 OK arrow is on screen" [ -n "$line" ]
click 90 "$line"
check "click on a flow arrow selects its message" e2e_wait " 6/6"
check "and highlights that arrow" e2e_wait "▶08:01:12.661"
# The label line above an arrow selects it too.
line=$(e2e_screen | grep -n '│ +0.036' | head -1 | cut -d: -f1)
click 100 "$line"
check "click on a label selects its arrow" e2e_wait "▶08:01:12.539"
click 20 3
check "click back in the list" e2e_wait " 1/6"
wheel_down 20 4
check "wheel scrolls the list" e2e_wait " 4/6"

# A click on a registration of the report selects it; a click on the
# selected one opens it as Enter does: its messages, the list in focus,
# and the way back said.
e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens the sample" e2e_wait "40/40 msgs"
e2e_keys R
check "the report" e2e_wait "registration 1 of 3"
line=$(e2e_screen | grep -n '^ sip:marinof@uclab.org' | head -1 | cut -d: -f1)
check "its second row is on screen" [ -n "$line" ]
click 10 "$line"
check "a click selects it" e2e_wait_re "^ sip:marinof@uclab\.org from 172"
click 10 "$line"
check "another opens it: its messages" e2e_wait "4/40 msgs"
check "and the way back is said" \
	e2e_wait "registration: 4 messages  (Esc: back to the report)"
e2e_keys Escape
check "Esc: the report again" e2e_wait "registration 2 of 3"
e2e_done
