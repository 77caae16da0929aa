/* pane: what every pane shares — dispatch through its ops table, the
 * heading line, and drawing text with search matches highlighted. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "msgindex.h"
#include "pane.h"
#include "theme.h"
#include "util.h"

void
pane_free(struct pane *p)
{
	if (p == NULL)
		return;
	if (p->ops->free != NULL)
		p->ops->free(p);
	free(p);
}

void
pane_draw(struct pane *p, struct grid *g, struct rect r)
{
	if (r.w <= 0 || r.h <= 0) {
		p->rows = 0;
		return;
	}
	p->ops->draw(p, g, r);
}

int
pane_action(struct pane *p, enum action a)
{
	if (p->ops->action == NULL)
		return RE_NONE;
	return p->ops->action(p, a);
}

int
pane_click(struct pane *p, int x, int y)
{
	if (p->ops->click == NULL)
		return RE_NONE;
	return p->ops->click(p, x, y);
}

struct rect
pane_heading(struct pane *p, struct grid *g, struct rect r, const char *title,
	     const char *info)
{
	int role = p->focused ? ROLE_PANE_TITLE_FOCUS : ROLE_PANE_TITLE;
	int x, iw;
	struct rect c = r;

	grid_fill(g, (struct rect){r.x, r.y, r.w, 1}, role);
	x = grid_puts(g, r.x + 1, r.y, r.x + r.w, role, title);
	if (info != NULL && *info != '\0') {
		iw = grid_text_width(info, strlen(info));
		/* Info goes right-aligned, and only when it fits after the
		 * title: the title says which pane this is. */
		if (r.x + r.w - 1 - iw > x + 1)
			grid_puts(g, r.x + r.w - 1 - iw, r.y, r.x + r.w, role,
				  info);
	}
	c.y++;
	c.h--;
	grid_fill(g, c, ROLE_DEFAULT);
	return c;
}

int
pane_put_match(struct grid *g, int x, int y, int xmax, int role, const char *s,
	       size_t n, const char *needle)
{
	struct span hay = {s, n};
	size_t nlen, mlen, pos = 0;
	long at;

	if (needle == NULL || *needle == '\0')
		return grid_put(g, x, y, xmax, role, s, n);
	nlen = strlen(needle);
	while (pos < n && x < xmax) {
		hay.p = s + pos;
		hay.n = n - pos;
		at = span_ufind(hay, needle, nlen, &mlen);
		if (at < 0 || mlen == 0) {
			x = grid_put(g, x, y, xmax, role, s + pos, n - pos);
			break;
		}
		x = grid_put(g, x, y, xmax, role, s + pos, (size_t)at);
		x = grid_put(g, x, y, xmax, ROLE_MATCH, s + pos + at, mlen);
		pos += (size_t)at + mlen;
	}
	return x;
}

/* Whether the safe text t ends in a port (":5061"). */
static int
pane_has_port(const char *t, size_t n)
{
	size_t i = n;

	while (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9')
		i--;
	return i < n && i > 0 && t[i - 1] == ':';
}

int
pane_put_cut(struct grid *g, int x, int y, int w, int role, const char *s,
	     size_t n, const char *needle, int fill, int addr)
{
	struct strbuf sb;
	size_t fit, off;
	int end = x + w;

	if (w <= 0)
		return x;
	strbuf_init(&sb);
	sanitize_append(&sb, s, n, 0);
	if (grid_text_width(sb.buf, sb.len) <= w)
		x = pane_put_match(g, x, y, end, role, sb.buf, sb.len, needle);
	else if (addr && w > 1 && pane_has_port(sb.buf, sb.len)) {
		/* The shortest tail that fits after the '~', from a
		 * character's first byte: the width of what is left, less
		 * each character's as the start passes it (once over the
		 * text, not once at each byte). */
		int rest = grid_text_width(sb.buf, sb.len), cw;
		uint32_t cp;

		for (off = 0; off < sb.len && rest > w - 1; rest -= cw)
			off += grid_utf8_next(sb.buf + off, sb.len - off, &cp,
					      &cw);
		x = grid_puts(g, x, y, end, role, "~");
		x = pane_put_match(g, x, y, end, role, sb.buf + off,
				   sb.len - off, needle);
	} else {
		fit = grid_text_fit(sb.buf, sb.len, w - 1);
		x = pane_put_match(g, x, y, end, role, sb.buf, fit, needle);
		x = grid_puts(g, x, y, end, role, "~");
	}
	strbuf_free(&sb);
	if (fill)
		x = end;
	return x;
}

void
pane_msg_ends(const struct engine *e, uint32_t id, const struct msg *m,
	      const char **src, const char **dst)
{
	uint32_t isrc, idst;

	engine_msg_ends(e, id, &isrc, &idst);
	*src = engine_str(e, isrc);
	*dst = engine_str(e, idst);
	if (m->kind == MSG_DIAG && (**src == '\0') != (**dst == '\0')) {
		if (**src == '\0')
			*src = *dst;
		*dst = NULL;
		return;
	}
	/* An event that names no end is the logging server's own, on whose
	 * column the flow shows it: no arrow between two unknowns. */
	if (m->kind == MSG_DIAG && **src == '\0' && **dst == '\0') {
		*src = engine_local_name(e, m->file);
		if (**src == '\0')
			*src = "-";
		*dst = NULL;
		return;
	}
	if (**src == '\0')
		*src = "?";
	if (**dst == '\0')
		*dst = "?";
}

int
pane_text_width(const char *s, size_t n)
{
	struct strbuf sb;
	size_t i;
	int w;

	/* Printable ASCII, as most of a log is: a column a byte. */
	for (i = 0; i < n && (unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] < 0x7f; i++)
		;
	if (i == n)
		return n > INT_MAX ? INT_MAX : (int)n;
	strbuf_init(&sb);
	sanitize_append(&sb, s, n, 0);
	w = grid_text_width(sb.buf, sb.len);
	strbuf_free(&sb);
	return w;
}
