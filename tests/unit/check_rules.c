/* Unit tests for rules: the parser (good files, each error with its line),
 * every condition and dialog context on small in-memory traces, the
 * explanations, and the default rules on the fixture traces. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "engine.h"
#include "rules.h"
#include "regreport.h"
#include "helpers.h"
#include "source.h"

#define CRLF "\r\n"

/* A raw SIP message of dialog callid; extra is more header lines. */
static void
add_msg(struct strbuf *sb, const char *start, const char *callid,
	const char *cseq, const char *extra, const char *body)
{
	strbuf_addf(sb, "%s" CRLF, start);
	strbuf_adds(sb, "Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK1" CRLF);
	strbuf_adds(sb, "From: <sip:alice@example.com>;tag=a1" CRLF);
	strbuf_adds(sb, "To: <sip:alice@example.com>" CRLF);
	strbuf_addf(sb, "Call-ID: %s" CRLF, callid);
	strbuf_addf(sb, "CSeq: %s" CRLF, cseq);
	if (extra != NULL)
		strbuf_adds(sb, extra);
	strbuf_addf(sb, "Content-Length: %zu" CRLF CRLF,
		    body != NULL ? strlen(body) : 0);
	if (body != NULL)
		strbuf_adds(sb, body);
}

/* log with a request of its client after it (its From, another Call-ID):
 * a trace that does not end with its last challenge. */
static char *
then_client(char *log)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, log);
	free(log);
	add_msg(&sb, "OPTIONS sip:example.com SIP/2.0", "then", "1 OPTIONS",
		NULL, NULL);
	return strbuf_detach(&sb);
}

struct fx {
	struct engine *e;
	struct rules *r;
};

static void
fx_open(struct fx *f, const char *rules_text, const char *log,
	const char *format)
{
	struct strbuf errs;
	char *err = NULL;

	strbuf_init(&errs);
	f->r = rules_parse("test.rules", rules_text, strlen(rules_text), &errs);
	ck_assert_msg(f->r != NULL, "rules: %s", errs.buf);
	strbuf_free(&errs);
	f->e = engine_new();
	engine_set_rules(f->e, f->r);
	ck_assert_msg(engine_add_mem(f->e, "test.log", log, strlen(log),
				     format, &err) >= 0, "%s", err);
	engine_run(f->e);
}

static void
fx_close(struct fx *f)
{
	engine_free(f->e);
	rules_free(f->r);
}

static const char *
rname(const struct fx *f, uint32_t id)
{
	const struct msg *m = msgindex_get(engine_index(f->e), id);

	ck_assert_ptr_nonnull(m);
	return rules_rule_name(f->r, m->rule);
}

static int
sev(const struct fx *f, uint32_t id)
{
	return msgindex_get(engine_index(f->e), id)->severity;
}

/* The rules that rated messages 0.. in order, "-" for none, one letter
 * per message when rule names are single letters. */
static char *
rule_string(const struct fx *f)
{
	size_t n = msgindex_count(engine_index(f->e)), i;
	char *s = xmalloc(n + 1);

	for (i = 0; i < n; i++) {
		const char *nm = rname(f, (uint32_t)i);

		s[i] = *nm != '\0' ? nm[0] : '-';
	}
	s[n] = '\0';
	return s;
}

#define ck_rules(f, want) do {						\
	char *got_ = rule_string(f);					\
	ck_assert_str_eq(got_, want);					\
	free(got_);							\
} while (0)

static char *
explain(const struct fx *f, uint32_t id)
{
	struct strbuf sb;

	strbuf_init(&sb);
	rules_explain(f->r, f->e, id, &sb);
	return strbuf_detach(&sb);
}

#define ck_explain(f, id, want) do {					\
	char *got_ = explain(f, id);					\
	ck_assert_str_eq(got_, want);					\
	free(got_);							\
} while (0)

/* REGISTER, 401 (Kerberos+NTLM), REGISTER with Kerberos, 200. */
static char *
log_reg_ok(void)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "reg1", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "reg1", "1 REGISTER",
		"WWW-Authenticate: Kerberos realm=\"SIP Communications Service\", "
		"targetname=\"sip/fe.example.com\", version=4" CRLF
		"WWW-Authenticate: NTLM realm=\"SIP Communications Service\", "
		"targetname=\"fe.example.com\", version=4" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "reg1", "2 REGISTER",
		"Proxy-Authorization: Kerberos qop=\"auth\", realm=\"SIP "
		"Communications Service\", gssapi-data=\"YIIB\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 200 OK", "reg1", "2 REGISTER",
		"Proxy-Authentication-Info: Kerberos rspauth=\"6023\"" CRLF, NULL);
	return strbuf_detach(&sb);
}

/* REGISTER, 401 Digest, REGISTER with Digest, 403 with ms-diagnostics. */
static char *
log_reg_rejected(void)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "reg2", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "reg2", "1 REGISTER",
		"WWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\", "
		"qop=\"auth\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "reg2", "2 REGISTER",
		"Authorization: Digest username=\"alice\", realm=\"example.com\", "
		"nonce=\"abc\", response=\"0123\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 403 Forbidden", "reg2", "2 REGISTER",
		"ms-diagnostics: 4007;reason=\"Wrong password\";"
		"source=\"fe.example.com\"" CRLF, NULL);
	return strbuf_detach(&sb);
}

/* An NTLM registration: REGISTER, 401 offering NTLM, REGISTER opening the
 * handshake (gssapi-data=""), 401 with the NTLM CHALLENGE; with answer,
 * the REGISTER with the AUTHENTICATE and a final 401. */
static char *
log_ntlm(int answer)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "ntlm1", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "ntlm1", "1 REGISTER",
		"WWW-Authenticate: NTLM realm=\"SIP Communications Service\", "
		"targetname=\"fe.example.com\", version=4" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "ntlm1", "2 REGISTER",
		"Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP "
		"Communications Service\", version=4, gssapi-data=\"\"" CRLF,
		NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "ntlm1", "2 REGISTER",
		"WWW-Authenticate: NTLM opaque=\"A1\", gssapi-data="
		"\"TlRMTVNTUAACAAAAAAAAADgAAAA=\", version=4" CRLF, NULL);
	if (answer) {
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "ntlm1",
			"3 REGISTER", "Proxy-Authorization: NTLM opaque=\"A1\", "
			"gssapi-data=\"TlRMTVNTUAADAAAAGAAYAA==\", version=4"
			CRLF, NULL);
		add_msg(&sb, "SIP/2.0 401 Unauthorized", "ntlm1", "3 REGISTER",
			NULL, NULL);
	}
	return strbuf_detach(&sb);
}

/* Kerberos fails (401 with ms-diagnostics), NTLM follows and succeeds:
 * REGISTER, 401, REGISTER Kerberos, 401 with ms-diagnostics, REGISTER
 * NTLM (opening), 401 CHALLENGE, REGISTER AUTHENTICATE, 200. */
static char *
log_kerberos_fallback(void)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "kf", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "kf", "1 REGISTER",
		"WWW-Authenticate: Kerberos realm=\"SIP Communications Service\"" CRLF
		"WWW-Authenticate: NTLM realm=\"SIP Communications Service\"" CRLF,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "kf", "2 REGISTER",
		"Proxy-Authorization: Kerberos qop=\"auth\", "
		"gssapi-data=\"YIIEmgYJKoZIhvcSAQICAQBu\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "kf", "2 REGISTER",
		"WWW-Authenticate: NTLM realm=\"SIP Communications Service\"" CRLF
		"ms-diagnostics: 1000;reason=\"Final handshake failed\";"
		"source=\"fe.example.com\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "kf", "3 REGISTER",
		"Proxy-Authorization: NTLM qop=\"auth\", gssapi-data=\"\"" CRLF,
		NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "kf", "3 REGISTER",
		"WWW-Authenticate: NTLM gssapi-data="
		"\"TlRMTVNTUAACAAAAAAAAADgAAAA=\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "kf", "4 REGISTER",
		"Proxy-Authorization: NTLM gssapi-data="
		"\"TlRMTVNTUAADAAAAGAAYAA==\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 200 OK", "kf", "4 REGISTER", NULL, NULL);
	return strbuf_detach(&sb);
}

/* INVITE, 100, 180, CANCEL, 200 (CANCEL), 487, ACK. */
static char *
log_cancel(void)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "INVITE sip:bob@example.com SIP/2.0", "call1", "1 INVITE",
		"Content-Type: application/sdp" CRLF,
		"v=0" CRLF "o=- 1 1 IN IP4 10.0.0.1" CRLF "m=audio 5004 RTP/AVP 0"
		CRLF);
	add_msg(&sb, "SIP/2.0 100 Trying", "call1", "1 INVITE", NULL, NULL);
	add_msg(&sb, "SIP/2.0 180 Ringing", "call1", "1 INVITE", NULL, NULL);
	add_msg(&sb, "CANCEL sip:bob@example.com SIP/2.0", "call1", "1 CANCEL",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 200 OK", "call1", "1 CANCEL", NULL, NULL);
	add_msg(&sb, "SIP/2.0 487 Request Terminated", "call1", "1 INVITE",
		NULL, NULL);
	add_msg(&sb, "ACK sip:bob@example.com SIP/2.0", "call1", "1 ACK", NULL,
		NULL);
	return strbuf_detach(&sb);
}

/* INVITE, 486 with Warning, ACK; then OPTIONS twice, unanswered. */
static char *
log_busy(void)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_msg(&sb, "INVITE sip:bob@example.com SIP/2.0", "call2", "1 INVITE",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 486 Busy Here", "call2", "1 INVITE",
		"Warning: 399 pbx.example.com \"Bob is on another call\"" CRLF,
		NULL);
	add_msg(&sb, "ACK sip:bob@example.com SIP/2.0", "call2", "1 ACK", NULL,
		NULL);
	add_msg(&sb, "OPTIONS sip:bob@example.com SIP/2.0", "opt1", "1 OPTIONS",
		NULL, NULL);
	add_msg(&sb, "OPTIONS sip:bob@example.com SIP/2.0", "opt1", "1 OPTIONS",
		NULL, NULL);
	return strbuf_detach(&sb);
}

/* Parser. */

static struct rules *
parse(const char *text, struct strbuf *errs)
{
	strbuf_reset(errs);
	return rules_parse("x.rules", text, strlen(text), errs);
}

#define IL_KERBEROS_CH "WWW-Authenticate: Kerberos realm=\"SIP " \
	"Communications Service\", version=4" CRLF
#define IL_KERBEROS_CR "Proxy-Authorization: Kerberos realm=\"SIP " \
	"Communications Service\", gssapi-data=\"YIIB\"" CRLF
#define IL_DIGEST_CH "WWW-Authenticate: Digest realm=\"example.com\", " \
	"nonce=\"abc\"" CRLF
#define IL_DIGEST_CR "Authorization: Digest username=\"alice\", " \
	"realm=\"example.com\", nonce=\"abc\", response=\"0123\"" CRLF

/* k registrations of rounds challenges each (REGISTER, 401, REGISTER with
 * credentials, 200), their rounds in turn: dialog d (Call-ID il<d>)
 * answers with Kerberos when d is odd, else Digest. */
static char *
log_interleaved(size_t k, size_t rounds)
{
	struct strbuf sb;
	char cid[16], c1[32], c2[32];
	size_t r, d;

	strbuf_init(&sb);
	for (r = 0; r < rounds; r++) {
		for (d = 0; d < k; d++) {
			snprintf(cid, sizeof cid, "il%zu", d);
			snprintf(c1, sizeof c1, "%zu REGISTER", 2 * r + 1);
			snprintf(c2, sizeof c2, "%zu REGISTER", 2 * r + 2);
			add_msg(&sb, "REGISTER sip:example.com SIP/2.0", cid,
				c1, NULL, NULL);
			add_msg(&sb, "SIP/2.0 401 Unauthorized", cid, c1,
				d % 2 ? IL_KERBEROS_CH : IL_DIGEST_CH, NULL);
			add_msg(&sb, "REGISTER sip:example.com SIP/2.0", cid,
				c2, d % 2 ? IL_KERBEROS_CR : IL_DIGEST_CR,
				NULL);
			add_msg(&sb, "SIP/2.0 200 OK", cid, c2, NULL, NULL);
		}
	}
	return strbuf_detach(&sb);
}

/* Explanations that show each message's context: whether it has
 * credentials, what answered a challenge and where, what a response
 * answers. */
static const char interleaved_rules[] =
	"rule c\n\tstatus 401\n\tseverity info\n"
	"\texplain [${answer-scheme}] by ${answer-call-id} ${cseq}\n"
	"rule o\n\tstatus 200\n\tseverity ok\n"
	"\texplain to [${request-scheme}] ${call-id} ${cseq}\n"
	"rule r\n\tkind request\n\tseverity info\n"
	"\texplain with [${scheme}] ${call-id} ${cseq}\n";

/* Each message's explanation as rules that kept nothing work it out. */
static char **
explain_fresh(const struct fx *f, size_t n)
{
	char **want = xcalloc(n, sizeof *want);
	struct strbuf errs, sb;
	struct rules *r;
	size_t i;

	strbuf_init(&errs);
	for (i = 0; i < n; i++) {
		r = rules_parse("fresh.rules", interleaved_rules,
				strlen(interleaved_rules), &errs);
		ck_assert_ptr_nonnull(r);
		strbuf_init(&sb);
		rules_explain(r, f->e, (uint32_t)i, &sb);
		want[i] = strbuf_detach(&sb);
		rules_free(r);
	}
	strbuf_free(&errs);
	return want;
}

/* Asks f->r about messages (i * stride + start) % n, i = 0 .. n - 1, and
 * compares with want; what it keeps stays within msgs contexts. */
static void
ck_explain_walk(const struct fx *f, char **want, size_t n, size_t stride,
		size_t start, size_t msgs)
{
	size_t i, id, held;
	uint64_t computed;

	for (i = 0; i < n; i++) {
		id = (i * stride + start) % n;
		ck_explain(f, (uint32_t)id, want[id]);
		rules_explain_counts(f->r, &held, &computed);
		ck_assert_uint_le(held, msgs);
	}
}

/* Several long dialogs interleaved: rules_explain works each out once
 * and explains every message with its own dialog's context, as rules that
 * kept nothing do; with room for fewer dialogs, or fewer messages, than
 * the log has, it evicts and works them out again, still right, within
 * its budget. A cache that answered with another dialog's context (all
 * have the same length) or another message's would explain otherwise. */
START_TEST(test_explain_interleaved)
{
	char *log = log_interleaved(5, 20), **want;
	size_t n, i, held;
	uint64_t computed, before;
	struct fx f;

	fx_open(&f, interleaved_rules, log, "raw");
	n = msgindex_count(engine_index(f.e));
	ck_assert_uint_eq(n, 5 * 20 * 4);
	want = explain_fresh(&f, n);
	ck_assert_str_eq(want[1], "[Digest] by il0 1");
	ck_assert_str_eq(want[4 + 1], "[Kerberos] by il1 1");
	ck_assert_str_eq(want[4 + 2], "with [Kerberos] il1 2");
	ck_assert_str_eq(want[n - 4], "with [] il4 39");
	ck_assert_str_eq(want[n - 1], "to [Digest] il4 40");

	/* In the log's order, backwards, and jumping about: each dialog
	 * worked out once. */
	rules_explain_counts(f.r, &held, &before);
	ck_explain_walk(&f, want, n, 1, 0, n);
	ck_explain_walk(&f, want, n, n - 1, n - 1, n);
	ck_explain_walk(&f, want, n, 7, 3, n);
	rules_explain_counts(f.r, &held, &computed);
	ck_assert_uint_eq(computed - before, 5);
	ck_assert_uint_eq(held, n);

	/* Two slots for five dialogs. */
	rules_set_explain_cache(f.r, 2, 0, 0);
	rules_explain_counts(f.r, &held, &before);
	ck_assert_uint_eq(held, 0);
	ck_explain_walk(&f, want, n, 1, 0, 2 * 80);
	ck_explain_walk(&f, want, n, 7, 3, 2 * 80);
	rules_explain_counts(f.r, &held, &computed);
	ck_assert_uint_gt(computed - before, 5);

	/* Room for 100 messages, 16 of a dialog when it has no room: parts of
	 * dialogs, evicted to make room for others. */
	rules_set_explain_cache(f.r, 0, 100, 128);
	ck_explain_walk(&f, want, n, 1, 0, 100);
	ck_explain_walk(&f, want, n, n - 1, n - 1, 100);
	ck_explain_walk(&f, want, n, 13, 5, 100);
	/* A span of 1: one message of a dialog at a time. */
	rules_set_explain_cache(f.r, 0, 10, 1);
	ck_explain_walk(&f, want, n, 1, 0, 10);
	ck_explain_walk(&f, want, n, 11, 2, 10);
	fx_close(&f);
	for (i = 0; i < n; i++)
		free(want[i]);
	free(want);
	free(log);
}
END_TEST

