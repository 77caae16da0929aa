/* gen: writes large, realistic SIP logs for the benchmark (issue 6): the same
 * interleaved traffic as a Lync/SfB server CLS log, a UCCAPI client log, an
 * sngrep text export or a classic pcap file, of a chosen size. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum gen_format { GF_CLS, GF_UCCAPI, GF_SNGREP, GF_PCAP };

enum scen_type {
	SC_OPTIONS,
	SC_SUBSCRIBE,
	SC_REG_NTLM,		/* remote user through the Access Edge: 6 messages */
	SC_REG_KERBEROS,	/* internal user: 4 messages */
	SC_REG_DIGEST,		/* SIP phone: 4 messages */
	SC_CALL,
	SC_CANCEL,
	SC_FAIL,
	SC__COUNT
};

/* Per mille of new scenarios of each type; a server's day is mostly
 * keep-alives, presence and registrations, with calls in between. */
static const int gen_weights[SC__COUNT] = {
	[SC_OPTIONS] = 180, [SC_SUBSCRIBE] = 150, [SC_REG_NTLM] = 100,
	[SC_REG_KERBEROS] = 130, [SC_REG_DIGEST] = 70, [SC_CALL] = 220,
	[SC_CANCEL] = 60, [SC_FAIL] = 90,
};

static const char *const gen_first[] = {
	"alice", "bruno", "carla", "dmitri", "elena", "farid", "greta", "hugo",
	"ines", "jonas", "karin", "luca", "marta", "nils", "olga", "pavel",
	"quinn", "rosa", "sven", "tanja", "ulrich", "vera", "wim", "xenia",
	"yusuf", "zoe", "izabela", "marino", "anouk", "bjorn", "chiara",
	"diego", "emma", "felix", "gianna", "henrik", "ivana", "jakob", "lena",
	"mateo", "nadia", "oskar", "petra", "rafael", "sofia", "tomas", "ursula",
	"viktor", "wanda", "yara",
};
#define GEN_NFIRST (sizeof(gen_first) / sizeof(gen_first[0]))
#define GEN_NUSERS 20000
#define GEN_DOMAIN "contoso.com"
#define GEN_SERVER_IP 0x0a14010aU	/* 10.20.1.10, the front end */
#define GEN_SERVER_PORT 5061
#define GEN_EDGE_IP 0xc801011eU		/* 200.1.1.30, the Access Edge */
#define GEN_EDGE_PORT 443
#define GEN_ACTIVE 192			/* scenarios in progress at once */

struct scen {
	int type;
	int step;
	int64_t t;		/* time of the next step, microseconds */
	uint64_t id;		/* unique per scenario: Call-ID, tags, branches */
	uint32_t ua, ub;	/* the local user and the far user */
	uint32_t cip;		/* the client's address */
	uint16_t cport;
	uint16_t status;	/* SC_FAIL: the final response */
	int callee_hangs_up;
};

/* One SIP message (or diagnostic event) as the traffic model produced it,
 * lines ending in LF; each framing writes it its own way. */
struct gen_msg {
	struct strbuf start;
	struct strbuf hdrs;	/* each line ends in \n */
	struct strbuf body;
	int request;
	int from_client;	/* client -> server, else server -> client */
	int diag;		/* a TF_DIAG record: hdrs holds its lines */
	const char *diag_level;	/* TL_ERROR, TL_WARN ... */
	uint32_t cip, sip;
	uint16_t cport, sport;
	int edge;		/* passed the Access Edge (remote user) */
};

struct gen {
	enum gen_format fmt;
	uint64_t rng;
	uint64_t seed;
	FILE *out;
	const char *outpath;
	struct strbuf ob;	/* output buffer */
	uint64_t written;
	uint64_t target;	/* stop starting scenarios at this size ... */
	uint64_t maxdialogs;	/* ... or after this many scenarios */
	uint64_t noise;		/* own generator, so that noise lines leave
				 * the traffic identical in every format */
	uint64_t nmsgs, ndiags, nscen;
	uint64_t seq;		/* CLS record sequence number */
	int crlf;		/* cls, uccapi: CRLF line ends */
	int64_t now;
	int64_t day;		/* cached date of "now" */
	int y, mon, d;
	struct scen heap[GEN_ACTIVE];
	size_t nheap;
	struct gen_msg m;
	struct strbuf tmp;
};

/* splitmix64: fast, and its finaliser is a bijection, so mixing distinct
 * counters gives distinct identifiers. */
static uint64_t
gen_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
gen_rand(struct gen *g)
{
	g->rng += 0x9e3779b97f4a7c15ULL;
	return gen_mix(g->rng);
}

static int64_t
gen_range(struct gen *g, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(gen_rand(g) % (uint64_t)(hi - lo + 1));
}

static void
put(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

static void
put_u(struct strbuf *sb, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof tmp - 1 - n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	strbuf_add(sb, tmp + sizeof tmp - n, n);
}

/* v in exactly width decimal digits. */
static void
put_uw(struct strbuf *sb, uint64_t v, int width)
{
	char tmp[24];
	int i;

	for (i = width - 1; i >= 0; i--) {
		tmp[i] = '0' + v % 10;
		v /= 10;
	}
	strbuf_add(sb, tmp, width);
}

static void
put_hex(struct strbuf *sb, uint64_t v, int digits, int upper)
{
	const char *hx = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[16];
	int i;

	for (i = digits - 1; i >= 0; i--) {
		tmp[i] = hx[v & 15];
		v >>= 4;
	}
	strbuf_add(sb, tmp, digits);
}

static void
put_ip(struct strbuf *sb, uint32_t ip)
{
	put_u(sb, ip >> 24);
	strbuf_addc(sb, '.');
	put_u(sb, (ip >> 16) & 255);
	strbuf_addc(sb, '.');
	put_u(sb, (ip >> 8) & 255);
	strbuf_addc(sb, '.');
	put_u(sb, ip & 255);
}

static void
put_addr(struct strbuf *sb, uint32_t ip, uint16_t port)
{
	put_ip(sb, ip);
	strbuf_addc(sb, ':');
	put_u(sb, port);
}

/* n random base64 characters, as the opaque tail of a token. */
static void
put_b64(struct gen *g, struct strbuf *sb, int n)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t r = 0;
	int i, left = 0;

	for (i = 0; i < n; i++) {
		if (left == 0) {
			r = gen_rand(g);
			left = 10;
		}
		strbuf_addc(sb, b64[r & 63]);
		r >>= 6;
		left--;
	}
}

static void
put_user(struct strbuf *sb, uint32_t u)
{
	put(sb, gen_first[u % GEN_NFIRST]);
	strbuf_addc(sb, 'a' + (u / GEN_NFIRST) % 26);
	if (u >= GEN_NFIRST * 26)
		put_u(sb, u / (GEN_NFIRST * 26));
}

static void
put_uri(struct strbuf *sb, uint32_t u)
{
	put(sb, "sip:");
	put_user(sb, u);
	put(sb, "@" GEN_DOMAIN);
}

/* Display name "Alice A" from the user name. */
static void
put_display(struct strbuf *sb, uint32_t u)
{
	const char *f = gen_first[u % GEN_NFIRST];

	strbuf_addc(sb, '"');
	strbuf_addc(sb, f[0] - 'a' + 'A');
	put(sb, f + 1);
	strbuf_addc(sb, ' ');
	strbuf_addc(sb, 'A' + (u / GEN_NFIRST) % 26);
	put(sb, ".\" ");
}

