/* twin: messages that two merged logs both wrote, and what the pairs say
 * of the logs' clocks. */
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "twin.h"
#include "engine.h"
#include "dialog.h"

int
twin_seen_fill(const struct engine *e, uint32_t id, struct twin_seen *x)
{
	const struct msgindex *ix = engine_index(e);
	const struct msg *m;

	if (id >= msgindex_count(ix))
		return -1;
	m = msgindex_get(ix, id);
	if (m->kind == MSG_DIAG || m->call_id == 0)
		return -1;
	memset(x, 0, sizeof *x);
	x->call_id = m->call_id;
	x->cseq = m->cseq;
	x->mcode = (uint8_t)m->mcode;
	x->kind = (uint8_t)m->kind;
	x->status = (uint16_t)m->status;
	x->file = (uint16_t)m->file;
	x->dir = (uint8_t)m->dir;
	x->dated = msg_time_dating(m) == TIME_DATED;
	x->time = m->time;
	x->id = id;
	engine_msg_ends(e, id, &x->src, &x->dst);
	return 0;
}

int
twin_key_cmp(const struct twin_seen *a, const struct twin_seen *b)
{
	if (a->call_id != b->call_id)
		return a->call_id < b->call_id ? -1 : 1;
	if (a->cseq != b->cseq)
		return a->cseq < b->cseq ? -1 : 1;
	if (a->mcode != b->mcode)
		return a->mcode < b->mcode ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->status != b->status)
		return a->status < b->status ? -1 : 1;
	return 0;
}

