#!/bin/sh
# C-z suspends the viewer with the terminal restored; fg brings it back
# drawn. Needs an interactive shell with job control.
. "$(dirname "$0")/lib.inc"
command -v bash >/dev/null 2>&1 || { echo "ok - skipped: no bash"; e2e_done; exit; }

e2e_kill_server
E2E_N=$((E2E_N + 1))
E2E_SOCK="sipsnoop-e2e-$$-$E2E_N"
t new-session -d -x 100 -y 30 -s e2e \
	"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='shell> ' bash --norc --noprofile -i"
check "shell ready" e2e_wait "shell>"
e2e_keys "$SIPSNOOP --rules data/rules.conf tests/data/remote-ntlm.cls.log" Enter
check "viewer opens" e2e_wait "6/6 msgs"
e2e_keys j C-z
check "C-z stops it" e2e_wait "Stopped"
check "terminal back to the shell" \
	[ "$(t display-message -p -t e2e '#{alternate_on}')" = 0 ]
e2e_keys "fg" Enter
check "fg redraws the viewer" e2e_wait " 2/6"
e2e_keys q
check "q after fg leaves the shell clean" e2e_wait_gone "Messages"
e2e_done
