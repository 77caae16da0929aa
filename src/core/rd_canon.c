/* rd_canon: the canonical record layout that transforms write (formats
 * whose messages are not contiguous in their file, captures) and that the
 * engine reads back. One record is a header line of numbers and
 * length-prefixed strings, then the start line, header block and body,
 * then a newline:
 *
 *   \x1e LINE TIME PREC HASDATE DIR KIND FLAGS NSTART NSEP1 NHDRS NSEP2
 *        NBODY N:SRC N:DST N:TRANSPORT N:LEVEL \n
 *   START SEP1 HDRS SEP2 BODY \n
 *
 * (one space between fields, TIME is microseconds or "-"). SEP1 and SEP2
 * are the line breaks a transform's spans may leave out, so that the text
 * from START to the end of BODY reads as the message did on the wire (the
 * engine shows it, searches it and saves it). Lengths make it
 * binary-safe; the header carries the line of the original input. */
#include <stdlib.h>
#include <string.h>

#include "reader.h"

#define RD_CANON_MARK '\x1e'

static void
rd_canon_str(struct strbuf *out, struct span s)
{
	strbuf_addc(out, ' ');
	strbuf_addu(out, s.n);
	strbuf_addc(out, ':');
	strbuf_add(out, s.p, s.n);
}

/* Length of the line break at the start of s (0, 1 or 2). */
static size_t
rd_canon_lead(struct span s)
{
	if (s.n >= 2 && s.p[0] == '\r' && s.p[1] == '\n')
		return 2;
	return s.n >= 1 && s.p[0] == '\n' ? 1 : 0;
}

/* Line breaks at the end of s: 0, 1 (the last line ends) or 2 (it is
 * followed by a blank line). */
static int
rd_canon_trail(struct span s)
{
	size_t n = s.n;
	int breaks = 0;

	while (n > 0 && breaks < 2 && s.p[n - 1] == '\n') {
		n--;
		if (n > 0 && s.p[n - 1] == '\r')
			n--;
		breaks++;
	}
	return breaks;
}

void
rd_canon_emit(struct strbuf *out, const struct rd_record *rec)
{
	const char *sep1 = "", *sep2 = "";
	long long num[10];
	size_t i;

	/* The start line ends before the headers; the headers end with a
	 * blank line before the body. */
	if (rec->hdrs.n == 0) {
		sep1 = "\r\n";
		sep2 = "\r\n";
	} else {
		if (rd_canon_lead(rec->hdrs) == 0)
			sep1 = "\r\n";
		switch (rd_canon_trail(rec->hdrs)) {
		case 0: sep2 = "\r\n\r\n"; break;
		case 1: sep2 = "\r\n"; break;
		default: break;
		}
	}
	num[0] = rec->time_prec;
	num[1] = rec->has_date ? 1 : rec->tod_only ? 2 : 0;
	num[2] = (int)rec->dir;
	num[3] = (int)rec->kind;
	num[4] = (long long)rec->flags;
	num[5] = (long long)rec->start.n;
	num[6] = (long long)strlen(sep1);
	num[7] = (long long)rec->hdrs.n;
	num[8] = (long long)strlen(sep2);
	num[9] = (long long)rec->body.n;
	strbuf_addc(out, RD_CANON_MARK);
	strbuf_addu(out, rec->line);
	strbuf_addc(out, ' ');
	if (rec->time == TIME_NONE)
		strbuf_adds(out, "-");
	else
		strbuf_addi(out, rec->time);
	/* Written by hand, not with printf: this runs for every message of
	 * a capture. */
	for (i = 0; i < sizeof num / sizeof num[0]; i++) {
		strbuf_addc(out, ' ');
		strbuf_addi(out, num[i]);
	}
	rd_canon_str(out, rec->src);
	rd_canon_str(out, rec->dst);
	rd_canon_str(out, rec->transport);
	rd_canon_str(out, rec->diag_level);
	strbuf_addc(out, '\n');
	strbuf_add(out, rec->start.p, rec->start.n);
	strbuf_adds(out, sep1);
	strbuf_add(out, rec->hdrs.p, rec->hdrs.n);
	strbuf_adds(out, sep2);
	strbuf_add(out, rec->body.p, rec->body.n);
	strbuf_addc(out, '\n');
}

struct rd_canon_cursor {
	const char *p;
	const char *end;
	int bad;
};

static unsigned long long
rd_canon_num(struct rd_canon_cursor *c, int *neg)
{
	unsigned long long v = 0;
	int digits = 0;

	*neg = 0;
	if (c->p < c->end && *c->p == ' ')
		c->p++;
	if (c->p < c->end && *c->p == '-') {
		*neg = 1;
		c->p++;
	}
	while (c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 20) {
		v = v * 10 + (unsigned long long)(*c->p - '0');
		c->p++;
		digits++;
	}
	if (digits == 0 && !*neg)
		c->bad = 1;
	return v;
}

static size_t
rd_canon_size(struct rd_canon_cursor *c)
{
	int neg;
	unsigned long long v = rd_canon_num(c, &neg);

	if (neg || v > (unsigned long long)(c->end - c->p))
		c->bad = 1;
	return c->bad ? 0 : (size_t)v;
}

