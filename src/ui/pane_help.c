/* pane_help: the help screen, generated from the keymap table so that it
 * can never disagree with what the keys do. */
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "theme.h"
#include "engine.h"
#include "source.h"
#include "util.h"

struct phelp_line {
	char *keys; /* NULL for a heading or plain text */
	char *text;
	int role;
};

struct phelp {
	struct phelp_line *l;
	size_t n, cap;
	/* The warnings overlay: what it was filled from, to fill it again
	 * when a followed file brings more (NULL for the help). */
	const struct engine *e;
	int rated;
	int following;		/* the inputs not begun are waited for */
	char *unrated_why;	/* why there are no rules, or NULL */
	size_t nwarnings, nunread, nawaited;
	uint64_t changes;	/* engine_changes() when filled */
};

static void pane_warnings_fill(struct phelp *h);

static void
pane_help_add(struct phelp *h, const char *keys, const char *text, int role)
{
	h->l = xgrow(h->l, &h->cap, h->n + 1, sizeof *h->l);
	h->l[h->n].keys = keys ? xstrdup(keys) : NULL;
	h->l[h->n].text = xstrdup(text);
	h->l[h->n].role = role;
	h->n++;
}

static void
pane_help_cb(void *arg, const char *keys, const char *help)
{
	pane_help_add(arg, keys, help, ROLE_DEFAULT);
}

/* Bytes of t (left bytes) for one row of cols columns: cut after a space
 * when a word would be cut, anywhere when one word is longer than the row
 * (a deep path), and at least one character. */
static size_t
pane_help_fit(const char *t, size_t left, int cols)
{
	size_t fit = grid_text_fit(t, left, cols), k;

	if (fit == 0 && left > 0) {
		uint32_t cp;
		int cw;

		return grid_utf8_next(t, left, &cp, &cw);
	}
	if (fit < left && t[fit] != ' ') {
		for (k = fit; k > 0 && t[k - 1] != ' '; k--)
			;
		if (k > 0)
			fit = k;
	}
	return fit;
}

/* Lays out text from row *y on, from column x0 (first row) or x1 (the
 * rows below) to xmax; rows outside [0, c.h) are counted, not drawn, so
 * the same pass measures the help and draws the part scrolled into view
 * (g NULL: only measures). */
static void
pane_help_text(struct grid *g, struct rect c, int *y, int x0, int x1, int role,
	       const char *t)
{
	size_t left = strlen(t), fit;
	int x = x0;

	for (;;) {
		fit = pane_help_fit(t, left, c.x + c.w - x);
		if (g != NULL && *y >= 0 && *y < c.h)
			grid_put(g, x, c.y + *y, c.x + c.w, role, t, fit);
		t += fit;
		left -= fit;
		while (left > 0 && *t == ' ') {
			t++;
			left--;
		}
		(*y)++;
		if (left == 0)
			break;
		x = x1;
	}
}

/* One line of the help: a text, or keys and what they do; the keys that
 * are wider than their column have a row of their own, and the words
 * wrap under their column rather than go off the edge. */
static void
pane_help_line(struct grid *g, struct rect c, int *y, int kw,
	       const struct phelp_line *l)
{
	int kx = c.x + 3, tx = c.x + 3 + kw;

	if (l->keys == NULL) {
		/* A long line (a warning naming a deep path) goes on
		 * below, indented, rather than off the edge. */
		pane_help_text(g, c, y, c.x + 1, c.x + 5, l->role, l->text);
		return;
	}
	if (grid_text_width(l->keys, strlen(l->keys)) > kw - 1) {
		pane_help_text(g, c, y, kx, kx + 2, ROLE_HELP_KEY, l->keys);
		pane_help_text(g, c, y, tx, tx, l->role, l->text);
		return;
	}
	if (g != NULL && *y >= 0 && *y < c.h)
		grid_puts(g, kx, c.y + *y, tx - 1, ROLE_HELP_KEY, l->keys);
	pane_help_text(g, c, y, tx, tx, l->role, l->text);
}

