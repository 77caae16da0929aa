/* helpers: small functions several unit tests share. */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msgindex.h"
#include "dialog.h"
#include "rules.h"
#include "helpers.h"

size_t
test_dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
	closedir(d);
	return n;
}

void
test_mkdtemp(char *dir, const char *name)
{
	ck_assert_int_lt(snprintf(dir, 64, "/tmp/sipsnoop-%s.XXXXXX", name), 64);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

char *
test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	if (len != NULL)
		*len = sb.len;
	return strbuf_detach(&sb);
}

void
test_rm_rf(const char *dir)
{
	char cmd[128];

	ck_assert_int_lt(snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir),
			 (int)sizeof cmd);
	ck_assert_int_eq(system(cmd), 0);
}

void
test_transform_run(struct test_transform *run, const char *format,
		   const char *data, size_t len)
{
	const struct rd_format *f = reader_by_name(format);
	struct rd_record rec;

	ck_assert_ptr_nonnull(f);
	memset(run, 0, sizeof *run);
	run->r = reader_new(f, data, len);
	strbuf_init(&run->canon);
	run->rc = f->transform(run->r, &run->canon, &run->err);
	if (run->rc < 0)
		return;
	run->c = reader_new(&rd_canon_format, run->canon.buf, run->canon.len);
	while (reader_next(run->c, &rec)) {
		ck_assert_uint_lt(run->n, TEST_TRANSFORM_MAX);
		run->rec[run->n++] = rec;
	}
}

void
test_transform_done(struct test_transform *run)
{
	reader_free(run->r);
	reader_free(run->c);
	strbuf_free(&run->canon);
	free(run->err);
	memset(run, 0, sizeof *run);
}

int
stdin_from(int fd)
{
	int saved = dup(STDIN_FILENO);

	ck_assert_int_ne(saved, -1);
	ck_assert_int_ne(dup2(fd, STDIN_FILENO), -1);
	close(fd);
	return saved;
}

void
stdin_restore(int saved)
{
	ck_assert_int_ne(dup2(saved, STDIN_FILENO), -1);
	close(saved);
}

void
test_dialogs_grow(struct dialogs *ds, struct msgindex *ix, const size_t *want,
		  size_t nd)
{
	static const struct msg_kept none;
	size_t i, round, maxn = 0;
	struct msg m;
	uint32_t id;

	for (i = 0; i < nd; i++)
		maxn = want[i] > maxn ? want[i] : maxn;
	for (round = 0; round < maxn; round++) {
		for (i = 0; i < nd; i++) {
			if (round >= want[i])
				continue;
			memset(&m, 0, sizeof m);
			m.call_id = (uint32_t)i + 1;
			m.kind = MSG_REQUEST;
			m.time = (int64_t)round;
			id = msgindex_append(ix, &m, 1, 0);
			ck_assert_uint_eq(dialogs_add(ds, ix, id, &none), i);
		}
	}
}

void
test_dialogs_check(const struct dialogs *ds, const struct msgindex *ix,
		   const size_t *want, size_t nd)
{
	size_t i, k;

	ck_assert_uint_eq(dialogs_count(ds), nd);
	for (i = 0; i < nd; i++) {
		const struct dialog *d = dialogs_get(ds, (uint32_t)i);
		const uint32_t *ids = dialogs_msgs(ds, d);

		ck_assert_uint_eq(d->nmsgs, want[i]);
		ck_assert_uint_eq(dialogs_call_id(ds, ix, d), i + 1);
		for (k = 0; k < d->nmsgs; k++) {
			ck_assert_uint_eq(msgindex_get(ix, ids[k])->call_id,
					  i + 1);
			ck_assert_int_eq(msgindex_get(ix, ids[k])->time,
					 (int64_t)k);
			if (k > 0)
				ck_assert_uint_lt(ids[k - 1], ids[k]);
		}
	}
}

struct rules *
test_default_rules(void)
{
	struct strbuf errs;
	struct rules *r;

	strbuf_init(&errs);
	r = rules_load("data/rules.conf", &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf);
	strbuf_free(&errs);
	return r;
}

long
test_mapping_rss_kb(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	unsigned long lo, hi, a = (unsigned long)(uintptr_t)p;
	char line[512];
	long rss = -1;
	int in = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = lo <= a && a < hi;
		else if (in && strncmp(line, "Rss:", 4) == 0)
			rss = atol(line + 4);
	}
	fclose(f);
	return rss;
}
