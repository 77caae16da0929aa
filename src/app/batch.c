/* batch: --list and --dialogs, as aligned text or JSON Lines. Everything
 * that comes from a log passes through sanitize_append() (text) or
 * json_append_str() (JSON) on its way out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "source.h"
#include "engine.h"
#include "rules.h"
#include "batch.h"

static const struct {
	unsigned flag;
	const char *name;
} batch_flag_names[] = {
	{ RECF_TRUNCATED, "truncated" },
	{ RECF_NO_CALLID, "no_call_id" },
	{ RECF_BAD_START, "bad_start_line" },
	{ RECF_BAD_HEADER, "bad_header" },
	{ RECF_RETRANS, "retransmission" },
	{ RECF_LARGE, "large" },
};

/* Messages listed between two givings back of the pages read
 * (engine_give_back): a listing of a large log reads all of it. */
#define BATCH_GIVE_BACK 4096

static const char *
batch_kind_name(unsigned kind)
{
	switch (kind) {
	case MSG_REQUEST: return "request";
	case MSG_RESPONSE: return "response";
	case MSG_DIAG: return "diagnostic";
	default: return "invalid";
	}
}

static void
batch_time(const struct msg *m, char *buf, size_t sz)
{
	time_format(buf, sz, m->time, MSG_TIME_PREC(m), msg_time_dating(m));
}

/* One-line summary of a message: the SIP summary, or for a diagnostic
 * event its level and text. */
static void
batch_summary(const struct engine *e, uint32_t id, const struct rd_record *rec,
	      const struct sipmsg *m, struct strbuf *out)
{
	const struct msg *x = msgindex_get(engine_index(e), id);
	const struct sip_header *h;
	struct strbuf raw;

	strbuf_init(&raw);
	if (x->kind == MSG_DIAG) {
		strbuf_adds(&raw, "DIAG");
		if (rec->diag_level.n > 0) {
			strbuf_addc(&raw, ' ');
			strbuf_add(&raw, rec->diag_level.p, rec->diag_level.n);
		}
		if ((h = sipmsg_find_name(m, "Text", 0)) != NULL ||
		    (h = sipmsg_find_name(m, "Result-Code", 0)) != NULL) {
			strbuf_adds(&raw, ": ");
			strbuf_add(&raw, h->value.p,
				   h->value.n > 120 ? 120 : h->value.n);
		}
	} else
		sipmsg_summary(m, &raw);
	sanitize_append(out, raw.buf != NULL ? raw.buf : "", raw.len, 0);
	strbuf_free(&raw);
}

static void
batch_text_str(struct strbuf *out, const char *s)
{
	sanitize_append(out, s, strlen(s), 0);
}

/* Interned string id of t (or none when id is 0), by its length: a log's
 * string may hold a NUL, which is shown as \x00, not an end. */
static void
batch_text_id(struct strbuf *out, const struct intern *t, uint32_t id,
	      const char *none)
{
	size_t n;
	const char *s = intern_str(t, id, &n);

	if (id == 0)
		batch_text_str(out, none);
	else
		sanitize_append(out, s, n, 0);
}

static void
batch_json_key(struct strbuf *out, const char *key, int first)
{
	if (!first)
		strbuf_addc(out, ',');
	json_append_str(out, key, strlen(key));
	strbuf_addc(out, ':');
}

static void
batch_json_span(struct strbuf *out, const char *key, struct span s)
{
	batch_json_key(out, key, 0);
	if (s.p == NULL || s.n == 0)
		strbuf_adds(out, "null");
	else
		json_append_str(out, s.p, s.n);
}

static void
batch_json_id(struct strbuf *out, const struct intern *t, const char *key,
	      uint32_t id)
{
	size_t n;
	const char *s = intern_str(t, id, &n);

	batch_json_key(out, key, 0);
	if (id == 0)
		strbuf_adds(out, "null");
	else
		json_append_str(out, s, n);
}

