/* intern: a string table. Strings live in large arena blocks (never moved,
 * so returned pointers stay valid); an open-addressing hash of 4-byte
 * slots (string ids, tagged with bits of their hash) maps bytes to ids;
 * ids index an array of (location, length), 8 bytes a string. Most
 * lookups are answered by a small cache of recent strings before the hash
 * is probed. */
#include <string.h>
#include <stdlib.h>

#include "util.h"
#include "intern.h"

#define INTERN_BLOCK_BITS 18
#define INTERN_BLOCK (1u << INTERN_BLOCK_BITS)
/* A location is a block number above an offset in it, or INTERN_FAR above
 * an index in far[]: a string too long to share a block, or any string
 * once the blocks fill the numbers a location has room for (2 GiB). */
#define INTERN_FAR 0x80000000u
#ifndef INTERN_MAX_BLOCKS	/* a test sets fewer */
#define INTERN_MAX_BLOCKS (INTERN_FAR >> INTERN_BLOCK_BITS)
#endif
#define INTERN_RECENT_BITS 10
#define INTERN_RECENT (1u << INTERN_RECENT_BITS)

struct intern_str {
	uint32_t loc;		/* see INTERN_FAR */
	uint32_t n;
};

struct intern {
	struct intern_str *strs;	/* by id; strs[0] is "" */
	size_t nstrs, capstrs;
	uint32_t *slots;		/* intern_slot(), 0 when free */
	size_t nslots;			/* power of two */
	char **blocks;
	size_t nblocks, capblocks;
	char **far;			/* strings stored on their own */
	size_t nfar, capfar;
	char *cur;			/* free space in the last block */
	size_t curleft;
	/* Strings recently added or found, by a hash of their ends: most
	 * of a message's strings (its dialog's, the local end, methods)
	 * were seen a few messages earlier, and this small table answers
	 * them from cache instead of hashing every byte and probing. */
	struct intern_recent {
		const char *p;		/* the stored copy */
		uint32_t n;
		uint32_t id;
	} recent[INTERN_RECENT];
};

static uint32_t
intern_hash(const char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* Slot in recent[] for n bytes at p: their length and the eight bytes at
 * each end (overlapping for short strings), never all of them. */
static size_t
intern_recent_slot(const char *p, size_t n)
{
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, p, 4);
		memcpy(&y, p + n - 4, 4);
		a = x;
		b = y;
	} else {
		a = (unsigned char)p[0];
		b = (unsigned char)p[n - 1] | (uint64_t)(unsigned char)p[n / 2] << 8;
	}
	a = (a ^ (b * 0x9e3779b97f4a7c15ULL) ^ n) * 0xff51afd7ed558ccdULL;
	return (size_t)(a >> (64 - INTERN_RECENT_BITS));
}

struct intern *
intern_new(void)
{
	struct intern *t = xcalloc(1, sizeof *t);

	t->nslots = 1024;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	t->strs = xgrow(NULL, &t->capstrs, 64, sizeof *t->strs);
	/* strs[0] is "", far[0] holds it. */
	t->far = xgrow(NULL, &t->capfar, 16, sizeof *t->far);
	t->far[t->nfar++] = (char *)"";
	t->strs[0].loc = INTERN_FAR;
	t->strs[0].n = 0;
	t->nstrs = 1;
	return t;
}

void
intern_free(struct intern *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nblocks; i++)
		free(t->blocks[i]);
	for (i = 1; i < t->nfar; i++)
		free(t->far[i]);
	free(t->blocks);
	free(t->far);
	free(t->slots);
	free(t->strs);
	free(t);
}

static inline const char *
intern_at(const struct intern *t, uint32_t loc)
{
	if (loc & INTERN_FAR)
		return t->far[loc & ~INTERN_FAR];
	return t->blocks[loc >> INTERN_BLOCK_BITS] + (loc & (INTERN_BLOCK - 1));
}

