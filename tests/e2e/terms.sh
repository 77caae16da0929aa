#!/bin/sh
# Other terminals and locales: vt100 in the C locale draws with ASCII
# only, keys work and q restores the screen; xterm (8 colours) in UTF-8
# draws boxes.
. "$(dirname "$0")/lib.inc"

ascii_only() { ! e2e_screen | LC_ALL=C grep -q '[^ -~]'; }

E2E_TERM=vt100
E2E_ENV="LANG=C LC_ALL=C"
e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "vt100, C locale: opens" e2e_wait "6/6 msgs"
check "vt100, C locale: the screen is ASCII only" ascii_only
e2e_keys G
check "vt100, C locale: keys move the selection" e2e_wait_re "6/6 *$"
e2e_keys q
check "vt100, C locale: q quits" e2e_wait "exit=0"

E2E_TERM=xterm
E2E_ENV=
e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "xterm, UTF-8: opens" e2e_wait "6/6 msgs"
check "xterm, UTF-8: box drawing" e2e_wait "│"
e2e_keys q
check "xterm, UTF-8: q quits" e2e_wait "exit=0"
e2e_done
