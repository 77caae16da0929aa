/* rd_audiocodes: AudioCodes Mediant SBC / gateway syslog, as a syslog
 * server stores it: one record a line, "[S=seq] [SID=session]" and the
 * event, the SIP messages as "---- Incoming SIP Message from 1.2.3.4:5061
 * to SIPInterface #2 (Teams) TLS TO(#3) SocketID(7) ----" (or "Outgoing ...
 * to ... from ...") with their lines joined by "#012", a long message
 * continued in the session's next records, each record ending in
 * "[Time:dd-mm@hh:mm:ss.mmm]" (a collector that keeps the line breaks
 * puts the message on the lines after the header instead). Messages are
 * rebuilt per session and the file converted into canonical records. */
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

static const char rd_ac_in[] = "---- Incoming SIP Message from ";
static const char rd_ac_out[] = "---- Outgoing SIP Message to ";

/* Sessions with a message in progress; the oldest is cut beyond this. */
#define RD_AC_PENDING 64
/* A message that grows beyond this without completing is cut. */
#define RD_AC_MSG_MAX (1u << 20)
/* How far into a line the "[S=" may be (after the syslog prefix). */
#define RD_AC_HEAD_MAX 256

/* One syslog record, parsed. */
struct rd_ac_line {
	struct span sid;
	struct span text;	/* the event, without the [Time:] tail */
	struct rd_record meta;	/* time */
	int tod;		/* the time is a time of day only */
};

/* A message being rebuilt. */
struct rd_ac_pending {
	char sid[48];
	size_t sidn;
	int used;
	uint64_t tick;
	struct strbuf buf;
	size_t hdr_end, scanned;
	long long cl;
	struct rd_record meta;
};

/* The year of an ISO syslog time stamp at the start of the line
 * ("2026-11-26T16:00:00.123456+00:00"), or 0. */
static int
rd_ac_year(const char *p, size_t n)
{
	size_t i = 0;
	int y;

	/* "<134>" when the raw packet was stored. */
	if (n > 0 && p[0] == '<') {
		while (i < n && i < 6 && p[i] != '>')
			i++;
		i++;
	}
	if (rd_num(p, n, i, 4, &y) == 0 && i + 4 < n && p[i + 4] == '-')
		return y;
	return 0;
}

static const char *const rd_ac_months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* "HH:MM:SS[.fff]" at p[at..n) on day y-mo-d (y 0: no year); with off,
 * the UTC offset after it (rd_utc_offset) or TIME_NONE. */
static int
rd_ac_clock(const char *p, size_t n, size_t at, int y, int mo, int d,
    struct rd_record *rec, int64_t *off)
{
	size_t i = rd_clock_on(p, n, at, ".", y != 0 ? y : 1970, mo, d,
	    y != 0, rec);

	if (i == 0)
		return -1;
	if (off != NULL && (y == 0 || rd_utc_offset(p, n, i, off, &i) != 0))
		*off = TIME_NONE;
	return 0;
}

/* The time of the syslog line itself: "2026-11-26T16:50:00.123456+00:00
 * host" (*off its UTC offset, else TIME_NONE), "Nov 26 16:50:00 host", or
 * the Syslog Viewer's "16:50:00.123: 192.0.2.50: NOTICE:". Returns 1 for
 * the last (a time of day only), else 0; rec's time stays TIME_NONE when
 * there is none. */
static int
rd_ac_prefix_time(const char *p, size_t n, struct rd_record *rec,
    int64_t *off)
{
	size_t i = 0;
	int y, mo, d, k;

	*off = TIME_NONE;
	if (n > 0 && p[0] == '<') {
		while (i < n && i < 6 && p[i] != '>')
			i++;
		i++;
	}
	if (rd_num(p, n, i, 4, &y) == 0 && i + 11 < n &&
	    p[i + 4] == '-' && p[i + 7] == '-' &&
	    (p[i + 10] == 'T' || p[i + 10] == ' ') &&
	    rd_num(p, n, i + 5, 2, &mo) == 0 &&
	    rd_num(p, n, i + 8, 2, &d) == 0 && mo >= 1 && mo <= 12 &&
	    d >= 1 && d <= 31) {
		rd_ac_clock(p, n, i + 11, y, mo, d, rec, off);
		return 0;
	}
	if (i + 7 < n && p[i + 3] == ' ') {
		for (k = 0; k < 12; k++) {
			if (memcmp(p + i, rd_ac_months[k], 3) != 0)
				continue;
			i += 4;
			if (p[i] == ' ')
				i++;
			if (rd_num(p, n, i, 2, &d) == 0 && i + 2 < n &&
			    p[i + 2] == ' ')
				rd_ac_clock(p, n, i + 3, 0, k + 1, d, rec,
				    NULL);
			else if (rd_num(p, n, i, 1, &d) == 0 &&
			    i + 1 < n && p[i + 1] == ' ')
				rd_ac_clock(p, n, i + 2, 0, k + 1, d, rec,
				    NULL);
			return 0;
		}
	}
	return rd_ac_clock(p, n, i, 0, 1, 1, rec, NULL) == 0;
}

