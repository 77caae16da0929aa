/* pane_detail: the selected message in full — the rule's verdict on top,
 * then the start line, headers (auth headers broken into parameters with
 * their gssapi-data decoded, ms-diagnostics explained) and the body. The
 * text is laid out once per message into lines of (byte, role) and then
 * wrapped or scrolled at draw time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "theme.h"
#include "view.h"
#include "engine.h"
#include "twin.h"
#include "rules.h"
#include "auth.h"
#include "source.h"
#include "util.h"

struct dline {
	char *text;	/* sanitised UTF-8 */
	uint8_t *roles; /* one per byte */
	size_t len, cap;
	int indent; /* continuation indent when wrapping */
};

struct ddoc {
	struct dline *lines;
	size_t n, cap;
	uint32_t id;  /* message laid out, UINT32_MAX for none */
	int searched; /* search text the roles were marked for */
	char *needle;
	int flags_at_build; /* severity/rule when built (re-rating) */
	int seek_match;	    /* bring the first search match into view */
	/* The first line that says part of the message is not shown (a
	 * body past DDOC_BODY_LINES, a line past DDOC_LINE_MAX), plus 1; 0
	 * for none. A search can match there, in the record: that line is
	 * what comes into view. */
	size_t cut;
};

static struct dline *
ddoc_cur(struct ddoc *d)
{
	if (d->n == 0) {
		d->lines = xgrow(d->lines, &d->cap, 1, sizeof *d->lines);
		memset(&d->lines[0], 0, sizeof d->lines[0]);
		d->n = 1;
	}
	return &d->lines[d->n - 1];
}

static void
ddoc_newline(struct ddoc *d, int indent)
{
	ddoc_cur(d);
	d->lines = xgrow(d->lines, &d->cap, d->n + 1, sizeof *d->lines);
	memset(&d->lines[d->n], 0, sizeof d->lines[d->n]);
	d->lines[d->n].indent = indent;
	d->n++;
}

/* Appends already-safe text. */
static void
ddoc_add_safe(struct ddoc *d, int role, const char *s, size_t n)
{
	struct dline *l = ddoc_cur(d);
	size_t need = l->len + n + 1;

	if (need > l->cap) {
		size_t cap = l->cap;

		l->text = xgrow(l->text, &cap, need, 1);
		l->roles = xrealloc(l->roles, cap);
		l->cap = cap;
	}
	memcpy(l->text + l->len, s, n);
	memset(l->roles + l->len, role, n);
	l->len += n;
	l->text[l->len] = '\0';
}

static void
ddoc_adds(struct ddoc *d, int role, const char *s)
{
	ddoc_add_safe(d, role, s, strlen(s));
}

/* A single line longer than this is cut: a 100 MB line must not cost
 * 100 MB per redraw, and nobody reads past this on a terminal anyway. */
#define DDOC_LINE_MAX 65536
/* Body lines shown; the rest is counted. */
#define DDOC_BODY_LINES 20000

/* Bytes at s that sanitize_append() passes as they are. */
static int
ddoc_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* Appends bytes from the log, sanitised: the forms that stand for control
 * bytes and hidden characters in ROLE_ESCAPE, so that an escape byte (\e)
 * does not look like a backslash and an e written in the log, and so that
 * wrapping keeps each form whole (pane_detail_break). */
static void
ddoc_add_sanitized(struct ddoc *d, int role, const char *s, size_t n,
		   struct strbuf *sb)
{
	size_t i = 0, j, k, f;
	uint32_t v;

	while (i < n) {
		for (j = i; j < n && ddoc_plain((unsigned char)s[j]); j++)
			;
		if (j > i) {
			ddoc_add_safe(d, role, s + i, j - i);
			i = j;
			continue;
		}
		/* Up to the next plain byte: there a backslash can only begin
		 * a form, since a backslash of the log is plain. */
		for (; j < n && !ddoc_plain((unsigned char)s[j]); j++)
			;
		strbuf_reset(sb);
		sanitize_append(sb, s + i, j - i, 0);
		for (k = 0; k < sb->len; k += f) {
			f = sanitize_form_at(sb->buf + k, sb->len - k, &v);
			if (f > 0) {
				ddoc_add_safe(d, ROLE_ESCAPE, sb->buf + k, f);
				continue;
			}
			for (f = 1; k + f < sb->len && sb->buf[k + f] != '\\';
			     f++)
				;
			ddoc_add_safe(d, role, sb->buf + k, f);
		}
		i = j;
	}
}

