#!/usr/bin/env python3
# Writes the reader fixtures under tests/data/ and the sample traces under
# data/. The SIP content is written out by hand below; this script only
# frames it in each log format, computes Content-Length and byte counts,
# and builds real NTLM and GSS-API Kerberos tokens. Deterministic: running
# it again gives the same bytes. Run from the repository root.
import base64
import random
import struct
import os

rng = random.Random(20250311)


def rbytes(n):
    return bytes(rng.getrandbits(8) for _ in range(n))


# ---------------------------------------------------------------- NTLM
NTLM_FLAGS = (0x00000001 | 0x00000004 | 0x00000010 | 0x00000020 |
              0x00000040 | 0x00000200 | 0x00008000 | 0x00010000 |
              0x00080000 | 0x00800000 | 0x02000000 | 0x20000000 |
              0x40000000 | 0x80000000)
VERSION = struct.pack('<BBHxxxB', 6, 1, 7601, 15)   # Windows 7 SP1, rev 15


def u16(s):
    return s.encode('utf-16-le')


def av(t, v):
    return struct.pack('<HH', t, len(v)) + v


def ntlm_challenge(target, nb_computer, dns_domain, dns_computer):
    tname = u16(target)
    tinfo = (av(2, u16(target)) + av(1, u16(nb_computer)) +
             av(4, u16(dns_domain)) + av(3, u16(dns_computer)) +
             av(5, u16(dns_domain)) +
             av(7, struct.pack('<Q', 133862700000000000)) + av(0, b''))
    hdr_len = 56
    msg = b'NTLMSSP\0' + struct.pack('<I', 2)
    msg += struct.pack('<HHI', len(tname), len(tname), hdr_len)
    msg += struct.pack('<I', NTLM_FLAGS)
    msg += rbytes(8) + b'\0' * 8
    msg += struct.pack('<HHI', len(tinfo), len(tinfo), hdr_len + len(tname))
    msg += VERSION
    assert len(msg) == hdr_len
    return msg + tname + tinfo


def ntlm_authenticate(domain, user, workstation):
    dom, usr, ws = u16(domain), u16(user), u16(workstation)
    lm = b'\0' * 24
    blob = (b'\x01\x01\0\0' + b'\0' * 4 +
            struct.pack('<Q', 133862700120000000) + rbytes(8) + b'\0' * 4 +
            av(2, u16(domain)) + av(1, u16('R2EE01')) + av(0, b'') +
            b'\0' * 4)
    nt = rbytes(16) + blob
    key = rbytes(16)
    hdr_len = 88
    off = hdr_len
    fields = b''
    payload = b''
    for part in (lm, nt, dom, usr, ws, key):
        fields += struct.pack('<HHI', len(part), len(part), off)
        payload += part
        off += len(part)
    # Field order on the wire: Lm, Nt, Domain, User, Workstation, Key.
    msg = b'NTLMSSP\0' + struct.pack('<I', 3) + fields
    msg += struct.pack('<I', NTLM_FLAGS & ~0x00000004)
    msg += VERSION + rbytes(16)     # MIC
    assert len(msg) == hdr_len
    return msg + payload


def b64(b):
    return base64.b64encode(b).decode()


# ---------------------------------------------------------------- Kerberos
def der_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xff])


def krb_ap_req_token(size):
    """GSS-API InitialContextToken: 0x60 len, OID 1.2.840.113554.1.2.2,
    token id 01 00, then an AP-REQ [APPLICATION 14] whose insides are
    random (they would be encrypted anyway)."""
    inner = (b'\x30\x82' + struct.pack('>H', size) +
             b'\xa0\x03\x02\x01\x05' + b'\xa1\x03\x02\x01\x0e' +
             rbytes(size - 10))
    ap = b'\x6e' + der_len(len(inner)) + inner
    oid = b'\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02'
    body = oid + b'\x01\x00' + ap
    return b'\x60' + der_len(len(body)) + body


def krb_ap_rep_hex():
    return '602306092A864886F71201020202006F1430' + rbytes(10).hex().upper()


# ---------------------------------------------------------------- framing
class Msg:
    """One SIP message as it crossed the wire, seen from the log's side:
    dir 'in' came from peer to local, 'out' went from local to peer."""

    def __init__(self, t, d, peer, start, headers, body=None, local=None):
        self.t = t              # 'HH:MM:SS.ffffff'
        self.dir = d
        self.peer = peer
        self.local = local
        self.start = start
        self.headers = headers
        self.body = body or []  # lines

    def body_bytes(self, eol):
        return ''.join(l + eol for l in self.body)

    def header_lines(self, eol):
        cl = len(self.body_bytes(eol).encode())
        # A '\n' inside a header is a folded continuation line.
        return [h.replace('%CL%', str(cl)).replace('\n', eol)
                for h in self.headers]

    def wire(self, eol, cl_eol=None):
        # cl_eol: the line ends Content-Length counts, when the log
        # rewrote them (client logs write LF for the wire's CRLF).
        hl = self.header_lines(cl_eol or eol)
        return (self.start + eol + ''.join(h.replace(cl_eol or eol, eol) +
                eol for h in hl) + eol + self.body_bytes(eol))

    def is_request(self):
        return not self.start.startswith('SIP/2.0 ')


def mdy(date):
    y, m, d = date.split('-')
    return '%s/%s/%s' % (m, d, y)


def cls_stamp(date, t, seq):
    return '%s-%s.%08x' % (mdy(date), t[:12], seq)


class Cls:
    """A server SIPStack log. host None gives the old "[0]" bracket."""

    def __init__(self, date, eol='\n', host=None, pidtid='0A1C.0B2C'):
        self.date = date
        self.eol = eol
        self.host = host
        self.pidtid = pidtid
        self.seq = 0x3c0
        self.corr = 2003888960
        self.out = []

    def bracket(self):
        return '[%s\\%s]' % (self.host, self.host) if self.host else '[0]'

    def head(self, level, flag, t, func, line):
        self.seq += 1
        self.corr += 1
        h = '%s(%s) %s%s::%s (SIPStack,SIPAdminLog::%s:SIPAdminLog.cpp(%d))' % (
            level, flag, self.bracket(), self.pidtid,
            cls_stamp(self.date, t, self.seq), func, line)
        if self.host:
            h += ' [%d] ' % self.corr
        return h + '$$begin_record'

    def msg(self, m, cut=None):
        e = self.eol
        lines = [self.head('TL_INFO', 'TF_PROTOCOL', m.t,
                           'TraceProtocolRecord', 125),
                 'Trace-Correlation-Id: %d' % self.corr,
                 'Instance-Id: %08X' % self.seq,
                 'Direction: %s' % ('incoming' if m.dir == 'in' else
                                    'outgoing'),
                 'Peer: %s' % m.peer,
                 'Message-Type: %s' % ('request' if m.is_request() else
                                       'response'),
                 'Start-Line: %s' % m.start]
        lines += m.header_lines(e)
        text = e.join(lines) + e
        body = m.body_bytes(e)
        text += 'Message-Body: ' + (body if body else '-' + e)
        text += '$$end_record' + e
        if cut is not None:
            text = text[:cut]
        self.out.append(text)

    def diag(self, level, flag, t, fields, func='TraceDiagRecord', line=143):
        e = self.eol
        text = e.join([self.head(level, flag, t, func, line)] + fields +
                      ['$$end_record']) + e
        self.out.append(text)

    def raw(self, text):
        self.out.append(text.replace('\n', self.eol))

    def text(self):
        return ''.join(self.out)


class Ucc:
    """A client .uccapilog."""

    def __init__(self, date, local, eol='\n', pidtid='1A2C:1B30'):
        self.date = date
        self.local = local
        self.eol = eol
        self.pidtid = pidtid
        self.out = []

    def prefix(self, t, level='INFO '):
        return '%s|%s %s %s :: ' % (mdy(self.date), t[:12], self.pidtid,
                                    level)

    def line(self, t, text, level='INFO '):
        self.out.append(self.prefix(t, level) + text + self.eol)

    def plain(self, text):
        self.out.append(text + self.eol)

    def msg(self, m, cut=None):
        e = self.eol
        w = m.wire(e, '\r\n')
        # The client counts the bytes on the wire (CRLF), whatever line
        # ends it writes to the log.
        n = len(m.wire('\r\n').encode())
        if m.dir == 'out':
            tag = 'Sending Packet - %s (From Local Address: %s) %d bytes' % (
                m.peer, self.local, n)
        else:
            tag = 'Data Received - %s (To Local Address: %s) %d bytes' % (
                m.peer, self.local, n)
        text = self.prefix(m.t) + tag + ':' + e + self.prefix(m.t) + w
        if not w.endswith(e):
            text += e
        text += self.prefix(m.t) + 'End of ' + tag + e
        if cut is not None:
            text = text[:cut]
        self.out.append(text)

    def text(self):
        return ''.join(self.out)


