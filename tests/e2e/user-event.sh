#!/bin/sh
# u on a server's event of a dialog (a TF_DIAG that names its Call-ID):
# the dialog's user; it said "no user here". As dialog:user:, so that the
# user's dialogs show whole, the event shown and selected. On an event of
# no dialog, the status line says it has no user and the filter stays.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf tests/data/call-cancel.cls.log
check "opens the cancelled call" e2e_wait "9/9 msgs"
e2e_keys j j j j
check "the cancel event selected" e2e_wait "Call was cancelled before the callee"
check "its row is the fifth" e2e_wait " 5/9"
e2e_keys u
check "u filters by the dialog's user" e2e_wait "filter: dialog:user:marinof"
check "and says how many" e2e_wait_re "[0-9]+ messages"
check "the event is still shown" e2e_wait_re "Messages +5/9"
check "and still selected" e2e_wait "Call was cancelled before the callee"

# The sample: the TLS handshake (7th) belongs to no dialog; the cancel
# event of marinof's call to ivanas (19th) does.
e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens the sample" e2e_wait "40/40 msgs"
e2e_keys j j j j j j
check "the TLS event selected" e2e_wait_re "Messages +7/40"
e2e_keys u
check "u: it has no user" \
	e2e_wait "no user here: this event has none and names no dialog"
check "the filter stays" e2e_wait "40/40 msgs"
check "no filter in the title" \
	sh -c '! tmux -L "$1" capture-pane -p -t e2e | grep -q "filter:"' \
	sh "$E2E_SOCK"
e2e_keys j j j j j j j j j j j j
check "the cancel event selected" e2e_wait_re "Messages +19/40"
check "its detail" e2e_wait "Call was cancelled before"
e2e_keys u
check "u: marinof's dialogs" e2e_wait "filter: dialog:user:marinof"
check "with the events of them" e2e_wait "28/40 msgs"
check "the event still selected" e2e_wait_re "Messages +12/28"
check "its detail still" e2e_wait "BENIGN (diagnostic-cancelled)"
e2e_done
