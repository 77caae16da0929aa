#!/bin/sh
# u on a server's event of a dialog (a TF_DIAG that names its Call-ID):
# the dialog's user; it said "no user here".
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf tests/data/call-cancel.cls.log
check "opens the cancelled call" e2e_wait "9/9 msgs"
e2e_keys j j j j
check "the cancel event selected" e2e_wait "Call was cancelled before the callee"
check "its row is the fifth" e2e_wait " 5/9"
e2e_keys u
check "u filters by the dialog's user" e2e_wait "filter: user:marinof"
check "and says how many" e2e_wait_re "[0-9]+ messages"
e2e_done
