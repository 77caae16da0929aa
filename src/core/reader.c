/* reader: the format table, format probing and the line bookkeeping shared
 * by the format modules (rd_*.c). A format module only finds record
 * boundaries and fills struct rd_record; this file owns stats and warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "rd_common.h"

extern const struct rd_format rd_cls_format;
extern const struct rd_format rd_uccapi_format;
extern const struct rd_format rd_sngrep_format;
extern const struct rd_format rd_pcap_format;
extern const struct rd_format rd_asterisk_format;
extern const struct rd_format rd_pjsip_format;
extern const struct rd_format rd_pjsua_format;
extern const struct rd_format rd_linphone_format;
extern const struct rd_format rd_cisco_format;
extern const struct rd_format rd_sipe_format;
extern const struct rd_format rd_kamailio_format;
extern const struct rd_format rd_kamailio_syslog_format;
extern const struct rd_format rd_baresip_format;
extern const struct rd_format rd_audiocodes_format;
extern const struct rd_format rd_sipp_format;
extern const struct rd_format rd_freeswitch_format;
extern const struct rd_format rd_ngrep_format;
extern const struct rd_format rd_raw_format;
extern const struct rd_format rd_syslog_format;

const struct rd_format *const reader_formats[] = {
	&rd_cls_format,
	&rd_uccapi_format,
	&rd_sngrep_format,
	&rd_pcap_format,
	/* Before the text logs: the log inside syslog lines scores as it
	 * would bare, and a format that finds its marks anywhere in a line
	 * (linphone) ties; the tie goes to taking the prefixes off. */
	&rd_syslog_format,
	&rd_asterisk_format,
	&rd_pjsip_format,
	&rd_pjsua_format,
	&rd_linphone_format,
	&rd_cisco_format,
	&rd_sipe_format,
	&rd_kamailio_format,
	&rd_kamailio_syslog_format,
	&rd_baresip_format,
	&rd_audiocodes_format,
	&rd_sipp_format,
	&rd_freeswitch_format,
	&rd_ngrep_format,
	&rd_raw_format,
	NULL,
};

/* Messages above this are flagged RECF_LARGE. */
#define READER_LARGE 65536
#define READER_BOM "\xef\xbb\xbf"
/* Warnings kept per reader; the one after the last says so. */
#define READER_MAX_WARNINGS 100000
/* Below this a probe's answer is only a guess and is not taken. */
#define READER_PROBE_MIN 30

const struct rd_format *
reader_by_name(const char *name)
{
	size_t i;

	for (i = 0; reader_formats[i] != NULL; i++) {
		if (strcmp(reader_formats[i]->name, name) == 0)
			return reader_formats[i];
	}
	return NULL;
}

const struct rd_format *
reader_probe(const char *data, size_t len)
{
	const struct rd_format *best = NULL;
	size_t i, n;
	int score, best_score = READER_PROBE_MIN - 1;

	/* Windows tools like to start text files with a UTF-8 BOM. */
	if (len >= 3 && memcmp(data, READER_BOM, 3) == 0) {
		data += 3;
		len -= 3;
	}
	n = len < READER_PROBE_BYTES ? len : READER_PROBE_BYTES;
	for (i = 0; reader_formats[i] != NULL; i++) {
		score = reader_formats[i]->probe(data, n);
		/* Ties go to the earlier, more specific format. */
		if (score > best_score) {
			best = reader_formats[i];
			best_score = score;
		}
	}
	return best;
}

struct reader *
reader_new(const struct rd_format *fmt, const char *data, size_t len)
{
	struct reader *r;

	r = xcalloc(1, sizeof *r);
	r->fmt = fmt;
	r->data = data;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(data, READER_BOM, 3) == 0)
		r->pos = 3;
	if (fmt->state_size != 0) {
		r->state = xcalloc(1, fmt->state_size);
		r->undo_state = xmalloc(fmt->state_size);
		r->try_state = xmalloc(fmt->state_size);
	}
	return r;
}

void
reader_skip_bom(struct reader *r)
{
	if (r->pos == 0 && r->len >= 3 && memcmp(r->data, READER_BOM, 3) == 0)
		r->pos = 3;
}

void
reader_free(struct reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i].msg);
	free(r->warnings);
	strbuf_free(&r->join);
	free(r->state);
	free(r->undo_state);
	free(r->try_state);
	free(r);
}

