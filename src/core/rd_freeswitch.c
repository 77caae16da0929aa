/* rd_freeswitch: sofia-sip's message log, as FreeSWITCH writes it with
 * "sofia global siptrace on" (and drachtio, and any sofia-sip application
 * with TPORT_LOG=1): "recv 612 bytes from udp/[1.2.3.4]:5060 at
 * 09:15:11.204118:", a line of 72 dashes, then the message with its CRLF
 * turned into LF. Older sofia-sip (FreeSWITCH before 1.10) indents the
 * dash line and every message line by three spaces and closes the block
 * with another dash line; newer versions (FreeSWITCH 1.10 and later) write
 * both unindented and no closing line; drachtio's sofia-sip writes no dash
 * line at all and puts its own date before the stamp.
 *
 * The indented layout puts a prefix on every line, so the messages are not
 * contiguous in the file: the format is a transform. Each message is
 * rebuilt with CRLF line ends (so Content-Length counts right again) and
 * written as a canonical record; addresses are written "1.2.3.4:5060" and
 * "[2001:db8::1]:5060", like the other formats do. */
#include <stdio.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

#define RD_FS_DASHES 72
/* Longest address "[v6]:port" and transport name kept. */
#define RD_FS_ADDR 64
#define RD_FS_PROTO 8
#define RD_FS_HALFDAY (RD_DAY / 2)
/* sofia logs 16000 bytes of a block at most (stamp, dash line, message
 * with LF for CRLF): a message rebuilt past this was cut there. */
#define RD_FS_LOGGED_MAX 15000

struct rd_fs_head {
	enum msg_dir dir;
	char addr[RD_FS_ADDR];
	char proto[RD_FS_PROTO];
	int64_t time;
};

static size_t
rd_fs_rtrim(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
	    p[n - 1] == '\t'))
		n--;
	return n;
}

/* Whether line p[0..n) is the dash line, indented by indent spaces. */
static int
rd_fs_dashes(const char *p, size_t n, size_t indent)
{
	size_t i;

	n = rd_fs_rtrim(p, n);
	if (n != indent + RD_FS_DASHES)
		return 0;
	for (i = 0; i < indent; i++) {
		if (p[i] != ' ')
			return 0;
	}
	for (; i < n; i++) {
		if (p[i] != '-')
			return 0;
	}
	return 1;
}

/* Length of a "2025-03-11 09:15:11.204118 " date at the start of line
 * p[0..n), or 0: drachtio writes its log lines, the stamp among them, with
 * one. */
static size_t
rd_fs_dateprefix(const char *p, size_t n)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t i;

	if (n < sizeof shape)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? !rd_digit(p[i]) : p[i] != shape[i])
			return 0;
	}
	if (p[i] == '.')
		for (i++; i < n && rd_digit(p[i]); i++)
			;
	return i < n && p[i] == ' ' ? i + 1 : 0;
}

/* Parses "recv|send N bytes from|to PROTO/[ADDR]:PORT[...] at
 * HH:MM:SS.uuuuuu:" at p[0..n), after drachtio's date if there is one; h
 * may be NULL. */
