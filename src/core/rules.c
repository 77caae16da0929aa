/* rules: reads a rules file (syntax in sipsnoop-rules(5)) into rule blocks
 * with PCRE2 patterns compiled once, then rates messages with the first
 * rule that matches, seeing each message in the context of its dialog. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rules.h"
#include "engine.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

enum rules_pred_type {
	RP_KIND,
	RP_DIR,
	RP_METHOD,
	RP_STATUS,
	RP_HEADER,
	RP_HEADER_RE,
	RP_START_RE,
	RP_BODY_RE,
	RP_CHALLENGE,
	RP_OUTCOME,
	RP_REPLY,
	RP_PHASE,
	RP_AFTER_CANCEL,
	RP_RETRANS,
	RP_CREDS,
	RP_DIAGCODE,	/* the ms-diagnostics code */
	RP_RECHALLENGE,
};

struct rules_range {
	uint16_t lo, hi;
};

/* One condition line. Word lists (kind, direction, the context values)
 * are bit masks in the order of their name tables below. */
struct rules_pred {
	enum rules_pred_type type;
	int neg;
	uint32_t line;
	unsigned mask;
	char **words;			/* method */
	size_t nwords, capwords;
	struct rules_range *ranges;	/* status */
	size_t nranges, capranges;
	char *hname;			/* header */
	pcre2_code *re;
};

#define RULES_STATUS_BITS 704

struct rules_rule {
	char *name;
	uint32_t line;
	uint8_t severity;
	uint32_t severity_line;	/* its severity line, 0 before one */
	int from_log;		/* severity log: the event's own level */
	char *explain;
	uint32_t explain_line;
	struct rules_pred *preds;
	size_t npreds, cappreds;
	unsigned kinds;		/* the kinds its "kind" lines let through */
	/* The response statuses its "status" lines let through, a bit for
	 * each of 0 to RULES_STATUS_BITS - 1 (rules_status_bits). */
	uint32_t statuses[RULES_STATUS_BITS / 32];
};

/* What rating needs about a message itself, taken once while indexing
 * (rules_index_message) and kept in msg->facts, one byte: rating a dialog
 * again whenever it grows must not read its older messages again. */
#define RULES_F_CREDS		0x01	/* a request with credentials */
#define RULES_F_SCHEME_SHIFT	1	/* their enum auth_scheme, 3 bits */
/* Of a request: its Digest credentials for a 401 (in Authorization, or
 * without Digest ones there in Proxy-Authorization) are computed with MD5
 * (or MD5-sess; none named is MD5); RULES_X_PROXY_MD5 says the same of
 * those for a 407. */
#define RULES_F_MD5		0x10
/* Of a request: its credentials only open a handshake
 * (auth_opens_handshake), which a 401 then continues. */
#define RULES_F_OPENS		0x20
/* Of a request: it has an Authorization, a Proxy-Authorization header. */
#define RULES_F_AUTHZ		0x40
#define RULES_F_PROXY_AUTHZ	0x80
/* Of a 401 or 407: the schemes it offers, an auth_offered() set (bits 1
 * to 6: AUTH_NONE is never offered, and a scheme auth does not know is left
 * out, to keep bit 7), and what auth_challenge_info() says of it. */
#define RULES_F_OFFERED(f)	((unsigned)(f) & 0x7e)
#define RULES_F_STALE		0x01	/* stale=true */
#define RULES_F_NEXT_LEG	0x80	/* the next token of a handshake */
/* Of a diagnostic event (its other bits are 0): the log's level. */
#define RULES_F_LEVEL_SHIFT	5	/* severity + 1, 0 none */
#define RULES_F_SCHEME(f)	((enum auth_scheme)(((f) >> 1) & 0x07))
#define RULES_F_LEVEL(f)	((int)((f) >> RULES_F_LEVEL_SHIFT) - 1)
/* A ninth bit, in msg->flags (MSG_FACT_FLAG), of a 401 or 407: it offers
 * Digest, but none of its Digest challenges with MD5 (AUTH_CH_NO_MD5):
 * credentials computed with MD5 cannot answer it. */
#define RULES_X_NO_MD5		MSG_FACT_FLAG
/* The ninth bit of a request with credentials: RULES_F_MD5's for a 407,
 * the Digest credentials in Proxy-Authorization. */
#define RULES_X_PROXY_MD5	MSG_FACT_FLAG

/* The context of one message in its dialog, computed by each rating of the
 * dialog and thrown away after it (explanations compute it again). */
/* Why a 401/407 to a request with credentials challenges again
 * (rules_rechallenge_names). */
enum rules_rech {
	RULES_RECH_NO = 0,	/* not a 401/407 to credentials */
	RULES_RECH_STALE,	/* stale=true: the nonce, not the password */
	RULES_RECH_HANDSHAKE,	/* the handshake's next leg */
	RULES_RECH_REUSED,	/* credentials of an earlier exchange, sent
				 * unasked (an old nonce, a Lync security
				 * association), not an answer to a challenge */
	RULES_RECH_OTHER_REALM,	/* a realm they were not for */
	RULES_RECH_REJECTED,	/* the credentials were refused */
	/* Refused, and they were computed with MD5 while the challenge
	 * offers Digest only with other algorithms: a client that cannot do
	 * what the server asks, not a wrong password. Also matches
	 * "rechallenge rejected", as before it was told apart. */
	RULES_RECH_ALGORITHM,
};

struct rules_ctx {
	uint8_t answered, outcome, reply, after_cancel, retrans, creds_sent;
	uint8_t rechallenge;	/* enum rules_rech */
	uint32_t used;		/* interned scheme of its own credentials */
	uint32_t answer_scheme;	/* interned scheme of the retry that answered */
	uint8_t answer_sch;	/* the same, an enum auth_scheme */
	uint32_t txn_scheme;	/* interned scheme of the request this answers */
	uint32_t txn_req;	/* message id + 1 of that request, 0 none */
	uint32_t answer_req;	/* message id + 1 of the retry that answered */
	uint8_t elsewhere;	/* that retry opened a dialog of its own (a new
				 * Call-ID): struct rules_state */
	uint8_t answer_cut;	/* not answered as far as the log shows, but
				 * a later request of its method is cut short
				 * there, or the log ends in the challenge
				 * itself: the answer may be in what the log
				 * lost ("challenge cut") */
	uint8_t retried;	/* a response: a later request of its method
				 * follows in its dialog */
	uint8_t awaited;	/* not answered yet, just read from an input
				 * being followed: the answer may still come
				 * ("challenge awaited", rules_awaited) */
	uint8_t late;		/* not answered: the next request of its
				 * method with credentials came more than
				 * RULES_RETRY_WINDOW after it, another try
				 * ("challenge answered-late") */
	uint8_t trace_end;	/* not answered, and nothing else of its
				 * method after it in its dialog: the trace
				 * read ends less than 32 seconds after it
				 * and its input is not read live, so the
				 * answer may have come after the trace
				 * ends (engine_trace_ends_after, "challenge
				 * trace-end") */
	uint8_t reply_awaited;	/* a request nothing answered yet, just read
				 * from an input being followed: its response
				 * may still come ("reply awaited",
				 * rules_awaited) */
	uint8_t reply_end;	/* a request nothing answered, and the trace
				 * ends soon after it as after a challenge
				 * (trace_end): its response may have come
				 * after the trace ends ("reply trace-end") */
};

/* The contexts rules_explain() worked out, of the long dialogs last asked
 * about. Asked of each message in turn (--list --json, the detail pane
 * going down the list), working a dialog's out again every time made a
 * dialog of n messages cost n^2 (10,000 REGISTERs in one Call-ID took
 * 1.3 s), and keeping only the last dialog's did the same to dialogs
 * interleaved in the log (four calls of 4000 messages: 2.1 s).
 *
 * A slot keeps the contexts of a whole dialog when there is room for it
 * among the msgs of all slots. Else of its messages near the one asked
 * about: those among the next span message ids (from span / 8 before it),
 * at least span / 128 of them, evicting the slots least recently asked
 * about to make room. Going through the log in order, each such dialog is
 * then worked out again once per span messages of the log however many
 * are interleaved, and the slots of those going on at once hold about
 * span contexts between them, however long the dialogs. A slot holds
 * while the dialogs (their epoch) and the dialog's length are the same
 * and until the dialog is rated again: its context changes only then.
 * Dialogs shorter than RULES_XC_SHORT are worked out every time: that
 * costs little, and a busy log has so many at once that they would push
 * the long ones out. */
#define RULES_XC_SHORT	64
/* rules_set_explain_cache()'s defaults */
#define RULES_XC_SLOTS	256
#define RULES_XC_MSGS	131072	/* 5 MB */
#define RULES_XC_SPAN	65536

struct rules_xslot {
	uint64_t epoch;		/* 0: empty (epochs start at 1) */
	uint64_t used;		/* the clock when last asked about */
	uint32_t dialog;
	size_t n;		/* the dialog's length then */
	size_t first, count;	/* the messages kept, by position in it */
	struct rules_ctx *ctx;	/* count of them */
};

struct rules_xcache {
	struct rules_xslot *slot;
	size_t nslots, max_msgs, span;
	size_t held;		/* contexts in all the slots */
	size_t last;		/* the slot last asked about */
	uint64_t clock;
	uint64_t computed;	/* rules_explain_counts() */
};

struct rules {
	struct rules_rule *rules;
	size_t nrules, caprules;
	uint32_t maxcap;
	pcre2_match_data *md;		/* shared: sized for the largest pattern */
	struct rules_xcache *xc;	/* shared too: rules_explain's */
};

struct rules_parser;

static int rules_var_known(struct span);
static void rules_xcache_clear(struct rules_xcache *);
static void rules_check_captures(struct rules_parser *,
				 const struct rules_rule *);
#include "msgindex.h"
#include "auth.h"

struct rules_parser {
	const char *name;
	struct strbuf *errs;
	uint32_t line;
	int nerrs;
	/* Rule numbers + 1 by a hash of their names, to tell one defined
	 * twice without comparing it with every rule before it. */
	uint32_t *names;
	size_t mask;		/* size - 1; 0 before the first rule */
};

static size_t
rules_name_hash(struct span w)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < w.n; i++)
		h = (h ^ (unsigned char)w.p[i]) * 0x100000001b3ULL;
	return (size_t)(h ^ h >> 29);
}

/* The rule named w, or -1; with add, rule number k is noted as w (when
 * none was). */
static long
rules_name_find(struct rules_parser *rp, const struct rules *r,
		struct span w, int add, size_t k)
{
	size_t j, i;

	if (add && (rp->mask == 0 || (k + 1) * 2 > rp->mask + 1)) {
		size_t size = rp->mask == 0 ? 64 : (rp->mask + 1) * 2;

		free(rp->names);
		rp->names = xcalloc(size, sizeof *rp->names);
		rp->mask = size - 1;
		for (i = 0; i < k; i++) {
			struct span n = { r->rules[i].name,
					  strlen(r->rules[i].name) };

			for (j = rules_name_hash(n) & rp->mask; rp->names[j];
			     j = (j + 1) & rp->mask) {
				if (span_eq(n, r->rules[rp->names[j] - 1].name))
					break;
			}
			if (rp->names[j] == 0)
				rp->names[j] = (uint32_t)i + 1;
		}
	}
	if (rp->mask == 0)
		return -1;
	for (j = rules_name_hash(w) & rp->mask; rp->names[j] != 0;
	     j = (j + 1) & rp->mask) {
		if (span_eq(w, r->rules[rp->names[j] - 1].name))
			return (long)rp->names[j] - 1;
	}
	if (add)
		rp->names[j] = (uint32_t)k + 1;
	return -1;
}

static void rules_parse_error(struct rules_parser *, const char *, ...)
	__attribute__((format(printf, 2, 3)));

static void
rules_parse_error(struct rules_parser *rp, const char *fmt, ...)
{
	va_list ap;

	strbuf_addf(rp->errs, "%s:%u: ", rp->name, rp->line);
	va_start(ap, fmt);
	strbuf_vaddf(rp->errs, fmt, ap);
	va_end(ap);
	strbuf_addc(rp->errs, '\n');
	rp->nerrs++;
}

static int
rules_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static struct span
rules_word(struct span *s)
{
	struct span w;
	size_t i = 0;

	while (i < s->n && (rules_is_space(s->p[i]) || s->p[i] == ','))
		i++;
	w.p = s->p + i;
	while (i < s->n && !rules_is_space(s->p[i]) && s->p[i] != ',')
		i++;
	w.n = (size_t)(s->p + i - w.p);
	s->p += i;
	s->n -= i;
	return w;
}

/* Matches a word against a table of names; returns the index or -1. */
static int
rules_lookup(struct span w, const char *const *names)
{
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (span_ieq(w, names[i]))
			return i;
	}
	return -1;
}

static void
rules_names_list(struct strbuf *sb, const char *const *names)
{
	int i;

	for (i = 0; names[i] != NULL; i++) {
		if (i > 0)
			strbuf_adds(sb, names[i + 1] == NULL ? " or " : ", ");
		strbuf_adds(sb, names[i]);
	}
}

/* Parses a list of words from a fixed table into a bit mask. */
static int
rules_parse_mask(struct rules_parser *rp, const char *kw, struct span rest,
		 const char *const *names, unsigned *mask)
{
	struct span w;
	struct strbuf sb;
	int i;

	*mask = 0;
	for (;;) {
		w = rules_word(&rest);
		if (w.n == 0)
			break;
		if ((i = rules_lookup(w, names)) < 0) {
			strbuf_init(&sb);
			rules_names_list(&sb, names);
			rules_parse_error(rp, "%s: unknown value \"%.*s\" "
			    "(expected %s)", kw, (int)w.n, w.p, sb.buf);
			strbuf_free(&sb);
			return -1;
		}
		*mask |= 1u << i;
	}
	if (*mask == 0) {
		rules_parse_error(rp, "%s: missing value", kw);
		return -1;
	}
	return 0;
}

/* status: codes, classes (4xx) and ranges within 100-699; diagnostics:
 * codes and ranges within 0-65535 (diag set). */
static int
rules_parse_codes(struct rules_parser *rp, struct span rest,
		  struct rules_pred *p, int diag)
{
	const char *kw = diag ? "diagnostics" : "status";
	uint32_t min = diag ? 0 : 100, max = diag ? 65535 : 699;
	struct span w;
	uint32_t lo, hi;
	const char *dash;

