/* source: brings one input into memory read-only. Plain files are mapped
 * (MAP_PRIVATE, PROT_READ) so a multi-GB log costs no copy; pipes, stdin
 * and other unmappable files are read fully into a buffer. */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "util.h"

/* Reads fd to its end into a new buffer; returns 0 or -1 with errno set. */
static int
source_read_all(int fd, char **out, size_t *outlen)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (cap - len < 65536)
			buf = xgrow(buf, &cap, len + 65536, 1);
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

struct source *
source_open(const char *path, char **err)
{
	struct source *src;
	struct stat st;
	const char *name;
	char *buf;
	size_t len;
	void *map;
	int fd, saved;

	*err = NULL;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		name = "standard input";
	} else {
		name = path;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1) {
			*err = xasprintf("%s: %s", path, strerror(errno));
			return NULL;
		}
	}
	if (fstat(fd, &st) == -1) {
		saved = errno;
		*err = xasprintf("%s: %s", name, strerror(saved));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s: is a directory", name);
		goto fail;
	}

	src = xcalloc(1, sizeof *src);
	src->path = xstrdup(path);
	if (S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size <= (uintmax_t)SIZE_MAX) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (map != MAP_FAILED) {
			/* The readers scan forward once. */
			madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
			src->data = map;
			src->len = (size_t)st.st_size;
			src->mapped = 1;
			if (fd != STDIN_FILENO)
				close(fd);
			return src;
		}
		/* Some file systems cannot map; fall back to reading. */
	}
	if (source_read_all(fd, &buf, &len) == -1) {
		saved = errno;
		*err = xasprintf("%s: %s", name, strerror(saved));
		source_free(src);
		goto fail;
	}
	src->data = buf;
	src->len = len;
	if (fd != STDIN_FILENO)
		close(fd);
	return src;

fail:
	if (fd != STDIN_FILENO)
		close(fd);
	return NULL;
}

struct source *
source_from_mem(const char *name, const char *data, size_t len)
{
	struct source *src;
	char *copy;

	src = xcalloc(1, sizeof *src);
	src->path = xstrdup(name);
	/* One spare byte so an empty source still has a valid pointer. */
	copy = xmalloc(len + 1);
	if (len != 0)
		memcpy(copy, data, len);
	copy[len] = '\0';
	src->data = copy;
	src->len = len;
	return src;
}

void
source_free(struct source *src)
{
	if (src == NULL)
		return;
	if (src->mapped)
		munmap((void *)src->data, src->len);
	else
		free((void *)src->data);
	free(src->path);
	free(src);
}
