#!/usr/bin/env python3
"""A TCP proxy to PostgreSQL that loses one COMMIT's reply (the tests of idempotent history writes).

Usage: pg-drop-proxy.py PG_PORT TRIGGER

Listens on 127.0.0.1 (a free port, printed on the first line of standard output) and forwards every
connection to 127.0.0.1:PG_PORT. The first time a client sends a statement containing TRIGGER, the proxy
waits for the server's reply to the COMMIT that follows, closes both sides without passing that reply on,
and prints "dropped" (encryption is declined, so the statements are seen): the transaction is committed, and the client only sees its connection lost. Every
other connection, before and after, is forwarded unchanged. Loopback only.
"""
import socket
import sys
import threading

pg_port = int(sys.argv[1])
trigger = sys.argv[2].encode()
state = {"armed": True, "waiting": None}
lock = threading.Lock()


def pump(source, target, connection, upstream):
    """Copies source to target; the server side of an armed connection stops at its COMMIT reply."""
    seen = b""
    opening = upstream
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            if opening:
                # An SSLRequest or GSSENCRequest (length 8, then its code) is declined here: the statements
                # must pass in the clear for the proxy to see them.
                if len(data) == 8 and data[4:] in (b"\x04\xd2\x16\x2f", b"\x04\xd2\x16\x30"):
                    source.sendall(b"N")
                    continue
                opening = False
            with lock:
                if upstream and state["armed"] and trigger in seen + data:
                    state["armed"] = False
                    state["waiting"] = connection
                waiting = state["waiting"] is connection
            if not upstream and waiting and b"COMMIT\x00" in data:
                with lock:
                    state["waiting"] = None
                print("dropped", flush=True)
                break
            seen = (seen + data)[-len(trigger):]
            target.sendall(data)
    except OSError:
        pass
    for side in (source, target):
        try:
            side.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        side.close()


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    while True:
        client, _ = listener.accept()
        server = socket.create_connection(("127.0.0.1", pg_port))
        connection = object()
        threading.Thread(target=pump, args=(client, server, connection, True), daemon=True).start()
        threading.Thread(target=pump, args=(server, client, connection, False), daemon=True).start()


main()
