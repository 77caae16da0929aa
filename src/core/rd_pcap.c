/* rd_pcap: packet captures (pcap, pcapng) turned into canonical records:
 * link layers, IPv4/IPv6 with fragment reassembly, SIP over UDP, over TCP
 * (stream reassembly per direction) and WebSocket. Both file formats are
 * read here, whole or as they come (a capture followed from a pipe or a
 * growing file), without libpcap. */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Link types read (LINKTYPE_* of the pcap and pcapng formats). */
enum {
	RD_PCAP_NULL = 0,	/* BSD loopback, the host's byte order */
	RD_PCAP_EN10MB = 1,	/* Ethernet */
	RD_PCAP_RAW = 101,	/* raw IP */
	RD_PCAP_LOOP = 108,	/* OpenBSD loopback, network byte order */
	RD_PCAP_SLL = 113,	/* Linux cooked */
	RD_PCAP_IPV4 = 228,
	RD_PCAP_IPV6 = 229,
	RD_PCAP_SLL2 = 276,	/* Linux cooked v2 */
};

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
	/* pcapng packets not read (rd_pcap_ng_unread): how many, the first
	 * one's number, the first reason. */
	size_t unread;
	uint32_t unread_first;
	char *unread_why;
	/* How the capture is read (rd_pcap_more), as libpcap reads it: its
	 * start read; pcapng or classic; the byte order (of the pcapng
	 * section being read); of a classic pcap, a nanosecond clock, the
	 * bytes of a record header (24 in Kuznetzov's modified format), the
	 * caplen and len swapped by old versions (1 always, 2 when caplen >
	 * len), the snapshot length. */
	int begun, ng;
	int big, nano, rechdr, swapped;
	uint32_t snap;
	/* The interfaces the pcapng section being read describes. */
	struct rd_pcap_if {
		int link;
		uint32_t snap;
		uint64_t per_sec;	/* time stamp units a second */
		int64_t offset;		/* seconds added (if_tsoffset) */
		int bad_res;		/* an if_tsresol that cannot be */
	} *ifs;
	size_t nifs, capifs;
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
	int flags, payload;
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
	/* A segment without payload (SYN, ACK, FIN, RST) is TCP's own, and
	 * one that repeats bytes of a SIP connection carries SIP read
	 * already: neither carries something other than SIP. */
	payload = len > 0 || wire > doff;
	s = rd_pcap_stream_get(st, src, sport, dst, dport);
	if (s == NULL) {
		if (payload)
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
	if (payload && (s->kind == TS_OTHER || s->kind == TS_TLS))
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
	case RD_PCAP_EN10MB:
		rd_pcap_ether(st, p, n, 14);
		break;
	case RD_PCAP_SLL:
		rd_pcap_ether(st, p, n, 16);
		break;
	case RD_PCAP_SLL2:
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
	case RD_PCAP_RAW:
	case RD_PCAP_IPV4:
	case RD_PCAP_IPV6:
		rd_pcap_ip(st, p, n);
		break;
	case RD_PCAP_NULL:
	case RD_PCAP_LOOP:
		if (n < 4) {
			st->skipped++;
			break;
		}
		/* RD_PCAP_NULL is in the capturing host's byte order. */
		af = rd_pcap_be32(p);
		if (st->link == RD_PCAP_NULL && af > 0xffff)
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
	case RD_PCAP_EN10MB:
	case RD_PCAP_SLL:
	case RD_PCAP_SLL2:
	case RD_PCAP_RAW:
	case RD_PCAP_IPV4:
	case RD_PCAP_IPV6:
	case RD_PCAP_NULL:
	case RD_PCAP_LOOP:
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

/* The summary once the capture is read: its warnings, or -1 and *err
 * when it gave no message at all. */
static int
rd_pcap_summary(struct rd_pcap *st, char **err)
{
	struct reader *r = st->r;
	char *unread = NULL;
	int ret = 0;

	if (st->unread > 0)
		unread = xasprintf("%zu packet%s not read (%s)", st->unread,
		    st->unread == 1 ? "" : "s", st->unread_why);
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
	return st;
}

static void
rd_pcap_state_free(struct rd_pcap *st)
{
	if (st == NULL)
		return;
	rd_pcap_release(st);
	free(st->unread_why);
	free(st->ifs);
	free(st->cut);
	free(st);
}

/* The name of a link type sipsnoop does not read, as libpcap and
 * Wireshark give it, for the ones a SIP capture is likely to have. */
static const char *
rd_pcap_link_name(int link)
{
	static const struct {
		int link;
		const char *name;
	} names[] = {
		{ 6, "IEEE802" }, { 9, "PPP" }, { 50, "PPP_HDLC" },
		{ 104, "C_HDLC" }, { 105, "IEEE802_11" },
		{ 127, "IEEE802_11_RADIO" }, { 141, "MTP3" },
		{ 147, "USER0" }, { 161, "USER14" }, { 192, "PPI" },
		{ 220, "USB_LINUX_MMAPPED" }, { 249, "NETLINK" },
		{ 252, "WIRESHARK_UPPER_PDU" }, { 253, "NFLOG" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].link == link)
			return names[i].name;
	return "?";
}

/* A link type sipsnoop does not read: *err names it. */
static char *
rd_pcap_bad_link(int link)
{
	return xasprintf("packet capture with link type %s (%d), which "
	    "sipsnoop does not read (Ethernet, Linux cooked, raw IP and "
	    "loopback are read)", rd_pcap_link_name(link), link);
}

/* ------------------------------------------------------- classic pcap */

/* libpcap's largest packet for the link types read here. */
#define RD_PCAP_SNAP_MAX	262144

/* Whether p[0..n) begins a capture read as it comes (rd_pcap_more): a
 * classic pcap or a pcapng, that is any rd_pcap_probe takes. */
static int
rd_pcap_live(const char *p, size_t n)
{
	return rd_pcap_probe(p, n) > 0;
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
	if (!rd_pcap_live((const char *)u, 4)) {
		/* (--format pcap on what is no capture) */
		*err = xstrdup("not a readable packet capture: unknown file "
		    "format");
		return -1;
	}
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
	/* The link type is in the lower bits. */
	lt = rd_pcap_u32(u + 20, st->big) & 0x03ffffff;
	st->link = (int)lt;
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
rd_pcap_cut(struct rd_pcap *st, char *why)
{
	st->cut = xasprintf("capture cut short after packet %u: %s", st->pkt,
	    why);
	reader_warn(st->r, st->pkt + 1, "%s", st->cut);
	free(why);
}

/* After a read: a capture cut short for now (READER_PAUSE) is read again
 * from where it stopped once whole; a damaged one no further. */
static void
rd_pcap_read_end(struct rd_pcap *st)
{
	if (st->cut != NULL && !st->cut_soft)
		st->r->pos = st->r->len;
}

/* Reads the packets that are whole in r->data[r->pos..r->len); with end,
 * what is left over is where the capture was cut short (with
 * READER_PAUSE, for now: it is read again once whole). */
static void
rd_pcap_classic(struct rd_pcap *st, int end)
{
	struct reader *r = st->r;
	const unsigned char *u;
	size_t n, hl = (size_t)st->rechdr;
	uint32_t caplen, len;

	while (st->cut == NULL) {
		u = (const unsigned char *)r->data + r->pos;
		n = r->len - r->pos;
		if (n < hl) {
			if (end && n > 0) {
				rd_pcap_cut(st, xasprintf("truncated "
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
			rd_pcap_cut(st, xasprintf("invalid packet "
			    "capture length %u, bigger than %s of %u", caplen,
			    caplen > st->snap ? "snaplen" : "maximum",
			    caplen > st->snap ? st->snap : RD_PCAP_SNAP_MAX));
			break;
		}
		if (n - hl < caplen) {
			if (end) {
				rd_pcap_cut(st, xasprintf("truncated "
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
	rd_pcap_read_end(st);
}

/* ------------------------------------------------------------- pcapng */

/* The largest block read: a packet of the largest snapshot length with
 * room for its options. */
#define RD_PCAP_NG_BLOCK_MAX	(RD_PCAP_SNAP_MAX + 65536)

/* A packet block that is not read, for why (the first one's is kept): it
 * has its number all the same, as in Wireshark. */
static void
rd_pcap_ng_unread(struct rd_pcap *st, char *why)
{
	if (st->unread++ == 0)
		st->unread_first = st->pkt;
	if (st->unread_why == NULL)
		st->unread_why = why;
	else
		free(why);
}

/* A section header block b[0..len): its byte order is already known
 * (rd_pcap_ng); a new section describes its interfaces again. */
static void
rd_pcap_ng_section(struct rd_pcap *st, const unsigned char *b, uint32_t len)
{
	uint32_t major, minor;

	if (len < 28) {
		rd_pcap_cut(st, xasprintf("section header block of %u bytes, "
		    "too short", len));
		return;
	}
	major = st->big ? rd_pcap_be16(b + 12) : (uint32_t)(b[13] << 8 | b[12]);
	minor = st->big ? rd_pcap_be16(b + 14) : (uint32_t)(b[15] << 8 | b[14]);
	if (major != 1) {
		rd_pcap_cut(st, xasprintf("unsupported pcapng version %u.%u",
		    major, minor));
		return;
	}
	st->nifs = 0;
}

/* An interface description block b[0..len): its link type, snapshot
 * length and clock (if_tsresol, if_tsoffset). */
static void
rd_pcap_ng_interface(struct rd_pcap *st, const unsigned char *b,
		     uint32_t len)
{
	struct rd_pcap_if *ifc;
	size_t at = 16, end = len - 4;
	uint32_t code, olen, v, k;

	if (len < 20) {
		rd_pcap_cut(st, xasprintf("interface description block of %u "
		    "bytes, too short", len));
		return;
	}
	st->ifs = xgrow(st->ifs, &st->capifs, st->nifs + 1, sizeof *st->ifs);
	ifc = &st->ifs[st->nifs++];
	ifc->link = st->big ? (int)rd_pcap_be16(b + 8) : b[9] << 8 | b[8];
	ifc->snap = rd_pcap_u32(b + 12, st->big);
	if (ifc->snap == 0 || ifc->snap > RD_PCAP_SNAP_MAX)
		ifc->snap = RD_PCAP_SNAP_MAX;
	ifc->per_sec = 1000000;
	ifc->offset = 0;
	ifc->bad_res = 0;
	/* Options: code, length, value padded to four bytes; opt_endofopt
	 * (0) or the block's end ends them. */
	while (end - at >= 4) {
		code = st->big ? rd_pcap_be16(b + at) :
		    (uint32_t)(b[at + 1] << 8 | b[at]);
		olen = st->big ? rd_pcap_be16(b + at + 2) :
		    (uint32_t)(b[at + 3] << 8 | b[at + 2]);
		at += 4;
		if (code == 0 || olen > end - at)
			break;
		if (code == 9 && olen == 1) {
			/* if_tsresol: 10^-v seconds, or 2^-v with the top bit */
			v = b[at];
			if (v & 0x80) {
				v &= 0x7f;
				ifc->bad_res = v > 63;
				ifc->per_sec = v > 63 ? 1 : (uint64_t)1 << v;
			} else {
				ifc->bad_res = v > 19;
				for (ifc->per_sec = 1, k = 0; k < v && k < 19; k++)
					ifc->per_sec *= 10;
			}
		} else if (code == 14 && olen == 8) {
			/* if_tsoffset: seconds, signed */
			uint64_t o = (uint64_t)rd_pcap_u32(b + at, st->big);

			o = st->big ? o << 32 | rd_pcap_u32(b + at + 4, 1) :
			    (uint64_t)rd_pcap_u32(b + at + 4, 0) << 32 | o;
			ifc->offset = (int64_t)o;
		}
		at += (olen + 3) & ~(uint32_t)3;
	}
}

/* The time of a packet stamped ts on interface ifc, in microseconds;
 * TIME_NONE when it cannot be one (a damaged stamp). */
static int64_t
rd_pcap_ng_time(const struct rd_pcap_if *ifc, uint64_t ts)
{
	uint64_t sec = ts / ifc->per_sec, frac = ts % ifc->per_sec, us;

	if (sec > 100000000000ULL || ifc->offset > 100000000000LL ||
	    ifc->offset < -100000000000LL)
		return TIME_NONE;
	if (ifc->per_sec % 1000000 == 0)
		us = frac / (ifc->per_sec / 1000000);
	else if (1000000 % ifc->per_sec == 0)
		us = frac * (1000000 / ifc->per_sec);
	else
		us = (uint64_t)((double)frac * 1e6 / (double)ifc->per_sec);
	return ((int64_t)sec + ifc->offset) * 1000000 + (int64_t)us;
}

/* A packet block b[0..len) of type 2 (packet), 3 (simple packet) or 6
 * (enhanced packet): read on its interface. */
static void
rd_pcap_ng_packet(struct rd_pcap *st, const unsigned char *b, uint32_t len,
		  uint32_t type)
{
	const struct rd_pcap_if *ifc;
	uint32_t ifid, caplen, hdr = type == 3 ? 16 : 32;
	uint64_t ts = 0;

	if (len < hdr) {
		rd_pcap_cut(st, xasprintf("packet block of %u bytes, too short",
		    len));
		return;
	}
	if (type == 3) {
		ifid = 0;
		caplen = rd_pcap_u32(b + 8, st->big);	/* its length */
	} else {
		ifid = type == 6 ? rd_pcap_u32(b + 8, st->big) : st->big ?
		    rd_pcap_be16(b + 8) : (uint32_t)(b[9] << 8 | b[8]);
		ts = (uint64_t)rd_pcap_u32(b + 12, st->big) << 32 |
		    rd_pcap_u32(b + 16, st->big);
		caplen = rd_pcap_u32(b + 20, st->big);
	}
	st->pkt++;
	if (ifid >= st->nifs) {
		rd_pcap_ng_unread(st, xasprintf("a packet arrived on interface "
		    "%u, which its section does not describe", ifid));
		return;
	}
	ifc = &st->ifs[ifid];
	if (type == 3 && caplen > ifc->snap)
		caplen = ifc->snap;	/* the rest was not captured */
	if (type == 3 && caplen > len - hdr)
		caplen = len - hdr;
	if (caplen > len - hdr) {
		rd_pcap_cut(st, xasprintf("packet %u claims %u captured bytes "
		    "in a block of %u", st->pkt, caplen, len));
		return;
	}
	if (!rd_pcap_link_ok(ifc->link)) {
		rd_pcap_ng_unread(st, xasprintf("interface %u has link type %s "
		    "(%d), which sipsnoop does not read", ifid,
		    rd_pcap_link_name(ifc->link), ifc->link));
		return;
	}
	if (ifc->bad_res) {
		rd_pcap_ng_unread(st, xasprintf("interface %u has a time stamp "
		    "resolution that cannot be", ifid));
		return;
	}
	st->link = ifc->link;
	st->time = type == 3 ? TIME_NONE : rd_pcap_ng_time(ifc, ts);
	rd_pcap_packet(st, b + hdr - 4, caplen);	/* after the fields */
}

/* Reads the blocks that are whole in r->data[r->pos..r->len), as
 * rd_pcap_classic does packets. */
static void
rd_pcap_ng(struct rd_pcap *st, int end)
{
	struct reader *r = st->r;
	const unsigned char *u;
	size_t n;
	uint32_t type, len, pkt;

	while (st->cut == NULL) {
		u = (const unsigned char *)r->data + r->pos;
		n = r->len - r->pos;
		if (n < 12) {
			if (end && n > 0) {
				rd_pcap_cut(st, xasprintf("truncated dump file; "
				    "tried to read 12 block header bytes, only "
				    "got %zu", n));
				st->cut_soft = end == READER_PAUSE;
			}
			break;
		}
		if (rd_pcap_be32(u) == 0x0a0d0d0a) {
			/* A section header: its byte order first. */
			if (memcmp(u + 8, "\x1a\x2b\x3c\x4d", 4) == 0)
				st->big = 1;
			else if (memcmp(u + 8, "\x4d\x3c\x2b\x1a", 4) == 0)
				st->big = 0;
			else {
				rd_pcap_cut(st, xstrdup("section header block "
				    "with a bad byte-order magic"));
				break;
			}
		}
		type = rd_pcap_u32(u, st->big);
		len = rd_pcap_u32(u + 4, st->big);
		if (len < 12 || len % 4 != 0 || len > RD_PCAP_NG_BLOCK_MAX) {
			rd_pcap_cut(st, xasprintf("block of type %u with a "
			    "length of %u", type, len));
			break;
		}
		if (n < len) {
			if (end) {
				rd_pcap_cut(st, xasprintf("truncated dump file; "
				    "tried to read %u block bytes, only got %zu",
				    len, n));
				st->cut_soft = end == READER_PAUSE;
			}
			break;
		}
		if (rd_pcap_u32(u + len - 4, st->big) != len) {
			rd_pcap_cut(st, xasprintf("block of type %u whose "
			    "lengths differ (%u, then %u)", type, len,
			    rd_pcap_u32(u + len - 4, st->big)));
			break;
		}
		pkt = st->pkt;
		if (type == 0x0a0d0d0a)
			rd_pcap_ng_section(st, u, len);
		else if (type == 1)
			rd_pcap_ng_interface(st, u, len);
		else if (type == 2 || type == 3 || type == 6)
			rd_pcap_ng_packet(st, u, len, type);
		/* Other blocks (statistics, name resolution, secrets,
		 * custom ones) say nothing read here. */
		if (st->cut != NULL)
			break;
		r->pos += len;
		if (st->pkt != pkt && st->pkt % 1024 == 0)
			reader_release(r, r->pos);
	}
	rd_pcap_read_end(st);
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
	if (!st->begun && r->len - r->pos >= 4 &&
	    rd_pcap_be32((const unsigned char *)r->data + r->pos) ==
	    0x0a0d0d0a) {
		st->begun = st->ng = 1;
	}
	if (!st->begun && (rc = rd_pcap_classic_begin(st, end, err)) <= 0) {
		if (rc < 0) {
			rd_pcap_state_free(st);
			r->state = NULL;
		}
		return rc;
	}
	if (st->ng)
		rd_pcap_ng(st, end);
	else
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
	return rd_pcap_more(r, out, READER_END, err);
}

const struct rd_format rd_pcap_format = {
	.name = "pcap",
	.desc = "packet capture (pcap, pcapng): SIP over UDP, TCP, WebSocket",
	.probe = rd_pcap_probe,
	.transform = rd_pcap_transform,
	.live = rd_pcap_live,
	.more = rd_pcap_more,
	.more_free = rd_pcap_more_free,
};
