#!/bin/sh
# A file whose name starts with '-' is read as options: the error names
# the option getopt refused ('-d' of -dash.log, not the option before it)
# and says how to give such a file; given after -- or as ./-dash.log it
# is read.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-dash.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
top=$(pwd)
case ${SIPSNOOP##* } in /*) bin=$SIPSNOOP ;; *) bin="${SIPSNOOP%"${SIPSNOOP##* }"}$top/${SIPSNOOP##* }" ;; esac
cp data/sample.cls.log "$dir/-dash.log"
cd "$dir" || exit 1
err=$($bin --rules "$top/data/rules.conf" --stats -dash.log 2>&1 >/dev/null)
rc=$?
want="sipsnoop: unrecognized option '-d' in '-dash.log' (a file whose name starts with '-' is given as ./-dash.log or after --)"
[ "$rc" = 2 ] || { echo "exit $rc, expected 2"; exit 1; }
[ "$(printf '%s\n' "$err" | head -1)" = "$want" ] || {
	echo "got: $err"; echo "want: $want"; exit 1; }
for args in "-- -dash.log" "./-dash.log"; do
	# shellcheck disable=SC2086
	out=$($bin --rules "$top/data/rules.conf" --stats $args 2>&1) || {
		echo "$args: $out"; exit 1; }
	printf '%s\n' "$out" | grep -q "^messages 40 " || {
		echo "$args: not read: $out"; exit 1; }
done
echo "dash-file: ok"