/* Appends bytes from the log: sanitised, cut at DDOC_LINE_MAX. */
static void
ddoc_add_log(struct ddoc *d, int role, const char *s, size_t n)
{
	struct strbuf sb;
	size_t cut = 0;

	if (n > DDOC_LINE_MAX) {
		cut = n - DDOC_LINE_MAX;
		n = DDOC_LINE_MAX;
	}
	strbuf_init(&sb);
	ddoc_add_sanitized(d, role, s, n, &sb);
	if (cut > 0) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, " [... %zu more bytes not shown]", cut);
		ddoc_add_safe(d, ROLE_SEV_WARNING, sb.buf, sb.len);
		if (d->cut == 0)
			d->cut = d->n;
	}
	strbuf_free(&sb);
}

/* Appends text that may hold line breaks (folded headers, bodies): one doc
 * line per line, CR dropped. */
static void
ddoc_add_lines(struct ddoc *d, int role, const char *s, size_t n, int indent)
{
	size_t i = 0, start = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n')
			continue;
		size_t end = i;

		if (end > start && s[end - 1] == '\r')
			end--;
		if (start > 0)
			ddoc_newline(d, indent);
		ddoc_add_log(d, role, s + start, end - start);
		start = i + 1;
	}
}

static void
ddoc_clear(struct ddoc *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->lines[i].text);
		free(d->lines[i].roles);
	}
	d->n = 0;
	d->id = UINT32_MAX;
	d->cut = 0;
}

static int
pane_detail_is_auth(enum hdr_id id)
{
	return id == HDR_WWW_AUTHENTICATE || id == HDR_PROXY_AUTHENTICATE ||
	       id == HDR_AUTHORIZATION || id == HDR_PROXY_AUTHORIZATION ||
	       id == HDR_AUTHENTICATION_INFO ||
	       id == HDR_PROXY_AUTHENTICATION_INFO;
}

/* Each challenge or credentials of an auth header broken into its
 * parameters, one a line, with gssapi-data decoded below its value. */
static void
pane_detail_auth(struct ddoc *d, struct span value)
{
	struct auth_header h;
	struct strbuf sb;
	size_t i;
	int guard = 0;

	strbuf_init(&sb);
	while (value.n > 0 && guard++ < 16 && auth_parse(value, &h) == 0) {
		/* The one-line description is in the summary on top; here
		 * every parameter, and the decoded token under its data. */
		for (i = 0; i < h.nparams; i++) {
			struct span gv;

			ddoc_newline(d, 8);
			ddoc_adds(d, ROLE_DIM, "    ");
			ddoc_add_log(d, ROLE_AUTH_PARAM, h.params[i].name.p,
				     h.params[i].name.n);
			ddoc_adds(d, ROLE_DIM, " = ");
			gv = h.params[i].value;
			if (h.params[i].quoted)
				ddoc_adds(d, ROLE_HEADER_VALUE, "\"");
			ddoc_add_log(d, ROLE_HEADER_VALUE, gv.p, gv.n);
			if (h.params[i].quoted)
				ddoc_adds(d, ROLE_HEADER_VALUE, "\"");
			if (span_ieq(h.params[i].name, "gssapi-data") &&
			    gv.n > 0) {
				struct auth_token tok;

				auth_decode_gssapi(gv, &tok);
				strbuf_reset(&sb);
				auth_token_describe(h.scheme, &tok, &sb);
				ddoc_newline(d, 8);
				ddoc_adds(d, ROLE_DIM, "      ");
				ddoc_add_log(d, ROLE_AUTH_DECODED, sb.buf,
					     sb.len);
			}
		}
		if (h.rest.n == 0 || h.rest.p == value.p)
			break;
		value = h.rest;
	}
	strbuf_free(&sb);
}

/* ms-diagnostics: "1000;reason="Final handshake failed";source=..." —
 * the code and each parameter on a line of its own. */