/* "[Time:26-11@16:00:00.123]" at p[0..n). */
static void
rd_ac_time(const char *p, size_t n, int year, struct rd_record *rec)
{
	int d, mo;

	if (n < 20 || memcmp(p, "[Time:", 6) != 0 || p[8] != '-' ||
	    p[11] != '@' || rd_num(p, n, 6, 2, &d) || rd_num(p, n, 9, 2, &mo) ||
	    d < 1 || d > 31 || mo < 1 || mo > 12)
		return;
	/* Without a year the day and month still order the records; only
	 * the time of day is shown. */
	rd_clock_on(p, n, 12, ".", year != 0 ? year : 1970, mo, d, year != 0,
	    rec);
}

/* Parses the syslog line p[0..n); 0 when it is not an AudioCodes record. */
static int
rd_ac_parse(const char *p, size_t n, struct rd_ac_line *l)
{
	const char *s, *e = p + n, *q, *t, *lo;
	size_t lim = n < RD_AC_HEAD_MAX ? n : RD_AC_HEAD_MAX;
	struct rd_record pre;
	int64_t off;
	int tod;

	while (e > p && (e[-1] == '\r' || e[-1] == ' '))
		e--;
	s = memmem(p, lim, "[S=", 3);
	if (s == NULL)
		return 0;
	for (q = s + 3; q < e && rd_digit(*q); q++)
		;
	if (q == s + 3 || q >= e || *q != ']')
		return 0;
	memset(l, 0, sizeof *l);
	l->meta.time = TIME_NONE;
	q++;
	while (q < e && *q == ' ')
		q++;
	if ((size_t)(e - q) > 5 && memcmp(q, "[SID=", 5) == 0) {
		t = memchr(q + 5, ']', (size_t)(e - q - 5));
		if (t != NULL) {
			l->sid.p = q + 5;
			l->sid.n = (size_t)(t - q - 5);
			q = t + 1;
		}
	}
	while (q < e && *q == ' ')
		q++;
	/* The time tail, near the end. */
	t = e;
	lo = e - q > 40 ? e - 40 : q;
	while (t > lo && !(t < e && t[0] == '[' && (size_t)(e - t) >= 6 &&
	    memcmp(t, "[Time:", 6) == 0))
		t--;
	memset(&pre, 0, sizeof pre);
	pre.time = TIME_NONE;
	tod = rd_ac_prefix_time(p, (size_t)(s - p), &pre, &off);
	if (t > q && t[0] == '[' && (size_t)(e - t) >= 6 &&
	    memcmp(t, "[Time:", 6) == 0) {
		rd_ac_time(t, (size_t)(e - t), rd_ac_year(p, n), &l->meta);
		e = t;
		/* One space separates the tail; more belong to the text. */
		if (e > q && e[-1] == ' ')
			e--;
		/* The device's clock, in a zone the stamp's tells. */
		if (l->meta.time != TIME_NONE && off != TIME_NONE &&
		    pre.time != TIME_NONE)
			l->meta.time = rd_zone_near(l->meta.time, pre.time, off);
	}
	if (l->meta.time == TIME_NONE) {
		l->meta.time = pre.time;
		l->meta.time_prec = pre.time_prec;
		l->meta.has_date = pre.has_date;
		l->tod = tod;
		if (pre.time != TIME_NONE && off != TIME_NONE)
			l->meta.time -= off;
	}
	l->text.p = q;
	l->text.n = (size_t)(e - q);
	return 1;
}

/* Appends the decoded text: "#012" is a line end, "#015" the CR before
 * it (dropped, the line ends are written as CRLF), "#011" a tab. */
