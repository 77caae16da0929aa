#!/usr/bin/env python3
# Writes the authentication traces of tests/data/auth/ (sngrep text): the
# flows a SIP authentication expert expects rated one way or the other
# (Digest challenges, stale nonces, wrong passwords, 407 on INVITE, 423,
# challenges inside dialogs). The SIP text is written out below; this only
# frames it and counts Content-Length. Deterministic. Run from the
# repository root: python3 tests/data/auth/gen_auth.py
import os

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
           hdr='Authorization'):
    return ('%s: Digest username="%s", realm="%s", nonce="%s", uri="%s", '
            'response="%s", algorithm=MD5, cnonce="a1b2c3d4", qop=auth, '
            'nc=%s' % (hdr, user, realm, nonce, uri, resp, nc))


def challenge(nonce, stale=None, hdr='WWW-Authenticate',
              realm='pbx.example.net'):
    s = '%s: Digest realm="%s", nonce="%s", algorithm=MD5, qop="auth"' % (
        hdr, realm, nonce)
    if stale is not None:
        s += ', stale=%s' % stale
    return s


class Reg:
    """A phone registering with a PBX on one Call-ID."""

    def __init__(self, t, user='2001', cid='reg-2001@10.1.1.21'):
        self.t, self.user, self.cid = t, user, cid
        self.n = 0

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
            'Server: Asterisk PBX 20.5.0'] + list(extra))


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


for f in (digest_stale, digest_reused, digest_wrong_password, digest_forbidden,
          interval_too_brief, interval_gives_up, refresh_fails,
          signout_challenged, unanswered,
          invite_407, invite_two_realms, message_options):
    f()
