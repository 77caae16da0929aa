#!/bin/sh
# A log past the parallel threshold (16 MB): the viewer indexes it with a
# second thread reading ahead of its slices. Every message is indexed
# once and rated as --stats rates it; F and q while it indexes work.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=60

e2e_copies tests/data/remote-ntlm.cls.log 2400 0 >"$out/big.cls.log"
size=$(wc -c <"$out/big.cls.log")
check "the log is past 16 MB" [ "$size" -gt 16777216 ]
$SIPSNOOP --stats --rules data/rules.conf "$out/big.cls.log" >"$out/stats"
check "--stats counts every message" grep -q "^messages 14400 " "$out/stats"

e2e_start 120 40 --rules data/rules.conf "$out/big.cls.log"
check "all indexed" e2e_wait "14400/14400 msgs"
check "indexing ended" e2e_wait_gone "indexing"
e2e_keys G
check "G: on the last message" e2e_wait_re "Messages +14400/14400"
e2e_keys R
check "one registration a copy, on the last" \
	e2e_wait "registration 2400 of 2400"
e2e_keys q q
check "quits" e2e_wait "exit=0"

# F at once, likely while indexing: the second thread hands the file over;
# what is appended then is read too.
e2e_start 120 40 --rules data/rules.conf "$out/big.cls.log"
e2e_keys F
check "F: following" e2e_wait "following"
check "F: all indexed" e2e_wait "14400/14400 msgs"
e2e_copies tests/data/remote-ntlm.cls.log 1 9999 >>"$out/big.cls.log"
check "F: appended messages appear" e2e_wait "14406/14406 msgs"
e2e_keys q
check "F: quits" e2e_wait "exit=0"

# q at once: the thread is stopped, not waited for to the end.
e2e_start 120 40 --rules data/rules.conf "$out/big.cls.log"
e2e_keys q
check "q while indexing quits" e2e_wait "exit=0"
e2e_done
