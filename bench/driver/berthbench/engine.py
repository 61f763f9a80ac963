"""One engine under test, as bench/run describes it in engines.json: its socket, CLI, daemon pid and state roots."""

import os
import subprocess
import time
from dataclasses import dataclass, field

from . import procs
from .http import UnixHttp


class CliError(Exception):
    pass


@dataclass
class Engine:
    name: str
    socket: str = ""
    cli: list = None                 # argv prefix, e.g. ["/usr/local/bin/docker", "-H", "unix:///..."]
    cli_missing: str = ""            # why there is no CLI (then cli is None)
    pidfile: str = ""
    exec_root: str = ""
    data_root: str = ""
    monitor: str = ""                # per-container monitor process name
    start_cmd: list = field(default_factory=list)  # with {sock} {data} {exec} {pidfile}, for the start-up scenario
    unavailable: str = ""            # set when the daemon could not be built or started
    notes: list = field(default_factory=list)
    version: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, d):
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def api(self, timeout=600.0):
        return UnixHttp(self.socket, timeout=timeout)

    @property
    def pid(self):
        with open(self.pidfile) as f:
            return int(f.read().strip())

    # -- CLI ----------------------------------------------------------------------------------------------------

    def run_cli(self, *args, stdout=subprocess.DEVNULL, timeout=600):
        """Runs the engine's own CLI and returns its wall time in seconds (process start to exit)."""
        if self.cli is None:
            raise CliError(self.cli_missing or f"no {self.name} CLI")
        t0 = time.perf_counter()
        p = subprocess.run(self.cli + list(args), stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                           timeout=timeout)
        elapsed = time.perf_counter() - t0
        if p.returncode != 0:
            raise CliError(f"{os.path.basename(self.cli[0])} {' '.join(args)}: exit {p.returncode}: "
                           f"{p.stderr.decode(errors='replace').strip()[:300]}")
        return elapsed

    # -- memory -------------------------------------------------------------------------------------------------

    def monitor_pids(self):
        return procs.monitors(self.monitor, self.exec_root) if self.monitor else []

    def daemon_pids(self):
        """The daemon and its helper children (dockerd + containerd), without monitors or containers."""
        excluded = set()
        for m in self.monitor_pids():
            excluded.update(procs.tree(m))
        return [p for p in procs.tree(self.pid) if p not in excluded and procs.comm(p) not in ("runc", "sleep")]
