#!/bin/sh
# A damaged header line inside a message is a warning with its file and
# line: the title counts it and W lists it.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf tests/data/bad-header.cls.log
check "opens" e2e_wait "2/2 msgs"
check "the title counts the warning" e2e_wait_re "1 warnings?"
e2e_keys W
check "W lists it with its line" \
	e2e_wait "bad-header.cls.log:35: bad header line (kept, flagged)"
e2e_done