int
reader_next(struct reader *r, struct rd_record *rec)
{
	size_t before = r->pos;
	uint32_t line;
	struct rd_stats stats;
	void *undo;

	/* A format with a transform is read through rd_canon_format. */
	if (r->pos >= r->len || r->fmt->next == NULL)
		return 0;
	memset(rec, 0, sizeof *rec);
	rec->time = TIME_NONE;
	line = r->line;
	stats = r->stats;
	if (r->state != NULL)
		memcpy(r->try_state, r->state, r->fmt->state_size);
	if (!r->fmt->next(r, rec))
		return 0;
	/* What reader_undo() goes back to. */
	r->undo_pos = before;
	r->undo_line = line;
	r->undo_stats = stats;
	undo = r->undo_state;
	r->undo_state = r->try_state;
	r->try_state = undo;
	r->can_undo = 1;
	/* A format that fails to move forward would loop forever. */
	if (r->pos <= before)
		reader_advance(r, before + 1);
	/* The size of the message itself, not of its log framing. */
	if (rec->kind == REC_SIP &&
	    rec->start.n + rec->hdrs.n + rec->body.n > READER_LARGE)
		rec->flags |= RECF_LARGE;
	if ((rec->flags & RECF_TRUNCATED) && r->follow &&
	    rec->off + rec->len >= r->len)
		return 1;
	r->stats.records++;
	if (rec->flags & RECF_TRUNCATED) {
		r->stats.truncated++;
		/* A canonical record was warned about when it was written. */
		if (r->fmt != &rd_canon_format)
			reader_warn(r, rec->line, "message cut short (kept, "
			    "flagged truncated)");
	}
	return 1;
}

int
reader_undo(struct reader *r)
{
	if (!r->can_undo)
		return -1;
	r->pos = r->undo_pos;
	r->line = r->undo_line;
	r->stats = r->undo_stats;
	if (r->state != NULL)
		memcpy(r->state, r->undo_state, r->fmt->state_size);
	r->can_undo = 0;
	return 0;
}

unsigned
reader_progress(const struct reader *r)
{
	if (r->len == 0 || r->pos >= r->len)
		return 1000;
	/* Avoid overflow of pos * 1000 on huge inputs. */
	if (r->len > SIZE_MAX / 1000)
		return (unsigned)(r->pos / (r->len / 1000));
	return (unsigned)(r->pos * 1000 / r->len);
}

void
reader_warn(struct reader *r, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	/* A client log is mostly trace lines: keep the list bounded on
	 * multi-GB inputs. The stats still count everything. */
	if (r->nwarnings > READER_MAX_WARNINGS)
		return;
	if (r->nwarnings == READER_MAX_WARNINGS) {
		fmt = "further warnings not listed";
		line = 0;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) == -1)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		msg = xstrdup(fmt);
	r->warnings = xgrow(r->warnings, &r->capwarnings, r->nwarnings + 1,
	    sizeof *r->warnings);
	r->warnings[r->nwarnings].line = line;
	r->warnings[r->nwarnings].msg = msg;
	r->nwarnings++;
}

size_t
reader_line_end(const struct reader *r, size_t p, size_t *next)
{
	const char *nl;

	if (p >= r->len) {
		*next = r->len;
		return r->len;
	}
	nl = find_nl(r->data + p, r->data + r->len);
	if (nl == NULL) {
		*next = r->len;
		return r->len;
	}
	*next = (size_t)(nl - r->data) + 1;
	return (size_t)(nl - r->data);
}

/* Sixteen bytes at a time: every byte of a log is counted once on its way
 * through reader_advance(), so this runs over whole multi-GB files. */
typedef unsigned char reader_v16 __attribute__((vector_size(16)));

static size_t
reader_count_nl(const char *p, size_t n)
{
	reader_v16 nl, acc, w;
	size_t c = 0, i, k;

	memset(&nl, '\n', sizeof nl);
	while (n >= 16) {
		/* A byte counter holds 255 matches at most. */
		k = n / 16 < 255 ? n / 16 : 255;
		memset(&acc, 0, sizeof acc);
		for (i = 0; i < k; i++) {
			memcpy(&w, p, sizeof w);
			acc -= (reader_v16)(w == nl);
			p += sizeof w;
		}
		n -= k * sizeof w;
		for (i = 0; i < sizeof acc; i++)
			c += acc[i];
	}
	for (; n > 0; n--)
		c += *p++ == '\n';
	return c;
}

