/* flow_render: a flow model as text lines (UTF-8 box drawing or ASCII),
 * the ladder batch --flow prints, or as a standalone SVG document. Pure:
 * appends to a strbuf and prints nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "flow.h"
#include "engine.h"

/* ---- text ------------------------------------------------------------- */

enum glyph {
	G_VLINE,		/* lifeline */
	G_HLINE,		/* arrow shaft */
	G_CROSS,		/* shaft over a lifeline */
	G_RIGHT,		/* arrow heads */
	G_LEFT,
	G_SELF_OUT,		/* self arrow: ├ ─ ┐ then │ ◀ ─ ┘ */
	G_SELF_TOP,
	G_SELF_BOT,
	G_NOTE,			/* bullet of a diagnostic note */
	G_ELLIPSIS,
	G__COUNT
};

static const uint32_t flow_glyph_utf8[G__COUNT] = {
	0x2502, 0x2500, 0x253c, 0x25b6, 0x25c0, 0x251c, 0x2510, 0x2518, 0x25c6,
	0x2026,
};
static const uint32_t flow_glyph_ascii[G__COUNT] = {
	'|', '-', '+', '>', '<', '+', '.', '\'', '*', '~',
};

struct canvas {
	uint32_t *cells;	/* code points, 0 for blank, CELL_CONT for the
				 * right half of a wide character */
	uint32_t *marks;	/* a combining mark kept with each cell, or 0 */
	int w;
	const uint32_t *g;	/* glyph table */
	int widest;		/* cells of the longest line emitted */
};

#define CELL_CONT 0xfffffffeu

static void
canvas_clear(struct canvas *c)
{
	memset(c->cells, 0, (size_t)c->w * sizeof *c->cells);
	memset(c->marks, 0, (size_t)c->w * sizeof *c->marks);
}

/* Puts cp (width 1 or 2) at x. Half of a wide character that is
 * overwritten leaves a blank, so that lines never shift. */
static void
canvas_put_w(struct canvas *c, int x, uint32_t cp, int wide)
{
	int k;

	for (k = 0; k <= wide; k++) {
		if (x + k < 0 || x + k >= c->w)
			return;
		if (c->cells[x + k] == CELL_CONT && x + k > 0)
			c->cells[x + k - 1] = ' ';
		if (x + k + 1 < c->w && c->cells[x + k + 1] == CELL_CONT)
			c->cells[x + k + 1] = ' ';
	}
	c->cells[x] = cp;
	c->marks[x] = 0;
	if (wide) {
		c->cells[x + 1] = CELL_CONT;
		c->marks[x + 1] = 0;
	}
}

static void
canvas_put(struct canvas *c, int x, uint32_t cp)
{
	canvas_put_w(c, x, cp, 0);
}

static uint32_t
canvas_get(const struct canvas *c, int x)
{
	return x >= 0 && x < c->w ? c->cells[x] : 0;
}

/* Lifelines of every column. */
static void
canvas_lifelines(struct canvas *c, const int *xs, size_t ncols)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		canvas_put(c, xs[i], c->g[G_VLINE]);
}

static uint32_t
utf8_next(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	uint32_t cp;
	size_t len, k;

	if (p[0] < 0x80)
		len = 1, cp = p[0];
	else if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else
		len = 4, cp = p[0] & 0x07;
	if (*i + len > n)
		len = n - *i;
	for (k = 1; k < len; k++)
		cp = (cp << 6) | (p[k] & 0x3f);
	*i += len;
	return cp;
}

/* Terminal cells of a code point: 0 for combining marks, 2 for East Asian
 * wide and emoji, else 1. The core has no locale to ask wcwidth(); these
 * ranges cover what log text holds. */
static int
cp_width(uint32_t cp)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
		{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
		{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff },
		{ 0x1dc0, 0x1dff }, { 0x200b, 0x200d }, { 0x20d0, 0x20ff },
		{ 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	};
	static const uint32_t two[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
	};
	size_t i;

	if (cp < 0x300)
		return 1;
	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (i = 0; i < sizeof two / sizeof two[0]; i++)
		if (cp >= two[i][0] && cp <= two[i][1])
			return 2;
	return 1;
}

