#!/bin/sh
# The flow of all shown messages (a) is a window of the messages around
# the selection: its heading says so ("arrows 1-10 of 300 around message
# 1"; it read "arrows 1-10/300" as if that were all 700), and Home/End in
# the flow pane go to the first and last shown message, moving the window
# (they went to the ends of the window).
. "$(dirname "$0")/lib.inc"

f=$(mktemp "${TMPDIR:-/tmp}/sipsnoop-e2e-window.XXXXXX")
i=0
while [ $i -lt 700 ]; do
	printf 'OPTIONS sip:x@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK%d\r\nFrom: <sip:a@example.com>;tag=%d\r\nTo: <sip:x@example.com>\r\nCall-ID: w%d\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' $i $i $i
	i=$((i + 1))
done >"$f"

e2e_start 120 40 --no-rules "$f"
check "opens" e2e_wait "700/700 msgs"
e2e_keys a
check "the heading says it is a window around the selection" \
	e2e_wait_re "│ Flow +arrows 1-10 of 300 around message 1  (all|shown messages) \(a\)$"
e2e_keys Tab Tab G
check "End (G) in the flow: the last shown message" e2e_wait_re " 700/700$"
check "the window moved with it" \
	e2e_wait_re "│ Flow +arrows 292-301 of 301 around message 700  (all|shown messages) \(a\)$"
e2e_keys g
check "Home (g) in the flow: the first shown message" e2e_wait_re " 1/700$"
check "the window is back at the start" \
	e2e_wait_re "│ Flow +arrows 1-10 of 300 around message 1  (all|shown messages) \(a\)$"
e2e_keys q
check "quits" e2e_wait "exit=0"
rm -f "$f"
e2e_done
