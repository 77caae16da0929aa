#!/usr/bin/env python3
# Writes the authentication traces of tests/data/auth/ (sngrep text): the
# flows a SIP authentication expert expects rated one way or the other
# (Digest challenges, stale nonces, wrong passwords, 407 on INVITE, 423,
# challenges inside dialogs). The SIP text is written out below; this only
# frames it and counts Content-Length. Deterministic. Run from the
# repository root: python3 tests/data/auth/gen_auth.py
import base64
import os
import struct

DIR = 'tests/data/auth'
UA = '10.1.1.21:5060'
PBX = '10.1.1.2:5060'
DATE = '2025/06/02'


class T:
    def __init__(self):
        self.out = []
        self.sec = 0.0

    def add(self, dt, src, dst, start, hdrs, body=''):
        self.sec += dt
        h, rest = divmod(self.sec, 3600)
        m, s = divmod(rest, 60)
        stamp = '%s %02d:%02d:%09.6f' % (DATE, 9 + h, m, s)
        text = start + '\r\n' + ''.join(x + '\r\n' for x in hdrs)
        text += 'Content-Length: %d\r\n\r\n' % len(body.encode()) + body
        self.out.append('%s %s -> %s\n%s\n\n' % (stamp, src, dst, text))

    def write(self, name):
        path = os.path.join(DIR, name)
        with open(path, 'w', newline='', encoding='utf-8') as f:
            f.write(''.join(self.out))
        print(path)


def digest(user, nonce, uri='sip:pbx.example.net', realm='pbx.example.net',
           resp='0123456789abcdef0123456789abcdef', nc='00000001',
           hdr='Authorization', alg='MD5'):
    return ('%s: Digest username="%s", realm="%s", nonce="%s", uri="%s", '
            'response="%s", algorithm=%s, cnonce="a1b2c3d4", qop=auth, '
            'nc=%s' % (hdr, user, realm, nonce, uri, resp, alg, nc))


def challenge(nonce, stale=None, hdr='WWW-Authenticate',
              realm='pbx.example.net', alg='MD5'):
    s = '%s: Digest realm="%s", nonce="%s", algorithm=%s, qop="auth"' % (
        hdr, realm, nonce, alg)
    if stale is not None:
        s += ', stale=%s' % stale
    return s


class Reg:
    """A phone registering with a PBX on one Call-ID."""

    def __init__(self, t, user='2001', cid='reg-2001@10.1.1.21', sent=0,
                 server='Asterisk PBX 20.5.0'):
        self.t, self.user, self.cid = t, user, cid
        self.n = sent       # requests the phone sent before (for branches)
        self.server = server

    def req(self, dt, cseq, expires=3600, extra=()):
        self.n += 1
        self.branch = 'z9hG4bK-r%d-%d' % (cseq, self.n)
        self.t.add(dt, UA, PBX, 'REGISTER sip:pbx.example.net SIP/2.0', [
            'Via: SIP/2.0/UDP %s;branch=%s;rport' % (UA, self.branch),
            'Max-Forwards: 70',
            'From: <sip:%s@pbx.example.net>;tag=f%s' % (self.user, self.user),
            'To: <sip:%s@pbx.example.net>' % self.user,
            'Call-ID: ' + self.cid, 'CSeq: %d REGISTER' % cseq,
            'Contact: <sip:%s@%s>' % (self.user, UA),
            'Expires: %d' % expires,
            'User-Agent: Grandstream GXP2170 1.0.11.23'] + list(extra))

    def resp(self, dt, cseq, status, extra=()):
        self.t.add(dt, PBX, UA, 'SIP/2.0 ' + status, [
            'Via: SIP/2.0/UDP %s;branch=%s;received=10.1.1.21;rport=5060' % (
                UA, self.branch),
            'From: <sip:%s@pbx.example.net>;tag=f%s' % (self.user, self.user),
            'To: <sip:%s@pbx.example.net>;tag=t%d' % (self.user, cseq),
            'Call-ID: ' + self.cid, 'CSeq: %d REGISTER' % cseq,
            'Server: ' + self.server] + list(extra))


def reg_ok(r, dt, cseq, nonce, expires=3600):
    r.resp(dt, cseq, '200 OK', ['Expires: %d' % expires,
                                'Contact: <sip:%s@%s>;expires=%d' % (
                                    r.user, UA, expires)])


