/* rd_kamailio: Kamailio's own traces. The sipdump module's text files give
 * one block per message: "====================", "tag: rcv|snd", time,
 * protocol and addresses, "~~~~~~~~~~~~~~~~~~~~", the message, and a run
 * of "|" (sipdump_data_print()). The debugger module's dbg_sip_msg() writes
 * "----- START OF SIP message debug -----" blocks (message, header diffs,
 * body diffs, END line) into the log, with no time or addresses; in a
 * syslog file each block is one "#012"-joined line (kamailio-syslog). */
#include <stdio.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

static const char rd_kamailio_eq[] = "====================";
static const char rd_kamailio_tilde[] = "~~~~~~~~~~~~~~~~~~~~";
static const char rd_kamailio_bar[] = "||||||||||||||||||||";
static const char rd_kamailio_dstart[] = "- START OF SIP message debug -";
static const char rd_kamailio_ddiffs[] = "- SIP header diffs -";
static const char rd_kamailio_dend[] = "- END OF SIP message debug -";

enum {
	RD_KAMAILIO_NONE = 0,
	RD_KAMAILIO_DUMP,
	RD_KAMAILIO_DEBUG,
};

/* Addresses are two fields in the file: the record's spans point here. */
struct rd_kamailio_state {
	char src[80];
	char dst[80];
	char transport[16];
};

static int
rd_kamailio_starts(const char *p, size_t n, const char *s, size_t sn)
{
	return n >= sn && memcmp(p, s, sn) == 0;
}

/* Which block the line at p opens (it looks at the line after it too). */
static int
rd_kamailio_head(const char *d, size_t len, size_t p)
{
	const char *nl;
	size_t eol, n;

	nl = memchr(d + p, '\n', len - p);
	eol = nl != NULL ? (size_t)(nl - d) : len;
	n = eol - p;
	if (rd_kamailio_starts(d + p, n, rd_kamailio_eq,
	    sizeof rd_kamailio_eq - 1)) {
		if (nl != NULL && rd_kamailio_starts(d + eol + 1,
		    len - eol - 1, "tag: ", 5))
			return RD_KAMAILIO_DUMP;
		return RD_KAMAILIO_NONE;
	}
	if (n >= sizeof rd_kamailio_dstart - 1 && d[p] == '-' &&
	    memmem(d + p, n, rd_kamailio_dstart,
	    sizeof rd_kamailio_dstart - 1) != NULL)
		return RD_KAMAILIO_DEBUG;
	return RD_KAMAILIO_NONE;
}

static int
rd_kamailio_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

/* Whether line p[0..n) is one of Kamailio's own on its standard error,
 * " 3(2831) INFO: <core> [core/tcp_main.c:1234]: ...": the process
 * number, the pid, the level. */
static int
rd_kamailio_logline(const char *p, size_t n)
{
	size_t i = 0, s;

	while (i < n && p[i] == ' ')
		i++;
	for (s = i; i < n && rd_digit(p[i]); i++)
		;
	if (i == s || i >= n || p[i++] != '(')
		return 0;
	for (s = i; i < n && rd_digit(p[i]); i++)
		;
	if (i == s || i + 1 >= n || p[i] != ')' || p[i + 1] != ' ')
		return 0;
	for (i += 2, s = i; i < n && p[i] >= 'A' && p[i] <= 'Z'; i++)
		;
	return i > s && i + 1 < n && p[i] == ':' && p[i + 1] == ' ';
}

static int
rd_kamailio_probe(const char *p, size_t n)
{
	size_t i = 0, eol;
	const char *nl;
	int logged = 0;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		logged += rd_kamailio_logline(p + i, eol - i);
		switch (rd_kamailio_head(p, n, i)) {
		case RD_KAMAILIO_DUMP:
			return memmem(p + i, n - i, rd_kamailio_tilde,
			    sizeof rd_kamailio_tilde - 1) != NULL ? 95 : 70;
		case RD_KAMAILIO_DEBUG:
			return 90;
		}
		if (nl == NULL)
			break;
		i = eol + 1;
	}
	/* Kamailio's standard error (-E, log_stderror) whose first debugger
	 * block comes further in than the probe looks (its start-up at a
	 * debug level is long): a guess just above the threshold, as for
	 * Asterisk's full log. */
	return logged >= 3 ? 35 : 0;
}

