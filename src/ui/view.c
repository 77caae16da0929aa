/* view: filter stack, visible ids, selection and search over a growing
 * engine. Filtering is incremental — only ids indexed since the last
 * update are examined — so the list follows indexing without rescanning. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "view.h"
#include "engine.h"
#include "filter.h"
#include "rules.h"
#include "util.h"

static void view_search_count_hidden(struct view *v);
static void view_hits_start(struct view *v);

static void
view_level_free(struct view_level *l)
{
	free(l->expr);
	filter_free(l->f);
}

static struct view_level *
view_top(const struct view *v)
{
	return &v->levels[v->nlevels - 1];
}

/* A growing list of message ids. */
struct view_ids {
	uint32_t **v;
	size_t *n, *cap;
};

static void
view_add_id(struct view_ids o, uint32_t id)
{
	*o.v = xgrow(*o.v, o.cap, *o.n + 1, sizeof **o.v);
	(*o.v)[(*o.n)++] = id;
}

/* Filters index ids [from, to) through the top level and appends them to
 * o. */
static void
view_scan_into(struct view *v, uint32_t from, uint32_t to, struct view_ids o)
{
	struct view_level *l = view_top(v);
	uint32_t *out = NULL, id;
	size_t n, i;

	if (from >= to)
		return;
	if (l->expr == NULL) {
		/* A dialog: its messages, not a scan of the whole index. */
		struct dialogs *ds = engine_dialogs(v->e);
		uint32_t d = dialogs_by_call_id(ds, l->call_id);
		struct dialog *dl;
		const uint32_t *ids;

		if (d == NO_DIALOG || (dl = dialogs_get(ds, d)) == NULL)
			return;
		ids = dialogs_msgs(ds, dl);
		for (i = 0; i < dl->nmsgs; i++) {
			id = ids[i];
			if (id >= from && id < to)
				view_add_id(o, id);
		}
		return;
	}
	if (l->f == NULL) {
		*o.v = xgrow(*o.v, o.cap, *o.n + (to - from), sizeof **o.v);
		for (id = from; id < to; id++)
			(*o.v)[(*o.n)++] = id;
		return;
	}
	n = filter_select(l->f, v->e, from, to, &out);
	*o.v = xgrow(*o.v, o.cap, *o.n + n, sizeof **o.v);
	if (n > 0)
		memcpy(*o.v + *o.n, out, n * sizeof *out);
	*o.n += n;
	free(out);
}

static void
view_scan(struct view *v, uint32_t from, uint32_t to)
{
	view_scan_into(v, from, to,
		       (struct view_ids){ &v->ids, &v->nids, &v->capids });
}

/* Rebuilds the list for the top level, keeping the selected message. A
 * filter over more than filter_step messages is applied in steps, from
 * the selected message on (see struct view). */
/* A filter in steps (view_filter_step) gives the keys back after this
 * long at most (a chunk's worth more), looking at the clock after chunks
 * of VIEW_FILTER_CHUNK messages and more. */
#define VIEW_FILTER_STEP_NS (8 * 1000000L)
/* The longest a tick counts search matches (view_hits_step). */
#define VIEW_HITS_STEP_NS (2 * 1000000L)
#define VIEW_FILTER_CHUNK 16

static void
view_refilter(struct view *v, uint32_t keep_id)
{
	uint32_t count = (uint32_t)msgindex_count(engine_index(v->e));
	const struct view_level *l = view_top(v);

	v->nids = 0;
	v->sel = 0;
	v->filtering = 0;
	v->npre = 0;
	v->ids_gen++;
	v->ids_moved++;
	/* In steps whenever it may take long: a large index, or any filter
	 * that can (a /regex/ costs up to milliseconds a message). */
	if (v->filter_step > 0 && l->f != NULL && count > VIEW_FILTER_CHUNK) {
		v->filtering = 1;
		v->fstart = keep_id < count ? keep_id : 0;
		v->scanned = v->fstart;
		v->fpos = 0;
		view_filter_step(v, v->filter_step);
		return;
	}
	view_scan(v, 0, count);
	v->scanned = count;
	if (keep_id != UINT32_MAX)
		view_select_id(v, keep_id);
}

/* Filters up to budget more messages of the parts; returns 1 while there
 * is more. */
