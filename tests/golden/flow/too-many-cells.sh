#!/bin/sh
# A text ladder of thousands of ends over thousands of messages is
# refused before it is drawn, saying how large it would be and what to do
# (status 2): the 100 MB bench log's (106,055 messages between 21,627
# ends, 55 billion characters) ran for minutes, in memory, and was never
# written. The same log as SVG, and a selection of it as text, are drawn.
set -u
bin=$SIPSNOOP
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-golden.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
# 3000 OPTIONS, each from its own host to one server: 3001 columns.
awk 'BEGIN {
	for (i = 0; i < 3000; i++) {
		printf "2025/06/02 09:%02d:%02d.000000 10.%d.%d.%d:5060 -> " \
		    "10.0.0.1:5060\n", int(i / 60) % 60, i % 60,
		    int(i / 65536) + 1, int(i / 256) % 256, i % 256
		printf "OPTIONS sip:10.0.0.1 SIP/2.0\r\n" \
		    "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK%d\r\n" \
		    "From: <sip:mon@example.com>;tag=%d\r\n" \
		    "To: <sip:10.0.0.1>\r\nCall-ID: many-%d\r\n" \
		    "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n\n", i, i, i
	}
}' >"$dir/many.txt"
LC_ALL=C $bin --no-rules --flow "$dir/many.txt" >"$dir/out" 2>"$dir/err"
st=$?
[ $st = 2 ] || { echo "exit status $st, not 2"; exit 1; }
[ ! -s "$dir/out" ] || { echo "something was written"; exit 1; }
want="sipsnoop: --flow: 3000 messages between 3001 columns would be 6003 lines of 36012 characters or more: narrow the selection (-f, --dialog), use --merge-hosts, or --flow=svg"
[ "$(cat "$dir/err")" = "$want" ] || { echo "stderr:"; cat "$dir/err"; exit 1; }
LC_ALL=C $bin --no-rules --flow=svg "$dir/many.txt" >"$dir/svg" 2>/dev/null ||
	{ echo "--flow=svg failed"; exit 1; }
grep -q '</svg>' "$dir/svg" || { echo "no SVG"; exit 1; }
LC_ALL=C $bin --no-rules --flow -f callid:many-7 "$dir/many.txt" \
    >"$dir/one" 2>/dev/null || { echo "a selection failed"; exit 1; }
grep -q OPTIONS "$dir/one" || { echo "no OPTIONS in the selection"; exit 1; }
echo "too-many-cells: ok"