	for (;;) {
		w = rules_word(&rest);
		if (w.n == 0)
			break;
		if (!diag && w.n == 3 && w.p[0] >= '1' && w.p[0] <= '6' &&
		    (w.p[1] == 'x' || w.p[1] == 'X') &&
		    (w.p[2] == 'x' || w.p[2] == 'X')) {
			lo = (uint32_t)(w.p[0] - '0') * 100;
			hi = lo + 99;
		} else if ((dash = memchr(w.p, '-', w.n)) != NULL) {
			if (span_to_u32((struct span){ w.p,
			    (size_t)(dash - w.p) }, &lo) != 0 ||
			    span_to_u32((struct span){ dash + 1,
			    w.n - (size_t)(dash - w.p) - 1 }, &hi) != 0) {
				rules_parse_error(rp, "%s: bad range "
				    "\"%.*s\"", kw, (int)w.n, w.p);
				return -1;
			}
		} else {
			if (span_to_u32(w, &lo) != 0) {
				if (diag)
					rules_parse_error(rp, "diagnostics: bad "
					    "value \"%.*s\" (expected a code "
					    "like 4005 or a range like "
					    "1000-1999)", (int)w.n, w.p);
				else
					rules_parse_error(rp, "status: bad value "
					    "\"%.*s\" (expected a code like "
					    "401, a class like 4xx or a range "
					    "like 500-599)", (int)w.n, w.p);
				return -1;
			}
			hi = lo;
		}
		if (lo < min || hi > max || lo > hi) {
			rules_parse_error(rp, "%s: \"%.*s\" is not within "
			    "%u-%u", kw, (int)w.n, w.p, min, max);
			return -1;
		}
		p->ranges = xgrow(p->ranges, &p->capranges, p->nranges + 1,
		    sizeof *p->ranges);
		p->ranges[p->nranges].lo = (uint16_t)lo;
		p->ranges[p->nranges].hi = (uint16_t)hi;
		p->nranges++;
	}
	if (p->nranges == 0) {
		rules_parse_error(rp, "%s: missing value", kw);
		return -1;
	}
	return 0;
}

static int
rules_parse_words(struct rules_parser *rp, const char *kw, struct span rest,
		  struct rules_pred *p)
{
	struct span w;

	for (;;) {
		w = rules_word(&rest);
		if (w.n == 0)
			break;
		p->words = xgrow(p->words, &p->capwords, p->nwords + 1,
		    sizeof *p->words);
		p->words[p->nwords++] = span_dup(w);
	}
	if (p->nwords == 0) {
		rules_parse_error(rp, "%s: missing value", kw);
		return -1;
	}
	return 0;
}

/* Compiles "/pattern/flags". */
static int
rules_parse_regex(struct rules_parser *rp, struct rules *r, const char *kw,
		  struct span rest, struct rules_pred *p)
{
	struct strbuf pat;
	uint32_t opts = 0;
	size_t i, end;
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];
	uint32_t ncap;

	rest = span_trim(rest);
	if (rest.n < 2 || rest.p[0] != '/') {
		rules_parse_error(rp, "%s: expected a pattern written "
		    "/like this/ (flags i, s, m, x may follow)", kw);
		return -1;
	}
	/* The closing slash is the last one not escaped. */
	end = 0;
	for (i = 1; i < rest.n; i++) {
		if (rest.p[i] == '\\' && i + 1 < rest.n) {
			i++;
			continue;
		}
		if (rest.p[i] == '/')
			end = i;
	}
	if (end == 0) {
		rules_parse_error(rp, "%s: pattern has no closing /", kw);
		return -1;
	}
	for (i = end + 1; i < rest.n; i++) {
		switch (rest.p[i]) {
		case 'i':
			opts |= PCRE2_CASELESS;
			break;
		case 's':
			opts |= PCRE2_DOTALL;
			break;
		case 'm':
			opts |= PCRE2_MULTILINE;
			break;
		case 'x':
			opts |= PCRE2_EXTENDED;
			break;
		default:
			rules_parse_error(rp, "%s: unknown pattern flag '%c' "
			    "(expected i, s, m or x)", kw, rest.p[i]);
			return -1;
		}
	}
	strbuf_init(&pat);
	for (i = 1; i < end; i++) {
		if (rest.p[i] == '\\' && i + 1 < end && rest.p[i + 1] == '/')
			continue;	/* \/ is a slash */
		strbuf_addc(&pat, rest.p[i]);
	}
	p->re = pcre2_compile((PCRE2_SPTR)pat.buf, pat.len,
	    opts | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff,
	    NULL);
	if (p->re == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof msg);
		rules_parse_error(rp, "%s: bad pattern /%s/: %s at offset %zu",
		    kw, pat.buf, (char *)msg, (size_t)erroff);
		strbuf_free(&pat);
		return -1;
	}
	strbuf_free(&pat);
	/* JIT is an optimisation: when unavailable the interpreter runs. */
	if (util_jit_wanted())
		(void)pcre2_jit_compile(p->re, PCRE2_JIT_COMPLETE);
	if (pcre2_pattern_info(p->re, PCRE2_INFO_CAPTURECOUNT, &ncap) == 0 &&
	    ncap > r->maxcap)
		r->maxcap = ncap;
	return 0;
}

static const char *const rules_kind_names[] = {
	"invalid", "request", "response", "diagnostic", NULL
};
static const char *const rules_dir_names[] = {
	"unknown", "in", "out", NULL
};
static const char *const rules_yesno_names[] = { "no", "yes", NULL };
static const char *const rules_challenge_names[] = {
	"unanswered", "answered", "answered-other", "answered-other-algorithm",
	"answered-new-call-id", "cut", "awaited", "answered-opening",
	"answered-late", "trace-end", NULL
};
static const char *const rules_outcome_names[] = {
	"none", "success", "failure", NULL
};
static const char *const rules_reply_names[] = {
	"none", "provisional", "final", "awaited", "trace-end", NULL
};
static const char *const rules_phase_names[] = {
	"provisional", "final", NULL
};
static const char *const rules_rechallenge_names[] = {
	"no", "stale", "handshake", "reused", "other-realm", "rejected",
	"algorithm", NULL
};

static int
rules_header_name_ok(struct span w)
{
	size_t i;

	if (w.n == 0)
		return 0;
	for (i = 0; i < w.n; i++) {
		if ((unsigned char)w.p[i] <= ' ' || w.p[i] == ':' ||
		    (unsigned char)w.p[i] >= 0x7f)
			return 0;
	}
	return 1;
}

static int
rules_parse_header(struct rules_parser *rp, struct rules *r, struct span rest,
		   struct rules_pred *p)
{
	struct span w, tail;

	w = rules_word(&rest);
	/* "header ~ /x/": the name left out, not a header named "~". */
	if (!rules_header_name_ok(w) || w.p[0] == '~') {
		rules_parse_error(rp, "header: missing header name");
		return -1;
	}
	p->hname = span_dup(w);
	tail = span_trim(rest);
	if (tail.n == 0) {
		p->type = RP_HEADER;
		return 0;
	}
	if (span_ieq(tail, "absent")) {
		p->type = RP_HEADER;
		p->neg = !p->neg;
		return 0;
	}
	if (tail.p[0] != '~') {
		rules_parse_error(rp, "header %.*s: expected nothing, "
		    "\"absent\" or \"~ /pattern/\"", (int)w.n, w.p);
		return -1;
	}
	tail.p++;
	tail.n--;
	p->type = RP_HEADER_RE;
	return rules_parse_regex(rp, r, "header", tail, p);
}

static int
rules_parse_severity(struct rules_parser *rp, struct span rest,
		     struct rules_rule *rule)
{
	struct span w, w2;
	int s;

	w = rules_word(&rest);
	if (w.n == 0) {
		rules_parse_error(rp, "severity: missing value");
		return -1;
	}
	if (span_ieq(w, "log")) {
		rule->from_log = 1;
		rule->severity = SEV_INFO;
		w2 = rules_word(&rest);
		if (w2.n == 0)
			return 0;
		w = w2;
	}
	if ((s = severity_from_name(w.p, w.n)) < 0) {
		/* After "log", what the log gives no level for. */
		rules_parse_error(rp, "severity: unknown severity \"%.*s\" "
		    "(expected %s)", (int)w.n, w.p, rule->from_log ?
		    "error, warning, benign, ok, info or none after log" :
		    "error, warning, benign, ok, info, none or log");
		return -1;
	}
	rule->severity = (uint8_t)s;
	if (rules_word(&rest).n != 0) {
		rules_parse_error(rp, "severity: one severity only");
		return -1;
	}
	return 0;
}

/* Checks the $-expansions of an explanation so that typos show at load
 * time and not as empty text in the viewer. */
static int
rules_check_explain(struct rules_parser *rp, struct span t)
{
	size_t i, j;
	int depth = 0;

	for (i = 0; i < t.n; i++) {
		if (t.p[i] == ']' && depth > 0) {
			depth--;
			continue;
		}
		if (t.p[i] != '$')
			continue;
		if (i + 1 >= t.n) {
			rules_parse_error(rp, "explain: lone $ at the end (write "
			    "$$ for a dollar sign)");
			return -1;
		}
		if (t.p[i + 1] == '$') {
			i++;
			continue;
		}
		if (t.p[i + 1] == '[') {
			if (depth > 0) {
				rules_parse_error(rp, "explain: optional parts "
				    "$[...] cannot nest");
				return -1;
			}
			depth++;
			i++;
			continue;
		}
		if (t.p[i + 1] != '{') {
			rules_parse_error(rp, "explain: expected ${name}, $[ or "
			    "$$ after $");
			return -1;
		}
		for (j = i + 2; j < t.n && t.p[j] != '}'; j++)
			;
		if (j >= t.n) {
			rules_parse_error(rp, "explain: ${ without }");
			return -1;
		}
		if (!rules_var_known((struct span){ t.p + i + 2, j - i - 2 })) {
			rules_parse_error(rp, "explain: unknown variable "
			    "${%.*s}", (int)(j - i - 2), t.p + i + 2);
			return -1;
		}
		i = j;
	}
	if (depth > 0) {
		rules_parse_error(rp, "explain: $[ without ]");
		return -1;
	}
	return 0;
}

static void
rules_pred_free(struct rules_pred *p)
{
	size_t i;

	for (i = 0; i < p->nwords; i++)
		free(p->words[i]);
	free(p->words);
	free(p->ranges);
	free(p->hname);
	if (p->re != NULL)
		pcre2_code_free(p->re);
}

static void
rules_rule_free(struct rules_rule *rule)
{
	size_t i;

	for (i = 0; i < rule->npreds; i++)
		rules_pred_free(&rule->preds[i]);
	free(rule->preds);
	free(rule->name);
	free(rule->explain);
}

static struct rules_rule *
rules_new_rule(struct rules_parser *rp, struct rules *r, struct span w)
{
	struct rules_rule *rule;
	size_t i;

	for (i = 0; i < w.n; i++) {
		if (!(w.p[i] >= 'a' && w.p[i] <= 'z') &&
		    !(w.p[i] >= 'A' && w.p[i] <= 'Z') &&
		    !(w.p[i] >= '0' && w.p[i] <= '9') &&
		    w.p[i] != '-' && w.p[i] != '_' && w.p[i] != '.') {
			rules_parse_error(rp, "rule: bad name \"%.*s\" (letters, "
			    "digits, - _ . only)", (int)w.n, w.p);
			break;
		}
	}
	/* Rule numbers live in 12 bits of the message index; 0 is none. */
	if (r->nrules >= MSG_RULES) {
		rules_parse_error(rp, "too many rules (%d at most)", MSG_RULES);
		return NULL;
	}
	{
		long twice = rules_name_find(rp, r, w, 0, 0);

		if (twice >= 0)
			rules_parse_error(rp, "rule %.*s: defined twice (first "
			    "at line %u)", (int)w.n, w.p,
			    r->rules[twice].line);
	}
	r->rules = xgrow(r->rules, &r->caprules, r->nrules + 1,
	    sizeof *r->rules);
	rule = &r->rules[r->nrules++];
	memset(rule, 0, sizeof *rule);
	rule->name = span_dup(w);
	(void)rules_name_find(rp, r, w, 1, r->nrules - 1);
	rule->line = rp->line;
	rule->severity = SEV__COUNT;	/* not given yet */
	return rule;
}

/* Whether testing p reads the message's text again (its record, from the
 * file: page faults on a large log whose pages were given back). */
static int
rules_pred_reads(const struct rules_pred *p)
{
	return p->type == RP_HEADER || p->type == RP_HEADER_RE ||
	       p->type == RP_START_RE || p->type == RP_BODY_RE ||
	       p->type == RP_DIAGCODE;
}

/* The conditions of a rule all hold or it does not match: those read from
 * the index go first, so that a rule's header or pattern is looked at only
 * for the messages its other conditions let through (the patterns keep
 * their order, which numbers their captures). */
static void
rules_cheap_first(struct rules_rule *rule)
{
	struct rules_pred *v = rule->preds, tmp;
	size_t i, j;

	for (i = 1; i < rule->npreds; i++) {
		for (j = i; j > 0 && rules_pred_reads(&v[j - 1]) &&
		     !rules_pred_reads(&v[j]); j--) {
			tmp = v[j - 1];
			v[j - 1] = v[j];
			v[j] = tmp;
		}
	}
}

/* Sets rule->statuses: the statuses of a response that all its status
 * conditions let through (they are tested in full only for those). */
static void
rules_status_bits(struct rules_rule *rule)
{
	const struct rules_pred *p;
	size_t i, k;
	unsigned st;
	int in;

	memset(rule->statuses, 0xff, sizeof rule->statuses);
	for (i = 0; i < rule->npreds; i++) {
		p = &rule->preds[i];
		if (p->type != RP_STATUS)
			continue;
		for (st = 0; st < RULES_STATUS_BITS; st++) {
			for (in = 0, k = 0; k < p->nranges && !in; k++)
				in = st >= p->ranges[k].lo &&
				     st <= p->ranges[k].hi;
			if (in == p->neg)
				rule->statuses[st / 32] &= ~(1u << st % 32);
		}
	}
}

static void
rules_end_rule(struct rules_parser *rp, struct rules_rule *rule)
{
	uint32_t saved;
	size_t i;

	if (rule == NULL)
		return;
	rules_check_captures(rp, rule);
	rules_cheap_first(rule);
	rules_status_bits(rule);
	/* Most rules start with a kind: rating skips them by it at once. */
	rule->kinds = ~0u;
	for (i = 0; i < rule->npreds; i++) {
		if (rule->preds[i].type == RP_KIND)
			rule->kinds &= rule->preds[i].neg ?
			    ~rule->preds[i].mask : rule->preds[i].mask;
	}
	if (rule->severity != SEV__COUNT)
		return;
	saved = rp->line;
	rp->line = rule->line;
	rules_parse_error(rp, "rule %s: no severity", rule->name);
	rp->line = saved;
}

