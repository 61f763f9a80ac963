"""Metrics, their samples per engine, skip reasons, and the targets from issue 8 (figures, never test asserts)."""

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    """What berth should reach, judged on medians. kind: ratio_max, ratio_min, abs_max, disk_min."""
    kind: str
    value: float
    text: str

    def verdict(self, berth, docker, disk_mbps=None):
        if berth is None:
            return ""
        ratio = berth / docker if docker else None
        match self.kind:
            case "ratio_max":
                met = ratio is not None and ratio <= self.value
            case "ratio_min":
                met = ratio is not None and ratio >= self.value
            case "abs_max":
                met = berth <= self.value
            case "disk_min":
                # At least as fast as Docker and at least `value` of the disk's raw write speed.
                met = (ratio is None or ratio >= 1.0) and (disk_mbps is None or berth >= self.value * disk_mbps)
            case _:
                return ""
        return "met" if met else "NOT met"


def at_most(x):
    return Target("ratio_max", x, f"<= {x:g}x Docker")


def at_least(x):
    return Target("ratio_min", x, f">= {x:g}x Docker")


@dataclass(frozen=True)
class Metric:
    key: str
    title: str
    unit: str
    better: str = "lower"           # or "higher"
    target: Target = None


@dataclass
class Results:
    metrics: dict = field(default_factory=dict)   # key -> Metric, in the order declared
    samples: dict = field(default_factory=dict)   # key -> engine -> [float]
    skipped: dict = field(default_factory=dict)   # key -> engine -> reason
    info: dict = field(default_factory=dict)

    def declare(self, metric):
        self.metrics.setdefault(metric.key, metric)

    def add(self, key, engine, value):
        self.samples.setdefault(key, {}).setdefault(engine, []).append(value)

    def skip(self, key, engine, reason):
        self.skipped.setdefault(key, {}).setdefault(engine, reason)

    def stats(self, key, engine):
        values = self.samples.get(key, {}).get(engine)
        if not values:
            return None
        return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}

    def median(self, key, engine):
        s = self.stats(key, engine)
        return s["median"] if s else None

    def to_json(self, engines):
        rows = []
        disk = self.info.get("disk_write_MBps")
        for key, m in self.metrics.items():
            row = {"key": key, "title": m.title, "unit": m.unit, "better": m.better,
                   "target": m.target.text if m.target else None, "engines": {}}
            for e in engines:
                row["engines"][e] = {"samples": self.samples.get(key, {}).get(e, []),
                                     "stats": self.stats(key, e),
                                     "skipped": self.skipped.get(key, {}).get(e)}
            b, d = self.median(key, "berth"), self.median(key, "docker")
            row["ratio"] = b / d if b is not None and d else None
            row["verdict"] = m.target.verdict(b, d, disk) if m.target and b is not None else None
            rows.append(row)
        return {"info": self.info, "metrics": rows}
