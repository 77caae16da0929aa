/* helpers: small functions several unit tests share (linked into each). */
#ifndef SIPSNOOP_TEST_HELPERS_H
#define SIPSNOOP_TEST_HELPERS_H

#include <stddef.h>

/* Entries in directory dir, "." and ".." aside (the test fails when dir
 * cannot be opened). */
size_t test_dir_entries(const char *dir);

/* Makes a new directory /tmp/sipsnoop-NAME.XXXXXX into dir (64 bytes). */
void test_mkdtemp(char *dir, const char *name);
/* Removes dir and everything in it. */
void test_rm_rf(const char *dir);

#endif