/* Value of "name: value" line p[0..n), trimmed. */
static int
rd_kamailio_field(const char *p, size_t n, const char *name,
    struct span *val)
{
	size_t nl = strlen(name);

	if (n < nl || memcmp(p, name, nl) != 0)
		return 0;
	*val = span_trim((struct span){ p + nl, n - nl });
	return 1;
}

/* Writes "ip:port" ("[ip]:port" for IPv6) into out. */
static void
rd_kamailio_addr(char *out, size_t outsz, struct span ip, struct span port,
    struct span *res)
{
	int n;

	if (ip.n == 0) {
		*res = SPAN_NULL;
		return;
	}
	if (ip.n > 64)
		ip.n = 64;
	if (port.n > 8)
		port.n = 8;
	if (memchr(ip.p, ':', ip.n) != NULL && ip.p[0] != '[')
		n = snprintf(out, outsz, "[%.*s]", (int)ip.n, ip.p);
	else
		n = snprintf(out, outsz, "%.*s", (int)ip.n, ip.p);
	if (port.n > 0 && n > 0 && (size_t)n < outsz)
		n += snprintf(out + n, outsz - (size_t)n, ":%.*s",
		    (int)port.n, port.p);
	if (n < 0)
		n = 0;
	if ((size_t)n >= outsz)
		n = (int)outsz - 1;
	res->p = out;
	res->n = (size_t)n;
}

/* "1732636800.123456": seconds since the epoch, UTC. */
static void
rd_kamailio_time(struct span v, struct rd_record *rec)
{
	int64_t secs = 0;
	long us = 0;
	size_t i;
	int prec = 0;

	for (i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++) {
		if (i >= 12)
			return;
		secs = secs * 10 + (v.p[i] - '0');
	}
	if (i == 0)
		return;
	if (i < v.n && v.p[i] == '.')
		rd_fraction(v.p, v.n, i + 1, &us, &prec);
	rec->time = secs * 1000000 + us;
	rec->time_prec = prec;
	rec->has_date = 1;
}

/* Reads the fields of a sipdump block from p up to its "~~~" line; returns
 * the offset of the message (after that line), or 0 when the block is cut
 * short (*stop is then where the next block or the end is). */
static size_t
rd_kamailio_fields(struct reader *r, size_t p, struct rd_record *rec,
    size_t *stop)
{
	struct rd_kamailio_state *st = r->state;
	const char *d = r->data;
	struct span v, srcip = SPAN_NULL, srcport = SPAN_NULL;
	struct span dstip = SPAN_NULL, dstport = SPAN_NULL;
	size_t eol, next, n, i;

	for (; p < r->len; p = next) {
		eol = reader_line_end(r, p, &next);
		n = eol - p;
		if (n > 0 && d[eol - 1] == '\r')
			n--;
		if (rd_kamailio_starts(d + p, n, rd_kamailio_tilde,
		    sizeof rd_kamailio_tilde - 1))
			break;
		if (rd_kamailio_head(d, r->len, p) != RD_KAMAILIO_NONE) {
			*stop = p;
			return 0;
		}
		if (rd_kamailio_field(d + p, n, "tag:", &v)) {
			if (span_eq(v, "rcv"))
				rec->dir = DIR_IN;
			else if (span_eq(v, "snd"))
				rec->dir = DIR_OUT;
		} else if (rd_kamailio_field(d + p, n, "time:", &v))
			rd_kamailio_time(v, rec);
		else if (rd_kamailio_field(d + p, n, "proto:", &v)) {
			/* "udp ipv4": the transport is the first word. */
			for (i = 0; i < v.n && v.p[i] != ' ' &&
			    i < sizeof st->transport - 1; i++)
				st->transport[i] = (char)(v.p[i] >= 'a' &&
				    v.p[i] <= 'z' ? v.p[i] - 'a' + 'A' : v.p[i]);
			rec->transport.p = st->transport;
			rec->transport.n = i;
		} else if (rd_kamailio_field(d + p, n, "srcip:", &v))
			srcip = v;
		else if (rd_kamailio_field(d + p, n, "srcport:", &v))
			srcport = v;
		else if (rd_kamailio_field(d + p, n, "dstip:", &v))
			dstip = v;
		else if (rd_kamailio_field(d + p, n, "dstport:", &v))
			dstport = v;
	}
	rd_kamailio_addr(st->src, sizeof st->src, srcip, srcport, &rec->src);
	rd_kamailio_addr(st->dst, sizeof st->dst, dstip, dstport, &rec->dst);
	if (p >= r->len) {
		*stop = r->len;
		return 0;
	}
	return next;
}

