#!/bin/sh
# --list --follow prints what is appended to a file, notices a truncated
# file and reads it again. Polls with a timeout; no bare sleeps.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-follow.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$dir"' EXIT INT TERM
log=$dir/live.txt
out=$dir/out
fixture=tests/data/reg-digest.sngrep.txt

# wait_for PATTERN COUNT: until COUNT lines of $out match PATTERN (5 s).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(grep -c -- "$1" "$out" 2>/dev/null)" -ge "$2" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	echo "timed out waiting for $2 x '$1'; output:"
	cat "$out"
	exit 1
}

head -n 15 $fixture >"$log"	# the first REGISTER only
$SIPSNOOP --rules data/rules.conf --list --follow -f 'method:register' "$log" >"$out" 2>&1 &
pid=$!
wait_for 'REGISTER sip:10.0.0.10:5060' 1
tail -n +16 $fixture >>"$log"
wait_for '200 OK' 1
[ "$(grep -c REGISTER "$out")" = 2 ] || { echo "expected 2 REGISTER lines"; cat "$out"; exit 1; }
grep -q INVITE "$out" && { echo "filter not applied"; exit 1; }
: >"$log"
head -n 15 $fixture >>"$log"
wait_for 'truncated: reading it again from its start' 1
wait_for 'REGISTER sip:10.0.0.10:5060' 3
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=

# Rewritten in place as far as before and past it, the last bytes where the
# old end was the same (keep-alives of one length that end alike): noticed
# and read again from the start (it read on from the old size, listing
# only what was past it, without a word). dd overwrites without
# truncating, so that no look can see the file shorter.
ka() {
	printf '2024/01/02 10:00:%02d.000000 10.0.0.1:5060 -> 10.0.0.2:5060\n' "$1"
	printf 'OPTIONS sip:example.com SIP/2.0\nCall-ID: %s\n' "$2"
	printf 'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\n'
	printf 'From: <sip:a@example.com>;tag=1\nTo: <sip:b@example.com>\n'
	printf 'CSeq: 1 OPTIONS\n'
	printf 'User-Agent: the same phone, firmware 1.2.3 build 4567\n'
	printf 'Content-Length: 0\n\n'
}
: >"$out"
{ ka 1 ka-r1; ka 2 ka-r2; } >"$dir/ka.txt"
$SIPSNOOP --rules data/rules.conf --list --follow "$dir/ka.txt" >"$out" 2>&1 &
pid=$!
wait_for 'OPTIONS sip:example.com' 2
{ ka 3 ka-s3; ka 4 ka-s4; ka 5 ka-s5; } >"$dir/ka-new.txt"
dd if="$dir/ka-new.txt" of="$dir/ka.txt" conv=notrunc status=none
wait_for 'ka.txt: truncated: reading it again from its start' 1
wait_for 'ka-s3' 1
wait_for 'ka-s5' 1
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=

# A request appended while following is awaiting its response (severity
# none, rule no-response-awaited), not "no response in the trace" (a
# warning): --list printed each new request as unanswered before its
# response could come. One the file held before is not awaited.
: >"$out"
ka 1 aw-old >"$dir/aw.txt"
$SIPSNOOP --rules data/rules.conf --list --follow "$dir/aw.txt" >"$out" 2>&1 &
pid=$!
wait_for 'aw-old' 1
ka 2 aw-new >>"$dir/aw.txt"
wait_for 'aw-new' 1
grep 'aw-old' "$out" | grep -q ' warning ' ||
	{ echo "a request held before following: expected a warning"; cat "$out"; exit 1; }
grep 'aw-new' "$out" | grep -q ' none ' ||
	{ echo "a request appended while following: expected none"; cat "$out"; exit 1; }
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=

# --dialog holds while following: the INVITE dialog that comes later is
# not listed (it was: only -f was applied to what came).
: >"$out"
head -n 15 $fixture >"$log"
$SIPSNOOP --rules data/rules.conf --list --follow --dialog 0 "$log" >"$out" 2>&1 &
pid=$!
wait_for 'REGISTER sip:10.0.0.10:5060' 1
tail -n +16 $fixture >>"$log"
wait_for '200 OK' 1
cat $fixture >>"$log"	# once listed, what came before is written out
wait_for 'REGISTER sip:10.0.0.10:5060' 4
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
grep -q 'INVITE' "$out" && { echo "--dialog 0 listed another dialog:"; cat "$out"; exit 1; }
[ "$(grep -c . "$out")" = 8 ] || { echo "expected 8 messages of dialog 0:"; cat "$out"; exit 1; }

