/* spill: output that moves to a temporary file once it grows large. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"
#include "spill.h"

void
spill_init(struct spill *s, const char *dir, size_t chunk)
{
	memset(s, 0, sizeof *s);
	s->dir = dir != NULL ? xstrdup(dir) : NULL;
	s->chunk = chunk > 0 ? chunk : 1;
	s->fd = -1;
}

void
spill_free(struct spill *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->dir);
	s->dir = NULL;
	free(s->err);
	s->err = NULL;
}

void
spill_discard(struct spill *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->written = 0;
}

/* Stops spilling: what is written stays in the file, the rest on the
 * heap. */
static void
spill_stop(struct spill *s, char *why)
{
	if (s->err == NULL)
		s->err = why;
	else
		free(why);
	free(s->dir);
	s->dir = NULL;
}

/* An anonymous file in s->dir: never linked where possible, else unlinked
 * at once. */
static int
spill_open(const char *dir)
{
	char *tmpl;
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	tmpl = xasprintf("%s/sipsnoop-XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	free(tmpl);
	return fd;
}

/* Appends buf's bytes to the file; on failure keeps in buf what was not
 * written and stops spilling. */
static void
spill_write(struct spill *s, struct strbuf *buf)
{
	size_t done = 0;
	ssize_t n;

	if (s->fd < 0 && (s->fd = spill_open(s->dir)) < 0) {
		spill_stop(s, xasprintf("cannot create a temporary file in "
		    "%s (%s): kept in memory", s->dir, strerror(errno)));
		return;
	}
	while (done < buf->len) {
		n = write(s->fd, buf->buf + done, buf->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			spill_stop(s, xasprintf("cannot write a temporary file "
			    "in %s (%s): the rest kept in memory", s->dir,
			    n < 0 ? strerror(errno) : "no space written"));
			break;
		}
		done += (size_t)n;
	}
	s->written += done;
	memmove(buf->buf, buf->buf + done, buf->len - done);
	buf->len -= done;
}

void
spill_maybe(struct spill *s, struct strbuf *buf)
{
	if (s != NULL && s->dir != NULL && buf->len >= s->chunk)
		spill_write(s, buf);
}

/* Reads the file's bytes back into a heap buffer followed by buf's. */
static int
spill_gather(struct spill *s, struct strbuf *buf, char **data, size_t *len,
	     char **err)
{
	size_t total = s->written + buf->len, done = 0;
	char *p = malloc(total + 1);
	ssize_t n;

	if (p == NULL) {
		*err = xasprintf("out of memory gathering %zu converted bytes",
		    total);
		return -1;
	}
	while (done < s->written) {
		n = pread(s->fd, p + done, s->written - done, (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = xasprintf("cannot read back a temporary file: %s",
			    n < 0 ? strerror(errno) : "it is shorter");
			free(p);
			return -1;
		}
		done += (size_t)n;
	}
	memcpy(p + s->written, buf->buf, buf->len);
	p[total] = '\0';
	*data = p;
	*len = total;
	return 0;
}

int
spill_finish(struct spill *s, struct strbuf *buf, char **data, size_t *len,
	     int *mapped, char **note, char **err)
{
	void *map;
	int rc = 0;

	*note = NULL;
	*mapped = 0;
	if (s == NULL || s->fd < 0) {
		/* Never written out (or never could be). */
		*len = buf->len;
		*data = strbuf_detach(buf);
		if (s != NULL) {
			*note = s->err;
			s->err = NULL;
		}
		return 0;
	}
	if (buf->len > 0 && s->dir != NULL)
		spill_write(s, buf);
	if (buf->len == 0 && s->err == NULL) {
		map = mmap(NULL, s->written, PROT_READ, MAP_SHARED, s->fd, 0);
		if (map != MAP_FAILED) {
			/* The engine reads it once from start to end. */
			(void)madvise(map, s->written, MADV_SEQUENTIAL);
			*data = map;
			*len = s->written;
			*mapped = 1;
			goto done;
		}
		spill_stop(s, xasprintf("cannot map a temporary file (%s): "
		    "converted output kept in memory", strerror(errno)));
	}
	rc = spill_gather(s, buf, data, len, err);
	if (rc == 0)
		*note = s->err;	/* the error says it all otherwise */
	else
		free(s->err);
	s->err = NULL;
done:
	close(s->fd);
	s->fd = -1;
	s->written = 0;
	strbuf_free(buf);
	return rc;
}

int
spill_append(int fd, const char *p, size_t n, size_t at, char **err)
{
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, p, n, (off_t)at);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*err = xstrdup(w < 0 ? strerror(errno) :
					       "no space written");
			return -1;
		}
		p += w;
		n -= (size_t)w;
		at += (size_t)w;
	}
	return 0;
}

int
spill_grow_new(const char *dir, const char *p, size_t n, const char *q,
	       size_t m, char **map, char **err)
{
	char *why = NULL;
	void *mp = MAP_FAILED;
	int fd = spill_open(dir);

	if (fd < 0) {
		*err = xasprintf("cannot create a temporary file in %s (%s)",
				 dir, strerror(errno));
		return -1;
	}
	if (n + m == 0)
		why = xstrdup("nothing to write");
	else if (spill_append(fd, p, n, 0, &why) == 0 &&
		 spill_append(fd, q, m, n, &why) == 0) {
		mp = mmap(NULL, n + m, PROT_READ, MAP_SHARED, fd, 0);
		if (mp != MAP_FAILED) {
			*map = mp;
			return fd;
		}
		*err = xasprintf("cannot map a temporary file in %s (%s)",
				 dir, strerror(errno));
		close(fd);
		return -1;
	}
	*err = xasprintf("cannot write a temporary file in %s (%s)", dir, why);
	free(why);
	close(fd);
	return -1;
}
