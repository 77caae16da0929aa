/* rd_sipe: pidgin-sipe debug logs (the Lync/OCS plugin for Pidgin). Each
 * message sits between "MESSAGE START >>>>>>>>>> SIP(0x...) - <UTC time>"
 * (">>>" sent, "<<<" received) and the matching "MESSAGE END" line, as
 * sipe_utils_message_debug() writes them; HTTP messages logged the same way
 * and every other debug line are skipped. */
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* How far into a line the marker may be (after a "(16:00:00) sipe: "
 * prefix of the debug window). */
#define RD_SIPE_PREFIX_MAX 64

static const char rd_sipe_start[] = "MESSAGE START ";
static const char rd_sipe_end[] = "MESSAGE END ";

enum {
	RD_SIPE_NONE = 0,
	RD_SIPE_SIP,
	RD_SIPE_OTHER,		/* HTTP and anything else sipe traces */
};

static int
rd_sipe_num(const char *p, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 0;
}

/* "2026-11-26T16:00:00.123456Z" at p[0..n). */
static void
rd_sipe_time(const char *p, size_t n, struct rd_record *rec)
{
	int y, mo, d;

	if (n < 19 || p[4] != '-' || p[7] != '-' || p[10] != 'T')
		return;
	if (rd_sipe_num(p, 4, &y) || rd_sipe_num(p + 5, 2, &mo) ||
	    rd_sipe_num(p + 8, 2, &d))
		return;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return;
	rd_clock_on(p, n, 11, ".", y, mo, d, 1, rec);
}

/* Whether line p[0..n) is a marker line (what is START or END); fills
 * rec's direction and time when rec is not NULL. */
static int
rd_sipe_marker(const char *p, size_t n, const char *what, size_t wn,
    struct rd_record *rec)
{
	const char *m, *q, *e = p + n, *dash;
	size_t lim = n < RD_SIPE_PREFIX_MAX + wn ? n : RD_SIPE_PREFIX_MAX + wn;
	int kind;

	m = memmem(p, lim, what, wn);
	if (m == NULL)
		return RD_SIPE_NONE;
	q = m + wn;
	if (e - q < 12 || (memcmp(q, ">>>>>>>>>> ", 11) != 0 &&
	    memcmp(q, "<<<<<<<<<< ", 11) != 0))
		return RD_SIPE_NONE;
	if (rec != NULL)
		rec->dir = q[0] == '>' ? DIR_OUT : DIR_IN;
	q += 11;
	/* "SIP(0x...)"; releases before 1.18 wrote "SIP - time". */
	kind = e - q >= 4 && memcmp(q, "SIP", 3) == 0 && (q[3] == '(' ||
	    q[3] == ' ') ? RD_SIPE_SIP : RD_SIPE_OTHER;
	dash = memmem(q, (size_t)(e - q), " - ", 3);
	if (rec != NULL && dash != NULL)
		rd_sipe_time(dash + 3, (size_t)(e - dash - 3), rec);
	return kind;
}

static int
rd_sipe_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

static int
rd_sipe_probe(const char *p, size_t n)
{
	static const char out[] = "MESSAGE START >>>>>>>>>> SIP";
	static const char in[] = "MESSAGE START <<<<<<<<<< SIP";
	const size_t len = sizeof out - 1;
	const char *m;
	int k;

	m = memmem(p, n, out, len);
	if (m == NULL)
		m = memmem(p, n, in, len);
	if (m != NULL && (size_t)(p + n - m) > len && (m[len] == '(' ||
	    m[len] == ' '))
		return 95;
	/* A log that starts with HTTP traffic (web ticket, autodiscover). */
	if (memmem(p, n, "MESSAGE START >>>>>>>>>> ", 25) != NULL ||
	    memmem(p, n, "MESSAGE START <<<<<<<<<< ", 25) != NULL)
		return 60;
	/* Only the plugin's start-up lines so far: "(16:20:00) sipe: ". */
	for (k = 0, m = p; k < 3 && m < p + n; k++, m += 8) {
		m = memmem(m, (size_t)(p + n - m), ") sipe: ", 8);
		if (m == NULL)
			break;
	}
	return k == 3 && m != NULL ? 40 : 0;
}

