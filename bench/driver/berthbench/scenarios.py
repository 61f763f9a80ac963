"""The scenarios of issue 8, each measured on every engine through the Engine API and, where it applies, the
engine's own CLI. A scenario has an untimed setup, timed rounds (run alternately A/B by the runner) and a teardown.
"""

import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from . import loopback, procs
from .engine import CliError
from .http import HttpError, ping_until_up
from .results import Metric, Target, at_least, at_most

MB = 1_000_000
NONE_NET = {"NetworkMode": "none"}


class Skip:
    """A metric that cannot be measured on this engine yet, with the reason shown in the table."""

    def __init__(self, reason):
        self.reason = reason


# -- API helpers used by several scenarios -----------------------------------------------------------------------

_local = threading.local()


def conn(engine):
    """One kept-alive connection per thread and engine, so concurrent scenarios use many connections like real
    clients do, while sequential ones reuse theirs."""
    conns = getattr(_local, "conns", None)
    if conns is None:
        conns = _local.conns = {}
    c = conns.get(engine.name)
    if c is None:
        c = conns[engine.name] = engine.api()
    return c


def create(engine, cmd, host_config=None, name=None, config=None):
    """Creates a busybox container, on no network unless host_config names one (NetworkMode)."""
    body = {"Image": "busybox", "Cmd": cmd, "HostConfig": dict(NONE_NET, **(host_config or {})), **(config or {})}
    path = "/containers/create" + (f"?name={name}" if name else "")
    return conn(engine).request("POST", path, body).json()["Id"]


def start(engine, cid):
    conn(engine).request("POST", f"/containers/{cid}/start")


def remove(engine, cid):
    conn(engine).request("DELETE", f"/containers/{cid}?force=1&v=1", ok=(204, 404))


def wait_begin(engine, cid, condition):
    """Registers a waiter before the container starts, as `docker run` does; returns it for `wait_end`."""
    c = engine.api()
    return c, c.begin("POST", f"/containers/{cid}/wait?condition={condition}")


def wait_end(waiter):
    c, resp = waiter
    body = c.finish(resp).json()
    if body.get("Error"):
        raise RuntimeError(f"wait: {body['Error']}")
    return body.get("StatusCode")


def parallel(n, fn, items):
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(fn, items))


def check_stream(body, what):
    """Docker reports failures of import and load inside a 200 answer, as JSON lines with an error field."""
    if b'"error"' in body or b'"errorDetail"' in body:
        raise RuntimeError(f"{what}: {body[-300:].decode(errors='replace')}")


def cli_skip(engine, error):
    """A CLI row that cannot be measured: skipped while the CLI does not exist, failed when it errs."""
    return Skip(f"skipped: needs {engine.name} CLI" if engine.cli is None else f"failed: {error}")


def mib(kb):
    return kb / 1024


# -- scenarios ----------------------------------------------------------------------------------------------------


class Scenario:
    key = ""
    title = ""
    metrics = ()
    rounds = 3
    warmup = 0

    def available(self, ctx, engine):
        return None

    def setup(self, ctx, engine):
        return {}

    def round(self, ctx, engine, r):
        raise NotImplementedError

    def teardown(self, ctx, engine):
        return {}


class IdleMemory(Scenario):
    key = "g1"
    title = "memory, idle daemon"
    rounds = 1
    metrics = (
        Metric("g.idle_rss", "idle daemon RSS (berthd | dockerd+containerd)", "MiB",
               target=Target("ratio_max", 1.0, "<= dockerd+containerd")),
        Metric("g.idle_pss", "idle daemon PSS", "MiB"),
    )

    def round(self, ctx, engine, r):
        pids = engine.daemon_pids()
        return {"g.idle_rss": mib(procs.memory_kb(pids)), "g.idle_pss": mib(procs.memory_kb(pids, "pss"))}


class RunRm(Scenario):
    key = "a"
    title = "run --rm busybox true"
    warmup = 1
    rounds = 5
    metrics = (
        Metric("a.api", "run --rm true, API (create, wait, start)", "ms", target=at_most(0.5)),
        Metric("a.cli", "run --rm true, CLI", "ms", target=at_most(0.5)),
    )

    def round(self, ctx, engine, r):
        t0 = time.perf_counter()
        cid = create(engine, ["true"], {"AutoRemove": True})
        waiter = wait_begin(engine, cid, "removed")
        start(engine, cid)
        code = wait_end(waiter)
        api = (time.perf_counter() - t0) * 1000
        if code != 0:
            raise RuntimeError(f"true exited {code}")
        out = {"a.api": api}
        try:
            out["a.cli"] = engine.run_cli("run", "--rm", "--network", "none", "busybox", "true") * 1000
        except CliError as e:
            out["a.cli"] = cli_skip(engine, e)
        return out