static void
pane_detail_msdiag(struct ddoc *d, struct span v)
{
	size_t i = 0, start = 0;
	int inq = 0, first = 1;

	for (i = 0; i <= v.n; i++) {
		if (i < v.n && (v.p[i] == '"'))
			inq = !inq;
		if (i < v.n && (v.p[i] != ';' || inq))
			continue;
		struct span part =
		    span_trim((struct span){v.p + start, i - start});
		start = i + 1;
		if (part.n == 0)
			continue;
		ddoc_newline(d, 8);
		ddoc_adds(d, ROLE_DIM, "    ");
		if (first) {
			ddoc_adds(d, ROLE_AUTH_PARAM, "code");
			ddoc_adds(d, ROLE_DIM, " = ");
			ddoc_add_log(d, ROLE_AUTH_DECODED, part.p, part.n);
			first = 0;
			continue;
		}
		const char *eq = memchr(part.p, '=', part.n);

		if (eq == NULL) {
			ddoc_add_log(d, ROLE_HEADER_VALUE, part.p, part.n);
			continue;
		}
		ddoc_add_log(d, ROLE_AUTH_PARAM, part.p, (size_t)(eq - part.p));
		ddoc_adds(d, ROLE_DIM, " = ");
		struct span val = {eq + 1, part.n - (size_t)(eq + 1 - part.p)};

		if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"') {
			val.p++;
			val.n -= 2;
		}
		ddoc_add_log(
		    d,
		    span_ieq((struct span){part.p, (size_t)(eq - part.p)},
			     "reason")
			? ROLE_AUTH_DECODED
			: ROLE_HEADER_VALUE,
		    val.p, val.n);
	}
}