static int
rd_fs_stamp(const char *p, size_t n, struct rd_fs_head *h)
{
	const char *at, *br, *close, *proto;
	size_t i, pn, an, k;
	int hh, mm, ss, tx;
	long us = 0;

	n = rd_fs_rtrim(p, n);
	k = rd_fs_dateprefix(p, n);
	p += k;
	n -= k;
	if (n < 40 || p[n - 1] != ':')
		return 0;
	if (memcmp(p, "recv ", 5) == 0)
		tx = 0;
	else if (memcmp(p, "send ", 5) == 0)
		tx = 1;
	else
		return 0;
	for (i = 5; i < n && rd_digit(p[i]); i++)
		;
	if (i == 5)
		return 0;
	if (tx ? (n - i < 10 || memcmp(p + i, " bytes to ", 10) != 0) :
	    (n - i < 12 || memcmp(p + i, " bytes from ", 12) != 0))
		return 0;
	i += tx ? 10 : 12;
	proto = p + i;
	br = memchr(proto, '/', n - i);
	if (br == NULL || (size_t)(br - proto) >= RD_FS_PROTO ||
	    br == proto || br + 1 >= p + n || br[1] != '[')
		return 0;
	pn = (size_t)(br - proto);
	close = memchr(br, ']', (size_t)(p + n - br));
	if (close == NULL || close + 2 >= p + n || close[1] != ':' ||
	    !rd_digit(close[2]))
		return 0;
	an = (size_t)(close - br - 2);
	/* " at HH:MM:SS.uuuuuu:" ends the line. */
	if (n < 20)
		return 0;
	at = p + n - 20;
	if (memcmp(at, " at ", 4) != 0 || at[6] != ':' || at[9] != ':' ||
	    at[12] != '.' || at < close)
		return 0;
	for (k = 4; k < 19; k++) {
		if (k != 6 && k != 9 && k != 12 && !rd_digit(at[k]))
			return 0;
	}
	hh = (at[4] - '0') * 10 + (at[5] - '0');
	mm = (at[7] - '0') * 10 + (at[8] - '0');
	ss = (at[10] - '0') * 10 + (at[11] - '0');
	if (hh > 23 || mm > 59 || ss > 60)
		return 0;
	if (h == NULL)
		return 1;
	for (k = 13; k < 19; k++)
		us = us * 10 + (at[k] - '0');
	h->dir = tx ? DIR_OUT : DIR_IN;
	h->time = time_from_civil(1970, 1, 1, hh, mm, ss, us);
	for (k = 0; k < pn; k++)
		h->proto[k] = (char)(proto[k] >= 'a' && proto[k] <= 'z' ?
		    proto[k] - 'a' + 'A' : proto[k]);
	h->proto[pn] = '\0';
	/* The port runs to the first byte that is no digit. */
	for (k = 2; close + k < at && rd_digit(close[k]); k++)
		;
	if (memchr(br + 2, ':', an) != NULL)
		snprintf(h->addr, RD_FS_ADDR, "[%.*s]:%.*s", (int)an, br + 2,
		    (int)(k - 2), close + 2);
	else
		snprintf(h->addr, RD_FS_ADDR, "%.*s:%.*s", (int)an, br + 2,
		    (int)(k - 2), close + 2);
	return 1;
}

/* Whether line p[0..n) is one of FreeSWITCH's own log lines,
 * "2025-03-11 09:15:11.204118 [DEBUG] ...": it ends a message. */
static int
rd_fs_logline(const char *p, size_t n)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t i;

	if (n < sizeof shape)
		return 0;
	for (i = 0; i < sizeof shape - 1; i++) {
		if (shape[i] == 'd' ? !rd_digit(p[i]) : p[i] != shape[i])
			return 0;
	}
	return 1;
}

/* The date and time of day of a FreeSWITCH log line (the caller checked
 * its shape): *day is the day's first microsecond, *tod the rest. */
static int
rd_fs_logdate(const char *p, int64_t *day, int64_t *tod)
{
	int v[6], i, k;
	static const int at[6] = { 0, 5, 8, 11, 14, 17 };
	static const int w[6] = { 4, 2, 2, 2, 2, 2 };

	for (i = 0; i < 6; i++) {
		v[i] = 0;
		for (k = 0; k < w[i]; k++)
			v[i] = v[i] * 10 + (p[at[i] + k] - '0');
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 ||
	    v[4] > 59 || v[5] > 60)
		return 0;
	*day = time_from_civil(v[0], v[1], v[2], 0, 0, 0, 0);
	*tod = time_from_civil(1970, 1, 1, v[3], v[4], v[5], 0);
	return 1;
}

/* Content-Length value of header line p[0..n), or -1. */
static long long
rd_fs_clen_line(const char *p, size_t n)
{
	size_t i = 0;
	long long v = -1;

	if (n > 14 && strncasecmp(p, "Content-Length", 14) == 0)
		i = 14;
	else if (n > 1 && (p[0] == 'l' || p[0] == 'L') &&
	    (p[1] == ':' || p[1] == ' ' || p[1] == '\t'))
		i = 1;
	if (i == 0)
		return -1;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i >= n || p[i] != ':')
		return -1;
	for (i++; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	for (; i < n && rd_digit(p[i]); i++) {
		v = (v < 0 ? 0 : v * 10) + (p[i] - '0');
		if (v > (1LL << 40))
			return -1;
	}
	return v;
}

