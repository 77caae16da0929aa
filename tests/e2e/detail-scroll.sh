#!/bin/sh
# The detail in scroll mode (w): a line cut on the right ends in '~', one
# cut on the left has a '~' in the margin, and Right stops where the
# longest line ends. Left/Right where they cannot scroll say why.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys l
check "Right in the list says where it scrolls" \
	e2e_wait "Left/Right scroll the detail (with w) and the flow: Tab to them"
e2e_keys Tab l
check "Right in the wrapped detail says w" \
	e2e_wait "the detail wraps long lines: w to scroll them instead"
check "the heading says the lines wrap, and w changes it" \
	e2e_wait_re "^ Detail +lines 1-16/29  wrap \\(w\\) │"
e2e_keys w
check "w says what it does" e2e_wait "detail: long lines scroll"
check "the heading says they scroll now (it said 'w: scroll', as a key's promise)" \
	e2e_wait_re "^ Detail +lines 1-16/19  scroll \\(w\\) │"
check "a line cut on the right ends in ~" \
	e2e_wait_re "^ Via: SIP/2.0/TLS 198\.51\.100\.23:49721;branch=z9h~│"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 \
	21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do
	e2e_keys l
done
check "Right stops at the end of the longest line" \
	e2e_wait_re '^~urn:uuid:F2A5C6D7-1B3E-5A9C-8D4E-2B6F7A8C9D0E>" +│'
e2e_keys h
check "one Left from there shows eight columns more at once" \
	e2e_wait_re '^~[^ ]{8}urn:uuid:F2A5C6D7-1B3E-5A9C-8D4E-2B6F7A~│'
e2e_keys w
check "w again wraps" e2e_wait "detail: long lines wrap"

# The heading says which lines are in view when not all of them are.
e2e_start 80 24 --rules data/rules.conf data/sample.cls.log
check "opens at 80x24" e2e_wait "40/40 msgs"
check "the detail's heading says the lines in view" \
	e2e_wait_re "^ Detail +lines 1-13/35  wrap \\(w\\) │"
e2e_keys Tab Space
check "a page down moves them" e2e_wait_re "^ Detail +lines 13-25/35  wrap \\(w\\) │"
e2e_keys G
check "End shows the last ones" e2e_wait_re "^ Detail +lines 23-35/35  wrap \\(w\\) │"
e2e_done
