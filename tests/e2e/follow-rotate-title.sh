#!/bin/sh
# A followed file truncated or rotated is read again from its start as
# another input of the same name; the title named it once more each time:
# after two rotations "live.cls.log [cls], other.cls.log [cls],
# live.cls.log [cls], +1 more", the same log three times. It is named
# once, the other logs as they were; W still says what happened.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
cp tests/data/remote-ntlm.cls.log "$out/live.cls.log"
cp data/sample.cls.log "$out/other.cls.log"
# again ID: the log rotated (emptied), then written anew with Call-ID ID.
again() {
	: >"$out/live.cls.log"
	sed "s/9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01/$1/" \
		tests/data/remote-ntlm.cls.log >>"$out/live.cls.log"
}

e2e_start 160 30 --follow --rules data/rules.conf "$out/live.cls.log" \
	"$out/other.cls.log"
check "opens following both" e2e_wait "46/46 msgs"
check "both named" \
	e2e_wait "sipsnoop live.cls.log [cls], other.cls.log [cls]  46/46 msgs"
again 0000000000000000000000000000abc1
check "the rotated log read again" e2e_wait "52/52 msgs"
again 0000000000000000000000000000abc2
check "and once more" e2e_wait "58/58 msgs"
check "the title names it once, beside the other" \
	e2e_wait "sipsnoop live.cls.log [cls], other.cls.log [cls]  58/58 msgs"
e2e_keys W
check "W says it was read again" \
	e2e_wait "live.cls.log: truncated: reading it again from its start"
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
