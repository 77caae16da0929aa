#!/bin/sh
# The flow scrolled sideways: a column header half out of view shows only
# its end, where its column is; it used to be pushed whole onto its
# neighbour's ("10.910.9.2.2:5060"). A header cut at either edge shows a
# '~' where it is cut.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/many-hosts.sngrep.txt
check "opens" e2e_wait "20/20 msgs"
e2e_keys Tab Tab z
check "the flow fills the screen" e2e_wait "10.9.4.2:5060"
e2e_keys l l l l
check "scrolled: 10.9.1.1 is gone" e2e_wait_gone "10.9.1.1:5060"
# The two header lines under the title and the pane's heading.
no_overlap() { ! e2e_screen | sed -n '3,4p' | grep -q '[0-9]10\.9\.'; }
# The first one is cut: a '~', then fewer characters than a whole
# 10.9.x.y before its port.
cut_in_place() { e2e_screen | sed -n '3p' | grep -qE '^ {17}~[0-9.:]{0,7}5060 '; }
# The last one of the second line is cut at the pane's right edge.
cut_right() { e2e_screen | sed -n '4p' | grep -qE ' 10[0-9.:]*~$'; }
check "no header runs into another" no_overlap
# Nor is the label of an arrow scrolled out of view pushed onto the
# pane's edge, over a lifeline.
no_stray_label() { ! e2e_screen | grep -q '^ \{17\}OPTIONS'; }
check "no label of an arrow out of view" no_stray_label
check "the cut header keeps its end in place, after a ~" cut_in_place
check "a header cut at the right edge ends in ~" cut_right
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
