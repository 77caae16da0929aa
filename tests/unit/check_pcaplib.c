/* Unit test of how libpcap is found (rd_pcap.c, included here with other
 * settings): without the name configure could not learn, the usual names
 * are tried in the directory pkg-config gave before the loader's path. */
#include <check.h>
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef SIPSNOOP_HAVE_PCAP
#undef SIPSNOOP_PCAP_SONAME
#undef SIPSNOOP_PCAP_LIBDIR
/* Relative: the test works in a directory of its own. */
#define SIPSNOOP_PCAP_LIBDIR "."
#include "../../src/core/rd_pcap.c"

/* Copies file from to to; 0 or -1. */
static int
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;
	int rc = 0;

	if (in == NULL || out == NULL)
		rc = -1;
	while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Whether this process has a file mapped whose path is path. */
static int
mapped(const char *path)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[1024];
	int found = 0;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof line, f) != NULL)
		found = strstr(line, path) != NULL;
	fclose(f);
	return found;
}

/* The system's libpcap, copied into the directory under the first name
 * of the list: it is the one loaded, not the one of the loader's path. */
START_TEST(test_libdir_without_soname)
{
	char dir[] = "/tmp/check_pcaplib.XXXXXX", *copy;
	struct link_map *lm = NULL;
	char *sys;
	void *h;

	h = dlopen("libpcap.so.1", RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		h = dlopen("libpcap.so.0.8", RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "no libpcap here");
	ck_assert_int_eq(dlinfo(h, RTLD_DI_LINKMAP, &lm), 0);
	sys = strdup(lm->l_name);
	dlclose(h);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	copy = xasprintf("%s/libpcap.so.1", dir);
	ck_assert_int_eq(copy_file(sys, copy), 0);
	unsetenv("SIPSNOOP_LIBPCAP");

	pthread_once(&rd_pcap_lib_once, rd_pcap_lib_load);
	ck_assert_str_eq(rd_pcap_lib.why, "");
	ck_assert_ptr_nonnull(rd_pcap_lib.fopen_offline);
	ck_assert_msg(mapped(copy), "%s is not the one loaded", copy);
	unlink(copy);
	rmdir(dir);
	free(copy);
	free(sys);
}
END_TEST
#endif

int
main(void)
{
	Suite *s = suite_create("pcaplib");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

#ifdef SIPSNOOP_HAVE_PCAP
	tcase_add_test(tc, test_libdir_without_soname);
#endif
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
