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
check "q closes the help: the report is back" e2e_wait "registration 2 of 3  Enter: flow"
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
check "Esc: the report again" e2e_wait "registration 2 of 3  Enter: flow"
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

# R opens on the registration of the message selected, and the heading
# says which of how many it is; on a message of no registration (an
# INVITE's), on the first. It opened on the first whatever was selected.
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens for R on a message" e2e_wait "40/40 msgs"
e2e_keys G
check "G: petrak's 403, the last message" e2e_wait_re "Messages +40/40"
e2e_keys R
check "R: petrak's registration" \
	e2e_wait_re "^ sip:petrak@uclab\.org from 172\.31\.255\.250:50933"
check "the third of three" e2e_wait "registration 3 of 3  Enter: flow"
e2e_keys Up
check "Up: the second of three" e2e_wait "registration 2 of 3  Enter: flow"
e2e_keys q
check "q closes it" e2e_wait_gone "q/Esc: close"
# The INVITE to dusanm, the 31st message.
e2e_keys Up Up Up Up Up Up Up Up Up
check "the INVITE to dusanm" e2e_wait_re "Messages +31/40"
check "its detail" e2e_wait "INVITE sip:dusanm@uclab.org SIP/2.0"
e2e_keys R
check "R on a call: the first registration" \
	e2e_wait_re "^ sip:izabelaf@uclab\.org from 172\.31\.255\.210:5061"
check "the first of three" e2e_wait "registration 1 of 3  Enter: flow"
e2e_keys q q
check "quits" e2e_wait "exit=0"

# A client that answers the challenge with a new REGISTER on a new
# Call-ID: two rows; the retry, offered nothing in its own dialog, reads
# "- / Digest" (it began with a blank).
e2e_start 120 30 --rules data/rules.conf tests/data/auth/new-call-id.sngrep.txt
check "opens the new Call-ID retry" e2e_wait "4/4 msgs"
e2e_keys R
check "two registrations" e2e_wait "registration 1 of 2  Enter: flow"
check "the retry's schemes" e2e_wait_re "10\.1\.1\.21:5060 +- / Digest +1 200 OK"

# A key of the list that the report does not take (f, /, e) says so; it
# did nothing at all. The next key the report takes clears it.
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens for the list's keys" e2e_wait "40/40 msgs"
e2e_keys R
check "the report for the list's keys" e2e_wait "registration 1 of 3  Enter: flow"
e2e_keys f
check "f in the report says it is not there" \
	e2e_wait "not in the registration report: Enter shows a registration's messages"
check "and opens no prompt" e2e_wait_gone "filter: "
e2e_keys Down
check "Down clears it" e2e_wait_gone "not in the registration report"
check "and moves" e2e_wait "registration 2 of 3  Enter: flow"
e2e_keys /
check "/ says so too" e2e_wait "not in the registration report"

# A filter on the registration's messages, then Esc: back on them, the
# way back to the report is said again (it was gone, though a second Esc
# did go back).
e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens for a filter in a registration" e2e_wait "40/40 msgs"
e2e_keys R Down Enter
check "Enter: marinof's registration" \
	e2e_wait "registration: 4 messages  (Esc: back to the report)"
e2e_keys f
e2e_keys -l " status:401"
e2e_keys Enter
check "a filter over it" e2e_wait "1/40 msgs"
e2e_keys Escape
check "Esc: its messages, and the way back said again" \
	e2e_wait "registration: 4 messages  (Esc: back to the report)"
e2e_keys Escape
check "Esc: the report" e2e_wait "registration 2 of 3  Enter: flow"
e2e_done
