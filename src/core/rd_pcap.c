/* rd_pcap: packet captures (pcap, pcapng) read through libpcap and turned
 * into canonical records: link layers, IPv4/IPv6 with fragment reassembly,
 * SIP over UDP, over TCP (stream reassembly per direction) and WebSocket.
 *
 * libpcap is loaded when the first capture is read, not linked: with its
 * own dependencies (D-Bus, systemd, libgcrypt on Debian) it would add about
 * 1.3 MB to the memory of every run, captures or not. */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef SIPSNOOP_HAVE_PCAP
#include <dlfcn.h>
#include <pthread.h>
#include <pcap/pcap.h>
#endif

#include "reader.h"
#include "rd_common.h"

static int
rd_pcap_probe(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t m;

	if (n < 4)
		return 0;
	m = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 |
	    (uint32_t)u[2] << 8 | u[3];
	switch (m) {
	case 0xa1b2c3d4:	/* microseconds, big-endian */
	case 0xa1b23c4d:	/* nanoseconds */
	case 0xa1b2cd34:	/* Kuznetzov's modified pcap */
		return n < 6 || (u[4] == 0 && u[5] == 2) ? 100 : 0;
	case 0xd4c3b2a1:	/* the same, little-endian */
	case 0x4d3cb2a1:
	case 0x34cdb2a1:
		return n < 6 || (u[4] == 2 && u[5] == 0) ? 100 : 0;
	case 0x0a0d0d0a:	/* pcapng section header block */
		if (n < 12)
			return 90;
		return (memcmp(p + 8, "\x1a\x2b\x3c\x4d", 4) == 0 ||
		    memcmp(p + 8, "\x4d\x3c\x2b\x1a", 4) == 0) ? 100 : 0;
	}
	return 0;
}

#ifndef SIPSNOOP_HAVE_PCAP

static int
rd_pcap_transform(struct reader *r, struct strbuf *out, char **err)
{
	(void)r;
	(void)out;
	*err = xstrdup("a packet capture, but this sipsnoop was built without "
	    "libpcap (install libpcap-dev and build again)");
	return -1;
}

#else

/* IP datagrams being reassembled at once, and how many packets a datagram
 * may wait for its missing fragments before it is dropped. */
#define RD_PCAP_NFRAG		64
#define RD_PCAP_FRAG_AGE	10000
#define RD_PCAP_FRAG_MAX	65536	/* largest reassembled datagram */
/* TCP: streams tracked at once, bytes a stream buffers while a message is
 * incomplete, out-of-order segments kept while waiting for a gap to fill,
 * the largest header block, and how long a stream joined in its middle
 * is searched for a SIP start line before it is taken for something else. */
#define RD_PCAP_MAX_STREAMS	100000
#define RD_PCAP_TCP_MAX		(4 * 1024 * 1024)
#define RD_PCAP_OOO_SEGS	64
#define RD_PCAP_OOO_BYTES	(1024 * 1024)
#define RD_PCAP_MAX_HDRS	(64 * 1024)
#define RD_PCAP_RESYNC_MAX	(64 * 1024)
#define RD_PCAP_LINE_MAX	8192

struct rd_pcap_addr {
	uint8_t v;		/* 4 or 6 */
	uint8_t a[16];
};

struct rd_pcap_frag {
	int used;
	struct rd_pcap_addr src, dst;
	uint32_t id;
	uint8_t proto;		/* IPv4 protocol / IPv6 next header */
	uint32_t pkt;		/* first packet seen of the datagram */
	unsigned char *buf;
	size_t total;		/* length, once the last fragment is here */
	size_t blocks;		/* 8-byte blocks received */
	uint8_t bits[RD_PCAP_FRAG_MAX / 8 / 8 + 1];
	int cut;
};

/* Where each packet's bytes begin in a TCP stream, and the packet that
 * completed the stream up to them: the latest of those that brought the
 * stream's bytes so far (the bytes of a segment that came early wait for
 * the ones before them). A message is complete when its last byte is, as
 * Wireshark and sngrep show it, and takes that packet's number and time. */
struct rd_pcap_seg {
	uint64_t at;
	uint32_t pkt;
	int64_t time;
};

struct rd_pcap_ooo {
	uint32_t seq;
	uint32_t pkt;
	int64_t time;
	char *data;
	size_t n;
};

enum rd_pcap_kind {
	TS_NEW = 0,	/* not classified yet */
	TS_SIP,
	TS_TLS,
	TS_WS,		/* WebSocket frames after the HTTP upgrade */
	TS_OTHER,	/* not SIP: bytes are skipped */
};

struct rd_pcap_stream {
	struct rd_pcap_stream *next;	/* hash chain */
	struct rd_pcap_addr src, dst;
	uint16_t sport, dport;
	enum rd_pcap_kind kind;
	int have_seq;
	uint32_t next_seq;
	int resync;		/* bytes were lost: look for a start line */
	char *buf;		/* in-order bytes buf[head..len) */
	size_t head, len, cap;
	size_t scan;		/* bytes after head already searched */
	size_t hend;		/* end of the head's header block, 0: unknown */
	size_t need;		/* bytes of the head's message, once hend is */
	uint32_t isn;		/* sequence number of the SYN */
	uint64_t total;		/* stream bytes appended so far */
	struct rd_pcap_seg *segs;
	size_t seghead, nsegs, capsegs;
	struct rd_pcap_ooo *ooo;
	size_t nooo, capooo, ooobytes;
	struct strbuf ws;	/* WebSocket message being assembled */
	int ws_in;
	int ws_deflate;		/* permessage-deflate seen (and warned) */
	uint32_t ws_pkt;	/* the packet that completed it so far */
	int64_t ws_time;
};

struct rd_pcap {
	struct reader *r;
	int link;
	uint32_t pkt;		/* current packet number, 1-based */
	int64_t time;
	/* The transform's output. A message is written when the packet
	 * that completes it is read and takes its number and time, so
	 * records come out in packet order, which keeps each stream's. */
	struct strbuf *out;
	int64_t last_time;	/* of the last record written */
	struct rd_pcap_frag frags[RD_PCAP_NFRAG];
	struct rd_pcap_stream **tab;
	size_t tabsize, nstreams;
	int streams_warned;
	/* Counts for the summary. */
	size_t skipped;		/* packets that carry nothing we read */
	size_t frag_lost;	/* datagrams whose fragments never completed */
	size_t tls;		/* TLS connections */
	size_t records;		/* messages written */
	/* pcapng blocks libpcap refused and skipped (rd_pcap_ng_skip): the
	 * packets among them, the first one's number, the first reason; the
	 * index of the first interface it refused in this section, or
	 * UINT32_MAX (rd_pcap_ng_misread). */
	size_t unread;
	uint32_t unread_first;
	char *unread_why;
	uint32_t ng_refused;
	/* A classic pcap, read here rather than by libpcap (rd_pcap_more),
	 * as libpcap reads it: its global header read, the byte order, a
	 * nanosecond clock, the bytes of a record header (24 in Kuznetzov's
	 * modified format), the caplen and len swapped by old versions (1
	 * always, 2 when caplen > len), the snapshot length. */
	int begun;
	int big, nano, rechdr, swapped;
	uint32_t snap;
	/* Damaged: what follows is not read (rd_pcap_more); or, soft, only
	 * cut short for now (READER_PAUSE: it is read once it is whole). */
	char *cut;
	int cut_soft;
};