static int
view_filter_part(struct view *v, size_t budget)
{
	uint32_t count = (uint32_t)msgindex_count(engine_index(v->e)), to;

	if (v->scanned < count) {
		/* The first part reaches messages indexed meanwhile too. */
		to = count - v->scanned > budget ? v->scanned + (uint32_t)budget :
						   count;
		budget -= to - v->scanned;
		view_scan(v, v->scanned, to);
		v->scanned = to;
		v->ids_gen++;
	}
	if (v->scanned >= count && v->fpos < v->fstart && budget > 0) {
		to = v->fstart - v->fpos > budget ? v->fpos + (uint32_t)budget :
						    v->fstart;
		view_scan_into(v, v->fpos, to, (struct view_ids){
			&v->pre, &v->npre, &v->cappre });
		v->fpos = to;
	}
	return v->scanned < count || v->fpos < v->fstart;
}

int
view_filter_step(struct view *v, size_t budget)
{
	struct timespec t0;
	size_t chunk = VIEW_FILTER_CHUNK, n;
	long took, before = 0;

	if (!v->filtering)
		return 0;
	/* Also no longer than VIEW_FILTER_STEP_NS: a costly /regex/ takes
	 * milliseconds a message. The chunks start small and grow while
	 * they are fast, so a cheap filter pays for few clock reads. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (v->filter_step == 0)
		chunk = budget;		/* all at once */
	for (;;) {
		n = chunk < budget ? chunk : budget;
		if (!view_filter_part(v, n))
			break;
		budget -= n;
		if (budget == 0)
			return 1;
		took = elapsed_ns(&t0);
		if (took >= VIEW_FILTER_STEP_NS)
			return 1;
		if (took - before < VIEW_FILTER_STEP_NS / 16 && chunk < 65536)
			chunk *= 2;
		before = took;
	}
	/* Join: what came before goes in front. The selection moves with
	 * its message; when the first part found nothing, it lands on the
	 * last match before, as lower_bound would. */
	v->ids_gen++;
	if (v->npre > 0) {
		v->ids_moved++;
		v->ids = xgrow(v->ids, &v->capids, v->nids + v->npre,
			       sizeof *v->ids);
		memmove(v->ids + v->npre, v->ids, v->nids * sizeof *v->ids);
		memcpy(v->ids, v->pre, v->npre * sizeof *v->ids);
		v->nids += v->npre;
		v->sel += v->npre;
		if (v->sel >= v->nids)
			v->sel = v->nids - 1;
	}
	v->npre = 0;
	v->filtering = 0;
	return 0;
}

void
view_filter_finish(struct view *v)
{
	while (view_filter_step(v, SIZE_MAX))
		;
}

unsigned
view_filter_progress(const struct view *v)
{
	uint32_t count = (uint32_t)msgindex_count(engine_index(v->e));
	uint64_t done;

	if (!v->filtering || count == 0)
		return 100;
	done = (uint64_t)(v->scanned - v->fstart) + v->fpos;
	return (unsigned)(done * 100 / count);
}

struct view *
view_new(struct engine *e, const struct rules *rules, const char *filter,
	 char **err, int *errcol)
{
	struct view *v = xcalloc(1, sizeof *v);

	v->e = e;
	v->rules = rules;
	v->levels = xgrow(NULL, &v->caplevels, 1, sizeof *v->levels);
	v->nlevels = 1;
	memset(&v->levels[0], 0, sizeof v->levels[0]);
	v->levels[0].expr = xstrdup("");
	v->levels[0].sel_id = UINT32_MAX;
	if (filter != NULL && *filter != '\0') {
		struct filter *f = filter_compile(filter, err, errcol);

		if (f == NULL) {
			view_free(v);
			return NULL;
		}
		free(v->levels[0].expr);
		v->levels[0].expr = xstrdup(filter);
		v->levels[0].f = f;
	}
	v->search_dir = 1;
	view_refilter(v, UINT32_MAX);
	v->engine_was_done = engine_done(e);
	v->changes = engine_changes(e);
	return v;
}

void
view_free(struct view *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nlevels; i++)
		view_level_free(&v->levels[i]);
	free(v->levels);
	free(v->ids);
	free(v->pre);
	free(v->search);
	free(v->search_raw);
	free(v->hits);
	free(v);
}

/* The search text: text (NULL or empty for none), and what it stands for
 * (search_raw). */
