/* pane_flow: the ladder diagram of the selected message's dialog (or of
 * the shown messages around the selection), drawn from the flow model.
 * Two lines per row: the label above its arrow; the selected message's
 * arrow is highlighted and kept in view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "theme.h"
#include "view.h"
#include "engine.h"
#include "flow.h"
#include "util.h"

/* In "all shown" mode the diagram covers this many messages either side
 * of the selection, so a huge filtered set still draws at once. */
#define PANE_FLOW_WINDOW 300

struct pflow {
	struct flow *fl;
	/* What fl was built from, to rebuild only when it changed. */
	int all;
	uint32_t key_dialog, key_first, key_last;
	size_t key_n, key_count;
	uint64_t key_changes;	/* engine_changes() */
	unsigned key_sev; /* hash of severities: re-rating changes them */
	/* In "all shown" mode, the shown messages [win_lo, win_hi) of
	 * win_of that fl holds: the heading says when it is not all. */
	size_t win_lo, win_hi, win_of;
	/* Rows on another day than those before them (flow_day_marks):
	 * a line of their own above them says which. */
	uint8_t *newday;
	/* The widest time of fl (flow_row_time): 12 at least, 08:00:00.000,
	 * 15 when the log gives microseconds. */
	int timelen;
	int times;	  /* time column shown at the last draw */
	int top_row;	  /* first flow row drawn at the last draw */
	/* The message whose arrow was last brought into view sideways, and
	 * the pane's width then: Left and Right may scroll it away again
	 * until the selection or the width changes. */
	uint32_t shown_id;
	int shown_w;
	int hdr;	  /* lines of column headers at the last draw */
	/* The rows drawn at the last draw: the line of each one's label,
	 * counted from the first line under the headers (clicks). */
	int *label_at;
	int ndrawn;
};

/* Lines row k takes: its label and arrow, and the day above it when it
 * begins one. */
static int
pane_flow_lines(const struct pflow *pf, int k)
{
	return 2 + pf->newday[k];
}

/* How many rows from top fit in avail lines (one at least, cut short when
 * even it does not fit). */
static int
pane_flow_fit(const struct pflow *pf, int top, int avail)
{
	int n = 0, used = 0, nrows = (int)pf->fl->nrows;

	while (top + n < nrows && used + pane_flow_lines(pf, top + n) <= avail)
		used += pane_flow_lines(pf, top + n++);
	return n > 0 || top >= nrows ? n : 1;
}

static unsigned
pane_flow_sev_sum(struct view *v, const uint32_t *ids, size_t n)
{
	struct msgindex *ix = engine_index(v->e);
	const struct msg *m;
	unsigned sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((m = msgindex_get(ix, ids[i])) != NULL)
			sum = sum * 7 + m->severity;
	}
	return sum;
}

