#!/usr/bin/env python3
# Writes the packet-capture fixtures of tests/data/pcap/ from the SIP text
# in remote-ntlm.sip and the call written out below: every byte of the
# captures (pcap and pcapng headers, link layers, IP, UDP, TCP) is built
# here with the standard library only. Deterministic; run from the
# repository root: python3 tests/data/pcap/gen.py
import struct
import os

HERE = os.path.dirname(os.path.abspath(__file__))
T0 = 1741680072  # 2025-03-11T08:01:12Z


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def ip6(a):
    import ipaddress
    return ipaddress.IPv6Address(a).packed


def ipv4(src, dst, proto, payload, ident=1, frag=0, mf=0, total=None):
    tot = 20 + len(payload) if total is None else total
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, tot, ident,
                    (mf << 13) | (frag // 8), 64, proto, 0, ip4(src),
                    ip4(dst))
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ipv6(src, dst, nh, payload, ext=b''):
    return struct.pack('!IHBB16s16s', 6 << 28, len(ext) + len(payload),
                       nh, 64, ip6(src), ip6(dst)) + ext + payload


def udp(sport, dport, data):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data


ACK, PSH, SYN, FIN = 0x10, 0x08, 0x02, 0x01


def tcp(sport, dport, seq, ack, flags, data=b''):
    return struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff,
                       ack & 0xffffffff, 5 << 4, flags, 65535, 0, 0) + data


def ether(payload, v6=False, vlans=()):
    h = b'\x00\x15\x5d\x01\x02\x03' + b'\x00\x15\x5d\x0a\x0b\x0c'
    for v in vlans:
        h += struct.pack('!HH', 0x8100, v)
    return h + struct.pack('!H', 0x86dd if v6 else 0x0800) + payload


def sll2(payload, v6=False):
    # protocol, reserved, ifindex, ARPHRD_ETHER, packet type, addr len, addr
    return struct.pack('!HHIHBB8s', 0x86dd if v6 else 0x0800, 0, 2, 1, 0,
                       6, b'\x00\x15\x5d\x01\x02\x03\x00\x00') + payload


def pcap(path, link, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, link))
        for t, p in pkts:
            sec, usec = int(t), round((t - int(t)) * 1e6)
            f.write(struct.pack('<IIII', sec, usec, len(p), len(p)) + p)


def pcapng(path, link, pkts):
    def block(btype, body):
        body += b'\0' * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', btype, n) + body + struct.pack('<I', n)

    with open(path, 'wb') as f:
        f.write(block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1)))
        # interface with if_tsresol = 9: nanosecond timestamps
        opts = struct.pack('<HHB3x', 9, 1, 9) + struct.pack('<HH', 0, 0)
        f.write(block(1, struct.pack('<HHI', link, 0, 65535) + opts))
        for t, p in pkts:
            ns = round(t * 1e9)
            f.write(block(6, struct.pack('<IIIII', 0, ns >> 32,
                                         ns & 0xffffffff, len(p), len(p)) + p))


def sip(text, body=''):
    """A SIP message from lines, Content-Length computed."""
    b = body.replace('\n', '\r\n').encode()
    h = text.strip('\n').replace('\n', '\r\n')
    return (h + '\r\nContent-Length: %d\r\n\r\n' % len(b)).encode() + b


def split_sip(blob):
    """The messages of a raw SIP file (Content-Length framing)."""
    out = []
    while blob:
        end = blob.index(b'\r\n\r\n') + 4
        cl = 0
        for line in blob[:end].split(b'\r\n'):
            if line.lower().startswith(b'content-length:'):
                cl = int(line.split(b':')[1])
        out.append(blob[:end + cl])
        blob = blob[end + cl:]
    return out