/* Finds the end of a message that starts at msg: the first line holding
 * the marker (the marker may follow a body that has no final newline).
 * *lim is where the message stops, *end where the record does; returns 0
 * when the block is cut short by the next one or the end of input. */
static int
rd_kamailio_find_end(struct reader *r, size_t msg, const char *marker,
    size_t mn, size_t *lim, size_t *end)
{
	const char *d = r->data, *m;
	size_t q, eol, next;

	for (q = msg; q < r->len; q = next) {
		eol = reader_line_end(r, q, &next);
		if (q > msg && rd_kamailio_head(d, r->len, q) !=
		    RD_KAMAILIO_NONE) {
			*lim = *end = q;
			return 0;
		}
		m = memmem(d + q, eol - q, marker, mn);
		if (m != NULL) {
			*lim = (size_t)(m - d);
			/* The debug markers are runs of dashes. */
			while (*lim > q && d[*lim - 1] == '-')
				(*lim)--;
			*end = next;
			return 1;
		}
	}
	*lim = *end = r->len;
	return 0;
}

/* Whether the header block of a message split by rd_raw_split() ended
 * with its blank line (the body starts right after one). */
static int
rd_kamailio_had_blank(const char *d, const struct rd_record *rec)
{
	size_t b = (size_t)(rec->body.p - d),
	    s = (size_t)(rec->start.p + rec->start.n - d);

	if (b < s + 2 || d[b - 1] != '\n')
		return 0;
	return d[b - 2] == '\n' || (b >= s + 3 && d[b - 2] == '\r' &&
	    d[b - 3] == '\n');
}

static int
rd_kamailio_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p = r->pos, eol, next, junk = 0, msg = 0, lim, end, q, stop = 0;
	size_t e2;
	uint32_t line = r->line, first = 0;
	int kind = RD_KAMAILIO_NONE, has_cl, whole;


	while (p < r->len) {
		kind = rd_kamailio_head(d, r->len, p);
		if (kind != RD_KAMAILIO_NONE)
			break;
		eol = reader_line_end(r, p, &next);
		if (r->follow && next >= r->len &&
		    rd_kamailio_starts(d + p, eol - p, rd_kamailio_eq,
		    sizeof rd_kamailio_eq - 1)) {
			/* Following, a sipdump block's first line is the
			 * last written: its "tag:" line may come. */
			kind = RD_KAMAILIO_DUMP;
			break;
		}
		if (!rd_kamailio_blank(d + p, eol - p) && junk++ == 0)
			first = line;
		line++;
		p = next;
	}
	if (junk != 0) {
		r->stats.junk_lines += junk;
		/* A sipdump file holds nothing else; the debugger's blocks
		 * live in a log full of other lines. */
		if (kind == RD_KAMAILIO_DUMP)
			reader_warn(r, first, "skipped %zu line%s outside any "
			    "SIP message", junk, junk == 1 ? "" : "s");
	}
	reader_advance(r, p);
	if (p >= r->len)
		return 0;

	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	rec->dir = DIR_UNKNOWN;
	reader_line_end(r, p, &q);
	if (kind == RD_KAMAILIO_DUMP) {
		msg = rd_kamailio_fields(r, q, rec, &stop);
		if (msg == 0) {
			lim = end = stop;
			whole = 0;
		} else
			whole = rd_kamailio_find_end(r, msg, rd_kamailio_bar,
			    sizeof rd_kamailio_bar - 1, &lim, &end);
	} else {
		msg = q;
		whole = rd_kamailio_find_end(r, msg, rd_kamailio_ddiffs,
		    sizeof rd_kamailio_ddiffs - 1, &lim, &end);
		if (whole) {
			/* The diffs run to the END line. */
			whole = rd_kamailio_find_end(r, end, rd_kamailio_dend,
			    sizeof rd_kamailio_dend - 1, &e2, &end);
		}
	}
	if (msg == 0 || msg >= lim) {
		rec->start.p = rec->hdrs.p = rec->body.p = d + lim;
		rec->flags |= RECF_TRUNCATED;
	} else {
		rd_raw_split(d, msg, lim, rec, &has_cl);
		if (!whole)
			rec->flags |= RECF_TRUNCATED;
		else if (has_cl && (rec->flags & RECF_TRUNCATED) &&
		    rd_kamailio_had_blank(d, rec)) {
			/* The end marker is there, so the message is whole:
			 * a Content-Length that counts CR bytes the file has
			 * lost is wrong, not the message. */
			rec->body.n = (size_t)(d + lim - rec->body.p);
			rec->flags &= ~(unsigned)RECF_TRUNCATED;
		}
	}
	rec->len = end - rec->off;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_kamailio_format = {
	.name = "kamailio",
	.desc = "Kamailio sipdump text files and debugger START OF SIP "
	    "message debug blocks",
	.probe = rd_kamailio_probe,
	.next = rd_kamailio_next,
	.state_size = sizeof(struct rd_kamailio_state),
};

