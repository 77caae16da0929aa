/* dialog: messages grouped by Call-ID, each group with a running summary
 * (kind, parties, times, outcome). Interned Call-ID ids are dense, so a
 * plain array maps them to dialogs. */
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
 * halves the memory of the arrays (0.9 -> 0.45 MB). */
#define DIALOG_POOL_MAX 256
#define DIALOG_POOL_CLASSES 15		/* 2 .. 256 */
#define DIALOG_SLAB (64 * 1024)

struct dialogs {
	struct dialog *v;
	size_t n, cap;
	char **slabs;
	size_t nslabs, capslabs;
	char *slab_cur;			/* free space in the last slab */
	size_t slab_left;
	void *freelist[DIALOG_POOL_CLASSES];
	uint32_t *by_call_id;	/* call_id -> dialog id + 1, 0 = none */
	size_t nby;
	struct apart_tab party;		/* From and To (PARTY_APART) */
	struct apart_tab ruri;		/* R-URI (RURI_APART) */
};

struct dialogs *
dialogs_new(void)
{
	return xcalloc(1, sizeof(struct dialogs));
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

static uint32_t *
dialog_pool_get(struct dialogs *ds, size_t cap)
{
	size_t c, bytes = cap * sizeof(uint32_t);
	void **head;
	char *p;

	if (cap > DIALOG_POOL_MAX)
		return xmalloc(bytes);
	c = dialog_class(cap);
	head = &ds->freelist[c];
	if (*head != NULL) {
		p = *head;
		/* The link is in the free array's first bytes, which need
		 * not be aligned for a pointer. */
		memcpy(head, p, sizeof *head);
		return (uint32_t *)(void *)p;
	}
	if (bytes > ds->slab_left) {
		ds->slabs = xgrow(ds->slabs, &ds->capslabs, ds->nslabs + 1,
				  sizeof *ds->slabs);
		ds->slab_cur = ds->slabs[ds->nslabs++] = xmalloc(DIALOG_SLAB);
		ds->slab_left = DIALOG_SLAB;
	}
	p = ds->slab_cur;
	ds->slab_cur += bytes;
	ds->slab_left -= bytes;
	return (uint32_t *)(void *)p;
}

static void
dialog_pool_put(struct dialogs *ds, uint32_t *a, size_t cap)
{
	void **head;

	if (cap > DIALOG_POOL_MAX) {
		free(a);
		return;
	}
	head = &ds->freelist[dialog_class(cap)];
	memcpy(a, head, sizeof *head);
	*head = a;
}

void
dialogs_free(struct dialogs *ds)
{
	size_t i;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->n; i++) {
		if (ds->v[i].nmsgs > 0 &&
		    dialog_cap(ds->v[i].nmsgs) > DIALOG_POOL_MAX)
			free(ds->v[i].msgs);
	}
	for (i = 0; i < ds->nslabs; i++)
		free(ds->slabs[i]);
	free(ds->slabs);
	free(ds->v);
	free(ds->by_call_id);
	free(ds->party.v);
	free(ds->ruri.v);
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
dialogs_by_call_id(const struct dialogs *ds, uint32_t call_id)
{
	if (call_id == 0 || call_id >= ds->nby || ds->by_call_id[call_id] == 0)
		return NO_DIALOG;
	return ds->by_call_id[call_id] - 1;
}

/* Position of message id in t, or where it would go. */
static size_t
apart_at(const struct apart_tab *t, uint32_t id)
{
	size_t lo = 0, hi = t->n, mid;

	/* Nearly always the last one, or after it. */
	if (hi > 0 && t->v[hi - 1].id < id)
		return hi;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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

/* Keeps message id's From and To in m->party and, when they are not its
 * dialog's (dfrom, dto; no dialog: both 0), in ds->party. */
static void
dialogs_keep_party(struct dialogs *ds, struct msg *m, uint32_t id,
		   uint32_t dfrom, uint32_t dto, uint32_t from, uint32_t to)
{
	unsigned party;

	if (from == 0 && to == 0)
		party = PARTY_NONE;
	else if (m->call_id != 0 && from == dfrom && to == dto)
		party = PARTY_SAME;
	else if (m->call_id != 0 && from == dto && to == dfrom)
		party = PARTY_SWAP;
	else
		party = PARTY_APART;
	if (party == PARTY_APART)
		apart_put(&ds->party, m->party == PARTY_APART, id, from, to);
	else if (m->party == PARTY_APART)
		apart_del(&ds->party, id);
	m->party = party & 3;
}

/* From and To of m as kept against a dialog with dfrom and dto. */
static void
dialogs_read_party(const struct dialogs *ds, const struct msg *m, uint32_t id,
		   uint32_t dfrom, uint32_t dto, uint32_t *from, uint32_t *to)
{
	struct dialog_apart a;

	*from = *to = 0;
	switch (m->party) {
	case PARTY_SAME:
		*from = dfrom;
		*to = dto;
		break;
	case PARTY_SWAP:
		*from = dto;
		*to = dfrom;
		break;
	case PARTY_APART:
		a = apart_get(&ds->party, id);
		*from = a.a;
		*to = a.b;
		break;
	}
}

/* The dialog of m when its URIs are kept with it, else NULL. */
static const struct dialog *
dialogs_kept_with(const struct dialogs *ds, const struct msg *m)
{
	uint32_t did;

	if (m->party != PARTY_SAME && m->party != PARTY_SWAP &&
	    m->ruri_kept != RURI_DIALOG)
		return NULL;
	did = dialogs_by_call_id(ds, m->call_id);
	return did != NO_DIALOG ? &ds->v[did] : NULL;
}

void
dialogs_uris(const struct dialogs *ds, const struct msg *m, uint32_t id,
	     uint32_t *from, uint32_t *to, uint32_t *ruri)
{
	const struct dialog *d = dialogs_kept_with(ds, m);

	dialogs_read_party(ds, m, id, d != NULL ? d->from : 0,
			   d != NULL ? d->to : 0, from, to);
	*ruri = 0;
	if (m->ruri_kept == RURI_DIALOG && d != NULL)
		*ruri = d->ruri;
	else if (m->ruri_kept == RURI_APART)
		*ruri = apart_get(&ds->ruri, id).a;
}

/* Keeps message id's R-URI in m->ruri_kept and, when it is not its
 * dialog's (druri; no dialog: 0), in ds->ruri. */
static void
dialogs_keep_ruri(struct dialogs *ds, struct msg *m, uint32_t id,
		  uint32_t druri, uint32_t ruri)
{
	unsigned kept;

	if (ruri == 0)
		kept = RURI_NONE;
	else if (m->call_id != 0 && ruri == druri)
		kept = RURI_DIALOG;
	else
		kept = RURI_APART;
	if (kept == RURI_APART)
		apart_put(&ds->ruri, m->ruri_kept == RURI_APART, id, ruri, 0);
	else if (m->ruri_kept == RURI_APART)
		apart_del(&ds->ruri, id);
	m->ruri_kept = kept & 3;
}

/* The dialog's From and To become from and to: its earlier messages are
 * kept against the new ones. */
static void
dialog_set_party(struct dialogs *ds, struct msgindex *ix, struct dialog *d,
		 uint32_t from, uint32_t to)
{
	uint32_t f, t, id;
	struct msg *m;
	size_t i;

	if (d->from == from && d->to == to)
		return;
	for (i = 0; i < d->nmsgs; i++) {
		id = d->msgs[i];
		m = msgindex_get(ix, id);
		dialogs_read_party(ds, m, id, d->from, d->to, &f, &t);
		dialogs_keep_party(ds, m, id, from, to, f, t);
	}
	d->from = from;
	d->to = to;
}

void
dialogs_times(const struct msgindex *ix, const struct dialog *d,
	      int64_t *first, int64_t *last)
{
	const struct msg *m;
	size_t i;

	*first = *last = TIME_NONE;
	for (i = 0; i < d->nmsgs; i++) {
		m = msgindex_get(ix, d->msgs[i]);
		if (m == NULL || m->time == TIME_NONE)
			continue;
		if (*first == TIME_NONE || m->time < *first)
			*first = m->time;
		if (*last == TIME_NONE || m->time > *last)
			*last = m->time;
	}
}

static int
dialog_is_auth_challenge(uint16_t status)
{
	return status == 401 || status == 407;
}

uint32_t
dialogs_add(struct dialogs *ds, struct msgindex *ix, uint32_t id,
	    uint32_t from, uint32_t to, uint32_t ruri)
{
	struct msg *m = msgindex_get(ix, id);
	struct dialog *d;
	uint32_t did;

	if (m == NULL)
		return NO_DIALOG;
	m->party = PARTY_NONE;
	m->ruri_kept = RURI_NONE;
	if (m->call_id == 0) {
		dialogs_keep_party(ds, m, id, 0, 0, from, to);
		dialogs_keep_ruri(ds, m, id, 0, ruri);
		return NO_DIALOG;
	}
	did = dialogs_by_call_id(ds, m->call_id);
	if (did == NO_DIALOG) {
		size_t old = ds->nby;

		if (m->call_id >= ds->nby) {
			ds->by_call_id = xgrow(ds->by_call_id, &ds->nby,
					       (size_t)m->call_id + 1,
					       sizeof *ds->by_call_id);
			for (; old < ds->nby; old++)
				ds->by_call_id[old] = 0;
		}
		ds->v = xgrow(ds->v, &ds->cap, ds->n + 1, sizeof *ds->v);
		did = (uint32_t)ds->n++;
		d = &ds->v[did];
		*d = (struct dialog){ 0 };
		d->call_id = m->call_id;
		d->from = from;
		d->to = to;
		ds->by_call_id[m->call_id] = did + 1;
	}
	d = &ds->v[did];
	/* The array is full when its count is a size class. */
	if (d->nmsgs == 0) {
		d->msgs = dialog_pool_get(ds, dialog_cap(1));
	} else if (dialog_cap(d->nmsgs) == d->nmsgs) {
		uint32_t *a = dialog_pool_get(ds, dialog_cap(d->nmsgs + 1));

		memcpy(a, d->msgs, d->nmsgs * sizeof *a);
		dialog_pool_put(ds, d->msgs, d->nmsgs);
		d->msgs = a;
	}
	d->msgs[d->nmsgs++] = id;

	if (m->kind == MSG_REQUEST && d->kind == 0) {
		d->kind = m->method;
		dialog_set_party(ds, ix, d, from, to);
	}
	dialogs_keep_party(ds, m, id, d->from, d->to, from, to);
	/* The first R-URI stays the dialog's: no message is kept against
	 * another one. */
	if (d->ruri == 0)
		d->ruri = ruri;
	dialogs_keep_ruri(ds, m, id, d->ruri, ruri);
	/* Outcome: the first final answer to the initial method that is not
	 * an authentication challenge; until there is one, the last
	 * challenge. A later re-INVITE or refresh does not change it. */
	if (m->kind == MSG_RESPONSE && m->status >= 200 &&
	    (d->kind == 0 || m->method == d->kind) &&
	    !(m->flags & RECF_RETRANS)) {
		if (d->outcome == 0 || dialog_is_auth_challenge(d->outcome))
			d->outcome = m->status;
	}
	return did;
}