static int
rules_parse_line(struct rules_parser *rp, struct rules *r,
		 struct rules_rule *rule, struct span kw, struct span rest,
		 int neg)
{
	struct rules_pred p;
	int rc = 0;
	char kwbuf[32];

	if (span_ieq(kw, "severity")) {
		if (neg) {
			rule->severity = SEV_NONE;
			goto no_not;
		}
		/* A second one silently won: a rule edited in a hurry. */
		if (rule->severity_line != 0) {
			rules_parse_error(rp, "severity: given twice in rule %s "
			    "(first at line %u)", rule->name,
			    (unsigned)rule->severity_line);
			return -1;
		}
		rule->severity_line = rp->line;
		if (rules_parse_severity(rp, rest, rule) != 0) {
			/* Reported once: not again as "no severity". */
			if (rule->severity == SEV__COUNT)
				rule->severity = SEV_NONE;
			return -1;
		}
		return 0;
	}
	if (span_ieq(kw, "explain")) {
		if (neg)
			goto no_not;
		rest = span_trim(rest);
		if (rule->explain != NULL) {
			rules_parse_error(rp, "explain: given twice in rule %s "
			    "(first at line %u)", rule->name,
			    (unsigned)rule->explain_line);
			return -1;
		}
		if (rules_check_explain(rp, rest) != 0)
			return -1;
		rule->explain = span_dup(rest);
		rule->explain_line = rp->line;
		return 0;
	}

	memset(&p, 0, sizeof p);
	p.neg = neg;
	snprintf(kwbuf, sizeof kwbuf, "%.*s", (int)(kw.n < 31 ? kw.n : 31),
	    kw.p);
	if (span_ieq(kw, "kind")) {
		p.type = RP_KIND;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_kind_names,
		    &p.mask);
	} else if (span_ieq(kw, "direction")) {
		p.type = RP_DIR;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_dir_names,
		    &p.mask);
	} else if (span_ieq(kw, "method")) {
		p.type = RP_METHOD;
		rc = rules_parse_words(rp, kwbuf, rest, &p);
	} else if (span_ieq(kw, "status")) {
		p.type = RP_STATUS;
		rc = rules_parse_codes(rp, rest, &p, 0);
	} else if (span_ieq(kw, "diagnostics")) {
		p.type = RP_DIAGCODE;
		rc = rules_parse_codes(rp, rest, &p, 1);
	} else if (span_ieq(kw, "header")) {
		rc = rules_parse_header(rp, r, rest, &p);
	} else if (span_ieq(kw, "start-line")) {
		p.type = RP_START_RE;
		rc = rules_parse_regex(rp, r, kwbuf, rest, &p);
	} else if (span_ieq(kw, "body")) {
		p.type = RP_BODY_RE;
		rc = rules_parse_regex(rp, r, kwbuf, rest, &p);
	} else if (span_ieq(kw, "challenge")) {
		p.type = RP_CHALLENGE;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_challenge_names,
		    &p.mask);
	} else if (span_ieq(kw, "rechallenge")) {
		p.type = RP_RECHALLENGE;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_rechallenge_names,
		    &p.mask);
	} else if (span_ieq(kw, "outcome")) {
		p.type = RP_OUTCOME;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_outcome_names,
		    &p.mask);
	} else if (span_ieq(kw, "reply")) {
		p.type = RP_REPLY;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_reply_names,
		    &p.mask);
	} else if (span_ieq(kw, "phase")) {
		p.type = RP_PHASE;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_phase_names,
		    &p.mask);
	} else if (span_ieq(kw, "after-cancel")) {
		p.type = RP_AFTER_CANCEL;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_yesno_names,
		    &p.mask);
	} else if (span_ieq(kw, "retransmission")) {
		p.type = RP_RETRANS;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_yesno_names,
		    &p.mask);
	} else if (span_ieq(kw, "credentials-sent")) {
		p.type = RP_CREDS;
		rc = rules_parse_mask(rp, kwbuf, rest, rules_yesno_names,
		    &p.mask);
	} else {
		rules_parse_error(rp, "unknown keyword \"%s\"", kwbuf);
		return -1;
	}
	if (rc != 0) {
		rules_pred_free(&p);
		return -1;
	}
	p.line = rp->line;
	rule->preds = xgrow(rule->preds, &rule->cappreds, rule->npreds + 1,
	    sizeof *rule->preds);
	rule->preds[rule->npreds++] = p;
	return 0;

no_not:
	rules_parse_error(rp, "\"not\" cannot be used with %.*s", (int)kw.n,
	    kw.p);
	return -1;
}

struct rules *
rules_parse(const char *name, const char *text, size_t len,
	    struct strbuf *errs)
{
	struct rules_parser rp;
	struct rules *r;
	struct rules_rule *rule = NULL;
	struct span line, rest, kw;
	size_t pos = 0, eol;
	int neg, bad_rule = 0;

	/* Editors on Windows may start the file with a UTF-8 BOM. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	memset(&rp, 0, sizeof rp);
	rp.name = name;
	rp.errs = errs;
	r = xcalloc(1, sizeof *r);
	r->xc = xcalloc(1, sizeof *r->xc);
	rules_set_explain_cache(r, 0, 0, 0);

	while (pos < len) {
		rp.line++;
		eol = pos;
		while (eol < len && text[eol] != '\n')
			eol++;
		line.p = text + pos;
		line.n = eol - pos;
		pos = eol < len ? eol + 1 : eol;

		if (memchr(line.p, '\0', line.n) != NULL) {
			rules_parse_error(&rp, "NUL byte in line");
			/* It may have been the rule's severity: not said
			 * again, at an earlier line, as "no severity". */
			if (rule != NULL && rule->severity == SEV__COUNT)
				rule->severity = SEV_NONE;
			continue;
		}
		line = span_trim(line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		rest = line;
		kw = rules_word(&rest);
		neg = 0;
		if (span_ieq(kw, "not")) {
			neg = 1;
			kw = rules_word(&rest);
			if (kw.n == 0) {
				rules_parse_error(&rp, "\"not\" without a "
				    "condition");
				continue;
			}
		}
		if (span_ieq(kw, "rule")) {
			if (neg) {
				rules_parse_error(&rp, "\"not\" cannot be used "
				    "with rule");
				continue;
			}
			rules_end_rule(&rp, rule);
			kw = rules_word(&rest);
			if (kw.n == 0) {
				rules_parse_error(&rp, "rule: missing name");
				rule = NULL;
				bad_rule = 1;
				continue;
			}
			if (span_trim(rest).n != 0) {
				rules_parse_error(&rp, "rule: one word for the "
				    "name, conditions go on the next lines");
			}
			rule = rules_new_rule(&rp, r, kw);
			bad_rule = rule == NULL;
			continue;
		}
		if (rule == NULL) {
			/* The lines of a rule already reported are not
			 * outside one. */
			if (!bad_rule)
				rules_parse_error(&rp, "\"%.*s\" outside a rule "
				    "(start a block with: rule NAME)",
				    (int)kw.n, kw.p);
			continue;
		}
		(void)rules_parse_line(&rp, r, rule, kw, rest, neg);
	}
	rules_end_rule(&rp, rule);
	free(rp.names);
	if (rp.nerrs > 0) {
		rules_free(r);
		return NULL;
	}
	r->md = pcre2_match_data_create(r->maxcap + 1, NULL);
	return r;
}

/* A rules file is a few KiB; what is larger is something else (a device,
 * a log named by mistake), read no further. */
#define RULES_FILE_MAX (16u << 20)

struct rules *
rules_load(const char *path, struct strbuf *errs)
{
	FILE *f;
	struct strbuf sb;
	char buf[8192];
	size_t n;
	struct rules *r;

	struct stat st;

	if ((f = fopen(path, "r")) == NULL) {
		strbuf_addf(errs, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* Said as an input's would be; a device would be read for ever. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		strbuf_addf(errs, "%s: is a directory\n", path);
		fclose(f);
		return NULL;
	}
	strbuf_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > RULES_FILE_MAX) {
			strbuf_addf(errs, "%s: larger than %u MiB: not a rules "
			    "file\n", path, RULES_FILE_MAX >> 20);
			fclose(f);
			strbuf_free(&sb);
			return NULL;
		}
	}
	if (ferror(f)) {
		strbuf_addf(errs, "%s: %s\n", path, strerror(errno));
		fclose(f);
		strbuf_free(&sb);
		return NULL;
	}
	fclose(f);
	r = rules_parse(path, sb.buf != NULL ? sb.buf : "", sb.len, errs);
	strbuf_free(&sb);
	return r;
}

static int
rules_readable(const char *path)
{
	return access(path, R_OK) == 0;
}

char *
rules_default_path(const char *exe_dir)
{
	const char *xdg, *home;
	char *p;

	xdg = getenv("XDG_CONFIG_HOME");
	if (xdg != NULL && *xdg == '/') {
		p = xasprintf("%s/sipsnoop/rules.conf", xdg);
		if (rules_readable(p))
			return p;
		free(p);
	} else if ((home = getenv("HOME")) != NULL && *home != '\0') {
		p = xasprintf("%s/.config/sipsnoop/rules.conf", home);
		if (rules_readable(p))
			return p;
		free(p);
	}
#ifdef SIPSNOOP_DATADIR
	if (rules_readable(SIPSNOOP_DATADIR "/rules.conf"))
		return xstrdup(SIPSNOOP_DATADIR "/rules.conf");
#endif
	if (exe_dir != NULL) {
		p = xasprintf("%s/../data/rules.conf", exe_dir);
		if (rules_readable(p))
			return p;
		free(p);
	}
	return NULL;
}

void
rules_free(struct rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrules; i++)
		rules_rule_free(&r->rules[i]);
	free(r->rules);
	if (r->md != NULL)
		pcre2_match_data_free(r->md);
	rules_xcache_clear(r->xc);
	free(r->xc->slot);
	free(r->xc);
	free(r);
}

size_t
rules_count(const struct rules *r)
{
	return r == NULL ? 0 : r->nrules;
}

const char *
rules_rule_name(const struct rules *r, unsigned rule)
{
	if (r == NULL || rule == 0 || rule > r->nrules)
		return "";
	return r->rules[rule - 1].name;
}

/* Evaluation. */

enum {
	RULES_OUT_NONE = 0,
	RULES_OUT_SUCCESS,
	RULES_OUT_FAILURE,
};

enum {
	RULES_REPLY_NONE = 0,
	RULES_REPLY_PROVISIONAL,
	RULES_REPLY_FINAL,
	RULES_REPLY_AWAITED,	/* a value only: also none (reply_awaited) */
	RULES_REPLY_TRACE_END,	/* a value only: also none (reply_end) */
	RULES_REPLY_UNKNOWN,	/* no dialog: matches no value */
};

static const char *const rules_fixed_vars[] = {
	"status", "reason", "method", "cseq", "from", "to", "src", "dst",
	"ruri", "call-id", "schemes", "scheme", "diagnostics", "level",
	"rule", "request-scheme", "answer-scheme", "algorithms",
	"request-algorithm", "answer-algorithm", "answer-call-id", NULL
};

static int
rules_is_ident(struct span s)
{
	size_t i;

	if (s.n == 0)
		return 0;
	for (i = 0; i < s.n; i++) {
		if (!(s.p[i] >= 'a' && s.p[i] <= 'z') &&
		    !(s.p[i] >= 'A' && s.p[i] <= 'Z') &&
		    !(s.p[i] >= '0' && s.p[i] <= '9') && s.p[i] != '_')
			return 0;
	}
	return 1;
}

static int
rules_var_known(struct span v)
{
	if (rules_lookup(v, rules_fixed_vars) >= 0)
		return 1;
	if (span_istarts(v, "header:"))
		return v.n > 7 && rules_header_name_ok((struct span){ v.p + 7,
		    v.n - 7 });
	/* Capture numbers and names; rules_check_captures() checks that
	 * the rule's patterns have them. */
	return rules_is_ident(v);
}

/* Whether a capture reference ${1} or ${name} exists in rule's patterns. */
static int
rules_capture_exists(const struct rules_rule *rule, struct span v)
{
	const struct rules_pred *p;
	uint32_t n, ncap;
	size_t i;
	char name[64];

	if (span_to_u32(v, &n) == 0) {
		if (n == 0)
			return 1;
		/* Numbers refer to the last pattern of the rule. */
		for (i = rule->npreds; i-- > 0;) {
			p = &rule->preds[i];
			if (p->re == NULL || p->neg)
				continue;
			if (pcre2_pattern_info(p->re, PCRE2_INFO_CAPTURECOUNT,
			    &ncap) != 0)
				return 0;
			return n <= ncap;
		}
		return 0;
	}
	if (v.n >= sizeof name)
		return 0;
	memcpy(name, v.p, v.n);
	name[v.n] = '\0';
	for (i = 0; i < rule->npreds; i++) {
		p = &rule->preds[i];
		if (p->re != NULL && !p->neg &&
		    pcre2_substring_number_from_name(p->re,
		    (PCRE2_SPTR)name) >= 0)
			return 1;
	}
	return 0;
}

static void
rules_check_captures(struct rules_parser *rp, const struct rules_rule *rule)
{
	const char *t = rule->explain;
	const char *q;
	struct span v;
	uint32_t saved = rp->line;

	if (t == NULL)
		return;
	rp->line = rule->explain_line;
	for (; *t != '\0'; t++) {
		if (t[0] == '$' && t[1] == '$') {
			t++;
			continue;
		}
		if (t[0] != '$' || t[1] != '{')
			continue;
		q = strchr(t + 2, '}');
		if (q == NULL)
			break;
		v.p = t + 2;
		v.n = (size_t)(q - v.p);
		if (rules_lookup(v, rules_fixed_vars) < 0 &&
		    !span_istarts(v, "header:") &&
		    !rules_capture_exists(rule, v)) {
			rules_parse_error(rp, "explain: ${%.*s} is not a capture "
			    "of the rule's patterns", (int)v.n, v.p);
		}
		t = q;
	}
	rp->line = saved;
}

/* Whether the request carries credentials; their scheme goes to out (the
 * scheme as written when auth does not know it). */
static int
rules_credentials(const struct sipmsg *m, struct strbuf *out)
{
	const struct sip_header *h;
	struct auth_header ah;
	enum auth_scheme sch;

	if (!auth_has_credentials(m))
		return 0;
	sch = auth_credentials(m, NULL);
	if (sch != AUTH_NONE && sch != AUTH_OTHER) {
		strbuf_adds(out, auth_scheme_name(sch));
		return 1;
	}
	if ((h = sipmsg_find(m, HDR_PROXY_AUTHORIZATION, 0)) == NULL)
		h = sipmsg_find(m, HDR_AUTHORIZATION, 0);
	if (h != NULL && auth_parse(h->value, &ah) == 0)
		strbuf_add(out, ah.scheme_name.p, ah.scheme_name.n);
	return 1;
}

