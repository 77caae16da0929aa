#!/bin/sh
# The list's delta times (t) count from the row above that has a time, as
# the flow's do: a row after one without a time showed +0.000000, as if
# it came at no time after anything.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/untimed-between.sngrep.txt
check "opens" e2e_wait "3/3 msgs"
e2e_keys t
check "deltas" e2e_wait_re "\+0\.000000 .*INVITE"
check "the 200 OK 1.25 s after the INVITE" e2e_wait_re "\+1\.250000 .*200 OK"
check "--flow says the same" sh -c \
	"$SIPSNOOP --flow --width 80 tests/data/untimed-between.sngrep.txt | grep -q '^08:00:01.250100 +1.250 '"
e2e_done
