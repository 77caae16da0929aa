/* helpers: small functions several unit tests share. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void
test_rm_rf(const char *dir)
{
	char cmd[128];

	ck_assert_int_lt(snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir),
			 (int)sizeof cmd);
	ck_assert_int_eq(system(cmd), 0);
}
