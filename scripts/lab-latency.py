#!/usr/bin/env python3
"""A loopback TCP proxy that adds round-trip time, so the lab behaves like a real network: it listens on
LISTEN (e.g. 127.0.0.2) on each PORT, forwards to TARGET (127.0.0.1) on the same port, holds every chunk
DELAY milliseconds in each direction (one round trip = 2 × DELAY) and a new connection one round trip
before its first byte goes through (the TCP handshake). Loopback only.

  lab-latency.py LISTEN TARGET DELAY_MS PORT...
"""
import asyncio
import signal
import sys

signal.signal(signal.SIGTERM, signal.SIG_DFL)
listen, target, delay = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000
ports = [int(p) for p in sys.argv[4:]]
assert listen.startswith("127.") and target.startswith("127."), "loopback only"


async def pump(reader, writer, start):
    """Copies reader to writer, each chunk DELAY later than it arrived, in order."""
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def later():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                break
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    sender = asyncio.create_task(later())
    try:
        while True:
            data = await reader.read(65536)
            due = max(loop.time(), start) + delay
            await queue.put((due, data if data else None))
            if not data:
                break
    except (ConnectionError, OSError):
        await queue.put((loop.time(), None))
    try:
        await sender
    except (ConnectionError, OSError):
        pass


async def handle(client_reader, client_writer, port):
    loop = asyncio.get_running_loop()
    start = loop.time() + 2 * delay  # the TCP handshake's round trip
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(target, port)
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(
        pump(client_reader, upstream_writer, start), pump(upstream_reader, client_writer, start),
        return_exceptions=True)
    for w in (client_writer, upstream_writer):
        try:
            w.close()
        except OSError:
            pass


async def main():
    servers = [await asyncio.start_server(lambda r, w, p=p: handle(r, w, p), listen, p, backlog=1024) for p in ports]
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
