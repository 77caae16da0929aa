/* rd_sngrep: sngrep's "save as .txt" export. Each message is written as
 * "YYYY/MM/DD HH:MM:SS.uuuuuu SRC:port -> DST:port", a newline, the payload
 * and two newlines (sngrep's save_msg_txt()). Year 0000 is sipsnoop's
 * save of a time of day alone (screen_save_text). sngrep writes an IPv6
 * address with its port after one more colon ("2001:db8::1:5060"); the
 * records give it as the other formats do, "[2001:db8::1]:5060". An end
 * written "?" (or "-") is one the log saved did not give. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

/* Longest address "[v6]:port" rewritten. */
#define RD_SNGREP_ADDR 64

/* The addresses of the record last read, rewritten with brackets. */
struct rd_sngrep_state {
	char src[RD_SNGREP_ADDR];
	char dst[RD_SNGREP_ADDR];
};

/* An IPv6 address "2001:db8::1:5060" in *sp becomes "[2001:db8::1]:5060"
 * in buf (the port is after the last colon); others are left as they are. */
static void
rd_sngrep_v6(struct span *sp, char *buf)
{
	const char *first, *last = NULL;
	size_t i;
	int n;

	if (sp->n == 0 || sp->p[0] == '[')
		return;
	first = memchr(sp->p, ':', sp->n);
	for (i = 0; i < sp->n; i++) {
		if (sp->p[i] == ':')
			last = sp->p + i;
	}
	if (first == NULL || first == last)
		return;
	n = snprintf(buf, RD_SNGREP_ADDR, "[%.*s]%.*s",
	    (int)(last - sp->p), sp->p, (int)(sp->p + sp->n - last), last);
	if (n < 0 || n >= RD_SNGREP_ADDR)
		return;
	sp->p = buf;
	sp->n = (size_t)n;
}

/* An end that sipsnoop's s writes for one its log does not give, "?"
 * ("-" before), is no address: read back as unknown, as it was. sngrep
 * writes the addresses of the packet, which has both. */
static void
rd_sngrep_unknown(struct span *sp)
{
	if (sp->n == 1 && (sp->p[0] == '?' || sp->p[0] == '-'))
		sp->n = 0;
}

static int
rd_sngrep_digits(const char *p, int n, int *out)
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

/* Parses the header line p[0..n); fills time and addresses when rec is not
 * NULL. Returns 1 when the line is a message header. */
static int
rd_sngrep_header(const char *p, size_t n, struct rd_record *rec)
{
	int y, mo, d, prec, none;
	int64_t tod;
	size_t i;
	const char *arrow, *sp;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (n < 24 || p[4] != '/' || p[7] != '/' || p[10] != ' ')
		return 0;
	if (rd_sngrep_digits(p, 4, &y) || rd_sngrep_digits(p + 5, 2, &mo) ||
	    rd_sngrep_digits(p + 8, 2, &d))
		return 0;
	/* 0000/00/00: sipsnoop's save of a message without a time. */
	none = y == 0 && mo == 0 && d == 0;
	if ((!none && (mo < 1 || mo > 12 || d < 1 || d > 31)) ||
	    (tod = rd_clock(p, n, 11, ".", &prec, &i)) < 0)
		return 0;
	if (i >= n || p[i] != ' ')
		return 0;
	i++;
	/* The source address is one word, then " -> ". */
	sp = memchr(p + i, ' ', n - i);
	if (sp == NULL || sp == p + i || (size_t)(p + n - sp) < 4 ||
	    memcmp(sp, " -> ", 4) != 0)
		return 0;
	arrow = sp;
	if (rec == NULL)
		return 1;
	rec->time = time_from_civil(y, mo, d, 0, 0, 0, 0) + tod;
	rec->time_prec = prec;
	rec->has_date = 1;
	if (none) {
		rec->time = TIME_NONE;
		rec->time_prec = 0;
		rec->has_date = 0;
	} else if (y == 0) {
		/* sipsnoop's save of a log that gives a time of day alone:
		 * 0000/01/01 is its first day, the days after it follow. */
		rec->time -= time_from_civil(0, 1, 1, 0, 0, 0, 0);
		rec->has_date = 0;
		rec->tod_only = 1;
	}
	rec->src.p = p + i;
	rec->src.n = (size_t)(arrow - (p + i));
	rec->dst = span_trim((struct span){ arrow + 4,
	    (size_t)(p + n - arrow - 4) });
	rd_sngrep_unknown(&rec->src);
	rd_sngrep_unknown(&rec->dst);
	return 1;
}

static int
rd_sngrep_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

static int
rd_sngrep_probe(const char *p, size_t n)
{
	size_t i = 0, eol, lines = 0;
	const char *nl;

	/* A header line followed by a SIP start line, near the top. */
	while (i < n && lines < 16) {
		nl = memchr(p + i, '\n', n - i);
		if (nl == NULL)
			break;
		eol = (size_t)(nl - p);
		if (rd_sngrep_header(p + i, eol - i, NULL)) {
			i = eol + 1;
			nl = memchr(p + i, '\n', n - i);
			eol = nl != NULL ? (size_t)(nl - p) : n;
			if (rd_raw_is_start(p + i, eol - i))
				return 90;
			return 40;
		}
		lines++;
		i = eol + 1;
	}
	return 0;
}

/* Where the message whose payload starts at msg ends: at the next header
 * line, or the end. Within the body its Content-Length covers, a line like
 * a header line may be the body's (a message that quotes a log): there it
 * ends the message only as sngrep writes one, after a blank line and
 * before a start line, which also ends a message whose Content-Length
 * says more than its packet held. SIZE_MAX: following, such a line is the
 * last there is yet (the reader waits). */
