/* Unit tests for rd_pcap: captures written byte by byte here (pcap and
 * pcapng headers, every link layer, IPv4/IPv6, fragments, UDP, TCP split,
 * coalesced, out of order, lost, TLS, WebSocket) and read through the
 * engine; damaged captures must neither crash nor loop. */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "util.h"
#include "helpers.h"
#include "reader.h"
#include "engine.h"
#include "source.h"

#define CRLF "\r\n"

/* LINKTYPE_ values as a capture file writes them. */
enum { LT_NULL = 0, LT_EN10MB = 1, LT_RAW = 101, LT_LOOP = 108,
       LT_SLL = 113, LT_IPV4 = 228, LT_IPV6 = 229, LT_SLL2 = 276 };

#define T0 1741680072u	/* 2025-03-11T08:01:12Z */

struct cap {
	struct strbuf b;
	int link;
	int big;	/* big-endian file */
	int vlans;	/* Ethernet: this many 802.1Q tags */
	uint32_t sec, usec;
	uint32_t npkt;	/* records written */
};

static void
put16(struct strbuf *sb, unsigned v, int big)
{
	unsigned char b[2];

	b[big ? 0 : 1] = (unsigned char)(v >> 8);
	b[big ? 1 : 0] = (unsigned char)v;
	strbuf_add(sb, b, 2);
}

static void
put32(struct strbuf *sb, uint32_t v, int big)
{
	put16(sb, big ? v >> 16 : v & 0xffff, big);
	put16(sb, big ? v & 0xffff : v >> 16, big);
}

static void
cap_init(struct cap *c, int link, uint32_t magic, int big)
{
	memset(c, 0, sizeof *c);
	strbuf_init(&c->b);
	c->link = link;
	c->big = big;
	c->sec = T0;
	put32(&c->b, magic, big);
	put16(&c->b, 2, big);
	put16(&c->b, 4, big);
	put32(&c->b, 0, big);
	put32(&c->b, 0, big);
	put32(&c->b, 262144, big);
	put32(&c->b, (uint32_t)link, big);
}

/* A record of caplen bytes of p whose wire length is wire. */
static void
cap_rec(struct cap *c, const void *p, size_t caplen, size_t wire)
{
	put32(&c->b, c->sec, c->big);
	put32(&c->b, c->usec, c->big);
	put32(&c->b, (uint32_t)caplen, c->big);
	put32(&c->b, (uint32_t)wire, c->big);
	strbuf_add(&c->b, p, caplen);
	c->usec += 1000;
	c->npkt++;
}

static void
be16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void
be32(unsigned char *p, uint32_t v)
{
	be16(p, v >> 16);
	be16(p + 2, v & 0xffff);
}

/* The link header for an IP packet of version v. */
static void
cap_link(const struct cap *c, struct strbuf *sb, int v)
{
	unsigned char h[32];
	int i;

	memset(h, 0, sizeof h);
	switch (c->link) {
	case LT_EN10MB:
		memcpy(h, "\x00\x15\x5d\x01\x02\x03\x00\x15\x5d\x0a\x0b\x0c", 12);
		strbuf_add(sb, h, 12);
		for (i = 0; i < c->vlans; i++) {
			be16(h, i == 0 && c->vlans > 1 ? 0x88a8 : 0x8100);
			be16(h + 2, 100 + i);
			strbuf_add(sb, h, 4);
		}
		be16(h, v == 6 ? 0x86dd : 0x0800);
		strbuf_add(sb, h, 2);
		break;
	case LT_SLL:
		be16(h, 0);
		be16(h + 2, 1);
		be16(h + 4, 6);
		be16(h + 14, v == 6 ? 0x86dd : 0x0800);
		strbuf_add(sb, h, 16);
		break;
	case LT_SLL2:
		be16(h, v == 6 ? 0x86dd : 0x0800);
		be32(h + 4, 3);
		be16(h + 8, 1);
		h[11] = 6;
		strbuf_add(sb, h, 20);
		break;
	case LT_NULL:
		/* Host order of the capturing machine: little-endian here,
		 * and macOS's AF_INET6. */
		h[0] = v == 6 ? 30 : 2;
		strbuf_add(sb, h, 4);
		break;
	case LT_LOOP:
		be32(h, v == 6 ? 24 : 2);
		strbuf_add(sb, h, 4);
		break;
	default:
		break;
	}
}

struct ep {
	const char *ip;
	unsigned port;
};

static int
ep_v(const struct ep *e)
{
	return strchr(e->ip, ':') != NULL ? 6 : 4;
}

/* An IP header for payload of n bytes (fragment fields for IPv4: off in
 * bytes, mf; for IPv6 a fragment header when frag is set). ext adds
 * IPv6 extension headers before the payload (hop-by-hop, dest options). */
struct ipopt {
	int frag;
	size_t off;
	int mf;
	uint32_t id;
	int ext;
};

static void
ip_hdr(struct strbuf *sb, const struct ep *s, const struct ep *d, int proto,
       size_t n, const struct ipopt *o)
{
	unsigned char h[64];
	size_t el = 0;

	memset(h, 0, sizeof h);
	if (ep_v(s) == 4) {
		h[0] = 0x45;
		be16(h + 2, (unsigned)(20 + n));
		be16(h + 4, o != NULL ? o->id : 1);
		if (o != NULL && o->frag)
			be16(h + 6, (unsigned)((o->mf ? 0x2000 : 0) | (o->off / 8)));
		h[8] = 64;
		h[9] = (unsigned char)proto;
		inet_pton(AF_INET, s->ip, h + 12);
		inet_pton(AF_INET, d->ip, h + 16);
		strbuf_add(sb, h, 20);
		return;
	}
	if (o != NULL && o->ext)
		el += 16;
	if (o != NULL && o->frag)
		el += 8;
	h[0] = 0x60;
	be16(h + 4, (unsigned)(n + el));
	h[7] = 64;
	inet_pton(AF_INET6, s->ip, h + 8);
	inet_pton(AF_INET6, d->ip, h + 24);
	if (o != NULL && o->ext) {
		h[6] = 0;		/* hop-by-hop, then destination options */
		strbuf_add(sb, h, 40);
		memset(h, 0, 16);
		h[0] = 60;
		h[2] = 1;		/* PadN */
		h[3] = 4;
		h[8] = o->frag ? 44 : (unsigned char)proto;
		h[10] = 1;
		h[11] = 4;
		strbuf_add(sb, h, 16);
	} else {
		h[6] = o != NULL && o->frag ? 44 : (unsigned char)proto;
		strbuf_add(sb, h, 40);
	}
	if (o != NULL && o->frag) {
		memset(h, 0, 8);
		h[0] = (unsigned char)proto;
		be16(h + 2, (unsigned)(o->off | (o->mf ? 1 : 0)));
		be32(h + 4, o->id);
		strbuf_add(sb, h, 8);
	}
}

static void
udp_seg(struct strbuf *sb, const struct ep *s, const struct ep *d,
	const char *data, size_t n)
{
	unsigned char h[8];

	be16(h, s->port);
	be16(h + 2, d->port);
	be16(h + 4, (unsigned)(8 + n));
	be16(h + 6, 0);
	strbuf_add(sb, h, 8);
	strbuf_add(sb, data, n);
}

/* A UDP datagram in one packet. */
static void
cap_udp(struct cap *c, const struct ep *s, const struct ep *d,
	const char *data, size_t n, const struct ipopt *o)
{
	struct strbuf pk, l4;

	strbuf_init(&pk);
	strbuf_init(&l4);
	udp_seg(&l4, s, d, data, n);
	cap_link(c, &pk, ep_v(s));
	ip_hdr(&pk, s, d, 17, l4.len, o);
	strbuf_add(&pk, l4.buf, l4.len);
	cap_rec(c, pk.buf, pk.len, pk.len);
	strbuf_free(&pk);
	strbuf_free(&l4);
}

/* A UDP datagram in IP fragments of fsz bytes, sent in the order given
 * by order (indexes of the fragments; -1 ends), id for the datagram. */
static void
cap_udp_frags(struct cap *c, const struct ep *s, const struct ep *d,
	      const char *data, size_t n, size_t fsz, const int *order,
	      uint32_t id)
{
	struct strbuf pk, l4;
	struct ipopt o;
	size_t nfrag, off, len;
	int i;

	strbuf_init(&l4);
	udp_seg(&l4, s, d, data, n);
	nfrag = (l4.len + fsz - 1) / fsz;
	for (i = 0; order[i] >= 0; i++) {
		if ((size_t)order[i] >= nfrag)
			continue;
		off = (size_t)order[i] * fsz;
		len = l4.len - off < fsz ? l4.len - off : fsz;
		memset(&o, 0, sizeof o);
		o.frag = 1;
		o.off = off;
		o.mf = off + len < l4.len;
		o.id = id;
		strbuf_init(&pk);
		cap_link(c, &pk, ep_v(s));
		ip_hdr(&pk, s, d, 17, len, &o);
		strbuf_add(&pk, l4.buf + off, len);
		cap_rec(c, pk.buf, pk.len, pk.len);
		strbuf_free(&pk);
	}
	strbuf_free(&l4);
}

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10

static void
cap_tcp(struct cap *c, const struct ep *s, const struct ep *d, uint32_t seq,
	int flags, const char *data, size_t n)
{
	struct strbuf pk;
	unsigned char h[20];

	strbuf_init(&pk);
	cap_link(c, &pk, ep_v(s));
	ip_hdr(&pk, s, d, 6, 20 + n, NULL);
	memset(h, 0, sizeof h);
	be16(h, s->port);
	be16(h + 2, d->port);
	be32(h + 4, seq);
	be32(h + 8, 1);
	h[12] = 5 << 4;
	h[13] = (unsigned char)flags;
	be16(h + 14, 65535);
	strbuf_add(&pk, h, 20);
	strbuf_add(&pk, data, n);
	cap_rec(c, pk.buf, pk.len, pk.len);
	strbuf_free(&pk);
}

static const struct ep A = { "192.0.2.10", 5062 };
static const struct ep B = { "198.51.100.20", 5080 };

static const struct ep A6 = { "2001:db8::10", 5060 };
static const struct ep B6 = { "2001:db8:1::20", 5060 };

static char *
mkmsg(const char *start, const char *callid, const char *cseq,
      const char *body)
{
	return xasprintf("%s" CRLF
			 "Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK%s" CRLF
			 "From: <sip:alice@example.com>;tag=a1" CRLF
			 "To: <sip:bob@example.com>" CRLF
			 "Call-ID: %s" CRLF
			 "CSeq: %s" CRLF
			 "Content-Length: %zu" CRLF CRLF "%s",
			 start, callid, callid, cseq, strlen(body), body);
}

/* Loads the capture into a new engine and indexes it; NULL and *err when
 * it is refused. */
static struct engine *
load(struct cap *c, char **err)
{
	struct engine *e = engine_new();

	*err = NULL;
	if (engine_add_mem(e, "test.pcap", c->b.buf, c->b.len, NULL, err) < 0) {
		engine_free(e);
		return NULL;
	}
	engine_run(e);
	return e;
}

/* 300 copies of c, each with a few bytes past its first keep changed and
 * one in three cut short, read: never a crash nor a loop (Check's
 * timeout), whatever they give. */
static void
load_damaged(const struct cap *c, size_t keep, uint32_t seed)
{
	struct engine *e;
	struct cap d;
	char *err;
	size_t i, k, p;

	for (i = 0; i < 300; i++) {
		cap_init(&d, LT_EN10MB, 0xa1b2c3d4, 0);
		d.b.len = 0;
		strbuf_add(&d.b, c->b.buf, c->b.len);
		for (k = 0; k < 1 + i % 8; k++) {
			seed = seed * 1103515245u + 12345u;
			p = keep + (seed >> 8) % (d.b.len - keep);
			d.b.buf[p] = (char)(seed >> 16);
		}
		if (i % 3 == 0)
			d.b.len -= (seed >> 4) % (d.b.len - keep);
		e = load(&d, &err);
		if (e == NULL)
			free(err);
		engine_free(e);
		strbuf_free(&d.b);
	}
}

static struct engine *
load_ok(struct cap *c)
{
	char *err;
	struct engine *e = load(c, &err);

	if (e == NULL)
		ck_abort_msg("capture refused: %s", err);
	ck_assert_str_eq(engine_file(e, 0)->fmt->name, "pcap");
	return e;
}

static size_t
count(const struct engine *e)
{
	return msgindex_count(engine_index(e));
}

