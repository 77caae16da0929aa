/* rd_linphone: Linphone / belle-sip logs. belle-sip logs every message it
 * sends ("channel [0x...]: message sent to [UDP://host:5060], size: [N]
 * bytes") and every socket read ("channel [0x...]: received [N] new bytes
 * from [TCP://host:5061]:") with the bytes on the following lines, bare or
 * each behind the log's own prefix (Android logcat) and a tab. A read over
 * TCP or TLS may hold part of a message or several, so received bytes are
 * joined per channel and framed by Content-Length. Converted once into
 * canonical records (the message text is not contiguous in the file). */
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

static const char rd_linphone_sent[] = "]: message sent to [";
static const char rd_linphone_recv[] = "]: received [";
static const char rd_linphone_chan[] = "channel [";

/* Stream channels followed at once; the oldest is cut when more appear. */
#define RD_LINPHONE_CHANNELS 32
/* Received bytes of one channel that never make a message are dropped
 * (flagged truncated) beyond this. */
#define RD_LINPHONE_STREAM_MAX (4u << 20)
/* How far into a log prefix a time stamp is looked for. */
#define RD_LINPHONE_TIME_SCAN 64

/* One block header line. */
struct rd_linphone_head {
	enum msg_dir dir;
	size_t prefix;		/* bytes of log prefix before "channel [" */
	struct span chan;	/* "0x7f..." */
	struct span transport;	/* "UDP" */
	struct span peer;	/* "host:port" */
	size_t nbytes;
	struct rd_record meta;	/* time from the prefix */
	int tod;		/* the prefix gives a time of day only */
};

/* Received bytes of a stream channel waiting to make whole messages. */
struct rd_linphone_stream {
	char chan[32];
	size_t chann;
	struct strbuf buf;
	size_t hdr_end;		/* end of the header block, 0 unknown */
	size_t scanned;		/* where the search for it resumes */
	long long cl;		/* Content-Length, -1 none */
	struct rd_record meta;	/* of the read holding the first byte */
	struct span peer, transport;
	uint64_t used;		/* for eviction */
};

/* A time at p[at..n) on day y-mo-d (y 0: no year): "HH:MM:SS" then an
 * optional ".fff", ":fff" or ",fff". */
static int
rd_linphone_clock(const char *p, size_t n, size_t at, int y, int mo, int d,
    struct rd_record *rec)
{
	return rd_clock_on(p, n, at, ".:,", y != 0 ? y : 1970, mo, d, y != 0,
	    rec) != 0 ? 0 : -1;
}

/* The first time stamp in a log prefix: "2019-10-14 18:27:39.354",
 * "10-14 18:27:39.354" (logcat: month and day order the records, only the
 * time of day is shown), "[01:20:20:873]". Returns 1 for the last (a time
 * of day only), else 0. */
static int
rd_linphone_time(const char *p, size_t n, struct rd_record *rec)
{
	size_t i;
	int y, mo, d;

	if (n > RD_LINPHONE_TIME_SCAN)
		n = RD_LINPHONE_TIME_SCAN;
	for (i = 0; i < n; i++) {
		if (!rd_digit(p[i]) || (i > 0 &&
		    rd_digit(p[i - 1])))
			continue;
		if (rd_num(p, n, i, 4, &y) == 0 && i + 10 < n &&
		    p[i + 4] == '-' && p[i + 7] == '-' &&
		    (p[i + 10] == ' ' || p[i + 10] == 'T') &&
		    rd_num(p, n, i + 5, 2, &mo) == 0 &&
		    rd_num(p, n, i + 8, 2, &d) == 0 && mo >= 1 &&
		    mo <= 12 && d >= 1 && d <= 31 &&
		    rd_linphone_clock(p, n, i + 11, y, mo, d, rec) == 0)
			return 0;
		if (rd_num(p, n, i, 2, &mo) == 0 && i + 5 < n &&
		    p[i + 2] == '-' && p[i + 5] == ' ' &&
		    rd_num(p, n, i + 3, 2, &d) == 0 && mo >= 1 &&
		    mo <= 12 && d >= 1 && d <= 31 &&
		    rd_linphone_clock(p, n, i + 6, 0, mo, d, rec) == 0)
			return 0;
		if (rd_linphone_clock(p, n, i, 0, 1, 1, rec) == 0)
			return 1;
	}
	return 0;
}