/* Rating skips a rule by the statuses its status lines let through
 * (negated ones and several lines too) before testing it. */
START_TEST(test_status_prefilter)
{
	static const char rules[] =
	    "rule a\n\tkind response\n\tstatus 401 407\n\tstatus 401\n"
	    "\tseverity error\n"
	    "rule b\n\tkind response\n\tnot status 2xx\n\tnot status 100-199\n"
	    "\tseverity warning\n"
	    "rule c\n\tkind response\n\tseverity ok\n"
	    "rule r\n\tkind request\n\tseverity info\n";
	char *a = log_reg_ok(), *b = log_reg_rejected(), *ab;
	struct fx f;

	/* REGISTER, 401, REGISTER, 200; REGISTER, 401, REGISTER, 403 */
	ab = xasprintf("%s%s", a, b);
	fx_open(&f, rules, ab, "raw");
	ck_rules(&f, "rarcrarb");
	fx_close(&f);
	free(ab);
	free(a);
	free(b);
}
END_TEST

/* rules_explain keeps the context of the dialogs last asked about: asking
 * about messages of two dialogs in turn, and then about an engine made
 * anew (likely at the same address, its dialog as long), still explains
 * each with its own dialog's context. */
START_TEST(test_explain_cached_context)
{
	static const char rules[] = "rule x\n\tstatus 401\n\tseverity info\n"
				    "\texplain answered with [${answer-scheme}]\n";
	char *a = log_reg_ok(), *b = log_reg_rejected(), *ab, *err = NULL;
	struct strbuf errs;
	struct fx f;
	uint64_t epoch;

	ab = xasprintf("%s%s", a, b);
	fx_open(&f, rules, ab, "raw");
	ck_explain(&f, 1, "answered with [Kerberos]");
	ck_explain(&f, 5, "answered with [Digest]");
	ck_explain(&f, 1, "answered with [Kerberos]");
	ck_explain(&f, 0, "");
	ck_explain(&f, 5, "answered with [Digest]");
	fx_close(&f);

	/* The same rules over two engines, one after the other: the second
	 * takes the first's place in memory when it can. */
	strbuf_init(&errs);
	f.r = rules_parse("test.rules", rules, strlen(rules), &errs);
	ck_assert_ptr_nonnull(f.r);
	strbuf_free(&errs);
	f.e = engine_new();
	engine_set_rules(f.e, f.r);
	ck_assert_int_ge(engine_add_mem(f.e, "a.log", a, strlen(a), "raw",
					&err), 0);
	engine_run(f.e);
	ck_explain(&f, 1, "answered with [Kerberos]");
	epoch = dialogs_epoch(engine_dialogs(f.e));
	engine_free(f.e);
	f.e = engine_new();
	engine_set_rules(f.e, f.r);
	ck_assert_int_ge(engine_add_mem(f.e, "b.log", b, strlen(b), "raw",
					&err), 0);
	engine_run(f.e);
	ck_explain(&f, 1, "answered with [Digest]");
	/* What tells them apart when the address is the same. */
	ck_assert(dialogs_epoch(engine_dialogs(f.e)) != epoch);
	fx_close(&f);
	free(ab);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_parse_good)
{
	struct strbuf errs;
	struct rules *r;

	strbuf_init(&errs);
	r = parse("# comment\n\n"
		  "rule a-1\n"
		  "\tkind response\n"
		  "\tstatus 401, 407 4xx 500-599\n"
		  "  not method ACK CANCEL\n"
		  "\theader Warning ~ /^(?<code>\\d+) /\n"
		  "\theader ms-diagnostics\n"
		  "\theader Foo absent\n"
		  "\tstart-line /a\\/b/i\n"
		  "\tbody /x/sm\n"
		  "\tdirection in out\n"
		  "\tchallenge answered\n"
		  "\toutcome success failure none\n"
		  "\treply none\n"
		  "\tphase final\n"
		  "\tafter-cancel yes\n"
		  "\tretransmission no\n"
		  "\tcredentials-sent yes\n"
		  "\tseverity warning\n"
		  "\texplain code ${code} $$5 ${header:Warning}$[ (${diagnostics})]\n"
		  "rule b\n"
		  "severity log\n"
		  "rule c\n"
		  "severity log error\n", &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf);
	ck_assert_uint_eq(rules_count(r), 3);
	ck_assert_str_eq(rules_rule_name(r, 1), "a-1");
	ck_assert_str_eq(rules_rule_name(r, 3), "c");
	ck_assert_str_eq(rules_rule_name(r, 0), "");
	ck_assert_str_eq(rules_rule_name(r, 4), "");
	ck_assert_uint_eq(errs.len, 0);
	rules_free(r);

	/* A UTF-8 byte order mark is skipped. */
	r = parse("\xef\xbb\xbfrule bom\n\tseverity ok\n", &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf);
	ck_assert_str_eq(rules_rule_name(r, 1), "bom");
	rules_free(r);

	/* An empty file is valid: nothing is rated. */
	r = parse("# nothing\n", &errs);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(rules_count(r), 0);
	rules_free(r);
	rules_free(NULL);
	strbuf_free(&errs);
}
END_TEST

static const struct {
	const char *text;
	const char *errors;
} bad_rules[] = {
	{ "kind request\n",
	  "x.rules:1: \"kind\" outside a rule (start a block with: rule NAME)\n" },
	{ "rule a\n\tkind requests\n\tseverity ok\n",
	  "x.rules:2: kind: unknown value \"requests\" (expected invalid, "
	  "request, response or diagnostic)\n" },
	{ "rule a\n\tstatus 4yy\n\tseverity ok\n",
	  "x.rules:2: status: bad value \"4yy\" (expected a code like 401, a "
	  "class like 4xx or a range like 500-599)\n" },
	{ "rule a\n\tstatus 599-500\n\tseverity ok\n",
	  "x.rules:2: status: \"599-500\" is not within 100-699\n" },
	{ "rule a\n\tstatus 700\n\tseverity ok\n",
	  "x.rules:2: status: \"700\" is not within 100-699\n" },
	{ "rule a\n\tstatus\n\tseverity ok\n",
	  "x.rules:2: status: missing value\n" },
	{ "rule a\n\tkind request\n",
	  "x.rules:1: rule a: no severity\n" },
	{ "rule a\n\tseverity fatal\n",
	  "x.rules:2: severity: unknown severity \"fatal\" (expected error, "
	  "warning, benign, ok, info, none or log)\n" },
	{ "rule a\n\tseverity ok\n\tfrobnicate yes\n",
	  "x.rules:3: unknown keyword \"frobnicate\"\n" },
	{ "rule a\n\tseverity ok\n\tbody /(unclosed/\n",
	  "x.rules:3: body: bad pattern /(unclosed/: missing closing "
	  "parenthesis at offset 9\n" },
	{ "rule a\n\tseverity ok\n\tbody unslashed\n",
	  "x.rules:3: body: expected a pattern written /like this/ (flags i, "
	  "s, m, x may follow)\n" },
	{ "rule a\n\tseverity ok\n\tstart-line /x/q\n",
	  "x.rules:3: start-line: unknown pattern flag 'q' (expected i, s, m "
	  "or x)\n" },
	{ "rule a\n\tseverity ok\n\theader\n",
	  "x.rules:3: header: missing header name\n" },
	{ "rule a\n\tseverity ok\n\theader X = 1\n",
	  "x.rules:3: header X: expected nothing, \"absent\" or \"~ "
	  "/pattern/\"\n" },
	{ "rule a\n\tseverity ok\n\texplain ${nosuch}\n",
	  "x.rules:3: explain: ${nosuch} is not a capture of the rule's "
	  "patterns\n" },
	{ "rule a\n\tseverity ok\n\texplain ${2}\n\theader X ~ /(a)/\n",
	  "x.rules:3: explain: ${2} is not a capture of the rule's patterns\n" },
	{ "rule a\n\tseverity ok\n\texplain cost $5\n",
	  "x.rules:3: explain: expected ${name}, $[ or $$ after $\n" },
	{ "rule a\n\tseverity ok\n\texplain $[open\n",
	  "x.rules:3: explain: $[ without ]\n" },
	{ "rule a\n\tseverity ok\n\texplain ${status\n",
	  "x.rules:3: explain: ${ without }\n" },
	{ "rule a\n\tseverity ok\nrule a\n\tseverity ok\n",
	  "x.rules:3: rule a: defined twice (first at line 1)\n" },
	{ "rule a b\n\tseverity ok\n",
	  "x.rules:1: rule: one word for the name, conditions go on the next "
	  "lines\n" },
	{ "rule\n",
	  "x.rules:1: rule: missing name\n" },
	{ "rule a\n\tnot severity ok\n",
	  "x.rules:2: \"not\" cannot be used with severity\n" },
	{ "rule a\n\tseverity ok\n\tchallenge maybe\n",
	  "x.rules:3: challenge: unknown value \"maybe\" (expected unanswered, "
	  "answered, answered-other, answered-other-algorithm, "
	  "answered-new-call-id, cut, awaited, answered-opening, "
	  "answered-late or trace-end)\n" },
	{ "rule a\n\tseverity ok\n\toutcome\n",
	  "x.rules:3: outcome: missing value\n" },
	{ "rule a\n\tseverity ok\n\tdiagnostics 40x5\n",
	  "x.rules:3: diagnostics: bad value \"40x5\" (expected a code like "
	  "4005 or a range like 1000-1999)\n" },
	{ "rule a\n\tseverity ok\n\tdiagnostics 70000\n",
	  "x.rules:3: diagnostics: \"70000\" is not within 0-65535\n" },
	{ "rule a\n\tseverity ok\n\tdiagnostics\n",
	  "x.rules:3: diagnostics: missing value\n" },
	/* A second severity silently won. */
	{ "rule a\n\tseverity ok\n\tstatus 200\n\tseverity error\n",
	  "x.rules:4: severity: given twice in rule a (first at line 2)\n" },
	{ "rule a\n\tseverity ok\n\texplain one\n\texplain two\n",
	  "x.rules:4: explain: given twice in rule a (first at line 3)\n" },
	/* The name left out: "~" is no header name. */
	{ "rule a\n\tseverity ok\n\theader ~ /x/\n",
	  "x.rules:3: header: missing header name\n" },
	/* After "log", "log" is no fallback. */
	{ "rule a\n\tseverity log bogus\n",
	  "x.rules:2: severity: unknown severity \"bogus\" (expected error, "
	  "warning, benign, ok, info or none after log)\n" },
	/* A rule without a name: its conditions are not outside a rule. */
	{ "rule\n\tseverity ok\n\tstatus 200\nseverity ok\n",
	  "x.rules:1: rule: missing name\n" },
	/* Several errors: all reported, each with its line. */
	{ "rule a\n\tkind x\n\n\tstatus 99\n\tseverity ok ok\n",
	  "x.rules:2: kind: unknown value \"x\" (expected invalid, request, "
	  "response or diagnostic)\n"
	  "x.rules:4: status: \"99\" is not within 100-699\n"
	  "x.rules:5: severity: one severity only\n" },
};

/* Many rules: a name given twice is found by hash, with the line of the
 * first (the parse stays linear in the rules). An index entry has 12 bits
 * for its rule: 4095 rules at most. */
START_TEST(test_parse_many)
{
	struct strbuf text, errs;
	struct rules *r;
	size_t i, n = 4094;

	strbuf_init(&text);
	strbuf_init(&errs);
	for (i = 0; i < n; i++)
		strbuf_addf(&text, "rule r%zu\n\tseverity ok\n", i);
	r = rules_parse("many.rules", text.buf, text.len, &errs);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(rules_count(r), n);
	rules_free(r);
	strbuf_adds(&text, "rule r1234\n\tseverity ok\n");
	r = rules_parse("many.rules", text.buf, text.len, &errs);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(errs.buf, "many.rules:8189: rule r1234: defined "
			 "twice (first at line 2469)\n");
	/* The 4095th is one too many. */
	strbuf_reset(&errs);
	text.len -= strlen("rule r1234\n\tseverity ok\n");
	strbuf_adds(&text, "rule last\n\tseverity ok\n");
	r = rules_parse("many.rules", text.buf, text.len, &errs);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(rules_count(r), n + 1);
	rules_free(r);
	strbuf_adds(&text, "rule over\n\tseverity ok\n");
	r = rules_parse("many.rules", text.buf, text.len, &errs);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(errs.buf, "many.rules:8191: too many rules (4095 at "
			 "most)\n");
	strbuf_free(&text);
	strbuf_free(&errs);
}
END_TEST

START_TEST(test_parse_bad)
{
	struct strbuf errs;
	struct rules *r;

	strbuf_init(&errs);
	r = parse(bad_rules[_i].text, &errs);
	ck_assert_msg(r == NULL, "case %d parsed", _i);
	ck_assert_str_eq(errs.buf, bad_rules[_i].errors);
	strbuf_free(&errs);
}
END_TEST

/* A line with a NUL byte is dropped with its error alone: the severity
 * it may have held is not reported missing, at an earlier line. */
START_TEST(test_parse_nul_line)
{
	static const char text[] = "rule a\n\tseverity\0 ok\n\tstatus 200\n";
	struct strbuf errs;
	struct rules *r;

	strbuf_init(&errs);
	r = rules_parse("x.rules", text, sizeof text - 1, &errs);
	ck_assert_ptr_null(r);
	ck_assert_str_eq(errs.buf, "x.rules:2: NUL byte in line\n");
	strbuf_free(&errs);
}
END_TEST

/* The files under tests/data/rules: good-*.conf parse, bad-*.conf fail
 * with exactly the errors of the matching .err file. */