static uint32_t
gen_internal_ip(uint32_t u)
{
	return 0xac100000U | ((u / 250) << 8) | (u % 250 + 2);	/* 172.16/16 */
}

static uint32_t
gen_remote_ip(uint32_t u)
{
	uint64_t h = gen_mix(u ^ 0x5eed);

	/* A public address, stable per user, never in private ranges. */
	return ((uint32_t)(81 + h % 100) << 24) | ((uint32_t)h & 0xffff00) |
	    (uint32_t)(1 + (h >> 40) % 250);
}

/* Identifiers derived from the scenario number, unique because gen_mix is
 * a bijection and the inputs differ. */
static void
put_callid(struct gen *g, struct strbuf *sb, const struct scen *s)
{
	put_hex(sb, gen_mix(s->id ^ g->seed), 16, 0);
	put_hex(sb, gen_mix(s->id + 0x1000000000ULL), 16, 0);
}

static void
put_ftag(struct strbuf *sb, const struct scen *s)
{
	put_hex(sb, gen_mix(s->id * 4 + 1), 10, 0);
}

static void
put_ttag(struct strbuf *sb, const struct scen *s)
{
	put_hex(sb, gen_mix(s->id * 4 + 2), 16, 1);
	put_hex(sb, gen_mix(s->id * 4 + 3), 16, 1);
}

static void
put_epid(struct strbuf *sb, uint32_t u)
{
	put_hex(sb, gen_mix((uint64_t)u << 20 | 7), 10, 0);
}

static void
put_branch(struct strbuf *sb, const struct scen *s, int txn)
{
	put(sb, ";branch=z9hG4bK");
	put_hex(sb, gen_mix(s->id << 6 | (uint64_t)txn), 16, 0);
}

static int
scen_remote(const struct scen *s)
{
	return s->type == SC_REG_NTLM;
}

/* Starts message m: direction and addresses. */
static void
msg_begin(struct gen *g, const struct scen *s, int request, int from_client)
{
	struct gen_msg *m = &g->m;

	strbuf_reset(&m->start);
	strbuf_reset(&m->hdrs);
	strbuf_reset(&m->body);
	m->request = request;
	m->from_client = from_client;
	m->diag = 0;
	m->diag_level = NULL;
	m->cip = s->cip;
	m->cport = s->cport;
	m->edge = scen_remote(s);
	m->sip = m->edge ? GEN_EDGE_IP : GEN_SERVER_IP;
	m->sport = m->edge ? GEN_EDGE_PORT : GEN_SERVER_PORT;
}

static void
start_request(struct gen *g, const char *method, const char *ruri_user_or_null,
	      uint32_t u)
{
	struct strbuf *sb = &g->m.start;

	put(sb, method);
	put(sb, " ");
	if (ruri_user_or_null == NULL)
		put_uri(sb, u);
	else
		put(sb, ruri_user_or_null);
	put(sb, " SIP/2.0");
}

static void
start_response(struct gen *g, int status, const char *reason)
{
	struct strbuf *sb = &g->m.start;

	put(sb, "SIP/2.0 ");
	put_u(sb, (unsigned)status);
	strbuf_addc(sb, ' ');
	put(sb, reason);
}

/* Via of the client; responses carry what the server added on receipt. */
static void
hdr_via(struct gen *g, const struct scen *s, int txn, int response)
{
	struct strbuf *sb = &g->m.hdrs;

	put(sb, "Via: SIP/2.0/TLS ");
	put_addr(sb, s->cip, s->cport);
	put_branch(sb, s, txn);
	if (response) {
		put(sb, ";ms-received-port=");
		put_u(sb, s->cport);
		put(sb, ";ms-received-cid=");
		put_hex(sb, s->id & 0xffff, 4, 1);
	}
	strbuf_addc(sb, '\n');
}

/* From/To of the local user (a) and far user (b); swapped when the far
 * end sends a request in the dialog. totag: add the To tag. */
static void
hdr_from_to(struct gen *g, const struct scen *s, int swapped, int totag)
{
	struct strbuf *sb = &g->m.hdrs;
	uint32_t a = swapped ? s->ub : s->ua, b = swapped ? s->ua : s->ub;

	put(sb, "From: ");
	if (s->ua != s->ub)
		put_display(sb, a);
	strbuf_addc(sb, '<');
	put_uri(sb, a);
	put(sb, ">;tag=");
	if (swapped)
		put_ttag(sb, s);
	else
		put_ftag(sb, s);
	put(sb, ";epid=");
	put_epid(sb, a);
	put(sb, "\nTo: <");
	put_uri(sb, b);
	strbuf_addc(sb, '>');
	if (totag || swapped) {
		put(sb, ";tag=");
		if (swapped)
			put_ftag(sb, s);
		else
			put_ttag(sb, s);
	}
	strbuf_addc(sb, '\n');
}

static void
hdr_callid_cseq(struct gen *g, const struct scen *s, unsigned cseq,
		const char *method)
{
	struct strbuf *sb = &g->m.hdrs;

	put(sb, "Call-ID: ");
	put_callid(g, sb, s);
	put(sb, "\nCSeq: ");
	put_u(sb, cseq);
	strbuf_addc(sb, ' ');
	put(sb, method);
	strbuf_addc(sb, '\n');
}

static void
hdr_line(struct gen *g, const char *line)
{
	put(&g->m.hdrs, line);
	strbuf_addc(&g->m.hdrs, '\n');
}

static void
hdr_contact(struct gen *g, const struct scen *s)
{
	struct strbuf *sb = &g->m.hdrs;

	put(sb, "Contact: <sip:");
	put_addr(sb, s->cip, s->cport);
	put(sb, ";transport=tls;ms-opaque=");
	put_hex(sb, gen_mix(s->ua), 10, 0);
	put(sb, ">;methods=\"INVITE, MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, "
	    "CANCEL, NOTIFY, ACK, REFER, BENOTIFY\";proxy=replace;"
	    "+sip.instance=\"<urn:uuid:");
	put_hex(sb, gen_mix(s->ua + 11), 8, 1);
	strbuf_addc(sb, '-');
	put_hex(sb, gen_mix(s->ua + 12), 4, 1);
	put(sb, "-5D3A-9C54-");
	put_hex(sb, gen_mix(s->ua + 13), 12, 1);
	put(sb, ">\"\n");
}

static void
hdr_ua(struct gen *g, const struct scen *s)
{
	if (s->type == SC_REG_DIGEST)
		hdr_line(g, "User-Agent: PolycomVVX-VVX_411-UA/5.9.5.0614");
	else
		hdr_line(g, "User-Agent: UCCAPI/16.0.5300.1000 OC/16.0.5300.1000 "
		    "(Skype for Business)");
}

/* Content-Length counts the body as sent on the wire, in CRLF lines. */
static void
hdr_content_length(struct gen *g)
{
	struct gen_msg *m = &g->m;
	size_t n = m->body.len, i;

	for (i = 0; i < m->body.len; i++)
		if (m->body.buf[i] == '\n')
			n++;
	put(&m->hdrs, "Content-Length: ");
	put_u(&m->hdrs, n);
	strbuf_addc(&m->hdrs, '\n');
}

static void
hdr_server_end(struct gen *g)
{
	hdr_line(g, "Server: RTC/7.0");
	hdr_content_length(g);
}

/* --- registrations --------------------------------------------------- */

