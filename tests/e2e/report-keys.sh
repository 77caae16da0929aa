#!/bin/sh
# q closes the registration report as it closes the help, instead of
# quitting the viewer from under it; C-c still quits.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys R
check "R shows the report" e2e_wait "q/Esc: close"
e2e_keys q
check "q closes it" e2e_wait_gone "Registrations"
check "the viewer is still there" e2e_wait "? help  / search"
e2e_keys q
check "q then quits" e2e_wait "exit=0"

e2e_start 100 30 --rules data/rules.conf data/sample.cls.log
check "opens again" e2e_wait "40/40 msgs"
e2e_keys R
check "the report again" e2e_wait "Registrations"
e2e_keys C-c
check "C-c quits from it" e2e_wait "exit=0"
e2e_done