static void
pane_detail_build(struct pane *p, struct ddoc *d, uint32_t id)
{
	struct view *v = p->v;
	const struct msg *m = msgindex_get(engine_index(v->e), id);
	struct rd_record rec;
	struct sipmsg sm;
	struct strbuf sb;
	struct span tr;
	char tbuf[48], trbuf[16];
	size_t i;
	int role;

	ddoc_clear(d);
	d->id = id;
	if (m == NULL || engine_message(v->e, id, &rec, &sm) != 0)
		return;
	strbuf_init(&sb);

	/* The verdict first: it is why the user looks at this message. */
	role = theme_severity_role(m->severity);
	if (m->severity != SEV_NONE) {
		strbuf_addf(&sb, "%s", severity_name(m->severity));
		for (i = 0; i < sb.len; i++) {
			if (sb.buf[i] >= 'a' && sb.buf[i] <= 'z')
				sb.buf[i] = (char)(sb.buf[i] - 'a' + 'A');
		}
		ddoc_add_safe(d, role, sb.buf, sb.len);
		ddoc_adds(d, ROLE_DIM, " ");
	}
	if (v->rules != NULL && m->rule != 0) {
		ddoc_adds(d, ROLE_DIM, "(");
		ddoc_adds(d, ROLE_DIM, rules_rule_name(v->rules, m->rule));
		ddoc_adds(d, ROLE_DIM, ")");
	} else if (m->severity == SEV_NONE)
		ddoc_adds(d, ROLE_DIM,
			  v->rules != NULL ? "(no rule matched)"
					   : "(no rules loaded)");
	strbuf_reset(&sb);
	if (v->rules != NULL)
		rules_explain(v->rules, v->e, id, &sb);
	if (sb.len > 0) {
		ddoc_adds(d, role, ": ");
		ddoc_add_log(d, ROLE_EXPLAIN, sb.buf, sb.len);
	}
	d->lines[0].indent = 4;

	/* The authentication step and any server diagnostic next: in a
	 * registration they are what tells one 401 from another. */
	for (i = 0; i < sm.nhdrs; i++) {
		const struct sip_header *h = &sm.hdrs[i];
		struct auth_header ah;

		if (pane_detail_is_auth(h->id)) {
			if (auth_parse(h->value, &ah) != 0)
				continue;
			strbuf_reset(&sb);
			auth_describe(&ah, &sb);
		} else if (h->id == HDR_MS_DIAGNOSTICS ||
			   h->id == HDR_MS_DIAGNOSTICS_PUBLIC ||
			   h->id == HDR_WARNING || h->id == HDR_REASON) {
			strbuf_reset(&sb);
			strbuf_add(&sb, h->value.p, h->value.n);
		} else
			continue;
		ddoc_newline(d, 4);
		ddoc_add_log(d, ROLE_HEADER_NAME, h->name.p, h->name.n);
		ddoc_adds(d, ROLE_DIM, ": ");
		ddoc_add_log(d, ROLE_AUTH_DECODED, sb.buf, sb.len);
	}

	/* Where and when. */
	ddoc_newline(d, 4);
	if (m->time != TIME_NONE) {
		time_format(tbuf, sizeof tbuf, m->time, MSG_TIME_PREC(m),
			    msg_time_dating(m));
		ddoc_adds(d, ROLE_DIM, tbuf);
		ddoc_adds(d, ROLE_DIM, "  ");
	}
	{
		const char *src, *dst;

		/* As the list shows them: an event's one end alone. */
		pane_msg_ends(v->e, id, m, &src, &dst);
		ddoc_adds(d, ROLE_DIM, src);
		if (dst != NULL) {
			ddoc_adds(d, ROLE_DIM, p->utf8 ? " → " : " -> ");
			ddoc_adds(d, ROLE_DIM, dst);
		}
	}
	tr = engine_transport(&rec, &sm, trbuf, sizeof trbuf);
	if (tr.n > 0) {
		ddoc_adds(d, ROLE_DIM, " ");
		ddoc_add_log(d, ROLE_DIM, tr.p, tr.n);
	}
	{
		const struct engine_file *f = engine_file(v->e, m->file);

		if (f != NULL) {
			uint32_t line = engine_msg_line(v->e, id);

			strbuf_reset(&sb);
			strbuf_addf(&sb, "  %s", f->src->path);
			if (line != 0)
				strbuf_addf(&sb, ":%u", (unsigned)line);
			ddoc_add_log(d, ROLE_DIM, sb.buf, sb.len);
		}
	}
	{
		/* Merged logs: where another wrote the same message (o). */
		uint32_t t = engine_nfiles(v->e) > 1 ? twin_other(v->e, id) :
						       TWIN_NONE;
		const struct engine_file *tf = t == TWIN_NONE ? NULL :
		    engine_file(v->e, msgindex_get(engine_index(v->e), t)->file);

		if (tf != NULL) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "  also %s:%u (o)", tf->src->path,
				    (unsigned)engine_msg_line(v->e, t));
			ddoc_add_log(d, ROLE_DIM, sb.buf, sb.len);
		}
	}
	if (m->flags & (RECF_TRUNCATED | RECF_NO_CALLID | RECF_BAD_START |
			RECF_BAD_HEADER | RECF_RETRANS)) {
		ddoc_adds(d, ROLE_SEV_WARNING, "  [");
		ddoc_adds(d, ROLE_SEV_WARNING,
			  (m->flags & RECF_TRUNCATED)	? "truncated"
			  : (m->flags & RECF_RETRANS)	? "retransmission"
			  : (m->flags & RECF_NO_CALLID) ? "no Call-ID"
			  : (m->flags & RECF_BAD_START) ? "bad start line"
							: "bad header line");
		ddoc_adds(d, ROLE_SEV_WARNING, "]");
	}
	ddoc_newline(d, 0);

	if (rec.start.n > 0) {
		ddoc_newline(d, 4);
		ddoc_add_log(d, ROLE_START_LINE, rec.start.p, rec.start.n);
	}
	for (i = 0; i < sm.nhdrs; i++) {
		const struct sip_header *h = &sm.hdrs[i];

		ddoc_newline(d, 4);
		ddoc_add_log(d, ROLE_HEADER_NAME, h->name.p, h->name.n);
		ddoc_adds(d, ROLE_DIM, ": ");
		ddoc_add_lines(d, ROLE_HEADER_VALUE, h->value.p, h->value.n, 4);
		if (pane_detail_is_auth(h->id))
			pane_detail_auth(d, h->value);
		else if (h->id == HDR_MS_DIAGNOSTICS ||
			 h->id == HDR_MS_DIAGNOSTICS_PUBLIC)
			pane_detail_msdiag(d, h->value);
	}
	if (rec.body.n > 0 && !(rec.body.n == 1 && rec.body.p[0] == '-')) {
		int sdp = sipmsg_has_sdp(&sm);
		size_t s = 0, e2;

		ddoc_newline(d, 0);
		ddoc_newline(d, 0);
		ddoc_adds(d, ROLE_DIM, sdp ? "-- body (SDP) --" : "-- body --");
		/* SDP lines get their type letter in the header-name role. */
		size_t nlines = 0;

		while (s < rec.body.n) {
			if (++nlines > DDOC_BODY_LINES) {
				ddoc_newline(d, 2);
				strbuf_reset(&sb);
				strbuf_addf(&sb,
					    "[... %zu more bytes of body not "
					    "shown]",
					    rec.body.n - s);
				ddoc_add_safe(d, ROLE_SEV_WARNING, sb.buf,
					      sb.len);
				if (d->cut == 0)
					d->cut = d->n;
				break;
			}
			const char *nl =
			    memchr(rec.body.p + s, '\n', rec.body.n - s);

			e2 = nl ? (size_t)(nl - rec.body.p) : rec.body.n;
			ddoc_newline(d, 2);
			size_t len = e2 - s;

			if (len > 0 && rec.body.p[s + len - 1] == '\r')
				len--;
			if (sdp && len >= 2 && rec.body.p[s + 1] == '=') {
				ddoc_add_log(d, ROLE_HEADER_NAME,
					     rec.body.p + s, 1);
				ddoc_adds(d, ROLE_DIM, "=");
				ddoc_add_log(d, ROLE_BODY, rec.body.p + s + 2,
					     len - 2);
			} else
				ddoc_add_log(d, ROLE_BODY, rec.body.p + s, len);
			s = e2 + 1;
		}
	}
	sipmsg_clear(&sm);
	strbuf_free(&sb);
}

