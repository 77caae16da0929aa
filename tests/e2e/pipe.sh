#!/bin/sh
# A pipe is read beside the viewer: the first screen shows at once with how
# much has come, the messages once the writer is done, and quitting does
# not wait for a writer that holds the rest back.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-pipe.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
mkfifo "$dir/p"

# writer: the first half of the sample (more than the start read before
# the viewer opens), then the rest once $dir/go exists.
writer() {
	size=$(wc -c <data/sample.cls.log)
	half=$((size / 2))
	{
		head -c "$half" data/sample.cls.log
		while [ ! -e "$dir/go" ]; do sleep 0.05; done
		tail -c +"$((half + 1))" data/sample.cls.log
	} >"$dir/p"
}

writer &
e2e_start 120 40 - "<$dir/p"
check "the first screen shows while the pipe is written" \
	e2e_wait_re "sipsnoop - \\[cls\\] +0/0 msgs +reading [0-9.]+ MB"
check "and says nothing is listed yet" e2e_wait "no messages (yet)"
check "and why: a pipe is read to its end first, --follow reads it live" \
	e2e_wait "a pipe is read to its end first; --follow shows it as it comes"
touch "$dir/go"
check "the messages come once the writer is done" \
	e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
check "they are listed" e2e_wait "REGISTER sip:uclab.org"
e2e_keys F
check "F says a pipe cannot be followed, and why" \
	e2e_wait "-: a pipe, read to its end without --follow: not followed"
check "and the title does not claim to follow" e2e_wait_gone " following "
e2e_keys t
check "(another key's message replaces it)" e2e_wait "time: "
e2e_keys F
check "F again says the same, not that following stopped" \
	e2e_wait "-: a pipe, read to its end without --follow: not followed"
check "(never that it stopped)" e2e_wait_gone "stopped following"
e2e_keys W
check "W says why: a pipe read to its end, not a file that is no pipe" \
	e2e_wait "a pipe, read to its end without --follow: not followed"
e2e_keys Escape
check "(closed)" e2e_wait_gone " Warnings "
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

# With --follow, a pipe is read as it comes: the first half's messages
# show while the writer holds the rest back.
rm -f "$dir/go"
writer &
e2e_start 120 40 --follow - "<$dir/p"
check "--follow: the messages written so far show" \
	e2e_wait_re "sipsnoop - \\[cls\\] +[1-9][0-9]*/[0-9]+ msgs +following"
not_all() { ! e2e_screen | grep -q '40/40 msgs'; }
check "and not the rest" not_all
touch "$dir/go"
check "the rest comes as it is written" e2e_wait_re "sipsnoop - \\[cls\\] +40/40 msgs"
check "following ends with the pipe" e2e_wait_gone " following"
e2e_keys q
check "quits" e2e_wait "exit=0"
wait

rm -f "$dir/go"
writer &
e2e_start 120 40 - "<$dir/p"
check "a pipe still being written" e2e_wait "reading"
e2e_keys q
check "quits without waiting for its writer" e2e_wait "exit=0"
touch "$dir/go"
wait
e2e_done
