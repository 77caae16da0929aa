#!/bin/sh
# SIGINT that comes while the screen is being drawn ends the viewer: it was
# caught, and then the viewer waited for a key (kill brings none). strace
# holds each write to the terminal for a moment, so that the signal comes
# in the middle of the first screen, deterministically. Skipped without
# strace or without the right to trace.
. "$(dirname "$0")/lib.inc"

command -v strace >/dev/null 2>&1 || { echo "ok - skipped: no strace"; e2e_done; exit; }
strace -o /dev/null true 2>/dev/null || { echo "ok - skipped: cannot trace here"; e2e_done; exit; }

out=/tmp/sipsnoop-e2e-strace-$$
trap 'rm -f "$out"; e2e_cleanup' EXIT INT TERM
# -P: only the writes to the terminal are held. LeakSanitizer cannot run
# under ptrace (a SANITIZE=1 build).
SIPSNOOP="env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -o $out -e trace=write -e inject=write:delay_exit=60000 -P /dev/tty -P \$(tty) $SIPSNOOP"
e2e_start 100 30 --rules data/rules.conf tests/data/remote-ntlm.cls.log
E2E_TIMEOUT=30
check "the first screen is being drawn" e2e_wait "6/6 msgs"
# The pane's shell runs strace (env execs it), which runs the viewer.
pid=$(t display-message -p -t e2e '#{pane_pid}')
spid=$(pgrep -P "$pid" | head -1)
vpid=$(pgrep -P "$spid" | head -1)
[ -n "$vpid" ] && kill -INT "$vpid"
check "SIGINT in the middle of a draw ends the viewer" e2e_wait_re "exit=130"
e2e_done
