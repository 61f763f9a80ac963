"""A plain HTTP/1.0 client for published ports, on 127.0.0.1 only: the bench never sends traffic anywhere else.

One connection per request, read to the end of the stream (HTTP/1.0 without keep-alive), so each request is a
whole TCP connection through the engine's userland proxy: accept, connect to the container, relay, close.
"""

import socket
import time

HOST = "127.0.0.1"


class BadAnswer(Exception):
    pass


def get(port, path, timeout=5.0, bufsize=1 << 16):
    """GETs path from 127.0.0.1:port and reads until the server closes. Returns (status, body bytes); status is None
    when the connection ended (closed or reset) before any answer, as a proxy does while nothing listens behind it."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        head = bytearray()
        status_line = None
        body = 0
        buf = bytearray(bufsize)
        try:
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: {HOST}\r\n\r\n".encode("latin-1"))
            while n := s.recv_into(buf):
                if status_line is not None:
                    body += n
                    continue
                head += buf[:n]
                end = head.find(b"\r\n\r\n")
                if end >= 0:
                    status_line = bytes(head[:head.find(b"\r\n")])
                    body = len(head) - end - 4
        except (ConnectionResetError, BrokenPipeError):
            if status_line is not None or head:
                raise
            return None, 0
    if status_line is None:
        if not head:
            return None, 0
        raise BadAnswer(f"no end of header in {bytes(head[:200])!r}")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise BadAnswer(f"not an HTTP answer: {status_line[:200]!r}")
    return int(parts[1]), body


def wait_answer(port, path, deadline_s, poll_s=0.002, attempt_s=1.0):
    """Polls with short connections until a GET gets an HTTP status line back; returns the perf_counter time of
    that answer, or None at the deadline. A connection that is refused, closed, reset or silent counts as not yet."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            status, _ = get(port, path, timeout=attempt_s)
            if status is not None:
                return time.perf_counter()
        except (OSError, BadAnswer):
            pass
        time.sleep(poll_s)
    return None


def sequential_gets(port, path, count, expect_bytes=None, timeout=10.0):
    """`count` GETs one after the other, each on its own connection; returns the wall time in seconds. Each must be
    a 200 (with `expect_bytes` of body, when given)."""
    t0 = time.perf_counter()
    for i in range(count):
        status, n = get(port, path, timeout=timeout)
        if status != 200 or (expect_bytes is not None and n != expect_bytes):
            raise BadAnswer(f"GET {path} #{i + 1} through 127.0.0.1:{port}: status {status}, {n} bytes")
    return time.perf_counter() - t0


def download(port, path, timeout=60.0):
    """One GET read to the end; returns (body bytes, seconds from connect to the end of the stream)."""
    t0 = time.perf_counter()
    status, n = get(port, path, timeout=timeout, bufsize=1 << 20)
    elapsed = time.perf_counter() - t0
    if status != 200:
        raise BadAnswer(f"GET {path} through 127.0.0.1:{port}: status {status}")
    return n, elapsed
