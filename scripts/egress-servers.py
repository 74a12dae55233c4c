#!/usr/bin/env python3
"""The hostile side of the egress harness (scripts/egress-lab), run inside its network namespace: a stub DNS
server, the portals under test and the sinks that count every connection made to them.

Usage: egress-servers.py DIR   (DIR holds the certificates; counts go to DIR/sinks.tsv, readiness to DIR/ready)

Addresses (all on the namespace's own dummy interface; the namespace has no route out):
  10.77.0.10      the portals: ports 80 and 443, named portals by Host/SNI (pinned by the scanner as intranet
                  portals with --resolve or the inventory's address:); port 8443 is a sink (the same host on
                  another port)
  10.77.0.53      the stub DNS server (UDP 53)
  10.77.0.20, 192.168.77.20, 169.254.169.254, fd77::20: sinks on 80 and 443
  203.0.114.80    a "public" web server on 80 and 443 (public in the policy's eyes; inside the namespace), and a
                  sink on 8080 (a public address on a port that is not the web's)
Names the stub DNS answers: rebound.egress.test (SERVFAIL twice, then 10.77.0.20), twofold.egress.test (the
public address and 10.77.0.20), internal.egress.test (169.254.169.254 and fd77::20), web.egress.test (public).
"""
import asyncio
import os
import ssl
import struct
import sys

DIR = sys.argv[1]
PORTAL = "10.77.0.10"
PUBLIC = "203.0.114.80"
SINKS = [("10.77.0.20", 80), ("10.77.0.20", 443), ("192.168.77.20", 80), ("169.254.169.254", 80),
         ("fd77::20", 80), (PORTAL, 8443), (PUBLIC, 8080)]
counts = {f"{host} {port}": 0 for host, port in SINKS}


def record():
    tmp = f"{DIR}/.sinks.tsv"
    with open(tmp, "w") as out:
        for key, value in sorted(counts.items()):
            out.write(f"{key}\t{value}\n")
    os.replace(tmp, f"{DIR}/sinks.tsv")


# ---------- DNS ----------
# name -> list of answers per query number (the last one repeats): each answer a list of addresses, or
# "SERVFAIL".
ZONE = {
    # fails twice (the scanner's own lookup, A and AAAA, with attempts:1), then rebinds inside for whoever asks
    "rebound.egress.test": ["SERVFAIL", "SERVFAIL", ["10.77.0.20"]],
    "twofold.egress.test": [[PUBLIC, "10.77.0.20"]],  # one public and one private answer
    "internal.egress.test": [["169.254.169.254", "fd77::20"]],
    "web.egress.test": [[PUBLIC]],
}
asked = {}


