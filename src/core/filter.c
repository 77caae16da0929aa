/* filter: tokenizer, recursive-descent parser and evaluator of the query
 * language. Field terms are turned into sets of interned ids (or numbers)
 * by filter_bind(), so that testing a message is a few integer compares;
 * only text, regex and header terms look at the message bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <ctype.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util.h"
#include "filter.h"
#include "engine.h"
#include "source.h"

enum tok_type {
	T_END = 0,
	T_LPAREN,
	T_RPAREN,
	T_AND,
	T_OR,
	T_NOT,
	T_DIALOG,		/* "dialog:" followed by a term or ( */
	T_FIELD,		/* name:value */
	T_TEXT,			/* bare word or "quoted phrase" */
	T_REGEX,		/* /pattern/flags */
};

enum field {
	F_CALLID = 0,
	F_USER,
	F_FROM,
	F_TO,
	F_METHOD,
	F_STATUS,
	F_SEVERITY,
	F_DIR,
	F_ADDR,
	F_SRC,
	F_DST,
	F_AFTER,
	F_BEFORE,
	F_FILE,
	F_HEADER,
	F__COUNT
};

static const struct {
	const char *name;
	enum field f;
} filter_fields[] = {
	{ "callid", F_CALLID },
	{ "call-id", F_CALLID },
	{ "user", F_USER },
	{ "from", F_FROM },
	{ "to", F_TO },
	{ "method", F_METHOD },
	{ "status", F_STATUS },
	{ "severity", F_SEVERITY },
	{ "sev", F_SEVERITY },
	{ "dir", F_DIR },
	{ "addr", F_ADDR },
	{ "src", F_SRC },
	{ "dst", F_DST },
	{ "after", F_AFTER },
	{ "before", F_BEFORE },
	{ "file", F_FILE },
	{ "header", F_HEADER },
};

static const char *const filter_field_names[F__COUNT] = {
	"callid", "user", "from", "to", "method", "status", "severity", "dir",
	"addr", "src", "dst", "after", "before", "file", "header",
};

struct token {
	enum tok_type type;
	int col;		/* 0-based column of the token's first byte */
	int vcol;		/* column of a field's value */
	enum field field;
	char *val;		/* unquoted value (fields, text, regex) */
	size_t vlen;
	uint32_t rxflags;	/* PCRE2 options of a regex */
	char flagstr[8];
	int fieldlike;		/* text: unquoted NAME:VALUE, NAME no field */
};

enum node_type {
	N_TRUE = 0,
	N_AND,
	N_OR,
	N_NOT,
	N_DIALOG,
	N_FIELD,
	N_TEXT,
	N_REGEX,
};

/* A set of interned string ids, grown as the intern table grows. */
struct idset {
	uint64_t *bits;
	uint32_t nbits;		/* strings examined so far */
	size_t nuris;		/* user:, from:, to: engine_uri_strings seen */
	uint32_t single;	/* exact lookups: the one id, 0 until interned */
	int exact;		/* single id rather than bits */
};

struct node {
	enum node_type type;
	int col;
	struct node **kids;
	size_t nkids;

	enum field field;
	char *val;		/* field value, text or pattern */
	size_t vlen;
	/* callid:, user:, from:, to:, addr: val holds a '*' that globs (a
	 * backslash before one makes it literal: glob_match); without one,
	 * val is literal, its escapes undone. */
	int glob;
	/* addr:, src:, dst: the value is "local": also the log's own end
	 * whatever the log names it (R2EE01), by the message's direction. */
	int own;
	char *hname;		/* header: NAME */
	char *hval;		/* header: VALUE or NULL */
	char flagstr[8];
	int fieldlike;		/* text that looks like a field misspelt */

	/* Numbers. */
	uint16_t lo, hi;	/* status range */
	uint8_t sevmask;	/* severities */
	uint8_t dir;
	int64_t t;		/* after/before */
	int t_date;		/* the term gives a date */
	int t_dayonly;		/* a date and no time of day */

	/* Bound state. */
	struct idset ids;	/* user, from, to, callid, method, addr */
	uint8_t *files;		/* file, and for addr: local names */
	size_t nfiles;
	uint64_t *dialogs;	/* dialog: set of dialog ids */
	size_t ndialogs;	/* bits allocated */
	uint64_t *nodlg;	/* dialog: matches of messages without dialog */
	size_t nnodlg;
	uint32_t bound_msgs;	/* dialog:, user: messages examined */
	int bound_done;		/* engine was done when examined */
	/* user: matches on headers not in the index, read when a message is
	 * first evaluated and kept (a cache: eval writes it) */
	uint64_t *slow;
	uint64_t *slow_seen;	/* which of slow are known */
	size_t nslow;		/* bits allocated in each */
	/* user:, from:, to:, addr:, src:, dst: what ids say of each
	 * dialog's own From and To (addr: its ends) and request URI, DK_*
	 * by dialog id, so that a message kept as its dialog's (KEPT_SAME,
	 * KEPT_SWAP) is matched without reading its dialog: the dialogs
	 * are large and read out of order, these bytes small. Valid while
	 * the dialogs' epoch and kept changes stay what they were. */
	uint8_t *dk;
	size_t ndk, capdk;
	uint64_t dk_epoch, dk_changes;
	/* dialogs_apart()'s hints by enum dialog_part (a cache that
	 * evaluation moves, as slow). */
	size_t apart_hint[3];

	/* user:, from:, to: a value with letters beyond ASCII: compared as
	 * the free text is, folding their case (JOSÉ is josé), by a
	 * caseless UTF pattern of the whole (its '*' as .*). */
	pcre2_code *fold;
	pcre2_match_data *fold_md;

	/* Text, regex, and the prefilter of user: and header=value. */
	pcre2_code *re;
	pcre2_match_data *md;
	pcre2_match_context *mctx;	/* /regex/: limits, JIT stack */
	pcre2_jit_stack *jstack;
	int jit;
};

/* Bits of struct node dk: a dialog's From (or source) and To (or
 * destination) are in ids, or are none (0); its request URI is in ids. */
#define DK_A	0x01
#define DK_B	0x02
#define DK_A0	0x04
#define DK_B0	0x08
#define DK_RURI	0x10

/* A pathological /regex/ must not stall the viewer on every message: the
 * backtracking budget per message, and room for deep JIT recursion. */
#define FILTER_MATCH_LIMIT	2000000
#define FILTER_JIT_STACK	(1024 * 1024)

struct filter {
	struct node *root;
	const struct engine *bound;
};

/* ---- tokenizer ------------------------------------------------------- */

struct lexer {
	const char *s;
	size_t pos;
	char *err;
	int errcol;
};

static void
lex_error(struct lexer *lx, int col, const char *msg)
{
	if (lx->err != NULL)
		return;
	lx->err = xstrdup(msg);
	lx->errcol = col;
}

static int
lex_is_break(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '(' || c == ')';
}

/* Reads a word starting at lx->pos into sb, removing quotes: shell-like,
 * so that header:Subject="a b" is one word. Stops at a break outside
 * quotes. Returns -1 on an unterminated quote. */
static int
lex_word(struct lexer *lx, struct strbuf *sb)
{
	const char *s = lx->s;
	size_t p = lx->pos;

	while (!lex_is_break(s[p])) {
		if (s[p] == '"') {
			size_t q = p++;

			while (s[p] != '"') {
				if (s[p] == '\0') {
					lex_error(lx, (int)q,
					    "unterminated quoted phrase");
					return -1;
				}
				if (s[p] == '\\' &&
				    (s[p + 1] == '"' || s[p + 1] == '\\'))
					p++;
				/* The forms the viewer shows control bytes
				 * in stand for them: what is shown can be
				 * typed back. */
				else if (sanitize_unescape_at(s, &p, sb))
					continue;
				strbuf_addc(sb, s[p++]);
			}
			p++;
			continue;
		}
		strbuf_addc(sb, s[p++]);
	}
	lx->pos = p;
	return 0;
}

static int
lex_field(const char *s, size_t n, enum field *f)
{
	size_t i;

	for (i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
		if (strlen(filter_fields[i].name) == n &&
		    strncasecmp(filter_fields[i].name, s, n) == 0) {
			*f = filter_fields[i].f;
			return 1;
		}
	}
	return 0;
}

/* Whether the n bytes at s are a URI scheme that free text often starts
 * with, rather than a field name misspelt. */
static int
lex_uri_scheme(const char *s, size_t n)
{
	static const char *const schemes[] = {
		"sip", "sips", "tel", "urn", "http", "https", "mailto", "im",
		"pres", NULL
	};
	size_t i;

	for (i = 0; schemes[i] != NULL; i++) {
		if (strlen(schemes[i]) == n && strncasecmp(schemes[i], s, n) == 0)
			return 1;
	}
	return 0;
}

