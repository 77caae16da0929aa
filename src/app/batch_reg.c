/* batch_reg: --registrations, the registration report as an aligned text
 * table or as JSON Lines (one object per REGISTER dialog). Log text passes
 * through sanitize_append() or json_append_str() on its way out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "rules.h"
#include "regreport.h"
#include "batch.h"

enum {
	BR_USER,
	BR_CLIENT,
	BR_SERVER,
	BR_OFFERED,
	BR_USED,
	BR_REMOTE,
	BR_TRIES,
	BR_STATUS,
	BR_TIME,
	BR_SEVERITY,
	BR_EXPLAIN,
	BR__COUNT
};

static const char *const batch_reg_heads[BR__COUNT] = {
	"USER", "CLIENT", "SERVER", "OFFERED", "USED", "REMOTE", "TRIES",
	"STATUS", "TIME", "SEVERITY", "EXPLANATION"
};

/* Widest a column may grow before its text is cut with "...". */
static const size_t batch_reg_maxw[BR__COUNT] = {
	40, 28, 28, 28, 10, 6, 5, 6, 9, 8, 0
};

/* Cuts sanitised text to at most maxw columns, ending with "..." when cut. */
static void
batch_reg_fit(struct strbuf *cell, size_t maxw)
{
	size_t i, w = 0;

	if (maxw == 0 || batch_width(cell->buf, cell->len) <= maxw)
		return;
	for (i = 0; i < cell->len; i++) {
		if (((unsigned char)cell->buf[i] & 0xc0) != 0x80) {
			if (w == maxw - 3)
				break;
			w++;
		}
	}
	cell->len = i;
	cell->buf[i] = '\0';
	strbuf_adds(cell, "...");
}

/* The time to register with the fraction digits its two times have, as
 * --flow writes its deltas: whole seconds from a log that gives no more
 * ("0s", not "0.000s", for two messages of the same second), and below a
 * millisecond microseconds where the log gives them ("0.000576s"). */
static void
batch_reg_elapsed(const struct engine *e, const struct regreport_entry *ent,
		  char *buf, size_t sz)
{
	struct msgindex *ix = engine_index(e);
	uint32_t end = ent->registered_msg != UINT32_MAX ?
	    ent->registered_msg : ent->final_msg;
	const struct msg *a = ent->first_msg != UINT32_MAX ?
	    msgindex_get(ix, ent->first_msg) : NULL;
	const struct msg *b = end != UINT32_MAX ? msgindex_get(ix, end) : NULL;
	int prec = 3;
	size_t n;

	if (a != NULL && b != NULL)
		prec = MSG_TIME_PREC(a) < MSG_TIME_PREC(b) ?
		    MSG_TIME_PREC(a) : MSG_TIME_PREC(b);
	if (ent->elapsed_us < 0) {
		snprintf(buf, sz, "-");
		return;
	}
	time_format_span(buf, sz - 1, ent->elapsed_us, prec, 0);
	n = strlen(buf);
	buf[n] = 's';
	buf[n + 1] = '\0';
}

static void
batch_reg_cells(const struct engine *e, const struct regreport_entry *ent,
		struct strbuf *cells)
{
	char buf[64];
	int i;

	for (i = 0; i < BR__COUNT; i++)
		strbuf_reset(&cells[i]);
#define TEXT(col, str, len) do {					\
	if ((len) == 0)							\
		strbuf_addc(&cells[col], '-');				\
	else								\
		sanitize_append(&cells[col], (str), (len), 0);		\
} while (0)
	TEXT(BR_USER, ent->user, ent->nuser);
	TEXT(BR_CLIENT, ent->client, ent->nclient);
	TEXT(BR_SERVER, ent->server, ent->nserver);
	TEXT(BR_OFFERED, ent->offered, strlen(ent->offered));
	TEXT(BR_USED, ent->used, strlen(ent->used));
	TEXT(BR_EXPLAIN, ent->explain, ent->nexplain);