def sngrep(date, msgs):
    out = []
    for m, src, dst in msgs:
        out.append('%s %s %s -> %s\n%s\n\n' % (
            date.replace('-', '/'), m.t, src, dst, m.wire('\r\n')))
    return ''.join(out)


def raw(msgs, sep=''):
    return sep.join(m.wire('\r\n') for m in msgs)


def write(path, text):
    with open(path, 'w', newline='', encoding='utf-8') as f:
        f.write(text)
    print('%-36s %7d bytes' % (path, len(text.encode())))


# ---------------------------------------------------------------- content
REALM = 'realm="SIP Communications Service"'
CONTACT_OC = ('<sip:%s;transport=tls;ms-opaque=%s>;methods="INVITE, MESSAGE, '
              'INFO, SUBSCRIBE, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, '
              'BENOTIFY";proxy=replace;+sip.instance="<urn:uuid:%s>"')
UA_LYNC = 'UCCAPI/4.0.7577.4446 OC/4.0.7577.4446 (Microsoft Lync 2010)'
SUPPORTED = ['Supported: gruu-10, adhoclist, msrtc-event-categories',
             'Supported: ms-forking', 'Supported: ms-cluster-failover',
             'Supported: ms-userservices-state-notification']


def remote_ntlm():
    """izabelaf, at home, registers through the Access Edge with NTLM."""
    cli = '198.51.100.23:49721'
    edge = '203.0.113.10:443'
    cid = '9f6c1d2e4b7a4c0e8d3b5a6f7e8c9d01'
    ftag = '3a9e5c71d0'
    ttag = 'B5D1E5A2C44D4F0E9A6B7C8D9E0F1A2B'
    epid = '4f2a8b6c1e'
    contact = 'Contact: ' + CONTACT_OC % (cli, '5c8d2e7f41',
                                          'F2A5C6D7-1B3E-5A9C-8D4E-2B6F7A8C9D0E')
    tname = 'targetname="R2EE01.uclab.org"'
    opaque = 'opaque="7D3E1A94"'
    type2 = b64(ntlm_challenge('UCLAB', 'R2EE01', 'uclab.org',
                               'R2EE01.uclab.org'))
    type3 = b64(ntlm_authenticate('UCLAB', 'izabelaf', 'IZABELAF-LT'))

    def reg(cseq, branch, auth=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s' % (cli, branch),
             'Max-Forwards: 70',
             'From: <sip:izabelaf@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
             'To: <sip:izabelaf@uclab.org>',
             'Call-ID: %s' % cid,
             'CSeq: %d REGISTER' % cseq,
             contact,
             'User-Agent: ' + UA_LYNC] + SUPPORTED + [
             'ms-keep-alive: UAC;hop-hop=yes',
             'Event: registration']
        if auth:
            h.append(auth)
        return h + ['Content-Length: %CL%']

    def resp(cseq, branch, extra):
        return (['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s;ms-received-port=%s;'
                 'ms-received-cid=2E00' % (cli, branch, cli.split(':')[1]),
                 'From: <sip:izabelaf@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
                 'To: <sip:izabelaf@uclab.org>;tag=%s' % ttag,
                 'Call-ID: %s' % cid,
                 'CSeq: %d REGISTER' % cseq] + extra +
                ['Server: RTC/4.0', 'Content-Length: %CL%'])

    ms = [
        Msg('08:01:12.415000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(1, '6e1b04a7c2')),
        Msg('08:01:12.448000', 'out', cli, 'SIP/2.0 401 Unauthorized',
            resp(1, '6e1b04a7c2', [
                'Date: Tue, 11 Mar 2025 08:01:12 GMT',
                'WWW-Authenticate: NTLM %s, %s, version=4' % (REALM, tname),
                'ms-user-logon-data: RemoteUser'])),
        Msg('08:01:12.503000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(2, '0d7f3a5b91',
                'Proxy-Authorization: NTLM qop="auth", %s, %s, '
                'gssapi-data="", version=4' % (REALM, tname))),
        Msg('08:01:12.539000', 'out', cli, 'SIP/2.0 401 Unauthorized',
            resp(2, '0d7f3a5b91', [
                'Date: Tue, 11 Mar 2025 08:01:12 GMT',
                'WWW-Authenticate: NTLM %s, gssapi-data="%s", %s, %s, '
                'version=4' % (opaque, type2, tname, REALM),
                'ms-user-logon-data: RemoteUser'])),
        Msg('08:01:12.597000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(3, 'a4c2e9170b',
                'Proxy-Authorization: NTLM qop="auth", %s, %s, %s, '
                'gssapi-data="%s", version=4, crand="8e1f4a2c", cnum="1", '
                'response="0100000045d2a8c97be3f10464000000"' % (
                    REALM, opaque, tname, type3))),
        Msg('08:01:12.661000', 'out', cli, 'SIP/2.0 200 OK',
            resp(3, 'a4c2e9170b', [
                'Contact: <sip:%s;transport=tls;ms-opaque=5c8d2e7f41;'
                'ms-received-cid=2E00>;expires=7200;+sip.instance='
                '"<urn:uuid:F2A5C6D7-1B3E-5A9C-8D4E-2B6F7A8C9D0E>";'
                'gruu="sip:izabelaf@uclab.org;opaque=user:epid:'
                'x7Bn2cW1bF6oTq3rJ9sD4A;gruu"' % cli,
                'Expires: 7200',
                'presence-state: register-action="added"',
                'Allow-Events: vnd-microsoft-provisioning,vnd-microsoft-'
                'roaming-contacts,vnd-microsoft-roaming-ACL,presence,'
                'presence.wpending,vnd-microsoft-roaming-self,'
                'vnd-microsoft-provisioning-v2',
                'Supported: adhoclist, msrtc-event-categories',
                'Supported: ms-userservices-state-notification',
                'Authentication-Info: NTLM rspauth="0100000000000000'
                '2C7E9A41D3B86F05", srand="61C4A39B", snum="1", %s, '
                'qop="auth", %s, %s' % (opaque, tname, REALM),
                'ms-user-logon-data: RemoteUser'])),
    ]
    return ms, cli, edge


def internal_kerberos():
    """marinof, on the office LAN, registers with Kerberos."""
    cli = '172.31.255.247:51311'
    fe = '172.31.255.222:5061'
    cid = '2b8e4f1a6c3d4e9fa07b5c2d1e3f4a5b'
    ftag = '8c41e0b7f2'
    ttag = '4D2C1B0A99887766554433221100FFEE'
    epid = '7a1c3e5b9d'
    contact = 'Contact: ' + CONTACT_OC % (cli, '91b3d4e5f6',
                                          '0C4E7D21-6A5F-5B3C-9E1D-7F8A2B4C6D8E')
    tname_k = 'targetname="sip/R2EE01.uclab.org"'
    tname_n = 'targetname="R2EE01.uclab.org"'
    token = b64(krb_ap_req_token(1180))

    def reg(cseq, branch, auth=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s' % (cli, branch),
             'Max-Forwards: 70',
             'From: <sip:marinof@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
             'To: <sip:marinof@uclab.org>',
             'Call-ID: %s' % cid,
             'CSeq: %d REGISTER' % cseq,
             contact,
             'User-Agent: ' + UA_LYNC] + SUPPORTED + [
             'ms-keep-alive: UAC;hop-hop=yes',
             'Event: registration']
        if auth:
            h.append(auth)
        return h + ['Content-Length: %CL%']

    def resp(cseq, branch, extra):
        return (['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s;ms-received-port=%s;'
                 'ms-received-cid=1F00' % (cli, branch, cli.split(':')[1]),
                 'From: <sip:marinof@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
                 'To: <sip:marinof@uclab.org>;tag=%s' % ttag,
                 'Call-ID: %s' % cid,
                 'CSeq: %d REGISTER' % cseq] + extra +
                ['Server: RTC/4.0', 'Content-Length: %CL%'])

    ms = [
        Msg('08:03:40.102000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(1, 'c19e7a3f02')),
        Msg('08:03:40.117000', 'out', cli, 'SIP/2.0 401 Unauthorized',
            resp(1, 'c19e7a3f02', [
                'Date: Tue, 11 Mar 2025 08:03:40 GMT',
                'WWW-Authenticate: Kerberos %s, %s, version=4' % (REALM,
                                                                  tname_k),
                'WWW-Authenticate: NTLM %s, %s, version=4' % (REALM,
                                                              tname_n)])),
        Msg('08:03:40.164000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(2, '5b8d0e2c74',
                'Proxy-Authorization: Kerberos qop="auth", %s, %s, '
                'gssapi-data="%s", version=4' % (REALM, tname_k, token))),
        Msg('08:03:40.201000', 'out', cli, 'SIP/2.0 200 OK',
            resp(2, '5b8d0e2c74', [
                'Contact: <sip:%s;transport=tls;ms-opaque=91b3d4e5f6;'
                'ms-received-cid=1F00>;expires=7200;+sip.instance='
                '"<urn:uuid:0C4E7D21-6A5F-5B3C-9E1D-7F8A2B4C6D8E>";'
                'gruu="sip:marinof@uclab.org;opaque=user:epid:'
                'Qm4vR8sK2eT6yU1iO3pA5w;gruu"' % cli,
                'Expires: 7200',
                'presence-state: register-action="added"',
                'Proxy-Authentication-Info: Kerberos rspauth="%s", '
                'srand="3F8A61D2", snum="1", opaque="E20B7C45", '
                'qop="auth", %s, %s' % (krb_ap_rep_hex(), tname_k, REALM)])),
    ]
    return ms, cli, fe


