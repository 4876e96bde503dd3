#!/usr/bin/env python3
"""The benchmark report: one table of Durable's figures (in-process and function-process modes)
beside the peers' figures from the same run, the ratios, and the targets as pass/miss; writes
<out-dir>/<date>.json (every raw result, the table, the machine) and <out-dir>/<date>.png (the
table drawn as one small bar chart per row). Used by bench/run.sh; reads only its inputs."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys


def load_json(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def load_jsonl(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    except OSError:
        pass
    return out


def find(rows, **kv):
    for r in rows:
        if all(r.get(k) == v for k, v in kv.items()):
            return r
    return None


def get(row, key):
    return None if row is None else row.get(key)


def peer(peers, name, args):
    """The result of peer `name` whose command line is exactly `args` (after the script name)."""
    for r in peers:
        if r.get("peer") == name and r.get("args", "").split(".mjs ", 1)[-1] == args:
            return r
    return None


def machine():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = os.getloadavg()
    except OSError:
        load = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1),
            "kernel": platform.release(), "loadavg_at_report": load, "commit": commit}


def build_rows(ours, peers):
    """Rows: (workload, metric, unit, better, inproc, process, {peer: value})."""
    rows = []

    def ours_row(mode, **kv):
        return find(ours, mode=mode, **kv)

    def add(workload, metric, unit, better, key, sel, peer_vals):
        rows.append({"workload": workload, "metric": metric, "unit": unit, "better": better,
                     "in_process": get(ours_row("in-process", workload=workload, **sel), key),
                     "process": get(ours_row("process", workload=workload, **sel), key),
                     "peers": peer_vals})

    for n in (10, 100, 1000):
        add("B1", f"N={n} per step", "µs/step", "lower", "per_step_us", {"steps": n},
            {"aws": get(peer(peers, "aws", f"steps {n} 3 noskip"), "per_step_us"),
             "restate": get(peer(peers, "restate", f"steps {n} 3"), "per_step_us"),
             "dbos": get(peer(peers, "dbos", f"steps {n} 3"), "per_step_us")})
    b2_peer = {1: ("many 20 1 noskip", "many 100 1"), 200: ("many 2000 200 noskip", "many 2000 200")}
    for c in (1, 50, 200):
        a, rd = b2_peer.get(c, (None, None))
        add("B2", f"C={c} throughput", "exec/s", "higher", "executions_per_s", {"concurrency": c},
            {"aws": get(peer(peers, "aws", a), "executions_per_s") if a else None,
             "restate": get(peer(peers, "restate", rd), "executions_per_s") if rd else None,
             "dbos": get(peer(peers, "dbos", rd), "executions_per_s") if rd else None})
    add("B2", "C=200 latency p50", "ms", "lower", "latency_ms_p50", {"concurrency": 200}, {})
    add("B2", "C=200 latency p99", "ms", "lower", "latency_ms_p99", {"concurrency": 200}, {})
    add("B2", "C=200 CPU", "CPU-s/1000 steps", "lower", "cpu_s_per_1000_steps",
        {"concurrency": 200}, {})
    for k in (0, 100, 1000):
        add("B3", f"K={k} send→resumed (suspended)", "ms", "lower", "send_to_resumed_ms_median",
            {"steps_before_callback": k, "variant": "suspended"},
            {"aws": get(peer(peers, "aws", "callback 5 noskip" if k == 0 else f"replay {k} noskip"),
                        "send_to_handler_resumed_ms_median"),
             "restate": get(peer(peers, "restate", f"callback 3 suspend {k}"),
                            "send_to_handler_resumed_ms_median"),
             "dbos": get(peer(peers, "dbos", "callback 5"), "send_to_handler_resumed_ms_median")
             if k == 0 else None})
        if k == 0:
            # Not an engine's figure: the floor under the row above (bench/driver.cc RunB3Floor).
            add("B3", FLOOR_METRIC, "ms", "floor", "send_to_committed_ms_median",
                {"variant": "floor"}, {})
    add("B3", "K=0 send→result (suspended)", "ms", "lower", "send_to_result_ms_median",
        {"steps_before_callback": 0, "variant": "suspended"},
        {"aws": get(peer(peers, "aws", "callback 5 noskip"), "send_to_run_resolved_ms_median"),
         "restate": get(peer(peers, "restate", "callback 3 suspend 0"), "send_to_result_ms_median"),
         "dbos": get(peer(peers, "dbos", "callback 5"), "send_to_result_ms_median")})
    add("B3", "K=0 send→resumed (hot)", "ms", "lower", "send_to_resumed_ms_median",
        {"steps_before_callback": 0, "variant": "hot"},
        {"restate": get(peer(peers, "restate", "callback 5 hot"),
                        "send_to_handler_resumed_ms_median")})
    add("B4", "timer lateness p50", "ms", "lower", "lateness_ms_p50", {}, {})
    add("B4", "timer lateness p99", "ms", "lower", "lateness_ms_p99", {}, {})
    add("B4", "timer lateness max", "ms", "lower", "lateness_ms_max", {}, {})
    add("B4", "lateness p99, each waits 1 s from its start", "ms", "lower",
        "wait1s_lateness_ms_p99", {}, {})
    add("B4", "RSS per suspended execution", "bytes", "lower",
        "rss_bytes_per_suspended_execution", {}, {})
    add("B4", "executions", "count", "higher", "executions", {}, {})
    add("B5", "map 1000 × 1 step, concurrency 50", "ms", "lower", "wall_ms", {}, {})
    add("B5", "history events written", "events", "lower", "history_events", {}, {})
    add("B5", "result identical after replay", "bool", "higher", "identical_after_replay", {}, {})
    add("B6", "restart → first step", "ms", "lower", "restart_to_first_step_ms", {}, {})
    add("B6", "replay of 500 steps", "ms", "lower", "replay_ms", {}, {})
    add("B6", "completed steps re-run", "steps", "lower", "completed_steps_rerun", {}, {})
    add("B6", "on disk beyond payload", "bytes/step", "lower",
        "used_bytes_per_step_beyond_payload", {},
        {"aws": get(peer(peers, "aws", "size 100 noskip"), "history_bytes_per_step")})
    return rows


FLOOR_METRIC = "K=0 floor: receive + 1-row commit, no engine"


def b3_floor(ours):
    """Per mode: B3's K=0 send→resumed (suspended) beside the floor measured just before it."""
    out = {}
    for mode in ("in-process", "process"):
        f = find(ours, workload="B3", mode=mode, variant="floor")
        if f is None:
            continue
        b3 = find(ours, workload="B3", mode=mode, variant="suspended", steps_before_callback=0)
        out[mode] = {"send_to_resumed_ms_median": get(b3, "send_to_resumed_ms_median"),
                     "floor_ms_median": f.get("send_to_committed_ms_median"),
                     "send_to_handler_ms_median": f.get("send_to_handler_ms_median"),
                     "commit_ms_median": f.get("commit_ms_median"), "reps": f.get("reps")}
    return out


