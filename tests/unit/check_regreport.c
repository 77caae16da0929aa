/* Unit tests for regreport: the registration report of the fixture
 * traces in each log format, and a report without rules. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "rules.h"
#include "regreport.h"
#include "helpers.h"


static struct engine *
open_trace(const struct rules *r, const char *name)
{
	struct engine *e = engine_new();
	char *path = xasprintf("%s/%s", TEST_DATA, name), *err = NULL;

	engine_set_rules(e, r);
	ck_assert_msg(engine_add_file(e, path, NULL, &err) >= 0, "%s", err);
	free(path);
	engine_run(e);
	return e;
}

static void
report(const char *name, struct rules **r, struct engine **e,
       struct regreport *rr)
{
	*r = test_default_rules();
	*e = open_trace(*r, name);
	regreport_build(*e, *r, rr);
}

static void
done(struct rules *r, struct engine *e, struct regreport *rr)
{
	regreport_free(rr);
	engine_free(e);
	rules_free(r);
}

/* Attempts are distinct CSeq numbers: each REGISTER of a long dialog is
 * logged twice (in and out, or retransmitted), in no particular order. */
START_TEST(test_many_attempts)
{
	struct engine *e = engine_new();
	struct regreport rr;
	struct strbuf sb;
	char *err = NULL;
	size_t i, n = 4000;

	strbuf_init(&sb);
	for (i = 0; i < 2 * n; i++)
		strbuf_addf(&sb, "REGISTER sip:example.com SIP/2.0\r\n"
			    "From: <sip:alice@example.com>;tag=a\r\n"
			    "To: <sip:alice@example.com>\r\nCall-ID: many\r\n"
			    "CSeq: %zu REGISTER\r\nContent-Length: 0\r\n\r\n",
			    (i * 7919) % n + 1);
	ck_assert_int_eq(engine_add_mem(e, "many.sip", sb.buf, sb.len, "raw",
					&err), 0);
	engine_run(e);
	regreport_build(e, NULL, &rr);
	ck_assert_uint_eq(rr.n, 1);
	ck_assert_uint_eq(rr.v[0].attempts, n);
	ck_assert_uint_eq(rr.v[0].status, 0);
	regreport_free(&rr);
	engine_free(e);
	strbuf_free(&sb);
}
END_TEST

