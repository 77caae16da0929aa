#!/bin/sh
# The flow pane marks a change of day on a line of its own, as --flow
# does: the date when the log gives one, "+1d" past midnight of a log that
# gives the time of day alone. It drew 23:59:59.210 then 00:10:01.300 as
# if on one day.
. "$(dirname "$0")/lib.inc"

e2e_start 120 40 --rules data/rules.conf tests/data/cross-day.sngrep.txt
check "opens" e2e_wait "5/5 msgs"
check "--flow writes the day" sh -c \
	"$SIPSNOOP --flow --width 100 tests/data/cross-day.sngrep.txt | grep -q '^2025-03-12 '"
# The line after the ACK's arrow (its time), and the one after it.
after() { e2e_screen | grep -A1 -- "$1" | tail -n 1; }
check "the flow pane too, after the ACK of the 11th" \
	sh -c 'case "$1" in *"│ 2025-03-12  "*) ;; *) exit 1;; esac' sh "$(after '│ 23:59:59.210000 ')"
check "before the BYE" \
	sh -c 'case "$1" in *BYE*) ;; *) exit 1;; esac' sh "$(after '│ 2025-03-12 ')"

e2e_start 100 30 --rules data/rules.conf tests/data/fmt/freeswitch-midnight.log
check "opens a log of times of day" e2e_wait "4/4 msgs"
check "+1d past midnight" e2e_wait_re "│ \+1d +│ +│$"
check "after the INVITE of the first day, before the 180" \
	sh -c 'case "$1" in *"180 Ringing"*) ;; *) exit 1;; esac' sh "$(after '│ +1d ')"
e2e_done