static int rules_level_severity(struct span);

/* RFC 7230 tchar, as auth.c reads scheme names. */
static int
rules_is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The scheme auth_credentials() finds (the first token of the first
 * [Proxy-]Authorization value that has one), without parsing parameters:
 * NTLM and Kerberos tokens run to kilobytes, and most REGISTERs of a
 * server log carry one. */
static enum auth_scheme
rules_cred_scheme(const struct sipmsg *m)
{
	struct span v;
	size_t i, j, k;

	for (i = 0; i < m->nhdrs; i++) {
		if (m->hdrs[i].id != HDR_AUTHORIZATION &&
		    m->hdrs[i].id != HDR_PROXY_AUTHORIZATION)
			continue;
		v = m->hdrs[i].value;
		for (j = 0; j < v.n && (v.p[j] == ' ' || v.p[j] == '\t' ||
		    v.p[j] == '\r' || v.p[j] == '\n' || v.p[j] == ','); j++)
			;
		for (k = j; k < v.n && rules_is_tchar((unsigned char)v.p[k]);
		    k++)
			;
		if (k > j)
			return auth_scheme_from_name((struct span){ v.p + j,
			    k - j });
	}
	return AUTH_NONE;
}

void
rules_index_message(const struct rules *r, struct msg *x,
		    const struct rd_record *rec, const struct sipmsg *m)
{
	const struct sip_header *h;
	enum auth_scheme sch;
	unsigned f = 0;
	int lv = -1;

	if (r == NULL)
		return;
	x->flags &= (uint8_t)~MSG_FACT_FLAG;
	if (rec->kind == REC_DIAG) {
		if ((h = sipmsg_find_name(m, "Severity", 0)) != NULL)
			lv = rules_level_severity(h->value);
		if (lv < 0)
			lv = rules_level_severity(rec->diag_level);
		f |= (unsigned)(lv + 1) << RULES_F_LEVEL_SHIFT;
	} else if (m->kind == SIP_RESPONSE &&
		   (m->status == 401 || m->status == 407)) {
		unsigned offered, ch = auth_challenge_info(m, &offered);

		f = RULES_F_OFFERED(offered);
		if (ch & AUTH_CH_STALE)
			f |= RULES_F_STALE;
		if (ch & AUTH_CH_NEXT_LEG)
			f |= RULES_F_NEXT_LEG;
		if (ch & AUTH_CH_NO_MD5)
			x->flags |= RULES_X_NO_MD5;
	} else if (m->kind == SIP_REQUEST && auth_has_credentials(m)) {
		sch = rules_cred_scheme(m);
		f |= RULES_F_CREDS | (unsigned)sch << RULES_F_SCHEME_SHIFT;
		/* Digest headers are short: their algorithms are read. */
		if (sch == AUTH_DIGEST && auth_digest_credentials(m,
		    HDR_AUTHORIZATION, NULL) == 1)
			f |= RULES_F_MD5;
		if (sch == AUTH_DIGEST && auth_digest_credentials(m,
		    HDR_PROXY_AUTHORIZATION, NULL) == 1)
			x->flags |= RULES_X_PROXY_MD5;
		if (auth_opens_handshake(m))
			f |= RULES_F_OPENS;
		if (sipmsg_find(m, HDR_AUTHORIZATION, 0) != NULL)
			f |= RULES_F_AUTHZ;
		if (sipmsg_find(m, HDR_PROXY_AUTHORIZATION, 0) != NULL)
			f |= RULES_F_PROXY_AUTHZ;
	}
	x->facts = (uint8_t)f;
}

_Static_assert(AUTH__COUNT <= 8, "msg->facts keeps a scheme in 3 bits");

/* Interned name of the scheme of message id's credentials, 0 for none. A
 * scheme auth does not know is named as written: read it again (rare). */
static uint32_t
rules_scheme_id(const struct engine *e, uint32_t id, const struct msg *msg)
{
	enum auth_scheme sch = RULES_F_SCHEME(msg->facts);
	struct intern *strs = engine_strings(e);
	const char *name;
	struct rd_record rec;
	struct sipmsg m;
	struct strbuf sb;
	uint32_t sid = 0;

	if (!(msg->facts & RULES_F_CREDS))
		return 0;
	if (sch != AUTH_NONE && sch != AUTH_OTHER) {
		name = auth_scheme_name(sch);
		return intern_add(strs, name, strlen(name));
	}
	if (engine_message(e, id, &rec, &m) != 0)
		return 0;
	strbuf_init(&sb);
	if (rules_credentials(&m, &sb) && sb.len > 0)
		sid = intern_add(strs, sb.buf, sb.len);
	strbuf_free(&sb);
	sipmsg_clear(&m);
	return sid;
}

/* Whether two messages are the same SIP text (a retransmission). Only
 * messages that agree on every indexed field get here, so the records are
 * read again only for likely repeats. */
static int
rules_span_same(struct span x, struct span y)
{
	/* An empty span may have no pointer: memcmp must not see it. */
	return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

static int
rules_same_text(const struct engine *e, uint32_t a, uint32_t b)
{
	struct rd_record ra, rb;

	if (engine_message(e, a, &ra, NULL) != 0 ||
	    engine_message(e, b, &rb, NULL) != 0)
		return 0;
	return rules_span_same(ra.start, rb.start) &&
	    rules_span_same(ra.hdrs, rb.hdrs) &&
	    rules_span_same(ra.body, rb.body);
}

/* The fields two copies of one message (ids a and b) share; the text is
 * compared next: within a dialog, the same From and To are kept the same
 * way, and the ends are read back only when all else is the same. A
 * copy in another input file is the same message seen by another log or
 * capture point, not a retransmission; so is one to another destination
 * (a capture of both sides of a NAT or port forward: the copy to the
 * public address and the one to the server's), as a retransmission goes
 * where the first copy went. */
static int
rules_same_fields(const struct engine *e, uint32_t a, const struct msg *x,
		  uint32_t b, const struct msg *y)
{
	uint32_t xs, ys, xd, yd;

	if (!(x->file == y->file && x->kind == y->kind &&
	      msgindex_method(engine_index(e), a) ==
	      msgindex_method(engine_index(e), b) &&
	      x->cseq == y->cseq && x->status == y->status &&
	      x->dir == y->dir && x->call_id == y->call_id &&
	      x->kept_party == y->kept_party))
		return 0;
	engine_msg_ends(e, a, &xs, &xd);
	engine_msg_ends(e, b, &ys, &yd);
	return xs == ys && xd == yd;
}

static size_t
rules_fields_hash(const struct msg *x)
{
	uint64_t h;

	h = ((uint64_t)x->mcode << 32 | x->cseq) * 0x9e3779b97f4a7c15ULL;
	h ^= ((uint64_t)x->status << 40 | (uint64_t)x->kind << 32 | x->dir) *
	    0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h ^ h >> 29);
}

/* Retries on a new Call-ID (rules.h: struct rules_state). A challenge left
 * unanswered in its dialog is noted by the From and To URIs of its dialog
 * and its method, the last one of each; the first request of a dialog,
 * when it carries credentials, looks for one there, once. Only that lookup
 * is added to the rating of a dialog, and the texts of the two messages
 * are read once, for a pair that fits on everything the index tells. */
#define RULES_RETRY_WINDOW	(32 * 1000000LL)	/* 64*T1, in us */

/* Whether request req, with credentials, came too long after challenge ch
 * to answer it: its transaction was over (RULES_RETRY_WINDOW), req is
 * another try (a refresh, a user who typed a password much later). */
static int
rules_late(const struct msg *ch, const struct msg *req)
{
	return ch->time != TIME_NONE && req->time != TIME_NONE &&
	    req->time - ch->time > RULES_RETRY_WINDOW;
}

struct rules_pend {
	uint32_t from, to, method;
	uint32_t msg;		/* the challenge's id + 1, 0: none (any more) */
	uint32_t tried;		/* the request id + 1 last looked at for it */
};


struct rules_state {
	uint64_t epoch;		/* dialogs_epoch() of the dialogs it is for */
	struct rules_pend *pend;
	size_t npend, pmask;
	struct idmap by_chal;	/* challenge -> the retry answering it */
	struct idmap by_req;	/* that retry -> its challenge */
};

struct rules_state *
rules_state_new(void)
{
	return xcalloc(1, sizeof(struct rules_state));
}

static void
rules_state_clear(struct rules_state *st)
{
	free(st->pend);
	idmap_free(&st->by_chal);
	idmap_free(&st->by_req);
	memset(st, 0, sizeof *st);
}

void
rules_state_free(struct rules_state *st)
{
	if (st == NULL)
		return;
	rules_state_clear(st);
	free(st);
}

/* The state, when it is for the engine's dialogs as they are (NULL when
 * they were built again since and not yet rated). */
static const struct rules_state *
rules_state_live(const struct engine *e)
{
	const struct rules_state *st = engine_rules_state(e);

	if (st == NULL || st->epoch != dialogs_epoch(engine_dialogs(e)) ||
	    st->by_chal.n == 0)
		return NULL;
	return st;
}

static size_t
rules_pend_hash(uint32_t from, uint32_t to, uint32_t method)
{
	uint64_t h = ((uint64_t)from << 32 | to) * 0x9e3779b97f4a7c15ULL;

	h ^= (uint64_t)method * 0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h ^ h >> 29);
}

static struct rules_pend *
rules_pend_slot(struct rules_state *st, uint32_t from, uint32_t to,
		uint32_t method, int add)
{
	struct rules_pend *p;
	size_t i;

	if (add && (st->npend + 1) * 2 > st->pmask + 1) {
		struct rules_pend *old = st->pend;
		size_t omask = st->pmask, size = omask == 0 ? 16 :
		    (omask + 1) * 2, k;

		st->pend = xcalloc(size, sizeof *st->pend);
		st->pmask = size - 1;
		for (k = 0; old != NULL && k <= omask; k++) {
			if (old[k].method == 0)
				continue;
			for (i = rules_pend_hash(old[k].from, old[k].to,
			     old[k].method) & st->pmask; st->pend[i].method != 0;
			     i = (i + 1) & st->pmask)
				;
			st->pend[i] = old[k];
		}
		free(old);
	}
	if (st->pmask == 0)
		return NULL;
	for (i = rules_pend_hash(from, to, method) & st->pmask;
	     st->pend[i].method != 0; i = (i + 1) & st->pmask) {
		p = &st->pend[i];
		if (p->from == from && p->to == to && p->method == method)
			return p;
	}
	if (!add)
		return NULL;
	p = &st->pend[i];
	*p = (struct rules_pend){ from, to, method, 0, 0 };
	st->npend++;
	return p;
}

/* Notes the challenge id of dialog d, unanswered there. */
static void
rules_pend_put(struct rules_state *st, const struct dialog *d,
	       uint32_t method, uint32_t id)
{
	struct rules_pend *p;

	if (method == 0 || idmap_get(&st->by_chal, id) != 0)
		return;
	p = rules_pend_slot(st, d->from, d->to, method, 1);
	if (p->msg != id + 1) {
		p->msg = id + 1;
		p->tried = 0;
	}
}

/* The challenge id of dialog d is answered there now (it was noted
 * while it was not yet): no retry on a new Call-ID answers it. */
static void
rules_pend_drop(struct rules_state *st, const struct dialog *d,
		uint32_t method, uint32_t id)
{
	struct rules_pend *p;

	if (method == 0)
		return;
	p = rules_pend_slot(st, d->from, d->to, method, 0);
	if (p != NULL && p->msg == id + 1)
		p->msg = 0;
}

/* The host of an endpoint "host:port", "[v6]:port" or "host". */
static struct span
rules_host(const char *s)
{
	const char *c;

	if (s[0] == '[' && (c = strchr(s, ']')) != NULL)
		return (struct span){ s, (size_t)(c + 1 - s) };
	if ((c = strchr(s, ':')) != NULL && strchr(c + 1, ':') == NULL)
		return (struct span){ s, (size_t)(c - s) };
	return (struct span){ s, strlen(s) };
}

/* Whether the challenge ch went to the host request req came from (a new
 * connection has another port); an unknown end does not tell. */
