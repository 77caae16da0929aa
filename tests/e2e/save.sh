#!/bin/sh
# s saves the shown messages in their original format (a capture as
# sngrep text); refuses to overwrite an input file, asks before
# overwriting another file.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
cp tests/data/remote-ntlm.cls.log "$out/input.cls.log"
sum_before=$(cksum < "$out/input.cls.log")

e2e_start 120 40 --rules data/rules.conf "$out/input.cls.log"
check "opens" e2e_wait "6/6 msgs"
e2e_keys f
e2e_keys -l "status:401"
e2e_keys Enter
check "filter to the two 401s" e2e_wait "2/6 msgs"
e2e_keys s
check "s asks for a name" e2e_wait "save shown messages to:"
e2e_keys -l "$out/input.cls.log"
e2e_keys Enter
check "refuses to write the input" e2e_wait "is an input file"
check "input untouched" [ "$(cksum < "$out/input.cls.log")" = "$sum_before" ]
e2e_keys s
e2e_keys -l "$out/two.log"
e2e_keys Enter
check "saved" e2e_wait "saved 2 messages"
check "saved file has the two records" \
	[ "$(grep -c 'Start-Line: SIP/2.0 401' "$out/two.log")" = 2 ]
check "saved records are the original text" \
	grep -q 'begin_record' "$out/two.log"
e2e_keys s
e2e_keys -l "$out/two.log"
e2e_keys Enter
check "asks before overwriting" e2e_wait "overwrite? (y/n)"
e2e_keys n
check "n keeps the file" e2e_wait "not saved"
e2e_keys q
check "quits" e2e_wait "exit=0"

# A capture has no text of its own to copy: sngrep text, with its times
# and addresses, which reads back.
e2e_start 120 40 --rules data/rules.conf tests/data/pcap/call-udp.pcapng
check "a capture opens" e2e_wait_re "call-udp.pcapng \\[pcap\\] +[0-9]+/[0-9]+ msgs"
e2e_keys s
e2e_keys -l "$out/cap.txt"
e2e_keys Enter
check "saved as sngrep text" e2e_wait "as sngrep text"
check "it reads back with times and addresses" [ \
	"$($SIPSNOOP --no-rules --list tests/data/pcap/call-udp.pcapng 2>/dev/null)" = \
	"$($SIPSNOOP --no-rules --list "$out/cap.txt" 2>/dev/null)" ]
e2e_keys q
check "quits the capture" e2e_wait "exit=0"

# A log that gives the time of day alone, past midnight: sngrep text on
# day 0000/01/01 and the next (no date), which reads back as the same
# times of day on the same days (00:00:00.100+1d), not on 1970-01-01.
e2e_start 120 40 --rules data/rules.conf tests/data/fmt/baresip-midnight.log
check "a time-of-day log opens" e2e_wait "4/4 msgs"
e2e_keys s
e2e_keys -l "$out/tod.txt"
e2e_keys Enter
check "saved as sngrep text" e2e_wait "as sngrep text"
check "on day 0000/01/01, then the next" \
	[ "$(cut -c1-10 "$out/tod.txt" | grep -c '^0000/01/0[12]$')" = 4 ]
check "no 1970 date" sh -c "! grep -q '^1970/' '$out/tod.txt'"
check "it reads back with the same times and days" [ \
	"$($SIPSNOOP --no-rules --list "$out/tod.txt" 2>/dev/null | awk '{ print $2 }' | tr '\n' ' ')" = \
	"23:59:59.900000 00:00:00.100000+1d 00:00:00.200000+1d 00:00:00.450000+1d " ]
e2e_keys q
check "quits the time-of-day log" e2e_wait "exit=0"

# An end the log does not give (SIPp does not log its peer's address),
# saved as sngrep text with a log of another format: "?", as --list
# writes it, which reads back as an end unknown (it was "-", read back as
# an address "-"); SIPp's own end, as --list names it beside another
# server's log.
ends() { $SIPSNOOP --no-rules --list "$@" 2>/dev/null | awk '{ print $4, $5, $6 }'; }
e2e_start 120 40 --no-rules tests/data/fmt/sipp-new.log tests/data/remote-ntlm.cls.log
check "two formats open" e2e_wait "17/17 msgs"
e2e_keys s
e2e_keys -l "$out/ends.txt"
e2e_keys Enter
check "saved as sngrep text" e2e_wait "as sngrep text"
check "an unknown end is written ?" grep -q '^2025/03/11 08:15:11.205851 local(sipp-new.log) -> ?$' "$out/ends.txt"
check "and never -" sh -c "! grep -q -e ' - -> ' -e ' -> -\$' '$out/ends.txt'"
check "it reads back unknown" [ \
	"$(ends tests/data/fmt/sipp-new.log tests/data/remote-ntlm.cls.log)" = \
	"$(ends "$out/ends.txt")" ]
check "not as an address" sh -c "$SIPSNOOP --no-rules --list --json '$out/ends.txt' | grep -q '\"src\":\"local(sipp-new.log)\",\"dst\":null'"
e2e_keys q
check "quits the two formats" e2e_wait "exit=0"

# Standard input redirected from a file, and an input that could not be
# read, are inputs too: never written (the first was truncated to NULs).
cp tests/data/remote-ntlm.cls.log "$out/stdin.cls.log"
sum_stdin=$(cksum <"$out/stdin.cls.log")
e2e_start 120 40 --rules data/rules.conf - "<" "$out/stdin.cls.log"
check "opens standard input" e2e_wait "6/6 msgs"
e2e_keys s
e2e_keys -l "$out/stdin.cls.log"
e2e_keys Enter
check "refuses to write standard input's file" e2e_wait "is an input file"
check "standard input's file untouched" [ "$(cksum <"$out/stdin.cls.log")" = "$sum_stdin" ]
e2e_keys q
check "quits" e2e_wait "exit=0"
printf 'just notes\n' >"$out/notes.txt"
e2e_start 120 40 --rules data/rules.conf tests/data/remote-ntlm.cls.log "$out/notes.txt"
check "opens, one input not read" e2e_wait "6/6 msgs"
e2e_keys s
e2e_keys -l "$out/notes.txt"
e2e_keys Enter
check "refuses to write an input that was not read" e2e_wait "is an input file"
check "that input untouched" [ "$(cat "$out/notes.txt")" = "just notes" ]
e2e_done
