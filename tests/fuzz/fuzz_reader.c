/* fuzz_reader: libFuzzer harness for the readers and the engine. The input
 * is given to every format's probe and record splitter (records checked to
 * stay inside the input and to move forward), then to the whole pipeline
 * (engine_add_mem with auto-detection and with each format, engine_run with
 * the default rules, re-reading every message), and its two halves as
 * merged logs (their flow and clocks). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "sipmsg.h"
#include "engine.h"
#include "intern.h"
#include "source.h"
#include "rules.h"
#include "flow.h"
#include "twin.h"
#include "fuzz_common.h"

static struct rules *fuzz_rules;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct strbuf errs;

	/* Rating runs the rules over every dialog: fuzz that path too when
	 * the harness runs from the source tree. */
	strbuf_init(&errs);
	fuzz_rules = rules_load("data/rules.conf", &errs);
	strbuf_free(&errs);
	return 0;
}

/* An endpoint or transport span points into the input, or into text the
 * reader made: its local_name (from the log), its per-format state (an
 * address rebuilt from parts), or a literal name. */
static int
fuzz_endpoint_ok(struct span s, const struct reader *r, const char *d,
    size_t n)
{
	static const char *lit[] = { "local", "UDP", "TCP", "TLS", "SCTP",
	    "WS", "WSS", NULL };
	size_t i;

	if (fuzz_span_in(s, d, n))
		return 1;
	if (fuzz_span_in(s, r->local_name, sizeof r->local_name))
		return 1;
	if (r->state != NULL &&
	    fuzz_span_in(s, r->state, r->fmt->state_size))
		return 1;
	for (i = 0; lit[i] != NULL; i++)
		if (span_ieq(s, lit[i]))
			return 1;
	return 0;
}

/* A message's text is the input's, or a joined message's the reader's
 * join buffer (RECF_JOINED). */
static int
fuzz_msg_span_ok(struct span s, const struct rd_record *rec,
    const struct reader *r, const char *d, size_t n)
{
	if (rec->flags & RECF_JOINED)
		return fuzz_span_in(s, r->join.buf, r->join.len);
	return fuzz_span_in(s, d, n);
}

static void
fuzz_check_record(const struct rd_record *rec, const struct reader *r,
    const char *d, size_t n)
{
	FUZZ_CHECK(rec->off <= n && rec->len <= n - rec->off);
	FUZZ_CHECK(fuzz_msg_span_ok(rec->start, rec, r, d, n));
	FUZZ_CHECK(fuzz_msg_span_ok(rec->hdrs, rec, r, d, n));
	FUZZ_CHECK(fuzz_msg_span_ok(rec->body, rec, r, d, n));
	FUZZ_CHECK(fuzz_endpoint_ok(rec->src, r, d, n));
	FUZZ_CHECK(fuzz_endpoint_ok(rec->dst, r, d, n));
	FUZZ_CHECK(fuzz_endpoint_ok(rec->transport, r, d, n));
	FUZZ_CHECK(fuzz_span_in(rec->diag_level, d, n));
	FUZZ_CHECK(rec->time_prec >= 0 && rec->time_prec <= 6);
	/* A date, or a time of day alone, or neither (month and day). */
	FUZZ_CHECK(!(rec->has_date && rec->tod_only));
	FUZZ_CHECK(rec->kind == REC_SIP || rec->kind == REC_DIAG);
}

static void
fuzz_split(const struct rd_format *fmt, const char *d, size_t n)
{
	struct rd_record rec;
	struct reader *r;
	struct sipmsg m;
	size_t lastpos = 0, records = 0, i;
	unsigned prog;

	r = reader_new(fmt, d, n);
	while (reader_next(r, &rec)) {
		fuzz_check_record(&rec, r, d, n);
		/* Every record moves the reader on: no endless loop. */
		FUZZ_CHECK(r->pos > lastpos || (records == 0 && r->pos > 0));
		FUZZ_CHECK(r->pos <= n);
		lastpos = r->pos;
		FUZZ_CHECK(++records <= n + 1);
		prog = reader_progress(r);
		FUZZ_CHECK(prog <= 1000);
		if (rec.kind == REC_SIP) {
			sipmsg_parse(&m, rec.start, rec.hdrs, rec.body);
			sipmsg_clear(&m);
		}
	}
	FUZZ_CHECK(r->stats.records == records);
	for (i = 0; i < r->nwarnings; i++)
		FUZZ_CHECK(r->warnings[i].msg != NULL);
	reader_free(r);
}

