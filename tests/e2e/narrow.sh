#!/bin/sh
# At 40 columns, a status message or a filter error too long for the line,
# or the registration report's detail too long for its rows, ends in '~'
# rather than stopping as if whole (with rows enough it is whole).
. "$(dirname "$0")/lib.inc"

e2e_start 40 15 --rules data/rules.conf data/sample.cls.log
check "opens at 40x15" e2e_wait "40/40 msgs"
e2e_keys l
check "a long status message ends in ~" \
	e2e_wait_re "^Left/Right scroll the detail \(with w\) a~$"
e2e_keys f
e2e_keys -l "status:4xx (method:INVITE"
e2e_keys Enter
# What is wrong comes first: cut, it still says it (it said "filter error
# at col~").
check "a filter error cut beside the prompt ends in ~" \
	e2e_wait_re "^filter: .* unbalanced '\\(': mis~$"
e2e_keys Escape
check "the prompt closes" e2e_wait_gone "unbalanced"
e2e_keys R
check "the registration report at 40 columns" e2e_wait "Registrations"
# The short table leaves it the rows to be whole.
check "its detail, below the table, whole" e2e_wait_re "^ edge\)$"
e2e_keys q
check "the report closes" e2e_wait_gone "Registrations"
e2e_keys q
check "quits" e2e_wait "exit=0"

e2e_start 40 12 --rules data/rules.conf data/sample.cls.log
check "opens at 40x12" e2e_wait "40/40 msgs"
e2e_keys R
check "the registration report at 40x12" e2e_wait "Registrations"
check "its detail, cut at the bottom, ends in ~" \
	e2e_wait_re "^ registered with NTLM \(3 REGISTER requ~$"
e2e_done
