/* flow: lays a list of messages out as a ladder diagram model: one column
 * per endpoint in order of first appearance, one row per message with its
 * label, time and delta. Pure: reads the engine, draws nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "flow.h"
#include "engine.h"
#include "source.h"
#include "auth.h"
#include "twin.h"

#define FLOW_LABEL_MAX 200	/* bytes of a label before it is cut */

/* Column lookup while building: an endpoint id or a file's local end. */
struct flow_key {
	uint32_t addr;		/* interned endpoint, 0 for a local end */
	uint32_t file;		/* local end of this file */
	int col;
};

/* Open addressing over positions + 1 (0: free) in keys[] or cols[]: a
 * trace with thousands of endpoints must not compare each message's ends
 * with all of them. */
struct flow_tab {
	uint32_t *v;
	size_t mask;		/* size - 1, a power of two less one; 0: none */
};

struct flow_builder {
	const struct engine *e;
	const struct flow_opts *o;
	struct flow *fl;
	size_t capcols;
	struct flow_key *keys;
	size_t nkeys, capkeys;
	struct flow_tab by_key, by_name;
	/* The two sides of messages the log gives neither end of: the
	 * side that sent its dialog's first request, then the other. */
	int unknown[2];
	/* Fraction digits of the last row that has a time (delta_prec). */
	uint8_t prev_prec;
	/* By file (NULL when none is known): the address another log gives
	 * for the end this log calls its own (flow_learn_ends), 0 when none
	 * is known, FLOW_END_MIXED when the logs disagree; the name this
	 * log gives that end, and its column + 1 once drawn (0 before). */
	uint32_t *alias;
	uint32_t *alias_own;
	int *alias_col;
};

#define FLOW_END_MIXED UINT32_MAX

static size_t
flow_hash_key(uint32_t addr, uint32_t file)
{
	uint64_t h = addr != 0 ? addr : ((uint64_t)file << 32 | 0xffffffffu);

	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h ^ h >> 29);
}

static size_t
flow_hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)(h ^ h >> 29);
}

static size_t
flow_builder_hash(const struct flow_builder *b, const struct flow_tab *t,
		  uint32_t pos)
{
	if (t == &b->by_key)
		return flow_hash_key(b->keys[pos].addr, b->keys[pos].addr != 0 ?
				     0 : b->keys[pos].file);
	return flow_hash_name(b->fl->cols[pos].name);
}

/* Adds position pos (of n now in use) to t, growing it to keep it at most
 * half full. */
static void
flow_tab_add(struct flow_builder *b, struct flow_tab *t, uint32_t pos,
	     size_t n)
{
	size_t j, k;

	if (t->mask == 0 || n * 2 > t->mask + 1) {
		size_t size = t->mask == 0 ? 64 : (t->mask + 1) * 2;

		free(t->v);
		t->v = xcalloc(size, sizeof *t->v);
		t->mask = size - 1;
		for (k = 0; k < pos; k++) {
			j = flow_builder_hash(b, t, (uint32_t)k) & t->mask;
			while (t->v[j] != 0)
				j = (j + 1) & t->mask;
			t->v[j] = (uint32_t)k + 1;
		}
	}
	j = flow_builder_hash(b, t, pos) & t->mask;
	while (t->v[j] != 0)
		j = (j + 1) & t->mask;
	t->v[j] = pos + 1;
}

/* The column named name (n bytes), added when there is none. */
static int
flow_col_by_name(struct flow_builder *b, const char *name, size_t n)
{
	struct flow *fl = b->fl;
	struct strbuf sb;
	size_t j;

	strbuf_init(&sb);
	sanitize_append(&sb, name, n, 0);
	if (sb.buf == NULL)
		strbuf_adds(&sb, "");
	if (b->by_name.mask != 0) {
		for (j = flow_hash_name(sb.buf) & b->by_name.mask;
		     b->by_name.v[j] != 0; j = (j + 1) & b->by_name.mask) {
			if (strcmp(fl->cols[b->by_name.v[j] - 1].name,
				   sb.buf) == 0) {
				strbuf_free(&sb);
				return (int)b->by_name.v[j] - 1;
			}
		}
	}
	fl->cols = xgrow(fl->cols, &b->capcols, fl->ncols + 1,
	    sizeof *fl->cols);
	fl->cols[fl->ncols].name = strbuf_detach(&sb);
	flow_tab_add(b, &b->by_name, (uint32_t)fl->ncols, fl->ncols + 1);
	return (int)fl->ncols++;
}

