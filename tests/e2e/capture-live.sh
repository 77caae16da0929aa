#!/bin/sh
# A capture (tcpdump -U -w -, dumpcap -w -) is shown as it comes with --follow, from
# a pipe and from a file that grows, and with F: the messages of the
# packets written so far show while the writer holds the rest back, the
# rest as it is written.
# (A capture used to be read to the pipe's end before anything showed.)
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-caplive.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
cap=tests/data/pcap/remote-ntlm-tcp.pcap
mkfifo "$dir/p"

# writer FILE UNIT N: into the pipe, FILE's first N bytes (UNIT c) or
# lines (UNIT n), then the rest once $dir/go exists.
writer() {
	rm -f "$dir/go"
	{
		head -$2 "$3" "$1"
		while [ ! -e "$dir/go" ] && [ -d "$dir" ]; do sleep 0.05; done
		tail -$2 "+$(($3 + 1))" "$1"
	} >"$dir/p"
}

# The capture's first 3000 bytes: two REGISTERs and a 401, and the start
# of a packet.
writer $cap c 3000 &
e2e_start 120 40 --no-rules --follow - "<$dir/p"
check "--follow: the messages of the packets written so far show" \
	e2e_wait_re "sipsnoop - \\[pcap\\] +3/3 msgs +following"
check "they are listed" e2e_wait "401 Unauthorized"
no_ok() { ! e2e_screen | grep -q '200 OK'; }
check "and not those not written yet" no_ok
touch "$dir/go"
check "the rest comes as it is written" e2e_wait_re "sipsnoop - \\[pcap\\] +6/6 msgs"
check "its last message is listed" e2e_wait "200 OK"
check "following ends with the pipe" e2e_wait_gone " following"
e2e_keys W
# (Its handshake, bare ACKs and FINs are TCP's own, not packets without SIP.)
check "W gives the capture's summary at its end: read cleanly" \
	e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"
wait

# A capture file that grows, followed with --follow.
head -c 3000 $cap >"$dir/grow.pcap"
e2e_start 120 40 --no-rules --follow "$dir/grow.pcap"
check "a growing capture: what it has shows" \
	e2e_wait_re "grow.pcap \\[pcap\\] +3/3 msgs +following"
tail -c +3001 $cap >>"$dir/grow.pcap"
check "what is appended shows" e2e_wait_re "grow.pcap \\[pcap\\] +6/6 msgs +following"
check "its last message is listed" e2e_wait "200 OK"
e2e_keys q
check "quits" e2e_wait "exit=0"

# Opened without --follow, then F: read whole beside the viewer at first
# (cut in the middle of a packet: said so), then read on from where that
# stopped as it grows.
head -c 3000 $cap >"$dir/later.pcap"
e2e_start 120 40 --no-rules "$dir/later.pcap"
check "a capture being written: what it has shows" \
	e2e_wait_re "later.pcap \\[pcap\\] +3/3 msgs"
e2e_keys F
check "F follows it" e2e_wait_re "later.pcap \\[pcap\\] +3/3 msgs.* following"
tail -c +3001 $cap >>"$dir/later.pcap"
check "what is appended shows" e2e_wait_re "later.pcap \\[pcap\\] +6/6 msgs.* following"
check "its last message is listed" e2e_wait "200 OK"
e2e_keys q
check "quits" e2e_wait "exit=0"

# pcapng too (dumpcap -w -): its blocks as they come, cut anywhere.
writer tests/data/pcap/call-udp.pcapng c 3400 &
e2e_start 120 40 --no-rules --follow - "<$dir/p"
check "pcapng --follow: the messages of the blocks written so far show" \
	e2e_wait_re "sipsnoop - \\[pcap\\] +3/3 msgs +following"
check "they are listed" e2e_wait "180 Ringing"
no_bye() { ! e2e_screen | grep -q 'BYE'; }
check "and not those not written yet" no_bye
touch "$dir/go"
check "pcapng: the rest as it comes" e2e_wait_re "sipsnoop - \\[pcap\\] +7/7 msgs"
check "following ends with the pipe" e2e_wait_gone " following"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

# ngrep's output too: with --follow from a pipe (a packet shows once the
# next one's header has come, or once the output has been quiet for a
# second: the fourth, read then as the end reads it, and again when the
# rest comes), and F on a file read whole at first.
ng=tests/data/fmt/ngrep-byline.txt
writer $ng n 60 &
e2e_start 120 40 --no-rules --follow - "<$dir/p"
check "ngrep --follow: the packets written show, the last once quiet" \
	e2e_wait_re "sipsnoop - \\[ngrep\\] +4/4 msgs +following"
touch "$dir/go"
check "ngrep: the rest as it comes" e2e_wait_re "sipsnoop - \\[ngrep\\] +8/8 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait
head -n 60 $ng >"$dir/later.ngrep"
e2e_start 120 40 --no-rules "$dir/later.ngrep"
check "ngrep read whole" e2e_wait_re "later.ngrep \\[ngrep\\] +4/4 msgs"
e2e_keys F
check "F follows it" e2e_wait_re "later.ngrep \\[ngrep\\] +4/4 msgs.* following"
tail -n +61 $ng >>"$dir/later.ngrep"
# (the last packet's end is not known before the next one comes: it
# shows once the file has been quiet for a second)
check "what is appended shows" e2e_wait_re "later.ngrep \\[ngrep\\] +8/8 msgs.* following"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