void
reader_advance(struct reader *r, size_t newpos)
{
	if (newpos > r->len)
		newpos = r->len;
	if (newpos > r->pos)
		r->line += (uint32_t)reader_count_nl(r->data + r->pos,
		    newpos - r->pos);
	r->pos = newpos;
}

int
reader_wait(struct reader *r, struct rd_record *rec, size_t p)
{
	memset(rec, 0, sizeof *rec);
	rec->time = TIME_NONE;
	rec->kind = REC_SIP;
	rec->off = p;
	rec->line = r->line;
	rec->len = r->len - p;
	rec->flags = RECF_TRUNCATED;
	reader_advance(r, r->len);
	return 1;
}

int
rd_num(const char *p, size_t n, size_t at, int w, int *out)
{
	int i, v = 0;

	if (at + (size_t)w > n)
		return -1;
	for (i = 0; i < w; i++) {
		if (!rd_digit(p[at + (size_t)i]))
			return -1;
		v = v * 10 + (p[at + (size_t)i] - '0');
	}
	*out = v;
	return 0;
}

int
rd_utc_offset(const char *p, size_t n, size_t at, int64_t *off, size_t *end)
{
	int sign, h, m = 0;
	size_t i;

	if (at < n && p[at] == 'Z') {
		*off = 0;
		*end = at + 1;
		return 0;
	}
	if (at >= n || (p[at] != '+' && p[at] != '-') ||
	    rd_num(p, n, at + 1, 2, &h) || h > 14)
		return -1;
	sign = p[at] == '-' ? -1 : 1;
	i = at + 3;
	if (i < n && p[i] == ':' && rd_num(p, n, i + 1, 2, &m) == 0)
		i += 3;
	else if (rd_num(p, n, i, 2, &m) == 0)
		i += 2;
	else
		m = 0;
	/* "+01:00" ends there: a digit after it is something else. */
	if (m > 59 || (i < n && rd_digit(p[i])))
		return -1;
	*off = sign * ((int64_t)h * 60 + m) * 60 * 1000000;
	*end = i;
	return 0;
}

int64_t
rd_zone_near(int64_t t, int64_t wall, int64_t off)
{
	const int64_t q = INT64_C(15) * 60 * 1000000;
	int64_t d;

	if (t == TIME_NONE || wall == TIME_NONE)
		return t;
	d = t - wall;
	/* A clock more than 14 hours off is not in another zone: it is
	 * wrong, and only the stamp's offset is known. */
	if (d > 14 * 4 * q || d < -14 * 4 * q)
		return t - off;
	d = d >= 0 ? (d + q / 2) / q * q : -((-d + q / 2) / q * q);
	return t - off - d;
}

/* v placed after the previous value given back: when it is more than back
 * before it, the log went past a midnight (or a New Year) and it is step
 * (and any later one) on. */
static int64_t
rd_roll(struct rd_tod *t, int64_t v, int64_t back, int64_t step)
{
	if (v == TIME_NONE)
		return v;
	v += t->days;
	if (t->seen && v < t->last - back) {
		t->days += step;
		v += step;
	}
	t->last = v;
	t->seen = 1;
	return v;
}

int64_t
rd_tod_roll(struct rd_tod *t, int64_t tod)
{
	/* Going back by a little is records written out of order (threads
	 * logging at once); by more than half a day, the clock went past
	 * midnight. One day is enough: the previous time is within the
	 * day t->days is at. */
	return rd_roll(t, tod, RD_DAY / 2, RD_DAY);
}

int64_t
rd_year_roll(struct rd_tod *t, int64_t time)
{
	/* Back by more than half a year: the log went past New Year. */
	return rd_roll(t, time, 182 * RD_DAY, 365 * RD_DAY);
}

void
reader_release(struct reader *r, size_t upto)
{
	__atomic_store_n(&r->progress, upto, __ATOMIC_RELAXED);
	if (r->mapped)
		r->released = pages_release(r->data, r->released,
		    upto < r->len ? upto : r->len, 1u << 20);
}
