#!/bin/sh
# c on a message whose Call-ID holds a NUL byte: the filter it writes quotes
# the byte as \x00 and finds the dialog (it wrote callid:nul- and found
# nothing), and the list's Call-ID column shows the whole ID.
. "$(dirname "$0")/lib.inc"

e2e_start 160 40 --rules data/rules.conf tests/data/hostile/escapes.sip
check "opens the hostile log" e2e_wait "22/22 msgs"
check "the list shows the Call-ID past its NUL" e2e_wait 'nul-\x00x@example.com'
e2e_keys Down Down Down Down Down Down Down Down
check "the INVITE with the NUL is selected" e2e_wait 'Call-ID: nul-\x00x@example.com'
e2e_keys c
check "c quotes the NUL" e2e_wait 'filter: callid:"nul-\x00x@example.com"'
check "c finds the dialog" e2e_wait "2/22 msgs"
e2e_done
