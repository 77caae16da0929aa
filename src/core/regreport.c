/* regreport: summarises each REGISTER dialog of an indexed trace: user,
 * client and server, schemes offered and used, attempts, outcome, the time
 * it took and one line saying why it ended as it did. Pure core. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"
#include "engine.h"
#include "auth.h"
#include "rules.h"
#include "regreport.h"

static int
regreport_is_register(const struct engine *e, uint32_t method)
{
	return method != 0 && strcasecmp(engine_str(e, method), "REGISTER") == 0;
}

/* Whether the ", "-separated list holds the n bytes at p. */
static int
regreport_list_has(const char *list, const char *p, size_t n)
{
	const char *q;
	size_t ln;

	while (*list != '\0') {
		q = strstr(list, ", ");
		ln = q != NULL ? (size_t)(q - list) : strlen(list);
		if (ln == n && strncmp(list, p, n) == 0)
			return 1;
		if (q == NULL)
			break;
		list = q + 2;
	}
	return 0;
}

/* Appends each ", "-separated name of list to acc unless already there. */
static void
regreport_merge_names(struct strbuf *acc, const char *list)
{
	const char *p = list, *q;
	size_t n;

	while (*p != '\0') {
		q = strstr(p, ", ");
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n > 0 && !regreport_list_has(acc->buf != NULL ? acc->buf :
		    "", p, n)) {
			if (acc->len > 0)
				strbuf_adds(acc, ", ");
			strbuf_add(acc, p, n);
		}
		if (q == NULL)
			break;
		p = q + 2;
	}
}

/* CSeq numbers seen, to count attempts once each (a proxy logs a REGISTER
 * in and out; a client retransmits it): gathered, then counted once
 * sorted (regreport_distinct), so that a dialog of many attempts costs no
 * more than its size. */
static void
regreport_seen(uint32_t **v, size_t *n, size_t *cap, uint32_t cseq)
{
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	(*v)[(*n)++] = cseq;
}

static int
regreport_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* How many distinct numbers v holds (sorts it). */
static size_t
regreport_distinct(uint32_t *v, size_t n)
{
	size_t i, k = n > 0;

	if (n > 1)
		qsort(v, n, sizeof *v, regreport_cmp_u32);
	for (i = 1; i < n; i++)
		k += v[i] != v[i - 1];
	return k;
}

/* Appends the Call-ID of dialog d, whatever bytes it holds. */
static void
regreport_call_id(const struct engine *e, uint32_t d, struct strbuf *out)
{
	size_t n;
	const char *s = intern_str(engine_call_ids(e), dialogs_call_id(
	    engine_dialogs(e), engine_index(e),
	    dialogs_get(engine_dialogs(e), d)), &n);

	strbuf_add(out, s, n);
}

/* A copy of string id of e, NUL-terminated, its length in *n. */
static char *
regreport_str(const struct engine *e, uint32_t id, size_t *n)
{
	const char *s = intern_str(engine_strings(e), id, n);

	return xstrndup(s, *n);
}

/* Appends "; warning: " and the explanation of message id (the one that
 * made a dialog that got through a warning or an error). */
static void
regreport_but(const struct engine *e, const struct rules *rules, uint32_t id,
	      struct strbuf *out)
{
	struct strbuf ex;
	const struct msg *x;

	if (id == UINT32_MAX || rules == NULL)
		return;
	x = msgindex_get(engine_index(e), id);
	strbuf_init(&ex);
	rules_explain(rules, e, id, &ex);
	if (ex.len > 0) {
		strbuf_addf(out, "; %s: ", x->severity == SEV_ERROR ?
		    "error" : "warning");
		strbuf_add(out, ex.buf, ex.len);
	}
	strbuf_free(&ex);
}

/* The status of the last final response of dialog d, 0 when none: what
 * a retry on a new Call-ID answered (a challenge, or a 423). */
static unsigned
regreport_last_final(const struct engine *e, uint32_t d)
{
	const struct dialog *dg = dialogs_get(engine_dialogs(e), d);
	const struct msg *m;
	size_t j;

	for (j = dg != NULL ? dg->nmsgs : 0; j-- > 0;) {
		m = msgindex_get(engine_index(e),
				 dialogs_msgs(engine_dialogs(e), dg)[j]);
		if (m->kind == MSG_RESPONSE && m->status >= 200)
			return m->status;
	}
	return 0;
}

