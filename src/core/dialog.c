/* dialog: messages grouped by Call-ID, each group with a running summary
 * (kind, parties, times, outcome). Interned Call-ID ids are dense, so a
 * plain array maps them to dialogs. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "reader.h"
#include "dialog.h"

/* What the index keeps apart from a message's dialog, by message id:
 * appended in id order, so a binary search finds it. */
struct dialog_apart {
	uint32_t id;
	uint32_t a, b;
};

struct apart_tab {
	struct dialog_apart *v;
	size_t n, cap;
};

/* A dialog's message ids live in an array of a size class: 2, 3, 4, 6, 8,
 * 12, 16 ... (a power of two or one and a half of one), so that its
 * capacity follows from its count. Arrays up to DIALOG_POOL_MAX ids are
 * cut from slabs, without a heap header each, and go to a free list of
 * their class when their dialog outgrows them; larger ones are malloc'd.
 * Most dialogs are a handful of messages: at 100 MB of server log this
 * halves the memory of the arrays (0.9 -> 0.45 MB).
 *
 * A dialog names its array with a 32-bit handle (d->at), not a pointer,
 * so that struct dialog is 32 bytes: below DIALOG_BIG, the array's first
 * id counted over the slabs (DIALOG_SLAB_IDS each); from it, an index in
 * big[] of a malloc'd array. A big array grows in place (realloc), its
 * handle staying; once the slabs' handles run out (2^31 ids, 8 GiB of
 * them), new arrays are big ones too. */
#define DIALOG_POOL_MAX 256
#define DIALOG_POOL_CLASSES 15		/* 2 .. 256 */
#define DIALOG_SLAB_IDS (16 * 1024)	/* 64 KiB */
#define DIALOG_BIG (UINT32_C(1) << 31)
#ifndef DIALOG_MAX_SLABS	/* a test sets fewer */
#define DIALOG_MAX_SLABS (DIALOG_BIG / DIALOG_SLAB_IDS)
#endif
#define DIALOG_NO_ARRAY UINT32_MAX	/* an empty free list */

struct dialogs {
	uint64_t epoch;		/* dialogs_epoch() */
	uint64_t kept_changes;	/* dialogs_kept_changes() */
	struct dialog *v;
	size_t n, cap;
	uint32_t **slabs;
	size_t nslabs, capslabs;
	size_t slab_used;		/* ids given of the last slab */
	uint32_t **big;			/* arrays of handle DIALOG_BIG + i */
	size_t nbig, capbig;
	/* Handles of free arrays of each class, linked through their first
	 * id; DIALOG_NO_ARRAY ends a list. */
	uint32_t freelist[DIALOG_POOL_CLASSES];
	uint32_t *by_call_id;	/* call_id -> dialog id + 1, 0 = none */
	size_t nby, capby;	/* written (zeroed) and allocated */
	/* What is kept apart (KEPT_APART), by message id. */
	struct apart_tab party;		/* From and To */
	struct apart_tab ruri;		/* the request URI (b is 0) */
	struct apart_tab ends;		/* source and destination */
	/* A dialog's kind is its first request's method code (msgindex's);
	 * its auth scheme a code of auths. Past the codes, both are kept
	 * apart by dialog id. */
	struct idmap kind_apart;
	struct codetab auths;
	struct idmap auth_apart;
};

struct dialogs *
dialogs_new(void)
{
	static atomic_uint_fast64_t epochs;
	struct dialogs *ds = xcalloc(1, sizeof(struct dialogs));
	size_t c;

	ds->epoch = atomic_fetch_add(&epochs, 1) + 1;
	for (c = 0; c < DIALOG_POOL_CLASSES; c++)
		ds->freelist[c] = DIALOG_NO_ARRAY;
	ds->slab_used = DIALOG_SLAB_IDS;	/* no slab yet */
	return ds;
}

uint64_t
dialogs_epoch(const struct dialogs *ds)
{
	return ds->epoch;
}

uint64_t
dialogs_kept_changes(const struct dialogs *ds)
{
	return ds->kept_changes;
}

/* The size class for n ids (n >= 1): the capacity of an array that
 * holds n. */
static size_t
dialog_cap(size_t n)
{
	size_t p = 2;

	while (p * 2 <= n)
		p *= 2;
	if (n <= p)
		return p;
	return n <= p + p / 2 ? p + p / 2 : 2 * p;
}