static void
view_search_set(struct view *v, const char *text)
{
	struct strbuf sb;

	free(v->search);
	free(v->search_raw);
	v->search = v->search_raw = NULL;
	v->nsearch_raw = 0;
	if (text == NULL || *text == '\0')
		return;
	v->search = xstrdup(text);
	strbuf_init(&sb);
	sanitize_unescape(text, &sb);
	v->nsearch_raw = sb.len;
	v->search_raw = strbuf_detach(&sb);
}

void
view_hold_sel(struct view *v)
{
	const struct msg *m;

	if (v->engine_was_done)
		return;
	m = msgindex_get(engine_index(v->e), view_sel_id(v));
	v->held = m != NULL;
	if (m != NULL) {
		v->held_file = (uint16_t)m->file;
		v->held_off = m->off;
	}
}

int
view_update(struct view *v)
{
	uint32_t count = (uint32_t)msgindex_count(engine_index(v->e));
	size_t before = v->nids;
	size_t i;

	if (!v->engine_was_done && engine_done(v->e)) {
		/* The last step may have merged files in time order and
		 * rebuilt the dialogs: ids changed meaning, start again, and
		 * find the selected message by its place in its file, noted
		 * before the step (view_hold_sel). */
		int held = v->held;

		v->engine_was_done = 1;
		v->changes = engine_changes(v->e);
		v->held = 0;
		for (i = 0; i < v->nlevels; i++)
			v->levels[i].sel_id = UINT32_MAX;
		view_refilter(v, UINT32_MAX);
		view_filter_finish(v);
		for (i = 0; held && i < v->nids; i++) {
			const struct msg *k =
			    msgindex_get(engine_index(v->e), v->ids[i]);

			if (k != NULL && k->file == v->held_file &&
			    k->off == v->held_off) {
				v->sel = i;
				break;
			}
		}
		return 1;
	}
	if (v->changes != engine_changes(v->e)) {
		/* A message listed before changed (F completed the record
		 * its writer was writing, maybe its dialog): what a filter or
		 * a dialog says of it may have too. */
		v->changes = engine_changes(v->e);
		if (view_top(v)->expr == NULL || view_top(v)->f != NULL) {
			view_refilter(v, view_sel_id(v));
			return 1;
		}
		v->ids_gen++;
	}
	if (v->filtering)
		return 0;	/* view_filter_step takes in new messages */
	if (count <= v->scanned)
		return 0;
	/* A dialog:(...) term may come to match an older message: once
	 * indexing is done (new messages of followed files) it is applied
	 * again, in steps; before, the full pass at its end catches them. */
	if (v->engine_was_done && view_top(v)->f != NULL &&
	    filter_has_dialog(view_top(v)->f)) {
		view_refilter(v, view_sel_id(v));
		return 1;
	}
	/* Only the new ids are looked at (filter_select binds the filter to
	 * the grown index first). */
	view_scan(v, v->scanned, count);
	v->scanned = count;
	if (v->nids != before)
		v->ids_gen++;
	return v->nids != before;
}

static void
view_push_level(struct view *v, struct view_level *nl)
{
	view_top(v)->sel_id = view_sel_id(v);
	v->levels =
	    xgrow(v->levels, &v->caplevels, v->nlevels + 1, sizeof *v->levels);
	v->levels[v->nlevels++] = *nl;
}

int
view_push_filter(struct view *v, const char *expr, char **err, int *errcol)
{
	struct view_level nl = {0};
	uint32_t keep = view_sel_id(v);

	nl.f = filter_compile(expr, err, errcol);
	if (nl.f == NULL)
		return -1;
	nl.expr = xstrdup(expr);
	nl.sel_id = UINT32_MAX;
	view_push_level(v, &nl);
	view_refilter(v, keep);
	return 0;
}

void
view_push_dialog(struct view *v, uint32_t call_id)
{
	struct view_level nl = {0};
	uint32_t keep = view_sel_id(v);

	nl.call_id = call_id;
	nl.sel_id = UINT32_MAX;
	view_push_level(v, &nl);
	view_refilter(v, keep);
}

int
view_pop(struct view *v)
{
	uint32_t keep = view_sel_id(v);

	if (v->nlevels <= 1)
		return -1;
	view_level_free(view_top(v));
	v->nlevels--;
	/* Stay on the message being looked at: going back should widen the
	 * view around it, not jump to where the user was before. */
	view_refilter(v, keep != UINT32_MAX ? keep : view_top(v)->sel_id);
	return 0;
}