/* ------------------------------------------------------------ syslog */

/* The debugger's blocks as a syslog file stores them: one line per log
 * call, its line breaks written "#012" (and CR "#015") by rsyslog; or as
 * journalctl shows them, every line of the block indented. The message is
 * rebuilt and the file converted into canonical records. */

static size_t rd_kamailio_journal_start(const char *, size_t);

static const char *const rd_kamailio_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* "HH:MM:SS[.ffffff]" at p[at..n) on day y-mo-d (y 0: no year, the
 * month and day still order the records). */
static void
rd_kamailio_clock(const char *p, size_t n, size_t at, int y, int mo, int d,
    struct rd_record *rec)
{
	size_t i = rd_clock_on(p, n, at, ".", y != 0 ? y : 1970, mo, d,
	    y != 0, rec);
	int64_t off;

	/* An RFC 3339 stamp's offset makes the time UTC. */
	if (i != 0 && y != 0 && rd_utc_offset(p, n, i, &off, &i) == 0)
		rec->time -= off;
}

/* The syslog time at the start of line p[0..n): RFC 3339
 * ("2026-11-26T16:00:00.123456+00:00") or BSD ("Nov 26 16:00:00"). */
static void
rd_kamailio_syslog_time(const char *p, size_t n, struct rd_record *rec)
{
	int y, mo, d, k;
	size_t i;

	if (rd_num(p, n, 0, 4, &y) == 0 && n > 11 && p[4] == '-' &&
	    p[7] == '-' && (p[10] == 'T' || p[10] == ' ') &&
	    rd_num(p, n, 5, 2, &mo) == 0 &&
	    rd_num(p, n, 8, 2, &d) == 0 && mo >= 1 && mo <= 12 &&
	    d >= 1 && d <= 31) {
		rd_kamailio_clock(p, n, 11, y, mo, d, rec);
		return;
	}
	if (n < 15 || p[3] != ' ')
		return;
	for (k = 0; k < 12; k++) {
		if (memcmp(p, rd_kamailio_months[k], 3) != 0)
			continue;
		i = p[4] == ' ' ? 5 : 4;
		if (rd_num(p, n, i, 2, &d) == 0 && p[i + 2] == ' ')
			rd_kamailio_clock(p, n, i + 3, 0, k + 1, d, rec);
		else if (rd_num(p, n, i, 1, &d) == 0 &&
		    p[i + 1] == ' ')
			rd_kamailio_clock(p, n, i + 2, 0, k + 1, d, rec);
		return;
	}
}