/* Cells s takes on a terminal. */
static size_t
utf8_width(const char *s)
{
	size_t n = strlen(s), i = 0, w = 0;

	while (i < n)
		w += (size_t)cp_width(utf8_next(s, n, &i));
	return w;
}

/* The room a row's label asks between two columns, lo < hi: an arrow
 * crosses them, a self arrow (lo == hi) has it before the next column. */
struct flow_need {
	int lo, hi, need;
};

static int
flow_need_cmp(const void *a, const void *b)
{
	const struct flow_need *x = a, *y = b;

	if (x->hi - x->lo != y->hi - y->lo)
		return x->hi - x->lo < y->hi - y->lo ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->need > y->need ? -1 : x->need < y->need;
}

int
flow_label_gap(const struct flow *fl, const struct flow_row *r, const int *x,
	       int xlo, int xhi)
{
	int step, k, best = -1, bw = 0, l, h;

	if (r->kind != FLOW_ARROW || r->from == r->to)
		return -1;
	/* From the gap at the arrow's start towards its head, so that of
	 * equally wide gaps the first one it leaves through wins. */
	step = r->from < r->to ? 1 : -1;
	for (k = r->from < r->to ? r->from : r->from - 1;
	     k >= 0 && (size_t)k + 1 < fl->ncols &&
	     (step > 0 ? k < r->to : k >= r->to); k += step) {
		l = x[k] > xlo ? x[k] : xlo;
		h = x[k + 1] < xhi ? x[k + 1] : xhi;
		if (best == -1 || h - l > bw) {
			best = k;
			bw = h - l;
		}
	}
	return best;
}

int
flow_layout(const struct flow *fl, int gap, int num, int den, int pad,
	    int self, int *x)
{
	struct flow_need *nd = xmalloc((fl->nrows + 1) * sizeof *nd);
	int *g, right = gap - gap / 2, wide, k, need;
	size_t i, n = 0;

	if (fl->ncols == 0) {
		free(nd);
		return 0;
	}
	g = xmalloc(fl->ncols * sizeof *g);
	for (i = 0; i < fl->ncols; i++)
		g[i] = gap;
	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];

		if (r->kind != FLOW_ARROW)
			continue;
		need = (int)utf8_width(r->label) * num / den;
		if (r->from == r->to) {
			need += self;
			if ((size_t)r->from + 1 == fl->ncols) {
				if (need > right)
					right = need;
				continue;
			}
			nd[n].lo = r->from;
			nd[n].hi = r->from + 1;
		} else {
			need += pad;
			nd[n].lo = r->from < r->to ? r->from : r->to;
			nd[n].hi = r->from < r->to ? r->to : r->from;
		}
		nd[n++].need = need;
	}
	qsort(nd, n, sizeof *nd, flow_need_cmp);
	for (i = 0; i < n; i++) {
		if (i > 0 && nd[i].lo == nd[i - 1].lo &&
		    nd[i].hi == nd[i - 1].hi)
			continue;	/* the widest comes first */
		/* The label goes between two lifelines, never over one (a
		 * label centred on an arrow across several columns hid those
		 * in between): its widest gap, widened when it is short. */
		for (wide = nd[i].lo, k = nd[i].lo + 1; k < nd[i].hi; k++)
			if (g[k] > g[wide])
				wide = k;
		if (g[wide] < nd[i].need)
			g[wide] = nd[i].need;
	}
	x[0] = gap / 2;
	for (i = 1; i < fl->ncols; i++)
		x[i] = x[i - 1] + g[i - 1];
	free(g);
	free(nd);
	return x[fl->ncols - 1] + right;
}

/* Writes s at x in at most max cells, ending with an ellipsis when cut.
 * Labels are sanitised UTF-8; in ASCII mode every other character becomes
 * '?' (a wide one "??", so that both modes lay out alike). */
