#!/bin/sh
# An end the log does not give shows as "?" in the detail, as --list and
# --flow write it (the viewer wrote "-"). The list and the detail show a
# server's event, which has no direction, by the end it names alone (they
# wrote "→ ?"). In
# the flow pane an unknown end is a column of its own, and raw SIP, which
# gives neither end, has two (it drew every message as a loop on one column).
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
check "the batch list writes ?" sh -c \
	"$SIPSNOOP --list data/sample.cls.log | grep -q '172.31.255.247:51311 -> ?  *DIAG TL_WARN: Call was cancelled'"
# The event whose peer the server does not log.
e2e_keys f C-u 'cancelled before' Enter
check "filtered to the event" e2e_wait "1/40 msgs"
check "the list: the event's end alone" \
	e2e_wait_re "^.b [0-9:.]+ 172\.31\.255\.247:51311 +diag: Call was cancelled"
check "and the detail" e2e_wait_re "^ 2025-03-11T08:14:09\.958  172\.31\.255\.247:51311( |$)"
check "no arrow to '?' or '-' for it" sh -c \
	'! tmux -L "$1" capture-pane -p -t e2e | grep -q -e "→ -" -e "51311 → ?"' \
	sh "$E2E_SOCK"

e2e_start 120 40 --no-rules tests/data/call-busy.raw.sip
check "raw SIP opens" e2e_wait "msgs"
check "the flow has two ? columns" e2e_wait_re "│ +\? +\?$"
check "the INVITE goes right" e2e_wait_re "│─+►│$"
check "its responses come back" e2e_wait_re "│◄─+│$"
no_loop() { ! e2e_screen | grep -q '◄─┘'; }
check "no loops" no_loop
e2e_start 120 40 --no-rules tests/data/fmt/cisco-cube.log
check "a log of one end: local and ?" e2e_wait_re "│ +local +\?$"
check "the detail of its message: local → ?" e2e_wait_re "^ [0-9:.T-]+  local → \?"
check "local -> ? goes right" e2e_wait_re "│─+►│$"
e2e_done