class Concurrent(Scenario):
    key = "b"
    title = "containers created and started concurrently, then removed; memory while they run"
    rounds = 3

    def __init__(self, count):
        self.count = count
        self.metrics = (
            Metric("b.start", f"{count} x create+start, concurrent, API", "s", target=at_most(0.5)),
            Metric("b.remove", f"{count} x rm -f, concurrent, API", "s", target=at_most(0.5)),
            Metric("g.busy_rss", f"daemon RSS with {count} running", "MiB"),
            Metric("g.monitor_rss", "RSS of one monitor (conmon | containerd-shim-runc-v2)", "MiB"),
            Metric("g.per_container", "per-container overhead (daemon delta + monitor), RSS", "MiB",
                   target=Target("abs_max", 3.0, "<= 3 MiB")),
            Metric("g.per_container_pss", "per-container overhead (daemon delta + monitor), PSS", "MiB"),
        )

    def round(self, ctx, engine, r):
        before = procs.memory_kb(engine.daemon_pids())
        before_pss = procs.memory_kb(engine.daemon_pids(), "pss")
        ids = [None] * self.count

        def up(i):
            ids[i] = create(engine, ["sleep", "3600"])
            start(engine, ids[i])

        t0 = time.perf_counter()
        try:
            parallel(self.count, up, range(self.count))
            started = time.perf_counter() - t0
            time.sleep(ctx.settle_s)
            daemon = procs.memory_kb(engine.daemon_pids())
            daemon_pss = procs.memory_kb(engine.daemon_pids(), "pss")
            mons = engine.monitor_pids()
            mon = procs.memory_kb(mons)
            mon_pss = procs.memory_kb(mons, "pss")
            if len(mons) < self.count:
                raise RuntimeError(f"found {len(mons)} {engine.monitor} processes for {self.count} containers")
        finally:
            t1 = time.perf_counter()
            parallel(self.count, lambda cid: remove(engine, cid), [i for i in ids if i])
            removed = time.perf_counter() - t1
        return {
            "b.start": started,
            "b.remove": removed,
            "g.busy_rss": mib(daemon),
            "g.monitor_rss": mib(mon / len(mons)),
            "g.per_container": mib((daemon - before + mon) / self.count),
            "g.per_container_pss": mib((daemon_pss - before_pss + mon_pss) / self.count),
        }


class CliPs(Scenario):
    key = "i"
    title = "CLI wall time: ps"
    warmup = 1
    rounds = 10
    metrics = (Metric("i.ps", "`ps` wall time, CLI (few containers)", "ms", target=at_most(4)),)

    def available(self, ctx, engine):
        return None if engine.cli else f"skipped: needs {engine.name} CLI"

    def round(self, ctx, engine, r):
        return {"i.ps": engine.run_cli("ps") * 1000}


class ListMany(Scenario):
    key = "c"
    title = "listing with many containers"
    warmup = 1
    rounds = 5

    def __init__(self, count):
        self.count = count
        self.ids = {}
        self.metrics = (
            Metric("c.api", f"GET /containers/json?all=1, {count} containers", "ms"),
            Metric("c.cli", f"ps -a, {count} containers, CLI", "ms"),
            Metric("c.create", f"create {count} containers, 8 clients, API", "s"),
            Metric("c.remove", f"remove {count} containers, 8 clients, API", "s"),
        )

    def setup(self, ctx, engine):
        t0 = time.perf_counter()
        self.ids[engine.name] = parallel(8, lambda i: create(engine, ["true"]), range(self.count))
        return {"c.create": time.perf_counter() - t0}

    def round(self, ctx, engine, r):
        t0 = time.perf_counter()
        rows = conn(engine).request("GET", "/containers/json?all=1").json()
        api = (time.perf_counter() - t0) * 1000
        if len(rows) < self.count:
            raise RuntimeError(f"listed {len(rows)} containers, expected at least {self.count}")
        out = {"c.api": api}
        try:
            out["c.cli"] = engine.run_cli("ps", "-a") * 1000
        except CliError as e:
            out["c.cli"] = cli_skip(engine, e)
        return out

    def teardown(self, ctx, engine):
        t0 = time.perf_counter()
        parallel(8, lambda cid: remove(engine, cid), self.ids.pop(engine.name, []))
        return {"c.remove": time.perf_counter() - t0}


