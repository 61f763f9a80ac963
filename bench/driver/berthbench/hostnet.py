"""What the reference dockerd leaves on the host once it has a bridge and iptables (scenario n), and its removal.

dockerd keeps its bridge and its iptables rules when it stops, as berthd keeps berth0 and its BERTH-* chains. bench/run
removes Docker's after each run:

    python3 -m berthbench.hostnet present --bridge docker0                    exit 0 and a list if any is there
    python3 -m berthbench.hostnet remove --bridge docker0 --subnet 10.219.0.1/24

Only Docker's own things go, by name: its chains (DOCKER, DOCKER-USER, ...) and their rules, the rules in the
built-in chains that jump to them, name its bridge or match its subnet, and the bridge itself. Rules are deleted
one by one: no chain is ever flushed, and no rule whose text says berth (any case) is ever touched.
"""

import argparse
import ipaddress
import os
import shlex
import subprocess
import sys

DOCKER_CHAINS = ("DOCKER", "DOCKER-USER", "DOCKER-FORWARD", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2",
                 "DOCKER-CT", "DOCKER-BRIDGE", "DOCKER-INTERNAL", "DOCKER-INGRESS")
BUILT_IN = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")


def _within(token, subnet):
    try:
        return subnet is not None and ipaddress.ip_network(token, strict=False).subnet_of(subnet)
    except (ValueError, TypeError):  # not an address, or the other IP version
        return False


def _dockers(args, bridge, subnet):
    """Whether a rule of a built-in chain (its arguments after -A CHAIN) is Docker's."""
    for opt, value in zip(args, args[1:]):
        if opt in ("-j", "-g", "--jump", "--goto") and value in DOCKER_CHAINS:
            return True
        if opt in ("-i", "-o", "--in-interface", "--out-interface") and value == bridge:
            return True
        if opt in ("-s", "-d", "--source", "--destination") and _within(value, subnet):
            return True
    return False


def plan(save_text, bridge, subnet=None):
    """The iptables commands (argument lists, without the program) that remove Docker's rules and chains from the
    tables in `save_text` (iptables-save output): the rules of built-in chains that are Docker's, then every rule of
    Docker's chains one by one (they jump to one another), then the chains themselves. A Docker chain holding a
    rule that mentions berth keeps it, and is not deleted."""
    subnet = ipaddress.ip_network(subnet, strict=False) if subnet else None
    built_in, inside, chains, kept = [], [], [], set()
    table = None
    for line in save_text.splitlines():
        if line.startswith("*"):
            table = line[1:].strip()
        elif line.startswith(":"):
            name = line[1:].split()[0]
            if name in DOCKER_CHAINS:
                chains.append((table, name))
        elif line.startswith("-A "):
            words = shlex.split(line)
            chain, args = words[1], words[2:]
            if "berth" in line.lower():
                kept.add((table, chain))
            elif chain in DOCKER_CHAINS:
                inside.append(["-t", table, "-D", chain, *args])
            elif chain in BUILT_IN and _dockers(args, bridge, subnet):
                built_in.append(["-t", table, "-D", chain, *args])
    return built_in + inside + [["-t", t, "-X", c] for t, c in chains if (t, c) not in kept]


def _save(program):
    try:
        p = subprocess.run([f"{program}-save"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return p.stdout if p.returncode == 0 else ""


def _is_bridge(name):
    return os.path.isdir(f"/sys/class/net/{name}/bridge")


def present(bridge):
    """Docker's leftovers on this host, as lines of text (empty: none)."""
    out = []
    if os.path.exists(f"/sys/class/net/{bridge}"):
        out.append(f"interface {bridge}")
    for program in ("iptables", "ip6tables"):
        for _, table, op, chain, *args in plan(_save(program), bridge):
            out.append(f"{program} {table}: " + (f"chain {chain}" if op == "-X" else f"-A {chain} {' '.join(args)}"))
    return out


def remove(bridge, subnet):
    """Removes Docker's rules, chains and bridge; returns the number of commands that failed."""
    failed = 0
    for program, net in (("iptables", subnet), ("ip6tables", None)):
        for cmd in plan(_save(program), bridge, net):
            p = subprocess.run([program, "-w", *cmd], capture_output=True, text=True)
            if p.returncode != 0:
                failed += 1
                print(f"hostnet: {program} {shlex.join(cmd)}: {p.stderr.strip()}", file=sys.stderr)
    if _is_bridge(bridge):
        p = subprocess.run(["ip", "link", "delete", bridge, "type", "bridge"], capture_output=True, text=True)
        if p.returncode != 0:
            failed += 1
            print(f"hostnet: ip link delete {bridge}: {p.stderr.strip()}", file=sys.stderr)
    return failed


def main(argv=None):
    p = argparse.ArgumentParser(prog="berthbench.hostnet", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=("present", "remove"))
    p.add_argument("--bridge", default="docker0")
    p.add_argument("--subnet", help="the bridge's subnet (or an address with its prefix, as --bip takes it)")
    a = p.parse_args(argv)
    if a.action == "present":
        found = present(a.bridge)
        print("\n".join(found))
        return 0 if found else 1
    return 1 if remove(a.bridge, a.subnet) else 0


if __name__ == "__main__":
    sys.exit(main())
