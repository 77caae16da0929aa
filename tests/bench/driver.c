/* driver: times the core API on one large log (issue 6): full indexing, the
 * first screenful of an incremental index, filters by Call-ID and user, and
 * regex search over all message text; medians over repeats, with the heap
 * the index costs per message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "engine.h"
#include "filter.h"
#include "rules.h"
#include "source.h"
#include "grid.h"
#include "keymap.h"
#include "view.h"
#include "screen.h"

struct drv {
	const char *path;
	const char *format;
	const char *rules_path;
	const char *regex;
	const char *iregex;	/* searched case-insensitively */
	int runs;
	struct rules *rules;
	size_t bytes;
	size_t nmsgs;
};

struct clk {
	struct timespec wall, cpu;
};

static void
clk_start(struct clk *c)
{
	clock_gettime(CLOCK_MONOTONIC, &c->wall);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c->cpu);
}

static double
ts_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Elapsed wall ms; *cpu gets process CPU ms (both cores count). */
static double
clk_stop(const struct clk *c, double *cpu)
{
	struct clk now;

	clk_start(&now);
	if (cpu != NULL)
		*cpu = ts_ms(&c->cpu, &now.cpu);
	return ts_ms(&c->wall, &now.wall);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A field of /proc/self/status in kB ("RssAnon:", "VmHWM:"), or -1. */
static long
proc_status_kb(const char *field)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	long v = -1;
	size_t n = strlen(field);

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, field, n) == 0) {
			v = strtol(line + n, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static struct engine *
drv_open(struct drv *d)
{
	struct engine *e = engine_new();
	char *err = NULL;

	engine_set_rules(e, d->rules);
	if (engine_add_file(e, d->path, d->format, &err) < 0) {
		fprintf(stderr, "driver: %s\n", err);
		exit(1);
	}
	return e;
}

static void
report(const char *what, double ms, double cpu, size_t bytes, size_t nmsgs,
       size_t matched, int runs)
{
	printf("%-34s median %9.2f ms  cpu %9.2f ms", what, ms, cpu);
	if (bytes > 0 && ms > 0)
		printf("  %8.1f MB/s", (double)bytes / 1048576.0 / (ms / 1e3));
	if (nmsgs > 0)
		printf("  %7.2f ms per 1M msgs", ms * 1e6 / (double)nmsgs);
	if (matched != (size_t)-1)
		printf("  matched %zu", matched);
	printf("  (%d runs)\n", runs);
}

/* Full indexing, from opening the file to the rated dialogs. The first
 * run, in a fresh heap, also gives the index's own memory: the growth of
 * anonymous RSS, which leaves out the file's mapped pages. */
static struct engine *
bench_index(struct drv *d)
{
	double *w = xcalloc((size_t)d->runs, sizeof *w);
	double *c = xcalloc((size_t)d->runs, sizeof *c);
	struct engine *e = NULL;
	struct clk k;
	long anon0, anon1 = -1;
	int r;

	anon0 = proc_status_kb("RssAnon:");
	for (r = 0; r < d->runs; r++) {
		if (e != NULL)
			engine_free(e);
		clk_start(&k);
		e = drv_open(d);
		engine_run(e);
		w[r] = clk_stop(&k, &c[r]);
		if (r == 0)
			anon1 = proc_status_kb("RssAnon:");
	}
	d->nmsgs = msgindex_count(engine_index(e));
	d->bytes = engine_file(e, 0)->src->len;
	printf("file %s: %zu bytes, format %s, %zu messages, %zu dialogs, "
	    "%zu strings, %zu warnings, rules %s\n", d->path, d->bytes,
	    engine_file(e, 0)->fmt->name, d->nmsgs,
	    dialogs_count(engine_dialogs(e)),
	    engine_nstrings(e), engine_nwarnings(e),
	    d->rules != NULL ? d->rules_path : "none");
	report("index (engine_run)", median(w, d->runs), median(c, d->runs),
	    d->bytes, d->nmsgs, (size_t)-1, d->runs);
	if (anon0 >= 0 && anon1 >= 0 && d->nmsgs > 0)
		printf("%-34s %.1f MiB heap = %.1f bytes per message (anonymous "
		    "RSS growth; file pages not counted)\n", "index memory",
		    (double)(anon1 - anon0) / 1024.0,
		    (double)(anon1 - anon0) * 1024.0 / (double)d->nmsgs);
	free(w);
	free(c);
	return e;
}

/* The viewer's indexing after its first screen: engine_step() in slices
 * of 2000 records (app.c's), on one thread and with the second thread
 * reading ahead, alternating; the ratio says what the second core gives
 * a user waiting for a large file to be indexed. */
static void
bench_step_index(struct drv *d)
{
	double *w[2], *c[2], ms[2];
	static const char *const what[2] = {
		"viewer index, one thread", "viewer index, two threads",
	};
	struct engine *e;
	struct clk k;
	int r, t;

	for (t = 0; t < 2; t++) {
		w[t] = xcalloc((size_t)d->runs, sizeof *w[t]);
		c[t] = xcalloc((size_t)d->runs, sizeof *c[t]);
	}
	for (r = 0; r < d->runs; r++) {
		for (t = 0; t < 2; t++) {
			clk_start(&k);
			e = drv_open(d);
			if (t == 0)
				engine_set_parallel(e, 0);
			while (engine_step(e, 2000))
				;
			w[t][r] = clk_stop(&k, &c[t][r]);
			engine_free(e);
		}
	}
	for (t = 0; t < 2; t++) {
		ms[t] = median(w[t], d->runs);
		report(what[t], ms[t], median(c[t], d->runs), d->bytes,
		    d->nmsgs, (size_t)-1, d->runs);
		free(w[t]);
		free(c[t]);
	}
	if (ms[1] > 0)
		printf("%-34s %.2f (wall, one thread / two)\n",
		    "viewer index speed-up", ms[0] / ms[1]);
}

/* What a viewer waits for before its first screen: open, probe, and the
 * first engine_step of 1000 records. */
static void
bench_first_step(struct drv *d)
{
	double *w = xcalloc((size_t)d->runs, sizeof *w);
	double *c = xcalloc((size_t)d->runs, sizeof *c);
	struct engine *e;
	struct clk k;
	size_t n = 0;
	int r;

	for (r = 0; r < d->runs; r++) {
		clk_start(&k);
		e = drv_open(d);
		engine_step(e, 1000);
		w[r] = clk_stop(&k, &c[r]);
		n = msgindex_count(engine_index(e));
		engine_free(e);
	}
	report("first step (1000 records)", median(w, d->runs),
	    median(c, d->runs), 0, 0, n, d->runs);
	free(w);
	free(c);
}

static void
bench_filter(struct drv *d, struct engine *e, const char *label,
	     const char *expr, int scans_text)
{
	double *w = xcalloc((size_t)d->runs, sizeof *w);
	double *c = xcalloc((size_t)d->runs, sizeof *c);
	struct filter *f;
	uint32_t *sel = NULL;
	char *err = NULL;
	size_t n = 0;
	struct clk k;
	int col = 0, r;

	f = filter_compile(expr, &err, &col);
	if (f == NULL) {
		printf("%-34s filter %s: %s (column %d)\n", label, expr, err,
		    col + 1);
		free(err);
		goto out;
	}
	for (r = 0; r < d->runs; r++) {
		clk_start(&k);
		n = filter_select(f, e, 0, (uint32_t)d->nmsgs, &sel);
		w[r] = clk_stop(&k, &c[r]);
		free(sel);
		sel = NULL;
	}
	report(label, median(w, d->runs), median(c, d->runs),
	    scans_text ? d->bytes : 0, d->nmsgs, n, d->runs);
	printf("  %s\n", expr);
	filter_free(f);
out:
	free(w);
	free(c);
}

/* The same pattern straight over every record with PCRE2 JIT: the floor
 * the filter's /regex/ term can reach. */
static void
bench_pcre2(struct drv *d, struct engine *e)
{
	double *w = xcalloc((size_t)d->runs, sizeof *w);
	double *c = xcalloc((size_t)d->runs, sizeof *c);
	pcre2_code *re;
	pcre2_match_data *md;
	int errcode, r, jit;
	PCRE2_SIZE erroff;
	size_t i, n = 0, text = 0;
	struct span s;
	struct clk k;

	re = pcre2_compile((PCRE2_SPTR)d->regex, PCRE2_ZERO_TERMINATED, 0,
	    &errcode, &erroff, NULL);
	if (re == NULL) {
		printf("regex %s: error at offset %zu\n", d->regex,
		    (size_t)erroff);
		goto out;
	}
	jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (r = 0; r < d->runs; r++) {
		n = 0;
		text = 0;
		clk_start(&k);
		for (i = 0; i < d->nmsgs; i++) {
			s = engine_record_text(e, (uint32_t)i);
			text += s.n;
			if (pcre2_match(re, (PCRE2_SPTR)s.p, s.n, 0, 0, md,
			    NULL) >= 0)
				n++;
		}
		w[r] = clk_stop(&k, &c[r]);
	}
	report(jit ? "search: pcre2 jit over records" :
	    "search: pcre2 (no jit) over records", median(w, d->runs),
	    median(c, d->runs), d->bytes, d->nmsgs, n, d->runs);
	printf("  %zu bytes of record text\n", text);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
out:
	free(w);
	free(c);
}

/* One key as the viewer answers it: screen_key, then screen_draw of the
 * whole 120x40 screen (the terminal then gets only the changed cells).
 * Work the key leaves behind (a filter applied in steps, a search) then
 * runs as the viewer runs it, a tick and a draw at a time, and keys are
 * answered between ticks: *slowest gets the longest of the answer and the
 * ticks, *done the time until nothing is left. Returns the answer's ms. */
static double
key_ms(struct screen *s, struct grid *g, uint32_t key, double *slowest,
       double *done)
{
	struct clk k, t;
	double answer, tick;

	clk_start(&k);
	screen_key(s, key);
	screen_draw(s, g);
	answer = clk_stop(&k, NULL);
	*slowest = answer;
	while (screen_busy(s)) {
		clk_start(&t);
		screen_tick(s, 2000);	/* the viewer's search budget */
		screen_draw(s, g);
		tick = clk_stop(&t, NULL);
		*slowest = tick > *slowest ? tick : *slowest;
	}
	*done = clk_stop(&k, NULL);
	return answer;
}

/* The keys of the viewer over the whole index, from a selection in its
 * middle, as app.c sets the view up (filters in steps of 50000): each key
 * runs d->runs times (a second key puts things back, timed too); printed
 * are the median answer, the longest the viewer was busy at once (answer
 * or tick), and the median time until the work the key started was done. */
static void
bench_keys(struct drv *d, struct engine *e)
{
	static const struct {
		const char *label;
		uint32_t keys[2];	/* the key, and one that undoes it */
		const char *what;
	} keys[] = {
		{ "Down", { KEYC_DOWN, KEYC_UP }, "next message" },
		{ "PgDn", { KEYC_NPAGE, KEYC_PPAGE }, "a page down" },
		{ "End", { KEYC_END, 0 }, "last message" },
		{ "Home", { KEYC_HOME, 0 }, "first message" },
		{ "Enter", { KEYC_ENTER, KEYC_ESC }, "its dialog" },
		{ "]", { ']', '[' }, "next message of its dialog" },
		{ "e", { 'e', 'E' }, "next error" },
		{ "c", { 'c', KEYC_ESC }, "filter by its Call-ID" },
		{ "u", { 'u', KEYC_ESC }, "filter by its user" },
		{ "Tab", { KEYC_TAB, KEYC_BTAB }, "focus the next pane" },
		{ "t", { 't', 't' }, "delta times" },
		{ "L", { 'L', 0 }, "next layout" },
	};
	double *ans = xcalloc((size_t)d->runs, sizeof *ans);
	double *fin = xcalloc((size_t)d->runs, sizeof *fin);
	struct view *v;
	struct screen *s;
	struct grid *g = grid_new(120, 40);
	char *err = NULL, label[64];
	double worst = 0, slow, done, busy;
	size_t i, j, k;
	struct clk c;
	int col, r;

	v = view_new(e, d->rules, NULL, &err, &col);
	if (v == NULL) {
		printf("keys: %s\n", err);
		free(err);
		goto out;
	}
	v->filter_step = 50000;		/* as app.c */
	clk_start(&c);
	s = screen_new(e, v, 1);
	view_select(v, (long)v->nids / 2);
	screen_draw(s, g);
	printf("keys (120x40 screen over %zu messages; answer median, longest "
	    "busy, median until done):\n", v->nids);
	printf("  %-44s %7.2f ms\n", "first draw", clk_stop(&c, NULL));
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		for (j = 0; j < 2 && keys[i].keys[j] != 0; j++) {
			busy = 0;
			for (r = 0; r < d->runs; r++) {
				view_select(v, (long)v->nids / 2);
				screen_draw(s, g);
				for (k = 0; k <= j; k++) {
					ans[r] = key_ms(s, g, keys[i].keys[k],
					    &slow, &done);
					fin[r] = done;
				}
				busy = slow > busy ? slow : busy;
				if (j == 0 && keys[i].keys[1] != 0)
					key_ms(s, g, keys[i].keys[1], &slow,
					    &done);
			}
			worst = busy > worst ? busy : worst;
			if (j == 0)
				snprintf(label, sizeof label, "%-6s %s",
				    keys[i].label, keys[i].what);
			else
				snprintf(label, sizeof label, "%-6s then back",
				    "");
			printf("  %-44s %7.2f ms  busy %6.2f  done %7.2f\n",
			    label, median(ans, d->runs), busy,
			    median(fin, d->runs));
		}
	}
	/* The registration report: opened (built over the whole index),
	 * then a registration down and up in it (a draw of the table). */
	{
		view_select(v, (long)v->nids / 2);
		screen_draw(s, g);
		ans[0] = key_ms(s, g, 'R', &slow, &done);
		worst = slow > worst ? slow : worst;
		printf("  %-44s %7.2f ms  busy %6.2f  done %7.2f\n",
		    "R      registration report", ans[0], slow, done);
		busy = 0;
		for (r = 0; r < d->runs; r++) {
			ans[r] = key_ms(s, g, r % 2 ? KEYC_UP : KEYC_DOWN,
			    &slow, &done);
			fin[r] = done;
			busy = slow > busy ? slow : busy;
		}
		worst = busy > worst ? busy : worst;
		printf("  %-44s %7.2f ms  busy %6.2f  done %7.2f\n",
		    "       Down/Up in it", median(ans, d->runs), busy,
		    median(fin, d->runs));
		key_ms(s, g, 'q', &slow, &done);
	}
	/* Incremental search, typed a letter at a time, for a word that is
	 * there and for one that is not (a search of everything). */
	{
		static const char *const qs[] = { "WSAECONNRESET",
						  "no-such-text-anywhere" };
		double total;

		for (i = 0; i < 2; i++) {
			view_select(v, 0);
			screen_draw(s, g);
			busy = 0;
			clk_start(&c);
			for (j = 0; j <= strlen(qs[i]); j++) {
				key_ms(s, g, j == 0 ? '/' :
				    (uint32_t)qs[i][j - 1], &slow, &done);
				busy = slow > busy ? slow : busy;
			}
			key_ms(s, g, KEYC_ENTER, &slow, &done);
			busy = slow > busy ? slow : busy;
			total = clk_stop(&c, NULL);
			worst = busy > worst ? busy : worst;
			snprintf(label, sizeof label, "/ search, %s",
			    i == 0 ? "a word found" : "a word not there");
			printf("  %-44s typed,     busy %6.2f  done %7.2f\n",
			    label, busy, total);
		}
	}
	printf("  %-44s %7.2f ms (target < 10)\n",
	    "longest the viewer was busy at once", worst);
	screen_free(s);
	view_free(v);
out:
	grid_free(g);
	free(ans);
	free(fin);
}

/* A Call-ID and a user from the middle of the index, so that the filters
 * look for something that is there. */
static void
pick_targets(struct engine *e, size_t nmsgs, char **callid, char **user,
	     char **addr)
{
	struct msgindex *ix = engine_index(e);
	struct msg_kept k;
	const char *src;
	size_t i;

	*callid = *user = *addr = NULL;
	for (i = nmsgs / 2; i < nmsgs; i++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)i);
		const char *from, *at, *colon;
		uint32_t f, t;

		engine_msg_party(e, (uint32_t)i, &f, &t);
		from = engine_str(e, f);

		if (m->call_id == 0 || *from == '\0')
			continue;
		*callid = xstrdup(engine_call_id(e, m->call_id));
		colon = strchr(from, ':');
		from = colon != NULL ? colon + 1 : from;
		at = strchr(from, '@');
		*user = at != NULL ? xstrndup(from, (size_t)(at - from)) :
		    xstrdup(from);
		/* Its far end's host (not the log's own), without the port
		 * of an IPv4 end. */
		engine_msg_kept(e, (uint32_t)i, &k);
		src = engine_str(e, k.src);
		if (strcmp(src, engine_local_name(e, m->file)) == 0)
			src = engine_str(e, k.dst);
		colon = strchr(src, ':');
		if (*src != '\0')
			*addr = colon != NULL && strchr(colon + 1, ':') == NULL ?
			    xstrndup(src, (size_t)(colon - src)) : xstrdup(src);
		return;
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: driver [--runs N] [--rules FILE] [--format NAME] "
	    "[--regex RE] [--iregex RE] FILE\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct drv d;
	struct engine *e;
	struct strbuf errs, expr;
	char *callid, *user, *addr;
	int i;

	memset(&d, 0, sizeof d);
	d.runs = 5;
	d.regex = "ms-diagnostics: 4005;reason=\"[^\"]+\"";
	/* No long literal to skip ahead with, and any case: the harder kind. */
	d.iregex = "reason=\"[^\"]*(busy|offline|unavailable)";
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--runs") == 0)
			d.runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--rules") == 0)
			d.rules_path = argv[++i];
		else if (strcmp(argv[i], "--format") == 0)
			d.format = argv[++i];
		else if (strcmp(argv[i], "--regex") == 0)
			d.regex = argv[++i];
		else if (strcmp(argv[i], "--iregex") == 0)
			d.iregex = argv[++i];
		else
			usage();
	}
	if (i != argc - 1 || d.runs < 1)
		usage();
	d.path = argv[argc - 1];
	if (d.rules_path != NULL) {
		strbuf_init(&errs);
		d.rules = rules_load(d.rules_path, &errs);
		if (d.rules == NULL) {
			fprintf(stderr, "driver: %s", errs.buf);
			return 1;
		}
		strbuf_free(&errs);
	}

	e = bench_index(&d);
	printf("peak RSS so far %ld kB (file pages included)\n",
	    proc_status_kb("VmHWM:"));
	bench_first_step(&d);
	bench_step_index(&d);
	pick_targets(e, d.nmsgs, &callid, &user, &addr);
	strbuf_init(&expr);
	if (callid != NULL) {
		strbuf_addf(&expr, "callid:%s", callid);
		bench_filter(&d, e, "filter by Call-ID", expr.buf, 0);
		strbuf_reset(&expr);
		strbuf_addf(&expr, "user:%s", user);
		bench_filter(&d, e, "filter by user", expr.buf, 0);
		strbuf_reset(&expr);
		strbuf_addf(&expr, "dialog:(user:%s)", user);
		bench_filter(&d, e, "filter dialogs of user", expr.buf, 0);
		strbuf_reset(&expr);
		strbuf_addf(&expr, "from:%s", user);
		bench_filter(&d, e, "filter from: user", expr.buf, 0);
	}
	if (addr != NULL) {
		strbuf_reset(&expr);
		strbuf_addf(&expr, "addr:%s", addr);
		bench_filter(&d, e, "filter by address", expr.buf, 0);
	}
	bench_filter(&d, e, "filter status:4xx", "status:4xx", 0);
	bench_filter(&d, e, "filter method:INVITE dir:in",
	    "method:INVITE dir:in", 0);
	strbuf_reset(&expr);
	strbuf_addf(&expr, "/%s/", d.regex);
	bench_filter(&d, e, "search: filter /regex/", expr.buf, 1);
	strbuf_reset(&expr);
	strbuf_addf(&expr, "/%s/i", d.iregex);
	bench_filter(&d, e, "search: filter /regex/i", expr.buf, 1);
	bench_filter(&d, e, "search: filter word", "WSAECONNRESET", 1);
	bench_pcre2(&d, e);
	bench_keys(&d, e);
	strbuf_free(&expr);
	free(callid);
	free(user);
	free(addr);
	engine_free(e);
	rules_free(d.rules);
	return 0;
}
