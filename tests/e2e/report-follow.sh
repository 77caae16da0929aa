#!/bin/sh
# The registration report open while a followed file grows (or while
# indexing goes on) shows the registrations that come, on the same row.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
# The first 200 lines: izabelaf's registration and marinof's first
# REGISTER and its 401.
head -n 200 data/sample.cls.log >"$out/live.cls.log"

e2e_start 120 30 --follow --rules data/rules.conf "$out/live.cls.log"
check "opens following" e2e_wait "following"
e2e_keys R
check "two registrations so far" e2e_wait "registration 1 of 2  Enter: flow"
e2e_keys Down
check "marinof's is not registered yet" \
	e2e_wait_re "sip:marinof@uclab\.org .* 1 401 Unauthorized"
sed -n '201,$p' data/sample.cls.log >>"$out/live.cls.log"
check "the report shows the third one" e2e_wait "registration 2 of 3  Enter: flow"
check "and marinof's 200 OK" \
	e2e_wait_re "sip:marinof@uclab\.org .* 2 200 OK"
check "the selection stayed on marinof's" \
	e2e_wait_re "^ sip:marinof@uclab\.org from 172\.31\.255\.247:51311"
e2e_done