static uint16_t
rd_pcap_be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
rd_pcap_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static uint32_t
rd_pcap_u32(const unsigned char *p, int big)
{
	if (big)
		return rd_pcap_be32(p);
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

/* "1.2.3.4:5060" or "[2001:db8::1]:5060". IPv4, nearly every packet, is
 * written by hand: inet_ntop() and snprintf() were a tenth of reading a
 * capture. */
static void
rd_pcap_endpoint(char *out, size_t outsz, const struct rd_pcap_addr *a,
    uint16_t port)
{
	char ip[INET6_ADDRSTRLEN], *q;
	int i;

	if (a->v != 6 && outsz >= sizeof "255.255.255.255:65535") {
		q = out;
		for (i = 0; i < 4; i++) {
			if (i > 0)
				*q++ = '.';
			q = put_dec(q, a->a[i]);
		}
		*q++ = ':';
		q = put_dec(q, port);
		*q = '\0';
		return;
	}
	if (inet_ntop(a->v == 6 ? AF_INET6 : AF_INET, a->a, ip,
	    sizeof ip) == NULL)
		strcpy(ip, "?");
	if (a->v == 6)
		snprintf(out, outsz, "[%s]:%u", ip, port);
	else
		snprintf(out, outsz, "%s:%u", ip, port);
}

/* Appends one message to the output; rec holds start, hdrs, body
 * and flags; pkt and time are the packet's that completed it. A truncated
 * message is warned about here because the reader does not warn for
 * canonical records. */
static void
rd_pcap_emit(struct rd_pcap *st, struct rd_record *rec, uint32_t pkt,
    int64_t time, const struct rd_pcap_addr *src, uint16_t sport,
    const struct rd_pcap_addr *dst, uint16_t dport, const char *transport)
{
	char s[80], d[80];

	/* Completed by an earlier packet but written only now: TCP bytes
	 * that waited behind a hole until it was given up. It cannot be
	 * earlier than what was written before it, or the file alone and
	 * the file merged with others (sorted by time) would differ. */
	if (pkt != st->pkt && time != TIME_NONE && st->last_time != TIME_NONE &&
	    time < st->last_time)
		time = st->last_time;
	if (time != TIME_NONE)
		st->last_time = time;
	rd_pcap_endpoint(s, sizeof s, src, sport);
	rd_pcap_endpoint(d, sizeof d, dst, dport);
	rec->kind = REC_SIP;
	rec->line = pkt;
	rec->time = time;
	rec->time_prec = 6;
	rec->has_date = 1;
	rec->dir = DIR_UNKNOWN;
	rec->src.p = s;
	rec->src.n = strlen(s);
	rec->dst.p = d;
	rec->dst.n = strlen(d);
	rec->transport.p = transport;
	rec->transport.n = strlen(transport);
	if (rec->flags & RECF_TRUNCATED)
		reader_warn(st->r, pkt, "message cut short (kept, flagged "
		    "truncated)");
	rd_canon_emit(st->out, rec);
	reader_spill(st->r, st->out);
	st->records++;
}

/* Whether p[0..n) begins with a SIP start line (after keep-alive CRLFs,
 * whose count goes to *skip). */
static int
rd_pcap_is_sip(const char *p, size_t n, size_t *skip)
{
	const char *nl;
	size_t i = 0;

	while (i < n && (p[i] == '\r' || p[i] == '\n'))
		i++;
	*skip = i;
	if (i == n)
		return 0;
	nl = memchr(p + i, '\n', n - i);
	return rd_raw_is_start(p + i, nl != NULL ? (size_t)(nl - p) - i :
	    n - i);
}

/* A whole SIP message in p[0..n): a UDP datagram or a WebSocket message. */
static int
rd_pcap_message(struct rd_pcap *st, const char *p, size_t n, int cut,
    uint32_t pkt, int64_t time, const struct rd_pcap_addr *src,
    uint16_t sport, const struct rd_pcap_addr *dst, uint16_t dport,
    const char *transport)
{
	struct rd_record rec;
	size_t skip;
	int has_cl;

	if (!rd_pcap_is_sip(p, n, &skip))
		return 0;
	memset(&rec, 0, sizeof rec);
	rd_raw_split(p, skip, n, &rec, &has_cl);
	if (cut)
		rec.flags |= RECF_TRUNCATED;
	rd_pcap_emit(st, &rec, pkt, time, src, sport, dst, dport, transport);
	return 1;
}

/* ---------------------------------------------------------------- TCP */

static uint32_t
rd_pcap_hash(const struct rd_pcap_addr *src, uint16_t sport,
    const struct rd_pcap_addr *dst, uint16_t dport)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < 16; i++)
		h = (h ^ src->a[i]) * 16777619u;
	for (i = 0; i < 16; i++)
		h = (h ^ dst->a[i]) * 16777619u;
	h = (h ^ sport) * 16777619u;
	h = (h ^ dport) * 16777619u;
	return h ^ (h >> 15);
}

static struct rd_pcap_stream *
rd_pcap_stream_find(struct rd_pcap *st, const struct rd_pcap_addr *src,
    uint16_t sport, const struct rd_pcap_addr *dst, uint16_t dport)
{
	struct rd_pcap_stream *s;

	if (st->tabsize == 0)
		return NULL;
	s = st->tab[rd_pcap_hash(src, sport, dst, dport) & (st->tabsize - 1)];
	for (; s != NULL; s = s->next) {
		if (s->sport == sport && s->dport == dport &&
		    memcmp(&s->src, src, sizeof *src) == 0 &&
		    memcmp(&s->dst, dst, sizeof *dst) == 0)
			return s;
	}
	return NULL;
}

static void
rd_pcap_rehash(struct rd_pcap *st)
{
	struct rd_pcap_stream **tab, *s, *next;
	size_t i, size = st->tabsize == 0 ? 256 : st->tabsize * 2;
	uint32_t h;

	tab = xcalloc(size, sizeof *tab);
	for (i = 0; i < st->tabsize; i++) {
		for (s = st->tab[i]; s != NULL; s = next) {
			next = s->next;
			h = rd_pcap_hash(&s->src, s->sport, &s->dst, s->dport);
			s->next = tab[h & (size - 1)];
			tab[h & (size - 1)] = s;
		}
	}
	free(st->tab);
	st->tab = tab;
	st->tabsize = size;
}

static struct rd_pcap_stream *
rd_pcap_stream_get(struct rd_pcap *st, const struct rd_pcap_addr *src,
    uint16_t sport, const struct rd_pcap_addr *dst, uint16_t dport)
{
	struct rd_pcap_stream *s;
	uint32_t h;

	s = rd_pcap_stream_find(st, src, sport, dst, dport);
	if (s != NULL)
		return s;
	if (st->nstreams >= RD_PCAP_MAX_STREAMS) {
		if (!st->streams_warned)
			reader_warn(st->r, st->pkt, "more than %d TCP "
			    "connections: later ones are not read",
			    RD_PCAP_MAX_STREAMS);
		st->streams_warned = 1;
		return NULL;
	}
	if (st->nstreams >= st->tabsize / 2)
		rd_pcap_rehash(st);
	s = xcalloc(1, sizeof *s);
	s->src = *src;
	s->dst = *dst;
	s->sport = sport;
	s->dport = dport;
	strbuf_init(&s->ws);
	h = rd_pcap_hash(src, sport, dst, dport);
	s->next = st->tab[h & (st->tabsize - 1)];
	st->tab[h & (st->tabsize - 1)] = s;
	st->nstreams++;
	return s;
}

static void
rd_pcap_stream_clear(struct rd_pcap_stream *s)
{
	size_t i;

	free(s->buf);
	s->buf = NULL;
	s->head = s->len = s->cap = s->scan = s->hend = 0;
	free(s->segs);
	s->segs = NULL;
	s->seghead = s->nsegs = s->capsegs = 0;
	for (i = 0; i < s->nooo; i++)
		free(s->ooo[i].data);
	free(s->ooo);
	s->ooo = NULL;
	s->nooo = s->capooo = s->ooobytes = 0;
	strbuf_free(&s->ws);
	strbuf_init(&s->ws);
	s->ws_in = 0;
	s->ws_deflate = 0;
}

/* Number and time of the packet that completed the stream up to the byte
 * at buf[head + k] (struct rd_pcap_seg). */
static void
rd_pcap_stream_at(const struct rd_pcap_stream *s, size_t k, uint32_t *pkt,
    int64_t *time)
{
	uint64_t at = s->total - (s->len - s->head) + k;
	size_t lo = s->seghead, hi = s->nsegs;

	/* The last segment that begins at or before at. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->segs[mid].at <= at)
			lo = mid;
		else
			hi = mid;
	}
	if (lo < s->nsegs) {
		*pkt = s->segs[lo].pkt;
		*time = s->segs[lo].time;
	} else {
		*pkt = 0;
		*time = TIME_NONE;
	}
}

static void
rd_pcap_consume(struct rd_pcap_stream *s, size_t k)
{
	uint64_t at;

	s->head += k;
	s->scan = s->hend = 0;
	if (s->head >= s->len) {
		s->head = s->len = 0;
	} else if (s->head > s->cap / 2) {
		memmove(s->buf, s->buf + s->head, s->len - s->head);
		s->len -= s->head;
		s->head = 0;
	}
	/* Segments wholly before the head are no longer needed. */
	at = s->total - (s->len - s->head);
	while (s->seghead + 1 < s->nsegs && s->segs[s->seghead + 1].at <= at)
		s->seghead++;
	if (s->seghead > 64 && s->seghead > s->nsegs / 2) {
		memmove(s->segs, s->segs + s->seghead,
		    (s->nsegs - s->seghead) * sizeof *s->segs);
		s->nsegs -= s->seghead;
		s->seghead = 0;
	}
}

static void
rd_pcap_append(struct rd_pcap_stream *s, const char *p, size_t n,
    uint32_t pkt, int64_t time)
{
	struct rd_pcap_seg *g;

	if (n == 0)
		return;
	if (s->kind != TS_TLS && s->kind != TS_OTHER) {
		s->buf = xgrow(s->buf, &s->cap, s->len + n, 1);
		memcpy(s->buf + s->len, p, n);
		s->len += n;
		s->segs = xgrow(s->segs, &s->capsegs, s->nsegs + 1,
		    sizeof *s->segs);
		g = &s->segs[s->nsegs];
		g->at = s->total;
		g->pkt = pkt;
		g->time = time;
		/* A segment that came before the ones it follows is
		 * complete with the latest of them. */
		if (s->nsegs > 0 && g[-1].pkt > pkt) {
			g->pkt = g[-1].pkt;
			g->time = g[-1].time;
		}
		s->nsegs++;
	}
	s->total += n;
	s->next_seq += (uint32_t)n;
}