/* Drops one line end (what sipe adds after the body) from d[start..end). */
static size_t
rd_sipe_trim_one(const char *d, size_t start, size_t end)
{
	if (end > start && d[end - 1] == '\n') {
		end--;
		if (end > start && d[end - 1] == '\r')
			end--;
	}
	return end;
}

/* Whether the header block of a message split by rd_raw_split() ended
 * with its blank line (the body starts right after one). */
static int
rd_sipe_had_blank(const char *d, const struct rd_record *rec)
{
	size_t b = (size_t)(rec->body.p - d),
	    s = (size_t)(rec->start.p + rec->start.n - d);

	if (b < s + 2 || d[b - 1] != '\n')
		return 0;
	return d[b - 2] == '\n' || (b >= s + 3 && d[b - 2] == '\r' &&
	    d[b - 3] == '\n');
}

static int
rd_sipe_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p = r->pos, eol, next, junk = 0, msg, q, lim, end, body0;
	int kind = RD_SIPE_NONE, has_cl, closed = 0;

	/* Find the next SIP start marker; other traffic is skipped. A debug
	 * log is mostly other lines: they are counted, not warned about,
	 * or the real problems would drown. */
	while (p < r->len) {
		eol = reader_line_end(r, p, &next);
		kind = rd_sipe_marker(d + p, eol - p, rd_sipe_start,
		    sizeof rd_sipe_start - 1, NULL);
		if (kind == RD_SIPE_SIP)
			break;
		if (kind == RD_SIPE_NONE && !rd_sipe_blank(d + p, eol - p))
			junk++;
		p = next;
	}
	r->stats.junk_lines += junk;
	reader_advance(r, p);
	if (p >= r->len)
		return 0;

	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	eol = reader_line_end(r, p, &msg);
	rd_sipe_marker(d + p, eol - p, rd_sipe_start, sizeof rd_sipe_start - 1,
	    rec);

	/* The message ends at MESSAGE END, or is cut short by the next
	 * MESSAGE START or the end of the file. */
	lim = end = r->len;
	for (q = msg; q < r->len; q = next) {
		eol = reader_line_end(r, q, &next);
		if (rd_sipe_marker(d + q, eol - q, rd_sipe_end,
		    sizeof rd_sipe_end - 1, NULL) != RD_SIPE_NONE) {
			lim = q;
			end = next;
			closed = 1;
			break;
		}
		if (rd_sipe_marker(d + q, eol - q, rd_sipe_start,
		    sizeof rd_sipe_start - 1, NULL) != RD_SIPE_NONE) {
			lim = end = q;
			break;
		}
	}
	if (msg >= lim) {
		rec->start.p = rec->hdrs.p = rec->body.p = d + lim;
		rec->flags |= RECF_TRUNCATED;
	} else {
		rd_raw_split(d, msg, lim, rec, &has_cl);
		body0 = (size_t)(rec->body.p - d);
		if (!has_cl || (rec->flags & RECF_TRUNCATED)) {
			/* No Content-Length, or one that counts the CR bytes
			 * the log dropped: the body runs to the end marker,
			 * less the line end sipe adds after it. */
			rec->body.n = rd_sipe_trim_one(d, body0, lim) - body0;
			if (closed && rd_sipe_had_blank(d, rec))
				rec->flags &= ~(unsigned)RECF_TRUNCATED;
		}
		if (!closed)
			rec->flags |= RECF_TRUNCATED;
	}
	rec->src = rec->dir == DIR_OUT ? SPAN_LIT("local") : SPAN_NULL;
	rec->dst = rec->dir == DIR_IN ? SPAN_LIT("local") : SPAN_NULL;
	rec->len = end - rec->off;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_sipe_format = {
	.name = "sipe",
	.desc = "pidgin-sipe debug log (MESSAGE START/END blocks)",
	.probe = rd_sipe_probe,
	.next = rd_sipe_next,
	.state_size = 0,
	.names_local = 1,
};
