#!/bin/sh
# One call of many messages, indexed by the viewer in its slices (a second
# thread reading ahead of them from 16 MB on, none below): its messages
# are rated as --stats rates them, and the log's pages are given back as
# they are indexed and as the ratings read them again (challenges and
# answers, retransmissions): the log's mapping ends small, not the size of
# the log.
. "$(dirname "$0")/lib.inc"

out=$(mktemp -d "${TMPDIR:-/tmp}/sipsnoop-e2e.XXXXXX")
trap 'e2e_cleanup; rm -rf "$out"' EXIT INT TERM
E2E_TIMEOUT=60

# long_call N: a CLS log of one call of about N messages: INFOs in it,
# each 10th challenged and answered, each 20th sent twice, each 25th
# refused.
long_call() {
	awk -v n="$1" 'function rec(dir, start, cseq, method, extra,   t) {
		seq++
		t = seq * 700
		printf "TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::03/11/2025-" \
		    "%02d:%02d:%02d.%03d.%08x (SIPStack,SIPAdminLog::" \
		    "TraceProtocolRecord:SIPAdminLog.cpp(125))$$begin_record\n",
		    8 + int(t / 3600000), int(t / 60000) % 60,
		    int(t / 1000) % 60, t % 1000, seq
		printf "Trace-Correlation-Id: %d\nInstance-Id: %08X\n" \
		    "Direction: %s\nPeer: 198.51.100.23:49721\n" \
		    "Message-Type: %s\nStart-Line: %s\n", seq, seq, dir,
		    start ~ /^SIP\/2.0/ ? "response" : "request", start
		printf "Via: SIP/2.0/TLS 198.51.100.23:49721;branch=z9hG4bK%d\n" \
		    "Max-Forwards: 70\nFrom: <sip:alice@uclab.org>;tag=a1b2\n" \
		    "To: <sip:bob@uclab.org>;tag=c3d4\nCall-ID: longcall-1\n" \
		    "CSeq: %d %s\nContact: <sip:198.51.100.23:49721;" \
		    "transport=tls>\nUser-Agent: UCCAPI/16.0.0 OC/16.0 " \
		    "(Skype for Business)\n%sContent-Length: %d\n" \
		    "Message-Body: %s\n$$end_record\n", cseq, cseq, method,
		    extra, length(pad), pad
	}
	BEGIN {
		pad = "<note>a keep-alive of the call, as a client sends one " \
		    "every few seconds, padded to make the log large</note>"
		req = "INFO sip:bob@uclab.org SIP/2.0"
		rec("incoming", "INVITE sip:bob@uclab.org SIP/2.0", 1,
		    "INVITE", "")
		rec("outgoing", "SIP/2.0 200 OK", 1, "INVITE", "")
		rec("incoming", "ACK sip:bob@uclab.org SIP/2.0", 1, "ACK", "")
		for (c = 2; seq < n; c++) {
			rec("incoming", req, c, "INFO", "")
			if (c % 10 == 3) {
				rec("outgoing", "SIP/2.0 401 Unauthorized", c,
				    "INFO", "WWW-Authenticate: Digest " \
				    "realm=\"uclab.org\", nonce=\"1\"\n")
				c++
				rec("incoming", req, c, "INFO", "Authorization: " \
				    "Digest username=\"alice\"\n")
			} else if (c % 20 == 7)
				rec("incoming", req, c, "INFO", "")
			rec("outgoing", c % 25 == 11 ? \
			    "SIP/2.0 488 Not Acceptable Here" : "SIP/2.0 200 OK",
			    c, "INFO", "")
		}
	}'
}

# mapping_kb FILE: the resident kB of the viewer's mappings of FILE.
mapping_kb() {
	_pid=$(pgrep -P "$(t list-panes -t e2e -F '#{pane_pid}')" -x sipsnoop |
	       head -n 1)
	awk -v f="$1" '$NF == f { on = 1; next }
		/^[0-9a-f]+-[0-9a-f]+ / { on = 0 }
		on && $1 == "Rss:" { kb += $2 }
		END { print kb + 0 }' "/proc/$_pid/smaps"
}

# view_long NAME N: the viewer on a call of about N messages.
view_long() {
	log="$out/$1.cls.log"
	long_call "$2" >"$log"
	$SIPSNOOP --stats --rules data/rules.conf "$log" >"$out/stats"
	msgs=$(sed -n 's/^messages \([0-9]*\) .*/\1/p' "$out/stats")
	errors=$(sed -n 's/^severity .* error \([0-9]*\)$/\1/p' "$out/stats")
	check "$1: --stats rates some errors" [ "${errors:-0}" -gt 0 ]
	e2e_start 120 30 --rules data/rules.conf "$log"
	check "$1: all indexed" e2e_wait "$msgs/$msgs msgs"
	check "$1: indexing ended" e2e_wait_gone "indexing"
	kb=$(mapping_kb "$log")
	check "$1: the log's pages given back ($kb kB of $(($(wc -c <"$log") / 1024)))" \
		[ "$kb" -lt 1024 ]
	e2e_keys f
	e2e_keys -l "severity:error"
	e2e_keys Enter
	check "$1: as many errors as --stats rates" \
		e2e_wait "$errors/$msgs msgs"
	e2e_keys q
	check "$1: quits" e2e_wait "exit=0"
}

command -v pgrep >/dev/null 2>&1 || { echo "skip: pgrep is missing"; exit 77; }
[ -r /proc/self/smaps ] || { echo "skip: no /proc/self/smaps"; exit 77; }
# 24 MB: the viewer reads it with a second thread.
view_long two-threads 36000
check "two-threads: the log is past 16 MB" [ "$(wc -c <"$log")" -gt 16777216 ]
# 8 MB: in the viewer's thread alone.
view_long one-thread 12000
e2e_done