/* Offset just after the blank line that ends the header block starting at
 * p, or 0 while it is not complete. Searches from from. */
static size_t
rd_pcap_hdr_end(const char *p, size_t n, size_t from)
{
	const char *nl;
	size_t i = from > 2 ? from - 2 : 0;

	while (i < n && (nl = memchr(p + i, '\n', n - i)) != NULL) {
		i = (size_t)(nl - p) + 1;
		if (i < n && p[i] == '\n')
			return i + 1;
		if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n')
			return i + 2;
	}
	return 0;
}

/* Content-Length of the header block p[0..n) (0 when absent, as RFC 3261
 * says for stream transports), or -1 when absurd. */
static long long
rd_pcap_content_length(const char *p, size_t n)
{
	size_t i = 0, eol, k;
	const char *nl;
	unsigned long long v;

	while (i < n) {
		nl = memchr(p + i, '\n', n - i);
		eol = nl != NULL ? (size_t)(nl - p) : n;
		k = i;
		if (eol - i >= 14 && strncasecmp(p + i, "Content-Length", 14) ==
		    0)
			k = i + 14;
		else if (eol - i >= 1 && (p[i] == 'l' || p[i] == 'L'))
			k = i + 1;
		if (k != i) {
			while (k < eol && (p[k] == ' ' || p[k] == '\t'))
				k++;
			if (k < eol && p[k] == ':') {
				k++;
				while (k < eol && (p[k] == ' ' || p[k] == '\t'))
					k++;
				v = 0;
				for (; k < eol && p[k] >= '0' && p[k] <= '9';
				    k++) {
					v = v * 10 + (unsigned)(p[k] - '0');
					if (v > RD_PCAP_TCP_MAX)
						return -1;
				}
				return (long long)v;
			}
		}
		i = eol + 1;
	}
	return 0;
}

/* Emits what is buffered of a message that will not complete, flagged
 * truncated; junk is dropped. Clears the buffer. */
static void
rd_pcap_tcp_flush(struct rd_pcap *st, struct rd_pcap_stream *s)
{
	struct rd_record rec;
	size_t skip, avail = s->len - s->head;
	uint32_t pkt;
	int64_t time;
	int has_cl;

	if (s->kind == TS_SIP && avail > 0 && !s->resync &&
	    rd_pcap_is_sip(s->buf + s->head, avail, &skip)) {
		memset(&rec, 0, sizeof rec);
		rd_pcap_stream_at(s, avail - 1, &pkt, &time);
		rd_raw_split(s->buf + s->head, skip, avail, &rec, &has_cl);
		rec.flags |= RECF_TRUNCATED;
		rd_pcap_emit(st, &rec, pkt, time, &s->src, s->sport, &s->dst,
		    s->dport, "TCP");
	}
	if (s->kind == TS_WS && s->ws_in) {
		if (!rd_pcap_message(st, s->ws.buf, s->ws.len, 1, s->ws_pkt,
		    s->ws_time, &s->src, s->sport, &s->dst, s->dport, "WS"))
			st->skipped++;
		s->ws_in = 0;
	}
	rd_pcap_consume(s, avail);
}

static void
rd_pcap_tls(struct rd_pcap *st, struct rd_pcap_stream *s)
{
	struct rd_pcap_stream *rev;
	char a[80], b[80];

	s->kind = TS_TLS;
	rd_pcap_consume(s, s->len - s->head);
	rev = rd_pcap_stream_find(st, &s->dst, s->dport, &s->src, s->sport);
	if (rev != NULL && rev->kind == TS_TLS)
		return;
	rd_pcap_endpoint(a, sizeof a, &s->src, s->sport);
	rd_pcap_endpoint(b, sizeof b, &s->dst, s->dport);
	reader_warn(st->r, st->pkt, "TLS connection %s -> %s, not decrypted",
	    a, b);
	st->tls++;
}

/* An HTTP request or response head: a WebSocket upgrade makes the stream
 * carry frames, anything else is not SIP. Returns 0 while incomplete. */
static int
rd_pcap_tcp_http(struct rd_pcap_stream *s)
{
	const char *d = s->buf + s->head;
	size_t avail = s->len - s->head, end;
	struct span h;

	end = rd_pcap_hdr_end(d, avail, s->scan);
	if (end == 0) {
		s->scan = avail;
		if (avail > RD_PCAP_MAX_HDRS)
			s->kind = TS_OTHER;
		return s->kind == TS_OTHER;
	}
	h.p = d;
	h.n = end;
	if ((memcmp(d, "GET ", 4) == 0 &&
	    span_ifind(h, "upgrade: websocket", 18) >= 0) ||
	    (avail >= 12 && memcmp(d, "HTTP/1.1 101", 12) == 0))
		s->kind = TS_WS;
	else
		s->kind = TS_OTHER;
	rd_pcap_consume(s, end);
	return 1;
}

/* One WebSocket frame (RFC 6455). Returns 0 while incomplete. */
static int
rd_pcap_ws_frame(struct rd_pcap *st, struct rd_pcap_stream *s)
{
	const unsigned char *d = (const unsigned char *)s->buf + s->head;
	size_t avail = s->len - s->head, hl = 2, i;
	uint64_t n;
	int fin, op, masked;
	unsigned char key[4] = { 0, 0, 0, 0 };

	if (avail < 2)
		return 0;
	fin = d[0] & 0x80;
	op = d[0] & 0x0f;
	masked = d[1] & 0x80;
	n = d[1] & 0x7f;
	if (n == 126) {
		if (avail < 4)
			return 0;
		n = rd_pcap_be16(d + 2);
		hl = 4;
	} else if (n == 127) {
		if (avail < 10)
			return 0;
		n = (uint64_t)rd_pcap_be32(d + 2) << 32 | rd_pcap_be32(d + 6);
		hl = 10;
	}
	if (masked)
		hl += 4;
	if (n > RD_PCAP_TCP_MAX || (op > 2 && op < 8) || op > 10) {
		reader_warn(st->r, st->pkt, "WebSocket stream damaged (frame "
		    "opcode %d, length %llu): the rest of the connection is "
		    "not read", op, (unsigned long long)n);
		rd_pcap_tcp_flush(st, s);
		s->kind = TS_OTHER;
		return 1;
	}
	if (avail < hl + n)
		return 0;
	if (masked)
		memcpy(key, d + hl - 4, 4);
	if ((op == 1 || op == 2) && (d[0] & 0x40) && !s->ws_deflate) {
		/* RSV1 on a data frame: permessage-deflate (RFC 7692). */
		s->ws_deflate = 1;
		reader_warn(st->r, st->pkt, "WebSocket messages of this "
		    "connection are compressed (permessage-deflate), not read");
	}
	if (op == 1 || op == 2) {
		if (s->ws_in && !rd_pcap_message(st, s->ws.buf, s->ws.len, 1,
		    s->ws_pkt, s->ws_time, &s->src, s->sport, &s->dst, s->dport,
		    "WS"))
			st->skipped++;
		strbuf_reset(&s->ws);
		s->ws_in = 1;
	}
	if ((op <= 2) && s->ws_in) {
		if (s->ws.len + n > RD_PCAP_TCP_MAX) {
			/* Too big for one SIP message: keep what we have. */
			if (!rd_pcap_message(st, s->ws.buf, s->ws.len, 1,
			    s->ws_pkt, s->ws_time, &s->src, s->sport, &s->dst,
			    s->dport, "WS"))
				st->skipped++;
			s->ws_in = 0;
		} else {
			for (i = 0; i < n; i++)
				strbuf_addc(&s->ws, (char)(d[hl + i] ^
				    key[i & 3]));
			/* The message is complete with its last frame. */
			rd_pcap_stream_at(s, hl + (size_t)n - 1, &s->ws_pkt,
			    &s->ws_time);
		}
	}
	if (fin && op <= 2 && s->ws_in) {
		if (!rd_pcap_message(st, s->ws.buf, s->ws.len, 0, s->ws_pkt,
		    s->ws_time, &s->src, s->sport, &s->dst, s->dport, "WS"))
			st->skipped++;
		s->ws_in = 0;
	}
	rd_pcap_consume(s, hl + (size_t)n);
	return 1;
}

/* Looks for a start line at the beginning of a line, or of a segment (a
 * sender starts a message in a new segment; the bytes before may be the
 * end of a line we never saw, and then the segment start wins); drops the
 * bytes before it. Returns 1 when found, 0 after dropping every complete
 * line. Each complete line is looked at once. */
