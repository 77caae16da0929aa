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

#include <signal.h>

#include "source.h"
#include "util.h"

/* Mapped files another process truncates while we read them would kill us
 * with SIGBUS. The guard (source_guard()) maps zero pages over the part of
 * the mapping that vanished and marks the source, so the readers see the
 * rest as empty bytes and the engine tells the user. */
struct source_map {
	const char *p;
	size_t n;
	struct source *src;
};

static struct source_map *source_maps;
static size_t source_nmaps, source_capmaps;
static long source_pagesize;
static struct sigaction source_old_bus;

static void
source_sigbus(int sig, siginfo_t *si, void *ctx)
{
	uintptr_t a = (uintptr_t)si->si_addr, page, end;
	size_t i;

	(void)ctx;
	for (i = 0; i < source_nmaps; i++) {
		const struct source_map *m = &source_maps[i];

		if (a < (uintptr_t)m->p || a >= (uintptr_t)m->p + m->n)
			continue;
		page = a & ~((uintptr_t)source_pagesize - 1);
		end = (uintptr_t)m->p + m->n;
		if (mmap((void *)page, end - page, PROT_READ,
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) ==
		    MAP_FAILED)
			break;
		m->src->truncated = 1;
		return;
	}
	/* Not ours: behave as if there were no handler. */
	sigaction(sig, &source_old_bus, NULL);
	raise(sig);
}

int
source_guard(void)
{
	struct sigaction sa;

	source_pagesize = sysconf(_SC_PAGESIZE);
	if (source_pagesize <= 0)
		source_pagesize = 4096;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = source_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, &source_old_bus);
}

static void
source_map_add(struct source *src)
{
	source_maps = xgrow(source_maps, &source_capmaps, source_nmaps + 1,
	    sizeof *source_maps);
	source_maps[source_nmaps].p = src->data;
	source_maps[source_nmaps].n = src->len;
	source_maps[source_nmaps].src = src;
	source_nmaps++;
}

static void
source_map_remove(const struct source *src)
{
	size_t i;

	for (i = 0; i < source_nmaps; i++) {
		if (source_maps[i].src == src) {
			source_maps[i] = source_maps[--source_nmaps];
			break;
		}
	}
	if (source_nmaps == 0) {
		free(source_maps);
		source_maps = NULL;
		source_capmaps = 0;
	}
}

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
	/* /dev/zero and friends never end; a terminal on stdin is fine. */
	if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) &&
	    !(fd == STDIN_FILENO && isatty(fd))) {
		*err = xasprintf("%s: is a device, not a log file", name);
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
			source_map_add(src);
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
	if (src->mapped) {
		source_map_remove(src);
		munmap((void *)src->data, src->len);
	}
	else
		free((void *)src->data);
	free(src->path);
	free(src);
}
