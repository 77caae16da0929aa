#!/bin/sh
# A client's log merged with its server's: the flow pane draws the
# server's own end ("local") in the column of the address the client's
# log gives it, titled with both names, as --flow does.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.uccapilog \
	tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "12/12 msgs"
check "the server's column is the address the client gives" \
	e2e_wait "203.0.113.10:443 (local)"
# Two columns: no arrow crosses a third one's lifeline.
crossings() { e2e_screen | grep -c '┼'; }
check "no arrow crosses a lifeline" test "$(crossings)" -eq 0
e2e_done
