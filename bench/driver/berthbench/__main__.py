"""Entry point: python3 -m berthbench --engines engines.json --work DIR [options]. bench/run calls it after it has
started both daemons and loaded busybox into them."""

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys

from . import report
from .engine import Engine
from .results import Results
from .runner import Context, log, run_scenario
from .scenarios import all_scenarios


def parse_args(argv):
    p = argparse.ArgumentParser(prog="berthbench", description=__doc__)
    p.add_argument("--engines", required=True, help="engines.json written by bench/run")
    p.add_argument("--work", required=True, help="scratch directory on the disk under test")
    p.add_argument("--busybox-tar", required=True)
    p.add_argument("--results-dir", required=True)
    p.add_argument("--only", default="", help="comma-separated scenario ids to run (a,b,c,d,e,f,g1,h,i,n)")
    p.add_argument("--skip", default="", help="comma-separated scenario ids to leave out")
    p.add_argument("--rounds", type=int, help="rounds for every scenario (default: each scenario's own)")
    p.add_argument("--containers", type=int, default=50, help="scenario b: containers started at once")
    p.add_argument("--list-containers", type=int, default=1000, help="scenario c: containers present")
    p.add_argument("--log-mb", type=int, default=200, help="scenario d: MB written to stdout")
    p.add_argument("--import-mb", type=int, default=200, help="scenario f: size of the imported tar")
    p.add_argument("--image-mb", type=int, default=500, help="scenario e: size of the saved and loaded image")
    p.add_argument("--image-layers", type=int, default=5)
    p.add_argument("--port-conns", type=int, default=500, help="scenario n: sequential connections per round")
    p.add_argument("--port-mb", type=int, default=200, help="scenario n: size of the file sent through the port")
    p.add_argument("--settle-s", type=float, default=2.0, help="wait before reading memory")
    p.add_argument("--quick", action="store_true", help="tiny sizes and one round: checks the harness, not speed")
    cfg = p.parse_args(argv)
    if cfg.quick:
        cfg.rounds = cfg.rounds or 1
        cfg.containers, cfg.list_containers = 5, 20
        cfg.log_mb, cfg.import_mb, cfg.image_mb, cfg.image_layers = 5, 5, 10, 2
        cfg.port_conns, cfg.port_mb = 50, 20
        cfg.settle_s = 0.2
    cfg.rounds_for = lambda sc: cfg.rounds if cfg.rounds and sc.rounds > 1 else sc.rounds
    return cfg


def first_line(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return None


def machine_info(work):
    info = {"kernel": platform.release(), "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
        with open("/proc/meminfo") as f:
            info["memory_MiB"] = int(next(l for l in f if l.startswith("MemTotal")).split()[1]) // 1024
        with open("/etc/os-release") as f:
            info["os"] = next(l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME"))
    except (OSError, StopIteration):
        pass
    info["filesystem"] = first_line(["findmnt", "-n", "-o", "SOURCE,FSTYPE", "--target", work])
    info["loadavg_start"] = open("/proc/loadavg").read().split()[:3]
    info["runc"] = first_line(["runc", "--version"])
    info["conmon"] = first_line(["conmon", "--version"])
    return info


def engine_versions(engines):
    for e in engines:
        if e.unavailable:
            continue
        try:
            with e.api(timeout=10) as c:
                v = c.request("GET", "/version").json()
            e.version = {"Version": v.get("Version"), "ApiVersion": v.get("ApiVersion"),
                         "Components": {x.get("Name"): x.get("Version") for x in v.get("Components") or []}}
        except Exception as exc:  # version is informative only
            e.version = {"error": str(exc)}
        if e.cli:
            e.version["cli"] = first_line(e.cli[:1] + ["--version"])


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    cfg = parse_args(argv if argv is not None else sys.argv[1:])
    # SIGTERM ends the run like ^C: the partial results are still written, and bench/run's trap cleans up.
    signal.signal(signal.SIGTERM, _interrupt)
    with open(cfg.engines) as f:
        spec = json.load(f)
    engines = [Engine.from_json(e) for e in spec["engines"]]
    results = Results()
    results.info.update(spec.get("info", {}))
    results.info["machine"] = machine_info(cfg.work)
    engine_versions(engines)
    results.info["engines"] = {e.name: {"version": e.version, "unavailable": e.unavailable or None,
                                        "cli": e.cli, "cli_missing": e.cli_missing or None, "notes": e.notes}
                               for e in engines}
    results.info["config"] = {k: v for k, v in vars(cfg).items() if not callable(v)}
    started = datetime.datetime.now(datetime.timezone.utc)
    results.info["started"] = started.isoformat(timespec="seconds")

    only = {s for s in cfg.only.split(",") if s}
    skip = {s for s in cfg.skip.split(",") if s}
    ctx = Context(cfg, results)
    interrupted = False
    try:
        for sc in all_scenarios(cfg):
            if (only and sc.key not in only) or sc.key in skip:
                continue
            run_scenario(sc, ctx, engines)
    except KeyboardInterrupt:
        interrupted = True
        log("interrupted: writing what was measured so far")
    finally:
        for name in ("import.tar", "image.tar"):
            path = os.path.join(cfg.work, name)
            if os.path.exists(path):
                os.unlink(path)
    results.info["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    results.info["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    results.info["interrupted"] = interrupted

    os.makedirs(cfg.results_dir, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    json_path = os.path.join(cfg.results_dir, f"{stamp}.json")
    with open(json_path, "w") as f:
        json.dump(results.to_json([e.name for e in engines]), f, indent=2)
    with open(os.path.join(cfg.results_dir, f"{stamp}.md"), "w") as f:
        f.write(report.markdown_table(results) + "\n\n" + report.engine_notes(results.info) + "\n")
    disk = results.info.get("disk_write_MBps")
    print()
    print(report.text_table(results))
    print()
    print(report.engine_notes(results.info))
    if disk:
        print(f"\ndisk write speed (same run, fsync'd): {disk:.0f} MB/s")
    print(f"\nresults: {json_path}")
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