class Conn:
    """Both directions of a TCP connection, for writing segments."""

    def __init__(self, a, ap, b, bp, v6=False):
        self.a, self.ap, self.b, self.bp, self.v6 = a, ap, b, bp, v6
        self.seq = {0: 1000, 1: 500000}

    def ip(self, d, seg):
        s, dd = (self.a, self.b) if d == 0 else (self.b, self.a)
        if self.v6:
            return ipv6(s, dd, 6, seg)
        return ipv4(s, dd, 6, seg)

    def seg(self, d, flags, data=b'', seq=None):
        sp, dp = (self.ap, self.bp) if d == 0 else (self.bp, self.ap)
        s = self.seq[d] if seq is None else seq
        p = self.ip(d, tcp(sp, dp, s, self.seq[1 - d], flags, data))
        if seq is None:
            self.seq[d] += len(data) + (1 if flags & (SYN | FIN) else 0)
        return p

    def handshake(self):
        return [self.seg(0, SYN), self.seg(1, SYN | ACK), self.seg(0, ACK)]


def gen_ntlm():
    """The remote NTLM registration over TCP: messages split across
    segments, two in one segment, a segment out of order and a
    retransmission."""
    msgs = split_sip(open(os.path.join(HERE, 'remote-ntlm.sip'), 'rb').read())
    c = Conn('198.51.100.23', 49721, '203.0.113.10', 5060)
    pk = c.handshake()
    m = msgs
    # 1: REGISTER in three segments
    n = len(m[0])
    pk += [c.seg(0, ACK, m[0][:100]), c.seg(0, ACK | PSH, m[0][100:n - 50]),
           c.seg(0, ACK | PSH, m[0][n - 50:])]
    # 2: 401, one segment
    pk += [c.seg(1, ACK | PSH, m[1])]
    # 3: REGISTER after a CRLFCRLF keep-alive, in the same segment
    pk += [c.seg(0, ACK | PSH, b'\r\n\r\n' + m[2])]
    # 4: 401 with the challenge, then 5: REGISTER sent as two segments
    # that arrive in the wrong order, the first one twice
    pk += [c.seg(1, ACK | PSH, m[3])]
    s0 = c.seq[0]
    half = len(m[4]) // 2
    first = c.seg(0, ACK, m[4][:half], seq=s0)
    second = c.seg(0, ACK | PSH, m[4][half:], seq=s0 + half)
    c.seq[0] += len(m[4])
    pk += [second, first, c.seg(1, ACK), first]
    # 6: 200 OK coalesced with nothing, then both sides close
    pk += [c.seg(1, ACK | PSH, m[5]), c.seg(0, ACK), c.seg(0, FIN | ACK),
           c.seg(1, FIN | ACK), c.seg(0, ACK)]
    t = T0
    out = []
    for p in pk:
        out.append((t, ether(p)))
        t += 0.0171
    pcap(os.path.join(HERE, 'remote-ntlm-tcp.pcap'), 1, out)


CALL_SDP = '''v=0
o=alice 2890844526 2890844526 IN IP4 192.0.2.31
s=-
c=IN IP4 192.0.2.31
t=0 0
m=audio 49170 RTP/AVP 0 8 9 18 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:9 G722/8000
a=rtpmap:18 G729/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=sendrecv
'''
# Enough candidates to make the INVITE larger than one Ethernet frame, so
# that it travels as IP fragments.
CALL_SDP += ''.join('a=candidate:%d 1 UDP %d 192.0.2.%d %d typ host\n' %
                    (i, 2130706431 - i, 31 + i % 5, 49170 + 2 * i)
                    for i in range(30))


