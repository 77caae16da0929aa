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
};

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

static void
pane_help_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct phelp *h = p->data;
	struct rect c;
	int y, kw = 22;
	size_t i;

	c = pane_heading(p, g, r, p->ops->name[0] == 'h' ? "Help" : "Warnings",
			 "q/Esc close, arrows scroll");
	p->rows = c.h;
	if (p->top > (int)h->n - c.h)
		p->top = (int)h->n - c.h;
	if (p->top < 0)
		p->top = 0;
	if (c.w < 60)
		kw = c.w / 3;
	for (y = 0, i = (size_t)p->top; y < c.h && i < h->n; y++, i++) {
		struct phelp_line *l = &h->l[i];

		if (l->keys == NULL) {
			/* A long line (a warning naming a deep path) goes on
			 * below, indented, rather than off the edge. */
			const char *t = l->text;
			size_t left = strlen(t), fit;
			int x = c.x + 1;

			for (;;) {
				fit = grid_text_fit(t, left, c.x + c.w - x);
				if (fit == 0 && left > 0)
					fit = 1;
				grid_put(g, x, c.y + y, c.x + c.w, l->role, t,
					 fit);
				t += fit;
				left -= fit;
				if (left == 0 || y + 1 >= c.h)
					break;
				y++;
				x = c.x + 5;
			}
			continue;
		}
		grid_puts(g, c.x + 3, c.y + y, c.x + 2 + kw, ROLE_HELP_KEY,
			  l->keys);
		grid_puts(g, c.x + 3 + kw, c.y + y, c.x + c.w, l->role,
			  l->text);
	}
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
pane_help_free(struct pane *p)
{
	struct phelp *h = p->data;
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->l[i].keys);
		free(h->l[i].text);
	}
	free(h->l);
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
		      "Filter expressions (f): callid:ID user:NAME "
		      "method:REG status:4xx severity:error",
		      ROLE_DEFAULT);
	pane_help_add(h, NULL,
		      "  addr:HOST[:PORT] dir:in after:HH:MM:SS "
		      "header:NAME[=TEXT] word \"phrase\" /regex/i",
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
pane_warnings_new(const struct engine *e)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct phelp *h = xcalloc(1, sizeof *h);
	struct strbuf sb;
	size_t i, k, n = engine_nwarnings(e), nunread = engine_nunread(e);
	const struct engine_warning *w;
	const struct engine_file *f;

	p->ops = &pane_warnings_ops;
	p->data = h;
	p->focused = 1;
	strbuf_init(&sb);
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
			const char *why = "could not be read";

			f = engine_file(e, i);
			if (!f->unreadable)
				continue;
			for (k = 0; k < n; k++) {
				w = engine_warning(e, k);
				if (w->file == i && w->line == 0)
					why = w->msg;
			}
			pane_warnings_line(h, &sb, f->src->path, 0, why,
					   ROLE_SEV_ERROR);
		}
		if (n > 0) {
			pane_help_add(h, NULL, "", ROLE_DEFAULT);
			pane_help_add(h, NULL, "Warnings:", ROLE_PANE_TITLE);
		}
	} else if (n == 0)
		pane_help_add(h, NULL,
			      "no warnings: every input was read "
			      "cleanly",
			      ROLE_DEFAULT);
	for (i = 0; i < n; i++) {
		w = engine_warning(e, i);
		f = engine_file(e, w->file);
		pane_warnings_line(h, &sb, f != NULL ? f->src->path : "?",
				   w->line, w->msg, ROLE_SEV_WARNING);
	}
	strbuf_free(&sb);
	return p;
}
