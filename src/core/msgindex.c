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

/* An entry's method is a byte, a code of methods (CODETAB_FULL: in the
 * map apart, a log of more methods than that). A length of LEN_APART or
 * more is kept apart too. */
#define MSGINDEX_LEN_APART 0xffff

struct msgindex {
	struct msg **blocks;
	size_t nblocks, capblocks;
	size_t count;
	struct codetab methods;
	struct idmap method_apart;	/* id -> method */
	struct idmap len_apart;		/* id -> length */
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
	idmap_free(&ix->method_apart);
	idmap_free(&ix->len_apart);
	free(ix);
}

void
msgindex_set(struct msgindex *ix, uint32_t id, uint32_t method, uint32_t len)
{
	struct msg *m = msgindex_get(ix, id);

	m->mcode = codetab_code(&ix->methods, method);
	if (m->mcode == CODETAB_FULL)
		idmap_put(&ix->method_apart, id, method);
	m->len16 = len < MSGINDEX_LEN_APART ? (uint16_t)len :
					      MSGINDEX_LEN_APART;
	if (m->len16 == MSGINDEX_LEN_APART)
		idmap_put(&ix->len_apart, id, len);
}

uint32_t
msgindex_method(const struct msgindex *ix, uint32_t id)
{
	const struct msg *m = msgindex_get(ix, id);

	if (m->mcode == CODETAB_FULL)
		return idmap_get(&ix->method_apart, id);
	return codetab_id(&ix->methods, m->mcode);
}

uint32_t
msgindex_code_method(const struct msgindex *ix, uint8_t code)
{
	return codetab_id(&ix->methods, code);
}

uint32_t
msgindex_len(const struct msgindex *ix, uint32_t id)
{
	const struct msg *m = msgindex_get(ix, id);

	if (m->len16 == MSGINDEX_LEN_APART)
		return idmap_get(&ix->len_apart, id);
	return m->len16;
}

uint32_t
msgindex_append(struct msgindex *ix, const struct msg *m, uint32_t method,
		uint32_t len)
{
	size_t b = ix->count >> MSGINDEX_BLOCK_SHIFT;

	if (b == ix->nblocks) {
		ix->blocks = xgrow(ix->blocks, &ix->capblocks, b + 1,
				   sizeof *ix->blocks);
		ix->blocks[b] = xmalloc(MSGINDEX_BLOCK * sizeof(struct msg));
		ix->nblocks++;
	}
	ix->blocks[b][ix->count & (MSGINDEX_BLOCK - 1)] = *m;
	ix->count++;
	msgindex_set(ix, (uint32_t)(ix->count - 1), method, len);
	return (uint32_t)(ix->count - 1);
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
	int64_t *last = xmalloc((MSG_FILES + 1) * sizeof *last);
	struct idmap method_apart = ix->method_apart, len_apart = ix->len_apart;

	/* Per file, the last time seen. */
	for (i = 0; i <= MSG_FILES; i++)
		last[i] = TIME_NONE + 1;
	for (i = 0; i < n; i++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)i);
		int64_t t = m->time;

		if (t == TIME_NONE)
			t = last[m->file];
		else
			last[m->file] = t;
		keys[i].time = t;
		keys[i].file = m->file;
		keys[i].old = (uint32_t)i;
		copy[i] = *m;
	}
	qsort(keys, n, sizeof *keys, msgindex_key_cmp);
	/* What is kept apart is kept by id: it moves with its entry. */
	memset(&ix->method_apart, 0, sizeof ix->method_apart);
	memset(&ix->len_apart, 0, sizeof ix->len_apart);
	for (i = 0; i < n; i++) {
		struct msg *m = msgindex_get(ix, (uint32_t)i);

		perm[i] = keys[i].old;
		*m = copy[keys[i].old];
		if (m->mcode == CODETAB_FULL)
			idmap_put(&ix->method_apart, (uint32_t)i,
				  idmap_get(&method_apart, perm[i]));
		if (m->len16 == MSGINDEX_LEN_APART)
			idmap_put(&ix->len_apart, (uint32_t)i,
				  idmap_get(&len_apart, perm[i]));
	}
	idmap_free(&method_apart);
	idmap_free(&len_apart);
	free(last);
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