class DNS(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        try:
            reply = self.answer(data)
        except (IndexError, struct.error, UnicodeDecodeError):
            return
        if reply:
            self.transport.sendto(reply, addr)

    @staticmethod
    def answer(data):
        ident, flags, qd = struct.unpack(">HHH", data[:6])
        if qd != 1:
            return None
        labels, i = [], 12
        while data[i]:
            labels.append(data[i + 1:i + 1 + data[i]].decode("ascii").lower())
            i += 1 + data[i]
        question = data[12:i + 5]
        qtype = struct.unpack(">H", data[i + 1:i + 3])[0]
        name = ".".join(labels)
        plan = ZONE.get(name)
        if plan is None:
            return struct.pack(">HHHHHH", ident, 0x8183, 1, 0, 0, 0) + question  # NXDOMAIN
        key = (name, qtype)
        n = asked.get(key, 0)
        asked[key] = n + 1
        step = plan[min(n, len(plan) - 1)]
        if step == "SERVFAIL":
            return struct.pack(">HHHHHH", ident, 0x8182, 1, 0, 0, 0) + question
        records = b""
        count = 0
        for address in step:
            family = 28 if ":" in address else 1
            if family != qtype:
                continue
            raw = ssl_inet_pton(address)
            records += struct.pack(">HHHIH", 0xC00C, family, 1, 5, len(raw)) + raw
            count += 1
        return struct.pack(">HHHHHH", ident, 0x8180, 1, count, 0, 0) + question + records


def ssl_inet_pton(address):
    import socket
    return socket.inet_pton(socket.AF_INET6 if ":" in address else socket.AF_INET, address)


# ---------- portals ----------
INSIDE_LINKS = """
<a href="http://10.77.0.20/">a</a> <a href="http://169.254.169.254/latest/meta-data/">b</a>
<a href="https://portal.egress.test:8443/tin-tuc/">c</a> <a href="http://internal.egress.test/">d</a>
<a href="http://[fd77::20]/">e</a> <a href="http://192.168.77.20/">f</a>
<link rel="alternate" type="application/rss+xml" href="http://10.77.0.20/rss.xml">
<link rel="alternate" type="application/atom+xml" href="https://portal.egress.test:8443/feed">
<form action="http://10.77.0.20/tim-kiem" method="get"><input type="text" name="q"></form>
"""
HOME = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="600; url=http://169.254.169.254/latest/">
<title>Cổng thông tin điện tử xã (egress)</title>{links}</head><body><main><h1>Ủy ban nhân dân xã</h1>
<p>Tin ngày 01/12/2026: công tác chuyển đổi số.</p></main>
<footer>Cơ quan chủ quản: Ủy ban nhân dân xã. Người chịu trách nhiệm: Chủ tịch UBND xã.
Địa chỉ: thôn 1, xã (egress). Điện thoại: 0237 3852 456. Email: ubnd@egress.test. Giấy phép số 12/GP-STTTT.</footer>
</body></html>"""
ROBOTS = ("User-agent: *\nAllow: /\nSitemap: http://10.77.0.20/sitemap.xml\n"
          "Sitemap: https://portal.egress.test:8443/sitemap.xml\n")
SITEMAP = ("<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
           "<url><loc>http://10.77.0.20/bai-1.html</loc><lastmod>2026-12-01</lastmod></url>"
           "<url><loc>https://portal.egress.test:8443/bai-2.html</loc><lastmod>2026-12-01</lastmod></url>"
           "<url><loc>http://169.254.169.254/bai-3.html</loc><lastmod>2026-12-01</lastmod></url>"
           "<url><loc>/bai-4.html</loc><lastmod>2026-12-01</lastmod></url></urlset>")
# Where each portal's plain HTTP home sends the scanner (None: to its own HTTPS home).
REDIRECTS = {
    "ip.egress.test": "http://10.77.0.20/",
    "rebind.egress.test": "http://rebound.egress.test/",
    "dual.egress.test": "http://twofold.egress.test/",
    "port.egress.test": "https://port.egress.test:8443/",
    "metadata.egress.test": "http://169.254.169.254/latest/meta-data/",
    "inside.egress.test": "http://internal.egress.test/",
    "public.egress.test": "http://web.egress.test:8080/",
}


def response(status, body, extra=""):
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}[status]
    raw = body.encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(raw)}\r\nConnection: close\r\n{extra}\r\n")
    return head.encode() + raw


def route(host, path, tls, public):
    host = host.split(":")[0].lower()
    if not tls and public:
        return response(301, "", f"Location: https://{host}/\r\n")
    if not tls:
        target = REDIRECTS.get(host)
        if target is None:
            return response(301, "", f"Location: https://{host}/\r\n")
        return response(302, "", f"Location: {target}\r\n")
    if path == "/robots.txt":
        return response(200, ROBOTS)
    if path == "/sitemap.xml":
        return response(200, SITEMAP)
    if path in ("/", "/index.html", "/bai-4.html"):
        return response(200, HOME.format(links=INSIDE_LINKS))
    return response(404, "<p>Không tìm thấy</p>")


async def serve_http(reader, writer, tls, public=False):
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else "/"
        host = next((line.split(":", 1)[1].strip() for line in lines[1:] if line.lower().startswith("host:")), "")
        writer.write(route(host, path.split("?")[0], tls, public))
        await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError,
            ssl.SSLError):
        pass
    finally:
        writer.close()


def tls_context():
    contexts = {}
    for name in ("portal", "aia", "untrusted"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(f"{DIR}/{name}.pem", f"{DIR}/{name}.key")
        contexts[name] = context
    default = contexts["portal"]

    def pick(sock, server_name, _):
        label = (server_name or "").split(".")[0]
        if label in contexts:
            sock.context = contexts[label]

    default.sni_callback = pick
    return default


def sink(key):
    async def handle(_reader, writer):
        counts[key] += 1
        record()
        writer.close()
    return handle


async def main():
    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(DNS, local_addr=("10.77.0.53", 53))
    context = tls_context()
    servers = [
        await asyncio.start_server(lambda r, w: serve_http(r, w, False), PORTAL, 80),
        await asyncio.start_server(lambda r, w: serve_http(r, w, True), PORTAL, 443, ssl=context),
        await asyncio.start_server(lambda r, w: serve_http(r, w, False, True), PUBLIC, 80),
        await asyncio.start_server(lambda r, w: serve_http(r, w, True, True), PUBLIC, 443, ssl=context),
    ]
    for host, port in SINKS:
        servers.append(await asyncio.start_server(sink(f"{host} {port}"), host, port))
    record()
    with open(f"{DIR}/ready", "w") as out:
        out.write(str(os.getpid()))
    await asyncio.gather(*(server.serve_forever() for server in servers))


asyncio.run(main())
