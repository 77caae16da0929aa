#!/bin/sh
# The flow's heading says which arrows are in view when not all of them
# fit, in a shorter form when the pane is narrow.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
check "a dialog that fits says nothing of arrows" e2e_wait_re "│ Flow +dialog \(a\)$"
e2e_keys a
check "all shown messages: the arrows in view" \
	e2e_wait_re "│ Flow +arrows 1-10/40  shown messages \(a\)$"
e2e_keys G
check "End: the last ones" e2e_wait_re "│ Flow +arrows 31-40/40  shown messages \(a\)$"

e2e_start 80 24 --rules data/rules.conf data/sample.cls.log
check "opens at 80x24" e2e_wait "40/40 msgs"
e2e_keys a
check "narrow: a short form, with the word and the hint at L (the times are not shown)" e2e_wait_re "│ Flow +arrows 1-5/40( +all \(a\))?  L: wider$"

# On 50 columns every layout is a stack: the flow has the whole width
# already, and no L gives it more. The hint was there all the same, and
# L went through the layouts with it still there.
e2e_start 50 20 --rules data/rules.conf data/sample.cls.log
check "opens at 50x20" e2e_wait "40/40 msgs"
check "the whole width: no hint at L" \
	e2e_wait_re "^ Flow +arrows 1-2/6  dialog \(a\)$"
e2e_keys L
check "L: a stack again, still without the hint" e2e_wait "layout: stack"
no_hint() { ! e2e_screen | grep -q "L: wider"; }
check "nothing says L: wider" no_hint
e2e_done