/* Appends p[0..n) with rsyslog's "#ooo" escapes of control bytes undone:
 * the message comes back byte for byte. */
static void
rd_kamailio_unescape(struct strbuf *out, const char *p, size_t n)
{
	const char *e = p + n, *h;

	while (p < e) {
		h = memchr(p, '#', (size_t)(e - p));
		if (h == NULL) {
			strbuf_add(out, p, (size_t)(e - p));
			return;
		}
		strbuf_add(out, p, (size_t)(h - p));
		if (e - h >= 4 && h[1] == '0' && h[2] >= '0' && h[2] <= '3' &&
		    h[3] >= '0' && h[3] <= '7') {
			strbuf_addc(out, (char)((h[2] - '0') * 8 + h[3] - '0'));
			p = h + 4;
		} else {
			strbuf_addc(out, '#');
			p = h + 1;
		}
	}
}

/* Where the START marker of a syslog line p[0..n) ends (after its dashes
 * and the escaped line break), or NULL. */
static const char *
rd_kamailio_syslog_start(const char *p, size_t n)
{
	const char *m, *e = p + n;

	m = memmem(p, n, rd_kamailio_dstart, sizeof rd_kamailio_dstart - 1);
	if (m == NULL)
		return NULL;
	/* The marker starts a line of the log call: "#012" before it. */
	while (m > p && m[-1] == '-')
		m--;
	if (m - p < 4 || memcmp(m - 4, "#012", 4) != 0)
		return NULL;
	m = memmem(m, (size_t)(e - m), "#012", 4);
	return m != NULL ? m + 4 : e;
}

