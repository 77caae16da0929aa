#!/bin/sh
# s where the file cannot be written whole (a full disk; here the file size
# limit, ulimit -f): the viewer says "not saved" and goes on, and leaves no
# file cut short that would pass for the messages saved. It was killed by
# SIGXFSZ with the terminal left raw (on a full disk it said "not saved"
# and left the part written).
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM

SIPSNOOP="ulimit -f 8; $SIPSNOOP"	# 4 KiB
e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys s
e2e_keys -l "$out/saved.log"
e2e_keys Enter
check "not saved, and why" e2e_wait "not saved: $out/saved.log: File too large"
check "no file cut short left" test ! -e "$out/saved.log"
e2e_keys j
check "the viewer still answers keys" e2e_wait_re "^ Messages +2/40$"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