/* Whether line p[0..n) is a FreeSWITCH log line with its microseconds and
 * level: "2025-03-11 09:15:11.204118 [DEBUG] " (1.10 adds the idle CPU,
 * "97.33% ", before the level). */
static int
rd_fs_logline_strict(const char *p, size_t n)
{
	size_t i;

	if (n < 30 || !rd_fs_logline(p, n) || p[19] != '.')
		return 0;
	for (i = 20; i < 26; i++) {
		if (!rd_digit(p[i]))
			return 0;
	}
	if (p[26] != ' ')
		return 0;
	for (i = 27; i < n && i < 36 && p[i] != '['; i++) {
		if (!rd_digit(p[i]) && p[i] != '.' && p[i] != '%' &&
		    p[i] != ' ')
			return 0;
	}
	return i < n && p[i] == '[';
}

/* Where, in line p[0..n) of a message in the unindented layout, the next
 * stamp or log line starts glued to it, or n. sofia logs a block in one
 * piece, stamp, dash line and message, and adds no line break after the
 * message's last byte: a body that does not end in CRLF (the text of a
 * MESSAGE) or a message sofia cut at its 16000 bytes runs into whatever
 * is logged next, "Alicesend 260 bytes to udp/[...]:5060 at ...:". Only
 * where a stamp could start is it parsed, so that a long line stays cheap. */
static size_t
rd_fs_glued(const char *p, size_t n)
{
	size_t k, d, m = rd_fs_rtrim(p, n);
	int colon = m > 0 && p[m - 1] == ':';

	for (k = 1; k + 20 < n; k++) {
		if (rd_digit(p[k]) && p[k + 4] == '-') {
			if (rd_fs_logline_strict(p + k, n - k))
				return k;
			/* drachtio's date before its stamp. */
			d = rd_fs_dateprefix(p + k, n - k);
			if (colon && d != 0 && k + d + 5 < n &&
			    (memcmp(p + k + d, "recv ", 5) == 0 ||
			    memcmp(p + k + d, "send ", 5) == 0) &&
			    rd_fs_stamp(p + k, n - k, NULL))
				return k;
		} else if (colon && (memcmp(p + k, "recv ", 5) == 0 ||
		    memcmp(p + k, "send ", 5) == 0) &&
		    rd_fs_stamp(p + k, n - k, NULL))
			return k;
	}
	return n;
}

static int
rd_fs_probe(const char *p, size_t n)
{
	size_t i = 0, eol, next, eol2;
	const char *nl;
	int stamps = 0, logged = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		next = nl != NULL ? eol + 1 : n;
		logged += rd_fs_logline_strict(p + i, eol - i);
		if (rd_fs_stamp(p + i, eol - i, NULL)) {
			stamps++;
			nl = memchr(p + next, '\n', n - next);
			eol2 = nl != NULL ? (size_t)(nl - p) : n;
			/* drachtio writes no dash line. */
			if (next < n && (rd_fs_dashes(p + next, eol2 - next,
			    0) || rd_fs_dashes(p + next, eol2 - next, 3) ||
			    rd_raw_is_start(p + next, eol2 - next)))
				return 95;
		}
		i = next;
	}
	if (stamps > 0)
		return 50;
	/* A FreeSWITCH log whose siptrace starts further in than the probe
	 * looks: a guess just above the threshold. */
	return logged >= 3 ? 35 : 0;
}

/* The reading of one block. */
struct rd_fs_ctx {
	struct reader *r;
	int dated;		/* a log line gave the date: */
	int64_t day;		/* its day */
	int64_t tod;		/* and its time of day */
	struct rd_tod roll;	/* undated: the midnights passed */
	struct strbuf msg;	/* the message, rebuilt with CRLF */
	size_t p;		/* next line to read */
	uint32_t line;		/* its number */
	size_t records;
};