/* Next token; T_END with lx->err set on an error. */
static void
lex_next(struct lexer *lx, struct token *t)
{
	const char *s = lx->s;
	struct strbuf sb;
	size_t start, n;
	enum field f;

	memset(t, 0, sizeof *t);
	while (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\n' ||
	    s[lx->pos] == '\r')
		lx->pos++;
	start = lx->pos;
	t->col = (int)start;
	switch (s[start]) {
	case '\0':
		t->type = T_END;
		return;
	case '(':
		lx->pos++;
		t->type = T_LPAREN;
		return;
	case ')':
		lx->pos++;
		t->type = T_RPAREN;
		return;
	case '-':
	case '!':
		/* A negation, written against its term (-method:options,
		 * -(a or b)) or apart from it as in a shell or Wireshark
		 * (! status:401): a dash or bang standing alone would
		 * otherwise be a word that nearly every message holds. */
		lx->pos++;
		t->type = T_NOT;
		return;
	case '/':
		strbuf_init(&sb);
		n = start + 1;
		while (s[n] != '/') {
			if (s[n] == '\0') {
				strbuf_free(&sb);
				lex_error(lx, (int)start, "unterminated /regex/");
				t->type = T_END;
				return;
			}
			if (s[n] == '\\' && s[n + 1] == '/')
				n++;	/* \/ is a slash in the pattern */
			else if (s[n] == '\\' && s[n + 1] != '\0')
				strbuf_addc(&sb, s[n++]);
			strbuf_addc(&sb, s[n++]);
		}
		n++;
		while (!lex_is_break(s[n])) {
			switch (s[n]) {
			case 'i':
				t->rxflags |= PCRE2_CASELESS;
				break;
			case 'm':
				t->rxflags |= PCRE2_MULTILINE;
				break;
			case 's':
				t->rxflags |= PCRE2_DOTALL;
				break;
			case 'x':
				t->rxflags |= PCRE2_EXTENDED;
				break;
			default:
				strbuf_free(&sb);
				lex_error(lx, (int)n,
				    "unknown regex flag (use i, m, s or x)");
				t->type = T_END;
				return;
			}
			if (strchr(t->flagstr, s[n]) == NULL &&
			    strlen(t->flagstr) < sizeof t->flagstr - 1)
				t->flagstr[strlen(t->flagstr)] = s[n];
			n++;
		}
		lx->pos = n;
		t->type = T_REGEX;
		t->vlen = sb.len;
		t->val = strbuf_detach(&sb);
		return;
	}

	/* A field name is letters and '-' up to a colon. */
	n = start;
	while (isalpha((unsigned char)s[n]) || s[n] == '-')
		n++;
	if (s[n] == ':' && lex_field(s + start, n - start, &f)) {
		lx->pos = n + 1;
		t->type = T_FIELD;
		t->field = f;
		t->vcol = (int)lx->pos;
		strbuf_init(&sb);
		if (lex_word(lx, &sb) == -1) {
			strbuf_free(&sb);
			t->type = T_END;
			return;
		}
		if (sb.len == 0) {
			strbuf_free(&sb);
			lex_error(lx, t->vcol, "missing value after field name");
			t->type = T_END;
			return;
		}
		t->vlen = sb.len;
		t->val = strbuf_detach(&sb);
		return;
	}
	if (n - start == 6 && strncasecmp(s + start, "dialog", 6) == 0 &&
	    s[n] == ':') {
		lx->pos = n + 1;
		t->type = T_DIALOG;
		return;
	}
	/* stauts:401, ip:10.0.0.1: a word, but one that may have been meant
	 * as a field (a URI, sip:alice@x, is not). */
	t->fieldlike = s[n] == ':' && n > start &&
	    (!lex_is_break(s[n + 1]) || s[n + 1] == '(') &&
	    !lex_uri_scheme(s + start, n - start);

	strbuf_init(&sb);
	if (lex_word(lx, &sb) == -1) {
		strbuf_free(&sb);
		t->type = T_END;
		return;
	}
	if (s[start] != '"') {
		/* Unquoted operator words; quote them to search for them. */
		if (sb.len == 2 && strncasecmp(sb.buf, "or", 2) == 0)
			t->type = T_OR;
		else if (sb.len == 3 && strncasecmp(sb.buf, "and", 3) == 0)
			t->type = T_AND;
		else if (sb.len == 3 && strncasecmp(sb.buf, "not", 3) == 0)
			t->type = T_NOT;
		else if (sb.len == 2 && memcmp(sb.buf, "||", 2) == 0)
			t->type = T_OR;
		else if (sb.len == 2 && memcmp(sb.buf, "&&", 2) == 0)
			t->type = T_AND;
		if (t->type != T_END) {
			strbuf_free(&sb);
			return;
		}
	}
	if (sb.len == 0) {
		strbuf_free(&sb);
		lex_error(lx, (int)start, "empty quoted phrase");
		t->type = T_END;
		return;
	}
	t->type = T_TEXT;
	t->vlen = sb.len;
	t->val = strbuf_detach(&sb);
}

/* ---- parser ---------------------------------------------------------- */

struct parser {
	struct lexer lx;
	struct token tok;	/* current token */
	int depth;		/* of not, dialog: and parentheses */
};

/* Nesting beyond this is refused: the parser and the evaluator recurse. */
#define FILTER_MAX_DEPTH 256

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->val);
	free(n->hname);
	free(n->hval);
	free(n->ids.bits);
	free(n->files);
	free(n->dialogs);
	free(n->nodlg);
	free(n->slow);
	free(n->slow_seen);
	free(n->dk);
	if (n->md != NULL)
		pcre2_match_data_free(n->md);
	if (n->mctx != NULL)
		pcre2_match_context_free(n->mctx);
	if (n->jstack != NULL)
		pcre2_jit_stack_free(n->jstack);
	if (n->re != NULL)
		pcre2_code_free(n->re);
	if (n->fold_md != NULL)
		pcre2_match_data_free(n->fold_md);
	if (n->fold != NULL)
		pcre2_code_free(n->fold);
	free(n);
}

static struct node *
node_new(enum node_type type, int col)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->type = type;
	n->col = col;
	return n;
}

static void
node_add(struct node *n, struct node *kid)
{
	n->kids = xrealloc(n->kids, (n->nkids + 1) * sizeof *n->kids);
	n->kids[n->nkids++] = kid;
}

static void
parse_advance(struct parser *ps)
{
	free(ps->tok.val);
	lex_next(&ps->lx, &ps->tok);
}

static int
parse_error(struct parser *ps, int col, const char *msg)
{
	lex_error(&ps->lx, col, msg);
	return -1;
}

static int
filter_non_ascii(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((unsigned char)p[i] >= 0x80)
			return 1;
	}
	return 0;
}

/* Compiles pattern into n->re with JIT; *err on failure. */
static int
node_compile_re(struct node *n, const char *pat, size_t len, uint32_t opts,
		char **err, int *erroff)
{
	int code;
	PCRE2_SIZE off;
	char msg[256];

	/* Letters beyond ASCII in a caseless pattern (/josé/i, a word
	 * JOSÉ) fold as Unicode in UTF mode, where text that is not valid
	 * UTF-8 can still match elsewhere. A pattern that is not UTF-8
	 * itself stays as it was, a byte pattern. */
	n->re = NULL;
	if ((opts & PCRE2_CASELESS) && filter_non_ascii(pat, len))
		n->re = pcre2_compile((PCRE2_SPTR)pat, len, opts | PCRE2_UTF |
				      PCRE2_MATCH_INVALID_UTF, &code, &off,
				      NULL);
	if (n->re == NULL)
		n->re = pcre2_compile((PCRE2_SPTR)pat, len, opts, &code, &off,
				      NULL);
	if (n->re == NULL) {
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
		*err = xasprintf("bad regex: %s", msg);
		*erroff = (int)off;
		return -1;
	}
	n->jit = util_jit_wanted() &&
	    pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE) == 0;
	n->md = pcre2_match_data_create(1, NULL);
	if (!(opts & PCRE2_LITERAL)) {
		n->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(n->mctx, FILTER_MATCH_LIMIT);
		if (n->jit) {
			n->jstack = pcre2_jit_stack_create(32 * 1024,
			    FILTER_JIT_STACK, NULL);
			if (n->jstack != NULL)
				pcre2_jit_stack_assign(n->mctx, NULL,
				    n->jstack);
		}
	}
	return 0;
}

/* A case-insensitive literal search for text, header values and the
 * prefilter of user:; PCRE2 JIT finds literals fast. */
static int
node_compile_literal(struct node *n, const char *s, size_t len)
{
	char *err = NULL;
	int off;

	if (node_compile_re(n, s, len, PCRE2_LITERAL | PCRE2_CASELESS, &err,
	    &off) == -1) {
		free(err);
		return -1;
	}
	return 0;
}

/* Whether a can be a status code (RFC 3261: 100 to 699): status:4 or
 * status:40 was likely meant as 4xx, status:999 is none. */
#define STATUS_OK(a) ((a) >= 100 && (a) <= 699)

static int
parse_status(struct node *n, const char *v)
{
	unsigned long a, b;
	char *end;
	size_t len = strlen(v), i;

	if (len == 3 && v[0] >= '1' && v[0] <= '6' &&
	    (v[1] == 'x' || v[1] == 'X' || isdigit((unsigned char)v[1])) &&
	    (v[2] == 'x' || v[2] == 'X' || isdigit((unsigned char)v[2]))) {
		/* 401, 4xx, 40x: x is any digit. */
		char lo[4], hi[4];
		int seen_x = 0;

		for (i = 0; i < 3; i++) {
			if (v[i] == 'x' || v[i] == 'X') {
				lo[i] = '0';
				hi[i] = '9';
				seen_x = 1;
			} else {
				if (seen_x)
					return -1;
				lo[i] = hi[i] = v[i];
			}
		}
		lo[3] = hi[3] = '\0';
		n->lo = (uint16_t)atoi(lo);
		n->hi = (uint16_t)atoi(hi);
		return 0;
	}
	if (v[0] == '>' || v[0] == '<') {
		int ge = v[0] == '>', eq = v[1] == '=';

		if (!isdigit((unsigned char)v[1 + eq]))
			return -1;
		a = strtoul(v + 1 + eq, &end, 10);
		if (*end != '\0' || a > 1000)
			return -1;
		/* The first or last status it takes must be one: >699 and
		 * <100 hold none, <700 and >99 are <=699 and >=100. */
		b = eq ? a : ge ? a + 1 : a - 1;
		if (!STATUS_OK(b))
			return -1;
		if (ge) {
			n->lo = (uint16_t)b;
			n->hi = 999;
		} else {
			n->lo = 1;
			n->hi = (uint16_t)b;
		}
		return 0;
	}
	if (!isdigit((unsigned char)v[0]))
		return -1;
	a = strtoul(v, &end, 10);
	b = a;
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return -1;
		b = strtoul(end + 1, &end, 10);
	}
	if (*end != '\0' || !STATUS_OK(a) || !STATUS_OK(b) || a > b)
		return -1;
	n->lo = (uint16_t)a;
	n->hi = (uint16_t)b;
	return 0;
}

/* error,warning or warning+ (that and worse). On -1, *bad is the offset
 * in v of the item at fault and *empty says whether it is empty
 * (severity:warning, was taken as severity:warning). */
