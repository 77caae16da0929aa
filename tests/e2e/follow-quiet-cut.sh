#!/bin/sh
# --follow, the log's writer stopped within its last record: once the file
# has been quiet for a second, that record is shown cut short ([truncated],
# with no warning: it may still be finished); when the rest comes it is
# read again and completes the same message (no second message, no
# warning), as reading the finished log whole gives it.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-quietcut.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
log=$dir/fe.cls.log
# Cut within the headers of the last record (a 403 to a REGISTER), past
# its Call-ID and CSeq.
cut=$(grep -abo 'ms-diagnostics: 4005' data/sample.cls.log | tail -n 1 | cut -d: -f1)
head -c "$cut" data/sample.cls.log >"$log"

e2e_start 120 40 --follow --rules data/rules.conf "$log"
check "the cut record shows once quiet" e2e_wait "40/40 msgs"
e2e_keys G
check "shown truncated" e2e_wait "[truncated]"
e2e_keys W
check "with no warning while it may be finished" \
	e2e_wait "every input was read cleanly"
e2e_keys Escape
tail -c +"$((cut + 1))" data/sample.cls.log >>"$log"
cat data/sample.cls.log >>"$log"
check "its messages, and that one only once" e2e_wait "80/80 msgs"
e2e_keys g
e2e_keys -N 39 Down
check "the 40th selected" e2e_wait "40/80"
check "the record read again is whole" e2e_wait_gone "[truncated]"
check "it says why it was refused" e2e_wait "User is not enabled for SIP"
e2e_keys W
check "no warning: neither cut short nor junk" \
	e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
