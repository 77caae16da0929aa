#!/bin/sh
# The viewer reading standard input whose read fails part way (a socket
# whose peer is closed with data it never read: ECONNRESET) shows what
# came before it, and W says where it stopped and why; the input was
# refused ("standard input: Connection reset by peer") and nothing shown.
# perl (perl-base, Essential in Debian) makes the socket.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e-readfails.XXXXXX")
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM
cat >"$dir/wrap.sh" <<WRAP
exec perl -MSocket -e '
	socketpair(my \$r, my \$w, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or die;
	syswrite(\$r, "x");
	open(my \$in, "<", "tests/data/lf-only.cls.log") or die;
	local \$/;
	my \$d = <\$in>;
	syswrite(\$w, \$d) == length(\$d) or die;
	close(\$w);
	open(STDIN, "<&", \$r) or die;
	close(\$r);
	exec(@ARGV) or die;' $SIPSNOOP "\$@"
WRAP
SIPSNOOP="sh $dir/wrap.sh" e2e_start 120 40 --rules data/rules.conf -
check "what came before is shown" e2e_wait "3/3 msgs"
e2e_keys W
check "W says where the read stopped" \
	e2e_wait "read failed after 3881 bytes, in line 85 (Connection reset by peer)"
e2e_keys q q
check "quits" e2e_wait "exit=0"
e2e_done