static int
parse_severity(struct node *n, const char *v, size_t *bad, int *empty)
{
	const char *p = v, *e;
	int sev, i;

	*empty = 0;
	for (;;) {
		*bad = (size_t)(p - v);
		e = p;
		while (*e != '\0' && *e != ',' && *e != '+')
			e++;
		if (e == p) {
			*empty = *e != '+';
			return -1;
		}
		sev = severity_from_name(p, (size_t)(e - p));
		if (sev < 0)
			return -1;
		if (*e == '+') {
			for (i = sev; i < SEV__COUNT; i++)
				n->sevmask |= (uint8_t)(1u << i);
			e++;
		} else
			n->sevmask |= (uint8_t)(1u << sev);
		if (*e == '\0')
			return 0;
		if (*e != ',')
			return -1;
		p = e + 1;
	}
}

static int
parse_digits(const char **pp, int ndig, int *out)
{
	const char *p = *pp;
	int i, v = 0;

	for (i = 0; i < ndig; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + ndig;
	*out = v;
	return 0;
}

/* Days in month mo (1-12) of year y, leap years counted. */
static int
parse_month_days(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				      30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[mo - 1] + (mo == 2 && leap);
}

/* [YYYY-MM-DD[T| |_]]H[H]:MM[:SS[.fff]][Z] or YYYY-MM-DD. Returns 0, or
 * -1 with what is wrong in why (why_sz bytes) and where, as an offset into
 * v, in *at: a bad time names the part that is wrong. */
static int
parse_time(struct node *n, const char *v, char *why, size_t why_sz, int *at)
{
	const char *p = v, *q;
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0;
	long us = 0, scale = 100000;

#define PT_BAD(where, ...) do {						\
		*at = (int)((where) - v);				\
		snprintf(why, why_sz, __VA_ARGS__);			\
		return -1;						\
	} while (0)
	/* Four digits and a dash: a date, however it goes on. */
	if (isdigit((unsigned char)v[0]) && isdigit((unsigned char)v[1]) &&
	    isdigit((unsigned char)v[2]) && isdigit((unsigned char)v[3]) &&
	    v[4] == '-') {
		parse_digits(&p, 4, &y);
		p++;
		q = p;
		if (parse_digits(&p, 2, &mo) == -1 || *p != '-' ||
		    (q = ++p, parse_digits(&p, 2, &d) == -1) ||
		    isdigit((unsigned char)*p))
			PT_BAD(q, "bad date: YYYY-MM-DD, two digits for the "
			    "month and the day (2025-03-01)");
		if (mo < 1 || mo > 12)
			PT_BAD(v + 5, "bad date: month %02d (01 to 12)", mo);
		if (d < 1 || d > 31)
			PT_BAD(v + 8, "bad date: day %02d (01 to 31)", d);
		/* 2025-02-30 is no day, as 2025-03-32 is not. */
		if (d > parse_month_days(y, mo))
			PT_BAD(v + 8, "bad date: no such day in that month "
			    "(%.7s has %d days)", v, parse_month_days(y, mo));
		n->t_date = 1;
		if (*p == '\0') {
			n->t_dayonly = 1;
			goto done;
		}
		if (*p == 'Z' || *p == 'z')
			PT_BAD(p, "bad time: Z ends a time of day "
			    "(%.10sT00:00Z)", v);
		if (*p != 'T' && *p != 't' && *p != ' ' && *p != '_')
			PT_BAD(p, "bad date: T or a space between the date "
			    "and the time (%.10sT08:30)", v);
		p++;
		if (*p == '\0')
			PT_BAD(p, "bad time: a time of day after the %c: "
			    "HH:MM[:SS[.fff]]", p[-1]);
	}
	/* 8:05 as well as 08:05, as people write a time of day. */
	q = p;
	if (parse_digits(&p, isdigit((unsigned char)p[0]) && p[1] == ':' ? 1 : 2,
	    &h) == -1 || (*p != ':' && *p != '\0'))
		PT_BAD(p, "bad time: use HH:MM[:SS[.fff]], YYYY-MM-DD or both "
		    "(YYYY-MM-DDTHH:MM:SS)");
	if (*p == '\0')
		PT_BAD(p, "bad time: minutes missing (HH:MM, %d:00)", h);
	if (h > 23)
		PT_BAD(q, "bad time: hour %d (0 to 23)", h);
	q = ++p;
	if (parse_digits(&p, 2, &mi) == -1 || isdigit((unsigned char)*p))
		PT_BAD(q, "bad time: two digits for the minutes (HH:MM)");
	if (mi > 59)
		PT_BAD(q, "bad time: minute %02d (00 to 59)", mi);
	if (*p == ':') {
		q = ++p;
		if (parse_digits(&p, 2, &s) == -1 ||
		    isdigit((unsigned char)*p))
			PT_BAD(q, "bad time: two digits for the seconds "
			    "(HH:MM:SS)");
		/* 60: a leap second. */
		if (s > 60)
			PT_BAD(q, "bad time: second %02d (00 to 60)", s);
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				PT_BAD(p, "bad time: digits after the '%c' "
				    "(a fraction of a second)", p[-1]);
			while (isdigit((unsigned char)*p)) {
				us += (*p - '0') * scale;
				scale /= 10;
				p++;
			}
		}
	}
	/* 08:30:00Z, as a time in UTC is written (times shown are). */
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		p++;
	if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]))
		PT_BAD(p, "bad time: no zone offset (%s): times compare as "
		    "shown, in UTC (Z) where the log gives its zone, else as "
		    "the log writes them", p);
	if (*p != '\0')
		PT_BAD(p, "bad time: '%c' after the time", *p);
#undef PT_BAD
done:
	n->t = time_from_civil(y, mo, d, h, mi, s, us);
	return 0;
}

/* Field-specific checks and preparation at compile time. */
/* Whether the n bytes at p hold a '*' that globs: one not escaped by a
 * backslash (\* and \\ stand for '*' and '\'). */
static int
glob_has_star(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n)
			i++;
		else if (p[i] == '*')
			return 1;
	}
	return 0;
}

/* A value without a globbing '*': its escapes undone, in place. */
static void
glob_unescape(struct node *n)
{
	size_t i, o = 0;

	for (i = 0; i < n->vlen; i++) {
		if (n->val[i] == '\\' && i + 1 < n->vlen &&
		    (n->val[i + 1] == '*' || n->val[i + 1] == '\\'))
			i++;
		n->val[o++] = n->val[i];
	}
	n->val[o] = '\0';
	n->vlen = o;
}

/* A URI given to user:, from: or to: as a log writes it, in angle
 * brackets or with URI parameters (sip:+14255550100@example.com;user=phone
 * copied from a From or a P-Asserted-Identity): the brackets and the
 * parameters after the host (after the number of a tel: URI:
 * tel:+14255550100;phone-context=x) left out, as they are from the URIs
 * it is compared with. A user part alone keeps its ';' (+1-212-555-1212;
 * isub=1234 of sip:+1-212-555-1212;isub=1234@gw, as u writes it). */
static void
uri_value_trim(struct node *n)
{
	char *v = n->val, *at, *semi = NULL;
	size_t len = n->vlen;

	if (len >= 2 && v[0] == '<' && v[len - 1] == '>') {
		memmove(v, v + 1, len - 2);
		len -= 2;
	}
	at = memchr(v, '@', len);
	if (at != NULL)
		semi = memchr(at, ';', len - (size_t)(at - v));
	else if (len > 4 && strncasecmp(v, "tel:", 4) == 0)
		semi = memchr(v, ';', len);
	if (semi != NULL && semi > v)
		len = (size_t)(semi - v);
	v[len] = '\0';
	n->vlen = len;
}

/* n->fold for a user:, from: or to: value with letters beyond ASCII:
 * the value without its scheme (as uri_match compares it), anchored at
 * both ends, its globbing '*' as .* and every other ASCII punctuation
 * escaped. -1 when PCRE2 refuses it (not UTF-8: compared as bytes). */
static int
node_compile_fold(struct node *n)
{
	struct span v = { n->val, n->vlen };
	struct strbuf pat;
	size_t i;
	int code;
	PCRE2_SIZE off;

	if (span_istarts(v, "sips:"))
		v.p += 5, v.n -= 5;
	else if (span_istarts(v, "sip:") || span_istarts(v, "tel:"))
		v.p += 4, v.n -= 4;
	strbuf_init(&pat);
	for (i = 0; i < v.n; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if (n->glob && c == '\\' && i + 1 < v.n &&
		    (v.p[i + 1] == '*' || v.p[i + 1] == '\\'))
			c = (unsigned char)v.p[++i];
		else if (n->glob && c == '*') {
			strbuf_adds(&pat, ".*");
			continue;
		}
		if (c < 0x80 && !isalnum(c))
			strbuf_addc(&pat, '\\');
		if (c == 0)
			strbuf_adds(&pat, "x00");
		else
			strbuf_addc(&pat, (char)c);
	}
	n->fold = pcre2_compile((PCRE2_SPTR)(pat.buf != NULL ? pat.buf : ""),
				pat.len, PCRE2_CASELESS | PCRE2_UTF |
				PCRE2_MATCH_INVALID_UTF | PCRE2_ANCHORED |
				PCRE2_ENDANCHORED | PCRE2_DOTALL, &code, &off,
				NULL);
	strbuf_free(&pat);
	if (n->fold == NULL)
		return -1;
	n->fold_md = pcre2_match_data_create(1, NULL);
	return 0;
}