def call_msgs():
    hdr = '''Via: SIP/2.0/UDP 192.0.2.31:5080;branch=z9hG4bK-%s;rport
From: "Alice" <sip:alice@example.com>;tag=a1c3e5
To: <sip:bob@example.com>%s
Call-ID: pcapng-call-7f3e2a
CSeq: %s'''
    inv = sip('INVITE sip:bob@example.com SIP/2.0\n' +
              hdr % ('inv1', '', '1 INVITE') +
              '\nContact: <sip:alice@192.0.2.31:5080>\nContent-Type: '
              'application/sdp\nMax-Forwards: 70', CALL_SDP)
    tr = sip('SIP/2.0 100 Trying\n' + hdr % ('inv1', '', '1 INVITE'))
    ri = sip('SIP/2.0 180 Ringing\n' + hdr % ('inv1', ';tag=b0b', '1 INVITE'))
    ok = sip('SIP/2.0 200 OK\n' + hdr % ('inv1', ';tag=b0b', '1 INVITE') +
             '\nContact: <sip:bob@192.0.2.77:5080>\nContent-Type: '
             'application/sdp',
             'v=0\no=bob 1 1 IN IP4 192.0.2.77\ns=-\nc=IN IP4 192.0.2.77\n'
             't=0 0\nm=audio 30000 RTP/AVP 0\na=rtpmap:0 PCMU/8000\n')
    ack = sip('ACK sip:bob@192.0.2.77:5080 SIP/2.0\n' +
              hdr % ('ack1', ';tag=b0b', '1 ACK') + '\nMax-Forwards: 70')
    bye = sip('BYE sip:alice@192.0.2.31:5080 SIP/2.0\n' +
              hdr.replace('192.0.2.31', '192.0.2.77') %
              ('bye1', ';tag=b0b', '2 BYE') + '\nMax-Forwards: 70')
    bok = sip('SIP/2.0 200 OK\n' + hdr.replace('192.0.2.31', '192.0.2.77') %
              ('bye1', ';tag=b0b', '2 BYE'))
    return inv, tr, ri, ok, ack, bye, bok


def gen_call():
    """A UDP call on port 5080 in a pcapng file with nanosecond times,
    802.1Q-tagged; the INVITE is IP-fragmented and there is DNS around."""
    inv, tr, ri, ok, ack, bye, bok = call_msgs()
    A, B = '192.0.2.31', '192.0.2.77'
    pk = []
    dns = udp(53000, 53, b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'
              b'\x07example\x03com\x00\x00\x21\x00\x01')
    pk.append(ipv4(A, '192.0.2.53', 17, dns, ident=7))
    d = udp(5080, 5080, inv)
    cut = 1480
    pk.append(ipv4(A, B, 17, d[:cut], ident=0x4242, mf=1,
                   total=20 + cut))
    pk.append(ipv4(A, B, 17, d[cut:], ident=0x4242, frag=cut))
    for i, (m, fwd) in enumerate([(tr, 0), (ri, 0), (ok, 0), (ack, 1),
                                  (bye, 0), (bok, 1)]):
        s, dd = (A, B) if fwd else (B, A)
        pk.append(ipv4(s, dd, 17, udp(5080, 5080, m), ident=100 + i))
    out = []
    t = T0 + 60.000000123
    for p in pk:
        out.append((t, ether(p, vlans=(42,))))
        t += 0.250000001
    pcapng(os.path.join(HERE, 'call-udp.pcapng'), 1, out)


def gen_sll2():
    """Linux cooked v2 (tcpdump -i any): an OPTIONS ping over UDP, a TLS
    connection that cannot be read, and unrelated traffic."""
    A, B = '10.20.0.5', '10.20.0.9'
    opt = sip('''OPTIONS sip:10.20.0.9:5060 SIP/2.0
Via: SIP/2.0/UDP 10.20.0.5:5060;branch=z9hG4bK-opt1
From: <sip:ping@10.20.0.5>;tag=p1
To: <sip:10.20.0.9:5060>
Call-ID: sll2-options-1
CSeq: 1 OPTIONS
Max-Forwards: 70''')
    okr = sip('''SIP/2.0 200 OK
Via: SIP/2.0/UDP 10.20.0.5:5060;branch=z9hG4bK-opt1
From: <sip:ping@10.20.0.5>;tag=p1
To: <sip:10.20.0.9:5060>;tag=srv9
Call-ID: sll2-options-1
CSeq: 1 OPTIONS
Allow: INVITE, ACK, BYE, CANCEL, OPTIONS''')
    c = Conn(A, 40112, B, 5061)
    hello = b'\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03' + bytes(range(32)) + \
        b'\x00\x00\x02\x13\x01\x01\x00'
    shello = b'\x16\x03\x03\x00\x04\x02\x00\x00\x00'
    pk = [ipv4(A, B, 17, udp(5060, 5060, opt)),
          ipv4(A, '10.20.0.1', 17, udp(123, 123, b'\x23' + b'\0' * 47))]
    pk += c.handshake()
    pk += [c.seg(0, ACK | PSH, hello), c.seg(1, ACK | PSH, shello)]
    pk += [ipv4(B, A, 17, udp(5060, 5060, okr))]
    out = []
    t = T0 + 120
    for p in pk:
        out.append((t, sll2(p)))
        t += 0.003
    pcap(os.path.join(HERE, 'options-tls.sll2.pcap'), 276, out)


