#!/bin/sh
# Standard input named twice ("- -") is read once, as a file named twice
# is, with a note and exit status 0; it was refused as an input that could
# not be read (exit status 1).
set -u
bin=$SIPSNOOP
err=$(mktemp) || exit 1
trap 'rm -f "$err"' EXIT
out=$($bin --stats - - < tests/data/remote-ntlm.cls.log 2>"$err")
rc=$?
[ "$rc" -eq 0 ] || { echo "stdin-twice: exit status $rc"; cat "$err"; exit 1; }
[ "$(cat "$err")" = "sipsnoop: -: standard input given twice, read once" ] ||
	{ echo "stdin-twice: stderr:"; cat "$err"; exit 1; }
echo "$out" | grep -q "^file - format cls bytes 7425 messages 6$" ||
	{ echo "stdin-twice: output:"; echo "$out"; exit 1; }
echo "stdin-twice: ok"
