#!/usr/bin/env python3
"""Legacy TLS portals for the lab, served by tlslite-ng (pure Python), which still speaks what OpenSSL 3
removed: SSLv3, 3DES, RC4, NULL. Loopback only (127.0.0.1 and ::1).

  lab-tls.py CASES.tsv

Each line of CASES.tsv: name, port, cert, key, page, settings (JSON: min, max as "3.0"…"3.3", ciphers,
macs, kx as tlslite-ng names). Every connection gets one HTTP/1.1 response with the lab's good headers.
"""
import email.utils
import json
import os
import signal
import socket
import sys
import threading

from tlslite import HandshakeSettings, TLSConnection, X509, X509CertChain, parsePEMKey

signal.signal(signal.SIGTERM, signal.SIG_DFL)

HEADERS = [
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Set-Cookie", "PHPSESSID=lab0123; Path=/; Secure; HttpOnly; SameSite=Lax"),
]


def version(text):
    major, minor = text.split(".")
    return (int(major), int(minor))


def serve(listener, chain, key, settings, page, last_modified):
    while True:
        client, _ = listener.accept()
        threading.Thread(target=answer, args=(client, chain, key, settings, page, last_modified), daemon=True).start()


def answer(client, chain, key, settings, page, last_modified):
    client.settimeout(10)
    connection = TLSConnection(client)
    try:
        connection.handshakeServer(certChain=chain, privateKey=key, settings=settings)
        request = b""
        while b"\r\n\r\n" not in request and len(request) < 16384:
            data = connection.recv(4096)
            if not data:
                return
            request += data
        path = request.split(b" ")[1] if request.count(b" ") >= 2 else b"/"
        status, body = ("200 OK", page) if path in (b"/", b"/index.html") else ("404 Not Found", b"not found\n")
        head = [f"HTTP/1.1 {status}", "Server: nginx", "Content-Type: text/html; charset=utf-8",
                f"Content-Length: {len(body)}", f"Last-Modified: {last_modified}", "Connection: close"]
        head += [f"{name}: {value}" for name, value in HEADERS]
        connection.write(("\r\n".join(head) + "\r\n\r\n").encode() + (body if not request.startswith(b"HEAD") else b""))
        connection.close()
    except Exception:
        pass
    finally:
        try:
            client.close()
        except OSError:
            pass


def main():
    threads = []
    for line in open(sys.argv[1], encoding="utf-8"):
        if not line.strip():
            continue
        name, port, cert, key, page_file, options = line.rstrip("\n").split("\t")
        options = json.loads(options)
        chain = X509CertChain()
        chain.parsePemList(open(cert).read())
        private = parsePEMKey(open(key).read(), private=True)
        settings = HandshakeSettings()
        settings.minVersion = version(options.get("min", "3.1"))
        settings.maxVersion = version(options.get("max", "3.3"))
        # `versions` is what a client's supported_versions extension is matched against: keep it in range.
        settings.versions = [v for v in [(3, 4), (3, 3), (3, 2), (3, 1), (3, 0)]
                             if settings.minVersion <= v <= settings.maxVersion]
        if "ciphers" in options:
            settings.cipherNames = options["ciphers"]
        if "macs" in options:
            settings.macNames = options["macs"]
        if "kx" in options:
            settings.keyExchangeNames = options["kx"]
        settings.minKeySize = 512
        page = open(page_file, "rb").read()
        stamp = os.path.getmtime(page_file)
        last_modified = email.utils.formatdate(stamp, usegmt=True)
        for family, address in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            listener = socket.socket(family, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind((address, int(port)))
            listener.listen(64)
            thread = threading.Thread(target=serve, args=(listener, chain, private, settings, page, last_modified),
                                      daemon=True)
            thread.start()
            threads.append(thread)
    print("ready", flush=True)
    for thread in threads:
        thread.join()


main()