START_TEST(test_parse_files)
{
	glob_t g;
	struct strbuf errs;
	struct rules *r;
	size_t i, ngood = 0, nbad = 0;
	char *errpath, *want;
	FILE *f;
	long n;

	strbuf_init(&errs);
	ck_assert_int_eq(glob(TEST_DATA "/rules/*.conf", 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];

		strbuf_reset(&errs);
		r = rules_load(p, &errs);
		if (strstr(p, "/good-") != NULL) {
			ck_assert_msg(r != NULL, "%s: %s", p, errs.buf);
			ck_assert_uint_gt(rules_count(r), 0);
			rules_free(r);
			ngood++;
			continue;
		}
		ck_assert_msg(r == NULL, "%s parsed", p);
		errpath = xasprintf("%.*s.err", (int)(strlen(p) - 5), p);
		f = fopen(errpath, "r");
		ck_assert_msg(f != NULL, "no %s", errpath);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		want = xcalloc((size_t)n + 1, 1);
		ck_assert_uint_eq(fread(want, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		ck_assert_str_eq(errs.buf, want);
		free(want);
		free(errpath);
		nbad++;
	}
	globfree(&g);
	ck_assert_uint_ge(ngood, 2);
	ck_assert_uint_ge(nbad, 2);

	/* The shipped defaults parse. */
	strbuf_reset(&errs);
	r = rules_load("data/rules.conf", &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf);
	ck_assert_uint_ge(rules_count(r), 10);
	rules_free(r);

	strbuf_reset(&errs);
	ck_assert_ptr_null(rules_load(TEST_DATA "/rules/no-such-file", &errs));
	ck_assert_ptr_nonnull(strstr(errs.buf, "no-such-file: "));
	/* A directory is said as an input's would be; a device, which would
	 * be read for ever, is given up past 16 MiB. */
	strbuf_reset(&errs);
	ck_assert_ptr_null(rules_load(TEST_DATA "/rules", &errs));
	ck_assert_ptr_nonnull(strstr(errs.buf, "/rules: is a directory\n"));
	strbuf_reset(&errs);
	ck_assert_ptr_null(rules_load("/dev/zero", &errs));
	ck_assert_str_eq(errs.buf, "/dev/zero: larger than 16 MiB: not a rules "
			 "file\n");
	strbuf_free(&errs);
}
END_TEST

START_TEST(test_default_path)
{
	char *p;
	char tmpl[] = "/tmp/check_rules.XXXXXX";
	char *dir, *sub, *file;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	dir = tmpl;
	setenv("XDG_CONFIG_HOME", dir, 1);
	/* Nothing in the user's config: the installed or source-tree file
	 * (the tests run from the top of the tree; a program in a directory
	 * of it finds ../data/rules.conf). */
	p = rules_default_path("tests");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "rules.conf"));
	ck_assert_ptr_null(strstr(p, dir));
	free(p);
	/* Not the current directory's data/rules.conf: only the installed
	 * file, if any. */
	p = rules_default_path("/nonexistent");
	ck_assert(p == NULL || strstr(p, "nonexistent") == NULL);
	ck_assert(p == NULL || strcmp(p, "data/rules.conf") != 0);
	free(p);

	sub = xasprintf("%s/sipsnoop", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	file = xasprintf("%s/rules.conf", sub);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fputs("rule x\n\tseverity ok\n", f);
	fclose(f);
	p = rules_default_path("tests");
	ck_assert_str_eq(p, file);
	free(p);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	free(file);
	free(sub);
	unsetenv("XDG_CONFIG_HOME");
}
END_TEST

/* Every example of the manual page parses: the .EX/.EE blocks with their
 * groff escapes undone. */
START_TEST(test_man_examples)
{
	FILE *f = fopen("man/sipsnoop-rules.5", "r");
	char line[4096];
	struct strbuf ex, errs;
	struct rules *r;
	int in = 0, nblocks = 0;
	size_t i;

	ck_assert_ptr_nonnull(f);
	strbuf_init(&ex);
	strbuf_init(&errs);
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, ".EX", 3) == 0) {
			in = 1;
			strbuf_reset(&ex);
			continue;
		}
		if (strncmp(line, ".EE", 3) == 0) {
			in = 0;
			strbuf_reset(&errs);
			r = rules_parse("man", ex.buf, ex.len, &errs);
			ck_assert_msg(r != NULL, "example %d: %s", nblocks,
				      errs.buf);
			ck_assert_uint_gt(rules_count(r), 0);
			rules_free(r);
			nblocks++;
			continue;
		}
		if (!in)
			continue;
		for (i = 0; line[i] != '\0'; i++) {
			if (line[i] == '\\' && line[i + 1] == 'e') {
				strbuf_addc(&ex, '\\');
				i++;
			} else if (line[i] == '\\' && line[i + 1] == '-') {
				strbuf_addc(&ex, '-');
				i++;
			} else
				strbuf_addc(&ex, line[i]);
		}
	}
	fclose(f);
	ck_assert_int_ge(nblocks, 4);
	strbuf_free(&ex);
	strbuf_free(&errs);
}
END_TEST

/* Conditions, each on a small trace. */

START_TEST(test_kind_method_status)
{
	struct fx f;
	char *log = log_cancel();

	/* Messages: INVITE 100 180 CANCEL 200 487 ACK */
	fx_open(&f, "rule r\n\tkind request\n\tseverity info\n", log, "raw");
	ck_rules(&f, "r--r--r");
	fx_close(&f);

	fx_open(&f, "rule m\n\tmethod INVITE ack\n\tseverity info\n", log,
		"raw");
	ck_rules(&f, "mmm--mm");	/* responses match by CSeq method */
	fx_close(&f);

	fx_open(&f, "rule s\n\tstatus 180, 4xx\n\tseverity info\n", log, "raw");
	ck_rules(&f, "--s--s-");
	fx_close(&f);

	fx_open(&f, "rule s\n\tstatus 100-199\n\tseverity info\n", log, "raw");
	ck_rules(&f, "-ss----");
	fx_close(&f);

	fx_open(&f, "rule p\n\tphase provisional\n\tseverity info\n"
		"rule f\n\tphase final\n\tseverity info\n", log, "raw");
	ck_rules(&f, "-pp-ff-");
	fx_close(&f);

	/* not, and the first matching rule wins. */
	fx_open(&f, "rule x\n\tnot kind request\n\tnot status 1xx\n"
		"\tseverity error\n"
		"rule y\n\tkind response\n\tseverity info\n"
		"rule z\n\tseverity none\n", log, "raw");
	ck_rules(&f, "zyyzxxz");
	ck_assert_int_eq(sev(&f, 4), SEV_ERROR);
	ck_assert_int_eq(sev(&f, 1), SEV_INFO);
	fx_close(&f);
	free(log);
}
END_TEST

START_TEST(test_header_patterns)
{
	struct fx f;
	char *log = log_reg_ok();

	/* REGISTER 401 REGISTER 200 */
	fx_open(&f, "rule h\n\theader www-authenticate\n\tseverity info\n",
		log, "raw");
	ck_rules(&f, "-h--");
	fx_close(&f);

	fx_open(&f, "rule h\n\theader Proxy-Authorization absent\n"
		"\tkind request\n\tseverity info\n", log, "raw");
	ck_rules(&f, "h---");
	fx_close(&f);

	/* Any of the repeated headers may match. */
	fx_open(&f, "rule h\n\theader WWW-Authenticate ~ /^NTLM .*targetname="
		"\"(?<target>[^\"]+)\"/\n\tseverity info\n"
		"\texplain target ${target}\n", log, "raw");
	ck_rules(&f, "-h--");
	ck_explain(&f, 1, "target fe.example.com");
	fx_close(&f);

	fx_open(&f, "rule s\n\tstart-line /^sip\\/2\\.0 (\\d)\\d\\d/i\n"
		"\tseverity info\n\texplain class ${1}xx\n", log, "raw");
	ck_rules(&f, "-s-s");
	ck_explain(&f, 3, "class 2xx");
	fx_close(&f);
	free(log);

	log = log_cancel();
	fx_open(&f, "rule b\n\tbody /^m=(\\w+) (\\d+)/m\n\tseverity info\n"
		"\texplain ${1} on port ${2}\n", log, "raw");
	ck_rules(&f, "b------");
	ck_explain(&f, 0, "audio on port 5004");
	fx_close(&f);
	free(log);
}
END_TEST

START_TEST(test_challenge_outcome_credentials)
{
	struct fx f;
	char *log;
	const char *ctx =
		"rule a\n\tstatus 401\n\tchallenge answered\n\tseverity benign\n"
		"rule u\n\tstatus 401\n\tchallenge unanswered\n\tseverity error\n"
		"rule s\n\toutcome success\n\tseverity ok\n"
		"rule f\n\toutcome failure\n\tseverity error\n"
		"rule n\n\toutcome none\n\tseverity warning\n";

	log = log_reg_ok();
	fx_open(&f, ctx, log, "raw");
	ck_rules(&f, "sass");
	fx_close(&f);
	fx_open(&f, "rule c\n\tcredentials-sent yes\n\tseverity info\n"
		"rule n\n\tcredentials-sent no\n\tseverity info\n", log, "raw");
	ck_rules(&f, "nncc");
	fx_close(&f);
	free(log);

	log = log_reg_rejected();
	fx_open(&f, ctx, log, "raw");
	ck_rules(&f, "faff");
	fx_close(&f);
	fx_open(&f, "rule c\n\tcredentials-sent yes\n\tseverity info\n", log,
		"raw");
	ck_rules(&f, "--cc");
	fx_close(&f);
	free(log);

	/* The ms-diagnostics code, by value or range (4007 on the 403). */
	log = log_reg_rejected();
	fx_open(&f, "rule d\n\tdiagnostics 4000-4006 4007\n\tseverity info\n"
		"rule n\n\tdiagnostics 4005\n\tseverity info\n", log, "raw");
	ck_rules(&f, "---d");
	fx_close(&f);
	free(log);

	/* Cut after the first 401: unanswered, outcome failure. */
	log = log_reg_rejected();
	*strstr(log, "REGISTER sip:example.com SIP/2.0" CRLF
		"Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK1" CRLF
		"From: <sip:alice@example.com>;tag=a1" CRLF
		"To: <sip:alice@example.com>" CRLF
		"Call-ID: reg2" CRLF "CSeq: 2") = '\0';
	fx_open(&f, ctx, log, "raw");
	ck_rules(&f, "fu");
	fx_close(&f);
	free(log);

	/* Cut after the second REGISTER: the challenge was answered, but
	 * the dialog got nothing final for the last attempt. */
	log = log_reg_rejected();
	*strstr(log, "SIP/2.0 403") = '\0';
	fx_open(&f, ctx, log, "raw");
	ck_rules(&f, "nan");
	fx_close(&f);
	free(log);
}
END_TEST

START_TEST(test_cancel_reply_retrans)
{
	struct fx f;
	char *log = log_cancel();

	fx_open(&f, "rule c\n\tafter-cancel yes\n\tseverity benign\n", log,
		"raw");
	/* Only the INVITE's 487 answers a cancelled transaction. */
	ck_rules(&f, "-----c-");
	fx_close(&f);

	fx_open(&f, "rule f\n\treply final\n\tseverity info\n"
		"rule p\n\treply provisional\n\tseverity info\n"
		"rule n\n\treply none\n\tseverity info\n", log, "raw");
	ck_rules(&f, "f--f--n");
	fx_close(&f);
	free(log);

	log = log_busy();
	/* INVITE 486 ACK OPTIONS OPTIONS(same text again) */
	fx_open(&f, "rule r\n\tretransmission yes\n\tseverity warning\n"
		"rule n\n\treply none\n\tnot method ACK\n\tseverity warning\n",
		log, "raw");
	ck_rules(&f, "---nr");
	ck_assert(msgindex_get(engine_index(f.e), 4)->flags & RECF_RETRANS);
	ck_assert(!(msgindex_get(engine_index(f.e), 3)->flags & RECF_RETRANS));
	/* Two logs of the same traffic (two capture points): a copy in the
	 * other file is not a retransmission, a repeat within one is. */
	{
		char *err = NULL;

		engine_free(f.e);
		f.e = engine_new();
		engine_set_rules(f.e, f.r);
		ck_assert_int_eq(engine_add_mem(f.e, "a.log", log, strlen(log),
						"raw", &err), 0);
		ck_assert_int_eq(engine_add_mem(f.e, "b.log", log, strlen(log),
						"raw", &err), 1);
		engine_run(f.e);
		ck_rules(&f, "---nr---nr");
	}
	fx_close(&f);
	free(log);

	/* One capture of both sides of a NAT or port forward (tcpdump -i
	 * any): each message twice, from the same source to the public
	 * address and to the server's; the second copy is no retransmission,
	 * which goes to the same destination. A repeat to the same one is. */
	{
		static const char reg[] =
			"OPTIONS sip:pbx.example.com SIP/2.0\n"
			"Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bKn1\n"
			"From: <sip:alice@example.com>;tag=1\n"
			"To: <sip:pbx.example.com>\nCall-ID: nat-1\n"
			"CSeq: 1 OPTIONS\nContent-Length: 0\n\n";
		struct strbuf sb;

		strbuf_init(&sb);
		strbuf_addf(&sb, "2025/06/02 09:00:00.000000 "
			    "198.51.100.7:5060 -> 203.0.113.1:5060\n%s", reg);
		strbuf_addf(&sb, "2025/06/02 09:00:00.000100 "
			    "198.51.100.7:5060 -> 10.0.0.2:5060\n%s", reg);
		strbuf_addf(&sb, "2025/06/02 09:00:00.500000 "
			    "198.51.100.7:5060 -> 203.0.113.1:5060\n%s", reg);
		log = strbuf_detach(&sb);
		fx_open(&f, "rule r\n\tretransmission yes\n\tseverity "
			"warning\nrule o\n\tseverity info\n", log, "sngrep");
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 3);
		ck_rules(&f, "oor");
		fx_close(&f);
		free(log);
	}

	/* Without a Call-ID nothing says whether a reply came: reply
	 * matches no value. */
	log = xstrdup("OPTIONS sip:x@example.com SIP/2.0" CRLF
		      "CSeq: 1 OPTIONS" CRLF "Content-Length: 0" CRLF CRLF);
	fx_open(&f, "rule n\n\treply none\n\tseverity warning\n"
		"rule f\n\treply final provisional\n\tseverity info\n"
		"rule o\n\tseverity ok\n", log, "raw");
	ck_rules(&f, "o");
	fx_close(&f);
	free(log);
}
END_TEST

/* A CLS log: direction, and a diagnostic event with its own severity. */
static const char cls_head[] =
	"TL_INFO(TF_PROTOCOL) [fe01\\fe01]0A1C.0B2C::07/14/2009-16:12:22.345."
	"000003c1 (SIPStack,SIPAdminLog::TraceProtocolRecord:SIPAdminLog.cpp"
	"(125))$$begin_record\n";

START_TEST(test_direction_diag)
{
	struct fx f;
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_adds(&sb, cls_head);
	strbuf_adds(&sb, "Direction: incoming\nPeer: 10.0.0.9:5061\n"
		    "Message-Type: request\n"
		    "Start-Line: OPTIONS sip:fe01 SIP/2.0\n"
		    "From: <sip:a@example.com>;tag=1\nTo: <sip:fe01>\n"
		    "Call-ID: c1\nCSeq: 1 OPTIONS\nContent-Length: 0\n"
		    "Message-Body: -\n$$end_record\n");
	strbuf_adds(&sb, cls_head);
	strbuf_adds(&sb, "Direction: outgoing\nPeer: 10.0.0.9:5061\n"
		    "Message-Type: response\n"
		    "Start-Line: SIP/2.0 200 OK\n"
		    "From: <sip:a@example.com>;tag=1\nTo: <sip:fe01>;tag=2\n"
		    "Call-ID: c1\nCSeq: 1 OPTIONS\nContent-Length: 0\n"
		    "Message-Body: -\n$$end_record\n");
	strbuf_adds(&sb, "TL_ERROR(TF_DIAG) [fe01\\fe01]0A1C.0B2C::07/14/2009-"
		    "16:12:23.345.000003c2 (SIPStack,SIPAdminLog::Trace"
		    "DiagRecord:SIPAdminLog.cpp(143))$$begin_record\n"
		    "LogType: diagnostic\nSeverity: warning\n"
		    "Text: Routing error occurred\nResult-Code: 0xC3E93C0F\n"
		    "SIP-Call-ID: c1\nSIP-CSeq: 1 OPTIONS\n"
		    "$$end_record\n");
	strbuf_adds(&sb, "TL_ERROR(TF_DIAG) [fe01\\fe01]0A1C.0B2C::07/14/2009-"
		    "16:12:24.345.000003c3 (SIPStack,SIPAdminLog::Trace"
		    "DiagRecord:SIPAdminLog.cpp(143))$$begin_record\n"
		    "Text: Connection dropped\nSIP-Call-ID: c1\n"
		    "$$end_record\n");
	fx_open(&f, "rule i\n\tdirection in\n\tseverity info\n"
		"rule o\n\tdirection out\n\tseverity info\n"
		"rule d\n\tkind diagnostic\n\tseverity log info\n"
		"\texplain ${level}: ${header:Text}$[ (${header:Result-Code})]\n",
		sb.buf, "cls");
	ck_rules(&f, "iodd");
	/* The Severity: field wins over the record's level. */
	ck_assert_int_eq(sev(&f, 2), SEV_WARNING);
	ck_explain(&f, 2, "warning: Routing error occurred (0xC3E93C0F)");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	ck_explain(&f, 3, "TL_ERROR: Connection dropped");
	/* Diagnostics join their dialog and count in its severity. */
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
			 SEV_ERROR);
	fx_close(&f);
	strbuf_free(&sb);
}
END_TEST