static void
rd_ac_decode(struct strbuf *out, const char *p, size_t n)
{
	const char *e = p + n, *h;
	int v;

	while (p < e) {
		h = memchr(p, '#', (size_t)(e - p));
		if (h == NULL) {
			strbuf_add(out, p, (size_t)(e - p));
			return;
		}
		strbuf_add(out, p, (size_t)(h - p));
		if (e - h >= 4 && h[1] == '0' && h[2] >= '0' && h[2] <= '3' &&
		    h[3] >= '0' && h[3] <= '7') {
			v = (h[2] - '0') * 8 + (h[3] - '0');
			if (v == 012)
				strbuf_add(out, "\r\n", 2);
			else if (v != 015)
				strbuf_addc(out, (char)v);
			p = h + 4;
		} else {
			strbuf_addc(out, '#');
			p = h + 1;
		}
	}
}

/* Content-Length of the header block b[0..n), or -1 without one. */
static long long
rd_ac_cl(const char *b, size_t n)
{
	const char *p = b, *e = b + n, *nl, *v;
	unsigned long long cl;

	for (; p < e; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(e - p));
		if (nl == NULL)
			nl = e;
		if ((size_t)(nl - p) > 15 && strncasecmp(p, "Content-Length",
		    14) == 0)
			v = p + 14;
		else if ((size_t)(nl - p) > 2 && (p[0] == 'l' ||
		    p[0] == 'L') && (p[1] == ':' || p[1] == ' ' ||
		    p[1] == '\t'))
			v = p + 1;
		else
			continue;
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= nl || *v != ':')
			continue;
		for (v++; v < nl && (*v == ' ' || *v == '\t'); v++)
			;
		if (v >= nl || !rd_digit(*v))
			continue;
		for (cl = 0; v < nl && rd_digit(*v) && cl < (1ULL << 40);
		    v++)
			cl = cl * 10 + (unsigned)(*v - '0');
		return (long long)cl;
	}
	return -1;
}

/* Appends pending message m to out (cut: flagged truncated) and frees
 * the slot. */
static void
rd_ac_emit(struct reader *r, struct strbuf *out, struct rd_ac_pending *m,
    int cut)
{
	struct rd_record rec = m->meta;
	const char *b = m->buf.buf;
	size_t n = m->buf.len;
	int has_cl;

	if (b != NULL && n > 0) {
		rec.kind = REC_SIP;
		rec.flags = 0;
		rd_raw_split(b, 0, n, &rec, &has_cl);
		if (cut)
			rec.flags |= RECF_TRUNCATED;
		if (!has_cl) {
			/* Less the line ends the log adds after a body. */
			while (rec.body.n > 0 && (rec.body.p[rec.body.n - 1] ==
			    '\n' || rec.body.p[rec.body.n - 1] == '\r'))
				rec.body.n--;
		}
		/* start, hdrs and body are written back to back: hdrs keeps
		 * the line ends around it so the record reads as the
		 * message did. */
		rec.hdrs.p = rec.start.p + rec.start.n;
		rec.hdrs.n = (size_t)(rec.body.p - rec.hdrs.p);
		if (rec.flags & RECF_TRUNCATED)
			reader_warn(r, rec.line, "message cut short (kept, "
			    "flagged truncated)");
		rd_canon_emit(out, &rec);
		reader_spill(r, out);
	}
	strbuf_free(&m->buf);
	memset(m, 0, sizeof *m);
}

/* Emits m when it is whole; 1 when it was. */
static int
rd_ac_check(struct reader *r, struct strbuf *out, struct rd_ac_pending *m)
{
	const char *b = m->buf.buf, *q;
	size_t from;

	if (b == NULL)
		return 0;
	if (m->hdr_end == 0) {
		from = m->scanned > 3 ? m->scanned - 3 : 0;
		q = memmem(b + from, m->buf.len - from, "\r\n\r\n", 4);
		m->scanned = m->buf.len;
		if (q == NULL) {
			if (m->buf.len > RD_AC_MSG_MAX) {
				rd_ac_emit(r, out, m, 1);
				return 1;
			}
			return 0;
		}
		m->hdr_end = (size_t)(q - b) + 4;
		m->cl = rd_ac_cl(b, m->hdr_end);
	}
	if (m->cl <= 0 || m->buf.len - m->hdr_end >= (unsigned long long)m->cl) {
		/* Whatever follows the body is not the message's. */
		if (m->cl >= 0)
			m->buf.len = m->hdr_end + (size_t)m->cl;
		rd_ac_emit(r, out, m, 0);
		return 1;
	}
	if (m->buf.len > RD_AC_MSG_MAX) {
		rd_ac_emit(r, out, m, 1);
		return 1;
	}
	return 0;
}