/* Parses a block header in line p[0..n); 1 when it is one. */
static int
rd_linphone_head(const char *p, size_t n, struct rd_linphone_head *h)
{
	const char *c, *m, *e = p + n, *a, *close, *num, *sch;
	size_t v = 0;

	c = memmem(p, n, rd_linphone_chan, sizeof rd_linphone_chan - 1);
	if (c == NULL)
		return 0;
	a = c + sizeof rd_linphone_chan - 1;
	m = memchr(a, ']', (size_t)(e - a));
	if (m == NULL || m - a > 24)
		return 0;
	memset(h, 0, sizeof *h);
	h->chan.p = a;
	h->chan.n = (size_t)(m - a);
	if ((size_t)(e - m) >= sizeof rd_linphone_sent - 1 &&
	    memcmp(m, rd_linphone_sent, sizeof rd_linphone_sent - 1) == 0) {
		h->dir = DIR_OUT;
		a = m + sizeof rd_linphone_sent - 1;
		close = memmem(a, (size_t)(e - a), "], size: [", 10);
		if (close == NULL)
			return 0;
		num = close + 10;
	} else if ((size_t)(e - m) >= sizeof rd_linphone_recv - 1 &&
	    memcmp(m, rd_linphone_recv, sizeof rd_linphone_recv - 1) == 0) {
		h->dir = DIR_IN;
		num = m + sizeof rd_linphone_recv - 1;
		a = memmem(num, (size_t)(e - num), "] new bytes from [", 18);
		if (a == NULL)
			return 0;
		a += 18;
		/* The address ends at the last ']' ("...:5060]:"). */
		close = e;
		while (close > a && close[-1] != ']')
			close--;
		if (close == a)
			return 0;
		close--;
	} else
		return 0;
	while (num < e && rd_digit(*num) && v < 1000000000) {
		v = v * 10 + (size_t)(*num - '0');
		num++;
	}
	h->nbytes = v;
	sch = memmem(a, (size_t)(close - a), "://", 3);
	if (sch != NULL) {
		h->transport.p = a;
		h->transport.n = (size_t)(sch - a);
		a = sch + 3;
	}
	h->peer.p = a;
	h->peer.n = (size_t)(close - a);
	h->prefix = (size_t)(c - p);
	h->meta.time = TIME_NONE;
	h->tod = rd_linphone_time(p, h->prefix, &h->meta);
	return 1;
}

/* Whether line p[0..n) starts with a log prefix shaped like pre[0..pn):
 * the same bytes, digits matching any digits (times, thread ids). The
 * line of an empty message line may have lost the prefix's last space. */
static int
rd_linphone_same_prefix(const char *p, size_t n, const char *pre, size_t pn)
{
	size_t i;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (pn == 0 || n + 1 < pn || (n + 1 == pn && pre[pn - 1] != ' '))
		return 0;
	if (n < pn)
		pn = n;
	for (i = 0; i < pn; i++) {
		if (p[i] == pre[i])
			continue;
		if (!rd_digit(p[i]) || !rd_digit(pre[i]))
			return 0;
	}
	return 1;
}

static int
rd_linphone_probe(const char *p, size_t n)
{
	const char *c = p, *e = p + n, *nl, *le;
	struct rd_linphone_head h;

	while (c < e && (c = memmem(c, (size_t)(e - c), rd_linphone_chan,
	    sizeof rd_linphone_chan - 1)) != NULL) {
		nl = c;
		while (nl > p && nl[-1] != '\n')
			nl--;
		le = memchr(c, '\n', (size_t)(e - c));
		if (le == NULL)
			le = e;
		if (rd_linphone_head(nl, (size_t)(le - nl), &h))
			return 95;
		c = le;
	}
	/* No message in the first kilobytes (a long start-up): the stack's
	 * own log lines, which no SIP header carries; liblinphone's may
	 * fill them alone (desktop, the Android app's log collection). */
	if (memmem(p, n, "Core:belle-sip:", 15) != NULL ||
	    memmem(p, n, "Core:linphone:", 14) != NULL ||
	    memmem(p, n, "/liblinphone] ", 14) != NULL ||
	    memmem(p, n, "[belle-sip] ", 12) != NULL ||
	    memmem(p, n, "bellesip_", 9) != NULL ||
	    memmem(p, n, "belle_sip_", 10) != NULL)
		return 40;
	return 0;
}

/* Splits the message m[0..n) and appends it to out as a canonical record
 * with meta's time, direction and addresses. */
