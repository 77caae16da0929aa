#!/bin/sh
# The list's delta times (t) of merged logs, one of microseconds and one of
# milliseconds, have the digits of the finer of the two rows: the OPTIONS
# logged at 08:00:00.001, 100 us after the 180 Ringing at .000900, showed
# +0.000, as if simultaneous.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/usec.sngrep.txt \
	tests/data/ms-between.sngrep.txt
check "opens" e2e_wait "6/6 msgs"
check "absolute times first" e2e_wait " 08:00:00.001 "
e2e_keys t
check "deltas" e2e_wait "+0.000300 "
check "the OPTIONS 100 us after the 180" e2e_wait_re "\+0\.000100 .*OPTIONS"
check "the 200 OK 2.000250 s after the OPTIONS" e2e_wait_re "\+2\.000250 .*200 OK"
e2e_done