static int
rd_pcap_tcp_resync(struct rd_pcap_stream *s)
{
	const char *d = s->buf + s->head, *nl;
	size_t avail = s->len - s->head, line = 0, eol, i, k;
	uint64_t at = s->total - avail;

	/* Only a complete line can be a start line. */
	if (s->scan >= avail ||
	    memchr(d + s->scan, '\n', avail - s->scan) == NULL) {
		s->scan = avail;
		if (avail > RD_PCAP_LINE_MAX)
			rd_pcap_consume(s, avail);
		return 0;
	}
	k = s->seghead;
	while (line < avail &&
	    (nl = memchr(d + line, '\n', avail - line)) != NULL) {
		eol = (size_t)(nl - d);
		for (; k < s->nsegs && s->segs[k].at < at + eol; k++) {
			if (s->segs[k].at <= at + line)
				continue;
			i = (size_t)(s->segs[k].at - at);
			if (rd_raw_is_start(d + i, eol - i)) {
				line = i;
				goto found;
			}
		}
		if (rd_raw_is_start(d + line, eol - line))
			goto found;
		line = eol + 1;
	}
	/* Keep the last, incomplete line: it may become a start line. */
	rd_pcap_consume(s, line);
	s->scan = s->len - s->head;
	if (s->len - s->head > RD_PCAP_LINE_MAX)
		rd_pcap_consume(s, s->len - s->head);
	return 0;
found:
	rd_pcap_consume(s, line);
	s->resync = 0;
	return 1;
}

/* Cuts SIP messages out of the buffered bytes of a stream. */
static void
rd_pcap_tcp_frame(struct rd_pcap *st, struct rd_pcap_stream *s)
{
	struct rd_record rec;
	const char *d, *nl;
	size_t avail, end, need, skip;
	long long cl;
	uint32_t pkt;
	int64_t time;
	int has_cl;

	for (;;) {
		avail = s->len - s->head;
		/* An empty stream may have no buffer yet: no NULL + 0. */
		if (avail == 0 || s->buf == NULL || s->kind == TS_TLS ||
		    s->kind == TS_OTHER)
			return;
		d = s->buf + s->head;
		if (s->kind == TS_WS) {
			if (!rd_pcap_ws_frame(st, s))
				return;
			continue;
		}
		/* Keep-alives: CRLFCRLF pings, CRLF pongs. */
		for (skip = 0; skip < avail && (d[skip] == '\r' ||
		    d[skip] == '\n'); skip++)
			;
		if (skip > 0) {
			rd_pcap_consume(s, skip);
			continue;
		}
		if (s->kind == TS_NEW) {
			if (avail < 4)
				return;
			if ((unsigned char)d[0] >= 0x14 &&
			    (unsigned char)d[0] <= 0x17 && d[1] == 0x03 &&
			    (unsigned char)d[2] <= 0x04) {
				rd_pcap_tls(st, s);
				return;
			}
			if (avail >= 4 && (memcmp(d, "GET ", 4) == 0 ||
			    memcmp(d, "HTTP", 4) == 0)) {
				if (!rd_pcap_tcp_http(s))
					return;
				continue;
			}
		}
		if (s->resync) {
			if (!rd_pcap_tcp_resync(s)) {
				if (s->kind == TS_NEW &&
				    s->total > RD_PCAP_RESYNC_MAX)
					s->kind = TS_OTHER;
				return;
			}
			continue;
		}
		nl = memchr(d, '\n', avail);
		if (nl == NULL) {
			if (avail > RD_PCAP_LINE_MAX)
				s->resync = 1;
			else
				return;
			continue;
		}
		if (!rd_raw_is_start(d, (size_t)(nl - d))) {
			if (s->kind == TS_NEW)
				s->kind = TS_OTHER;
			else
				s->resync = 1;
			continue;
		}
		s->kind = TS_SIP;
		end = s->hend != 0 ? s->hend : rd_pcap_hdr_end(d, avail,
		    s->scan);
		if (end == 0) {
			s->scan = avail;
			if (avail > RD_PCAP_MAX_HDRS) {
				rd_pcap_tcp_flush(st, s);
				s->resync = 1;
			}
			return;
		}
		if (s->hend == 0) {
			cl = rd_pcap_content_length(d, end);
			need = cl < 0 ? SIZE_MAX : end + (size_t)cl;
		} else
			need = s->need;
		if (avail < need) {
			/* Remembered: the header block is not read again
			 * for every segment of a long body. */
			s->hend = end;
			s->need = need;
			if (need == SIZE_MAX) {
				rd_pcap_tcp_flush(st, s);
				s->resync = 1;
				return;
			}
			if (avail > RD_PCAP_TCP_MAX) {
				rd_pcap_tcp_flush(st, s);
				s->resync = 1;
			}
			return;
		}
		memset(&rec, 0, sizeof rec);
		rd_pcap_stream_at(s, need - 1, &pkt, &time);
		rd_raw_split(d, 0, need, &rec, &has_cl);
		rd_pcap_emit(st, &rec, pkt, time, &s->src, s->sport, &s->dst,
		    s->dport, "TCP");
		rd_pcap_consume(s, need);
	}
}

/* Appends the out-of-order segments that now fit. */
static void
rd_pcap_tcp_drain(struct rd_pcap_stream *s)
{
	struct rd_pcap_ooo *o;
	size_t i, trim;
	int moved = 1;

	while (moved) {
		moved = 0;
		for (i = 0; i < s->nooo; i++) {
			o = &s->ooo[i];
			if ((int32_t)(o->seq - s->next_seq) > 0)
				continue;
			trim = s->next_seq - o->seq;
			if (trim < o->n)
				rd_pcap_append(s, o->data + trim, o->n - trim,
				    o->pkt, o->time);
			s->ooobytes -= o->n;
			free(o->data);
			s->ooo[i] = s->ooo[--s->nooo];
			moved = 1;
			break;
		}
	}
}

/* Gives up waiting for the bytes before the earliest out-of-order
 * segment: what was being assembled is kept as truncated. */
static void
rd_pcap_tcp_gap(struct rd_pcap *st, struct rd_pcap_stream *s)
{
	char a[80], b[80];
	size_t i, first = 0;

	if (s->nooo == 0)
		return;
	for (i = 1; i < s->nooo; i++) {
		if ((int32_t)(s->ooo[i].seq - s->ooo[first].seq) < 0)
			first = i;
	}
	if (s->kind == TS_SIP || s->kind == TS_WS) {
		rd_pcap_endpoint(a, sizeof a, &s->src, s->sport);
		rd_pcap_endpoint(b, sizeof b, &s->dst, s->dport);
		reader_warn(st->r, s->ooo[first].pkt, "%u bytes of TCP %s -> "
		    "%s were not captured", s->ooo[first].seq - s->next_seq,
		    a, b);
	}
	rd_pcap_tcp_flush(st, s);
	if (s->kind == TS_WS)
		s->kind = TS_OTHER;	/* frame boundaries are lost */
	s->resync = 1;
	s->total += s->ooo[first].seq - s->next_seq;
	s->next_seq = s->ooo[first].seq;
	rd_pcap_tcp_drain(s);
	rd_pcap_tcp_frame(st, s);
}