START_TEST(test_explain_expansion)
{
	struct fx f;
	char *log = log_busy();

	fx_open(&f, "rule b\n\tstatus 486\n\tseverity error\n"
		"\texplain ${method} ${status} ${reason} from ${from} cseq "
		"${cseq} [${rule}] $$ $[(${diagnostics})]$[ {${header:Nope}}]\n"
		"rule o\n\tmethod OPTIONS\n\tseverity none\n"
		"\texplain $[no ${status} ]left\n",
		log, "raw");
	ck_explain(&f, 1, "INVITE 486 Busy Here from sip:alice@example.com "
		   "cseq 1 [b] $ (Warning 399: Bob is on another call)");
	ck_explain(&f, 3, "left");
	/* No rule, no explanation. */
	ck_explain(&f, 0, "");
	fx_close(&f);
	free(log);
}
END_TEST

/* ${call-id} and ${from} by their length: a NUL in them cut the
 * explanation short. */
START_TEST(test_explain_nul)
{
	static const char log[] =
	    "INVITE sip:bob@example.com SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx\r\n"
	    "From: <sip:a\0b@example.com>;tag=1\r\n"
	    "To: <sip:bob@example.com>\r\nCall-ID: c\0d\r\n"
	    "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
	static const char want[] = "c\0d from sip:a\0b@example.com.";
	struct strbuf errs, sb;
	struct rules *r;
	struct engine *e = engine_new();
	char *err = NULL;

	strbuf_init(&errs);
	strbuf_init(&sb);
	r = parse("rule n\n\tmethod INVITE\n\tseverity info\n"
		  "\texplain ${call-id} from ${from}.\n", &errs);
	ck_assert_msg(r != NULL, "%s", errs.buf);
	engine_set_rules(e, r);
	ck_assert_msg(engine_add_mem(e, "n.sip", log, sizeof log - 1, "raw",
				     &err) >= 0, "%s", err);
	engine_run(e);
	rules_explain(r, e, 0, &sb);
	ck_assert_uint_eq(sb.len, sizeof want - 1);
	ck_assert(memcmp(sb.buf, want, sb.len) == 0);
	strbuf_free(&sb);
	strbuf_free(&errs);
	engine_free(e);
	rules_free(r);
}
END_TEST

/* The default rules on the small traces. */


/* f with the default rules and log, not read yet (engine_step reads it a
 * part at a time, as the viewer does). */
static void
fx_add_default(struct fx *f, const char *log, const char *format)
{
	char *err = NULL;

	f->r = test_default_rules();
	f->e = engine_new();
	engine_set_rules(f->e, f->r);
	ck_assert_msg(engine_add_mem(f->e, "test.log", log, strlen(log),
				     format, &err) >= 0, "%s", err);
}

static void
fx_open_default(struct fx *f, const char *log, const char *format)
{
	fx_add_default(f, log, format);
	engine_run(f->e);
}

/* A diagnostic event of a dialog gets the context of the transaction its
 * SIP-CSeq names: the sample's event about the INVITE that ended 486, and
 * its event about a REGISTER with credentials that failed. */
START_TEST(test_diag_context)
{
	static const char rules[] =
		"rule c\n\tkind diagnostic\n\tcredentials-sent yes\n"
		"\tseverity info\n"
		"rule o\n\tkind diagnostic\n\toutcome failure\n"
		"\tseverity info\n"
		"rule s\n\tkind diagnostic\n\toutcome success\n"
		"\tseverity info\n";
	struct strbuf errs;
	struct fx f;
	char *err = NULL;

	strbuf_init(&errs);
	f.r = rules_parse("test.rules", rules, strlen(rules), &errs);
	ck_assert_msg(f.r != NULL, "rules: %s", errs.buf);
	strbuf_free(&errs);
	f.e = engine_new();
	engine_set_rules(f.e, f.r);
	ck_assert_int_eq(engine_add_file(f.e, "data/sample.cls.log", NULL, &err),
			 0);
	engine_run(f.e);
	ck_assert_uint_eq(msgindex_get(engine_index(f.e), 33)->kind, MSG_DIAG);
	ck_assert_str_eq(rname(&f, 33), "o");	/* INVITE, 486 */
	ck_assert_str_eq(rname(&f, 38), "c");	/* REGISTER, credentials */
	ck_assert_str_eq(rname(&f, 18), "s");	/* the CANCEL, 200 */
	ck_assert_str_eq(rname(&f, 6), "");	/* no Call-ID: no context */
	fx_close(&f);
}
END_TEST

/* Why a 401/407 to credentials challenges again (rechallenge): the
 * handshake's next leg, a stale nonce, credentials reused unasked, another
 * realm, or a refusal. A 401 loop of refusals must not read as expected
 * challenges (they were all benign before). */
START_TEST(test_rechallenge)
{
	static const char rules[] =
		"rule N\n\tkind response\n\tstatus 401 407\n"
		"\trechallenge no\n\tseverity info\n"
		"rule S\n\trechallenge stale\n\tseverity info\n"
		"rule H\n\trechallenge handshake\n\tseverity info\n"
		"rule U\n\trechallenge reused\n\tseverity info\n"
		"rule O\n\trechallenge other-realm\n\tseverity info\n"
		"rule R\n\trechallenge rejected\n\tseverity info\n";
	static const char dg[] = "Authorization: Digest username=\"a\", "
		"realm=\"x\", nonce=\"n\", response=\"1\"" CRLF;
	struct strbuf sb;
	struct fx f;
	char *log;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rc", "1 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "2 REGISTER",
		dg, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rc", "2 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"o\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "3 REGISTER",
		dg, NULL);
	add_msg(&sb, "SIP/2.0 200 OK", "rc", "3 REGISTER", NULL, NULL);
	/* A refresh with the same credentials, unasked. */
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "4 REGISTER",
		dg, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rc", "4 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"p\"" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "5 REGISTER",
		dg, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rc", "5 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"q\", "
		"stale=TRUE" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "6 REGISTER",
		dg, NULL);
	add_msg(&sb, "SIP/2.0 407 Proxy Authentication Required", "rc",
		"6 REGISTER", "Proxy-Authenticate: Digest realm=\"y\", "
		"nonce=\"r\", stale=false" CRLF, NULL);
	/* TLS-DSK: a ClientKeyExchange answered with the server's
	 * ChangeCipherSpec and Finished. */
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rc", "7 REGISTER",
		"Proxy-Authorization: TLS-DSK realm=\"x\", "
		"gssapi-data=\"FgMBAAYQAAACAAA=\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rc", "7 REGISTER",
		"WWW-Authenticate: TLS-DSK realm=\"x\", "
		"gssapi-data=\"FAMBAAEBFgMBAAYUAAACAAA=\"" CRLF, NULL);
	log = strbuf_detach(&sb);
	fx_open(&f, rules, log, "raw");
	ck_rules(&f, "-N-R---U-S-O-H");
	fx_close(&f);
	free(log);
}
END_TEST

START_TEST(test_defaults_small)
{
	struct fx f;
	char *log;
	const struct dialog *d;

	/* A client that opens NTLM and stops at the CHALLENGE has not had
	 * credentials rejected: it left the handshake half way. */
	log = then_client(log_ntlm(0));
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-handshake-opened");
	ck_assert_str_eq(rname(&f, 3), "auth-handshake-abandoned");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	ck_explain(&f, 3, "the client did not go on with the NTLM handshake: "
		   "no REGISTER answered the server's token");
	fx_close(&f);
	free(log);
	/* Answered with the AUTHENTICATE: the CHALLENGE is benign, a 401
	 * to the AUTHENTICATE rejects the credentials. */
	log = log_ntlm(1);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 3), "auth-handshake-ntlm-challenge");
	ck_assert_int_eq(sev(&f, 3), SEV_BENIGN);
	ck_assert_str_eq(rname(&f, 5), "credentials-rejected");
	fx_close(&f);
	free(log);
	/* Registered with Digest, then a refresh sent without credentials
	 * and challenged: a challenge, not credentials rejected. */
	{
		struct strbuf sb;

		strbuf_init(&sb);
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rf",
			"1 REGISTER", NULL, NULL);
		add_msg(&sb, "SIP/2.0 401 Unauthorized", "rf", "1 REGISTER",
			"WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"" CRLF,
			NULL);
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rf",
			"2 REGISTER", "Authorization: Digest username=\"a\", "
			"response=\"1\"" CRLF, NULL);
		add_msg(&sb, "SIP/2.0 200 OK", "rf", "2 REGISTER", NULL, NULL);
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rf",
			"3 REGISTER", NULL, NULL);
		add_msg(&sb, "SIP/2.0 401 Unauthorized", "rf", "3 REGISTER",
			"WWW-Authenticate: Digest realm=\"x\", nonce=\"m\"" CRLF,
			NULL);
		log = then_client(strbuf_detach(&sb));
		fx_open_default(&f, log, "raw");
		ck_assert_str_eq(rname(&f, 5), "auth-challenge-unanswered");
		fx_close(&f);
		free(log);
	}
	/* Answered with a scheme the challenge does not offer. */
	{
		struct strbuf sb;

		strbuf_init(&sb);
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "mm",
			"1 REGISTER", NULL, NULL);
		add_msg(&sb, "SIP/2.0 401 Unauthorized", "mm", "1 REGISTER",
			"WWW-Authenticate: Kerberos realm=\"SIP Communications "
			"Service\"" CRLF, NULL);
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "mm",
			"2 REGISTER", "Proxy-Authorization: NTLM gssapi-data="
			"\"TlRMTVNTUAADAAAAGAAYAA==\"" CRLF, NULL);
		add_msg(&sb, "SIP/2.0 400 Bad Request", "mm", "2 REGISTER",
			NULL, NULL);
		log = strbuf_detach(&sb);
		fx_open_default(&f, log, "raw");
		ck_assert_str_eq(rname(&f, 1), "auth-scheme-not-offered");
		ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
		ck_explain(&f, 1, "the client answered with NTLM credentials, "
			   "which this challenge does not offer (it offers "
			   "Kerberos)");
		fx_close(&f);
		free(log);
	}
	/* Kerberos rejected with the server's reason, NTLM then registers:
	 * that 401 is a warning that names both schemes. */
	log = log_kerberos_fallback();
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_str_eq(rname(&f, 3), "auth-retry-after-rejection");
	ck_assert_int_eq(sev(&f, 3), SEV_WARNING);
	ck_explain(&f, 3, "Kerberos credentials rejected (ms-diagnostics 1000: "
		   "Final handshake failed); the client tried again with NTLM "
		   "and got through");
	ck_assert_str_eq(rname(&f, 5), "auth-handshake-ntlm-challenge");
	ck_assert_str_eq(rname(&f, 7), "success");
	fx_close(&f);
	free(log);

	log = log_reg_ok();
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "Kerberos, NTLM; the client answered with Kerberos "
		   "credentials");
	ck_assert_int_eq(sev(&f, 3), SEV_OK);
	ck_explain(&f, 3, "REGISTER succeeded (authenticated with Kerberos)");
	ck_assert_int_eq(sev(&f, 0), SEV_NONE);
	d = dialogs_get(engine_dialogs(f.e), 0);
	ck_assert_int_eq(d->severity, SEV_OK);
	ck_assert_str_eq(engine_str(f.e, dialogs_auth(engine_dialogs(f.e), d)), "Kerberos");
	fx_close(&f);
	free(log);

	log = log_reg_rejected();
	fx_open_default(&f, log, "raw");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_assert_str_eq(rname(&f, 3), "forbidden-with-reason");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	ck_explain(&f, 3, "REGISTER refused although it carried Digest "
		   "credentials (ms-diagnostics 4007: Wrong password)");
	d = dialogs_get(engine_dialogs(f.e), 0);
	ck_assert_int_eq(d->severity, SEV_ERROR);
	ck_assert_str_eq(engine_str(f.e, dialogs_auth(engine_dialogs(f.e), d)), "Digest");
	fx_close(&f);
	free(log);

	log = log_cancel();
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 5), "cancelled");
	ck_assert_int_eq(sev(&f, 5), SEV_BENIGN);
	ck_assert_int_eq(sev(&f, 1), SEV_INFO);
	ck_assert_int_eq(sev(&f, 4), SEV_OK);
	ck_assert_int_eq(sev(&f, 6), SEV_NONE);	/* ACK */
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
			 SEV_OK);
	fx_close(&f);
	free(log);

	log = log_busy();
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "failure");
	ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
	ck_explain(&f, 1, "INVITE failed: 486 Busy Here (Warning 399: Bob is "
		   "on another call)");
	ck_assert_str_eq(rname(&f, 3), "no-response");
	ck_assert_str_eq(rname(&f, 4), "retransmission");
	ck_assert_int_eq(sev(&f, 4), SEV_WARNING);
	fx_close(&f);
	free(log);
}
END_TEST

/* The REGISTER after a challenge cut short in the log (its end, or a
 * client log's block) before any credentials, or the log ending in the
 * challenge: whether it was answered cannot be told, a warning; it was
 * "client did not answer the challenge ... no REGISTER with credentials
 * followed", an error, though one followed. A
 * cut retry that shows its credentials still answers; a challenge with
 * nothing after it is still unanswered, and so for rules that know only
 * unanswered is one cut. */
