#!/bin/sh
# F pressed while the log's last record is still being written: read whole,
# that record is shown cut short ([truncated], with its warning); once its
# writer finishes it, it is read again and completes the same message (no
# second message, no junk warning), as --follow from the start reads it.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-later.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
log=$dir/fe.cls.log
# Cut within the headers of the last record (a 403 to a REGISTER), past
# its Call-ID and CSeq.
cut=$(grep -abo 'ms-diagnostics: 4005' data/sample.cls.log | tail -n 1 | cut -d: -f1)
head -c "$cut" data/sample.cls.log >"$log"

e2e_start 120 40 --rules data/rules.conf "$log"
check "read whole: 40 messages" e2e_wait "40/40 msgs"
check "the last one cut short, with its warning" e2e_wait "1 warning"
e2e_keys G
check "shown truncated" e2e_wait "[truncated]"
e2e_keys F
check "F follows" e2e_wait "following"
tail -c +"$((cut + 1))" data/sample.cls.log >>"$log"
# And the log again after it, so that what follows the cut is read on.
cat data/sample.cls.log >>"$log"
check "its messages, and that one only once" e2e_wait "80/80 msgs"
# The 40th again: the first, then 39 down.
e2e_keys g
e2e_keys -N 39 Down
check "the 40th selected" e2e_wait "40/80"
check "the last record read again is whole" e2e_wait_gone "[truncated]"
check "it says why it was refused" e2e_wait "User is not enabled for SIP"
e2e_keys W
check "no warning is left: neither cut short nor junk" \
	e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