static void
rd_pcap_tcp(struct rd_pcap *st, const struct rd_pcap_addr *src,
    const struct rd_pcap_addr *dst, const unsigned char *p, size_t n,
    size_t wire)
{
	struct rd_pcap_stream *s;
	struct rd_pcap_ooo *o;
	uint16_t sport, dport;
	uint32_t seq, d;
	size_t doff, len, trim;
	int flags;
	const char *data;

	if (n < 20 || wire < 20) {
		st->skipped++;
		return;
	}
	sport = rd_pcap_be16(p);
	dport = rd_pcap_be16(p + 2);
	seq = rd_pcap_be32(p + 4);
	doff = (size_t)(p[12] >> 4) * 4;
	flags = p[13];
	if (doff < 20 || doff > n) {
		st->skipped++;
		return;
	}
	data = (const char *)p + doff;
	len = n - doff;
	s = rd_pcap_stream_get(st, src, sport, dst, dport);
	if (s == NULL) {
		st->skipped++;
		return;
	}
	if ((flags & 0x02) && s->have_seq && seq == s->isn) {
		seq++;		/* a retransmitted SYN */
	} else if (flags & 0x02) {	/* SYN: a new connection */
		rd_pcap_tcp_flush(st, s);
		rd_pcap_stream_clear(s);
		s->kind = TS_NEW;
		s->resync = 0;
		s->have_seq = 1;
		s->next_seq = seq + 1;
		s->isn = seq;
		s->total = 0;
		seq++;
	}
	/* A stream known not to be SIP is not reassembled. */
	if ((len > 0 || wire > n) && s->kind != TS_OTHER &&
	    s->kind != TS_TLS) {
		if (!s->have_seq) {
			/* Joined in the middle: the first bytes may be the
			 * end of a message. */
			s->have_seq = 1;
			s->next_seq = seq;
			s->resync = 1;
		}
	again:
		d = seq - s->next_seq;
		if ((int32_t)d < 0) {
			/* A retransmission, maybe with new bytes at its end. */
			trim = (size_t)(s->next_seq - seq);
			if (trim >= len)
				len = 0;
			else {
				data += trim;
				len -= trim;
				seq = s->next_seq;
			}
		}
		if (len > 0 && (int32_t)(seq - s->next_seq) > 0 &&
		    (s->nooo >= RD_PCAP_OOO_SEGS ||
		    s->ooobytes + len > RD_PCAP_OOO_BYTES)) {
			/* Too much waits for a gap to fill: skip it. Each
			 * time at least one held segment is used. */
			rd_pcap_tcp_gap(st, s);
			goto again;
		}
		if (len > 0 && (int32_t)(seq - s->next_seq) > 0) {
			s->ooo = xgrow(s->ooo, &s->capooo, s->nooo + 1,
			    sizeof *s->ooo);
			o = &s->ooo[s->nooo++];
			o->seq = seq;
			o->pkt = st->pkt;
			o->time = st->time;
			o->data = xmalloc(len);
			memcpy(o->data, data, len);
			o->n = len;
			s->ooobytes += len;
		} else if (len > 0 || wire > n) {
			rd_pcap_append(s, data, len, st->pkt, st->time);
			if (wire > n) {
				/* The capture kept only the start of the
				 * segment: the message there is cut. */
				rd_pcap_tcp_frame(st, s);
				rd_pcap_tcp_flush(st, s);
				s->resync = 1;
				s->next_seq += (uint32_t)(wire - n);
				s->total += wire - n;
			}
			rd_pcap_tcp_drain(s);
			rd_pcap_tcp_frame(st, s);
		}
	}
	if (len == 0 || s->kind == TS_OTHER || s->kind == TS_TLS)
		st->skipped++;
	if (flags & 0x05) {	/* FIN or RST: what is left will not end */
		rd_pcap_tcp_drain(s);
		rd_pcap_tcp_frame(st, s);
		while (s->nooo > 0)
			rd_pcap_tcp_gap(st, s);
		rd_pcap_tcp_flush(st, s);
		rd_pcap_stream_clear(s);
		s->have_seq = 0;
	}
}

/* ---------------------------------------------------------------- UDP */

static void
rd_pcap_udp(struct rd_pcap *st, const struct rd_pcap_addr *src,
    const struct rd_pcap_addr *dst, const unsigned char *p, size_t n,
    size_t wire, uint32_t pkt, int64_t time)
{
	size_t ulen;
	int cut = wire > n;

	if (n < 8) {
		st->skipped++;
		return;
	}
	ulen = rd_pcap_be16(p + 4);
	if (ulen >= 8 && ulen <= n)
		n = ulen;	/* drop link padding */
	else if (ulen > n)
		cut = 1;
	if (!rd_pcap_message(st, (const char *)p + 8, n - 8, cut, pkt, time,
	    src, rd_pcap_be16(p), dst, rd_pcap_be16(p + 2), "UDP"))
		st->skipped++;
}

static void
rd_pcap_l4(struct rd_pcap *st, int proto, const struct rd_pcap_addr *src,
    const struct rd_pcap_addr *dst, const unsigned char *p, size_t n,
    size_t wire, uint32_t pkt, int64_t time)
{
	if (proto == 17)
		rd_pcap_udp(st, src, dst, p, n, wire, pkt, time);
	else if (proto == 6)
		rd_pcap_tcp(st, src, dst, p, n, wire);
	else
		st->skipped++;
}

/* --------------------------------------------------------- fragments */

static void
rd_pcap_frag_drop(struct rd_pcap *st, struct rd_pcap_frag *f)
{
	free(f->buf);
	memset(f, 0, sizeof *f);
	st->frag_lost++;
}

/* Adds a fragment; when the datagram is whole, hands it to layer 4. */
static void
rd_pcap_frag(struct rd_pcap *st, const struct rd_pcap_addr *src,
    const struct rd_pcap_addr *dst, uint32_t id, int proto, size_t off,
    int more, const unsigned char *p, size_t n, size_t wire)
{
	struct rd_pcap_frag *f = NULL, *fr;
	size_t i, b, b0, b1, oldest = 0;

	if (off + wire > RD_PCAP_FRAG_MAX || (more && wire % 8 != 0)) {
		st->skipped++;
		return;
	}
	for (i = 0; i < RD_PCAP_NFRAG; i++) {
		fr = &st->frags[i];
		if (fr->used && st->pkt - fr->pkt > RD_PCAP_FRAG_AGE)
			rd_pcap_frag_drop(st, fr);
		if (!fr->used) {
			if (f == NULL)
				f = fr;
			continue;
		}
		if (fr->id == id && fr->proto == proto &&
		    memcmp(&fr->src, src, sizeof *src) == 0 &&
		    memcmp(&fr->dst, dst, sizeof *dst) == 0) {
			f = fr;
			break;
		}
		if (fr->pkt < st->frags[oldest].pkt || !st->frags[oldest].used)
			oldest = i;
	}
	if (f == NULL) {
		f = &st->frags[oldest];
		rd_pcap_frag_drop(st, f);
	}
	if (!f->used) {
		f->used = 1;
		f->src = *src;
		f->dst = *dst;
		f->id = id;
		f->proto = (uint8_t)proto;
		f->pkt = st->pkt;
		f->buf = xcalloc(1, RD_PCAP_FRAG_MAX);
	}
	memcpy(f->buf + off, p, n);
	if (n < wire)
		f->cut = 1;
	if (!more)
		f->total = off + wire;
	b0 = off / 8;
	b1 = (off + wire + 7) / 8;
	for (b = b0; b < b1; b++) {
		if (!(f->bits[b / 8] & (1u << (b % 8)))) {
			f->bits[b / 8] |= (uint8_t)(1u << (b % 8));
			f->blocks++;
		}
	}
	if (f->total == 0 || f->blocks < (f->total + 7) / 8)
		return;
	/* Fragments past the end (damaged or hostile) count too: make sure
	 * every block of the datagram is here. */
	for (b = 0; b < (f->total + 7) / 8; b++) {
		if (!(f->bits[b / 8] & (1u << (b % 8))))
			return;
	}
	/* Complete with this fragment, the last to come. */
	rd_pcap_l4(st, f->proto, &f->src, &f->dst, f->buf, f->total,
	    f->cut ? f->total + 1 : f->total, st->pkt, st->time);
	free(f->buf);
	memset(f, 0, sizeof *f);
}

/* ---------------------------------------------------------------- IP */

static void
rd_pcap_ipv4(struct rd_pcap *st, const unsigned char *p, size_t n)
{
	struct rd_pcap_addr src, dst;
	size_t ihl, tot, wire, off;
	uint16_t fo;

	if (n < 20 || (p[0] >> 4) != 4) {
		st->skipped++;
		return;
	}
	ihl = (size_t)(p[0] & 0x0f) * 4;
	tot = rd_pcap_be16(p + 2);
	if (tot == 0)
		tot = n;	/* segmentation offload: the stack fills it later */
	if (ihl < 20 || ihl > n || tot < ihl) {
		st->skipped++;
		return;
	}
	wire = tot - ihl;
	if (tot < n)
		n = tot;	/* drop link padding */
	memset(&src, 0, sizeof src);
	memset(&dst, 0, sizeof dst);
	src.v = dst.v = 4;
	memcpy(src.a, p + 12, 4);
	memcpy(dst.a, p + 16, 4);
	fo = rd_pcap_be16(p + 6);
	off = (size_t)(fo & 0x1fff) * 8;
	if ((fo & 0x2000) || off != 0)
		rd_pcap_frag(st, &src, &dst, rd_pcap_be16(p + 4), p[9], off,
		    (fo & 0x2000) != 0, p + ihl, n - ihl, wire);
	else
		rd_pcap_l4(st, p[9], &src, &dst, p + ihl, n - ihl, wire,
		    st->pkt, st->time);
}

static void
rd_pcap_ipv6(struct rd_pcap *st, const unsigned char *p, size_t n)
{
	struct rd_pcap_addr src, dst;
	size_t off = 40, wire, hl, i;
	int nh;

	if (n < 40 || (p[0] >> 4) != 6) {
		st->skipped++;
		return;
	}
	wire = rd_pcap_be16(p + 4);
	if (wire == 0)
		wire = n - 40;	/* a jumbogram: trust the capture */
	if (40 + wire < n)
		n = 40 + wire;
	wire += 40;
	memset(&src, 0, sizeof src);
	memset(&dst, 0, sizeof dst);
	src.v = dst.v = 6;
	memcpy(src.a, p + 8, 16);
	memcpy(dst.a, p + 24, 16);
	nh = p[6];
	/* Extension headers until the payload; a fragment header ends the
	 * walk because what follows it is in pieces. */
	for (i = 0; i < 16; i++) {
		if (nh == 0 || nh == 43 || nh == 60 || nh == 135 ||
		    nh == 139 || nh == 140) {
			if (off + 2 > n)
				break;
			hl = ((size_t)p[off + 1] + 1) * 8;
		} else if (nh == 51) {
			if (off + 2 > n)
				break;
			hl = ((size_t)p[off + 1] + 2) * 4;
		} else if (nh == 44) {
			uint16_t fo;

			if (off + 8 > n)
				break;
			fo = rd_pcap_be16(p + off + 2);
			rd_pcap_frag(st, &src, &dst, rd_pcap_be32(p + off + 4),
			    p[off], fo & 0xfff8, fo & 1, p + off + 8,
			    n - off - 8, wire - off - 8);
			return;
		} else {
			rd_pcap_l4(st, nh, &src, &dst, p + off, n - off,
			    wire - off, st->pkt, st->time);
			return;
		}
		if (off + hl > n)
			break;
		nh = p[off];
		off += hl;
	}
	st->skipped++;
}