def gen_ipv6():
    """Raw IPv6 (no link header): REGISTER over TCP with a hop-by-hop
    option header, answered over the same connection, and a NOTIFY over
    UDP."""
    A, B = '2001:db8:10::5', '2001:db8:20::1'
    reg = sip('''REGISTER sip:example.net SIP/2.0
Via: SIP/2.0/TCP [2001:db8:10::5]:50600;branch=z9hG4bK-v6reg
From: <sip:carol@example.net>;tag=c6
To: <sip:carol@example.net>
Call-ID: ipv6-register-1
CSeq: 7 REGISTER
Contact: <sip:carol@[2001:db8:10::5]:50600;transport=tcp>
Expires: 600
Max-Forwards: 70''')
    ok = sip('''SIP/2.0 200 OK
Via: SIP/2.0/TCP [2001:db8:10::5]:50600;branch=z9hG4bK-v6reg
From: <sip:carol@example.net>;tag=c6
To: <sip:carol@example.net>;tag=reg6
Call-ID: ipv6-register-1
CSeq: 7 REGISTER
Contact: <sip:carol@[2001:db8:10::5]:50600;transport=tcp>;expires=600''')
    notify = sip('''NOTIFY sip:carol@[2001:db8:10::5]:5060 SIP/2.0
Via: SIP/2.0/UDP [2001:db8:20::1]:5060;branch=z9hG4bK-v6ntf
From: <sip:carol@example.net>;tag=n1
To: <sip:carol@example.net>;tag=c6
Call-ID: ipv6-notify-1
CSeq: 1 NOTIFY
Event: message-summary
Subscription-State: active
Content-Type: application/simple-message-summary''', 'Messages-Waiting: no\n')
    c = Conn(A, 50600, B, 5060, v6=True)
    pk = c.handshake()
    pk += [c.seg(0, ACK | PSH, reg[:200]), c.seg(0, ACK | PSH, reg[200:]),
           c.seg(1, ACK | PSH, ok)]
    # hop-by-hop header: next header UDP, length 0, PadN of 4
    hbh = bytes([17, 0, 1, 4, 0, 0, 0, 0])
    pk.append(ipv6(B, A, 0, udp(5060, 5060, notify), ext=hbh))
    out = []
    t = T0 + 180
    for p in pk:
        out.append((t, p))
        t += 0.01
    pcap(os.path.join(HERE, 'register-ipv6.raw.pcap'), 101, out)


def tcp_msg(start, cid, cseq, via, extra='', body=''):
    return sip(start + '\nVia: SIP/2.0/TCP %s;branch=z9hG4bK-%s\n'
               'From: <sip:alice@example.com>;tag=f-%s\n'
               'To: <sip:bob@example.com>\nCall-ID: %s\nCSeq: %s%s'
               % (via, cid + cseq.split()[0], cid, cid, cseq, extra), body)


