#!/bin/sh
# A search brings the line it matched into view in the detail: a header
# far down a message was found (the message selected) but not seen.
. "$(dirname "$0")/lib.inc"

e2e_start 80 24 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
check "the detail starts at the top" e2e_wait " (request)"
e2e_keys /
e2e_keys -l "User-Agent: UCCAPI"
check "typing scrolls the detail to the match" \
	e2e_wait_re "^ User-Agent: UCCAPI/4\.0\.7577\.4446 +│"
e2e_keys Enter
check "the start line is out of view" e2e_wait_gone " (request)"
e2e_keys n
check "n: the next message, its match in view too" \
	e2e_wait_re "^ Messages +3/40$"
check "its User-Agent in view" e2e_wait_re "^ User-Agent: UCCAPI/"

# Scrolled rather than wrapped (w), sideways too.
e2e_start 60 20 --rules data/rules.conf data/sample.cls.log
check "opens at 60x20" e2e_wait "40/40 msgs"
e2e_keys Tab w
check "scroll mode" e2e_wait "detail: long lines scroll"
e2e_keys /
e2e_keys -l "F2A5C6D7-1B3E"
e2e_keys Enter
check "the match far right is in view, the line cut on the left" e2e_wait_re "^~.*F2A5C6D7-1B3E"
e2e_done