static int
parse_field(struct parser *ps, struct node *n)
{
	const char *v = n->val;
	char *eq, *err = NULL;
	int off;

	if (n->field == F_METHOD)
		n->glob = glob_has_star(n->val, n->vlen);
	if (n->field == F_CALLID || n->field == F_USER || n->field == F_FROM ||
	    n->field == F_TO || n->field == F_ADDR || n->field == F_SRC ||
	    n->field == F_DST) {
		if (n->field == F_USER || n->field == F_FROM ||
		    n->field == F_TO)
			uri_value_trim(n);
		n->glob = glob_has_star(n->val, n->vlen);
		if (!n->glob)
			glob_unescape(n);
		v = n->val;
		if ((n->field == F_USER || n->field == F_FROM ||
		     n->field == F_TO) && filter_non_ascii(v, n->vlen))
			node_compile_fold(n);
		n->own = (n->field == F_ADDR || n->field == F_SRC ||
			  n->field == F_DST) && !n->glob &&
			 n->vlen == 5 && strncasecmp(v, "local", 5) == 0;
	}
	switch (n->field) {
	case F_STATUS:
		if (parse_status(n, v) == -1)
			return parse_error(ps, n->col,
			    "bad status: use 401, 4xx, 400-499, >=400 "
			    "or a list of them (401,407); a status is "
			    "100 to 699");
		break;
	case F_SEVERITY:
	{
		size_t bad;
		int empty;

		if (parse_severity(n, v, &bad, &empty) == -1)
			return parse_error(ps, n->col + (int)bad, empty ?
			    "empty item in a list" : "unknown severity: use "
			    "error, warning, benign, ok, info or none "
			    "(a list with commas; warning+ for worse too)");
		break;
	}
	case F_ADDR:
	case F_SRC:
	case F_DST:
		/* [2001:db8::1 without its ] matched nothing, unsaid (a
		 * glob, [2001:db8::*, matches what it says). */
		if (v[0] == '[' && strchr(v, ']') == NULL && !n->glob)
			return parse_error(ps, n->col, "an IPv6 address in "
			    "brackets needs its ]");
		break;
	case F_DIR:
		if (strcasecmp(v, "in") == 0 || strcasecmp(v, "incoming") == 0)
			n->dir = DIR_IN;
		else if (strcasecmp(v, "out") == 0 ||
		    strcasecmp(v, "outgoing") == 0)
			n->dir = DIR_OUT;
		else
			return parse_error(ps, n->col, "dir: is in or out");
		break;
	case F_AFTER:
	case F_BEFORE:
	{
		char why[200];
		int at;

		if (parse_time(n, v, why, sizeof why, &at) == -1)
			/* Past the opening quote of a quoted value. */
			return parse_error(ps, n->col + at +
			    (ps->lx.s[n->col] == '"'), why);
		break;
	}
	case F_HEADER:
		eq = strchr(v, '=');
		if (eq == v)
			return parse_error(ps, n->col, "missing header name");
		if (eq != NULL) {
			n->hname = xstrndup(v, (size_t)(eq - v));
			n->hval = xstrdup(eq + 1);
			if (*n->hval != '\0' && node_compile_literal(n,
			    n->hval, strlen(n->hval)) == -1)
				return parse_error(ps, n->col, "bad value");
		} else
			n->hname = xstrdup(v);
		break;
	case F_USER:
		/* Contact, P-Asserted-Identity and Referred-By are not in the
		 * index: a literal prefilter keeps their parsing rare. */
		{
			const char *lit = v;
			size_t len;

			if (strncasecmp(lit, "sips:", 5) == 0)
				lit += 5;
			else if (strncasecmp(lit, "sip:", 4) == 0 ||
			    strncasecmp(lit, "tel:", 4) == 0)
				lit += 4;
			len = n->glob ? strcspn(lit, "*\\") : strlen(lit);
			if (len == 0)
				break;	/* a leading '*': no prefilter */
			if (node_compile_re(n, lit, len,
			    PCRE2_LITERAL | PCRE2_CASELESS, &err, &off) == -1) {
				free(err);
				return parse_error(ps, n->col, "bad value");
			}
		}
		break;
	default:
		break;
	}
	return 0;
}

static struct node *parse_or(struct parser *);

/* status:401,407 and method:invite,bye: either of the items, as an or of
 * one field term each, whose errors point at their own item. */
static struct node *
parse_field_list(struct parser *ps)
{
	struct token *t = &ps->tok;
	struct node *or = node_new(N_OR, t->vcol), *kid;
	const char *v = t->val, *c;

	for (;;) {
		c = strchr(v, ',');
		if (c == NULL)
			c = v + strlen(v);
		kid = node_new(N_FIELD, t->vcol + (int)(v - t->val));
		if (c == v) {
			parse_error(ps, kid->col, "empty item in a list");
			node_free(kid);
			node_free(or);
			return NULL;
		}
		kid->field = t->field;
		kid->val = xstrndup(v, (size_t)(c - v));
		kid->vlen = (size_t)(c - v);
		if (parse_field(ps, kid) == -1) {
			node_free(kid);
			node_free(or);
			return NULL;
		}
		node_add(or, kid);
		if (*c == '\0')
			break;
		v = c + 1;
	}
	parse_advance(ps);
	return or;
}

static int
tok_starts_unary(enum tok_type t)
{
	return t == T_LPAREN || t == T_NOT || t == T_DIALOG || t == T_FIELD ||
	    t == T_TEXT || t == T_REGEX;
}

static struct node *
parse_unary(struct parser *ps)
{
	struct token *t = &ps->tok;
	struct node *n, *kid;
	char *err = NULL;
	int off, col = t->col;

	if (ps->lx.err != NULL)
		return NULL;
	if ((t->type == T_NOT || t->type == T_DIALOG || t->type == T_LPAREN) &&
	    ps->depth >= FILTER_MAX_DEPTH) {
		parse_error(ps, col, "expression nested too deeply");
		return NULL;
	}
	switch (t->type) {
	case T_NOT:
	case T_DIALOG:
		n = node_new(t->type == T_NOT ? N_NOT : N_DIALOG, col);
		parse_advance(ps);
		if (!tok_starts_unary(ps->tok.type)) {
			node_free(n);
			if (ps->lx.err == NULL)
				parse_error(ps, ps->tok.col, t->type == T_END ?
				    "expression ends too early" :
				    "expected a term here");
			return NULL;
		}
		ps->depth++;
		kid = parse_unary(ps);
		ps->depth--;
		if (kid == NULL) {
			node_free(n);
			return NULL;
		}
		node_add(n, kid);
		return n;
	case T_LPAREN:
		parse_advance(ps);
		if (ps->tok.type == T_RPAREN) {
			parse_error(ps, ps->tok.col, "empty parentheses");
			return NULL;
		}
		ps->depth++;
		n = parse_or(ps);
		ps->depth--;
		if (n == NULL)
			return NULL;
		if (ps->tok.type != T_RPAREN) {
			node_free(n);
			if (ps->lx.err == NULL)
				parse_error(ps, col, "unbalanced '(': missing ')'");
			return NULL;
		}
		parse_advance(ps);
		return n;
	case T_FIELD:
		if ((t->field == F_STATUS || t->field == F_METHOD) &&
		    memchr(t->val, ',', t->vlen) != NULL)
			return parse_field_list(ps);
		n = node_new(N_FIELD, t->vcol);
		n->field = t->field;
		n->val = t->val;
		n->vlen = t->vlen;
		t->val = NULL;
		if (parse_field(ps, n) == -1) {
			node_free(n);
			return NULL;
		}
		parse_advance(ps);
		return n;
	case T_TEXT:
		n = node_new(N_TEXT, col);
		n->val = t->val;
		n->vlen = t->vlen;
		n->fieldlike = t->fieldlike;
		t->val = NULL;
		if (node_compile_literal(n, n->val, n->vlen) == -1) {
			node_free(n);
			parse_error(ps, col, "bad phrase");
			return NULL;
		}
		parse_advance(ps);
		return n;
	case T_REGEX:
		n = node_new(N_REGEX, col);
		n->val = t->val;
		n->vlen = t->vlen;
		t->val = NULL;
		memcpy(n->flagstr, t->flagstr, sizeof n->flagstr);
		if (node_compile_re(n, n->val, n->vlen, t->rxflags, &err,
		    &off) == -1) {
			/* The pattern starts after the opening slash; escapes
			 * of '/' shift it a little, which is close enough. */
			parse_error(ps, col + 1 + off, err);
			free(err);
			node_free(n);
			return NULL;
		}
		parse_advance(ps);
		return n;
	case T_RPAREN:
		parse_error(ps, col, "unbalanced ')'");
		return NULL;
	case T_OR:
	case T_AND:
		parse_error(ps, col, "operator without a left-hand term");
		return NULL;
	case T_END:
	default:
		parse_error(ps, col, "expression ends too early");
		return NULL;
	}
}

static struct node *
parse_and(struct parser *ps)
{
	struct node *n, *kid, *and = NULL;

	if ((n = parse_unary(ps)) == NULL)
		return NULL;
	for (;;) {
		if (ps->tok.type == T_AND) {
			parse_advance(ps);
			if (!tok_starts_unary(ps->tok.type)) {
				if (ps->lx.err == NULL)
					parse_error(ps, ps->tok.col,
					    "expected a term after 'and'");
				goto fail;
			}
		} else if (!tok_starts_unary(ps->tok.type))
			break;
		if ((kid = parse_unary(ps)) == NULL)
			goto fail;
		if (and == NULL) {
			and = node_new(N_AND, n->col);
			node_add(and, n);
			n = and;
		}
		node_add(and, kid);
	}
	return n;
fail:
	node_free(n);
	return NULL;
}

static struct node *
parse_or(struct parser *ps)
{
	struct node *n, *kid, *or = NULL;

	if ((n = parse_and(ps)) == NULL)
		return NULL;
	while (ps->tok.type == T_OR) {
		parse_advance(ps);
		if (!tok_starts_unary(ps->tok.type)) {
			if (ps->lx.err == NULL)
				parse_error(ps, ps->tok.col,
				    "expected a term after 'or'");
			node_free(n);
			return NULL;
		}
		if ((kid = parse_and(ps)) == NULL) {
			node_free(n);
			return NULL;
		}
		if (or == NULL) {
			or = node_new(N_OR, n->col);
			node_add(or, n);
			n = or;
		}
		node_add(or, kid);
	}
	return n;
}

