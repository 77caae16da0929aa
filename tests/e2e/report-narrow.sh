#!/bin/sh
# The registration report on a narrow terminal keeps its outcome column,
# the one that says how each registration ended: the explanation, the
# client and the schemes give way first.
. "$(dirname "$0")/lib.inc"

e2e_start 40 20 --rules data/rules.conf data/sample.cls.log
check "opens at 40 columns" e2e_wait "40/40 msgs"
e2e_keys R
check "the report opens" e2e_wait "Registrations"
check "the outcome heading is there" e2e_wait_re "^ user +attempts +outcome *$"
check "a success shows its outcome" e2e_wait_re "^ sip:izabel.* 3 200 OK *$"
check "a failure shows its outcome" e2e_wait_re "^ sip:petrak.* 2 403 Forbidden *$"

e2e_start 80 20 --rules data/rules.conf data/sample.cls.log
check "opens at 80 columns" e2e_wait "40/40 msgs"
e2e_keys R
check "the report opens at 80" e2e_wait "Registrations"
check "every column but the explanation at 80" \
	e2e_wait_re "^ user +client +offered/used +attempts +outcome *$"
check "the user whole, the client's port, and the outcome, at 80" \
	e2e_wait_re "^ sip:petrak@uclab.org +~31\.255\.250:50933 .* 2 403 Forbidden *$"

e2e_start 120 20 --rules data/rules.conf data/sample.cls.log
check "opens at 120 columns" e2e_wait "40/40 msgs"
e2e_keys R
check "the explanation too at 120" \
	e2e_wait_re "^ user +client +offered/used +attempts +outcome +explanation *$"
check "a row at 120" \
	e2e_wait_re "^ sip:petrak@uclab.org +172\.31\.255\.250:50933 +NTLM / NTLM +2 403 Forbidden +not regis"

# Too narrow for the keys, the heading keeps which registration is
# selected of how many: the keys go, not the counts (it lost both below
# 63 columns).
e2e_start 60 15 --rules data/rules.conf data/sample.cls.log
check "opens at 60 columns" e2e_wait "40/40 msgs"
e2e_keys R
check "the counts stay in the heading at 60" \
	e2e_wait_re "^ Registrations +registration 1 of 3 *$"
e2e_keys Down
check "and follow the selection at 60" \
	e2e_wait_re "^ Registrations +registration 2 of 3 *$"

e2e_done