static void
canvas_text(struct canvas *c, int x, const char *s, int max, int ascii)
{
	size_t n = strlen(s), i = 0;
	int k = 0, cut = (int)utf8_width(s) > max, cw, room;
	uint32_t cp;

	if (max <= 0)
		return;
	room = cut ? max - 1 : max;
	while (i < n) {
		cp = utf8_next(s, n, &i);
		cw = cp_width(cp);
		if (cw == 0) {
			/* A combining mark stays with the cell before. */
			if (!ascii && k > 0 && x + k - 1 >= 0 &&
			    x + k - 1 < c->w && c->marks[x + k - 1] == 0 &&
			    c->cells[x + k - 1] != CELL_CONT)
				c->marks[x + k - 1] = cp;
			continue;
		}
		if (k + cw > room)
			break;
		if (ascii && cp >= 0x80) {
			canvas_put(c, x + k, '?');
			if (cw == 2)
				canvas_put(c, x + k + 1, '?');
		} else
			canvas_put_w(c, x + k, cp, cw == 2);
		k += cw;
	}
	if (cut)
		canvas_put(c, x + k, c->g[G_ELLIPSIS]);
}

static void
utf8_put(struct strbuf *out, uint32_t cp)
{
	char b[4];

	strbuf_add(out, b, utf8_encode(cp, b));
}

static void
canvas_emit(struct canvas *c, const char *left, struct strbuf *out)
{
	int end = c->w, x;

	while (end > 0 && c->cells[end - 1] == 0)
		end--;
	strbuf_adds(out, left);
	if ((int)strlen(left) + end > c->widest)
		c->widest = (int)strlen(left) + end;	/* left is ASCII */
	for (x = 0; x < end; x++) {
		if (c->cells[x] == CELL_CONT)
			continue;
		utf8_put(out, c->cells[x] != 0 ? c->cells[x] : ' ');
		if (c->marks[x] != 0)
			utf8_put(out, c->marks[x]);
	}
	/* Lines that end in blanks keep no trailing spaces. */
	if (end == 0)
		while (out->len > 0 && out->buf[out->len - 1] == ' ')
			out->buf[--out->len] = '\0';
	strbuf_addc(out, '\n');
}

/* Cells the name of column k may take: less than the distance to the
 * nearest column on its header line (every stride-th), the whole width
 * for a column alone on it. */
static int
flow_hdr_room(const int *xs, size_t n, size_t k, size_t stride, int w)
{
	int room = w + 1;

	if (k >= stride)
		room = xs[k] - xs[k - stride];
	if (k + stride < n && xs[k + stride] - xs[k] < room)
		room = xs[k + stride] - xs[k];
	return room - 1;
}

int
flow_render_text(const struct flow *fl, const struct flow_render_opts *o,
		 struct strbuf *out)
{
	const uint32_t *g = o->utf8 ? flow_glyph_utf8 : flow_glyph_ascii;
	int ascii = !o->utf8, *xs, leftw = 0, tw = 0, dw = 0, w, x, need, len;
	int gap;
	char tbuf[64], dbuf[32], date[16], prevdate[16] = "", *left, *lpad;
	struct canvas c;
	size_t i, k;