static void
rd_linphone_emit(struct reader *r, struct strbuf *out, struct rd_record *meta,
    const char *m, size_t n, int cut)
{
	struct rd_record rec = *meta;
	int has_cl;

	/* Keep-alives ("\r\n\r\n") and other blank reads. */
	while (n > 0 && (m[0] == '\r' || m[0] == '\n' || m[0] == ' ' ||
	    m[0] == '\t')) {
		m++;
		n--;
	}
	if (n == 0)
		return;
	rec.kind = REC_SIP;
	rec.flags = 0;
	rd_raw_split(m, 0, n, &rec, &has_cl);
	if (cut)
		rec.flags |= RECF_TRUNCATED;
	/* The canonical record holds start, hdrs and body back to back:
	 * hdrs keeps the line ends around it so the record reads as the
	 * message did. */
	rec.hdrs.p = rec.start.p + rec.start.n;
	rec.hdrs.n = (size_t)(rec.body.p - rec.hdrs.p);
	if (rec.flags & RECF_TRUNCATED)
		reader_warn(r, rec.line, "message cut short (kept, flagged "
		    "truncated)");
	rd_canon_emit(out, &rec);
	reader_spill(r, out);
}

static void
rd_linphone_meta(struct rd_record *meta, const struct rd_linphone_head *h,
    uint32_t line)
{
	*meta = h->meta;
	meta->line = line;
	meta->dir = h->dir;
	meta->transport = h->transport;
	if (h->dir == DIR_OUT) {
		meta->src = SPAN_LIT("local");
		meta->dst = h->peer;
	} else {
		meta->src = h->peer;
		meta->dst = SPAN_LIT("local");
	}
}

/* Content-Length of the header block b[0..n), or -1 without one. */
static long long
rd_linphone_cl(const char *b, size_t n)
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
		else if ((size_t)(nl - p) > 2 && (p[0] == 'l' || p[0] == 'L') &&
		    (p[1] == ':' || p[1] == ' ' || p[1] == '\t'))
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
		for (cl = 0; v < nl && rd_digit(*v) &&
		    cl < (1ULL << 40); v++)
			cl = cl * 10 + (unsigned)(*v - '0');
		return (long long)cl;
	}
	return -1;
}

/* Emits the whole messages at the front of a stream's buffer; what is
 * left waits for the next read. now is the read just added. */
static void
rd_linphone_drain(struct reader *r, struct strbuf *out,
    struct rd_linphone_stream *s, const struct rd_record *now)
{
	const char *b, *q;
	size_t skip, from, end;

	for (;;) {
		b = s->buf.buf;
		if (s->hdr_end == 0) {
			/* Keep-alives between messages. */
			for (skip = 0; skip < s->buf.len && (b[skip] == '\r' ||
			    b[skip] == '\n'); skip++)
				;
			if (skip > 0) {
				memmove(s->buf.buf, b + skip, s->buf.len - skip);
				s->buf.len -= skip;
				s->scanned = 0;
				s->meta = *now;
			}
			if (s->buf.len == 0)
				return;
			from = s->scanned > 3 ? s->scanned - 3 : 0;
			q = memmem(b + from, s->buf.len - from, "\r\n\r\n", 4);
			if (q == NULL) {
				s->scanned = s->buf.len;
				if (s->buf.len > RD_LINPHONE_STREAM_MAX)
					break;
				return;
			}
			s->hdr_end = (size_t)(q - b) + 4;
			s->cl = rd_linphone_cl(b, s->hdr_end);
		}
		end = s->hdr_end + (s->cl > 0 ? (size_t)s->cl : 0);
		if (s->cl > (long long)RD_LINPHONE_STREAM_MAX ||
		    end > s->buf.len) {
			if (s->buf.len > RD_LINPHONE_STREAM_MAX)
				break;
			return;
		}
		rd_linphone_emit(r, out, &s->meta, b, end, 0);
		memmove(s->buf.buf, b + end, s->buf.len - end);
		s->buf.len -= end;
		s->hdr_end = 0;
		s->scanned = 0;
		s->meta = *now;
	}
	/* Never completes: keep what came, flagged, and start afresh. */
	rd_linphone_emit(r, out, &s->meta, s->buf.buf, s->buf.len, 1);
	strbuf_reset(&s->buf);
	s->hdr_end = 0;
	s->scanned = 0;
}

/* Emits what a stream still holds (end of input, or evicted). */
static void
rd_linphone_flush(struct reader *r, struct strbuf *out,
    struct rd_linphone_stream *s)
{
	if (s->buf.len > 0)
		rd_linphone_emit(r, out, &s->meta, s->buf.buf, s->buf.len, 1);
	strbuf_free(&s->buf);
	memset(s, 0, sizeof *s);
}

static struct rd_linphone_stream *
rd_linphone_stream(struct reader *r, struct strbuf *out,
    struct rd_linphone_stream *tab, const struct span chan, uint64_t tick)
{
	size_t i, oldest = 0, n = chan.n < 32 ? chan.n : 32;

