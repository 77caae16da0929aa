#!/bin/sh
# interleave.sh K M: writes to stdout a CLS log of K long dialogs of about M
# messages each, their exchanges interleaved in turn, as on a server where a
# few long calls and long-lived subscriptions go on at once. Output that
# works a dialog's context out per message pays for a whole dialog at each
# switch between them; this is the log that shows it (tests/e2e/
# long-dialog.sh builds one such call alone).
#
# Even dialogs are calls: INFOs, each 10th challenged and answered, each
# 20th sent twice, each 25th refused, a re-INVITE each 50th. Odd ones are
# subscriptions: NOTIFYs, a refresh each 30th, challenged by a proxy.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: interleave.sh K M" >&2
	exit 2
fi

awk -v k="$1" -v m="$2" '
function rec(d, dir, start, cseq, method, extra,   t) {
	seq++
	n[d]++
	t = seq * 20	# milliseconds: 200,000 messages stay in one day
	printf "TL_INFO(TF_PROTOCOL) [0]0A1C.0B2C::03/11/2025-" \
	    "%02d:%02d:%02d.%03d.%08x (SIPStack,SIPAdminLog::" \
	    "TraceProtocolRecord:SIPAdminLog.cpp(125))$$begin_record\n",
	    8 + int(t / 3600000), int(t / 60000) % 60,
	    int(t / 1000) % 60, t % 1000, seq
	printf "Trace-Correlation-Id: %d\nInstance-Id: %08X\n" \
	    "Direction: %s\nPeer: 198.51.100.%d:49721\n" \
	    "Message-Type: %s\nStart-Line: %s\n", seq, seq, dir, 10 + d % 200,
	    start ~ /^SIP\/2.0/ ? "response" : "request", start
	printf "Via: SIP/2.0/TLS 198.51.100.%d:49721;branch=z9hG4bK%d.%d\n" \
	    "Max-Forwards: 70\nFrom: <sip:user%d@uclab.org>;tag=a%d\n" \
	    "To: <sip:peer%d@uclab.org>;tag=b%d\nCall-ID: interleave-%d\n" \
	    "CSeq: %d %s\nContact: <sip:198.51.100.%d:49721;" \
	    "transport=tls>\nUser-Agent: UCCAPI/16.0.0 OC/16.0 " \
	    "(Skype for Business)\n%sContent-Length: %d\n" \
	    "Message-Body: %s\n$$end_record\n", 10 + d % 200, d, cseq, d, d,
	    d, d, d, cseq, method, 10 + d % 200, extra, length(pad), pad
}

# One exchange of call d: a request and its answer, or a challenge first.
function call(d,   c, req) {
	c = ++cs[d]
	if (c == 1) {
		req = "INVITE sip:peer" d "@uclab.org SIP/2.0"
		rec(d, "incoming", req, c, "INVITE", "")
		rec(d, "outgoing", "SIP/2.0 200 OK", c, "INVITE", "")
		rec(d, "incoming", "ACK sip:peer" d "@uclab.org SIP/2.0", c,
		    "ACK", "")
		return
	}
	if (c % 50 == 0) {
		rec(d, "incoming", "INVITE sip:peer" d "@uclab.org SIP/2.0",
		    c, "INVITE", "")
		rec(d, "outgoing", "SIP/2.0 200 OK", c, "INVITE", "")
		rec(d, "incoming", "ACK sip:peer" d "@uclab.org SIP/2.0", c,
		    "ACK", "")
		return
	}
	req = "INFO sip:peer" d "@uclab.org SIP/2.0"
	rec(d, "incoming", req, c, "INFO", "")
	if (c % 10 == 3) {
		rec(d, "outgoing", "SIP/2.0 401 Unauthorized", c, "INFO",
		    "WWW-Authenticate: Digest realm=\"uclab.org\", " \
		    "nonce=\"" c "\"\n")
		c = ++cs[d]
		rec(d, "incoming", req, c, "INFO",
		    "Authorization: Digest username=\"user" d "\"\n")
	} else if (c % 20 == 7)
		rec(d, "incoming", req, c, "INFO", "")
	rec(d, "outgoing", c % 25 == 11 ? "SIP/2.0 488 Not Acceptable Here" : \
	    "SIP/2.0 200 OK", c, "INFO", "")
}

# One exchange of subscription d.
function subscription(d,   c) {
	c = ++cs[d]
	if (c == 1 || c % 30 == 0) {
		rec(d, "incoming", "SUBSCRIBE sip:peer" d "@uclab.org SIP/2.0",
		    c, "SUBSCRIBE", "Event: presence\nExpires: 3600\n")
		if (c > 1) {
			rec(d, "outgoing", "SIP/2.0 407 Proxy Authentication " \
			    "Required", c, "SUBSCRIBE", "Proxy-Authenticate: " \
			    "Digest realm=\"uclab.org\", nonce=\"" c "\"\n")
			c = ++cs[d]
			rec(d, "incoming", "SUBSCRIBE sip:peer" d \
			    "@uclab.org SIP/2.0", c, "SUBSCRIBE",
			    "Event: presence\nExpires: 3600\n" \
			    "Proxy-Authorization: Digest username=\"user" d \
			    "\"\n")
		}
		rec(d, "outgoing", "SIP/2.0 200 OK", c, "SUBSCRIBE",
		    "Expires: 3600\n")
		return
	}
	rec(d, "outgoing", "NOTIFY sip:user" d "@uclab.org SIP/2.0", c,
	    "NOTIFY", "Event: presence\nSubscription-State: active\n")
	rec(d, "incoming", "SIP/2.0 200 OK", c, "NOTIFY", "")
}

BEGIN {
	pad = "<note>a keep-alive of the dialog, padded to make the log " \
	    "large</note>"
	for (left = k; left > 0;) {
		left = 0
		for (d = 0; d < k; d++) {
			if (n[d] >= m)
				continue
			if (d % 2 == 0)
				call(d)
			else
				subscription(d)
			if (n[d] < m)
				left++
		}
	}
}'