static int
rd_kamailio_syslog_probe(const char *p, size_t n)
{
	const char *nl, *e = p + n;

	while (p < e) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (rd_kamailio_syslog_start(p, (size_t)((nl != NULL ? nl :
		    e) - p)) != NULL)
			return 90;
		if (rd_kamailio_journal_start(p, (size_t)((nl != NULL ? nl :
		    e) - p)) != 0)
			return 85;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

/* journalctl's layout: the block on lines of their own, each indented to
 * where the log call's text began. Returns the indent of a START line, or
 * 0. */
static size_t
rd_kamailio_journal_start(const char *p, size_t n)
{
	size_t k = 0;

	while (k < n && p[k] == ' ')
		k++;
	if (k == 0 || k >= n || p[k] != '-' ||
	    memmem(p + k, n - k, rd_kamailio_dstart,
	    sizeof rd_kamailio_dstart - 1) == NULL)
		return 0;
	return k;
}

/* Splits the rebuilt message and appends it as a canonical record. */
static void
rd_kamailio_syslog_emit(struct reader *r, struct strbuf *out,
    struct strbuf *msg, struct rd_record *rec, int cut)
{
	int has_cl;

	if (msg->buf == NULL)
		strbuf_add(msg, "", 0);
	rd_raw_split(msg->buf, 0, msg->len, rec, &has_cl);
	if (cut)
		rec->flags |= RECF_TRUNCATED;
	/* start, hdrs and body are written back to back: hdrs keeps the
	 * line ends around it so the record reads as the message did. */
	rec->hdrs.p = rec->start.p + rec->start.n;
	rec->hdrs.n = (size_t)(rec->body.p - rec->hdrs.p);
	if (rec->flags & RECF_TRUNCATED)
		reader_warn(r, rec->line, "message cut short (kept, flagged "
		    "truncated)");
	rd_canon_emit(out, rec);
	reader_spill(r, out);
}

/* Reads a journalctl block whose START line (indented ind) is at p; its
 * lines lose the indent and get CRLF back. Returns the offset after the
 * block and counts its lines in *lines. */
static size_t
rd_kamailio_journal(struct reader *r, struct strbuf *out, size_t p,
    size_t ind, struct rd_record *rec, uint32_t *lines)
{
	const char *d = r->data, *t, *diff;
	size_t q, qe, next, n, i;
	struct strbuf msg;
	int state = 0;		/* 0 message, 1 diffs, 2 done */

	strbuf_init(&msg);
	reader_line_end(r, p, &q);
	for (; q < r->len && state < 2; q = next) {
		qe = reader_line_end(r, q, &next);
		n = qe - q;
		if (n > 0 && d[qe - 1] == '\r')
			n--;
		for (i = 0; i < ind && i < n && d[q + i] == ' '; i++)
			;
		/* A blank line of the message may have lost its indent. */
		if (i < ind && !(i == n && state == 0))
			break;
		t = d + q + i;
		n -= i;
		(*lines)++;
		if (state == 1) {
			if (memmem(t, n, rd_kamailio_dend,
			    sizeof rd_kamailio_dend - 1) != NULL)
				state = 2;
			continue;
		}
		diff = memmem(t, n, rd_kamailio_ddiffs,
		    sizeof rd_kamailio_ddiffs - 1);
		if (diff != NULL) {
			while (diff > t && diff[-1] == '-')
				diff--;
			strbuf_add(&msg, t, (size_t)(diff - t));
			state = 1;
			continue;
		}
		strbuf_add(&msg, t, n);
		strbuf_add(&msg, "\r\n", 2);
	}
	rd_kamailio_syslog_emit(r, out, &msg, rec, state == 0);
	strbuf_free(&msg);
	return q;
}

static int
rd_kamailio_syslog_transform(struct reader *r, struct strbuf *out,
    char **err)
{
	const char *d = r->data, *m, *le, *diff;
	size_t p = r->pos, eol, next, lim, ind, prev = r->len, preve = 0;
	uint32_t line = r->line, more;
	struct strbuf msg;
	struct rd_record rec;
	struct rd_tod roll;	/* a BSD stamp has no year (rd_year_roll) */
	int found = 0;

	(void)err;
	memset(&roll, 0, sizeof roll);
	strbuf_init(&msg);
	for (; p < r->len; prev = p, preve = eol, p = next, line++) {
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		memset(&rec, 0, sizeof rec);
		rec.kind = REC_SIP;
		rec.line = line;
		rec.time = TIME_NONE;
		m = rd_kamailio_syslog_start(d + p, eol - p);
		if (m == NULL && (ind = rd_kamailio_journal_start(d + p,
		    eol - p)) != 0) {
			/* The time is on the log call's first line. */
			found = 1;
			if (prev < p)
				rd_kamailio_syslog_time(d + prev, preve - prev,
				    &rec);
			if (!rec.has_date)
				rec.time = rd_year_roll(&roll, rec.time);
			more = 0;
			next = rd_kamailio_journal(r, out, p, ind, &rec, &more);
			line += more;
			eol = p;
			continue;
		}
		if (m == NULL) {
			if (eol > p)
				r->stats.junk_lines++;
			continue;
		}
		found = 1;
		le = d + eol;
		if (le > m && le[-1] == '\r')
			le--;
		lim = le > m ? (size_t)(le - m) : 0;
		rd_kamailio_syslog_time(d + p, eol - p, &rec);
		if (!rec.has_date)
			rec.time = rd_year_roll(&roll, rec.time);
		/* The message runs to the header diffs marker; a syslog line
		 * cut by the collector's size limit has none. */
		diff = memmem(m, lim, rd_kamailio_ddiffs,
		    sizeof rd_kamailio_ddiffs - 1);
		if (diff != NULL) {
			while (diff > m && diff[-1] == '-')
				diff--;
			lim = (size_t)(diff - m);
		}
		strbuf_reset(&msg);
		rd_kamailio_unescape(&msg, m, lim);
		rd_kamailio_syslog_emit(r, out, &msg, &rec, diff == NULL);
	}
	strbuf_free(&msg);
	reader_advance(r, r->len);
	return found ? 0 : -1;
}

const struct rd_format rd_kamailio_syslog_format = {
	.name = "kamailio-syslog",
	.desc = "Kamailio debugger blocks in syslog (#012-joined lines) or "
	    "journalctl output",
	.probe = rd_kamailio_syslog_probe,
	.next = NULL,
	.state_size = 0,
	.transform = rd_kamailio_syslog_transform,
};