static int
rules_same_client(const struct engine *e, uint32_t ch, uint32_t req)
{
	uint32_t src, dst, rsrc, rdst;
	struct span a, b;

	engine_msg_ends(e, ch, &src, &dst);
	engine_msg_ends(e, req, &rsrc, &rdst);
	if (dst == 0 || rsrc == 0 || dst == rsrc)
		return 1;
	a = rules_host(engine_str(e, dst));
	b = rules_host(engine_str(e, rsrc));
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* The id of the first request of dialog d, UINT32_MAX when a response
 * comes first (or none). */
static uint32_t
rules_first_request(const struct dialogs *ds, const struct msgindex *ix,
		    const struct dialog *d)
{
	const uint32_t *ids = dialogs_msgs(ds, d);
	const struct msg *m;
	size_t j;

	for (j = 0; j < d->nmsgs; j++) {
		m = msgindex_get(ix, ids[j]);
		if (m->kind == MSG_REQUEST)
			return ids[j];
		if (m->kind == MSG_RESPONSE)
			break;
	}
	return UINT32_MAX;
}

/* Whether the credentials of request req answer the challenge ch: both
 * texts read (once for a pair: the caller notes it tried). */
static int
rules_answers_text(const struct engine *e, uint32_t ch, uint32_t req)
{
	struct rd_record rc, rr;
	struct sipmsg mc, mr;
	int ok = 0;

	if (engine_message(e, ch, &rc, &mc) != 0)
		return 0;
	if (engine_message(e, req, &rr, &mr) == 0) {
		ok = auth_answers_challenge(&mc, &mr);
		sipmsg_clear(&mr);
	}
	sipmsg_clear(&mc);
	return ok;
}

/* The expiry a REGISTER asks for: the first Contact's expires parameter,
 * else its Expires header; -1 when it names none. */
static long
rules_expiry(const struct sipmsg *m)
{
	const struct sip_header *h;
	struct span v;
	long at;

	if ((h = sipmsg_find(m, HDR_CONTACT, 0)) != NULL) {
		v = h->value;
		/* Past the URI: its own parameters are not the entry's. */
		if ((at = span_ifind(v, ">", 1)) >= 0)
			v = (struct span){ v.p + at, v.n - (size_t)at };
		if ((at = span_ifind(v, "expires=", 8)) >= 0 &&
		    (size_t)at + 8 < v.n && v.p[at + 8] >= '0' &&
		    v.p[at + 8] <= '9')
			return strtol(v.p + at + 8, NULL, 10);
	}
	if ((h = sipmsg_find(m, HDR_EXPIRES, 0)) != NULL) {
		v = span_trim(h->value);
		if (v.n > 0 && v.p[0] >= '0' && v.p[0] <= '9')
			return strtol(v.p, NULL, 10);
	}
	return -1;
}

/* Whether request req asks again, after the 423 ch, for an expiry the
 * server can take: at least its Min-Expires (one not named is taken). */
static int
rules_longer_text(const struct engine *e, uint32_t ch, uint32_t req)
{
	struct rd_record rc, rr;
	struct sipmsg mc, mr;
	const struct sip_header *h;
	long min = -1, got;
	int ok = 0;

	if (engine_message(e, ch, &rc, &mc) != 0)
		return 0;
	if ((h = sipmsg_find_name(&mc, "Min-Expires", 0)) != NULL) {
		struct span v = span_trim(h->value);

		if (v.n > 0 && v.p[0] >= '0' && v.p[0] <= '9')
			min = strtol(v.p, NULL, 10);
	}
	sipmsg_clear(&mc);
	if (engine_message(e, req, &rr, &mr) == 0) {
		got = rules_expiry(&mr);
		ok = min < 0 || got < 0 || got >= min;
		sipmsg_clear(&mr);
	}
	return ok;
}

/* When the first request of dialog b answers, on its new Call-ID, a
 * challenge left unanswered in another dialog, notes it; returns that
 * dialog (also when noted before), else NO_DIALOG. A 423 Interval Too
 * Brief left so is answered by a request of its method asking for at
 * least its Min-Expires, with or without credentials. */
static uint32_t
rules_link_retry(const struct engine *e, struct rules_state *st,
		 const struct dialog *b)
{
	struct msgindex *ix = engine_index(e);
	const struct msg *rm, *cm;
	struct rules_pend *p;
	const struct dialog *a;
	uint32_t req, ch, c, d;
	unsigned offered;
	enum auth_scheme sch;
	size_t j;

	req = rules_first_request(engine_dialogs(e), ix, b);
	if (req == UINT32_MAX)
		return NO_DIALOG;
	rm = msgindex_get(ix, req);
	if ((c = idmap_get(&st->by_req, req)) != 0)
		return dialogs_of(engine_dialogs(e), msgindex_get(ix, c - 1));
	p = rules_pend_slot(st, b->from, b->to, msgindex_method(ix, req), 0);
	if (p == NULL || p->msg == 0 || p->tried == req + 1 ||
	    p->msg - 1 >= req)
		return NO_DIALOG;
	ch = p->msg - 1;
	cm = msgindex_get(ix, ch);
	if (cm->status != 423 && !(rm->facts & RULES_F_CREDS))
		return NO_DIALOG;
	p->tried = req + 1;
	if (cm->call_id == rm->call_id)
		return NO_DIALOG;
	/* Soon after, and from where the challenge went. */
	if (cm->time != TIME_NONE && rm->time != TIME_NONE &&
	    (rm->time < cm->time ||
	     (int64_t)rm->time - (int64_t)cm->time > RULES_RETRY_WINDOW))
		return NO_DIALOG;
	if (cm->status == 423) {
		if (!rules_same_client(e, ch, req) ||
		    !rules_longer_text(e, ch, req))
			return NO_DIALOG;
	} else {
		/* In the header the challenge asks for, a scheme it
		 * offers. Lync and Skype for Business clients answer a
		 * 401 in Proxy-Authorization too (MS-SIPAE), with NTLM,
		 * Kerberos or TLS-DSK, as they do in its own dialog. */
		unsigned hdr = cm->status == 407 ? RULES_F_PROXY_AUTHZ :
		    RULES_F_AUTHZ;

		sch = RULES_F_SCHEME(rm->facts);
		if (cm->status == 401 && (sch == AUTH_NTLM ||
		    sch == AUTH_KERBEROS || sch == AUTH_TLS_DSK))
			hdr |= RULES_F_PROXY_AUTHZ;
		if (!(rm->facts & hdr))
			return NO_DIALOG;
		offered = RULES_F_OFFERED(cm->facts);
		if (offered != 0 && sch != AUTH_OTHER &&
		    !(offered & AUTH_BIT(sch)))
			return NO_DIALOG;
		if (!rules_same_client(e, ch, req) ||
		    !rules_answers_text(e, ch, req))
			return NO_DIALOG;
	}
	idmap_put(&st->by_chal, ch, req + 1);
	idmap_put(&st->by_req, req, ch + 1);
	p->msg = 0;
	/* The same challenge seen in another log of the merged ones: once
	 * per link, the dialog's other copies are answered too. */
	d = dialogs_of(engine_dialogs(e), cm);
	if ((a = dialogs_get(engine_dialogs(e), d)) != NULL) {
		const uint32_t *ids = dialogs_msgs(engine_dialogs(e), a);

		for (j = 0; j < a->nmsgs; j++) {
			const struct msg *x = msgindex_get(ix, ids[j]);

			if (ids[j] != ch && x->kind == MSG_RESPONSE &&
			    x->status == cm->status &&
			    msgindex_method(ix, ids[j]) ==
			    msgindex_method(ix, ch) &&
			    x->cseq == cm->cseq)
				idmap_put(&st->by_chal, ids[j], req + 1);
		}
	}
	return d;
}

uint32_t
rules_answered_dialog(const struct engine *e, uint32_t d)
{
	const struct rules_state *st = rules_state_live(e);
	const struct dialog *dg = dialogs_get(engine_dialogs(e), d);
	struct msgindex *ix = engine_index(e);
	uint32_t req, c;

	if (st == NULL || dg == NULL ||
	    (req = rules_first_request(engine_dialogs(e), ix, dg)) ==
	    UINT32_MAX ||
	    (c = idmap_get(&st->by_req, req)) == 0)
		return NO_DIALOG;
	return dialogs_of(engine_dialogs(e), msgindex_get(ix, c - 1));
}

int
rules_outcome_unknown(const struct rules *r, const struct engine *e,
		      uint32_t id)
{
	const struct msg *msg = msgindex_get(engine_index(e), id);
	const struct rules_rule *rule;
	size_t i;

	if (r == NULL || msg == NULL || msg->rule == 0 ||
	    msg->rule > r->nrules)
		return 0;
	rule = &r->rules[msg->rule - 1];
	for (i = 0; i < rule->npreds; i++) {
		/* Matched by that value: the challenge is in that state. */
		if (rule->preds[i].type == RP_CHALLENGE &&
		    !rule->preds[i].neg && rule->preds[i].mask == 512)
			return 1;
	}
	return 0;
}

uint32_t
rules_retry_dialog(const struct engine *e, uint32_t ch)
{
	const struct rules_state *st = rules_state_live(e);
	uint32_t c;

	if (st == NULL || (c = idmap_get(&st->by_chal, ch)) == 0)
		return NO_DIALOG;
	return dialogs_of(engine_dialogs(e),
			  msgindex_get(engine_index(e), c - 1));
}

/* Transactions of a dialog, keyed by (method, CSeq number). */
struct rules_txn {
	uint32_t method;
	uint32_t cseq;
	uint8_t used;
	uint8_t got_prov;
	uint8_t got_final;
	uint16_t final_status;
	uint32_t scheme;	/* credentials of its request */
	uint8_t creds;		/* its request carried credentials (not only
				 * the opening of a handshake) */
	uint8_t asked;		/* ... in answer to a challenge just before */
	uint32_t req;		/* position of its request in the dialog + 1 */
};

struct rules_txns {
	struct rules_txn *v;
	size_t mask;
};

static void
rules_txns_init(struct rules_txns *t, size_t n, struct rules_txn *small)
{
	size_t sz = 16;

	while (sz < n * 2)
		sz <<= 1;
	/* Most dialogs are short: their table lives on the caller's stack. */
	if (sz == 16) {
		memset(small, 0, 16 * sizeof *small);
		t->v = small;
	} else
		t->v = xcalloc(sz, sizeof *t->v);
	t->mask = sz - 1;
}

static struct rules_txn *
rules_txn(struct rules_txns *t, uint32_t method, uint32_t cseq, int add)
{
	size_t i;

	i = (size_t)((method * 2654435761u) ^ (cseq * 40503u)) & t->mask;
	for (;; i = (i + 1) & t->mask) {
		if (!t->v[i].used) {
			if (!add)
				return NULL;
			t->v[i].used = 1;
			t->v[i].method = method;
			t->v[i].cseq = cseq;
			return &t->v[i];
		}
		if (t->v[i].method == method && t->v[i].cseq == cseq)
			return &t->v[i];
	}
}

/* Per method: few per dialog, so a short array. */
struct rules_meth {
	uint32_t method;
	uint32_t hi_cseq;
	int has_creds;
	uint32_t creds_min;	/* forward pass: lowest CSeq with credentials */
	int later_creds;
	uint32_t later_max;	/* backward pass: highest later CSeq with creds */
	uint32_t later_scheme;
	uint8_t later_sch;	/* enum auth_scheme of later_scheme */
	uint32_t later_req;	/* message id + 1 of that request */
	int later_cut;		/* backward pass: a later request cut short
				 * in the log, without credentials there */
	uint32_t later_cut_max;	/* its highest CSeq */
	int later_any;		/* backward pass: a later request at all */
	int challenged;		/* forward: its last final response so far was
				 * a 401 or 407 */
};

static struct rules_meth *
rules_meth(struct rules_meth **v, size_t *n, size_t *cap, uint32_t method)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].method == method)
			return &(*v)[i];
	}
	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].method = method;
	return &(*v)[(*n)++];
}

/* Whether the request req answers the 401/407 msg with Digest
 * credentials computed with MD5 (those in the header msg asks for) while
 * it offers Digest without MD5. */
static int
rules_alg_not_offered(const struct msg *req, const struct msg *msg)
{
	unsigned rf = req->facts;

	return (rf & RULES_F_CREDS) && RULES_F_SCHEME(rf) == AUTH_DIGEST &&
	       (msg->status == 407 ? (req->flags & RULES_X_PROXY_MD5) != 0 :
	       (rf & RULES_F_MD5) != 0) && (msg->flags & RULES_X_NO_MD5);
}

/* The credentials of request req that the 401/407 msg refuses: for their
 * algorithm, or as they are. */
static enum rules_rech
rules_refused(const struct msg *req, const struct msg *msg)
{
	return rules_alg_not_offered(req, msg) ? RULES_RECH_ALGORITHM :
	       RULES_RECH_REJECTED;
}

/* Why the 401/407 msg, the i-th message of dialog d, challenges the
 * credentials of its transaction t again. Only the last case reads text
 * (both messages, to compare realms), and only when the challenge is not
 * in the header the credentials answer (a 401 to Proxy-Authorization): a
 * second proxy, or a Lync server, which answers WWW-Authenticate so. A
 * dialog is rated again as it grows: a long 401 loop of Digest
 * credentials must not read its messages again each time. Two proxies
 * that both send 407 are taken for one (a refusal). */
static enum rules_rech
rules_rechallenge(const struct engine *e, const struct dialog *d, size_t i,
		  const struct msg *msg, const struct rules_txn *t)
{
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), d);
	struct rd_record rec, rrec;
	struct sipmsg resp, req;
	const struct msg *rm;
	int same = 1;

	if (msg->facts & RULES_F_STALE)
		return RULES_RECH_STALE;
	if (msg->facts & RULES_F_NEXT_LEG)
		return RULES_RECH_HANDSHAKE;
	if (!t->asked)
		return RULES_RECH_REUSED;
	if (t->req == 0)
		return RULES_RECH_REJECTED;
	rm = msgindex_get(engine_index(e), ids[t->req - 1]);
	if (rm->facts & (msg->status == 401 ? RULES_F_AUTHZ :
	    RULES_F_PROXY_AUTHZ))
		return rules_refused(rm, msg);
	if (engine_message(e, ids[i], &rec, &resp) == 0) {
		if (engine_message(e, ids[t->req - 1], &rrec, &req) == 0) {
			same = auth_same_realm(&resp, &req);
			sipmsg_clear(&req);
		}
		sipmsg_clear(&resp);
	}
	return same ? rules_refused(rm, msg) : RULES_RECH_OTHER_REALM;
}