/* The remote NTLM registration through the edge, in both log formats. */
START_TEST(test_remote_ntlm)
{
	static const char *const files[] = {
		"remote-ntlm.cls.log", "remote-ntlm.uccapilog",
	};
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;

	report(files[_i], &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	x = &rr.v[0];
	ck_assert_str_eq(x->user, "sip:izabelaf@uclab.org");
	ck_assert_str_eq(x->client, "198.51.100.23:49721");
	ck_assert_str_eq(x->offered, "NTLM");
	ck_assert_str_eq(x->used, "NTLM");
	ck_assert_int_eq(x->remote_user, 1);
	ck_assert_uint_eq(x->attempts, 3);
	ck_assert_uint_eq(x->status, 200);
	ck_assert_str_eq(x->reason, "OK");
	ck_assert_int_eq(x->severity, SEV_OK);
	ck_assert_int_gt(x->elapsed_us, 0);
	ck_assert_int_eq(x->elapsed_us, x->final - x->first);
	ck_assert_uint_eq(x->first_msg, 0);
	ck_assert_uint_eq(x->final_msg, 5);
	ck_assert_str_eq(x->explain, "registered with NTLM (3 REGISTER "
			 "requests); remote user (through an edge)");
	/* The client log names the server; the edge log is the server. */
	if (_i == 1)
		ck_assert_str_eq(x->server, "203.0.113.10:443");
	else
		ck_assert_str_eq(x->server, "local");
	done(r, e, &rr);
}
END_TEST

START_TEST(test_internal_kerberos)
{
	static const char *const files[] = {
		"internal-kerberos.cls.log", "internal-kerberos.uccapilog",
	};
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;

	report(files[_i], &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	x = &rr.v[0];
	ck_assert_str_eq(x->user, "sip:marinof@uclab.org");
	ck_assert_str_eq(x->client, "172.31.255.247:51311");
	ck_assert_str_eq(x->offered, "Kerberos, NTLM");
	ck_assert_str_eq(x->used, "Kerberos");
	ck_assert_int_eq(x->remote_user, 0);
	ck_assert_uint_eq(x->attempts, 2);
	ck_assert_uint_eq(x->status, 200);
	ck_assert_int_eq(x->severity, SEV_OK);
	ck_assert_str_eq(x->explain, "registered with Kerberos (2 REGISTER "
			 "requests)");
	done(r, e, &rr);
}
END_TEST

START_TEST(test_rejected)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;

	report("reg-rejected.cls.log", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	x = &rr.v[0];
	ck_assert_str_eq(x->user, "sip:petrak@uclab.org");
	ck_assert_str_eq(x->used, "NTLM");
	ck_assert_uint_eq(x->attempts, 2);
	ck_assert_uint_eq(x->status, 403);
	ck_assert_str_eq(x->reason, "Forbidden");
	ck_assert_int_eq(x->severity, SEV_ERROR);
	ck_assert_str_eq(x->explain, "not registered: REGISTER refused: the "
			 "user is not enabled for SIP or does not exist "
			 "(ms-diagnostics 4005: User is not enabled for SIP or "
			 "does not exist)");
	ck_assert_uint_eq(x->registered_msg, UINT32_MAX);
	ck_assert_int_eq(x->signed_out, 0);
	done(r, e, &rr);
}
END_TEST

/* Registered, then refreshed and signed out; registered, then a refresh
 * refused: the time to register is to the first success, and the
 * explanation says what came after it. */
START_TEST(test_lifecycle)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;

	report("reg-lifecycle.cls.log", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 2);
	x = &rr.v[0];
	ck_assert_str_eq(x->user, "sip:hank@lab.org");
	ck_assert_uint_eq(x->status, 200);
	ck_assert_int_eq(x->signed_out, 1);
	ck_assert_uint_ne(x->registered_msg, UINT32_MAX);
	ck_assert_int_eq(x->elapsed_us, 110000);
	ck_assert_str_eq(x->explain, "registered with Kerberos (4 REGISTER "
			 "requests); then signed out (Expires: 0)");
	x = &rr.v[1];
	ck_assert_str_eq(x->user, "sip:jack@lab.org");
	ck_assert_uint_eq(x->status, 403);
	ck_assert_int_eq(x->signed_out, 0);
	ck_assert_int_eq(x->elapsed_us, 110000);
	ck_assert_int_eq(x->severity, SEV_ERROR);
	ck_assert_str_eq(x->explain, "registered with Kerberos, then the last "
			 "of 3 REGISTER requests failed: REGISTER refused: the "
			 "user is not enabled for SIP or does not exist "
			 "(ms-diagnostics 4005: Destination URI either not "
			 "enabled for SIP or does not exist)");
	done(r, e, &rr);
}
END_TEST

/* Registered on one Call-ID, whose refresh is challenged (a stale nonce,
 * credentials reused unasked) and answered on a new Call-ID: an expected
 * challenge, not a refresh that failed. */
START_TEST(test_refresh_answered_elsewhere)
{
	static const char *const fx[][2] = {
		{ "auth/stale-new-call-id.sngrep.txt", "the nonce was out of "
		  "date (stale=true), not the Digest credentials: expected; "
		  "the client answered with the new nonce in a new REGISTER "
		  "dialog (Call-ID stale-new-call-id-3@10.1.1.21)" },
		{ "auth/reused-new-call-id.sngrep.txt", "the REGISTER reused "
		  "Digest credentials of an earlier exchange and was "
		  "challenged afresh: expected; the client answered with "
		  "Digest credentials in a new REGISTER dialog (Call-ID "
		  "reused-new-call-id-3@10.1.1.21)" },
	};
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;
	char want[512];
	size_t i;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		report(fx[i][0], &r, &e, &rr);
		ck_assert_uint_eq(rr.n, 3);
		x = &rr.v[1];
		ck_assert_uint_eq(x->status, 401);
		ck_assert_int_eq(x->severity, SEV_OK);
		snprintf(want, sizeof want, "registered with Digest, then the "
			 "last of 2 REGISTER requests was challenged: %s",
			 fx[i][1]);
		ck_assert_str_eq(x->explain, want);
		done(r, e, &rr);
	}
}
END_TEST