class Logs(Scenario):
    key = "d"
    title = "a container writing to stdout; logs read throughput"
    rounds = 2
    LINE = "0123456789" * 9 + "abcdefghi"  # 99 characters, 100 bytes with the newline

    def __init__(self, size_mb):
        self.size = size_mb * MB
        self.metrics = (
            Metric("d.write", f"run a container writing {size_mb} MB to stdout, start to exit", "s"),
            Metric("d.read_api", "logs read throughput, API", "MB/s", "higher", at_least(2)),
            Metric("d.read_cli", "logs read throughput, CLI (to /dev/null)", "MB/s", "higher", at_least(2)),
        )

    def round(self, ctx, engine, r):
        cid = create(engine, ["sh", "-c", f"yes {self.LINE} | head -c {self.size}"])
        try:
            waiter = wait_begin(engine, cid, "next-exit")
            t0 = time.perf_counter()
            start(engine, cid)
            code = wait_end(waiter)
            wrote = time.perf_counter() - t0
            if code != 0:
                raise RuntimeError(f"writer exited {code}")
            c = engine.api()
            t0 = time.perf_counter()
            raw = c.download("GET", f"/containers/{cid}/logs?stdout=1&stderr=1")
            read = time.perf_counter() - t0
            if raw < self.size:
                raise RuntimeError(f"logs returned {raw} bytes, the container wrote {self.size}")
            out = {"d.write": wrote, "d.read_api": self.size / MB / read}
            try:
                out["d.read_cli"] = self.size / MB / engine.run_cli("logs", cid)
            except CliError as e:
                out["d.read_cli"] = cli_skip(engine, e)
            return out
        finally:
            remove(engine, cid)


class Import(Scenario):
    key = "f"
    title = "import throughput"
    rounds = 3

    def __init__(self, size_mb):
        self.size_mb = size_mb
        self.metrics = (
            Metric("f.api", f"import a {size_mb} MB rootfs tar, API", "MB/s", "higher"),
            Metric("f.cli", f"import a {size_mb} MB rootfs tar, CLI", "MB/s", "higher"),
        )

    def setup(self, ctx, engine):
        ctx.import_tar()
        return {}

    def round(self, ctx, engine, r):
        tar = ctx.import_tar()
        size = os.path.getsize(tar) / MB
        c = conn(engine)
        t0 = time.perf_counter()
        body = c.request("POST", "/images/create?fromSrc=-&repo=benchimport&tag=api", tar).body
        api = time.perf_counter() - t0
        check_stream(body, "import")
        c.request("DELETE", "/images/benchimport:api?force=1")
        out = {"f.api": size / api}
        try:
            out["f.cli"] = size / engine.run_cli("image", "import", tar, "benchimport:cli")
            c.request("DELETE", "/images/benchimport:cli?force=1")
        except CliError as e:
            out["f.cli"] = cli_skip(engine, e)
        return out