int
twin_cmp(const void *pa, const void *pb)
{
	const struct twin_seen *a = pa, *b = pb;
	int c = twin_key_cmp(a, b);

	if (c != 0)
		return c;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int
twin_end_is_addr(const struct engine *e, const struct twin_seen *x, int src)
{
	const struct engine_file *f = engine_file(e, x->file);
	int own = x->dir == (src ? DIR_OUT : DIR_IN);

	if ((src ? x->src : x->dst) == 0)
		return 0;
	return !own || f == NULL || f->fmt == NULL || !f->fmt->names_local;
}

/* Whether s (as its log sent it) and r (as another received it) are one
 * message on one hop: the ends both give as addresses are alike, and
 * they give one at least. */
static int
twin_same_hop(const struct engine *e, const struct twin_seen *s,
	      const struct twin_seen *r)
{
	int alike = 0;

	if (twin_end_is_addr(e, s, 1) && twin_end_is_addr(e, r, 1)) {
		if (s->src != r->src)
			return 0;
		alike++;
	}
	if (twin_end_is_addr(e, s, 0) && twin_end_is_addr(e, r, 0)) {
		if (s->dst != r->dst)
			return 0;
		alike++;
	}
	return alike > 0;
}

uint32_t
twin_other(const struct engine *e, uint32_t id)
{
	const struct dialogs *ds = engine_dialogs(e);
	const struct dialog *dl;
	const uint32_t *ids;
	struct twin_seen x, y;
	uint32_t d, best = TWIN_NONE;
	uint64_t gap, best_gap = 0;
	size_t i;
	int hop, best_hop = -1;

	if (twin_seen_fill(e, id, &x) != 0 ||
	    (d = dialogs_of(ds, msgindex_get(engine_index(e), id))) ==
		NO_DIALOG ||
	    (dl = dialogs_get(ds, d)) == NULL)
		return TWIN_NONE;
	ids = dialogs_msgs(ds, dl);
	for (i = 0; i < dl->nmsgs; i++) {
		if (twin_seen_fill(e, ids[i], &y) != 0 || y.file == x.file ||
		    twin_key_cmp(&x, &y) != 0)
			continue;
		hop = twin_same_hop(e, &x, &y);
		gap = x.time == TIME_NONE || y.time == TIME_NONE ? UINT64_MAX :
		      x.time > y.time ? (uint64_t)(x.time - y.time) :
					(uint64_t)(y.time - x.time);
		if (hop > best_hop || (hop == best_hop && gap < best_gap)) {
			best = ids[i];
			best_hop = hop;
			best_gap = gap;
		}
	}
	return best;
}

/* The least step of a message's time: what its log's fraction digits
 * can tell apart, in microseconds. */
static int64_t
twin_step(const struct engine *e, uint32_t id)
{
	const struct msg *m = msgindex_get(engine_index(e), id);
	int64_t step = 1;
	int prec = MSG_TIME_PREC(m);

	for (; prec < 6; prec++)
		step *= 10;
	return step;
}

struct twin_acc {
	struct twin_clock *v;
	int64_t *step;		/* the coarser of the times compared */
	size_t n, cap, capstep;
};

static struct twin_clock *
twin_acc_get(struct twin_acc *acc, uint16_t a, uint16_t b)
{
	size_t i;

	for (i = 0; i < acc->n; i++)
		if (acc->v[i].a == a && acc->v[i].b == b)
			return &acc->v[i];
	acc->v = xgrow(acc->v, &acc->cap, acc->n + 1, sizeof *acc->v);
	acc->step = xgrow(acc->step, &acc->capstep, acc->n + 1,
	    sizeof *acc->step);
	memset(&acc->v[acc->n], 0, sizeof acc->v[acc->n]);
	acc->v[acc->n].a = a;
	acc->v[acc->n].b = b;
	acc->v[acc->n].lo = acc->v[acc->n].hi = TWIN_NO_BOUND;
	acc->step[acc->n] = 0;
	return &acc->v[acc->n++];
}

/* s was sent by its log and r received by another's, r after s in true
 * time: a bound on the difference of their clocks. */
static void
twin_bound(const struct engine *e, struct twin_acc *acc,
	   const struct twin_seen *s, const struct twin_seen *r)
{
	int sent_by_a = s->file < r->file;
	struct twin_clock *c = twin_acc_get(acc, sent_by_a ? s->file : r->file,
	    sent_by_a ? r->file : s->file);
	int64_t *step = &acc->step[c - acc->v], d;

	if (twin_step(e, s->id) > *step)
		*step = twin_step(e, s->id);
	if (twin_step(e, r->id) > *step)
		*step = twin_step(e, r->id);
	if (sent_by_a) {
		/* clock(b) - clock(a) = r's time - s's time - the delay. */
		d = r->time - s->time;
		if (c->hi == TWIN_NO_BOUND || d < c->hi) {
			c->hi = d;
			c->hi_id = r->id;
			c->hi_peer = s->id;
		}
	} else {
		d = s->time - r->time;
		if (c->lo == TWIN_NO_BOUND || d > c->lo) {
			c->lo = d;
			c->lo_id = s->id;
			c->lo_peer = r->id;
		}
	}
}

/* Group seen[lo, hi) (alike, by file): the first copy each log sent
 * against the first each other log received. A log that does not say
 * which way a message went (a capture, sngrep's export) saw it on its
 * way: after a log that sent it, before one that received it. */
static void
twin_group(const struct engine *e, struct twin_acc *acc,
	   const struct twin_seen *seen, size_t lo, size_t hi)
{
	/* By file in the group: its first copy sent, received, seen. */
	const struct twin_seen *first[TWIN_GROUP_MAX][3];
	size_t n = 0, i, j;
	int way;

	for (i = lo; i < hi; i++) {
		if (i == lo || seen[i].file != seen[i - 1].file) {
			first[n][0] = first[n][1] = first[n][2] = NULL;
			n++;
		}
		way = seen[i].dir == DIR_OUT ? 0 : seen[i].dir == DIR_IN ? 1 : 2;
		if (first[n - 1][way] == NULL ||
		    seen[i].time < first[n - 1][way]->time)
			first[n - 1][way] = &seen[i];
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			const struct twin_seen *s = first[i][0], *r = first[j][1];

			if (i == j)
				continue;
			/* Sent, then received or seen; seen, then received. */
			if (s != NULL && r != NULL && twin_same_hop(e, s, r))
				twin_bound(e, acc, s, r);
			if (s != NULL && first[j][2] != NULL &&
			    twin_same_hop(e, s, first[j][2]))
				twin_bound(e, acc, s, first[j][2]);
			if (first[i][2] != NULL && r != NULL &&
			    twin_same_hop(e, first[i][2], r))
				twin_bound(e, acc, first[i][2], r);
		}
}

/* Adds to acc what dialog dl's messages logged in two files say. */
static void
twin_dialog(const struct engine *e, const struct dialog *dl,
	    struct twin_acc *acc, struct twin_seen **seen, size_t *cap)
{
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), dl);
	const struct msgindex *ix = engine_index(e);
	size_t i, lo, n = 0;

	for (i = 1; i < dl->nmsgs; i++)
		if (msgindex_get(ix, ids[i])->file !=
		    msgindex_get(ix, ids[0])->file)
			break;
	if (i >= dl->nmsgs)
		return;
	*seen = xgrow(*seen, cap, dl->nmsgs, sizeof **seen);
	for (i = 0; i < dl->nmsgs; i++) {
		struct twin_seen *x = &(*seen)[n];

		if (twin_seen_fill(e, ids[i], x) == 0 && x->dated &&
		    x->time != TIME_NONE)
			n++;
	}
	qsort(*seen, n, sizeof **seen, twin_cmp);
	for (lo = 0; lo < n; lo = i) {
		for (i = lo + 1; i < n && twin_key_cmp(&(*seen)[lo],
		     &(*seen)[i]) == 0; i++)
			;
		if (i - lo >= 2 && i - lo <= TWIN_GROUP_MAX &&
		    (*seen)[lo].file != (*seen)[i - 1].file)
			twin_group(e, acc, *seen, lo, i);
	}
}

size_t
twin_clocks(const struct engine *e, struct twin_clock **out)
{
	const struct dialogs *ds = engine_dialogs(e);
	struct twin_acc acc;
	struct twin_seen *seen = NULL;
	size_t cap = 0, i, n = 0, nd = dialogs_count(ds);

	*out = NULL;
	if (engine_nfiles(e) < 2)
		return 0;
	memset(&acc, 0, sizeof acc);
	for (i = 0; i < nd; i++)
		twin_dialog(e, dialogs_get(ds, (uint32_t)i), &acc, &seen, &cap);
	free(seen);
	/* Those that disagree beyond what their times can tell, and whose
	 * bounds do not contradict each other (jitter, a hop taken for
	 * another): they say nothing sure. */
	for (i = 0; i < acc.n; i++) {
		const struct twin_clock *c = &acc.v[i];
		int64_t step = acc.step[i];
		int ahead = c->lo != TWIN_NO_BOUND && c->lo > step;
		int behind = c->hi != TWIN_NO_BOUND && c->hi < -step;

		if (!ahead && !behind)
			continue;
		if (c->lo != TWIN_NO_BOUND && c->hi != TWIN_NO_BOUND &&
		    c->lo > c->hi + step)
			continue;
		acc.v[n++] = *c;
	}
	free(acc.step);
	if (n == 0) {
		free(acc.v);
		return 0;
	}
	*out = acc.v;
	return n;
}