/* Whether challenge ch was answered on a new Call-ID by a dialog that got
 * through (a 2xx). */
static int
regreport_retry_through(const struct engine *e, uint32_t ch)
{
	const struct dialog *dg;

	if (ch == UINT32_MAX)
		return 0;
	dg = dialogs_get(engine_dialogs(e), rules_retry_dialog(e, ch));
	return dg != NULL && dg->outcome >= 200 && dg->outcome < 300;
}

/* worst: the first message as bad as the dialog when that is a warning or
 * an error, else UINT32_MAX. */
static void
regreport_explain(const struct engine *e, const struct rules *rules,
		  struct regreport_entry *ent, const struct strbuf *used,
		  uint32_t worst, struct strbuf *out)
{
	struct strbuf ex;
	int was = ent->registered_msg != UINT32_MAX, expected, through;
	int unknown;
	uint32_t a;

	if (ent->status >= 200 && ent->status < 300 &&
	    ent->registered_msg == UINT32_MAX && ent->signed_out) {
		/* Only a sign-out in the trace. */
		strbuf_adds(out, "signed out (Expires: 0)");
		if (used->len > 0)
			strbuf_addf(out, " with %s", used->buf);
		regreport_but(e, rules, worst, out);
		return;
	}
	if (ent->status >= 200 && ent->status < 300) {
		strbuf_adds(out, "registered");
		if (used->len > 0)
			strbuf_addf(out, " with %s", used->buf);
		if (ent->attempts > 1)
			strbuf_addf(out, " (%u REGISTER requests)",
			    ent->attempts);
		if ((a = rules_answered_dialog(e, ent->dialog)) != NO_DIALOG) {
			strbuf_addf(out, ", %s of Call-ID ",
			    regreport_last_final(e, a) == 423 ?
			    "asking again after the 423 Interval Too Brief" :
			    "answering the challenge");
			regreport_call_id(e, a, out);
		}
		if (ent->remote_user)
			strbuf_adds(out, "; remote user (through an edge)");
		if (ent->signed_out)
			strbuf_adds(out, "; then signed out (Expires: 0)");
		/* Got through, but the severity says something went wrong
		 * on the way (Kerberos refused before NTLM worked): say
		 * what, or the column contradicts the line. */
		regreport_but(e, rules, worst, out);
		return;
	}
	strbuf_init(&ex);
	if (ent->final_msg != UINT32_MAX && rules != NULL)
		rules_explain(rules, e, ent->final_msg, &ex);
	/* Ends with an expected challenge: answered on another Call-ID,
	 * whose own line says how the registration went. */
	expected = ex.len > 0 && ent->final_msg != UINT32_MAX &&
	    msgindex_get(engine_index(e), ent->final_msg)->severity ==
	    SEV_BENIGN;
	/* Or with a challenge the client answered on another Call-ID that
	 * got through (after credentials refused here): not "not
	 * registered", nor a refresh that "failed", though the severity
	 * keeps what went wrong. */
	through = ex.len > 0 && !expected &&
	    regreport_retry_through(e, ent->final_msg);
	if (!was && through)
		expected = 1;
	/* Or with a challenge the trace ends too soon after to tell
	 * whether the client answered it: not a failure, and its
	 * explanation says the outcome is unknown. */
	unknown = ex.len > 0 && !expected && !through &&
	    rules_outcome_unknown(rules, e, ent->final_msg);
	if (!was && (expected || unknown)) {
		strbuf_add(out, ex.buf, ex.len);
		strbuf_free(&ex);
		return;
	}
	/* Registered first: a refresh (or the sign-out) is what failed. */
	if (was) {
		strbuf_adds(out, "registered");
		if (used->len > 0)
			strbuf_addf(out, " with %s", used->buf);
		strbuf_addf(out, ", then the last of %u REGISTER requests%s ",
		    ent->attempts, ent->signed_out ? " (a sign-out)" : "");
	} else
		strbuf_adds(out, "not registered: ");
	if (ent->status == 0) {
		strbuf_adds(out, was ? "got no final response" :
		    "no final response to the last REGISTER");
		if (!was && ent->attempts > 1)
			strbuf_addf(out, " (attempt %u)", ent->attempts);
	} else if (ex.len > 0) {
		/* A refresh challenged (a stale nonce) and answered on a new
		 * Call-ID did not fail, nor one redirected to the home
		 * server (Lync). */
		const char *pre = "";

		if (was && through)
			pre = "was refused: ";
		else if (was && unknown)
			pre = "was challenged, ";
		else if (was && !expected)
			pre = "failed: ";
		else if (was && ent->status >= 300 && ent->status < 400)
			pre = strncmp(ex.buf, "redirected", 10) == 0 ? "was " :
			    "was redirected: ";
		else if (was)
			pre = "was challenged: ";
		strbuf_adds(out, pre);
		strbuf_add(out, ex.buf, ex.len);
	} else {
		strbuf_addf(out, "%s%u ", was ? "failed: " : "", ent->status);
		strbuf_add(out, ent->reason, ent->nreason);
	}
	strbuf_free(&ex);
}