static void
reg_request(struct gen *g, const struct scen *s, unsigned cseq)
{
	msg_begin(g, s, 1, 1);
	put(&g->m.start, "REGISTER sip:" GEN_DOMAIN " SIP/2.0");
	hdr_via(g, s, (int)cseq, 0);
	hdr_line(g, "Max-Forwards: 70");
	hdr_from_to(g, s, 0, 0);
	hdr_callid_cseq(g, s, cseq, "REGISTER");
	hdr_contact(g, s);
	hdr_ua(g, s);
	hdr_line(g, "Supported: gruu-10, adhoclist, msrtc-event-categories");
	hdr_line(g, "Supported: ms-forking");
	hdr_line(g, "ms-keep-alive: UAC;hop-hop=yes");
	hdr_line(g, "Event: registration");
}

static void
reg_response(struct gen *g, const struct scen *s, unsigned cseq, int status)
{
	msg_begin(g, s, 0, 0);
	start_response(g, status, status == 200 ? "OK" : "Unauthorized");
	hdr_via(g, s, (int)cseq, 1);
	hdr_from_to(g, s, 0, 1);
	hdr_callid_cseq(g, s, cseq, "REGISTER");
}

static void
put_targetname(struct strbuf *sb, int kerberos)
{
	put(sb, kerberos ? "targetname=\"sip/fe01." GEN_DOMAIN "\"" :
	    "targetname=\"fe01." GEN_DOMAIN "\"");
}

static int64_t
step_reg_ntlm(struct gen *g, struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;
	unsigned cseq = (unsigned)s->step / 2 + 1;

	if (s->step % 2 == 0) {
		reg_request(g, s, cseq);
		if (s->step > 0) {
			put(h, "Proxy-Authorization: NTLM qop=\"auth\", realm="
			    "\"SIP Communications Service\", ");
			if (s->step == 4) {
				put(h, "opaque=\"");
				put_hex(h, gen_mix(s->id + 5), 8, 1);
				put(h, "\", ");
			}
			put_targetname(h, 0);
			put(h, ", gssapi-data=\"");
			if (s->step == 4) {
				put(h, "TlRMTVNTUAADAAAA");
				put_b64(g, h, 300 + (int)gen_range(g, 0, 20) * 4);
				put(h, "\", version=4, crand=\"");
				put_hex(h, gen_rand(g), 8, 0);
				put(h, "\", cnum=\"1\", response=\"01000000");
				put_hex(h, gen_rand(g), 16, 0);
				put(h, "00000000\"\n");
			} else
				put(h, "\", version=4\n");
		}
		hdr_content_length(g);
		return gen_range(g, 2000, 40000);
	}
	reg_response(g, s, cseq, s->step == 5 ? 200 : 401);
	switch (s->step) {
	case 1:
		put(h, "WWW-Authenticate: NTLM realm=\"SIP Communications "
		    "Service\", ");
		put_targetname(h, 0);
		put(h, ", version=4\n");
		break;
	case 3:
		put(h, "WWW-Authenticate: NTLM opaque=\"");
		put_hex(h, gen_mix(s->id + 5), 8, 1);
		put(h, "\", gssapi-data=\"TlRMTVNTUAACAAAA");
		put_b64(g, h, 180 + (int)gen_range(g, 0, 8) * 4);
		put(h, "\", ");
		put_targetname(h, 0);
		put(h, ", realm=\"SIP Communications Service\", version=4\n");
		break;
	case 5:
		put(h, "Authentication-Info: NTLM rspauth=\"01000000");
		put_hex(h, gen_rand(g), 16, 1);
		put(h, "64000000\", srand=\"");
		put_hex(h, gen_rand(g), 8, 1);
		put(h, "\", snum=\"1\", opaque=\"");
		put_hex(h, gen_mix(s->id + 5), 8, 1);
		put(h, "\", qop=\"auth\", ");
		put_targetname(h, 0);
		put(h, ", realm=\"SIP Communications Service\"\n");
		hdr_line(g, "Expires: 7200");
		hdr_line(g, "presence-state: register-action=\"added\"");
		break;
	}
	hdr_line(g, "ms-user-logon-data: RemoteUser");
	hdr_server_end(g);
	return s->step == 5 ? -1 : gen_range(g, 3000, 60000);
}

static int64_t
step_reg_kerberos(struct gen *g, struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;
	unsigned cseq = (unsigned)s->step / 2 + 1;

	switch (s->step) {
	case 0:
	case 2:
		reg_request(g, s, cseq);
		if (s->step == 2) {
			put(h, "Proxy-Authorization: Kerberos qop=\"auth\", "
			    "realm=\"SIP Communications Service\", ");
			put_targetname(h, 1);
			put(h, ", version=4, gssapi-data=\"YIIEmgYJKoZIhvcSAQIC");
			put_b64(g, h, 1100 + (int)gen_range(g, 0, 40) * 4);
			put(h, "==\"\n");
		}
		hdr_content_length(g);
		return gen_range(g, 2000, 40000);
	case 1:
		reg_response(g, s, cseq, 401);
		put(h, "WWW-Authenticate: Kerberos realm=\"SIP Communications "
		    "Service\", ");
		put_targetname(h, 1);
		put(h, ", version=4\nWWW-Authenticate: NTLM realm=\"SIP "
		    "Communications Service\", ");
		put_targetname(h, 0);
		put(h, ", version=4\n");
		hdr_server_end(g);
		return gen_range(g, 5000, 80000);
	default:
		reg_response(g, s, cseq, 200);
		put(h, "Proxy-Authentication-Info: Kerberos rspauth=\""
		    "602306092A864886F71201020201011000FFFFFFFF");
		put_hex(h, gen_rand(g), 8, 1);
		put(h, "\", srand=\"");
		put_hex(h, gen_rand(g), 8, 1);
		put(h, "\", snum=\"1\", opaque=\"");
		put_hex(h, gen_rand(g), 8, 1);
		put(h, "\", qop=\"auth\", ");
		put_targetname(h, 1);
		put(h, ", realm=\"SIP Communications Service\"\n");
		hdr_line(g, "Expires: 7200");
		hdr_line(g, "presence-state: register-action=\"added\"");
		hdr_server_end(g);
		return -1;
	}
}

static int64_t
step_reg_digest(struct gen *g, struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;
	unsigned cseq = (unsigned)s->step / 2 + 1;
	uint64_t nonce = gen_mix(s->id + 9);

	switch (s->step) {
	case 0:
	case 2:
		reg_request(g, s, cseq);
		if (s->step == 2) {
			put(h, "Authorization: Digest username=\"");
			put_user(h, s->ua);
			put(h, "\", realm=\"" GEN_DOMAIN "\", nonce=\"");
			put_hex(h, nonce, 16, 0);
			put_hex(h, gen_mix(nonce), 16, 0);
			put(h, "\", uri=\"sip:" GEN_DOMAIN "\", response=\"");
			put_hex(h, gen_rand(g), 16, 0);
			put_hex(h, gen_rand(g), 16, 0);
			put(h, "\", algorithm=MD5, cnonce=\"");
			put_hex(h, gen_rand(g), 8, 0);
			put(h, "\", qop=auth, nc=00000001\n");
		}
		hdr_content_length(g);
		return gen_range(g, 2000, 30000);
	case 1:
		reg_response(g, s, cseq, 401);
		put(h, "WWW-Authenticate: Digest realm=\"" GEN_DOMAIN
		    "\", nonce=\"");
		put_hex(h, nonce, 16, 0);
		put_hex(h, gen_mix(nonce), 16, 0);
		put(h, "\", qop=\"auth\", algorithm=MD5, stale=FALSE\n");
		hdr_server_end(g);
		return gen_range(g, 5000, 60000);
	default:
		reg_response(g, s, cseq, 200);
		put(h, "Authentication-Info: qop=auth, rspauth=\"");
		put_hex(h, gen_rand(g), 16, 0);
		put_hex(h, gen_rand(g), 16, 0);
		put(h, "\", nc=00000001\n");
		hdr_line(g, "Expires: 3600");
		hdr_server_end(g);
		return -1;
	}
}

