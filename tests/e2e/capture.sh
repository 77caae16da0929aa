#!/bin/sh
# A capture is converted beside the viewer: its messages come up, and a
# capture that cannot be converted is a warning, not the end of the viewer.
# gzip input is inflated beside it too.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-cap.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
# The 24-byte file header of a capture, without a packet.
head -c 24 tests/data/pcap/remote-ntlm-tcp.pcap >"$dir/nothing.pcap"

e2e_start 120 40 tests/data/pcap/call-udp.pcapng "$dir/nothing.pcap"
check "the capture's messages are listed" e2e_wait "INVITE sip:bob@example.com"
check "the title says the capture of no packets was not read" \
	e2e_wait "1 input not read (W)"
e2e_keys W
check "the warning names it and says why" \
	e2e_wait "nothing.pcap: no SIP messages found"
e2e_keys q q
check "quits, with the status of an unreadable input" e2e_wait "exit=1"

gzip -c data/sample.cls.log >"$dir/sample.cls.log.gz"
e2e_start 120 40 "$dir/sample.cls.log.gz"
check "a gzip log is inflated and listed" e2e_wait_re "sample.cls.log.gz \\[cls\\] +[0-9]+/[0-9]+ msgs"
check "its messages are shown" e2e_wait "REGISTER sip:"
e2e_keys q
check "quits" e2e_wait "exit=0"

# Past 512 KiB, what a .gz log inflates to goes to an unlinked file in
# $TMPDIR, which the viewer maps instead of holding it in memory.
: >"$dir/big.log"
while [ "$(wc -c <"$dir/big.log")" -lt 9500000 ]; do
	cat data/sample.cls.log >>"$dir/big.log"
done
gzip -c "$dir/big.log" >"$dir/big.log.gz"
rm "$dir/big.log"
mkdir "$dir/tmp"
E2E_ENV="TMPDIR=$dir/tmp" e2e_start 120 40 "$dir/big.log.gz"
check "a large gzip log is listed" e2e_wait_re "big.log.gz \\[cls\\] +[0-9]+/[0-9]+ msgs"
# spilled_map: the viewer maps a deleted file of $dir/tmp, once the
# conversion thread is done (polled: the title may show before, and a
# loaded machine is slow to get there).
spilled_map() {
	end=$(( $(date +%s) + E2E_TIMEOUT ))
	while [ "$(date +%s)" -le "$end" ]; do
		for p in $(pgrep -f "sipsnoop $dir/big.log.gz"); do
			grep -q "$dir/tmp/.*(deleted)" "/proc/$p/maps" \
				2>/dev/null && return 0
		done
		sleep 0.05
	done
	return 1
}
check "its inflated bytes are mapped from \$TMPDIR" spilled_map
check "nothing is left to see in \$TMPDIR" test -z "$(ls -A "$dir/tmp")"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