#undef TEXT
	strbuf_adds(&cells[BR_REMOTE], ent->remote_user ? "yes" : "no");
	strbuf_addf(&cells[BR_TRIES], "%u", ent->attempts);
	if (ent->status != 0)
		strbuf_addf(&cells[BR_STATUS], "%u", ent->status);
	else
		strbuf_addc(&cells[BR_STATUS], '-');
	batch_reg_elapsed(e, ent, buf, sizeof buf);
	strbuf_adds(&cells[BR_TIME], buf);
	strbuf_adds(&cells[BR_SEVERITY], severity_name(ent->severity));
	for (i = 0; i < BR__COUNT; i++)
		batch_reg_fit(&cells[i], batch_reg_maxw[i]);
}

static void
batch_reg_row(struct strbuf *out, struct strbuf *cells, const size_t *w)
{
	size_t cw;
	int i;

	for (i = 0; i < BR__COUNT; i++) {
		strbuf_add(out, cells[i].buf, cells[i].len);
		if (i == BR__COUNT - 1)
			break;
		cw = batch_width(cells[i].buf, cells[i].len);
		while (cw++ < w[i] + 2)
			strbuf_addc(out, ' ');
	}
	/* No trailing blanks: golden files and diff stay clean. */
	while (out->len > 0 && out->buf[out->len - 1] == ' ')
		out->len--;
	strbuf_addc(out, '\n');
}

static void
batch_reg_json_str(struct strbuf *out, const char *key, const char *s,
		   size_t n)
{
	strbuf_addf(out, ",\"%s\":", key);
	if (s == NULL || n == 0)
		strbuf_adds(out, "null");
	else
		json_append_str(out, s, n);
}

static void
batch_reg_json_time(struct strbuf *out, const struct engine *e,
		    const char *key, uint32_t id)
{
	const struct msg *x;
	char buf[64];

	strbuf_addf(out, ",\"%s\":", key);
	if (id == UINT32_MAX ||
	    (x = msgindex_get(engine_index(e), id)) == NULL ||
	    x->time == TIME_NONE) {
		strbuf_adds(out, "null");
		return;
	}
	time_format(buf, sizeof buf, x->time, MSG_TIME_PREC(x),
	    msg_time_dating(x));
	json_append_str(out, buf, strlen(buf));
}

static void
batch_reg_json(const struct engine *e, const struct regreport_entry *ent,
	       struct strbuf *out)
{
	const struct dialog *d = dialogs_get(engine_dialogs(e), ent->dialog);
	const char *p, *q, *cid;
	size_t n;
	int first = 1;

	strbuf_addf(out, "{\"dialog\":%u", ent->dialog);
	/* By its length: a Call-ID may hold a NUL (\u0000). */
	cid = intern_str(engine_call_ids(e), dialogs_call_id(engine_dialogs(e),
			 engine_index(e), d), &n);
	strbuf_adds(out, ",\"call_id\":");
	if (n == 0)
		strbuf_adds(out, "null");
	else
		json_append_str(out, cid, n);
	batch_reg_json_str(out, "user", ent->user, ent->nuser);
	batch_reg_json_str(out, "client", ent->client, ent->nclient);
	batch_reg_json_str(out, "server", ent->server, ent->nserver);
	strbuf_adds(out, ",\"offered\":[");
	for (p = ent->offered; *p != '\0'; p = q + 2) {
		q = strstr(p, ", ");
		if (!first)
			strbuf_addc(out, ',');
		first = 0;
		json_append_str(out, p, q != NULL ? (size_t)(q - p) :
		    strlen(p));
		if (q == NULL)
			break;
	}
	strbuf_addc(out, ']');
	batch_reg_json_str(out, "used", ent->used, strlen(ent->used));
	strbuf_addf(out, ",\"remote_user\":%s", ent->remote_user ? "true" :
	    "false");
	strbuf_addf(out, ",\"attempts\":%u", ent->attempts);
	if (ent->status != 0)
		strbuf_addf(out, ",\"status\":%u", ent->status);
	else
		strbuf_adds(out, ",\"status\":null");
	batch_reg_json_str(out, "reason", ent->reason,
			   ent->status != 0 ? ent->nreason : 0);
	batch_reg_json_time(out, e, "first", ent->first_msg);
	batch_reg_json_time(out, e, "registered", ent->registered_msg);
	batch_reg_json_time(out, e, "final", ent->final_msg);
	strbuf_addf(out, ",\"signed_out\":%s", ent->signed_out ? "true" :
	    "false");
	if (ent->elapsed_us >= 0)
		strbuf_addf(out, ",\"elapsed_ms\":%lld.%03lld",
		    (long long)(ent->elapsed_us / 1000),
		    (long long)(ent->elapsed_us % 1000));
	else
		strbuf_adds(out, ",\"elapsed_ms\":null");
	batch_reg_json_str(out, "severity", severity_name(ent->severity),
			   strlen(severity_name(ent->severity)));
	batch_reg_json_str(out, "explain", ent->explain, ent->nexplain);
	strbuf_adds(out, "}\n");
}

