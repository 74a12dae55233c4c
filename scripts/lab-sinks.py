#!/usr/bin/env python3
"""Small loopback servers for the monitor's tests (Python stdlib only, 127.0.0.1 only):

  lab-sinks.py portal  PORT CERT KEY [PAGE]   an HTTPS portal the test stops and starts again; with PAGE, "/"
                                              serves that file as it is at each request, /tai-lieu/NAME the
                                              file NAME beside it when there is one (others are 404)
  lab-sinks.py portals ADDRESS PORT CERT KEY  an HTTPS portal answering every name and path on ADDRESS (a
                                              shared server of many portals, for Benchmarks/monitor.sh)
  lab-sinks.py webhook PORT OUTFILE           records every POST body, one JSON per line
  lab-sinks.py smtp    PORT CERT KEY OUTFILE [MAILDIR]
                                              an SMTP sink with STARTTLS; records each message's event header,
                                              and with MAILDIR each whole message in MAILDIR/new, its envelope
                                              recipients first as "X-Lab-Rcpt-To:"
  lab-sinks.py headers PORT CERT KEY TOTAL    an HTTPS portal whose response headers take exactly TOTAL bytes
  lab-sinks.py count   PORT OUTFILE           accepts TCP connections, holds each 300 ms, and writes the most
                                              ever open at once to OUTFILE after each close
  lab-sinks.py interim PORT CERT KEY          an HTTPS portal that sends 50,000 interim 1xx responses first
"""
import os
import socket
import threading
import time
import http.server
import signal
import socketserver
import ssl
import sys

signal.signal(signal.SIGTERM, signal.SIG_DFL)
mode = sys.argv[1]


def tls_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def serve_raw_tls(port, cert, key, chunks):
    """An HTTPS server that answers every request (read to its blank line) with `chunks` as they are."""
    context = tls_context(cert, key)

    class Raw(socketserver.StreamRequestHandler):
        def handle(self):
            try:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                for chunk in chunks:
                    self.wfile.write(chunk)
            except (OSError, ssl.SSLError):
                pass

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

        def get_request(self):
            sock, address = self.socket.accept()
            return context.wrap_socket(sock, server_side=True), address

    Server(("127.0.0.1", port), Raw).serve_forever()


if mode == "portal":
    port, cert, key = int(sys.argv[2]), sys.argv[3], sys.argv[4]
    page_file = sys.argv[5] if len(sys.argv) > 5 else None
    fixed = "<html><head><title>Cổng giám sát</title></head><body>Cổng thông tin điện tử</body></html>".encode()

    class Portal(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            page = fixed
            kind = "text/html; charset=utf-8"
            if page_file and self.path.startswith("/tai-lieu/"):
                name = os.path.basename(self.path)
                path = os.path.join(os.path.dirname(page_file), name)
                if name and os.path.isfile(path):
                    with open(path, "rb") as f:
                        page = f.read()
                    kind = "application/octet-stream"
                else:
                    page = None
            elif page_file and self.path == "/":
                with open(page_file, "rb") as f:
                    page = f.read()
            elif page_file:
                page = None
            if page is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Portal)
    server.socket = tls_context(cert, key).wrap_socket(server.socket, server_side=True)
    server.serve_forever()