class SaveLoad(Scenario):
    key = "e"
    title = "save and load of a multi-layer image"
    rounds = 2
    REF = "benchbig:latest"

    def __init__(self, size_mb, layers):
        self.size_mb = size_mb
        self.layers = layers
        disk = Target("disk_min", 0.7, ">= Docker and >= 70% of disk write")
        self.metrics = (
            Metric("e.load_api", f"load a {size_mb} MB {layers}-layer image, API", "MB/s", "higher", disk),
            Metric("e.save_api", f"save it, API (read to the end)", "MB/s", "higher", disk),
            Metric("e.load_cli", "load, CLI (load -i)", "MB/s", "higher", disk),
            Metric("e.save_cli", "save, CLI (save -o, file on the same disk)", "MB/s", "higher", disk),
        )

    def available(self, ctx, engine):
        # Probe with an image both engines have: an endpoint that is not there answers 404, 405 or 501.
        try:
            engine.api(timeout=60).download("GET", "/images/get?names=busybox%3Alatest")
        except HttpError as e:
            if e.missing_endpoint:
                return f"skipped: needs save/load (GET /images/get answers {e.status})"
            raise
        return None

    def setup(self, ctx, engine):
        ctx.image_archive()
        ctx.disk_speed()
        return {}

    def round(self, ctx, engine, r):
        archive = ctx.image_archive()
        size = os.path.getsize(archive) / MB
        c = conn(engine)
        try:
            t0 = time.perf_counter()
            body = c.request("POST", "/images/load?quiet=1", archive).body
            load = time.perf_counter() - t0
            check_stream(body, "load")
            t0 = time.perf_counter()
            raw = engine.api().download("GET", "/images/get?names=" + urllib.parse.quote(self.REF))
            save = time.perf_counter() - t0
            if raw < size * MB * 0.95:
                raise RuntimeError(f"save returned {raw} bytes for a {size:.0f} MB image")
        finally:
            c.request("DELETE", f"/images/{self.REF}?force=1", ok=(200, 404))
        out = {"e.load_api": size / load, "e.save_api": raw / MB / save}
        saved = os.path.join(ctx.work, f"saved-{engine.name}.tar")
        try:
            out["e.load_cli"] = size / engine.run_cli("image", "load", "-q", "-i", archive)
            t = engine.run_cli("image", "save", "-o", saved, self.REF)
            out["e.save_cli"] = os.path.getsize(saved) / MB / t
        except CliError as e:
            out["e.load_cli"] = out["e.save_cli"] = cli_skip(engine, e)
        finally:
            if os.path.exists(saved):
                os.unlink(saved)
            c.request("DELETE", f"/images/{self.REF}?force=1", ok=(200, 404))
        return out


class DaemonStart(Scenario):
    key = "h"
    title = "daemon start to first /_ping"
    rounds = 3
    metrics = (Metric("h.start", "daemon start to first /_ping (existing data root)", "ms"),)

    def available(self, ctx, engine):
        return None if engine.start_cmd else "skipped: no start command"

    def _dirs(self, ctx, engine):
        base = os.path.join(ctx.work, "start", engine.name)
        return {"sock": os.path.join(base, "d.sock"), "data": os.path.join(base, "data"),
                "exec": os.path.join(base, "exec"), "pidfile": os.path.join(base, "d.pid"), "base": base}

    def _start_stop(self, ctx, engine):
        d = self._dirs(ctx, engine)
        os.makedirs(d["base"], exist_ok=True)
        cmd = [a.format(**d) for a in engine.start_cmd]
        with open(os.path.join(d["base"], "daemon.log"), "ab") as log:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
            # bench/run's cleanup kills whatever a *.pid under the work directory names, even if we die here.
            with open(os.path.join(d["base"], "launcher.pid"), "w") as f:
                f.write(str(p.pid))
            up = ping_until_up(d["sock"], 120)
        try:
            if up is None:
                raise RuntimeError(f"{engine.name} daemon did not answer /_ping within 120 s "
                                   f"(see {d['base']}/daemon.log)")
            return (up - t0) * 1000
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def setup(self, ctx, engine):
        self._start_stop(ctx, engine)  # the first start initialises the data root; it is not timed
        return {}

    def round(self, ctx, engine, r):
        return {"h.start": self._start_stop(ctx, engine)}

    def teardown(self, ctx, engine):
        remove_tree(self._dirs(ctx, engine)["base"])
        return {}


def host_port(inspect, key):
    """The host port of a published container port, from inspect's NetworkSettings.Ports: the IPv4 (or all-address)
    binding, since dockerd may list one for 0.0.0.0 and one for :: (not always on the same port)."""
    rows = ((inspect.get("NetworkSettings") or {}).get("Ports") or {}).get(key) or []
    for row in rows:
        if ":" not in (row.get("HostIp") or "") and row.get("HostPort"):
            return int(row["HostPort"])
    raise RuntimeError(f"{key} is not published: NetworkSettings.Ports[{key!r}] = {rows}")


