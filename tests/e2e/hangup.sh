#!/bin/sh
# A viewer whose terminal goes away (its window closed, its ssh connection
# lost) ends, as on SIGHUP, even when no SIGHUP reaches it: here the shell
# that leads its session ignores SIGHUP and stays, so the kernel sends the
# hangup to nobody else. It used to spin at full CPU for ever, reading
# nothing from the dead terminal. The old viewer is killed when it does not
# end in time.
. "$(dirname "$0")/lib.inc"

dir=$(mktemp -d /tmp/sipsnoop-e2e-hangup.XXXXXX)
trap 'e2e_cleanup; rm -rf "$dir"' EXIT INT TERM

for args in data/sample.cls.log "--follow data/sample.cls.log"; do
	rm -f "$dir/pid" "$dir/rc"
	e2e_kill_server
	E2E_N=$((E2E_N + 1))
	E2E_SOCK="sipsnoop-e2e-$$-$E2E_N"
	t new-session -d -x 120 -y 40 -s e2e \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c 'trap \"\" HUP; sh -c \"echo \\\$\\\$ >$dir/pid; exec $SIPSNOOP $args\"; echo \$? >$dir/rc'"
	check "$args: the viewer shows" e2e_wait "[cls]  40/40 msgs"
	pid=$(cat "$dir/pid")
	# The terminal goes: the server dies without a word to its panes.
	kill -9 "$(t display -p '#{pid}')"
	gone() {
		end=$(( $(date +%s) + E2E_TIMEOUT ))
		while kill -0 "$pid" 2>/dev/null &&
		    [ "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" != Z ]; do
			[ "$(date +%s)" -ge "$end" ] && {
				E2E_LAST="still running: $(ps -o pid,stat,pcpu,cmd -p "$pid")"
				kill -9 "$pid"
				return 1
			}
			sleep 0.05
		done
	}
	check "$args: it ends once its terminal is gone" gone
	rc_is_129() {
		end=$(( $(date +%s) + E2E_TIMEOUT ))
		until [ -s "$dir/rc" ]; do
			[ "$(date +%s)" -ge "$end" ] && return 1
			sleep 0.05
		done
		E2E_LAST="exit status $(cat "$dir/rc")"
		[ "$(cat "$dir/rc")" = 129 ]
	}
	check "$args: with the status of a hangup (129)" rc_is_129
done
e2e_done
