#!/bin/sh
# Every value the rules file takes for a dialog condition (as --check-rules
# lists them when given a wrong one) is named in the condition's heading of
# sipsnoop-rules(5): answered-new-call-id was described but left out there.
set -u
: "${SIPSNOOP:=build/sipsnoop}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-rulesman.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
rc=0
for k in challenge rechallenge outcome reply credentials-sent after-cancel \
    retransmission phase; do
	printf 'rule a\n  %s zzz\n  severity ok\n' "$k" >"$tmp/k.rules"
	vals=$($SIPSNOOP --check-rules "$tmp/k.rules" 2>&1 |
	    sed -n 's/.*(expected \(.*\))$/\1/p' | sed 's/,/ /g; s/ or / /')
	[ -n "$vals" ] || { echo "$k: no value list in the error"; rc=1; continue; }
	# The heading: .BR keyword " v1" | v2 ..., with \- for dashes.
	kw=$(printf '%s' "$k" | sed 's/-/\\\\-/g')
	head=$(grep "^\.BR $kw \"" man/sipsnoop-rules.5 | sed 's/\\-/-/g')
	[ -n "$head" ] || { echo "$k: no heading in sipsnoop-rules(5)"; rc=1; continue; }
	for v in $vals; do
		printf '%s\n' "$head" | tr ' |"' '\n\n\n' | grep -qx -- "$v" ||
		    { echo "$k $v: not in the heading: $head"; rc=1; }
	done
done
[ $rc = 0 ] && echo "rules-man-values: ok"
exit $rc
