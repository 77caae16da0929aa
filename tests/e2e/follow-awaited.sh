#!/bin/sh
# --follow: a 401 just read, its client's answer not come yet, is awaiting
# it (info), not the error of an unanswered challenge (a live view showed
# every registration red for a moment); answered, it is an expected
# challenge; not answered within the wait (SIPSNOOP_ANSWER_WAIT_MS), it is
# rated unanswered; once F stops following before, the trace ends soon
# after it: outcome unknown (a warning), in the report too.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e-awaited.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
log=$out/live.cls.log
# Records first to second (REGISTER, 401), third to sixth (the answer).
records() {
	awk -v a="$1" -v b="$2" '
		/\$\$begin_record$/ { n++ }
		n >= a && n <= b { print }' tests/data/remote-ntlm.cls.log
}
: >"$log"

# Long enough to see the 401 awaiting its answer on a loaded machine.
E2E_ENV="SIPSNOOP_ANSWER_WAIT_MS=12000"
e2e_start 120 40 --follow --rules data/rules.conf "$log"
# Appended once the viewer waits for it: what a file holds when it is
# opened is no news, and is not awaited.
check "waits for the empty file" e2e_wait "waiting for more"
records 1 2 >>"$log"
check "the REGISTER and its 401" e2e_wait "2/2 msgs"
e2e_keys G
check "the 401 awaits its answer" e2e_wait "INFO (auth-challenge-awaited)"
timeout=$E2E_TIMEOUT
E2E_TIMEOUT=30
check "not answered in time: unanswered" \
	e2e_wait "ERROR (auth-challenge-unanswered)"
E2E_TIMEOUT=$timeout
records 3 6 >>"$log"
check "the answer comes late" e2e_wait "6/6 msgs"
e2e_keys g Down
check "the 401 is answered after all" \
	e2e_wait "(auth-handshake-opened)"
e2e_keys q
check "quits" e2e_wait "exit=0"

# F stops following: what was awaited is rated at once.
: >"$log"
E2E_ENV="SIPSNOOP_ANSWER_WAIT_MS=600000"
e2e_start 120 40 --follow --rules data/rules.conf "$log"
check "F: waits for the empty file" e2e_wait "waiting for more"
records 1 2 >>"$log"
check "F: the REGISTER and its 401" e2e_wait "2/2 msgs"
e2e_keys G
check "F: the 401 awaits its answer" e2e_wait "INFO (auth-challenge-awaited)"
e2e_keys F
check "F: stopped following" e2e_wait "stopped following"
check "F: the trace ends soon after the 401: unknown, not an error" \
	e2e_wait "WARNING (auth-challenge-trace-end)"
check "F: its explanation says so" \
	e2e_wait "(auth-challenge-trace-end): outcome unknown: the"
e2e_keys R
check "F: the report says so too, not 'not registered'" \
	e2e_wait "remote user; outcome unknown: the"
no_not_registered() { ! e2e_screen | grep -q "not registered"; }
check "F: and not 'not registered'" no_not_registered
e2e_keys q q
check "F: quits" e2e_wait "exit=0"
e2e_done
