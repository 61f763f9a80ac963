"""Tests of the benchmark driver's own parts: the HTTP client against a real unix-socket server, the archive it
loads into both engines, the verdicts and the table. Run: cd bench/driver && python3 -m unittest -v"""

import hashlib
import json
import os
import socket
import subprocess
import tarfile
import tempfile
import threading
import unittest

from berthbench import fixtures, procs, report
from berthbench.http import HttpError, UnixHttp
from berthbench.results import Metric, Results, Target, at_least, at_most


class FakeEngine:
    """Answers each request from a table of raw responses, keeping connections alive as servers do."""

    def __init__(self, path, answers):
        self.path = path
        self.answers = answers
        self.requests = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        f = c.makefile("rb")
        while True:
            line = f.readline()
            if not line:
                break
            method, target, _ = line.decode().split(" ", 2)
            headers = {}
            while (h := f.readline()) not in (b"\r\n", b""):
                k, _, v = h.decode().partition(":")
                headers[k.strip().lower()] = v.strip()
            body = f.read(int(headers.get("content-length", 0)))
            self.requests.append((method, target, headers, body))
            answer = self.answers[target.split("?")[0]]
            c.sendall(answer)
            if headers.get("connection") == "close":
                break
        c.close()

    def close(self):
        self.server.close()


def chunked(*parts):
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


class HttpClientTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.sock = os.path.join(self.dir, "e.sock")
        self.engine = FakeEngine(self.sock, {
            "/json": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"Id\":\"abc1\"}",
            "/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(b"hello ", b"world"),
            "/empty": b"HTTP/1.1 204 No Content\r\n\r\n",
            "/nope": b"HTTP/1.1 404 Not Found\r\nContent-Length: 29\r\n\r\n{\"message\":\"page not found\"}\n",
            "/gone": b"HTTP/1.1 404 Not Found\r\nContent-Length: 36\r\n\r\n{\"message\":\"No such container: x1\"}\n",
            "/logs": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(b"a" * 5000, b"b" * 3000),
        })

    def tearDown(self):
        self.engine.close()

    def test_reads_json_chunked_and_empty_answers_on_one_connection(self):
        with UnixHttp(self.sock) as c:
            self.assertEqual(c.request("GET", "/json").json(), {"Id": "abc1"})
            self.assertEqual(c.request("GET", "/chunked").body, b"hello world")
            self.assertEqual(c.request("POST", "/empty").status, 204)

    def test_sends_dicts_as_json_with_their_length(self):
        with UnixHttp(self.sock) as c:
            c.request("POST", "/empty", {"Image": "busybox"})
        method, _, headers, body = self.engine.requests[-1]
        self.assertEqual(method, "POST")
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(json.loads(body), {"Image": "busybox"})

    def test_uploads_a_file_as_a_tar(self):
        path = os.path.join(self.dir, "up.tar")
        with open(path, "wb") as f:
            f.write(b"x" * 100_000)
        with UnixHttp(self.sock) as c:
            c.request("POST", "/empty", path)
        _, _, headers, body = self.engine.requests[-1]
        self.assertEqual(headers["content-type"], "application/x-tar")
        self.assertEqual(len(body), 100_000)

    def test_a_missing_endpoint_is_told_apart_from_a_missing_object(self):
        with UnixHttp(self.sock) as c:
            with self.assertRaises(HttpError) as missing:
                c.request("GET", "/nope")
            with self.assertRaises(HttpError) as gone:
                c.request("GET", "/gone")
        self.assertTrue(missing.exception.missing_endpoint)
        self.assertFalse(gone.exception.missing_endpoint)
        self.assertEqual(gone.exception.message, "No such container: x1")

    def test_download_counts_every_byte_to_the_end_of_the_stream(self):
        raw = UnixHttp(self.sock).download("GET", "/logs")
        framing = len(chunked(b"a" * 5000, b"b" * 3000)) - 8000
        self.assertEqual(raw, 8000 + framing)


class ArchiveTest(unittest.TestCase):
    def test_image_archive_is_loadable_by_docker_manifest_rules(self):
        with tempfile.TemporaryDirectory() as d:
            out = fixtures.image_archive(os.path.join(d, "img.tar"), "benchbig:latest", 300_000, 3)
            with tarfile.open(out) as t:
                manifest = json.load(t.extractfile("manifest.json"))[0]
                config = json.load(t.extractfile(manifest["Config"]))
                self.assertEqual(manifest["RepoTags"], ["benchbig:latest"])
                self.assertEqual(len(manifest["Layers"]), 3)
                for path, diff_id in zip(manifest["Layers"], config["rootfs"]["diff_ids"]):
                    data = t.extractfile(path).read()
                    self.assertEqual("sha256:" + hashlib.sha256(data).hexdigest(), diff_id)
                    self.assertEqual(path, "blobs/sha256/" + diff_id.removeprefix("sha256:"))
                index = json.load(t.extractfile("index.json"))
                self.assertEqual(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"], "latest")
            self.assertGreater(os.path.getsize(out), 300_000)
            self.assertEqual(os.listdir(d), ["img.tar"])


class VerdictTest(unittest.TestCase):
    def test_time_targets_compare_the_ratio_of_medians(self):
        self.assertEqual(at_most(0.5).verdict(40, 100), "met")
        self.assertEqual(at_most(0.5).verdict(60, 100), "NOT met")
        self.assertEqual(at_least(2).verdict(250, 100), "met")
        self.assertEqual(at_least(2).verdict(150, 100), "NOT met")

    def test_save_and_load_must_beat_docker_and_reach_70_percent_of_the_disk(self):
        t = Target("disk_min", 0.7, "")
        self.assertEqual(t.verdict(300, 200, disk_mbps=400), "met")
        self.assertEqual(t.verdict(250, 200, disk_mbps=400), "NOT met")
        self.assertEqual(t.verdict(300, 350, disk_mbps=400), "NOT met")

    def test_absolute_target_ignores_docker(self):
        self.assertEqual(Target("abs_max", 3, "").verdict(2.5, 13), "met")


class TableTest(unittest.TestCase):
    def test_table_shows_median_range_ratio_and_skip_reasons(self):
        r = Results()
        r.declare(Metric("a.api", "run", "ms", target=at_most(0.5)))
        r.declare(Metric("e.load_api", "load", "MB/s", "higher"))
        for v in (300, 200, 250):
            r.add("a.api", "berth", v)
        for v in (600, 500, 550):
            r.add("a.api", "docker", v)
        r.skip("e.load_api", "berth", "skipped: needs save/load (GET /images/get answers 404)")
        r.add("e.load_api", "docker", 210.0)
        text = report.text_table(r)
        self.assertIn("250 (200-300)", text)
        self.assertIn("550 (500-600)", text)
        self.assertIn("0.45x", text)
        self.assertIn(" met", text)
        self.assertIn("skipped: needs save/load", text)
        self.assertIn("| e.load_api | load | MB/s | skipped: needs save/load", report.markdown_table(r))


class ProcsTest(unittest.TestCase):
    def test_tree_finds_children_and_memory_is_counted(self):
        p = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
        try:
            for _ in range(100):
                kids = [x for x in procs.tree(p.pid) if x != p.pid]
                if kids:
                    break
                threading.Event().wait(0.01)
            self.assertEqual([procs.comm(k) for k in kids], ["sleep"])
            self.assertGreater(procs.memory_kb([p.pid]), 0)
        finally:
            p.kill()
            p.wait()
            for k in kids:
                try:
                    os.kill(k, 9)
                except ProcessLookupError:
                    pass


if __name__ == "__main__":
    unittest.main()