struct filter *
filter_compile(const char *expr, char **err, int *errcol)
{
	struct parser ps;
	struct filter *f;
	struct node *root;

	if (err != NULL)
		*err = NULL;
	if (errcol != NULL)
		*errcol = 0;
	if (expr == NULL)
		expr = "";
	memset(&ps, 0, sizeof ps);
	ps.lx.s = expr;
	lex_next(&ps.lx, &ps.tok);
	if (ps.tok.type == T_END && ps.lx.err == NULL)
		root = node_new(N_TRUE, 0);
	else {
		root = parse_or(&ps);
		if (root != NULL && ps.tok.type != T_END) {
			parse_error(&ps, ps.tok.col, ps.tok.type == T_RPAREN ?
			    "unbalanced ')'" : "unexpected token");
			node_free(root);
			root = NULL;
		}
	}
	free(ps.tok.val);
	if (ps.lx.err != NULL) {
		node_free(root);
		if (err != NULL)
			*err = ps.lx.err;
		else
			free(ps.lx.err);
		if (errcol != NULL) {
			/* A column counts characters, not bytes, so that a
			 * caret under the expression lands right. */
			int i, col = 0;

			for (i = 0; i < ps.lx.errcol && expr[i] != '\0'; i++)
				col += ((unsigned char)expr[i] & 0xc0) != 0x80;
			*errcol = col;
		}
		return NULL;
	}
	f = xcalloc(1, sizeof *f);
	f->root = root;
	return f;
}

void
filter_free(struct filter *f)
{
	if (f == NULL)
		return;
	node_free(f->root);
	free(f);
}

int
filter_is_empty(const struct filter *f)
{
	return f == NULL || f->root->type == N_TRUE;
}

static int
node_has_dialog(const struct node *n)
{
	size_t i;

	if (n->type == N_DIALOG)
		return 1;
	for (i = 0; i < n->nkids; i++) {
		if (node_has_dialog(n->kids[i]))
			return 1;
	}
	return 0;
}

/* Collects into *v (*n of them) the text terms of n written like a
 * field, each text once. */
static void
node_fieldlike(const struct node *n, const char ***v, size_t *nv,
	       size_t *cap)
{
	size_t i;

	if (n->type == N_TEXT && n->fieldlike) {
		for (i = 0; i < *nv; i++)
			if (strcmp((*v)[i], n->val) == 0)
				return;
		*v = xgrow(*v, cap, *nv + 1, sizeof **v);
		(*v)[(*nv)++] = n->val;
		return;
	}
	for (i = 0; i < n->nkids; i++)
		node_fieldlike(n->kids[i], v, nv, cap);
}

/* Appends the n bytes at s to sb as item i of a list of k: "a", "a and
 * b", "a, b and c". */
static void
filter_list_item(struct strbuf *sb, size_t i, size_t k, const char *s,
		 size_t n)
{
	if (i > 0)
		strbuf_adds(sb, i + 1 == k ? " and " : ", ");
	strbuf_add(sb, s, n);
}

size_t
filter_fieldlike(const struct filter *f, struct strbuf *words,
		 struct strbuf *names, size_t *nnames)
{
	const char **v = NULL;
	size_t nv = 0, cap = 0, i, j, k = 0, *name, *distinct;

	if (f != NULL)
		node_fieldlike(f->root, &v, &nv, &cap);
	*nnames = 0;
	if (nv == 0)
		return 0;
	/* Each word's name (up to its colon), and which are new. */
	name = xcalloc(nv, sizeof *name);
	distinct = xcalloc(nv, sizeof *distinct);
	for (i = 0; i < nv; i++) {
		name[i] = strcspn(v[i], ":");
		for (j = 0; j < k; j++)
			if (name[distinct[j]] == name[i] &&
			    memcmp(v[distinct[j]], v[i], name[i]) == 0)
				break;
		if (j == k)
			distinct[k++] = i;
	}
	for (i = 0; words != NULL && i < nv; i++)
		filter_list_item(words, i, nv, v[i], strlen(v[i]));
	for (j = 0; names != NULL && j < k; j++)
		filter_list_item(names, j, k, v[distinct[j]], name[distinct[j]]);
	*nnames = k;
	free(name);
	free(distinct);
	free(v);
	return nv;
}

int
filter_has_dialog(const struct filter *f)
{
	return f != NULL && node_has_dialog(f->root);
}

void
filter_quote(struct strbuf *sb, const char *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	int plain = n > 0;

	/* A '*' would glob and a backslash escape: \* and \\ are literal.
	 * Unquoted, a backslash stays as it is (callid:x\*); a control byte,
	 * a NUL among them, is only read back in quotes, as \xHH. */
	for (i = 0; i < n && plain; i++) {
		unsigned char c = (unsigned char)v[i];

		plain = c > 0x20 && c != 0x7f && c != '"' && c != '(' &&
		    c != ')';
	}
	if (!plain)
		strbuf_addc(sb, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		/* The glob's escape, then in quotes the quote's: a '*' is
		 * "\\*", a backslash "\\\\". */
		if (c == '*' || c == '\\')
			strbuf_adds(sb, plain ? "\\" : "\\\\");
		if (!plain && (c == '\\' || c == '"'))
			strbuf_addc(sb, '\\');
		if (!plain && (c < 0x20 || c == 0x7f)) {
			strbuf_adds(sb, "\\x");
			strbuf_addc(sb, hex[c >> 4]);
			strbuf_addc(sb, hex[c & 15]);
		} else
			strbuf_addc(sb, (char)c);
	}
	if (!plain)
		strbuf_addc(sb, '"');
}

/* ---- matching of strings --------------------------------------------- */