/* Index of size class cap (<= DIALOG_POOL_MAX) in freelist[]. */
static size_t
dialog_class(size_t cap)
{
	size_t i = 0, p = 2;

	while (p * 2 <= cap) {
		p *= 2;
		i += 2;
	}
	return cap == p ? i : i + 1;
}

/* The ids of the array of handle h. */
static uint32_t *
dialog_ids(const struct dialogs *ds, uint32_t h)
{
	if (h & DIALOG_BIG)
		return ds->big[h - DIALOG_BIG];
	return ds->slabs[h / DIALOG_SLAB_IDS] + h % DIALOG_SLAB_IDS;
}

static uint32_t
dialog_big_new(struct dialogs *ds, size_t cap)
{
	ds->big = xgrow(ds->big, &ds->capbig, ds->nbig + 1, sizeof *ds->big);
	ds->big[ds->nbig] = xmalloc(cap * sizeof(uint32_t));
	return DIALOG_BIG + (uint32_t)ds->nbig++;
}

/* A handle of an array for cap ids. */
static uint32_t
dialog_pool_get(struct dialogs *ds, size_t cap)
{
	uint32_t *head, h;

	if (cap > DIALOG_POOL_MAX)
		return dialog_big_new(ds, cap);
	head = &ds->freelist[dialog_class(cap)];
	if (*head != DIALOG_NO_ARRAY) {
		h = *head;
		*head = dialog_ids(ds, h)[0];
		return h;
	}
	if (cap > DIALOG_SLAB_IDS - ds->slab_used) {
		if (ds->nslabs >= DIALOG_MAX_SLABS)
			return dialog_big_new(ds, cap);
		ds->slabs = xgrow(ds->slabs, &ds->capslabs, ds->nslabs + 1,
				  sizeof *ds->slabs);
		ds->slabs[ds->nslabs++] =
			xmalloc(DIALOG_SLAB_IDS * sizeof(uint32_t));
		ds->slab_used = 0;
	}
	h = (uint32_t)((ds->nslabs - 1) * DIALOG_SLAB_IDS + ds->slab_used);
	ds->slab_used += cap;
	return h;
}

/* Array h, of capacity cap, is free again (not a big one: those grow in
 * place). */
static void
dialog_pool_put(struct dialogs *ds, uint32_t h, size_t cap)
{
	uint32_t *head = &ds->freelist[dialog_class(cap)];

	dialog_ids(ds, h)[0] = *head;
	*head = h;
}

const uint32_t *
dialogs_msgs(const struct dialogs *ds, const struct dialog *d)
{
	return dialog_ids(ds, d->at);
}

uint32_t
dialogs_call_id(const struct dialogs *ds, const struct msgindex *ix,
		const struct dialog *d)
{
	return msgindex_get(ix, dialog_ids(ds, d->at)[0])->call_id;
}

void
dialogs_free(struct dialogs *ds)
{
	size_t i;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->nbig; i++)
		free(ds->big[i]);
	free(ds->big);
	for (i = 0; i < ds->nslabs; i++)
		free(ds->slabs[i]);
	free(ds->slabs);
	free(ds->v);
	free(ds->by_call_id);
	free(ds->party.v);
	free(ds->ruri.v);
	free(ds->ends.v);
	idmap_free(&ds->kind_apart);
	idmap_free(&ds->auth_apart);
	free(ds);
}

size_t
dialogs_count(const struct dialogs *ds)
{
	return ds->n;
}

struct dialog *
dialogs_get(const struct dialogs *ds, uint32_t id)
{
	return id < ds->n ? &ds->v[id] : NULL;
}

uint32_t
dialogs_kind(const struct dialogs *ds, const struct msgindex *ix,
	     const struct dialog *d)
{
	if (d->kind_code == CODETAB_FULL)
		return idmap_get(&ds->kind_apart, (uint32_t)(d - ds->v));
	return msgindex_code_method(ix, d->kind_code);
}

uint32_t
dialogs_auth(const struct dialogs *ds, const struct dialog *d)
{
	if (d->auth_code == CODETAB_FULL)
		return idmap_get(&ds->auth_apart, (uint32_t)(d - ds->v));
	return codetab_id(&ds->auths, d->auth_code);
}

void
dialogs_set_auth(struct dialogs *ds, struct dialog *d, uint32_t auth)
{
	d->auth_code = codetab_code(&ds->auths, auth);
	if (d->auth_code == CODETAB_FULL)
		idmap_put(&ds->auth_apart, (uint32_t)(d - ds->v), auth);
}

