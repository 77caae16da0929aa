#!/bin/sh
# A gzip-compressed capture on standard input reads like the file itself
# (no zcat needed), and a gzip stream cut short keeps what came before it.
set -eu
: "${SIPSNOOP:=build/sipsnoop}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-gz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C COLUMNS=100 NO_COLOR=1
$SIPSNOOP --no-rules --list - <tests/data/pcap/call-udp.pcapng.gz >"$tmp/out" 2>"$tmp/err"
cmp "$tmp/out" tests/golden/pcap/call-udp.out
grep -q 'carry no SIP' "$tmp/err"
# The first 1500 bytes of the two-member text file: the first member
# whole, the second cut.
head -c 1500 tests/data/pcap/remote-ntlm.sip.gz >"$tmp/cut.gz"
status=0
$SIPSNOOP --no-rules --list "$tmp/cut.gz" >"$tmp/out" 2>"$tmp/err" || status=$?
test $status = 0
grep -q 'gzip data is cut short' "$tmp/err"
test "$(grep -c 'REGISTER sip:uclab.org' "$tmp/out")" -ge 2