/* Checks message id: start line, packet number, endpoints, transport. */
static void
check_msg(const struct engine *e, uint32_t id, const char *start,
	  uint32_t pkt, const char *src, const char *dst, const char *tr)
{
	struct rd_record rec;
	struct sipmsg sm;
	struct span t;
	char buf[16];
	const struct msg *m = msgindex_get(engine_index(e), id);
	uint32_t isrc, idst;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(engine_message(e, id, &rec, &sm), 0);
	if (!span_eq(rec.start, start))
		ck_abort_msg("message %u: start line '%.*s', expected '%s'", id,
			     (int)rec.start.n, rec.start.p, start);
	ck_assert_uint_eq(rec.line, pkt);
	ck_assert_uint_eq(engine_msg_line(e, id), pkt);
	engine_msg_ends(e, id, &isrc, &idst);
	ck_assert_str_eq(engine_str(e, isrc), src);
	ck_assert_str_eq(engine_str(e, idst), dst);
	t = engine_transport(&rec, &sm, buf, sizeof buf);
	ck_assert_msg(span_eq(t, tr), "message %u: transport '%.*s', expected "
		      "'%s'", id, (int)t.n, t.p ? t.p : "", tr);
	sipmsg_clear(&sm);
	ck_assert_uint_eq(rec.dir, DIR_UNKNOWN);
}

static int
has_warning(const struct engine *e, const char *needle, uint32_t line)
{
	size_t i;

	for (i = 0; i < engine_nwarnings(e); i++) {
		const struct engine_warning *w = engine_warning(e, i);

		if (strstr(w->msg, needle) != NULL &&
		    (line == UINT32_MAX || w->line == line))
			return 1;
	}
	return 0;
}

static size_t
count_warnings(const struct engine *e, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < engine_nwarnings(e); i++)
		n += strstr(engine_warning(e, i)->msg, needle) != NULL;
	return n;
}

/* The source endpoint of message id. */
static uint32_t
src_of(const struct engine *e, uint32_t id)
{
	uint32_t src, dst;

	engine_msg_ends(e, id, &src, &dst);
	return src;
}

START_TEST(test_probe)
{
	static const struct {
		const char *bytes;
		size_t n;
		int pcap;
	} cases[] = {
		{ "\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8, 1 },
		{ "\xa1\xb2\xc3\xd4\x00\x02\x00\x04", 8, 1 },
		{ "\x4d\x3c\xb2\xa1\x02\x00\x04\x00", 8, 1 },
		{ "\xa1\xb2\x3c\x4d\x00\x02\x00\x04", 8, 1 },
		{ "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a", 12, 1 },
		{ "\x0a\x0d\x0d\x0a\x00\x00\x00\x1c\x1a\x2b\x3c\x4d", 12, 1 },
		{ "\x0a\x0d\x0d\x0a\x00\x00\x00\x1c\x00\x00\x00\x00", 12, 0 },
		{ "\xd4\xc3\xb2\xa1\x07\x00\x04\x00", 8, 0 },
		{ "REGISTER sip:x SIP/2.0\r\n", 24, 0 },
	};
	const struct rd_format *pc = reader_by_name("pcap"), *f;
	size_t i;

	ck_assert_ptr_nonnull(pc);
	ck_assert_ptr_nonnull(pc->transform);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		f = reader_probe(cases[i].bytes, cases[i].n);
		if (cases[i].pcap)
			ck_assert_ptr_eq(f, pc);
		else
			ck_assert_ptr_ne(f, pc);
	}
}
END_TEST


/* SIP over UDP on ports other than 5060, found by content; other UDP and
 * keep-alives are skipped and counted. */
START_TEST(test_udp)
{
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	struct sipmsg sm;
	char *inv = mkmsg("INVITE sip:bob@example.com SIP/2.0", "udp-1",
			  "1 INVITE", "v=0\r\ns=-\r\n");
	char *ok = mkmsg("SIP/2.0 200 OK", "udp-1", "1 INVITE", "");
	const struct msg *m;

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_udp(&c, &A, &B, inv, strlen(inv), NULL);
	cap_udp(&c, &A, &B, "\r\n\r\n", 4, NULL);
	cap_udp(&c, &B, &A, "\x01\x01\x00\x00 not sip", 12, NULL);
	cap_udp(&c, &B, &A, ok, strlen(ok), NULL);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 2);
	check_msg(e, 0, "INVITE sip:bob@example.com SIP/2.0", 1,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	check_msg(e, 1, "SIP/2.0 200 OK", 4, "198.51.100.20:5080",
		  "192.0.2.10:5062", "UDP");
	m = msgindex_get(engine_index(e), 0);
	ck_assert_int_eq(m->time, (int64_t)T0 * 1000000);
	ck_assert_int_eq(MSG_TIME_PREC(m), 6);
	ck_assert(m->time_prec & MSG_TIME_HAS_DATE);
	ck_assert_int_eq(msgindex_get(engine_index(e), 1)->time,
			 (int64_t)T0 * 1000000 + 3000);
	ck_assert_int_eq(engine_message(e, 0, &rec, &sm), 0);
	ck_assert(span_eq(rec.body, "v=0\r\ns=-\r\n"));
	ck_assert(span_eq(sm.call_id, "udp-1"));
	sipmsg_clear(&sm);
	ck_assert(has_warning(e, "2 of 4 packets carry no SIP", 0));
	engine_free(e);
	strbuf_free(&c.b);
	free(inv);
	free(ok);
}
END_TEST

/* Every link type, with IPv4 and IPv6 where the link carries both. */
START_TEST(test_links)
{
	static const struct {
		int link, vlans, v6;
	} cases[] = {
		{ LT_EN10MB, 0, 0 }, { LT_EN10MB, 1, 0 }, { LT_EN10MB, 2, 1 },
		{ LT_SLL, 0, 0 }, { LT_SLL, 0, 1 }, { LT_SLL2, 0, 0 },
		{ LT_SLL2, 0, 1 }, { LT_RAW, 0, 0 }, { LT_RAW, 0, 1 },
		{ LT_IPV4, 0, 0 }, { LT_IPV6, 0, 1 }, { LT_NULL, 0, 0 },
		{ LT_NULL, 0, 1 }, { LT_LOOP, 0, 0 }, { LT_LOOP, 0, 1 },
	};
	char *msg = mkmsg("OPTIONS sip:ping@example.com SIP/2.0", "link",
			  "1 OPTIONS", "");
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cap c;
		struct engine *e;

		cap_init(&c, cases[i].link, 0xa1b2c3d4, i % 2);
		c.vlans = cases[i].vlans;
		if (cases[i].v6)
			cap_udp(&c, &A6, &B6, msg, strlen(msg), NULL);
		else
			cap_udp(&c, &A, &B, msg, strlen(msg), NULL);
		e = load_ok(&c);
		if (count(e) != 1)
			ck_abort_msg("link %d vlans %d v6 %d: %zu messages",
				     cases[i].link, cases[i].vlans, cases[i].v6,
				     count(e));
		if (cases[i].v6)
			check_msg(e, 0, "OPTIONS sip:ping@example.com SIP/2.0",
				  1, "[2001:db8::10]:5060",
				  "[2001:db8:1::20]:5060", "UDP");
		else
			check_msg(e, 0, "OPTIONS sip:ping@example.com SIP/2.0",
				  1, "192.0.2.10:5062", "198.51.100.20:5080",
				  "UDP");
		engine_free(e);
		strbuf_free(&c.b);
	}
	free(msg);
}
END_TEST

START_TEST(test_unsupported_link)
{
	struct cap c;
	char *err;

	cap_init(&c, 105, 0xa1b2c3d4, 0);	/* IEEE 802.11 */
	cap_rec(&c, "0123456789", 10, 10);
	ck_assert_ptr_null(load(&c, &err));
	ck_assert_ptr_nonnull(strstr(err, "test.pcap: "));
	ck_assert_ptr_nonnull(strstr(err, "link type"));
	free(err);
	strbuf_free(&c.b);
}
END_TEST

/* Nanosecond captures keep microseconds; pcapng with an if_tsresol. */
START_TEST(test_nano_and_pcapng)
{
	struct cap c;
	struct engine *e;
	struct strbuf ng, pk;
	char *msg = mkmsg("MESSAGE sip:bob@example.com SIP/2.0", "ng",
			  "1 MESSAGE", "hi");
	uint64_t ns;
	size_t plen;

	cap_init(&c, LT_EN10MB, 0xa1b23c4d, 1);
	c.usec = 123456789;	/* nanoseconds here */
	cap_udp(&c, &A, &B, msg, strlen(msg), NULL);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 1);
	ck_assert_int_eq(msgindex_get(engine_index(e), 0)->time,
			 (int64_t)T0 * 1000000 + 123456);
	engine_free(e);
	strbuf_free(&c.b);

	/* pcapng: section header, interface (nanoseconds), enhanced packet. */
	strbuf_init(&ng);
	put32(&ng, 0x0a0d0d0a, 0);
	put32(&ng, 28, 0);
	put32(&ng, 0x1a2b3c4d, 0);
	put16(&ng, 1, 0);
	put16(&ng, 0, 0);
	put32(&ng, 0xffffffff, 0);
	put32(&ng, 0xffffffff, 0);
	put32(&ng, 28, 0);
	put32(&ng, 1, 0);
	put32(&ng, 32, 0);
	put16(&ng, LT_EN10MB, 0);
	put16(&ng, 0, 0);
	put32(&ng, 65535, 0);
	put16(&ng, 9, 0);	/* if_tsresol: 10^-9 */
	put16(&ng, 1, 0);
	strbuf_add(&ng, "\x09\0\0\0", 4);
	put32(&ng, 0, 0);	/* opt_endofopt */
	put32(&ng, 32, 0);
	/* The packet bytes of a pcap record, in an enhanced packet block. */
	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	strbuf_init(&pk);
	cap_udp(&c, &A, &B, msg, strlen(msg), NULL);
	strbuf_add(&pk, c.b.buf + 24 + 16, c.b.len - 24 - 16);
	plen = pk.len;
	strbuf_free(&c.b);
	while (pk.len % 4 != 0)
		strbuf_addc(&pk, '\0');
	ns = (uint64_t)T0 * 1000000000 + 5000001;
	put32(&ng, 6, 0);
	put32(&ng, (uint32_t)(32 + pk.len), 0);
	put32(&ng, 0, 0);
	put32(&ng, (uint32_t)(ns >> 32), 0);
	put32(&ng, (uint32_t)ns, 0);
	put32(&ng, (uint32_t)plen, 0);
	put32(&ng, (uint32_t)plen, 0);
	strbuf_add(&ng, pk.buf, pk.len);
	put32(&ng, (uint32_t)(32 + pk.len), 0);
	strbuf_free(&pk);
	c.b = ng;
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 1);
	check_msg(e, 0, "MESSAGE sip:bob@example.com SIP/2.0", 1,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	ck_assert_int_eq(msgindex_get(engine_index(e), 0)->time,
			 (int64_t)T0 * 1000000 + 5000);
	engine_free(e);
	strbuf_free(&c.b);
	free(msg);
}
END_TEST

/* IPv4 and IPv6 fragments, in and out of order; an incomplete datagram
 * is dropped with a warning. IPv6 extension headers are skipped. */
START_TEST(test_fragments)
{
	static const int inorder[] = { 0, 1, 2, 3, 4, -1 };
	static const int reversed[] = { 4, 3, 2, 1, 0, -1 };
	static const int missing[] = { 0, 2, -1 };
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	struct ipopt o;
	struct strbuf body, stray;
	char *big;
	uint32_t v4last, v6last, last;
	int i;

	strbuf_init(&body);
	for (i = 0; i < 60; i++)
		strbuf_addf(&body, "a=candidate:%d 1 UDP 2130706431 192.0.2.10 %d "
			    "typ host\r\n", i, 40000 + i);
	big = mkmsg("INVITE sip:bob@example.com SIP/2.0", "frag", "1 INVITE",
		    body.buf);
	ck_assert_uint_gt(strlen(big), 2 * 1480);

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_udp_frags(&c, &A, &B, big, strlen(big), 1480, inorder, 7);
	v4last = c.npkt;
	cap_udp_frags(&c, &B, &A, big, strlen(big), 1480, missing, 8);
	/* A stray piece past its end must not make up for the missing
	 * middle one. */
	memset(&o, 0, sizeof o);
	o.frag = 1;
	o.off = 4440;
	o.mf = 1;
	o.id = 8;
	strbuf_init(&stray);
	cap_link(&c, &stray, 4);
	ip_hdr(&stray, &B, &A, 17, 1480, &o);
	for (i = 0; i < 1480; i++)
		strbuf_addc(&stray, 'x');
	cap_rec(&c, stray.buf, stray.len, stray.len);
	strbuf_free(&stray);
	cap_udp_frags(&c, &A6, &B6, big, strlen(big), 1232, reversed, 9);
	v6last = c.npkt;
	memset(&o, 0, sizeof o);
	o.ext = 1;
	cap_udp(&c, &B6, &A6, big, 300, &o);	/* a datagram cut short */
	last = c.npkt;
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 3);
	/* A datagram is complete with its last fragment to arrive. */
	check_msg(e, 0, "INVITE sip:bob@example.com SIP/2.0", v4last,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	ck_assert_int_eq(engine_message(e, 0, &rec, NULL), 0);
	ck_assert_uint_eq(rec.body.n, body.len);
	ck_assert_int_eq(memcmp(rec.body.p, body.buf, body.len), 0);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 0)->flags &
			  RECF_TRUNCATED, 0);
	check_msg(e, 1, "INVITE sip:bob@example.com SIP/2.0", v6last,
		  "[2001:db8::10]:5060", "[2001:db8:1::20]:5060", "UDP");
	ck_assert_int_eq(engine_message(e, 1, &rec, NULL), 0);
	ck_assert_uint_eq(rec.body.n, body.len);
	check_msg(e, 2, "INVITE sip:bob@example.com SIP/2.0", last,
		  "[2001:db8:1::20]:5060", "[2001:db8::10]:5060", "UDP");
	ck_assert(msgindex_get(engine_index(e), 2)->flags & RECF_TRUNCATED);
	ck_assert(has_warning(e, "1 IP datagram never complete", 0));
	engine_free(e);
	strbuf_free(&c.b);
	strbuf_free(&body);
	free(big);
}
END_TEST