/* Fills ctx[i], the context of the i-th message of dialog d. */
static void
rules_dialog_context(const struct engine *e, const struct dialog *d,
		     struct rules_ctx *ctx)
{
	struct msgindex *ix = engine_index(e);
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), d);
	size_t n = d->nmsgs, i, nm = 0, capm = 0, smask, j;
	struct rules_txns txns;
	struct rules_txn *t;
	struct rules_meth *mv = NULL, *mt;
	uint32_t *seen;		/* earlier distinct messages, by position + 1 */
	uint32_t small_seen[16];
	struct rules_txn small_txns[16];
	struct msg *msg;
	uint32_t cancel, c, method;
	const struct rules_state *st = rules_state_live(e);

	cancel = intern_lookup(engine_strings(e), "CANCEL", 6);
	rules_txns_init(&txns, n, small_txns);
	smask = txns.mask;
	if (smask + 1 == 16) {
		memset(small_seen, 0, sizeof small_seen);
		seen = small_seen;
	} else
		seen = xcalloc(smask + 1, sizeof *seen);

	/* Forward: transactions, credentials so far, CANCELs, repeats. */
	for (i = 0; i < n; i++) {
		struct rules_ctx *f = &ctx[i];

		msg = msgindex_get(ix, ids[i]);
		method = msgindex_method(ix, ids[i]);
		memset(f, 0, sizeof *f);
		if (msg->kind == MSG_REQUEST || msg->kind == MSG_RESPONSE) {
			j = rules_fields_hash(msg) & smask;
			for (;; j = (j + 1) & smask) {
				uint32_t k;

				if (seen[j] == 0) {
					seen[j] = (uint32_t)i + 1;
					break;
				}
				k = ids[seen[j] - 1];
				if (rules_same_fields(e, k, msgindex_get(ix, k),
						      ids[i], msg) &&
				    rules_same_text(e, k, ids[i])) {
					f->retrans = 1;
					break;
				}
			}
		}
		/* A server's diagnostic about a cancelled transaction names
		 * it by CSeq (SIP-CSeq: 1 INVITE). */
		if (msg->kind == MSG_DIAG && cancel != 0 && msg->cseq != 0 &&
		    rules_txn(&txns, cancel, msg->cseq, 0) != NULL)
			f->after_cancel = 1;
		if (msg->kind == MSG_DIAG && method != 0) {
			/* What was sent in the transaction it names. */
			mt = rules_meth(&mv, &nm, &capm, method);
			f->creds_sent = mt->has_creds &&
			    mt->creds_min <= msg->cseq;
			continue;
		}
		if (method == 0 || (msg->kind != MSG_REQUEST &&
		    msg->kind != MSG_RESPONSE))
			continue;
		t = rules_txn(&txns, method, msg->cseq, 1);
		mt = rules_meth(&mv, &nm, &capm, method);
		if (msg->cseq > mt->hi_cseq)
			mt->hi_cseq = msg->cseq;
		if (msg->kind == MSG_REQUEST) {
			if (msg->facts & RULES_F_CREDS) {
				f->used = rules_scheme_id(e, ids[i], msg);
				t->scheme = f->used;
			}
			/* Credentials that only open a handshake are not
			 * sent yet: a 401 to them is its next leg. */
			if ((msg->facts & (RULES_F_CREDS | RULES_F_OPENS)) ==
			    RULES_F_CREDS) {
				if (!mt->has_creds || msg->cseq < mt->creds_min)
					mt->creds_min = msg->cseq;
				mt->has_creds = 1;
				t->creds = 1;
				t->asked = (uint8_t)(mt->challenged ||
				    (st != NULL && (c = idmap_get(
				     &st->by_req, ids[i])) != 0 &&
				     msgindex_get(ix, c - 1)->status != 423));
			}
			if (t->req == 0)
				t->req = (uint32_t)i + 1;
		} else {
			/* Credentials that only opened a handshake count
			 * here too when the server goes on with it. */
			if ((msg->status == 401 || msg->status == 407) &&
			    (t->creds || (t->scheme != 0 &&
			     (msg->facts & RULES_F_NEXT_LEG))))
				f->rechallenge = (uint8_t)rules_rechallenge(e, d,
				    i, msg, t);
			if (msg->status >= 200) {
				t->got_final = 1;
				t->final_status = msg->status;
				mt->challenged = msg->status == 401 ||
				    msg->status == 407;
			} else if (msg->status >= 100)
				t->got_prov = 1;
			if (cancel != 0 && method != cancel &&
			    rules_txn(&txns, cancel, msg->cseq, 0) != NULL)
				f->after_cancel = 1;
		}
		/* A response: its own request's (a refresh sent without
		 * them and challenged is not credentials rejected). */
		f->creds_sent = msg->kind == MSG_RESPONSE ? t->creds :
		    mt->has_creds && mt->creds_min <= msg->cseq;
	}

	/* Backward: was a challenge answered by a later request. */
	for (i = n; i-- > 0;) {
		struct rules_ctx *f = &ctx[i];

		msg = msgindex_get(ix, ids[i]);
		method = msgindex_method(ix, ids[i]);
		if (method == 0 || (msg->kind != MSG_REQUEST &&
		    msg->kind != MSG_RESPONSE))
			continue;
		mt = rules_meth(&mv, &nm, &capm, method);
		if (mt->later_creds && mt->later_max > msg->cseq &&
		    msg->kind == MSG_RESPONSE &&
		    rules_late(msg, msgindex_get(ix, mt->later_req - 1))) {
			/* The challenged request failed: the one with
			 * credentials, that long after, is another try. */
			f->late = 1;
		} else if (mt->later_creds && mt->later_max > msg->cseq) {
			f->answered = 1;
			f->answer_scheme = mt->later_scheme;
			f->answer_sch = mt->later_sch;
			f->answer_req = mt->later_req;
		} else if (st != NULL && msg->kind == MSG_RESPONSE &&
			   (msg->status == 401 || msg->status == 407 ||
			    (msg->status == 423 && !mt->later_any)) &&
			   (c = idmap_get(&st->by_chal, ids[i])) != 0) {
			/* Answered by a retry on a new Call-ID. */
			const struct msg *rm = msgindex_get(ix, c - 1);

			f->answered = 1;
			f->elsewhere = 1;
			f->answer_req = c;
			f->answer_scheme = rules_scheme_id(e, c - 1, rm);
			f->answer_sch = (uint8_t)RULES_F_SCHEME(rm->facts);
		} else if (msg->kind == MSG_RESPONSE &&
			   ((mt->later_cut && mt->later_cut_max > msg->cseq) ||
			    ((msg->flags & RECF_TRUNCATED) &&
			     !mt->later_any)))
			f->answer_cut = 1;
		/* Left unanswered by a trace that ends soon after: the
		 * client's answer may be in what was not traced. The
		 * engine notes it, to rate it again once the trace goes
		 * on past its window. */
		if (msg->kind == MSG_RESPONSE &&
		    (msg->status == 401 || msg->status == 407) &&
		    !f->answered && !f->late && !f->answer_cut &&
		    !mt->later_any && engine_trace_ends_after(e, ids[i]))
			f->trace_end = 1;
		if (msg->kind == MSG_RESPONSE)
			f->retried = mt->later_any;
		if (msg->kind == MSG_REQUEST)
			mt->later_any = 1;
		if (msg->kind == MSG_REQUEST &&
		    !(msg->facts & RULES_F_CREDS) &&
		    (msg->flags & RECF_TRUNCATED)) {
			if (!mt->later_cut || msg->cseq > mt->later_cut_max)
				mt->later_cut_max = msg->cseq;
			mt->later_cut = 1;
		}
		if (msg->kind == MSG_REQUEST && (msg->facts & RULES_F_CREDS)) {
			if (!mt->later_creds || msg->cseq > mt->later_max)
				mt->later_max = msg->cseq;
			mt->later_creds = 1;
			mt->later_scheme = f->used;
			mt->later_sch = (uint8_t)RULES_F_SCHEME(msg->facts);
			mt->later_req = ids[i] + 1;
		}
	}

	/* What each method finally got, and each request's reply (a
	 * diagnostic event's: those of the transaction it names). */
	for (i = 0; i < n; i++) {
		struct rules_ctx *f = &ctx[i];

		msg = msgindex_get(ix, ids[i]);
		method = msgindex_method(ix, ids[i]);
		if (method == 0 || msg->kind == MSG_INVALID)
			continue;
		mt = rules_meth(&mv, &nm, &capm, method);
		t = rules_txn(&txns, method, mt->hi_cseq, 0);
		if (t != NULL && t->got_final)
			f->outcome = t->final_status < 300 ? RULES_OUT_SUCCESS :
			    RULES_OUT_FAILURE;
		if (f->elsewhere) {
			/* The retry's dialog says how the method ended. */
			const struct dialog *rd = dialogs_get(engine_dialogs(e),
			    dialogs_of(engine_dialogs(e),
			    msgindex_get(ix, f->answer_req - 1)));

			f->outcome = rd == NULL || rd->outcome == 0 ?
			    RULES_OUT_NONE : rd->outcome < 300 ?
			    RULES_OUT_SUCCESS : RULES_OUT_FAILURE;
		}
		t = rules_txn(&txns, method, msg->cseq, 0);
		if (t != NULL) {
			f->reply = t->got_final ? RULES_REPLY_FINAL :
			    t->got_prov ? RULES_REPLY_PROVISIONAL :
			    RULES_REPLY_NONE;
			f->txn_scheme = t->scheme;
			f->txn_req = t->req != 0 ? ids[t->req - 1] + 1 : 0;
		}
		/* Left unanswered by a trace that ends soon after, as a
		 * challenge is (trace_end): noted below, to be rated again
		 * once the trace goes on. Not while the inputs are read: a
		 * response may be in what is read next, and looking after
		 * every request in flight at each rating took a fifth of
		 * the indexing's instructions. */
		if (msg->kind == MSG_REQUEST && f->reply == RULES_REPLY_NONE &&
		    !engine_reading(e) && engine_trace_ends_after(e, ids[i]))
			f->reply_end = 1;
	}
	if (seen != small_seen)
		free(seen);
	free(mv);
	if (txns.v != small_txns)
		free(txns.v);
}

/* One message being rated or explained. */
struct rules_eval {
	const struct rules *r;
	const struct engine *e;
	uint32_t id;
	struct msg *msg;
	uint32_t method;	/* msg's */
	const struct rules_ctx *f;
	int parsed;		/* 1 parsed, -1 could not be read */
	struct rd_record rec;
	struct sipmsg m;
	/* Captures of the pattern conditions that matched (explain only). */
	int want_caps;
	struct rules_cap {
		const pcre2_code *re;
		struct span subj;
		PCRE2_SIZE ov[20];
		int n;
	} caps[8];
	size_t ncaps;
};

static int
rules_eval_parse(struct rules_eval *ev)
{
	if (ev->parsed == 0) {
		if (engine_message(ev->e, ev->id, &ev->rec, &ev->m) == 0)
			ev->parsed = 1;
		else
			ev->parsed = -1;
	}
	return ev->parsed == 1;
}

static void
rules_eval_done(struct rules_eval *ev)
{
	if (ev->parsed == 1)
		sipmsg_clear(&ev->m);
	ev->parsed = 0;
}

static int
rules_re_match(struct rules_eval *ev, const pcre2_code *re, struct span s)
{
	pcre2_match_data *md = ev->r->md;
	PCRE2_SIZE *ov;
	struct rules_cap *c;
	int rc, i;

	rc = pcre2_match(re, (PCRE2_SPTR)(s.p != NULL ? s.p : ""), s.n, 0, 0,
	    md, NULL);
	if (rc < 0)
		return 0;
	if (ev->want_caps && ev->ncaps < sizeof ev->caps / sizeof ev->caps[0]) {
		c = &ev->caps[ev->ncaps++];
		c->re = re;
		c->subj = s;
		ov = pcre2_get_ovector_pointer(md);
		if (rc == 0 || rc > 10)
			rc = 10;
		c->n = rc;
		for (i = 0; i < 2 * rc; i++)
			c->ov[i] = ov[i];
	}
	return 1;
}

static int
rules_pred_test(struct rules_eval *ev, const struct rules_pred *p)
{
	const struct msg *msg = ev->msg;
	const struct rules_ctx *f = ev->f;
	const struct sip_header *h;
	const char *s;
	size_t i;

	switch (p->type) {
	case RP_KIND:
		return (p->mask >> msg->kind) & 1;
	case RP_DIR:
		return (p->mask >> msg->dir) & 1;
	case RP_METHOD:
		if (ev->method == 0)
			return 0;
		s = engine_str(ev->e, ev->method);
		for (i = 0; i < p->nwords; i++) {
			if (strcasecmp(s, p->words[i]) == 0)
				return 1;
		}
		return 0;
	case RP_STATUS:
		if (msg->kind != MSG_RESPONSE)
			return 0;
		for (i = 0; i < p->nranges; i++) {
			if (msg->status >= p->ranges[i].lo &&
			    msg->status <= p->ranges[i].hi)
				return 1;
		}
		return 0;
	case RP_DIAGCODE:
		if (!rules_eval_parse(ev))
			return 0;
		for (i = 0; (h = sipmsg_find_name(&ev->m, "ms-diagnostics",
						  i)) != NULL; i++) {
			struct span v = span_trim(h->value);
			uint32_t code = 0;
			size_t k, r;

			for (k = 0; k < v.n && k < 6 && v.p[k] >= '0' &&
			     v.p[k] <= '9'; k++)
				code = code * 10 + (uint32_t)(v.p[k] - '0');
			if (k == 0)
				continue;
			for (r = 0; r < p->nranges; r++) {
				if (code >= p->ranges[r].lo &&
				    code <= p->ranges[r].hi)
					return 1;
			}
		}
		return 0;
	case RP_HEADER:
		if (!rules_eval_parse(ev))
			return 0;
		return sipmsg_find_name(&ev->m, p->hname, 0) != NULL;
	case RP_HEADER_RE:
		if (!rules_eval_parse(ev))
			return 0;
		for (i = 0; (h = sipmsg_find_name(&ev->m, p->hname, i)) != NULL;
		    i++) {
			if (rules_re_match(ev, p->re, h->value))
				return 1;
		}
		return 0;
	case RP_START_RE:
		if (!rules_eval_parse(ev))
			return 0;
		return rules_re_match(ev, p->re, ev->rec.start);
	case RP_BODY_RE:
		if (!rules_eval_parse(ev))
			return 0;
		return rules_re_match(ev, p->re, ev->rec.body);
	case RP_CHALLENGE:
		if ((p->mask >> (f->answered ? 1 : 0)) & 1)
			return 1;
		/* cut: unanswered as far as the log goes, which cuts the
		 * retry short (rules written before it still see it as
		 * unanswered, above). */
		/* So is one the log cut before its CSeq (its method, and
		 * so its answer, unknown). */
		if ((p->mask & 32) && !f->answered &&
		    msg->kind == MSG_RESPONSE && (f->answer_cut ||
		    (ev->method == 0 && (msg->flags & RECF_TRUNCATED))))
			return 1;
		/* awaited: unanswered so far, its answer may still come. */
		if ((p->mask & 64) && f->awaited)
			return 1;
		if ((p->mask & 256) && f->late)
			return 1;
		if ((p->mask & 512) && f->trace_end)
			return 1;
		if (!f->answered || msg->kind != MSG_RESPONSE)
			return 0;
		/* answered-other: with a scheme this challenge does not
		 * offer (the client's choice cannot work). What it offers
		 * was kept while indexing: rating reads no text. */
		if ((p->mask & 4) && RULES_F_OFFERED(msg->facts) != 0 &&
		    f->answer_sch != AUTH_NONE && f->answer_sch != AUTH_OTHER &&
		    !(RULES_F_OFFERED(msg->facts) & AUTH_BIT(f->answer_sch)))
			return 1;
		if ((p->mask & 16) && f->elsewhere)
			return 1;
		/* answered-opening: by credentials that only open an NTLM or
		 * TLS-DSK handshake (gssapi-data="", a NEGOTIATE, a
		 * ClientHello), kept while indexing. */
		if ((p->mask & 128) && f->answer_req != 0 &&
		    (msgindex_get(engine_index(ev->e), f->answer_req - 1)->facts &
		     RULES_F_OPENS))
			return 1;
		/* answered-other-algorithm: Digest computed with MD5 to a
		 * challenge that offers other algorithms only. */
		return (p->mask & 8) && f->answer_req != 0 &&
		    rules_alg_not_offered(msgindex_get(engine_index(ev->e),
		    f->answer_req - 1), msg);
	case RP_OUTCOME:
		return (p->mask >> f->outcome) & 1;
	case RP_REPLY:
		if (msg->kind != MSG_REQUEST)
			return 0;
		/* awaited: none so far, and the response may still come. */
		if ((p->mask & (1u << RULES_REPLY_AWAITED)) && f->reply_awaited)
			return 1;
		/* trace-end: none, and the trace ends soon after it. */
		if ((p->mask & (1u << RULES_REPLY_TRACE_END)) && f->reply_end)
			return 1;
		return (p->mask >> f->reply) & 1;
	case RP_PHASE:
		if (msg->kind != MSG_RESPONSE || msg->status < 100)
			return 0;
		return (p->mask >> (msg->status >= 200 ? 1 : 0)) & 1;
	case RP_AFTER_CANCEL:
		return (p->mask >> (f->after_cancel ? 1 : 0)) & 1;
	case RP_RETRANS:
		return (p->mask >> (f->retrans ? 1 : 0)) & 1;
	case RP_CREDS:
		return (p->mask >> (f->creds_sent ? 1 : 0)) & 1;
	case RP_RECHALLENGE:
		/* algorithm is a kind of rejected: rules written before it
		 * was told apart still see it so. */
		if (f->rechallenge == RULES_RECH_ALGORITHM &&
		    ((p->mask >> RULES_RECH_REJECTED) & 1))
			return 1;
		return (p->mask >> f->rechallenge) & 1;
	}
	return 0;
}

