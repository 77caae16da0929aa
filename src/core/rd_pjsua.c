/* rd_pjsua: logs of pjsua and other pjsip applications (level 5 and up).
 * sip_transport.c logs each packet as "RX 612 bytes Request msg
 * REGISTER/cseq=1 (rdata0x...) from UDP 1.2.3.4:5060:" or "TX ... to TLS
 * [::1]:5061:" after pj_log's time prefix, then the message, then a line
 * "--end msg--". */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

static const char rd_pjsua_end[] = "--end msg--";

/* Where pj_log's prefix may put the time: after a level ("DEBUG:") and a
 * day name ("Tue 2025-03-11 ..."). */
#define RD_PJSUA_TIME_MAX 32

/* The reading so far: pj_log's default layout has no date. A record read
 * again alone (the engine showing one message) has its time of day without
 * the days: the message index keeps the first reading's. */
struct rd_pjsua_state {
	struct rd_tod roll;
};

struct rd_pjsua_head {
	int tx;
	struct span addr;
	struct span transport;
};

static size_t
rd_pjsua_rtrim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

static int
rd_pjsua_num(const char *p, int w, int *out)
{
	int i, v = 0;

	for (i = 0; i < w; i++) {
		if (!rd_digit(p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* Whether c may come before the time in pj_log's prefix: a level text,
 * a day name, a date. */
static int
rd_pjsua_pre(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    rd_digit(c) || c == ' ' || c == ':' || c == '-';
}

/* Finds pj_log's "HH:MM:SS.mmm" near the start of line p[0..n), with the
 * "YYYY-MM-DD " before it when the log has one. Returns the offset just
 * after the time, or 0. Fills rec's time when rec is not NULL. */
static size_t
rd_pjsua_time(const char *p, size_t n, struct rd_record *rec)
{
	size_t i, lim = n < RD_PJSUA_TIME_MAX ? n : RD_PJSUA_TIME_MAX, e;
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, prec = 0;
	int dated = 0;
	long us = 0;

	for (i = 0; i + 8 <= n && i < lim; i++) {
		if (!rd_pjsua_pre(p[i]))
			return 0;
		if (p[i + 2] == ':' && p[i + 5] == ':' &&
		    rd_pjsua_num(p + i, 2, &h) == 0 &&
		    rd_pjsua_num(p + i + 3, 2, &mi) == 0 &&
		    rd_pjsua_num(p + i + 6, 2, &s) == 0 &&
		    (i == 0 || p[i - 1] == ' '))
			break;
	}
	if (i + 8 > n || i >= lim || h > 23 || mi > 59 || s > 60)
		return 0;
	if (i >= 11 && p[i - 11 + 4] == '-' && p[i - 11 + 7] == '-' &&
	    rd_pjsua_num(p + i - 11, 4, &y) == 0 &&
	    rd_pjsua_num(p + i - 11 + 5, 2, &mo) == 0 &&
	    rd_pjsua_num(p + i - 11 + 8, 2, &d) == 0 && mo >= 1 && mo <= 12 &&
	    d >= 1 && d <= 31)
		dated = 1;
	else {
		y = 1970;
		mo = d = 1;
	}
	e = i + 8;
	/* Milliseconds: an HTTP date in a header has none. */
	if (e < n && p[e] == '.')
		e = rd_fraction(p, n, e + 1, &us, &prec);
	if (rec != NULL) {
		rec->time = time_from_civil(y, mo, d, h, mi, s, us);
		rec->time_prec = prec;
		rec->has_date = dated;
	}
	return e;
}

/* Whether line p[0..n) logs a packet: "RX|TX N bytes ... from|to TRANSPORT
 * ADDR:". */
static int
rd_pjsua_head(const char *p, size_t n, struct rd_pjsua_head *h)
{
	const char *b, *w;
	size_t j, k, i;

	memset(h, 0, sizeof *h);
	n = rd_pjsua_rtrim(p, n);
	if (n < 20 || p[n - 1] != ':')
		return 0;
	b = memmem(p, n, " bytes ", 7);
	if (b == NULL)
		return 0;
	k = (size_t)(b - p);
	for (j = k; j > 0 && rd_digit(p[j - 1]); j--)
		;
	if (j == k || j < 3 || p[j - 1] != ' ' || p[j - 2] != 'X' ||
	    (p[j - 3] != 'R' && p[j - 3] != 'T'))
		return 0;
	/* pj_log indents with dots and marks a thread switch with '!'. */
	if (j > 3 && p[j - 4] != ' ' && p[j - 4] != '.' && p[j - 4] != '!' &&
	    p[j - 4] != '\t')
		return 0;
	h->tx = p[j - 3] == 'T';
	/* The last " from " or " to ": the address has no spaces. */
	w = NULL;
	for (i = n - 1; i > k; i--) {
		if (h->tx ? (i + 4 <= n && memcmp(p + i, " to ", 4) == 0) :
		    (i + 6 <= n && memcmp(p + i, " from ", 6) == 0)) {
			w = p + i + (h->tx ? 4 : 6);
			break;
		}
	}
	if (w == NULL)
		return 0;
	i = (size_t)(w - p);
	k = n - 1;
	b = memchr(w, ' ', k - i);
	if (b != NULL) {
		h->transport.p = w;
		h->transport.n = (size_t)(b - w);
		i = (size_t)(b - p) + 1;
	}
	h->addr.p = p + i;
	h->addr.n = k - i;
	return h->addr.n > 0 && memchr(h->addr.p, ' ', h->addr.n) == NULL;
}

static int rd_pjsua_logline(const char *p, size_t n);

/* Whether line p[0..n) is a pj_log line of the default layouts, the time
 * first ("09:15:11.204", or after "2025-03-11 "), then a sender that
 * names a source file or an object ("pjsua_core.c",
 * "tcpc0x55d1c8b02a10"): Android's logcat has numbers there, a router's
 * debug "UTC:". */
static int
rd_pjsua_sender_line(const char *p, size_t n)
{
	size_t e = rd_pjsua_time(p, n, NULL);

	if (!rd_pjsua_logline(p, n) || (e != 12 && (e != 23 ||
	    p[4] != '-' || p[7] != '-' || p[10] != ' ')))
		return 0;
	while (e < n && p[e] == ' ')
		e++;
	if (e >= n || !((p[e] >= 'a' && p[e] <= 'z') ||
	    (p[e] >= 'A' && p[e] <= 'Z')))
		return 0;
	for (; e < n && p[e] != ' '; e++)
		;
	return e < n && p[e - 1] != ':';
}

static int
rd_pjsua_probe(const char *p, size_t n)
{
	size_t i = 0, eol, next, eol2;
	const char *nl;
	struct rd_pjsua_head h;
	int heads = 0, logged = 0, others = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		/* The last line may be cut by the head's end. */
		if (nl != NULL && eol > i) {
			if (rd_pjsua_sender_line(p + i, eol - i))
				logged++;
			else
				others++;
		}
		if (rd_pjsua_head(p + i, eol - i, &h) &&
		    rd_pjsua_time(p + i, eol - i, NULL) != 0) {
			heads++;
			nl = memchr(p + next, '\n', n - next);
			eol2 = nl != NULL ? (size_t)(nl - p) : n;
			if (next < n && rd_raw_is_start(p + next, eol2 - next))
				return 95;
		}
		i = next;
	}
	if (heads > 0)
		return 60;
	/* A pjsua log whose first message comes further in than the probe
	 * looks (level 5 logs its codecs, devices and transports first):
	 * a guess just above the threshold, as for Asterisk's full log. */
	return logged >= 3 && logged >= 4 * others ? 35 : 0;
}

/* Whether line p[0..n) is a pj_log line: a time with milliseconds and a
 * sender after it, "09:15:11.204   pjsua_core.c ...". */
static int
rd_pjsua_logline(const char *p, size_t n)
{
	size_t e = rd_pjsua_time(p, n, NULL);

	return e > 9 && p[e - 4] == '.' && e < n && p[e] == ' ';
}

static int
rd_pjsua_is_end(const char *p, size_t n)
{
	n = rd_pjsua_rtrim(p, n);
	return n == sizeof rd_pjsua_end - 1 &&
	    memcmp(p, rd_pjsua_end, n) == 0;
}

static int
rd_pjsua_blank(const char *p, size_t n)
{
	return rd_pjsua_rtrim(p, n) == 0;
}

static int
rd_pjsua_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p, eol, next, ms, lim, end, q, junk;
	struct rd_pjsua_head h;
	int marked;
	uint32_t line;

	for (;;) {
		/* Everything else in the log is its normal content: counted,
		 * not warned about. */
		p = r->pos;
		junk = 0;
		while (p < r->len) {
			eol = reader_line_end(r, p, &next);
			if (rd_pjsua_head(d + p, eol - p, &h))
				break;
			if (!rd_pjsua_blank(d + p, eol - p))
				junk++;
			p = next;
		}
		r->stats.junk_lines += junk;
		reader_advance(r, p);
		if (p >= r->len)
			return 0;
		ms = next;

		/* The message ends at "--end msg--". pj_log cuts lines
		 * longer than its buffer (4000 bytes): then the next log
		 * line or packet comes first. */
		marked = 0;
		lim = r->len;
		for (q = ms; q < r->len; q = next) {
			eol = reader_line_end(r, q, &next);
			if (rd_pjsua_is_end(d + q, eol - q)) {
				marked = 1;
				lim = q;
				break;
			}
			if (rd_pjsua_head(d + q, eol - q, &h) ||
			    rd_pjsua_logline(d + q, eol - q)) {
				lim = q;
				break;
			}
		}
		if (r->follow && !marked && lim == r->len)
			return reader_wait(r, rec, p);
		end = marked ? next : lim;
		eol = reader_line_end(r, p, &next);
		rd_pjsua_head(d + p, eol - p, &h);
		eol = reader_line_end(r, ms, &next);
		if (ms < lim && rd_raw_is_start(d + ms, eol - ms))
			break;
		/* A packet that is not SIP (a STUN or keep-alive): its lines
		 * are junk, warned about unless blank. */
		line = r->line;
		reader_advance(r, ms);
		junk = 0;
		for (q = ms; q < lim; q = next) {
			eol = reader_line_end(r, q, &next);
			if (!rd_pjsua_blank(d + q, eol - q))
				junk++;
		}
		r->stats.junk_lines += junk;
		if (junk != 0)
			reader_warn(r, line, "skipped %zu line%s: no SIP "
			    "message in the packet", junk, junk == 1 ? "" : "s");
		reader_advance(r, end);
	}

	memset(rec, 0, sizeof *rec);
	rec->time = TIME_NONE;
	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	eol = reader_line_end(r, p, &next);
	rd_pjsua_time(d + p, eol - p, rec);
	if (!rec->has_date) {
		rec->time = rd_tod_roll(&((struct rd_pjsua_state *)
		    r->state)->roll, rec->time);
		rec->tod_only = rec->time != TIME_NONE;
	}
	rd_raw_split_logged(d, ms, lim, marked, rec);
	/* The log gives the peer's address only: its own end is local. */
	if (h.tx) {
		rec->dir = DIR_OUT;
		rec->src = SPAN_LIT("local");
		rec->dst = h.addr;
	} else {
		rec->dir = DIR_IN;
		rec->src = h.addr;
		rec->dst = SPAN_LIT("local");
	}
	rec->transport = h.transport;
	rec->len = end - p;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_pjsua_format = {
	.name = "pjsua",
	.desc = "pjsua / pjsip application log (RX/TX ... --end msg--)",
	.probe = rd_pjsua_probe,
	.next = rd_pjsua_next,
	.state_size = sizeof(struct rd_pjsua_state),
	.names_local = 1,
};