def floor_lines(floor):
    return [f"B3 K=0 send→resumed {mode}: {fmt(f['send_to_resumed_ms_median'])} ms against a "
            f"floor of {fmt(f['floor_ms_median'])} ms (medians: receive "
            f"{fmt(f['send_to_handler_ms_median'])}, commit {fmt(f['commit_ms_median'])}) "
            f"measured just before it"
            for mode, f in floor.items()]


def ratio(row, peer_name):
    """How many times better our in-process figure is than the peer's (>1 = we are better)."""
    ours, theirs = row["in_process"], row["peers"].get(peer_name)
    if not isinstance(ours, (int, float)) or not isinstance(theirs, (int, float)):
        return None
    if isinstance(ours, bool) or ours <= 0 or theirs <= 0:
        return None
    return theirs / ours if row["better"] == "lower" else ours / theirs


def targets(rows, ours):
    def row(workload, metric):
        return next((r for r in rows if r["workload"] == workload and r["metric"] == metric), None)

    def check(name, value, ok):
        return {"target": name, "value": value,
                "result": "n/a" if value is None else ("pass" if ok(value) else "miss")}

    b1 = row("B1", "N=1000 per step")
    b2 = row("B2", "C=200 throughput")
    b3_0 = row("B3", "K=0 send→resumed (suspended)")
    b3_1000 = row("B3", "K=1000 send→resumed (suspended)")
    b4 = row("B4", "timer lateness p99")
    b4_n = row("B4", "executions")
    b6 = row("B6", "on disk beyond payload")
    out = [
        check("B1 N=1000 ≥7.5× faster per step than the AWS local runner (in-process)",
              ratio(b1, "aws"), lambda v: v >= 7.5),
        check("B1 N=1000 ≥5× faster per step than Restate (in-process)",
              ratio(b1, "restate"), lambda v: v >= 5),
        check("B2 C=200 ≥4× the AWS local runner's exec/s", ratio(b2, "aws"), lambda v: v >= 4),
        check("B2 C=200 ≥7× Restate's exec/s", ratio(b2, "restate"), lambda v: v >= 7),
        check("B3 send→resumed median ≤1 ms at K=0", b3_0["in_process"], lambda v: v <= 1),
        check("B3 send→resumed median ≤5 ms at K=1000", b3_1000["in_process"], lambda v: v <= 5),
        check(f"B4 timer lateness p99 ≤10 ms with 10,000 suspended executions "
              f"(ran {b4_n['in_process']})", b4["in_process"],
              lambda v: v <= 10 and (b4_n["in_process"] or 0) >= 10000),
        check("B6 ≤150 bytes/step on disk beyond the payload", b6["process"], lambda v: v <= 150),
    ]
    return out


