#!/bin/sh
# Syslog and journal lines (Asterisk's log through journalctl) followed as
# they come: a growing file (--follow, and F after reading it whole) and a
# pipe (journalctl -f | sipsnoop --follow -). A message whose lines have
# not all come is not shown half: it waits (--follow), or is completed
# where it stands (F); the whole log gives the 14 messages it gives read
# at once.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-syslog.XXXXXX)
trap 'e2e_cleanup; exec 3>&-; rm -rf "$dir"' EXIT INT TERM
src=tests/data/fmt/syslog-asterisk-journal.log
# Cut within the third message (a REGISTER), before its Call-ID.
head -n 40 "$src" >"$dir/a.log"

e2e_start 120 40 --follow --rules data/rules.conf "$dir/a.log"
check "--follow: the two whole messages" e2e_wait "2/2 msgs"
check "following" e2e_wait "following"
tail -n +41 "$src" >>"$dir/a.log"
check "--follow: the rest appended, all 14" e2e_wait "14/14 msgs"
e2e_keys G
check "the last one is the 200 to the BYE" e2e_wait "200 OK"
e2e_keys W
check "--follow: no warning" e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"

# F: read whole, the third message shown cut short; completed in place.
head -n 40 "$src" >"$dir/b.log"
e2e_start 120 40 --rules data/rules.conf "$dir/b.log"
check "read whole: three messages" e2e_wait "3/3 msgs"
e2e_keys G
check "the third shown cut short" e2e_wait "[truncated]"
e2e_keys F
check "F follows" e2e_wait "following"
tail -n +41 "$src" >>"$dir/b.log"
check "F: the rest appended, all 14" e2e_wait "14/14 msgs"
e2e_keys g Down Down
check "the third selected" e2e_wait " 3/14"
check "the third is whole now" e2e_wait_gone "[truncated]"
check "with its Call-ID" e2e_wait "Call-ID: 5a1f0c2e7d9b4e31@198.51.100.23"
e2e_keys W
check "F: no warning left" e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"

# A pipe: its messages show before it ends.
mkfifo "$dir/fifo"
e2e_start 120 40 --follow --rules data/rules.conf - "<$dir/fifo"
exec 3>"$dir/fifo"
head -n 40 "$src" >&3
check "pipe: the two whole messages, before its end" e2e_wait "2/2 msgs"
tail -n +41 "$src" >&3
check "pipe: all 14" e2e_wait "14/14 msgs"
exec 3>&-
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