/* A Lync Director's redirect to the home pool is no failure: the entry
 * names the pool, for a sign-in and for a refresh of a registered user
 * moved to another pool. */
START_TEST(test_home_server_redirect)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;

	report("auth/lync-director-redirect.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 2);
	ck_assert_uint_eq(rr.v[0].status, 301);
	ck_assert_int_eq(rr.v[0].severity, SEV_BENIGN);
	ck_assert_str_eq(rr.v[0].explain, "redirected to the user's home "
			 "server sip:pool01.uclab.org:5061;transport=Tls: "
			 "expected from a Lync Director, or a pool the user is "
			 "not homed on; the client registers there next");
	ck_assert_int_eq(rr.v[1].severity, SEV_OK);
	ck_assert_str_eq(rr.v[1].explain, "registered with Kerberos, then the "
			 "last of 3 REGISTER requests was redirected to the "
			 "user's home server sip:pool02.uclab.org:5061;"
			 "transport=Tls: expected from a Lync Director, or a "
			 "pool the user is not homed on; the client registers "
			 "there next");
	done(r, e, &rr);
}
END_TEST

/* Credentials refused, then a retry on a new Call-ID that got through:
 * the refused dialog is no "not registered" (its warning stays, as when
 * the retry is in the same dialog); one whose retry failed too is; a
 * refresh so refused did not fail. */
