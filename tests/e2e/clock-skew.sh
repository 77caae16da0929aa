#!/bin/sh
# Merged logs whose clocks disagree (the server's 2 s ahead of its
# client's): the title counts the warning and W lists it with the --offset
# that puts them in order; with that offset there is none.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf tests/data/remote-ntlm.uccapilog \
	tests/data/remote-ntlm-skewed.cls.log
check "opens" e2e_wait "12/12 msgs"
check "the title counts the warning" e2e_wait_re "1 warnings?"
e2e_keys W
check "W lists it, with its line" \
	e2e_wait "remote-ntlm-skewed.cls.log:25: its clock is ahead of"
check "and the offset" e2e_wait "remote-ntlm-skewed.cls.log=-2s puts the two"

e2e_start 120 30 --rules data/rules.conf \
	--offset tests/data/remote-ntlm-skewed.cls.log=-2s \
	tests/data/remote-ntlm.uccapilog tests/data/remote-ntlm-skewed.cls.log
check "with the offset: opens" e2e_wait "12/12 msgs"
check "its messages shown" e2e_wait "REGISTER"
title_warns() { e2e_screen | head -n 1 | grep -q warning; }
check "none in the title" eval '! title_warns'
e2e_done
