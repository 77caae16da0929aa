#!/bin/sh
# F on standard input, a pipe read without --follow: it is read to its
# end, and cannot be followed afterwards (what its writer still writes is
# not read as it comes). F said only "no file can be followed (W lists the
# warnings that say why)"; the status line says why itself, while the pipe
# is being read and once it ended, and F again says it again.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-pipe-follow-key.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
mkfifo "$dir/p"

# writer: a little, then the rest once $dir/go exists.
writer() {
	{
		head -c 3000 data/sample.cls.log
		while [ ! -e "$dir/go" ]; do sleep 0.05; done
		tail -c +3001 data/sample.cls.log
	} >"$dir/p"
}

why="-: a pipe, read to its end without --follow: not followed (with --follow it is read as it comes)"
writer &
e2e_start 140 40 --rules data/rules.conf - "<$dir/p"
check "the pipe is being read" e2e_wait_re "sipsnoop - \\[cls\\] +0/0 msgs +reading"
e2e_keys F
check "F while it is read: the status line says why" e2e_wait "$why"
no_generic() { ! e2e_screen | grep -q "no file can be followed"; }
check "not only that W says why" no_generic
check "nor that it follows" sh -c '! tmux -L "$1" capture-pane -p -t e2e | grep -q "following:"' sh "$E2E_SOCK"
touch "$dir/go"
check "the messages once the writer is done" \
	e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
e2e_keys a
check "another status line" e2e_wait "flow: "
e2e_keys F
check "F once it ended: why again" e2e_wait "$why"
e2e_keys W
check "W lists the same warning" \
	e2e_wait " -: a pipe, read to its end without --follow"
e2e_keys q q
check "quits" e2e_wait "exit=0"
wait
e2e_done