def fmt(v):
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, int):
        return f"{v:,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_ratio(r):
    return "—" if r is None else f"{r:.2f}×"


PEERS = ("aws", "restate", "dbos")
PEER_TITLES = {"aws": "AWS local runner", "restate": "Restate", "dbos": "DBOS"}


def table_lines(rows, durability):
    head = (["workload", "metric", "unit", f"Durable in-process", "Durable HTTP process"] +
            [PEER_TITLES[p] for p in PEERS] + [f"× vs {PEER_TITLES[p]}" for p in PEERS])
    lines = [head]
    for r in rows:
        lines.append([r["workload"], r["metric"], r["unit"], fmt(r["in_process"]),
                      fmt(r["process"])] + [fmt(r["peers"].get(p)) for p in PEERS] +
                     [fmt_ratio(ratio(r, p)) for p in PEERS])
    return lines


def print_table(lines, out=sys.stdout):
    widths = [max(len(str(l[i])) for l in lines) for i in range(len(lines[0]))]
    for j, l in enumerate(lines):
        print("  ".join(str(c).ljust(widths[i]) for i, c in enumerate(l)), file=out)
        if j == 0:
            print("  ".join("-" * w for w in widths), file=out)


def limits(peers):
    f = next((r for r in peers if r.get("peer") == "storage" and "fdatasyncs" in r), None)
    q = next((r for r in peers if r.get("peer") == "storage" and "commits_per_s" in r), None)
    parts = []
    if f:
        parts.append(f"fdatasync of 4 KiB {fmt(f['per_s'])}/s ({fmt(f['mean_us'])} µs)")
    if q:
        parts.append(f"SQLite WAL synchronous={q['synchronous']} one-row commit "
                     f"{fmt(q['commits_per_s'])}/s (p50 {fmt(q['p50_us'])} µs)")
    return "; ".join(parts)


def markdown(lines):
    md = ["| " + " | ".join(lines[0]) + " |", "|" + "---|" * len(lines[0])]
    for l in lines[1:]:
        md.append("| " + " | ".join(str(c) for c in l) + " |")
    return "\n".join(md)