elif mode == "portals":
    address, port, cert, key = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    page = "<html><head><title>Cổng xã</title></head><body>Cổng thông tin điện tử của xã</body></html>".encode()

    class Shared(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        allow_reuse_address = True
        daemon_threads = True
        request_queue_size = 256

    server = Server((address, port), Shared)
    server.socket = tls_context(cert, key).wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.serve_forever()

elif mode == "webhook":
    port, out = int(sys.argv[2]), sys.argv[3]

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with open(out, "ab") as f:
                f.write(body.replace(b"\n", b" ") + b"\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Hook).serve_forever()

elif mode == "smtp":
    port, cert, key, out = int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    maildir = sys.argv[6] if len(sys.argv) > 6 else None
    if maildir:
        for sub in ("new", "tmp", "cur"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)
    context = tls_context(cert, key)
    delivered = [0]
    lock = threading.Lock()

    class SMTP(socketserver.StreamRequestHandler):
        def handle(self):
            conn = self.connection
            reader = conn.makefile("rb")

            def send(line):
                conn.sendall(line.encode() + b"\r\n")

            send("220 lab SMTP sink")
            tls = False
            recipients = []
            while True:
                line = reader.readline()
                if not line:
                    return
                command = line.decode(errors="replace").strip()
                verb = command.split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    conn.sendall(b"250-lab\r\n" + (b"" if tls else b"250-STARTTLS\r\n") + b"250 8BITMIME\r\n")
                elif verb == "STARTTLS":
                    send("220 go ahead")
                    conn = context.wrap_socket(conn, server_side=True)
                    reader = conn.makefile("rb")
                    tls = True
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip().strip("<>") if ":" in command else "?")
                    send("250 ok")
                elif verb in ("MAIL", "RSET", "NOOP"):
                    if verb != "NOOP":
                        recipients.clear()
                    send("250 ok")
                elif verb == "DATA":
                    if not tls:
                        send("530 STARTTLS first")
                        continue
                    send("354 end with .")
                    lines = []
                    while True:
                        data = reader.readline()
                        if not data or data in (b".\r\n", b".\n"):
                            break
                        lines.append(data.decode(errors="replace").rstrip("\r\n"))
                    event = next((l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("x-portal-audit-event:")), "?")
                    with lock:
                        with open(out, "a") as f:
                            f.write(event + "\n")
                        if maildir:
                            delivered[0] += 1
                            name = f"{time.time():.6f}.{os.getpid()}.{delivered[0]}.eml"
                            with open(os.path.join(maildir, "tmp", name), "w") as f:
                                f.write("X-Lab-Rcpt-To: " + ",".join(recipients) + "\n" + "\n".join(lines) + "\n")
                            os.replace(os.path.join(maildir, "tmp", name), os.path.join(maildir, "new", name))
                    recipients.clear()
                    send("250 queued")
                elif verb == "QUIT":
                    send("221 bye")
                    return
                else:
                    send("502 not implemented")

    class Server(socketserver.ThreadingTCPServer):
        allow_reuse_address = True
        daemon_threads = True

    Server(("127.0.0.1", port), SMTP).serve_forever()
elif mode == "headers":
    port, cert, key, total = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
    status = b"HTTP/1.1 200 OK\r\n"
    fixed = status + b"Content-Length: 0\r\n" + b"\r\n"
    # Filler lines of 1,000 bytes (under the 8 KiB line cap, and few enough for the 100-line cap), the
    # last one sized so that every header byte, status line and blank line included, adds up to TOTAL.
    lines, left = [], total - len(fixed)
    while left > 0:
        size = 1000 if left >= 2000 else left
        name = b"X-Fill-%02d: " % len(lines)
        lines.append(name + b"a" * (size - len(name) - 2) + b"\r\n")
        left -= size
    response = status + b"".join(lines) + b"Content-Length: 0\r\n\r\n"
    assert len(response) == total, (len(response), total)

    serve_raw_tls(port, cert, key, [response])

elif mode == "interim":
    # 50,000 interim "103 Early Hints" responses (1.6 MB) before the final 200: a client that restarts its
    # header counters at each status line reads them all.
    port, cert, key = int(sys.argv[2]), sys.argv[3], sys.argv[4]
    interim = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
    final = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    serve_raw_tls(port, cert, key, [interim * 1000] * 50 + [final])

elif mode == "count":
    port, out = int(sys.argv[2]), sys.argv[3]
    lock, state = threading.Lock(), {"open": 0, "peak": 0}
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(512)

    def hold(conn):
        with lock:
            state["open"] += 1
            state["peak"] = max(state["peak"], state["open"])
        time.sleep(0.3)
        conn.close()
        with lock:
            state["open"] -= 1
            # Atomically: a reader never sees the file truncated and not yet written.
            with open(out + ".tmp", "w") as f:
                f.write(str(state["peak"]))
            os.replace(out + ".tmp", out)

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=hold, args=(conn,), daemon=True).start()
else:
    sys.exit("usage: lab-sinks.py portal|webhook|smtp|headers|interim|count …")
