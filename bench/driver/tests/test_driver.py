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

from berthbench import fixtures, hostnet, loopback, procs, report
from berthbench.__main__ import parse_args
from berthbench.http import HttpError, UnixHttp
from berthbench.results import Metric, Results, Target, at_least, at_most
from berthbench.scenarios import all_scenarios, host_port


def accept_loop(server, handle):
    """Calls handle(connection) for each connection accepted on server, in a daemon thread, until it is closed."""
    def loop():
        while True:
            try:
                c, _ = server.accept()
            except OSError:
                return
            handle(c)
    threading.Thread(target=loop, daemon=True).start()


class FakeEngine:
    """Answers each request from a table of raw responses, keeping connections alive as servers do."""

    def __init__(self, path, answers):
        self.path = path
        self.answers = answers
        self.requests = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(8)
        accept_loop(self.server, lambda c: threading.Thread(target=self._serve, args=(c,), daemon=True).start())

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


class LoopbackServer:
    """A TCP server on 127.0.0.1 that stands in for a published port: the first `refuse` connections are closed
    unanswered (a proxy whose container does not listen yet), later ones get `answer` and are closed."""

    def __init__(self, answer, refuse=0):
        self.answer = answer
        self.refuse = refuse
        self.accepted = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        accept_loop(self.server, self._answer)

    def _answer(self, c):
        self.accepted += 1
        with c:
            if self.accepted > self.refuse:
                c.recv(65536)
                c.sendall(self.answer)

    def close(self):
        self.server.close()


class LoopbackTest(unittest.TestCase):
    def test_get_reads_the_status_and_counts_the_body_to_the_end(self):
        srv = LoopbackServer(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + b"x" * 300_000)
        try:
            self.assertEqual(loopback.get(srv.port, "/big"), (200, 300_000))
            self.assertEqual(loopback.download(srv.port, "/big")[0], 300_000)
        finally:
            srv.close()

    def test_a_connection_closed_unanswered_is_not_yet_an_answer(self):
        srv = LoopbackServer(b"HTTP/1.0 404 Not Found\r\n\r\n", refuse=3)
        try:
            self.assertEqual(loopback.get(srv.port, "/"), (None, 0))
            self.assertIsNotNone(loopback.wait_answer(srv.port, "/", 10, poll_s=0.001))
            self.assertEqual(srv.accepted, 4)
        finally:
            srv.close()

    def test_waiting_on_a_port_nobody_listens_on_ends_at_the_deadline(self):
        s = socket.create_server(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        self.assertIsNone(loopback.wait_answer(port, "/", 0.2))

    def test_sequential_gets_check_every_answer(self):
        srv = LoopbackServer(b"HTTP/1.0 200 OK\r\n\r\nok\n")
        try:
            self.assertGreater(loopback.sequential_gets(srv.port, "/small", 20, expect_bytes=3), 0)
            self.assertEqual(srv.accepted, 20)
            with self.assertRaises(loopback.BadAnswer):
                loopback.sequential_gets(srv.port, "/small", 2, expect_bytes=4)
        finally:
            srv.close()

    def test_the_host_port_is_the_ipv4_binding(self):
        docker = {"NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"},
                                                            {"HostIp": "::", "HostPort": "49154"}]}}}
        berth = {"NetworkSettings": {"Ports": {"80/tcp": [{"HostIp": "", "HostPort": "40001"}]}}}
        self.assertEqual(host_port(docker, "80/tcp"), 49153)
        self.assertEqual(host_port(berth, "80/tcp"), 40001)
        with self.assertRaises(RuntimeError):
            host_port({"NetworkSettings": {"Ports": {}}}, "80/tcp")


class ScenarioListTest(unittest.TestCase):
    def test_published_ports_are_a_scenario_with_quick_sizes(self):
        cfg = parse_args(["--engines", "e", "--work", "w", "--busybox-tar", "b", "--results-dir", "r", "--quick"])
        n = {sc.key: sc for sc in all_scenarios(cfg)}["n"]
        self.assertEqual((n.conns, n.size_mb), (50, 20))
        self.assertEqual([m.key for m in n.metrics], ["n.ready", "n.conn", "n.mbps", "n.rss"])
        self.assertEqual({m.better for m in n.metrics if m.unit in ("conn/s", "MB/s")}, {"higher"})