/* TCP: a handshake, one message in three segments, two messages and a
 * keep-alive in one segment, a body framed by Content-Length. */
START_TEST(test_tcp_split_coalesced)
{
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	char *m1 = mkmsg("REGISTER sip:example.com SIP/2.0", "tcp-1",
			 "1 REGISTER", "");
	char *m2 = mkmsg("SIP/2.0 401 Unauthorized", "tcp-1", "1 REGISTER",
			 "");
	char *m3 = mkmsg("MESSAGE sip:bob@example.com SIP/2.0", "tcp-2",
			 "2 MESSAGE", "SIP/2.0 200 OK\r\n\r\nnot a message");
	char *both;
	uint32_t s = 1000, r = 9000;
	size_t n1 = strlen(m1);

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_tcp(&c, &A, &B, s++, F_SYN, NULL, 0);
	cap_tcp(&c, &B, &A, r++, F_SYN | F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s, F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s, F_ACK, m1, 10);
	cap_tcp(&c, &A, &B, s + 10, F_ACK, m1 + 10, n1 - 30);
	cap_tcp(&c, &B, &A, r, F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s + (uint32_t)n1 - 20, F_ACK | F_PSH,
		m1 + n1 - 20, 20);
	s += (uint32_t)n1;
	both = xasprintf("%s\r\n\r\n%s", m2, m3);
	cap_tcp(&c, &B, &A, r, F_ACK | F_PSH, both, strlen(both));
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 3);
	/* A message has the packet of its last segment. */
	check_msg(e, 0, "REGISTER sip:example.com SIP/2.0", 7,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	check_msg(e, 1, "SIP/2.0 401 Unauthorized", 8, "198.51.100.20:5080",
		  "192.0.2.10:5062", "TCP");
	check_msg(e, 2, "MESSAGE sip:bob@example.com SIP/2.0", 8,
		  "198.51.100.20:5080", "192.0.2.10:5062", "TCP");
	ck_assert_int_eq(engine_message(e, 2, &rec, NULL), 0);
	ck_assert(span_eq(rec.body, "SIP/2.0 200 OK\r\n\r\nnot a message"));
	ck_assert_int_eq(engine_message(e, 0, &rec, NULL), 0);
	ck_assert_uint_eq(rec.start.n + rec.hdrs.n, n1 - 4 - 2);
	/* The handshake and the bare ACKs are TCP's own: no packet is
	 * counted as carrying something other than SIP. */
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	strbuf_free(&c.b);
	free(m1);
	free(m2);
	free(m3);
	free(both);
}
END_TEST

/* Segments without payload (SYN, ACK, FIN, RST) and retransmitted SIP
 * are not packets without SIP; the segments of a connection that carries
 * something else are. */
START_TEST(test_tcp_not_sip)
{
	static const struct ep C = { "192.0.2.30", 8080 };
	struct cap c;
	struct engine *e;
	char *m1 = mkmsg("OPTIONS sip:example.com SIP/2.0", "ctl-1",
			 "1 OPTIONS", "");
	const char *get = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
	const char *ans = "HTTP/1.1 204 No Content\r\n\r\n";
	uint32_t s = 1000, r = 9000, h = 5000, k = 7000;
	size_t n1 = strlen(m1);

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_tcp(&c, &A, &B, s++, F_SYN, NULL, 0);
	cap_tcp(&c, &B, &A, r++, F_SYN | F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s, F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s, F_ACK | F_PSH, m1, n1);
	cap_tcp(&c, &A, &B, s, F_ACK | F_PSH, m1, n1);	/* retransmitted */
	s += (uint32_t)n1;
	cap_tcp(&c, &B, &A, r, F_ACK, NULL, 0);
	/* HTTP beside it: its two segments with payload are counted. */
	cap_tcp(&c, &A, &C, h++, F_SYN, NULL, 0);
	cap_tcp(&c, &C, &A, k++, F_SYN | F_ACK, NULL, 0);
	cap_tcp(&c, &A, &C, h, F_ACK | F_PSH, get, strlen(get));
	h += (uint32_t)strlen(get);
	cap_tcp(&c, &C, &A, k, F_ACK | F_PSH, ans, strlen(ans));
	k += (uint32_t)strlen(ans);
	cap_tcp(&c, &A, &C, h, F_FIN | F_ACK, NULL, 0);
	cap_tcp(&c, &C, &A, k, F_RST, NULL, 0);
	cap_tcp(&c, &A, &B, s, F_FIN | F_ACK, NULL, 0);
	cap_tcp(&c, &B, &A, r, F_FIN | F_ACK, NULL, 0);
	cap_tcp(&c, &A, &B, s + 1, F_ACK, NULL, 0);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 1);
	check_msg(e, 0, "OPTIONS sip:example.com SIP/2.0", 4,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	ck_assert(has_warning(e, "2 of 15 packets carry no SIP", 0));
	engine_free(e);
	strbuf_free(&c.b);
	free(m1);
}
END_TEST

/* Out of order, retransmitted and overlapping segments; sequence numbers
 * that wrap around. */
