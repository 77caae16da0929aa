/* Unit tests for twin: the messages a client's log and its server's both
 * wrote, and what they say of the two clocks (twin_clocks). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "engine.h"
#include "twin.h"

/* One exchange of the client's log: an OPTIONS it sent at sent and the
 * 200 it received at got ("10:00:00.000"), from client to 10.0.0.2:5061,
 * CSeq cseq. */
static void
client_exchange(struct strbuf *sb, const char *client, int cseq,
		const char *sent, const char *got)
{
	strbuf_addf(sb,
	    "2024/03/01 %s000 %s -> 10.0.0.2:5061\n"
	    "OPTIONS sip:bob@example.com SIP/2.0\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%d\n"
	    "From: <sip:alice@example.com>;tag=a\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: t1\n"
	    "CSeq: %d OPTIONS\n"
	    "Content-Length: 0\n\n", sent, client, client, cseq, cseq);
	if (got == NULL)
		return;
	strbuf_addf(sb,
	    "2024/03/01 %s000 10.0.0.2:5061 -> %s\n"
	    "SIP/2.0 200 OK\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%d\n"
	    "From: <sip:alice@example.com>;tag=a\n"
	    "To: <sip:bob@example.com>;tag=b\n"
	    "Call-ID: t1\n"
	    "CSeq: %d OPTIONS\n"
	    "Content-Length: 0\n\n", got, client, client, cseq, cseq);
}

/* The same exchange in the server's log (CLS), which calls itself
 * R2EE01: received at got, answered at sent (NULL: not answered). */
static void
server_exchange(struct strbuf *sb, int cseq, const char *got,
		const char *sent)
{
	strbuf_addf(sb,
	    "TL_INFO(TF_PROTOCOL) [R2EE01\\R2EE01]0DE4.1690::03/01/2024-%s"
	    ".00000001 (SIPStack,SIPAdminLog::TraceProtocolRecord:"
	    "SIPAdminLog.cpp(1))$$begin_record\n"
	    "Direction: incoming\n"
	    "Peer: 10.0.0.1:5060\n"
	    "Message-Type: request\n"
	    "Start-Line: OPTIONS sip:bob@example.com SIP/2.0\n"
	    "From: <sip:alice@example.com>;tag=a\n"
	    "To: <sip:bob@example.com>\n"
	    "Call-ID: t1\n"
	    "CSeq: %d OPTIONS\n"
	    "Content-Length: 0\n"
	    "$$end_record\n", got, cseq);
	if (sent == NULL)
		return;
	strbuf_addf(sb,
	    "TL_INFO(TF_PROTOCOL) [R2EE01\\R2EE01]0DE4.1690::03/01/2024-%s"
	    ".00000001 (SIPStack,SIPAdminLog::TraceProtocolRecord:"
	    "SIPAdminLog.cpp(1))$$begin_record\n"
	    "Direction: outgoing\n"
	    "Peer: 10.0.0.1:5060\n"
	    "Message-Type: response\n"
	    "Start-Line: SIP/2.0 200 OK\n"
	    "From: <sip:alice@example.com>;tag=a\n"
	    "To: <sip:bob@example.com>;tag=b\n"
	    "Call-ID: t1\n"
	    "CSeq: %d OPTIONS\n"
	    "Content-Length: 0\n"
	    "$$end_record\n", sent, cseq);
}

/* Indexes both logs (the client's first) and returns twin_clocks'. */
static size_t
clocks(const struct strbuf *client, const struct strbuf *server,
       struct twin_clock **c, struct engine **e)
{
	char *err = NULL;

	*e = engine_new();
	ck_assert_msg(engine_add_mem(*e, "client.txt", client->buf,
	    client->len, NULL, &err) == 0, "%s", err);
	ck_assert_msg(engine_add_mem(*e, "fe.log", server->buf, server->len,
	    NULL, &err) == 1, "%s", err);
	engine_run(*e);
	return twin_clocks(*e, c);
}

/* The number of pairs of clocks that disagree, for one exchange each
 * log wrote as given. */