/* Reads line p of the input: its text (no CR/LF) and the offset after. */
static struct span
rd_fs_line(struct rd_fs_ctx *c, size_t p, size_t *next)
{
	size_t eol = reader_line_end(c->r, p, next), n = eol - p;

	if (n > 0 && c->r->data[eol - 1] == '\r')
		n--;
	return (struct span){ c->r->data + p, n };
}

static int
rd_fs_blank(struct span s)
{
	return rd_fs_rtrim(s.p, s.n) == 0;
}

/* Collects the message of a block whose stamp was on the line before c->p;
 * indent is 3 for the old layout. Stops after the closing dash line (old
 * layout), at the next stamp, log line or dash line, or once the body has
 * its Content-Length (new layout: what follows is not ours). Returns 1 when
 * the block said where it ends, 0 when it was cut short, -1 when it holds
 * no SIP message. *junk counts the non-blank lines skipped on the way,
 * *encoded says the block was binary (STUN). */
static int
rd_fs_collect(struct rd_fs_ctx *c, size_t indent, size_t *junk,
    int *encoded)
{
	struct span s;
	size_t next, body0 = 0, glued;
	long long cl = -1, v;
	int in_body = 0, first = 1, sip = 0;

	strbuf_reset(&c->msg);
	*encoded = 0;
	while (c->p < c->r->len) {
		s = rd_fs_line(c, c->p, &next);
		if (rd_fs_stamp(s.p, s.n, NULL) || rd_fs_logline(s.p, s.n) ||
		    rd_fs_dashes(s.p, s.n, 0))
			return sip ? 0 : -1;
		c->p = next;
		c->line++;
		if (indent != 0 && rd_fs_dashes(s.p, s.n, indent))
			return sip ? 1 : -1;
		if (indent != 0) {
			/* Lines without the indent are someone else's debug
			 * output, written between ours. */
			if (s.n < indent || memcmp(s.p, "   ", indent) != 0) {
				if (!rd_fs_blank(s))
					(*junk)++;
				continue;
			}
			s.p += indent;
			s.n -= indent;
			if (s.n == 14 && memcmp(s.p, "<ENCODED DATA>", 14) ==
			    0)
				*encoded = 1;
		}
		if (first) {
			first = 0;
			sip = rd_raw_is_start(s.p, s.n);
		}
		if (!sip) {
			if (!rd_fs_blank(s) && !*encoded)
				(*junk)++;
			continue;
		}
		/* In a body with a Content-Length, only where the body
		 * ends, or where sofia's 16000 bytes would: a text that
		 * quotes a stamp (a support chat's MESSAGE) keeps it. */
		if (indent == 0 && (glued = rd_fs_glued(s.p, s.n)) < s.n &&
		    (!in_body || cl < 0 ||
		    (long long)(c->msg.len - body0 + glued) >= cl ||
		    c->msg.len + glued >= RD_FS_LOGGED_MAX)) {
			/* The message ends there, without a line break; the
			 * next block starts on the same line. */
			strbuf_add(&c->msg, s.p, glued);
			c->p = (size_t)(s.p + glued - c->r->data);
			c->line--;
			return 1;
		}
		strbuf_add(&c->msg, s.p, s.n);
		strbuf_add(&c->msg, "\r\n", 2);
		if (!in_body) {
			if (s.n == 0) {
				in_body = 1;
				body0 = c->msg.len;
			} else if (cl < 0 &&
			    (v = rd_fs_clen_line(s.p, s.n)) >= 0)
				cl = v;
		}
		if (indent == 0 && in_body && cl >= 0 &&
		    (long long)(c->msg.len - body0) >= cl)
			return 1;
	}
	return sip ? 0 : -1;
}

/* Converts the whole log into canonical records (see the top of the
 * file). Returns -1 when it holds no SIP message. */
