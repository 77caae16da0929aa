#!/bin/sh
# Inputs that could not be read are listed by W, with why, and the title
# says so: missing, a damaged gzip, a file read as a --format it is not.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-unread.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
# A gzip stream damaged after its header.
{ gzip -c data/sample.cls.log | head -c 10; printf '%0500d' 0 | tr 0 x; } \
	>"$dir/damaged.log.gz"

e2e_start 120 40 /nonexistent/missing.log data/sample.cls.log
check "the readable input is shown" e2e_wait "REGISTER sip:"
check "the title says an input was not read" e2e_wait "1 input not read (W)"
e2e_keys W
check "W says an input was not read" e2e_wait "1 input was not read:"
check "W names it and says why" e2e_wait_re "/nonexistent/missing.log: .*(No such file|not found)"
check "W does not claim a clean read" e2e_wait_gone "every input was read cleanly"
e2e_keys q q
check "quits with the status of an unreadable input" e2e_wait "exit=1"

e2e_start 120 40 "$dir/damaged.log.gz" tests/data/remote-ntlm.cls.log
check "the other input is shown" e2e_wait "remote-ntlm.cls.log [cls]"
check "the title says an input was not read" e2e_wait "1 input not read (W)"
check "the title does not name it among those read" e2e_wait_gone "damaged.log.gz ["
e2e_keys W
check "W names the damaged gzip and says why" \
	e2e_wait "damaged.log.gz: the gzip data gives nothing (empty, or damaged"
e2e_keys q q
check "quits with the status of an unreadable input" e2e_wait "exit=1"

e2e_start 120 40 --format uccapi data/sample.cls.log tests/data/remote-ntlm.uccapilog
check "the input of that format is shown" e2e_wait "6/6 msgs"
check "the title says an input was not read" e2e_wait "1 input not read (W)"
e2e_keys W
check "W says it is not of that format" \
	e2e_wait "data/sample.cls.log: no SIP messages found (read as uccapi)"
e2e_keys q q
check "quits with the status of an unreadable input" e2e_wait "exit=1"

# Nothing readable at all: the list says so (not "yet").
e2e_start 120 40 --format sipp data/sample.cls.log
check "no input read" e2e_wait "1 input not read (W)"
check "the list says the inputs could not be read" \
	e2e_wait "no messages: the inputs could not be read (W says why)"
e2e_keys q
check "quits" e2e_wait "exit=1"

e2e_start 120 40 data/sample.cls.log
check "a clean input" e2e_wait "40/40 msgs"
e2e_keys W
check "W says every input was read cleanly" e2e_wait "every input was read cleanly"
e2e_keys q q
check "quits" e2e_wait "exit=0"
# At 80 columns a long path does not hide why: the line goes on below.
mkdir -p "$dir/logs/frontend-pool-01.uclab.org/2026-11-27"
long="$dir/logs/frontend-pool-01.uclab.org/2026-11-27/SIPStack-trace.log"
printf 'just notes\n' >"$long"
e2e_start 80 24 data/sample.cls.log "$long"
check "80 columns: opens" e2e_wait "1 input not read (W)"
e2e_keys W
check "the reason of a long path's line shows, below it" e2e_wait "found"
e2e_keys q q
e2e_done