START_TEST(test_tcp_reorder)
{
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	char *m1 = mkmsg("INVITE sip:bob@example.com SIP/2.0", "ooo-1",
			 "1 INVITE", "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\n");
	char *m2 = mkmsg("BYE sip:bob@example.com SIP/2.0", "ooo-1", "2 BYE",
			 "");
	struct strbuf all;
	uint32_t s = 0xffffff00u;
	size_t n, a, b;

	strbuf_init(&all);
	strbuf_adds(&all, m1);
	strbuf_adds(&all, m2);
	n = all.len;
	/* The BYE starts the third piece. */
	a = 100;
	b = strlen(m1);
	ck_assert_uint_gt(b, a);
	cap_init(&c, LT_SLL, 0xa1b2c3d4, 0);
	cap_tcp(&c, &A, &B, s - 1, F_SYN, NULL, 0);
	/* third piece first, then the second, a retransmission of the
	 * second overlapping into the third, then the first twice */
	cap_tcp(&c, &A, &B, s + (uint32_t)b, F_ACK, all.buf + b, n - b);
	cap_tcp(&c, &A, &B, s + (uint32_t)a, F_ACK, all.buf + a, b - a);
	cap_tcp(&c, &A, &B, s + (uint32_t)a, F_ACK, all.buf + a, b - a + 40);
	cap_tcp(&c, &A, &B, s, F_ACK, all.buf, a);
	cap_tcp(&c, &A, &B, s, F_ACK, all.buf, a);
	cap_tcp(&c, &A, &B, s + (uint32_t)n, F_FIN | F_ACK, NULL, 0);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 2);
	/* Both are complete when the first piece arrives: the BYE, whose
	 * bytes came first, waited for those before it. */
	check_msg(e, 0, "INVITE sip:bob@example.com SIP/2.0", 5,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	check_msg(e, 1, "BYE sip:bob@example.com SIP/2.0", 5,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	ck_assert_int_eq(engine_message(e, 0, &rec, NULL), 0);
	ck_assert(span_eq(rec.body, "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\n"));
	ck_assert_uint_eq(msgindex_get(engine_index(e), 0)->flags &
			  RECF_TRUNCATED, 0);
	ck_assert_uint_eq(msgindex_get(engine_index(e), 1)->flags &
			  RECF_TRUNCATED, 0);
	engine_free(e);
	strbuf_free(&c.b);
	strbuf_free(&all);
	free(m1);
	free(m2);
}
END_TEST

/* Joined in the middle of a message; a lost segment cuts a message (kept,
 * flagged, warned) and the stream picks up at the next start line; a
 * message without its end at the end of the capture is kept too. */
START_TEST(test_tcp_lost)
{
	struct cap c;
	struct engine *e;
	char *m1 = mkmsg("NOTIFY sip:bob@example.com SIP/2.0", "lost-1",
			 "1 NOTIFY", "0123456789");
	char *m2 = mkmsg("SUBSCRIBE sip:bob@example.com SIP/2.0", "lost-2",
			 "1 SUBSCRIBE", "");
	char *m3 = mkmsg("PUBLISH sip:bob@example.com SIP/2.0", "lost-3",
			 "1 PUBLISH", "");
	size_t n1 = strlen(m1), n2 = strlen(m2), n3 = strlen(m3);
	uint32_t s = 5000;

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	/* No SYN: the capture starts with the end of a message. */
	cap_tcp(&c, &A, &B, s, F_ACK, m1 + 50, n1 - 50);
	s += (uint32_t)(n1 - 50);
	cap_tcp(&c, &A, &B, s, F_ACK, m2, 60);
	/* m2's middle is lost */
	cap_tcp(&c, &A, &B, s + 100, F_ACK, m2 + 100, n2 - 100);
	s += (uint32_t)n2;
	cap_tcp(&c, &A, &B, s, F_ACK, m1, n1);
	s += (uint32_t)n1;
	cap_tcp(&c, &A, &B, s, F_ACK, m3, n3 - 10);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 3);
	check_msg(e, 0, "SUBSCRIBE sip:bob@example.com SIP/2.0", 2,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	ck_assert(msgindex_get(engine_index(e), 0)->flags & RECF_TRUNCATED);
	check_msg(e, 1, "NOTIFY sip:bob@example.com SIP/2.0", 4,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	ck_assert_uint_eq(msgindex_get(engine_index(e), 1)->flags &
			  RECF_TRUNCATED, 0);
	check_msg(e, 2, "PUBLISH sip:bob@example.com SIP/2.0", 5,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	ck_assert(msgindex_get(engine_index(e), 2)->flags & RECF_TRUNCATED);
	ck_assert(has_warning(e, "40 bytes of TCP 192.0.2.10:5062 -> "
			      "198.51.100.20:5080 were not captured", 3));
	ck_assert(has_warning(e, "message cut short", 2));
	ck_assert(has_warning(e, "message cut short", 5));
	engine_free(e);
	strbuf_free(&c.b);
	free(m1);
	free(m2);
	free(m3);
}
END_TEST

/* Segment k of the stream in all, cut at segs[]. */
static void
send_seg(struct cap *c, const struct strbuf *all, const size_t *segs,
	 size_t k)
{
	cap_tcp(c, &A, &B, 42 + (uint32_t)segs[k], F_ACK, all->buf + segs[k],
		segs[k + 1] - segs[k]);
}

/* Property: whatever the segmentation, a bounded reordering and
 * duplicates, every message of a stream comes out whole and in order. */
START_TEST(test_tcp_random)
{
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	struct strbuf all;
	char *m, body[64];
	size_t segs[400], nseg, i, n;
	uint32_t seed = 99, iter;

	for (iter = 0; iter < 60; iter++) {
		strbuf_init(&all);
		n = 1 + iter % 12;
		for (i = 0; i < n; i++) {
			snprintf(body, sizeof body, "body %zu of %u", i, iter);
			m = mkmsg(i % 2 ? "SIP/2.0 200 OK" :
				  "MESSAGE sip:bob@example.com SIP/2.0",
				  "rand", "1 MESSAGE", body);
			if (i % 3 == 1)
				strbuf_adds(&all, "\r\n\r\n");	/* keep-alive */
			strbuf_adds(&all, m);
			free(m);
		}
		/* Random cut points, then swaps of neighbours. */
		nseg = 0;
		for (i = 0; i < all.len && nseg < 399; nseg++) {
			segs[nseg] = i;
			seed = seed * 1103515245u + 12345u;
			i += 1 + (seed >> 8) % (iter % 3 == 0 ? 9 : 300);
		}
		segs[nseg] = all.len;
		cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
		cap_tcp(&c, &A, &B, 41, F_SYN, NULL, 0);
		for (i = 0; i < nseg; i++) {
			seed = seed * 1103515245u + 12345u;
			if ((seed >> 9) % 4 == 0 && i + 1 < nseg) {
				/* this one after the next */
				send_seg(&c, &all, segs, i + 1);
				send_seg(&c, &all, segs, i);
				i++;
			} else
				send_seg(&c, &all, segs, i);
			if ((seed >> 13) % 5 == 0)	/* a retransmission */
				send_seg(&c, &all, segs, i);
		}
		e = load_ok(&c);
		if (count(e) != n)
			ck_abort_msg("iteration %u: %zu messages, expected %zu",
				     iter, count(e), n);
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(engine_message(e, (uint32_t)i, &rec,
							NULL), 0);
			snprintf(body, sizeof body, "body %zu of %u", i, iter);
			ck_assert(span_eq(rec.body, body));
			ck_assert_uint_eq(msgindex_get(engine_index(e),
						       (uint32_t)i)->flags &
					  RECF_TRUNCATED, 0);
		}
		engine_free(e);
		strbuf_free(&c.b);
		strbuf_free(&all);
	}
}
END_TEST

/* Time of packet k of a capture written by cap_rec. */
static int64_t
pkt_time(uint32_t k)
{
	return (int64_t)T0 * 1000000 + (int64_t)(k - 1) * 1000;
}

/* The packet numbers of file's messages in index order (at most max);
 * how many. Checks that the times of all messages never go back. */
static size_t
file_lines(const struct engine *e, uint16_t file, uint32_t *lines,
	   size_t max)
{
	size_t i, n = 0;
	int64_t prev = INT64_MIN;

	for (i = 0; i < count(e); i++) {
		const struct msg *m = msgindex_get(engine_index(e), (uint32_t)i);

		ck_assert_msg(m->time >= prev, "message %zu goes back in time",
			      i);
		prev = m->time;
		if (m->file == file && n < max)
			lines[n++] = engine_msg_line(e, (uint32_t)i);
	}
	return n;
}

/* A message in several TCP segments or IP fragments is complete when its
 * last piece arrives and takes that packet's number and time (as
 * Wireshark shows it): a capture's messages come out in time order, also
 * across connections and UDP, within a connection whose segments come out
 * of order, and for messages held behind a lost segment until the end
 * (never earlier than the message before them); merged with another file
 * (sorted by time), the capture's messages keep their order. */
START_TEST(test_completion_time)
{
	static const struct ep C = { "192.0.2.30", 5064 };
	static const int first[] = { 0, -1 }, second[] = { 1, -1 };
	static const uint32_t want[] = { 5, 6, 7, 9, 9, 11, 12, 15, 13, 14 };
	struct cap c, o;
	struct engine *e;
	struct strbuf body, seg;
	char *m1 = mkmsg("REGISTER sip:example.com SIP/2.0", "ct-1",
			 "1 REGISTER", "");
	char *m2 = mkmsg("INVITE sip:bob@example.com SIP/2.0", "ct-2",
			 "1 INVITE", "v=0\r\n");
	char *m3 = mkmsg("SIP/2.0 200 OK", "ct-1", "1 REGISTER", "");
	char *m4 = mkmsg("NOTIFY sip:alice@example.com SIP/2.0", "ct-3",
			 "1 NOTIFY", "");
	char *m5 = mkmsg("SIP/2.0 180 Ringing", "ct-2", "1 INVITE", "");
	char *m6 = mkmsg("SIP/2.0 200 OK", "ct-2", "1 INVITE", "");
	char *u = mkmsg("OPTIONS sip:bob@example.com SIP/2.0", "ct-u",
			"1 OPTIONS", "");
	char *big, *err = NULL;
	uint32_t a = 100, b = 700, lines[16], merged[16];
	size_t n1 = strlen(m1), n2 = strlen(m2), i, n;
	int k;

	strbuf_init(&body);
	for (k = 0; k < 40; k++)
		strbuf_addf(&body, "a=candidate:%d 1 UDP 2130706431 192.0.2.10 "
			    "%d typ host\r\n", k, 40000 + k);
	big = mkmsg("MESSAGE sip:bob@example.com SIP/2.0", "ct-big",
		    "1 MESSAGE", body.buf);
	ck_assert_uint_gt(strlen(big), 1480);
	ck_assert_uint_lt(strlen(big), 2 * 1480 - 8);

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_tcp(&c, &A, &B, a++, F_SYN, NULL, 0);			/* 1 */
	cap_tcp(&c, &C, &B, b++, F_SYN, NULL, 0);			/* 2 */
	cap_tcp(&c, &A, &B, a, F_ACK, m1, 50);				/* 3 */
	cap_tcp(&c, &C, &B, b, F_ACK, m2, 30);				/* 4 */
	cap_udp(&c, &A, &B, u, strlen(u), NULL);			/* 5 */
	cap_tcp(&c, &C, &B, b + 30, F_ACK | F_PSH, m2 + 30, n2 - 30);	/* 6 */
	cap_tcp(&c, &A, &B, a + 50, F_ACK | F_PSH, m1 + 50, n1 - 50);	/* 7 */
	a += (uint32_t)n1;
	b += (uint32_t)n2;
	/* The end of m3 and all of m4 before the start of m3. */
	strbuf_init(&seg);
	strbuf_adds(&seg, m3 + 40);
	strbuf_adds(&seg, m4);
	cap_tcp(&c, &A, &B, a + 40, F_ACK | F_PSH, seg.buf, seg.len);	/* 8 */
	cap_tcp(&c, &A, &B, a, F_ACK, m3, 40);				/* 9 */
	/* A datagram in two fragments, a message between them. */
	cap_udp_frags(&c, &B, &A, big, strlen(big), 1480, first, 5);	/* 10 */
	cap_udp(&c, &B, &A, u, strlen(u), NULL);			/* 11 */
	cap_udp_frags(&c, &B, &A, big, strlen(big), 1480, second, 5);	/* 12 */
	/* m5 loses bytes 40 to 80; m6 waits behind them until the end. */
	cap_tcp(&c, &C, &B, b, F_ACK, m5, 40);				/* 13 */
	strbuf_reset(&seg);
	strbuf_adds(&seg, m5 + 80);
	strbuf_adds(&seg, m6);
	cap_tcp(&c, &C, &B, b + 80, F_ACK | F_PSH, seg.buf, seg.len);	/* 14 */
	cap_udp(&c, &A, &B, u, strlen(u), NULL);			/* 15 */

	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 10);
	check_msg(e, 1, "INVITE sip:bob@example.com SIP/2.0", 6,
		  "192.0.2.30:5064", "198.51.100.20:5080", "TCP");
	check_msg(e, 2, "REGISTER sip:example.com SIP/2.0", 7,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	check_msg(e, 3, "SIP/2.0 200 OK", 9, "192.0.2.10:5062",
		  "198.51.100.20:5080", "TCP");
	check_msg(e, 4, "NOTIFY sip:alice@example.com SIP/2.0", 9,
		  "192.0.2.10:5062", "198.51.100.20:5080", "TCP");
	check_msg(e, 6, "MESSAGE sip:bob@example.com SIP/2.0", 12,
		  "198.51.100.20:5080", "192.0.2.10:5062", "UDP");
	check_msg(e, 8, "SIP/2.0 180 Ringing", 13, "192.0.2.30:5064",
		  "198.51.100.20:5080", "TCP");
	check_msg(e, 9, "SIP/2.0 200 OK", 14, "192.0.2.30:5064",
		  "198.51.100.20:5080", "TCP");
	ck_assert(msgindex_get(engine_index(e), 8)->flags & RECF_TRUNCATED);
	n = file_lines(e, 0, lines, 16);
	ck_assert_uint_eq(n, 10);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(lines[i], want[i]);
		/* Written at the end, after packet 15: not before it. */
		ck_assert_int_eq(msgindex_get(engine_index(e),
					      (uint32_t)i)->time,
				 pkt_time(i < 8 ? want[i] : 15));
	}
	engine_free(e);

	/* Another capture whose messages fall between and on those. */
	cap_init(&o, LT_EN10MB, 0xa1b2c3d4, 0);
	o.usec = 5500;
	cap_udp(&o, &B, &A, u, strlen(u), NULL);
	o.usec = 7500;
	cap_udp(&o, &B, &A, u, strlen(u), NULL);
	o.usec = 14000;
	cap_udp(&o, &B, &A, u, strlen(u), NULL);
	e = engine_new();
	ck_assert_int_eq(engine_add_mem(e, "test.pcap", c.b.buf, c.b.len, NULL,
					&err), 0);
	ck_assert_int_eq(engine_add_mem(e, "other.pcap", o.b.buf, o.b.len,
					NULL, &err), 1);
	engine_run(e);
	ck_assert_uint_eq(count(e), 13);
	ck_assert_uint_eq(file_lines(e, 0, merged, 16), n);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(merged[i], lines[i]);
	engine_free(e);

	strbuf_free(&c.b);
	strbuf_free(&o.b);
	strbuf_free(&seg);
	strbuf_free(&body);
	free(m1);
	free(m2);
	free(m3);
	free(m4);
	free(m5);
	free(m6);
	free(u);
	free(big);
}
END_TEST

/* A packet cut by the snap length: the UDP message is kept, truncated. */
START_TEST(test_snaplen)
{
	struct cap c;
	struct engine *e;
	char *m = mkmsg("INFO sip:bob@example.com SIP/2.0", "snap", "1 INFO",
			"Signal=1\r\nDuration=100\r\n");
	struct cap t;

	cap_init(&t, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_udp(&t, &A, &B, m, strlen(m), NULL);
	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	/* the same packet with only its first 200 bytes captured */
	cap_rec(&c, t.b.buf + 24 + 16, 200, t.b.len - 24 - 16);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 1);
	ck_assert(msgindex_get(engine_index(e), 0)->flags & RECF_TRUNCATED);
	ck_assert(has_warning(e, "message cut short", 1));
	engine_free(e);
	strbuf_free(&c.b);
	strbuf_free(&t.b);
	free(m);
}
END_TEST

static const char client_hello[] =
	"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00";
static const char server_hello[] = "\x16\x03\x03\x00\x04\x02\x00\x00\x00";

/* TLS: one warning per connection, both directions; a capture with only
 * TLS is refused with a message that says why. */
START_TEST(test_tls)
{
	static const struct ep C = { "192.0.2.10", 40000 };
	static const struct ep S = { "198.51.100.20", 5061 };
	struct cap c;
	struct engine *e;
	char *m = mkmsg("OPTIONS sip:x@example.com SIP/2.0", "tls", "1 OPTIONS",
			"");
	char *err;

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_tcp(&c, &C, &S, 99, F_SYN, NULL, 0);
	cap_tcp(&c, &S, &C, 499, F_SYN | F_ACK, NULL, 0);
	cap_tcp(&c, &C, &S, 100, F_ACK | F_PSH, client_hello,
		sizeof client_hello - 1);
	cap_tcp(&c, &S, &C, 500, F_ACK | F_PSH, server_hello,
		sizeof server_hello - 1);
	cap_tcp(&c, &C, &S, 110, F_ACK | F_PSH, "\x17\x03\x03\x00\x01z", 6);
	err = NULL;
	ck_assert_ptr_null(load(&c, &err));
	ck_assert_ptr_nonnull(strstr(err, "TLS"));
	free(err);
	cap_udp(&c, &A, &B, m, strlen(m), NULL);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 1);
	ck_assert_uint_eq(count_warnings(e, "TLS connection"), 1);
	ck_assert(has_warning(e, "TLS connection 192.0.2.10:40000 -> "
			      "198.51.100.20:5061, not decrypted", 3));
	engine_free(e);
	strbuf_free(&c.b);
	free(m);
}
END_TEST

/* A WebSocket frame with its header and mask key. */
static void
ws_frame(struct strbuf *sb, int fin, int op, const char *p, size_t n,
	 int masked)
{
	static const unsigned char key[4] = { 0x37, 0xfa, 0x21, 0x3d };
	unsigned char h[14];
	size_t hl = 2, i;

	h[0] = (unsigned char)((fin ? 0x80 : 0) | op);
	if (n < 126) {
		h[1] = (unsigned char)n;
	} else {
		h[1] = 126;
		be16(h + 2, (unsigned)n);
		hl = 4;
	}
	if (masked) {
		h[1] |= 0x80;
		memcpy(h + hl, key, 4);
		hl += 4;
	}
	strbuf_add(sb, h, hl);
	for (i = 0; i < n; i++)
		strbuf_addc(sb, (char)(masked ? p[i] ^ key[i & 3] : p[i]));
}

