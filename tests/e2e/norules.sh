#!/bin/sh
# Without rules nothing is coloured and no message has a verdict: the
# title says "not rated (W)" and W says why (the reason written to
# standard error is hidden under the viewer).
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --no-rules data/remote-ntlm.uccapilog
check "opens without rules" e2e_wait "6/6 msgs"
check "the title says the messages are not rated" e2e_wait_re "not rated \(W\) *$"
e2e_keys W
check "W says why" e2e_wait "messages are not rated:"
check "--no-rules" e2e_wait "--no-rules was given"
check "and that the inputs were read cleanly" \
	e2e_wait "no reading warnings: every input was read cleanly"

e2e_start 120 30 --no-rules tests/data/junk.cls.log
check "a log with warnings, without rules" e2e_wait_re "[0-9]+ warnings, not rated \\(W\\) *$"

# A rules file with errors: W gives them with their lines, as standard
# error did under the viewer (it gave only the possible reasons).
e2e_start 120 30 --rules tests/data/rules/bad-syntax.conf data/remote-ntlm.uccapilog
check "a bad rules file: not rated" e2e_wait_re "not rated \(W\) *$"
e2e_keys W
check "W names its errors" \
	e2e_wait 'tests/data/rules/bad-syntax.conf:8: status: bad value "99x"'
check "and that it was not used" \
	e2e_wait "tests/data/rules/bad-syntax.conf: rules not used"

# Following, it still says so (it said "following" alone).
e2e_start 120 30 --no-rules --follow data/remote-ntlm.uccapilog
check "following, not rated" e2e_wait_re "following, not rated \(W\) *$"

e2e_start 120 30 --rules data/rules.conf data/remote-ntlm.uccapilog
check "with rules" e2e_wait "6/6 msgs"
check "nothing said" e2e_wait_re "6/6 msgs *$"
e2e_done
