#!/bin/sh
# The flow pane spreads its columns over its width (only half a name of
# margin outside them), so that labels fit where they can; a label still
# wider than its arrow is cut at the arrow's span with a '~' and never
# runs over a lifeline; a diagnostic note is drawn as --flow
# draws it, on the column of the server that logged it, after a marker
# (it began at the left lifeline and ran across the others); cut where it
# meets the pane's edge, it ends in '~'.
. "$(dirname "$0")/lib.inc"

for size in "120 40" "80 24"; do
	e2e_start $size --rules data/rules.conf data/sample.cls.log
	check "opens at $size" e2e_wait "40/40 msgs"
	e2e_keys G
	check "the 403's dialog at $size" e2e_wait "403 Forbidden"
	check "the note ends at R2EE01's lifeline, after a marker, at $size" \
		e2e_wait_re "TL_ERROR: User is not SIP[a-z :]*~ ◆ │$"
	case $size in
	120*)	check "the pane's width used: the label whole at $size" \
			e2e_wait_re "│ +401 Unauthorized \[NTLM\] +│$" ;;
	*)	check "a label wider than its arrow is cut inside it at $size" \
			e2e_wait_re "│REGISTER \[NTLM [A-Z]*~│$" ;;
	esac
done
e2e_done