def lync_sdp(ip, port):
    return ['v=0',
            'o=- 0 0 IN IP4 %s' % ip,
            's=session',
            'c=IN IP4 %s' % ip,
            'b=CT:99980',
            't=0 0',
            'm=audio %d RTP/AVP 114 9 112 111 0 8 116 115 4 97 13 118 101' %
            port,
            'a=candidate:1 1 UDP 2130706431 %s %d typ host' % (ip, port),
            'a=candidate:1 2 UDP 2130705918 %s %d typ host' % (ip, port + 1),
            'a=label:main-audio',
            'a=rtcp:%d' % (port + 1),
            'a=rtpmap:114 x-msrta/16000',
            'a=fmtp:114 bitrate=29000',
            'a=rtpmap:9 G722/8000',
            'a=rtpmap:112 G7221/16000',
            'a=fmtp:112 bitrate=24000',
            'a=rtpmap:111 SIREN/16000',
            'a=rtpmap:0 PCMU/8000',
            'a=rtpmap:8 PCMA/8000',
            'a=rtpmap:101 telephone-event/8000',
            'a=fmtp:101 0-16',
            'a=encryption:rejected']


class Call:
    """A Lync call seen by the front end on the caller's leg."""

    def __init__(self, caller, callee, cli, cid, ftag, ttag, epid, branch):
        self.caller, self.callee, self.cli = caller, callee, cli
        self.cid, self.ftag, self.ttag = cid, ftag, ttag
        self.epid, self.branch = epid, branch

    def req(self, method, cseq, branch=None, totag=True, extra=(),
            ct=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s' % (
                self.cli, branch or self.branch),
             'Max-Forwards: 70',
             'From: "%s"<sip:%s@uclab.org>;tag=%s;epid=%s' % (
                 self.caller.capitalize(), self.caller, self.ftag, self.epid),
             'To: <sip:%s@uclab.org>%s' % (
                 self.callee, ';tag=' + self.ttag if totag else ''),
             'Call-ID: %s' % self.cid,
             'CSeq: %d %s' % (cseq, method)]
        h += list(extra)
        if ct:
            h.append('Content-Type: ' + ct)
        return h + ['Content-Length: %CL%']

    def resp(self, cseq, method, branch=None, totag=True, extra=(),
             ct=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s;ms-received-port=%s;'
             'ms-received-cid=1F00' % (self.cli, branch or self.branch,
                                        self.cli.split(':')[1]),
             'From: "%s"<sip:%s@uclab.org>;tag=%s;epid=%s' % (
                 self.caller.capitalize(), self.caller, self.ftag, self.epid),
             'To: <sip:%s@uclab.org>%s' % (
                 self.callee, ';tag=' + self.ttag if totag else ''),
             'Call-ID: %s' % self.cid,
             'CSeq: %d %s' % (cseq, method)]
        h += list(extra)
        if ct:
            h.append('Content-Type: ' + ct)
        return h + ['Content-Length: %CL%']


def invite_extra(c):
    return ['Contact: <sip:%s@uclab.org;opaque=user:epid:%s;gruu>' % (
                c.caller, c.epid),
            'User-Agent: ' + UA_LYNC,
            'Supported: ms-dialog-route-set-update', 'Supported: timer',
            'Supported: histinfo', 'Supported: ms-safe-transfer',
            'Supported: ms-sender', 'Supported: ms-early-media',
            'Supported: 100rel',
            'ms-keep-alive: UAC;hop-hop=yes',
            'Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, REFER, NOTIFY, '
            'BENOTIFY, OPTIONS',
            'ms-subnet: 172.31.255.0',
            'Accept-Language: en-US',
            'ms-endpoint-location-data: NetworkScope;ms-media-location-type='
            'Intranet',
            'Ms-Conversation-ID: Ac2R3pLmA8x4q9v1+ZkTzQ5fK7c=']


def call_cancel(cli):
    c = Call('marinof', 'ivanas', cli, 'e3a91c5f0b2d47c8a6e1f93d4b7c2a80',
             '5d0f2e9a1c', '8E3C5A7B', '7a1c3e5b9d', '2f91c6a4d8')
    ip = cli.split(':')[0]
    fe_rr = 'Record-Route: <sip:R2EE01.uclab.org:5061;transport=tls;' \
            'opaque=state:T;lr>'
    ms = [
        Msg('08:14:02.311000', 'in', cli,
            'INVITE sip:ivanas@uclab.org SIP/2.0',
            c.req('INVITE', 1, totag=False, extra=invite_extra(c),
                  ct='application/sdp'),
            lync_sdp(ip, 22736)),
        Msg('08:14:02.318000', 'out', cli, 'SIP/2.0 100 Trying',
            c.resp(1, 'INVITE', totag=False, extra=['Server: RTC/4.0'])),
        Msg('08:14:02.702000', 'out', cli, 'SIP/2.0 180 Ringing',
            c.resp(1, 'INVITE', extra=[
                fe_rr,
                'Contact: <sip:ivanas@uclab.org;opaque=user:epid:'
                'Lk2pQ7wZ9tS1xV4nB6mC0g;gruu>',
                'User-Agent: ' + UA_LYNC,
                'P-Asserted-Identity: "Ivana S"<sip:ivanas@uclab.org>'])),
        Msg('08:14:09.955000', 'in', cli,
            'CANCEL sip:ivanas@uclab.org SIP/2.0',
            c.req('CANCEL', 1, totag=False, extra=[
                'User-Agent: ' + UA_LYNC,
                'Reason: SIP;cause=487;text="Call cancelled by caller"'])),
        Msg('08:14:09.961000', 'out', cli, 'SIP/2.0 200 OK',
            c.resp(1, 'CANCEL', totag=False, extra=['Server: RTC/4.0'])),
        Msg('08:14:10.012000', 'out', cli, 'SIP/2.0 487 Request Terminated',
            c.resp(1, 'INVITE', extra=[
                'ms-diagnostics: 10020;reason="Call cancelled by caller";'
                'source="R2EE01.uclab.org"',
                'Server: RTC/4.0'])),
        Msg('08:14:10.031000', 'in', cli,
            'ACK sip:ivanas@uclab.org SIP/2.0',
            c.req('ACK', 1)),
    ]
    diags = [
        ('TL_WARN', '08:14:09.958000', [
            'LogType: diagnostic',
            'Severity: warning',
            'Text: Call was cancelled before the callee answered',
            'Result-Code: 0x00002724',
            'SIP-Start-Line: CANCEL sip:ivanas@uclab.org SIP/2.0',
            'SIP-Call-ID: %s' % c.cid,
            'SIP-CSeq: 1 CANCEL',
            'Peer: %s' % cli]),
        ('TL_ERROR', '08:14:10.014000', [
            'LogType: diagnostic',
            'Severity: error',
            'Text: Forking branch to 172.31.255.248:49870 failed with '
            '487 after cancel; no other branch answered',
            'Result-Code: 0xC3E93D6B SIPPROXY_E_REQUEST_CANCELLED',
            'SIP-Start-Line: INVITE sip:ivanas@uclab.org SIP/2.0',
            'SIP-Call-ID: %s' % c.cid,
            'SIP-CSeq: 1 INVITE',
            'Peer: 172.31.255.248:49870',
            'Data: destination="sip:ivanas@uclab.org"']),
    ]
    return ms, diags, c


