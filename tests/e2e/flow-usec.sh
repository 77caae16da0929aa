#!/bin/sh
# The flow pane writes times and deltas as --flow does: the fraction digits
# the log gives, so that messages within a millisecond do not look
# simultaneous. It drew 08:00:00.000 three times, with deltas of +0.000.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/usec.sngrep.txt
check "opens" e2e_wait "5/5 msgs"
e2e_keys Enter
check "the flow pane" e2e_wait "dialog: 5 messages"
check "the 100 Trying at its microsecond" e2e_wait "│ 08:00:00.000400 "
check "the 180 Ringing too" e2e_wait "│ 08:00:00.000900 "
check "a delta below a millisecond in microseconds" e2e_wait "│ +0.000500 "
check "a delta above it in milliseconds" e2e_wait "│ +2.000 "
e2e_done