class PublishedPort(Scenario):
    """Container port 80 published on an ephemeral host port (-p 80, default bridge network) and reached on
    127.0.0.1, where both engines serve it through their userland proxy: berthd's relay, dockerd's docker-proxy.
    The server is busybox httpd, which answers one request per connection (HTTP/1.0, no keep-alive)."""
    key = "n"
    title = "a port published on the default bridge, reached on 127.0.0.1 (userland proxy)"
    warmup = 1
    rounds = 5
    PORT = "80/tcp"
    SMALL = b"ok\n"

    def __init__(self, conns, size_mb):
        self.conns = conns
        self.size_mb = size_mb
        self.servers = {}  # engine name -> (container id, host port) of the container that serves n.conn and n.mbps
        self.metrics = (
            Metric("n.ready", "create+start with -p 80 (bridge) until 127.0.0.1:<port> answers a GET", "ms"),
            Metric("n.conn", f"{conns} sequential HTTP/1.0 GETs of 3 bytes via 127.0.0.1:<port>", "conn/s", "higher"),
            Metric("n.mbps", f"one GET of a {size_mb} MB file (tmpfs) via 127.0.0.1:<port>", "MB/s", "higher"),
            Metric("n.rss", "daemon RSS growth, one idle published container (docker-proxy incl.)", "MiB"),
        )

    def available(self, ctx, engine):
        try:
            conn(engine).request("GET", "/networks/bridge")
        except HttpError as e:
            if e.status == 404:
                return "skipped: no default bridge network (GET /networks/bridge answers 404)"
            raise
        return None

    def _create(self, engine, cmd, host_config=None):
        hc = {"NetworkMode": "bridge", "PortBindings": {self.PORT: [{"HostPort": ""}]}, **(host_config or {})}
        return create(engine, cmd, hc, config={"ExposedPorts": {self.PORT: {}}})

    def _port(self, engine, cid):
        return host_port(conn(engine).request("GET", f"/containers/{cid}/json").json(), self.PORT)

    def setup(self, ctx, engine):
        # The big file is written before httpd starts, so an answer means it is complete.
        script = (f"echo ok >/www/small && dd if=/dev/zero of=/www/big bs={MB} count={self.size_mb} 2>/dev/null"
                  " && exec httpd -f -p 80 -h /www")
        cid = self._create(engine, ["sh", "-c", script], {"Tmpfs": {"/www": f"size={self.size_mb + 8}m"}})
        try:
            start(engine, cid)
            port = self._port(engine, cid)
            if loopback.wait_answer(port, "/small", 120) is None:
                raise RuntimeError(f"the server container did not answer on 127.0.0.1:{port} within 120 s")
        except BaseException:
            remove(engine, cid)
            raise
        self.servers[engine.name] = (cid, port)
        return {}

    def round(self, ctx, engine, r):
        before = procs.memory_kb(engine.daemon_pids())
        t0 = time.perf_counter()
        cid = self._create(engine, ["httpd", "-f", "-p", "80", "-h", "/etc"])
        try:
            start(engine, cid)
            port = self._port(engine, cid)
            up = loopback.wait_answer(port, "/passwd", 30)
            if up is None:
                raise RuntimeError(f"127.0.0.1:{port} gave no answer within 30 s of the start")
            ready = (up - t0) * 1000
            time.sleep(ctx.settle_s)
            grown = procs.memory_kb(engine.daemon_pids()) - before
        finally:
            remove(engine, cid)
        _, port = self.servers[engine.name]
        elapsed = loopback.sequential_gets(port, "/small", self.conns, expect_bytes=len(self.SMALL))
        size, secs = loopback.download(port, "/big")
        if size != self.size_mb * MB:
            raise RuntimeError(f"GET /big returned {size} bytes of {self.size_mb * MB}")
        return {"n.ready": ready, "n.conn": self.conns / elapsed, "n.mbps": size / MB / secs, "n.rss": mib(grown)}

    def teardown(self, ctx, engine):
        server = self.servers.pop(engine.name, None)
        if server:
            remove(engine, server[0])
        return {}


def remove_tree(path):
    """Unmounts whatever is still mounted below path (deepest first), then deletes it."""
    path = os.path.realpath(path)
    with open("/proc/self/mountinfo") as f:
        points = [line.split()[4] for line in f]
    for mp in sorted((m for m in points if m == path or m.startswith(path + "/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", mp], stderr=subprocess.DEVNULL)
    shutil.rmtree(path, ignore_errors=True)


def all_scenarios(cfg):
    """In run order: idle memory first (nothing has run yet), start-up last (it starts more daemons)."""
    return [
        IdleMemory(),
        RunRm(),
        Concurrent(cfg.containers),
        CliPs(),
        ListMany(cfg.list_containers),
        Logs(cfg.log_mb),
        Import(cfg.import_mb),
        SaveLoad(cfg.image_mb, cfg.image_layers),
        PublishedPort(cfg.port_conns, cfg.port_mb),
        DaemonStart(),
    ]
