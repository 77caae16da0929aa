#!/bin/sh
# W open while a followed file is truncated shows the warning that comes,
# and the title counts it, following or not.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
cp tests/data/remote-ntlm.cls.log "$out/live.cls.log"

e2e_start 120 30 --follow --rules data/rules.conf "$out/live.cls.log"
check "opens following" e2e_wait "following"
e2e_keys W
check "no warnings yet" e2e_wait "no warnings: every input was read cleanly"
: >"$out/live.cls.log"
head -n 30 tests/data/remote-ntlm.cls.log >"$out/live.cls.log"
check "the truncation shows in W" e2e_wait "live.cls.log: truncated"
check "and the clean read is no longer claimed" \
	e2e_wait_gone "no warnings: every input was read cleanly"
e2e_keys q
# The title counts it while following too, as it does when not: it said
# "following" alone, and the warning went unannounced.
check "the title says following and the warning" \
	e2e_wait_re "msgs +following, 1 warning \\(W\\)\$"
e2e_keys F
check "F stops: the warning alone" e2e_wait_re "msgs +1 warning \\(W\\)\$"
e2e_done