/* Builds the model when the set of messages it shows changed. */
static void
pane_flow_update(struct pane *p)
{
	struct pflow *pf = p->data;
	struct view *v = p->v;
	uint32_t id = view_sel_id(v), d = NO_DIALOG;
	const struct msg *m;
	const uint32_t *ids = NULL;
	size_t n = 0, lo, hi, i;
	struct dialog *dl = NULL;
	unsigned sev;

	m = id != UINT32_MAX ? msgindex_get(engine_index(v->e), id) : NULL;
	pf->win_lo = pf->win_hi = pf->win_of = 0;
	if (v->flow_all) {
		lo = v->sel > PANE_FLOW_WINDOW ? v->sel - PANE_FLOW_WINDOW : 0;
		hi = v->sel + PANE_FLOW_WINDOW;
		if (hi > v->nids)
			hi = v->nids;
		ids = v->ids + lo;
		n = v->nids ? hi - lo : 0;
		pf->win_lo = lo;
		pf->win_hi = lo + n;
		pf->win_of = v->nids;
	} else if (m != NULL && (d = dialogs_of(engine_dialogs(v->e), m)) != NO_DIALOG &&
		   (dl = dialogs_get(engine_dialogs(v->e), d)) != NULL) {
		ids = dialogs_msgs(engine_dialogs(v->e), dl);
		n = dl->nmsgs;
	} else if (m != NULL) {
		ids = &v->ids[v->sel];
		n = 1;
	}
	sev = pane_flow_sev_sum(v, ids, n);
	if (pf->fl != NULL && pf->all == v->flow_all && pf->key_dialog == d &&
	    pf->key_n == n &&
	    (n == 0 ||
	     (pf->key_first == ids[0] && pf->key_last == ids[n - 1])) &&
	    pf->key_sev == sev &&
	    pf->key_count == msgindex_count(engine_index(v->e)) &&
	    pf->key_changes == engine_changes(v->e))
		return;
	flow_free(pf->fl);
	pf->fl = flow_build(v->e, ids, n, NULL);
	pf->newday = xrealloc(pf->newday, pf->fl->nrows ? pf->fl->nrows : 1);
	flow_day_marks(pf->fl, pf->newday);
	pf->timelen = 12;
	for (i = 0; i < pf->fl->nrows; i++) {
		int w = 8 + (pf->fl->rows[i].time_prec > 0
				 ? 1 + pf->fl->rows[i].time_prec
				 : 0);

		if (pf->fl->rows[i].time != TIME_NONE && w > pf->timelen)
			pf->timelen = w;
	}
	pf->all = v->flow_all;
	pf->key_dialog = d;
	pf->key_n = n;
	pf->key_first = n ? ids[0] : 0;
	pf->key_last = n ? ids[n - 1] : 0;
	pf->key_sev = sev;
	pf->key_count = msgindex_count(engine_index(v->e));
	pf->key_changes = engine_changes(v->e);
}

static void
pane_flow_hline(struct grid *g, int x0, int x1, int y, int xmin, int xmax,
		int role, const char *ch)
{
	int x;

	for (x = x0; x <= x1; x++) {
		if (x >= xmin && x < xmax)
			grid_puts(g, x, y, xmax, role, ch);
	}
}

/* Puts label s at x, cut at xmax with a '~' when it does not fit (the
 * detail has it in full). */
static void
pane_flow_label(struct grid *g, int x, int y, int xmax, int role, const char *s)
{
	size_t n = strlen(s), fit;

	if (x >= xmax)
		return;
	if (grid_text_width(s, n) <= xmax - x) {
		grid_put(g, x, y, xmax, role, s, n);
		return;
	}
	fit = grid_text_fit(s, n, xmax - x - 1);
	x = grid_put(g, x, y, xmax, role, s, fit);
	grid_puts(g, x, y, xmax, role, "~");
}

/* Puts label s between lifelines lo and hi (of the gap its arrow carries
 * it in, flow_label_gap): centred on the part in view (an arrow scrolled
 * partly out of the pane keeps its label on what is shown of it), with a
 * blank either side when it has room for them; a label wider than that
 * part is cut with a '~' (the detail has it whole), so that it never runs
 * past those lifelines or the pane's edge. */
static void
pane_flow_span_label(struct grid *g, int lo, int hi, int y, int xmin, int xmax,
		     int role, const char *s)
{
	int w = grid_text_width(s, strlen(s)), span, x;

	if (lo < xmin - 1)
		lo = xmin - 1;
	if (hi > xmax)
		hi = xmax;
	span = hi - lo - 1;
	x = w <= span ? lo + 1 + (span - w) / 2 : lo + 1;
	pane_flow_label(g, x, y, hi, role, s);
}

/* A diagnostic note at its log's column a, as --flow draws it: a marker
 * right of the lifeline and the text after it, or, when the text does
 * not fit there and there is more room on the left, ending with the
 * marker left of the lifeline; cut with a '~' where it meets the pane's
 * edge. */
static void
pane_flow_note(struct grid *g, int a, int y, int xmin, int xmax, int role,
	       const char *s, int utf8)
{
	int w = grid_text_width(s, strlen(s)), x;
	const char *mark = utf8 ? "◆" : "*";

	if (w <= xmax - a - 4 || a - xmin <= xmax - a) {
		grid_puts(g, a + 2, y, xmax, role, mark);
		pane_flow_label(g, a + 4, y, xmax, role, s);
		return;
	}
	x = a - 3 - w > xmin ? a - 3 - w : xmin;
	pane_flow_label(g, x, y, a - 3, role, s);
	grid_puts(g, a - 2, y, xmax, role, mark);
}

