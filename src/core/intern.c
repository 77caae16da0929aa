/* intern: a string table. Strings live in large arena blocks (never moved,
 * so returned pointers stay valid), each after its length; an
 * open-addressing hash of 4-byte slots (string ids, tagged with bits of
 * their hash) maps bytes to ids; ids index an array of locations, 4 bytes
 * a string. Most lookups are answered by a small cache of recent strings
 * before the hash is probed. */
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

struct intern {
	uint32_t *locs;			/* by id (see INTERN_FAR); 0 is "" */
	size_t nstrs, caplocs;
	uint32_t *slots;		/* intern_slot(), 0 when free */
	/* The slots are filled to three quarters at most, and grow by half:
	 * between half and three quarters full, not three eighths as a
	 * power of two would be (1.6 bytes a message less at 100 MB). */
	size_t nslots;
	uint32_t idmask;		/* the bits of a slot for an id */
	unsigned idbits;		/* how many */
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

/* The bytes before a string of n: its length in one byte below 255, else
 * 255 after the length in four. */
static inline size_t
intern_prefix(size_t n)
{
	return n < 255 ? 1 : 5;
}

/* The length of the stored string at p (not id 0's). */
static inline size_t
intern_len_at(const char *p)
{
	unsigned char c = (unsigned char)p[-1];
	uint32_t n;

	if (c < 255)
		return c;
	memcpy(&n, p - 5, sizeof n);
	return n;
}

/* Sets the slots' size (ids below it) and the bits an id takes there. */
static void
intern_size_slots(struct intern *t, size_t n)
{
	t->nslots = n;
	t->idbits = 1;
	while (t->idbits < 32 && ((size_t)1 << t->idbits) <= n)
		t->idbits++;
	t->idmask = (uint32_t)(((uint64_t)1 << t->idbits) - 1);
}

struct intern *
intern_new(void)
{
	struct intern *t = xcalloc(1, sizeof *t);

	intern_size_slots(t, 1024);
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	t->locs = xgrow(NULL, &t->caplocs, 64, sizeof *t->locs);
	/* locs[0] is "", far[0] holds it (intern_str() knows its length). */
	t->far = xgrow(NULL, &t->capfar, 16, sizeof *t->far);
	t->far[t->nfar++] = (char *)"";
	t->locs[0] = INTERN_FAR;
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
		free(t->far[i] - intern_prefix(intern_len_at(t->far[i])));
	free(t->blocks);
	free(t->far);
	free(t->slots);
	free(t->locs);
	free(t);
}

static inline const char *
intern_at(const struct intern *t, uint32_t loc)
{
	if (loc & INTERN_FAR)
		return t->far[loc & ~INTERN_FAR];
	return t->blocks[loc >> INTERN_BLOCK_BITS] + (loc & (INTERN_BLOCK - 1));
}

/* Copies n bytes at p after their length (intern_prefix) and with a NUL
 * after them; sets *loc to where. */
static const char *
intern_store(struct intern *t, const char *p, size_t n, uint32_t *loc)
{
	size_t pre = intern_prefix(n), size = pre + n + 1;
	char *dst;

	if (size > INTERN_BLOCK / 2 ||
	    (size > t->curleft && t->nblocks == INTERN_MAX_BLOCKS)) {
		t->far = xgrow(t->far, &t->capfar, t->nfar + 1, sizeof *t->far);
		dst = (char *)xmalloc(size) + pre;
		*loc = INTERN_FAR | (uint32_t)t->nfar;
		t->far[t->nfar++] = dst;
	} else {
		if (size > t->curleft) {
			t->blocks = xgrow(t->blocks, &t->capblocks,
					  t->nblocks + 1, sizeof *t->blocks);
			t->cur = t->blocks[t->nblocks++] =
			    xmalloc(INTERN_BLOCK);
			t->curleft = INTERN_BLOCK;
		}
		dst = t->cur + pre;
		*loc = (uint32_t)(t->nblocks - 1) << INTERN_BLOCK_BITS |
		       (uint32_t)(INTERN_BLOCK - t->curleft + pre);
		t->cur += size;
		t->curleft -= size;
	}
	if (pre == 1) {
		dst[-1] = (char)n;
	} else {
		uint32_t n32 = (uint32_t)n;

		dst[-1] = (char)255;
		memcpy(dst - 5, &n32, sizeof n32);
	}
	memcpy(dst, p, n);
	dst[n] = '\0';
	return dst;
}

/* A slot: the string's id in the bits of idmask (there are fewer strings
 * than slots), and above them the low bits of its hash (a tag: a probe
 * reads the string only when they match, not for every string in its way;
 * the first slot looked at comes from the high bits, intern_home). Never 0
 * for a string: ids start at 1. */
static inline uint32_t
intern_slot(const struct intern *t, uint32_t h, uint32_t id)
{
	return (uint32_t)((uint64_t)h << t->idbits) | id;
}

/* The id in slot value v. */
static inline uint32_t
intern_slot_id(const struct intern *t, uint32_t v)
{
	return v & t->idmask;
}

/* The first slot for hash h. */
static inline size_t
intern_home(const struct intern *t, uint32_t h)
{
	return (size_t)(((uint64_t)h * t->nslots) >> 32);
}

static void
intern_rehash(struct intern *t)
{
	size_t i, j;
	uint32_t h;
	const char *s;

	free(t->slots);
	intern_size_slots(t, t->nslots + t->nslots / 2);
	/* Zeroed by writing, not calloc(): a calloc'd large block is the
	 * kernel's zero page until written, and every probe that reads a
	 * slot first and writes it later would fault twice, the second time
	 * flushing the TLB of the other indexing thread. */
	t->slots = xmalloc(t->nslots * sizeof *t->slots);
	memset(t->slots, 0, t->nslots * sizeof *t->slots);
	for (i = 1; i < t->nstrs; i++) {
		/* Hashed again: an entry does not keep it. */
		s = intern_at(t, t->locs[i]);
		h = intern_hash(s, intern_len_at(s));
		j = intern_home(t, h);
		while (t->slots[j] != 0)
			j = j + 1 < t->nslots ? j + 1 : 0;
		t->slots[j] = intern_slot(t, h, (uint32_t)i);
	}
}

/* The slot of n bytes at p (hash h): theirs, or the free one to take.
 * Only a slot whose tag matches leads to its entry and bytes. */
static size_t
intern_find(const struct intern *t, const char *p, size_t n, uint32_t h)
{
	size_t j = intern_home(t, h);
	uint32_t tag = intern_slot(t, h, 0), v;
	const char *s;

	while ((v = t->slots[j]) != 0) {
		if ((v & ~t->idmask) == tag) {
			s = intern_at(t, t->locs[intern_slot_id(t, v)]);
			if (intern_len_at(s) == n && memcmp(s, p, n) == 0)
				return j;
		}
		j = j + 1 < t->nslots ? j + 1 : 0;
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
		rc->p = intern_at(t, t->locs[id]);
		rc->n = (uint32_t)n;
		rc->id = id;
		return id;
	}
	id = (uint32_t)t->nstrs;
	t->locs = xgrow(t->locs, &t->caplocs, t->nstrs + 1, sizeof *t->locs);
	rc->p = intern_store(t, p, n, &t->locs[id]);
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
	const char *s;

	if (id == 0 || id >= t->nstrs) {
		if (len != NULL)
			*len = 0;
		return "";
	}
	s = intern_at(t, t->locs[id]);
	if (len != NULL)
		*len = intern_len_at(s);
	return s;
}

uint32_t
intern_count(const struct intern *t)
{
	return (uint32_t)t->nstrs;
}