START_TEST(test_websocket)
{
	static const struct ep C = { "192.0.2.10", 40001 };
	static const struct ep S = { "198.51.100.20", 8080 };
	static const char up[] =
		"GET /ws HTTP/1.1\r\nHost: sip.example.com\r\n"
		"Upgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		"Sec-WebSocket-Protocol: sip\r\n"
		"Sec-WebSocket-Version: 13\r\n\r\n";
	static const char acc[] =
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n"
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
	struct cap c;
	struct engine *e;
	struct rd_record rec;
	struct strbuf cs, ss;
	char *reg = mkmsg("REGISTER sip:example.com SIP/2.0", "ws-1",
			  "1 REGISTER", "");
	char *ok = mkmsg("SIP/2.0 200 OK", "ws-1", "1 REGISTER", "");
	char *msg = mkmsg("MESSAGE sip:bob@example.com SIP/2.0", "ws-2",
			  "2 MESSAGE", "hello over websocket");
	size_t half = strlen(msg) / 2, cut, cut2;

	strbuf_init(&cs);
	strbuf_init(&ss);
	strbuf_adds(&cs, up);
	ws_frame(&cs, 1, 1, reg, strlen(reg), 1);
	cut = cs.len + 3;	/* the first segment ends in the ping */
	ws_frame(&cs, 1, 9, "ping", 4, 1);
	ws_frame(&cs, 0, 1, msg, half, 1);		/* a fragmented message */
	cut2 = cs.len + 5;	/* its end comes after the server's answer */
	ws_frame(&cs, 1, 0, msg + half, strlen(msg) - half, 1);
	/* RSV1: compressed with permessage-deflate, which is not read */
	ws_frame(&cs, 1, 0x40 | 1, "\xf2\x48\xcd\xc9\xc9\x07\x00", 7, 1);
	strbuf_adds(&ss, acc);
	ws_frame(&ss, 1, 1, ok, strlen(ok), 0);
	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_tcp(&c, &C, &S, 0, F_SYN, NULL, 0);
	cap_tcp(&c, &S, &C, 0, F_SYN | F_ACK, NULL, 0);
	cap_tcp(&c, &C, &S, 1, F_ACK | F_PSH, cs.buf, cut);
	cap_tcp(&c, &C, &S, (uint32_t)(1 + cut), F_ACK | F_PSH, cs.buf + cut,
		cut2 - cut);
	cap_tcp(&c, &S, &C, 1, F_ACK | F_PSH, ss.buf, ss.len);
	cap_tcp(&c, &C, &S, (uint32_t)(1 + cut2), F_ACK | F_PSH,
		cs.buf + cut2, cs.len - cut2);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 3);
	check_msg(e, 0, "REGISTER sip:example.com SIP/2.0", 3,
		  "192.0.2.10:40001", "198.51.100.20:8080", "WS");
	check_msg(e, 1, "SIP/2.0 200 OK", 5, "198.51.100.20:8080",
		  "192.0.2.10:40001", "WS");
	/* Begun in packet 4, complete with its last frame in 6. */
	check_msg(e, 2, "MESSAGE sip:bob@example.com SIP/2.0", 6,
		  "192.0.2.10:40001", "198.51.100.20:8080", "WS");
	ck_assert_int_eq(msgindex_get(engine_index(e), 2)->time, pkt_time(6));
	ck_assert_int_eq(engine_message(e, 2, &rec, NULL), 0);
	ck_assert(span_eq(rec.body, "hello over websocket"));
	ck_assert(has_warning(e, "compressed (permessage-deflate)", 6));
	engine_free(e);
	strbuf_free(&c.b);
	strbuf_free(&cs);
	strbuf_free(&ss);
	free(reg);
	free(ok);
	free(msg);
}
END_TEST

/* A capture cut in the middle of a packet keeps what came before and
 * says so; random damage never crashes or loops. */
START_TEST(test_damaged)
{
	struct cap c;
	struct engine *e;
	char *m = mkmsg("INVITE sip:bob@example.com SIP/2.0", "dmg",
			"1 INVITE", "v=0\r\n");
	uint32_t seed = 12345;

	cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
	cap_udp(&c, &A, &B, m, strlen(m), NULL);
	cap_tcp(&c, &A, &B, 1, F_ACK, m, strlen(m));
	cap_udp(&c, &B, &A, m, strlen(m), NULL);
	c.b.len -= 30;
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 2);
	ck_assert(has_warning(e, "capture cut short after packet 2",
			      UINT32_MAX));
	engine_free(e);

	load_damaged(&c, 24, seed);
	strbuf_free(&c.b);
	free(m);
}
END_TEST

/* A pcapng block of type with body p[0..n) in byte order big. */
static void
ng_block_in(struct strbuf *sb, uint32_t type, const void *p, size_t n,
	    int big)
{
	size_t pad = (4 - n % 4) % 4;

	put32(sb, type, big);
	put32(sb, (uint32_t)(12 + n + pad), big);
	strbuf_add(sb, p, n);
	strbuf_add(sb, "\0\0\0", pad);
	put32(sb, (uint32_t)(12 + n + pad), big);
}

/* pcapng, little-endian: a block of type with body p[0..n), padded. */
static void
ng_block(struct strbuf *sb, uint32_t type, const void *p, size_t n)
{
	ng_block_in(sb, type, p, n, 0);
}

/* In pk, the bytes of a packet of link type link: msg over UDP from s to
 * d. */
static void
udp_bytes(struct strbuf *pk, int link, const struct ep *s, const struct ep *d,
	  const char *msg)
{
	struct cap t;

	cap_init(&t, link, 0xa1b2c3d4, 0);
	cap_udp(&t, s, d, msg, strlen(msg), NULL);
	strbuf_reset(pk);
	strbuf_add(pk, t.b.buf + 24 + 16, t.b.len - 24 - 16);
	strbuf_free(&t.b);
}

/* A packet block of type (6 enhanced, 2 obsolete) in byte order big: the
 * first caplen bytes of pk on interface ifid, stamped ts. */
static void
ng_packet(struct strbuf *sb, uint32_t type, uint32_t ifid, uint64_t ts,
	  const struct strbuf *pk, size_t caplen, int big)
{
	struct strbuf b;

	strbuf_init(&b);
	if (type == 2) {
		put16(&b, ifid, big);
		put16(&b, 0, big);	/* drops */
	} else {
		put32(&b, ifid, big);
	}
	put32(&b, (uint32_t)(ts >> 32), big);
	put32(&b, (uint32_t)ts, big);
	put32(&b, (uint32_t)caplen, big);
	put32(&b, (uint32_t)pk->len, big);
	strbuf_add(&b, pk->buf, caplen);
	ng_block_in(sb, type, b.buf, b.len, big);
	strbuf_free(&b);
}

/* A section header, then an interface description for each link. */
static void
ng_start(struct strbuf *sb, const int *links, size_t nlinks)
{
	struct strbuf b;
	size_t i;

	strbuf_init(&b);
	put32(&b, 0x1a2b3c4d, 0);
	put16(&b, 1, 0);
	put16(&b, 0, 0);
	put32(&b, 0xffffffff, 0);
	put32(&b, 0xffffffff, 0);
	ng_block(sb, 0x0a0d0d0a, b.buf, b.len);
	for (i = 0; i < nlinks; i++) {
		strbuf_reset(&b);
		put16(&b, (unsigned)links[i], 0);
		put16(&b, 0, 0);
		put32(&b, 65535, 0);
		ng_block(sb, 1, b.buf, b.len);
	}
	strbuf_free(&b);
}

/* An enhanced packet block on interface ifid (of link type link) at
 * microsecond us after T0: msg over UDP from s to d. */
static void
ng_udp(struct strbuf *sb, uint32_t ifid, int link, uint32_t us,
       const struct ep *s, const struct ep *d, const char *msg)
{
	struct strbuf pk;

	strbuf_init(&pk);
	udp_bytes(&pk, link, s, d, msg);
	ng_packet(sb, 6, ifid, (uint64_t)T0 * 1000000 + us, &pk, pk.len, 0);
	strbuf_free(&pk);
}

/* A pcapng of two interfaces: Ethernet, then Linux cooked v2, or
 * Ethernet again (same); packets on 0, 1, 0, and, with bad, on an
 * interface that was never described. */
static void
ng_two(struct cap *c, int same, int bad, const char *m1, const char *m2,
       const char *m3)
{
	const int links[2] = { LT_EN10MB, same ? LT_EN10MB : LT_SLL2 };

	memset(c, 0, sizeof *c);
	strbuf_init(&c->b);
	ng_start(&c->b, links, 2);
	ng_udp(&c->b, 0, LT_EN10MB, 0, &A, &B, m1);
	ng_udp(&c->b, 1, links[1], 500000, &B, &A, m2);
	if (bad)
		ng_udp(&c->b, 7, LT_EN10MB, 700000, &B, &A, m2);
	ng_udp(&c->b, 0, LT_EN10MB, 1000000, &A, &B, m3);
}

/* d: the first n bytes of capture c. */
static void
cap_copy(struct cap *d, const struct cap *c, size_t n)
{
	cap_init(d, LT_EN10MB, 0xa1b2c3d4, 0);
	d->b.len = 0;
	strbuf_add(&d->b, c->b.buf, n);
}

/* pcapng, read by sipsnoop itself: each interface with its own link
 * type, so all of them are read; a packet of an interface its section does
 * not describe, or of a link type sipsnoop does not read, is skipped and
 * counted (keeping its packet number), the first reason given once. A
 * block cut short or with a broken length ends the reading, saying what
 * was wrong; damage never loops. */