/* Appends log to the file at path (mode "w" or "a"). */
static void
awaited_write(const char *path, const char *log, const char *mode)
{
	FILE *fp = fopen(path, mode);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(log, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

/* f: the default rules over the log at path, followed, read as it is;
 * answers awaited for wait_ms (0: the default). */
static void
awaited_open(struct fx *f, const char *path, int wait_ms)
{
	char *err = NULL;

	f->r = test_default_rules();
	f->e = engine_new();
	engine_set_rules(f->e, f->r);
	engine_follow(f->e, 1);
	if (wait_ms > 0)
		engine_set_answer_wait(f->e, wait_ms);
	ck_assert_int_eq(engine_add_file(f->e, path, "raw", &err), 0);
	engine_run(f->e);
}

/* Reads what was appended to f's followed file. */
static void
awaited_poll(struct fx *f)
{
	engine_poll(f->e);
	engine_run(f->e);
}

/* Following a log, a 401 just read is awaiting its answer (info), not the
 * error of an unanswered challenge: a live view flashed every
 * registration red. Answered, it is rated as such; not answered within
 * the wait, it is rated unanswered; once following stops (F) before, as
 * the trace's end left it (trace-end). One the log held before it was
 * followed is not awaited. */
START_TEST(test_defaults_awaited)
{
	static const char ch[] = "WWW-Authenticate: NTLM realm=\"SIP "
		"Communications Service\", targetname=\"fe.example.com\", "
		"version=4" CRLF;
	static const char creds[] = "Proxy-Authorization: NTLM qop=\"auth\", "
		"realm=\"SIP Communications Service\", targetname=\""
		"fe.example.com\", version=4, gssapi-data=\"\"" CRLF;
	char dir[] = "/tmp/check_rules.XXXXXX", path[128];
	struct strbuf reg, ans;
	struct timespec t = { 0, 250 * 1000000L };
	struct fx f;
	int pass;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.log", dir);
	strbuf_init(&reg);
	add_msg(&reg, "REGISTER sip:example.com SIP/2.0", "w1", "1 REGISTER",
		NULL, NULL);
	add_msg(&reg, "SIP/2.0 401 Unauthorized", "w1", "1 REGISTER", ch,
		NULL);
	strbuf_init(&ans);
	add_msg(&ans, "REGISTER sip:example.com SIP/2.0", "w1", "2 REGISTER",
		creds, NULL);
	add_msg(&ans, "SIP/2.0 200 OK", "w1", "2 REGISTER", NULL, NULL);

	/* 0: answered; 1: not in time; 2: following stops. */
	for (pass = 0; pass < 3; pass++) {
		awaited_write(path, "", "w");
		awaited_open(&f, path, pass == 1 ? 200 : 3600 * 1000);
		awaited_write(path, reg.buf, "a");
		awaited_poll(&f);
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
		ck_assert_str_eq(rname(&f, 1), "auth-challenge-awaited");
		ck_assert_int_eq(sev(&f, 1), SEV_INFO);
		ck_explain(&f, 1, "awaiting the client's answer: this challenge "
			   "was just read from a followed input and no "
			   "REGISTER has answered it yet (server offers NTLM)");
		if (pass == 0) {
			awaited_write(path, ans.buf, "a");
			awaited_poll(&f);
			ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 4);
			ck_assert_str_eq(rname(&f, 1),
					 "auth-handshake-opened");
		} else if (pass == 1) {
			nanosleep(&t, NULL);
			awaited_poll(&f);
			ck_assert_str_eq(rname(&f, 1),
					 "auth-challenge-unanswered");
			ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
		} else {
			/* Following stops with the trace ending 1 ms after
			 * it: whether the client answered cannot be told. */
			engine_follow_pause(f.e, 1);
			ck_assert_str_eq(rname(&f, 1),
					 "auth-challenge-trace-end");
			ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
			/* Following again: what was read before waits no
			 * more, nor is it rated otherwise before the trace
			 * goes on. */
			engine_follow_pause(f.e, 0);
			awaited_poll(&f);
			ck_assert_str_eq(rname(&f, 1),
					 "auth-challenge-trace-end");
		}
		fx_close(&f);
	}

	/* In the log before it was followed: unanswered at once. */
	awaited_write(path, reg.buf, "w");
	awaited_open(&f, path, 0);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-unanswered");
	fx_close(&f);

	strbuf_free(&reg);
	strbuf_free(&ans);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* Following a log, a request just read that nothing has answered yet is
 * awaiting its response (severity none), not "no response in the trace"
 * (a warning): --list --follow printed every request so. Answered, it is
 * a request like any other; not within the wait, or once following stops,
 * it has no response; an ACK is never awaited; one the log held before it
 * was followed is not. */
START_TEST(test_defaults_reply_awaited)
{
	char dir[] = "/tmp/check_rules.XXXXXX", path[128];
	struct strbuf req, ok, ack;
	struct timespec t = { 0, 250 * 1000000L };
	struct fx f;
	int pass;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/live.log", dir);
	strbuf_init(&req);
	add_msg(&req, "OPTIONS sip:bob@example.com SIP/2.0", "o1",
		"1 OPTIONS", NULL, NULL);
	strbuf_init(&ok);
	add_msg(&ok, "SIP/2.0 200 OK", "o1", "1 OPTIONS", NULL, NULL);
	strbuf_init(&ack);
	add_msg(&ack, "ACK sip:bob@example.com SIP/2.0", "a1", "1 ACK",
		NULL, NULL);

	/* 0: answered; 1: not in time; 2: following stops. */
	for (pass = 0; pass < 3; pass++) {
		awaited_write(path, "", "w");
		awaited_open(&f, path, pass == 1 ? 200 : 3600 * 1000);
		awaited_write(path, req.buf, "a");
		awaited_write(path, ack.buf, "a");
		awaited_poll(&f);
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
		ck_assert_str_eq(rname(&f, 0), "no-response-awaited");
		ck_assert_int_eq(sev(&f, 0), SEV_NONE);
		ck_explain(&f, 0, "awaiting a response: this OPTIONS was just "
			   "read from a followed input and nothing has "
			   "answered it yet");
		ck_assert_str_eq(rname(&f, 1), "request");
		if (pass == 0) {
			awaited_write(path, ok.buf, "a");
			awaited_poll(&f);
			ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 3);
			ck_assert_str_eq(rname(&f, 0), "request");
		} else if (pass == 1) {
			nanosleep(&t, NULL);
			awaited_poll(&f);
			ck_assert_str_eq(rname(&f, 0), "no-response");
			ck_assert_int_eq(sev(&f, 0), SEV_WARNING);
		} else {
			engine_follow_pause(f.e, 1);
			ck_assert_str_eq(rname(&f, 0), "no-response");
			engine_follow_pause(f.e, 0);
			awaited_poll(&f);
			ck_assert_str_eq(rname(&f, 0), "no-response");
		}
		fx_close(&f);
	}

	/* In the log before it was followed: no response at once. */
	awaited_write(path, req.buf, "w");
	awaited_open(&f, path, 0);
	ck_assert_str_eq(rname(&f, 0), "no-response");
	fx_close(&f);

	strbuf_free(&req);
	strbuf_free(&ok);
	strbuf_free(&ack);
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(test_defaults_answer_cut)
{
	struct fx f;
	struct strbuf sb;
	char *log;
	static const char ch[] = "WWW-Authenticate: NTLM realm=\"SIP "
		"Communications Service\", targetname=\"fe.example.com\", "
		"version=4" CRLF;

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "2 REGISTER",
		NULL, "0123456789012345678901234567890123456789");
	sb.len -= 20;	/* its body (where the log went on) cut short */
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 3);
	ck_assert(msgindex_get(engine_index(f.e), 2)->flags & RECF_TRUNCATED);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answer-cut");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	ck_explain(&f, 1, "the log is cut short before the client's answer "
		   "could show: whether the client answered the challenge "
		   "with a REGISTER cannot be told (server offers NTLM)");
	fx_close(&f);
	free(log);
	/* The log cut in the challenge itself, before its Call-ID and CSeq:
	 * cut too, not a challenge left unanswered, and the explanation
	 * says nothing it cannot know. */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	strbuf_adds(&sb, "SIP/2.0 401 Unauthorized" CRLF "Via: SIP/2.0/UDP "
		    "10.0.0.1" CRLF);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
	ck_assert(msgindex_get(engine_index(f.e), 1)->flags & RECF_TRUNCATED);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answer-cut");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	ck_explain(&f, 1, "the log is cut short before the client's answer "
		   "could show: whether the client answered the challenge "
		   "cannot be told");
	fx_close(&f);
	free(log);
	/* Rules that know only unanswered see it so. */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "2 REGISTER",
		NULL, "0123456789012345678901234567890123456789");
	sb.len -= 20;
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open(&f, "rule c\n\tstatus 401\n\tchallenge cut\n\tseverity "
		"warning\nrule u\n\tstatus 401\n\tchallenge unanswered\n"
		"\tseverity error\n", log, "raw");
	ck_assert_str_eq(rname(&f, 1), "c");
	fx_close(&f);
	fx_open(&f, "rule u\n\tstatus 401\n\tchallenge unanswered\n"
		"\tseverity error\n", log, "raw");
	ck_assert_str_eq(rname(&f, 1), "u");
	fx_close(&f);
	free(log);
	/* Cut after its credentials: answered, as before. */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "2 REGISTER",
		"Proxy-Authorization: NTLM qop=\"auth\", realm=\"SIP "
		"Communications Service\", targetname=\"fe.example.com\", "
		"version=4, gssapi-data=\"\"" CRLF,
		"0123456789012345678901234567890123456789");
	sb.len -= 20;
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-handshake-opened");
	fx_close(&f);
	free(log);
	/* The log ends in the challenge itself: cut too. */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		"0123456789012345678901234567890123456789");
	sb.len -= 20;
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert(msgindex_get(engine_index(f.e), 1)->flags & RECF_TRUNCATED);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answer-cut");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	fx_close(&f);
	free(log);
	/* A keep-alive the log ends in is still a keep-alive left
	 * unanswered (benign), and credentials refused before a cut retry
	 * are still refused: the rules about them come first. */
	strbuf_init(&sb);
	add_msg(&sb, "OPTIONS sip:example.com SIP/2.0", "ka", "1 OPTIONS",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "ka", "1 OPTIONS",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"" CRLF,
		"0123456789012345678901234567890123456789");
	sb.len -= 20;
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-keepalive-unanswered");
	fx_close(&f);
	free(log);
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rj", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rj", "1 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"" CRLF,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rj", "2 REGISTER",
		"Authorization: Digest username=\"a\", realm=\"x\", "
		"nonce=\"n\", response=\"1\"" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "rj", "2 REGISTER",
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"m\"" CRLF,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rj", "3 REGISTER",
		NULL, "0123456789012345678901234567890123456789");
	sb.len -= 20;
	sb.buf[sb.len] = '\0';
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_str_eq(rname(&f, 3), "credentials-rejected");
	fx_close(&f);
	free(log);
	/* Nothing after it, whole: the trace ends after the challenge, and
	 * whether the client answered cannot be told either (it was
	 * "unanswered", an error). */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-trace-end");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	fx_close(&f);
	free(log);
	/* Something of its client after it (another REGISTER, without
	 * credentials, on another Call-ID): it came back without
	 * answering, unanswered. */
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "cut", "1 REGISTER", ch,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "cut2", "1 REGISTER",
		NULL, NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-unanswered");
	ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
	fx_close(&f);
	free(log);
}
END_TEST

/* A keep-alive a server challenges and the client leaves unanswered: not
 * a failure (clients do not authenticate OPTIONS pings, and the 401 shows
 * the server is up); a real request left so stays an error. */
START_TEST(test_defaults_keepalive)
{
	struct fx f;
	struct strbuf sb;
	char *log;
	static const char ch[] = "WWW-Authenticate: Digest realm=\"x\", "
		"nonce=\"n\"" CRLF;

	strbuf_init(&sb);
	add_msg(&sb, "OPTIONS sip:example.com SIP/2.0", "ka", "1 OPTIONS",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "ka", "1 OPTIONS", ch, NULL);
	add_msg(&sb, "SUBSCRIBE sip:example.com SIP/2.0", "sub", "1 SUBSCRIBE",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "sub", "1 SUBSCRIBE", ch,
		NULL);
	add_msg(&sb, "MESSAGE sip:example.com SIP/2.0", "im", "1 MESSAGE",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 407 Proxy Authentication Required", "im",
		"1 MESSAGE", "Proxy-Authenticate: Digest realm=\"x\", "
		"nonce=\"n\"" CRLF, NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-keepalive-unanswered");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_explain(&f, 1, "OPTIONS keep-alive challenged and not answered: "
		   "expected, clients do not authenticate keep-alives, and the "
		   "401 shows the server is reachable (it offers Digest)");
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
			 SEV_BENIGN);
	ck_assert_str_eq(rname(&f, 3), "auth-challenge-unanswered");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	/* The last, the trace ending after it: cannot be told. */
	ck_assert_str_eq(rname(&f, 5), "auth-challenge-trace-end");
	ck_assert_int_eq(sev(&f, 5), SEV_WARNING);
	fx_close(&f);
	free(log);
	/* A 401 that offers nothing (no WWW-Authenticate) says no empty
	 * list: it read 'reachable (it offers )'. */
	strbuf_init(&sb);
	add_msg(&sb, "OPTIONS sip:example.com SIP/2.0", "ka", "1 OPTIONS",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "ka", "1 OPTIONS", NULL,
		NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-keepalive-unanswered");
	ck_explain(&f, 1, "OPTIONS keep-alive challenged and not answered: "
		   "expected, clients do not authenticate keep-alives, and the "
		   "401 shows the server is reachable");
	fx_close(&f);
	free(log);
}
END_TEST

/* Digest credentials computed with MD5 to a challenge that offers SHA-256
 * only (RFC 8760): the algorithm, not the password, is the problem. */
static char *
log_md5_to_sha256(int then_sha256, const char *offer, const char *cred)
{
	struct strbuf sb;
	char ch[160], cr[160];

	snprintf(ch, sizeof ch, "WWW-Authenticate: Digest realm=\"x\", "
		 "nonce=\"n\", %s" CRLF, offer);
	snprintf(cr, sizeof cr, "Authorization: Digest username=\"a\", "
		 "realm=\"x\", nonce=\"n\", %sresponse=\"1\"" CRLF, cred);
	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "alg", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "alg", "1 REGISTER", ch,
		NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "alg", "2 REGISTER",
		cr, NULL);
	add_msg(&sb, "SIP/2.0 401 Unauthorized", "alg", "2 REGISTER", ch,
		NULL);
	if (then_sha256) {
		add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "alg",
			"3 REGISTER", "Authorization: Digest username=\"a\", "
			"realm=\"x\", nonce=\"n\", algorithm=SHA-256, "
			"response=\"1\"" CRLF, NULL);
		add_msg(&sb, "SIP/2.0 200 OK", "alg", "3 REGISTER", NULL, NULL);
	}
	return strbuf_detach(&sb);
}

START_TEST(test_defaults_algorithm)
{
	struct fx f;
	char *log;
	static const char old_rules[] =
		"rule r\n\tkind response\n\trechallenge rejected\n"
		"\tseverity error\n"
		"rule a\n\tkind response\n\tchallenge answered\n"
		"\tseverity benign\n";

	log = log_md5_to_sha256(0, "algorithm=SHA-256", "");
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-algorithm-not-offered");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	ck_explain(&f, 1, "the client answered with Digest MD5 credentials, "
		   "an algorithm this challenge does not offer (it offers "
		   "SHA-256)");
	ck_assert_str_eq(rname(&f, 3), "auth-algorithm-refused");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	ck_explain(&f, 3, "REGISTER refused: its Digest credentials use MD5, "
		   "an algorithm the server does not offer (it asks for "
		   "SHA-256): the client lacks what the server requires "
		   "(RFC 8760), not a wrong password");
	fx_close(&f);
	/* A rules file that knows no "algorithm": still "rejected", and
	 * still "answered". */
	fx_open(&f, old_rules, log, "raw");
	ck_rules(&f, "-a-r");
	fx_close(&f);
	free(log);

	/* MD5 first, then SHA-256, which gets through. */
	log = log_md5_to_sha256(1, "algorithm=SHA-256", "algorithm=MD5-sess, ");
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-algorithm-not-offered");
	ck_assert_str_eq(rname(&f, 3), "auth-algorithm-retried");
	ck_assert_int_eq(sev(&f, 3), SEV_WARNING);
	ck_explain(&f, 3, "the server refused Digest credentials using MD5-sess, "
		   "an algorithm it does not offer (it asks for SHA-256); the "
		   "client tried again with SHA-256 and got through");
	ck_assert_str_eq(rname(&f, 5), "success");
	fx_close(&f);
	free(log);

	/* MD5 offered too (SHA-256 first, RFC 8760): MD5 answers it, and a
	 * refusal is a refusal of the credentials. */
	log = log_md5_to_sha256(0, "algorithm=SHA-256" CRLF
				"WWW-Authenticate: Digest realm=\"x\", "
				"nonce=\"n\", algorithm=MD5", "algorithm=MD5, ");
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_str_eq(rname(&f, 3), "credentials-rejected");
	fx_close(&f);
	free(log);
	/* SHA-256 offered, the client answers with SHA-256: refused, the
	 * credentials are. */
	log = log_md5_to_sha256(0, "algorithm=SHA-256", "algorithm=SHA-256, ");
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_str_eq(rname(&f, 3), "credentials-rejected");
	fx_close(&f);
	free(log);
}
END_TEST

/* A REGISTER of user on Call-ID cid, in sngrep text at second sec from
 * src to the registrar; auth is its credentials header or NULL. */
static void
add_sng_reg(struct strbuf *sb, double sec, const char *src, const char *user,
	    const char *cid, int cseq, const char *auth)
{
	struct strbuf m;
	char cs[32];

	strbuf_init(&m);
	snprintf(cs, sizeof cs, "%d REGISTER", cseq);
	strbuf_addf(&m, "REGISTER sip:example.com SIP/2.0" CRLF
		    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s%d" CRLF
		    "From: <sip:%s@example.com>;tag=f1" CRLF
		    "To: <sip:%s@example.com>" CRLF "Call-ID: %s" CRLF
		    "CSeq: %s" CRLF "%s" "Content-Length: 0" CRLF CRLF,
		    src, cid, cseq, user, user, cid, cs,
		    auth != NULL ? auth : "");
	strbuf_addf(sb, "2025/06/02 09:%02d:%09.6f %s -> 10.0.0.2:5060\n%s\n\n",
		    (int)(sec / 60), sec - 60 * (int)(sec / 60), src, m.buf);
	strbuf_free(&m);
}

/* Its answer, back to dst. */
static void
add_sng_resp(struct strbuf *sb, double sec, const char *dst, const char *user,
	     const char *cid, int cseq, const char *status, const char *extra)
{
	strbuf_addf(sb, "2025/06/02 09:%02d:%09.6f 10.0.0.2:5060 -> %s\n"
		    "SIP/2.0 %s" CRLF "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s%d" CRLF
		    "From: <sip:%s@example.com>;tag=f1" CRLF
		    "To: <sip:%s@example.com>;tag=t1" CRLF "Call-ID: %s" CRLF
		    "CSeq: %d REGISTER" CRLF "%s" "Content-Length: 0" CRLF CRLF
		    "\n\n", (int)(sec / 60), sec - 60 * (int)(sec / 60), dst,
		    status, dst, cid, cseq, user, user, cid, cseq,
		    extra != NULL ? extra : "");
}

