#!/bin/sh
# --follow of one file that is empty (just rotated) or has only begun: the
# viewer waits for it to say its format, as tail -f does, saying so, and
# opens then; the tries on the way are not "inputs not read" (W). A file
# that turns out not to be a log is refused once long enough. Among other
# files the viewer opens at once, says it has not begun (title, W) and reads
# it when it begins.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-begun.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
log=$dir/fe.cls.log
: >"$log"

e2e_start 120 40 --rules data/rules.conf --follow "$log"
check "an empty file: the terminal says it waits" \
	e2e_wait "fe.cls.log: no SIP message yet (0 bytes); waiting for more (Ctrl-C quits)"
head -c 100 data/sample.cls.log >>"$log"
# Too little to tell yet, then enough.
head -c 3000 data/sample.cls.log | tail -c +101 >>"$log"
check "the viewer opens once the format shows" \
	e2e_wait_re "sipsnoop fe\\.cls\\.log \\[cls\\] +[0-9]+/[0-9]+ msgs +following"
not_unread() { ! e2e_screen | grep -q "not read"; }
check "and no input is said unread" not_unread
tail -c +3001 data/sample.cls.log >>"$log"
check "what comes is followed" e2e_wait "40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"

# Not a log, once long enough to tell: refused, as without --follow.
: >"$dir/junk.log"
e2e_start 120 40 --rules data/rules.conf --follow "$dir/junk.log"
check "junk: waits first" e2e_wait "waiting for more"
head -c 9000 /dev/zero | tr '\0' 'x' >>"$dir/junk.log"
check "then refused" e2e_wait "junk.log: no SIP messages found"
check "with exit 1" e2e_wait "exit=1"

# Among other files (it was refused): the viewer opens with the others at
# once and shows its messages when they come; once F stopped following,
# it says it was not read.
: >"$dir/empty.log"
e2e_start 120 40 --rules data/rules.conf --follow tests/data/call-busy.raw.sip "$dir/empty.log"
check "among others: opens with them" e2e_wait "11/11 msgs"
no_unread() { ! e2e_screen | grep -q "not read"; }
check "and does not refuse it" no_unread
check "the title says it has not begun" e2e_wait "following, 1 input not begun (W)"
e2e_keys W
check "W names it" e2e_wait "1 input not begun yet (followed: read when it is):"
check "W does not claim a clean read" e2e_wait_gone "every input was read cleanly"
e2e_keys q
# F stops following: nothing reads it now, so neither the title nor W
# says it is awaited any more (they did); F again waits for it again.
e2e_keys F
check "F stops following" e2e_wait "stopped following"
check "the title says it was not read" \
	e2e_wait_re "^sipsnoop call-busy\.raw\.sip \[raw\]  11/11 msgs +1 input not read \(W\)$"
check "and no longer that it is awaited" e2e_wait_gone "not begun"
e2e_keys W
check "W: not read, and why" \
	e2e_wait "1 input was not read: it had not begun when following stopped (F follows it again):"
e2e_keys q F
check "F follows again" e2e_wait "following, 1 input not begun (W)"
cat data/sample.cls.log >>"$dir/empty.log"
check "its messages come when it begins" e2e_wait "51/51 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"
e2e_done