/* A column header: centred on its column and cut to the space between
 * columns, so that neighbours never run into each other. A cut name
 * keeps its end (the port tells endpoints of one host apart) after a
 * '~'. */
/* Draws n bytes of name at x, cut where they go left of xmin (a header
 * scrolled half out of view shows its end where it is, rather than all
 * of it pushed onto its neighbour) or right of xmax; a '~' takes the
 * place of the first or last character shown where it is cut, so that
 * "10" is not taken for a whole name. */
static void
pane_flow_put_cut(struct grid *g, int x, int y, int xmin, int xmax,
		  const char *name, size_t n)
{
	size_t skip = 0, l, fit;
	int cw;
	uint32_t cp;

	while (x < xmin && skip < n) {
		l = grid_utf8_next(name + skip, n - skip, &cp, &cw);
		skip += l;
		x += cw;
	}
	if (skip >= n || x >= xmax)
		return;
	if (skip > 0) {
		l = grid_utf8_next(name + skip, n - skip, &cp, &cw);
		grid_puts(g, x, y, xmax, ROLE_FLOW_COLUMN, "~");
		skip += l;
		x += cw;
	}
	if (grid_text_width(name + skip, n - skip) > xmax - x) {
		fit = grid_text_fit(name + skip, n - skip, xmax - x - 1);
		x = grid_put(g, x, y, xmax, ROLE_FLOW_COLUMN, name + skip, fit);
		grid_puts(g, x, y, xmax, ROLE_FLOW_COLUMN, "~");
		return;
	}
	grid_put(g, x, y, xmax, ROLE_FLOW_COLUMN, name + skip, n - skip);
}

static void
pane_flow_header(struct grid *g, int cx, int y, int xmin, int xmax,
		 const char *name, int maxw)
{
	size_t n = strlen(name), skip = 0, l;
	int w = grid_text_width(name, n), x, cw;
	uint32_t cp;

	if (maxw < 2)
		maxw = 2;
	if (w > maxw) {
		/* Drop characters from the front until the rest fits. */
		while (skip < n && w > maxw - 1) {
			l = grid_utf8_next(name + skip, n - skip, &cp, &cw);
			skip += l;
			w -= cw;
		}
		x = cx - (w + 1) / 2;
		if (x >= xmin)
			grid_puts(g, x, y, xmax, ROLE_FLOW_COLUMN, "~");
		pane_flow_put_cut(g, x + 1, y, xmin, xmax, name + skip,
				  n - skip);
		return;
	}
	pane_flow_put_cut(g, cx - w / 2, y, xmin, xmax, name, n);
}

/* The heading: which arrows are in view when not all are ("arrows
 * 3-12/40"), of a window of the shown messages "around message 809"
 * when it holds not all of them; the scope and the key that switches it;
 * a hint at the key for a wider layout when the times do not fit and
 * there is one. The
 * longest form that fits beside the title. Keys come from the one key
 * table: the heading cannot name a key that moved. */