# --dialog of a dialog that is not there yet waits for it while following
# (it ended with status 2 at once); what comes of it is listed, and nothing
# of the others. A pipe that ends without it: status 2, as without
# --follow.
: >"$out"
head -n 15 $fixture >"$log"
$SIPSNOOP --rules data/rules.conf --list --follow --dialog 1 "$log" >"$out" 2>&1 &
pid=$!
wait_for 'no dialog 1 yet (there are 1); waiting for it' 1
kill -0 $pid 2>/dev/null || { echo "ended:"; cat "$out"; exit 1; }
tail -n +16 $fixture >>"$log"
wait_for 'BYE sip:' 1
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
grep -q 'REGISTER' "$out" && { echo "--dialog 1 listed dialog 0:"; cat "$out"; exit 1; }
[ "$(grep -c . "$out")" = 8 ] || { echo "expected 7 messages of dialog 1:"; cat "$out"; exit 1; }
rm -f "$dir/fifo1"
mkfifo "$dir/fifo1"
head -n 15 $fixture >"$dir/fifo1" &
timeout 10 $SIPSNOOP --rules data/rules.conf --list --follow --dialog 1 "$dir/fifo1" >"$out" 2>&1
rc=$?
[ $rc = 2 ] || { echo "pipe without dialog 1: status $rc, expected 2"; cat "$out"; exit 1; }
grep -qF 'sipsnoop: no dialog 1 (there are 1)' "$out" || { echo "not said:"; cat "$out"; exit 1; }

# A file empty at the start (just rotated), or begun with too little to
# tell its format, waits for more, as tail -f does: it was refused ("no
# SIP messages found") and the command ended with status 1.
for start in 0 20; do
	: >"$out"
	head -c $start $fixture >"$dir/begun.txt"
	$SIPSNOOP --rules data/rules.conf --list --follow "$dir/begun.txt" \
		>"$out" 2>&1 &
	pid=$!
	wait_for "begun.txt: no SIP message yet ($start bytes); waiting for more" 1
	kill -0 $pid 2>/dev/null || { echo "ended:"; cat "$out"; exit 1; }
	tail -c +$((start + 1)) $fixture >>"$dir/begun.txt"
	wait_for 'REGISTER sip:10.0.0.10:5060' 2
	cat $fixture >>"$dir/begun.txt"
	wait_for 'REGISTER sip:10.0.0.10:5060' 4
	[ "$(grep -c . "$out")" = 23 ] || { echo "expected 22 messages:"; cat "$out"; exit 1; }
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	pid=
done
# Among other files, too (it was refused: "no SIP messages found (empty
# file)"): the others are listed, then its messages as they come, after
# them, with its --offset. One still not SIP once long enough is refused
# then, as without --follow, and the command ends with status 1.
: >"$out"
: >"$dir/empty.txt"
cp tests/data/call-busy.raw.sip "$dir/busy.sip"
$SIPSNOOP --rules data/rules.conf --list --follow --offset "$dir/empty.txt=+1h" \
	"$dir/empty.txt" "$dir/busy.sip" >"$out" 2>&1 &
pid=$!
wait_for 'empty.txt: no SIP message yet (0 bytes); waiting for more' 1
wait_for 'INVITE sip:bob@example.com' 1
grep -q 'no SIP messages found' "$out" && { echo "refused:"; cat "$out"; exit 1; }
cat $fixture >>"$dir/empty.txt"
wait_for '2025-03-11T10:17:31.009183' 1	# its last message, an hour on
[ "$(grep -c . "$out")" = 23 ] || { echo "expected 22 messages:"; cat "$out"; exit 1; }
# Busy after a first look no more (it polled without pause once anything
# had come: about half a CPU): under a fifth of a second of CPU in a
# second.
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
if [ -r "/proc/$pid/stat" ]; then
	t0=$(cpu)
	sleep 1
	t1=$(cpu)
	[ $((t1 - t0)) -lt 20 ] || { echo "busy: $((t1 - t0)) ticks in a second"; exit 1; }
fi
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
: >"$out"
: >"$dir/notes.txt"
cp tests/data/call-busy.raw.sip "$dir/fifo-busy.sip"
rm -f "$dir/fifo2"
mkfifo "$dir/fifo2"
$SIPSNOOP --rules data/rules.conf --list --follow "$dir/notes.txt" "$dir/fifo2" \
	>"$out" 2>&1 &