START_TEST(test_pcapng_interfaces)
{
	struct cap c, d;
	struct engine *e;
	char *m1 = mkmsg("OPTIONS sip:bob@example.com SIP/2.0", "if-1",
			 "1 OPTIONS", "");
	char *m2 = mkmsg("SIP/2.0 200 OK", "if-1", "1 OPTIONS", "");
	char *m3 = mkmsg("OPTIONS sip:bob@example.com SIP/2.0", "if-2",
			 "1 OPTIONS", "");
	static const int wifi[2] = { LT_EN10MB, 105 };
	static const int three[3] = { LT_EN10MB, LT_SLL2, LT_EN10MB };
	char *err = NULL;
	uint32_t seed = 4242;
	size_t i;

	/* The same link type on both, then Linux cooked v2 on the second:
	 * all read, nothing said. */
	for (i = 0; i < 2; i++) {
		ng_two(&c, i == 0, 0, m1, m2, m3);
		e = load_ok(&c);
		ck_assert_uint_eq(count(e), 3);
		check_msg(e, 1, "SIP/2.0 200 OK", 2, "198.51.100.20:5080",
			  "192.0.2.10:5062", "UDP");
		ck_assert_int_eq(msgindex_get(engine_index(e), 2)->time,
				 (int64_t)T0 * 1000000 + 1000000);
		ck_assert_uint_eq(engine_nwarnings(e), 0);
		engine_free(e);
		if (i == 0)
			strbuf_free(&c.b);
	}

	/* Cut in its last packet: what came before, and why it stopped. */
	cap_copy(&d, &c, c.b.len - 20);
	e = load_ok(&d);
	ck_assert_uint_eq(count(e), 2);
	ck_assert(has_warning(e, "capture cut short after packet 2: "
			      "truncated dump file; tried to read", 3));
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	engine_free(e);
	strbuf_free(&d.b);

	/* A long run of zeros after it: one warning, no loop. */
	cap_copy(&d, &c, c.b.len);
	for (i = 0; i < 65536; i++)
		strbuf_addc(&d.b, '\0');
	e = load_ok(&d);
	ck_assert_uint_eq(count(e), 3);
	ck_assert(has_warning(e, "capture cut short after packet 3: block "
			      "of type 0 with a length of 0", 4));
	ck_assert_uint_eq(engine_nwarnings(e), 1);
	engine_free(e);
	strbuf_free(&d.b);

	/* The lengths before and after a block disagree. */
	cap_copy(&d, &c, c.b.len);
	d.b.buf[d.b.len - 1] ^= 0x40;
	e = load_ok(&d);
	ck_assert_uint_eq(count(e), 2);
	ck_assert(has_warning(e, "capture cut short after packet 2: block "
			      "of type 6 whose lengths differ", 3));
	engine_free(e);
	strbuf_free(&d.b);

	/* Random damage: never a crash nor a loop (Check's timeout). */
	load_damaged(&c, 28, seed);
	strbuf_free(&c.b);

	/* A packet on an interface never described is skipped. */
	ng_two(&c, 1, 1, m1, m2, m3);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 3);
	check_msg(e, 2, "OPTIONS sip:bob@example.com SIP/2.0", 4,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	ck_assert(has_warning(e, "1 packet not read (a packet arrived on "
			      "interface 7, which its section does not "
			      "describe)", 3));
	engine_free(e);
	strbuf_free(&c.b);

	/* Three interfaces, then a new section with interfaces of its own:
	 * each packet on its own interface's link type. */
	memset(&c, 0, sizeof c);
	strbuf_init(&c.b);
	ng_start(&c.b, three, 3);
	ng_udp(&c.b, 0, LT_EN10MB, 0, &A, &B, m1);
	ng_udp(&c.b, 1, LT_SLL2, 1000, &B, &A, m2);
	ng_udp(&c.b, 2, LT_EN10MB, 2000, &B, &A, m2);
	ng_start(&c.b, three + 1, 1);
	ng_udp(&c.b, 0, LT_SLL2, 3000, &A, &B, m3);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 4);
	check_msg(e, 3, "OPTIONS sip:bob@example.com SIP/2.0", 4,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	ck_assert_uint_eq(engine_nwarnings(e), 0);
	engine_free(e);
	strbuf_free(&c.b);

	/* An interface of a link type sipsnoop does not read (802.11):
	 * its packets are counted, the others read. */
	memset(&c, 0, sizeof c);
	strbuf_init(&c.b);
	ng_start(&c.b, wifi, 2);
	ng_udp(&c.b, 0, LT_EN10MB, 0, &A, &B, m1);
	ng_udp(&c.b, 1, LT_EN10MB, 1000, &B, &A, m2);
	ng_udp(&c.b, 0, LT_EN10MB, 2000, &A, &B, m3);
	e = load_ok(&c);
	ck_assert_uint_eq(count(e), 2);
	check_msg(e, 1, "OPTIONS sip:bob@example.com SIP/2.0", 3,
		  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
	ck_assert(has_warning(e, "1 packet not read (interface 1 has link "
			      "type IEEE802_11 (105), which sipsnoop does not "
			      "read)", 2));
	engine_free(e);
	strbuf_free(&c.b);

	/* Nothing readable: the error says why. */
	memset(&c, 0, sizeof c);
	strbuf_init(&c.b);
	ng_start(&c.b, wifi, 2);
	ng_udp(&c.b, 1, LT_EN10MB, 0, &A, &B, m1);
	ng_udp(&c.b, 1, LT_EN10MB, 1000, &B, &A, m2);
	ck_assert_ptr_null(load(&c, &err));
	ck_assert_ptr_nonnull(strstr(err, "no SIP messages found in 2 "
				     "packets; 2 packets not read (interface 1 "
				     "has link type IEEE802_11 (105)"));
	free(err);
	strbuf_free(&c.b);
	free(m1);
	free(m2);
	free(m3);
}
END_TEST


/* The other pcapng blocks and clocks: a big-endian section, an interface
 * whose clock is in 2^-10 s with an offset of a day (if_tsresol,
 * if_tsoffset), another in milliseconds, a snapshot length that cuts;
 * simple and obsolete packet blocks; blocks that carry nothing read here
 * (statistics, name resolution, a custom block) passed over. */
START_TEST(test_pcapng_blocks)
{
	char *m1 = mkmsg("OPTIONS sip:bob@example.com SIP/2.0", "blk-1",
			 "1 OPTIONS", "");
	char *m2 = mkmsg("SIP/2.0 200 OK", "blk-1", "1 OPTIONS", "");
	struct strbuf ng, b, pk;
	struct cap c;
	struct engine *e;
	int big;

	for (big = 0; big < 2; big++) {
		memset(&c, 0, sizeof c);
		strbuf_init(&c.b);
		strbuf_init(&b);
		strbuf_init(&pk);
		/* Section header. */
		put32(&b, 0x1a2b3c4d, big);
		put16(&b, 1, big);
		put16(&b, 0, big);
		put32(&b, 0xffffffff, big);
		put32(&b, 0xffffffff, big);
		ng_block_in(&c.b, 0x0a0d0d0a, b.buf, b.len, big);
		/* Interface 0: 2^-10 s, one day ahead. */
		strbuf_reset(&b);
		put16(&b, LT_EN10MB, big);
		put16(&b, 0, big);
		put32(&b, 0, big);	/* no snapshot length given */
		put16(&b, 9, big);
		put16(&b, 1, big);
		strbuf_add(&b, "\x8a\0\0\0", 4);
		put16(&b, 14, big);
		put16(&b, 8, big);
		put32(&b, big ? 0 : 86400, big);
		put32(&b, big ? 86400 : 0, big);
		put32(&b, 0, big);
		ng_block_in(&c.b, 1, b.buf, b.len, big);
		/* Interface 1: milliseconds, 64 bytes captured at most. */
		strbuf_reset(&b);
		put16(&b, LT_EN10MB, big);
		put16(&b, 0, big);
		put32(&b, 64, big);
		put16(&b, 9, big);
		put16(&b, 1, big);
		strbuf_add(&b, "\x03\0\0\0", 4);
		ng_block_in(&c.b, 1, b.buf, b.len, big);
		/* Statistics and name resolution blocks: passed over. */
		strbuf_reset(&b);
		put32(&b, 0, big);
		put32(&b, 0, big);
		put32(&b, 0, big);
		ng_block_in(&c.b, 5, b.buf, b.len, big);
		ng_block_in(&c.b, 4, "\0\0\0\0", 4, big);
		/* m1 in an enhanced packet block on interface 0, at T0 + 1.5 s
		 * in 2^-10 s units. */
		udp_bytes(&pk, LT_EN10MB, &A, &B, m1);
		ng_packet(&c.b, 6, 0, ((uint64_t)T0 << 10) + 1536, &pk,
			  pk.len, big);
		/* A custom block. */
		ng_block_in(&c.b, 0x40000bad, "abcd", 4, big);
		/* m2 in an obsolete packet block on interface 0 at T0 + 2 s. */
		udp_bytes(&pk, LT_EN10MB, &B, &A, m2);
		ng_packet(&c.b, 2, 0, ((uint64_t)T0 << 10) + 2048, &pk,
			  pk.len, big);
		/* m1 again on interface 1 (milliseconds), cut to 64 bytes:
		 * no SIP left in it. */
		udp_bytes(&pk, LT_EN10MB, &A, &B, m1);
		ng_packet(&c.b, 6, 1, (uint64_t)T0 * 1000 + 2500, &pk, 64, big);
		/* m2 in a simple packet block: interface 0, no time. */
		udp_bytes(&pk, LT_EN10MB, &B, &A, m2);
		strbuf_reset(&b);
		put32(&b, (uint32_t)pk.len, big);
		strbuf_add(&b, pk.buf, pk.len);
		ng_block_in(&c.b, 3, b.buf, b.len, big);

		e = load_ok(&c);
		ck_assert_uint_eq(count(e), 3);
		check_msg(e, 0, "OPTIONS sip:bob@example.com SIP/2.0", 1,
			  "192.0.2.10:5062", "198.51.100.20:5080", "UDP");
		ck_assert_int_eq(msgindex_get(engine_index(e), 0)->time,
				 ((int64_t)T0 + 86400) * 1000000 + 1500000);
		check_msg(e, 1, "SIP/2.0 200 OK", 2, "198.51.100.20:5080",
			  "192.0.2.10:5062", "UDP");
		ck_assert_int_eq(msgindex_get(engine_index(e), 1)->time,
				 ((int64_t)T0 + 86400) * 1000000 + 2000000);
		check_msg(e, 2, "SIP/2.0 200 OK", 4, "198.51.100.20:5080",
			  "192.0.2.10:5062", "UDP");
		ck_assert(has_warning(e, "1 of 4 packets carry no SIP", 0));
		engine_free(e);
		strbuf_free(&c.b);
		strbuf_free(&b);
		strbuf_free(&pk);
	}
	/* A section of a version not known. */
	strbuf_init(&ng);
	strbuf_init(&b);
	put32(&b, 0x1a2b3c4d, 0);
	put16(&b, 2, 0);
	put16(&b, 0, 0);
	put32(&b, 0xffffffff, 0);
	put32(&b, 0xffffffff, 0);
	ng_block_in(&ng, 0x0a0d0d0a, b.buf, b.len, 0);
	memset(&c, 0, sizeof c);
	c.b = ng;
	{
		char *err = NULL;

		ck_assert_ptr_null(load(&c, &err));
		ck_assert_ptr_nonnull(strstr(err, "unsupported pcapng version "
					     "2.0"));
		free(err);
	}
	strbuf_free(&c.b);
	strbuf_free(&b);
	free(m1);
	free(m2);
}
END_TEST

/* A capture converted on a thread of its own (engine_set_background, as
 * the viewer does) indexes exactly what converting it at once does, the
 * steps in between answering without it; one that fails to convert is
 * kept empty with a warning that names it, where converting at once
 * refuses it. */
START_TEST(test_background)
{
	static const char *const files[] = {
		TEST_DATA "/pcap/call-udp.pcapng",
		TEST_DATA "/pcap/call-udp.pcapng.gz",
		TEST_DATA "/pcap/remote-ntlm-tcp.pcap",
		TEST_DATA "/pcap/options-tls.sll2.pcap",
		TEST_DATA "/pcap/register-ipv6.raw.pcap",
	};
	char path[] = "/tmp/sipsnoop-bg.XXXXXX";
	struct engine *a = engine_new(), *b = engine_new();
	struct strbuf hdr;
	char *err = NULL;
	size_t i, n, steps;
	FILE *f;
	int fd;

	engine_set_background(b, 1);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		ck_assert_int_eq(engine_add_file(a, files[i], NULL, &err), (int)i);
		ck_assert_int_eq(engine_add_file(b, files[i], NULL, &err), (int)i);
	}
	engine_run(a);
	for (steps = 0; engine_step(b, 10); steps++)
		ck_assert_uint_lt(engine_progress(b), 1001);
	ck_assert(engine_done(b));
	n = msgindex_count(engine_index(a));
	ck_assert_uint_gt(n, 10);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), n);
	ck_assert_uint_eq(engine_nwarnings(b), engine_nwarnings(a));
	for (i = 0; i < n; i++) {
		const struct msg *x = msgindex_get(engine_index(a), (uint32_t)i);
		const struct msg *y = msgindex_get(engine_index(b), (uint32_t)i);
		struct span s = engine_record_text(a, (uint32_t)i);
		struct span t = engine_record_text(b, (uint32_t)i);

		ck_assert_uint_eq(s.n, t.n);
		ck_assert_int_eq(memcmp(s.p, t.p, s.n), 0);
		ck_assert_str_eq(engine_str(a, src_of(a, (uint32_t)i)),
				 engine_str(b, src_of(b, (uint32_t)i)));
		ck_assert_uint_eq(x->file, y->file);
		ck_assert_uint_eq(x->severity, y->severity);
	}
	engine_free(a);
	engine_free(b);

	/* A capture of no packets. */
	strbuf_init(&hdr);
	f = fopen(TEST_DATA "/pcap/remote-ntlm-tcp.pcap", "rb");
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 24; i++)
		strbuf_addc(&hdr, (char)fgetc(f));
	fclose(f);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, hdr.buf, hdr.len), (ssize_t)hdr.len);
	close(fd);
	a = engine_new();
	ck_assert_int_eq(engine_add_file(a, path, NULL, &err), -1);
	ck_assert_ptr_nonnull(strstr(err, "no SIP messages found"));
	free(err);
	err = NULL;
	engine_free(a);
	b = engine_new();
	engine_set_background(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	ck_assert_uint_eq(msgindex_count(engine_index(b)), 0);
	ck_assert_int_eq(engine_file(b, 0)->unreadable, 1);
	ck_assert_uint_eq(engine_nwarnings(b), 1);
	ck_assert_ptr_nonnull(strstr(engine_warning(b, 0)->msg, path));
	ck_assert_ptr_nonnull(strstr(engine_warning(b, 0)->msg,
				     "no SIP messages found"));
	/* Following (the viewer's F) while it is converted: its bytes
	 * stay the converting thread's; a capture is followed from its
	 * end once its conversion is taken in, a gzip one read once. */
	ck_assert_int_eq(engine_add_file(b, files[2], NULL, &err), 1);
	ck_assert_int_eq(engine_add_file(b, files[1], NULL, &err), 2);
	engine_follow_files(b);
	ck_assert_int_lt(engine_file(b, 1)->follow_fd, 0);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	ck_assert_uint_eq(engine_nwarnings(b), 2);
	ck_assert_ptr_nonnull(strstr(engine_warning(b, 1)->msg,
				     "read once, not followed"));
	ck_assert_uint_eq(engine_warning(b, 1)->file, 2);
	engine_run(b);
	ck_assert_int_ge(engine_file(b, 1)->follow_fd, 0);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	/* Freed while a conversion still runs: it is waited for. */
	ck_assert_int_ge(engine_add_file(b, files[2], NULL, &err), 0);
	engine_free(b);
	unlink(path);
	strbuf_free(&hdr);
}
END_TEST

/* With a spill directory, what a capture converts to (and a .pcapng.gz
 * inflates to) moves to an unlinked temporary file past the chunk and is
 * mapped from there: the same messages, texts, endpoints, severities and
 * warnings as on the heap, at once or in the background. */