	if (fl->ncols == 0)
		return 0;
	if (o->times) {
		for (i = 0; i < fl->nrows; i++) {
			flow_row_time(&fl->rows[i], tbuf, sizeof tbuf);
			flow_row_delta(&fl->rows[i], dbuf, sizeof dbuf);
			if ((int)strlen(tbuf) > tw)
				tw = (int)strlen(tbuf);
			if ((int)strlen(dbuf) > dw)
				dw = (int)strlen(dbuf);
		}
		if (tw > 0)
			leftw = tw + 1 + (dw > 0 ? dw + 1 : 0);
	}
	w = o->width - leftw;
	xs = xmalloc(fl->ncols * sizeof *xs);
	/* The gap --width gives, widened where a label asks for more: an
	 * arrow's label keeps a blank either side between its lifelines, a
	 * self arrow's ends a blank before the next. */
	gap = w / (int)fl->ncols;
	if (gap < FLOW_MIN_GAP)
		gap = FLOW_MIN_GAP;
	need = flow_layout(fl, gap, 1, 1, 3, 6, xs);
	if (fl->ncols == 1) {
		/* A lone column at the left, with room for its name: what is
		 * drawn beside it (notes, loops) goes to its right. */
		int x0 = flow_left_x((int)utf8_width(fl->cols[0].name));

		if (x0 < xs[0])
			xs[0] = x0;
	}
	if (need > w)
		w = need;
	c.w = w;
	c.g = g;
	c.widest = 0;
	c.cells = xcalloc((size_t)w + 1, sizeof *c.cells);
	c.marks = xcalloc((size_t)w + 1, sizeof *c.marks);
	left = xmalloc((size_t)leftw + 64);
	lpad = xmalloc((size_t)leftw + 1);
	memset(lpad, ' ', (size_t)leftw);
	lpad[leftw] = '\0';