pid=$!
exec 3>"$dir/fifo2"
cat "$dir/fifo-busy.sip" >&3
wait_for 'notes.txt: no SIP message yet (0 bytes); waiting for more' 1
wait_for 'INVITE sip:bob@example.com' 1
head -c 9000 /dev/zero | tr '\0' 'x' >>"$dir/notes.txt"
wait_for 'notes.txt: no SIP messages found' 1
exec 3>&-
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.05
done
wait $pid
rc=$?
pid=
[ $rc = 1 ] || { echo "a file refused while following: status $rc, expected 1"; cat "$out"; exit 1; }

# A writer that ended its last record without a line break: once the file
# has been quiet a moment (a second), that record is listed (it waited for
# ever); a last line that is still a header line waits (check_engine
# tests that it is not read). When the rest comes, nothing is listed twice
# and no warning is given.
: >"$out"
head -c -1 tests/data/lf-only.cls.log >"$dir/nonl.log"
$SIPSNOOP --rules data/rules.conf --list --follow "$dir/nonl.log" >"$out" 2>&1 &
pid=$!
wait_for 'BENOTIFY sip:' 1
printf '\n' >>"$dir/nonl.log"
cat tests/data/lf-only.cls.log >>"$dir/nonl.log"
wait_for 'BENOTIFY sip:' 2
[ "$(grep -c . "$out")" = 6 ] || { echo "expected 6 messages:"; cat "$out"; exit 1; }
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
: >"$out"
cp tests/data/call-busy.raw.sip "$dir/hdr.sip"
printf 'OPTIONS sip:y@example.com SIP/2.0\r\nCall-ID: y1\r\nCSeq: 1 OPTIONS\r\nContent-Len' >>"$dir/hdr.sip"
$SIPSNOOP --rules data/rules.conf --list --follow "$dir/hdr.sip" >"$out" 2>&1 &
pid=$!
wait_for 'INVITE sip:bob@example.com' 1
n=$(grep -c . "$out")
printf 'gth: 0\r\n\r\n' >>"$dir/hdr.sip"
wait_for 'OPTIONS sip:y@example.com' 1
[ "$(grep -c . "$out")" = $((n + 1)) ] || { echo "expected one more:"; cat "$out"; exit 1; }
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=

# Standard input redirected from a file is followed through its
# descriptor, as the file would be by name (it used to be read once, with
# no word); gzip on standard input is read once, with a warning.
: >"$out"
head -n 15 $fixture >"$log"
$SIPSNOOP --rules data/rules.conf --list --follow - <"$log" >"$out" 2>&1 &
pid=$!
wait_for 'REGISTER sip:10.0.0.10:5060' 1
tail -n +16 $fixture >>"$log"
wait_for '200 OK' 1
kill -0 $pid 2>/dev/null || { echo "standard input not followed"; cat "$out"; exit 1; }
: >"$log"
wait_for '-: truncated: standard input cannot be read again, not followed further' 1
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -0 $pid 2>/dev/null && { echo "still running with nothing to follow"; exit 1; }
wait $pid || { echo "status $?"; cat "$out"; exit 1; }
pid=
gzip -c $fixture >"$dir/live.gz"
timeout 10 $SIPSNOOP --rules data/rules.conf --list --follow - <"$dir/live.gz" \
	>"$out" 2>&1 || { echo "gzip on standard input: status $?"; cat "$out"; exit 1; }
grep -qF -- "-: gzip-compressed: read once, not followed" "$out" || {
	echo "no warning about gzip on standard input"; cat "$out"; exit 1; }

# A gzip-compressed capture cannot be followed: it is listed once with a
# warning, and with nothing else to follow --list --follow ends. A named pipe is read as it
# comes and the command ends when its writer is done (it used to block
# opening the pipe again).
mkfifo "$dir/fifo"
cat $fixture >"$dir/fifo" &
timeout 10 $SIPSNOOP --rules data/rules.conf --list --follow "$dir/fifo" \
	tests/data/pcap/call-udp.pcapng.gz >"$dir/once" 2>&1
rc=$?
[ $rc = 0 ] || { echo "status $rc, expected 0"; cat "$dir/once"; exit 1; }
for want in "call-udp.pcapng.gz: gzip-compressed: read once, not followed" \
	"REGISTER sip:10.0.0.10:5060" "INVITE sip:bob@example.com"; do
	grep -qF -- "$want" "$dir/once" || {
		echo "missing: $want"; cat "$dir/once"; exit 1; }