START_TEST(test_spill)
{
	static const char *const files[] = {
		TEST_DATA "/pcap/call-udp.pcapng",
		TEST_DATA "/pcap/call-udp.pcapng.gz",
		TEST_DATA "/pcap/remote-ntlm-tcp.pcap",
		TEST_DATA "/pcap/register-ipv6.raw.pcap",
	};
	char dir[] = "/tmp/sipsnoop-spill.XXXXXX";
	struct engine *a = engine_new(), *b[2];
	char *err = NULL;
	size_t i, k, n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (k = 0; k < 2; k++) {
		b[k] = engine_new();
		engine_set_spill(b[k], dir, 128);
	}
	engine_set_background(b[1], 1);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		ck_assert_int_eq(engine_add_file(a, files[i], NULL, &err), (int)i);
		for (k = 0; k < 2; k++)
			ck_assert_int_eq(engine_add_file(b[k], files[i], NULL,
							 &err), (int)i);
	}
	engine_run(a);
	n = msgindex_count(engine_index(a));
	ck_assert_uint_gt(n, 10);
	for (k = 0; k < 2; k++) {
		engine_run(b[k]);
		ck_assert_uint_eq(msgindex_count(engine_index(b[k])), n);
		ck_assert_uint_eq(engine_nwarnings(b[k]), engine_nwarnings(a));
		for (i = 0; i < sizeof files / sizeof files[0]; i++) {
			ck_assert_int_eq(engine_file(b[k], i)->canon, 1);
			ck_assert_int_eq(engine_file(b[k], i)->src->mapped, 1);
			ck_assert_int_eq(engine_file(a, i)->src->mapped, 0);
		}
		for (i = 0; i < n; i++) {
			const struct msg *x = msgindex_get(engine_index(a),
							   (uint32_t)i);
			const struct msg *y = msgindex_get(engine_index(b[k]),
							   (uint32_t)i);
			struct span s = engine_record_text(a, (uint32_t)i);
			struct span t = engine_record_text(b[k], (uint32_t)i);

			ck_assert_uint_eq(s.n, t.n);
			ck_assert_int_eq(memcmp(s.p, t.p, s.n), 0);
			ck_assert_str_eq(engine_str(a, src_of(a, (uint32_t)i)),
					 engine_str(b[k],
						    src_of(b[k], (uint32_t)i)));
			ck_assert_uint_eq(engine_msg_line(a, (uint32_t)i),
					  engine_msg_line(b[k], (uint32_t)i));
			ck_assert_int_eq(x->time, y->time);
			ck_assert_uint_eq(x->severity, y->severity);
		}
		engine_free(b[k]);
	}
	engine_free(a);
	ck_assert_int_eq(rmdir(dir), 0);	/* nothing was left in it */
}
END_TEST

/* A capture for the live tests: UDP messages (the first nudp packets
 * each one message), IP fragments (one datagram never complete), TCP
 * segments out of order and retransmitted, a segment lost, a packet cut
 * by the snapshot length, and at its end a TCP message whose rest never
 * comes (written only when the capture ends). */
static void
live_capture(struct cap *c, uint32_t magic, int big, size_t *nudp)
{
	static const int inorder[] = { 0, 1, 2, -1 }, missing[] = { 0, 2, -1 };
	struct strbuf body, all;
	char *m, name[32];
	size_t segs[64], nseg, i;
	uint32_t seed = 7;

	cap_init(c, LT_EN10MB, magic, big);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "live-udp-%zu", i);
		m = mkmsg(i % 2 ? "SIP/2.0 200 OK" :
			  "OPTIONS sip:bob@example.com SIP/2.0", name,
			  "1 OPTIONS", "");
		cap_udp(c, i % 2 ? &B : &A, i % 2 ? &A : &B, m, strlen(m),
			NULL);
		free(m);
	}
	*nudp = c->npkt;
	strbuf_init(&body);
	for (i = 0; i < 60; i++)
		strbuf_addf(&body, "a=candidate:%zu 1 UDP 2130706431 "
			    "192.0.2.10 %zu typ host\r\n", i, 40000 + i);
	m = mkmsg("INVITE sip:bob@example.com SIP/2.0", "live-frag",
		  "1 INVITE", body.buf);
	cap_udp_frags(c, &A, &B, m, strlen(m), 1480, inorder, 7);
	cap_udp_frags(c, &B, &A, m, strlen(m), 1480, missing, 8);
	free(m);
	strbuf_free(&body);
	strbuf_init(&all);
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "body %zu", i);
		m = mkmsg(i % 2 ? "SIP/2.0 200 OK" :
			  "MESSAGE sip:bob@example.com SIP/2.0", "live-tcp",
			  "1 MESSAGE", name);
		strbuf_adds(&all, m);
		free(m);
	}
	cap_tcp(c, &A, &B, 41, F_SYN, NULL, 0);
	nseg = 0;
	for (i = 0; i < all.len && nseg < 63; nseg++) {
		segs[nseg] = i;
		seed = seed * 1103515245u + 12345u;
		i += 1 + (seed >> 8) % 200;
	}
	segs[nseg] = all.len;
	for (i = 0; i < nseg; i++) {
		if (i % 5 == 3 && i + 1 < nseg) {
			send_seg(c, &all, segs, i + 1);
			send_seg(c, &all, segs, i);
			send_seg(c, &all, segs, i);	/* again */
			i++;
		} else if (i != nseg / 2) {	/* that one is lost */
			send_seg(c, &all, segs, i);
		}
	}
	strbuf_free(&all);
	m = mkmsg("INFO sip:bob@example.com SIP/2.0", "live-snap", "1 INFO",
		  "Signal=1\r\nDuration=100\r\n");
	{
		struct cap t;

		cap_init(&t, LT_EN10MB, magic, big);
		cap_udp(&t, &A, &B, m, strlen(m), NULL);
		t.sec = c->sec;
		c->npkt++;
		strbuf_add(&c->b, t.b.buf + 24, 8);	/* its time */
		put32(&c->b, 200, big);
		put32(&c->b, (uint32_t)(t.b.len - 24 - 16), big);
		strbuf_add(&c->b, t.b.buf + 24 + 16, 200);
		strbuf_free(&t.b);
	}
	free(m);
	m = mkmsg("BYE sip:bob@example.com SIP/2.0", "live-end", "2 BYE", "");
	cap_tcp(c, &B, &A, 9000, F_SYN, NULL, 0);
	cap_tcp(c, &B, &A, 9001, F_ACK, m, strlen(m) - 20);
	free(m);
}

/* b's records are a's first ones: text, packet number, time, flags. */
static void
ck_same_start(const struct engine *a, const struct engine *b)
{
	size_t i, n = count(b) < count(a) ? count(b) : count(a);

	for (i = 0; i < n; i++) {
		struct span x = engine_record_text(a, (uint32_t)i);
		struct span y = engine_record_text(b, (uint32_t)i);

		ck_assert_uint_eq(x.n, y.n);
		ck_assert_int_eq(memcmp(x.p, y.p, x.n), 0);
		ck_assert_uint_eq(engine_msg_line(a, (uint32_t)i),
				  engine_msg_line(b, (uint32_t)i));
		ck_assert(msgindex_get(engine_index(a), (uint32_t)i)->time ==
			  msgindex_get(engine_index(b), (uint32_t)i)->time);
		ck_assert_uint_eq(msgindex_get(engine_index(a),
					       (uint32_t)i)->flags,
				  msgindex_get(engine_index(b),
					       (uint32_t)i)->flags);
	}
}

/* What two engines hold is the same: records, and warnings (message and
 * line, in order). */
static void
ck_same_engines(const struct engine *a, const struct engine *b)
{
	size_t i;

	ck_assert_uint_eq(count(b), count(a));
	ck_same_start(a, b);
	ck_assert_uint_eq(engine_nwarnings(b), engine_nwarnings(a));
	for (i = 0; i < engine_nwarnings(a); i++) {
		ck_assert_str_eq(engine_warning(b, i)->msg,
				 engine_warning(a, i)->msg);
		ck_assert_uint_eq(engine_warning(b, i)->line,
				  engine_warning(a, i)->line);
	}
}

/* Where each of the first max packets of c ends (offsets); how many. */
static size_t
cap_ends(const struct cap *c, size_t *ends, size_t max)
{
	const unsigned char *u = (const unsigned char *)c->b.buf;
	size_t at = 24, n = 0;
	uint32_t cl;

	while (n < max && at + 16 <= c->b.len) {
		cl = c->big ? (uint32_t)u[at + 8] << 24 |
			(uint32_t)u[at + 9] << 16 | (uint32_t)u[at + 10] << 8 |
			u[at + 11] :
			(uint32_t)u[at + 11] << 24 | (uint32_t)u[at + 10] << 16 |
			(uint32_t)u[at + 9] << 8 | u[at + 8];
		at += 16 + cl;
		ends[n++] = at;
	}
	return n;
}

/* Writes all of p[0..n) to fd. */
static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t k;

	while (n > 0) {
		k = write(fd, p, n);
		ck_assert_int_gt(k, 0);
		p += k;
		n -= (size_t)k;
	}
}

/* A classic pcap read from a pipe as it comes (standard input, followed),
 * in pieces of any size that cut packets anywhere: each packet's messages
 * are there once it has come, and at the pipe's end the messages, their
 * packet numbers, times, flags, and the warnings are those of the capture
 * read whole (TCP reassembled across pieces, fragments, a lost segment,
 * the snapshot length, what the end writes). Either byte order, micro- or
 * nanoseconds; with the output going to a temporary file as it grows. */
START_TEST(test_live_pipe)
{
	static const size_t steps[] = { 1, 7, 61, 997, 1 << 20 };
	static const struct { uint32_t magic; int big; } kinds[] = {
		{ 0xa1b2c3d4, 0 }, { 0xa1b23c4d, 1 },
	};
	char dir[64], *err = NULL;
	struct engine *a, *b;
	struct cap c;
	size_t k, j, at, n, step, nudp, pkts, ends[16];
	int fds[2], saved;

	test_mkdtemp(dir, "live");
	for (j = 0; j < sizeof kinds / sizeof kinds[0]; j++) {
		live_capture(&c, kinds[j].magic, kinds[j].big, &nudp);
		ck_assert_uint_eq(cap_ends(&c, ends, nudp), nudp);
		a = load_ok(&c);
		ck_assert_uint_ge(count(a), 12);
		ck_assert(has_warning(a, "1 IP datagram never complete", 0));
		ck_assert(has_warning(a, "were not captured", UINT32_MAX));
		for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			step = steps[k];
			b = engine_new();
			engine_follow(b, 1);
			if (k % 2)
				engine_set_spill(b, dir, 1);
			ck_assert_int_eq(pipe(fds), 0);
			saved = dup(STDIN_FILENO);
			ck_assert_int_ne(dup2(fds[0], STDIN_FILENO), -1);
			close(fds[0]);
			/* The start, for the probe, then piece by piece. */
			at = 30;
			write_all(fds[1], c.b.buf, at);
			ck_assert_int_eq(engine_add_file(b, "-", NULL, &err), 0);
			ck_assert_int_eq(engine_file(b, 0)->canon, 1);
			engine_run(b);
			ck_assert_uint_eq(engine_nfollowed(b), 1);
			pkts = 0;
			while (at < c.b.len) {
				n = c.b.len - at < step ? c.b.len - at : step;
				write_all(fds[1], c.b.buf + at, n);
				at += n;
				engine_poll(b);
				while (engine_step(b, 3))
					;
				/* Each of the first packets is a message:
				 * there once the packet is. */
				while (pkts < nudp && ends[pkts] <= at)
					pkts++;
				if (pkts < nudp)
					ck_assert_uint_eq(count(b), pkts);
			}
			/* Before the end: all but what the end writes
			 * (held behind the lost segment, cut short). */
			ck_assert_uint_lt(count(b), count(a));
			ck_same_start(a, b);
			close(fds[1]);
			while (engine_nfollowed(b) > 0) {
				engine_wait(b, 100);
				engine_poll(b);
			}
			engine_run(b);
			ck_assert_int_ne(dup2(saved, STDIN_FILENO), -1);
			close(saved);
			ck_same_engines(a, b);
			ck_assert_int_eq(engine_file(b, 0)->src->mapped,
					 (int)(k % 2));
			engine_free(b);
		}
		engine_free(a);
		strbuf_free(&c.b);
	}
	ck_assert_uint_eq(test_dir_entries(dir), 0);
	test_rm_rf(dir);
}
END_TEST

/* Reads the capture at p[0..n) from a pipe on standard input, followed,
 * in pieces of random sizes (seed), to the pipe's end. */
static struct engine *
load_live(const char *p, size_t n, uint32_t *seed)
{
	struct engine *e = engine_new();
	char *err = NULL;
	size_t at, k;
	int fds[2], saved;

	engine_follow(e, 1);
	ck_assert_int_eq(pipe(fds), 0);
	saved = dup(STDIN_FILENO);
	ck_assert_int_ne(dup2(fds[0], STDIN_FILENO), -1);
	close(fds[0]);
	at = n < 30 ? n : 30;
	write_all(fds[1], p, at);
	if (at == n)
		close(fds[1]);
	if (engine_add_file(e, "-", NULL, &err) < 0)
		ck_abort_msg("refused: %s", err);
	engine_run(e);
	while (at < n) {
		*seed = *seed * 1103515245u + 12345u;
		k = 1 + (*seed >> 8) % 700;
		if (k > n - at)
			k = n - at;
		write_all(fds[1], p + at, k);
		at += k;
		engine_poll(e);
		while (engine_step(e, 5))
			;
		if (at == n)
			close(fds[1]);
	}
	while (engine_nfollowed(e) > 0) {
		engine_wait(e, 100);
		engine_poll(e);
	}
	engine_run(e);
	ck_assert_int_ne(dup2(saved, STDIN_FILENO), -1);
	close(saved);
	return e;
}