	/* Headers: names centred on their lifelines. Names wider than the
	 * room between their neighbours go on two lines, every other column
	 * on the second, so that each has twice the room. */
	{
		int rows = 1, row, max;

		for (k = 0; k < fl->ncols && fl->ncols > 1; k++)
			if ((int)utf8_width(fl->cols[k].name) >
			    flow_hdr_room(xs, fl->ncols, k, 1, w))
				rows = 2;
		for (row = 0; row < rows; row++) {
			int end = -1;	/* the last name's end on this line */

			canvas_clear(&c);
			for (k = (size_t)row; k < fl->ncols; k += (size_t)rows) {
				max = flow_hdr_room(xs, fl->ncols, k,
				    (size_t)rows, w);
				len = (int)utf8_width(fl->cols[k].name);
				if (len > max)
					len = max;
				x = xs[k] - len / 2;
				if (x < 0)
					x = 0;
				if (x + len > w)
					x = w - len > 0 ? w - len : 0;
				/* A space after the name before it, which a
				 * name kept from the right edge or wider on
				 * the side of a narrower gap ran into: then
				 * cut short (canvas_text marks it). */
				if (end >= 0 && x <= end) {
					x = end + 1;
					if (x + len > w)
						len = w - x;
				}
				if (len <= 0)
					continue;
				canvas_text(&c, x, fl->cols[k].name, len,
				    ascii);
				end = x + len;
			}
			canvas_emit(&c, lpad, out);
		}
	}
	canvas_clear(&c);
	canvas_lifelines(&c, xs, fl->ncols);
	canvas_emit(&c, lpad, out);

	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];

		if (o->times) {
			flow_row_day(r, date, sizeof date);
			if (date[0] != '\0' && strcmp(date, prevdate) != 0) {
				/* A change of day gets a line of its own. */
				canvas_clear(&c);
				canvas_lifelines(&c, xs, fl->ncols);
				snprintf(left, (size_t)leftw + 64, "%-*s",
				    leftw, date);
				canvas_emit(&c, left, out);
				memcpy(prevdate, date, sizeof prevdate);
			}
			flow_row_time(r, tbuf, sizeof tbuf);
			flow_row_delta(r, dbuf, sizeof dbuf);
			if (leftw > 0)
				snprintf(left, (size_t)leftw + 64, "%-*s %*s ",
				    tw, tbuf, dw, dbuf);
			else
				left[0] = '\0';
			if (dw == 0 && leftw > 0)
				snprintf(left, (size_t)leftw + 64, "%-*s ",
				    tw, tbuf);
		} else
			left[0] = '\0';

		if (r->kind == FLOW_NOTE) {
			canvas_clear(&c);
			canvas_lifelines(&c, xs, fl->ncols);
			x = xs[r->from];
			len = (int)utf8_width(r->label);
			if (len <= w - x - 4 || x <= w - x) {
				/* Right of its lifeline. */
				canvas_put(&c, x + 2, g[G_NOTE]);
				canvas_text(&c, x + 4, r->label, w - x - 4,
				    ascii);
			} else {
				/* Left of it, ending at the lifeline. */
				int start = x - 3 - len;

				if (start < 0)
					start = 0;
				canvas_text(&c, start, r->label, x - 3 - start,
				    ascii);
				canvas_put(&c, x - 2, g[G_NOTE]);
			}
			canvas_emit(&c, left, out);
			continue;
		}
		if (r->self) {
			x = xs[r->from];
			canvas_clear(&c);
			canvas_lifelines(&c, xs, fl->ncols);
			canvas_put(&c, x, g[G_SELF_OUT]);
			canvas_put(&c, x + 1, g[G_HLINE]);
			canvas_put(&c, x + 2, g[G_HLINE]);
			canvas_put(&c, x + 3, g[G_SELF_TOP]);
			/* The layout left room for it before the next
			 * column. */
			canvas_text(&c, x + 5, r->label, w - x - 5, ascii);
			canvas_emit(&c, lpad, out);
			canvas_clear(&c);
			canvas_lifelines(&c, xs, fl->ncols);
			canvas_put(&c, x + 1, g[G_LEFT]);
			canvas_put(&c, x + 2, g[G_HLINE]);
			canvas_put(&c, x + 3, g[G_SELF_BOT]);
			canvas_emit(&c, left, out);
			continue;
		}
		/* Arrow: the label line then the shaft, lifelines on both. */
		{
			int a = xs[r->from], b = xs[r->to];
			int lo = a < b ? a : b, hi = a < b ? b : a;
			int gk = flow_label_gap(fl, r, xs, 0, w);
			int glo = xs[gk], span = xs[gk + 1] - glo - 1;

			/* Centred between the two lifelines of the widest gap
			 * the arrow crosses, which the layout made as wide as
			 * the label and a blank either side. */
			len = (int)utf8_width(r->label);
			canvas_clear(&c);
			canvas_lifelines(&c, xs, fl->ncols);
			canvas_text(&c, glo + 1 + (span - len) / 2, r->label,
			    span, ascii);
			canvas_emit(&c, lpad, out);

			canvas_clear(&c);
			canvas_lifelines(&c, xs, fl->ncols);
			for (x = lo + 1; x < hi; x++)
				canvas_put(&c, x, canvas_get(&c, x) ==
				    g[G_VLINE] ? g[G_CROSS] : g[G_HLINE]);
			if (b > a)
				canvas_put(&c, hi - 1, g[G_RIGHT]);
			else
				canvas_put(&c, lo + 1, g[G_LEFT]);
			canvas_emit(&c, left, out);
		}
	}
	free(lpad);
	free(left);
	free(c.cells);
	free(c.marks);
	free(xs);
	return c.widest;
}

/* ---- SVG -------------------------------------------------------------- */