static size_t
one_exchange(const char *client, const char *sent, const char *got,
	     const char *sgot, const char *ssent)
{
	struct strbuf a, b;
	struct twin_clock *c;
	struct engine *e;
	size_t n;

	strbuf_init(&a);
	strbuf_init(&b);
	client_exchange(&a, client, 1, sent, got);
	server_exchange(&b, 1, sgot, ssent);
	n = clocks(&a, &b, &c, &e);
	free(c);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
	return n;
}

START_TEST(test_clocks_agree)
{
	/* 10 ms each way, or none: nothing to say. */
	ck_assert_uint_eq(one_exchange("10.0.0.1:5060", "10:00:00.000",
	    "10:00:00.030", "10:00:00.010", "10:00:00.020"), 0);
	ck_assert_uint_eq(one_exchange("10.0.0.1:5060", "10:00:00.000",
	    "10:00:00.000", "10:00:00.000", "10:00:00.000"), 0);
	/* Within a millisecond, what the times tell apart. */
	ck_assert_uint_eq(one_exchange("10.0.0.1:5060", "10:00:00.000",
	    "10:00:00.001", "10:00:00.000", "10:00:00.002"), 0);
}
END_TEST

START_TEST(test_clocks_ahead)
{
	struct strbuf a, b;
	struct twin_clock *c;
	struct engine *e;

	strbuf_init(&a);
	strbuf_init(&b);
	/* The server's clock 2 s ahead: it received the OPTIONS 2.010 s
	 * after it was sent and answered 1.990 s before the answer came. */
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:00.000",
	    "10:00:00.030");
	server_exchange(&b, 1, "10:00:02.010", "10:00:02.020");
	ck_assert_uint_eq(clocks(&a, &b, &c, &e), 1);
	ck_assert_uint_eq(c[0].a, 0);
	ck_assert_uint_eq(c[0].b, 1);
	ck_assert_int_eq(c[0].lo, 1990000);
	ck_assert_int_eq(c[0].hi, 2010000);
	/* lo: the 200 the server sent, which the client received. */
	ck_assert_uint_eq(msgindex_get(engine_index(e), c[0].lo_id)->file, 1);
	ck_assert_uint_eq(msgindex_get(engine_index(e), c[0].lo_id)->status,
	    200);
	ck_assert_uint_eq(msgindex_get(engine_index(e), c[0].lo_peer)->file,
	    0);
	ck_assert_uint_eq(msgindex_get(engine_index(e), c[0].hi_id)->status,
	    0);
	free(c);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);

	/* Behind, told by a request alone: no lower bound. */
	strbuf_init(&a);
	strbuf_init(&b);
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:05.000", NULL);
	client_exchange(&a, "10.0.0.1:5060", 2, "10:00:06.000", NULL);
	server_exchange(&b, 1, "10:00:04.000", NULL);
	server_exchange(&b, 2, "10:00:05.000", NULL);
	ck_assert_uint_eq(clocks(&a, &b, &c, &e), 1);
	ck_assert_int_eq(c[0].lo, TWIN_NO_BOUND);
	ck_assert_int_eq(c[0].hi, -1000000);
	free(c);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