def digest_stale():
    """Registered; the refresh an hour later carries the old nonce, the
    server says stale=true, the client answers with the new one."""
    t = T()
    r = Reg(t, user='2001', cid='digest-stale@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('n1')])
    r.req(0.02, 2, extra=[digest(r.user, 'n1')])
    reg_ok(r, 0.002, 2, 'n1')
    r.req(3300, 3, extra=[digest(r.user, 'n1', nc='00000002')])
    r.resp(0.002, 3, '401 Unauthorized', [challenge('n2', 'true')])
    r.req(0.02, 4, extra=[digest(r.user, 'n2')])
    reg_ok(r, 0.002, 4, 'n2')
    t.write('digest-stale.sngrep.txt')


def digest_reused():
    """Registered; the refresh half an hour later reuses the nonce unasked
    and the server challenges afresh without saying stale=true (some do
    not): the client answers and is registered again."""
    t = T()
    r = Reg(t, user='2002', cid='digest-reused@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('r1')])
    r.req(0.02, 2, extra=[digest(r.user, 'r1')])
    reg_ok(r, 0.002, 2, 'r1')
    r.req(1800, 3, extra=[digest(r.user, 'r1', nc='00000002')])
    r.resp(0.002, 3, '401 Unauthorized', [challenge('r2')])
    r.req(0.02, 4, extra=[digest(r.user, 'r2')])
    reg_ok(r, 0.002, 4, 'r2')
    t.write('digest-reused.sngrep.txt')


def digest_wrong_password():
    """A wrong password: each answer is refused with a fresh 401 (no
    stale), the phone tries the same bad credentials three times, then
    gives up."""
    t = T()
    r = Reg(t, user='2003', cid='digest-wrong-password@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('w1')])
    r.req(0.02, 2, extra=[digest(r.user, 'w1')])
    r.resp(0.002, 2, '401 Unauthorized', [challenge('w2')])
    r.req(0.02, 3, extra=[digest(r.user, 'w2')])
    r.resp(0.002, 3, '401 Unauthorized', [challenge('w3')])
    r.req(0.02, 4, extra=[digest(r.user, 'w3')])
    r.resp(0.002, 4, '401 Unauthorized', [challenge('w4')])
    t.write('digest-wrong-password.sngrep.txt')


def digest_forbidden():
    """The answer to the challenge is refused outright: 403."""
    t = T()
    r = Reg(t, user='2004', cid='digest-forbidden@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('f1')])
    r.req(0.02, 2, extra=[digest(r.user, 'f1')])
    r.resp(0.002, 2, '403 Forbidden', [])
    t.write('digest-forbidden.sngrep.txt')


def interval_too_brief():
    """The phone asks for 60 s, the registrar wants at least 3600: 423
    with Min-Expires, the phone asks again for 3600 and is registered."""
    t = T()
    r = Reg(t, user='2005', cid='interval-too-brief@10.1.1.21')
    r.req(0, 1, expires=60)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('i1')])
    r.req(0.02, 2, expires=60, extra=[digest(r.user, 'i1')])
    r.resp(0.002, 2, '423 Interval Too Brief', ['Min-Expires: 3600'])
    r.req(0.02, 3, expires=3600, extra=[digest(r.user, 'i1', nc='00000002')])
    reg_ok(r, 0.002, 3, 'i1')
    t.write('interval-too-brief.sngrep.txt')


def interval_gives_up():
    """423 with Min-Expires, and the phone does not ask again."""
    t = T()
    r = Reg(t, user='2009', cid='interval-gives-up@10.1.1.21')
    r.req(0, 1, expires=30)
    r.resp(0.002, 1, '423 Interval Too Brief', ['Min-Expires: 600'])
    t.write('interval-gives-up.sngrep.txt')


def interval_new_call_id():
    """A phone that sends each attempt on a new Call-ID: its REGISTER of
    60 s, with credentials, gets 423 with Min-Expires; it asks again for
    3600 s in a new REGISTER dialog and is registered there."""
    t = T()
    a = Reg(t, user='2015', cid='interval-new-call-id-1@10.1.1.21')
    a.req(0, 1, expires=60)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('n1')])
    a.req(0.02, 2, expires=60, extra=[digest(a.user, 'n1')])
    a.resp(0.002, 2, '423 Interval Too Brief', ['Min-Expires: 3600'])
    b = Reg(t, user='2015', cid='interval-new-call-id-2@10.1.1.21',
            sent=a.n)
    b.req(0.02, 1, expires=3600, extra=[digest(b.user, 'n1',
                                               nc='00000002')])
    reg_ok(b, 0.002, 1, 'n1')
    t.write('interval-new-call-id.sngrep.txt')


