"""Runs scenarios on every engine, alternating the order each round (A/B, B/A, ...) so that drift in the
machine's state (page cache, other load, a warming disk) does not favour one engine."""

import os
import sys
import time
import traceback

from . import fixtures
from .engine import CliError
from .http import HttpError
from .scenarios import Skip


class Context:
    """What scenarios share: configuration, the work directory and the lazily made input files."""

    def __init__(self, cfg, results):
        self.cfg = cfg
        self.work = cfg.work
        self.results = results
        self.settle_s = cfg.settle_s
        self._import_tar = None
        self._archive = None

    def import_tar(self):
        if self._import_tar is None:
            out = os.path.join(self.work, "import.tar")
            log(f"  making {out} ({self.cfg.import_mb} MB)")
            self._import_tar = fixtures.import_tar(self.cfg.busybox_tar, out, self.cfg.import_mb * fixtures.MB)
        return self._import_tar

    def image_archive(self):
        if self._archive is None:
            out = os.path.join(self.work, "image.tar")
            log(f"  making {out} ({self.cfg.image_mb} MB, {self.cfg.image_layers} layers)")
            self._archive = fixtures.image_archive(out, "benchbig:latest", self.cfg.image_mb * fixtures.MB,
                                                   self.cfg.image_layers)
        return self._archive

    def disk_speed(self):
        info = self.results.info
        if "disk_write_MBps" not in info:
            info["disk_write_MBps"] = fixtures.disk_write_speed(self.work, self.cfg.image_mb * fixtures.MB)
            log(f"  disk write speed: {info['disk_write_MBps']:.0f} MB/s")
        return info["disk_write_MBps"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def reason_for(exc, engine):
    match exc:
        case HttpError() if exc.missing_endpoint:
            return f"skipped: needs {exc.method} {exc.path.split('?')[0]} ({exc.status})"
        case CliError():
            return f"failed: {exc}" if engine.cli else f"skipped: needs {engine.name} CLI"
        case _:
            return f"failed: {exc}"


def _record(results, engine, values):
    for key, v in (values or {}).items():
        if isinstance(v, Skip):
            results.skip(key, engine.name, v.reason)
        else:
            results.add(key, engine.name, v)


def _skip_all(results, scenario, engine, reason):
    for m in scenario.metrics:
        results.skip(m.key, engine.name, reason)


def run_scenario(scenario, ctx, engines):
    results = ctx.results
    for m in scenario.metrics:
        results.declare(m)
    rounds = ctx.cfg.rounds_for(scenario)
    log(f"[{scenario.key}] {scenario.title}: {rounds} round(s)" + (f" + {scenario.warmup} warm-up" if scenario.warmup else ""))
    active = []
    for e in engines:
        if e.unavailable:
            _skip_all(results, scenario, e, f"unavailable: {e.unavailable}")
            continue
        try:
            reason = scenario.available(ctx, e)
            if reason:
                log(f"  {e.name}: {reason}")
                _skip_all(results, scenario, e, reason)
                continue
            _record(results, e, scenario.setup(ctx, e))
            active.append(e)
        except Exception as exc:  # one engine failing must not stop the other's measurement
            _fail(results, scenario, e, exc)
    failed = set()
    try:
        for r in range(-scenario.warmup, rounds):
            order = active if r % 2 == 0 else list(reversed(active))
            for e in order:
                if e.name in failed:
                    continue
                try:
                    t0 = time.perf_counter()
                    values = scenario.round(ctx, e, r)
                    if r >= 0:
                        _record(results, e, values)
                    log(f"  round {r + 1 if r >= 0 else 'warm-up'} {e.name}: {time.perf_counter() - t0:.1f} s")
                except Exception as exc:
                    failed.add(e.name)
                    _fail(results, scenario, e, exc)
    finally:
        for e in active:
            try:
                _record(results, e, scenario.teardown(ctx, e))
            except Exception as exc:
                log(f"  {e.name}: teardown failed: {exc}")


def _fail(results, scenario, engine, exc):
    reason = reason_for(exc, engine)
    log(f"  {engine.name}: {reason}")
    if not isinstance(exc, (HttpError, CliError)):
        traceback.print_exc(file=sys.stderr)
    _skip_all(results, scenario, engine, reason)