static struct span
rd_canon_lstr(struct rd_canon_cursor *c)
{
	struct span s = SPAN_NULL;
	size_t n = rd_canon_size(c);

	if (c->bad || c->p >= c->end || *c->p != ':' ||
	    n > (size_t)(c->end - c->p - 1)) {
		c->bad = 1;
		return s;
	}
	c->p++;
	s.p = c->p;
	s.n = n;
	c->p += n;
	return s;
}

static int
rd_canon_next(struct reader *r, struct rd_record *rec)
{
	struct rd_canon_cursor c;
	size_t nstart, nsep1, nhdrs, nsep2, nbody, total, lead;
	unsigned long long v;
	int neg;
	const char *m;

again:
	/* Records start with the mark; anything else is skipped. */
	while (r->pos < r->len && r->data[r->pos] != RD_CANON_MARK) {
		m = memchr(r->data + r->pos, RD_CANON_MARK, r->len - r->pos);
		reader_advance(r, m != NULL ? (size_t)(m - r->data) : r->len);
	}
	if (r->pos >= r->len)
		return 0;
	memset(rec, 0, sizeof *rec);
	c.p = r->data + r->pos + 1;
	c.end = r->data + r->len;
	c.bad = 0;
	rec->off = r->pos;
	rec->line = (uint32_t)rd_canon_num(&c, &neg);
	if (c.p + 1 < c.end && c.p[0] == ' ' && c.p[1] == '-' &&
	    (c.p + 2 >= c.end || c.p[2] == ' ')) {
		rec->time = TIME_NONE;
		c.p += 2;
	} else {
		v = rd_canon_num(&c, &neg);
		rec->time = neg ? -(int64_t)v : (int64_t)v;
	}
	rec->time_prec = (int)rd_canon_num(&c, &neg);
	v = rd_canon_num(&c, &neg);
	rec->has_date = v == 1;
	rec->tod_only = v == 2;
	rec->dir = (enum msg_dir)rd_canon_num(&c, &neg);
	rec->kind = (enum rec_kind)rd_canon_num(&c, &neg);
	rec->flags = (unsigned)rd_canon_num(&c, &neg);
	nstart = rd_canon_size(&c);
	nsep1 = rd_canon_size(&c);
	nhdrs = rd_canon_size(&c);
	nsep2 = rd_canon_size(&c);
	nbody = rd_canon_size(&c);
	rec->src = rd_canon_lstr(&c);
	rec->dst = rd_canon_lstr(&c);
	rec->transport = rd_canon_lstr(&c);
	rec->diag_level = rd_canon_lstr(&c);
	if (!c.bad && (c.p >= c.end || *c.p != '\n'))
		c.bad = 1;
	if (!c.bad) {
		/* Each part fits in what is left, so the sum cannot wrap. */
		c.p++;
		total = 0;
		if (nstart > (size_t)(c.end - c.p) ||
		    nsep1 > (size_t)(c.end - c.p) - nstart ||
		    nhdrs > (size_t)(c.end - c.p) - nstart - nsep1 ||
		    nsep2 > (size_t)(c.end - c.p) - nstart - nsep1 - nhdrs ||
		    nbody > (size_t)(c.end - c.p) - nstart - nsep1 - nhdrs -
			    nsep2)
			c.bad = 1;
		else
			total = nstart + nsep1 + nhdrs + nsep2 + nbody;
	}
	if (c.bad || rec->time_prec < 0 || rec->time_prec > 6 ||
	    (unsigned)rec->dir > DIR_OUT || (unsigned)rec->kind > REC_DIAG) {
		/* Not written by rd_canon_emit: skip the mark. */
		reader_warn(r, rec->line, "damaged canonical record");
		reader_advance(r, r->pos + 1);
		goto again;
	}
	rec->start.p = c.p;
	rec->start.n = nstart;
	rec->hdrs.p = c.p + nstart + nsep1;
	rec->hdrs.n = nhdrs;
	/* The header span holds the header lines only (reader.h), also when
	 * the transform left the line breaks around them in it. */
	lead = rd_canon_lead(rec->hdrs);
	rec->hdrs.p += lead;
	rec->hdrs.n -= lead;
	while (rec->hdrs.n > 0 && (rec->hdrs.p[rec->hdrs.n - 1] == '\n' ||
				   rec->hdrs.p[rec->hdrs.n - 1] == '\r'))
		rec->hdrs.n--;
	rec->body.p = c.p + nstart + nsep1 + nhdrs + nsep2;
	rec->body.n = nbody;
	c.p += total;
	if (c.p < c.end && *c.p == '\n')
		c.p++;
	rec->len = (size_t)(c.p - (r->data + r->pos));
	/* Line numbers belong to the original input, not to this buffer. */
	r->pos = (size_t)(c.p - r->data);
	return 1;
}

static int
rd_canon_probe(const char *p, size_t n)
{
	(void)p;
	(void)n;
	return 0;
}

const struct rd_format rd_canon_format = {
	.name = "canon",
	.desc = "sipsnoop's canonical records (internal)",
	.probe = rd_canon_probe,
	.next = rd_canon_next,
};
