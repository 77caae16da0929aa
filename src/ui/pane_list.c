/* pane_list: the message list — one row per shown message, coloured by
 * severity, with the selected message's dialog marked in the gutter.
 * Only visible rows are read from the log, so it costs the same at ten
 * messages or ten million. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "theme.h"
#include "view.h"
#include "engine.h"
#include "util.h"
#include "filter.h"

/* Letters that carry the severity without colour (NO_COLOR, mono). */
/* clang-format off */
static const char pane_list_sev_letter[SEV__COUNT] = {
	[SEV_NONE] = ' ', [SEV_INFO] = 'i', [SEV_OK] = '+',
	[SEV_BENIGN] = 'b', [SEV_WARNING] = 'W', [SEV_ERROR] = 'E',
};
/* clang-format on */

void
pane_list_time(struct view *v, size_t idx, char *buf, size_t bufsz)
{
	struct msgindex *ix = engine_index(v->e);
	const struct msg *m, *prev;
	int64_t d;
	long long ad, div;
	int prec, i;

	buf[0] = '\0';
	if (idx >= v->nids || (m = msgindex_get(ix, v->ids[idx])) == NULL)
		return;
	if (m->time == TIME_NONE) {
		snprintf(buf, bufsz, "-");
		return;
	}
	if (!v->time_delta) {
		time_format(buf, bufsz, m->time, MSG_TIME_PREC(m), 0);
		return;
	}
	/* From the row above that has a time, as the flow's deltas are: one
	 * after a row without a time said +0.000000. Only the first timed
	 * row after a long run of rows without one walks far. */
	prev = NULL;
	while (idx > 0) {
		prev = msgindex_get(ix, v->ids[--idx]);
		if (prev != NULL && prev->time != TIME_NONE)
			break;
		prev = NULL;
	}
	/* In 64 bits: GCC subtracts two 56-bit fields in 56 bits. */
	d = prev == NULL || prev->time == TIME_NONE ? 0 :
	    (int64_t)m->time - (int64_t)prev->time;
	/* As many fraction digits as the logs of the two give (100 us from a
	 * log of microseconds to one of milliseconds is not +0.000), at
	 * least milliseconds. */
	prec = MSG_TIME_PREC(m);
	if (prev != NULL && prev->time != TIME_NONE &&
	    MSG_TIME_PREC(prev) > prec)
		prec = MSG_TIME_PREC(prev);
	if (prec < 3)
		prec = 3;
	if (prec > 6)
		prec = 6;
	ad = d < 0 ? -(long long)d : (long long)d;
	for (i = prec, div = 1; i < 6; i++)
		div *= 10;
	snprintf(buf, bufsz, "%c%lld.%0*lld", d < 0 ? '-' : '+', ad / 1000000,
		 prec, ad % 1000000 / div);
}

/* The summary of a row: start line summary, or for a diagnostic event
 * the text the server log gives. Appends raw log bytes (sanitised by the
 * caller). */
static void
pane_list_summary(struct view *v, uint32_t id, const struct msg *m,
		  struct strbuf *out)
{
	struct rd_record rec;
	struct sipmsg sm;
	const struct sip_header *h;

	if (engine_message(v->e, id, &rec, &sm) != 0)
		return;
	if (m->kind == MSG_DIAG) {
		strbuf_adds(out, "diag: ");
		h = sipmsg_find_name(&sm, "Text", 0);
		if (h == NULL)
			h = sipmsg_find_name(&sm, "Result-Code", 0);
		if (h == NULL && sm.nhdrs > 0)
			h = &sm.hdrs[0];
		if (h != NULL)
			strbuf_add(out, h->value.p, h->value.n);
	} else
		sipmsg_summary(&sm, out);
	sipmsg_clear(&sm);
}

/* User part of an interned URI, or the URI itself. */
static struct span
pane_list_user(struct view *v, uint32_t uri)
{
	struct span s, u, host;

	/* By its length: a log's string may hold a NUL. */
	s.p = intern_str(engine_strings(v->e), uri, &s.n);
	sipmsg_uri_parts(s, &u, &host);
	return u.n > 0 ? u : s;
}

static int
pane_list_cell(struct grid *g, int x, int y, int w, int role, const char *s,
	       size_t n, const char *needle, int fill)
{
	return pane_put_cut(g, x, y, w, role, s, n, needle, fill, 0);
}

/* A pane narrower than its time column (under 17 columns; the layout
 * gives the list 40 at least) cuts the row at its edge. */
#define PANE_LIST_MIN(a, b) ((a) < (b) ? (a) : (b))