static int
rules_rule_test(struct rules_eval *ev, const struct rules_rule *rule)
{
	size_t i;
	int ok;

	ev->ncaps = 0;
	for (i = 0; i < rule->npreds; i++) {
		ok = rules_pred_test(ev, &rule->preds[i]);
		if (rule->preds[i].neg)
			ok = !ok;
		if (!ok)
			return 0;
	}
	return 1;
}

/* Severity from a log's own level words (TL_ERROR, Warning, INFO ...). */
static int
rules_level_severity(struct span s)
{
	s = span_trim(s);
	if (s.n == 0)
		return -1;
	if (span_ifind(s, "err", 3) >= 0 || span_ifind(s, "fatal", 5) >= 0 ||
	    span_ifind(s, "crit", 4) >= 0 || span_ifind(s, "emerg", 5) >= 0 ||
	    span_ifind(s, "alert", 5) >= 0 || span_ifind(s, "fail", 4) >= 0)
		return SEV_ERROR;
	if (span_ifind(s, "warn", 4) >= 0)
		return SEV_WARNING;
	if (span_ifind(s, "info", 4) >= 0 || span_ifind(s, "notice", 6) >= 0)
		return SEV_INFO;
	if (span_ifind(s, "verbose", 7) >= 0 || span_ifind(s, "debug", 5) >= 0 ||
	    span_ifind(s, "noise", 5) >= 0 || span_ifind(s, "trace", 5) >= 0)
		return SEV_NONE;
	return -1;
}

/* Index (1-based) of the first rule matching ev's message, 0 for none. */
static unsigned
rules_first_match(struct rules_eval *ev)
{
	size_t i;

	const struct rules_rule *rule;
	unsigned st = ev->msg->kind == MSG_RESPONSE ? ev->msg->status : 0;

	/* Most rules start with a kind or a status: skipped by them at
	 * once, without a call. */
	for (i = 0; i < ev->r->nrules; i++) {
		rule = &ev->r->rules[i];
		if (((rule->kinds >> ev->msg->kind) & 1) &&
		    (st == 0 || st >= RULES_STATUS_BITS ||
		     ((rule->statuses[st / 32] >> st % 32) & 1)) &&
		    rules_rule_test(ev, rule))
			return (unsigned)i + 1;
	}
	return 0;
}

static void
rules_rate_one(const struct rules *r, struct engine *e, uint32_t id,
	       const struct rules_ctx *f)
{
	struct rules_eval ev;
	const struct rules_rule *rule;
	unsigned k;
	int lv;
	struct msg *msg = msgindex_get(engine_index(e), id);

	/* Not a memset: ev holds a parsed message and captures (kilobytes)
	 * that only an explanation fills. */
	ev.r = r;
	ev.e = e;
	ev.id = id;
	ev.msg = msg;
	ev.method = msgindex_method(engine_index(e), id);
	ev.f = f;
	ev.parsed = 0;
	ev.want_caps = 0;
	ev.ncaps = 0;
	msg->flags &= (uint16_t)~RECF_RETRANS;
	if (f->retrans)
		msg->flags |= RECF_RETRANS;
	k = rules_first_match(&ev);
	msg->rule = (uint16_t)k;
	if (k == 0)
		msg->severity = SEV_NONE;
	else {
		rule = &r->rules[k - 1];
		lv = msg->kind == MSG_DIAG ? RULES_F_LEVEL(msg->facts) : -1;
		msg->severity = (uint8_t)(rule->from_log && lv >= 0 ? lv :
		    rule->severity);
	}
	rules_eval_done(&ev);
}

/* Dialog order of severities: benign is an expected event, not a failure,
 * so it ranks below ok; a dialog of 401 benign + 200 ok is ok. */
static int
rules_dialog_rank(int s)
{
	static const int rank[SEV__COUNT] = {
		[SEV_NONE] = 0, [SEV_INFO] = 1, [SEV_BENIGN] = 2,
		[SEV_OK] = 3, [SEV_WARNING] = 4, [SEV_ERROR] = 5,
	};

	return s >= 0 && s < SEV__COUNT ? rank[s] : 0;
}

/* The challenges of dialog d (dg) whose answer may still come: not
 * answered, no later request of their method in the dialog (an ACK to a
 * 407 may follow), and read from an input being followed only just now
 * (engine_answer_awaited); and so the requests (but ACK, which none
 * answers) whose response may still come. The engine rates d again once
 * that is over. */
static void
rules_awaited(struct engine *e, uint32_t d, const struct dialog *dg,
	      struct rules_ctx *ctx)
{
	struct msgindex *ix = engine_index(e);
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), dg);
	const struct msg *msg, *later;
	uint32_t method;
	size_t i, k;

	if (!engine_answers_awaited(e))
		return;
	for (i = dg->nmsgs; i-- > 0;) {
		msg = msgindex_get(ix, ids[i]);
		method = msgindex_method(ix, ids[i]);
		if (msg->kind != MSG_REQUEST ||
		    ctx[i].reply != RULES_REPLY_NONE || method == 0 ||
		    strcasecmp(engine_str(e, method), "ACK") == 0 ||
		    !engine_answer_awaited(e, ids[i]))
			continue;
		ctx[i].reply_awaited = 1;
		engine_note_answer_awaited(e, d, ids[i]);
	}
	for (i = dg->nmsgs; i-- > 0;) {
		msg = msgindex_get(ix, ids[i]);
		if (msg->kind != MSG_RESPONSE ||
		    (msg->status != 401 && msg->status != 407) ||
		    ctx[i].answered || ctx[i].retrans ||
		    !engine_answer_awaited(e, ids[i]))
			continue;
		for (k = i + 1; k < dg->nmsgs; k++) {
			later = msgindex_get(ix, ids[k]);
			if (later->kind == MSG_REQUEST &&
			    msgindex_method(ix, ids[k]) ==
			    msgindex_method(ix, ids[i]))
				break;
		}
		if (k < dg->nmsgs)
			continue;
		ctx[i].awaited = 1;
		engine_note_answer_awaited(e, d, ids[i]);
	}
}

/* Empties slot s of xc. */
static void
rules_xslot_clear(struct rules_xcache *xc, struct rules_xslot *s)
{
	xc->held -= s->count;
	free(s->ctx);
	memset(s, 0, sizeof *s);
}

static void
rules_xcache_clear(struct rules_xcache *xc)
{
	size_t i;

	for (i = 0; i < xc->nslots; i++)
		rules_xslot_clear(xc, &xc->slot[i]);
}

/* Forgets dialog d's context: rating it again may change it without the
 * dialog growing (a retry on a new Call-ID answers its challenge, the
 * trace goes on after a challenge it ended in). */
static void
rules_xcache_drop(struct rules_xcache *xc, uint32_t d)
{
	size_t i;

	if (xc->held == 0)
		return;
	for (i = 0; i < xc->nslots; i++) {
		if (xc->slot[i].epoch != 0 && xc->slot[i].dialog == d)
			rules_xslot_clear(xc, &xc->slot[i]);
	}
}

/* The first of the n message ids (ascending) that is not below id. */
static size_t
rules_ids_bound(const uint32_t *ids, size_t n, uint64_t id)
{
	size_t lo = 0, mid;

	while (lo < n) {
		mid = lo + (n - lo) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			n = mid;
	}
	return lo;
}

/* The context of message p of dialog d (dg), kept in xc or worked out
 * (into small when the dialog is short); borrowed until the next call. */
static const struct rules_ctx *
rules_xcache_get(struct rules_xcache *xc, const struct engine *e, uint32_t d,
		 const struct dialog *dg, size_t p, struct rules_ctx *small)
{
	const uint32_t *ids = dialogs_msgs(engine_dialogs(e), dg);
	uint64_t epoch = dialogs_epoch(engine_dialogs(e)), id = ids[p];
	struct rules_xslot *s, *victim = NULL, *old;
	struct rules_ctx *ctx;
	size_t i, n = dg->nmsgs, first, end, least = xc->span / 128;

	if (n < RULES_XC_SHORT) {
		xc->computed++;
		rules_dialog_context(e, dg, small);
		return &small[p];
	}
	/* Asked about one dialog's messages in a row: that slot first. */
	s = &xc->slot[xc->last];
	if (s->epoch == epoch && s->dialog == d && s->n == n &&
	    p >= s->first && p - s->first < s->count)
		return &s->ctx[p - s->first];
	for (i = 0; i < xc->nslots; i++) {
		s = &xc->slot[i];
		if (s->epoch != epoch && s->epoch != 0)
			rules_xslot_clear(xc, s);	/* built again since */
		if (s->epoch == epoch && s->dialog == d) {
			if (s->n == n && p >= s->first &&
			    p - s->first < s->count) {
				s->used = ++xc->clock;
				xc->last = i;
				return &s->ctx[p - s->first];
			}
			/* It grew, or p is past what it kept. */
			rules_xslot_clear(xc, s);
		}
		/* An empty one first (its clock is 0), or the oldest. */
		if (victim == NULL || s->used < victim->used)
			victim = s;
	}
	rules_xslot_clear(xc, victim);

	ctx = xmalloc(n * sizeof *ctx);
	rules_dialog_context(e, dg, ctx);
	xc->computed++;
	if (xc->held + n <= xc->max_msgs) {
		first = 0;	/* all of it: there is room */
		end = n;
	} else {
		first = rules_ids_bound(ids, n, id - (id < xc->span / 8 ? id :
					xc->span / 8));
		end = rules_ids_bound(ids, n, id + xc->span - xc->span / 8);
		if (end - first < least) {
			/* Few of its messages there: spread thin. */
			first = p - (p < least / 8 ? p : least / 8);
			end = first + least < n ? first + least : n;
		}
	}
	/* Within the budget, unless this window alone is over it. */
	while (xc->held + (end - first) > xc->max_msgs) {
		old = NULL;
		for (i = 0; i < xc->nslots; i++) {
			s = &xc->slot[i];
			if (s->epoch != 0 &&
			    (old == NULL || s->used < old->used))
				old = s;
		}
		if (old == NULL)
			break;
		rules_xslot_clear(xc, old);
	}
	memmove(ctx, ctx + first, (end - first) * sizeof *ctx);
	victim->ctx = xrealloc(ctx, (end - first) * sizeof *ctx);
	victim->epoch = epoch;
	victim->dialog = d;
	victim->n = n;
	victim->first = first;
	victim->count = end - first;
	victim->used = ++xc->clock;
	xc->last = (size_t)(victim - xc->slot);
	xc->held += victim->count;
	return &victim->ctx[p - first];
}

void
rules_set_explain_cache(struct rules *r, size_t slots, size_t msgs,
			size_t span)
{
	struct rules_xcache *xc = r->xc;

	rules_xcache_clear(xc);
	xc->nslots = slots != 0 ? slots : RULES_XC_SLOTS;
	xc->max_msgs = msgs != 0 ? msgs : RULES_XC_MSGS;
	xc->span = span != 0 ? span : RULES_XC_SPAN;
	free(xc->slot);
	xc->slot = xcalloc(xc->nslots, sizeof *xc->slot);
	xc->last = 0;
}

void
rules_explain_counts(const struct rules *r, size_t *held, uint64_t *computed)
{
	*held = r->xc->held;
	*computed = r->xc->computed;
}

/* follow: rate again the dialog whose challenge d's first request
 * answers on a new Call-ID (its rating follows d's outcome). */
static void
rules_rate_dialog_in(const struct rules *r, struct engine *e, uint32_t d,
		     int follow)
{
	struct dialog *dg = dialogs_get(engine_dialogs(e), d);
	struct msgindex *ix = engine_index(e);
	struct rules_state *st = engine_rules_state(e);
	struct rules_ctx *ctx, small[16];
	struct msg *msg;
	const uint32_t *ids;
	size_t i;
	int worst = SEV_NONE;
	uint32_t auth = 0, answered = NO_DIALOG;

	if (dg == NULL)
		return;
	ids = dialogs_msgs(engine_dialogs(e), dg);
	if (r == NULL || r->nrules == 0) {
		for (i = 0; i < dg->nmsgs; i++) {
			msg = msgindex_get(ix, ids[i]);
			msg->severity = SEV_NONE;
			msg->rule = 0;
		}
		dg->severity = SEV_NONE;
		return;
	}
	if (st->epoch != dialogs_epoch(engine_dialogs(e))) {
		rules_state_clear(st);
		st->epoch = dialogs_epoch(engine_dialogs(e));
	}
	if (follow)
		answered = rules_link_retry(e, st, dg);
	rules_xcache_drop(r->xc, d);
	ctx = dg->nmsgs <= 16 ? small : xmalloc(dg->nmsgs * sizeof *ctx);
	rules_dialog_context(e, dg, ctx);
	rules_awaited(e, d, dg, ctx);
	for (i = 0; i < dg->nmsgs; i++) {
		rules_rate_one(r, e, ids[i], &ctx[i]);
		msg = msgindex_get(ix, ids[i]);
		if (rules_dialog_rank(msg->severity) > rules_dialog_rank(worst))
			worst = msg->severity;
		if (ctx[i].used != 0)
			auth = ctx[i].used;
		/* A challenge left unanswered: a retry on a new Call-ID
		 * may answer it. */
		if (msg->kind == MSG_RESPONSE && !ctx[i].answered &&
		    !ctx[i].retrans && (msg->status == 401 ||
		    msg->status == 407))
			rules_pend_put(st, dg, msgindex_method(ix,
				       ids[i]), ids[i]);
		else if (msg->kind == MSG_RESPONSE && ctx[i].answered &&
		    !ctx[i].elsewhere && (msg->status == 401 ||
		    msg->status == 407))
			rules_pend_drop(st, dg, msgindex_method(ix,
					ids[i]), ids[i]);
		/* A 423 left so: a retry on a new Call-ID may ask again. */
		else if (msg->kind == MSG_RESPONSE && msg->status == 423 &&
		    !ctx[i].retried && !ctx[i].elsewhere && !ctx[i].retrans)
			rules_pend_put(st, dg, msgindex_method(ix,
				       ids[i]), ids[i]);
		else if (msg->kind == MSG_RESPONSE && msg->status == 423 &&
		    ctx[i].retried)
			rules_pend_drop(st, dg, msgindex_method(ix,
					ids[i]), ids[i]);
		/* Rated as the trace's end left it: again once it goes on. */
		if (ctx[i].trace_end || ctx[i].reply_end)
			engine_note_trace_end(e, d, ids[i]);
	}
	if (ctx != small)
		free(ctx);
	dg->severity = (uint8_t)worst;
	dialogs_set_auth(engine_dialogs(e), dg, auth);
	if (answered != NO_DIALOG && answered != d) {
		/* Its context changed without it growing. */
		rules_rate_dialog_in(r, e, answered, 0);
	}
}