#define NEWCID_CH "WWW-Authenticate: Digest realm=\"example.com\", " \
	"nonce=\"n1\", algorithm=MD5" CRLF
#define NEWCID_CR "Authorization: Digest username=\"alice\", " \
	"realm=\"example.com\", nonce=\"n1\", response=\"1\"" CRLF

/* REGISTER, 401 on one Call-ID; the retry with credentials on another
 * (user2, src2, after dt seconds, credentials cr), and its answer st. */
static char *
log_new_call_id(const char *user2, const char *src2, double dt,
		const char *cr, const char *st, const char *st_extra)
{
	struct strbuf sb;

	strbuf_init(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "nc-a", 1, NULL);
	add_sng_resp(&sb, 0.002, "10.0.0.1:5060", "alice", "nc-a", 1,
		     "401 Unauthorized", NEWCID_CH);
	add_sng_reg(&sb, 0.002 + dt, src2, user2, "nc-b", 1, cr);
	if (st != NULL)
		add_sng_resp(&sb, 0.004 + dt, src2, user2, "nc-b", 1, st,
			     st_extra);
	return strbuf_detach(&sb);
}

START_TEST(test_defaults_new_call_id)
{
	struct fx f;
	char *log;
	static const struct {
		const char *user, *src;
		double dt;
		const char *cr;
	} nolink[] = {
		{ "bob", "10.0.0.1:5060", 0.02, NEWCID_CR },	/* another user */
		{ "alice", "10.0.0.9:5060", 0.02, NEWCID_CR },	/* another host */
		{ "alice", "10.0.0.1:5060", 40, NEWCID_CR },	/* too late */
		/* In the header a 401 does not ask for. */
		{ "alice", "10.0.0.1:5060", 0.02, "Proxy-Authorization: Digest "
		  "realm=\"example.com\", nonce=\"n1\", response=\"1\"" CRLF },
		/* For another nonce, or another realm. */
		{ "alice", "10.0.0.1:5060", 0.02, "Authorization: Digest "
		  "realm=\"example.com\", nonce=\"zz\", response=\"1\"" CRLF },
		{ "alice", "10.0.0.1:5060", 0.02, "Authorization: Digest "
		  "realm=\"other.net\", nonce=\"n1\", response=\"1\"" CRLF },
		/* A scheme the challenge does not offer. */
		{ "alice", "10.0.0.1:5060", 0.02, "Authorization: NTLM "
		  "gssapi-data=\"TlRMTVNTUAADAAAAGAAYAA==\"" CRLF },
	};
	size_t i;

	/* The retry on a new Call-ID (another port: a new connection)
	 * answers the challenge. */
	log = log_new_call_id("alice", "10.0.0.1:5072", 0.02, NEWCID_CR,
			      "200 OK", NULL);
	fx_open_default(&f, log, "sngrep");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 4);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "Digest; the client answered with Digest credentials in a "
		   "new REGISTER dialog (Call-ID nc-b)");
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
			 SEV_BENIGN);
	ck_assert_str_eq(rname(&f, 3), "success");
	fx_close(&f);
	free(log);

	/* The retry refused: its 401 refuses credentials asked for (not
	 * reused ones), and the first challenge was still answered. */
	log = log_new_call_id("alice", "10.0.0.1:5060", 0.02, NEWCID_CR,
			      "401 Unauthorized", NEWCID_CH);
	fx_open_default(&f, log, "sngrep");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_assert_str_eq(rname(&f, 3), "credentials-rejected");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	fx_close(&f);
	free(log);

	/* Merged with a second log that has the same challenge (the
	 * server's and the client's): both copies are answered. */
	log = log_new_call_id("alice", "10.0.0.1:5060", 0.02, NEWCID_CR,
			      "200 OK", NULL);
	{
		struct strbuf sb;
		char *err = NULL;
		char *two;

		strbuf_init(&sb);
		add_sng_resp(&sb, 0.002, "10.0.0.1:5060", "alice", "nc-a", 1,
			     "401 Unauthorized", NEWCID_CH);
		two = strbuf_detach(&sb);
		f.r = test_default_rules();
		f.e = engine_new();
		engine_set_rules(f.e, f.r);
		ck_assert_int_ge(engine_add_mem(f.e, "one.log", log,
						strlen(log), "sngrep", &err), 0);
		ck_assert_int_ge(engine_add_mem(f.e, "two.log", two,
						strlen(two), "sngrep", &err), 0);
		engine_run(f.e);
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 5);
		ck_rules(&f, "raars");
		ck_assert_str_eq(rname(&f, 2),
				 "auth-challenge-answered-new-call-id");
		ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
				 SEV_BENIGN);
		fx_close(&f);
		free(two);
	}
	free(log);

	for (i = 0; i < sizeof nolink / sizeof nolink[0]; i++) {
		log = log_new_call_id(nolink[i].user, nolink[i].src,
				      nolink[i].dt, nolink[i].cr, "200 OK",
				      NULL);
		fx_open_default(&f, log, "sngrep");
		ck_assert_msg(strcmp(rname(&f, 1),
				     "auth-challenge-unanswered") == 0,
			      "%zu: %s", i, rname(&f, 1));
		ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
		fx_close(&f);
		free(log);
	}
}
END_TEST

/* Indexed a message at a time, as the viewer does: a challenge the trace
 * read so far ends with is rated so, and again once the trace goes on
 * past it (40 s later), though its own dialog did not grow: unanswered.
 * A merge of the same builds its dialogs again: the same. */
START_TEST(test_trace_end_incremental)
{
	struct fx f;
	char *path = xasprintf("%s/auth/unanswered-trace-goes-on.sngrep.txt",
			       TEST_DATA), *err = NULL;
	size_t i;

	f.r = test_default_rules();
	f.e = engine_new();
	engine_set_rules(f.e, f.r);
	ck_assert_int_ge(engine_add_file(f.e, path, NULL, &err), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(engine_step(f.e, 1), 1);
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-trace-end");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	while (engine_step(f.e, 1))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 4);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-unanswered");
	ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 0)->severity,
			 SEV_ERROR);
	fx_close(&f);
	free(path);

	/* Its client comes back 20 ms later, without answering: another
	 * user from its address (0), or its user from another (1). */
	for (i = 0; i < 2; i++) {
		char *log = log_new_call_id(i == 0 ? "bob" : "alice",
					    i == 0 ? "10.0.0.1:5060" :
					    "10.0.0.9:5060", 0.02, NULL,
					    "200 OK", NULL);

		fx_add_default(&f, log, "sngrep");
		ck_assert_int_eq(engine_step(f.e, 1), 1);
		ck_assert_int_eq(engine_step(f.e, 1), 1);
		ck_assert_str_eq(rname(&f, 1), "auth-challenge-trace-end");
		while (engine_step(f.e, 1))
			;
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 4);
		ck_assert_msg(strcmp(rname(&f, 1),
				     "auth-challenge-unanswered") == 0,
			      "%zu: %s", i, rname(&f, 1));
		fx_close(&f);
		free(log);
	}
}
END_TEST

/* An OPTIONS from 10.0.0.7 to 10.0.0.8 at second sec, in sngrep text: a
 * message of neither end of add_sng_reg's REGISTERs. */
static void
add_sng_other(struct strbuf *sb, double sec)
{
	strbuf_addf(sb, "2025/06/02 09:%02d:%09.6f 10.0.0.7:5060 -> "
		    "10.0.0.8:5060\nOPTIONS sip:10.0.0.8 SIP/2.0" CRLF
		    "Via: SIP/2.0/UDP 10.0.0.7:5060;branch=z9hG4bKo" CRLF
		    "From: <sip:mon@example.com>;tag=m1" CRLF
		    "To: <sip:10.0.0.8>" CRLF "Call-ID: other" CRLF
		    "CSeq: 1 OPTIONS" CRLF "Content-Length: 0" CRLF CRLF "\n\n",
		    (int)(sec / 60), sec - 60 * (int)(sec / 60));
}

/* A request nothing answered, the trace ending soon after it: whether a
 * response came cannot be told (no-response-trace-end), as for a
 * challenge. The trace going on 32 seconds past it, or the end it went to
 * seen again without answering, leaves it without a response. Indexed a
 * message at a time, it has none while the log is read (the response may
 * be next), and is rated again once the log is read, though its own
 * dialog did not grow. */
START_TEST(test_reply_trace_end)
{
	static const char why[] = "no response to this REGISTER before the "
		"trace ends, less than 32 seconds after it: whether one came "
		"cannot be told";
	struct strbuf sb;
	struct fx f;
	int i;

	strbuf_init(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "r1", 1, NULL);
	add_sng_other(&sb, 5);
	fx_open_default(&f, sb.buf, "sngrep");
	ck_assert_str_eq(rname(&f, 0), "no-response-trace-end");
	ck_assert_int_eq(sev(&f, 0), SEV_WARNING);
	ck_explain(&f, 0, why);
	fx_close(&f);

	/* 40 seconds on: no response. */
	strbuf_reset(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "r1", 1, NULL);
	add_sng_other(&sb, 40);
	fx_open_default(&f, sb.buf, "sngrep");
	ck_assert_str_eq(rname(&f, 0), "no-response");
	ck_assert_str_eq(rname(&f, 1), "no-response-trace-end");
	fx_close(&f);

	/* The registrar answers another client a second later. */
	strbuf_reset(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "r1", 1, NULL);
	add_sng_resp(&sb, 1, "10.0.0.9:5060", "bob", "r2", 1, "200 OK", NULL);
	fx_open_default(&f, sb.buf, "sngrep");
	ck_assert_str_eq(rname(&f, 0), "no-response");
	fx_close(&f);

	/* A message at a time: the trace ends 5 and 40 seconds after. */
	for (i = 0; i < 2; i++) {
		strbuf_reset(&sb);
		add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "r1", 1, NULL);
		add_sng_other(&sb, i == 0 ? 5 : 40);
		fx_add_default(&f, sb.buf, "sngrep");
		ck_assert_int_eq(engine_step(f.e, 1), 1);
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 1);
		ck_assert_str_eq(rname(&f, 0), "no-response");
		while (engine_step(f.e, 1))
			;
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
		ck_assert_str_eq(rname(&f, 0), i == 0 ?
				 "no-response-trace-end" : "no-response");
		ck_assert_int_eq(sev(&f, 0), SEV_WARNING);
		fx_close(&f);
	}
	strbuf_free(&sb);
}
END_TEST

/* Indexed a message at a time, as the viewer does: the challenge is
 * rated (and explained, and reported) again when the retry on the new
 * Call-ID comes, though its own dialog did not grow. */
START_TEST(test_new_call_id_incremental)
{
	struct fx f;
	char *log;
	struct regreport rr;
	size_t i;

	log = log_new_call_id("alice", "10.0.0.1:5060", 0.02, NEWCID_CR,
			      "200 OK", NULL);
	fx_add_default(&f, log, "sngrep");
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(engine_step(f.e, 1), 1);
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 2);
	/* The trace read so far ends with it. */
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-trace-end");
	ck_explain(&f, 1, "outcome unknown: the trace ends during "
		   "authentication, less than 32 seconds after this challenge "
		   "(server offers Digest): whether the client answered it "
		   "with a REGISTER cannot be told");
	regreport_build(f.e, f.r, &rr);
	ck_assert_uint_eq(rr.n, 1);
	ck_assert_int_eq(rr.v[0].severity, SEV_WARNING);
	ck_assert_str_eq(rr.v[0].explain, "outcome unknown: the trace ends "
			 "during authentication, less than 32 seconds after "
			 "this challenge (server offers Digest): whether the "
			 "client answered it with a REGISTER cannot be told");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 0), NO_DIALOG);
	while (engine_step(f.e, 1))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 4);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "Digest; the client answered with Digest credentials in a "
		   "new REGISTER dialog (Call-ID nc-b)");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), 0);
	ck_assert_uint_eq(rules_answered_dialog(f.e, 0), NO_DIALOG);
	/* The report, brought up to date with the messages since: the
	 * first registration's line too. */
	regreport_update(f.e, f.r, &rr, 2);
	ck_assert_uint_eq(rr.n, 2);
	ck_assert_int_eq(rr.v[0].severity, SEV_BENIGN);
	ck_assert_str_eq(rr.v[0].explain, "expected authentication challenge: "
			 "server offers Digest; the client answered with Digest "
			 "credentials in a new REGISTER dialog (Call-ID nc-b)");
	ck_assert_int_eq(rr.v[1].severity, SEV_OK);
	ck_assert_str_eq(rr.v[1].explain, "registered with Digest, answering "
			 "the challenge of Call-ID nc-a");
	regreport_free(&rr);
	fx_close(&f);
	free(log);
}
END_TEST

/* As test_new_call_id_incremental, its first dialog long enough for
 * rules_explain to keep its context: the retry on a new Call-ID changes
 * that context without the dialog growing, and rating it again makes
 * rules_explain work it out again. */
START_TEST(test_explain_rerated)
{
	struct fx f;
	struct strbuf sb;
	size_t held;
	uint64_t before, after;
	int i;

	strbuf_init(&sb);
	for (i = 0; i < 32; i++) {
		add_sng_reg(&sb, i * 0.01, "10.0.0.1:5060", "alice", "nc-a",
			    i + 1, NULL);
		add_sng_resp(&sb, i * 0.01 + 0.002, "10.0.0.1:5060", "alice",
			     "nc-a", i + 1, "200 OK", NULL);
	}
	add_sng_reg(&sb, 1, "10.0.0.1:5060", "alice", "nc-a", 33, NULL);
	add_sng_resp(&sb, 1.002, "10.0.0.1:5060", "alice", "nc-a", 33,
		     "401 Unauthorized", NEWCID_CH);
	add_sng_reg(&sb, 1.022, "10.0.0.1:5060", "alice", "nc-b", 1,
		    NEWCID_CR);
	add_sng_resp(&sb, 1.024, "10.0.0.1:5060", "alice", "nc-b", 1,
		     "200 OK", NULL);
	fx_add_default(&f, sb.buf, "sngrep");
	ck_assert_int_eq(engine_step(f.e, 66), 1);
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 66);
	ck_assert_str_eq(rname(&f, 65), "auth-challenge-trace-end");
	ck_explain(&f, 65, "outcome unknown: the trace ends during "
		   "authentication, less than 32 seconds after this challenge "
		   "(server offers Digest): whether the client answered it "
		   "with a REGISTER cannot be told");
	rules_explain_counts(f.r, &held, &before);
	ck_assert_uint_eq(held, 66);
	while (engine_step(f.e, 1))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 68);
	ck_assert_uint_eq(dialogs_get(engine_dialogs(f.e), 0)->nmsgs, 66);
	ck_assert_str_eq(rname(&f, 65), "auth-challenge-answered-new-call-id");
	ck_explain(&f, 65, "expected authentication challenge: server offers "
		   "Digest; the client answered with Digest credentials in a "
		   "new REGISTER dialog (Call-ID nc-b)");
	rules_explain_counts(f.r, &held, &after);
	ck_assert_uint_eq(after, before + 1);
	fx_close(&f);
	strbuf_free(&sb);
}
END_TEST

/* A challenge answered in its own dialog is no challenge left for a new
 * Call-ID to answer, also when it was rated while still unanswered (the
 * viewer rates between messages): a re-registration on a new Call-ID
 * soon after, reusing the nonce, was taken for its retry ('answering the
 * challenge of Call-ID nc-a'), which reading the whole log does not do. */
START_TEST(test_new_call_id_answered_before)
{
	struct fx f, g;
	struct strbuf sb;
	char *log;
	size_t i, n;

	strbuf_init(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "nc-a", 1, NULL);
	add_sng_resp(&sb, 0.002, "10.0.0.1:5060", "alice", "nc-a", 1,
		     "401 Unauthorized", NEWCID_CH);
	add_sng_reg(&sb, 0.01, "10.0.0.1:5060", "alice", "nc-a", 2,
		    NEWCID_CR);
	add_sng_resp(&sb, 0.012, "10.0.0.1:5060", "alice", "nc-a", 2,
		     "200 OK", NULL);
	add_sng_reg(&sb, 0.5, "10.0.0.1:5072", "alice", "nc-b", 1, NEWCID_CR);
	add_sng_resp(&sb, 0.502, "10.0.0.1:5072", "alice", "nc-b", 1,
		     "200 OK", NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&g, log, "sngrep");
	n = msgindex_count(engine_index(g.e));
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(rules_answered_dialog(g.e, 1), NO_DIALOG);
	fx_add_default(&f, log, "sngrep");
	while (engine_step(f.e, 1))
		;
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(rname(&f, (uint32_t)i), rname(&g, (uint32_t)i));
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), NO_DIALOG);
	fx_close(&f);
	fx_close(&g);
	free(log);
}
END_TEST

