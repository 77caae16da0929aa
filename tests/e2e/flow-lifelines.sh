#!/bin/sh
# The flow pane lays its columns out as --flow does: an arrow's label
# goes between two lifelines, in the widest gap the arrow crosses, and
# the gaps are as wide as their labels where the pane (or scrolling) has
# the room. An arrow across a column wrote its label over that column's
# lifeline and its shaft hid the lifeline too; an arrow between
# neighbours had its label cut to the even spacing ("401 Unauth~") with
# room to spare elsewhere.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --no-rules tests/data/fmt/asterisk-full.log \
	tests/data/fmt/freeswitch-new.log
check "opens" e2e_wait "25/25 msgs"
e2e_keys a G Tab Tab z
check "the flow of all shown messages fills the screen" \
	e2e_wait "arrows 8-25/25  shown messages (a)"
# The last message: a 200 OK across the middle column.
check "the label of an arrow across a column keeps that lifeline" \
	e2e_wait_re "^ \+0\.074 +│ +│ +200 OK +│$"
check "its shaft crosses the lifeline and keeps it" \
	e2e_wait_re "^▶09:15:12\.351 +│◄─+┼─+│$"
e2e_keys q
check "quits" e2e_wait "exit=0"

e2e_start 80 24 --rules data/rules.conf data/sample.cls.log
check "opens at 80x24" e2e_wait "40/40 msgs"
e2e_keys a j j j
check "the flow of all shown messages at 80x24" e2e_wait "all (a)"
check "a label between neighbours is whole, not cut to the even spacing" \
	e2e_wait_re "│ +│ 401 Unauthorized \[NTLM CHALLENGE\] │"
check "and so is the longest" \
	e2e_wait_re "│ +│ +REGISTER \[NTLM AUTHENTICATE\] +│"
e2e_keys q
check "quits at 80x24" e2e_wait "exit=0"
# Gaps sized by their labels differ: a name is kept to the nearer of its
# neighbours (it took the room of the gap on its right, and a long name
# beside a narrow gap ran into the name on its left).
f=$(mktemp "${TMPDIR:-/tmp}/sipsnoop-e2e-lifelines.XXXXXX")
trap 'rm -f "$f"; e2e_cleanup' EXIT INT TERM
rec() {
	printf '2025/03/12 10:00:0%s.000000 %s -> %s\n%s\nVia: SIP/2.0/UDP %s;branch=z9hG4bK%s\nFrom: <sip:a@example.org>;tag=a\nTo: <sip:b@example.org>\nCall-ID: hdr-1\nCSeq: 1 BYE\nContent-Length: 0\n\n' \
		"$1" "$2" "$3" "$4" "$2" "$1"
}
a=10.0.0.1:5060 b='[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1]:5060' c=10.0.0.3:5060
{
	rec 0 $a "$b" 'BYE sip:b@example.org SIP/2.0'
	rec 1 "$b" $c 'BYE sip:c@example.org SIP/2.0'
	rec 2 $c "$b" 'SIP/2.0 486 Busy Here, and a reason phrase long enough to widen'
} >"$f"
e2e_start 100 30 --no-rules "$f"
check "opens the uneven gaps" e2e_wait "3/3 msgs"
e2e_keys Tab Tab z
check "the flow fills the screen" e2e_wait "10.0.0.3:5060"
check "the first name is whole" e2e_wait_re "^ +10\.0\.0\.1:5060 "
check "the long name goes on a line of its own" \
	e2e_wait_re "^ +\[2001:db8:aaaa:bbbb:cccc:dddd:eeee:1\]:5060$"
e2e_keys q
check "quits the uneven gaps" e2e_wait "exit=0"
e2e_done
