#!/bin/sh
# The flow scrolled sideways: an arrow whose end it points to is out of
# view keeps its head, at the pane's edge on that side. The head was drawn
# only beside its lifeline, so the client's 401 (pointing to a column
# scrolled off on the left) was a bare line, told from a request by
# nothing; and a REGISTER to a column off on the right likewise.
. "$(dirname "$0")/lib.inc"

wait_for() {
	end=$(( $(date +%s) + E2E_TIMEOUT ))
	until "$@"; do
		if [ "$(date +%s)" -ge "$end" ]; then
			E2E_LAST="$(e2e_screen)"
			return 1
		fi
		sleep 0.05
	done
}
# The flow's line of the arrow at time $1 (right of the detail's border).
arrow_line() { e2e_screen | grep "│[ ▶]$1 " | sed 's/.*│[ ▶]'"$1"' //'; }
# Cut on the left: the head first, at the pane's edge, then the shaft.
head_left() { arrow_line "$1" | grep -q '^◄──*│'; }
# Cut on the right: the shaft runs to the pane's edge and ends in a head.
head_right() { arrow_line "$1" | grep -q '│ *──*►$'; }

# The client's log and the server's: four columns, two in view.
e2e_start 120 40 --rules data/rules.conf data/sample.cls.log \
	data/remote-ntlm.uccapilog
check "opens" e2e_wait "46/46 msgs"
e2e_keys Tab Tab l
check "scrolled: the client's column is cut" \
	e2e_wait_re "│ +~3:49721 +172\.31\.2~$"
check "the 401 to the client cut on the left keeps its head" \
	wait_for head_left 08:01:12.453
check "the REGISTER from it still points right" \
	e2e_wait_re "│▶08:01:12.410 ─+►│$"
# The server's REGISTER selected, then scrolled back left until
# R2EE01's column is off the right edge.
e2e_keys j
check "the server's REGISTER selected" e2e_wait " 2/46"
e2e_keys h h
check "scrolled back: R2EE01 out of view" e2e_wait_gone "R2EE01 │"
check "its REGISTER to R2EE01 cut on the right keeps its head" \
	wait_for head_right 08:01:12.424
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
