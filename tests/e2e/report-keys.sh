#!/bin/sh
# q closes the registration report as it closes the help, instead of
# quitting the viewer from under it; C-c still quits. The help opened from
# the report gives the report back when it closes.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys R
check "R shows the report" e2e_wait "q/Esc: close"
e2e_keys q
check "q closes it" e2e_wait_gone "Registrations"
check "the viewer is still there" e2e_wait "? help  / search"
e2e_keys q
check "q then quits" e2e_wait "exit=0"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens again" e2e_wait "40/40 msgs"
e2e_keys R
check "the report again" e2e_wait "Registrations"
e2e_keys C-c
check "C-c quits from it" e2e_wait "exit=0"

# ? from the report shows the help; closing it goes back to the report.
e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens a third time" e2e_wait "40/40 msgs"
e2e_keys R Down
check "the report, on the second row" \
	e2e_wait_re "^ sip:marinof@uclab\.org from 172\.31\.255\.247:51311"
e2e_keys '?'
check "? shows the help over it" e2e_wait "sipsnoop keys"
e2e_keys q
check "q closes the help: the report is back" e2e_wait "3 registrations  Enter: flow"
check "on the same row" \
	e2e_wait_re "^ sip:marinof@uclab\.org from 172\.31\.255\.247:51311"
e2e_keys Escape
check "Esc closes the report" e2e_wait_gone "Registrations"
check "the viewer is there" e2e_wait "? help  / search"

# Enter on a registration shows its dialog; Esc goes back to the report,
# on that registration, to pick the next one; Esc again closes it.
e2e_keys R Down Enter
check "Enter: the registration's dialog" \
	e2e_wait "registration: 4 messages  (Esc: back to the report)"
check "its messages only" e2e_wait "4/40 msgs"
e2e_keys Escape
check "Esc: the report again" e2e_wait "3 registrations  Enter: flow"
check "on the row it was opened from" \
	e2e_wait_re "^ sip:marinof@uclab\.org from 172\.31\.255\.247:51311"
check "over all the messages" e2e_wait "40/40 msgs"
e2e_keys Escape
check "Esc closes it" e2e_wait_gone "Registrations"
# x, which drops every filter, drops the way back too.
e2e_keys R Enter x
check "x: all messages" e2e_wait "filters cleared"
e2e_keys Escape
check "and Esc brings no report back" e2e_wait "no previous filter"

# A client that answers the challenge with a new REGISTER on a new
# Call-ID: two rows; the retry, offered nothing in its own dialog, reads
# "- / Digest" (it began with a blank).
e2e_start 120 30 --rules data/rules.conf tests/data/auth/new-call-id.sngrep.txt
check "opens the new Call-ID retry" e2e_wait "4/4 msgs"
e2e_keys R
check "two registrations" e2e_wait "2 registrations"
check "the retry's schemes" e2e_wait_re "10\.1\.1\.21:5060 +- / Digest +1 200 OK"
e2e_done