START_TEST(test_rejected_then_through_elsewhere)
{
	static const char *const fx[][2] = {
		{ "auth/rejected-new-call-id.sngrep.txt", "Digest credentials "
		  "rejected; the client tried again with Digest in a new "
		  "REGISTER dialog (Call-ID rejected-new-call-id-3@10.1.1.21) "
		  "and got through" },
		{ "auth/md5-to-sha256-new-call-id.sngrep.txt", "the server "
		  "refused Digest credentials using MD5, an algorithm it does "
		  "not offer (it asks for SHA-256); the client tried again "
		  "with SHA-256 in a new REGISTER dialog (Call-ID "
		  "sha256-new-call-id-3@10.1.1.21) and got through" },
	};
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	size_t i;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		report(fx[i][0], &r, &e, &rr);
		ck_assert_uint_eq(rr.n, 3);
		ck_assert_uint_eq(rr.v[1].status, 401);
		ck_assert_int_eq(rr.v[1].severity, SEV_WARNING);
		ck_assert_str_eq(rr.v[1].explain, fx[i][1]);
		ck_assert_uint_eq(rr.v[2].status, 200);
		done(r, e, &rr);
	}
	report("auth/wrong-password-new-call-id.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 3);
	ck_assert_int_eq(rr.v[1].severity, SEV_ERROR);
	ck_assert_int_eq(strncmp(rr.v[1].explain, "not registered: ", 16), 0);
	done(r, e, &rr);
	/* Registered, then a refresh's credentials refused and the retry
	 * on a new Call-ID through: the refresh was refused, not "failed"
	 * (which would contradict the "got through" after it). */
	report("auth/refresh-refused-new-call-id.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 2);
	ck_assert_int_eq(rr.v[0].severity, SEV_WARNING);
	ck_assert_str_eq(rr.v[0].explain, "registered with Digest, then the "
			 "last of 4 REGISTER requests was refused: Digest "
			 "credentials rejected; the client tried again with "
			 "Digest in a new REGISTER dialog (Call-ID "
			 "refresh-refused-2@10.1.1.21) and got through");
	ck_assert_uint_eq(rr.v[1].status, 200);
	done(r, e, &rr);
}
END_TEST

/* Built in steps of any size, a dialog read in several of them, the
 * same report as built at once; one abandoned midway leaks nothing. */
START_TEST(test_build_in_steps)
{
	static const char *const fx[] = {
		"auth/rejected-new-call-id.sngrep.txt",
		"auth/refresh-refused-new-call-id.sngrep.txt",
		"remote-ntlm.cls.log",
	};
	struct rules *r;
	struct engine *e;
	struct regreport whole, part;
	size_t at, step, i, n, k, budget, steps;

	for (k = 0; k < sizeof fx / sizeof fx[0]; k++) {
		report(fx[k], &r, &e, &whole);
		ck_assert_uint_gt(whole.n, 0);
		n = dialogs_count(engine_dialogs(e));
		for (step = 1; step <= 12; step++) {
			memset(&part, 0, sizeof part);
			for (at = 0, steps = 0; at < n; steps++) {
				budget = step;
				at = regreport_build_step(e, r, &part, at,
							  &budget);
				ck_assert_uint_le(steps, 1000);
			}
			ck_assert_uint_eq(at, n);
			budget = step;
			ck_assert_uint_eq(regreport_build_step(e, r, &part, at,
							       &budget), n);
			ck_assert_uint_eq(part.n, whole.n);
			for (i = 0; i < whole.n; i++) {
				const struct regreport_entry *a = &part.v[i];
				const struct regreport_entry *b = &whole.v[i];

				ck_assert_uint_eq(a->dialog, b->dialog);
				ck_assert_uint_eq(a->attempts, b->attempts);
				ck_assert_uint_eq(a->status, b->status);
				ck_assert_uint_eq(a->first_msg, b->first_msg);
				ck_assert_uint_eq(a->final_msg, b->final_msg);
				ck_assert_uint_eq(a->registered_msg,
						  b->registered_msg);
				ck_assert_str_eq(a->offered, b->offered);
				ck_assert_str_eq(a->used, b->used);
				ck_assert_str_eq(a->explain, b->explain);
			}
			regreport_free(&part);
			/* Left midway, inside a dialog. */
			memset(&part, 0, sizeof part);
			budget = 2;
			regreport_build_step(e, r, &part, 0, &budget);
			regreport_free(&part);
		}
		done(r, e, &whole);
	}
}
END_TEST

/* The log's bytes come whole, a NUL too: the user, the reason phrase and
 * the Call-ID the explanation names (they stopped at the NUL). */
START_TEST(test_nul_bytes)
{
	static const char user[] = "sip:mal\0lory@example.com";
	static const char reason[] = "Unauth\0orized";
	static const char callid[] = "Call-ID nul-user-\0two@example.com)";
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *en;

	report("nul-user-register.sip", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 2);
	en = &rr.v[0];
	ck_assert_uint_eq(en->nuser, sizeof user - 1);
	ck_assert_mem_eq(en->user, user, sizeof user);
	ck_assert_uint_eq(en->nreason, sizeof reason - 1);
	ck_assert_mem_eq(en->reason, reason, sizeof reason);
	ck_assert_uint_gt(en->nexplain, sizeof callid - 1);
	ck_assert_uint_eq(strlen(en->explain) + 1 + strlen("two@example.com)"),
			  en->nexplain);
	ck_assert_mem_eq(en->explain + en->nexplain - (sizeof callid - 1),
			 callid, sizeof callid - 1);
	ck_assert_uint_eq(en->nclient, 0);
	ck_assert_str_eq(en->client, "");
	done(r, e, &rr);
}
END_TEST

/* A 423 answered on a new Call-ID: the first dialog is no failure, the
 * retry's says what it answered. */
START_TEST(test_interval_new_call_id)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;

	report("auth/interval-new-call-id.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 2);
	ck_assert_int_eq(rr.v[0].severity, SEV_BENIGN);
	ck_assert_str_eq(rr.v[0].explain, "expiry too brief for the server "
			 "(Min-Expires: 3600): expected; the client asked again "
			 "in a new REGISTER dialog (Call-ID "
			 "interval-new-call-id-2@10.1.1.21) and the REGISTER "
			 "succeeded");
	ck_assert_str_eq(rr.v[1].explain, "registered with Digest, asking "
			 "again after the 423 Interval Too Brief of Call-ID "
			 "interval-new-call-id-1@10.1.1.21");
	done(r, e, &rr);
}
END_TEST

START_TEST(test_unanswered)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	const struct regreport_entry *x;

	report("reg-unanswered.uccapilog", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	x = &rr.v[0];
	ck_assert_str_eq(x->offered, "Kerberos, NTLM");
	ck_assert_str_eq(x->used, "");
	ck_assert_uint_eq(x->attempts, 1);
	ck_assert_uint_eq(x->status, 401);
	/* The trace ends 25 ms after the challenge: not "not registered",
	 * an error, but unknown. */
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->explain, "outcome unknown: the trace ends during "
			 "authentication, less than 32 seconds after this "
			 "challenge (server offers Kerberos, NTLM): whether the "
			 "client answered it with a REGISTER cannot be told");
	done(r, e, &rr);
	/* A trace that goes on 40 s more: not registered. */
	report("auth/unanswered-trace-goes-on.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	ck_assert_int_eq(rr.v[0].severity, SEV_ERROR);
	ck_assert_str_eq(rr.v[0].explain, "not registered: client did not "
			 "answer the challenge: server offers Digest, no "
			 "REGISTER with credentials followed");
	done(r, e, &rr);
	/* Registered, and the trace ends with its refresh challenged. */
	report("auth/refresh-trace-end.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	ck_assert_int_eq(rr.v[0].severity, SEV_WARNING);
	ck_assert_str_eq(rr.v[0].explain, "registered with Digest, then the "
			 "last of 3 REGISTER requests was challenged, outcome "
			 "unknown: the trace ends during authentication, less "
			 "than 32 seconds after this challenge (server offers "
			 "Digest): whether the client answered it with a "
			 "REGISTER cannot be told");
	done(r, e, &rr);
}
END_TEST

/* sngrep text: Digest registration, then a call that is not reported. */
START_TEST(test_digest_and_calls)
{
	struct rules *r;
	struct engine *e;
	struct regreport rr;
	struct regreport_entry one;
	const struct regreport_entry *x;

	report("reg-digest.sngrep.txt", &r, &e, &rr);
	ck_assert_uint_eq(rr.n, 1);
	x = &rr.v[0];
	ck_assert_str_eq(x->user, "sip:1001@10.0.0.10");
	ck_assert_str_eq(x->client, "10.0.0.51:5060");
	ck_assert_str_eq(x->server, "10.0.0.10:5060");
	ck_assert_str_eq(x->offered, "Digest");
	ck_assert_str_eq(x->used, "Digest");
	ck_assert_uint_eq(x->status, 200);
	/* Dialog 1 is the call: not a registration. */
	ck_assert_int_eq(regreport_dialog(e, r, 1, &one), -1);
	ck_assert_int_eq(regreport_dialog(e, r, 0, &one), 0);
	ck_assert_str_eq(one.user, x->user);
	regreport_entry_clear(&one);
	done(r, e, &rr);

	r = test_default_rules();
	e = open_trace(r, "call-busy.raw.sip");
	regreport_build(e, r, &rr);
	ck_assert_uint_eq(rr.n, 0);
	done(r, e, &rr);
}
END_TEST

static void
ck_same_report(const struct regreport *a, const struct regreport *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		ck_assert_uint_eq(a->v[i].dialog, b->v[i].dialog);
		ck_assert_str_eq(a->v[i].user, b->v[i].user);
		ck_assert_uint_eq(a->v[i].status, b->v[i].status);
		ck_assert_str_eq(a->v[i].explain, b->v[i].explain);
	}
}

/* regreport_update works out again the entries of the dialogs of the
 * messages from a point on, and only those: added, replaced, dropped. */
START_TEST(test_update)
{
	const char *logs[] = { "reg-digest.sngrep.txt", "reg-lifecycle.cls.log",
			       "remote-ntlm.cls.log" };
	struct rules *r;
	struct engine *e;
	struct regreport full, rr;
	size_t k, i, n;

	for (k = 0; k < sizeof logs / sizeof logs[0]; k++) {
		report(logs[k], &r, &e, &full);
		n = msgindex_count(engine_index(e));
		ck_assert_uint_gt(full.n, 0);

		/* From nothing, all the messages: the whole report. */
		memset(&rr, 0, sizeof rr);
		regreport_update(e, r, &rr, 0);
		ck_same_report(&rr, &full);

		/* Stale entries of the dialogs touched are replaced. */
		for (i = 0; i < rr.n; i++) {
			free(rr.v[i].explain);
			rr.v[i].explain = xstrdup("stale");
			rr.v[i].status = 1;
		}
		regreport_update(e, r, &rr, 0);
		ck_same_report(&rr, &full);

		/* Nothing new: nothing is looked at, not even a wrong
		 * entry; from 0 it is put right. */
		free(rr.v[0].explain);
		rr.v[0].explain = xstrdup("stale");
		regreport_update(e, r, &rr, n);
		ck_assert_str_eq(rr.v[0].explain, "stale");
		regreport_update(e, r, &rr, 0);
		ck_same_report(&rr, &full);
		regreport_free(&rr);
		done(r, e, &full);
	}

	/* An entry for a dialog that is no registration (the call of
	 * reg-digest, dialog 1) is dropped when its dialog is touched. */
	report("reg-digest.sngrep.txt", &r, &e, &full);
	memset(&rr, 0, sizeof rr);
	regreport_update(e, r, &rr, 0);
	rr.v = xgrow(rr.v, &rr.cap, rr.n + 1, sizeof *rr.v);
	memset(&rr.v[rr.n], 0, sizeof rr.v[rr.n]);
	rr.v[rr.n].dialog = 1;
	rr.v[rr.n].explain = xstrdup("not a registration");
	rr.n++;
	regreport_update(e, r, &rr, 0);
	ck_same_report(&rr, &full);
	regreport_free(&rr);
	done(r, e, &full);
}
END_TEST

/* Without rules the report still says what happened. */
START_TEST(test_no_rules)
{
	struct engine *e = open_trace(NULL, "reg-rejected.cls.log");
	struct regreport rr;

	regreport_build(e, NULL, &rr);
	ck_assert_uint_eq(rr.n, 1);
	ck_assert_uint_eq(rr.v[0].status, 403);
	ck_assert_str_eq(rr.v[0].explain, "not registered: 403 Forbidden");
	regreport_free(&rr);
	engine_free(e);
}
END_TEST

static Suite *
regreport_suite(void)
{
	Suite *s = suite_create("regreport");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_remote_ntlm, 0, 2);
	tcase_add_loop_test(tc, test_internal_kerberos, 0, 2);
	tcase_add_test(tc, test_rejected);
	tcase_add_test(tc, test_many_attempts);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_unanswered);
	tcase_add_test(tc, test_refresh_answered_elsewhere);
	tcase_add_test(tc, test_home_server_redirect);
	tcase_add_test(tc, test_interval_new_call_id);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_build_in_steps);
	tcase_add_test(tc, test_rejected_then_through_elsewhere);
	tcase_add_test(tc, test_digest_and_calls);
	tcase_add_test(tc, test_no_rules);
	tcase_add_test(tc, test_update);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(regreport_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