static void
rd_pcap_ip(struct rd_pcap *st, const unsigned char *p, size_t n)
{
	if (n > 0 && (p[0] >> 4) == 4)
		rd_pcap_ipv4(st, p, n);
	else if (n > 0 && (p[0] >> 4) == 6)
		rd_pcap_ipv6(st, p, n);
	else
		st->skipped++;
}

/* An ethertype at p[off - 2], after VLAN tags and MPLS labels. */
static void
rd_pcap_ether(struct rd_pcap *st, const unsigned char *p, size_t n,
    size_t off)
{
	uint16_t type;
	int i;

	for (i = 0; i < 8; i++) {
		if (off > n) {
			st->skipped++;
			return;
		}
		type = rd_pcap_be16(p + off - 2);
		if (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
			off += 4;	/* 802.1Q / 802.1ad tag */
			continue;
		}
		if (type == 0x0800 || type == 0x86dd) {
			rd_pcap_ip(st, p + off, n - off);
			return;
		}
		if (type == 0x8847) {
			/* MPLS: labels until the bottom of the stack. */
			while (off + 4 <= n && !(p[off + 2] & 1))
				off += 4;
			off += 4;
			if (off > n)
				break;
			rd_pcap_ip(st, p + off, n - off);
			return;
		}
		break;
	}
	st->skipped++;
}

static void
rd_pcap_packet(struct rd_pcap *st, const unsigned char *p, size_t n)
{
	uint32_t af;

	switch (st->link) {
	case DLT_EN10MB:
		rd_pcap_ether(st, p, n, 14);
		break;
	case DLT_LINUX_SLL:
		rd_pcap_ether(st, p, n, 16);
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		/* The protocol type is first; move past the 20-byte header
		 * with the type as if it preceded the payload. */
		if (n < 20) {
			st->skipped++;
			break;
		}
		if (rd_pcap_be16(p) == 0x0800 || rd_pcap_be16(p) == 0x86dd)
			rd_pcap_ip(st, p + 20, n - 20);
		else
			st->skipped++;
		break;
#endif
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		rd_pcap_ip(st, p, n);
		break;
	case DLT_NULL:
	case DLT_LOOP:
		if (n < 4) {
			st->skipped++;
			break;
		}
		/* DLT_NULL is in the capturing host's byte order. */
		af = rd_pcap_be32(p);
		if (st->link == DLT_NULL && af > 0xffff)
			af = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			    (uint32_t)p[1] << 8 | p[0];
		/* AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28
		 * or 30 (the BSDs, macOS). */
		if (af == 2 || af == 10 || af == 24 || af == 28 || af == 30)
			rd_pcap_ip(st, p + 4, n - 4);
		else
			st->skipped++;
		break;
	default:
		st->skipped++;
		break;
	}
}

static int
rd_pcap_link_ok(int link)
{
	switch (link) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
#endif
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	}
	return 0;
}

/* Frees the streams and the datagrams being reassembled. */
static void
rd_pcap_release(struct rd_pcap *st)
{
	struct rd_pcap_stream *s, *next;
	size_t i;

	for (i = 0; i < st->tabsize; i++) {
		for (s = st->tab[i]; s != NULL; s = next) {
			next = s->next;
			rd_pcap_stream_clear(s);
			strbuf_free(&s->ws);
			free(s);
		}
	}
	free(st->tab);
	st->tab = NULL;
	st->tabsize = st->nstreams = 0;
	for (i = 0; i < RD_PCAP_NFRAG; i++) {
		free(st->frags[i].buf);
		st->frags[i].buf = NULL;
		st->frags[i].used = 0;
	}
}

/* End of the capture (for now): streams give up their gaps and partial
 * messages, datagrams their missing fragments. */
static void
rd_pcap_flush(struct rd_pcap *st)
{
	struct rd_pcap_stream *s;
	size_t i;

	for (i = 0; i < st->tabsize; i++) {
		for (s = st->tab[i]; s != NULL; s = s->next) {
			while (s->nooo > 0)
				rd_pcap_tcp_gap(st, s);
			rd_pcap_tcp_flush(st, s);
		}
	}
	for (i = 0; i < RD_PCAP_NFRAG; i++) {
		if (st->frags[i].used)
			rd_pcap_frag_drop(st, &st->frags[i]);
	}
}

/* End of the capture: what is pending is written, the state freed. */
static void
rd_pcap_finish(struct rd_pcap *st)
{
	rd_pcap_flush(st);
	rd_pcap_release(st);
}

/* The libpcap functions used here, found in the library once loaded. */
static struct rd_pcap_lib {
	pcap_t *(*fopen_offline)(FILE *, char *);
	int (*datalink)(pcap_t *);
	const char *(*datalink_val_to_name)(int);
	int (*next_ex)(pcap_t *, struct pcap_pkthdr **, const u_char **);
	char *(*geterr)(pcap_t *);
	void (*close)(pcap_t *);
	char why[256];		/* why it was not loaded, "" if it was */
} rd_pcap_lib;
static pthread_once_t rd_pcap_lib_once = PTHREAD_ONCE_INIT;

/* The name configure found the library under (the one a program linked
 * with -lpcap would load), then the names it has on common systems, each
 * first in the directory pkg-config gives (an installation outside the
 * loader's path); SIPSNOOP_LIBPCAP (set, not empty) names another. */
#ifndef SIPSNOOP_PCAP_SONAME
#define SIPSNOOP_PCAP_SONAME "libpcap.so.1"
#endif

static void
rd_pcap_lib_load(void)
{
	static const char *const names[] = {
		SIPSNOOP_PCAP_SONAME, "libpcap.so.1", "libpcap.so.0.8",
		"libpcap.so",
	};
	struct rd_pcap_lib *l = &rd_pcap_lib;
	const char *e, *want = getenv("SIPSNOOP_LIBPCAP");
	void *h = NULL;
	size_t i;

	/* The user's choice, alone; else the names above in turn, each in
	 * the libdir first. */
	if (want != NULL && *want == '\0')
		want = NULL;
	if (want != NULL)
		h = dlopen(want, RTLD_NOW | RTLD_LOCAL);
	for (i = 0; want == NULL && h == NULL &&
	     i < sizeof names / sizeof names[0]; i++) {
#ifdef SIPSNOOP_PCAP_LIBDIR
		char path[512];

		if ((size_t)snprintf(path, sizeof path, "%s/%s",
		    SIPSNOOP_PCAP_LIBDIR, names[i]) < sizeof path)
			h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (h != NULL)
			break;
#endif
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	}
	if (h == NULL) {
		e = dlerror();
		if (want != NULL)
			snprintf(l->why, sizeof l->why, "cannot load "
			    "libpcap: %s", e != NULL ? e : want);
		else
			snprintf(l->why, sizeof l->why, "libpcap is not "
			    "installed (%s not found)", SIPSNOOP_PCAP_SONAME);
		return;
	}
	/* POSIX gives dlsym a void *; these are the functions' own types. */
#define RD_PCAP_SYM(field, name) do { \
		void *sym_ = dlsym(h, name); \
		memcpy(&l->field, &sym_, sizeof sym_); \
	} while (0)
	RD_PCAP_SYM(fopen_offline, "pcap_fopen_offline");
	RD_PCAP_SYM(datalink, "pcap_datalink");
	RD_PCAP_SYM(datalink_val_to_name, "pcap_datalink_val_to_name");
	RD_PCAP_SYM(next_ex, "pcap_next_ex");
	RD_PCAP_SYM(geterr, "pcap_geterr");
	RD_PCAP_SYM(close, "pcap_close");
#undef RD_PCAP_SYM
	if (l->fopen_offline == NULL || l->datalink == NULL ||
	    l->datalink_val_to_name == NULL || l->next_ex == NULL ||
	    l->geterr == NULL || l->close == NULL) {
		snprintf(l->why, sizeof l->why, "the libpcap found lacks a "
		    "function sipsnoop needs");
		/* Still loaded: a library is never closed while a
		 * partial table points into it. */
		memset(l, 0, offsetof(struct rd_pcap_lib, why));
	}
}