/* The host of "host:port" or "[v6]:port" (kept in brackets). */
static size_t
flow_host_len(const char *s, size_t n)
{
	const char *c;

	if (n > 0 && s[0] == '[') {
		c = memchr(s, ']', n);
		return c != NULL ? (size_t)(c - s) + 1 : n;
	}
	c = memchr(s, ':', n);
	if (c != NULL && memchr(c + 1, ':', n - (size_t)(c + 1 - s)) == NULL)
		return (size_t)(c - s);
	return n;
}

/* Column of an end of message m: addr when the log gives one, else the
 * file's local end when dir says this end is local, else -1 (unknown). */
static int
flow_col(struct flow_builder *b, const struct msg *m, uint32_t addr,
	 int local)
{
	const struct engine_file *ef;
	const char *s;
	char buf[64];
	size_t i, n;
	int col;

	if (b->alias != NULL && b->alias[m->file] != 0 &&
	    b->alias[m->file] != FLOW_END_MIXED &&
	    (addr != 0 ? addr == b->alias_own[m->file] : local)) {
		/* The log's own end: the column of the address the other
		 * log gives it. */
		col = flow_col(b, m, b->alias[m->file], 0);
		b->alias_col[m->file] = col + 1;
		return col;
	}
	if (addr == 0 && !local)
		return -1;
	if (b->by_key.mask != 0) {
		for (i = flow_hash_key(addr, addr != 0 ? 0 : m->file) &
			 b->by_key.mask;
		     b->by_key.v[i] != 0; i = (i + 1) & b->by_key.mask) {
			const struct flow_key *k = &b->keys[b->by_key.v[i] - 1];

			if (k->addr == addr && (addr != 0 || k->file == m->file))
				return k->col;
		}
	}
	if (addr != 0) {
		s = engine_str(b->e, addr);
		n = strlen(s);
		if (b->o->merge_hosts)
			n = flow_host_len(s, n);
	} else {
		ef = engine_file(b->e, m->file);
		if (ef != NULL && ef->local_name[0] != '\0')
			s = ef->local_name;
		else if (engine_nfiles(b->e) > 1) {
			snprintf(buf, sizeof buf, "local %u", (unsigned)m->file + 1u);
			s = buf;
		} else
			s = "local";
		n = strlen(s);
	}
	col = flow_col_by_name(b, s, n);
	b->keys = xgrow(b->keys, &b->capkeys, b->nkeys + 1, sizeof *b->keys);
	b->keys[b->nkeys].addr = addr;
	b->keys[b->nkeys].file = m->file;
	b->keys[b->nkeys].col = col;
	flow_tab_add(b, &b->by_key, (uint32_t)b->nkeys, b->nkeys + 1);
	b->nkeys++;
	return col;
}

/* A column titled "?" of its own, not found by name: the two sides of
 * messages with neither end given are two columns of one title. */
static int
flow_col_unnamed(struct flow_builder *b)
{
	struct flow *fl = b->fl;

	fl->cols = xgrow(fl->cols, &b->capcols, fl->ncols + 1,
	    sizeof *fl->cols);
	fl->cols[fl->ncols].name = xstrdup("?");
	return (int)fl->ncols++;
}

/* Whether message id, of which the log gives neither end, goes from the
 * side that sent its dialog's first request to the other: a request
 * does when it is from the same party (From) as that one, a response
 * when it is not (it answers the other side's request). Without a
 * dialog or a From to compare, requests go forth and responses back. */
static int
flow_unknown_forth(struct flow_builder *b, uint32_t id, const struct msg *m)
{
	const struct dialogs *ds = engine_dialogs(b->e);
	const struct dialog *dl;
	uint32_t d = dialogs_of(ds, m), from, first, to;
	int same = 1;

	if (d != NO_DIALOG && (dl = dialogs_get(ds, d)) != NULL &&
	    dl->nmsgs > 0) {
		engine_msg_party(b->e, dialogs_msgs(ds, dl)[0], &first, &to);
		engine_msg_party(b->e, id, &from, &to);
		same = first == 0 || from == 0 || from == first;
	}
	return m->kind == MSG_RESPONSE ? !same : same;
}

/* A diagnostic event belongs to the log's own end: its Peer is only what
 * the event is about. -1 when the local end has no column name. */
static int
flow_note_col(struct flow_builder *b, const struct msg *m)
{
	const char *name = engine_local_name(b->e, m->file);
	uint32_t id = intern_lookup(engine_strings(b->e), name, strlen(name));

	return flow_col(b, m, id, 1);
}

static void
flow_add_span(struct strbuf *sb, struct span s)
{
	sanitize_append(sb, s.p, s.n, 0);
}

