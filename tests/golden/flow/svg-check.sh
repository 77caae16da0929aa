#!/bin/sh
# --flow=svg: the document is well-formed XML (xmllint --noout) and holds
# one arrow per SIP message and one note per diagnostic event drawn, for
# the fixtures, a filtered selection, an empty one and hostile logs.
set -u
cd "$(dirname "$0")/../../.." || exit 1
: "${SIPSNOOP:=build/sipsnoop}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-svg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

if ! command -v xmllint >/dev/null 2>&1; then
	echo "svg-check: xmllint not found (Debian: apt-get install libxml2-utils)"
	exit 1
fi

# check NAME ARROWS NOTES ARGS...: draws ARGS as SVG and checks it.
check() {
	name=$1 arrows=$2 notes=$3
	shift 3
	if ! LC_ALL=C XDG_CONFIG_HOME=/nonexistent $SIPSNOOP --flow=svg "$@" \
	    >"$tmp/$name.svg" 2>"$tmp/$name.err"; then
		echo "FAIL: $name: exit status $?"; cat "$tmp/$name.err"
		fail=1
		return
	fi
	if ! xmllint --noout "$tmp/$name.svg" 2>"$tmp/$name.xml"; then
		echo "FAIL: $name: not well-formed XML:"; head -5 "$tmp/$name.xml"
		fail=1
		return
	fi
	got=$(grep -c '<g class="arrow ' "$tmp/$name.svg")
	gotn=$(grep -c '<g class="note ' "$tmp/$name.svg")
	if [ "$got" != "$arrows" ] || [ "$gotn" != "$notes" ]; then
		echo "FAIL: $name: $got arrows and $gotn notes, expected $arrows and $notes"
		fail=1
		return
	fi
	# The same counts as the messages --list selects.
	LC_ALL=C XDG_CONFIG_HOME=/nonexistent $SIPSNOOP --list --json "$@" \
	    >"$tmp/$name.json" 2>/dev/null
	sip=$(grep -vc '"kind":"diagnostic"' "$tmp/$name.json")
	diag=$(grep -c '"kind":"diagnostic"' "$tmp/$name.json")
	if [ "$sip" != "$arrows" ] || [ "$diag" != "$notes" ]; then
		echo "FAIL: $name: --list has $sip messages and $diag events"
		fail=1
		return
	fi
	echo "ok: svg $name ($arrows arrows, $notes notes)"
}

check remote-ntlm 6 0 tests/data/remote-ntlm.cls.log
check internal-kerberos 4 0 tests/data/internal-kerberos.cls.log
check call-cancel 7 2 tests/data/call-cancel.cls.log
check proxy 15 0 tests/data/flow-proxy.sngrep.txt
check proxy-merged 15 0 --merge-hosts tests/data/flow-proxy.sngrep.txt
check two-files 10 0 tests/data/remote-ntlm.cls.log tests/data/internal-kerberos.cls.log
check filtered 2 0 -f 'status:401' tests/data/remote-ntlm.cls.log
check dialog 7 0 --dialog 1 tests/data/reg-digest.sngrep.txt
check empty 0 0 -f 'user:nobody' tests/data/remote-ntlm.cls.log

# Hostile logs: whatever they hold, the document stays well-formed and
# carries no raw escape byte.
for f in tests/data/hostile/*; do
	n=$(basename "$f")
	if ! LC_ALL=C XDG_CONFIG_HOME=/nonexistent $SIPSNOOP --flow=svg "$f" \
	    >"$tmp/$n.svg" 2>/dev/null; then
		echo "FAIL: hostile $n: exit status"
		fail=1
		continue
	fi
	if ! xmllint --noout "$tmp/$n.svg" 2>"$tmp/$n.xml"; then
		echo "FAIL: hostile $n: not well-formed XML:"; head -5 "$tmp/$n.xml"
		fail=1
	elif LC_ALL=C grep -q "$(printf '\033')" "$tmp/$n.svg"; then
		echo "FAIL: hostile $n: a raw escape byte in the SVG"
		fail=1
	else
		echo "ok: svg hostile $n"
	fi
done
exit $fail