/* --- calls ------------------------------------------------------------ */

static void
sdp_body(struct gen *g, const struct scen *s, int answer)
{
	struct strbuf *b = &g->m.body;
	uint32_t ip = answer ? gen_internal_ip(s->ub) : s->cip;
	unsigned port = 50000 + (unsigned)(gen_mix(s->id + (uint64_t)answer) %
	    10000) * 2;

	put(b, "v=0\no=- 0 0 IN IP4 ");
	put_ip(b, ip);
	put(b, "\ns=session\nc=IN IP4 ");
	put_ip(b, ip);
	put(b, "\nb=CT:99980\nt=0 0\nm=audio ");
	put_u(b, port);
	put(b, " RTP/SAVP 104 9 111 18 0 8 97 101 13 118\na=ice-ufrag:");
	put_b64(g, b, 4);
	put(b, "\na=ice-pwd:");
	put_b64(g, b, 24);
	put(b, "\na=candidate:1 1 UDP 2130706431 ");
	put_ip(b, ip);
	strbuf_addc(b, ' ');
	put_u(b, port);
	put(b, " typ host \na=candidate:1 2 UDP 2130705918 ");
	put_ip(b, ip);
	strbuf_addc(b, ' ');
	put_u(b, port + 1);
	put(b, " typ host \na=x-candidate-ipv6:1 1 UDP 2130706431 "
	    "fe80::1 50010 typ host \na=crypto:2 AES_CM_128_HMAC_SHA1_80 "
	    "inline:");
	put_b64(g, b, 40);
	put(b, "|2^31\na=maxptime:200\na=rtcp:");
	put_u(b, port + 1);
	put(b, "\na=rtpmap:104 SILK/16000\na=fmtp:104 useinbandfec=1; "
	    "usedtx=0\na=rtpmap:9 G722/8000\na=rtpmap:111 SIREN/16000\n"
	    "a=fmtp:111 bitrate=16000\na=rtpmap:18 G729/8000\n"
	    "a=fmtp:18 annexb=no\na=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000\n"
	    "a=rtpmap:97 RED/8000\na=rtpmap:101 telephone-event/8000\n"
	    "a=fmtp:101 0-16\na=rtpmap:13 CN/8000\na=rtpmap:118 CN/16000\n"
	    "a=ptime:20\n");
}

/* Requests of the INVITE dialog sent by the client (INVITE, ACK, CANCEL,
 * BYE) or, for a BYE of the callee, by the server. */
static void
call_request(struct gen *g, const struct scen *s, const char *method,
	     unsigned cseq, int txn, int from_client)
{
	msg_begin(g, s, 1, from_client);
	start_request(g, method, NULL, from_client ? s->ub : s->ua);
	if (from_client)
		hdr_via(g, s, txn, 0);
	else {
		put(&g->m.hdrs, "Via: SIP/2.0/TLS ");
		put_addr(&g->m.hdrs, GEN_SERVER_IP, GEN_SERVER_PORT);
		put_branch(&g->m.hdrs, s, txn);
		strbuf_addc(&g->m.hdrs, '\n');
	}
	hdr_line(g, "Max-Forwards: 70");
	/* Only the requests that open a transaction before any answer
	 * (INVITE, CANCEL) go without a To tag; an ACK of a failure carries
	 * the tag of the failure. */
	hdr_from_to(g, s, !from_client, strcmp(method, "INVITE") != 0 &&
	    strcmp(method, "CANCEL") != 0);
	hdr_callid_cseq(g, s, cseq, method);
}

static void
call_response(struct gen *g, const struct scen *s, int status,
	      const char *reason, unsigned cseq, const char *method, int txn)
{
	msg_begin(g, s, 0, 0);
	start_response(g, status, reason);
	hdr_via(g, s, txn, 1);
	hdr_from_to(g, s, 0, status > 100);
	hdr_callid_cseq(g, s, cseq, method);
}

static void
invite_request(struct gen *g, const struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;

	call_request(g, s, "INVITE", 1, 1, 1);
	put(h, "Contact: <sip:");
	put_user(h, s->ua);
	put(h, "@" GEN_DOMAIN ";opaque=user:epid:");
	put_b64(g, h, 22);
	put(h, ";gruu>\n");
	hdr_ua(g, s);
	hdr_line(g, "Supported: ms-dialog-route-set-update, timer, histinfo, "
	    "ms-safe-transfer, ms-sender, ms-early-media, 100rel, replaces");
	put(h, "Ms-Conversation-ID: ");
	put_b64(g, h, 40);
	strbuf_addc(h, '\n');
	hdr_line(g, "Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, REFER, "
	    "NOTIFY, BENOTIFY, OPTIONS");
	hdr_line(g, "ms-subnet: 172.16.0.0");
	hdr_line(g, "ms-endpoint-location-data: NetworkScope;"
	    "ms-media-location-type=Intranet");
	hdr_line(g, "Content-Type: application/sdp");
	sdp_body(g, s, 0);
	hdr_content_length(g);
}

static void
call_ack(struct gen *g, const struct scen *s, int txn)
{
	call_request(g, s, "ACK", 1, txn, 1);
	hdr_content_length(g);
}

/* Writes the diagnostic event a front end logs next to a failure. */
static void
diag_record(struct gen *g, const struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;

	msg_begin(g, s, 0, 0);
	g->m.diag = 1;
	switch (s->status) {
	case 503:
		g->m.diag_level = "TL_ERROR";
		put(h, "LogType: diagnostic\nSeverity: error\nText: Message was "
		    "not sent because the connection was closed\n"
		    "Result-Code: 0x80072746 WSAECONNRESET\n");
		break;
	case 480:
		g->m.diag_level = "TL_WARN";
		put(h, "LogType: diagnostic\nSeverity: warning\nText: Request "
		    "was proxied to one or more registered endpoints and none "
		    "answered\n");
		break;
	default:
		g->m.diag_level = "TL_INFO";
		put(h, "LogType: diagnostic\nSeverity: information\nText: "
		    "Routed a request on behalf of an application\n"
		    "Result-Code: 0x0\n");
		break;
	}
	put(h, "SIP-Start-Line: INVITE ");
	put_uri(h, s->ub);
	put(h, " SIP/2.0\nSIP-Call-ID: ");
	put_callid(g, h, s);
	put(h, "\nSIP-CSeq: 1 INVITE\nPeer: ");
	put_addr(h, s->cip, s->cport);
	put(h, "\nData: destination=\"");
	put_user(h, s->ub);
	put(h, "@" GEN_DOMAIN "\"\n");
}