int
view_pop_to_base(struct view *v)
{
	uint32_t keep = view_sel_id(v);

	if (v->nlevels <= 1)
		return -1;
	while (v->nlevels > 1) {
		view_level_free(view_top(v));
		v->nlevels--;
	}
	view_refilter(v, keep != UINT32_MAX ? keep : view_top(v)->sel_id);
	return 0;
}

int
view_base_filters(const struct view *v)
{
	return v->levels[0].f != NULL;
}

void
view_clear(struct view *v)
{
	uint32_t keep = view_sel_id(v);

	while (v->nlevels > 1) {
		view_level_free(view_top(v));
		v->nlevels--;
	}
	if (v->levels[0].f != NULL) {
		filter_free(v->levels[0].f);
		v->levels[0].f = NULL;
		free(v->levels[0].expr);
		v->levels[0].expr = xstrdup("");
	}
	view_refilter(v, keep);
}

void
view_filter_text(const struct view *v, struct strbuf *sb)
{
	const struct view_level *l = view_top(v);

	if (l->expr == NULL) {
		/* A dialog is the messages of its Call-ID. */
		size_t n;
		const char *id =
		    intern_str(engine_call_ids(v->e), l->call_id, &n);

		/* By its length: a Call-ID may hold a NUL. */
		strbuf_adds(sb, "callid:");
		filter_quote(sb, id, n);
	} else
		strbuf_adds(sb, l->expr);
}

const char *
view_filter_expr(const struct view *v)
{
	const struct view_level *l = view_top(v);

	return l->expr;
}

int
view_has_sel(const struct view *v)
{
	return v->nids > 0;
}

uint32_t
view_sel_id(const struct view *v)
{
	if (v->nids == 0)
		return UINT32_MAX;
	return v->ids[v->sel < v->nids ? v->sel : v->nids - 1];
}

void
view_select(struct view *v, long idx)
{
	if (v->nids == 0) {
		v->sel = 0;
		return;
	}
	if (idx < 0)
		idx = 0;
	if ((size_t)idx >= v->nids)
		idx = (long)v->nids - 1;
	v->sel = (size_t)idx;
}