/* "REGISTER [NTLM AUTHENTICATE]", "401 Unauthorized [Kerberos, NTLM]",
 * "INVITE (SDP)". */
static void
flow_label_sip(const struct flow_opts *o, const struct rd_record *rec,
	       const struct sipmsg *sm, struct flow_row *r, struct strbuf *sb)
{
	struct strbuf auth;

	if (sm->kind == SIP_REQUEST) {
		flow_add_span(sb, sm->method);
		if (o->show_ruri && sm->ruri.n > 0) {
			strbuf_addc(sb, ' ');
			flow_add_span(sb, sm->ruri);
		}
	} else if (sm->kind == SIP_RESPONSE) {
		strbuf_addf(sb, "%d", sm->status);
		if (sm->reason.n > 0) {
			strbuf_addc(sb, ' ');
			flow_add_span(sb, sm->reason);
		}
	} else {
		/* Not a valid start line: show it as it is, marked. */
		struct span st = span_trim(rec->start);
		const char *nl = st.n > 0 ? memchr(st.p, '\n', st.n) : NULL;

		if (nl != NULL)
			st.n = (size_t)(nl - st.p);
		if (st.n > 60)
			st.n = 60;
		strbuf_adds(sb, "? ");
		flow_add_span(sb, span_trim(st));
	}
	if (sipmsg_has_sdp(sm)) {
		r->sdp = 1;
		strbuf_adds(sb, " (SDP)");
	}
	strbuf_init(&auth);
	auth_message_label(sm, &auth);
	if (auth.len > 0) {
		strbuf_adds(sb, " [");
		sanitize_append(sb, auth.buf, auth.len, 0);
		strbuf_addc(sb, ']');
	}
	strbuf_free(&auth);
}

/* A diagnostic event: its level and its Text (as the list shows it), or
 * the Name: value lines when it has no Text. */
static void
flow_label_diag(const struct rd_record *rec, const struct sipmsg *sm,
		struct strbuf *sb)
{
	const struct sip_header *h = sipmsg_find_name(sm, "Text", 0);
	size_t i, n = 0;

	if (rec->diag_level.n > 0) {
		flow_add_span(sb, rec->diag_level);
		strbuf_adds(sb, ": ");
	}
	if (h != NULL) {
		flow_add_span(sb, span_trim(h->value));
		return;
	}
	for (i = 0; i < sm->nhdrs && sb->len < FLOW_LABEL_MAX; i++) {
		if (span_ieq(sm->hdrs[i].name, "LogType") ||
		    span_ieq(sm->hdrs[i].name, "Severity"))
			continue;
		if (n++ > 0)
			strbuf_adds(sb, "; ");
		flow_add_span(sb, sm->hdrs[i].name);
		strbuf_adds(sb, ": ");
		flow_add_span(sb, span_trim(sm->hdrs[i].value));
	}
	if (n == 0 && rec->start.n > 0)
		flow_add_span(sb, rec->start);
}

/* Cuts sb at FLOW_LABEL_MAX bytes on a character boundary. */
static void
flow_label_cut(struct strbuf *sb)
{
	size_t n = FLOW_LABEL_MAX;

	if (sb->len <= n)
		return;
	while (n > 0 && ((unsigned char)sb->buf[n] & 0xc0) == 0x80)
		n--;
	sb->len = n;
	sb->buf[n] = '\0';
	strbuf_adds(sb, "...");
}

