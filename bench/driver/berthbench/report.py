"""The side-by-side table: medians with min-max per engine, the berth/Docker ratio and the target's verdict."""


def num(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def cell(results, key, engine):
    s = results.stats(key, engine)
    reason = results.skipped.get(key, {}).get(engine)
    if s is None:
        # The engine-wide reason is printed once under the table, not in every row.
        return "unavailable" if reason and reason.startswith("unavailable") else reason or "-"
    text = num(s["median"]) if s["n"] == 1 else f"{num(s['median'])} ({num(s['min'])}-{num(s['max'])})"
    return text + (" [then failed]" if reason else "")


def rows(results, engines=("berth", "docker")):
    disk = results.info.get("disk_write_MBps")
    out = []
    for key, m in results.metrics.items():
        b, d = results.median(key, engines[0]), results.median(key, engines[1])
        ratio = f"{b / d:.2f}x" if b is not None and d else "-"
        target = m.target.text if m.target else ""
        verdict = m.target.verdict(b, d, disk) if m.target and b is not None else ""
        out.append([key, m.title, m.unit, cell(results, key, engines[0]), cell(results, key, engines[1]),
                    ratio, target, verdict])
    return out


HEADER = ["id", "measure", "unit", "berth median (min-max)", "docker median (min-max)", "berth/docker", "target",
          "verdict"]


def text_table(results, width_limit=60):
    table = [HEADER] + [[c if len(c) <= width_limit else c[:width_limit - 3] + "..." for c in r]
                        for r in rows(results)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results):
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows(results):
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def engine_notes(info):
    lines = []
    for name, e in info.get("engines", {}).items():
        v = e.get("version") or {}
        if e.get("unavailable"):
            lines.append(f"{name}: unavailable: {e['unavailable']}")
        else:
            comps = ", ".join(f"{k} {x}" for k, x in (v.get("Components") or {}).items() if k != "Engine")
            lines.append(f"{name}: {v.get('Version')} (API {v.get('ApiVersion')}{', ' + comps if comps else ''})")
        if e.get("cli_missing"):
            lines.append(f"{name} CLI: not measured: {e['cli_missing']}")
        elif e.get("cli"):
            lines.append(f"{name} CLI: {v.get('cli') or e['cli'][0]}")
        lines.extend(f"{name}: {n}" for n in e.get("notes") or [])
    return "\n".join(lines)
