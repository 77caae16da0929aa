#!/bin/sh
# The flow pane scrolls sideways to the selected arrow, as it scrolls down
# to it: with more columns than fit, selecting a message whose arrow was
# off to the right left the pane where it was, and the marked line showed
# no arrow at all. Left and Right still scroll it away until the
# selection moves again.
. "$(dirname "$0")/lib.inc"

# The marked line of the flow (its arrowhead in the first cell) holds an
# arrow that ends at a lifeline.
marked_arrow() {
	e2e_screen | grep -q '│▶[0-9:. ]*│[ │]*─*►│'
}
marked_bare() {
	e2e_screen | grep '│▶' | grep -qv '►'
}
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

e2e_start 120 40 --rules data/rules.conf tests/data/many-hosts.sngrep.txt
check "opens" e2e_wait "20/20 msgs"
e2e_keys a
check "the flow of all shown messages" e2e_wait "shown messages (a)"
e2e_keys j j j j j j
check "the 7th message selected" e2e_wait " 7/20"
check "its arrow, off to the right before, is in view" wait_for marked_arrow
# A column's name in the flow's headers (right of the detail's border).
check "with its first column's name" \
	e2e_wait_re "│ [ 0-9.:~]*10\.9\.6\.1:5060"
e2e_keys G
check "the last message selected" e2e_wait " 20/20"
check "its arrow, further right, is in view" wait_for marked_arrow
check "with its first column's name, further right" \
	e2e_wait_re "│ [ 0-9.:~]*10\.9\.19\.1:5060"
e2e_keys g
check "the first message selected" e2e_wait " 1/20"
check "back to the left: its arrow is in view" wait_for marked_arrow
check "with the first column's name" \
	e2e_wait_re "│ [ 0-9.:~]*10\.9\.0\.1:5060"
# In the flow pane, Right scrolls the selected arrow away and leaves it
# there: only a move of the selection brings it back.
e2e_keys Tab Tab l l l l
check "Right scrolls the selected arrow out of view" wait_for marked_bare
e2e_keys j
check "the next message selected" e2e_wait " 2/20"
check "its arrow is brought into view" wait_for marked_arrow
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