/* Copies n bytes at p with a NUL after them; sets *loc to where. */
static const char *
intern_store(struct intern *t, const char *p, size_t n, uint32_t *loc)
{
	char *dst;

	if (n + 1 > INTERN_BLOCK / 2 ||
	    (n + 1 > t->curleft && t->nblocks == INTERN_MAX_BLOCKS)) {
		t->far = xgrow(t->far, &t->capfar, t->nfar + 1, sizeof *t->far);
		dst = xmalloc(n + 1);
		*loc = INTERN_FAR | (uint32_t)t->nfar;
		t->far[t->nfar++] = dst;
	} else {
		if (n + 1 > t->curleft) {
			t->blocks = xgrow(t->blocks, &t->capblocks,
					  t->nblocks + 1, sizeof *t->blocks);
			t->cur = t->blocks[t->nblocks++] =
			    xmalloc(INTERN_BLOCK);
			t->curleft = INTERN_BLOCK;
		}
		dst = t->cur;
		*loc = (uint32_t)(t->nblocks - 1) << INTERN_BLOCK_BITS |
		       (uint32_t)(INTERN_BLOCK - t->curleft);
		t->cur += n + 1;
		t->curleft -= n + 1;
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return dst;
}

/* A slot: the string's id in the bits below the table's size (there are
 * fewer strings than slots), and above them the same bits of its hash (a
 * tag: a probe reads the entry only when they match, not for every string
 * in its way). Never 0 for a string: ids start at 1. */
static inline uint32_t
intern_slot(const struct intern *t, uint32_t h, uint32_t id)
{
	uint32_t mask = (uint32_t)(t->nslots - 1);

	return (h & ~mask) | id;
}

/* The id in slot value v. */
static inline uint32_t
intern_slot_id(const struct intern *t, uint32_t v)
{
	return v & (uint32_t)(t->nslots - 1);
}

static void
intern_rehash(struct intern *t)
{
	size_t i, j, mask;
	uint32_t h;

	free(t->slots);
	t->nslots *= 2;
	mask = t->nslots - 1;
	/* Zeroed by writing, not calloc(): a calloc'd large block is the
	 * kernel's zero page until written, and every probe that reads a
	 * slot first and writes it later would fault twice, the second time
	 * flushing the TLB of the other indexing thread. */
	t->slots = xmalloc(t->nslots * sizeof *t->slots);
	memset(t->slots, 0, t->nslots * sizeof *t->slots);
	for (i = 1; i < t->nstrs; i++) {
		/* Hashed again: an entry does not keep it. */
		h = intern_hash(intern_at(t, t->strs[i].loc), t->strs[i].n);
		j = h & mask;
		while (t->slots[j] != 0)
			j = (j + 1) & mask;
		t->slots[j] = intern_slot(t, h, (uint32_t)i);
	}
}

/* The slot of n bytes at p (hash h): theirs, or the free one to take.
 * Only a slot whose tag matches leads to its entry and bytes. */
static size_t
intern_find(const struct intern *t, const char *p, size_t n, uint32_t h)
{
	size_t mask = t->nslots - 1, j = h & mask;
	uint32_t tag = intern_slot(t, h, 0), v;
	const struct intern_str *s;

	while ((v = t->slots[j]) != 0) {
		if ((v & ~(uint32_t)mask) == tag) {
			s = &t->strs[intern_slot_id(t, v)];
			if (s->n == n &&
			    memcmp(intern_at(t, s->loc), p, n) == 0)
				return j;
		}
		j = (j + 1) & mask;
	}
	return j;
}

uint32_t
intern_add(struct intern *t, const char *p, size_t n)
{
	struct intern_recent *rc;
	uint32_t h, id;
	size_t j;

	if (n == 0)
		return 0;
	if (n > UINT32_MAX - 1)
		n = UINT32_MAX - 1;
	rc = &t->recent[intern_recent_slot(p, n)];
	if (rc->n == n && rc->p != NULL && memcmp(rc->p, p, n) == 0)
		return rc->id;
	h = intern_hash(p, n);
	j = intern_find(t, p, n, h);
	if (t->slots[j] != 0) {
		id = intern_slot_id(t, t->slots[j]);
		rc->p = intern_at(t, t->strs[id].loc);
		rc->n = (uint32_t)n;
		rc->id = id;
		return id;
	}
	id = (uint32_t)t->nstrs;
	t->strs = xgrow(t->strs, &t->capstrs, t->nstrs + 1, sizeof *t->strs);
	rc->p = intern_store(t, p, n, &t->strs[id].loc);
	t->strs[id].n = (uint32_t)n;
	t->nstrs++;
	t->slots[j] = intern_slot(t, h, id);
	rc->n = (uint32_t)n;
	rc->id = id;
	if (t->nstrs * 4 > t->nslots * 3)
		intern_rehash(t);
	return id;
}

uint32_t
intern_lookup(const struct intern *t, const char *p, size_t n)
{
	size_t j;

	if (n == 0)
		return 0;
	j = intern_find(t, p, n, intern_hash(p, n));
	return intern_slot_id(t, t->slots[j]);
}

const char *
intern_str(const struct intern *t, uint32_t id, size_t *len)
{
	if (id >= t->nstrs)
		id = 0;
	if (len != NULL)
		*len = t->strs[id].n;
	return intern_at(t, t->strs[id].loc);
}

uint32_t
intern_count(const struct intern *t)
{
	return (uint32_t)t->nstrs;
}
