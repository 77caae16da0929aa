#!/bin/sh
# Golden tests: every tests/golden/*/NAME.args is a command line for
# sipsnoop (shell quoting allowed); its stdout must equal NAME.out, its
# stderr NAME.err (empty when there is no such file), its exit status
# NAME.status (0 when there is no such file). Names ending in -utf8 run in a UTF-8 locale, the
# others with LC_ALL=C. Every tests/golden/*/*.sh is run too (exit 0 = pass).
# UPDATE=1 rewrites the expected files instead; review the diff like code.
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${SIPSNOOP:=build/sipsnoop}"
out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-golden.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
pass=0
fail=0
utf8=C.UTF-8
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || utf8=en_US.UTF-8

for args in tests/golden/*/*.args; do
	[ -e "$args" ] || continue
	base=${args%.args}
	name=${base#tests/golden/}
	case $name in *-utf8) loc=$utf8 ;; *) loc=C ;; esac
	eval "set -- $(cat "$args")"
	LC_ALL=$loc COLUMNS=100 NO_COLOR=1 XDG_CONFIG_HOME=/nonexistent \
		$SIPSNOOP "$@" >"$out/stdout" 2>"$out/stderr" </dev/null
	status=$?
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$out/stdout" "$base.out"
		if [ -s "$out/stderr" ]; then cp "$out/stderr" "$base.err"; else rm -f "$base.err"; fi
		if [ $status -ne 0 ]; then echo $status >"$base.status"; else rm -f "$base.status"; fi
		echo "updated: $name"
		continue
	fi
	want=0
	[ -e "$base.status" ] && want=$(cat "$base.status")
	ok=1
	if ! cmp -s "$out/stdout" "$base.out"; then
		ok=0
		echo "FAIL: $name: stdout differs:"
		diff -u "$base.out" "$out/stdout" | head -40
	fi
	[ -e "$base.err" ] && experr=$base.err || experr=/dev/null
	if ! cmp -s "$out/stderr" "$experr"; then
		ok=0
		echo "FAIL: $name: stderr differs:"
		diff -u "$experr" "$out/stderr" | head -20
	fi
	if [ "$status" != "$want" ]; then
		ok=0
		echo "FAIL: $name: exit status $status, expected $want"
		head -5 "$out/stderr"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "ok: $name"
	else
		fail=$((fail + 1))
	fi
done

for script in tests/golden/*/*.sh; do
	[ -e "$script" ] || continue
	[ "${UPDATE:-}" = 1 ] && continue
	name=${script#tests/golden/}
	if SIPSNOOP="$SIPSNOOP" sh "$script" >"$out/script" 2>&1; then
		pass=$((pass + 1))
		echo "ok: $name"
	else
		fail=$((fail + 1))
		echo "FAIL: $name:"
		tail -20 "$out/script"
	fi
done

echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