/* Case-insensitive (or not) glob with '*' only; \* and \\ are literal. */
static int
glob_match(const char *pat, size_t plen, const char *s, size_t slen, int icase)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	while (i < slen) {
		/* \* and \\ stand for the character itself. */
		size_t e = p + 1 < plen && pat[p] == '\\' &&
		    (pat[p + 1] == '*' || pat[p + 1] == '\\') ? 1 : 0;

		if (p < plen && !e && pat[p] == '*') {
			star_p = ++p;
			star_i = i;
		} else if (p < plen && (icase ?
		    tolower((unsigned char)pat[p + e]) ==
		    tolower((unsigned char)s[i]) : pat[p + e] == s[i])) {
			p += 1 + e;
			i++;
		} else if (star_p != (size_t)-1) {
			p = star_p;
			i = ++star_i;
		} else
			return 0;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

static int
str_ieq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

static struct span
strip_scheme(struct span s)
{
	if (span_istarts(s, "sips:")) {
		s.p += 5;
		s.n -= 5;
	} else if (span_istarts(s, "sip:") || span_istarts(s, "tel:")) {
		s.p += 4;
		s.n -= 4;
	}
	return s;
}

static int
value_match(const struct node *n, const char *pat, size_t plen,
	    struct span s)
{
	if (n->fold != NULL)
		return pcre2_match(n->fold, (PCRE2_SPTR)s.p, s.n, 0, 0,
				   n->fold_md, NULL) >= 0;
	if (n->glob)
		return glob_match(pat, plen, s.p, s.n, 1);
	return str_ieq(pat, plen, s.p, s.n);
}

/* user:, from:, to: against one URI: its user part, or user@host (with or
 * without the port; URI parameters left out), with or without the scheme:
 * user:alice, user:alice@example.com, user:sip:alice@example.com:5061. */
static int
uri_match(const struct node *n, struct span uri)
{
	struct span user, host, core, pat = { n->val, n->vlen };
	struct span rest = strip_scheme(uri);
	size_t i;

	if (uri.n == 0)
		return 0;
	pat = strip_scheme(pat);
	/* Both the user part and user@host start right after the scheme:
	 * most strings of the intern table fail on the first byte, and
	 * binding scans them all (a letter beyond ASCII folds to another
	 * first byte). */
	if (pat.n > 0 && (!n->glob || (pat.p[0] != '*' && pat.p[0] != '\\')) &&
	    (unsigned char)pat.p[0] < 0x80 &&
	    (rest.n == 0 ||
	    tolower((unsigned char)rest.p[0]) !=
	    tolower((unsigned char)pat.p[0])))
		return 0;
	sipmsg_uri_parts(uri, &user, &host);
	/* A URI without a user part (REGISTER sip:uclab.org, OPTIONS
	 * sip:x) names no user: its host is no party. */
	if (user.n == 0)
		return 0;
	if (value_match(n, pat.p, pat.n, user))
		return 1;
	core = rest;
	if (host.p != NULL && host.p >= rest.p &&
	    host.p + host.n <= rest.p + rest.n)
		core.n = (size_t)(host.p + host.n - rest.p);
	if (value_match(n, pat.p, pat.n, core))
		return 1;
	/* Without the port, unless the pattern gives one. */
	for (i = core.n; i > 0 && isdigit((unsigned char)core.p[i - 1]); i--)
		;
	if (i > 0 && i < core.n && core.p[i - 1] == ':' &&
	    (i < 2 || core.p[i - 2] != ':')) {
		core.n = i - 1;
		return value_match(n, pat.p, pat.n, core);
	}
	return 0;
}

/* The host of an endpoint "host:port", "[v6]:port", "host" or a bare v6. */
static struct span
endpoint_host(struct span s)
{
	const char *c;

	if (s.n > 0 && s.p[0] == '[') {
		c = memchr(s.p, ']', s.n);
		if (c != NULL)
			return (struct span){ s.p + 1, (size_t)(c - s.p - 1) };
		return s;
	}
	c = memchr(s.p, ':', s.n);
	if (c != NULL && memchr(c + 1, ':', s.n - (size_t)(c + 1 - s.p)) == NULL)
		s.n = (size_t)(c - s.p);
	return s;
}

static int
addr_has_port(const char *v, size_t n)
{
	const char *c;
	size_t i;

	if (n > 0 && v[0] == '[') {
		c = memchr(v, ']', n);
		return c != NULL && (size_t)(c - v) + 1 < n && c[1] == ':';
	}
	c = memchr(v, ':', n);
	if (c == NULL || memchr(c + 1, ':', n - (size_t)(c + 1 - v)) != NULL)
		return 0;
	for (i = (size_t)(c + 1 - v); i < n; i++)
		if (!isdigit((unsigned char)v[i]))
			return 0;
	return (size_t)(c + 1 - v) < n;
}

/* Whether a and b are the same IPv6 address however written
 * (2001:db8:20::1, 2001:DB8:20:0:0::1, ::ffff:10.0.0.1); 0 when either
 * is no IPv6 address. */
static int
addr_v6_eq(struct span a, struct span b)
{
	char x[INET6_ADDRSTRLEN + 1], y[INET6_ADDRSTRLEN + 1];
	unsigned char ax[16], bx[16];

	if (a.n == 0 || b.n == 0 || a.n >= sizeof x || b.n >= sizeof y ||
	    memchr(a.p, ':', a.n) == NULL || memchr(b.p, ':', b.n) == NULL)
		return 0;
	memcpy(x, a.p, a.n);
	x[a.n] = '\0';
	memcpy(y, b.p, b.n);
	y[b.n] = '\0';
	return inet_pton(AF_INET6, x, ax) == 1 &&
	       inet_pton(AF_INET6, y, bx) == 1 && memcmp(ax, bx, 16) == 0;
}

/* The port of "[v6]:port" or "host:port" (addr_has_port), else empty. */
static struct span
endpoint_port(struct span s)
{
	const char *c = s.n > 0 && s.p[0] == '[' ? memchr(s.p, ']', s.n) :
			memchr(s.p, ':', s.n);

	if (c != NULL && *c == ']')
		c = (size_t)(c - s.p) + 1 < s.n && c[1] == ':' ? c + 1 : NULL;
	if (c == NULL)
		return (struct span){ s.p + s.n, 0 };
	return (struct span){ c + 1, (size_t)(s.p + s.n - (c + 1)) };
}

static int
addr_match(const struct node *n, struct span ep)
{
	struct span host, pat = { n->val, n->vlen };

	if (ep.n == 0)
		return 0;
	if (n->glob)
		return glob_match(pat.p, pat.n, ep.p, ep.n, 1) ||
		    glob_match(pat.p, pat.n, endpoint_host(ep).p,
		    endpoint_host(ep).n, 1);
	if (addr_has_port(pat.p, pat.n)) {
		struct span pp = endpoint_port(pat), ip = endpoint_port(ep);

		return str_ieq(pat.p, pat.n, ep.p, ep.n) ||
		    (str_ieq(pp.p, pp.n, ip.p, ip.n) &&
		     addr_v6_eq(endpoint_host(pat), endpoint_host(ep)));
	}
	if (pat.n > 0 && pat.p[0] == '[')
		pat = endpoint_host(pat);
	host = endpoint_host(ep);
	if (str_ieq(pat.p, pat.n, host.p, host.n) || addr_v6_eq(pat, host))
		return 1;
	/* addr:edge01 finds edge01.uclab.org; 10.0.0 is no prefix of an
	 * address, though. */
	if (strspn(pat.p, "0123456789.") >= pat.n)
		return 0;
	return host.n > pat.n &&
	    (host.p[pat.n] == '.' || host.p[pat.n] == '(') &&
	    strncasecmp(host.p, pat.p, pat.n) == 0;
}

static int
string_match(const struct node *n, struct span s)
{
	switch (n->field) {
	case F_CALLID:
		return glob_match(n->val, n->vlen, s.p, s.n, 0);
	case F_USER:
	case F_FROM:
	case F_TO:
		return uri_match(n, s);
	case F_METHOD:
		/* method:reg is REGISTER: a prefix, any case; method:*NOTIFY
		 * a glob (BENOTIFY too). */
		if (n->glob)
			return glob_match(n->val, n->vlen, s.p, s.n, 1);
		return s.n >= n->vlen && strncasecmp(s.p, n->val, n->vlen) == 0;
	case F_ADDR:
	case F_SRC:
	case F_DST:
		return addr_match(n, s);
	default:
		return 0;
	}
}

/* ---- binding ---------------------------------------------------------- */

#define BIT_TEST(b, i) (((b)[(i) >> 6] >> ((i) & 63)) & 1)
#define BIT_SET(b, i) ((b)[(i) >> 6] |= (uint64_t)1 << ((i) & 63))

static int
idset_has(const struct idset *s, uint32_t id)
{
	if (id == 0)
		return 0;
	if (s->exact)
		return id == s->single;
	return id < s->nbits && BIT_TEST(s->bits, id);
}

static void
bind_ids(struct node *n, const struct engine *e)
{
	/* Call-IDs have a table of their own. */
	const struct intern *t = n->field == F_CALLID ? engine_call_ids(e) :
							engine_strings(e);
	uint32_t count = intern_count(t), i;
	size_t len, old, nw, nu = 0;
	const char *s;
	const uint32_t *u = NULL;
	int uri = n->field == F_USER || n->field == F_FROM || n->field == F_TO;

	if (n->field == F_CALLID && !n->glob) {
		/* Exact Call-ID: one lookup, no scan. */
		n->ids.exact = 1;
		if (n->ids.single == 0)
			n->ids.single = intern_lookup(t, n->val, n->vlen);
		return;
	}
	if (uri)
		u = engine_uri_strings(e, &nu);
	/* A string already in the table may become a URI later (first seen
	 * as an endpoint, say): the URI list grows without the table. */
	if (count <= n->ids.nbits && (!uri || nu <= n->ids.nuris))
		return;
	old = (n->ids.nbits + 63) / 64;
	nw = (count + 63) / 64;
	if (nw > old) {
		n->ids.bits = xrealloc(n->ids.bits, nw * sizeof *n->ids.bits);
		memset(n->ids.bits + old, 0, (nw - old) * sizeof *n->ids.bits);
	}
	if (uri) {
		/* Only strings used as URIs can match: a part of the table,
		 * which holds every endpoint and method too. */
		size_t k;

		for (k = n->ids.nuris; k < nu; k++) {
			s = intern_str(t, u[k], &len);
			if (u[k] < count && string_match(n,
			    (struct span){ s, len }))
				BIT_SET(n->ids.bits, u[k]);
		}
		n->ids.nuris = nu;
		n->ids.nbits = count;
		return;
	}
	for (i = n->ids.nbits > 0 ? n->ids.nbits : 1; i < count; i++) {
		s = intern_str(t, i, &len);
		if (string_match(n, (struct span){ s, len }))
			BIT_SET(n->ids.bits, i);
	}
	n->ids.nbits = count;
}

static void
bind_files(struct node *n, const struct engine *e)
{
	size_t i, nf = engine_nfiles(e);
	const struct engine_file *ef;
	const char *path;

	free(n->files);
	n->files = xcalloc(nf ? nf : 1, 1);
	n->nfiles = nf;
	for (i = 0; i < nf; i++) {
		ef = engine_file(e, i);
		if (n->field == F_FILE) {
			path = ef->src != NULL ? ef->src->path : "";
			n->files[i] = span_ifind((struct span){ path,
			    strlen(path) }, n->val, n->vlen) >= 0;
		} else {
			/* addr: the end a log names but gives no address:
			 * only a log that has one (a server's). By its name,
			 * or as "local" whatever the log calls it (R2EE01,
			 * local(fe.log)): dst:local is what it received. */
			const char *ln = engine_local_name(e, i);

			n->files[i] = (ef->local_name[0] != '\0' ||
				       (ef->fmt != NULL && ef->fmt->names_local)) &&
				      (n->own || addr_match(n, (struct span){ ln,
				      strlen(ln) }));
		}
	}
}

static void bind_node(struct node *, const struct engine *);
static int eval(const struct node *, const struct engine *, uint32_t);

static void
bind_dialog(struct node *n, const struct engine *e)
{
	const struct msgindex *ix = engine_index(e);
	const struct dialogs *ds = engine_dialogs(e);
	size_t count = msgindex_count(ix);
	size_t nd = dialogs_count(ds), w;
	int done = engine_done(e);
	const struct msg *m;
	uint32_t id, d;

	/* Ids are stable while the engine grows; when it finishes (several
	 * files are merged in time order then) everything is redone. */
	if (count < n->bound_msgs || (done && !n->bound_done)) {
		free(n->dialogs);
		free(n->nodlg);
		n->dialogs = n->nodlg = NULL;
		n->ndialogs = n->nnodlg = 0;
		n->bound_msgs = 0;
	}
	n->bound_done = done;
	w = (nd + 63) / 64;
	if (w > (n->ndialogs + 63) / 64) {
		n->dialogs = xrealloc(n->dialogs, w * sizeof *n->dialogs);
		memset(n->dialogs + (n->ndialogs + 63) / 64, 0,
		    (w - (n->ndialogs + 63) / 64) * sizeof *n->dialogs);
	}
	n->ndialogs = w * 64;
	w = (count + 63) / 64;
	if (w > (n->nnodlg + 63) / 64) {
		n->nodlg = xrealloc(n->nodlg, w * sizeof *n->nodlg);
		memset(n->nodlg + (n->nnodlg + 63) / 64, 0,
		    (w - (n->nnodlg + 63) / 64) * sizeof *n->nodlg);
	}
	n->nnodlg = w * 64;
	for (id = n->bound_msgs; id < count; id++) {
		if (!eval(n->kids[0], e, id))
			continue;
		m = msgindex_get(ix, id);
		d = dialogs_of(ds, m);
		if (d != NO_DIALOG && d < n->ndialogs)
			BIT_SET(n->dialogs, d);
		else
			BIT_SET(n->nodlg, id);
	}
	n->bound_msgs = (uint32_t)count;
}

static int user_slow_match(const struct node *, const struct engine *,
    uint32_t);

/* user: also looks at Contact, P-Asserted-Identity and Referred-By, which
 * the index does not keep: a message whose headers name another party
 * (flagged while indexing) is read when it is first evaluated, and the
 * answer kept as a bit, so that matching stays integer work however often
 * the viewer re-selects, and binding does not pass over every message. */
static void
bind_user(struct node *n, const struct engine *e)
{
	size_t count = msgindex_count(engine_index(e)), w, old;
	int done = engine_done(e);

	bind_ids(n, e);
	if (count < n->bound_msgs || (done && !n->bound_done)) {
		/* Ids are redone when several files are merged at the end. */
		free(n->slow);
		free(n->slow_seen);
		n->slow = n->slow_seen = NULL;
		n->nslow = 0;
	}
	n->bound_done = done;
	n->bound_msgs = (uint32_t)count;
	w = (count + 63) / 64;
	old = n->nslow / 64;
	if (w > old) {
		n->slow = xrealloc(n->slow, w * sizeof *n->slow);
		n->slow_seen = xrealloc(n->slow_seen, w * sizeof *n->slow_seen);
		memset(n->slow + old, 0, (w - old) * sizeof *n->slow);
		memset(n->slow_seen + old, 0, (w - old) * sizeof *n->slow_seen);
		n->nslow = w * 64;
	}
}

/* DK_* for the pair a, b (From and To, or two ends). */
static int
dk_pair(const struct node *n, uint32_t a, uint32_t b)
{
	return (idset_has(&n->ids, a) ? DK_A : a == 0 ? DK_A0 : 0) |
	       (idset_has(&n->ids, b) ? DK_B : b == 0 ? DK_B0 : 0);
}

/* DK_* for dialog d. */
static int
dk_dialog(const struct node *n, const struct dialog *d)
{
	int v;

	if (n->field == F_ADDR || n->field == F_SRC || n->field == F_DST)
		return dk_pair(n, d->src, d->dst);
	v = dk_pair(n, d->from, d->to);
	if (n->field == F_USER && idset_has(&n->ids, d->ruri))
		v |= DK_RURI;
	return v;
}

/* n->dk for the dialogs made since the last bind, or for all of them
 * when one made before has changed (or they were made again). */
static void
bind_dk(struct node *n, const struct engine *e)
{
	const struct dialogs *ds = engine_dialogs(e);
	size_t nd = dialogs_count(ds), i;

	if (n->dk_epoch != dialogs_epoch(ds) ||
	    n->dk_changes != dialogs_kept_changes(ds)) {
		n->ndk = 0;
		n->dk_epoch = dialogs_epoch(ds);
		n->dk_changes = dialogs_kept_changes(ds);
	}
	if (nd > n->capdk)
		n->dk = xgrow(n->dk, &n->capdk, nd, sizeof *n->dk);
	for (i = n->ndk; i < nd; i++)
		n->dk[i] = (uint8_t)dk_dialog(n, dialogs_get(ds, (uint32_t)i));
	n->ndk = nd;
}

static void
bind_node(struct node *n, const struct engine *e)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		bind_node(n->kids[i], e);
	if (n->type == N_DIALOG) {
		bind_dialog(n, e);
		return;
	}
	if (n->type != N_FIELD)
		return;
	switch (n->field) {
	case F_USER:
		bind_user(n, e);
		bind_dk(n, e);
		break;
	case F_FROM:
	case F_TO:
		bind_ids(n, e);
		bind_dk(n, e);
		break;
	case F_CALLID:
	case F_METHOD:
		bind_ids(n, e);
		break;
	case F_ADDR:
	case F_SRC:
	case F_DST:
		bind_ids(n, e);
		bind_files(n, e);
		bind_dk(n, e);
		break;
	case F_FILE:
		bind_files(n, e);
		break;
	default:
		break;
	}
}