/* Columns the summary keeps before a wide pane's Call-ID and user grow. */
#define PANE_LIST_SUMMARY_MIN 50

struct pane_list_cols {
	int time, addr, summary, callid, user;
};

/* The ends of message id (m) as the list shows them (pane_msg_ends; in
 * *srcp, *dstp when not NULL); returns the columns they take with the
 * arrow between them. */
static int
pane_list_ends(struct view *v, uint32_t id, const struct msg *m,
	       const char *arrow, const char **srcp, const char **dstp)
{
	const char *src, *dst;

	pane_msg_ends(v->e, id, m, &src, &dst);
	if (srcp != NULL)
		*srcp = src;
	if (dstp != NULL)
		*dstp = dst;
	if (dst == NULL)
		return pane_text_width(src, strlen(src));
	return pane_text_width(src, strlen(src)) +
	       grid_text_width(arrow, strlen(arrow)) +
	       pane_text_width(dst, strlen(dst));
}

/* cidw and userw: the widest Call-ID and user of the rows shown. */
/* A column shown (*col) widened towards need with what the summary has
 * (*rest) beyond PANE_LIST_SUMMARY_MIN. */
static void
pane_list_widen(int *col, int need, int *rest)
{
	int more = need - *col;

	if (*col == 0 || more <= 0 || *rest <= PANE_LIST_SUMMARY_MIN)
		return;
	if (more > *rest - PANE_LIST_SUMMARY_MIN)
		more = *rest - PANE_LIST_SUMMARY_MIN;
	*col += more;
	*rest -= more;
}

/* addrw: the widest pair of ends with its arrow, sumw the widest summary
 * of the rows shown. */
static void
pane_list_columns(int w, int timew, int addrw, int sumw, int cidw, int userw,
		  struct pane_list_cols *c)
{
	int rest;

	/* 3 for gutter, severity letter and a space; one space between
	 * columns. Call-ID and user give way first on narrow panes. */
	rest = w - 3 - timew - 1;
	c->time = timew;
	if (rest >= 120)
		c->addr = 45;
	else if (rest >= 90)
		c->addr = 38;
	else if (rest >= 60)
		c->addr = 31;
	else
		c->addr = rest * 2 / 5;
	rest -= c->addr + 1;
	c->user = rest >= 60 ? 16 : rest >= 40 ? 12 : 0;
	rest -= c->user ? c->user + 1 : 0;
	c->callid = rest >= 50 ? 14 : rest >= 34 ? 10 : 0;
	rest -= c->callid ? c->callid + 1 : 0;
	/* The addresses come before the summary's padding: a port cut
	 * ("198.51.100.23:497~") beside blank columns helps no one. */
	if (addrw > c->addr && rest > sumw) {
		int more = addrw - c->addr < rest - sumw ? addrw - c->addr
							  : rest - sumw;

		c->addr += more;
		rest -= more;
	}
	/* On a wide pane the summary would take every column left while a
	 * Lync Call-ID (32 hex digits) stays cut at 13: give the Call-ID,
	 * then the user, what they need of what the summary has beyond
	 * PANE_LIST_SUMMARY_MIN. */
	pane_list_widen(&c->callid, cidw, &rest);
	pane_list_widen(&c->user, userw, &rest);
	c->summary = rest > 0 ? rest : 0;
}

/* Under "no message matches the filter": a word of it written like a
 * field that is none (stauts:401, as -f gave it) was likely meant as one,
 * as the batch outputs say on standard error. */
static void
pane_list_fieldlike(struct view *v, struct grid *g, struct rect c)
{
	const struct filter *f = v->nlevels > 0 ? v->levels[v->nlevels - 1].f
						: NULL;
	struct strbuf words, names, sb;
	size_t nw, nn;

	if (c.h < 2 || v->filtering || f == NULL ||
	    msgindex_count(engine_index(v->e)) == 0)
		return;
	strbuf_init(&words);
	strbuf_init(&names);
	strbuf_init(&sb);
	if ((nw = filter_fieldlike(f, &words, &names, &nn)) > 0) {
		sanitize_append(&sb, names.buf, names.len, 0);
		strbuf_adds(&sb, nn == 1 ? " is no field name: " :
					   " are no field names: ");
		sanitize_append(&sb, words.buf, words.len, 0);
		strbuf_adds(&sb, nw == 1 ? " was" : " were");
		strbuf_adds(&sb, " read as free text (see FILTERS in "
				 "sipsnoop(1))");
		grid_puts(g, c.x + 2, c.y + 1, c.x + c.w, ROLE_DIM, sb.buf);
	}
	strbuf_free(&words);
	strbuf_free(&names);
	strbuf_free(&sb);
}

