#!/bin/sh
# s to a named pipe: while nobody reads it the viewer goes on answering
# keys and says what it waits for; Esc or C-c cancel the save and say so,
# and SIGTERM ends the viewer (it was blocked in open(2) or write(2),
# SIGTERM held off, C-c never read). With a reader the save completes.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; [ -n "$rpid" ] && kill "$rpid" 2>/dev/null; rm -rf "$out"' EXIT INT TERM
mkfifo "$out/fifo"

viewer_pid() {
	pid=$(t display-message -p -t e2e '#{pane_pid}')
	pgrep -P "$pid" | head -1
}

e2e_start 120 40 --rules data/rules.conf data/sample.cls.log
check "opens" e2e_wait "40/40 msgs"
e2e_keys s
e2e_keys -l "$out/fifo"
e2e_keys Enter
check "no reader: it says it waits for one" \
	e2e_wait "waiting for a reader of the pipe  (Esc or C-c cancels)"
e2e_keys C-c
check "C-c cancels the save and says so" \
	e2e_wait "save to $out/fifo cancelled: no reader came"
e2e_keys j
check "the viewer still answers keys" e2e_wait_re "^ Messages +2/40$"
e2e_keys s
e2e_keys -l "$out/fifo"
e2e_keys Enter
check "waiting again" e2e_wait "waiting for a reader of the pipe"
e2e_keys Escape
check "Esc cancels it too" e2e_wait "cancelled: no reader came"
e2e_keys s
e2e_keys -l "$out/fifo"
e2e_keys Enter
check "and again" e2e_wait "waiting for a reader of the pipe"
vpid=$(viewer_pid)
[ -n "$vpid" ] && kill -TERM "$vpid"
check "SIGTERM ends the viewer" e2e_wait "exit=143"
check "saying the save was cancelled" \
	e2e_wait "sipsnoop: save to $out/fifo cancelled: no reader came"

# A reader that never reads: the pipe fills (70 KB, more than a pipe
# holds) and the save waits for it to read.
e2e_start 120 40 --rules data/rules.conf tests/data/large.raw.sip
check "opens a large message" e2e_wait "2/2 msgs"
sleep 600 <"$out/fifo" &
rpid=$!
e2e_keys s
e2e_keys -l "$out/fifo"
e2e_keys Enter
check "a reader that does not read: it says it waits for it" \
	e2e_wait "waiting for the reader of $out/fifo"
e2e_keys C-c
check "C-c cancels it, saying how far it got" \
	e2e_wait "save to $out/fifo cancelled: 0 of 2 messages written"
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
rpid=

# A reader that reads: saved.
cat "$out/fifo" >"$out/got" &
rpid=$!
e2e_keys s
e2e_keys -l "$out/fifo"
e2e_keys Enter
check "with a reader the save completes" e2e_wait "saved 2 messages to $out/fifo"
wait "$rpid"
rpid=
check "what was read is the two messages" \
	cmp -s "$out/got" tests/data/large.raw.sip
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
