/* prompt: a small readline for the status line — cursor movement, kill
 * line and word, history browsing with up/down — over UTF-8 text. */
#include <stdlib.h>
#include <string.h>

#include "prompt.h"
#include "grid.h"
#include "theme.h"
#include "util.h"

void
prompt_init(struct prompt *p)
{
	memset(p, 0, sizeof *p);
	p->hpos = -1;
	p->errcol = -1;
}

void
prompt_free(struct prompt *p)
{
	size_t k, i;

	for (k = 0; k < PROMPT__COUNT; k++) {
		for (i = 0; i < p->hist[k].n; i++)
			free(p->hist[k].items[i]);
		free(p->hist[k].items);
	}
	memset(p->hist, 0, sizeof p->hist);
}

static void
prompt_set(struct prompt *p, const char *text)
{
	size_t n = strlen(text);

	if (n >= PROMPT_MAX)
		n = PROMPT_MAX - 1;
	memcpy(p->buf, text, n);
	p->buf[n] = '\0';
	p->len = p->cur = n;
}

void
prompt_open(struct prompt *p, enum prompt_kind kind, const char *label,
	    const char *text)
{
	p->active = 1;
	p->kind = kind;
	strncpy(p->label, label, sizeof p->label - 1);
	p->label[sizeof p->label - 1] = '\0';
	prompt_set(p, text != NULL ? text : "");
	p->hpos = -1;
	p->errcol = -1;
}

void
prompt_close(struct prompt *p)
{
	p->active = 0;
	p->errcol = -1;
}

void
prompt_remember(struct prompt *p)
{
	struct prompt_history *h = &p->hist[p->kind];

	if (p->len == 0)
		return;
	if (h->n > 0 && strcmp(h->items[h->n - 1], p->buf) == 0)
		return;
	h->items = xgrow(h->items, &h->cap, h->n + 1, sizeof *h->items);
	h->items[h->n++] = xstrdup(p->buf);
}

static size_t
prompt_prev_char(const struct prompt *p, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)p->buf[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
prompt_next_char(const struct prompt *p, size_t at)
{
	if (at >= p->len)
		return p->len;
	at++;
	while (at < p->len && ((unsigned char)p->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
prompt_delete(struct prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	if (p->cur > to)
		p->cur -= to - from;
	else if (p->cur > from)
		p->cur = from;
}

static int
prompt_insert(struct prompt *p, uint32_t key)
{
	char u[4];
	size_t n;

	if (key >= 0x110000)
		return 0;
	n = utf8_encode(key, u);
	if (p->len + n >= PROMPT_MAX)
		return 0;
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, u, n);
	p->len += n;
	p->cur += n;
	return 1;
}

int
prompt_edit(struct prompt *p, enum action a, uint32_t key)
{
	struct prompt_history *h = &p->hist[p->kind];
	size_t at;

	p->errcol = -1;
	switch (a) {
	case ACT_SELF_INSERT:
		return prompt_insert(p, key);
	case ACT_DELETE_BACK:
		if (p->cur == 0)
			return 0;
		prompt_delete(p, prompt_prev_char(p, p->cur), p->cur);
		return 1;
	case ACT_DELETE:
		if (p->cur >= p->len)
			return 0;
		prompt_delete(p, p->cur, prompt_next_char(p, p->cur));
		return 1;
	case ACT_LEFT:
		p->cur = prompt_prev_char(p, p->cur);
		return 0;
	case ACT_RIGHT:
		p->cur = prompt_next_char(p, p->cur);
		return 0;
	case ACT_HOME:
		p->cur = 0;
		return 0;
	case ACT_END:
		p->cur = p->len;
		return 0;
	case ACT_KILL_LINE:
		if (p->len == 0)
			return 0;
		prompt_set(p, "");
		return 1;
	case ACT_KILL_WORD:
		at = p->cur;
		while (at > 0 && p->buf[at - 1] == ' ')
			at--;
		while (at > 0 && p->buf[at - 1] != ' ')
			at--;
		if (at == p->cur)
			return 0;
		prompt_delete(p, at, p->cur);
		return 1;
	case ACT_HISTORY_PREV:
		if (h->n == 0 || p->hpos == 0)
			return 0;
		/* An entry that is the line as it stands (f opens on the
		 * filter shown, the last one entered) would seem to do
		 * nothing: the one before it. */
		at = p->hpos < 0 ? h->n : (size_t)p->hpos;
		while (at > 0 && strcmp(h->items[at - 1], p->buf) == 0)
			at--;
		if (at == 0)
			return 0;
		if (p->hpos < 0)
			memcpy(p->saved, p->buf, p->len + 1);
		p->hpos = (long)at - 1;
		prompt_set(p, h->items[p->hpos]);
		return 1;
	case ACT_HISTORY_NEXT:
		if (p->hpos < 0)
			return 0;
		p->hpos++;
		if ((size_t)p->hpos >= h->n) {
			p->hpos = -1;
			prompt_set(p, p->saved);
		} else
			prompt_set(p, h->items[p->hpos]);
		return 1;
	default:
		return 0;
	}
}

/* The columns n bytes of the line take as drawn: sanitised, so that a
 * pasted bidi override or byte order mark, shown as \u202e, counts for
 * the six columns it takes and not the none it would. */
static int
prompt_width(const char *s, size_t n)
{
	struct strbuf sb;
	int w;

	strbuf_init(&sb);
	sanitize_append(&sb, s, n, 0);
	w = grid_text_width(sb.buf, sb.len);
	strbuf_free(&sb);
	return w;
}

int
prompt_draw(struct prompt *p, struct grid *g, int x, int y, int xmax)
{
	struct strbuf sb;
	int lw, avail, curw, aftw, skipw, cx;
	size_t start = 0, i, l;
	uint32_t cp;
	int w;

	x = grid_puts(g, x, y, xmax, ROLE_PROMPT, p->label);
	lw = x;
	avail = xmax - lw - 1;
	if (avail < 1)
		return xmax - 1;
	/* Scroll so the cursor stays visible with some text before it, and
	 * some after it when there is more (the word a filter error points
	 * into): up to a third of the room. */
	curw = prompt_width(p->buf, p->cur);
	aftw = prompt_width(p->buf + p->cur, p->len - p->cur);
	if (aftw > avail / 3)
		aftw = avail / 3;
	skipw = curw + aftw > avail ? curw + aftw - avail + 1 : 0;
	for (i = 0; i < p->len && skipw > 0; i += l) {
		l = grid_utf8_next(p->buf + i, p->len - i, &cp, &w);
		skipw -= prompt_width(p->buf + i, l);
		start = i + l;
	}
	strbuf_init(&sb);
	/* The text is the user's own typing, but it is sanitised all the
	 * same: a pasted escape must not reach the terminal. */
	sanitize_append(&sb, p->buf + start, p->len - start, 0);
	grid_put(g, lw, y, xmax, ROLE_DEFAULT, sb.buf, sb.len);
	strbuf_free(&sb);
	if (p->errcol >= 0) {
		/* Underline where the parser stopped. */
		int ex = lw + prompt_width(p->buf + start,
					   (size_t)p->errcol > start
					       ? (size_t)p->errcol - start
					       : 0);
		struct grid_cell *c = grid_cell(g, ex, y);

		if (c != NULL && ex < xmax) {
			if (c->len == 1 && c->ch[0] == ' ')
				c->ch[0] = '^';
			c->role = ROLE_STATUS_ERROR;
		}
	}
	cx = lw + prompt_width(p->buf + start, p->cur - start);
	return cx < xmax ? cx : xmax - 1;
}
