#!/bin/sh
# COLUMNS gives --flow its width when standard output is not a terminal
# and --width is not given. It is brought within what --width takes (20
# to 10000): COLUMNS=99999999999 asked for lines of a billion cells and
# was killed when memory ran out. One that is no whole number is not
# taken (100, as with no COLUMNS).
set -u
bin=$SIPSNOOP
flow() {
	COLUMNS=$1 LC_ALL=C $bin --rules data/rules.conf --flow --dialog 0 \
	    data/sample.cls.log 2>/dev/null
}
want_max=$(flow 10000) || { echo "COLUMNS=10000 failed"; exit 1; }
want_def=$(flow 100) || { echo "COLUMNS=100 failed"; exit 1; }
for c in 10001 99999999999 9223372036854775808; do
	got=$(flow "$c") || { echo "COLUMNS=$c: exit status $?"; exit 1; }
	[ "$got" = "$want_max" ] || { echo "COLUMNS=$c is not 10000"; exit 1; }
done
for c in abc 12x -3 0 ""; do
	got=$(flow "$c") || { echo "COLUMNS=$c: exit status $?"; exit 1; }
	[ "$got" = "$want_def" ] || { echo "COLUMNS='$c' is not 100"; exit 1; }
done
[ "$(flow 5)" = "$(flow 20)" ] || { echo "COLUMNS=5 is not 20"; exit 1; }
echo "columns-env: ok"