static void
node_unbind(struct node *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		node_unbind(n->kids[i]);
	free(n->ids.bits);
	n->ids.bits = NULL;
	n->ids.nbits = 0;
	n->ids.nuris = 0;
	n->ids.single = 0;
	free(n->files);
	n->files = NULL;
	n->nfiles = 0;
	free(n->dialogs);
	free(n->nodlg);
	n->dialogs = n->nodlg = NULL;
	n->ndialogs = n->nnodlg = 0;
	free(n->slow);
	free(n->slow_seen);
	n->slow = n->slow_seen = NULL;
	n->nslow = 0;
	free(n->dk);
	n->dk = NULL;
	n->ndk = n->capdk = 0;
	n->dk_epoch = n->dk_changes = 0;
	memset(n->apart_hint, 0, sizeof n->apart_hint);
	n->bound_msgs = 0;
	n->bound_done = 0;
}

void
filter_bind(struct filter *f, const struct engine *e)
{
	if (f == NULL || e == NULL)
		return;
	if (f->bound != e && f->bound != NULL)
		node_unbind(f->root);	/* another engine: start afresh */
	bind_node(f->root, e);
	f->bound = e;
}

/* ---- evaluation ------------------------------------------------------- */

static int
re_search(const struct node *n, struct span s)
{
	int rc;

	if (s.n == 0)
		return 0;
	if (n->jit)
		rc = pcre2_jit_match(n->re, (PCRE2_SPTR)s.p, s.n, 0, 0, n->md,
		    n->mctx);
	else
		rc = pcre2_match(n->re, (PCRE2_SPTR)s.p, s.n, 0, 0, n->md,
		    n->mctx);
	/* Past the limits counts as no match. */
	return rc >= 0;
}

static int
uri_header_match(const struct node *n, const struct sipmsg *sm, enum hdr_id id)
{
	const struct sip_header *h;
	struct sip_addr a;
	size_t i;

	for (i = 0; (h = sipmsg_find(sm, id, i)) != NULL; i++) {
		/* Contact and P-Asserted-Identity may list several. */
		struct span rest = h->value;

		while (sipmsg_next_addr(&rest, &a)) {
			if (a.uri.n > 0 && uri_match(n, a.uri))
				return 1;
		}
	}
	return 0;
}

/* user: on the headers not in the index. */
static int
user_slow_match(const struct node *n, const struct engine *e, uint32_t id)
{
	struct rd_record rec;
	struct sipmsg sm;
	int hit;

	if (n->re != NULL && !re_search(n, engine_record_text(e, id)))
		return 0;
	if (engine_message(e, id, &rec, &sm) == -1)
		return 0;
	hit = rec.kind == REC_SIP &&
	    (uri_header_match(n, &sm, HDR_CONTACT) ||
	    uri_header_match(n, &sm, HDR_P_ASSERTED_IDENTITY) ||
	    uri_header_match(n, &sm, HDR_REFERRED_BY));
	sipmsg_clear(&sm);
	return hit;
}

static int
header_match(const struct node *n, const struct engine *e, uint32_t id)
{
	const struct sip_header *h;
	struct rd_record rec;
	struct sipmsg sm;
	size_t i;
	int hit = 0;

	if (n->re != NULL && !re_search(n, engine_record_text(e, id)))
		return 0;
	if (engine_message(e, id, &rec, &sm) == -1)
		return 0;
	for (i = 0; !hit && (h = sipmsg_find_name(&sm, n->hname, i)) != NULL;
	    i++) {
		if (n->hval == NULL || n->hval[0] == '\0')
			hit = n->hval == NULL || h->value.n == 0;
		else
			hit = re_search(n, h->value);
	}
	sipmsg_clear(&sm);
	return hit;
}

static int64_t
time_of_day(int64_t t)
{
	const int64_t day = INT64_C(86400000000);
	int64_t r = t % day;

	return r < 0 ? r + day : r;
}

static int
time_match(const struct node *n, const struct msg *m)
{
	int64_t t = m->time, ref = n->t;

	if (t == TIME_NONE)
		return 0;
	/* A day cannot be told from a time of day alone: before:2025-03-12
	 * matched no message of a log without dates and after: all of them
	 * (their times of day compared with midnight). */
	if (n->t_dayonly && !(m->time_prec & MSG_TIME_HAS_DATE))
		return 0;
	if (!n->t_date || !(m->time_prec & MSG_TIME_HAS_DATE)) {
		/* One side has no date: compare times of day. */
		t = time_of_day(t);
		ref = time_of_day(ref);
	}
	return n->field == F_AFTER ? t >= ref : t < ref;
}

/* user_slow_match, read once per message: bind_user made room for the
 * messages bound; one indexed since is read every time until the next
 * bind. The bits are a cache that evaluation fills in, hence the cast. */
static int
user_slow_cached(const struct node *cn, const struct engine *e, uint32_t id)
{
	struct node *n = (struct node *)(uintptr_t)cn;
	int hit;

	if (id >= n->bound_msgs || id >= n->nslow)
		return user_slow_match(n, e, id);
	if (BIT_TEST(n->slow_seen, id))
		return BIT_TEST(n->slow, id);
	hit = user_slow_match(n, e, id);
	BIT_SET(n->slow_seen, id);
	if (hit)
		BIT_SET(n->slow, id);
	return hit;
}

/* DK_* of part of message id (m its entry), as struct msg_kept has it:
 * of a pair its two (DK_A, DK_B, DK_A0, DK_B0); of the request URI,
 * DK_A when it is in ids. A message kept as its dialog's is answered by
 * n->dk, without reading the dialog; *dv keeps that byte for the next
 * part (-1 before it is read). */
static int
dk_kept(const struct node *n, const struct engine *e, const struct msg *m,
	uint32_t id, enum dialog_part part, int *dv)
{
	const struct dialogs *ds = engine_dialogs(e);
	unsigned code = part == DIALOG_PARTY ? m->kept_party :
			part == DIALOG_RURI ? m->kept_ruri : m->kept_ends;
	uint32_t d, a, b;
	int v;

	if (code == KEPT_NONE)
		return DK_A0 | DK_B0;
	if (code == KEPT_APART) {
		dialogs_apart(ds, part, id, &a, &b,
		    &((struct node *)(uintptr_t)n)->apart_hint[part]);
		return dk_pair(n, a, b);
	}
	if (*dv < 0) {
		d = dialogs_of(ds, m);
		/* (A dialog made since the bind: filter_match without
		 * one.) */
		*dv = d == NO_DIALOG ? DK_A0 | DK_B0 : d < n->ndk ? n->dk[d] :
		      dk_dialog(n, dialogs_get(ds, d));
	}
	v = *dv;
	if (part == DIALOG_RURI)
		return code == KEPT_SAME && (v & DK_RURI) ? DK_A : 0;
	if (code == KEPT_SWAP)
		v = (v & (DK_A | DK_A0)) << 1 | (v & (DK_B | DK_B0)) >> 1;
	return v & (DK_A | DK_B | DK_A0 | DK_B0);
}