static void
pane_flow_heading(struct pane *p, struct grid *g, struct rect r, struct rect *c,
		  int vis, int timew)
{
	struct pflow *pf = p->data;
	struct view *v = p->v;
	char form[8][160], scope[48], brief[32], key[16], lkey[16], hint[32];
	char rng[64];
	int nrows = (int)pf->fl->nrows, n = 0, i;
	int window = v->flow_all && (pf->win_lo > 0 || pf->win_hi < pf->win_of);

	keymap_action_key(KM_NORMAL, ACT_FLOW_SCOPE, key, sizeof key);
	snprintf(scope, sizeof scope, "%s (%s)",
		 v->flow_all ? "shown messages" : "dialog", key);
	snprintf(brief, sizeof brief, "%s (%s)", v->flow_all ? "all" : "dialog",
		 key);
	hint[0] = '\0';
	/* Not when the pane has the terminal's whole width already: no
	 * layout gives it more (on 50 columns every one is a stack, and L
	 * went through them all with the hint still there). */
	if (timew == 0 && (r.x > 0 || r.x + r.w < g->w))
		snprintf(hint, sizeof hint, "  %s: wider",
			 keymap_action_key(KM_NORMAL, ACT_LAYOUT_NEXT, lkey,
					   sizeof lkey));
	if (window || nrows > vis) {
		if (window)
			snprintf(rng, sizeof rng,
				 "%d-%d of %d around message %zu", p->top + 1,
				 p->top + vis, nrows, v->sel + 1);
		else
			snprintf(rng, sizeof rng, "%d-%d/%d", p->top + 1,
				 p->top + vis, nrows);
		/* The hint at the wider layout goes last of all: without it,
		 * nothing says why the times are missing. */
		snprintf(form[n++], sizeof form[0], "arrows %s  %s%s", rng,
			 scope, hint);
		snprintf(form[n++], sizeof form[0], "arrows %s  %s%s", rng,
			 brief, hint);
		snprintf(form[n++], sizeof form[0], "arrows %s%s", rng, hint);
		if (window)
			snprintf(form[n++], sizeof form[0],
				 "%d-%d of %d around %zu%s", p->top + 1,
				 p->top + vis, nrows, v->sel + 1, hint);
		snprintf(form[n++], sizeof form[0], "%d-%d/%d%s", p->top + 1,
			 p->top + vis, nrows, hint);
		snprintf(form[n++], sizeof form[0], "%d-%d/%d", p->top + 1,
			 p->top + vis, nrows);
	} else {
		snprintf(form[n++], sizeof form[0], "%s%s", scope, hint);
		snprintf(form[n++], sizeof form[0], "%s%s", brief, hint);
		snprintf(form[n++], sizeof form[0], "%s", brief);
	}
	for (i = 0; i < n - 1; i++) {
		if ((int)strlen(form[i]) + 8 <= r.w)
			break;
	}
	*c = pane_heading(p, g, r, "Flow", form[i]);
}

/* Column centres cx[] in a pane width cells wide; returns the width the
 * diagram needs (more than width: Left and Right scroll it). Laid out as
 * --flow lays them (flow_layout): each gap as wide as the labels of the
 * arrows that put theirs in it, so that they are whole and cross no
 * lifeline. Then fitted to the pane: the margins outside the first and
 * the last column only as wide as half their names; the room left over
 * spread over the gaps; when the labels ask for more than the pane has,
 * but the columns fit FLOW_MIN_GAP apart, the gaps are narrowed to fit,
 * each by its share of what it asked above FLOW_MIN_GAP (the labels that
 * asked most are cut least), and scrolling is for the columns alone. */
static int
pane_flow_cols(const struct flow *fl, int width, int *cx)
{
	size_t k, n = fl->ncols;
	int base, need, ml, mr, right, sum, avail, min, extra, prev, g;

	base = n > 0 ? width / (int)n : width;
	if (base < FLOW_MIN_GAP)
		base = FLOW_MIN_GAP;
	need = flow_layout(fl, base, 1, 1, 3, 6, cx);
	if (n == 0)
		return need;
	ml = flow_left_x(grid_text_width(fl->cols[0].name,
					 strlen(fl->cols[0].name)));
	if (n == 1) {
		/* A lone column at the left, as --flow puts it, so that its
		 * notes have the pane's width. */
		if (ml < cx[0])
			cx[0] = ml;
		return need;
	}
	right = need - cx[n - 1];
	mr = grid_text_width(fl->cols[n - 1].name,
			     strlen(fl->cols[n - 1].name)) / 2 + 2;
	if (ml > cx[0])
		ml = cx[0];
	if (mr > base - base / 2)
		mr = base - base / 2;
	if (right > base - base / 2 && right > mr)
		mr = right; /* the last column's self arrows' labels */
	sum = cx[n - 1] - cx[0];
	avail = width - ml - mr - 1;
	min = FLOW_MIN_GAP * (int)(n - 1);
	if (avail >= sum) {
		extra = (avail - sum) / (int)(n - 1);
		if (extra == 0)
			return need;
	} else if (avail >= min)
		extra = 0;
	else
		return need;
	for (prev = cx[0], cx[0] = ml, k = 1; k < n; k++) {
		g = cx[k] - prev + extra;
		if (avail < sum)
			g = FLOW_MIN_GAP + (int)((long long)(g - FLOW_MIN_GAP) *
						 (avail - min) / (sum - min));
		prev = cx[k];
		cx[k] = cx[k - 1] + g;
	}
	return cx[n - 1] + mr + 1 > width ? cx[n - 1] + mr + 1 : width;
}