def sha256_only():
    """The server offers Digest with SHA-256 only (RFC 8760); the phone
    knows MD5 only and never answers."""
    t = T()
    r = Reg(t, user='2010', cid='sha256-only@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('h1', alg='SHA-256')])
    t.write('sha256-only.sngrep.txt')


def md5_to_sha256():
    """The server offers Digest with SHA-256 only (RFC 8760); the phone
    knows MD5 only and answers with MD5 anyway: refused with a new 401
    (SHA-256 again), and it gives up."""
    t = T()
    r = Reg(t, user='2011', cid='md5-to-sha256@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('k1', alg='SHA-256')])
    r.req(0.02, 2, extra=[digest(r.user, 'k1')])
    r.resp(0.002, 2, '401 Unauthorized', [challenge('k2', alg='SHA-256')])
    t.write('md5-to-sha256.sngrep.txt')


def new_call_id():
    """The phone answers the challenge with a new REGISTER on a new Call-ID
    (and a new From tag), as some clients do, and is registered there."""
    t = T()
    a = Reg(t, user='2012', cid='new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('c1')])
    b = Reg(t, user='2012', cid='new-call-id-2@10.1.1.21')
    b.req(0.02, 1, extra=[digest(b.user, 'c1')])
    reg_ok(b, 0.002, 1, 'c1')
    t.write('new-call-id.sngrep.txt')


def new_call_id_two_realms():
    """The same phone behind an outbound proxy that asks for credentials of
    its own realm (407), ahead of the registrar (401): each retry goes on a
    new Call-ID, and the last carries both, Proxy-Authorization first."""
    t = T()
    proxy = dict(hdr='Proxy-Authorization', realm='proxy.example.net')
    a = Reg(t, user='2013', cid='two-realms-1@10.1.1.21',
            server='kamailio (5.7.4 (x86_64/linux))')
    a.req(0, 1)
    a.resp(0.002, 1, '407 Proxy Authentication Required', [
        challenge('p1', hdr='Proxy-Authenticate', realm='proxy.example.net')])
    b = Reg(t, user='2013', cid='two-realms-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'p1', **proxy)])
    b.resp(0.004, 1, '401 Unauthorized', [challenge('r1')])
    c = Reg(t, user='2013', cid='two-realms-3@10.1.1.21', sent=2)
    c.req(0.02, 1, extra=[digest(c.user, 'p1', nc='00000002', **proxy),
                          digest(c.user, 'r1')])
    reg_ok(c, 0.004, 1, 'r1')
    t.write('new-call-id-two-realms.sngrep.txt')


def stale_new_call_id():
    """A phone that answers each challenge with a new REGISTER on a new
    Call-ID (as in new_call_id) and refreshes on the Call-ID it registered
    with: the refresh an hour later carries the old nonce, the server says
    stale=true, and the phone answers with the new nonce on a new Call-ID
    again."""
    t = T()
    a = Reg(t, user='2016', cid='stale-new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('sn1')])
    b = Reg(t, user='2016', cid='stale-new-call-id-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'sn1')])
    reg_ok(b, 0.002, 1, 'sn1')
    b.req(3300, 2, extra=[digest(b.user, 'sn1', nc='00000002')])
    b.resp(0.002, 2, '401 Unauthorized', [challenge('sn2', 'true')])
    c = Reg(t, user='2016', cid='stale-new-call-id-3@10.1.1.21', sent=3)
    c.req(0.02, 1, extra=[digest(c.user, 'sn2')])
    reg_ok(c, 0.002, 1, 'sn2')
    t.write('stale-new-call-id.sngrep.txt')


def reused_new_call_id():
    """The same kind of phone: its refresh half an hour later reuses the
    nonce unasked, the server challenges afresh without saying stale=true
    (some do not), and the phone answers on a new Call-ID."""
    t = T()
    a = Reg(t, user='2017', cid='reused-new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('rn1')])
    b = Reg(t, user='2017', cid='reused-new-call-id-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'rn1')])
    reg_ok(b, 0.002, 1, 'rn1')
    b.req(1800, 2, extra=[digest(b.user, 'rn1', nc='00000002')])
    b.resp(0.002, 2, '401 Unauthorized', [challenge('rn2')])
    c = Reg(t, user='2017', cid='reused-new-call-id-3@10.1.1.21', sent=3)
    c.req(0.02, 1, extra=[digest(c.user, 'rn2')])
    reg_ok(c, 0.002, 1, 'rn2')
    t.write('reused-new-call-id.sngrep.txt')


def wrong_password_new_call_id():
    """A wrong password, from a phone that answers each challenge on a new
    Call-ID: each answer is refused with a fresh 401 (no stale), answered
    again on a new Call-ID, and the phone gives up after the third."""
    t = T()
    a = Reg(t, user='2018', cid='wrong-new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('wn1')])
    b = Reg(t, user='2018', cid='wrong-new-call-id-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'wn1')])
    b.resp(0.002, 1, '401 Unauthorized', [challenge('wn2')])
    c = Reg(t, user='2018', cid='wrong-new-call-id-3@10.1.1.21', sent=2)
    c.req(0.02, 1, extra=[digest(c.user, 'wn2')])
    c.resp(0.002, 1, '401 Unauthorized', [challenge('wn3')])
    t.write('wrong-password-new-call-id.sngrep.txt')


def rejected_new_call_id():
    """The same kind of phone: its first answer is refused (a password
    typed wrong, corrected at once), the second, on a third Call-ID, gets
    through."""
    t = T()
    a = Reg(t, user='2019', cid='rejected-new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('jn1')])
    b = Reg(t, user='2019', cid='rejected-new-call-id-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'jn1')])
    b.resp(0.002, 1, '401 Unauthorized', [challenge('jn2')])
    c = Reg(t, user='2019', cid='rejected-new-call-id-3@10.1.1.21', sent=2)
    c.req(5, 1, extra=[digest(c.user, 'jn2',
                              resp='fedcba9876543210fedcba9876543210')])
    reg_ok(c, 0.002, 1, 'jn2')
    t.write('rejected-new-call-id.sngrep.txt')


def md5_to_sha256_new_call_id():
    """The server offers Digest with SHA-256 only (RFC 8760); a phone that
    answers each challenge on a new Call-ID answers with MD5 first, is
    refused, and answers the second challenge with SHA-256, registering."""
    t = T()
    a = Reg(t, user='2020', cid='sha256-new-call-id-1@10.1.1.21')
    a.req(0, 1)
    a.resp(0.002, 1, '401 Unauthorized', [challenge('hn1', alg='SHA-256')])
    b = Reg(t, user='2020', cid='sha256-new-call-id-2@10.1.1.21', sent=1)
    b.req(0.02, 1, extra=[digest(b.user, 'hn1')])
    b.resp(0.002, 1, '401 Unauthorized', [challenge('hn2', alg='SHA-256')])
    c = Reg(t, user='2020', cid='sha256-new-call-id-3@10.1.1.21', sent=2)
    c.req(0.02, 1, extra=[digest(c.user, 'hn2', alg='SHA-256',
                              resp='0123456789abcdef0123456789abcdef'
                                   '0123456789abcdef0123456789abcdef')])
    reg_ok(c, 0.002, 1, 'hn2')
    t.write('md5-to-sha256-new-call-id.sngrep.txt')


def two_realms_sha256_refused():
    """An outbound proxy that asks for Digest MD5 (407) in front of a
    registrar that takes SHA-256 only (RFC 8760): the phone answers both,
    its last REGISTER carrying Proxy-Authorization (MD5) first and
    Authorization (SHA-256), and the registrar refuses the password. The
    refusal is of the credentials, not of MD5, which it was not given."""
    t = T()
    proxy = dict(hdr='Proxy-Authorization', realm='proxy.example.net')
    r = Reg(t, user='2015', cid='sha256-refused@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '407 Proxy Authentication Required', [
        challenge('p1', hdr='Proxy-Authenticate', realm='proxy.example.net')])
    r.req(0.02, 2, extra=[digest(r.user, 'p1', **proxy)])
    r.resp(0.004, 2, '401 Unauthorized', [challenge('r1', alg='SHA-256')])
    r.req(0.02, 3, extra=[digest(r.user, 'p1', nc='00000002', **proxy),
                          digest(r.user, 'r1', alg='SHA-256')])
    r.resp(0.004, 3, '401 Unauthorized', [challenge('r2', alg='SHA-256')])
    t.write('two-realms-sha256-refused.sngrep.txt')


def refresh_fails():
    """Registered, then the refresh is refused (the account was disabled
    meanwhile): 401, answered, 403."""
    t = T()
    r = Reg(t, user='2006', cid='refresh-fails@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('a1')])
    r.req(0.02, 2, extra=[digest(r.user, 'a1')])
    reg_ok(r, 0.002, 2, 'a1')
    r.req(3300, 3)
    r.resp(0.002, 3, '401 Unauthorized', [challenge('a2')])
    r.req(0.02, 4, extra=[digest(r.user, 'a2')])
    r.resp(0.002, 4, '403 Forbidden', [])
    t.write('refresh-fails.sngrep.txt')


def signout_challenged():
    """A sign-out (Expires: 0) is challenged like any REGISTER."""
    t = T()
    r = Reg(t, user='2007', cid='signout-challenged@10.1.1.21')
    r.req(0, 1, expires=0)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('s1')])
    r.req(0.02, 2, expires=0, extra=[digest(r.user, 's1')])
    r.resp(0.002, 2, '200 OK', [])
    t.write('signout-challenged.sngrep.txt')


def unanswered():
    """The phone has no password configured: it never answers."""
    t = T()
    r = Reg(t, user='2008', cid='unanswered@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('u1')])
    t.write('unanswered.sngrep.txt')


def unanswered_trace_goes_on():
    """The same, in a trace that goes on for 40 seconds more (the phone's
    keep-alive): the client had all the time to answer, and did not."""
    t = T()
    r = Reg(t, user='2009', cid='unanswered-on@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('u2')])
    o = Call(t, 'opt-40@10.1.1.22')
    o.req(40, 'OPTIONS', 1, ruri='sip:pbx.example.net')
    o.resp(0.002, 'OPTIONS', 1, '200 OK')
    t.write('unanswered-trace-goes-on.sngrep.txt')


def refresh_trace_end():
    """Registered; the trace ends 2 ms after the challenge to the refresh
    ten minutes later, before the phone could answer it."""
    t = T()
    r = Reg(t, user='2011', cid='refresh-end@10.1.1.21')
    r.req(0, 1)
    r.resp(0.002, 1, '401 Unauthorized', [challenge('e1')])
    r.req(0.02, 2, extra=[digest(r.user, 'e1')])
    reg_ok(r, 0.002, 2, 'e1')
    r.req(600, 3)
    r.resp(0.002, 3, '401 Unauthorized', [challenge('e2')])
    t.write('refresh-trace-end.sngrep.txt')


class Call:
    def __init__(self, t, cid='call-7731@10.1.1.21'):
        self.t, self.cid = t, cid
        self.ttag = None

    def req(self, dt, method, cseq, extra=(), src=UA, dst=PBX, body='',
            ruri='sip:2002@pbx.example.net', to_tag=None, branch=None,
            frm='2001', to='2002', ftag='c1'):
        self.branch = branch or 'z9hG4bK-%s%d' % (method.lower(), cseq)
        to_h = '<sip:%s@pbx.example.net>' % to
        if to_tag:
            to_h += ';tag=' + to_tag
        self.t.add(dt, src, dst, '%s %s SIP/2.0' % (method, ruri), [
            'Via: SIP/2.0/UDP %s;branch=%s;rport' % (src, self.branch),
            'Max-Forwards: 70',
            'From: <sip:%s@pbx.example.net>;tag=%s' % (frm, ftag),
            'To: ' + to_h,
            'Call-ID: ' + self.cid, 'CSeq: %d %s' % (cseq, method),
            'Contact: <sip:%s@%s>' % (frm, src)] + list(extra), body)

    def resp(self, dt, method, cseq, status, extra=(), src=PBX, dst=UA,
             to_tag='s1', frm='2001', to='2002', ftag='c1', via=None):
        to_h = '<sip:%s@pbx.example.net>' % to
        if to_tag:
            to_h += ';tag=' + to_tag
        self.t.add(dt, src, dst, 'SIP/2.0 ' + status, [
            'Via: SIP/2.0/UDP %s;branch=%s;rport=5060' % (
                via or dst, self.branch),
            'From: <sip:%s@pbx.example.net>;tag=%s' % (frm, ftag),
            'To: ' + to_h,
            'Call-ID: ' + self.cid, 'CSeq: %d %s' % (cseq, method)] +
            list(extra))


SDP = ('v=0\r\no=- 1 1 IN IP4 10.1.1.21\r\ns=-\r\nc=IN IP4 10.1.1.21\r\n'
       't=0 0\r\nm=audio 10000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n')


def invite_407():
    """An INVITE challenged by the proxy (407), answered with
    Proxy-Authorization; the call is set up, and the BYE is challenged
    too, and answered."""
    t = T()
    c = Call(t)
    ct = ['Content-Type: application/sdp']
    c.req(0, 'INVITE', 1, ct, body=SDP)
    c.resp(0.002, 'INVITE', 1, '407 Proxy Authentication Required',
           [challenge('p1', hdr='Proxy-Authenticate')], to_tag='p407')
    c.req(0.001, 'ACK', 1, to_tag='p407', branch=c.branch)
    c.req(0.02, 'INVITE', 2, [digest('2001', 'p1',
                                     uri='sip:2002@pbx.example.net',
                                     hdr='Proxy-Authorization')] + ct,
          body=SDP)
    c.resp(0.002, 'INVITE', 2, '100 Trying', to_tag=None)
    c.resp(0.3, 'INVITE', 2, '180 Ringing')
    c.resp(2.5, 'INVITE', 2, '200 OK', ct)
    c.req(0.01, 'ACK', 2, to_tag='s1', ruri='sip:2002@10.1.1.2:5060')
    c.req(30, 'BYE', 3, to_tag='s1', ruri='sip:2002@10.1.1.2:5060')
    c.resp(0.002, 'BYE', 3, '407 Proxy Authentication Required',
           [challenge('p2', hdr='Proxy-Authenticate')])
    c.req(0.02, 'BYE', 4, [digest('2001', 'p2', uri='sip:2002@10.1.1.2:5060',
                                  hdr='Proxy-Authorization')],
          to_tag='s1', ruri='sip:2002@10.1.1.2:5060')
    c.resp(0.002, 'BYE', 4, '200 OK')
    t.write('invite-407.sngrep.txt')


def invite_two_realms():
    """The outbound proxy challenges (407, realm proxy), then the far
    registrar challenges the INVITE with the proxy credentials (401, realm
    carrier): a second challenge, for another realm, not a rejection."""
    t = T()
    c = Call(t, 'call-8810@10.1.1.21')
    ct = ['Content-Type: application/sdp']
    c.req(0, 'INVITE', 1, ct, body=SDP)
    c.resp(0.002, 'INVITE', 1, '407 Proxy Authentication Required',
           [challenge('x1', hdr='Proxy-Authenticate',
                      realm='proxy.example.net')], to_tag='a1')
    c.req(0.001, 'ACK', 1, to_tag='a1', branch=c.branch)
    pa = digest('2001', 'x1', uri='sip:2002@pbx.example.net',
                realm='proxy.example.net', hdr='Proxy-Authorization')
    c.req(0.02, 'INVITE', 2, [pa] + ct, body=SDP)
    c.resp(0.01, 'INVITE', 2, '401 Unauthorized',
           [challenge('y1', realm='carrier.example.com')], to_tag='a2')
    c.req(0.001, 'ACK', 2, to_tag='a2', branch=c.branch)
    c.req(0.02, 'INVITE', 3, [pa, digest('2001', 'y1',
                                         uri='sip:2002@pbx.example.net',
                                         realm='carrier.example.com')] + ct,
          body=SDP)
    c.resp(0.002, 'INVITE', 3, '100 Trying', to_tag=None)
    c.resp(1.0, 'INVITE', 3, '200 OK', ct)
    c.req(0.01, 'ACK', 3, to_tag='s1', ruri='sip:2002@10.1.1.2:5060')
    t.write('invite-two-realms.sngrep.txt')


def message_options():
    """A MESSAGE challenged and answered (202); an OPTIONS keep-alive the
    phone does not answer when challenged."""
    t = T()
    m = Call(t, 'msg-31@10.1.1.21')
    m.req(0, 'MESSAGE', 1, ['Content-Type: text/plain'], body='hello')
    m.resp(0.002, 'MESSAGE', 1, '407 Proxy Authentication Required',
           [challenge('m1', hdr='Proxy-Authenticate')])
    m.req(0.02, 'MESSAGE', 2, [digest('2001', 'm1',
                                      uri='sip:2002@pbx.example.net',
                                      hdr='Proxy-Authorization'),
                               'Content-Type: text/plain'], body='hello')
    m.resp(0.002, 'MESSAGE', 2, '202 Accepted')
    o = Call(t, 'opt-32@10.1.1.21')
    o.req(5, 'OPTIONS', 1, ruri='sip:pbx.example.net')
    o.resp(0.002, 'OPTIONS', 1, '401 Unauthorized', [challenge('o1')])
    t.write('message-options.sngrep.txt')


def tls_record(ctype, body):
    return struct.pack('>BHH', ctype, 0x0303, len(body)) + body


def tls_hs(htype, body):
    return struct.pack('>B', htype) + struct.pack('>I', len(body))[1:] + body


def b64(b):
    return base64.b64encode(b).decode()


LYNC = '172.16.5.40:50211'
FE = '172.16.5.10:5061'
REALM = 'realm="SIP Communications Service"'
NTLM_T2 = 'TlRMTVNTUAACAAAAAAAAADgAAAA='
NTLM_T3 = 'TlRMTVNTUAADAAAAGAAYAA=='


def lync_tls_dsk():
    """A Lync client gets its certificate (SERVICE GetAndPublishCert,
    authenticated with NTLM in three legs), then registers with TLS-DSK
    in four REGISTERs: none, ClientHello, ClientKeyExchange with its
    Finished, and the first signed one once the security association is
    up. Every 401 is a step of a handshake."""
    t = T()
    hello = b64(tls_record(22, tls_hs(1, bytes([3, 3]) + bytes(range(32)) +
                                      b'\x00\x00\x02\x00\x2f\x01\x00')))
    server = b64(tls_record(22, tls_hs(2, bytes([3, 3]) + bytes(32) +
                                       b'\x00\x00\x2f\x00') +
                            tls_hs(11, b'\x00\x00\x00') + tls_hs(14, b'')))
    client = b64(tls_record(22, tls_hs(16, b'\x00\x02\xab\xcd')) +
                 tls_record(20, b'\x01') + tls_record(22, bytes(40)))
    fin = b64(tls_record(20, b'\x01') + tls_record(22, bytes(40)))
    tname = 'targetname="fe01.uclab.org"'

    def req(dt, method, cid, cseq, auth=None, extra=(), body=''):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s%d' % (LYNC, cid, cseq),
             'Max-Forwards: 70',
             'From: <sip:bob@uclab.org>;tag=b0b%s;epid=e1e2e3e4e5' % cid,
             'To: <sip:bob@uclab.org>', 'Call-ID: ' + cid,
             'CSeq: %d %s' % (cseq, method),
             'User-Agent: UCCAPI/15.0.4569.1503 OC/15.0.4569.1503 '
             '(Microsoft Lync)'] + list(extra)
        if auth:
            h.append('Proxy-Authorization: ' + auth)
        t.add(dt, LYNC, FE, '%s sip:%s SIP/2.0' % (
            method, 'bob@uclab.org' if method == 'SERVICE' else 'uclab.org'),
            h, body)

    def resp(dt, method, cid, cseq, status, extra=(), body=''):
        t.add(dt, FE, LYNC, 'SIP/2.0 ' + status, [
            'Via: SIP/2.0/TLS %s;branch=z9hG4bK%s%d;ms-received-port=50211;'
            'ms-received-cid=1F00' % (LYNC, cid, cseq),
            'From: <sip:bob@uclab.org>;tag=b0b%s;epid=e1e2e3e4e5' % cid,
            'To: <sip:bob@uclab.org>;tag=9A8B7C6D5E4F', 'Call-ID: ' + cid,
            'CSeq: %d %s' % (cseq, method)] + list(extra) +
            ['Server: RTC/6.0'], body)

    cp = 'certprov1'
    soap = ('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/'
            'soap/envelope/"><SOAP-ENV:Body><m:GetAndPublishCert xmlns:m='
            '"http://schemas.microsoft.com/OCS/AuthWebServices/"/>'
            '</SOAP-ENV:Body></SOAP-ENV:Envelope>')
    ct = ['Content-Type: application/msrtc-category-publish+xml']
    req(0, 'SERVICE', cp, 1, extra=ct, body=soap)
    resp(0.004, 'SERVICE', cp, 1, '401 Unauthorized', [
        'WWW-Authenticate: NTLM %s, %s, version=4' % (REALM, tname),
        'WWW-Authenticate: Kerberos %s, targetname="sip/fe01.uclab.org", '
        'version=4' % REALM])
    req(0.02, 'SERVICE', cp, 2, 'NTLM qop="auth", %s, %s, gssapi-data="", '
        'version=4' % (REALM, tname), ct, soap)
    resp(0.004, 'SERVICE', cp, 2, '401 Unauthorized', [
        'WWW-Authenticate: NTLM opaque="7C1A2B3D", gssapi-data="%s", %s, '
        '%s, version=4' % (NTLM_T2, tname, REALM)])
    req(0.02, 'SERVICE', cp, 3, 'NTLM qop="auth", %s, opaque="7C1A2B3D", %s, '
        'gssapi-data="%s", version=4' % (REALM, tname, NTLM_T3), ct, soap)
    resp(0.05, 'SERVICE', cp, 3, '200 OK', [
        'Authentication-Info: NTLM rspauth="0100000000000000a1b2c3d4'
        '00000000", srand="1A2B3C4D", snum="1", opaque="7C1A2B3D", '
        'qop="auth", %s, %s, version=4' % (tname, REALM)])

    rg = 'tlsdsk1'
    cont = ['Contact: <sip:%s;transport=tls;ms-opaque=f00d>;methods="INVITE, '
            'MESSAGE, INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, '
            'REFER, BENOTIFY";proxy=replace;+sip.instance="<urn:uuid:'
            '0A1B2C3D-4E5F-5A6B-7C8D-9E0F1A2B3C4D>"' % LYNC,
            'Event: registration']
    dsk = 'TLS-DSK qop="auth", %s, %s, ' % (REALM, tname)
    req(0.2, 'REGISTER', rg, 1, extra=cont)
    resp(0.004, 'REGISTER', rg, 1, '401 Unauthorized', [
        'WWW-Authenticate: TLS-DSK %s, %s, version=4, '
        'sts-uri="https://fe01.uclab.org:443/CertProv/'
        'CertProvisioningService.svc"' % (REALM, tname),
        'WWW-Authenticate: NTLM %s, %s, version=4' % (REALM, tname)])
    req(0.02, 'REGISTER', rg, 2, dsk + 'gssapi-data="%s", version=4' % hello,
        cont)
    resp(0.004, 'REGISTER', rg, 2, '401 Unauthorized', [
        'WWW-Authenticate: TLS-DSK opaque="5E6F7A8B", gssapi-data="%s", '
        '%s, %s, version=4' % (server, tname, REALM)])
    req(0.02, 'REGISTER', rg, 3, dsk + 'opaque="5E6F7A8B", gssapi-data="%s", '
        'version=4' % client, cont)
    resp(0.004, 'REGISTER', rg, 3, '401 Unauthorized', [
        'WWW-Authenticate: TLS-DSK opaque="5E6F7A8B", gssapi-data="%s", '
        '%s, %s, version=4' % (fin, tname, REALM)])
    req(0.02, 'REGISTER', rg, 4, dsk + 'opaque="5E6F7A8B", crand="0a1b2c3d", '
        'cnum="1", response="6f0e1d2c3b4a59687766554433221100", version=4',
        cont)
    resp(0.01, 'REGISTER', rg, 4, '200 OK', [
        'Authentication-Info: TLS-DSK opaque="5E6F7A8B", srand="2B3C4D5E", '
        'snum="1", rspauth="00112233445566778899aabbccddeeff", qop="auth", '
        '%s, %s, version=4' % (tname, REALM),
        'Expires: 7200'] + cont[:1])
    t.write('lync-tls-dsk.sngrep.txt')


def lync_kerberos_fallback():
    """An internal user whose Kerberos ticket the front end refuses (a
    wrong SPN, ms-diagnostics 1000): the client falls back to NTLM and
    registers. It works, but the Kerberos problem must not hide."""
    t = T()
    cid = 'krbfb1'
    tname = 'targetname="fe01.uclab.org"'

    def req(dt, cseq, auth=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bKkf%d' % (LYNC, cseq),
             'Max-Forwards: 70',
             'From: <sip:carol@uclab.org>;tag=ca401;epid=c1c2c3c4c5',
             'To: <sip:carol@uclab.org>', 'Call-ID: ' + cid,
             'CSeq: %d REGISTER' % cseq,
             'Contact: <sip:%s;transport=tls>;proxy=replace' % LYNC,
             'User-Agent: UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 '
             '(Skype for Business)']
        if auth:
            h.append('Proxy-Authorization: ' + auth)
        t.add(dt, LYNC, FE, 'REGISTER sip:uclab.org SIP/2.0', h)

    def resp(dt, cseq, status, extra):
        t.add(dt, FE, LYNC, 'SIP/2.0 ' + status, [
            'Via: SIP/2.0/TLS %s;branch=z9hG4bKkf%d' % (LYNC, cseq),
            'From: <sip:carol@uclab.org>;tag=ca401;epid=c1c2c3c4c5',
            'To: <sip:carol@uclab.org>;tag=0F1E2D3C', 'Call-ID: ' + cid,
            'CSeq: %d REGISTER' % cseq] + extra + ['Server: RTC/7.0'])

    offer = ['WWW-Authenticate: NTLM %s, %s, version=4' % (REALM, tname),
             'WWW-Authenticate: Kerberos %s, targetname="sip/fe01.uclab.org",'
             ' version=4' % REALM]
    req(0, 1)
    resp(0.004, 1, '401 Unauthorized', offer)
    req(0.03, 2, 'Kerberos qop="auth", %s, targetname="sip/fe01.uclab.org", '
        'gssapi-data="YIIEmgYJKoZIhvcSAQICAQBu", version=4' % REALM)
    resp(0.004, 2, '401 Unauthorized', offer[:1] + [
        'ms-diagnostics: 1000;reason="Final handshake failed";'
        'HRESULT="0x80090322(SEC_E_WRONG_PRINCIPAL)";source="fe01.uclab.org"'])
    req(0.02, 3, 'NTLM qop="auth", %s, %s, gssapi-data="", version=4' % (
        REALM, tname))
    resp(0.004, 3, '401 Unauthorized', [
        'WWW-Authenticate: NTLM opaque="3E4F5A6B", gssapi-data="%s", %s, '
        '%s, version=4' % (NTLM_T2, tname, REALM)])
    req(0.02, 4, 'NTLM qop="auth", %s, opaque="3E4F5A6B", %s, '
        'gssapi-data="%s", version=4' % (REALM, tname, NTLM_T3))
    resp(0.02, 4, '200 OK', ['Expires: 7200'])
    t.write('lync-kerberos-fallback.sngrep.txt')


def lync_director_redirect():
    """A Lync Director authenticates an internal user (Kerberos) and
    redirects the REGISTER to the user's home pool: 301 Redirect request
    to Home Server, the primary and backup registrars in the Contacts.
    The client then registers with that pool (on another connection, in
    that pool's log): a step of signing in, not a failure. Then a user
    registered with this pool who was moved to another: the refresh is
    redirected to the new home pool."""
    t = T()
    dire = '172.16.5.20:5061'
    krb = ('Kerberos qop="auth", %s, targetname="sip/dir01.uclab.org", '
           'gssapi-data="YIIEmgYJKoZIhvcSAQICAQBu", version=4' % REALM)

    def req(dt, user, cid, cseq, auth=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s%d' % (LYNC, cid, cseq),
             'Max-Forwards: 70',
             'From: <sip:%s@uclab.org>;tag=%s301;epid=d1d2d3d4d5' % (user,
                                                                     user),
             'To: <sip:%s@uclab.org>' % user, 'Call-ID: ' + cid,
             'CSeq: %d REGISTER' % cseq,
             'Contact: <sip:%s;transport=tls>;proxy=replace' % LYNC,
             'User-Agent: UCCAPI/16.0.4849.1000 OC/16.0.4849.1000 '
             '(Skype for Business)']
        if auth:
            h.append('Proxy-Authorization: ' + auth)
        t.add(dt, LYNC, dire, 'REGISTER sip:uclab.org SIP/2.0', h)

    def resp(dt, user, cid, cseq, status, extra):
        t.add(dt, dire, LYNC, 'SIP/2.0 ' + status, [
            'Via: SIP/2.0/TLS %s;branch=z9hG4bK%s%d;ms-received-port=50211;'
            'ms-received-cid=2A00' % (LYNC, cid, cseq),
            'From: <sip:%s@uclab.org>;tag=%s301;epid=d1d2d3d4d5' % (user,
                                                                    user),
            'To: <sip:%s@uclab.org>;tag=5D4C3B2A' % user, 'Call-ID: ' + cid,
            'CSeq: %d REGISTER' % cseq] + extra + ['Server: RTC/7.0'])

    offer = ['WWW-Authenticate: NTLM %s, targetname="dir01.uclab.org", '
             'version=4' % REALM,
             'WWW-Authenticate: Kerberos %s, targetname="sip/dir01.uclab.org",'
             ' version=4' % REALM]
    info = ('Proxy-Authentication-Info: Kerberos qop="auth", '
            'opaque="7D22174B", srand="4F219DA8", snum="1", '
            'rspauth="040401ffffffffff0000000000000000f3ad4a4a3e15044bcae0f9'
            '14", targetname="sip/dir01.uclab.org", %s, version=4' % REALM)
    req(0, 'dave', 'dirredir1', 1)
    resp(0.004, 'dave', 'dirredir1', 1, '401 Unauthorized', offer)
    req(0.03, 'dave', 'dirredir1', 2, krb)
    resp(0.01, 'dave', 'dirredir1', 2, '301 Redirect request to Home Server', [
        info, 'Contact: <sip:pool01.uclab.org:5061;transport=Tls>;q=0.7',
        'Contact: <sip:pool02.uclab.org:5061;transport=Tls>;q=0.3'])
    req(1, 'erin', 'dirredir2', 1)
    resp(0.004, 'erin', 'dirredir2', 1, '401 Unauthorized', offer)
    req(0.03, 'erin', 'dirredir2', 2, krb)
    resp(0.01, 'erin', 'dirredir2', 2, '200 OK', [info, 'Expires: 7200'])
    req(600, 'erin', 'dirredir2', 3, krb)
    resp(0.01, 'erin', 'dirredir2', 3, '301 Redirect request to Home Server', [
        info, 'Contact: <sip:pool02.uclab.org:5061;transport=Tls>;q=0.7'])
    t.write('lync-director-redirect.sngrep.txt')

for f in (digest_stale, digest_reused, digest_wrong_password, digest_forbidden,
          interval_too_brief, interval_gives_up, interval_new_call_id,
          sha256_only, md5_to_sha256,
          new_call_id, new_call_id_two_realms, two_realms_sha256_refused,
          stale_new_call_id, reused_new_call_id,
          wrong_password_new_call_id, rejected_new_call_id,
          md5_to_sha256_new_call_id,
          refresh_fails,
          signout_challenged, unanswered, unanswered_trace_goes_on,
          refresh_trace_end,
          lync_tls_dsk,
          lync_kerberos_fallback, lync_director_redirect,
          invite_407, invite_two_realms, message_options):
    f()