static void
flow_add_row(struct flow_builder *b, uint32_t id, size_t *caprows,
	     int64_t *prev)
{
	const struct msgindex *ix = engine_index(b->e);
	const struct msg *m = msgindex_get(ix, id);
	struct flow *fl = b->fl;
	struct flow_row *r;
	struct rd_record rec;
	struct sipmsg sm;
	struct strbuf sb;
	int from, to;

	if (m->kind == MSG_DIAG && (from = flow_note_col(b, m)) != -1)
		to = from;	/* the server that logged it */
	else {
		uint32_t src, dst;

		engine_msg_ends(b->e, id, &src, &dst);
		from = flow_col(b, m, src, m->dir == DIR_OUT);
		to = flow_col(b, m, dst, m->dir == DIR_IN);
	}
	if (from == -1 && to == -1) {
		/* Neither end known: two sides, so that requests and their
		 * responses still read as a conversation. */
		int forth = flow_unknown_forth(b, id, m);

		if (b->unknown[0] == -1) {
			b->unknown[0] = flow_col_unnamed(b);
			b->unknown[1] = flow_col_unnamed(b);
		}
		from = b->unknown[!forth];
		to = b->unknown[forth];
	} else if (from == -1)
		from = flow_col_by_name(b, "?", 1);
	else if (to == -1)
		to = flow_col_by_name(b, "?", 1);

	fl->rows = xgrow(fl->rows, caprows, fl->nrows + 1, sizeof *fl->rows);
	r = &fl->rows[fl->nrows++];
	memset(r, 0, sizeof *r);
	r->id = id;
	r->kind = m->kind == MSG_DIAG ? FLOW_NOTE : FLOW_ARROW;
	r->severity = m->severity;
	r->from = from;
	r->to = r->kind == FLOW_NOTE ? from : to;
	r->self = r->from == r->to;
	r->time = m->time;
	r->time_prec = (uint8_t)MSG_TIME_PREC(m);
	r->dating = (uint8_t)msg_time_dating(m);
	r->delta = TIME_NONE;
	r->delta_prec = r->time_prec;
	if (m->time != TIME_NONE) {
		if (*prev != TIME_NONE) {
			r->delta = m->time - *prev;
			if (b->prev_prec > r->delta_prec)
				r->delta_prec = b->prev_prec;
		}
		*prev = m->time;
		b->prev_prec = r->time_prec;
	}

	strbuf_init(&sb);
	if (engine_message(b->e, id, &rec, &sm) == 0) {
		if (r->kind == FLOW_NOTE)
			flow_label_diag(&rec, &sm, &sb);
		else
			flow_label_sip(b->o, &rec, &sm, r, &sb);
		sipmsg_clear(&sm);
	}
	flow_label_cut(&sb);
	r->label = strbuf_detach(&sb);
}

/* The address that x's log calls its own end, as y (the same message in
 * another log) gives it: y has the same other end; 0 when it cannot
 * tell. */
static uint32_t
flow_twin_end(const struct engine *e, const struct twin_seen *x,
	      const struct twin_seen *y)
{
	if (x->dir == DIR_IN && x->src != 0 && y->src == x->src &&
	    twin_end_is_addr(e, y, 0))
		return y->dst;
	if (x->dir == DIR_OUT && x->dst != 0 && y->dst == x->dst &&
	    twin_end_is_addr(e, y, 1))
		return y->src;
	return 0;
}

/* Merged logs of one conversation seen from two places (a client's log
 * and its server's, which calls itself "local" or by its host name)
 * give one message twice: the same dialog, CSeq, method and status, with
 * the same far end. Where the other log gives an address for the end
 * this log calls its own, that end is drawn in that address's column,
 * when every such message agrees on it (b->alias). Groups of more than
 * TWIN_GROUP_MAX alike are not compared pair by pair. */
static void
flow_learn_ends(struct flow_builder *b, const uint32_t *ids, size_t n)
{
	size_t nfiles = engine_nfiles(b->e);
	size_t i, j, k, lo, ns = 0, named = 0;
	struct twin_seen *seen;

	for (i = 0; i < nfiles; i++) {
		const struct engine_file *f = engine_file(b->e, i);

		named += f != NULL && f->fmt != NULL && f->fmt->names_local;
	}
	if (nfiles < 2 || named == 0 || n < 2)
		return;
	seen = xcalloc(n, sizeof *seen);
	for (i = 0; i < n; i++)
		if (twin_seen_fill(b->e, ids[i], &seen[ns]) == 0)
			ns++;
	qsort(seen, ns, sizeof *seen, twin_cmp);
	for (lo = 0; lo < ns; lo = i) {
		for (i = lo + 1;
		     i < ns && twin_key_cmp(&seen[lo], &seen[i]) == 0; i++)
			;
		if (i - lo < 2 || i - lo > TWIN_GROUP_MAX ||
		    seen[lo].file == seen[i - 1].file)
			continue;
		for (j = lo; j < i; j++) {
			const struct twin_seen *x = &seen[j];
			const struct engine_file *f = engine_file(b->e, x->file);
			uint32_t end, own;

			if (f == NULL || f->fmt == NULL || !f->fmt->names_local)
				continue;
			for (k = lo; k < i; k++) {
				if (seen[k].file == x->file ||
				    (end = flow_twin_end(b->e, x, &seen[k])) == 0)
					continue;
				if (b->alias == NULL) {
					b->alias = xcalloc(nfiles,
					    sizeof *b->alias);
					b->alias_own = xcalloc(nfiles,
					    sizeof *b->alias_own);
					b->alias_col = xcalloc(nfiles,
					    sizeof *b->alias_col);
				}
				own = x->dir == DIR_IN ? x->dst : x->src;
				if (b->alias[x->file] == 0) {
					b->alias[x->file] = end;
					b->alias_own[x->file] = own;
				} else if (b->alias[x->file] != end ||
					   b->alias_own[x->file] != own)
					b->alias[x->file] = FLOW_END_MIXED;
			}
		}
	}
	free(seen);
}