void
rules_rate_dialog(const struct rules *r, struct engine *e, uint32_t d)
{
	rules_rate_dialog_in(r, e, d, 1);
}

/* Without a dialog there is no context to speak of; whether a request got
 * a reply is unknown, not "none". */
static void
rules_lone_context(const struct engine *e, uint32_t id, struct rules_ctx *f)
{
	memset(f, 0, sizeof *f);
	f->reply = RULES_REPLY_UNKNOWN;
	f->used = rules_scheme_id(e, id, msgindex_get(engine_index(e), id));
}

void
rules_rate_message(const struct rules *r, struct engine *e, uint32_t id)
{
	struct rules_ctx f;
	struct msg *msg = msgindex_get(engine_index(e), id);

	if (msg == NULL)
		return;
	if (r == NULL || r->nrules == 0) {
		msg->severity = SEV_NONE;
		msg->rule = 0;
		return;
	}
	rules_lone_context(e, id, &f);
	rules_rate_one(r, e, id, &f);
}

/* Explanations. */

/* Value of a ;name=value or name="value" parameter in a header value. */
static struct span
rules_hparam(struct span v, const char *name)
{
	size_t i = 0, nl = strlen(name), s;
	int q = 0;

	while (i < v.n) {
		if (v.p[i] == '"') {
			q = !q;
			i++;
			continue;
		}
		if (!q && (v.p[i] == ';' || v.p[i] == ',')) {
			i++;
			while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t'))
				i++;
			if (i + nl < v.n && strncasecmp(v.p + i, name, nl) == 0 &&
			    v.p[i + nl] == '=') {
				i += nl + 1;
				if (i < v.n && v.p[i] == '"') {
					s = ++i;
					while (i < v.n && v.p[i] != '"')
						i++;
					return (struct span){ v.p + s, i - s };
				}
				s = i;
				while (i < v.n && v.p[i] != ';' && v.p[i] != ',')
					i++;
				return span_trim((struct span){ v.p + s,
				    i - s });
			}
			continue;
		}
		i++;
	}
	return SPAN_NULL;
}

/* ms-diagnostics, else Warning, else Reason, as one short phrase. */
static void
rules_diagnostics(const struct sipmsg *m, struct strbuf *out)
{
	const struct sip_header *h;
	struct span v, code, text;
	size_t i;

	if ((h = sipmsg_find(m, HDR_MS_DIAGNOSTICS, 0)) != NULL ||
	    (h = sipmsg_find(m, HDR_MS_DIAGNOSTICS_PUBLIC, 0)) != NULL) {
		v = h->value;
		for (i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++)
			;
		code = (struct span){ v.p, i };
		text = rules_hparam(v, "reason");
		strbuf_adds(out, "ms-diagnostics");
		if (code.n > 0)
			strbuf_addf(out, " %.*s", (int)code.n, code.p);
		if (text.p != NULL)
			strbuf_addf(out, ": %.*s", (int)text.n, text.p);
		/* The security error under an authentication failure
		 * (SEC_E_WRONG_PRINCIPAL: a wrong SPN) is what says what to
		 * fix; the reason alone ("Final handshake failed") does not. */
		text = rules_hparam(v, "HRESULT");
		if (text.n > 0)
			strbuf_addf(out, ", HRESULT %.*s", (int)text.n, text.p);
		return;
	}
	if ((h = sipmsg_find(m, HDR_WARNING, 0)) != NULL) {
		v = h->value;
		text = SPAN_NULL;
		for (i = 0; i < v.n && v.p[i] != '"'; i++)
			;
		if (i < v.n) {
			size_t s = i + 1;

			for (i = s; i < v.n && v.p[i] != '"'; i++)
				;
			text = (struct span){ v.p + s, i - s };
		}
		for (i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++)
			;
		strbuf_addf(out, "Warning %.*s", (int)i, v.p);
		if (text.p != NULL)
			strbuf_addf(out, ": %.*s", (int)text.n, text.p);
		return;
	}
	if ((h = sipmsg_find(m, HDR_REASON, 0)) != NULL) {
		v = h->value;
		text = rules_hparam(v, "text");
		if (text.p != NULL)
			strbuf_addf(out, "Reason: %.*s", (int)text.n, text.p);
		else
			strbuf_addf(out, "Reason: %.*s", (int)v.n, v.p);
	}
}

static void
rules_add_capture(const struct rules_eval *ev, const struct rules_cap *c,
		  int k, struct strbuf *out)
{
	if (k < 0 || k >= c->n || c->ov[2 * k] == PCRE2_UNSET)
		return;
	strbuf_add(out, c->subj.p + c->ov[2 * k],
	    c->ov[2 * k + 1] - c->ov[2 * k]);
}

/* Appends the algorithm of the Digest credentials of message req - 1
 * that answer a status (401 or 407) challenge (nothing for req 0, or
 * credentials of another scheme). */
static void
rules_request_algorithm(const struct engine *e, uint32_t req, unsigned status,
			struct strbuf *out)
{
	struct rd_record rec;
	struct sipmsg m;
	struct span a;

	if (req == 0 || engine_message(e, req - 1, &rec, &m) != 0)
		return;
	if (auth_digest_credentials(&m, status == 407 ?
	    HDR_PROXY_AUTHORIZATION : HDR_AUTHORIZATION, &a) >= 0)
		strbuf_add(out, a.p, a.n);
	sipmsg_clear(&m);
}

/* Interned string id of t by its length: a Call-ID or URI may hold a
 * NUL, which the explanation keeps (it is shown as \x00), not an end. */
static void
rules_add_str(struct strbuf *out, const struct intern *t, uint32_t id)
{
	size_t n;
	const char *p = intern_str(t, id, &n);

	strbuf_add(out, p, n);
}

/* Appends variable v; the caller sanitises nothing here: the result is
 * text from the log and goes through sanitize_append where it is shown. */
static void
rules_expand_var(struct rules_eval *ev, struct span v, struct strbuf *out)
{
	const struct msg *msg = ev->msg;
	const struct sip_header *h;
	uint32_t n, sid, from, to;
	size_t i;
	char name[64];
	int k;

	if (span_istarts(v, "header:")) {
		char hn[128];

		if (v.n - 7 >= sizeof hn || !rules_eval_parse(ev))
			return;
		memcpy(hn, v.p + 7, v.n - 7);
		hn[v.n - 7] = '\0';
		if ((h = sipmsg_find_name(&ev->m, hn, 0)) != NULL)
			strbuf_add(out, h->value.p, h->value.n);
		return;
	}
	switch (rules_lookup(v, rules_fixed_vars)) {
	case 0:	/* status */
		if (msg->kind == MSG_RESPONSE)
			strbuf_addf(out, "%u", msg->status);
		return;
	case 1:	/* reason */
		if (rules_eval_parse(ev) && ev->m.kind == SIP_RESPONSE)
			strbuf_add(out, ev->m.reason.p, ev->m.reason.n);
		return;
	case 2:
		rules_add_str(out, engine_strings(ev->e), ev->method);
		return;
	case 3:
		if (msg->cseq != 0)
			strbuf_addf(out, "%u", msg->cseq);
		return;
	case 4:
		engine_msg_party(ev->e, ev->id, &from, &to);
		rules_add_str(out, engine_strings(ev->e), from);
		return;
	case 5:
		engine_msg_party(ev->e, ev->id, &from, &to);
		rules_add_str(out, engine_strings(ev->e), to);
		return;
	case 6:
		engine_msg_ends(ev->e, ev->id, &from, &to);
		rules_add_str(out, engine_strings(ev->e), from);
		return;
	case 7:
		engine_msg_ends(ev->e, ev->id, &from, &to);
		rules_add_str(out, engine_strings(ev->e), to);
		return;
	case 8:
		rules_add_str(out, engine_strings(ev->e),
			      engine_msg_ruri(ev->e, ev->id));
		return;
	case 9:
		rules_add_str(out, engine_call_ids(ev->e), msg->call_id);
		return;
	case 10:	/* schemes */
		if (rules_eval_parse(ev))
			auth_offered_detail(&ev->m, out);
		return;
	case 11:	/* scheme */
		sid = msg->kind == MSG_REQUEST ? ev->f->used :
		    ev->f->txn_scheme != 0 && !ev->f->answered ?
		    ev->f->txn_scheme : ev->f->answer_scheme != 0 ?
		    ev->f->answer_scheme : ev->f->txn_scheme;
		rules_add_str(out, engine_strings(ev->e), sid);
		return;
	case 12:
		if (rules_eval_parse(ev))
			rules_diagnostics(&ev->m, out);
		return;
	case 13:	/* level */
		if (rules_eval_parse(ev)) {
			if ((h = sipmsg_find_name(&ev->m, "Severity", 0)) !=
			    NULL)
				strbuf_add(out, h->value.p, h->value.n);
			else
				strbuf_add(out, ev->rec.diag_level.p,
				    ev->rec.diag_level.n);
		}
		return;
	case 14:
		if (msg->rule != 0)
			strbuf_adds(out, rules_rule_name(ev->r, msg->rule));
		return;
	case 15:	/* request-scheme */
		if (msg->kind == MSG_RESPONSE)
			rules_add_str(out, engine_strings(ev->e),
				      ev->f->txn_scheme);
		return;
	case 16:	/* answer-scheme */
		if (msg->kind == MSG_RESPONSE && ev->f->answered)
			rules_add_str(out, engine_strings(ev->e),
				      ev->f->answer_scheme);
		return;
	case 17:	/* algorithms */
		if (rules_eval_parse(ev))
			auth_digest_algorithms(&ev->m, out);
		return;
	case 18:	/* request-algorithm */
		if (msg->kind == MSG_RESPONSE)
			rules_request_algorithm(ev->e, ev->f->txn_req,
			    msg->status, out);
		return;
	case 19:	/* answer-algorithm */
		if (msg->kind == MSG_RESPONSE && ev->f->answered)
			rules_request_algorithm(ev->e, ev->f->answer_req,
			    msg->status, out);
		return;
	case 20:	/* answer-call-id */
		if (msg->kind == MSG_RESPONSE && ev->f->answer_req != 0)
			rules_add_str(out, engine_call_ids(ev->e), msgindex_get(
			    engine_index(ev->e), ev->f->answer_req - 1)->call_id);
		return;
	}
	if (ev->ncaps == 0)
		return;
	if (span_to_u32(v, &n) == 0) {
		rules_add_capture(ev, &ev->caps[ev->ncaps - 1], (int)n, out);
		return;
	}
	if (v.n >= sizeof name)
		return;
	memcpy(name, v.p, v.n);
	name[v.n] = '\0';
	for (i = 0; i < ev->ncaps; i++) {
		k = pcre2_substring_number_from_name(ev->caps[i].re,
		    (PCRE2_SPTR)name);
		if (k >= 0 && k < ev->caps[i].n &&
		    ev->caps[i].ov[2 * k] != PCRE2_UNSET) {
			rules_add_capture(ev, &ev->caps[i], k, out);
			return;
		}
	}
}

/* Expands an explanation: ${var}, $$, and $[...] which is dropped when a
 * variable inside it comes out empty. */
static void
rules_expand(struct rules_eval *ev, const char *t, struct strbuf *out)
{
	size_t optstart = 0, before;
	int inopt = 0, optempty = 0;
	const char *q;

	for (; *t != '\0'; t++) {
		if (t[0] == '$' && t[1] == '$') {
			strbuf_addc(out, '$');
			t++;
			continue;
		}
		if (t[0] == '$' && t[1] == '[' && !inopt) {
			inopt = 1;
			optempty = 0;
			optstart = out->len;
			t++;
			continue;
		}
		if (t[0] == ']' && inopt) {
			inopt = 0;
			if (optempty) {
				out->len = optstart;
				if (out->buf != NULL)
					out->buf[out->len] = '\0';
			}
			continue;
		}
		if (t[0] == '$' && t[1] == '{' &&
		    (q = strchr(t + 2, '}')) != NULL) {
			before = out->len;
			rules_expand_var(ev, (struct span){ t + 2,
			    (size_t)(q - t - 2) }, out);
			if (out->len == before)
				optempty = 1;
			t = q;
			continue;
		}
		strbuf_addc(out, *t);
	}
}

void
rules_explain(const struct rules *r, const struct engine *e, uint32_t id,
	      struct strbuf *out)
{
	struct rules_eval ev;
	struct rules_ctx f, small[RULES_XC_SHORT];
	struct msg *msg;
	const struct rules_rule *rule;
	const struct dialog *dg;
	uint32_t d;

	if (r == NULL || (msg = msgindex_get(engine_index(e), id)) == NULL ||
	    id >= msgindex_count(engine_index(e)))
		return;
	if (msg->rule == 0 || msg->rule > r->nrules)
		return;
	rule = &r->rules[msg->rule - 1];
	if (rule->explain == NULL || *rule->explain == '\0')
		return;
	/* The context is not kept with the index: work out the dialog's
	 * again, unless it is one of the long ones last asked about. */
	d = dialogs_of(engine_dialogs(e), msg);
	dg = dialogs_get(engine_dialogs(e), d);
	rules_lone_context(e, id, &f);
	if (dg != NULL && dg->nmsgs > 0) {
		const uint32_t *ids = dialogs_msgs(engine_dialogs(e), dg);

		/* A dialog lists its messages in index order. */
		size_t p = rules_ids_bound(ids, dg->nmsgs, id);

		if (p < dg->nmsgs && ids[p] == id)
			f = *rules_xcache_get(r->xc, e, d, dg, p, small);
	}
	memset(&ev, 0, sizeof ev);
	ev.r = r;
	ev.e = e;
	ev.id = id;
	ev.msg = msg;
	ev.method = msgindex_method(engine_index(e), id);
	ev.f = &f;
	ev.want_caps = 1;
	/* Run the rule again for its captures; it matched when rated. */
	(void)rules_rule_test(&ev, rule);
	rules_expand(&ev, rule->explain, out);
	rules_eval_done(&ev);
}