/* Property: damaged and cut copies of a capture (as load_damaged makes
 * them) read as they come, in random pieces, give what they give read
 * whole: the same records and warnings, or, refused whole, nothing and
 * the same reason as a warning (the input unreadable). */
START_TEST(test_live_damaged)
{
	struct engine *a, *b;
	struct cap c, d;
	size_t nudp, i, k, p;
	uint32_t seed = 4242;
	char *err, *why;

	live_capture(&c, 0xa1b2c3d4, 0, &nudp);
	for (i = 0; i < 120; i++) {
		cap_init(&d, LT_EN10MB, 0xa1b2c3d4, 0);
		d.b.len = 0;
		strbuf_add(&d.b, c.b.buf, c.b.len);
		for (k = 0; k < i % 6; k++) {
			seed = seed * 1103515245u + 12345u;
			p = 24 + (seed >> 8) % (d.b.len - 24);
			d.b.buf[p] = (char)(seed >> 16);
		}
		if (i % 3 == 0)
			d.b.len -= (seed >> 4) % (d.b.len - 24);
		a = load(&d, &err);
		b = load_live(d.b.buf, d.b.len, &seed);
		if (a != NULL) {
			ck_same_engines(a, b);
		} else {
			ck_assert_uint_eq(count(b), 0);
			ck_assert_uint_eq(engine_nunread(b), 1);
			why = strstr(err, "test.pcap: ");
			ck_assert_ptr_nonnull(why);
			ck_assert(has_warning(b, why + strlen("test.pcap: "),
					      0));
			free(err);
		}
		engine_free(a);
		engine_free(b);
		strbuf_free(&d.b);
	}
	strbuf_free(&c.b);
}
END_TEST

/* A classic pcap file followed while it grows: the messages of what was
 * appended come, the same as the capture read whole up to what only its
 * end writes; replaced (rotated), the old one's end is written and the new
 * one read from its start. */
/* Appends the next piece of whole (333 bytes, from at) to the file at
 * path, followed by b, and lets b read it; returns where the next piece
 * begins. */
static size_t
grow_piece(const char *path, struct engine *b, const struct strbuf *whole,
	   size_t at)
{
	size_t n = whole->len - at < 333 ? whole->len - at : 333;
	FILE *f = fopen(path, "a");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(whole->buf + at, 1, n, f), n);
	fclose(f);
	engine_poll(b);
	while (engine_step(b, 5))
		;
	return at + n;
}

START_TEST(test_live_file)
{
	char dir[64], path[128], moved[160], *err = NULL;
	struct engine *a, *b;
	struct cap c;
	size_t at, n, nudp;
	FILE *f;

	test_mkdtemp(dir, "live");
	snprintf(path, sizeof path, "%s/grow.pcap", dir);
	live_capture(&c, 0xa1b2c3d4, 1, &nudp);
	a = load_ok(&c);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(c.b.buf, 1, 100, f), 100);
	fclose(f);
	b = engine_new();
	engine_follow(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	for (at = 100; at < c.b.len;)
		at = grow_piece(path, b, &c.b, at);
	ck_assert_uint_lt(count(b), count(a));
	ck_same_start(a, b);
	n = count(b);
	/* Rotated: the old one is over (its last message, cut short, is
	 * written), and the new one is read. */
	snprintf(moved, sizeof moved, "%s/grow.pcap.1", dir);
	ck_assert_int_eq(rename(path, moved), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(c.b.buf, 1, c.b.len, f), c.b.len);
	fclose(f);
	ck_assert_int_eq(engine_poll(b), 1);
	while (engine_step(b, 1000))
		;
	/* The new one is followed: all but what its end writes. */
	ck_assert_uint_eq(count(b), count(a) + n);
	ck_assert_uint_eq(msgindex_get(engine_index(b),
				       (uint32_t)count(a) - 1)->file, 0);
	ck_assert_uint_eq(msgindex_get(engine_index(b),
				       (uint32_t)count(a))->file, 1);
	ck_same_start(a, b);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	ck_assert(has_warning(b, "replaced (rotated): reading it again",
			      UINT32_MAX));
	ck_assert_uint_eq(count_warnings(b, "1 IP datagram never complete"),
			  1);
	engine_free(b);
	engine_free(a);
	unlink(moved);
	unlink(path);

	strbuf_free(&c.b);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A pcapng file followed as dumpcap writes it, in pieces that cut its
 * blocks anywhere: each packet's message shows once its block is whole,
 * the same as the finished file read whole gives it, its interfaces of
 * two link types and a second section included. */
START_TEST(test_live_pcapng)
{
	static const int links[2] = { LT_EN10MB, LT_SLL2 };
	char dir[64], path[128], *err = NULL, *m;
	struct engine *a, *b;
	struct cap c;
	size_t at, i, mid = 0;
	FILE *f;

	memset(&c, 0, sizeof c);
	strbuf_init(&c.b);
	ng_start(&c.b, links, 2);
	for (i = 0; i < 40; i++) {
		char callid[32];

		if (i == 25) {
			ng_start(&c.b, links + 1, 1);
			mid = c.b.len;
		}
		snprintf(callid, sizeof callid, "live-ng-%zu", i);
		m = mkmsg(i % 2 ? "SIP/2.0 200 OK" :
			  "OPTIONS sip:bob@example.com SIP/2.0", callid,
			  "1 OPTIONS", "");
		ng_udp(&c.b, i >= 25 ? 0 : (uint32_t)(i % 2),
		       i >= 25 || i % 2 ? LT_SLL2 : LT_EN10MB,
		       (uint32_t)i * 1000, i % 2 ? &B : &A, i % 2 ? &A : &B, m);
		free(m);
	}
	ck_assert_uint_gt(mid, 0);
	a = load_ok(&c);
	ck_assert_uint_eq(count(a), 40);
	ck_assert_uint_eq(engine_nwarnings(a), 0);
	test_mkdtemp(dir, "live-ng");
	snprintf(path, sizeof path, "%s/grow.pcapng", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(c.b.buf, 1, 50, f), 50);
	fclose(f);
	b = engine_new();
	engine_follow(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	ck_assert_uint_eq(count(b), 0);
	for (at = 50; at < c.b.len;) {
		at = grow_piece(path, b, &c.b, at);
		/* Never more than the whole blocks so far. */
		ck_assert_uint_le(count(b), count(a));
		ck_same_start(a, b);
	}
	ck_assert_uint_eq(count(b), 40);
	ck_same_start(a, b);
	ck_assert_uint_eq(engine_nwarnings(b), 0);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	engine_free(b);
	engine_free(a);
	strbuf_free(&c.b);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* F in the viewer on a classic pcap read whole beside it (in the
 * background), cut in the middle of a packet while tcpdump writes it:
 * what it had is shown as read whole (the packet cut short said so), and
 * once followed the conversion goes on where it stopped, with its TCP
 * streams: the rest of the capture gives the messages it would have given
 * read whole (a message under way when F was pressed is cut short). */
START_TEST(test_live_follow_later)
{
	char dir[64], path[128], *err = NULL;
	struct engine *a, *b, *p;
	struct cap c;
	size_t cut, nudp, i, n;
	FILE *f;

	test_mkdtemp(dir, "live");
	snprintf(path, sizeof path, "%s/later.pcap", dir);
	live_capture(&c, 0xa1b2c3d4, 0, &nudp);
	a = load_ok(&c);
	/* The prefix read whole: what the viewer shows before F. */
	cut = c.b.len / 2 + 3;
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(c.b.buf, 1, cut, f), cut);
	fclose(f);
	p = engine_new();
	ck_assert_int_eq(engine_add_file(p, path, NULL, &err), 0);
	engine_run(p);
	b = engine_new();
	engine_set_background(b, 1);
	ck_assert_int_eq(engine_add_file(b, path, NULL, &err), 0);
	engine_run(b);
	ck_same_engines(p, b);
	ck_assert(has_warning(b, "capture cut short after packet", UINT32_MAX));
	n = count(b);
	engine_follow_files(b);
	ck_assert_uint_eq(engine_nfollowed(b), 1);
	ck_assert_uint_eq(count_warnings(b, "read once"), 0);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(c.b.buf + cut, 1, c.b.len - cut, f),
			  c.b.len - cut);
	fclose(f);
	ck_assert_int_eq(engine_poll(b), 1);
	while (engine_step(b, 7))
		;
	/* The packets after the cut give their messages: those of the
	 * capture read whole that are completed by them, less what only
	 * the end writes. */
	ck_assert_uint_gt(count(b), n);
	for (i = n; i < count(b); i++)
		ck_assert_uint_gt(engine_msg_line(b, (uint32_t)i),
				  engine_msg_line(b, (uint32_t)n - 1) - 1);
	{
		/* The last UDP message of the capture (cut by the snapshot
		 * length) is there, with its packet number and time. */
		uint32_t ia = UINT32_MAX, ib = UINT32_MAX;
		struct span x;

		for (i = 0; i < count(a); i++) {
			x = engine_record_text(a, (uint32_t)i);
			if (memmem(x.p, x.n, "live-snap", 9) != NULL)
				ia = (uint32_t)i;
		}
		for (i = n; i < count(b); i++) {
			x = engine_record_text(b, (uint32_t)i);
			if (memmem(x.p, x.n, "live-snap", 9) != NULL)
				ib = (uint32_t)i;
		}
		ck_assert_uint_ne(ia, UINT32_MAX);
		ck_assert_uint_ne(ib, UINT32_MAX);
		ck_assert_uint_eq(engine_msg_line(a, ia), engine_msg_line(b, ib));
		ck_assert(msgindex_get(engine_index(a), ia)->time ==
			  msgindex_get(engine_index(b), ib)->time);
	}
	engine_free(p);
	engine_free(b);
	engine_free(a);
	strbuf_free(&c.b);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A capture from a pipe that cannot be read (a link type sipsnoop does
 * not read), or that ends without a message: a warning about it, no
 * longer followed, and it counts as an input that could not be read. */
START_TEST(test_live_unreadable)
{
	char *err = NULL;
	struct engine *e;
	struct cap c;
	int fds[2], saved, i;

	for (i = 0; i < 2; i++) {
		if (i == 0) {
			cap_init(&c, 105, 0xa1b2c3d4, 0);
			cap_rec(&c, "0123456789", 10, 10);
		} else {
			cap_init(&c, LT_EN10MB, 0xa1b2c3d4, 0);
			cap_udp(&c, &A, &B, "not SIP", 7, NULL);
		}
		e = engine_new();
		engine_follow(e, 1);
		ck_assert_int_eq(pipe(fds), 0);
		saved = dup(STDIN_FILENO);
		ck_assert_int_ne(dup2(fds[0], STDIN_FILENO), -1);
		close(fds[0]);
		write_all(fds[1], c.b.buf, c.b.len);
		if (i == 1)
			close(fds[1]);
		ck_assert_int_eq(engine_add_file(e, "-", NULL, &err), 0);
		while (engine_nfollowed(e) > 0) {
			engine_wait(e, 100);
			engine_poll(e);
		}
		engine_run(e);
		if (i == 0)
			close(fds[1]);
		ck_assert_int_ne(dup2(saved, STDIN_FILENO), -1);
		close(saved);
		ck_assert_uint_eq(count(e), 0);
		ck_assert_uint_eq(engine_nunread(e), 1);
		ck_assert(has_warning(e, i == 0 ? "link type" :
				      "no SIP messages found in 1 packets", 0));
		engine_free(e);
		strbuf_free(&c.b);
	}
}
END_TEST


int
main(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_probe);
	tcase_add_test(tc, test_udp);
	tcase_add_test(tc, test_links);
	tcase_add_test(tc, test_unsupported_link);
	tcase_add_test(tc, test_nano_and_pcapng);
	tcase_add_test(tc, test_fragments);
	tcase_add_test(tc, test_tcp_split_coalesced);
	tcase_add_test(tc, test_tcp_not_sip);
	tcase_add_test(tc, test_tcp_reorder);
	tcase_add_test(tc, test_tcp_lost);
	tcase_add_test(tc, test_tcp_random);
	tcase_add_test(tc, test_completion_time);
	tcase_add_test(tc, test_snaplen);
	tcase_add_test(tc, test_tls);
	tcase_add_test(tc, test_websocket);
	tcase_add_test(tc, test_damaged);
	tcase_add_test(tc, test_pcapng_interfaces);
	tcase_add_test(tc, test_pcapng_blocks);
	tcase_add_test(tc, test_background);
	tcase_add_test(tc, test_spill);
	tcase_add_test(tc, test_live_pipe);
	tcase_add_test(tc, test_live_file);
	tcase_add_test(tc, test_live_pcapng);
	tcase_add_test(tc, test_live_unreadable);
	tcase_add_test(tc, test_live_follow_later);
	tcase_add_test(tc, test_live_damaged);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