def gen_completion():
    """Two TCP connections whose messages are split, coalesced, out of
    order and cut by a lost segment, interleaved with each other and with
    UDP: a message is complete (and timed) with its last piece. A second
    capture has UDP messages at times between them, to be merged."""
    A, P, Q = '192.0.2.10', '192.0.2.20', '192.0.2.30'
    c = Conn(A, 5060, P, 5060)
    d = Conn(A, 5061, Q, 5060)
    via = A + ':5060'
    reg = tcp_msg('REGISTER sip:example.com SIP/2.0', 'cr1', '1 REGISTER',
                  via, '\nContact: <sip:alice@192.0.2.10:5060>')
    r401 = tcp_msg('SIP/2.0 401 Unauthorized', 'cr1', '1 REGISTER', via,
                   '\nWWW-Authenticate: Digest realm="example.com", '
                   'nonce="n1"')
    via = A + ':5061'
    inv = tcp_msg('INVITE sip:bob@example.com SIP/2.0', 'cc1', '1 INVITE',
                  via, '\nContent-Type: application/sdp',
                  'v=0\no=- 1 1 IN IP4 192.0.2.10\ns=-\nc=IN IP4 '
                  '192.0.2.10\nt=0 0\nm=audio 4000 RTP/AVP 0\n')
    trying = tcp_msg('SIP/2.0 100 Trying', 'cc1', '1 INVITE', via)
    ring = tcp_msg('SIP/2.0 180 Ringing', 'cc1', '1 INVITE', via)
    ok = tcp_msg('SIP/2.0 200 OK', 'cc1', '1 INVITE', via)
    ack = tcp_msg('ACK sip:bob@192.0.2.30 SIP/2.0', 'cc1', '1 ACK', via)
    bye = tcp_msg('BYE sip:bob@192.0.2.30 SIP/2.0', 'cc1', '2 BYE', via)
    opt = sip('OPTIONS sip:192.0.2.30 SIP/2.0\n'
              'Via: SIP/2.0/UDP 192.0.2.10:5070;branch=z9hG4bK-co1\n'
              'From: <sip:ping@example.com>;tag=p1\n'
              'To: <sip:192.0.2.30>\n'
              'Call-ID: completion-options\n'
              'CSeq: 1 OPTIONS')
    pk = c.handshake() + d.handshake()
    # the REGISTER split in its Content-Length, the INVITE in two
    k = reg.index(b'Content-Len') + 5
    pk += [c.seg(0, ACK, reg[:k]), d.seg(0, ACK, inv[:40]),
           c.seg(0, ACK | PSH, reg[k:]),
           ipv4(A, Q, 17, udp(5070, 5060, opt)),
           d.seg(0, ACK | PSH, inv[40:]),
           d.seg(1, ACK | PSH, trying + ring[:20]),
           c.seg(1, ACK | PSH, r401)]
    # the rest of the 180 and the 200: the second part first
    rest = ring[20:] + ok
    s1 = d.seq[1]
    pong = opt.replace(b'OPTIONS sip:192.0.2.30 SIP/2.0', b'SIP/2.0 200 OK')
    pk += [d.seg(1, ACK | PSH, rest[30:], seq=s1 + 30),
           ipv4(Q, A, 17, udp(5060, 5070, pong)),
           d.seg(1, ACK, rest[:30], seq=s1)]
    d.seq[1] += len(rest)
    # the ACK loses its last 30 bytes; it and the BYE wait until the FIN
    s0 = d.seq[0]
    pk += [d.seg(0, ACK, ack[:-30], seq=s0),
           d.seg(0, ACK | PSH, bye, seq=s0 + len(ack)),
           ipv4(A, Q, 17, udp(5070, 5060, opt.replace(b'co1', b'co2')))]
    d.seq[0] += len(ack) + len(bye)
    pk += [d.seg(0, FIN | ACK)]
    out = [(T0 + 240 + i / 10, ether(p)) for i, p in enumerate(pk)]
    pcap(os.path.join(HERE, 'tcp-completion.pcap'), 1, out)
    # NOTIFYs from another host, 50 ms after every third packet of the
    # first capture
    out = []
    for i in range(2, len(pk), 3):
        n = sip('NOTIFY sip:alice@192.0.2.10 SIP/2.0\n'
                'Via: SIP/2.0/UDP 192.0.2.99:5060;branch=z9hG4bK-nb%d\n'
                'From: <sip:mwi@example.com>;tag=mw\n'
                'To: <sip:alice@example.com>;tag=al\n'
                'Call-ID: completion-notify\n'
                'CSeq: %d NOTIFY\n'
                'Event: message-summary' % (i, i))
        out.append((T0 + 240 + i / 10 + 0.05,
                    ether(ipv4('192.0.2.99', A, 17, udp(5060, 5060, n)))))
    pcap(os.path.join(HERE, 'udp-between.pcap'), 1, out)