void
flow_render_xml_escape(struct strbuf *out, const char *s, size_t n)
{
	struct strbuf clean;
	size_t i;

	strbuf_init(&clean);
	sanitize_append(&clean, s, n, 0);
	for (i = 0; i < clean.len; i++) {
		unsigned char ch = (unsigned char)clean.buf[i];

		switch (ch) {
		case '&':
			strbuf_adds(out, "&amp;");
			break;
		case '<':
			strbuf_adds(out, "&lt;");
			break;
		case '>':
			strbuf_adds(out, "&gt;");
			break;
		case '"':
			strbuf_adds(out, "&quot;");
			break;
		case '\'':
			strbuf_adds(out, "&apos;");
			break;
		case 0xef:
			/* U+FFFE and U+FFFF are not XML characters. */
			if (i + 2 < clean.len &&
			    (unsigned char)clean.buf[i + 1] == 0xbf &&
			    ((unsigned char)clean.buf[i + 2] == 0xbe ||
			    (unsigned char)clean.buf[i + 2] == 0xbf)) {
				strbuf_addf(out, "\\u%s", (unsigned char)
				    clean.buf[i + 2] == 0xbe ? "fffe" : "ffff");
				i += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			strbuf_addc(out, (char)ch);
			break;
		}
	}
	strbuf_free(&clean);
}

/* The message text line by line: line breaks are kept, everything else
 * goes through the sanitiser. */
static void
flow_svg_text(struct strbuf *out, struct span s)
{
	size_t i = 0, j;

	while (i < s.n) {
		j = i;
		while (j < s.n && s.p[j] != '\n')
			j++;
		flow_render_xml_escape(out, s.p + i,
		    j > i && s.p[j - 1] == '\r' ? j - i - 1 : j - i);
		if (j < s.n)
			strbuf_addc(out, '\n');
		i = j + 1;
	}
}

static const char *const flow_svg_sev[] = {
	"none", "info", "ok", "benign", "warning", "error",
};

#define SVG_LEFT	190	/* time column */
#define SVG_TOP		70	/* below the headers */
#define SVG_ROW		34
#define SVG_CHAR	7.2	/* monospace 12px advance, roughly */
#define SVG_CHAR10	72	/* the same, in tenths of a pixel */
#define SVG_GAP		180	/* the narrowest spacing of two columns */

void
flow_render_svg(const struct flow *fl, const struct engine *e,
		struct strbuf *out)
{
	size_t i, k, len;
	int width, height, y, x1, x2, x, *xs, gk;
	char tbuf[64], dbuf[32];

	/* Columns SVG_GAP apart, or as far as an arrow's label needs (10
	 * pixels either side; a self arrow's after its loop). */
	xs = xmalloc((fl->ncols > 0 ? fl->ncols : 1) * sizeof *xs);
	width = fl->ncols > 0 ? flow_layout(fl, SVG_GAP, SVG_CHAR10, 10, 20,
	    46, xs) : SVG_GAP;
	width += SVG_LEFT + 200;
	/* And wide enough for every note, drawn from its column rightwards
	 * (their boxes were cut off at the canvas's edge). */
	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];

		if (r->kind != FLOW_NOTE)
			continue;
		x = SVG_LEFT + xs[r->from] + 8 +
		    (int)((double)utf8_width(r->label) * SVG_CHAR) + 12 + 10;
		if (x > width)
			width = x;
	}
	height = SVG_TOP + SVG_ROW * (int)fl->nrows + 40;

	strbuf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"monospace\" font-size=\"12\">\n",
	    width, height, width, height);
	strbuf_adds(out, "<title>sipsnoop flow</title>\n<style>\n"
	    ".hdr rect { fill: #eef2f7; stroke: #556; }\n"
	    ".life { stroke: #99a; stroke-dasharray: 4 3; }\n"
	    ".time { fill: #555; }\n"
	    ".arrow line, .arrow path { stroke-width: 1.5; fill: none; }\n"
	    ".arrow:hover text.label { font-weight: bold; }\n"
	    ".sev-none { stroke: #333; fill: #333; }\n"
	    ".sev-info { stroke: #1565c0; fill: #1565c0; }\n"
	    ".sev-ok { stroke: #2e7d32; fill: #2e7d32; }\n"
	    ".sev-benign { stroke: #607d8b; fill: #607d8b; }\n"
	    ".sev-warning { stroke: #e65100; fill: #e65100; }\n"
	    ".sev-error { stroke: #c62828; fill: #c62828; }\n"
	    "text { stroke: none; }\n"
	    ".note rect { fill: #fff8e1; stroke: #c9a227; }\n"
	    "</style>\n<defs>\n");
	for (k = 0; k < sizeof flow_svg_sev / sizeof flow_svg_sev[0]; k++)
		strbuf_addf(out, "<marker id=\"head-%s\" class=\"sev-%s\" "
		    "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
		    "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
		    "<path d=\"M0,0 L10,5 L0,10 z\"/></marker>\n",
		    flow_svg_sev[k], flow_svg_sev[k]);
	strbuf_adds(out, "</defs>\n");

	/* The day of the first time, above the times, when the log gives
	 * one: a log's first day, given as a time of day alone, has none
	 * (the day of a later row would stand over the times before it). */
	for (i = 0; i < fl->nrows; i++) {
		if (fl->rows[i].time == TIME_NONE)
			continue;
		flow_row_day(&fl->rows[i], tbuf, sizeof tbuf);
		if (tbuf[0] != '\0')
			strbuf_addf(out, "<text class=\"time\" x=\"10\" "
			    "y=\"29\">%s</text>\n", tbuf);
		break;
	}
	for (k = 0; k < fl->ncols; k++) {
		x = SVG_LEFT + xs[k];
		strbuf_addf(out, "<g class=\"hdr\"><rect x=\"%d\" y=\"10\" "
		    "width=\"%d\" height=\"28\" rx=\"4\"/>"
		    "<text x=\"%d\" y=\"29\" text-anchor=\"middle\">",
		    x - (SVG_GAP - 20) / 2, SVG_GAP - 20, x);
		flow_render_xml_escape(out, fl->cols[k].name,
		    strlen(fl->cols[k].name));
		strbuf_addf(out, "</text></g>\n<line class=\"life\" x1=\"%d\" "
		    "y1=\"38\" x2=\"%d\" y2=\"%d\"/>\n", x, x, height - 10);
	}

	for (i = 0; i < fl->nrows; i++) {
		const struct flow_row *r = &fl->rows[i];
		const char *sev = r->severity < sizeof flow_svg_sev /
		    sizeof flow_svg_sev[0] ? flow_svg_sev[r->severity] : "none";

		y = SVG_TOP + (int)i * SVG_ROW + 20;
		x1 = SVG_LEFT + xs[r->from];
		x2 = SVG_LEFT + xs[r->to];
		strbuf_addf(out, "<g class=\"%s sev-%s\" data-id=\"%u\">"
		    "<title>", r->kind == FLOW_NOTE ? "note" : "arrow", sev,
		    r->id);
		flow_svg_text(out, engine_record_text(e, r->id));
		strbuf_adds(out, "</title>");
		flow_row_time(r, tbuf, sizeof tbuf);
		flow_row_delta(r, dbuf, sizeof dbuf);
		strbuf_addf(out, "<text class=\"time\" x=\"10\" y=\"%d\">%s"
		    "%s%s</text>", y, tbuf, dbuf[0] != '\0' ? " " : "", dbuf);
		if (r->kind == FLOW_NOTE) {
			len = utf8_width(r->label);
			strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
			    "height=\"20\" rx=\"3\"/><text x=\"%d\" y=\"%d\">",
			    x1 + 8, y - 15, (int)((double)len * SVG_CHAR) + 12,
			    x1 + 14, y);
			flow_render_xml_escape(out, r->label, strlen(r->label));
			strbuf_adds(out, "</text></g>\n");
			continue;
		}
		gk = flow_label_gap(fl, r, xs, 0, width);
		if (r->self)
			strbuf_addf(out, "<path d=\"M%d,%d h30 v12 h-30\" "
			    "marker-end=\"url(#head-%s)\"/>"
			    "<text class=\"label\" x=\"%d\" y=\"%d\">",
			    x1, y - 6, sev, x1 + 36, y + 2);
		else
			strbuf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" "
			    "y2=\"%d\" marker-end=\"url(#head-%s)\"/>"
			    "<text class=\"label\" x=\"%d\" y=\"%d\" "
			    "text-anchor=\"middle\">",
			    x1, y, x2, y, sev, SVG_LEFT + (xs[gk] + xs[gk + 1]) / 2,
			    y - 5);
		flow_render_xml_escape(out, r->label, strlen(r->label));
		strbuf_adds(out, "</text></g>\n");
	}
	strbuf_adds(out, "</svg>\n");
	free(xs);
}
