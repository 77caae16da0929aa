#!/bin/sh
# The registration report (R) follows the viewer's filter, as
# --registrations -f does, and its heading says by what filter and of how
# many; it listed every registration whatever the list showed.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf -f user:marinof data/sample.cls.log
check "opens filtered" e2e_wait "filter: user:marinof"
e2e_keys R
check "the heading names the filter" \
	e2e_wait_re "^ Registrations  filter: user:marinof +registration 1 of 1, 3 in all  Enter: flow"
check "marinof's registration" \
	e2e_wait_re "^ sip:marinof@uclab\.org +172\.31\.255\.247:51311"
check "not izabelaf's" sh -c '! tmux -L "$1" capture-pane -p -t e2e | grep -q izabelaf' \
	sh "$E2E_SOCK"
# Esc and the next key apart: in one read they are Alt+key.
e2e_keys Escape
check "Esc closes the report" e2e_wait_gone "Registrations"
e2e_keys x
check "x: all messages" e2e_wait "filters cleared"
e2e_keys R
check "every registration, no filter in the heading" \
	e2e_wait_re "^ Registrations +registration 2 of 3  Enter: flow"
e2e_keys Escape
check "Esc closes it again" e2e_wait_gone "Registrations"
e2e_keys f C-u 'user:petrak' Enter
check "a filter typed at f" e2e_wait "filter: user:petrak"
e2e_keys R
check "the report follows it" \
	e2e_wait_re "^ Registrations  filter: user:petrak +registration 1 of 1, 3 in all"
check "petrak's registration" e2e_wait_re "^ sip:petrak@uclab\.org "

# A filter that shows no registration: the heading offers no flow to
# open (it said "Enter: flow", and Enter did nothing).
e2e_start 120 30 --rules data/rules.conf -f method:INVITE data/sample.cls.log
check "opens on the calls" e2e_wait "13/40 msgs"
e2e_keys R
check "no registration shown, only the way out offered" \
	e2e_wait_re "^ Registrations  filter: method:INVITE +0 of 3 registrations  q/Esc: close *$"
e2e_done
