#!/bin/sh
# A flow label (a diagnostic note, a long status) cut at the pane's edge
# ends in '~', so that it does not look whole.
. "$(dirname "$0")/lib.inc"

for size in "120 40" "80 24"; do
	e2e_start $size --rules data/rules.conf data/sample.cls.log
	check "opens at $size" e2e_wait "40/40 msgs"
	e2e_keys G
	check "the 403's dialog at $size" e2e_wait "403 Forbidden"
	check "the note cut at the edge ends in ~ at $size" \
		e2e_wait_re "TL_ERROR: User is not SIP enabled: regi[a-z]*~$"
done
e2e_done