static struct rd_ac_pending *
rd_ac_find(struct rd_ac_pending *tab, struct span sid)
{
	size_t i, n = sid.n < 48 ? sid.n : 48;

	for (i = 0; i < RD_AC_PENDING; i++) {
		if (tab[i].used && tab[i].sidn == n &&
		    (n == 0 || memcmp(tab[i].sid, sid.p, n) == 0))
			return &tab[i];
	}
	return NULL;
}

/* A free slot for sid, cutting the oldest message when none is free. */
static struct rd_ac_pending *
rd_ac_slot(struct reader *r, struct strbuf *out, struct rd_ac_pending *tab,
    struct span sid, uint64_t tick)
{
	size_t i, best = 0, n = sid.n < 48 ? sid.n : 48;

	for (i = 0; i < RD_AC_PENDING; i++) {
		if (!tab[i].used) {
			best = i;
			break;
		}
		if (tab[i].tick < tab[best].tick)
			best = i;
	}
	if (tab[best].used)
		rd_ac_emit(r, out, &tab[best], 1);
	if (n > 0)
		memcpy(tab[best].sid, sid.p, n);
	tab[best].sidn = n;
	tab[best].used = 1;
	tab[best].tick = tick;
	tab[best].cl = -1;
	strbuf_init(&tab[best].buf);
	return &tab[best];
}

/* Reads the message header in text (which holds marker at m): direction,
 * peer, interface, transport; returns where the message text starts. */
static const char *
rd_ac_head(const char *m, const char *e, int in, struct rd_record *rec)
{
	const char *q, *w, *ifs, *ife, *tr, *dash;

	q = m + (in ? sizeof rd_ac_in - 1 : sizeof rd_ac_out - 1);
	rec->dir = in ? DIR_IN : DIR_OUT;
	w = q;
	while (w < e && *w != ' ')
		w++;
	if (in)
		rec->src = (struct span){ q, (size_t)(w - q) };
	else
		rec->dst = (struct span){ q, (size_t)(w - q) };
	/* "to SIPInterface #2 (Teams) TLS TO(#3) SocketID(7) ----" */
	ifs = memmem(w, (size_t)(e - w), "SIPInterface", 12);
	dash = memmem(w, (size_t)(e - w), " ---", 4);
	if (dash == NULL)
		dash = e;
	if (ifs != NULL && ifs < dash) {
		ife = memchr(ifs, ')', (size_t)(dash - ifs));
		if (ife != NULL)
			ife++;
		else {
			ife = ifs;
			while (ife < dash && *ife != ' ')
				ife++;
		}
		if (in)
			rec->dst = (struct span){ ifs, (size_t)(ife - ifs) };
		else
			rec->src = (struct span){ ifs, (size_t)(ife - ifs) };
		tr = ife;
		while (tr < dash && *tr == ' ')
			tr++;
		for (q = tr; q < dash && *q != ' '; q++)
			;
		if (q - tr >= 2 && q - tr <= 4)
			rec->transport = (struct span){ tr, (size_t)(q - tr) };
	}
	if (rec->src.n == 0)
		rec->src = SPAN_LIT("SBC");
	if (rec->dst.n == 0)
		rec->dst = SPAN_LIT("SBC");
	q = dash;
	while (q < e && (*q == ' ' || *q == '-'))
		q++;
	return q;
}

static int
rd_ac_probe(const char *p, size_t n)
{
	struct rd_ac_line l;
	const char *nl;
	size_t i = 0, eol, recs = 0;

	if (memmem(p, n, rd_ac_in, sizeof rd_ac_in - 1) != NULL ||
	    memmem(p, n, rd_ac_out, sizeof rd_ac_out - 1) != NULL)
		return memmem(p, n, "[S=", 3) != NULL ? 95 : 60;
	/* Only other events in the first kilobytes: a syslog of session
	 * records is still the SBC's. */
	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		if (rd_ac_parse(p + i, eol - i, &l) && l.sid.n > 0)
			recs++;
		if (nl == NULL)
			break;
		i = eol + 1;
	}
	return recs >= 3 ? 40 : 0;
}

