#!/bin/sh
# Runs every tests/e2e/*.sh (tmux end-to-end tests of the viewer) with
# SIPSNOOP set to the binary; one line per test, then a summary. Exit 77
# (skipped) only when tmux is missing.
cd "$(dirname "$0")/../.." || exit 1
: "${SIPSNOOP:=build/sipsnoop}"
export SIPSNOOP
if ! command -v tmux >/dev/null 2>&1; then
	echo "e2e: tmux is missing, skipped"
	exit 77
fi
pass=0 fail=0
echo "e2e: tmux end-to-end tests of the viewer"
for s in tests/e2e/*.sh; do
	[ "$s" = tests/e2e/run.sh ] && continue
	out=$(sh "$s" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(ok|FAIL) - ' | sed "s|^|$(basename "$s" .sh): |"
	p=$(printf '%s\n' "$out" | grep -c '^ok - ')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL - ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$(basename "$s" .sh): FAIL - exited $rc"
		printf '%s\n' "$out" | tail -5
		f=1
	fi
	if [ "$f" -gt 0 ]; then
		printf '%s\n' "$out" | sed -n '/^--- screen:/,/^---$/p'
	fi
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