START_TEST(test_clocks_unsure)
{
	struct strbuf a, b;
	struct twin_clock *c;
	struct engine *e;

	/* Through NAT: the server saw another address, so the OPTIONS it
	 * received may be another hop's. */
	ck_assert_uint_eq(one_exchange("192.168.0.5:5060", "10:00:00.000",
	    "10:00:00.030", "10:00:02.010", "10:00:02.020"), 0);

	/* Bounds that contradict each other: the OPTIONS received 10 ms
	 * after it was sent, the 200 sent 1.99 s after it was received.
	 * No one offset explains them. */
	ck_assert_uint_eq(one_exchange("10.0.0.1:5060", "10:00:00.000",
	    "10:00:00.030", "10:00:00.010", "10:00:02.020"), 0);

	/* A copy sent again (a retransmission) is not taken for the one
	 * received: the first sent against the first received. */
	strbuf_init(&a);
	strbuf_init(&b);
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:00.000", NULL);
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:00.500", NULL);
	server_exchange(&b, 1, "10:00:00.010", "10:00:00.020");
	server_exchange(&b, 1, "10:00:00.510", NULL);
	ck_assert_uint_eq(clocks(&a, &b, &c, &e), 0);
	ck_assert_ptr_null(c);
	ck_assert_uint_eq(msgindex_count(engine_index(e)), 5);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

/* The engine says so once indexing is over, on the later file, with the
 * --offset that puts them in order; not once that offset is given. */
START_TEST(test_clocks_warning)
{
	struct strbuf a, b;
	struct engine *e;
	char *err = NULL;
	const struct engine_warning *w;

	strbuf_init(&a);
	strbuf_init(&b);
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:00.000",
	    "10:00:00.030");
	server_exchange(&b, 1, "10:00:02.010", "10:00:02.020");
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "client.txt", a.buf, a.len, NULL,
	    &err), 0);
	ck_assert_int_eq(engine_add_mem(e, "fe.log", b.buf, b.len, NULL,
	    &err), 1);
	engine_run(e);
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	w = engine_warning(e, 0);
	ck_assert_uint_eq(w->file, 1);
	ck_assert_uint_eq(w->line, 12);
	ck_assert_msg(strstr(w->msg, "its clock is ahead of client.txt's by "
	    "at least 1.990 s: it sent the 200 to OPTIONS (CSeq 1) at "
	    "2024-03-01T10:00:02.020, which client.txt saw at "
	    "2024-03-01T10:00:00.030000 (line 10); --offset fe.log=-2s puts "
	    "the two in order") == w->msg, "%s", w->msg);
	engine_free(e);

	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "client.txt", a.buf, a.len, NULL,
	    &err), 0);
	ck_assert_int_eq(engine_add_mem(e, "fe.log", b.buf, b.len, NULL,
	    &err), 1);
	ck_assert_int_eq(engine_set_offset(e, 1, -2000000), 0);
	engine_run(e);
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

/* twin_other: the client's copy and the server's of each message, back
 * and forth; none for a message only one log wrote, nor of one log. */
START_TEST(test_twin_other)
{
	struct strbuf a, b;
	struct twin_clock *c;
	struct engine *e;
	const struct msgindex *ix;
	char *err = NULL;
	size_t i, n;

	strbuf_init(&a);
	strbuf_init(&b);
	client_exchange(&a, "10.0.0.1:5060", 1, "10:00:00.000",
	    "10:00:00.030");
	client_exchange(&a, "10.0.0.1:5060", 2, "10:00:01.000", NULL);
	server_exchange(&b, 1, "10:00:00.010", "10:00:00.020");
	clocks(&a, &b, &c, &e);
	free(c);
	ix = engine_index(e);
	n = msgindex_count(ix);
	ck_assert_uint_eq(n, 5);
	for (i = 0; i < n; i++) {
		const struct msg *m = msgindex_get(ix, (uint32_t)i);
		uint32_t t = twin_other(e, (uint32_t)i);

		if (m->cseq == 2) {
			ck_assert_uint_eq(t, TWIN_NONE);
			continue;
		}
		ck_assert_uint_ne(t, TWIN_NONE);
		ck_assert_uint_ne(msgindex_get(ix, t)->file, m->file);
		ck_assert_uint_eq(msgindex_get(ix, t)->status, m->status);
		ck_assert_uint_eq(twin_other(e, t), (uint32_t)i);
	}
	ck_assert_uint_eq(twin_other(e, (uint32_t)n), TWIN_NONE);
	engine_free(e);

	/* One log alone: nothing is another's. */
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "client.txt", a.buf, a.len, NULL,
	    &err), 0);
	engine_run(e);
	for (i = 0; i < msgindex_count(engine_index(e)); i++)
		ck_assert_uint_eq(twin_other(e, (uint32_t)i), TWIN_NONE);
	engine_free(e);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

static Suite *
twin_suite(void)
{
	Suite *s = suite_create("twin");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_clocks_agree);
	tcase_add_test(tc, test_clocks_ahead);
	tcase_add_test(tc, test_clocks_unsure);
	tcase_add_test(tc, test_clocks_warning);
	tcase_add_test(tc, test_twin_other);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(twin_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