/* Fixture traces: every 401/407 answered by a retry (in its dialog or on a
 * new Call-ID) is benign, every final failure that is not an answered
 * challenge or a 487 after CANCEL is an error, and a dialog that ends in
 * success has no error. */
START_TEST(test_defaults_fixtures)
{
	static const char *const pats[] = {
		TEST_DATA "/*.cls.log", TEST_DATA "/*.uccapilog",
		TEST_DATA "/*.raw.sip", TEST_DATA "/*.sngrep.txt",
	};
	struct rules *r = test_default_rules();
	glob_t g;
	size_t p, i, k, nfiles = 0, n401 = 0;
	char *err;

	for (p = 0; p < sizeof pats / sizeof pats[0]; p++) {
		if (glob(pats[p], 0, NULL, &g) != 0)
			continue;
		for (i = 0; i < g.gl_pathc; i++) {
			struct engine *e = engine_new();
			struct msgindex *ix;
			struct dialogs *ds;
			const char *path = g.gl_pathv[i];

			err = NULL;
			engine_set_rules(e, r);
			ck_assert_msg(engine_add_file(e, path, NULL, &err) >= 0,
				      "%s", err);
			engine_run(e);
			nfiles++;
			ix = engine_index(e);
			ds = engine_dialogs(e);
			for (k = 0; k < msgindex_count(ix); k++) {
				const struct msg *m = msgindex_get(ix, (uint32_t)k);
				const char *rn = rules_rule_name(r, m->rule);

				if (m->kind != MSG_RESPONSE ||
				    (m->flags & RECF_RETRANS))
					continue;
				if (m->status == 401 || m->status == 407)
					n401++;
				if ((m->status == 401 || m->status == 407) &&
				    (strcmp(rn, "auth-challenge-answered") == 0 ||
				     strcmp(rn, "auth-challenge-answered-new-"
					    "call-id") == 0 ||
				     strncmp(rn, "auth-handshake-", 15) == 0) &&
				    strcmp(rn, "auth-handshake-abandoned") != 0) {
					ck_assert_msg(m->severity == SEV_BENIGN,
						      "%s: %zu", path, k);
					continue;
				}
				if (m->status == 487 &&
				    strcmp(rn, "cancelled") == 0)
					continue;
				/* Credentials only long after: another try. */
				if (strcmp(rn, "auth-challenge-answered-late") ==
				    0) {
					ck_assert_msg(m->severity == SEV_WARNING,
						      "%s: %zu", path, k);
					continue;
				}
				/* A challenge the trace ends after. */
				if (strcmp(rn, "auth-challenge-trace-end") ==
				    0) {
					ck_assert_msg(m->severity == SEV_WARNING,
						      "%s: %zu", path, k);
					continue;
				}
				/* A keep-alive's challenge left unanswered. */
				if (strcmp(rn, "auth-keepalive-unanswered") == 0) {
					ck_assert_msg(m->severity == SEV_BENIGN,
						      "%s: %zu", path, k);
					continue;
				}
				if (m->status >= 300)
					ck_assert_msg(m->severity == SEV_ERROR ||
						      m->status < 400,
						      "%s: message %zu (%u) is %s",
						      path, k, m->status,
						      severity_name(m->severity));
			}
			for (k = 0; k < dialogs_count(ds); k++) {
				const struct dialog *d =
					dialogs_get(ds, (uint32_t)k);

				size_t j;
				int later = 0;

				/* A dialog that succeeded is no error, unless
				 * a later transaction failed (a refresh
				 * refused): never for its challenges. */
				for (j = 0; j < d->nmsgs; j++) {
					const struct msg *m = msgindex_get(ix,
					    dialogs_msgs(engine_dialogs(e),
							 d)[j]);

					later |= m->kind == MSG_RESPONSE &&
					    m->severity == SEV_ERROR &&
					    m->status >= 300 &&
					    m->status != 401 &&
					    m->status != 407;
				}
				if (d->outcome >= 200 && d->outcome < 300 &&
				    !later)
					ck_assert_msg(d->severity != SEV_ERROR,
						      "%s: dialog %zu", path, k);
			}
			engine_free(e);
		}
		globfree(&g);
	}
	rules_free(r);
	/* Runs only once the reader fixtures exist. */
	if (nfiles > 0)
		ck_assert_uint_gt(n401, 0);
}
END_TEST

/* Rating a dialog reads its messages again, far behind the indexing of a
 * large log: the pages they are on are given back again after each
 * rating (a page cache of large folios maps 2 MiB for one message), so
 * the log's mapping stays small while 24 MB are indexed. It grew with
 * the log before (107 MiB of peak RSS for a 100 MB log), and reading all
 * the messages through (a listing, a search) kept all of it. */
START_TEST(test_reread_pages_given_back)
{
	char dir[64], *path, *tmpl, *err = NULL;
	const char *at, *eol, *end;
	struct rules *r = test_default_rules();
	struct engine *e;
	size_t n, k, copies = 3300;
	long rss, most = 0;
	FILE *f;

	test_mkdtemp(dir, "reread");
	tmpl = test_slurp(TEST_DATA "/remote-ntlm.cls.log", &n);
	ck_assert(tmpl != NULL && n > 0);
	path = xasprintf("%s/big.log", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	/* Each copy a registration of its own: its Call-IDs end in -k. */
	for (k = 0; k < copies; k++) {
		for (at = tmpl, end = tmpl + n; at < end; at = eol) {
			eol = memchr(at, '\n', (size_t)(end - at));
			eol = eol != NULL ? eol + 1 : end;
			if ((size_t)(eol - at) > 9 && memcmp(at, "Call-ID: ", 9) == 0)
				fprintf(f, "%.*s-%zu\n", (int)(eol - at - 1), at, k);
			else
				fwrite(at, 1, (size_t)(eol - at), f);
		}
	}
	ck_assert_int_eq(fclose(f), 0);
	e = engine_new();
	engine_set_rules(e, r);
	ck_assert_msg(engine_add_file(e, path, NULL, &err) >= 0, "%s", err);
	while (engine_step(e, 4096)) {
		rss = test_mapping_rss_kb(engine_file(e, 0)->src->data);
		if (rss > most)
			most = rss;
	}
	ck_assert_uint_eq(msgindex_count(engine_index(e)), copies * 6);
	ck_assert_uint_eq(dialogs_count(engine_dialogs(e)), copies);
	ck_assert_msg(most >= 0 && most < 8 * 1024,
		      "the log's mapping held %ld kB", most);
	/* A listing or a search reads every message: given back as it
	 * goes (engine_give_back, which the viewer and the batch output
	 * call), the mapping stays small too. */
	most = 0;
	for (k = 0; k < msgindex_count(engine_index(e)); k++) {
		struct span t = engine_record_text(e, (uint32_t)k);
		volatile char c;

		ck_assert_uint_gt(t.n, 0);
		c = t.p[0];
		c = t.p[t.n - 1];
		(void)c;
		if (k % 4096 == 4095) {
			engine_give_back(e);
			rss = test_mapping_rss_kb(engine_file(e, 0)->src->data);
			if (rss > most)
				most = rss;
		}
	}
	ck_assert_msg(most >= 0 && most < 8 * 1024,
		      "read through, the log's mapping held %ld kB", most);
	engine_free(e);
	rules_free(r);
	free(tmpl);
	free(path);
	test_rm_rf(dir);
}
END_TEST

/* Named fixtures: what the issue asks of each. */
static struct engine *
open_fixture(const struct rules *r, const char *name)
{
	struct engine *e;
	char *path = xasprintf("%s/%s", TEST_DATA, name), *err = NULL;

	e = engine_new();
	engine_set_rules(e, r);
	if (engine_add_file(e, path, NULL, &err) < 0) {
		free(err);
		free(path);
		engine_free(e);
		return NULL;
	}
	free(path);
	engine_run(e);
	return e;
}

static int
count_rule(const struct engine *e, const struct rules *r, const char *rule,
	   int sevv)
{
	struct msgindex *ix = engine_index(e);
	size_t k;
	int n = 0;

	for (k = 0; k < msgindex_count(ix); k++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)k);

		if (strcmp(rules_rule_name(r, m->rule), rule) == 0 &&
		    m->severity == sevv)
			n++;
	}
	return n;
}

static int
count_sev(const struct engine *e, int sevv)
{
	struct msgindex *ix = engine_index(e);
	size_t k;
	int n = 0;

	for (k = 0; k < msgindex_count(ix); k++)
		n += msgindex_get(ix, (uint32_t)k)->severity == sevv;
	return n;
}

START_TEST(test_defaults_named_fixtures)
{
	struct rules *r = test_default_rules();
	struct engine *e;
	static const char *const ok_files[] = {
		"remote-ntlm.cls.log", "remote-ntlm.uccapilog",
		"internal-kerberos.cls.log", "internal-kerberos.uccapilog",
		"reg-digest.sngrep.txt", "truncated.cls.log", "bad.uccapilog",
	};
	size_t i;
	int nopen = 0;

	for (i = 0; i < sizeof ok_files / sizeof ok_files[0]; i++) {
		if ((e = open_fixture(r, ok_files[i])) == NULL)
			continue;
		nopen++;
		ck_assert_msg(count_sev(e, SEV_ERROR) == 0, "%s", ok_files[i]);
		ck_assert_msg(count_rule(e, r, "auth-challenge-answered",
					 SEV_BENIGN) + count_rule(e, r,
					 "auth-handshake-opened", SEV_BENIGN) >= 1,
			      "%s", ok_files[i]);
		ck_assert_msg(count_rule(e, r, "success", SEV_OK) >= 1, "%s",
			      ok_files[i]);
		ck_assert_int_eq(dialogs_get(engine_dialogs(e), 0)->severity,
				 SEV_OK);
		engine_free(e);
	}
	/* The remote NTLM registration: both 401s benign (the handshake's
	 * steps), the 200 ok. */
	if ((e = open_fixture(r, "remote-ntlm.cls.log")) != NULL) {
		ck_assert_int_eq(count_rule(e, r, "auth-handshake-opened",
					    SEV_BENIGN), 1);
		ck_assert_int_eq(count_rule(e, r,
					    "auth-handshake-ntlm-challenge",
					    SEV_BENIGN), 1);
		ck_assert_str_eq(engine_str(e, dialogs_auth(engine_dialogs(e),
				 dialogs_get(engine_dialogs(e), 0))), "NTLM");
		engine_free(e);
	}
	/* 403 with ms-diagnostics 4005: the user is not enabled for SIP,
	 * not a password problem. */
	if ((e = open_fixture(r, "reg-rejected.cls.log")) != NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r, "user-not-enabled",
					    SEV_ERROR), 1);
		ck_assert_int_eq(count_rule(e, r, "credentials-rejected",
					    SEV_ERROR), 0);
		ck_assert_int_eq(dialogs_get(engine_dialogs(e), 0)->severity,
				 SEV_ERROR);
		engine_free(e);
	}
	/* The trace ends 25 ms after the challenge. */
	if ((e = open_fixture(r, "reg-unanswered.uccapilog")) != NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r, "auth-challenge-trace-end",
					    SEV_WARNING), 1);
		ck_assert_int_eq(count_rule(e, r, "auth-challenge-unanswered",
					    SEV_ERROR), 0);
		engine_free(e);
	}
	/* It goes on 40 s: unanswered. */
	if ((e = open_fixture(r, "auth/unanswered-trace-goes-on.sngrep.txt")) !=
	    NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r, "auth-challenge-unanswered",
					    SEV_ERROR), 1);
		engine_free(e);
	}
	/* A Skype for Business client answering the 401 with Kerberos in
	 * Proxy-Authorization, as MS-SIPAE clients answer a 401, on a new
	 * Call-ID: the 401 is answered (it was "client did not answer the
	 * challenge", an error), and the retry's dialog is linked. */
	if ((e = open_fixture(r, "reg-new-call-id.cls.log")) != NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r,
		    "auth-challenge-answered-new-call-id", SEV_BENIGN), 1);
		ck_assert_int_eq(count_sev(e, SEV_ERROR), 0);
		ck_assert_uint_eq(rules_answered_dialog(e, 1), 0);
		ck_assert_uint_eq(rules_retry_dialog(e, 1), 1);
		engine_free(e);
	}
	if ((e = open_fixture(r, "call-cancel.cls.log")) != NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r, "cancelled", SEV_BENIGN), 1);
		ck_assert_int_eq(count_rule(e, r, "diagnostic-cancelled",
					    SEV_BENIGN), 2);
		ck_assert_int_eq(count_sev(e, SEV_ERROR), 0);
		engine_free(e);
	}
	if ((e = open_fixture(r, "call-busy.raw.sip")) != NULL) {
		nopen++;
		ck_assert_int_eq(count_rule(e, r, "failure", SEV_ERROR), 1);
		/* The 407 the caller answered is benign, the call succeeded. */
		ck_assert_int_eq(count_rule(e, r, "auth-challenge-answered",
					    SEV_BENIGN), 1);
		engine_free(e);
	}
	ck_assert_int_ge(nopen, 12);
	rules_free(r);
}
END_TEST

/* The fixture tests/data/name read with the default rules. */
static void
fx_open_fixture(struct fx *f, const char *name)
{
	f->r = test_default_rules();
	f->e = open_fixture(f->r, name);
	ck_assert_msg(f->e != NULL, "%s", name);
}

/* A phone behind an outbound proxy retries on a new Call-ID each time:
 * the proxy's 407 is answered by the second REGISTER (Proxy-Authorization),
 * the registrar's 401 by the third, which carries Proxy-Authorization
 * first and then Authorization. Each challenge is linked to its own retry
 * and is benign; the explanations name that retry's Call-ID. */
START_TEST(test_defaults_new_call_id_two_realms)
{
	struct fx f;
	size_t d;

	fx_open_fixture(&f, "auth/new-call-id-two-realms.sngrep.txt");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 6);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "Digest; the client answered with Digest credentials in a "
		   "new REGISTER dialog (Call-ID two-realms-2@10.1.1.21)");
	ck_assert_str_eq(rname(&f, 3), "auth-other-realm-new-call-id");
	ck_assert_int_eq(sev(&f, 3), SEV_BENIGN);
	ck_explain(&f, 3, "expected challenge for another realm than the "
		   "Digest credentials were for (a further proxy or registrar): "
		   "server offers Digest; the client answered with Digest "
		   "credentials in a new REGISTER dialog (Call-ID "
		   "two-realms-3@10.1.1.21)");
	ck_assert_str_eq(rname(&f, 5), "success");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), 0);
	ck_assert_uint_eq(rules_answered_dialog(f.e, 2), 1);
	for (d = 0; d < 2; d++)
		ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), d)->severity,
				 SEV_BENIGN);
	ck_assert_int_eq(dialogs_get(engine_dialogs(f.e), 2)->severity,
			 SEV_OK);
	fx_close(&f);
}
END_TEST

/* A phone that answers each challenge on a new Call-ID and refreshes on
 * the Call-ID it registered with: the refresh's 401, for a stale nonce
 * or for credentials reused unasked, is answered on a third Call-ID, and
 * its explanation names that retry as the first challenge's does (it said
 * only "the client answered ..."). */