/* The room of column k's name on its header line, every stride-th
 * column on it (n > 1): the distance to the nearest column on that line.
 * The gaps differ since the labels size them: the gap on one side was
 * taken for both, and a name ran into its neighbour's on the narrower
 * side. A column alone on its line has stride times its nearest gap. */
static int
pane_flow_hdr_room(const int *cx, size_t n, size_t k, int stride)
{
	size_t st = (size_t)stride;
	int room = -1;

	if (k >= st)
		room = cx[k] - cx[k - st];
	if (k + st < n && (room == -1 || cx[k + st] - cx[k] < room))
		room = cx[k + st] - cx[k];
	if (room != -1)
		return room;
	room = k + 1 < n ? cx[k + 1] - cx[k] : cx[k] - cx[k - 1];
	if (k > 0 && cx[k] - cx[k - 1] < room)
		room = cx[k] - cx[k - 1];
	return room * stride;
}

/* Scrolls sideways, when the selected row moved or the pane's width
 * changed, so that its arrow is in view: both its lifelines when the
 * pane has room for them, else the one it starts from (a note's or a
 * loop's column and what is drawn beside it). The diagram's cells from
 * off to off + vw - 1 are in view at p->left 0; Left and Right move it
 * away until the selection moves again, as Up and Down do not. */
static void
pane_flow_show_x(struct pane *p, const struct flow_row *row, const int *cx,
		 int off, int vw)
{
	int a = cx[row->from], b = cx[row->to], lo, hi, m;

	if (row->kind == FLOW_NOTE) {
		lo = a - 2;
		hi = a + 2;
	} else if (row->self || a == b) {
		lo = a;
		hi = a + 3;
	} else {
		lo = a < b ? a : b;
		hi = a < b ? b : a;
	}
	if (hi - lo + 1 > vw) {
		/* Too wide: its start, at the edge the arrow leaves. */
		if (a < b)
			hi = a + vw - 1;
		else
			lo = a - vw + 1;
	}
	/* Half a gap beyond the lifelines where there is room, so that
	 * their names are not cut at the edge. */
	m = (vw - (hi - lo + 1)) / 2;
	if (m > FLOW_MIN_GAP / 2)
		m = FLOW_MIN_GAP / 2;
	if (lo - off < p->left)
		p->left = lo - off - m;
	else if (hi - off >= p->left + vw)
		p->left = hi - off - vw + 1 + m;
	if (p->left < 0)
		p->left = 0;
}