/* First position whose id is >= id (ids are in index order). */
static size_t
view_lower_bound(const struct view *v, uint32_t id)
{
	size_t lo = 0, hi = v->nids, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long
view_find(const struct view *v, uint32_t id)
{
	size_t i = view_lower_bound(v, id);

	if (i < v->nids && v->ids[i] == id)
		return (long)i;
	return -1;
}

int
view_select_id(struct view *v, uint32_t id)
{
	size_t i = view_lower_bound(v, id);

	view_select(v, (long)i);
	return i < v->nids && v->ids[i] == id;
}

/* The selected message's dialog: its number, it, its message ids and
 * the selection's place among them; -1 when there is none. */
static int
view_sel_dialog(const struct view *v, uint32_t *d, const struct dialog **dl,
		const uint32_t **ids, size_t *at)
{
	const struct dialogs *ds = engine_dialogs(v->e);
	uint32_t id = view_sel_id(v);
	const struct msg *m;

	if (id == UINT32_MAX ||
	    (m = msgindex_get(engine_index(v->e), id)) == NULL ||
	    (*d = dialogs_of(ds, m)) == NO_DIALOG ||
	    (*dl = dialogs_get(ds, *d)) == NULL)
		return -1;
	*ids = dialogs_msgs(ds, *dl);
	for (*at = 0; *at < (*dl)->nmsgs && (*ids)[*at] != id; (*at)++)
		;
	return *at < (*dl)->nmsgs ? 0 : -1;
}

int
view_dialog_step(struct view *v, int dir)
{
	uint32_t d;
	const struct dialog *dl;
	const uint32_t *ids;
	size_t i;
	long pos;

	view_filter_finish(v);
	if (view_sel_dialog(v, &d, &dl, &ids, &i) < 0)
		return -1;
	while (1) {
		if (dir > 0) {
			if (++i >= dl->nmsgs)
				return -1;
		} else {
			if (i-- == 0)
				return -1;
		}
		if ((pos = view_find(v, ids[i])) >= 0) {
			v->sel = (size_t)pos;
			return 0;
		}
	}
}

/* The first shown message of dialog d, or -1. */
static long
view_dialog_first(const struct view *v, uint32_t d)
{
	const struct dialogs *ds = engine_dialogs(v->e);
	const struct dialog *dl = dialogs_get(ds, d);
	const uint32_t *ids;
	size_t i;
	long pos;

	if (dl == NULL)
		return -1;
	ids = dialogs_msgs(ds, dl);
	for (i = 0; i < dl->nmsgs; i++) {
		if ((pos = view_find(v, ids[i])) >= 0)
			return pos;
	}
	return -1;
}

int
view_dialog_cross(struct view *v, int dir, uint32_t *ch, uint32_t *other)
{
	const struct dialogs *ds = engine_dialogs(v->e);
	uint32_t d, r;
	const struct dialog *dl;
	const uint32_t *ids;
	size_t i, at;
	long pos = -1;

	*ch = UINT32_MAX;
	*other = NO_DIALOG;
	if (view_sel_dialog(v, &d, &dl, &ids, &at) < 0)
		return -1;
	if (dir > 0) {
		/* The dialog's last challenge that the client answered on
		 * a new Call-ID (a server's event may follow it): the
		 * registration goes on there. */
		for (i = dl->nmsgs; i-- > 0;) {
			r = rules_retry_dialog(v->e, ids[i]);
			if (r != NO_DIALOG && r != d) {
				*ch = ids[i];
				*other = r;
				pos = view_dialog_first(v, r);
				break;
			}
		}
	} else {
		/* The challenge this dialog's first request answered. */
		r = rules_answered_dialog(v->e, d);
		if (r != NO_DIALOG && r != d &&
		    (dl = dialogs_get(ds, r)) != NULL) {
			ids = dialogs_msgs(ds, dl);
			for (i = dl->nmsgs; i-- > 0;) {
				if (rules_retry_dialog(v->e, ids[i]) == d) {
					*ch = ids[i];
					*other = r;
					pos = view_find(v, ids[i]);
					break;
				}
			}
		}
	}
	if (*other == NO_DIALOG)
		return -1;
	if (pos < 0)
		return 1;
	v->sel = (size_t)pos;
	return 0;
}

size_t
view_dialog_hidden(const struct view *v, int dir)
{
	uint32_t d;
	const struct dialog *dl;
	const uint32_t *ids;
	size_t i, n = 0;

	if (view_sel_dialog(v, &d, &dl, &ids, &i) < 0)
		return 0;
	if (dir > 0) {
		while (++i < dl->nmsgs)
			n += view_find(v, ids[i]) < 0;
	} else {
		while (i-- > 0)
			n += view_find(v, ids[i]) < 0;
	}
	return n;
}

size_t
view_count_severity(const struct view *v, int dir, int severity)
{
	struct msgindex *ix = engine_index(v->e);
	uint32_t id = view_sel_id(v);
	size_t i, n = 0, count = msgindex_count(ix), from, to;
	const struct msg *m;

	if (id == UINT32_MAX) {
		from = 0;
		to = count;
	} else if (dir > 0) {
		from = (size_t)id + 1;
		to = count;
	} else {
		from = 0;
		to = id;
	}
	for (i = from; i < to; i++) {
		m = msgindex_get(ix, (uint32_t)i);
		n += m != NULL && m->severity == severity;
	}
	return n;
}

int
view_next_severity(struct view *v, int dir, int severity)
{
	struct msgindex *ix = engine_index(v->e);
	size_t i;
	const struct msg *m;

	view_filter_finish(v);
	i = v->sel;
	if (v->nids == 0)
		return -1;
	while (1) {
		if (dir > 0) {
			if (++i >= v->nids)
				return -1;
		} else {
			if (i-- == 0)
				return -1;
		}
		m = msgindex_get(ix, v->ids[i]);
		if (m != NULL && m->severity == severity) {
			v->sel = i;
			return 0;
		}
	}
}

void
view_search_start(struct view *v, const char *text, int dir, int from_current)
{
	view_filter_finish(v);	/* a search walks the whole list */
	if (text != v->search) {
		view_search_set(v, text);
		view_hits_start(v);
	} else if (v->hits_state == VHITS_NONE) {
		view_hits_start(v);	/* Esc stopped the count: n again */
	}
	v->search_dir = dir >= 0 ? 1 : -1;
	v->search_state = VSEARCH_IDLE;
	v->search_valid = 0;
	v->search_counting = 0;
	v->search_hidden = 0;
	v->search_hidden_done = 0;
	v->search_moved = v->ids_moved;
	if (v->search == NULL)
		return;
	if (v->nids == 0) {
		/* The filter shows nothing: what it hides may match. */
		view_search_count_hidden(v);
		return;
	}
	if (from_current)
		v->search_pos = v->sel;
	else if (dir >= 0)
		v->search_pos = (v->sel + 1) % v->nids;
	else
		v->search_pos = (v->sel + v->nids - 1) % v->nids;
	v->search_start = v->search_pos;
	v->search_left = v->nids;
	/* From the last message down (the first up) starts at the other
	 * end already. */
	v->search_wrapped =
	    !from_current &&
	    v->search_pos == (v->search_dir > 0 ? 0 : v->nids - 1);
	v->search_state = VSEARCH_RUNNING;
	v->search_valid = 1;
	v->search_gen = v->ids_gen;
}

/* Starts counting the hidden messages that match (none shown did), when
 * a filter hides some; else the search ends. */
static void
view_search_count_hidden(struct view *v)
{
	uint32_t count = (uint32_t)msgindex_count(engine_index(v->e));

	v->search_hidden = 0;
	v->search_hidden_done = 0;
	v->search_counting = 0;
	v->search_state = VSEARCH_IDLE;
	if (v->nids >= count) {
		v->search_hidden_done = 1;	/* nothing hidden */
		return;
	}
	v->search_counting = 1;
	v->search_state = VSEARCH_RUNNING;
	v->hid_pos = 0;
	v->hid_end = count;
	v->hid_at = 0;
}

/* Counts up to budget hidden messages more; returns 0 while there is
 * more. The ids are in index order: a walk along them skips the shown
 * ones (those indexed meanwhile come after hid_end). */
static int
view_search_count_step(struct view *v, size_t budget)
{
	while (v->hid_pos < v->hid_end && budget > 0) {
		uint32_t id = v->hid_pos++;

		while (v->hid_at < v->nids && v->ids[v->hid_at] < id)
			v->hid_at++;
		if (v->hid_at < v->nids && v->ids[v->hid_at] == id)
			continue;	/* shown: looked at already */
		budget--;
		v->search_hidden += view_matches(v, id);
	}
	if (v->hid_pos < v->hid_end)
		return 0;
	v->search_counting = 0;
	v->search_hidden_done = 1;
	v->search_state = VSEARCH_IDLE;
	return 1;
}

int
view_search_extend(struct view *v, const char *text)
{
	size_t n;

	/* Only over the list the search walked: one that grew or was
	 * filtered again since holds messages it never looked at. */
	if (v->search == NULL || text == NULL || !v->search_valid ||
	    v->search_gen != v->ids_gen || v->nids == 0)
		return -1;
	n = strlen(v->search);
	if (strlen(text) <= n || strncmp(text, v->search, n) != 0)
		return -1;
	/* What did not hold the shorter text does not hold this one: go on
	 * from where that search is (a match found is looked at again).
	 * Not when what they stand for is not so: "\x4" is those three
	 * characters, "\x41" an A. */
	{
		struct strbuf sb;
		int longer;

		strbuf_init(&sb);
		sanitize_unescape(text, &sb);
		longer = sb.len >= v->nsearch_raw &&
			 memcmp(sb.buf, v->search_raw, v->nsearch_raw) == 0;
		strbuf_free(&sb);
		if (!longer)
			return -1;
	}
	view_search_set(v, text);
	view_hits_start(v);
	v->search_state = v->search_left > 0 ? VSEARCH_RUNNING : VSEARCH_IDLE;
	if (v->search_left == 0) {
		/* Nothing shown matched the shorter text: count the hidden
		 * matches again, unless there were none to count. */
		if (v->search_hidden_done && v->search_hidden == 0)
			return 0;
		view_search_count_hidden(v);
	}
	return 0;
}

int
view_matches(const struct view *v, uint32_t id)
{
	struct span t;
	size_t mlen;

	if (v->search == NULL)
		return 0;
	t = engine_record_text(v->e, id);
	return span_ufind(t, v->search_raw, v->nsearch_raw, &mlen) >= 0;
}

int
view_search_step(struct view *v, size_t budget)
{
	if (v->search_state != VSEARCH_RUNNING)
		return -1;
	if (v->search_moved != v->ids_moved) {
		/* Filtered again under the search (a key while it ran): it
		 * goes on over the new list, from its selection. */
		view_search_start(v, v->search, v->search_dir, 1);
		if (v->search_state != VSEARCH_RUNNING)
			return -1;
	}
	if (v->search_counting)
		return view_search_count_step(v, budget) ? -1 : 0;
	while (budget-- > 0 && v->search_left > 0) {
		if (v->search_pos >= v->nids) {
			v->search_pos = 0;
			v->search_wrapped = 1;
		}
		if (view_matches(v, v->ids[v->search_pos])) {
			v->sel = v->search_pos;
			v->search_state = VSEARCH_IDLE;
			return 1;
		}
		v->search_left--;
		if (v->search_dir > 0)
			v->search_pos = (v->search_pos + 1) % v->nids;
		else
			v->search_pos = (v->search_pos + v->nids - 1) % v->nids;
		if (v->search_pos == (v->search_dir > 0 ? 0 : v->nids - 1))
			v->search_wrapped = 1;
	}
	if (v->search_left == 0) {
		view_search_count_hidden(v);
		if (v->search_counting)
			return 0;
		return -1;
	}
	return 0;
}

void
view_search_cancel(struct view *v)
{
	v->search_state = VSEARCH_IDLE;
	v->search_counting = 0;
	v->hits_state = VHITS_NONE;	/* Esc stops all of it */
}

unsigned
view_search_progress(const struct view *v)
{
	if (v->search_state == VSEARCH_RUNNING && v->search_counting)
		return (unsigned)((uint64_t)v->hid_pos * 100 /
				  (v->hid_end > 0 ? v->hid_end : 1));
	if (v->nids == 0 || v->search_state != VSEARCH_RUNNING)
		return 100;
	return (unsigned)(100 - (v->search_left * 100) / v->nids);
}

/* The search text changed: its matches are counted again. */
static void
view_hits_start(struct view *v)
{
	v->nhits = 0;
	v->hits_pos = 0;
	v->hits_moved = v->ids_moved;
	v->hits_state = v->search != NULL ? VHITS_COUNTING : VHITS_NONE;
}

int
view_hits_step(struct view *v, size_t budget)
{
	struct timespec t0;
	unsigned n = 0;

	if (v->hits_state == VHITS_NONE)
		return 0;
	if (v->hits_moved != v->ids_moved)
		view_hits_start(v);	/* another list: from its start */
	/* Also no longer than VIEW_HITS_STEP_NS: the keys come first (at
	 * 1M messages a tick of them took up to 25 ms). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (v->hits_pos < v->nids && budget-- > 0) {
		if ((++n & 63) == 0 && elapsed_ns(&t0) >= VIEW_HITS_STEP_NS)
			break;
		if (view_matches(v, v->ids[v->hits_pos])) {
			v->hits = xgrow(v->hits, &v->caphits, v->nhits + 1,
					sizeof *v->hits);
			v->hits[v->nhits++] = v->hits_pos;
		}
		v->hits_pos++;
	}
	v->hits_state =
	    v->hits_pos < v->nids ? VHITS_COUNTING : VHITS_DONE;
	return v->hits_state == VHITS_COUNTING;
}

int
view_hits(const struct view *v, size_t *i, size_t *n)
{
	size_t lo = 0, hi = v->nhits, mid;

	*i = *n = 0;
	if (v->hits_state == VHITS_NONE || v->hits_moved != v->ids_moved)
		return VHITS_NONE;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v->hits[mid] < v->sel)
			lo = mid + 1;
		else
			hi = mid;
	}
	*n = v->nhits;
	if (lo < v->nhits && v->hits[lo] == v->sel)
		*i = lo + 1;
	/* Grown since (indexing, a followed file): not all counted. */
	return v->hits_pos < v->nids ? VHITS_COUNTING : VHITS_DONE;
}

int
view_hits_pending(const struct view *v)
{
	return v->hits_state != VHITS_NONE &&
	       (v->hits_moved != v->ids_moved || v->hits_pos < v->nids);
}