/* A column that took a log's own end (flow_learn_ends) is titled with the
 * name that log gives it too: "203.0.113.10:443 (local)". */
static void
flow_name_learned(struct flow_builder *b)
{
	size_t i, nfiles = engine_nfiles(b->e);

	for (i = 0; b->alias != NULL && i < nfiles; i++) {
		struct flow_col *c;
		struct strbuf sb;
		const char *own;

		if (b->alias_col[i] == 0 || b->alias_own[i] == 0)
			continue;
		c = &b->fl->cols[b->alias_col[i] - 1];
		strbuf_init(&sb);
		sanitize_append(&sb, engine_str(b->e, b->alias_own[i]),
		    strlen(engine_str(b->e, b->alias_own[i])), 0);
		own = sb.buf != NULL ? sb.buf : "";
		/* Once, though several files may call it so. */
		if (strstr(c->name, own) == NULL) {
			char *name = xasprintf("%s (%s)", c->name, own);

			free(c->name);
			c->name = name;
		}
		strbuf_free(&sb);
	}
}

struct flow *
flow_build(const struct engine *e, const uint32_t *ids, size_t n,
	   const struct flow_opts *o)
{
	static const struct flow_opts defaults;
	struct flow_builder b;
	size_t i, count = msgindex_count(engine_index(e)), caprows = 0;
	int64_t prev = TIME_NONE;

	memset(&b, 0, sizeof b);
	b.e = e;
	b.o = o != NULL ? o : &defaults;
	b.fl = xcalloc(1, sizeof *b.fl);
	b.unknown[0] = b.unknown[1] = -1;
	flow_learn_ends(&b, ids, n);
	for (i = 0; i < n; i++) {
		if (ids[i] < count)
			flow_add_row(&b, ids[i], &caprows, &prev);
	}
	flow_name_learned(&b);
	free(b.alias);
	free(b.alias_own);
	free(b.alias_col);
	free(b.keys);
	free(b.by_key.v);
	free(b.by_name.v);
	return b.fl;
}

void
flow_free(struct flow *fl)
{
	size_t i;

	if (fl == NULL)
		return;
	for (i = 0; i < fl->ncols; i++)
		free(fl->cols[i].name);
	for (i = 0; i < fl->nrows; i++)
		free(fl->rows[i].label);
	free(fl->cols);
	free(fl->rows);
	free(fl);
}

void
flow_row_day(const struct flow_row *r, char *buf, size_t sz)
{
	char full[64], *d;

	buf[0] = '\0';
	if (r->time == TIME_NONE || r->dating == TIME_CLOCK)
		return;
	time_format(full, sizeof full, r->time, 0, r->dating);
	if (r->dating == TIME_DATED)
		snprintf(buf, sz, "%.10s", full);
	else if (r->dating == TIME_MONTHDAY)
		snprintf(buf, sz, "%.5s", full);	/* MM-DD */
	else if ((d = strpbrk(full, "+-")) != NULL)
		snprintf(buf, sz, "%s", d);
}

void
flow_row_time(const struct flow_row *r, char *buf, size_t sz)
{
	buf[0] = '\0';
	if (r->time != TIME_NONE)
		time_format(buf, sz, r->time, r->time_prec, TIME_CLOCK);
}

void
flow_row_delta(const struct flow_row *r, char *buf, size_t sz)
{
	if (r->delta == TIME_NONE)
		buf[0] = '\0';
	else
		time_format_span(buf, sz, r->delta, r->delta_prec, '+');
}

void
flow_day_marks(const struct flow *fl, uint8_t *mark)
{
	char prev[32] = "", day[32];
	size_t i;
	int timed = 0;

	for (i = 0; i < fl->nrows; i++) {
		flow_row_day(&fl->rows[i], day, sizeof day);
		mark[i] = timed && day[0] != '\0' && strcmp(day, prev) != 0;
		if (day[0] != '\0')
			memcpy(prev, day, sizeof prev);
		timed |= fl->rows[i].time != TIME_NONE;
	}
}

long
flow_find(const struct flow *fl, uint32_t id)
{
	size_t lo = 0, hi = fl->nrows, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fl->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fl->nrows && fl->rows[lo].id == id ? (long)lo : -1;
}