def call_ok(cli):
    c = Call('marinof', 'petrak', cli, '1c7d9e3a5b0f42d6b8a4c2e0f1d3b5a7',
             'a2c4e6f801', '6B9D1F3E', '7a1c3e5b9d', '93b5d7f1a2')
    ip = cli.split(':')[0]
    contact_b = ('Contact: <sip:petrak@uclab.org;opaque=user:epid:'
                 'Hy6tG2fR8eW3qA9sD1kL5z;gruu>')
    return [
        Msg('08:21:30.120000', 'in', cli,
            'INVITE sip:petrak@uclab.org SIP/2.0',
            c.req('INVITE', 1, totag=False, extra=invite_extra(c),
                  ct='application/sdp'), lync_sdp(ip, 17210)),
        Msg('08:21:30.126000', 'out', cli, 'SIP/2.0 100 Trying',
            c.resp(1, 'INVITE', totag=False, extra=['Server: RTC/4.0'])),
        Msg('08:21:30.540000', 'out', cli, 'SIP/2.0 180 Ringing',
            c.resp(1, 'INVITE', extra=[contact_b,
                                       'User-Agent: ' + UA_LYNC])),
        Msg('08:21:33.877000', 'out', cli, 'SIP/2.0 200 OK',
            c.resp(1, 'INVITE', extra=[
                contact_b, 'User-Agent: ' + UA_LYNC,
                'Session-Expires: 720;refresher=uac',
                'Allow: INVITE, BYE, ACK, CANCEL, INFO, UPDATE, REFER, '
                'NOTIFY, BENOTIFY, OPTIONS'], ct='application/sdp'),
            lync_sdp('172.31.255.249', 30412)),
        Msg('08:21:33.902000', 'in', cli,
            'ACK sip:petrak@uclab.org;opaque=user:epid:'
            'Hy6tG2fR8eW3qA9sD1kL5z;gruu SIP/2.0',
            c.req('ACK', 1, branch='c8e0a2b4d6')),
        Msg('08:24:05.410000', 'in', cli,
            'BYE sip:petrak@uclab.org;opaque=user:epid:'
            'Hy6tG2fR8eW3qA9sD1kL5z;gruu SIP/2.0',
            c.req('BYE', 2, branch='e4f6a8c0b2',
                  extra=['User-Agent: ' + UA_LYNC])),
        Msg('08:24:05.433000', 'out', cli, 'SIP/2.0 200 OK',
            c.resp(2, 'BYE', branch='e4f6a8c0b2',
                   extra=['User-Agent: ' + UA_LYNC])),
    ]


def call_busy_lync(cli):
    c = Call('marinof', 'dusanm', cli, '7e2a4c6b8d0f41a3b5c7d9e1f3a5b7c9',
             'f1e3d5c7b9', '2A4C6E80', '7a1c3e5b9d', '0a2c4e6b8d')
    ip = cli.split(':')[0]
    return [
        Msg('08:32:11.004000', 'in', cli,
            'INVITE sip:dusanm@uclab.org SIP/2.0',
            c.req('INVITE', 1, totag=False, extra=invite_extra(c),
                  ct='application/sdp'), lync_sdp(ip, 25106)),
        Msg('08:32:11.010000', 'out', cli, 'SIP/2.0 100 Trying',
            c.resp(1, 'INVITE', totag=False, extra=['Server: RTC/4.0'])),
        Msg('08:32:11.386000', 'out', cli, 'SIP/2.0 486 Busy Here',
            c.resp(1, 'INVITE', extra=[
                'ms-diagnostics: 10008;reason="Callee is busy on another '
                'call";source="R2EE01.uclab.org"',
                'Reason: SIP;cause=486;text="Busy Here"',
                'Server: RTC/4.0'])),
        Msg('08:32:11.401000', 'in', cli,
            'ACK sip:dusanm@uclab.org SIP/2.0', c.req('ACK', 1)),
    ]