uint32_t
dialogs_by_call_id(const struct dialogs *ds, uint32_t call_id)
{
	if (call_id == 0 || call_id >= ds->nby || ds->by_call_id[call_id] == 0)
		return NO_DIALOG;
	return ds->by_call_id[call_id] - 1;
}

/* Position of message id in t, or where it would go, known to be in
 * lo..hi. */
static size_t
apart_within(const struct apart_tab *t, uint32_t id, size_t lo, size_t hi)
{
	size_t mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Position of message id in t, or where it would go. */
static size_t
apart_at(const struct apart_tab *t, uint32_t id)
{
	/* Nearly always the last one, or after it. */
	if (t->n > 0 && t->v[t->n - 1].id < id)
		return t->n;
	return apart_within(t, id, 0, t->n);
}

/* Keeps (a, b) for message id in t; had: t has it already. */
static void
apart_put(struct apart_tab *t, int had, uint32_t id, uint32_t a, uint32_t b)
{
	size_t i = apart_at(t, id);

	if (!had) {
		t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
		memmove(t->v + i + 1, t->v + i, (t->n - i) * sizeof *t->v);
		t->n++;
	}
	t->v[i] = (struct dialog_apart){ id, a, b };
}

static void
apart_del(struct apart_tab *t, uint32_t id)
{
	size_t i = apart_at(t, id);

	if (i < t->n && t->v[i].id == id) {
		memmove(t->v + i, t->v + i + 1, (t->n - i - 1) * sizeof *t->v);
		t->n--;
	}
}

/* What t keeps for message id, (0, 0) when nothing. */
static struct dialog_apart
apart_get(const struct apart_tab *t, uint32_t id)
{
	size_t i = apart_at(t, id);

	if (i < t->n && t->v[i].id == id)
		return t->v[i];
	return (struct dialog_apart){ id, 0, 0 };
}

/* How (a, b) is kept against a dialog's (da, db): the same, swapped (pair
 * only) or apart; in_dialog: the message has a dialog. */
static unsigned
kept_code(int in_dialog, int pair, uint32_t da, uint32_t db, uint32_t a,
	  uint32_t b)
{
	if (a == 0 && b == 0)
		return KEPT_NONE;
	if (in_dialog && a == da && b == db)
		return KEPT_SAME;
	if (in_dialog && pair && a == db && b == da)
		return KEPT_SWAP;
	return KEPT_APART;
}

/* Keeps (a, b) of message id as code, its code so far being old: t holds
 * those kept apart. Returns code. */
static unsigned
kept_keep(struct apart_tab *t, unsigned old, uint32_t id, unsigned code,
	  uint32_t a, uint32_t b)
{
	if (code == KEPT_APART)
		apart_put(t, old == KEPT_APART, id, a, b);
	else if (old == KEPT_APART)
		apart_del(t, id);
	return code & 3;
}

/* (a, b) of message id, kept as code against a dialog's (da, db). */
static void
kept_read(const struct apart_tab *t, unsigned code, uint32_t id, uint32_t da,
	  uint32_t db, uint32_t *a, uint32_t *b)
{
	struct dialog_apart x;

	*a = *b = 0;
	switch (code) {
	case KEPT_SAME:
		*a = da;
		*b = db;
		break;
	case KEPT_SWAP:
		*a = db;
		*b = da;
		break;
	case KEPT_APART:
		x = apart_get(t, id);
		*a = x.a;
		*b = x.b;
		break;
	}
}

void
dialogs_kept(const struct dialogs *ds, const struct msg *m, uint32_t id,
	     struct msg_kept *k)
{
	static const struct dialog none;
	const struct dialog *d = &none;
	uint32_t did, unused;

	if (m->kept_party == KEPT_SAME || m->kept_party == KEPT_SWAP ||
	    m->kept_ruri == KEPT_SAME || m->kept_ends == KEPT_SAME ||
	    m->kept_ends == KEPT_SWAP) {
		did = dialogs_by_call_id(ds, m->call_id);
		if (did != NO_DIALOG)
			d = &ds->v[did];
	}
	kept_read(&ds->party, m->kept_party, id, d->from, d->to, &k->from,
		  &k->to);
	kept_read(&ds->ruri, m->kept_ruri, id, d->ruri, 0, &k->ruri, &unused);
	kept_read(&ds->ends, m->kept_ends, id, d->src, d->dst, &k->src,
		  &k->dst);
}

void
dialogs_apart(const struct dialogs *ds, enum dialog_part part, uint32_t id,
	      uint32_t *a, uint32_t *b, size_t *hint)
{
	const struct apart_tab *t = part == DIALOG_PARTY ? &ds->party :
				    part == DIALOG_RURI ? &ds->ruri : &ds->ends;
	size_t lo = *hint, hi, step = 1;

	/* From the hint while ids come in order: every entry before lo is
	 * of a smaller id. Then galloping finds where id goes in steps of
	 * growing size, and a binary search within the last one. */
	if (lo > t->n || (lo > 0 && t->v[lo - 1].id >= id))
		lo = 0;
	hi = lo;
	while (hi < t->n && t->v[hi].id < id) {
		lo = hi + 1;
		hi = lo + step;
		step *= 2;
	}
	lo = apart_within(t, id, lo, hi < t->n ? hi : t->n);
	*hint = lo;
	*a = *b = 0;
	if (lo < t->n && t->v[lo].id == id) {
		*a = t->v[lo].a;
		*b = t->v[lo].b;
	}
}

/* Keeps k in m's codes against dialog d (NULL: none), and apart what
 * differs. */
static void
dialogs_keep(struct dialogs *ds, struct msg *m, uint32_t id,
	     const struct dialog *d, const struct msg_kept *k)
{
	static const struct dialog none;
	int in = d != NULL;

	if (d == NULL)
		d = &none;
	m->kept_party = kept_keep(&ds->party, m->kept_party, id,
	    kept_code(in, 1, d->from, d->to, k->from, k->to), k->from, k->to);
	m->kept_ruri = kept_keep(&ds->ruri, m->kept_ruri, id,
	    kept_code(in, 0, d->ruri, 0, k->ruri, 0), k->ruri, 0);
	m->kept_ends = kept_keep(&ds->ends, m->kept_ends, id,
	    kept_code(in, 1, d->src, d->dst, k->src, k->dst), k->src, k->dst);
}

/* The dialog's From and To (ends: its source and destination) become a
 * and b: its earlier messages are kept against the new ones. */
static void
dialog_set_pair(struct dialogs *ds, struct msgindex *ix, struct dialog *d,
		int ends, uint32_t a, uint32_t b)
{
	struct apart_tab *t = ends ? &ds->ends : &ds->party;
	uint32_t *da = ends ? &d->src : &d->from, *db = ends ? &d->dst : &d->to;
	const uint32_t *ids = dialog_ids(ds, d->at);
	uint32_t x, y, id;
	unsigned code;
	struct msg *m;
	size_t i;

	if (*da == a && *db == b)
		return;
	for (i = 0; i < d->nmsgs; i++) {
		id = ids[i];
		m = msgindex_get(ix, id);
		code = ends ? m->kept_ends : m->kept_party;
		kept_read(t, code, id, *da, *db, &x, &y);
		code = kept_keep(t, code, id, kept_code(1, 1, a, b, x, y), x, y);
		if (ends)
			m->kept_ends = code;
		else
			m->kept_party = code;
	}
	*da = a;
	*db = b;
}

void
dialogs_times(const struct dialogs *ds, const struct msgindex *ix,
	      const struct dialog *d, int64_t *first, int64_t *last)
{
	const uint32_t *ids = dialog_ids(ds, d->at);
	const struct msg *m;
	size_t i;

	*first = *last = TIME_NONE;
	for (i = 0; i < d->nmsgs; i++) {
		m = msgindex_get(ix, ids[i]);
		if (m == NULL || m->time == TIME_NONE)
			continue;
		if (*first == TIME_NONE || m->time < *first)
			*first = m->time;
		if (*last == TIME_NONE || m->time > *last)
			*last = m->time;
	}
}

static int
dialog_asks_again(uint16_t status)
{
	/* Challenges, and the answers that ask for the request again with
	 * a longer expiry (423), session interval (422) or a security
	 * agreement (494): a client that does so has not failed yet. */
	return status == 401 || status == 407 || status == 422 ||
	       status == 423 || status == 494;
}

uint32_t
dialogs_add(struct dialogs *ds, struct msgindex *ix, uint32_t id,
	    const struct msg_kept *k)
{
	struct msg *m = msgindex_get(ix, id);
	struct dialog *d;
	struct msg_kept was = { 0 };
	uint32_t did;
	int old;

	if (m == NULL)
		return NO_DIALOG;
	m->kept_party = m->kept_ruri = m->kept_ends = KEPT_NONE;
	if (m->call_id == 0) {
		dialogs_keep(ds, m, id, NULL, k);
		return NO_DIALOG;
	}
	did = dialogs_by_call_id(ds, m->call_id);
	old = did != NO_DIALOG;
	if (old) {
		d = &ds->v[did];
		was = (struct msg_kept){ d->from, d->to, d->ruri, d->src,
					 d->dst };
	} else {
		if (m->call_id >= ds->nby) {
			/* Zeroed up to the id only: the rest of a large
			 * block is not touched, so takes no memory yet. */
			ds->by_call_id = xgrow(ds->by_call_id, &ds->capby,
					       (size_t)m->call_id + 1,
					       sizeof *ds->by_call_id);
			memset(ds->by_call_id + ds->nby, 0,
			       ((size_t)m->call_id + 1 - ds->nby) *
				   sizeof *ds->by_call_id);
			ds->nby = (size_t)m->call_id + 1;
		}
		ds->v = xgrow(ds->v, &ds->cap, ds->n + 1, sizeof *ds->v);
		did = (uint32_t)ds->n++;
		d = &ds->v[did];
		*d = (struct dialog){ 0 };
		d->from = k->from;
		d->to = k->to;
		ds->by_call_id[m->call_id] = did + 1;
	}
	d = &ds->v[did];
	/* The array is full when its count is a size class. */
	if (d->nmsgs == 0) {
		d->at = dialog_pool_get(ds, dialog_cap(1));
	} else if (dialog_cap(d->nmsgs) == d->nmsgs && (d->at & DIALOG_BIG)) {
		uint32_t **a = &ds->big[d->at - DIALOG_BIG];

		*a = xrealloc(*a, dialog_cap(d->nmsgs + 1) * sizeof **a);
	} else if (dialog_cap(d->nmsgs) == d->nmsgs) {
		uint32_t h = dialog_pool_get(ds, dialog_cap(d->nmsgs + 1));

		memcpy(dialog_ids(ds, h), dialog_ids(ds, d->at),
		       d->nmsgs * sizeof(uint32_t));
		dialog_pool_put(ds, d->at, d->nmsgs);
		d->at = h;
	}
	dialog_ids(ds, d->at)[d->nmsgs++] = id;

	if (m->kind == MSG_REQUEST && d->kind_code == 0) {
		d->kind_code = m->mcode;
		if (m->mcode == CODETAB_FULL)
			idmap_put(&ds->kind_apart, (uint32_t)(d - ds->v),
				  msgindex_method(ix, id));
		dialog_set_pair(ds, ix, d, 0, k->from, k->to);
	}
	/* The first R-URI stays the dialog's: every message before it had
	 * none (KEPT_NONE, whatever the dialog's). So do the first two
	 * endpoints; a message with one only (a diagnostic with its peer)
	 * gives them until one with both comes, and the messages before are
	 * then kept against those. */
	if (d->ruri == 0)
		d->ruri = k->ruri;
	if (d->src == 0 && d->dst == 0) {
		d->src = k->src;
		d->dst = k->dst;
	} else if ((d->src == 0 || d->dst == 0) && k->src != 0 &&
		   k->dst != 0) {
		dialog_set_pair(ds, ix, d, 1, k->src, k->dst);
	}
	dialogs_keep(ds, m, id, d, k);
	if (old && (was.from != d->from || was.to != d->to ||
	    was.ruri != d->ruri || was.src != d->src || was.dst != d->dst))
		ds->kept_changes++;
	/* Outcome: the first final answer to the initial method that is not
	 * an authentication challenge or another answer that asks for the
	 * request again (dialog_asks_again); until there is one, the
	 * last of those. A later re-INVITE or refresh does not change it. */
	if (m->kind == MSG_RESPONSE && m->status >= 200 &&
	    (d->kind_code == 0 ||
	     msgindex_method(ix, id) == dialogs_kind(ds, ix, d)) &&
	    !(m->flags & RECF_RETRANS)) {
		if (d->outcome == 0 || dialog_asks_again(d->outcome))
			d->outcome = m->status;
	}
	return did;
}