START_TEST(test_defaults_new_call_id_stale_reused)
{
	static const struct {
		const char *fixture, *rule, *explain, *cid2;
	} c[] = {
		{ "auth/stale-new-call-id.sngrep.txt",
		  "auth-stale-nonce-new-call-id",
		  "the nonce was out of date (stale=true), not the Digest "
		  "credentials: expected; the client answered with the new "
		  "nonce in a new REGISTER dialog (Call-ID "
		  "stale-new-call-id-3@10.1.1.21)",
		  "stale-new-call-id-2@10.1.1.21" },
		{ "auth/reused-new-call-id.sngrep.txt",
		  "auth-reused-credentials-new-call-id",
		  "the REGISTER reused Digest credentials of an earlier "
		  "exchange and was challenged afresh: expected; the client "
		  "answered with Digest credentials in a new REGISTER dialog "
		  "(Call-ID reused-new-call-id-3@10.1.1.21)",
		  "reused-new-call-id-2@10.1.1.21" },
	};
	char want[256];
	struct fx f;
	size_t i, d;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		fx_open_fixture(&f, c[i].fixture);
		ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 8);
		ck_assert_str_eq(rname(&f, 1),
				 "auth-challenge-answered-new-call-id");
		snprintf(want, sizeof want, "expected authentication "
			 "challenge: server offers Digest; the client answered "
			 "with Digest credentials in a new REGISTER dialog "
			 "(Call-ID %s)", c[i].cid2);
		ck_explain(&f, 1, want);
		ck_assert_str_eq(rname(&f, 3), "success");
		ck_assert_str_eq(rname(&f, 5), c[i].rule);
		ck_assert_int_eq(sev(&f, 5), SEV_BENIGN);
		ck_explain(&f, 5, c[i].explain);
		ck_assert_str_eq(rname(&f, 7), "success");
		ck_assert_uint_eq(rules_answered_dialog(f.e, 1), 0);
		ck_assert_uint_eq(rules_answered_dialog(f.e, 2), 1);
		/* Benign counts below ok: the refresh's dialog is ok. */
		for (d = 0; d < 3; d++)
			ck_assert_int_eq(dialogs_get(engine_dialogs(f.e),
			    d)->severity, d == 0 ? SEV_BENIGN : SEV_OK);
		fx_close(&f);
	}
}
END_TEST

/* Credentials refused, from a phone that answers each challenge on a new
 * Call-ID: the refusal it answered names the retry, whether the retry got
 * through (a warning) or was refused in turn (a 401 loop of dialogs, an
 * error); the last refusal, unanswered, names none. Both said only "the
 * client tried again ...". */
START_TEST(test_defaults_new_call_id_rejected)
{
	struct fx f;

	fx_open_fixture(&f, "auth/wrong-password-new-call-id.sngrep.txt");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 6);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_assert_str_eq(rname(&f, 3), "credentials-rejected-new-call-id");
	ck_assert_int_eq(sev(&f, 3), SEV_ERROR);
	ck_explain(&f, 3, "credentials rejected: the REGISTER carried Digest "
		   "credentials and was refused; the client tried again with "
		   "Digest credentials in a new REGISTER dialog (Call-ID "
		   "wrong-new-call-id-3@10.1.1.21)");
	ck_assert_str_eq(rname(&f, 5), "credentials-rejected");
	ck_explain(&f, 5, "credentials rejected: the REGISTER carried Digest "
		   "credentials and was refused");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 2), 1);
	fx_close(&f);

	fx_open_fixture(&f, "auth/rejected-new-call-id.sngrep.txt");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 6);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered-new-call-id");
	ck_assert_str_eq(rname(&f, 3), "auth-retry-after-rejection-new-call-id");
	ck_assert_int_eq(sev(&f, 3), SEV_WARNING);
	ck_explain(&f, 3, "Digest credentials rejected; the client tried again "
		   "with Digest in a new REGISTER dialog (Call-ID "
		   "rejected-new-call-id-3@10.1.1.21) and got through");
	ck_assert_str_eq(rname(&f, 5), "success");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 2), 1);
	fx_close(&f);
}
END_TEST

/* A registrar that takes Digest with SHA-256 only, and a phone that
 * answers each challenge on a new Call-ID: with MD5 first, refused, then
 * with SHA-256, which gets through. The challenge answered with MD5 and
 * the refusal both name the retry in its new dialog (they said only "the
 * client answered with Digest MD5 credentials" and "the client tried
 * again with SHA-256"). */
/* Each step of an NTLM and a TLS-DSK handshake says what it is: the
 * first 401 is answered by credentials that only open the handshake, the
 * next carries the server's token. Kerberos answers the first 401 with
 * its token at once. */
START_TEST(test_defaults_handshake_steps)
{
	struct fx f;

	fx_open_fixture(&f, "remote-ntlm.cls.log");
	ck_assert_str_eq(rname(&f, 1), "auth-handshake-opened");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "NTLM; the client opened the NTLM handshake");
	ck_assert_str_eq(rname(&f, 3), "auth-handshake-ntlm-challenge");
	ck_assert_int_eq(sev(&f, 3), SEV_BENIGN);
	ck_explain(&f, 3, "expected: the server's NTLM challenge token (the "
		   "handshake's second leg); the client answered with its "
		   "authenticate token");
	fx_close(&f);
	fx_open_fixture(&f, "auth/lync-tls-dsk.sngrep.txt");
	ck_assert_str_eq(rname(&f, 7), "auth-handshake-opened");
	ck_explain(&f, 7, "expected authentication challenge: server offers "
		   "TLS-DSK, NTLM; the client opened the TLS-DSK handshake");
	ck_assert_str_eq(rname(&f, 9), "auth-handshake-next-leg");
	ck_assert_int_eq(sev(&f, 9), SEV_BENIGN);
	ck_explain(&f, 9, "expected: the server's TLS-DSK token, the next leg "
		   "of the handshake the client opened; the client answered "
		   "with its next token");
	ck_assert_str_eq(rname(&f, 11), "auth-handshake-next-leg");
	ck_assert_str_eq(rname(&f, 13), "success");
	fx_close(&f);
	fx_open_fixture(&f, "auth/lync-kerberos-fallback.sngrep.txt");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_explain(&f, 1, "expected authentication challenge: server offers "
		   "NTLM, Kerberos; the client answered with Kerberos "
		   "credentials");
	ck_assert_str_eq(rname(&f, 5), "auth-handshake-ntlm-challenge");
	fx_close(&f);
}
END_TEST

/* A Lync Director's "301 Redirect request to Home Server" to a REGISTER
 * is a step of signing in: benign, naming the home pool (the first
 * Contact). Any other redirect stays a warning. */
START_TEST(test_defaults_home_server_redirect)
{
	static const char home[] = "redirected to the user's home server "
	    "sip:pool01.uclab.org:5061;transport=Tls: expected from a Lync "
	    "Director, or a pool the user is not homed on; the client "
	    "registers there next";
	struct fx f;
	struct strbuf sb;
	char *log;

	fx_open_fixture(&f, "auth/lync-director-redirect.sngrep.txt");
	ck_assert_str_eq(rname(&f, 3), "lync-home-server-redirect");
	ck_assert_int_eq(sev(&f, 3), SEV_BENIGN);
	ck_explain(&f, 3, home);
	ck_assert_str_eq(rname(&f, 9), "lync-home-server-redirect");
	fx_close(&f);

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rd1", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 301 Redirect request to Home Server", "rd1",
		"1 REGISTER", "Contact: <sip:pool01.uclab.org:5061;"
		"transport=Tls>" CRLF, NULL);
	/* Another 3xx, another method, no Contact: warnings. */
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rd2", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 302 Moved Temporarily", "rd2", "1 REGISTER",
		"Contact: <sip:pool01.uclab.org:5061;transport=Tls>" CRLF,
		NULL);
	add_msg(&sb, "INVITE sip:bob@example.com SIP/2.0", "rd3", "1 INVITE",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 301 Redirect request to Home Server", "rd3",
		"1 INVITE", "Contact: <sip:pool01.uclab.org:5061;"
		"transport=Tls>" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "rd4", "1 REGISTER",
		NULL, NULL);
	add_msg(&sb, "SIP/2.0 301 Redirect request to Home Server", "rd4",
		"1 REGISTER", NULL, NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "lync-home-server-redirect");
	ck_explain(&f, 1, home);
	ck_assert_str_eq(rname(&f, 3), "redirect");
	ck_assert_int_eq(sev(&f, 3), SEV_WARNING);
	ck_assert_str_eq(rname(&f, 5), "redirect");
	ck_assert_str_eq(rname(&f, 7), "redirect");
	fx_close(&f);
	free(log);
}
END_TEST

/* A 423 Interval Too Brief that the client answers with a REGISTER on a
 * new Call-ID asking for the Min-Expires, which succeeds, is benign and
 * names the retry; a retry that asks for less than Min-Expires answers
 * nothing. */
START_TEST(test_defaults_new_call_id_interval)
{
	struct fx f;
	struct strbuf sb;
	char *log;

	fx_open_fixture(&f, "auth/interval-new-call-id.sngrep.txt");
	ck_assert_str_eq(rname(&f, 3), "interval-too-brief-retried-new-call-id");
	ck_assert_int_eq(sev(&f, 3), SEV_BENIGN);
	ck_explain(&f, 3, "expiry too brief for the server (Min-Expires: "
		   "3600): expected; the client asked again in a new REGISTER "
		   "dialog (Call-ID interval-new-call-id-2@10.1.1.21) and the "
		   "REGISTER succeeded");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), 0);
	ck_assert_str_eq(rname(&f, 5), "success");
	fx_close(&f);

	strbuf_init(&sb);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "iv1", "1 REGISTER",
		"Expires: 60" CRLF, NULL);
	add_msg(&sb, "SIP/2.0 423 Interval Too Brief", "iv1", "1 REGISTER",
		"Min-Expires: 3600" CRLF, NULL);
	add_msg(&sb, "REGISTER sip:example.com SIP/2.0", "iv2", "1 REGISTER",
		"Contact: <sip:alice@10.0.0.1;expires=7200>;expires=120" CRLF,
		NULL);
	add_msg(&sb, "SIP/2.0 200 OK", "iv2", "1 REGISTER", NULL, NULL);
	log = strbuf_detach(&sb);
	fx_open_default(&f, log, "raw");
	ck_assert_str_eq(rname(&f, 1), "interval-too-brief");
	ck_assert_int_eq(sev(&f, 1), SEV_ERROR);
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), NO_DIALOG);
	fx_close(&f);
	free(log);
}
END_TEST

START_TEST(test_defaults_new_call_id_algorithm)
{
	struct fx f;

	fx_open_fixture(&f, "auth/md5-to-sha256-new-call-id.sngrep.txt");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 6);
	ck_assert_str_eq(rname(&f, 1), "auth-algorithm-not-offered-new-call-id");
	ck_assert_int_eq(sev(&f, 1), SEV_WARNING);
	ck_explain(&f, 1, "the client answered in a new REGISTER dialog "
		   "(Call-ID sha256-new-call-id-2@10.1.1.21) with Digest MD5 "
		   "credentials, an algorithm this challenge does not offer "
		   "(it offers SHA-256)");
	ck_assert_str_eq(rname(&f, 3), "auth-algorithm-retried-new-call-id");
	ck_assert_int_eq(sev(&f, 3), SEV_WARNING);
	ck_explain(&f, 3, "the server refused Digest credentials using MD5, "
		   "an algorithm it does not offer (it asks for SHA-256); the "
		   "client tried again with SHA-256 in a new REGISTER dialog "
		   "(Call-ID sha256-new-call-id-3@10.1.1.21) and got through");
	ck_assert_str_eq(rname(&f, 5), "success");
	ck_assert_uint_eq(rules_answered_dialog(f.e, 1), 0);
	ck_assert_uint_eq(rules_answered_dialog(f.e, 2), 1);
	fx_close(&f);
}
END_TEST

/* A retry through a proxy that takes Digest MD5 to a registrar that takes
 * SHA-256 only carries both: the registrar's refusal is of its
 * Authorization (SHA-256), not of the proxy's MD5, and a challenge it
 * answers was answered with SHA-256. */
START_TEST(test_defaults_two_realms_algorithms)
{
	struct strbuf sb;
	struct fx f;

	fx_open_fixture(&f, "auth/two-realms-sha256-refused.sngrep.txt");
	ck_assert_uint_eq(msgindex_count(engine_index(f.e)), 6);
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_str_eq(rname(&f, 3), "auth-other-realm");
	ck_assert_str_eq(rname(&f, 5), "credentials-rejected");
	ck_explain(&f, 5, "credentials rejected: the REGISTER carried Digest "
		   "credentials and was refused");
	fx_close(&f);

	/* The registrar's 401 first, answered with both (the proxy's
	 * credentials sent unasked, MD5): answered with SHA-256, as it
	 * asks, and the REGISTER got through. */
	strbuf_init(&sb);
	add_sng_reg(&sb, 0, "10.0.0.1:5060", "alice", "alg", 1, NULL);
	add_sng_resp(&sb, 0.002, "10.0.0.1:5060", "alice", "alg", 1,
		     "401 Unauthorized", "WWW-Authenticate: Digest "
		     "realm=\"example.com\", nonce=\"r1\", algorithm=SHA-256"
		     CRLF);
	add_sng_reg(&sb, 0.02, "10.0.0.1:5060", "alice", "alg", 2,
		    "Proxy-Authorization: Digest username=\"alice\", "
		    "realm=\"proxy.example.com\", nonce=\"p0\", algorithm=MD5, "
		    "response=\"1\"" CRLF "Authorization: Digest "
		    "username=\"alice\", realm=\"example.com\", nonce=\"r1\", "
		    "algorithm=SHA-256, response=\"2\"" CRLF);
	add_sng_resp(&sb, 0.024, "10.0.0.1:5060", "alice", "alg", 2, "200 OK",
		     NULL);
	fx_open_default(&f, sb.buf, "sngrep");
	ck_assert_str_eq(rname(&f, 1), "auth-challenge-answered");
	ck_assert_int_eq(sev(&f, 1), SEV_BENIGN);
	ck_assert_str_eq(rname(&f, 3), "success");
	fx_close(&f);
	strbuf_free(&sb);
}
END_TEST

static Suite *
rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_good);
	tcase_add_loop_test(tc, test_parse_bad, 0,
			    sizeof bad_rules / sizeof bad_rules[0]);
	tcase_add_test(tc, test_parse_nul_line);
	tcase_add_test(tc, test_parse_files);
	tcase_add_test(tc, test_parse_many);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_man_examples);
	tcase_add_test(tc, test_diag_context);
	tcase_add_test(tc, test_kind_method_status);
	tcase_add_test(tc, test_header_patterns);
	tcase_add_test(tc, test_challenge_outcome_credentials);
	tcase_add_test(tc, test_defaults_keepalive);
	tcase_add_test(tc, test_defaults_answer_cut);
	tcase_add_test(tc, test_defaults_awaited);
	tcase_add_test(tc, test_defaults_reply_awaited);
	tcase_add_test(tc, test_defaults_algorithm);
	tcase_add_test(tc, test_defaults_new_call_id);
	tcase_add_test(tc, test_new_call_id_incremental);
	tcase_add_test(tc, test_reply_trace_end);
	tcase_add_test(tc, test_explain_rerated);
	tcase_add_test(tc, test_new_call_id_answered_before);
	tcase_add_test(tc, test_trace_end_incremental);
	tcase_add_test(tc, test_cancel_reply_retrans);
	tcase_add_test(tc, test_direction_diag);
	tcase_add_test(tc, test_explain_expansion);
	tcase_add_test(tc, test_explain_nul);
	tcase_add_test(tc, test_rechallenge);
	tcase_add_test(tc, test_defaults_small);
	tcase_add_test(tc, test_defaults_fixtures);
	tcase_add_test(tc, test_defaults_named_fixtures);
	tcase_add_test(tc, test_defaults_new_call_id_two_realms);
	tcase_add_test(tc, test_defaults_new_call_id_stale_reused);
	tcase_add_test(tc, test_defaults_new_call_id_rejected);
	tcase_add_test(tc, test_defaults_new_call_id_algorithm);
	tcase_add_test(tc, test_defaults_handshake_steps);
	tcase_add_test(tc, test_defaults_home_server_redirect);
	tcase_add_test(tc, test_defaults_new_call_id_interval);
	tcase_add_test(tc, test_defaults_two_realms_algorithms);
	tcase_add_test(tc, test_explain_cached_context);
	tcase_add_test(tc, test_explain_interleaved);
	tcase_add_test(tc, test_status_prefilter);
	tcase_add_test(tc, test_reread_pages_given_back);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rules_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
