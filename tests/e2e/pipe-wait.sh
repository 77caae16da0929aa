#!/bin/sh
# Standard input that stays silent: before its first screen the viewer says
# what it waits for, and Ctrl-C leaves; once the writer writes, the line is
# gone and the messages show. A writer that sends a little and pauses does
# not hold the first screen either.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-pipe-wait.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
mkfifo "$dir/p"

# writer: nothing until $dir/go exists, then the sample.
writer() {
	{
		while [ ! -e "$dir/go" ]; do sleep 0.05; done
		cat data/sample.cls.log
	} >"$dir/p"
}

writer &
e2e_start 120 40 - "<$dir/p"
check "a silent pipe: the terminal says what the viewer waits for" \
	e2e_wait "sipsnoop: waiting for standard input (Ctrl-C quits)"
touch "$dir/go"
check "the messages show once the pipe is written" \
	e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
check "the waiting line is gone" e2e_wait_gone "waiting for standard input"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

rm -f "$dir/go"
writer &
e2e_start 120 40 - "<$dir/p"
check "again waiting" e2e_wait "waiting for standard input"
e2e_keys C-c
# The shell that ran it goes with it, and so does the pane.
left() {
	end=$(( $(date +%s) + E2E_TIMEOUT ))
	while t has-session -t e2e 2>/dev/null &&
	    ! e2e_screen | grep -q "exit="; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.05
	done
}
check "Ctrl-C leaves while waiting" left
touch "$dir/go"
wait

# A writer that sends a little (less than the probe would read) and pauses:
# the first screen still shows at once.
small() {
	{
		head -c 3000 data/sample.cls.log
		while [ ! -e "$dir/go" ]; do sleep 0.05; done
		tail -c +3001 data/sample.cls.log
	} >"$dir/p"
}
rm -f "$dir/go"
small &
e2e_start 120 40 - "<$dir/p"
check "a little then a pause: the first screen shows" \
	e2e_wait_re "sipsnoop - \\[cls\\] +0/0 msgs +reading"
touch "$dir/go"
check "and the messages once the writer is done" \
	e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

# The same compressed: the probe needs its start inflated.
gzip -c data/sample.cls.log >"$dir/s.gz"
cat "$dir/s.gz" >"$dir/p" &
e2e_start 120 40 - "<$dir/p"
check "a gzip pipe" e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

# A named pipe given by its name: the same, and what its writer sent
# before it went is read (the viewer held the pipe open meanwhile).
rm -f "$dir/go"
e2e_start 120 40 "$dir/p"
check "a named pipe: the terminal says what the viewer waits for" \
	e2e_wait "waiting for $dir/p (Ctrl-C quits)"
cat data/sample.cls.log >"$dir/p"
check "written and closed: the messages show" \
	e2e_wait_re "sipsnoop p \\[cls\\] +40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"

# A pipe that has something at once shows no such line.
e2e_start 120 40 - "<data/sample.cls.log"
check "input at once: the messages" e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
no_wait_line() { ! e2e_screen | grep -q "waiting for standard input"; }
check "and no waiting line was left" no_wait_line
e2e_done
