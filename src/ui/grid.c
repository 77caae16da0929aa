/* grid: the cell buffer panes draw into. Text is kept as UTF-8 per cell
 * with its display width, so the blit to curses and the text dump used by
 * the golden tests see exactly the same thing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "grid.h"
#include "theme.h"
#include "util.h"

static void
grid_blank(struct grid_cell *c, int role)
{
	c->ch[0] = ' ';
	c->len = 1;
	c->width = 1;
	c->role = (uint8_t)role;
}

struct grid *
grid_new(int w, int h)
{
	struct grid *g = xcalloc(1, sizeof *g);

	grid_resize(g, w, h);
	return g;
}

void
grid_free(struct grid *g)
{
	if (g == NULL)
		return;
	free(g->cells);
	free(g);
}

void
grid_resize(struct grid *g, int w, int h)
{
	size_t i, n;

	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	free(g->cells);
	g->w = w;
	g->h = h;
	n = (size_t)w * (size_t)h;
	g->cells = xmalloc((n ? n : 1) * sizeof *g->cells);
	for (i = 0; i < n; i++)
		grid_blank(&g->cells[i], ROLE_DEFAULT);
}

struct grid_cell *
grid_cell(struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

void
grid_fill(struct grid *g, struct rect r, int role)
{
	int x, y;

	for (y = r.y; y < r.y + r.h; y++) {
		if (y < 0 || y >= g->h)
			continue;
		for (x = r.x; x < r.x + r.w; x++) {
			if (x >= 0 && x < g->w)
				grid_blank(grid_cell(g, x, y), role);
		}
	}
}

void
grid_set_role(struct grid *g, int y, int x0, int x1, int role)
{
	int x;
	struct grid_cell *c;

	for (x = x0; x < x1; x++) {
		if ((c = grid_cell(g, x, y)) != NULL)
			c->role = (uint8_t)role;
	}
}

size_t
grid_utf8_next(const char *s, size_t n, uint32_t *cp, int *width)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t len, i;
	int w;

	if (n == 0) {
		*cp = 0;
		*width = 0;
		return 0;
	}
	if (u[0] < 0x80) {
		c = u[0];
		len = 1;
	} else {
		if ((u[0] & 0xe0) == 0xc0) {
			c = u[0] & 0x1f;
			len = 2;
		} else if ((u[0] & 0xf0) == 0xe0) {
			c = u[0] & 0x0f;
			len = 3;
		} else if ((u[0] & 0xf8) == 0xf0) {
			c = u[0] & 0x07;
			len = 4;
		} else
			goto bad;
		if (len > n)
			goto bad;
		for (i = 1; i < len; i++) {
			if ((u[i] & 0xc0) != 0x80)
				goto bad;
			c = (c << 6) | (u[i] & 0x3f);
		}
		/* Overlong forms, surrogates and out of range are not text. */
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) ||
		    (len == 4 && c < 0x10000) || c > 0x10ffff ||
		    (c >= 0xd800 && c <= 0xdfff))
			goto bad;
	}
	*cp = c;
	if (c < 0x20 || c == 0x7f)
		w = 1; /* shown as '?' by grid_put */
	else if (c < 0x7f)
		w = 1;
	else {
		w = wcwidth((wchar_t)c);
		/* Unknown to the locale: give it a column rather than lose it.
		 */
		if (w < 0)
			w = 1;
	}
	*width = w;
	return len;
bad:
	*cp = 0xfffd;
	*width = 1;
	return 1;
}

int
grid_text_width(const char *s, size_t n)
{
	size_t i = 0, l;
	uint32_t cp;
	int w, total = 0;

	while (i < n) {
		l = grid_utf8_next(s + i, n - i, &cp, &w);
		total += w;
		i += l;
	}
	return total;
}

size_t
grid_text_fit(const char *s, size_t n, int cols)
{
	size_t i = 0, l;
	uint32_t cp;
	int w, used = 0;

	while (i < n) {
		l = grid_utf8_next(s + i, n - i, &cp, &w);
		if (used + w > cols)
			break;
		used += w;
		i += l;
	}
	return i;
}

int
grid_put(struct grid *g, int x, int y, int xmax, int role, const char *s,
	 size_t n)
{
	size_t i = 0, l;
	uint32_t cp;
	int w;
	struct grid_cell *c;

	if (xmax > g->w)
		xmax = g->w;
	if (y < 0 || y >= g->h)
		return x;
	while (i < n && x < xmax) {
		l = grid_utf8_next(s + i, n - i, &cp, &w);
		if (w == 0) {
			/* A combining mark joins the previous cell if room. */
			c = grid_cell(g, x - 1, y);
			if (c != NULL && c->len + l <= sizeof c->ch && l > 1) {
				memcpy(c->ch + c->len, s + i, l);
				c->len += (uint8_t)l;
			}
			i += l;
			continue;
		}
		if (x < 0) {
			x += w;
			i += l;
			continue;
		}
		c = grid_cell(g, x, y);
		if (w == 2 && x + 1 >= xmax) {
			grid_blank(c, role);
			return x + 1;
		}
		if (cp < 0x20 || cp == 0x7f || cp == 0xfffd) {
			c->ch[0] = '?';
			c->len = 1;
		} else {
			memcpy(c->ch, s + i, l);
			c->len = (uint8_t)l;
		}
		c->width = (uint8_t)w;
		c->role = (uint8_t)role;
		if (w == 2) {
			c = grid_cell(g, x + 1, y);
			c->len = 0;
			c->width = 0;
			c->role = (uint8_t)role;
		}
		x += w;
		i += l;
	}
	return x;
}

int
grid_puts(struct grid *g, int x, int y, int xmax, int role, const char *s)
{
	return grid_put(g, x, y, xmax, role, s, strlen(s));
}

int
grid_printf(struct grid *g, int x, int y, int xmax, int role, const char *fmt,
	    ...)
{
	va_list ap;
	struct strbuf sb;

	strbuf_init(&sb);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	x = grid_put(g, x, y, xmax, role, sb.buf, sb.len);
	strbuf_free(&sb);
	return x;
}

int
grid_put_log(struct grid *g, int x, int y, int xmax, int role, const char *s,
	     size_t n)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize_append(&sb, s, n, 0);
	x = grid_put(g, x, y, xmax, role, sb.buf, sb.len);
	strbuf_free(&sb);
	return x;
}

void
grid_dump(const struct grid *g, struct strbuf *sb, int roles)
{
	int x, y, end, rend;
	const struct grid_cell *c;

	for (y = 0; y < g->h; y++) {
		const struct grid_cell *row =
		    &g->cells[(size_t)y * (size_t)g->w];

		end = g->w;
		while (end > 0 && row[end - 1].len == 1 &&
		       row[end - 1].ch[0] == ' ')
			end--;
		for (x = 0; x < end; x++) {
			c = &row[x];
			if (c->len > 0)
				strbuf_add(sb, c->ch, c->len);
		}
		strbuf_addc(sb, '\n');
		if (!roles)
			continue;
		rend = g->w;
		while (rend > 0 && row[rend - 1].role == ROLE_DEFAULT)
			rend--;
		for (x = 0; x < rend; x++)
			strbuf_addc(sb, theme_role_letter(row[x].role));
		strbuf_addc(sb, '\n');
	}
}
