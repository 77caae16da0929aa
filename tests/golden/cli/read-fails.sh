#!/bin/sh
# A read of standard input that fails part way (here a socket whose peer
# is closed with data it never read: the next read gets ECONNRESET, as a
# terminal gone gives EIO) keeps what came before it, lists it and says
# where it stopped and why; it refused the input, dropping all of it.
# Read whole, and as it comes (--follow). Before any byte it is still an
# error. perl (perl-base, Essential in Debian) makes the socket.
set -u
LC_ALL=C
export LC_ALL
out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-readfails.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM

# failing FILE ARGS...: sipsnoop ARGS with standard input a socket that
# gives FILE's bytes, then fails; stdout to $out/o, stderr to $out/e.
failing() {
	f=$1
	shift
	perl -MSocket -e '
		socketpair(my $r, my $w, AF_UNIX, SOCK_STREAM, PF_UNSPEC)
			or die "socketpair: $!";
		syswrite($r, "x");	# never read: closing $w resets
		open(my $in, "<", shift @ARGV) or die "$!";
		local $/;
		my $d = <$in>;
		syswrite($w, $d) == length($d) or die "write: $!";
		close($w);
		open(STDIN, "<&", $r) or die "$!";
		close($r);
		exec("sh", "-c", "exec $ENV{SIPSNOOP} \"\$@\"", "sh", @ARGV)
			or die "exec: $!";' "$f" "$@" >"$out/o" 2>"$out/e"
}

want="sipsnoop: -: read failed after 3881 bytes, in line 85 (Connection reset by peer): what was read before is shown"
for mode in "" "--follow"; do
	# shellcheck disable=SC2086
	failing tests/data/lf-only.cls.log --rules data/rules.conf --list $mode -
	rc=$?
	[ $rc = 0 ] || { echo "list $mode: status $rc"; cat "$out/e"; exit 1; }
	[ "$(grep -c . "$out/o")" = 3 ] || {
		echo "list $mode: expected 3 messages:"; cat "$out/o" "$out/e"; exit 1; }
	[ "$(cat "$out/e")" = "$want" ] || {
		echo "list $mode: got: $(cat "$out/e")"; echo "want: $want"; exit 1; }
done
: >"$out/empty"
failing "$out/empty" --rules data/rules.conf --list -
rc=$?
[ $rc = 1 ] || { echo "nothing read: status $rc, expected 1"; exit 1; }
[ "$(cat "$out/e")" = "sipsnoop: standard input: Connection reset by peer" ] || {
	echo "nothing read: $(cat "$out/e")"; exit 1; }
echo "read-fails: ok"
