/* msgindex: message entries in fixed-size blocks, so that the index can
 * grow while readers hold entries; ids are the only way callers name a
 * message. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "msgindex.h"

#define MSGINDEX_BLOCK_SHIFT 16
#define MSGINDEX_BLOCK (1u << MSGINDEX_BLOCK_SHIFT)

struct msgindex {
	struct msg **blocks;
	size_t nblocks, capblocks;
	size_t count;
};

struct msgindex *
msgindex_new(void)
{
	return xcalloc(1, sizeof(struct msgindex));
}

void
msgindex_free(struct msgindex *ix)
{
	size_t i;

	if (ix == NULL)
		return;
	for (i = 0; i < ix->nblocks; i++)
		free(ix->blocks[i]);
	free(ix->blocks);
	free(ix);
}

uint32_t
msgindex_append(struct msgindex *ix, const struct msg *m)
{
	size_t b = ix->count >> MSGINDEX_BLOCK_SHIFT;

	if (b == ix->nblocks) {
		ix->blocks = xgrow(ix->blocks, &ix->capblocks, b + 1,
				   sizeof *ix->blocks);
		ix->blocks[b] = xmalloc(MSGINDEX_BLOCK * sizeof(struct msg));
		ix->nblocks++;
	}
	ix->blocks[b][ix->count & (MSGINDEX_BLOCK - 1)] = *m;
	return (uint32_t)ix->count++;
}

size_t
msgindex_count(const struct msgindex *ix)
{
	return ix->count;
}

struct msg *
msgindex_get(const struct msgindex *ix, uint32_t id)
{
	if (id >= ix->count)
		return NULL;
	return &ix->blocks[id >> MSGINDEX_BLOCK_SHIFT][id & (MSGINDEX_BLOCK - 1)];
}

/* Sort key: a message without a time sorts as the last timed message of
 * its file before it, so it stays next to its neighbours. */
struct msgindex_key {
	int64_t time;
	uint32_t file;
	uint32_t old;
};

static int
msgindex_key_cmp(const void *a, const void *b)
{
	const struct msgindex_key *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->old < y->old ? -1 : x->old > y->old;
}

uint32_t *
msgindex_sort_by_time(struct msgindex *ix)
{
	size_t n = ix->count, i;
	struct msgindex_key *keys = xmalloc((n ? n : 1) * sizeof *keys);
	struct msg *copy = xmalloc((n ? n : 1) * sizeof *copy);
	uint32_t *perm = xmalloc((n ? n : 1) * sizeof *perm);
	int64_t last[65536 / 64];
	uint16_t lastfile[65536 / 64];
	size_t nlast = 0, k;

	/* Per file, the last time seen (files are few: a linear probe). */
	for (i = 0; i < n; i++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)i);
		int64_t t = m->time;

		for (k = 0; k < nlast && lastfile[k] != m->file; k++)
			;
		if (k == nlast && nlast < sizeof last / sizeof last[0]) {
			lastfile[nlast] = m->file;
			last[nlast++] = INT64_MIN + 1;
		}
		if (k < nlast) {
			if (t == TIME_NONE)
				t = last[k];
			else
				last[k] = t;
		}
		keys[i].time = t;
		keys[i].file = m->file;
		keys[i].old = (uint32_t)i;
		copy[i] = *m;
	}
	qsort(keys, n, sizeof *keys, msgindex_key_cmp);
	for (i = 0; i < n; i++) {
		perm[i] = keys[i].old;
		*msgindex_get(ix, (uint32_t)i) = copy[keys[i].old];
	}
	free(keys);
	free(copy);
	return perm;
}

static const char *const msgindex_sev_names[SEV__COUNT] = {
	"none", "info", "ok", "benign", "warning", "error",
};

const char *
severity_name(enum severity s)
{
	if ((unsigned)s >= SEV__COUNT)
		return "none";
	return msgindex_sev_names[s];
}

int
severity_from_name(const char *s, size_t n)
{
	int i;

	for (i = 0; i < SEV__COUNT; i++) {
		if (strlen(msgindex_sev_names[i]) == n &&
		    strncasecmp(msgindex_sev_names[i], s, n) == 0)
			return i;
	}
	return -1;
}
