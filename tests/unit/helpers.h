/* helpers: small functions several unit tests share (linked into each). */
#ifndef SIPSNOOP_TEST_HELPERS_H
#define SIPSNOOP_TEST_HELPERS_H

#include <stddef.h>

#include "util.h"
#include "reader.h"

/* Entries in directory dir, "." and ".." aside (the test fails when dir
 * cannot be opened). */
size_t test_dir_entries(const char *dir);

/* Makes a new directory /tmp/sipsnoop-NAME.XXXXXX into dir (64 bytes). */
void test_mkdtemp(char *dir, const char *name);
/* Removes dir and everything in it. */
void test_rm_rf(const char *dir);

/* The bytes of the file at path, with a NUL after them (malloc'ed, the
 * length in *len when len is not NULL), or NULL when it cannot be read. */
char *test_slurp(const char *path, size_t *len);

/* The project's default rules (data/rules.conf; the test fails when they
 * do not load). */
struct rules;
struct rules *test_default_rules(void);

/* The resident kB of the mapping that holds p (/proc/self/smaps), or -1. */
long test_mapping_rss_kb(const void *p);

/* Makes fd standard input (closing fd); returns a copy of the one it
 * replaced, for stdin_restore(). */
int stdin_from(int fd);
void stdin_restore(int saved);

/* A transform format's records (ngrep, syslog): its canonical output
 * read back, at most TEST_TRANSFORM_MAX records (the test fails beyond). */
#define TEST_TRANSFORM_MAX 16
struct test_transform {
	struct reader *r;	/* over the input */
	struct reader *c;	/* over canon */
	struct strbuf canon;
	struct rd_record rec[TEST_TRANSFORM_MAX];
	size_t n;
	int rc;			/* the transform's */
	char *err;
};
/* Converts the len bytes at data as format and reads the records back
 * (none when the transform fails: rc and err say why). */
void test_transform_run(struct test_transform *run, const char *format,
			const char *data, size_t len);
void test_transform_done(struct test_transform *run);

struct dialogs;
struct msgindex;
/* Grows dialogs 0 .. nd - 1 of ds in turns, a message each a turn until
 * dialog i has want[i]: message k of dialog i has Call-ID i + 1 and time
 * k (each growth frees an array another dialog may reuse). */
void test_dialogs_grow(struct dialogs *ds, struct msgindex *ix,
		       const size_t *want, size_t nd);
/* Checks that each dialog test_dialogs_grow() made lists exactly its own
 * messages, in order. */
void test_dialogs_check(const struct dialogs *ds, const struct msgindex *ix,
			const size_t *want, size_t nd);

#endif
