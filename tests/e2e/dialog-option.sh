#!/bin/sh
# --dialog N in the viewer opens dialog N as --dialogs numbers it (also
# after several files are merged in time order, which renumbers them);
# a dialog that does not exist is said on the status line, and the exit
# status is 2 as in batch output; following, it is waited for.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --dialog 3 data/sample.cls.log
check "opens dialog 3" e2e_wait "9/40 msgs  filter: callid:e3a91c5f0b2d47c8a6e1f93d4b7c2a80"
check "the status line says so" e2e_wait "dialog 3: 9 messages  (Esc: all)"
e2e_keys Escape
check "Esc shows every message" e2e_wait "40/40 msgs"
e2e_keys q
check "quits" e2e_wait "exit=0"

# Indexed in file order, dialog 2 would be reg-rejected's; merged in time
# order it is the one --dialogs numbers 2.
files="tests/data/remote-ntlm.cls.log tests/data/call-cancel.cls.log tests/data/reg-rejected.cls.log"
want=$($SIPSNOOP --no-rules --dialogs $files | awk '$1 == 2 { print $NF }')
e2e_start 200 40 --dialog 2 $files
check "opens the dialog --dialogs numbers 2 ($want)" e2e_wait "filter: callid:$want"
e2e_keys q
check "quits" e2e_wait "exit=0"

e2e_start 120 40 --dialog 99 data/sample.cls.log
check "says there is no such dialog" e2e_wait "no dialog 99 (there are 7): showing every message"
check "shows every message" e2e_wait "40/40 msgs"
e2e_keys q
check "quits with the status of bad usage" e2e_wait "exit=2"
check "and says why" e2e_wait "sipsnoop: no dialog 99 (there are 7)"

# Following, a dialog that is not there yet is waited for and opened when
# it comes (it was "no dialog" and exit status 2 at once).
out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
head -n 15 tests/data/reg-digest.sngrep.txt >"$out/live.txt"
e2e_start 120 40 --follow --dialog 1 "$out/live.txt"
check "following: waits for dialog 1" e2e_wait "no dialog 1 yet (there are 1): waiting for it"
tail -n +16 tests/data/reg-digest.sngrep.txt >>"$out/live.txt"
check "opens it when it comes" e2e_wait "dialog 1: 7 messages  (Esc: all)"
e2e_keys q
check "quits" e2e_wait "exit=0"

# While it waits, the count it gives follows the dialogs that come (it
# kept the count of its first look), and it stays said while it waits.
head -n 112 data/sample.cls.log >"$out/wait.cls.log"
e2e_start 120 40 --follow --dialog 5 "$out/wait.cls.log"
check "waits for dialog 5" e2e_wait "no dialog 5 yet (there are 1): waiting for it"
sed -n '113,317p' data/sample.cls.log >>"$out/wait.cls.log"
check "the count follows" e2e_wait "no dialog 5 yet (there are 3): waiting for it"
# Keys do not make it go while dialog 5 is still waited for (the next key
# took it away): a key's own message, then the wait again.
e2e_keys t
check "a key's message" e2e_wait "time: delta from the previous shown message"
e2e_keys j
check "then the wait is said again" \
	e2e_wait "no dialog 5 yet (there are 3): waiting for it"
# Once following stops, it is no longer waited for: it is a dialog that
# does not exist, as without --follow; F again waits again.
e2e_keys F
check "F stops following, and dialog 5 is said not there" \
	e2e_wait "stopped following: no dialog 5 (there are 3): showing every message"
e2e_keys j
check "no longer said waited for" e2e_wait "? help  / search"
e2e_keys F
check "F follows again" e2e_wait "following: messages appended"
e2e_keys j
check "waited for again" e2e_wait "no dialog 5 yet (there are 3): waiting for it"
tail -n +318 data/sample.cls.log >>"$out/wait.cls.log"
check "opens dialog 5 when it comes" e2e_wait_re "dialog 5: [0-9]+ messages"
e2e_keys q
check "quits after waiting" e2e_wait "exit=0"

# A dialog that never came, once following stopped: quitting gives the exit
# status of one that does not exist, 2, as without --follow (it gave 0).
head -n 112 data/sample.cls.log >"$out/never.cls.log"
e2e_start 120 40 --follow --dialog 5 "$out/never.cls.log"
check "waits for dialog 5, never written" \
	e2e_wait "no dialog 5 yet (there are 1): waiting for it"
e2e_keys F
check "F stops following" \
	e2e_wait "stopped following: no dialog 5 (there are 1): showing every message"
e2e_keys q
check "quits with the status of bad usage" e2e_wait "exit=2"
check "and says why" e2e_wait "sipsnoop: no dialog 5 (there are 1)"

# Likewise when the followed pipe ends before dialog 5 came.
mkfifo "$out/p"
{
	head -n 112 data/sample.cls.log
	while [ ! -e "$out/go" ]; do sleep 0.05; done
} >"$out/p" &
e2e_start 120 40 --follow --dialog 5 - "<$out/p"
check "a pipe: waits for dialog 5" \
	e2e_wait "no dialog 5 yet (there are 1): waiting for it"
touch "$out/go"
check "the pipe ends: dialog 5 is said not there" \
	e2e_wait "no dialog 5 (there are 1): showing every message"
e2e_keys q
check "quits with status 2" e2e_wait "exit=2"
wait
e2e_done