def reg_rejected():
    """petrak's account is disabled for SIP: the credentials are right,
    the registrar still says no."""
    cli = '172.31.255.250:50933'
    cid = '4d6f8a0c2e1b43d5a7c9e0f2b4d6a8c1'
    ftag, epid, ttag = '0b2d4f6a8c', 'c3e5a7b9d1', '91A3B5C7D9E1F3A5B7C9D1E3F5A7B9C1'
    contact = 'Contact: ' + CONTACT_OC % (cli, 'e1f2a3b4c5',
                                          '5E7A9C1B-3D2F-5A4B-8C6D-1E2F3A4B5C6D')
    tname = 'targetname="R2EE01.uclab.org"'
    type3 = b64(ntlm_authenticate('UCLAB', 'petrak', 'PETRAK-PC'))

    def reg(cseq, branch, auth=None):
        h = ['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s' % (cli, branch),
             'Max-Forwards: 70',
             'From: <sip:petrak@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
             'To: <sip:petrak@uclab.org>',
             'Call-ID: %s' % cid, 'CSeq: %d REGISTER' % cseq, contact,
             'User-Agent: ' + UA_LYNC] + SUPPORTED + [
             'Event: registration']
        return h + ([auth] if auth else []) + ['Content-Length: %CL%']

    def resp(cseq, branch, extra):
        return (['Via: SIP/2.0/TLS %s;branch=z9hG4bK%s;ms-received-port=%s;'
                 'ms-received-cid=3A00' % (cli, branch, cli.split(':')[1]),
                 'From: <sip:petrak@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
                 'To: <sip:petrak@uclab.org>;tag=%s' % ttag,
                 'Call-ID: %s' % cid, 'CSeq: %d REGISTER' % cseq] + extra +
                ['Server: RTC/4.0', 'Content-Length: %CL%'])

    return [
        Msg('08:40:51.220000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(1, '1f3e5d7c9b')),
        Msg('08:40:51.231000', 'out', cli, 'SIP/2.0 401 Unauthorized',
            resp(1, '1f3e5d7c9b', [
                'WWW-Authenticate: NTLM %s, %s, version=4' % (REALM,
                                                              tname)])),
        Msg('08:40:51.302000', 'in', cli, 'REGISTER sip:uclab.org SIP/2.0',
            reg(2, '8a6c4e2f0d',
                'Proxy-Authorization: NTLM qop="auth", %s, opaque='
                '"5B2D9F13", %s, gssapi-data="%s", version=4, '
                'crand="2d4f6a8c", cnum="1", response='
                '"01000000f3a1c5e79b2d4f6064000000"' % (REALM, tname, type3))),
        Msg('08:40:51.338000', 'out', cli, 'SIP/2.0 403 Forbidden',
            resp(2, '8a6c4e2f0d', [
                'ms-diagnostics: 4005;reason="User is not enabled for SIP '
                'or does not exist";source="R2EE01.uclab.org"'])),
    ], cli


def subscribe_notify(cli):
    cid = '6a8c0e2f4b1d43a5c7e9f1b3d5a7c9e2'
    ftag, epid, ttag = 'd7f9b1c3e5', '7a1c3e5b9d', '13579BDF'
    body_sub = ['<batchSub xmlns="http://schemas.microsoft.com/2006/01/sip/'
                'batch-subscribe" uri="sip:marinof@uclab.org" name="">',
                '<action name="subscribe" id="61712">',
                '<adhocList>',
                '<resource uri="sip:petrak@uclab.org"/>',
                '<resource uri="sip:ivanas@uclab.org"/>',
                '</adhocList>',
                '<categoryList xmlns="http://schemas.microsoft.com/2006/09/'
                'sip/categorylist">',
                '<category name="state"/>',
                '<category name="note"/>',
                '</categoryList>',
                '</action>',
                '</batchSub>']
    body_not = ['<categories xmlns="http://schemas.microsoft.com/2006/09/sip/'
                'categories" uri="sip:petrak@uclab.org">',
                '<category name="state" instance="0" publishTime='
                '"2025-03-11T08:05:17.420">',
                '<state xsi:type="aggregateState" xmlns:xsi="http://www.w3.'
                'org/2001/XMLSchema-instance" xmlns="http://schemas.'
                'microsoft.com/2006/09/sip/state"><availability>3500'
                '</availability></state>',
                '</category>',
                '</categories>']
    via = 'Via: SIP/2.0/TLS %s;branch=z9hG4bK%s'
    fr = 'From: <sip:marinof@uclab.org>;tag=%s;epid=%s' % (ftag, epid)
    to = 'To: <sip:marinof@uclab.org>'
    return [
        Msg('08:05:17.388000', 'in', cli, 'SUBSCRIBE sip:marinof@uclab.org '
            'SIP/2.0', [via % (cli, '4c6e8a0b2d'), 'Max-Forwards: 70', fr, to,
                        'Call-ID: ' + cid, 'CSeq: 1 SUBSCRIBE',
                        'Contact: <sip:marinof@uclab.org;opaque=user:epid:'
                        'Zx1cV5bN7mQ2wE4rT6yU8i;gruu>',
                        'User-Agent: ' + UA_LYNC,
                        'Event: presence', 'Accept: application/msrtc-'
                        'event-categories+xml, application/rlmi+xml',
                        'Supported: com.microsoft.autoextend',
                        'Supported: ms-benotify', 'Supported: ms-piggyback-'
                        'first-notify', 'Require: adhoclist, categoryList',
                        'Content-Type: application/msrtc-adrl-categorylist+'
                        'xml', 'Content-Length: %CL%'], body_sub),
        Msg('08:05:17.431000', 'out', cli, 'SIP/2.0 200 OK',
            [via % (cli, '4c6e8a0b2d') + ';ms-received-port=51311;'
             'ms-received-cid=1F00', fr, to + ';tag=' + ttag,
             'Call-ID: ' + cid, 'CSeq: 1 SUBSCRIBE',
             'Contact: <sip:R2EE01.uclab.org:5061;transport=tls>',
             'Expires: 33678', 'Event: presence',
             'Content-Type: application/msrtc-event-categories+xml',
             'subscription-state: active;expires=33678', 'Server: RTC/4.0',
             'Content-Length: %CL%'], body_not),
        Msg('08:09:44.902000', 'out', cli, 'BENOTIFY sip:%s;transport=tls;'
            'ms-opaque=91b3d4e5f6;ms-received-cid=1F00 SIP/2.0' % cli,
            ['Via: SIP/2.0/TLS 172.31.255.222:5061;branch=z9hG4bK7b9d1f3a5c'
             ';branched=FALSE', 'Max-Forwards: 70',
             'To: <sip:marinof@uclab.org>;tag=%s;epid=%s' % (ftag, epid),
             'From: <sip:marinof@uclab.org>;tag=' + ttag,
             'Call-ID: ' + cid, 'CSeq: 2 BENOTIFY', 'Event: presence',
             'subscription-state: active;expires=33410',
             'Content-Type: application/msrtc-event-categories+xml',
             'Content-Length: %CL%'],
            [b.replace('3500', '6500').replace('08:05:17', '08:09:44')
             for b in body_not]),
    ]


def digest_response(user, realm, pw, method, uri, nonce, nc, cnonce, qop):
    import hashlib

    def md5(s):
        return hashlib.md5(s.encode()).hexdigest()
    ha1 = md5('%s:%s:%s' % (user, realm, pw))
    ha2 = md5('%s:%s' % (method, uri))
    return md5('%s:%s:%s:%s:%s:%s' % (ha1, nonce, nc, cnonce, qop, ha2))


def generic_sdp(ip, port, sess):
    return ['v=0', 'o=- %d %d IN IP4 %s' % (sess, sess, ip), 's=-',
            'c=IN IP4 %s' % ip, 't=0 0',
            'm=audio %d RTP/AVP 0 8 101' % port,
            'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
            'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16',
            'a=ptime:20', 'a=sendrecv']


def digest_sngrep():
    ph = '10.0.0.51:5060'
    pbx = '10.0.0.10:5060'
    ua = 'User-Agent: Yealink SIP-T46S 66.86.0.15'
    srv = 'Server: Asterisk PBX 18.20.2'
    rcid = '0_2835417301@10.0.0.51'
    nonce = '1741680311/5b0c7e2d9a4f1c36e8b2d0a47f95c318'
    resp = digest_response('1001', 'asterisk', 'Tr0ub4dor&3', 'REGISTER',
                           'sip:10.0.0.10:5060', nonce, '00000001',
                           '6f3c2a1e', 'auth')
    rh = lambda cseq, br, auth=None: (
        ['Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport' % (ph, br),
         'From: "1001" <sip:1001@10.0.0.10>;tag=3047615824',
         'To: "1001" <sip:1001@10.0.0.10>', 'Call-ID: ' + rcid,
         'CSeq: %d REGISTER' % cseq,
         'Contact: <sip:1001@10.0.0.51:5060>', 'Max-Forwards: 70', ua,
         'Expires: 3600', 'Allow: INVITE, ACK, OPTIONS, CANCEL, BYE, '
         'SUBSCRIBE, NOTIFY, INFO, REFER, UPDATE'] +
        ([auth] if auth else []) + ['Content-Length: %CL%'])
    rr = lambda cseq, br, extra: (
        ['Via: SIP/2.0/UDP %s;rport=5060;received=10.0.0.51;branch=z9hG4bK%s'
         % (ph, br), 'Call-ID: ' + rcid,
         'From: "1001" <sip:1001@10.0.0.10>;tag=3047615824',
         'To: "1001" <sip:1001@10.0.0.10>;tag=z9hG4bK%s' % br,
         'CSeq: %d REGISTER' % cseq, srv,
         'Allow: OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, '
         'ACK, BYE, CANCEL, UPDATE, PRACK, MESSAGE, REFER',
         'Supported: 100rel, timer, replaces, norefersub'] + extra +
        ['Content-Length: %CL%'])
    regs = [
        (Msg('09:15:11.204118', 'out', pbx, 'REGISTER sip:10.0.0.10:5060 '
             'SIP/2.0', rh(1, '1960421837')), ph, pbx),
        (Msg('09:15:11.205032', 'in', pbx, 'SIP/2.0 401 Unauthorized',
             rr(1, '1960421837', [
                 'WWW-Authenticate: Digest realm="asterisk",nonce="%s",'
                 'opaque="4e1a7c20593b6d18",algorithm=MD5,qop="auth"' %
                 nonce])), pbx, ph),
        (Msg('09:15:11.219770', 'out', pbx, 'REGISTER sip:10.0.0.10:5060 '
             'SIP/2.0', rh(2, '0285931664',
                           'Authorization: Digest username="1001", '
                           'realm="asterisk", nonce="%s", uri="sip:10.0.0.10:'
                           '5060", response="%s", opaque="4e1a7c20593b6d18",'
                           ' algorithm=MD5, cnonce="6f3c2a1e", qop=auth, '
                           'nc=00000001' % (nonce, resp))), ph, pbx),
        (Msg('09:15:11.221541', 'in', pbx, 'SIP/2.0 200 OK',
             rr(2, '0285931664', [
                 'Expires: 3600',
                 'Contact: <sip:1001@10.0.0.51:5060>;expires=3599',
                 'Date: Tue, 11 Mar 2025 09:15:11 GMT'])), pbx, ph),
    ]
    ccid = '1_3311095782@10.0.0.51'
    ftag = '2619544306'
    ttag = '6d1e6c4b-0f2a-4b7e-9a3c-51e2d7f8c904'
    fr = 'From: "1001" <sip:1001@10.0.0.10>;tag=' + ftag
    to = 'To: <sip:1002@10.0.0.10>'
    via = 'Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport' % (ph, '%s')
    pvia = ('Via: SIP/2.0/UDP %s;rport=5060;received=10.0.0.51;'
            'branch=z9hG4bK%s' % (ph, '%s'))
    inv_br, ack_br, bye_br = '3392657420', '1176239055', '0804452170'
    call = [
        (Msg('09:16:02.480210', 'out', pbx, 'INVITE sip:1002@10.0.0.10:5060'
             ' SIP/2.0', [via % inv_br, fr, to, 'Call-ID: ' + ccid,
                          'CSeq: 1 INVITE',
                          'Contact: <sip:1001@10.0.0.51:5060>',
                          'Content-Type: application/sdp',
                          'Allow: INVITE, ACK, OPTIONS, CANCEL, BYE, '
                          'SUBSCRIBE, NOTIFY, INFO, REFER, UPDATE',
                          'Max-Forwards: 70', ua,
                          'Allow-Events: talk,hold,conference,refer,'
                          'check-sync', 'Content-Length: %CL%'],
             generic_sdp('10.0.0.51', 11780, 20110)), ph, pbx),
        (Msg('09:16:02.481097', 'in', pbx, 'SIP/2.0 100 Trying',
             [pvia % inv_br, 'Call-ID: ' + ccid, fr, to, 'CSeq: 1 INVITE',
              srv, 'Content-Length: %CL%']), pbx, ph),
        (Msg('09:16:02.633404', 'in', pbx, 'SIP/2.0 180 Ringing',
             [pvia % inv_br, 'Call-ID: ' + ccid, fr, to + ';tag=' + ttag,
              'CSeq: 1 INVITE', srv,
              'Contact: <sip:10.0.0.10:5060>', 'Content-Length: %CL%']),
         pbx, ph),
        (Msg('09:16:06.118925', 'in', pbx, 'SIP/2.0 200 OK',
             [pvia % inv_br, 'Call-ID: ' + ccid, fr, to + ';tag=' + ttag,
              'CSeq: 1 INVITE', srv, 'Contact: <sip:10.0.0.10:5060>',
              'Allow: OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, '
              'INVITE, ACK, BYE, CANCEL, UPDATE, PRACK, MESSAGE, REFER',
              'Supported: 100rel, timer, replaces, norefersub',
              'Content-Type: application/sdp', 'Content-Length: %CL%'],
             generic_sdp('10.0.0.10', 17262, 1741680366)), pbx, ph),
        (Msg('09:16:06.126310', 'out', pbx, 'ACK sip:10.0.0.10:5060 SIP/2.0',
             [via % ack_br, fr, to + ';tag=' + ttag, 'Call-ID: ' + ccid,
              'CSeq: 1 ACK', 'Max-Forwards: 70', ua,
              'Content-Length: %CL%']), ph, pbx),
        (Msg('09:17:31.007742', 'out', pbx, 'BYE sip:10.0.0.10:5060 SIP/2.0',
             [via % bye_br, fr, to + ';tag=' + ttag, 'Call-ID: ' + ccid,
              'CSeq: 2 BYE', 'Max-Forwards: 70', ua,
              'Content-Length: %CL%']), ph, pbx),
        (Msg('09:17:31.009183', 'in', pbx, 'SIP/2.0 200 OK',
             [pvia % bye_br, 'Call-ID: ' + ccid, fr, to + ';tag=' + ttag,
              'CSeq: 2 BYE', srv, 'Content-Length: %CL%']), pbx, ph),
    ]
    return regs + call


def call_busy_raw():
    a = '192.0.2.31:5060'
    px = '192.0.2.1:5060'
    ua = 'User-Agent: Linphone/5.2.5 (belle-sip/5.2.94)'
    c1 = '8gXd0b3KqM'
    fr1 = 'From: "Alice" <sip:alice@example.com>;tag=as7Qm2Lp'
    to1 = 'To: <sip:bob@example.com>'
    v1 = 'Via: SIP/2.0/UDP 192.0.2.31:5060;branch=z9hG4bK.%s;rport'
    v1p = v1 + ';received=192.0.2.31'
    busy = [
        Msg('10:02:00.000000', 'out', px, 'INVITE sip:bob@example.com SIP/2.0',
            [v1 % 'Wq3eR5tY', 'Max-Forwards: 70', fr1, to1,
             'Call-ID: ' + c1, 'CSeq: 20 INVITE',
             'Contact: <sip:alice@192.0.2.31:5060>', ua,
             'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, '
             'MESSAGE, SUBSCRIBE, INFO, UPDATE',
             'Content-Type: application/sdp', 'Content-Length: %CL%'],
            generic_sdp('192.0.2.31', 7078, 3126)),
        Msg('10:02:00.000000', 'in', px, 'SIP/2.0 100 Trying',
            [v1p % 'Wq3eR5tY', fr1, to1, 'Call-ID: ' + c1,
             'CSeq: 20 INVITE', 'Content-Length: %CL%']),
        Msg('10:02:00.000000', 'in', px, 'SIP/2.0 486 Busy Here',
            [v1p % 'Wq3eR5tY', fr1, to1 + ';tag=8Bv2Xc9N', 'Call-ID: ' + c1,
             'CSeq: 20 INVITE',
             'Reason: SIP;cause=486;text="User busy"',
             'Warning: 399 pbx.example.com "Callee has DND enabled"',
             'Content-Length: %CL%']),
        Msg('10:02:00.000000', 'out', px, 'ACK sip:bob@example.com SIP/2.0',
            [v1 % 'Wq3eR5tY', 'Max-Forwards: 70', fr1, to1 + ';tag=8Bv2Xc9N',
             'Call-ID: ' + c1, 'CSeq: 20 ACK', 'Content-Length: %CL%']),
    ]
    c2 = 'Zt5pL1nB8v'
    fr2 = 'From: "Alice" <sip:alice@example.com>;tag=Hj4kL6zX'
    to2 = 'To: <sip:carol@example.com>'
    nonce = 'Z9A0b1C2d3E4f5G6h7I8j9K0'
    resp = digest_response('alice', 'example.com', 'wonderland', 'INVITE',
                           'sip:carol@example.com', nonce, '00000001',
                           'a1b2c3d4', 'auth')
    sdp = generic_sdp('192.0.2.31', 7080, 3127)
    inv = lambda cseq, br, auth=None: (
        [v1 % br, 'Max-Forwards: 70', fr2, to2, 'Call-ID: ' + c2,
         'CSeq: %d INVITE' % cseq, 'Contact: <sip:alice@192.0.2.31:5060>',
         ua] + ([auth] if auth else []) +
        ['Content-Type: application/sdp', 'Content-Length: %CL%'])
    auth_call = [
        Msg('', 'out', px, 'INVITE sip:carol@example.com SIP/2.0',
            inv(21, 'Ab1Cd2Ef'), sdp),
        Msg('', 'in', px, 'SIP/2.0 407 Proxy Authentication Required',
            [v1p % 'Ab1Cd2Ef', fr2, to2 + ';tag=pX7yQ3rS', 'Call-ID: ' + c2,
             'CSeq: 21 INVITE',
             'Proxy-Authenticate: Digest realm="example.com", nonce="%s", '
             'opaque="", stale=FALSE, algorithm=MD5, qop="auth"' % nonce,
             'Content-Length: %CL%']),
        Msg('', 'out', px, 'ACK sip:carol@example.com SIP/2.0',
            [v1 % 'Ab1Cd2Ef', 'Max-Forwards: 70', fr2, to2 + ';tag=pX7yQ3rS',
             'Call-ID: ' + c2, 'CSeq: 21 ACK', 'Content-Length: %CL%']),
        Msg('', 'out', px, 'INVITE sip:carol@example.com SIP/2.0',
            inv(22, 'Gh3Ij4Kl',
                'Proxy-Authorization: Digest realm="example.com", '
                'nonce="%s", algorithm=MD5, opaque="", username="alice", '
                'uri="sip:carol@example.com", response="%s", cnonce='
                '"a1b2c3d4", nc=00000001, qop=auth' % (nonce, resp)), sdp),
        Msg('', 'in', px, 'SIP/2.0 100 Trying',
            [v1p % 'Gh3Ij4Kl', fr2, to2, 'Call-ID: ' + c2,
             'CSeq: 22 INVITE', 'Content-Length: %CL%']),
        Msg('', 'in', px, 'SIP/2.0 200 OK',
            [v1p % 'Gh3Ij4Kl', 'Record-Route: <sip:192.0.2.1;lr>', fr2,
             to2 + ';tag=Mn5Op6Qr', 'Call-ID: ' + c2, 'CSeq: 22 INVITE',
             'Contact: <sip:carol@192.0.2.77:5060>',
             'User-Agent: Grandstream GXP2170 1.0.11.23',
             'Content-Type: application/sdp', 'Content-Length: %CL%'],
            generic_sdp('192.0.2.77', 5004, 88210)),
        Msg('', 'out', px, 'ACK sip:carol@192.0.2.77:5060 SIP/2.0',
            [v1 % 'St7Uv8Wx', 'Route: <sip:192.0.2.1;lr>', 'Max-Forwards: 70',
             fr2, to2 + ';tag=Mn5Op6Qr', 'Call-ID: ' + c2, 'CSeq: 22 ACK',
             'Content-Length: %CL%']),
    ]
    return busy + auth_call


def compact_raw():
    ms = [
        Msg('', 'out', '', 'OPTIONS sip:gw1.example.net SIP/2.0',
            ['v: SIP/2.0/UDP 192.0.2.40:5060;branch=z9hG4bK-c0mp-1',
             'f: <sip:monitor@example.net>;tag=cm01',
             't: <sip:gw1.example.net>',
             'i: c0mpact-1@192.0.2.40',
             'CSeq: 101 OPTIONS',
             'm: <sip:monitor@192.0.2.40:5060>',
             'k: timer',
             'l: %CL%']),
        Msg('', 'in', '', 'SIP/2.0 200 OK',
            ['V: SIP/2.0/UDP 192.0.2.40:5060;branch=z9hG4bK-c0mp-1',
             'F: <sip:monitor@example.net>;tag=cm01',
             'T: <sip:gw1.example.net>;tag=gw77',
             'I: c0mpact-1@192.0.2.40',
             'cseq: 101 OPTIONS',
             'K: replaces, timer',
             'L: %CL%']),
        Msg('', 'out', '', 'MESSAGE sip:bob@example.net SIP/2.0',
            ['v: SIP/2.0/TCP 192.0.2.41:5060;branch=z9hG4bK-c0mp-2',
             'MAX-FORWARDS: 70',
             'f: "Alice" <sip:alice@example.net>;tag=cm02',
             't: <sip:bob@example.net>',
             'i: c0mpact-2@192.0.2.41',
             'CSEQ: 7 MESSAGE',
             's: lunch?',
             'c: text/plain;charset=UTF-8',
             'l: %CL%'],
            ['Lunch at noon? Caf\u00e9 on the corner.']),
        Msg('', 'in', '', 'SIP/2.0 202 Accepted',
            ['via: SIP/2.0/TCP 192.0.2.41:5060;branch=z9hG4bK-c0mp-2',
             'FROM: "Alice" <sip:alice@example.net>;tag=cm02',
             'tO: <sip:bob@example.net>;tag=cm03',
             'CALL-ID: c0mpact-2@192.0.2.41',
             'Cseq: 7 MESSAGE',
             'content-length: %CL%']),
    ]
    return ''.join(m.wire('\r\n') for m in ms)


def folded_raw():
    ms = [
        Msg('', 'in', '', 'INVITE sip:bob@biloxi.example.com SIP/2.0',
            ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK77ef4c2312983.1'
             ';received=192.0.2.10,\n SIP/2.0/UDP 192.0.2.20:5060'
             ';branch=z9hG4bKnashds8',
             'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bK7p0ld3d',
             'Max-Forwards: 68',
             'To: Bob\n\t<sip:bob@biloxi.example.com>',
             'From: Alice <sip:alice@atlanta.example.com>\n  ;tag=1928301774',
             'Call-ID: f0ld3d-a84b4c76e66710@pc33.atlanta.example.com',
             'CSeq: 314159 INVITE',
             'Contact: <sip:alice@pc33.atlanta.example.com>',
             'Subject: a subject that goes on\n and on over\n  three lines',
             'Content-Type: application/sdp',
             'Content-Length: %CL%'],
            generic_sdp('192.0.2.30', 49170, 2890844526)),
        Msg('', 'out', '', 'SIP/2.0 180 Ringing',
            ['Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK77ef4c2312983.1'
             ';received=192.0.2.10, SIP/2.0/UDP 192.0.2.20:5060'
             ';branch=z9hG4bKnashds8, SIP/2.0/UDP 192.0.2.30:5060'
             ';branch=z9hG4bK7p0ld3d',
             'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
             'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
             'Call-ID: f0ld3d-a84b4c76e66710@pc33.atlanta.example.com',
             'CSeq: 314159\n INVITE',
             'Contact: <sip:bob@192.0.2.4>',
             'Content-Length: %CL%']),
    ]
    return ''.join(m.wire('\r\n') for m in ms)


