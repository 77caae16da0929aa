#!/bin/sh
# A server's event that names no end (no Peer) is the logging server's
# own: the list and the detail name that server alone, as the flow puts
# the event on its column; they said "? → ?", an arrow between two
# unknowns. One that names its peer shows that peer alone, as before.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --no-rules tests/data/diag-no-peer.cls.log
check "opens" e2e_wait "2/2 msgs"
check "the event's row names the server, no arrow" \
	e2e_wait_re "08:14:09\\.958 R2EE01 +diag: Call was cancelled"
check "nowhere an arrow between two unknowns" e2e_wait_gone "? → ?"
e2e_keys Down
check "the detail too" e2e_wait_re "2025-03-11T08:14:09\\.958  R2EE01 *│"
e2e_keys q
check "quits" e2e_wait "exit=0"

e2e_start 120 30 --no-rules data/sample.cls.log
check "the sample opens" e2e_wait "40/40 msgs"
e2e_keys G
check "an event naming its peer shows that peer alone" \
	e2e_wait_re "08:40:51\\.336 172\\.31\\.255\\.250:50933 +diag: "
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