/* Whether any message of dialog d is among the selected ones. */
static int
batch_reg_selected(const struct engine *e, const uint8_t *sel, size_t nsel,
		   uint32_t d)
{
	const struct dialog *dg = dialogs_get(engine_dialogs(e), d);
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), dg);
	size_t i;

	for (i = 0; i < dg->nmsgs; i++) {
		if (ids[i] < nsel && sel[ids[i]])
			return 1;
	}
	return 0;
}

int
batch_registrations(struct engine *e, const struct batch_opts *o, FILE *out)
{
	struct regreport rr;
	struct strbuf sb, cells[BR__COUNT];
	size_t w[BR__COUNT], i, nshow, nmsg = msgindex_count(engine_index(e)), cw;
	uint8_t *sel = NULL, *show;
	int k;

	regreport_build(e, o->rules, &rr);
	show = xcalloc(rr.n ? rr.n : 1, 1);
	if (o->filtered) {
		sel = xcalloc(nmsg ? nmsg : 1, 1);
		for (i = 0; i < o->nsel; i++) {
			if (o->sel[i] < nmsg)
				sel[o->sel[i]] = 1;
		}
	}
	for (i = 0; i < rr.n; i++)
		show[i] = sel == NULL ||
		    batch_reg_selected(e, sel, nmsg, rr.v[i].dialog);

	strbuf_init(&sb);
	for (k = 0; k < BR__COUNT; k++)
		strbuf_init(&cells[k]);
	if (o->json) {
		for (i = 0; i < rr.n; i++) {
			if (!show[i])
				continue;
			strbuf_reset(&sb);
			batch_reg_json(e, &rr.v[i], &sb);
			fwrite(sb.buf, 1, sb.len, out);
		}
		goto done;
	}

	for (k = 0; k < BR__COUNT; k++)
		w[k] = strlen(batch_reg_heads[k]);
	nshow = 0;
	for (i = 0; i < rr.n; i++) {
		if (!show[i])
			continue;
		nshow++;
		batch_reg_cells(e, &rr.v[i], cells);
		for (k = 0; k < BR__COUNT; k++) {
			cw = batch_width(cells[k].buf, cells[k].len);
			if (cw > w[k])
				w[k] = cw;
		}
	}
	/* Nothing at all, not a lone header, when there is no registration. */
	if (nshow == 0)
		goto done;
	for (k = 0; k < BR__COUNT; k++) {
		strbuf_reset(&cells[k]);
		strbuf_adds(&cells[k], batch_reg_heads[k]);
	}
	batch_reg_row(&sb, cells, w);
	for (i = 0; i < rr.n; i++) {
		if (!show[i])
			continue;
		batch_reg_cells(e, &rr.v[i], cells);
		batch_reg_row(&sb, cells, w);
	}
	fwrite(sb.buf, 1, sb.len, out);
done:
	for (k = 0; k < BR__COUNT; k++)
		strbuf_free(&cells[k]);
	strbuf_free(&sb);
	free(sel);
	free(show);
	regreport_free(&rr);
	return 0;
}