static int
rd_ac_transform(struct reader *r, struct strbuf *out, char **err)
{
	const char *d = r->data, *m, *e, *q;
	size_t p = r->pos, eol, next, i, n;
	uint32_t line = r->line;
	struct rd_ac_pending *tab, *pm, *bare = NULL;
	struct rd_ac_line l;
	struct rd_tod roll;
	uint64_t tick = 0;
	int in, found = 0;

	(void)err;
	memset(&roll, 0, sizeof roll);
	tab = xcalloc(RD_AC_PENDING, sizeof *tab);
	for (; p < r->len; p = next, line++) {
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		if (!rd_ac_parse(d + p, eol - p, &l)) {
			if (bare != NULL && bare->used) {
				/* A collector that kept the line breaks: the
				 * message follows on lines of its own. */
				n = eol - p;
				if (n > 0 && d[eol - 1] == '\r')
					n--;
				strbuf_add(&bare->buf, d + p, n);
				strbuf_add(&bare->buf, "\r\n", 2);
				if (rd_ac_check(r, out, bare))
					bare = NULL;
			} else if (eol > p && !(eol - p == 1 && d[p] == '\r'))
				r->stats.junk_lines++;
			continue;
		}
		bare = NULL;
		/* The Syslog Viewer's stamp: a time of day, every line of it
		 * in the log's order. */
		if (l.tod) {
			l.meta.time = rd_tod_roll(&roll, l.meta.time);
			l.meta.tod_only = 1;
		}
		e = l.text.p + l.text.n;
		m = memmem(l.text.p, l.text.n, "---- ", 5);
		in = 0;
		if (m != NULL && (size_t)(e - m) >= sizeof rd_ac_in - 1 &&
		    memcmp(m, rd_ac_in, sizeof rd_ac_in - 1) == 0)
			in = 1;
		else if (m == NULL || (size_t)(e - m) < sizeof rd_ac_out - 1 ||
		    memcmp(m, rd_ac_out, sizeof rd_ac_out - 1) != 0)
			m = NULL;
		pm = rd_ac_find(tab, l.sid);
		if (m != NULL) {
			found = 1;
			/* The record may end the session's open message before
			 * the new one's event "(N 123)" starts. */
			if (pm != NULL && l.text.p[0] != '(') {
				for (q = m; q > l.text.p && !(q[0] == '(' &&
				    e - q > 3 && q[1] == 'N' && q[2] == ' ');
				    q--)
					;
				while (q > l.text.p && q[-1] == ' ')
					q--;
				rd_ac_decode(&pm->buf, l.text.p, (size_t)(q -
				    l.text.p));
				if (rd_ac_check(r, out, pm))
					pm = NULL;
			}
			/* A new message: one still open in the session was
			 * cut short. */
			if (pm != NULL)
				rd_ac_emit(r, out, pm, 1);
			pm = rd_ac_slot(r, out, tab, l.sid, ++tick);
			pm->meta = l.meta;
			pm->meta.line = line;
			q = rd_ac_head(m, e, in, &pm->meta);
			if ((size_t)(e - q) >= 4 && memcmp(q, "#012", 4) == 0)
				q += 4;
			rd_ac_decode(&pm->buf, q, (size_t)(e - q));
			/* Nothing after the header: the lines come bare. */
			if (q == e)
				bare = pm;
			rd_ac_check(r, out, pm);
		} else if (pm != NULL && l.text.n > 0 && l.text.p[0] != '(') {
			/* The next piece of the session's message; events
			 * start with "(N 123)" or "(module)". */
			pm->tick = ++tick;
			rd_ac_decode(&pm->buf, l.text.p, l.text.n);
			rd_ac_check(r, out, pm);
		} else
			r->stats.junk_lines++;
	}
	for (i = 0; i < RD_AC_PENDING; i++) {
		if (tab[i].used)
			rd_ac_emit(r, out, &tab[i], 1);
	}
	free(tab);
	reader_advance(r, r->len);
	return found ? 0 : -1;
}

const struct rd_format rd_audiocodes_format = {
	.name = "audiocodes",
	.desc = "AudioCodes SBC/gateway syslog (#012-joined SIP messages)",
	.probe = rd_ac_probe,
	.next = NULL,
	.state_size = 0,
	.transform = rd_ac_transform,
};
