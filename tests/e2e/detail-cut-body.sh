#!/bin/sh
# The detail shows a body's first 20000 lines and says how much more there
# is; a search that matches in the rest (the record holds it, the title
# counts it) brings that line into view. The detail stayed where the
# letters typed so far had taken it, on lines that did not match, while
# the title said "match 1 of 1" and nothing was marked.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
# A NOTIFY whose body is 20100 lines "line N", then its 200 OK.
awk 'BEGIN {
	for (i = 1; i <= 20100; i++)
		body = body sprintf("line %d\r\n", i)
	printf "2025/03/12 10:00:03.000000 10.0.0.2:5060 -> 10.0.0.1:5060\n"
	printf "NOTIFY sip:a@ex.com SIP/2.0\r\n"
	printf "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKbig\r\n"
	printf "From: <sip:b@ex.com>;tag=1\r\nTo: <sip:a@ex.com>;tag=2\r\n"
	printf "Call-ID: big-body\r\nCSeq: 1 NOTIFY\r\n"
	printf "Content-Type: text/plain\r\n"
	printf "Content-Length: %d\r\n\r\n%s\n\n", length(body), body
	printf "2025/03/12 10:00:03.100000 10.0.0.1:5060 -> 10.0.0.2:5060\n"
	printf "SIP/2.0 200 OK\r\n"
	printf "Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKbig\r\n"
	printf "From: <sip:b@ex.com>;tag=1\r\nTo: <sip:a@ex.com>;tag=2\r\n"
	printf "Call-ID: big-body\r\nCSeq: 1 NOTIFY\r\n"
	printf "Content-Length: 0\r\n\r\n\n"
}' >"$out/big.sngrep.txt"

e2e_start 120 40 --rules data/rules.conf "$out/big.sngrep.txt"
check "opens" e2e_wait "2/2 msgs"
e2e_keys Tab G
check "the body is cut, and the detail says so" \
	e2e_wait_re "^ \\[\\.\\.\\. [0-9]+ more bytes of body not shown\\]"
e2e_keys g
check "back at the top" e2e_wait_gone "of body not shown"
# Typed a letter at a time: "line 2" is in view at the top, "line 200"
# further down, "line 20050" only in the part not shown.
e2e_keys / 'line 20050' Enter
check "the search counts the match" e2e_wait "match 1 of 1"
check "and the line that says where it is comes into view" \
	e2e_wait_re "^ \\[\\.\\.\\. [0-9]+ more bytes of body not shown\\]"
e2e_keys / 'line 12345' Enter
check "a match in what is shown is marked there" e2e_wait_re "^ +line 12345 +│"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
