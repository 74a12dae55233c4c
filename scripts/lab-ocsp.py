#!/usr/bin/env python3
"""The lab CA's OCSP responder on 127.0.0.1 only (`openssl ocsp -port` would listen on every address):
each POSTed request is answered by `openssl ocsp` from the CA's index, signed by the CA itself.

  lab-ocsp.py PORT PKI-DIR
"""
import http.server
import os
import signal
import subprocess
import sys
import tempfile

signal.signal(signal.SIGTERM, signal.SIG_DFL)
port, pki = int(sys.argv[1]), sys.argv[2]


class Responder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = min(int(self.headers.get("Content-Length", "0")), 65536)
        request = self.rfile.read(length)
        with tempfile.TemporaryDirectory() as folder:
            req, resp = os.path.join(folder, "req.der"), os.path.join(folder, "resp.der")
            with open(req, "wb") as f:
                f.write(request)
            subprocess.run(
                ["openssl", "ocsp", "-index", f"{pki}/db/index.txt", "-rsigner", f"{pki}/ca.pem", "-rkey",
                 f"{pki}/ca.key", "-CA", f"{pki}/ca.pem", "-ndays", "1", "-reqin", req, "-respout", resp],
                capture_output=True, timeout=10)
            body = open(resp, "rb").read() if os.path.exists(resp) else b""
        self.send_response(200 if body else 500)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Responder).serve_forever()