/* Marks search matches in the laid-out text. */
static void
pane_detail_mark(struct ddoc *d, const char *needle)
{
	size_t i, nlen, mlen, pos;
	long at;

	if (needle == NULL || *needle == '\0')
		return;
	nlen = strlen(needle);
	for (i = 0; i < d->n; i++) {
		struct dline *l = &d->lines[i];

		pos = 0;
		while (pos < l->len) {
			at = span_ufind(
			    (struct span){l->text + pos, l->len - pos}, needle,
			    nlen, &mlen);
			if (at < 0 || mlen == 0)
				break;
			memset(l->roles + pos + at, ROLE_MATCH, mlen);
			pos += (size_t)at + mlen;
		}
	}
}

/* Draws line l from byte off at row y; returns the byte where it stopped
 * (l->len when all of it fit). */
static size_t
pane_detail_row(struct grid *g, struct dline *l, size_t off, int x0, int y,
		int xmax, int skipcols)
{
	size_t i = off, n;
	uint32_t cp;
	int w, x = x0;

	while (i < l->len) {
		n = grid_utf8_next(l->text + i, l->len - i, &cp, &w);
		if (skipcols > 0) {
			skipcols -= w;
			i += n;
			continue;
		}
		if (x + w > xmax)
			break;
		grid_put(g, x, y, xmax, l->roles[i], l->text + i, n);
		x += w;
		i += n;
	}
	return i;
}

/* Where the following row starts after a break at i: past the spaces
 * there, so that it does not begin with a blank. */
static size_t
pane_detail_skip_spaces(const struct dline *l, size_t i)
{
	while (i < l->len && l->text[i] == ' ')
		i++;
	return i;
}

/* Where the wrapped row of l starting at off ends when it has w columns:
 * at a space that does not fit, else after the last space that leaves
 * the row at least half full, else at the last character that fits.
 * *next is where the following row starts (the spaces at the break are
 * not carried over). */
static size_t
pane_detail_break(const struct dline *l, size_t off, int w, size_t *next)
{
	size_t i = off, n = 1, space = 0;
	uint32_t cp;
	int x = 0, cw, spacex = 0;

	while (i < l->len) {
		n = grid_utf8_next(l->text + i, l->len - i, &cp, &cw);
		if (x + cw > w) {
			if (cp == ' ' && x > 0) {
				/* The row is full up to a space. */
				*next = pane_detail_skip_spaces(l, i);
				return i;
			}
			break;
		}
		if (cp == ' ' && x > 0) {
			space = i;
			spacex = x;
		}
		x += cw;
		i += n;
	}
	if (i == off && i < l->len) {
		/* Not even one character fits: skip it rather than loop. */
		*next = off + n;
		return *next;
	}
	if (i >= l->len) {
		*next = i;
		return i;
	}
	if (space > off && spacex >= w / 2) {
		*next = pane_detail_skip_spaces(l, space);
		return space;
	}
	/* Not inside a form such as \x1b: it goes whole to the next row. */
	if (l->roles[i] == ROLE_ESCAPE && l->text[i] != '\\') {
		size_t f = i;

		while (f > off && l->roles[f - 1] == ROLE_ESCAPE &&
		       l->text[f - 1] != '\\')
			f--;
		if (f > off + 1 && l->roles[f - 1] == ROLE_ESCAPE)
			i = f - 1;
	}
	*next = i;
	return i;
}