done
# Read to its end, whether or not its writer was done before its start
# was read: no warning about it.
grep -q "fifo:" "$dir/once" && { echo "a warning about the pipe"; cat "$dir/once"; exit 1; }
timeout 10 $SIPSNOOP --rules data/rules.conf --list --follow \
	tests/data/pcap/call-udp.pcapng.gz >"$dir/once" 2>&1
rc=$?
[ $rc = 0 ] || { echo "capture alone: status $rc"; cat "$dir/once"; exit 1; }

# A pipe whose writer pauses: what came is listed before the rest comes,
# and the command ends with the pipe.
: >"$out"
{
	head -n 15 $fixture
	while [ ! -e "$dir/go" ]; do sleep 0.05; done
	tail -n +16 $fixture
} | $SIPSNOOP --rules data/rules.conf --list --follow - >"$out" 2>&1 &
pid=$!
wait_for 'REGISTER sip:10.0.0.10:5060' 1
grep -q '200 OK' "$out" && { echo "listed what was not written yet"; exit 1; }
touch "$dir/go"
wait_for '200 OK' 1
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.05
done
kill -0 $pid 2>/dev/null && { echo "still running after the pipe ended"; exit 1; }
wait $pid || { echo "status $?"; cat "$out"; exit 1; }
pid=

# A record cut short at the end of a pipe is one, and says so.
(cat tests/data/truncated.cls.log; sleep 0.3) |
	$SIPSNOOP --rules data/rules.conf --list --follow - >"$out" 2>&1
grep -q -- "-:69: message cut short (kept, flagged truncated)" "$out" || {
	echo "no warning about the record cut short"; cat "$out"; exit 1; }
# A followed pipe past 512 KiB goes on in a temporary file in $TMPDIR; when
# none can be made there it stays in memory, with a warning. Either way
# every message is listed.
cp $fixture "$dir/big"
for i in 1 2 3 4 5 6 7 8 9 10 11; do	# 2048 copies, 12 MB
	cat "$dir/big" "$dir/big" >"$dir/big2" && mv "$dir/big2" "$dir/big"
done
want=$(($($SIPSNOOP --no-rules --list $fixture | wc -l) * 2048))
# (valgrind needs a TMPDIR of its own: under it, only the one that works;
# check_engine tests the other under valgrind too.)
case $SIPSNOOP in *valgrind*) tmps=$dir ;; *) tmps="$dir $dir/none" ;; esac
for tmp in $tmps; do
	cat "$dir/big" | TMPDIR=$tmp $SIPSNOOP --no-rules --list --follow - \
		>"$out" 2>"$dir/err" || { echo "status $?"; exit 1; }
	[ "$(wc -l <"$out")" = "$want" ] || {
		echo "TMPDIR=$tmp: $(wc -l <"$out") messages, expected $want"
		exit 1; }
	if [ "$tmp" = "$dir" ]; then
		[ -s "$dir/err" ] && { echo "unexpected:"; cat "$dir/err"; exit 1; }
	else
		grep -qF -- "-: cannot create a temporary file in $dir/none (No such file or directory): what comes is kept in memory" "$dir/err" || {
			echo "no warning about the temporary file"; cat "$dir/err"; exit 1; }
	fi
done
ls "$dir" | grep -q sipsnoop- && { echo "a temporary file was left"; ls "$dir"; exit 1; }
# A classic pcap (tcpdump -U -w -) is read as it comes, from a pipe and
# from a file that grows: the messages of the packets written so far are
# listed before the rest comes (here the capture pauses in the middle of a
# packet), and once the pipe ends the list and the warnings are those of
# the capture read whole. (It was read to the pipe's end first.)
cap=tests/data/pcap/remote-ntlm-tcp.pcap
$SIPSNOOP --no-rules --list $cap >"$dir/cap-whole" 2>"$dir/cap-whole-err"
rm -f "$dir/go"
: >"$out"
{
	head -c 3000 $cap
	# (not for ever when the test fails: $dir goes then)
	while [ ! -e "$dir/go" ] && [ -d "$dir" ]; do sleep 0.05; done
	tail -c +3001 $cap
} | $SIPSNOOP --no-rules --list --follow - >"$out" 2>"$dir/cap-err" &
pid=$!
wait_for 'REGISTER sip:uclab.org' 2
grep -q '200 OK' "$out" && { echo "capture: listed what was not written yet"; cat "$out"; exit 1; }
touch "$dir/go"
wait $pid || { echo "capture from a pipe: status $?"; cat "$out" "$dir/cap-err"; exit 1; }
pid=
cmp -s "$dir/cap-whole" "$out" || {
	echo "capture from a pipe: not the list of the capture read whole"
	diff "$dir/cap-whole" "$out"; exit 1; }