static size_t
rd_sngrep_next_header(struct reader *r, size_t msg)
{
	const char *d = r->data;
	size_t q = msg, eol, next, body0 = 0, prev_blank = 0, eol2, next2;
	long long cl = -1, v;
	int in_hdrs = 1;

	for (; q < r->len; q = next) {
		eol = reader_line_end(r, q, &next);
		if (rd_sngrep_header(d + q, eol - q, NULL)) {
			if (in_hdrs || cl < 0 ||
			    (unsigned long long)(q - body0) >=
			    (unsigned long long)cl)
				return q;
			/* The last line: a record's start once its writer
			 * is done; following, the next line will tell. */
			if (prev_blank && next >= r->len)
				return r->follow && !r->quiet ? SIZE_MAX : q;
			eol2 = reader_line_end(r, next, &next2);
			if (prev_blank && rd_raw_is_start(d + next, eol2 - next))
				return q;
		}
		prev_blank = rd_sngrep_blank(d + q, eol - q);
		if (!in_hdrs)
			continue;
		if (prev_blank) {
			in_hdrs = 0;
			body0 = next;
		} else if (q > msg &&
			   (v = rd_raw_content_length(d + q, eol - q)) >= 0) {
			cl = v;
		}
	}
	return r->len;
}

static int
rd_sngrep_next(struct reader *r, struct rd_record *rec)
{
	const char *d = r->data;
	size_t p = r->pos, eol, next, junk = 0, hdr, msg, nexthdr, end;
	size_t body0, b;
	uint32_t line = r->line, first = 0;
	int has_cl, sep;

	/* Skip to the next header line. */
	while (p < r->len) {
		eol = reader_line_end(r, p, &next);
		if (rd_sngrep_header(d + p, eol - p, NULL))
			break;
		if (!rd_sngrep_blank(d + p, eol - p) && junk++ == 0)
			first = line;
		line++;
		p = next;
	}
	/* Following, a run of junk that reaches the end of what is there
	 * may go on: it is warned about once whole. */
	if (junk != 0 && p >= r->len && r->follow && !r->quiet)
		return reader_wait(r, rec, r->pos);
	if (junk != 0) {
		r->stats.junk_lines += junk;
		reader_warn(r, first,
		    "skipped %zu line%s outside any SIP message",
		    junk, junk == 1 ? "" : "s");
	}
	reader_advance(r, p);
	if (p >= r->len)
		return 0;

	hdr = p;
	rec->kind = REC_SIP;
	rec->off = hdr;
	rec->line = r->line;
	eol = reader_line_end(r, hdr, &msg);
	rd_sngrep_header(d + hdr, eol - hdr, rec);
	rd_sngrep_v6(&rec->src, ((struct rd_sngrep_state *)r->state)->src);
	rd_sngrep_v6(&rec->dst, ((struct rd_sngrep_state *)r->state)->dst);
	rec->dir = DIR_UNKNOWN;

	nexthdr = rd_sngrep_next_header(r, msg);
	if (nexthdr == SIZE_MAX)
		return reader_wait(r, rec, r->pos);
	if (msg >= nexthdr) {
		/* A header line with no message after it. */
		rec->start.p = rec->hdrs.p = rec->body.p = d + msg;
		rec->flags |= RECF_TRUNCATED;
		end = nexthdr;
	} else {
		end = rd_raw_split(d, msg, nexthdr, rec, &has_cl);
		/* Following, a body short of its Content-Length with no
		 * header line after it yet is still being written, even
		 * when what there is ends in two line breaks (below, taken
		 * for sngrep's own after a body that lost its CRs): the
		 * blank line after a multipart body's part headers does.
		 * Once quiet too, as any body short of its Content-Length
		 * (reader.h quiet). */
		if (r->follow && has_cl && nexthdr >= r->len &&
		    (rec->flags & RECF_TRUNCATED))
			return reader_wait(r, rec, r->pos);
		if (!has_cl || (rec->flags & RECF_TRUNCATED)) {
			/* No Content-Length, or one longer than what is
			 * there: the body runs to the next message, less the
			 * two newlines sngrep writes after each. When those
			 * are there the message is whole: a file whose CRLF
			 * became LF keeps a Content-Length that counts CRLF. */
			body0 = (size_t)(rec->body.p - d);
			b = nexthdr;
			for (sep = 0; sep < 2 && b > body0 &&
			    d[b - 1] == '\n'; sep++) {
				b--;
				if (b > body0 && d[b - 1] == '\r')
					b--;
			}
			rec->body.n = b - body0;
			if (sep == 2)
				rec->flags &= ~(unsigned)RECF_TRUNCATED;
			end = nexthdr;
		}
		/* A body that does not end a line: the rest of that line
		 * (sngrep's separator) belongs to the record. Lines after it
		 * are left to the next call: blank ones are skipped, others
		 * are junk. */
		if (end > msg && end < nexthdr && d[end - 1] != '\n')
			reader_line_end(r, end, &end);
		if (end > nexthdr)
			end = nexthdr;
		/* Following, a message that reaches the end of what is
		 * there yet may go on (more headers, the blank line after
		 * them, a body without Content-Length) unless that ends
		 * it; once the file is quiet it is read as the file's
		 * end. */
		if (r->follow && !r->quiet && end >= r->len &&
		    !rd_raw_logged_whole(d, msg, r->len, rec))
			return reader_wait(r, rec, r->pos);
	}
	rec->len = end - hdr;
	reader_advance(r, end);
	return 1;
}

const struct rd_format rd_sngrep_format = {
	.name = "sngrep",
	.desc = "sngrep text export (File > Save as .txt)",
	.probe = rd_sngrep_probe,
	.next = rd_sngrep_next,
	.state_size = sizeof(struct rd_sngrep_state),
};
