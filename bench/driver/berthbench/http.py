"""A small HTTP/1.1 client over a unix socket: the one client path both engines are measured through.

It is deliberately thin so that its own cost stays far below what it measures: keep-alive for request/response
calls, and for bulk downloads (logs, save) a close-delimited read that counts bytes without parsing the chunked
framing on the hot path.
"""

import json
import os
import socket
import time
from dataclasses import dataclass, field

BUFFER = 1 << 20


class HttpError(Exception):
    """An answer outside 2xx; `message` is the engine's own {"message": ...} text when it sent one."""

    def __init__(self, method, path, status, body):
        self.status = status
        self.method = method
        self.path = path
        try:
            self.message = json.loads(body).get("message", "")
        except (ValueError, AttributeError):
            self.message = body[:200].decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        super().__init__(f"{method} {path}: {status} {self.message}")

    @property
    def missing_endpoint(self):
        """True when the engine does not serve this endpoint at all (not when an object is missing)."""
        if self.status in (405, 501):
            return True
        return self.status == 404 and self.message.strip().lower() in ("page not found", "", "not found")


@dataclass
class Response:
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        return json.loads(self.body) if self.body else None


class UnixHttp:
    """One connection to an engine's socket, reopened when the server closes it."""

    def __init__(self, socket_path, timeout=600.0):
        self.socket_path = socket_path
        self.timeout = timeout
        self._sock = None
        self._reader = None

    # -- connection -------------------------------------------------------------------------------------------

    def _connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.socket_path)
        self._sock = s
        self._reader = s.makefile("rb", buffering=BUFFER)

    def close(self):
        if self._reader:
            self._reader.close()
        if self._sock:
            self._sock.close()
        self._sock = self._reader = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- requests ---------------------------------------------------------------------------------------------

    def request(self, method, path, body=None, headers=None, ok=(200, 201, 204, 304)):
        """Sends one request and reads the whole answer. `body` may be bytes, a dict (sent as JSON) or a path."""
        reused = self._sock is not None
        try:
            self._send(method, path, body, headers, close=False)
            resp = self._read_head()
        except (ConnectionError, BrokenPipeError):
            if not reused:
                raise
            # The server closed an idle kept-alive connection: try once more on a fresh one.
            self.close()
            self._send(method, path, body, headers, close=False)
            resp = self._read_head()
        resp.body = self._read_body(resp)
        if resp.headers.get("connection", "").lower() == "close":
            self.close()
        if resp.status not in ok:
            raise HttpError(method, path, resp.status, resp.body)
        return resp

    def begin(self, method, path, body=None, headers=None):
        """Sends a request and reads only the head (the body follows later: `finish`). For /wait before /start."""
        self._send(method, path, body, headers, close=True)
        resp = self._read_head()
        if resp.status >= 300:
            resp.body = self._read_body(resp)
            self.close()
            raise HttpError(method, path, resp.status, resp.body)
        return resp

    def finish(self, resp):
        resp.body = self._read_body(resp)
        self.close()
        return resp

    def download(self, method, path, sink=None, body=None, headers=None):
        """Reads a bulk answer to the end of the connection and returns the raw byte count (framing included).

        The request says `Connection: close`, so the end of the body is the end of the stream and no chunk sizes
        need parsing: the client then costs about one recv per megabyte.
        """
        self._send(method, path, body, headers, close=True)
        resp = self._read_head()
        if resp.status >= 300:
            resp.body = self._read_body(resp)
            self.close()
            raise HttpError(method, path, resp.status, resp.body)
        total = 0
        buf = bytearray(BUFFER)
        view = memoryview(buf)
        # Whatever the buffered reader already holds comes first, then the socket directly.
        while True:
            n = self._reader.readinto(buf)
            if not n:
                break
            total += n
            if sink is not None:
                sink.write(view[:n])
        self.close()
        return total

    # -- wire ---------------------------------------------------------------------------------------------------

    def _send(self, method, path, body, headers, close):
        if self._sock is None:
            self._connect()
        hdrs = {"Host": "engine", "User-Agent": "berth-bench"}
        payload = None
        file_path = None
        if isinstance(body, dict) or isinstance(body, list):
            payload = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif isinstance(body, (bytes, bytearray)):
            payload = bytes(body)
        elif isinstance(body, (str, os.PathLike)):
            file_path = os.fspath(body)
            hdrs["Content-Type"] = "application/x-tar"
        if payload is not None:
            hdrs["Content-Length"] = str(len(payload))
        elif file_path is not None:
            hdrs["Content-Length"] = str(os.path.getsize(file_path))
        elif method in ("POST", "PUT"):
            hdrs["Content-Length"] = "0"
        if close:
            hdrs["Connection"] = "close"
        hdrs.update(headers or {})
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
        try:
            self._sock.sendall(head.encode("latin-1") + (payload or b""))
            if file_path is not None:
                with open(file_path, "rb") as f:
                    self._sock.sendfile(f)
        except (BrokenPipeError, ConnectionResetError):
            if file_path is None and payload is None:
                raise
            # The server may answer (an error) before reading the whole upload; the answer is still readable.

    def _read_head(self):
        line = self._reader.readline(65536)
        if not line:
            # A kept-alive connection the server closed meanwhile: the caller retries on a fresh one.
            self.close()
            raise ConnectionError("connection closed before an answer")
        parts = line.decode("latin-1").split(" ", 2)
        status = int(parts[1])
        headers = {}
        while True:
            h = self._reader.readline(65536)
            if h in (b"\r\n", b"\n", b""):
                break
            k, _, v = h.decode("latin-1").partition(":")
            headers[k.strip().lower()] = v.strip()
        if status == 100:
            return self._read_head()
        return Response(status, headers)

    def _read_body(self, resp):
        if resp.status in (204, 304):
            return b""
        te = resp.headers.get("transfer-encoding", "").lower()
        if "chunked" in te:
            out = bytearray()
            while True:
                size_line = self._reader.readline(65536)
                if not size_line:
                    break
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # Trailers end with an empty line.
                    while self._reader.readline(65536) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                out += self._reader.read(size)
                self._reader.readline(65536)
            return bytes(out)
        length = resp.headers.get("content-length")
        if length is not None:
            return self._reader.read(int(length))
        data = self._reader.read()
        self.close()
        return data


def ping_until_up(socket_path, deadline_s, poll_s=0.002):
    """Polls GET /_ping until it answers 200; returns the monotonic time of the first success, or None."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            with UnixHttp(socket_path, timeout=2) as c:
                c.request("GET", "/_ping")
                return time.perf_counter()
        except (OSError, ConnectionError, HttpError, ValueError, IndexError):
            time.sleep(poll_s)
    return None
