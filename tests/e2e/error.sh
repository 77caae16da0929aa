#!/bin/sh
# e jumps to the error of a rejected registration and the detail says why.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/reg-rejected.cls.log
check "opens the rejected registration" e2e_wait "4/4 msgs"
e2e_keys e
check "e selects the error" e2e_wait " 4/4"
check "detail shows the 403" e2e_wait "SIP/2.0 403 Forbidden"
check "detail shows the verdict" e2e_wait_re "^ ERROR"
e2e_keys e
check "no further error" e2e_wait "no next error"
e2e_keys R
check "R opens the registration report" e2e_wait "Registrations"
check "the report names the user and outcome" e2e_wait "403 Forbidden"
# The table cuts the explanation; under it, the selected row in full.
check "the selected registration is explained in full" e2e_wait \
	"(ms-diagnostics 4005: User is not enabled for SIP or does not exist)"
e2e_keys Enter
check "Enter on a row opens its flow" e2e_wait_re "filter: callid:[0-9a-f]+"
check "its flow is drawn" e2e_wait "403 Forbidden"
e2e_done