def large_raw():
    """A NOTIFY carrying a big roaming contact list (> 64 KiB body)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<contactList deltaNum="412" xmlns="http://schemas.microsoft.com'
             '/2006/09/sip/roaming-contacts">']
    lines.append('<group id="1" name="~" externalURI="" />')
    i = 0
    while sum(len(l) + 2 for l in lines) < 70000:
        i += 1
        lines.append('<contact uri="user%04d@uclab.org" name="" groups="1" '
                     'subscribed="true" externalURI="" />' % i)
    lines.append('</contactList>')
    cid = '5e7a9c1b3d2f4a6c8e0b1d3f5a7c9e1b'
    big = Msg('', 'out', '', 'BENOTIFY sip:172.31.255.247:51311;transport=tls;'
              'ms-opaque=91b3d4e5f6;ms-received-cid=1F00 SIP/2.0',
              ['Via: SIP/2.0/TLS 172.31.255.222:5061;branch=z9hG4bKbf1a2c3d',
               'Max-Forwards: 70',
               'To: <sip:marinof@uclab.org>;tag=a0b1c2d3e4;epid=7a1c3e5b9d',
               'From: <sip:marinof@uclab.org>;tag=F0E1D2C3',
               'Call-ID: ' + cid, 'CSeq: 3 BENOTIFY',
               'Event: vnd-microsoft-roaming-contacts',
               'subscription-state: active;expires=30300',
               'Content-Type: application/vnd-microsoft-roaming-contacts+xml',
               'Content-Length: %CL%'], lines)
    small = Msg('', 'in', '', 'SIP/2.0 200 OK',
                ['Via: SIP/2.0/TLS 172.31.255.222:5061;branch=z9hG4bKbf1a2c3d',
                 'To: <sip:marinof@uclab.org>;tag=a0b1c2d3e4;epid=7a1c3e5b9d',
                 'From: <sip:marinof@uclab.org>;tag=F0E1D2C3',
                 'Call-ID: ' + cid, 'CSeq: 3 BENOTIFY',
                 'Content-Length: %CL%'])
    return big.wire('\r\n') + small.wire('\r\n')


# ---------------------------------------------------------------- files
def shift(t, ms):
    h, m, rest = t.split(':')
    s, f = rest.split('.')
    us = ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000000 + int(f) + ms * 1000
    return '%02d:%02d:%02d.%06d' % (us // 3600000000, us // 60000000 % 60,
                                    us // 1000000 % 60, us % 1000000)


def client_view(ms, server, lag=5):
    """The same messages as the client logs them: directions flip, the
    peer is the server, and the client's clock sees them a little earlier
    (requests) or later (responses)."""
    out = []
    for m in ms:
        c = Msg(shift(m.t, -lag if m.dir == 'in' else lag),
                'out' if m.dir == 'in' else 'in', server, m.start,
                m.headers, m.body)
        out.append(c)
    return out


def renamed(ms, pairs):
    out = []
    for m in ms:
        def r(s):
            for a, b in pairs:
                s = s.replace(a, b)
            return s
        out.append(Msg(m.t, m.dir, m.peer, r(m.start),
                       [r(h) for h in m.headers], [r(b) for b in m.body]))
    return out


def ucc_preamble(u, t, server):
    u.line(t, 'CUccTransportManager::Connect - connecting to %s over TLS' %
           server)
    u.line(shift(t, 3), 'CSIPTransportLayer::OnConnected - TLS negotiation '
           'succeeded, cipher 0xC030', 'TRACE')
    u.line(shift(t, 4), 'CUccRegistration::Register - state '
           'RegistrationStateUnregistered -> RegistrationStateRegistering')


def main():
    D = '2025-03-11'
    T = 'tests/data/'
    nt, nt_cli, edge = remote_ntlm()
    kb, kb_cli, fe = internal_kerberos()

    # Server side, old OCS 2007 R2 framing (no host: the local end is
    # "local"), LF line ends.
    c = Cls(D)
    for m in nt:
        c.msg(m)
    write(T + 'remote-ntlm.cls.log', c.text())

    # Front end, newer framing with [host\host] and correlation ids, CRLF.
    c = Cls(D, '\r\n', host='R2EE01', pidtid='0DE4.1684')
    for m in kb:
        c.msg(m)
    write(T + 'internal-kerberos.cls.log', c.text())

    # Client side.
    u = Ucc(D, nt_cli)
    ucc_preamble(u, shift(nt[0].t, -60), edge)
    cv = client_view(nt, edge)
    for i, m in enumerate(cv):
        u.msg(m)
        if i == 1:
            u.line(shift(m.t, 2), 'CSIPAuthenticator::ProcessChallenge - '
                   'NTLM challenge received, ms-user-logon-data=RemoteUser')
    u.line(shift(cv[-1].t, 3), 'CUccRegistration::OnRegistered - registered, '
           'expires 7200')
    write(T + 'remote-ntlm.uccapilog', u.text())
    write('data/remote-ntlm.uccapilog', u.text())

    u = Ucc(D, kb_cli, '\r\n', pidtid='0F10:11C4')
    ucc_preamble(u, shift(kb[0].t, -60), fe)
    for m in client_view(kb, fe):
        u.msg(m)
    write(T + 'internal-kerberos.uccapilog', u.text())

    # A registration left unanswered after the 401.
    ua_cli = '172.31.255.251:52044'
    un = renamed(kb[:2], [('marinof', 'dusanm'), (kb_cli, ua_cli),
                          ('51311', '52044'),
                          ('2b8e4f1a6c3d4e9fa07b5c2d1e3f4a5b',
                           '0e2c4a6f8b1d43c5a7e9f0b2d4c6e8a1'),
                          ('8c41e0b7f2', '2e4c6a8f0b'),
                          ('c19e7a3f02', '7f5d3b1e9c')])
    u = Ucc(D, ua_cli, pidtid='2210:2A08')
    ucc_preamble(u, shift(un[0].t, -60), fe)
    cv = client_view(un, fe)
    for m in cv:
        u.msg(m)
    t = cv[-1].t
    u.line(shift(t, 1), 'CSIPAuthenticator::ProcessChallenge - Kerberos '
           'offered, acquiring ticket for sip/R2EE01.uclab.org')
    u.line(shift(t, 2), 'CSIPAuthenticator::GetCredentials - '
           'InitializeSecurityContext failed hr=0x80090311 '
           '(SEC_E_NO_AUTHENTICATING_AUTHORITY)', 'ERROR')
    u.line(shift(t, 3), 'CUccRegistration::OnAuthFailure - no credentials '
           'to offer, giving up')
    u.line(shift(t, 5), 'CUccRegistration::Register - state '
           'RegistrationStateRegistering -> RegistrationStateUnregistered')
    u.line(shift(t, 1200), 'CSIPTransportLayer::Disconnect - closing TLS '
           'connection to %s' % fe, 'TRACE')
    write(T + 'reg-unanswered.uccapilog', u.text())

    rj, rj_cli = reg_rejected()
    c = Cls(D, host='R2EE01', pidtid='0DE4.1684')
    for m in rj:
        c.msg(m)
    write(T + 'reg-rejected.cls.log', c.text())

    cc, cdiag, call = call_cancel(kb_cli)
    c = Cls(D, '\r\n', host='R2EE01', pidtid='0DE4.1690')
    for m in cc[:4]:
        c.msg(m)
    c.diag(cdiag[0][0], 'TF_DIAG', cdiag[0][1], cdiag[0][2])
    for m in cc[4:6]:
        c.msg(m)
    c.diag(cdiag[1][0], 'TF_DIAG', cdiag[1][1], cdiag[1][2])
    c.msg(cc[6])
    write(T + 'call-cancel.cls.log', c.text())

    write(T + 'reg-digest.sngrep.txt', sngrep(D, digest_sngrep()))
    write(T + 'call-busy.raw.sip', raw(call_busy_raw()))
    write(T + 'compact.raw.sip', compact_raw())
    write(T + 'folded.raw.sip', folded_raw())
    write(T + 'large.raw.sip', large_raw())

    # LF only, with bodies: presence subscription.
    sn = subscribe_notify(kb_cli)
    c = Cls(D, '\n', host='R2EE01', pidtid='0DE4.1702')
    for m in sn:
        c.msg(m)
    write(T + 'lf-only.cls.log', c.text())

    # The last record cut short in its headers: no Message-Body, no end.
    c = Cls(D, '\r\n', host='R2EE01', pidtid='0DE4.1684')
    for m in kb[:3]:
        c.msg(m)
    c.msg(kb[3], cut=700)
    write(T + 'truncated.cls.log', c.text())

    # Junk between records, a connection record, a message without
    # Call-ID, one with a broken start line.
    c = Cls(D, '\r\n', host='R2EE01', pidtid='0DE4.1684')
    c.raw('*** Log file opened by OCSLogger, session "FE-morning" ***\n'
          'Components: SIPStack (TF_PROTOCOL, TF_DIAG, TF_CONNECTION)\n\n')
    c.diag('TL_INFO', 'TF_CONNECTION', '08:03:40.095000', [
        'LogType: connection',
        'Severity: information',
        'Text: TLS negotiation succeeded',
        'Local-IP: %s' % fe,
        'Peer-IP: %s' % kb_cli,
        'Connection-ID: 0x1F00',
        'Transport: TLS'], func='TraceConnectionRecord', line=162)
    c.msg(kb[0])
    c.raw('-- line noise pasted by a mail client --\n'
          '> forwarded: see the trace below\n')
    c.msg(kb[1])
    nocid = Msg('08:03:41.020000', 'in', kb_cli,
                'OPTIONS sip:R2EE01.uclab.org SIP/2.0',
                ['Via: SIP/2.0/TLS %s;branch=z9hG4bK0pt10n5' % kb_cli,
                 'Max-Forwards: 70',
                 'From: <sip:marinof@uclab.org>;tag=0a9b8c7d6e',
                 'To: <sip:R2EE01.uclab.org>',
                 'CSeq: 1 OPTIONS', 'User-Agent: ' + UA_LYNC,
                 'Content-Length: %CL%'])
    c.msg(nocid)
    c.raw('garbage \x01\x02 bytes that are not a record\n')
    broken = Msg('08:03:41.300000', 'in', kb_cli, 'INVITE-sip:??? SIP/2.x',
                 ['Via: SIP/2.0/TLS %s;branch=z9hG4bKbr0k3n' % kb_cli,
                  'From: <sip:marinof@uclab.org>;tag=b1c2d3e4f5',
                  'To: <sip:petrak@uclab.org>',
                  'Call-ID: br0k3n-start-line-0001',
                  'CSeq: 1 INVITE', 'Content-Length: %CL%'])
    c.msg(broken)
    c.msg(kb[2])
    c.msg(kb[3])
    c.raw('\n*** Log file closed ***\n')
    write(T + 'junk.cls.log', c.text())

    # A client log with junk, a non-SIP payload and a block cut short.
    u = Ucc(D, nt_cli, pidtid='1A2C:1B30')
    u.plain('Log started for Lync 2010 (4.0.7577.4446) on IZABELAF-LT')
    ucc_preamble(u, '08:01:12.300000', edge)
    cv = client_view(nt, edge)
    u.msg(cv[0])
    u.plain('<provisionGroupList xmlns="http://schemas.microsoft.com/2006/09/'
            'sip/provisiongrouplist-notification">')
    u.plain('  <provisionGroup name="ServerConfiguration">')
    u.plain('  </provisionGroup>')
    u.plain('</provisionGroupList>')
    u.msg(cv[1])
    # A keep-alive: CRLF CRLF is not a SIP message.
    ka = ('Sending Packet - %s (From Local Address: %s) 4 bytes' %
          (edge, nt_cli))
    u.out.append(u.prefix('08:01:12.520000') + ka + ':\n' +
                 u.prefix('08:01:12.520000') + '\r\n\r\n' +
                 u.prefix('08:01:12.520000') + 'End of ' + ka + '\n')
    u.msg(cv[2])
    # The 401 with the challenge is cut short by the next trace line.
    u.msg(cv[3], cut=900)
    u.out.append('\n')
    u.line('08:01:12.560000', 'CSIPTransportLayer::OnError - connection to '
           '%s reset by peer (hr=0x80072746)' % edge, 'ERROR')
    u.msg(cv[4])
    u.msg(cv[5])
    u.plain('trailing junk without a prefix')
    write(T + 'bad.uccapilog', u.text())

    sample(D)


def sample(D):
    """A front end's short morning: the data/ sample `make run` opens."""
    nt, nt_cli, edge = remote_ntlm()
    kb, kb_cli, fe = internal_kerberos()
    edge_int = '172.31.255.210:5061'
    # On the front end the remote user arrives through the edge's internal
    # interface.
    nt = [Msg(m.t if m.dir == 'in' else shift(m.t, 1), m.dir, edge_int,
              m.start, m.headers, m.body) for m in nt]
    nt = [Msg(shift(m.t, 9), m.dir, m.peer, m.start, m.headers, m.body)
          for m in nt]
    rj, rj_cli = reg_rejected()
    cc, cdiag, call = call_cancel(kb_cli)
    ok = call_ok(kb_cli)
    busy = call_busy_lync(kb_cli)
    sn = subscribe_notify(kb_cli)
    items = []
    for m in nt + kb + rj + cc + ok + busy + sn:
        items.append((m.t, 'msg', m))
    for lvl, t, fields in cdiag:
        items.append((t, 'diag', (lvl, fields)))
    items.append(('08:03:40.095000', 'conn', None))
    items.append(('08:32:11.390000', 'diag', ('TL_WARN', [
        'LogType: diagnostic', 'Severity: warning',
        'Text: Callee endpoint returned busy; no other endpoint to try',
        'Result-Code: 0x000001E6',
        'SIP-Start-Line: SIP/2.0 486 Busy Here',
        'SIP-Call-ID: ' + busy[0].headers[4][len('Call-ID: '):],
        'SIP-CSeq: 1 INVITE', 'Peer: 172.31.255.252:50112'])))
    items.append(('08:40:51.336000', 'diag', ('TL_ERROR', [
        'LogType: diagnostic', 'Severity: error',
        'Text: User is not SIP enabled: registration refused',
        'Result-Code: 0xC3E93EC0 SIPPROXY_E_USER_NOT_ENABLED',
        'SIP-Start-Line: REGISTER sip:uclab.org SIP/2.0',
        'SIP-Call-ID: 4d6f8a0c2e1b43d5a7c9e0f2b4d6a8c1',
        'SIP-CSeq: 2 REGISTER', 'Peer: %s' % rj_cli])))
    items.sort(key=lambda x: x[0])
    c = Cls(D, '\r\n', host='R2EE01', pidtid='0DE4.1684')
    for t, kind, v in items:
        if kind == 'msg':
            c.msg(v)
        elif kind == 'diag':
            c.diag(v[0], 'TF_DIAG', t, v[1])
        else:
            c.diag('TL_INFO', 'TF_CONNECTION', t, [
                'LogType: connection', 'Severity: information',
                'Text: TLS negotiation succeeded',
                'Local-IP: %s' % fe, 'Peer-IP: %s' % kb_cli,
                'Connection-ID: 0x1F00', 'Transport: TLS'],
                func='TraceConnectionRecord', line=162)
    write('data/sample.cls.log', c.text())


if __name__ == '__main__':
    main()