	for (i = 0; i < RD_LINPHONE_CHANNELS; i++) {
		if (tab[i].used != 0 && tab[i].chann == n &&
		    memcmp(tab[i].chan, chan.p, n) == 0) {
			tab[i].used = tick;
			return &tab[i];
		}
		if (tab[i].used < tab[oldest].used)
			oldest = i;
	}
	rd_linphone_flush(r, out, &tab[oldest]);
	memcpy(tab[oldest].chan, chan.p, n);
	tab[oldest].chann = n;
	tab[oldest].used = tick;
	tab[oldest].cl = -1;
	strbuf_init(&tab[oldest].buf);
	return &tab[oldest];
}

static int
rd_linphone_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	}
	return 1;
}

static int
rd_linphone_transform(struct reader *r, struct strbuf *out, char **err)
{
	const char *d = r->data, *pre, *lp;
	size_t p = r->pos, eol, next, got, ln, i;
	uint32_t line = r->line;
	struct rd_linphone_head h, h2;
	struct rd_linphone_stream *tab, *s;
	struct rd_record meta;
	struct strbuf msg;
	struct rd_tod roll;
	int prefixed, same, found = 0;
	uint64_t tick = 0;

	(void)err;
	memset(&roll, 0, sizeof roll);
	tab = xcalloc(RD_LINPHONE_CHANNELS, sizeof *tab);
	strbuf_init(&msg);
	while (p < r->len) {
		reader_release(r, p);
		eol = reader_line_end(r, p, &next);
		if (!rd_linphone_head(d + p, eol - p, &h)) {
			/* A client log is mostly its own tracing: counted,
			 * not warned about. */
			if (!rd_linphone_blank(d + p, eol - p))
				r->stats.junk_lines++;
			line++;
			p = next;
			continue;
		}
		found = 1;
		pre = d + p;
		if (h.tod) {
			h.meta.time = rd_tod_roll(&roll, h.meta.time);
			h.meta.tod_only = 1;
		}
		rd_linphone_meta(&meta, &h, line);
		line++;
		p = next;
		/* The bytes follow, bare or each line behind a prefix shaped
		 * like the header's (and a tab); nbytes says when they are
		 * all there, lines counted with CRLF as the wire had them. */
		strbuf_reset(&msg);
		got = 0;
		prefixed = -1;
		while (p < r->len && got < h.nbytes) {
			eol = reader_line_end(r, p, &next);
			if (rd_linphone_head(d + p, eol - p, &h2))
				break;
			lp = d + p;
			ln = eol - p;
			same = rd_linphone_same_prefix(lp, ln, pre, h.prefix);
			if (prefixed < 0)
				prefixed = same;
			if (prefixed) {
				if (!same)
					break;
				if (ln < h.prefix)
					ln = 0;		/* an empty line */
				else {
					lp += h.prefix;
					ln -= h.prefix;
				}
				if (ln > 0 && *lp == '\t') {
					lp++;
					ln--;
				}
			} else if (same)
				break;	/* the next line of the log */
			if (ln > 0 && lp[ln - 1] == '\r')
				ln--;
			strbuf_add(&msg, lp, ln);
			strbuf_add(&msg, "\r\n", 2);
			got += ln + 2;
			line++;
			p = next;
		}
		/* The log ends the last line; the read may not have. */
		if (got > h.nbytes && got - h.nbytes <= 2)
			msg.len -= got - h.nbytes;
		if (h.dir == DIR_OUT || (h.transport.n == 3 &&
		    strncasecmp(h.transport.p, "UDP", 3) == 0)) {
			/* A datagram, or a whole message sent. */
			rd_linphone_emit(r, out, &meta, msg.buf, msg.len,
			    got < h.nbytes);
			continue;
		}
		s = rd_linphone_stream(r, out, tab, h.chan, ++tick);
		if (s->buf.len == 0)
			s->meta = meta;
		strbuf_add(&s->buf, msg.buf, msg.len);
		rd_linphone_drain(r, out, s, &meta);
	}
	for (i = 0; i < RD_LINPHONE_CHANNELS; i++)
		rd_linphone_flush(r, out, &tab[i]);
	strbuf_free(&msg);
	free(tab);
	reader_advance(r, r->len);
	return found ? 0 : -1;
}

const struct rd_format rd_linphone_format = {
	.name = "linphone",
	.desc = "Linphone / belle-sip log (message sent to / received ... "
	    "new bytes from)",
	.probe = rd_linphone_probe,
	.next = NULL,
	.state_size = 0,
	.transform = rd_linphone_transform,
	.names_local = 1,
};
