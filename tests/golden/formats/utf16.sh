#!/bin/sh
# UTF-16 text (what Windows PowerShell 5 writes with > or Out-File) reads
# as the same log in UTF-8 would: the same messages, lines, times, rates
# and dialogs, with a byte order mark or without, little- or big-endian,
# gzip-compressed too. A pipe read as it comes is refused saying how to
# convert it, and a followed UTF-16 file is read once.
set -u
: "${SIPSNOOP:=build/sipsnoop}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-utf16.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
F=tests/data/fmt
bad=0

# same WHAT UTF16 UTF8 ARGS...: the output of ARGS on both, names aside.
same() {
	what=$1 a=$2 b=$3
	shift 3
	$SIPSNOOP --rules data/rules.conf "$@" "$a" 2>&1 |
		sed "s|$a|FILE|g" >"$dir/a"
	$SIPSNOOP --rules data/rules.conf "$@" "$b" 2>&1 |
		sed "s|$b|FILE|g" >"$dir/b"
	if [ ! -s "$dir/b" ] || ! cmp -s "$dir/a" "$dir/b"; then
		echo "FAIL: $what: $* differs"
		diff "$dir/b" "$dir/a" | head -20
		bad=1
	fi
}

for opt in --list --dialogs --registrations --stats; do
	same "little-endian with a mark" $F/utf16le-bom.cls.log \
		$F/utf16-source.cls.log $opt
	same "big-endian without a mark" $F/utf16be-nobom.uccapilog \
		tests/data/internal-kerberos.uccapilog $opt
	same "gzip-compressed" $F/utf16le-bom.cls.log.gz \
		$F/utf16-source.cls.log $opt
done
same "JSON (lines, display names dropped)" $F/utf16le-bom.cls.log \
	$F/utf16-source.cls.log --list --json
same "--format cls" $F/utf16le-bom.cls.log $F/utf16-source.cls.log \
	--format cls --list

# The display name with an accent and an emoji (a surrogate pair) comes
# through whole.
if ! $SIPSNOOP --list -f '"Marino Fér 😀"' $F/utf16le-bom.cls.log |
    grep -q REGISTER; then
	echo "FAIL: the display name is not found decoded"
	bad=1
fi

# A pipe read as it comes is not converted.
cat $F/utf16le-bom.cls.log | $SIPSNOOP --list --follow - >/dev/null 2>"$dir/err"
if ! grep -q "^sipsnoop: -: UTF-16 text from a pipe is not read; convert it first (iconv -f UTF-16 -t UTF-8)$" "$dir/err"; then
	echo "FAIL: a UTF-16 pipe followed:"
	cat "$dir/err"
	bad=1
fi
# Read whole, a pipe is converted.
cat $F/utf16le-bom.cls.log | $SIPSNOOP --stats - >"$dir/out" 2>&1
grep -q "format cls bytes 6325 messages 4" "$dir/out" ||
	{ echo "FAIL: a UTF-16 pipe read whole:"; cat "$dir/out"; bad=1; }

# Followed: read once.
timeout 10 $SIPSNOOP --list --follow $F/utf16le-bom.cls.log >"$dir/out" 2>"$dir/err" </dev/null
grep -q "utf16le-bom.cls.log: UTF-16 text, converted: read once, not followed" "$dir/err" ||
	{ echo "FAIL: following a UTF-16 file:"; cat "$dir/err"; bad=1; }
[ "$(grep -c . "$dir/out")" = 4 ] ||
	{ echo "FAIL: following a UTF-16 file lists:"; cat "$dir/out"; bad=1; }

# An odd last byte and a lone surrogate are said, with what was read.
{ cat $F/utf16le-bom.cls.log; printf '\000\330\012\000x'; } >"$dir/odd.log"
$SIPSNOOP --stats "$dir/odd.log" >"$dir/out" 2>&1
grep -q "odd.log: 2 invalid UTF-16 code units shown as U+FFFD" "$dir/out" &&
	grep -q "messages 4 requests 2" "$dir/out" ||
	{ echo "FAIL: damaged UTF-16:"; cat "$dir/out"; bad=1; }
exit $bad
