"""Process memory from /proc: VmRSS (what the issue's targets use) and Pss (shared pages split fairly)."""

import os


def _status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def rss_kb(pid):
    return _status_kb(pid, "VmRSS")


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _ppid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return -1


def _pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except (FileNotFoundError, ProcessLookupError):
        return ""


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


def tree(root_pid):
    """root_pid and all its descendants (a daemon and the helpers it keeps as children, such as containerd)."""
    children = {}
    for pid in _pids():
        children.setdefault(_ppid(pid), []).append(pid)
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def monitors(name, marker):
    """Per-container monitors (conmon, containerd-shim-runc-v2) whose command line names this engine's state."""
    return [p for p in _pids() if comm(p).startswith(name[:15]) and marker in cmdline(p)]


def memory_kb(pids, kind="rss"):
    f = rss_kb if kind == "rss" else pss_kb
    return sum(f(p) for p in pids)