static void
pane_flow_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct pflow *pf = p->data;
	struct view *v = p->v;
	struct flow *fl;
	struct rect c;
	char tbuf[48];
	int *cx = NULL, need, dx, timew, xorg, xmin, xmax, x, y, i, cur = -1;
	int nrows;
	int vis, role, hdr, next;
	const char *vline = p->utf8 ? "│" : "|";
	const char *hline = p->utf8 ? "─" : "-";
	uint32_t sel = view_sel_id(v);
	size_t k;

	pane_flow_update(p);
	fl = pf->fl;
	c = pane_heading(p, g, r, "Flow", "");
	p->rows = c.h;
	if (c.h < 2 || fl == NULL || fl->ncols == 0) {
		if (c.h > 0)
			grid_puts(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
				  "no flow");
		return;
	}
	/* Times on the left when there is room for them and the diagram.
	 * Without them the first cell of the arrow lines is kept for the
	 * mark of the current arrow (the diagram's margin when it is not
	 * scrolled), and the heading names the key for a wider layout. */
	timew = c.w >= 56 ? pf->timelen + 2 : 0;
	pf->times = timew;
	xorg = c.x + timew;
	xmin = timew > 0 ? xorg : c.x + 1;
	xmax = c.x + c.w;
	cx = xcalloc(fl->ncols, sizeof *cx);
	need = pane_flow_cols(fl, xmax - xorg, cx);
	if (sel != UINT32_MAX)
		cur = (int)flow_find(fl, sel);
	if (cur >= 0 && (sel != pf->shown_id || c.w != pf->shown_w)) {
		pane_flow_show_x(p, &fl->rows[cur], cx, xmin - xorg,
				 xmax - xmin);
		pf->shown_id = sel;
		pf->shown_w = c.w;
	}
	if (p->left > need - (xmax - xorg))
		p->left = need - (xmax - xorg);
	if (p->left < 0)
		p->left = 0;
	dx = xorg - p->left;

	/* Column headers; when a name does not fit between its neighbours
	 * they go on two staggered lines, each with twice the room. Two
	 * lines of content hold one row (label and arrow) and no headers:
	 * with them, the row's arrow went on the line below the pane. */
	hdr = c.h >= 3;
	for (k = 0; k < fl->ncols && fl->ncols > 1 && c.h > 4; k++) {
		if (grid_text_width(fl->cols[k].name,
				    strlen(fl->cols[k].name)) >
		    pane_flow_hdr_room(cx, fl->ncols, k, 1) - 1)
			hdr = 2;
	}
	pf->hdr = hdr;
	nrows = (int)fl->nrows;
	/* Keep the current arrow in view. */
	if (cur >= 0) {
		if (cur < p->top)
			p->top = cur;
		while (p->top < cur &&
		       p->top + pane_flow_fit(pf, p->top, c.h - hdr) <= cur)
			p->top++;
	}
	/* And no blank below the last row while rows above could fill it. */
	for (i = nrows, y = 0;
	     i > 0 && y + pane_flow_lines(pf, i - 1) <= c.h - hdr; i--)
		y += pane_flow_lines(pf, i - 1);
	if (p->top > (i < nrows ? i : nrows - 1))
		p->top = i < nrows ? i : nrows - 1;
	if (p->top < 0)
		p->top = 0;
	vis = pane_flow_fit(pf, p->top, c.h - hdr);
	pf->top_row = p->top;
	pane_flow_heading(p, g, r, &c, vis, timew);
	for (k = 0; k < fl->ncols && hdr > 0; k++) {
		int room = fl->ncols > 1
			       ? pane_flow_hdr_room(cx, fl->ncols, k, hdr)
			       : need;

		pane_flow_header(g, dx + cx[k], c.y + (int)(k % hdr), xorg,
				 xmax, fl->cols[k].name, room - 1);
	}
	for (y = c.y + hdr; y < c.y + c.h; y++) {
		for (k = 0; k < fl->ncols; k++) {
			if (dx + cx[k] >= xmin && dx + cx[k] < xmax)
				grid_puts(g, dx + cx[k], y, xmax, ROLE_BORDER,
					  vline);
		}
	}
	pf->label_at = xrealloc(pf->label_at, (size_t)(vis > 0 ? vis : 1) *
						  sizeof *pf->label_at);
	pf->ndrawn = 0;
	for (i = 0, y = c.y + hdr; i < vis && p->top + i < nrows; i++) {
		const struct flow_row *row = &fl->rows[p->top + i];
		int ly, ay;

		/* A change of day: a line of its own, the day in the time
		 * column (over the lifelines when there is none), as --flow
		 * writes it; not when the pane has room for one row only. */
		if (pf->newday[p->top + i] &&
		    (i > 0 || pane_flow_lines(pf, p->top) <= c.h - hdr)) {
			flow_row_day(row, tbuf, sizeof tbuf);
			grid_puts(g, c.x + 1, y, timew > 0 ? xmin - 1 : xmax,
				  ROLE_FLOW_COLUMN, tbuf);
			y++;
		}
		ly = y;
		ay = ly + 1;
		y += 2;
		pf->label_at[pf->ndrawn++] = ly - (c.y + hdr);
		int a = dx + cx[row->from], b = dx + cx[row->to];
		int iscur = (p->top + i) == cur;
		int lo = a < b ? a : b, hi = a < b ? b : a;

		role = iscur ? ROLE_FLOW_CURRENT
			     : theme_severity_role(row->severity);
		if (timew > 0) {
			flow_row_time(row, tbuf, sizeof tbuf);
			grid_puts(g, c.x + 1, ay, xmin - 1, role, tbuf);
			/* Merged logs with skewed clocks can go back in time:
			 * the delta shows that (flow_row_delta), as --flow. */
			flow_row_delta(row, tbuf, sizeof tbuf);
			grid_puts(g, c.x + 1, ly, xmin - 1, ROLE_DIM, tbuf);
		}
		/* A mark that shows the current arrow without colour too. */
		if (iscur)
			grid_puts(g, c.x, ay, c.x + 1, role,
				  p->utf8 ? "▶" : ">");
		/* Nothing of a row whose column or arrow is scrolled out of
		 * view (its label would land on another's lifeline). */
		if (row->kind == FLOW_NOTE && (a < xmin || a >= xmax))
			continue;
		if (row->kind == FLOW_NOTE) {
			pane_flow_note(g, a, ay, xmin, xmax,
				       iscur ? ROLE_FLOW_CURRENT
					     : ROLE_FLOW_NOTE,
				       row->label, p->utf8);
			continue;
		}
		if ((row->self || a == b) && (a < xmin || a >= xmax))
			continue;
		if (hi <= xmin || lo >= xmax)
			continue;
		if (row->self || a == b) {
			/* A loop to the right of the column. */
			pane_flow_hline(g, a + 1, a + 2, ly, xmin, xmax, role,
					hline);
			grid_puts(g, a + 3, ly, xmax, role,
				  p->utf8 ? "┐" : "+");
			grid_puts(g, a + 1, ay, xmax, role,
				  p->utf8 ? "◄─┘" : "<-+");
			/* Cut before the next column's lifeline. */
			next = (size_t)row->from + 1 < fl->ncols
				   ? dx + cx[row->from + 1] - 1
				   : xmax;
			pane_flow_label(g, a + 5, ly, next < xmax ? next : xmax,
					role, row->label);
			continue;
		}
		/* Between the lifelines of the widest gap the arrow crosses
		 * in view, never over one. */
		next = flow_label_gap(fl, row, cx, xmin - dx, xmax - dx);
		if (next >= 0)
			pane_flow_span_label(g, dx + cx[next],
					     dx + cx[next + 1], ly, xmin, xmax,
					     role, row->label);
		pane_flow_hline(g, lo + 1, hi - 1, ay, xmin, xmax, role, hline);
		/* A lifeline the shaft crosses stays in view, as --flow
		 * draws it. */
		for (k = 0; k < fl->ncols; k++) {
			x = dx + cx[k];
			if (x > lo && x < hi && x >= xmin && x < xmax)
				grid_puts(g, x, ay, xmax, role,
					  p->utf8 ? "┼" : "+");
		}
		/* The head; where the end it points to is scrolled out of
		 * view, at the pane's edge on that side: a shaft alone gave
		 * no direction (a response cut on the left drew as a bare
		 * line). Never over the lifeline the arrow leaves. */
		if (a < b) {
			x = b - 1 < xmax ? b - 1 : xmax - 1;
			if (x >= xmin && x > a)
				grid_puts(g, x, ay, xmax, role,
					  p->utf8 ? "►" : ">");
		} else {
			x = b + 1 >= xmin ? b + 1 : xmin;
			if (x < xmax && x < a)
				grid_puts(g, x, ay, xmax, role,
					  p->utf8 ? "◄" : "<");
		}
	}
	free(cx);
}

