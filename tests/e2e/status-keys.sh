#!/bin/sh
# The status line names the keys of the screen shown: in the registration
# report, the help and W it named the message list's (]/[ step, e error,
# Tab pane), which do nothing there.
. "$(dirname "$0")/lib.inc"

e2e_start 120 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
check "the list's keys" e2e_wait_re "^\? help  / search  f filter  Enter dialog  Esc back  \]/\[ step"
e2e_keys R
check "the report's keys" \
	e2e_wait_re "^Up/Down select  Enter flow  \? help  q/Esc close  C-c quit *$"
e2e_keys '?'
check "the help's keys" \
	e2e_wait_re "^Up/Down scroll  PgUp/PgDn page  g/G top/end  q/Esc close  C-c quit *$"
e2e_keys q
check "back to the report's" e2e_wait_re "^Up/Down select  Enter flow"
e2e_keys q W
check "W's keys" \
	e2e_wait_re "^Up/Down scroll  PgUp/PgDn page  g/G top/end  q/Esc close  C-c quit *$"
e2e_keys q
check "the list's again" e2e_wait_re "^\? help  / search  f filter"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