/* DK_* of the dialog message m belongs to (its From, To and request URI:
 * struct dialog), 0 for none. */
static int
dk_of_dialog(const struct node *n, const struct engine *e,
	     const struct msg *m)
{
	const struct dialogs *ds = engine_dialogs(e);
	uint32_t d = dialogs_of(ds, m);

	if (d == NO_DIALOG)
		return 0;
	/* (A dialog made since the bind: filter_match without one.) */
	return d < n->ndk ? n->dk[d] : dk_dialog(n, dialogs_get(ds, d));
}

static int
field_match(const struct node *n, const struct engine *e, uint32_t id,
	    const struct msg *m)
{
	int p, dv = -1;

	switch (n->field) {
	case F_CALLID:
		return idset_has(&n->ids, m->call_id);
	case F_USER:
		/* A server's diagnostic event names no party of its own:
		 * it is about its dialog, whose parties it matches by (as
		 * callid: and dialog: reach it through its dialog). */
		if (m->kind == MSG_DIAG)
			return (dk_of_dialog(n, e, m) &
				(DK_A | DK_B | DK_RURI)) != 0;
		if ((dk_kept(n, e, m, id, DIALOG_PARTY, &dv) & (DK_A | DK_B)) ||
		    (dk_kept(n, e, m, id, DIALOG_RURI, &dv) & DK_A))
			return 1;
		/* Only a message whose Contact, P-Asserted-Identity or
		 * Referred-By names another party can match through them. */
		if (m->kind == MSG_DIAG || !(m->flags & RECF_OTHER_PARTY))
			return 0;
		return user_slow_cached(n, e, id);
	case F_FROM:
	case F_TO:
		p = m->kind == MSG_DIAG ? dk_of_dialog(n, e, m) :
		    dk_kept(n, e, m, id, DIALOG_PARTY, &dv);
		return (p & (n->field == F_FROM ? DK_A : DK_B)) != 0;
	case F_METHOD:
		return idset_has(&n->ids,
				 msgindex_method(engine_index(e), id));
	case F_STATUS:
		return m->kind == MSG_RESPONSE && m->status >= n->lo &&
		    m->status <= n->hi;
	case F_SEVERITY:
		return m->severity < 8 && ((n->sevmask >> m->severity) & 1);
	case F_DIR:
		return m->dir == n->dir;
	case F_ADDR:
		p = dk_kept(n, e, m, id, DIALOG_ENDS, &dv);
		if (p & (DK_A | DK_B))
			return 1;
		/* The log's own name: an end it leaves unnamed on its own
		 * side (an unnamed peer is not known), and every event of
		 * it, the server having written it (a connection record
		 * gives both its ends as addresses); "local" is its own end
		 * by any name, one end of every message it gives a
		 * direction. */
		return (((p & DK_A0) && m->dir == DIR_OUT) ||
			((p & DK_B0) && m->dir == DIR_IN) ||
			(n->own && m->dir != DIR_UNKNOWN) ||
			m->kind == MSG_DIAG) &&
		    m->file < n->nfiles && n->files[m->file];
	case F_SRC:
	case F_DST:
		/* One end only; the end a server log leaves unnamed on its
		 * own side is that log's own, as for addr:. */
		p = dk_kept(n, e, m, id, DIALOG_ENDS, &dv);
		if (n->field == F_DST)	/* its end as the first */
			p >>= 1;
		if (p & DK_A)
			return 1;
		return ((p & DK_A0) || n->own) && m->kind != MSG_DIAG &&
		    m->dir == (n->field == F_SRC ? DIR_OUT : DIR_IN) &&
		    m->file < n->nfiles && n->files[m->file];
	case F_AFTER:
	case F_BEFORE:
		return time_match(n, m);
	case F_FILE:
		return m->file < n->nfiles && n->files[m->file];
	case F_HEADER:
		return header_match(n, e, id);
	default:
		return 0;
	}
}

static int
eval(const struct node *n, const struct engine *e, uint32_t id)
{
	const struct msg *m;
	uint32_t d;
	size_t i;

	switch (n->type) {
	case N_TRUE:
		return 1;
	case N_AND:
		for (i = 0; i < n->nkids; i++)
			if (!eval(n->kids[i], e, id))
				return 0;
		return 1;
	case N_OR:
		for (i = 0; i < n->nkids; i++)
			if (eval(n->kids[i], e, id))
				return 1;
		return 0;
	case N_NOT:
		return !eval(n->kids[0], e, id);
	case N_DIALOG:
		m = msgindex_get(engine_index(e), id);
		d = dialogs_of(engine_dialogs(e), m);
		if (d != NO_DIALOG)
			return d < n->ndialogs && BIT_TEST(n->dialogs, d);
		return id < n->nnodlg && BIT_TEST(n->nodlg, id);
	case N_FIELD:
		m = msgindex_get(engine_index(e), id);
		return field_match(n, e, id, m);
	case N_TEXT:
	case N_REGEX:
		return re_search(n, engine_record_text(e, id));
	}
	return 0;
}

int
filter_match(const struct filter *f, const struct engine *e, uint32_t id)
{
	if (f == NULL || f->root == NULL)
		return 1;
	if (id >= msgindex_count(engine_index(e)))
		return 0;
	return eval(f->root, e, id);
}

size_t
filter_select(struct filter *f, const struct engine *e, uint32_t from,
	      uint32_t to, uint32_t **out)
{
	size_t count = msgindex_count(engine_index(e)), n = 0, cap = 0;
	uint32_t *v = NULL, id;

	if (to > count)
		to = count;
	filter_bind(f, e);
	if (f != NULL && f->root != NULL && f->root->type == N_FIELD &&
	    f->root->field == F_CALLID && f->root->ids.exact) {
		/* One Call-ID (the viewer's c): its dialog's messages, not a
		 * pass over the index. */
		const struct dialogs *ds = engine_dialogs(e);
		uint32_t d = dialogs_by_call_id(ds, f->root->ids.single);
		const struct dialog *dl = d != NO_DIALOG ?
		    dialogs_get(ds, d) : NULL;
		const uint32_t *ids = dl != NULL ? dialogs_msgs(ds, dl) : NULL;
		size_t i;

		for (i = 0; dl != NULL && i < dl->nmsgs; i++) {
			if (ids[i] < from || ids[i] >= to)
				continue;
			v = xgrow(v, &cap, n + 1, sizeof *v);
			v[n++] = ids[i];
		}
		*out = v != NULL ? v : xmalloc(sizeof *v);
		return n;
	}
	for (id = from; id < to; id++) {
		if (!filter_match(f, e, id))
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = id;
	}
	*out = v != NULL ? v : xmalloc(sizeof *v);
	return n;
}

/* ---- dump ------------------------------------------------------------- */

static void
dump_node(const struct node *n, struct strbuf *out)
{
	size_t i;

	switch (n->type) {
	case N_TRUE:
		strbuf_adds(out, "(true)");
		return;
	case N_AND:
	case N_OR:
	case N_NOT:
	case N_DIALOG:
		strbuf_adds(out, n->type == N_AND ? "(and" : n->type == N_OR ?
		    "(or" : n->type == N_NOT ? "(not" : "(dialog");
		for (i = 0; i < n->nkids; i++) {
			strbuf_addc(out, ' ');
			dump_node(n->kids[i], out);
		}
		strbuf_addc(out, ')');
		return;
	case N_FIELD:
		strbuf_addf(out, "(%s ", filter_field_names[n->field]);
		switch (n->field) {
		case F_STATUS:
			strbuf_addf(out, "%u-%u", n->lo, n->hi);
			break;
		case F_SEVERITY:
			for (i = 0; i < SEV__COUNT; i++) {
				if (!((n->sevmask >> i) & 1))
					continue;
				if (out->buf[out->len - 1] != ' ')
					strbuf_addc(out, ',');
				strbuf_adds(out, severity_name((enum severity)i));
			}
			break;
		case F_DIR:
			strbuf_adds(out, n->dir == DIR_IN ? "in" : "out");
			break;
		case F_AFTER:
		case F_BEFORE:
		{
			char buf[64];

			time_format(buf, sizeof buf, n->t, 6, n->t_date);
			strbuf_adds(out, buf);
			break;
		}
		case F_HEADER:
			json_append_str(out, n->hname, strlen(n->hname));
			if (n->hval != NULL) {
				strbuf_addc(out, ' ');
				json_append_str(out, n->hval, strlen(n->hval));
			}
			break;
		default:
			json_append_str(out, n->val, n->vlen);
			break;
		}
		strbuf_addc(out, ')');
		return;
	case N_TEXT:
		strbuf_adds(out, "(text ");
		json_append_str(out, n->val, n->vlen);
		strbuf_addc(out, ')');
		return;
	case N_REGEX:
		strbuf_adds(out, "(regex ");
		json_append_str(out, n->val, n->vlen);
		if (n->flagstr[0] != '\0')
			strbuf_addf(out, " %s", n->flagstr);
		strbuf_addc(out, ')');
		return;
	}
}

void
filter_dump(const struct filter *f, struct strbuf *out)
{
	if (f == NULL || f->root == NULL) {
		strbuf_adds(out, "(true)");
		return;
	}
	dump_node(f->root, out);
}

/* ---- what an expression asks of the rules ----------------------------- */

static int
node_uses_severity(const struct node *n)
{
	size_t i;

	if (n->type == N_FIELD && n->field == F_SEVERITY)
		return 1;
	for (i = 0; i < n->nkids; i++) {
		if (node_uses_severity(n->kids[i]))
			return 1;
	}
	return 0;
}

int
filter_uses_severity(const struct filter *f)
{
	return f != NULL && f->root != NULL && node_uses_severity(f->root);
}