static void
fail_reason(struct gen *g, const struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;

	put(h, "ms-diagnostics: ");
	switch (s->status) {
	case 486:
		put(h, "10199;reason=\"Callee is busy\";");
		break;
	case 403:
		put(h, "12001;reason=\"User Policy does not contain phone "
		    "route usage\";");
		break;
	case 404:
		put(h, "4005;reason=\"Destination URI either not enabled for "
		    "SIP or does not exist\";");
		break;
	case 480:
		put(h, "15030;reason=\"Failed to route to Exchange Server\";");
		break;
	default:
		put(h, "1003;reason=\"Unable to connect to the server\";");
		break;
	}
	put(h, "source=\"fe01." GEN_DOMAIN "\"\n");
}

static const char *
status_reason(int st)
{
	switch (st) {
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 480: return "Temporarily Unavailable";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* INVITE, 100, 180, 200 (SDP), ACK, BYE, 200. */
static int64_t
step_call(struct gen *g, struct scen *s)
{
	switch (s->step) {
	case 0:
		invite_request(g, s);
		return gen_range(g, 5000, 30000);
	case 1:
		call_response(g, s, 100, "Trying", 1, "INVITE", 1);
		hdr_server_end(g);
		return gen_range(g, 80000, 600000);
	case 2:
		call_response(g, s, 180, "Ringing", 1, "INVITE", 1);
		hdr_content_length(g);
		return gen_range(g, 1000000, 9000000);
	case 3:
		call_response(g, s, 200, "OK", 1, "INVITE", 1);
		put(&g->m.hdrs, "Contact: <sip:");
		put_user(&g->m.hdrs, s->ub);
		put(&g->m.hdrs, "@" GEN_DOMAIN ";gruu>\n");
		hdr_line(g, "Content-Type: application/sdp");
		sdp_body(g, s, 1);
		hdr_content_length(g);
		return gen_range(g, 20000, 200000);
	case 4:
		call_ack(g, s, 1);
		return gen_range(g, 5000000, 180000000);
	case 5:
		if (s->callee_hangs_up)
			call_request(g, s, "BYE", 2, 2, 0);
		else
			call_request(g, s, "BYE", 2, 2, 1);
		hdr_ua(g, s);
		hdr_content_length(g);
		return gen_range(g, 10000, 90000);
	default:
		msg_begin(g, s, 0, s->callee_hangs_up);
		start_response(g, 200, "OK");
		if (s->callee_hangs_up) {
			put(&g->m.hdrs, "Via: SIP/2.0/TLS ");
			put_addr(&g->m.hdrs, GEN_SERVER_IP, GEN_SERVER_PORT);
			put_branch(&g->m.hdrs, s, 2);
			strbuf_addc(&g->m.hdrs, '\n');
		} else
			hdr_via(g, s, 2, 1);
		hdr_from_to(g, s, s->callee_hangs_up, 1);
		hdr_callid_cseq(g, s, 2, "BYE");
		hdr_content_length(g);
		return -1;
	}
}

/* INVITE, 100, 180, CANCEL, 200 (CANCEL), 487, ACK. */
static int64_t
step_cancel(struct gen *g, struct scen *s)
{
	switch (s->step) {
	case 0:
		invite_request(g, s);
		return gen_range(g, 5000, 30000);
	case 1:
		call_response(g, s, 100, "Trying", 1, "INVITE", 1);
		hdr_server_end(g);
		return gen_range(g, 80000, 600000);
	case 2:
		call_response(g, s, 180, "Ringing", 1, "INVITE", 1);
		hdr_content_length(g);
		return gen_range(g, 2000000, 20000000);
	case 3:
		call_request(g, s, "CANCEL", 1, 1, 1);
		hdr_content_length(g);
		return gen_range(g, 5000, 40000);
	case 4:
		call_response(g, s, 200, "OK", 1, "CANCEL", 1);
		hdr_server_end(g);
		return gen_range(g, 1000, 20000);
	case 5:
		call_response(g, s, 487, "Request Terminated", 1, "INVITE", 1);
		hdr_server_end(g);
		return gen_range(g, 5000, 30000);
	default:
		call_ack(g, s, 1);
		return -1;
	}
}

/* INVITE, 100, failure with ms-diagnostics, ACK; a server log also holds
 * the diagnostic event behind the failure. */
static int64_t
step_fail(struct gen *g, struct scen *s)
{
	switch (s->step) {
	case 0:
		invite_request(g, s);
		return gen_range(g, 5000, 30000);
	case 1:
		call_response(g, s, 100, "Trying", 1, "INVITE", 1);
		hdr_server_end(g);
		return gen_range(g, 30000, 3000000);
	case 2:
		diag_record(g, s);
		return gen_range(g, 100, 3000);
	case 3:
		call_response(g, s, s->status, status_reason(s->status), 1,
		    "INVITE", 1);
		fail_reason(g, s);
		hdr_server_end(g);
		return gen_range(g, 5000, 30000);
	default:
		call_ack(g, s, 1);
		return -1;
	}
}

/* --- presence and keep-alives ------------------------------------------ */

static void
presence_body(struct gen *g, const struct scen *s)
{
	struct strbuf *b = &g->m.body;

	put(b, "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/"
	    "categories\" uri=\"");
	put_uri(b, s->ub);
	put(b, "\"><category name=\"state\" instance=\"");
	put_u(b, gen_rand(g) % 1000000000);
	put(b, "\" publishTime=\"2024-03-05T08:00:00.000\"><state "
	    "xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" "
	    "manual=\"false\" xsi:type=\"aggregateState\" xmlns:xsi=\""
	    "http://www.w3.org/2001/XMLSchema-instance\"><availability>");
	put_u(b, 3500 + (gen_rand(g) % 4) * 2500);
	put(b, "</availability></state></category></categories>\n");
}

/* SUBSCRIBE, 200, NOTIFY, 200, BENOTIFY (best effort, no response). */
static int64_t
step_subscribe(struct gen *g, struct scen *s)
{
	struct strbuf *h = &g->m.hdrs;

	switch (s->step) {
	case 0:
		msg_begin(g, s, 1, 1);
		start_request(g, "SUBSCRIBE", NULL, s->ub);
		hdr_via(g, s, 1, 0);
		hdr_line(g, "Max-Forwards: 70");
		hdr_from_to(g, s, 0, 0);
		hdr_callid_cseq(g, s, 1, "SUBSCRIBE");
		hdr_contact(g, s);
		hdr_ua(g, s);
		hdr_line(g, "Event: presence");
		hdr_line(g, "Accept: application/msrtc-event-categories+xml, "
		    "application/xpidf+xml, application/pidf+xml");
		hdr_line(g, "Supported: ms-benotify, eventlist, "
		    "ms-piggyback-first-notify");
		hdr_line(g, "Expires: 3600");
		hdr_content_length(g);
		return gen_range(g, 3000, 40000);
	case 1:
		call_response(g, s, 200, "OK", 1, "SUBSCRIBE", 1);
		hdr_line(g, "Expires: 3600");
		hdr_line(g, "Event: presence");
		hdr_server_end(g);
		return gen_range(g, 1000, 50000);
	case 2:
	case 4:
		msg_begin(g, s, 1, 0);
		start_request(g, s->step == 2 ? "NOTIFY" : "BENOTIFY", NULL,
		    s->ua);
		put(h, "Via: SIP/2.0/TLS ");
		put_addr(h, GEN_SERVER_IP, GEN_SERVER_PORT);
		put_branch(h, s, s->step);
		strbuf_addc(h, '\n');
		hdr_line(g, "Max-Forwards: 70");
		hdr_from_to(g, s, 1, 1);
		hdr_callid_cseq(g, s, (unsigned)s->step / 2,
		    s->step == 2 ? "NOTIFY" : "BENOTIFY");
		hdr_line(g, "Event: presence");
		hdr_line(g, "Subscription-State: active;expires=3600");
		hdr_line(g, "Content-Type: application/msrtc-event-categories+xml");
		presence_body(g, s);
		hdr_content_length(g);
		return s->step == 4 ? -1 : gen_range(g, 3000, 40000);
	default:
		msg_begin(g, s, 0, 1);
		start_response(g, 200, "OK");
		put(h, "Via: SIP/2.0/TLS ");
		put_addr(h, GEN_SERVER_IP, GEN_SERVER_PORT);
		put_branch(h, s, 2);
		strbuf_addc(h, '\n');
		hdr_from_to(g, s, 1, 1);
		hdr_callid_cseq(g, s, 1, "NOTIFY");
		hdr_content_length(g);
		return gen_range(g, 1000000, 30000000);
	}
}

static int64_t
step_options(struct gen *g, struct scen *s)
{
	if (s->step == 0) {
		msg_begin(g, s, 1, 1);
		put(&g->m.start, "OPTIONS sip:" GEN_DOMAIN " SIP/2.0");
		hdr_via(g, s, 1, 0);
		hdr_line(g, "Max-Forwards: 70");
		hdr_from_to(g, s, 0, 0);
		hdr_callid_cseq(g, s, 1, "OPTIONS");
		hdr_ua(g, s);
		hdr_line(g, "ms-keep-alive: UAC;hop-hop=yes");
		hdr_content_length(g);
		return gen_range(g, 500, 20000);
	}
	call_response(g, s, 200, "OK", 1, "OPTIONS", 1);
	hdr_line(g, "Allow: INVITE, BYE, ACK, CANCEL, INFO, OPTIONS, "
	    "SUBSCRIBE, NOTIFY, BENOTIFY, REGISTER");
	hdr_line(g, "ms-keep-alive: UAS;tcp=no;hop-hop=yes;end-point=no;"
	    "timeout=300");
	hdr_server_end(g);
	return -1;
}

/* --- framings --------------------------------------------------------- */

static void
gen_flush(struct gen *g)
{
	if (g->ob.len == 0)
		return;
	if (fwrite(g->ob.buf, 1, g->ob.len, g->out) != g->ob.len) {
		fprintf(stderr, "gen: %s: %s\n", g->outpath, strerror(errno));
		exit(1);
	}
	g->written += g->ob.len;
	strbuf_reset(&g->ob);
}

/* Cached civil date of g->now. */
static void
gen_date(struct gen *g)
{
	int64_t day = g->now / (INT64_C(86400) * 1000000);
	char tmp[40];

	if (day == g->day)
		return;
	g->day = day;
	time_format(tmp, sizeof tmp, day * INT64_C(86400) * 1000000, 0, 1);
	g->y = atoi(tmp);
	g->mon = atoi(tmp + 5);
	g->d = atoi(tmp + 8);
}

/* HH:MM:SS then '.' and frac digits (3 or 6). */
static void
put_clock(struct gen *g, struct strbuf *sb, int frac)
{
	int64_t us = g->now % (INT64_C(86400) * 1000000);
	int64_t s = us / 1000000;

	put_uw(sb, (uint64_t)(s / 3600), 2);
	strbuf_addc(sb, ':');
	put_uw(sb, (uint64_t)(s / 60 % 60), 2);
	strbuf_addc(sb, ':');
	put_uw(sb, (uint64_t)(s % 60), 2);
	strbuf_addc(sb, '.');
	if (frac == 3)
		put_uw(sb, (uint64_t)(us % 1000000 / 1000), 3);
	else
		put_uw(sb, (uint64_t)(us % 1000000), 6);
}

static void
put_mdy(struct gen *g, struct strbuf *sb)
{
	gen_date(g);
	put_uw(sb, (uint64_t)g->mon, 2);
	strbuf_addc(sb, '/');
	put_uw(sb, (uint64_t)g->d, 2);
	strbuf_addc(sb, '/');
	put_uw(sb, (uint64_t)g->y, 4);
}

/* The bytes of s with every \n written as \r\n. */
static void
put_crlf(struct strbuf *sb, const char *s, size_t n)
{
	const char *p = s, *e = s + n, *nl;

	while (p < e && (nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		strbuf_add(sb, p, (size_t)(nl - p));
		strbuf_add(sb, "\r\n", 2);
		p = nl + 1;
	}
	strbuf_add(sb, p, (size_t)(e - p));
}

/* The message as sent on the wire, CRLF line ends. */
static void
wire_text(struct gen *g, struct strbuf *sb)
{
	struct gen_msg *m = &g->m;

	strbuf_add(sb, m->start.buf, m->start.len);
	strbuf_add(sb, "\r\n", 2);
	put_crlf(sb, m->hdrs.buf, m->hdrs.len);
	strbuf_add(sb, "\r\n", 2);
	put_crlf(sb, m->body.buf, m->body.len);
}

static void
write_cls(struct gen *g)
{
	struct gen_msg *m = &g->m;
	struct strbuf *o = &g->ob;

	put(o, m->diag ? m->diag_level : "TL_INFO");
	put(o, m->diag ? "(TF_DIAG)" : "(TF_PROTOCOL)");
	put(o, " [0]0A1C.0B2C::");
	put_mdy(g, o);
	strbuf_addc(o, '-');
	put_clock(g, o, 3);
	strbuf_addc(o, '.');
	put_hex(o, ++g->seq, 8, 0);
	if (m->diag) {
		put(o, " (SIPStack,SIPAdminLog::TraceDiagRecord:"
		    "SIPAdminLog.cpp(145))$$begin_record\n");
		strbuf_add(o, m->hdrs.buf, m->hdrs.len);
		put(o, "$$end_record\n");
		return;
	}
	put(o, " (SIPStack,SIPAdminLog::TraceProtocolRecord:"
	    "SIPAdminLog.cpp(125))$$begin_record\nTrace-Correlation-Id: ");
	put_u(o, 2003888960U + g->seq);
	put(o, "\nInstance-Id: ");
	put_hex(o, g->seq, 8, 1);
	put(o, m->from_client ? "\nDirection: incoming" :
	    "\nDirection: outgoing");
	if (m->edge)
		put(o, m->from_client ?
		    ";source=\"external edge\";destination=\"internal edge\"" :
		    ";source=\"internal edge\";destination=\"external edge\"");
	put(o, "\nPeer: ");
	put_addr(o, m->cip, m->cport);
	put(o, m->request ? "\nMessage-Type: request\nStart-Line: " :
	    "\nMessage-Type: response\nStart-Line: ");
	strbuf_add(o, m->start.buf, m->start.len);
	strbuf_addc(o, '\n');
	strbuf_add(o, m->hdrs.buf, m->hdrs.len);
	put(o, "Message-Body: ");
	if (m->body.len == 0)
		put(o, "-\n");
	else
		strbuf_add(o, m->body.buf, m->body.len);
	put(o, "$$end_record\n");
}

static void
uccapi_prefix(struct gen *g, const char *level)
{
	struct strbuf *o = &g->ob;

	put_mdy(g, o);
	strbuf_addc(o, '|');
	put_clock(g, o, 3);
	put(o, " 0F4C:0E60 ");
	put(o, level);
	put(o, " :: ");
}

static void
uccapi_packet_line(struct gen *g, int end, size_t wire)
{
	struct gen_msg *m = &g->m;
	struct strbuf *o = &g->ob;

	uccapi_prefix(g, "INFO ");
	if (end)
		put(o, "End of ");
	put(o, m->from_client ? "Sending Packet - " : "Data Received - ");
	put_addr(o, m->sip, m->sport);
	put(o, m->from_client ? " (From Local Address: " :
	    " (To Local Address: ");
	put_addr(o, m->cip, m->cport);
	put(o, ") ");
	put_u(o, wire);
	put(o, end ? " bytes\n" : " bytes:\n");
}

/* A client log holds many lines that are not SIP; readers must skip them. */
static void
uccapi_noise(struct gen *g)
{
	struct strbuf *o = &g->ob;

	uccapi_prefix(g, "TRACE");
	g->noise += 0x9e3779b97f4a7c15ULL;
	switch (gen_mix(g->noise) % 4) {
	case 0:
		put(o, "CUccSipEndpoint::ProcessIncomingMessage - this=0x");
		put_hex(o, gen_mix(g->noise + 1), 8, 0);
		put(o, ", hr=0x00000000\n");
		break;
	case 1:
		put(o, "CSIPTransportLayer::OnKeepAliveTimer - sending "
		    "keep-alive on connection 0x");
		put_hex(o, gen_mix(g->noise + 2), 8, 0);
		strbuf_addc(o, '\n');
		break;
	case 2:
		put(o, "CRoamingManager::OnCategoryUpdated - <category name="
		    "\"contactCard\" instance=\"0\" publishTime=\"now\"/>\n");
		break;
	default:
		put(o, "CTransportConnection::Send - queued ");
		put_u(o, gen_mix(g->noise + 3) % 4000);
		put(o, " bytes, outstanding=0\n");
		break;
	}
}

static void
write_uccapi(struct gen *g)
{
	struct gen_msg *m = &g->m;
	struct strbuf *o = &g->ob;
	size_t wire;

	if (m->diag)
		return;		/* a client log has no server diagnostics */
	strbuf_reset(&g->tmp);
	wire_text(g, &g->tmp);
	wire = g->tmp.len;
	if (gen_mix(g->noise ^ g->nmsgs) % 3 == 0)
		uccapi_noise(g);
	uccapi_packet_line(g, 0, wire);
	uccapi_prefix(g, "INFO ");
	strbuf_add(o, m->start.buf, m->start.len);
	strbuf_addc(o, '\n');
	strbuf_add(o, m->hdrs.buf, m->hdrs.len);
	strbuf_addc(o, '\n');
	if (m->body.len > 0)
		strbuf_add(o, m->body.buf, m->body.len);
	uccapi_packet_line(g, 1, wire);
}

static void
write_sngrep(struct gen *g)
{
	struct gen_msg *m = &g->m;
	struct strbuf *o = &g->ob;

	if (m->diag)
		return;
	gen_date(g);
	put_uw(o, (uint64_t)g->y, 4);
	strbuf_addc(o, '/');
	put_uw(o, (uint64_t)g->mon, 2);
	strbuf_addc(o, '/');
	put_uw(o, (uint64_t)g->d, 2);
	strbuf_addc(o, ' ');
	put_clock(g, o, 6);
	strbuf_addc(o, ' ');
	if (m->from_client) {
		put_addr(o, m->cip, m->cport);
		put(o, " -> ");
		put_addr(o, m->sip, m->sport);
	} else {
		put_addr(o, m->sip, m->sport);
		put(o, " -> ");
		put_addr(o, m->cip, m->cport);
	}
	strbuf_addc(o, '\n');
	/* sngrep writes the payload as captured, then "\n\n". */
	wire_text(g, o);
	put(o, "\n\n");
}

static void
put_le32(struct strbuf *sb, uint32_t v)
{
	char b[4] = { (char)v, (char)(v >> 8), (char)(v >> 16),
	    (char)(v >> 24) };

	strbuf_add(sb, b, 4);
}

static void
put_be16(char *p, uint16_t v)
{
	p[0] = (char)(v >> 8);
	p[1] = (char)v;
}

static void
put_be32(char *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static void
write_pcap_header(struct gen *g)
{
	put_le32(&g->ob, 0xa1b2c3d4U);	/* microsecond timestamps */
	put_le32(&g->ob, 2 | (4U << 16));	/* version 2.4 */
	put_le32(&g->ob, 0);		/* thiszone */
	put_le32(&g->ob, 0);		/* sigfigs */
	put_le32(&g->ob, 65535);	/* snaplen */
	put_le32(&g->ob, 1);		/* LINKTYPE_ETHERNET */
}

/* One Ethernet/IPv4/UDP datagram per message: no fragments, as a capture
 * taken with segmentation offload shows large datagrams whole. */
static void
write_pcap(struct gen *g)
{
	struct gen_msg *m = &g->m;
	char hdr[42];
	uint32_t src, dst, sum = 0;
	uint16_t sport, dport;
	size_t plen, iplen, i;

	if (m->diag)
		return;
	strbuf_reset(&g->tmp);
	wire_text(g, &g->tmp);
	plen = g->tmp.len;
	if (plen > 65535 - 28)
		plen = 65535 - 28;
	iplen = plen + 28;
	if (m->from_client) {
		src = m->cip; sport = m->cport;
		dst = m->sip; dport = m->sport;
	} else {
		src = m->sip; sport = m->sport;
		dst = m->cip; dport = m->cport;
	}
	memset(hdr, 0, sizeof hdr);
	/* Ethernet: locally administered MACs derived from the addresses. */
	hdr[0] = 0x02; put_be32(hdr + 2, dst);
	hdr[6] = 0x02; put_be32(hdr + 8, src);
	put_be16(hdr + 12, 0x0800);
	hdr[14] = 0x45;
	put_be16(hdr + 16, (uint16_t)iplen);
	put_be16(hdr + 18, (uint16_t)g->nmsgs);
	put_be16(hdr + 20, 0x4000);	/* don't fragment */
	hdr[22] = 64;
	hdr[23] = 17;
	put_be32(hdr + 26, src);
	put_be32(hdr + 30, dst);
	for (i = 14; i < 34; i += 2)
		sum += ((uint32_t)(uint8_t)hdr[i] << 8) | (uint8_t)hdr[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put_be16(hdr + 24, (uint16_t)~sum);
	put_be16(hdr + 34, sport);
	put_be16(hdr + 36, dport);
	put_be16(hdr + 38, (uint16_t)(plen + 8));
	/* UDP checksum 0: "not computed", valid over IPv4. */
	put_le32(&g->ob, (uint32_t)(g->now / 1000000));
	put_le32(&g->ob, (uint32_t)(g->now % 1000000));
	put_le32(&g->ob, (uint32_t)(plen + 42));
	put_le32(&g->ob, (uint32_t)(plen + 42));
	strbuf_add(&g->ob, hdr, sizeof hdr);
	strbuf_add(&g->ob, g->tmp.buf, plen);
}

static void
gen_emit(struct gen *g)
{
	size_t from = g->ob.len;

	if (g->m.diag)
		g->ndiags++;
	else
		g->nmsgs++;
	switch (g->fmt) {
	case GF_CLS: write_cls(g); break;
	case GF_UCCAPI: write_uccapi(g); break;
	case GF_SNGREP: write_sngrep(g); break;
	case GF_PCAP: write_pcap(g); break;
	}
	if (g->crlf && g->fmt != GF_PCAP && g->fmt != GF_SNGREP) {
		/* Logs written on Windows end their lines in CRLF. */
		strbuf_reset(&g->tmp);
		strbuf_add(&g->tmp, g->ob.buf + from, g->ob.len - from);
		g->ob.len = from;
		put_crlf(&g->ob, g->tmp.buf, g->tmp.len);
	}
	if (g->ob.len >= (1 << 20))
		gen_flush(g);
}

/* --- scheduling --------------------------------------------------------- */

static void
heap_push(struct gen *g, const struct scen *s)
{
	size_t i = g->nheap++, parent;

	g->heap[i] = *s;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (g->heap[parent].t <= g->heap[i].t)
			break;
		struct scen t = g->heap[parent];
		g->heap[parent] = g->heap[i];
		g->heap[i] = t;
		i = parent;
	}
}

static struct scen
heap_pop(struct gen *g)
{
	struct scen top = g->heap[0], t;
	size_t i = 0, l, r, m;

	g->heap[0] = g->heap[--g->nheap];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < g->nheap && g->heap[l].t < g->heap[m].t)
			m = l;
		if (r < g->nheap && g->heap[r].t < g->heap[m].t)
			m = r;
		if (m == i)
			break;
		t = g->heap[m];
		g->heap[m] = g->heap[i];
		g->heap[i] = t;
		i = m;
	}
	return top;
}

static void
scen_start(struct gen *g, int64_t t)
{
	static const uint16_t fails[] = { 486, 403, 404, 480, 503 };
	struct scen s;
	uint32_t r = (uint32_t)(gen_rand(g) % 1000), acc = 0;
	int i;

	memset(&s, 0, sizeof s);
	for (i = 0; i < SC__COUNT; i++) {
		acc += (uint32_t)gen_weights[i];
		if (r < acc)
			break;
	}
	s.type = i < SC__COUNT ? i : SC_OPTIONS;
	s.t = t;
	s.id = g->nscen++;
	s.ua = (uint32_t)(gen_rand(g) % GEN_NUSERS);
	do
		s.ub = (uint32_t)(gen_rand(g) % GEN_NUSERS);
	while (s.ub == s.ua);
	if (s.type == SC_REG_NTLM || s.type == SC_REG_KERBEROS ||
	    s.type == SC_REG_DIGEST || s.type == SC_OPTIONS)
		s.ub = s.ua;
	s.cip = scen_remote(&s) ? gen_remote_ip(s.ua) : gen_internal_ip(s.ua);
	s.cport = (uint16_t)gen_range(g, 1025, 65000);
	s.status = fails[gen_rand(g) % 5];
	s.callee_hangs_up = (int)(gen_rand(g) & 1);
	heap_push(g, &s);
}

static int64_t
scen_step(struct gen *g, struct scen *s)
{
	switch (s->type) {
	case SC_OPTIONS: return step_options(g, s);
	case SC_SUBSCRIBE: return step_subscribe(g, s);
	case SC_REG_NTLM: return step_reg_ntlm(g, s);
	case SC_REG_KERBEROS: return step_reg_kerberos(g, s);
	case SC_REG_DIGEST: return step_reg_digest(g, s);
	case SC_CALL: return step_call(g, s);
	case SC_CANCEL: return step_cancel(g, s);
	default: return step_fail(g, s);
	}
}

static void
gen_run(struct gen *g)
{
	struct scen s;
	int64_t d;
	size_t i;

	for (i = 0; i < GEN_ACTIVE && (g->maxdialogs == 0 ||
	    g->nscen < g->maxdialogs); i++)
		scen_start(g, g->now + (int64_t)gen_range(g, 0, 2000000));
	while (g->nheap > 0) {
		s = heap_pop(g);
		if (s.t > g->now)
			g->now = s.t;
		d = scen_step(g, &s);
		gen_emit(g);
		if (d >= 0) {
			s.step++;
			s.t = g->now + d;
			heap_push(g, &s);
		} else if (g->maxdialogs != 0 ? g->nscen < g->maxdialogs :
		    g->written + g->ob.len < g->target) {
			/* The next scenario of this slot begins a little later. */
			scen_start(g, g->now + (int64_t)gen_range(g, 0, 400000));
		}
	}
	gen_flush(g);
}

static int
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen --format cls|uccapi|sngrep|pcap "
	    "--size N[K|M|G] [--dialogs N] [--seed N] [--crlf] -o FILE\n"
	    "Writes about N bytes of interleaved registrations (NTLM through "
	    "the edge, Kerberos,\nDigest), calls, cancelled and failed calls, "
	    "subscriptions and keep-alives.\nPrints the counts written on "
	    "stderr: bytes, messages, diagnostics, dialogs. A run with the\n"
	    "same seed and --dialogs set to the dialogs a run printed writes the same\n"
	    "traffic in another format. --crlf ends the lines of cls and uccapi logs\n"
	    "in CRLF, as Windows writes them (sngrep text and pcap payloads always\n"
	    "carry the messages' own CRLF).\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gen g;
	const char *fmt = "cls", *path = NULL;
	int i;

	memset(&g, 0, sizeof g);
	g.target = 100ULL << 20;
	g.seed = 1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--crlf") == 0) {
			g.crlf = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--format") == 0)
			fmt = argv[++i];
		else if (strcmp(argv[i], "--size") == 0) {
			if (parse_size(argv[++i], &g.target) != 0)
				usage();
		} else if (strcmp(argv[i], "--dialogs") == 0) {
			if (parse_size(argv[++i], &g.maxdialogs) != 0)
				usage();
		} else if (strcmp(argv[i], "--seed") == 0)
			g.seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-o") == 0)
			path = argv[++i];
		else
			usage();
	}
	if (strcmp(fmt, "cls") == 0)
		g.fmt = GF_CLS;
	else if (strcmp(fmt, "uccapi") == 0)
		g.fmt = GF_UCCAPI;
	else if (strcmp(fmt, "sngrep") == 0)
		g.fmt = GF_SNGREP;
	else if (strcmp(fmt, "pcap") == 0)
		g.fmt = GF_PCAP;
	else
		usage();
	if (path == NULL || strcmp(path, "-") == 0) {
		g.out = stdout;
		g.outpath = "stdout";
	} else if ((g.out = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	} else
		g.outpath = path;
	g.rng = gen_mix(g.seed);
	g.day = -1;
	/* 2024-03-05 08:00:00 plus up to a day, so seeds differ in time too. */
	g.now = time_from_civil(2024, 3, 5, 8, 0, 0, 0) +
	    (int64_t)(gen_mix(g.seed) % 3600) * 1000000;
	strbuf_init(&g.ob);
	strbuf_init(&g.tmp);
	strbuf_init(&g.m.start);
	strbuf_init(&g.m.hdrs);
	strbuf_init(&g.m.body);
	if (g.fmt == GF_PCAP)
		write_pcap_header(&g);
	gen_run(&g);
	if (g.out != stdout && fclose(g.out) != 0) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(stderr, "bytes=%llu messages=%llu diagnostics=%llu "
	    "dialogs=%llu\n", (unsigned long long)g.written,
	    (unsigned long long)(g.nmsgs),
	    (unsigned long long)(g.fmt == GF_CLS ? g.ndiags : 0),
	    (unsigned long long)g.nscen);
	strbuf_free(&g.ob);
	strbuf_free(&g.tmp);
	strbuf_free(&g.m.start);
	strbuf_free(&g.m.hdrs);
	strbuf_free(&g.m.body);
	return 0;
}