static int
regreport_has(const uint32_t *v, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == x)
			return 1;
	}
	return 0;
}

/* The expires parameter of one Contact entry (its own parameters, after
 * the <uri>, not the URI's), or -1 when it has none. */
static long
regreport_entry_expires(struct span v)
{
	size_t i = 0, n = v.n;
	const char *p = v.p;
	long e;

	/* Past the name-addr's <uri>, or the addr-spec's URI. */
	for (; i < n && p[i] != '<' && p[i] != ';'; i++) {
		if (p[i] == '"')
			for (i++; i < n && p[i] != '"'; i++)
				i += p[i] == '\\';
	}
	if (i < n && p[i] == '<')
		while (i < n && p[i] != '>')
			i++;
	while (i < n) {
		for (; i < n && p[i] != ';'; i++)
			;
		for (i++; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		if (n - i > 8 && strncasecmp(p + i, "expires", 7) == 0) {
			size_t k = i + 7;

			while (k < n && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (k < n && p[k] == '=') {
				for (k++; k < n && (p[k] == ' ' || p[k] == '"');
				     k++)
					;
				for (e = 0; k < n && p[k] >= '0' && p[k] <= '9';
				     k++)
					e = e * 10 + (p[k] - '0');
				return e;
			}
		}
	}
	return -1;
}

/* Whether a REGISTER asks to be removed: every Contact entry's expires
 * (its own parameter, else the Expires header) is 0, or "Contact: *"
 * with Expires: 0 (RFC 3261 10.2.2). */
static int
regreport_signs_out(const struct sipmsg *m)
{
	const struct sip_header *h = sipmsg_find(m, HDR_EXPIRES, 0);
	long hexp = -1, e;
	size_t i, n = 0, zero = 0, a, b;
	int q, angle;

	if (h != NULL) {
		struct span v = span_trim(h->value);

		hexp = v.n > 0 && v.p[0] >= '0' && v.p[0] <= '9' ?
		    strtol(v.p, NULL, 10) : -1;
	}
	for (i = 0; (h = sipmsg_find(m, HDR_CONTACT, i)) != NULL; i++) {
		/* Entries split at commas outside quotes and <>. */
		for (a = 0, b = 0, q = 0, angle = 0; b <= h->value.n; b++) {
			char c = b < h->value.n ? h->value.p[b] : ',';

			if (c == '"' && !angle)
				q = !q;
			else if (!q && c == '<')
				angle = 1;
			else if (!q && c == '>')
				angle = 0;
			if (c != ',' || q || angle)
				continue;
			{
				struct span en = span_trim((struct span){
				    h->value.p + a, b - a });

				a = b + 1;
				if (en.n == 0)
					continue;
				n++;
				e = en.n == 1 && en.p[0] == '*' ? -1 :
				    regreport_entry_expires(en);
				if (e < 0)
					e = hexp;
				zero += e == 0;
			}
		}
	}
	/* No Contact: a query of the bindings, not a removal. */
	return n > 0 && zero == n;
}

/* A REGISTER dialog's messages as read so far: regreport_dialog() reads
 * them at once, regreport_build_step() in steps (a dialog of thousands of
 * refreshes is no longer read in one go). */
struct regreport_acc {
	uint32_t d;
	size_t nmsgs;		/* the dialog's when begun: those read */
	size_t i;		/* the next of them */
	uint32_t hi;		/* the highest REGISTER CSeq: the last attempt */
	uint32_t first_id, resp_id, final_id, worst;
	struct strbuf offered, used, one, ex;
	uint32_t *cseqs, *rcseqs;
	uint32_t *outs;		/* CSeqs of sign-outs */
	size_t ncseqs, capcseqs, nrcseqs, caprcseqs, nouts, capouts;
	int remote;
	struct regreport_entry out;
};

/* Begins dialog d in a; -1 when it is no REGISTER dialog. */
static int
regreport_acc_begin(const struct engine *e, uint32_t d,
		    struct regreport_acc *a)
{
	const struct dialog *dg = dialogs_get(engine_dialogs(e), d);
	struct msgindex *ix = engine_index(e);
	const struct msg *x;
	const uint32_t *ids;
	int have_hi = 0;
	size_t i;

	if (dg == NULL || !regreport_is_register(e, dialogs_kind(
	    engine_dialogs(e), engine_index(e), dg)))
		return -1;
	memset(a, 0, sizeof *a);
	a->d = d;
	a->nmsgs = dg->nmsgs;
	a->first_id = a->resp_id = a->final_id = a->worst = UINT32_MAX;
	a->out.registered = TIME_NONE;
	a->out.registered_msg = UINT32_MAX;
	strbuf_init(&a->offered);
	strbuf_init(&a->used);
	strbuf_init(&a->one);
	strbuf_init(&a->ex);
	/* The last attempt is the one with the highest CSeq (the index
	 * says, without reading the messages). */
	ids = dialogs_msgs(engine_dialogs(e), dg);
	for (i = 0; i < dg->nmsgs; i++) {
		x = msgindex_get(ix, ids[i]);
		if ((x->kind == MSG_REQUEST || x->kind == MSG_RESPONSE) &&
		    regreport_is_register(e, msgindex_method(ix,
					  ids[i])) &&
		    (!have_hi || x->cseq > a->hi)) {
			a->hi = x->cseq;
			have_hi = 1;
		}
	}
	return 0;
}

static void
regreport_acc_free(struct regreport_acc *a)
{
	free(a->cseqs);
	free(a->rcseqs);
	free(a->outs);
	strbuf_free(&a->offered);
	strbuf_free(&a->used);
	strbuf_free(&a->one);
	strbuf_free(&a->ex);
	regreport_entry_clear(&a->out);
}

/* Reads a's next messages, one off *budget each; returns 1 once all are
 * read. */
static int
regreport_acc_read(const struct engine *e, struct regreport_acc *a,
		   size_t *budget)
{
	const struct dialog *dg = dialogs_get(engine_dialogs(e), a->d);
	struct msgindex *ix = engine_index(e);
	struct regreport_entry *out = &a->out;
	const struct msg *x;
	struct rd_record rec;
	struct sipmsg m;
	const struct sip_header *h;
	const uint32_t *ids;
	enum auth_scheme sch;
	size_t n;

	if (dg == NULL)
		return 1;	/* the dialogs were built again meanwhile */
	ids = dialogs_msgs(engine_dialogs(e), dg);
	n = a->nmsgs < dg->nmsgs ? a->nmsgs : dg->nmsgs;
	for (; a->i < n && *budget > 0; a->i++, (*budget)--) {
		uint32_t id = ids[a->i];

		x = msgindex_get(ix, id);
		/* A server's event may be what made the dialog bad. */
		if (a->worst == UINT32_MAX && x->severity == dg->severity &&
		    (x->severity == SEV_WARNING || x->severity == SEV_ERROR))
			a->worst = id;
		if (x->kind != MSG_REQUEST && x->kind != MSG_RESPONSE)
			continue;
		if (engine_message(e, id, &rec, &m) != 0)
			continue;
		if ((h = sipmsg_find(&m, HDR_MS_USER_LOGON_DATA, 0)) != NULL &&
		    span_ifind(h->value, "RemoteUser", 10) >= 0)
			a->remote = 1;
		if (!regreport_is_register(e, msgindex_method(ix, id))) {
			sipmsg_clear(&m);
			continue;
		}
		if (x->kind == MSG_REQUEST) {
			if (a->first_id == UINT32_MAX)
				a->first_id = id;
			if (regreport_signs_out(&m)) {
				/* Its 2xx is no registration. */
				a->outs = xgrow(a->outs, &a->capouts,
						a->nouts + 1, sizeof *a->outs);
				a->outs[a->nouts++] = x->cseq;
				if (x->cseq == a->hi)
					out->signed_out = 1;
			}
			regreport_seen(&a->cseqs, &a->ncseqs, &a->capcseqs,
				       x->cseq);
			if ((sch = auth_credentials(&m, NULL)) != AUTH_NONE) {
				strbuf_reset(&a->used);
				strbuf_adds(&a->used, auth_scheme_name(sch));
			}
		} else {
			regreport_seen(&a->rcseqs, &a->nrcseqs, &a->caprcseqs,
				       x->cseq);
			if (a->resp_id == UINT32_MAX)
				a->resp_id = id;
			strbuf_reset(&a->one);
			auth_offered_names(&m, &a->one);
			if (a->one.len > 0)
				regreport_merge_names(&a->offered, a->one.buf);
			if (x->status >= 200 && x->status < 300 &&
			    out->registered_msg == UINT32_MAX &&
			    !regreport_has(a->outs, a->nouts, x->cseq)) {
				out->registered_msg = id;
				out->registered = x->time;
			}
			if (x->status >= 200 && x->cseq == a->hi &&
			    a->final_id == UINT32_MAX) {
				a->final_id = id;
				out->status = x->status;
				strbuf_reset(&a->ex);
				strbuf_add(&a->ex, m.reason.p, m.reason.n);
			}
		}
		sipmsg_clear(&m);
	}
	return a->i >= n;
}

/* The entry of a, all read, into *out; frees a's own. */
static void
regreport_acc_end(const struct engine *e, const struct rules *rules,
		  struct regreport_acc *a, struct regreport_entry *out)
{
	const struct dialog *dg = dialogs_get(engine_dialogs(e), a->d);
	struct msgindex *ix = engine_index(e);
	uint32_t src, dst;

	*out = a->out;
	memset(&a->out, 0, sizeof a->out);
	out->dialog = a->d;
	out->user = regreport_str(e, dg != NULL ? dg->from : 0, &out->nuser);
	out->first_msg = a->first_id;
	if (a->first_id != UINT32_MAX) {
		engine_msg_ends(e, a->first_id, &src, &dst);
		out->client = regreport_str(e, src, &out->nclient);
		out->server = regreport_str(e, dst, &out->nserver);
		out->first = msgindex_get(ix, a->first_id)->time;
	} else {
		/* Only responses in the trace: they go server -> client. */
		src = dst = 0;
		if (a->resp_id != UINT32_MAX)
			engine_msg_ends(e, a->resp_id, &src, &dst);
		out->client = regreport_str(e, dst, &out->nclient);
		out->server = regreport_str(e, src, &out->nserver);
		out->first = TIME_NONE;
	}
	out->offered = xstrdup(a->offered.buf != NULL ? a->offered.buf : "");
	out->used = xstrdup(a->used.buf != NULL ? a->used.buf : "");
	out->remote_user = a->remote;
	a->ncseqs = regreport_distinct(a->cseqs, a->ncseqs);
	a->nrcseqs = regreport_distinct(a->rcseqs, a->nrcseqs);
	out->attempts = (unsigned)(a->ncseqs > 0 ? a->ncseqs : a->nrcseqs);
	out->reason = xstrndup(a->ex.buf != NULL ? a->ex.buf : "", a->ex.len);
	out->nreason = a->ex.len;
	out->final_msg = a->final_id;
	out->final = a->final_id != UINT32_MAX ?
	    msgindex_get(ix, a->final_id)->time : TIME_NONE;
	{
		int64_t end = out->registered != TIME_NONE ? out->registered :
		    out->final;

		out->elapsed_us = out->first != TIME_NONE && end != TIME_NONE &&
		    end >= out->first ? end - out->first : -1;
	}
	out->severity = dg != NULL ? dg->severity : SEV_NONE;
	strbuf_reset(&a->one);
	regreport_explain(e, rules, out, &a->used, a->worst, &a->one);
	out->nexplain = a->one.len;
	out->explain = strbuf_detach(&a->one);
	regreport_acc_free(a);
}

int
regreport_dialog(const struct engine *e, const struct rules *rules,
		 uint32_t d, struct regreport_entry *out)
{
	struct regreport_acc a;
	size_t budget = SIZE_MAX;

	if (regreport_acc_begin(e, d, &a) != 0)
		return -1;
	regreport_acc_read(e, &a, &budget);
	regreport_acc_end(e, rules, &a, out);
	return 0;
}

void
regreport_build(const struct engine *e, const struct rules *rules,
		struct regreport *out)
{
	size_t budget = SIZE_MAX;

	memset(out, 0, sizeof *out);
	regreport_build_step(e, rules, out, 0, &budget);
}

size_t
regreport_build_step(const struct engine *e, const struct rules *rules,
		     struct regreport *rr, size_t from, size_t *budget)
{
	size_t n = dialogs_count(engine_dialogs(e)), i = from;
	struct regreport_entry ent;

	/* Room for an entry per dialog at once: growing the array by
	 * copying took up to 17 ms at 39k entries (a million messages), in
	 * one step; the pages of what is not used are never touched. */
	if (rr->cap == 0 && n > 0) {
		rr->v = xmalloc(n * sizeof *rr->v);
		rr->cap = n;
	}
	if (rr->acc != NULL && rr->acc->d != from) {
		regreport_acc_free(rr->acc);	/* not where it was left */
		free(rr->acc);
		rr->acc = NULL;
	}
	while (i < n && *budget > 0) {
		if (rr->acc == NULL) {
			rr->acc = xmalloc(sizeof *rr->acc);
			if (regreport_acc_begin(e, (uint32_t)i, rr->acc) != 0) {
				free(rr->acc);
				rr->acc = NULL;
				i++;
				(*budget)--;
				continue;
			}
		}
		if (!regreport_acc_read(e, rr->acc, budget))
			break;	/* more of it in the next step */
		regreport_acc_end(e, rules, rr->acc, &ent);
		free(rr->acc);
		rr->acc = NULL;
		rr->v = xgrow(rr->v, &rr->cap, rr->n + 1, sizeof *rr->v);
		rr->v[rr->n++] = ent;
		i++;
	}
	return i;
}

void
regreport_update(const struct engine *e, const struct rules *rules,
		 struct regreport *rr, size_t from)
{
	const struct dialogs *ds = engine_dialogs(e);
	struct msgindex *ix = engine_index(e);
	size_t n = msgindex_count(ix), i, k, lo, hi, nd = 0, cap = 0;
	uint32_t *touched = NULL, d;
	struct regreport_entry ent;
	int rc;

	/* The dialogs the new messages went to, each once, and those whose
	 * challenge they answered on a new Call-ID (rated again with them). */
	for (i = from; i < n; i++) {
		d = dialogs_of(ds, msgindex_get(ix, (uint32_t)i));
		if (d == NO_DIALOG || (nd > 0 && touched[nd - 1] == d))
			continue;
		touched = xgrow(touched, &cap, nd + 2, sizeof *touched);
		touched[nd++] = d;
		if ((d = rules_answered_dialog(e, d)) != NO_DIALOG)
			touched[nd++] = d;
	}
	if (nd > 1)
		qsort(touched, nd, sizeof *touched, regreport_cmp_u32);
	for (i = 0; i < nd; i++) {
		if (i > 0 && touched[i] == touched[i - 1])
			continue;
		d = touched[i];
		/* Its place among the entries, which are in dialog order. */
		for (lo = 0, hi = rr->n; lo < hi;) {
			k = lo + (hi - lo) / 2;
			if (rr->v[k].dialog < d)
				lo = k + 1;
			else
				hi = k;
		}
		rc = regreport_dialog(e, rules, d, &ent);
		if (lo < rr->n && rr->v[lo].dialog == d) {
			regreport_entry_clear(&rr->v[lo]);
			if (rc == 0) {
				rr->v[lo] = ent;
				continue;
			}
			memmove(&rr->v[lo], &rr->v[lo + 1],
				(rr->n - lo - 1) * sizeof *rr->v);
			rr->n--;
		} else if (rc == 0) {
			rr->v = xgrow(rr->v, &rr->cap, rr->n + 1,
				      sizeof *rr->v);
			memmove(&rr->v[lo + 1], &rr->v[lo],
				(rr->n - lo) * sizeof *rr->v);
			rr->v[lo] = ent;
			rr->n++;
		}
	}
	free(touched);
}

void
regreport_entry_clear(struct regreport_entry *ent)
{
	free(ent->user);
	free(ent->client);
	free(ent->server);
	free(ent->offered);
	free(ent->used);
	free(ent->reason);
	free(ent->explain);
	memset(ent, 0, sizeof *ent);
}

void
regreport_free(struct regreport *rr)
{
	size_t i;

	if (rr == NULL)
		return;
	for (i = 0; i < rr->n; i++)
		regreport_entry_clear(&rr->v[i]);
	free(rr->v);
	if (rr->acc != NULL) {
		regreport_acc_free(rr->acc);
		free(rr->acc);
	}
	memset(rr, 0, sizeof *rr);
}