def chart(rows, path, title):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: python3-matplotlib is missing, no chart", file=sys.stderr)
        return False
    def has_numbers(r):
        vals = [r["in_process"], r["process"]] + list(r["peers"].values())
        return any(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in vals)

    plot = [r for r in rows if r["unit"] not in ("bool", "count") and has_numbers(r)]
    series = [("in_process", "Durable in-process", "#1f77b4"),
              ("process", "Durable HTTP process", "#6baed6")] + \
             [(p, PEER_TITLES[p], c) for p, c in zip(PEERS, ("#ff7f0e", "#2ca02c", "#d62728"))]
    cols = 4
    nrows = (len(plot) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(4.2 * cols, 2.6 * nrows))
    for ax in axes.flat[len(plot):]:
        ax.axis("off")
    for ax, r in zip(axes.flat, plot):
        labels, values, colors = [], [], []
        for key, label, color in series:
            v = r[key] if key in ("in_process", "process") else r["peers"].get(key)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                labels.append(label.replace("Durable ", "").replace(" local runner", ""))
                values.append(v)
                colors.append(color)
        ax.barh(labels[::-1], values[::-1], color=colors[::-1])
        better = f"{r['better']} is better" if r["better"] in ("lower", "higher") else r["better"]
        ax.set_title(f"{r['workload']} {r['metric']}\n{r['unit']} ({better})", fontsize=8)
        ax.tick_params(labelsize=7)
        if values and min(values) > 0 and max(values) / min(values) > 50:
            ax.set_xscale("log")
        for i, v in enumerate(values[::-1]):
            ax.text(v, i, " " + fmt(v), va="center", fontsize=6)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=110)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--peers", required=True)
    ap.add_argument("--micro")
    ap.add_argument("--limits-before", help="storage limits measured before our run (jsonl)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--date", default=datetime.datetime.utcnow().strftime("%Y-%m-%d"))
    a = ap.parse_args()
    ours = load_json(a.ours, [])
    peers = load_jsonl(a.peers)
    micro = load_json(a.micro, {}) if a.micro else {}
    durability = sorted({r.get("durability", "?") for r in ours}) or ["?"]
    rows = build_rows(ours, peers)
    lines = table_lines(rows, durability)
    tg = targets(rows, ours)
    floor = b3_floor(ours)

    print()
    print(f"Durable benchmark {a.date} — durability: {', '.join(durability)}")
    print_table(lines)
    print()
    for t in tg:
        print(f"  [{t['result'].upper():4}] {t['target']}: {fmt(t['value'])}")
    for line in floor_lines(floor):
        print(f"  {line}")
    before = load_jsonl(a.limits_before) if a.limits_before else []
    if limits(before):
        print(f"  physical limits before the run: {limits(before)}")
    if limits(peers):
        print(f"  physical limits after the run:  {limits(peers)}")
    if not peers:
        print("  (no peer figures: ../shared/peer-bench was missing or PEERS was empty)")
    micro_rows = [{"name": b["name"], "real_time_ns": b.get("real_time"),
                   "cpu_time_ns": b.get("cpu_time"), "items_per_second": b.get("items_per_second")}
                  for b in micro.get("benchmarks", [])]
    if micro_rows:
        print("\nmicro-benchmarks (Google Benchmark, ns per iteration):")
        for m in micro_rows:
            print(f"  {m['name']:40} {m['real_time_ns']:>12.0f} real {m['cpu_time_ns']:>12.0f} cpu")

    os.makedirs(a.out_dir, exist_ok=True)
    mach = machine()
    report = {"date": a.date, "generated_utc": datetime.datetime.utcnow().isoformat() + "Z",
              "durability": durability, "machine": mach, "table": rows, "targets": tg,
              "table_markdown": markdown(lines), "physical_limits_before": limits(before),
              "physical_limits_after": limits(peers), "b3_floor": floor,
              "limits_before": before, "ours": ours, "peers": peers,
              "micro": micro_rows, "micro_context": micro.get("context", {})}
    jpath = os.path.join(a.out_dir, f"{a.date}.json")
    with open(jpath, "w") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
        f.write("\n")
    ppath = os.path.join(a.out_dir, f"{a.date}.png")
    drawn = chart(rows, ppath, f"Durable vs peers, {a.date}, {mach['cpus']} CPUs, "
                               f"{', '.join(durability)}")
    print(f"\nreport: wrote {jpath}" + (f" and {ppath}" if drawn else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
