#!/bin/sh
# A client's log merged with its server's: the detail says where the other
# log wrote the selected message, o goes there and o again comes back; a
# message only one log wrote, or a filter that hides the other copy, is
# said so.
. "$(dirname "$0")/lib.inc"

e2e_start 140 40 --rules data/rules.conf tests/data/remote-ntlm.uccapilog \
	tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "12/12 msgs"
check "the detail names the server's copy" \
	e2e_wait "tests/data/remote-ntlm.cls.log:1 (o)"
e2e_keys o
check "o goes to it" e2e_wait_re "Messages +2/12"
check "and says so" \
	e2e_wait "the same message as tests/data/remote-ntlm.cls.log wrote it, line 1 (o: back)"
check "its detail names the client's copy" \
	e2e_wait "tests/data/remote-ntlm.uccapilog:4 (o)"
e2e_keys o
check "o again comes back" e2e_wait_re "Messages +1/12"
e2e_keys f
e2e_keys -l 'file:uccapi'
e2e_keys Enter
check "filtered to the client's log" e2e_wait_re "Messages +1/6"
e2e_keys o
check "the other copy hidden by the filter" \
	e2e_wait "the same message in tests/data/remote-ntlm.cls.log:1 is hidden by the filter"

e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "one log: opens" e2e_wait "6/6 msgs"
e2e_keys o
check "one log only" e2e_wait "one log only: no other log has this message"
e2e_done