static int
pane_flow_action(struct pane *p, enum action a)
{
	struct view *v = p->v;

	switch (a) {
	case ACT_LEFT:
		p->left -= 8;
		if (p->left < 0)
			p->left = 0;
		return RE_HANDLED | RE_REDRAW;
	case ACT_RIGHT:
		p->left += 8;
		return RE_HANDLED | RE_REDRAW;
	case ACT_FLOW_SCOPE:
		v->flow_all = !v->flow_all;
		p->top = 0;
		/* Other columns: the selected arrow is looked for again. */
		((struct pflow *)p->data)->shown_id = UINT32_MAX;
		return RE_HANDLED | RE_REDRAW;
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_HOME:
	case ACT_END: {
		/* Moving in the flow moves the selection along its rows. */
		struct pflow *pf = p->data;
		long cur, to, n;
		int page = (p->rows - 1) / 2;

		if (pf->fl == NULL || pf->fl->nrows == 0)
			return RE_HANDLED;
		if ((a == ACT_HOME || a == ACT_END) && v->flow_all) {
			/* The first or last shown message, not of the window
			 * around the selection: the window moves with it. */
			size_t old = v->sel;

			view_filter_finish(v);
			view_select(v, a == ACT_HOME ? 0 : (long)v->nids - 1);
			return v->sel != old
				   ? RE_HANDLED | RE_REDRAW | RE_SELECT
				   : RE_HANDLED;
		}
		n = (long)pf->fl->nrows;
		cur = flow_find(pf->fl, view_sel_id(v));
		if (cur < 0)
			cur = 0;
		to = a == ACT_UP	  ? cur - 1
		     : a == ACT_DOWN	  ? cur + 1
		     : a == ACT_PAGE_UP	  ? cur - (page > 0 ? page : 1)
		     : a == ACT_PAGE_DOWN ? cur + (page > 0 ? page : 1)
		     : a == ACT_HOME	  ? 0
					  : n - 1;
		if (to < 0)
			to = 0;
		if (to >= n)
			to = n - 1;
		/* A row the filter hides cannot be selected: skip it (the
		 * whole filter decides, also one applied in steps). */
		view_filter_finish(v);
		while (to >= 0 && to < n &&
		       view_find(v, pf->fl->rows[to].id) < 0)
			to += to < cur ? -1 : 1;
		if (to < 0 || to >= n || to == cur)
			return RE_HANDLED;
		view_select_id(v, pf->fl->rows[to].id);
		return RE_HANDLED | RE_REDRAW | RE_SELECT;
	}
	default:
		return RE_NONE;
	}
}