def gen_multilink():
    """pcapng of two interfaces of different link types (Ethernet, then
    Linux cooked v2, as a capture on two interfaces merged together
    gives): each packet is read with its own interface's link type
    (libpcap read only the first one's). The second file has SIP on the
    second interface only; the third a third interface, of the first
    one's type."""
    def block(btype, body):
        body += b'\0' * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', btype, n) + body + struct.pack('<I', n)

    def write(path, pkts, links=(1, 276)):
        with open(path, 'wb') as f:
            f.write(block(0x0a0d0d0a,
                          struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1)))
            for link in links:
                f.write(block(1, struct.pack('<HHI', link, 0, 65535)))
            for i, (iface, p) in enumerate(pkts):
                us = (T0 + 300) * 1000000 + i * 250000
                p = ether(p) if links[iface] == 1 else sll2(p)
                f.write(block(6, struct.pack('<IIIII', iface, us >> 32,
                                             us & 0xffffffff, len(p),
                                             len(p)) + p))

    A, B = '192.0.2.10', '192.0.2.20'

    def options(start, n):
        return sip(start + '\nVia: SIP/2.0/UDP 192.0.2.10:5060;'
                   'branch=z9hG4bK-ml%d\nFrom: <sip:ping@example.com>;tag=m\n'
                   'To: <sip:192.0.2.20>\nCall-ID: multi-link-%d\n'
                   'CSeq: 1 OPTIONS' % (n, n))
    req = 'OPTIONS sip:192.0.2.20 SIP/2.0'
    ok = 'SIP/2.0 200 OK'
    pk = [(0, ipv4(A, B, 17, udp(5060, 5060, options(req, 1)))),
          (1, ipv4(B, A, 17, udp(5060, 5060, options(ok, 1)))),
          (0, ipv4(A, B, 17, udp(5060, 5060, options(req, 2)))),
          (1, ipv4(B, A, 17, udp(5060, 5060, options(ok, 2)))),
          (0, ipv4(B, A, 17, udp(5060, 5060, options(ok, 2))))]
    write(os.path.join(HERE, 'multi-link.pcapng'), pk)
    write(os.path.join(HERE, 'multi-link-second.pcapng'),
          [p for p in pk if p[0] == 1])
    pk.insert(3, (2, ipv4(B, A, 17, udp(5060, 5060, options(ok, 3)))))
    write(os.path.join(HERE, 'multi-link-three.pcapng'), pk, (1, 276, 1))


gen_ntlm()
gen_call()
gen_sll2()
gen_ipv6()
gen_completion()
gen_multilink()


def gen_gzip():
    """gzip inputs: a capture, and a SIP text file as two members (what
    cat a.gz b.gz gives). mtime 0 keeps the bytes the same every run."""
    import gzip
    with open(os.path.join(HERE, 'call-udp.pcapng'), 'rb') as f:
        data = f.read()
    with open(os.path.join(HERE, 'call-udp.pcapng.gz'), 'wb') as f:
        f.write(gzip.compress(data, mtime=0))
    with open(os.path.join(HERE, 'remote-ntlm.sip'), 'rb') as f:
        data = f.read()
    half = data.index(b'REGISTER', 1000)
    with open(os.path.join(HERE, 'remote-ntlm.sip.gz'), 'wb') as f:
        f.write(gzip.compress(data[:half], mtime=0))
        f.write(gzip.compress(data[half:], mtime=0))


gen_gzip()