static void
batch_json_time(struct strbuf *out, const char *key, int64_t t, int prec,
		int dating)
{
	char buf[64];

	batch_json_key(out, key, 0);
	if (t == TIME_NONE) {
		strbuf_adds(out, "null");
		return;
	}
	time_format(buf, sizeof buf, t, prec, dating);
	json_append_str(out, buf, strlen(buf));
}

static void
batch_list_json(struct engine *e, const struct batch_opts *o, uint32_t id,
		struct strbuf *out)
{
	const struct msg *x = msgindex_get(engine_index(e), id);
	const struct engine_file *f = engine_file(e, x->file);
	struct rd_record rec;
	struct sipmsg m;
	struct strbuf ex;
	size_t i;
	struct msg_kept k;
	uint32_t d, line;
	char tbuf[16];
	int first = 1;

	engine_message(e, id, &rec, &m);
	engine_msg_kept(e, id, &k);
	strbuf_addc(out, '{');
	batch_json_key(out, "index", 1);
	strbuf_addf(out, "%u", id);
	batch_json_key(out, "file", 0);
	json_append_str(out, f->src->path, strlen(f->src->path));
	batch_json_key(out, "line", 0);
	if ((line = engine_msg_line(e, id)) != 0)
		strbuf_addf(out, "%u", line);
	else
		strbuf_adds(out, "null");	/* its text is gone */
	batch_json_time(out, "time", x->time, MSG_TIME_PREC(x),
			msg_time_dating(x));
	batch_json_id(out, engine_strings(e), "src", k.src);
	batch_json_id(out, engine_strings(e), "dst", k.dst);
	batch_json_span(out, "transport", engine_transport(&rec, &m, tbuf,
							   sizeof tbuf));
	batch_json_key(out, "kind", 0);
	json_append_str(out, batch_kind_name(x->kind),
			strlen(batch_kind_name(x->kind)));
	if (x->kind == MSG_REQUEST)
		batch_json_span(out, "method", m.method);
	else
		batch_json_span(out, "method", SPAN_NULL);
	batch_json_span(out, "ruri", x->kind == MSG_REQUEST ? m.ruri : SPAN_NULL);
	batch_json_key(out, "status", 0);
	if (x->kind == MSG_RESPONSE)
		strbuf_addf(out, "%u", x->status);
	else
		strbuf_adds(out, "null");
	batch_json_span(out, "reason",
			x->kind == MSG_RESPONSE ? m.reason : SPAN_NULL);
	batch_json_id(out, engine_call_ids(e), "call_id", x->call_id);
	batch_json_key(out, "cseq", 0);
	if (x->cseq > 0 || (x->kind != MSG_DIAG && m.cseq_method.n > 0))
		strbuf_addf(out, "%u", x->cseq);
	else
		strbuf_adds(out, "null");
	if (x->kind == MSG_DIAG)
		batch_json_id(out, engine_strings(e), "cseq_method",
			      msgindex_method(engine_index(e), id));
	else
		batch_json_span(out, "cseq_method", m.cseq_method);
	batch_json_span(out, "from", x->kind == MSG_DIAG ? SPAN_NULL : m.from.uri);
	batch_json_span(out, "from_tag", x->kind == MSG_DIAG ? SPAN_NULL : m.from.tag);
	batch_json_span(out, "to", x->kind == MSG_DIAG ? SPAN_NULL : m.to.uri);
	batch_json_span(out, "to_tag", x->kind == MSG_DIAG ? SPAN_NULL : m.to.tag);
	batch_json_key(out, "dialog", 0);
	if ((d = dialogs_of(engine_dialogs(e), x)) == NO_DIALOG)
		strbuf_adds(out, "null");
	else
		strbuf_addf(out, "%u", d);
	batch_json_key(out, "flags", 0);
	strbuf_addc(out, '[');
	for (i = 0; i < sizeof batch_flag_names / sizeof batch_flag_names[0]; i++) {
		if (x->flags & batch_flag_names[i].flag) {
			if (!first)
				strbuf_addc(out, ',');
			first = 0;
			json_append_str(out, batch_flag_names[i].name,
					strlen(batch_flag_names[i].name));
		}
	}
	strbuf_addc(out, ']');
	batch_json_key(out, "severity", 0);
	json_append_str(out, severity_name(x->severity),
			strlen(severity_name(x->severity)));
	batch_json_key(out, "rule", 0);
	if (o->rules != NULL && x->rule != 0) {
		const char *rn = rules_rule_name(o->rules, x->rule);
		json_append_str(out, rn, strlen(rn));
	} else
		strbuf_adds(out, "null");
	batch_json_key(out, "explain", 0);
	strbuf_init(&ex);
	if (o->rules != NULL)
		rules_explain(o->rules, e, id, &ex);
	if (ex.len > 0)
		json_append_str(out, ex.buf, ex.len);
	else
		strbuf_adds(out, "null");
	strbuf_free(&ex);
	strbuf_adds(out, "}\n");
	sipmsg_clear(&m);
}

