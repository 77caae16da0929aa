/* dialog: messages grouped by Call-ID, each group with a running summary
 * (kind, parties, times, outcome). Interned Call-ID ids are dense, so a
 * plain array maps them to dialogs. */
#include <stdlib.h>

#include "util.h"
#include "reader.h"
#include "dialog.h"

struct dialogs {
	struct dialog *v;
	size_t n, cap;
	uint32_t *by_call_id;	/* call_id -> dialog id + 1, 0 = none */
	size_t nby;
};

struct dialogs *
dialogs_new(void)
{
	return xcalloc(1, sizeof(struct dialogs));
}

void
dialogs_free(struct dialogs *ds)
{
	size_t i;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->n; i++)
		free(ds->v[i].msgs);
	free(ds->v);
	free(ds->by_call_id);
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

static int
dialog_is_auth_challenge(uint16_t status)
{
	return status == 401 || status == 407;
}

uint32_t
dialogs_add(struct dialogs *ds, struct msgindex *ix, uint32_t id)
{
	struct msg *m = msgindex_get(ix, id);
	struct dialog *d;
	uint32_t did;

	if (m == NULL)
		return NO_DIALOG;
	if (m->call_id == 0)
		return NO_DIALOG;
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
		d->first = d->last = TIME_NONE;
		d->from = m->from;
		d->to = m->to;
		ds->by_call_id[m->call_id] = did + 1;
	}
	d = &ds->v[did];
	/* Most dialogs are short and there are many: no capacity field,
	 * the array doubles when its count reaches a power of two. */
	if (d->nmsgs == 0)
		d->msgs = xmalloc(4 * sizeof *d->msgs);
	else if (d->nmsgs >= 4 && (d->nmsgs & (d->nmsgs - 1)) == 0)
		d->msgs = xrealloc(d->msgs, 2 * d->nmsgs * sizeof *d->msgs);
	d->msgs[d->nmsgs++] = id;

	if (m->time != TIME_NONE) {
		if (d->first == TIME_NONE || m->time < d->first)
			d->first = m->time;
		if (d->last == TIME_NONE || m->time > d->last)
			d->last = m->time;
	}
	if (m->kind == MSG_REQUEST && d->kind == 0) {
		d->kind = m->method;
		d->from = m->from;
		d->to = m->to;
	}
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