DOCKER_AND_BERTH = """# Generated by iptables-save v1.8.9 (nf_tables)
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:BERTH-FORWARD - [0:0]
:BERTH-PORTS - [0:0]
:DOCKER - [0:0]
:DOCKER-ISOLATION-STAGE-1 - [0:0]
:DOCKER-ISOLATION-STAGE-2 - [0:0]
:DOCKER-USER - [0:0]
-A INPUT -i eth0 -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j BERTH-PORTS
-A FORWARD -j DOCKER-USER
-A FORWARD -j DOCKER-ISOLATION-STAGE-1
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -o docker0 -j DOCKER
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -j BERTH-FORWARD
-A FORWARD -i berth0 -j ACCEPT
-A BERTH-PORTS -d 172.30.0.2/32 -p tcp -m comment --comment "berth:0a1b2c3d4e5f:abc" -m tcp --dport 80 -j ACCEPT
-A DOCKER -d 10.219.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
-A DOCKER-ISOLATION-STAGE-1 -j RETURN
-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
-A DOCKER-ISOLATION-STAGE-2 -j RETURN
-A DOCKER-USER -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:BERTH-PORTS - [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j BERTH-PORTS
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 10.219.0.0/24 ! -o docker0 -j MASQUERADE
-A POSTROUTING -s 10.219.0.2/32 -d 10.219.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE
-A POSTROUTING -s 172.30.0.0/16 ! -o berth0 -j MASQUERADE
-A POSTROUTING -s 10.9.0.0/16 -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.219.0.2:80
COMMIT
"""


class HostNetTest(unittest.TestCase):
    def test_removes_dockers_rules_and_chains_only(self):
        cmds = hostnet.plan(DOCKER_AND_BERTH, "docker0", "10.219.0.1/24")
        text = "\n".join(" ".join(c) for c in cmds)
        self.assertNotIn("berth", text.lower())
        self.assertNotIn("-F", [c[2] for c in cmds])
        self.assertNotIn("--dport 22", text)
        self.assertNotIn("10.9.0.0/16", text)
        self.assertIn(["-t", "filter", "-D", "FORWARD", "-j", "DOCKER-USER"], cmds)
        self.assertIn(["-t", "filter", "-D", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"], cmds)
        self.assertIn(["-t", "nat", "-D", "OUTPUT", "!", "-d", "127.0.0.0/8", "-m", "addrtype", "--dst-type", "LOCAL",
                       "-j", "DOCKER"], cmds)
        self.assertIn(["-t", "nat", "-D", "POSTROUTING", "-s", "10.219.0.0/24", "!", "-o", "docker0", "-j",
                       "MASQUERADE"], cmds)
        self.assertEqual(sum(c[:4] == ["-t", "nat", "-D", "POSTROUTING"] for c in cmds), 2)
        self.assertEqual(sum(c[:4] == ["-t", "filter", "-D", "FORWARD"] for c in cmds), 6)
        deleted = [(c[1], c[3]) for c in cmds if c[2] == "-X"]
        self.assertEqual(sorted(deleted), [("filter", "DOCKER"), ("filter", "DOCKER-ISOLATION-STAGE-1"),
                                           ("filter", "DOCKER-ISOLATION-STAGE-2"), ("filter", "DOCKER-USER"),
                                           ("nat", "DOCKER")])
        # A chain is deleted only after every rule that jumps to it: all -D come before the first -X.
        kinds = [c[2] for c in cmds]
        self.assertEqual(kinds, sorted(kinds))

    def test_a_docker_chain_holding_a_berth_rule_is_kept(self):
        text = "*filter\n:DOCKER-USER - [0:0]\n-A DOCKER-USER -i berth0 -j ACCEPT\n-A DOCKER-USER -j RETURN\nCOMMIT\n"
        self.assertEqual(hostnet.plan(text, "docker0"), [["-t", "filter", "-D", "DOCKER-USER", "-j", "RETURN"]])

    def test_nothing_to_do_on_a_clean_host(self):
        self.assertEqual(hostnet.plan("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n", "docker0",
                                      "10.219.0.1/24"), [])


if __name__ == "__main__":
    unittest.main()