sed "s|^sipsnoop: $cap:|sipsnoop: -:|" "$dir/cap-whole-err" | cmp -s - "$dir/cap-err" || {
	echo "capture from a pipe: not the warnings of the capture read whole"
	cat "$dir/cap-err"; exit 1; }
# A capture file that grows.
head -c 3000 $cap >"$dir/grow.pcap"
: >"$out"
$SIPSNOOP --no-rules --list --follow "$dir/grow.pcap" >"$out" 2>"$dir/cap-err" &
pid=$!
wait_for 'REGISTER sip:uclab.org' 2
grep -q '200 OK' "$out" && { echo "capture file: listed what was not written yet"; cat "$out"; exit 1; }
tail -c +3001 $cap >>"$dir/grow.pcap"
wait_for '200 OK' 1
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
cmp -s "$dir/cap-whole" "$out" || {
	echo "capture file: not the list of the capture read whole"
	diff "$dir/cap-whole" "$out"; exit 1; }
[ -s "$dir/cap-err" ] && { echo "capture file: unexpected"; cat "$dir/cap-err"; exit 1; }
# ngrep -l -t -W byline port 5060 | sipsnoop --list --follow -: a packet's
# messages are listed once the next packet's header line has come (its
# payload ends there), the last one's at the pipe's end; the list and the
# warnings are those of the output read whole. (It was read to the pipe's
# end first.)
ng=tests/data/fmt/ngrep-byline.txt
$SIPSNOOP --no-rules --list $ng >"$dir/ng-whole" 2>"$dir/ng-whole-err"
rm -f "$dir/go"
: >"$out"
{
	head -n 60 $ng	# four packets, the fourth's end not known yet
	while [ ! -e "$dir/go" ] && [ -d "$dir" ]; do sleep 0.05; done
	tail -n +61 $ng
} | $SIPSNOOP --no-rules --list --follow - >"$out" 2>"$dir/ng-err" &
pid=$!
wait_for 'REGISTER sip:192.0.2.10' 2
wait_for '401 Unauthorized' 1
grep -q '200 OK' "$out" && { echo "ngrep: listed a packet whose end had not come"; cat "$out"; exit 1; }
touch "$dir/go"
wait $pid || { echo "ngrep from a pipe: status $?"; cat "$out" "$dir/ng-err"; exit 1; }
pid=
cmp -s "$dir/ng-whole" "$out" || {
	echo "ngrep from a pipe: not the list of the output read whole"
	diff "$dir/ng-whole" "$out"; exit 1; }
sed "s|^sipsnoop: $ng:|sipsnoop: -:|" "$dir/ng-whole-err" | cmp -s - "$dir/ng-err" || {
	echo "ngrep from a pipe: not the warnings of the output read whole"
	cat "$dir/ng-err"; exit 1; }

# A file followed from empty, its format named, that a Windows tool then
# writes with a UTF-8 byte order mark: its first message is listed, as
# read whole (the mark made its first line junk: "skipped 24 lines").
: >"$out"
: >"$dir/bom.sip"
$SIPSNOOP --no-rules --list --follow --format raw "$dir/bom.sip" >"$out" 2>&1 &
pid=$!
# Once it follows the file (open), and has had time to read it empty.
i=0
while ! ls -l /proc/$pid/fd 2>/dev/null | grep -q 'bom.sip$' && [ $i -lt 100 ]; do
	i=$((i + 1))
	sleep 0.05
done
sleep 0.5
{ printf '\357\273\277'; cat tests/data/call-busy.raw.sip; } >>"$dir/bom.sip"
wait_for 'ACK sip:carol@192.0.2.77' 1
kill $pid 2>/dev/null
wait $pid 2>/dev/null
pid=
grep -q skipped "$out" && { echo "the byte order mark made junk:"; cat "$out"; exit 1; }
[ "$(grep -c . "$out")" = 11 ] || { echo "expected 11 messages:"; cat "$out"; exit 1; }
echo "follow: ok"