static int
rd_fs_transform(struct reader *r, struct strbuf *out, char **err)
{
	struct rd_fs_ctx c;
	struct rd_fs_head h;
	struct rd_record rec;
	struct span s;
	size_t next, indent, junk = 0, bjunk;
	uint32_t line;
	int got, encoded, has_cl;

	(void)err;
	memset(&c, 0, sizeof c);
	c.r = r;
	c.p = r->pos;
	c.line = r->line;
	strbuf_init(&c.msg);
	/* sofia-sip stamps a message with the time of day only; the
	 * FreeSWITCH log lines around it give the date. Messages before the
	 * first log line take its date too, so that a file's times all have
	 * a date or none has. */
	for (c.p = r->pos; c.p < r->len && !c.dated; c.p = next) {
		s = rd_fs_line(&c, c.p, &next);
		if (rd_fs_logline(s.p, s.n))
			c.dated = rd_fs_logdate(s.p, &c.day, &c.tod);
	}
	c.p = r->pos;
	while (c.p < r->len) {
		reader_release(r, c.p);
		s = rd_fs_line(&c, c.p, &next);
		if (rd_fs_logline(s.p, s.n))
			rd_fs_logdate(s.p, &c.day, &c.tod);
		if (!rd_fs_stamp(s.p, s.n, &h)) {
			/* FreeSWITCH's own log lines, sofia's debug output:
			 * the normal content of the log, counted only. */
			if (!rd_fs_blank(s))
				junk++;
			c.p = next;
			c.line++;
			continue;
		}
		line = c.line;
		c.p = next;
		c.line++;
		indent = 0;
		if (c.p < r->len) {
			s = rd_fs_line(&c, c.p, &next);
			if (rd_fs_dashes(s.p, s.n, 3))
				indent = 3;
			if (indent != 0 || rd_fs_dashes(s.p, s.n, 0)) {
				c.p = next;
				c.line++;
			}
		}
		bjunk = 0;
		got = rd_fs_collect(&c, indent, &bjunk, &encoded);
		junk += bjunk;
		if (got < 0) {
			if (bjunk != 0)
				reader_warn(r, line, "skipped %zu line%s: no "
				    "SIP message in the block", bjunk,
				    bjunk == 1 ? "" : "s");
			continue;
		}
		/* Debug lines written between a message's lines are the
		 * log's normal content too. */
		memset(&rec, 0, sizeof rec);
		rec.kind = REC_SIP;
		rec.line = line;
		/* Rebuilt with CRLF, the message matches its Content-Length
		 * again, unless sofia cut it (it logs 16000 bytes at most)
		 * or the log ends inside it. */
		rd_raw_split(c.msg.buf, 0, c.msg.len, &rec, &has_cl);
		rec.time = h.time;
		rec.time_prec = 6;
		if (c.dated) {
			/* The message may be on the other side of midnight
			 * from the log line. */
			if (h.time - c.tod < -RD_FS_HALFDAY)
				rec.time += RD_DAY;
			else if (h.time - c.tod > RD_FS_HALFDAY)
				rec.time -= RD_DAY;
			rec.time += c.day;
			rec.has_date = 1;
		} else {
			rec.time = rd_tod_roll(&c.roll, h.time);
			rec.tod_only = 1;
		}
		/* The log gives the peer's address only: its own end is
		 * local. */
		rec.dir = h.dir;
		if (h.dir == DIR_IN) {
			rec.src = (struct span){ h.addr, strlen(h.addr) };
			rec.dst = SPAN_LIT("local");
		} else {
			rec.src = SPAN_LIT("local");
			rec.dst = (struct span){ h.addr, strlen(h.addr) };
		}
		rec.transport = (struct span){ h.proto, strlen(h.proto) };
		if (rec.flags & RECF_TRUNCATED)
			reader_warn(r, line, "message cut short (kept, flagged "
			    "truncated)");
		rd_canon_emit(out, &rec);
		reader_spill(r, out);
		c.records++;
	}
	r->stats.junk_lines += junk;
	reader_advance(r, r->len);
	strbuf_free(&c.msg);
	return c.records > 0 ? 0 : -1;
}

const struct rd_format rd_freeswitch_format = {
	.name = "freeswitch",
	.desc = "FreeSWITCH / sofia-sip siptrace (recv/send N bytes ... at "
	    "HH:MM:SS)",
	.probe = rd_fs_probe,
	.transform = rd_fs_transform,
	.names_local = 1,
};