static void
fuzz_engine(const char *d, size_t n, const char *format)
{
	struct engine *e = engine_new();
	const struct engine_file *f;
	struct rd_record rec;
	struct sipmsg m;
	struct span t, tr;
	char *err = NULL, trbuf[16];
	size_t i, count;
	uint32_t from, to;
	uint32_t dlg;

	engine_set_rules(e, fuzz_rules);
	/* Half the inputs convert (captures and the formats converted whole)
	 * through a temporary file in small runs (spill.h). */
	if (n % 2 == 1)
		engine_set_spill(e, "/tmp", 64);
	if (engine_add_mem(e, "fuzz", d, n, format, &err) < 0) {
		FUZZ_CHECK(err != NULL);
		free(err);
		engine_free(e);
		return;
	}
	/* Small steps first, as the viewer does, then the rest. */
	(void)engine_step(e, 1);
	(void)engine_step(e, 3);
	FUZZ_CHECK(engine_progress(e) <= 1000);
	engine_run(e);
	FUZZ_CHECK(engine_done(e));
	count = msgindex_count(engine_index(e));
	for (i = 0; i < count; i++) {
		const struct msg *mm = msgindex_get(engine_index(e), (uint32_t)i);

		FUZZ_CHECK(mm->kind <= MSG_DIAG);
		FUZZ_CHECK(mm->severity < SEV__COUNT);
		dlg = dialogs_of(engine_dialogs(e), mm);
		FUZZ_CHECK(mm->call_id == 0 ? dlg == NO_DIALOG :
		    dlg < dialogs_count(engine_dialogs(e)));
		FUZZ_CHECK(engine_message(e, (uint32_t)i, &rec, &m) == 0);
		tr = engine_transport(&rec, &m, trbuf, sizeof trbuf);
		FUZZ_CHECK(tr.n == 0 || tr.p != NULL);
		sipmsg_clear(&m);
		t = engine_record_text(e, (uint32_t)i);
		f = engine_file(e, mm->file);
		FUZZ_CHECK(f != NULL);
		/* The record as it stands in the file; for a format read through
		 * a canonical transform, the message text (inside its record);
		 * for a message joined from pieces, the text the engine kept
		 * of it, whole. */
		if (rec.flags & RECF_JOINED)
			FUZZ_CHECK(t.p != NULL && t.n >= rec.start.n +
				   rec.hdrs.n + rec.body.n);
		else if (!f->canon)
			FUZZ_CHECK(t.n == msgindex_len(engine_index(e),
							 (uint32_t)i) &&
			    fuzz_span_in(t, f->src->data, f->src->len));
		else
			FUZZ_CHECK(fuzz_span_in(t, f->src->data, f->src->len));
		FUZZ_CHECK(mm->call_id < intern_count(engine_call_ids(e)));
		(void)engine_call_id(e, mm->call_id);
		engine_msg_party(e, (uint32_t)i, &from, &to);
		FUZZ_CHECK(from < intern_count(engine_strings(e)) &&
			   to < intern_count(engine_strings(e)));
		FUZZ_CHECK(mm->kind != MSG_DIAG || (from == 0 && to == 0));
	}
	FUZZ_CHECK(engine_message(e, (uint32_t)count, &rec, NULL) == -1);
	for (i = 0; i < engine_nwarnings(e); i++)
		FUZZ_CHECK(engine_warning(e, i)->msg != NULL);
	engine_free(e);
}

/* The input's two parts as two logs merged (cut at a form feed, which a
 * seed puts between a client's log and its server's, else after a line
 * break near the middle): what merged logs both wrote (twin.h) puts a
 * server's own end in a client's column in the flow, and tells whether
 * the clocks agree. */
static void
fuzz_merged(const char *d, size_t n)
{
	struct engine *e = engine_new();
	const char *ff = n > 0 ? memchr(d, '\f', n) : NULL;
	const char *cut = ff != NULL ? ff : n > 1 ?
	    memchr(d + n / 2, '\n', n - n / 2) : NULL;
	size_t half = cut != NULL ? (size_t)(cut - d) + 1 : n / 2, i, count;
	struct twin_clock *c;
	struct flow *fl;
	uint32_t *ids;
	char *err = NULL;

	engine_set_rules(e, fuzz_rules);
	if (engine_add_mem(e, "a", d, half - (ff != NULL), NULL, &err) < 0 ||
	    engine_add_mem(e, "b", d + half, n - half, NULL, &err) < 0) {
		free(err);
		engine_free(e);
		return;
	}
	engine_run(e);
	count = msgindex_count(engine_index(e));
	ids = xmalloc((count + 1) * sizeof *ids);
	for (i = 0; i < count; i++)
		ids[i] = (uint32_t)i;
	fl = flow_build(e, ids, count, NULL);
	FUZZ_CHECK(fl->nrows <= count);
	for (i = 0; i < fl->nrows; i++)
		FUZZ_CHECK(fl->rows[i].from >= 0 &&
			   (size_t)fl->rows[i].from < fl->ncols &&
			   fl->rows[i].to >= 0 &&
			   (size_t)fl->rows[i].to < fl->ncols);
	flow_free(fl);
	free(ids);
	count = twin_clocks(e, &c);
	for (i = 0; i < count; i++) {
		FUZZ_CHECK(c[i].a < c[i].b && c[i].b < engine_nfiles(e));
		FUZZ_CHECK(c[i].lo != TWIN_NO_BOUND || c[i].hi != TWIN_NO_BOUND);
		FUZZ_CHECK(c[i].lo == TWIN_NO_BOUND ||
			   c[i].lo_id < msgindex_count(engine_index(e)));
		FUZZ_CHECK(c[i].hi == TWIN_NO_BOUND ||
			   c[i].hi_id < msgindex_count(engine_index(e)));
	}
	free(c);
	for (i = 0; i < engine_nwarnings(e); i++)
		FUZZ_CHECK(engine_warning(e, i)->msg != NULL);
	engine_free(e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	const struct rd_format *best;
	size_t i;
	int conf;

	for (i = 0; reader_formats[i] != NULL; i++) {
		conf = reader_formats[i]->probe(d, size);
		FUZZ_CHECK(conf >= 0 && conf <= 100);
		fuzz_split(reader_formats[i], d, size);
	}
	best = reader_probe(d, size);
	fuzz_engine(d, size, NULL);
	/* A forced format runs the engine on what its probe would refuse. */
	if (size > 0)
		fuzz_engine(d, size, reader_formats[data[0] % i]->name);
	fuzz_merged(d, size);
	(void)best;
	return 0;
}