static void
pane_list_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct view *v = p->v;
	struct msgindex *ix = engine_index(v->e);
	struct rect c;
	char info[96], tbuf[48];
	struct pane_list_cols cols;
	struct strbuf sb;
	const struct msg *m, *sm;
	uint32_t seldialog = NO_DIALOG;
	const char *arrow = p->utf8 ? " → " : " > ";
	const char *needle = v->search;
	int y, x, role, timew = 0, cidw = 0, userw = 0, addrw = 0, sumw = 0;
	int row, xend;
	size_t i, *sumat;

	snprintf(info, sizeof info, "%zu/%zu", v->nids ? v->sel + 1 : 0,
		 v->nids);
	c = pane_heading(p, g, r, "Messages", info);
	p->rows = c.h;
	if (c.h <= 0)
		return;
	/* Keep the selection in view with a little context, like less. */
	if (v->nids == 0) {
		p->top = 0;
		grid_puts(g, c.x + 2, c.y, c.x + c.w, ROLE_DIM,
			  msgindex_count(ix) ? "no message matches the filter" :
			  /* A pipe is read to its end first: one that never
			   * ends (tail -f) shows nothing without --follow. */
			  !engine_done(v->e) &&
			  strcmp(engine_activity(v->e), "reading") == 0 ?
			  "no messages (yet): a pipe is read to its end first; "
			  "--follow shows it as it comes" :
			  !engine_done(v->e) ? "no messages (yet)" :
			  engine_nunread(v->e) > 0 ?
			  "no messages: the inputs could not be read (W says why)" :
			  "no messages");
		pane_list_fieldlike(v, g, c);
		return;
	}
	if ((long)v->sel < p->top)
		p->top = (int)v->sel;
	if ((long)v->sel >= p->top + c.h)
		p->top = (int)v->sel - c.h + 1;
	if (p->top > 0 && (size_t)p->top + (size_t)c.h > v->nids)
		p->top = v->nids > (size_t)c.h ? (int)(v->nids - c.h) : 0;

	sm = msgindex_get(ix, view_sel_id(v));
	if (sm != NULL)
		seldialog = dialogs_of(engine_dialogs(v->e), sm);
	strbuf_init(&sb);
	/* The rows' summaries, read once (a message is parsed for it):
	 * measured here, drawn below. Row k's is at sumat[k] in sb. */
	sumat = xcalloc((size_t)c.h + 1, sizeof *sumat);
	strbuf_adds(&sb, "");	/* a buffer, for the offsets into it */

	for (row = 0; row < c.h && (size_t)(p->top + row) < v->nids; row++) {
		uint32_t from, to;
		struct span u, cid;
		int tw;

		pane_list_time(v, (size_t)(p->top + row), tbuf, sizeof tbuf);
		if ((int)strlen(tbuf) > timew)
			timew = (int)strlen(tbuf);
		sumat[row] = sb.len;
		sumat[row + 1] = sb.len;
		m = msgindex_get(ix, v->ids[p->top + row]);
		if (m == NULL)
			continue;
		cid.p = intern_str(engine_call_ids(v->e), m->call_id, &cid.n);
		if ((tw = pane_text_width(cid.p, cid.n)) > cidw)
			cidw = tw;
		engine_msg_party(v->e, v->ids[p->top + row], &from, &to);
		u = pane_list_user(v, from);
		if ((tw = pane_text_width(u.p, u.n)) > userw)
			userw = tw;
		if ((tw = pane_list_ends(v, v->ids[p->top + row], m, arrow,
					 NULL, NULL)) > addrw)
			addrw = tw;
		pane_list_summary(v, v->ids[p->top + row], m, &sb);
		sumat[row + 1] = sb.len;
		if ((tw = pane_text_width(sb.buf + sumat[row],
					  sb.len - sumat[row])) > sumw)
			sumw = tw;
	}
	pane_list_columns(c.w, timew, addrw, sumw, cidw, userw, &cols);

	for (row = 0; row < c.h; row++) {
		i = (size_t)(p->top + row);
		if (i >= v->nids)
			break;
		m = msgindex_get(ix, v->ids[i]);
		if (m == NULL)
			continue;
		y = c.y + row;
		xend = c.x + c.w;
		role = theme_severity_role(m->severity);
		if (seldialog != NO_DIALOG && dialogs_of(engine_dialogs(v->e), m) == seldialog)
			grid_puts(g, c.x, y, xend, ROLE_GUTTER,
				  p->utf8 ? "┃" : "|");
		grid_printf(g, c.x + 1, y, xend, role, "%c",
			    m->severity < SEV__COUNT
				? pane_list_sev_letter[m->severity]
				: '?');
		x = c.x + 3;
		pane_list_time(v, i, tbuf, sizeof tbuf);
		grid_printf(g, x, y, PANE_LIST_MIN(x + cols.time, xend), role,
			    "%*s", cols.time, tbuf);
		x += cols.time + 1;
		/* Addresses: each side gets half of the column. */
		{
			int x0 = x, avail = cols.addr - 3, ws, wd;
			const char *src, *dst;

			pane_list_ends(v, v->ids[i], m, arrow, &src, &dst);
			/* An event: the end it names alone. */
			if (dst == NULL)
				pane_put_cut(g, x, y, cols.addr, role, src,
					     strlen(src), needle, 0, 1);
			else {
				/* The shorter side keeps its whole text
				 * when it can ("local"), the other gets the
				 * rest. */
				ws = pane_text_width(src, strlen(src));
				wd = pane_text_width(dst, strlen(dst));
				if (ws + wd > avail) {
					if (wd <= avail / 2)
						ws = avail - wd;
					else if (ws > avail / 2)
						ws = avail / 2;
				}
				x = pane_put_cut(g, x, y, ws, role, src,
						 strlen(src), needle, 0, 1);
				x = grid_puts(g, x, y,
					      PANE_LIST_MIN(x0 + cols.addr,
							    xend),
					      role, arrow);
				pane_put_cut(g, x, y, x0 + cols.addr - x, role,
					     dst, strlen(dst), needle, 0, 1);
			}
			x = x0 + cols.addr + 1;
		}
		x = pane_list_cell(g, x, y, cols.summary, role,
				   sb.buf + sumat[row],
				   sumat[row + 1] - sumat[row], needle, 1) +
		    1;
		if (cols.callid) {
			struct span cid;

			cid.p = intern_str(engine_call_ids(v->e), m->call_id,
					   &cid.n);
			x = pane_list_cell(g, x, y, cols.callid, role, cid.p,
					   cid.n, needle, 1) +
			    1;
		}
		if (cols.user) {
			uint32_t from, to;
			struct span u;

			engine_msg_party(v->e, v->ids[i], &from, &to);
			u = pane_list_user(v, from);

			pane_list_cell(g, x, y, cols.user, role, u.p, u.n,
				       needle, 1);
		}
		if (i == v->sel) {
			/* Search matches stay visible on the selected row. */
			int sr = p->focused ? ROLE_SELECTION
					    : ROLE_SELECTION_UNFOCUSED,
			    cx;
			struct grid_cell *cell;

			for (cx = c.x + 1; cx < xend; cx++) {
				cell = grid_cell(g, cx, y);
				if (cell != NULL && cell->role != ROLE_MATCH)
					cell->role = (uint8_t)sr;
			}
		}
	}
	strbuf_free(&sb);
	free(sumat);
}