/* Rows line l takes at width w when wrapped (the indent as drawn). */
static int
pane_detail_line_rows(const struct dline *l, int w)
{
	int rows = 0, ind = 0;
	size_t off = 0, next;

	if (w <= 0)
		return 1;
	do {
		pane_detail_break(l, off, w - ind, &next);
		rows++;
		off = next;
		ind = l->indent < w / 2 ? l->indent : 0;
	} while (off < l->len);
	return rows;
}

/* Scrolls so that the first search match is in view, with a line or two
 * above it, when it is not in view already; in scroll mode, sideways too. */
static void
pane_detail_seek(struct pane *p, struct ddoc *d, struct rect c)
{
	size_t i, at = 0, off, next;
	int row = 0, col, ctx, ind;

	for (i = 0; i < d->n; i++) {
		struct dline *l = &d->lines[i];

		for (at = 0; at < l->len && l->roles[at] != ROLE_MATCH; at++)
			;
		if (at < l->len)
			break;
		row += p->wrap ? pane_detail_line_rows(l, c.w - 1) : 1;
	}
	/* None in what is shown, and part of it is not: the match the
	 * list and the title count is there, and the line that says so
	 * comes into view. The detail stayed where it was, on no match
	 * ("match 1 of 1" and nothing marked). */
	if (i == d->n && d->cut > 0) {
		for (i = 0, row = 0; i + 1 < d->cut; i++)
			row += p->wrap ? pane_detail_line_rows(&d->lines[i],
							       c.w - 1)
				       : 1;
		at = 0;
	}
	if (i == d->n)
		return;
	col = grid_text_width(d->lines[i].text, at);
	if (p->wrap) {
		/* The row of the wrapped line the match starts on. */
		off = 0;
		ind = 0;
		for (;;) {
			pane_detail_break(&d->lines[i], off, c.w - 1 - ind,
					  &next);
			if (next > at || next >= d->lines[i].len)
				break;
			row++;
			off = next;
			ind = d->lines[i].indent < (c.w - 1) / 2
				  ? d->lines[i].indent
				  : 0;
		}
	} else if (col < p->left || col + 8 > p->left + c.w - 2)
		p->left = col > c.w / 2 ? col - c.w / 2 : 0;
	if (row >= p->top && row < p->top + c.h)
		return;
	ctx = c.h >= 8 ? 2 : 0;
	p->top = row - ctx;
}