/* pcapng: the blocks libpcap read in one call, from file offset from (a
 * block's start: the reading goes on only from there) to at; whether they
 * are whole blocks, their lengths in header and trailer agreeing, and then
 * where the last one, what the call returned or refused, begins (*last).
 * A call that failed inside a block (cut short, a broken length) leaves
 * libpcap there, and nothing after it can be trusted. A section header
 * among them begins a new set of interfaces. */
static int
rd_pcap_ng_walk(struct rd_pcap *st, long from, long at, size_t *last)
{
	const unsigned char *p = (const unsigned char *)st->r->data;
	size_t off = (size_t)from, end = (size_t)at;
	uint32_t n;
	int big;

	if (from < 0 || at <= from || end > st->r->len)
		return 0;
	/* The byte order of the first section header's magic; libpcap
	 * refuses a file whose sections differ. */
	big = p[8] == 0x1a;
	for (;;) {
		if (end - off < 12)
			return 0;
		n = rd_pcap_u32(p + off + 4, big);
		if (n < 12 || n % 4 != 0 || n > end - off ||
		    rd_pcap_u32(p + off + n - 4, big) != n)
			return 0;
		if (rd_pcap_u32(p + off, big) == 0x0a0d0d0a)
			st->ng_refused = UINT32_MAX;
		if (off + n == end) {
			*last = off;
			return 1;
		}
		off += n;
	}
}

/* The index in its section of the interface described by the block at
 * off (libpcap has read every block before it). */
static uint32_t
rd_pcap_ng_ifindex(const struct reader *r, size_t off)
{
	const unsigned char *p = (const unsigned char *)r->data;
	int big = p[8] == 0x1a;
	size_t at = 0;
	uint32_t n, type, idx = 0;

	while (off - at >= 12) {
		type = rd_pcap_u32(p + at, big);
		n = rd_pcap_u32(p + at + 4, big);
		if (n < 12 || n > off - at)
			break;
		if (type == 0x0a0d0d0a)
			idx = 0;
		else if (type == 1)
			idx++;
		at += n;
	}
	return idx;
}

/* A packet block that is not read: it has a number all the same, as in
 * Wireshark. */
static void
rd_pcap_ng_unread(struct rd_pcap *st)
{
	st->pkt++;
	if (st->unread++ == 0)
		st->unread_first = st->pkt;
}

/* libpcap failed with why in a call over from..at of a pcapng file. When
 * it read whole blocks, the last one is what it refused (an interface of
 * another link type than the first, a packet of an interface it does not
 * know, a packet longer than the snapshot length) and the file goes on:
 * counts it, keeps the first reason for one warning, returns 1. Each skip
 * is a whole block further into the file, so a file whose blocks fail
 * again and again ends. */
static int
rd_pcap_ng_skip(struct rd_pcap *st, long from, long at, const char *why)
{
	const unsigned char *p = (const unsigned char *)st->r->data;
	size_t b;
	uint32_t type, idx;

	if (!rd_pcap_ng_walk(st, from, at, &b))
		return 0;
	type = rd_pcap_u32(p + b, p[8] == 0x1a);
	if (type == 1) {
		idx = rd_pcap_ng_ifindex(st->r, b);
		if (idx < st->ng_refused)
			st->ng_refused = idx;
	} else if (type == 2 || type == 3 || type == 6) {
		/* packet, simple packet, enhanced packet blocks */
		rd_pcap_ng_unread(st);
	}
	if (st->unread_why == NULL)
		st->unread_why = xstrdup(why);
	return 1;
}

/* libpcap numbers the interfaces it keeps: once it refused one, those
 * after it in the section have the number of another, and their packets
 * would be read with that one's link type and clock. Whether the packet
 * returned by the call over from..at is of such an interface; then it is
 * counted as not read. */
static int
rd_pcap_ng_misread(struct rd_pcap *st, long from, long at)
{
	const unsigned char *p = (const unsigned char *)st->r->data;
	size_t b;
	uint32_t type, ifid;
	int big = p[8] == 0x1a;

	if (!rd_pcap_ng_walk(st, from, at, &b) ||
	    st->ng_refused == UINT32_MAX)
		return 0;
	type = rd_pcap_u32(p + b, big);
	if (type == 6)
		ifid = rd_pcap_u32(p + b + 8, big);
	else if (type == 2)
		ifid = big ? rd_pcap_be16(p + b + 8) :
		    (uint32_t)(p[b + 9] << 8 | p[b + 8]);
	else
		ifid = 0;	/* a simple packet block: the first */
	if (ifid < st->ng_refused)
		return 0;
	rd_pcap_ng_unread(st);
	return 1;
}

/* The summary once the capture is read: its warnings, or -1 and *err
 * when it gave no message at all. */
static int
rd_pcap_summary(struct rd_pcap *st, char **err)
{
	struct reader *r = st->r;
	char *unread = NULL;
	int ret = 0;

	if (st->unread > 0)
		unread = xasprintf("%zu packet%s not read (libpcap: %s)",
		    st->unread, st->unread == 1 ? "" : "s", st->unread_why);
	else if (st->unread_why != NULL)
		unread = xasprintf("a block with no packet in it was "
		    "skipped (libpcap: %s)", st->unread_why);
	if (st->frag_lost > 0)
		reader_warn(r, 0, "%zu IP datagram%s never complete (fragments "
		    "missing), not read", st->frag_lost,
		    st->frag_lost == 1 ? "" : "s");
	if (st->records == 0) {
		/* The warnings are not shown with the error: it says why. */
		*err = xasprintf("no SIP messages found in %u packets%s%s%s%s%s",
		    st->pkt, st->tls > 0 ? " (SIP over TLS is not decrypted)" :
		    "", unread != NULL ? "; " : "", unread != NULL ? unread :
		    "", st->cut != NULL ? "; " : "", st->cut != NULL ? st->cut :
		    "");
		ret = -1;
	} else {
		if (unread != NULL)
			reader_warn(r, st->unread_first, "%s", unread);
		if (st->skipped > 0)
			reader_warn(r, 0, "%zu of %u packets carry no SIP "
			    "(skipped)", st->skipped, st->pkt);
	}
	free(unread);
	return ret;
}

static struct rd_pcap *
rd_pcap_state_new(struct reader *r, struct strbuf *out)
{
	struct rd_pcap *st = xcalloc(1, sizeof *st);

	st->r = r;
	st->out = out;
	st->last_time = TIME_NONE;
	st->ng_refused = UINT32_MAX;
	return st;
}

static void
rd_pcap_state_free(struct rd_pcap *st)
{
	if (st == NULL)
		return;
	rd_pcap_release(st);
	free(st->unread_why);
	free(st->cut);
	free(st);
}

/* A link type sipsnoop does not read: *err names it (by libpcap's name
 * when libpcap can be loaded). */
static char *
rd_pcap_bad_link(int link)
{
	const struct rd_pcap_lib *lib = &rd_pcap_lib;
	const char *name = NULL;

	pthread_once(&rd_pcap_lib_once, rd_pcap_lib_load);
	if (lib->datalink_val_to_name != NULL)
		name = lib->datalink_val_to_name(link);
	return xasprintf("packet capture with link type %s (%d), which "
	    "sipsnoop does not read (Ethernet, Linux cooked, raw IP and "
	    "loopback are read)", name != NULL ? name : "?", link);
}

/* ------------------------------------------------------- classic pcap */

/* libpcap's largest packet for the link types read here. */
#define RD_PCAP_SNAP_MAX	262144

/* Whether p[0..n) begins a classic pcap (not pcapng), which is read here,
 * as it comes if need be (rd_pcap_more), without libpcap. */
static int
rd_pcap_live(const char *p, size_t n)
{
	uint32_t m;

	if (n < 4)
		return 0;
	m = rd_pcap_be32((const unsigned char *)p);
	return m == 0xa1b2c3d4 || m == 0xa1b23c4d || m == 0xa1b2cd34 ||
	    m == 0xd4c3b2a1 || m == 0x4d3cb2a1 || m == 0x34cdb2a1;
}

/* The global header at the start: 1 when read, 0 while it is not all
 * there yet, -1 and *err when the capture cannot be read. */