static int
pane_list_action(struct pane *p, enum action a)
{
	struct view *v = p->v;
	long page = p->rows > 1 ? p->rows - 1 : 1;
	size_t old = v->sel;

	switch (a) {
	case ACT_UP:
		view_select(v, (long)v->sel - 1);
		break;
	case ACT_DOWN:
		view_select(v, (long)v->sel + 1);
		break;
	case ACT_PAGE_UP:
		view_select(v, (long)v->sel - page);
		p->top -= (int)page;
		if (p->top < 0)
			p->top = 0;
		break;
	case ACT_PAGE_DOWN:
		view_select(v, (long)v->sel + page);
		p->top += (int)page;
		break;
	case ACT_HOME:
		view_select(v, 0);
		break;
	case ACT_END:
		view_select(v, (long)v->nids - 1);
		break;
	default:
		return RE_NONE;
	}
	if (v->sel != old)
		return RE_HANDLED | RE_REDRAW | RE_SELECT;
	return RE_HANDLED;
}

static int
pane_list_click(struct pane *p, int x, int y)
{
	long idx;

	if (y < 1)
		return RE_HANDLED;
	idx = (long)p->top + y - 1;
	if (idx >= (long)p->v->nids)
		return RE_HANDLED;
	view_select(p->v, idx);
	return RE_HANDLED | RE_REDRAW | RE_SELECT;
}

static const struct pane_ops pane_list_ops = {
    "list", pane_list_draw, pane_list_action, pane_list_click, NULL,
};

struct pane *
pane_list_new(struct view *v)
{
	struct pane *p = xcalloc(1, sizeof *p);

	p->ops = &pane_list_ops;
	p->v = v;
	p->shown = UINT32_MAX;
	return p;
}
