#!/bin/sh
# --follow: messages appended to the file appear; a selection on the last
# message follows the end (tail -f), one elsewhere stays where it is.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
cp tests/data/remote-ntlm.cls.log "$out/live.cls.log"
more() {
	sed "s/9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01/$1/" \
		tests/data/remote-ntlm.cls.log >>"$out/live.cls.log"
}

e2e_start 120 40 --follow --rules data/rules.conf "$out/live.cls.log"
check "opens following" e2e_wait "following"
check "six messages" e2e_wait "6/6 msgs"
e2e_keys G
check "on the last message" e2e_wait " 6/6"
more 0000000000000000000000000000abc1
check "appended messages appear" e2e_wait "12/12 msgs"
check "the selection followed the end" e2e_wait " 12/12"
e2e_keys g
check "g goes to the top" e2e_wait " 1/12"
more 0000000000000000000000000000abc2
check "more messages appear" e2e_wait "18/18 msgs"
check "a selection elsewhere stays" e2e_wait " 1/18"

# F in the viewer, as in less: started without --follow.
cp tests/data/remote-ntlm.cls.log "$out/live.cls.log"
e2e_start 120 40 --rules data/rules.conf "$out/live.cls.log"
check "opens, not following" e2e_wait "6/6 msgs"
e2e_keys F
check "F starts following" e2e_wait "following"
e2e_keys G
more 0000000000000000000000000000abc3
check "F: appended messages appear" e2e_wait "12/12 msgs"
e2e_keys F
check "F again stops" e2e_wait "stopped following"
more 0000000000000000000000000000abc4
e2e_keys g
check "not following: nothing more is read" e2e_wait " 1/12"

# dialog:(...) while following: a message that comes brings its dialog's
# earlier ones (only the 403 was shown).
at=$(grep -n 'SIP/2.0 403' data/sample.cls.log | head -1 | cut -d: -f1)
cut=$(awk -v l="$at" 'NR < l && /begin_record/ { s = NR } END { print s }' data/sample.cls.log)
head -n $((cut - 1)) data/sample.cls.log >"$out/fd.cls.log"
e2e_start 120 40 --rules data/rules.conf --follow -f '"dialog:(status:403)"' "$out/fd.cls.log"
check "dialog filter, nothing yet" e2e_wait "filter: dialog:(status:403)"
tail -n +"$cut" data/sample.cls.log >>"$out/fd.cls.log"
check "the 403 brings its whole dialog" e2e_wait "5/40 msgs"

# A writer that ended its last record without a line break: once the file
# has been quiet a moment, that record is shown (it waited for ever), and
# when the line break and more come, nothing is shown twice.
head -c -1 tests/data/remote-ntlm.cls.log >"$out/nonl.cls.log"
e2e_start 120 40 --follow --rules data/rules.conf "$out/nonl.cls.log"
check "no final line break: the last record is shown" e2e_wait "6/6 msgs"
printf '\n' >>"$out/nonl.cls.log"
cat tests/data/remote-ntlm.cls.log >>"$out/nonl.cls.log"
check "then what comes, nothing twice" e2e_wait "12/12 msgs"
e2e_done