static void
pane_detail_draw(struct pane *p, struct grid *g, struct rect r)
{
	struct ddoc *d = p->data;
	struct view *v = p->v;
	uint32_t id = view_sel_id(v);
	const struct msg *m;
	struct rect c;
	char info[64];
	const char *mode;
	int y, total = 0, skip, ind;
	size_t i, off;

	m = id != UINT32_MAX ? msgindex_get(engine_index(v->e), id) : NULL;
	/* Rebuild when the message, its rating (indexing re-rates dialogs)
	 * or the search changed. */
	if (id != d->id ||
	    (m != NULL && d->flags_at_build != (m->severity << 16 | m->rule)) ||
	    (v->search == NULL) != (d->needle == NULL) ||
	    (v->search != NULL && strcmp(v->search, d->needle) != 0)) {
		int moved = id != d->id;

		if (moved) {
			p->top = 0;
			p->left = 0;
		}
		if (id == UINT32_MAX)
			ddoc_clear(d);
		else
			pane_detail_build(p, d, id);
		d->flags_at_build =
		    m != NULL ? (m->severity << 16 | m->rule) : 0;
		/* Another message, or another search text: the first
		 * match comes into view (a header far down would be
		 * found and not seen). A re-rating moves nothing. */
		d->seek_match =
		    v->search != NULL && (moved || d->needle == NULL ||
					  strcmp(v->search, d->needle) != 0);
		free(d->needle);
		d->needle = v->search ? xstrdup(v->search) : NULL;
		pane_detail_mark(d, d->needle);
	}
	/* The mode the lines are in, with the key that changes it, as the
	 * flow's heading says its scope ("dialog (a)"): "w: wrap" read as
	 * the key's promise ("L: wider", "Enter: flow") while lines
	 * already wrapped. */
	mode = p->wrap ? "wrap (w)" : "scroll (w)";
	/* The heading is drawn once the rows are counted: it says which
	 * of them are in view when not all are. */
	c = r;
	c.y++;
	c.h--;
	if (c.h <= 0 || c.w <= 0 || d->n == 0) {
		c = pane_heading(p, g, r, "Detail", mode);
		p->rows = c.h;
		if (c.h > 0 && c.w > 0 && d->n == 0)
			grid_puts(g, c.x + 1, c.y, c.x + c.w, ROLE_DIM,
				  "no message selected");
		return;
	}
	/* Count display rows so scrolling stops at the end, and in scroll
	 * mode columns, so that it stops where the longest line ends. */
	if (p->wrap) {
		for (i = 0; i < d->n; i++)
			total += pane_detail_line_rows(&d->lines[i], c.w - 1);
	} else {
		int widest = 0, lw;

		total = (int)d->n;
		for (i = 0; i < d->n; i++) {
			lw = grid_text_width(d->lines[i].text, d->lines[i].len);
			if (lw > widest)
				widest = lw;
		}
		/* The last column holds the '~' of a line going on. */
		if (p->left > widest - (c.w - 2))
			p->left = widest - (c.w - 2);
		if (p->left < 0)
			p->left = 0;
	}
	if (d->seek_match) {
		pane_detail_seek(p, d, c);
		d->seek_match = 0;
	}
	if (p->top > total - c.h)
		p->top = total - c.h;
	if (p->top < 0)
		p->top = 0;
	if (total > c.h)
		snprintf(info, sizeof info, "lines %d-%d/%d  %s", p->top + 1,
			 p->top + c.h, total, mode);
	else
		snprintf(info, sizeof info, "%s", mode);
	c = pane_heading(p, g, r, "Detail", info);
	p->rows = c.h;

	skip = p->top;
	y = c.y;
	for (i = 0; i < d->n && y < c.y + c.h; i++) {
		struct dline *l = &d->lines[i];

		if (!p->wrap) {
			int lw;

			if (skip-- > 0)
				continue;
			/* A '~' in the margin for a line cut on the left, in
			 * the last column for one going on to the right. */
			lw = grid_text_width(l->text, l->len);
			if (p->left > 0 && lw > 0)
				grid_puts(g, c.x, y, c.x + 1, ROLE_DIM, "~");
			if (lw - p->left > c.w - 1) {
				pane_detail_row(g, l, 0, c.x + 1, y,
						c.x + c.w - 1, p->left);
				grid_puts(g, c.x + c.w - 1, y, c.x + c.w,
					  ROLE_DIM, "~");
			} else
				pane_detail_row(g, l, 0, c.x + 1, y, c.x + c.w,
						p->left);
			y++;
			continue;
		}
		off = 0;
		ind = 0;
		do {
			size_t next, end;
			struct dline part = *l;

			end = pane_detail_break(l, off, c.w - 1 - ind, &next);
			if (skip > 0)
				skip--;
			else {
				part.len = end;
				pane_detail_row(g, &part, off, c.x + 1 + ind, y,
						c.x + c.w, 0);
				y++;
			}
			off = next;
			ind = l->indent < (c.w - 1) / 2 ? l->indent : 0;
		} while (off < l->len && y < c.y + c.h);
	}
}

static int
pane_detail_action(struct pane *p, enum action a)
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
		p->left = 0;
		break;
	case ACT_END:
		p->top = 1 << 30;
		break;
	case ACT_LEFT:
		if (p->wrap)
			return RE_HANDLED;
		p->left -= 8;
		if (p->left < 0)
			p->left = 0;
		break;
	case ACT_RIGHT:
		if (p->wrap)
			return RE_HANDLED;
		p->left += 8;
		break;
	case ACT_WRAP:
		p->wrap = !p->wrap;
		p->left = 0;
		break;
	default:
		return RE_NONE;
	}
	if (p->top < 0)
		p->top = 0;
	return RE_HANDLED | RE_REDRAW;
}

static void
pane_detail_free(struct pane *p)
{
	struct ddoc *d = p->data;

	ddoc_clear(d);
	free(d->lines);
	free(d->needle);
	free(d);
}

static const struct pane_ops pane_detail_ops = {
    "detail", pane_detail_draw, pane_detail_action, NULL, pane_detail_free,
};

struct pane *
pane_detail_new(struct view *v)
{
	struct pane *p = xcalloc(1, sizeof *p);
	struct ddoc *d = xcalloc(1, sizeof *d);

	d->id = UINT32_MAX;
	p->ops = &pane_detail_ops;
	p->v = v;
	p->wrap = 1;
	p->data = d;
	return p;
}