static int
pane_flow_click(struct pane *p, int x, int y)
{
	struct pflow *pf = p->data;
	int row, i;

	/* y 0 is the pane heading, then the column headers, then two
	 * lines (label, arrow) per row, and a line above a row that begins
	 * a day. */
	if (pf->fl == NULL || y < 1 + pf->hdr)
		return RE_HANDLED;
	for (i = 0; i < pf->ndrawn; i++) {
		if (y - 1 - pf->hdr >= pf->label_at[i] &&
		    y - 1 - pf->hdr < pf->label_at[i] + 2)
			break;
	}
	if (i == pf->ndrawn)
		return RE_HANDLED;
	row = pf->top_row + i;
	if (row < 0 || (size_t)row >= pf->fl->nrows)
		return RE_HANDLED;
	view_filter_finish(p->v);
	if (view_find(p->v, pf->fl->rows[row].id) < 0)
		return RE_HANDLED;
	view_select_id(p->v, pf->fl->rows[row].id);
	return RE_HANDLED | RE_REDRAW | RE_SELECT;
}

static void
pane_flow_free(struct pane *p)
{
	struct pflow *pf = p->data;

	flow_free(pf->fl);
	free(pf->newday);
	free(pf->label_at);
	free(pf);
}

static const struct pane_ops pane_flow_ops = {
    "flow", pane_flow_draw, pane_flow_action, pane_flow_click, pane_flow_free,
};

struct pane *
pane_flow_new(struct view *v)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct pflow *pf;

	p->ops = &pane_flow_ops;
	p->v = v;
	p->data = pf = xcalloc(1, sizeof *pf);
	pf->shown_id = UINT32_MAX;
	return p;
}