static int
rd_pcap_classic_begin(struct rd_pcap *st, int end, char **err)
{
	struct reader *r = st->r;
	const unsigned char *u = (const unsigned char *)r->data + r->pos;
	size_t n = r->len - r->pos;
	uint32_t magic, major, minor, lt;

	if (n < 24) {
		if (!end)
			return 0;
		*err = n == 0 ? xstrdup("empty packet capture") :
		    xasprintf("not a readable packet capture: truncated dump "
		    "file; tried to read 24 file header bytes, only got %zu", n);
		return -1;
	}
	magic = rd_pcap_be32(u);
	st->big = magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ||
	    magic == 0xa1b2cd34;
	st->nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	st->rechdr = magic == 0xa1b2cd34 || magic == 0x34cdb2a1 ? 24 : 16;
	major = st->big ? rd_pcap_be16(u + 4) : (uint32_t)(u[5] << 8 | u[4]);
	minor = st->big ? rd_pcap_be16(u + 6) : (uint32_t)(u[7] << 8 | u[6]);
	if (major != 2 || minor > 4) {
		*err = xasprintf("not a readable packet capture: %s %u.%u",
		    major < 2 ? "archaic pcap savefile format" :
		    "unsupported pcap savefile version", major, minor);
		return -1;
	}
	st->swapped = minor < 3 ? 1 : minor == 3 ? 2 : 0;
	st->snap = rd_pcap_u32(u + 16, st->big);
	if (st->snap == 0 || st->snap > RD_PCAP_SNAP_MAX)
		st->snap = RD_PCAP_SNAP_MAX;
	/* The link type's lower bits; LINKTYPE_RAW is DLT_RAW. */
	lt = rd_pcap_u32(u + 20, st->big) & 0x03ffffff;
	st->link = lt == 101 ? DLT_RAW : (int)lt;
	if (!rd_pcap_link_ok(st->link)) {
		*err = rd_pcap_bad_link(st->link);
		return -1;
	}
	r->pos += 24;
	st->begun = 1;
	return 1;
}

/* The capture is damaged or cut short here (libpcap's words): nothing
 * after it is read. */
static void
rd_pcap_classic_cut(struct rd_pcap *st, char *why)
{
	st->cut = xasprintf("capture cut short after packet %u: %s", st->pkt,
	    why);
	reader_warn(st->r, st->pkt + 1, "%s", st->cut);
	free(why);
}

/* Reads the packets that are whole in r->data[r->pos..r->len); with end,
 * what is left over is where the capture was cut short (with
 * READER_PAUSE, for now: it is read again once whole). */
static void
rd_pcap_classic(struct rd_pcap *st, int end)
{
	size_t at;

	struct reader *r = st->r;
	const unsigned char *u;
	size_t n, hl = (size_t)st->rechdr;
	uint32_t caplen, len;

	while (st->cut == NULL) {
		u = (const unsigned char *)r->data + r->pos;
		n = r->len - r->pos;
		if (n < hl) {
			if (end && n > 0) {
				rd_pcap_classic_cut(st, xasprintf("truncated "
				    "dump file; tried to read %zu header bytes, "
				    "only got %zu", hl, n));
				st->cut_soft = end == READER_PAUSE;
			}
			break;
		}
		caplen = rd_pcap_u32(u + 8, st->big);
		len = rd_pcap_u32(u + 12, st->big);
		if (st->swapped == 1 || (st->swapped == 2 && caplen > len))
			caplen = len;
		if (caplen > RD_PCAP_SNAP_MAX) {
			rd_pcap_classic_cut(st, xasprintf("invalid packet "
			    "capture length %u, bigger than %s of %u", caplen,
			    caplen > st->snap ? "snaplen" : "maximum",
			    caplen > st->snap ? st->snap : RD_PCAP_SNAP_MAX));
			break;
		}
		if (n - hl < caplen) {
			if (end) {
				rd_pcap_classic_cut(st, xasprintf("truncated "
				    "dump file; tried to read %u captured bytes, "
				    "only got %zu", caplen > st->snap &&
				    n - hl < st->snap ? st->snap : caplen,
				    n - hl));
				st->cut_soft = end == READER_PAUSE;
			}
			break;
		}
		st->pkt++;
		/* Signed 32-bit fields, as libpcap reads them. */
		st->time = (int64_t)(int32_t)rd_pcap_u32(u, st->big) * 1000000 +
		    (st->nano ? (int32_t)rd_pcap_u32(u + 4, st->big) / 1000 :
		    (int32_t)rd_pcap_u32(u + 4, st->big));
		/* Past the snapshot length, libpcap drops the rest. */
		rd_pcap_packet(st, u + hl, caplen > st->snap ? st->snap :
		    caplen);
		r->pos += hl + caplen;
		if (st->pkt % 1024 == 0)
			reader_release(r, r->pos);
	}
	at = r->pos;
	if (st->cut != NULL)
		r->pos = r->len;
	if (st->cut_soft)
		r->pos = at;
}

static int
rd_pcap_more(struct reader *r, struct strbuf *out, int end, char **err)
{
	struct rd_pcap *st = r->state;
	int rc;

	if (st == NULL)
		st = r->state = rd_pcap_state_new(r, out);
	st->r = r;
	st->out = out;
	if (!st->begun && (rc = rd_pcap_classic_begin(st, end, err)) <= 0) {
		if (rc < 0) {
			rd_pcap_state_free(st);
			r->state = NULL;
		}
		return rc;
	}
	rd_pcap_classic(st, end);
	if (end == READER_MORE)
		return 0;
	rd_pcap_flush(st);
	rc = rd_pcap_summary(st, err);
	if (end == READER_PAUSE && rc == 0) {
		/* Cut short for now only: read on once whole. */
		if (st->cut_soft) {
			free(st->cut);
			st->cut = NULL;
			st->cut_soft = 0;
		}
		return 0;
	}
	rd_pcap_state_free(st);
	r->state = NULL;
	return rc;
}

static void
rd_pcap_more_free(struct reader *r)
{
	rd_pcap_state_free(r->state);
	r->state = NULL;
}

static int
rd_pcap_transform(struct reader *r, struct strbuf *out, char **err)
{
	const struct rd_pcap_lib *lib = &rd_pcap_lib;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct rd_pcap *st;
	struct pcap_pkthdr *h;
	const u_char *pkt;
	pcap_t *pc;
	FILE *fp;
	long from = -1;
	int rc, ng, ret;

	/* Classic pcap is read here, the same whole or as it comes. */
	if (rd_pcap_live(r->data, r->len))
		return rd_pcap_more(r, out, READER_END, err);
	pthread_once(&rd_pcap_lib_once, rd_pcap_lib_load);
	if (lib->why[0] != '\0') {
		*err = xasprintf("a packet capture, but %s", lib->why);
		return -1;
	}
	if (r->len == 0 ||
	    (fp = fmemopen((void *)(uintptr_t)r->data, r->len, "r")) == NULL) {
		*err = xstrdup("empty packet capture");
		return -1;
	}
	errbuf[0] = '\0';
	pc = lib->fopen_offline(fp, errbuf);
	if (pc == NULL) {
		fclose(fp);
		*err = xasprintf("not a readable packet capture: %s", errbuf);
		return -1;
	}
	st = rd_pcap_state_new(r, out);
	st->link = lib->datalink(pc);
	if (!rd_pcap_link_ok(st->link)) {
		*err = rd_pcap_bad_link(st->link);
		lib->close(pc);
		rd_pcap_state_free(st);
		return -1;
	}
	/* In pcapng a block libpcap refuses may be skipped: where each
	 * call begins tells whether it read a whole block. */
	ng = r->len >= 12 && memcmp(r->data, "\x0a\x0d\x0d\x0a", 4) == 0;
	for (;;) {
		if (ng)
			from = ftell(fp);
		rc = lib->next_ex(pc, &h, &pkt);
		if (rc == PCAP_ERROR_BREAK)
			break;
		if (rc == PCAP_ERROR && ng &&
		    rd_pcap_ng_skip(st, from, ftell(fp), lib->geterr(pc)))
			continue;
		if (rc == PCAP_ERROR) {
			rd_pcap_classic_cut(st, xstrdup(lib->geterr(pc)));
			break;
		}
		if (rc != 1)
			continue;
		if (ng && st->ng_refused != UINT32_MAX &&
		    rd_pcap_ng_misread(st, from, ftell(fp)))
			continue;
		st->pkt++;
		/* A damaged time stamp must not overflow. */
		if (h->ts.tv_sec >= -100000000000LL &&
		    h->ts.tv_sec <= 100000000000LL)
			st->time = (int64_t)h->ts.tv_sec * 1000000 +
			    h->ts.tv_usec;
		else
			st->time = TIME_NONE;
		rd_pcap_packet(st, pkt, h->caplen);
		if (st->pkt % 1024 == 0) {
			long at = ftell(fp);

			if (at > 0)
				reader_release(r, (size_t)at);
		}
	}
	rd_pcap_finish(st);
	lib->close(pc);
	ret = rd_pcap_summary(st, err);
	rd_pcap_state_free(st);
	return ret;
}

#endif /* SIPSNOOP_HAVE_PCAP */

const struct rd_format rd_pcap_format = {
	.name = "pcap",
	.desc = "packet capture (pcap, pcapng): SIP over UDP, TCP, WebSocket",
	.probe = rd_pcap_probe,
	.transform = rd_pcap_transform,
#ifdef SIPSNOOP_HAVE_PCAP
	.live = rd_pcap_live,
	.more = rd_pcap_more,
	.more_free = rd_pcap_more_free,
#endif
};
