#!/bin/sh
# q leaves the terminal as it was: normal screen, cursor back, exit 0;
# SIGTERM restores it too.
. "$(dirname "$0")/lib.inc"

e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens" e2e_wait "6/6 msgs"
check "viewer uses the alternate screen" \
	[ "$(t display-message -p -t e2e '#{alternate_on}')" = 1 ]
e2e_keys q
check "q exits with status 0" e2e_wait "exit=0"
check "the shell's screen is back" e2e_wait "before-run"
check "nothing of the viewer is left" e2e_wait_gone "Messages"
check "alternate screen is off" \
	[ "$(t display-message -p -t e2e '#{alternate_on}')" = 0 ]
check "cursor is visible" \
	[ "$(t display-message -p -t e2e '#{cursor_flag}')" = 1 ]

e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens again" e2e_wait "6/6 msgs"
pid=$(t display-message -p -t e2e '#{pane_pid}')
vpid=$(pgrep -P "$pid" | head -1)
[ -n "$vpid" ] && kill -TERM "$vpid"
check "SIGTERM ends the viewer" e2e_wait_re "exit=[0-9]+"
check "SIGTERM restores the screen" \
	[ "$(t display-message -p -t e2e '#{alternate_on}')" = 0 ]

e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
check "opens a third time" e2e_wait "6/6 msgs"
pid=$(t display-message -p -t e2e '#{pane_pid}')
vpid=$(pgrep -P "$pid" | head -1)
[ -n "$vpid" ] && kill -INT "$vpid"
check "SIGINT ends the viewer" e2e_wait_re "exit=[0-9]+"
check "SIGINT restores the screen" \
	[ "$(t display-message -p -t e2e '#{alternate_on}')" = 0 ]
check "and the cursor" \
	[ "$(t display-message -p -t e2e '#{cursor_flag}')" = 1 ]
e2e_done