static void
pane_help_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct phelp *h = p->data;
	struct rect c;
	int y, kw = 22, total;
	size_t i;

	if (h->e != NULL && (engine_nwarnings(h->e) != h->nwarnings ||
			     engine_nunread(h->e) != h->nunread ||
			     engine_nawaited(h->e) != h->nawaited ||
			     engine_changes(h->e) != h->changes))
		pane_warnings_fill(h);
	c = pane_heading(p, g, r, p->ops->name[0] == 'h' ? "Help" : "Warnings",
			 "q/Esc close, arrows scroll");
	p->rows = c.h;
	if (c.w < 60)
		kw = c.w / 3;
	/* The help scrolls by rows on the screen, not by lines of text:
	 * End shows the last row however many lines wrapped. */
	for (total = 0, i = 0; i < h->n; i++)
		pane_help_line(NULL, c, &total, kw, &h->l[i]);
	if (p->top > total - c.h)
		p->top = total - c.h;
	if (p->top < 0)
		p->top = 0;
	for (y = -p->top, i = 0; y < c.h && i < h->n; i++)
		pane_help_line(g, c, &y, kw, &h->l[i]);
}

static int
pane_help_action(struct pane *p, enum action a)
{
	int page = p->rows > 1 ? p->rows - 1 : 1;

	switch (a) {
	case ACT_UP:
		p->top--;
		break;
	case ACT_DOWN:
		p->top++;
		break;
	case ACT_PAGE_UP:
		p->top -= page;
		break;
	case ACT_PAGE_DOWN:
		p->top += page;
		break;
	case ACT_HOME:
		p->top = 0;
		break;
	case ACT_END:
		p->top = 1 << 20;
		break;
	case ACT_CANCEL:
		return RE_HANDLED | RE_CLOSE | RE_REDRAW;
	default:
		return RE_NONE;
	}
	if (p->top < 0)
		p->top = 0;
	return RE_HANDLED | RE_REDRAW;
}

static void
pane_help_clear(struct phelp *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->l[i].keys);
		free(h->l[i].text);
	}
	h->n = 0;
}

static void
pane_help_free(struct pane *p)
{
	struct phelp *h = p->data;

	pane_help_clear(h);
	free(h->l);
	free(h->unrated_why);
	free(h);
}

static const struct pane_ops pane_help_ops = {
    "help", pane_help_draw, pane_help_action, NULL, pane_help_free,
};

struct pane *
pane_help_new(void)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct phelp *h = xcalloc(1, sizeof *h);

	p->ops = &pane_help_ops;
	p->data = h;
	p->focused = 1;
	pane_help_add(h, NULL, "sipsnoop keys", ROLE_PANE_TITLE);
	pane_help_add(h, NULL, "", ROLE_DEFAULT);
	keymap_help(KM_NORMAL, pane_help_cb, h);
	pane_help_add(h, NULL,
		      "Alt with a key (Esc and the key at once) is no key "
		      "here and is ignored; Esc on its own is Esc.",
		      ROLE_DEFAULT);
	pane_help_add(h, NULL, "", ROLE_DEFAULT);
	pane_help_add(h, NULL, "In a prompt (/ f s)", ROLE_PANE_TITLE);
	keymap_help(KM_PROMPT, pane_help_cb, h);
	pane_help_add(h, NULL, "", ROLE_DEFAULT);
	pane_help_add(h, NULL, "Mouse", ROLE_PANE_TITLE);
	pane_help_add(h, "click", "select a message, a flow arrow or a pane",
		      ROLE_DEFAULT);
	pane_help_add(h, "wheel", "scroll the pane under the pointer",
		      ROLE_DEFAULT);
	pane_help_add(h, NULL, "", ROLE_DEFAULT);
	pane_help_add(h, NULL, "Severity (list letter and colour)",
		      ROLE_PANE_TITLE);
	pane_help_add(h, NULL, "  E error: a failure to look at",
		      ROLE_SEV_ERROR);
	pane_help_add(h, NULL, "  W warning: unusual, may matter",
		      ROLE_SEV_WARNING);
	pane_help_add(h, NULL,
		      "  b benign: looks like a failure but is "
		      "expected (e.g. a 401 answered with credentials)",
		      ROLE_SEV_BENIGN);
	pane_help_add(h, NULL, "  + ok: success", ROLE_SEV_OK);
	pane_help_add(h, NULL, "  i info: provisional responses and events",
		      ROLE_SEV_INFO);
	pane_help_add(h, NULL,
		      "  a bar in the left gutter marks the messages "
		      "of the selected message's dialog",
		      ROLE_GUTTER);
	pane_help_add(h, NULL, "", ROLE_DEFAULT);
	pane_help_add(h, NULL,
		      "Filter expressions (f; sipsnoop(1) FILTERS): "
		      "callid:ID user:NAME from:NAME to:NAME method:REG "
		      "status:4xx severity:error (lists: status:401,407)",
		      ROLE_DEFAULT);
	pane_help_add(h, NULL,
		      "  addr:HOST[:PORT] src:HOST dst:HOST dir:in dir:out "
		      "after:HH:MM:SS "
		      "before:HH:MM:SS file:NAME header:NAME[=TEXT] word "
		      "\"phrase\" /regex/i",
		      ROLE_DEFAULT);
	pane_help_add(h, NULL,
		      "  and by juxtaposition, or, not / -, "
		      "( ), dialog:(EXPR)",
		      ROLE_DEFAULT);
	return p;
}

