#!/bin/sh
# --follow of a log whose last line, without its line break, is junk: W
# shows the warning once the file has been quiet for a second, as reading
# the file whole warns (it never came); when the line is finished, it is
# the same one warning.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
log=$out/live.sip
cp tests/data/call-busy.raw.sip "$log"
printf '%s' '-- capture sto' >>"$log"

e2e_start 120 30 --follow --rules data/rules.conf "$log"
check "opens following" e2e_wait "11/11 msgs"
e2e_keys W
check "once quiet, the junk at the end is warned about" \
	e2e_wait "skipped 1 line outside any SIP message"
printf 'pped\n' >>"$log"
cat tests/data/call-busy.raw.sip >>"$log"
check "what comes after it is read" e2e_wait "22/22 msgs"
one_warning() { [ "$(e2e_screen | grep -c 'skipped 1 line outside')" = 1 ]; }
check "and the line is warned about once" one_warning
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
