#!/bin/sh
# Without --rules and with no rules file to be found (none in the user's
# config, none installed, the program away from a source tree), messages
# are not rated and a warning says so; a program built in the tree finds
# the tree's data/rules.conf whatever the current directory.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-norules.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
bin=${SIPSNOOP##* }		# SIPSNOOP may be "valgrind ... build/sipsnoop"
run=${SIPSNOOP%"$bin"}
top=$(pwd)
case $bin in /*) abs=$bin ;; *) abs=$top/$bin ;; esac
mkdir "$dir/home"
cp "$bin" "$dir/sipsnoop"
warn="sipsnoop: no rules file found (~/.config/sipsnoop/rules.conf, "
out=$(cd "$dir" && HOME=$dir/home XDG_CONFIG_HOME= $run./sipsnoop --stats \
	"$top/data/sample.cls.log" 2>&1)
if printf '%s\n' "$out" | grep -q "^$warn.*/rules.conf): messages are not rated; --rules FILE names one$"; then
	printf '%s\n' "$out" | grep -q "^severity none 40 " || {
		echo "rated without rules:"; printf '%s\n' "$out"; exit 1; }
	# A selection by severity has no answer without rules: it must not
	# pass for "no errors" (exit 1, said so), in a dialog: term too; a
	# selection by anything else keeps the warning and exit status 0.
	for f in severity:error 'method:invite dialog:(sev:warning+)'; do
		err=$(cd "$dir" && HOME=$dir/home XDG_CONFIG_HOME= $run./sipsnoop \
			--list -f "$f" "$top/data/sample.cls.log" 2>&1 >/dev/null)
		rc=$?
		[ $rc = 1 ] || { echo "-f '$f' without rules: exit $rc"; exit 1; }
		printf '%s\n' "$err" | grep -q "^sipsnoop: -f asks for a severity, but no rules file was found (.*): messages are not rated; --rules FILE names one$" || {
			echo "-f '$f' without rules:"; printf '%s\n' "$err"; exit 1; }
	done
	(cd "$dir" && HOME=$dir/home XDG_CONFIG_HOME= $run./sipsnoop --list \
		-f method:invite "$top/data/sample.cls.log" >/dev/null 2>&1) || {
		echo "-f method:invite without rules: exit $?"; exit 1; }
else
	# Only when a rules file is installed may it be quiet.
	printf '%s\n' "$out" | grep -q "^severity none 40 " && {
		echo "not rated, and no warning:"; printf '%s\n' "$out"; exit 1; }
	echo "(a rules file is installed: the warning is not tested)"
fi
# From elsewhere, the program in the tree rates with the tree's rules.
out=$(cd "$dir" && HOME=$dir/home XDG_CONFIG_HOME= $run"$abs" --stats \
	"$top/data/sample.cls.log" 2>&1)
printf '%s\n' "$out" | grep -q "no rules file" && {
	echo "the tree's rules were not found:"; printf '%s\n' "$out"; exit 1; }
printf '%s\n' "$out" | grep -q "^severity none 40 " && {
	echo "not rated:"; printf '%s\n' "$out"; exit 1; }
echo "no-rules-found: ok"