static const struct pane_ops pane_warnings_ops = {
    "warnings", pane_help_draw, pane_help_action, NULL, pane_help_free,
};

/* One line of the warnings overlay: a file's name, a line, the message
 * (file names and messages may quote log bytes). */
static void
pane_warnings_line(struct phelp *h, struct strbuf *sb, const char *path,
		   unsigned line, const char *msg, int role)
{
	strbuf_reset(sb);
	if (path != NULL) {
		sanitize_append(sb, path, strlen(path), 0);
		if (line)
			strbuf_addf(sb, ":%u", line);
		strbuf_adds(sb, ": ");
	}
	sanitize_append(sb, msg, strlen(msg), 0);
	pane_help_add(h, NULL, sb->buf, role);
}

struct pane *
pane_warnings_new(const struct engine *e, int rated, int following,
		  const char *unrated_why)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct phelp *h = xcalloc(1, sizeof *h);

	p->ops = &pane_warnings_ops;
	p->data = h;
	p->focused = 1;
	h->e = e;
	h->rated = rated;
	h->following = following;
	h->unrated_why = unrated_why != NULL && unrated_why[0] != '\0' ?
	    xstrdup(unrated_why) : NULL;
	pane_warnings_fill(h);
	return p;
}

/* The lines of the warnings overlay, from the engine as it is now. */
static void
pane_warnings_fill(struct phelp *h)
{
	const struct engine *e = h->e;
	int rated = h->rated;
	struct strbuf sb;
	size_t i, k, n = engine_nwarnings(e), nunread = engine_nunread(e);
	size_t nawaited = engine_nawaited(e);
	const struct engine_warning *w;
	const struct engine_file *f;

	/* The warning that says why a file was not read (its last one on
	 * the whole file) is given under "not read", not again below. */
	size_t nfiles = engine_nfiles(e), nshow = n, *why =
	    xcalloc(nfiles > 0 ? nfiles : 1, sizeof *why);

	for (i = 0; i < nfiles; i++)
		why[i] = SIZE_MAX;
	for (k = 0; k < n; k++) {
		w = engine_warning(e, k);
		if (w->line == 0 && w->file < nfiles &&
		    engine_file(e, w->file)->unreadable)
			why[w->file] = k;
	}
	for (i = 0; i < nfiles; i++)
		nshow -= why[i] != SIZE_MAX;
	pane_help_clear(h);
	h->nwarnings = n;
	h->nunread = nunread;
	h->nawaited = nawaited;
	h->changes = engine_changes(e);
	strbuf_init(&sb);
	if (!rated && h->unrated_why != NULL) {
		/* Why nothing is coloured, as sipsnoop said it on standard
		 * error, under the viewer: a rules file's errors with their
		 * lines. */
		const char *t = h->unrated_why, *nl;

		pane_help_add(h, NULL, "messages are not rated:",
			      ROLE_SEV_WARNING);
		while (*t != '\0') {
			nl = strchr(t, '\n');
			strbuf_reset(&sb);
			sanitize_append(&sb, t, nl != NULL ? (size_t)(nl - t) :
					strlen(t), 0);
			pane_help_add(h, NULL, sb.buf != NULL ? sb.buf : "",
				      ROLE_SEV_WARNING);
			if (nl == NULL)
				break;
			t = nl + 1;
		}
		pane_help_add(h, NULL, "", ROLE_DEFAULT);
	} else if (!rated) {
		/* Why nothing is coloured: the reason sipsnoop gave went to
		 * standard error, under the viewer. */
		pane_help_add(h, NULL,
			      "messages are not rated: no rules were loaded "
			      "(none found in ~/.config/sipsnoop/rules.conf "
			      "or the installed rules.conf, one that could "
			      "not be read, or --no-rules); --rules FILE "
			      "names one",
			      ROLE_SEV_WARNING);
		pane_help_add(h, NULL, "", ROLE_DEFAULT);
	}
	if (nunread > 0) {
		/* First what is missing from the list, and why: inputs
		 * refused when opened (their error names them), then those
		 * found unreadable once read (their last warning on the
		 * whole file says why). */
		strbuf_addf(&sb, "%zu input%s not read:", nunread,
			    nunread == 1 ? " was" : "s were");
		pane_help_add(h, NULL, sb.buf, ROLE_SEV_ERROR);
		for (i = 0; i < engine_nrefused(e); i++)
			pane_warnings_line(h, &sb, NULL, 0, engine_refused(e, i),
					   ROLE_SEV_ERROR);
		for (i = 0; i < engine_nfiles(e); i++) {
			const char *reason = "could not be read";

			f = engine_file(e, i);
			if (!f->unreadable)
				continue;
			if (why[i] != SIZE_MAX)
				reason = engine_warning(e, why[i])->msg;
			pane_warnings_line(h, &sb, f->src->path, 0, reason,
					   ROLE_SEV_ERROR);
		}
		if (nshow > 0 || nawaited > 0)
			pane_help_add(h, NULL, "", ROLE_DEFAULT);
	}
	if (nawaited > 0) {
		/* Followed files not begun yet (engine_await_file): read
		 * when they are, while following goes on; once it stopped,
		 * nothing reads them. */
		int role = h->following ? ROLE_DEFAULT : ROLE_SEV_WARNING;

		strbuf_reset(&sb);
		if (h->following)
			strbuf_addf(&sb, "%zu input%s not begun yet (followed: "
				    "read when %s):", nawaited,
				    nawaited == 1 ? "" : "s",
				    nawaited == 1 ? "it is" : "they are");
		else
			strbuf_addf(&sb, "%zu input%s not read: %s not begun "
				    "when following stopped (F follows %s "
				    "again):", nawaited,
				    nawaited == 1 ? " was" : "s were",
				    nawaited == 1 ? "it had" : "they had",
				    nawaited == 1 ? "it" : "them");
		pane_help_add(h, NULL, sb.buf, role);
		for (i = 0; i < nawaited; i++)
			pane_warnings_line(h, &sb, NULL, 0, engine_awaited(e, i),
					   role);
		if (nshow > 0)
			pane_help_add(h, NULL, "", ROLE_DEFAULT);
	}
	if ((nunread > 0 || nawaited > 0) && nshow > 0)
		pane_help_add(h, NULL, "Warnings:", ROLE_PANE_TITLE);
	else if (nunread == 0 && nawaited == 0 && n == 0)
		pane_help_add(h, NULL,
			      rated ? "no warnings: every input was read "
				      "cleanly"
				    : "no reading warnings: every input was "
				      "read cleanly",
			      ROLE_DEFAULT);
	for (i = 0; i < n; i++) {
		w = engine_warning(e, i);
		if (w->file < nfiles && why[w->file] == i)
			continue;
		f = engine_file(e, w->file);
		pane_warnings_line(h, &sb, f != NULL ? f->src->path : "?",
				   w->line, w->msg, ROLE_SEV_WARNING);
	}
	strbuf_free(&sb);
	free(why);
}