size_t
batch_width(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/* Pads what was written to out since start to w columns. */
static void
batch_pad(struct strbuf *out, size_t start, size_t w)
{
	size_t cw = batch_width(out->buf + start, out->len - start);

	while (cw++ < w)
		strbuf_addc(out, ' ');
}

/* Columns of the text outputs: at least these wide, wider when a value
 * of the selection needs it, up to the most; a value longer than that
 * overflows its own row only. */
#define BATCH_W_INDEX	6	/* message numbers; dialogs' take 5 */
#define BATCH_W_DIALOG	5
#define BATCH_W_TIME	23	/* 2025-03-11T08:01:12.424 */
#define BATCH_W_ENDS	44
#define BATCH_W_ENDS_MAX 100	/* two IPv6 addresses with ports */
#define BATCH_W_SUMMARY	40
#define BATCH_W_KIND	10
#define BATCH_W_KIND_MAX 20
#define BATCH_W_LAST	12	/* 08:01:12.671 */
#define BATCH_W_PARTIES	50

static size_t
batch_digits(uint32_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Width of the time column for a message: the same for every time of one
 * precision and dating, so one formatting of each kind says it. */
static size_t
batch_time_width(const struct msg *x, size_t cache[4][8])
{
	int prec = MSG_TIME_PREC(x), dated = msg_time_dating(x);
	char buf[64];

	if (x->time == TIME_NONE)
		return 1;
	if (msg_time_dating(x) == TIME_DAYS) {
		/* "+1d" after it from the second day on. */
		time_format(buf, sizeof buf, x->time, prec, TIME_DAYS);
		return strlen(buf);
	}
	if (prec > 7)
		prec = 7;
	if (cache[dated][prec] == 0) {
		time_format(buf, sizeof buf, x->time, MSG_TIME_PREC(x), dated);
		cache[dated][prec] = strlen(buf);
	}
	return cache[dated][prec];
}

/* Width of an interned string as shown, remembered per id in *w. */
static size_t
batch_str_width(const struct engine *e, uint32_t id, uint16_t **w,
		size_t *nw, struct strbuf *tmp)
{
	const char *s;
	size_t n;

	if (id == 0)
		return 1;	/* "?" */
	if (id >= *nw) {
		size_t old = *nw;

		*nw = intern_count(engine_strings(e)) + 1;
		if (*nw <= id)
			*nw = (size_t)id + 1;
		*w = xrealloc(*w, *nw * sizeof **w);
		memset(*w + old, 0, (*nw - old) * sizeof **w);
	}
	if ((*w)[id] == 0) {
		s = intern_str(engine_strings(e), id, &n);
		strbuf_reset(tmp);
		sanitize_append(tmp, s, n, 0);
		n = batch_width(tmp->buf != NULL ? tmp->buf : "", tmp->len);
		(*w)[id] = (uint16_t)(n < 65535 ? n + 1 : 65535);
	}
	return (size_t)(*w)[id] - 1;
}

/* Grows the --list columns (number, time, source -> destination) to what
 * the selected messages need. Reads only the index, not the messages. */
static void
batch_list_widths(const struct engine *e, struct batch_opts *o)
{
	size_t tcache[4][8] = { { 0 } }, i, nw = 0, w;
	uint16_t *sw = NULL;
	uint32_t src, dst;
	struct strbuf tmp;

	if (o->w_index < BATCH_W_INDEX)
		o->w_index = BATCH_W_INDEX;
	if (o->nsel > 0 && (w = batch_digits(o->sel[o->nsel - 1])) > o->w_index)
		o->w_index = w;	/* the ids are in index order */
	if (o->w_time < BATCH_W_TIME)
		o->w_time = BATCH_W_TIME;
	if (o->w_ends < BATCH_W_ENDS)
		o->w_ends = BATCH_W_ENDS;
	strbuf_init(&tmp);
	for (i = 0; i < o->nsel; i++) {
		const struct msg *x = msgindex_get(engine_index(e), o->sel[i]);

		if ((w = batch_time_width(x, tcache)) > o->w_time)
			o->w_time = w;
		engine_msg_ends(e, o->sel[i], &src, &dst);
		w = batch_str_width(e, src, &sw, &nw, &tmp) + 4 +
		    batch_str_width(e, dst, &sw, &nw, &tmp);
		if (w > o->w_ends && w <= BATCH_W_ENDS_MAX)
			o->w_ends = w;
	}
	free(sw);
	strbuf_free(&tmp);
}

static void
batch_list_text(struct engine *e, const struct batch_opts *o, uint32_t id,
		struct strbuf *out)
{
	const struct msg *x = msgindex_get(engine_index(e), id);
	struct rd_record rec;
	struct sipmsg m;
	char tbuf[64];
	uint32_t src, dst;
	size_t start;

	engine_message(e, id, &rec, &m);
	engine_msg_ends(e, id, &src, &dst);
	batch_time(x, tbuf, sizeof tbuf);
	strbuf_addf(out, "%*u  %-*s  %-7s  ", (int)o->w_index, id,
		    (int)o->w_time, tbuf,
		    severity_name(x->severity));
	start = out->len;
	batch_text_id(out, engine_strings(e), src, "?");
	strbuf_adds(out, " -> ");
	batch_text_id(out, engine_strings(e), dst, "?");
	batch_pad(out, start, o->w_ends);
	strbuf_addc(out, ' ');
	start = out->len;
	batch_summary(e, id, &rec, &m, out);
	batch_pad(out, start, BATCH_W_SUMMARY);
	strbuf_addc(out, ' ');
	batch_text_id(out, engine_call_ids(e), x->call_id, "-");
	strbuf_addc(out, '\n');
	sipmsg_clear(&m);
}

int
batch_list(struct engine *e, struct batch_opts *o, FILE *out)
{
	struct strbuf sb;
	size_t i;

	if (!o->json)
		batch_list_widths(e, o);
	strbuf_init(&sb);
	for (i = 0; i < o->nsel; i++) {
		strbuf_reset(&sb);
		if (o->json)
			batch_list_json(e, o, o->sel[i], &sb);
		else
			batch_list_text(e, o, o->sel[i], &sb);
		fwrite(sb.buf, 1, sb.len, out);
		if (i % BATCH_GIVE_BACK == BATCH_GIVE_BACK - 1)
			engine_give_back(e);
	}
	engine_give_back(e);
	strbuf_free(&sb);
	return 0;
}

/* Marks the dialogs that hold at least one selected message. */
static uint8_t *
batch_selected_dialogs(const struct engine *e, const struct batch_opts *o)
{
	size_t n = dialogs_count(engine_dialogs(e)), i;
	uint8_t *mark = xcalloc(n ? n : 1, 1);

	for (i = 0; i < o->nsel; i++) {
		const struct msg *x = msgindex_get(engine_index(e), o->sel[i]);

		uint32_t d = dialogs_of(engine_dialogs(e), x);

		if (d != NO_DIALOG && d < n)
			mark[d] = 1;
	}
	return mark;
}

/* Time precision and dating (enum time_dating) of a dialog's first
 * message. */
static void
batch_dialog_prec(const struct engine *e, const struct dialog *d, int *prec,
		  int *dating)
{
	const struct msg *x = msgindex_get(engine_index(e),
		dialogs_msgs(engine_dialogs(e), d)[0]);

	*prec = MSG_TIME_PREC(x);
	*dating = msg_time_dating(x);
}

static void
batch_dialog_json(const struct engine *e, uint32_t did, const struct dialog *d,
		  struct strbuf *out)
{
	int64_t first, last;
	int prec, dating;

	batch_dialog_prec(e, d, &prec, &dating);
	dialogs_times(engine_dialogs(e), engine_index(e), d, &first, &last);
	strbuf_addc(out, '{');
	batch_json_key(out, "dialog", 1);
	strbuf_addf(out, "%u", did);
	batch_json_id(out, engine_call_ids(e), "call_id",
		      dialogs_call_id(engine_dialogs(e), engine_index(e), d));
	batch_json_id(out, engine_strings(e), "kind",
		      dialogs_kind(engine_dialogs(e), engine_index(e), d));
	batch_json_id(out, engine_strings(e), "from", d->from);
	batch_json_id(out, engine_strings(e), "to", d->to);
	batch_json_key(out, "messages", 0);
	strbuf_addf(out, "%u", d->nmsgs);
	batch_json_time(out, "first", first, prec, dating);
	batch_json_time(out, "last", last, prec, dating);
	batch_json_key(out, "outcome", 0);
	if (d->outcome != 0)
		strbuf_addf(out, "%u", d->outcome);
	else
		strbuf_adds(out, "null");
	batch_json_key(out, "severity", 0);
	json_append_str(out, severity_name(d->severity),
			strlen(severity_name(d->severity)));
	batch_json_id(out, engine_strings(e), "auth",
		      dialogs_auth(engine_dialogs(e), d));
	strbuf_adds(out, "}\n");
}

/* The first and last times of a dialog as --dialogs shows them: the last
 * with its date only when that is another day. */
static void
batch_dialog_times(const struct engine *e, const struct dialog *d,
		   char *first, char *last, size_t sz)
{
	int64_t t0, t1;
	int prec, dating;

	batch_dialog_prec(e, d, &prec, &dating);
	dialogs_times(engine_dialogs(e), engine_index(e), d, &t0, &t1);
	time_format(first, sz, t0, prec, dating);
	if ((dating == TIME_DATED || dating == TIME_MONTHDAY) &&
	    (t0 == TIME_NONE || t1 == TIME_NONE ||
	     t0 / 86400000000LL == t1 / 86400000000LL))
		dating = TIME_CLOCK;
	time_format(last, sz, t1, prec, dating);
}

/* Widths of the --dialogs columns that vary: first, last, kind, from ->
 * to. From the dialogs' interned strings and times, not their messages. */
struct batch_dialog_cols {
	size_t index, first, last, kind, parties;
};

static void
batch_dialog_widths(const struct engine *e, const uint8_t *mark,
		    struct batch_dialog_cols *c)
{
	struct dialogs *ds = engine_dialogs(e);
	size_t n = dialogs_count(ds), i, nw = 0, w;
	uint16_t *sw = NULL;
	struct strbuf tmp;
	char first[64], last[64];

	c->index = BATCH_W_DIALOG;
	if (n > 0 && batch_digits((uint32_t)(n - 1)) > c->index)
		c->index = batch_digits((uint32_t)(n - 1));
	c->first = BATCH_W_TIME;
	c->last = BATCH_W_LAST;
	c->kind = BATCH_W_KIND;
	c->parties = BATCH_W_PARTIES;
	strbuf_init(&tmp);
	for (i = 0; i < n; i++) {
		const struct dialog *d = dialogs_get(ds, (uint32_t)i);

		if (mark != NULL && !mark[i])
			continue;
		batch_dialog_times(e, d, first, last, sizeof first);
		if (strlen(first) > c->first)
			c->first = strlen(first);
		if (strlen(last) > c->last)
			c->last = strlen(last);
		w = batch_str_width(e, dialogs_kind(ds, engine_index(e), d),
				    &sw, &nw, &tmp);
		if (w > c->kind && w <= BATCH_W_KIND_MAX)
			c->kind = w;
		w = batch_str_width(e, d->from, &sw, &nw, &tmp) + 4 +
		    batch_str_width(e, d->to, &sw, &nw, &tmp);
		if (w > c->parties && w <= BATCH_W_ENDS_MAX)
			c->parties = w;
	}
	free(sw);
	strbuf_free(&tmp);
}

static void
batch_dialog_text(const struct engine *e, uint32_t did, const struct dialog *d,
		  const struct batch_dialog_cols *c, struct strbuf *out)
{
	char first[64], last[64], outcome[8];
	size_t start;
	uint32_t kind, auth;

	batch_dialog_times(e, d, first, last, sizeof first);
	if (d->outcome != 0)
		snprintf(outcome, sizeof outcome, "%u", d->outcome);
	else
		snprintf(outcome, sizeof outcome, "-");
	strbuf_addf(out, "%*u  %-*s  %-*s  ", (int)c->index, did,
		    (int)c->first, first,
		    (int)c->last, last);
	start = out->len;
	kind = dialogs_kind(engine_dialogs(e), engine_index(e), d);
	auth = dialogs_auth(engine_dialogs(e), d);
	batch_text_id(out, engine_strings(e), kind, "?");
	batch_pad(out, start, c->kind);
	strbuf_addf(out, " %4u  %-4s %-7s %-8s ", d->nmsgs, outcome,
		    severity_name(d->severity),
		    auth ? engine_str(e, auth) : "-");
	start = out->len;
	batch_text_id(out, engine_strings(e), d->from, "?");
	strbuf_adds(out, " -> ");
	batch_text_id(out, engine_strings(e), d->to, "?");
	batch_pad(out, start, c->parties);
	strbuf_addc(out, ' ');
	batch_text_id(out, engine_call_ids(e),
		      dialogs_call_id(engine_dialogs(e), engine_index(e), d),
		      "");
	strbuf_addc(out, '\n');
}

int
batch_dialogs(struct engine *e, const struct batch_opts *o, FILE *out)
{
	struct dialogs *ds = engine_dialogs(e);
	size_t n = dialogs_count(ds), i;
	uint8_t *mark = o->filtered ? batch_selected_dialogs(e, o) : NULL;
	struct batch_dialog_cols cols = { 0, 0, 0, 0, 0 };
	struct strbuf sb;

	if (!o->json)
		batch_dialog_widths(e, mark, &cols);
	strbuf_init(&sb);
	for (i = 0; i < n; i++) {
		const struct dialog *d = dialogs_get(ds, (uint32_t)i);

		if (mark != NULL && !mark[i])
			continue;
		strbuf_reset(&sb);
		if (o->json)
			batch_dialog_json(e, (uint32_t)i, d, &sb);
		else
			batch_dialog_text(e, (uint32_t)i, d, &cols, &sb);
		fwrite(sb.buf, 1, sb.len, out);
	}
	strbuf_free(&sb);
	free(mark);
	return 0;
}
