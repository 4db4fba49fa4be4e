#!/usr/bin/env python3
"""bench-report.py: the bookkeeping half of scripts/bench.

  bench-report.py machine BUILD_DIR                 machine description as JSON on stdout
  bench-report.py record OUT RAW STDERR [KEY=VALUE...]
                                                    one run: qtchat-load's or qtchat-guilag's
                                                    JSON (RAW, may be empty) plus what
                                                    scripts/bench knows
  bench-report.py markdown RESULTS_DIR BENCHMARKS_MD
                                                    (re)writes the generated part of
                                                    BENCHMARKS.md from every r*.json in
                                                    RESULTS_DIR; the text outside the markers
                                                    is kept; results of the cluster
                                                    scenarios go between markers of their own

Only the standard library: it runs wherever scripts/bench runs.
"""
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

BEGIN = "<!-- scripts/bench: generated from here -->"
END = "<!-- scripts/bench: generated until here -->"
CLUSTER_BEGIN = "<!-- scripts/bench cluster: generated from here -->"
CLUSTER_END = "<!-- scripts/bench cluster: generated until here -->"

SERVER_ORDER = ["qtchat-pool", "qtchat-per-connection", "qtchat-single", "ngircd", "inspircd",
                "qtchat-cluster", "ngircd-linked"]
SERVER_NAMES = {
    "qtchat-pool": "QtChat pool",
    "qtchat-per-connection": "QtChat per-connection",
    "qtchat-single": "QtChat single",
    "ngircd": "ngircd",
    "inspircd": "InspIRCd",
    "qtchat-cluster": "QtChat cluster",
    "ngircd-linked": "ngircd, linked",
}
ANCHORS = ["ngircd", "inspircd"]
SCENARIO_ORDER = ["fanout", "latency", "connections", "churn", "guilag", "cluster",
                  "cluster-latency", "cluster3"]
CLUSTER_SCENARIOS = ["cluster", "cluster-latency", "cluster3"]
# Issue 5: the GUI stays responsive while its server carries the fan-out (a 60 Hz frame).
GUI_LAG_P99_TARGET_MS = 16


# ----------------------------------------------------------------------------- machine

def dispatcher_text(qt_no_glib):
    if qt_no_glib is None:
        return "Qt's Unix dispatcher (QT_NO_GLIB unset: qtchat sets QT_NO_GLIB=1 itself)"
    if qt_no_glib == "":
        return "glib (QT_NO_GLIB set empty)"
    return f"Qt's Unix dispatcher (QT_NO_GLIB={qt_no_glib})"


def run_text(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def package_version(name):
    return run_text(["dpkg-query", "-W", "-f=${Version}", name]) or "not installed"


def machine(build_dir):
    cpu_model = ""
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    compiler = ""
    cache = Path(build_dir) / "CMakeCache.txt"
    build_type = ""
    if cache.exists():
        text = cache.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"^CMAKE_CXX_COMPILER:\w+=(.*)$", text, re.M)
        if match:
            compiler = run_text([match.group(1), "--version"]).splitlines()[0:1]
            compiler = compiler[0] if compiler else match.group(1)
        match = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", text, re.M)
        build_type = match.group(1) if match else ""
    qt_version = run_text(["qtpaths6", "--qt-version"]) or run_text(
        ["/usr/lib/qt6/bin/qtpaths", "--qt-version"])
    os_release = ""
    if Path("/etc/os-release").exists():
        match = re.search(r'^PRETTY_NAME="?(.*?)"?$', Path("/etc/os-release").read_text(), re.M)
        os_release = match.group(1) if match else ""
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "os": os_release,
        "qt": f"{qt_version} (Debian package {package_version('libqt6core6')})",
        "compiler": compiler,
        "build_type": build_type,
        "ngircd": package_version("ngircd"),
        "inspircd": package_version("inspircd"),
        # None: unset, so qtchat and qtchat-guilag set QT_NO_GLIB=1 themselves.
        "qt_no_glib": os.environ.get("QT_NO_GLIB"),
        "nofile_hard": run_text(["sh", "-c", "ulimit -Hn"]),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


# ----------------------------------------------------------------------------- record

def record(out, raw_path, stderr_path, pairs):
    meta = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        meta[key] = value
    raw = Path(raw_path).read_text(encoding="utf-8", errors="replace").strip() if Path(
        raw_path).exists() else ""
    try:
        generator = json.loads(raw) if raw else None
    except json.JSONDecodeError:
        generator = None
    stderr_tail = ""
    if Path(stderr_path).exists():
        stderr_tail = "\n".join(
            Path(stderr_path).read_text(encoding="utf-8", errors="replace").splitlines()[-20:])
    entry = {
        "schema": 1,
        "run": int(meta.pop("run", "0")),
        "scenario": meta.pop("scenario", ""),
        "server": meta.pop("server", ""),
        "exit_code": int(meta.pop("exit_code", "-1")),
        "wall_seconds": float(meta.pop("wall_seconds", "0")),
        "loadavg_before": [float(x) for x in meta.pop("loadavg", "0 0 0").split()[:3]],
        "generator": generator,
        "generator_stderr_tail": stderr_tail,
    }
    history_rows = meta.pop("history_rows", "")
    if history_rows:
        entry["history_rows"] = int(history_rows)
    before = meta.pop("proc_before", "").split()
    after = meta.pop("proc_after", "").split()
    if len(before) == 4 and len(after) == 4:
        tick = os.sysconf("SC_CLK_TCK")
        delta = [int(a) - int(b) for a, b in zip(after, before)]
        # The whole run (set-up and traffic), measured by scripts/bench from /proc/PID/stat
        # and /proc/PID/io around qtchat-load.
        entry["server_proc"] = {"user_seconds": delta[0] / tick, "system_seconds": delta[1] / tick,
                                "read_syscalls": delta[2], "write_syscalls": delta[3]}
    entry.update(meta)
    Path(out).write_text(json.dumps(entry, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------- figures

def dig(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def figures(entry):
    """The numbers one run contributes, by name; None where the run has none."""
    g = entry.get("generator") or {}
    load = g.get("load") or g  # qtchat-guilag nests the fan-out's qtchat-load report
    traffic = load.get("traffic") or {}
    churn = load.get("churn") or {}
    server = load.get("server") or {}
    setup = load.get("setup") or {}
    latency = traffic.get("latency") or {}
    cross = traffic.get("cross_server_latency") or {}
    lag = g.get("lag") if dig(g, "lag", "ticks") else {}  # none from a run that never ticked
    gui = g.get("gui_thread") or {}
    f = {
        "passed": bool(g.get("passed")) and entry.get("exit_code") == 0,
        "clients": setup.get("ready"),
        "setup_s": setup.get("seconds"),
        "rss_kb_per_conn": server.get("rss_kb_per_connection"),
        "peak_rss_mb": (server.get("peak_rss_kb") or 0) / 1024 if server else None,
        "cpu_setup_s": server.get("cpu_seconds_setup"),
        "cpu_us_per_delivery": server.get("cpu_us_per_delivery") if traffic else None,
        "deliveries_per_s": traffic.get("deliveries_per_second"),
        "p50_ms": latency.get("p50_us") / 1000 if latency else None,
        "p99_ms": latency.get("p99_us") / 1000 if latency else None,
        "p999_ms": latency.get("p999_us") / 1000 if latency else None,
        "cross_p50_ms": cross["p50_us"] / 1000 if cross.get("count") else None,
        "cross_p99_ms": cross["p99_us"] / 1000 if cross.get("count") else None,
        "cross_deliveries": cross.get("count") if cross else None,
        "processes": len(server.get("pids") or []) or None,
        "loss": traffic.get("loss") if traffic else None,
        "out_of_order": traffic.get("out_of_order") if traffic else None,
        "duplicates": traffic.get("duplicates") if traffic else None,
        "gen_cores": dig(load, "generator", "cores_busy"),
        "load1": (entry.get("loadavg_before") or [None])[0],
        "cycles_per_s": churn.get("cycles_per_second"),
        "cycle_p50_ms": dig(churn, "cycle", "p50_us") / 1000 if churn else None,
        "cycle_p99_ms": dig(churn, "cycle", "p99_us") / 1000 if churn else None,
        "churn_failed": (churn.get("failed", 0) + churn.get("skipped", 0)) if churn else None,
        "churn_events_missing": (
            max(0, churn.get("joins_expected", 0) - churn.get("joins_seen", 0))
            + max(0, churn.get("quits_expected", 0) - churn.get("quits_seen", 0))) if churn else None,
        "lag_p50_ms": lag["p50_us"] / 1000 if lag else None,
        "lag_p99_ms": lag["p99_us"] / 1000 if lag else None,
        "lag_p999_ms": lag["p999_us"] / 1000 if lag else None,
        "lag_max_ms": lag["max_us"] / 1000 if lag else None,
        "gui_cpu_pct": gui.get("cpu_percent"),
        "gui_nivcsw": gui.get("involuntary_context_switches"),
        "lag_ticks": lag.get("ticks"),
        "log_catch_up_ms": g.get("log_catch_up_ms"),
    }
    proc = entry.get("server_proc") or {}
    deliveries = traffic.get("received_deliveries")
    f["writes_per_delivery"] = (proc["write_syscalls"] / deliveries
                                if proc and deliveries else None)
    cpu = (proc.get("user_seconds", 0) + proc.get("system_seconds", 0)) if proc else 0
    f["system_share"] = proc["system_seconds"] / cpu if cpu else None
    f["writes_per_client"] = (proc["write_syscalls"] / setup["ready"]
                              if proc and setup.get("ready") else None)
    if setup.get("ready") and server.get("cpu_seconds_setup") is not None:
        f["cpu_setup_us_per_conn"] = server["cpu_seconds_setup"] * 1e6 / setup["ready"]
    else:
        f["cpu_setup_us_per_conn"] = None
    if churn.get("completed") and server.get("cpu_seconds_traffic") is not None:
        f["cpu_us_per_cycle"] = server["cpu_seconds_traffic"] * 1e6 / churn["completed"]
    else:
        f["cpu_us_per_cycle"] = None
    return f


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    return (min(values), max(values)) if values else (None, None)


def fmt(value, digits=2):
    if value is None:
        return "–"
    if isinstance(value, float) and digits == 0:
        return f"{value:,.0f}"
    if abs(value) >= 1000 and digits <= 2:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def ratio(value, anchor):
    if value is None or anchor in (None, 0):
        return "–"
    return f"{value / anchor:.2f}×"


# ----------------------------------------------------------------------------- markdown

class Results:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.entries = []
        for path in sorted(self.directory.glob("r*.json")):
            try:
                self.entries.append(json.loads(path.read_text(encoding="utf-8")))
            except json.JSONDecodeError:
                continue
        machine_path = self.directory / "machine.json"
        self.machine = json.loads(machine_path.read_text()) if machine_path.exists() else {}
        info_path = self.directory / "info.json"
        self.info = json.loads(info_path.read_text()) if info_path.exists() else {}

    def runs(self, scenario, server):
        return [e for e in self.entries if e["scenario"] == scenario and e["server"] == server]

    def servers(self, scenario):
        present = {e["server"] for e in self.entries if e["scenario"] == scenario}
        return [s for s in SERVER_ORDER if s in present]

    def scenarios(self):
        present = {e["scenario"] for e in self.entries}
        return [s for s in SCENARIO_ORDER if s in present]

    def med(self, scenario, server, key):
        return median(figures(e)[key] for e in self.runs(scenario, server))

    def worst(self, scenario, server, key):
        values = [figures(e)[key] for e in self.runs(scenario, server)]
        values = [v for v in values if v is not None]
        return max(values) if values else None

    def passed(self, scenario, server):
        runs = self.runs(scenario, server)
        return sum(1 for e in runs if figures(e)["passed"]), len(runs)


def cell_range(results, scenario, server, key, digits=2):
    values = [figures(e)[key] for e in results.runs(scenario, server)]
    m = median(values)
    lo, hi = spread(values)
    if m is None:
        return "–"
    if len([v for v in values if v is not None]) > 1:
        return f"{fmt(m, digits)} <sub>{fmt(lo, digits)}–{fmt(hi, digits)}</sub>"
    return fmt(m, digits)


def integrity(results, scenario, server):
    keys = ["loss", "out_of_order", "duplicates"]
    if scenario == "churn":
        keys = ["churn_failed", "churn_events_missing"]
    worst = [results.worst(scenario, server, k) for k in keys]
    return " / ".join("–" if w is None else str(int(w)) for w in worst)


def table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def traffic_table(results, scenario):
    header = ["server", "passed", "server CPU µs/delivery", "× ngircd", "deliveries/s",
              "× ngircd", "p50 ms", "p99 ms", "× ngircd", "p99.9 ms", "set-up s",
              "RSS KiB/conn", "write(v) calls per delivery", "kernel share of CPU",
              "loss / reorder / dup", "generator cores", "load1"]
    rows = []
    ng = lambda key: results.med(scenario, "ngircd", key)  # noqa: E731
    for server in results.servers(scenario):
        med = lambda key: results.med(scenario, server, key)  # noqa: E731
        ok, total = results.passed(scenario, server)
        share = med("system_share")
        rows.append([
            f"**{SERVER_NAMES[server]}**", f"{ok}/{total}",
            cell_range(results, scenario, server, "cpu_us_per_delivery", 3),
            ratio(med("cpu_us_per_delivery"), ng("cpu_us_per_delivery")),
            cell_range(results, scenario, server, "deliveries_per_s", 0),
            ratio(med("deliveries_per_s"), ng("deliveries_per_s")),
            cell_range(results, scenario, server, "p50_ms", 2),
            cell_range(results, scenario, server, "p99_ms", 2),
            ratio(med("p99_ms"), ng("p99_ms")),
            cell_range(results, scenario, server, "p999_ms", 2),
            fmt(med("setup_s"), 3),
            fmt(med("rss_kb_per_conn"), 1),
            fmt(med("writes_per_delivery"), 3),
            "–" if share is None else f"{100 * share:.0f} %",
            integrity(results, scenario, server),
            fmt(med("gen_cores"), 2),
            fmt(med("load1"), 2),
        ])
    return table(header, rows)


def connections_table(results):
    scenario = "connections"
    header = ["server", "passed", "clients", "set-up s", "× ngircd", "server CPU in set-up, µs/conn",
              "RSS KiB/conn", "× ngircd", "peak RSS MiB", "write(v) calls per client",
              "kernel share of CPU", "then: deliveries/s", "p99 ms", "loss / reorder / dup",
              "load1"]
    rows = []
    ng = lambda key: results.med(scenario, "ngircd", key)  # noqa: E731
    for server in results.servers(scenario):
        med = lambda key: results.med(scenario, server, key)  # noqa: E731
        ok, total = results.passed(scenario, server)
        rows.append([
            f"**{SERVER_NAMES[server]}**", f"{ok}/{total}", fmt(med("clients"), 0),
            cell_range(results, scenario, server, "setup_s", 2),
            ratio(med("setup_s"), ng("setup_s")),
            cell_range(results, scenario, server, "cpu_setup_us_per_conn", 0),
            cell_range(results, scenario, server, "rss_kb_per_conn", 1),
            ratio(med("rss_kb_per_conn"), ng("rss_kb_per_conn")),
            fmt(med("peak_rss_mb"), 1),
            fmt(med("writes_per_client"), 1),
            "–" if med("system_share") is None else f"{100 * med('system_share'):.0f} %",
            fmt(med("deliveries_per_s"), 0),
            fmt(med("p99_ms"), 1),
            integrity(results, scenario, server),
            fmt(med("load1"), 2),
        ])
    return table(header, rows)


def churn_table(results):
    scenario = "churn"
    header = ["server", "passed", "cycles/s", "cycle p50 ms", "cycle p99 ms", "× ngircd",
              "server CPU µs/cycle", "× ngircd", "failed+skipped / events missing", "load1"]
    rows = []
    ng = lambda key: results.med(scenario, "ngircd", key)  # noqa: E731
    for server in results.servers(scenario):
        med = lambda key: results.med(scenario, server, key)  # noqa: E731
        ok, total = results.passed(scenario, server)
        rows.append([
            f"**{SERVER_NAMES[server]}**", f"{ok}/{total}",
            cell_range(results, scenario, server, "cycles_per_s", 1),
            cell_range(results, scenario, server, "cycle_p50_ms", 2),
            cell_range(results, scenario, server, "cycle_p99_ms", 2),
            ratio(med("cycle_p99_ms"), ng("cycle_p99_ms")),
            cell_range(results, scenario, server, "cpu_us_per_cycle", 0),
            ratio(med("cpu_us_per_cycle"), ng("cpu_us_per_cycle")),
            integrity(results, scenario, server),
            fmt(med("load1"), 2),
        ])
    return table(header, rows)


def guilag_table(results):
    scenario = "guilag"
    header = ["server", "passed", "ticks", "lag p50 ms", "lag p99 ms", "lag p99.9 ms",
              "lag max ms", "GUI thread CPU", "involuntary context switches",
              "log caught up, ms after", "deliveries/s", "loss / reorder / dup", "load1"]
    rows = []
    for server in results.servers(scenario):
        med = lambda key: results.med(scenario, server, key)  # noqa: E731
        ok, total = results.passed(scenario, server)
        cpu = med("gui_cpu_pct")
        rows.append([
            f"**{SERVER_NAMES[server]}**", f"{ok}/{total}", fmt(med("lag_ticks"), 0),
            cell_range(results, scenario, server, "lag_p50_ms", 2),
            cell_range(results, scenario, server, "lag_p99_ms", 2),
            cell_range(results, scenario, server, "lag_p999_ms", 2),
            cell_range(results, scenario, server, "lag_max_ms", 2),
            "–" if cpu is None else f"{cpu:.0f} %",
            fmt(med("gui_nivcsw"), 0),
            cell_range(results, scenario, server, "log_catch_up_ms", 0),
            cell_range(results, scenario, server, "deliveries_per_s", 0),
            integrity(results, scenario, server),
            fmt(med("load1"), 2),
        ])
    return table(header, rows)


def same_run_pairs(results, scenario, server, key, better):
    """Per run: did `server` beat the better anchor of that same run? Returns (wins, runs)."""
    wins = total = 0
    for run in sorted({e["run"] for e in results.entries}):
        mine = [figures(e)[key] for e in results.runs(scenario, server) if e["run"] == run]
        anchors = [figures(e)[key] for a in ANCHORS for e in results.runs(scenario, a)
                   if e["run"] == run]
        mine = [v for v in mine if v is not None]
        anchors = [v for v in anchors if v is not None]
        if not mine or not anchors:
            continue
        total += 1
        best = min(anchors) if better == "lower" else max(anchors)
        if (mine[0] <= best) if better == "lower" else (mine[0] >= best):
            wins += 1
    return wins, total


def targets(results):
    rows = []

    def verdict(ok):
        return "–" if ok is None else ("**met**" if ok else "**missed**")

    def anchors_med(scenario, key, pick):
        values = [results.med(scenario, a, key) for a in ANCHORS]
        values = [v for v in values if v is not None]
        return pick(values) if values else None

    pool = "qtchat-pool"
    cpu = results.med("fanout", pool, "cpu_us_per_delivery")
    best_cpu = anchors_med("fanout", "cpu_us_per_delivery", min)
    wins, total = same_run_pairs(results, "fanout", pool, "cpu_us_per_delivery", "lower")
    rows.append(["fan-out, pool: server CPU per delivery ≤ the better anchor's",
                 f"{fmt(cpu, 3)} µs vs {fmt(best_cpu, 3)} µs (better anchor, median); "
                 f"better in {wins}/{total} runs",
                 verdict(None if cpu is None or best_cpu is None else cpu <= best_cpu)])
    rate = results.med("fanout", pool, "deliveries_per_s")
    best_rate = anchors_med("fanout", "deliveries_per_s", max)
    wins, total = same_run_pairs(results, "fanout", pool, "deliveries_per_s", "higher")
    rows.append(["fan-out, pool: deliveries/s ≥ the best anchor's",
                 f"{fmt(rate, 0)}/s vs {fmt(best_rate, 0)}/s; better in {wins}/{total} runs",
                 verdict(None if rate is None or best_rate is None else rate >= best_rate)])
    p99 = results.med("latency", pool, "p99_ms")
    anchor_p99 = anchors_med("latency", "p99_ms", min)
    wins, total = same_run_pairs(results, "latency", pool, "p99_ms", "lower")
    rows.append(["latency: p99 lower than both anchors' (pool)",
                 f"{fmt(p99, 2)} ms vs {fmt(anchor_p99, 2)} ms (lower anchor); "
                 f"lower in {wins}/{total} runs",
                 verdict(None if p99 is None or anchor_p99 is None else p99 < anchor_p99)])
    for other in ["qtchat-per-connection", "qtchat-single"]:
        value = results.med("latency", other, "p99_ms")
        if value is not None:
            rows.append([f"latency: p99 lower than both anchors' ({SERVER_NAMES[other]}, "
                         "for information)", f"{fmt(value, 2)} ms",
                         verdict(None if anchor_p99 is None else value < anchor_p99)])
    clients = results.med("connections", pool, "clients")
    rss = results.med("connections", pool, "rss_kb_per_conn")
    setup = results.med("connections", pool, "setup_s")
    ok_pool, total_pool = results.passed("connections", pool)
    held = clients is not None and clients >= 10000 and ok_pool == total_pool and total_pool > 0
    rows.append(["10,000 connections held in pool mode",
                 f"{fmt(clients, 0)} clients, {ok_pool}/{total_pool} runs passed",
                 verdict(None if clients is None else held)])
    rows.append(["… at ≤ 8 KB RSS per connection", f"{fmt(rss, 1)} KiB per connection",
                 verdict(None if rss is None else rss <= 8 * 1000 / 1024)])
    rows.append(["… set up in under 3 s", f"{fmt(setup, 2)} s",
                 verdict(None if setup is None else setup < 3)])
    pc_clients = results.med("connections", "qtchat-per-connection", "clients")
    ok_pc, total_pc = results.passed("connections", "qtchat-per-connection")
    rows.append(["per-connection mode holds ≥ 2,000 clients",
                 f"{fmt(pc_clients, 0)} clients, {ok_pc}/{total_pc} runs passed",
                 verdict(None if pc_clients is None else
                         pc_clients >= 2000 and ok_pc == total_pc)])
    bad = []
    for e in results.entries:
        f = figures(e)
        if e["server"].startswith("qtchat") and any(
                (f[k] or 0) > 0 for k in ["loss", "out_of_order", "duplicates", "churn_failed",
                                          "churn_events_missing"]):
            bad.append(f"r{e['run']} {e['scenario']} {e['server']}")
    qt_runs = [e for e in results.entries if e["server"].startswith("qtchat")]
    failed = [f"r{e['run']} {e['scenario']} {e['server']}" for e in qt_runs
              if not figures(e)["passed"]]
    rows.append(["zero loss and zero reordering everywhere (QtChat, every run)",
                 f"{len(qt_runs)} runs; with loss/reordering/duplicates: "
                 f"{', '.join(bad) if bad else 'none'}; failed otherwise: "
                 f"{', '.join(failed) if failed else 'none'}",
                 verdict(not bad and not failed if qt_runs else None)])
    rows += gui_lag_targets(results)
    return table(["target (issue 5)", "measured (medians)", "verdict"], rows)


def gui_lag_targets(results):
    target = f"GUI event-loop lag p99 < {GUI_LAG_P99_TARGET_MS} ms while the server carries the " \
             "fan-out, log view open"
    lag = results.med("guilag", "qtchat-pool", "lag_p99_ms")
    if lag is None:
        return [[target, "not measured in these results (scenario guilag)", "–"]]
    worst = results.worst("guilag", "qtchat-pool", "lag_p99_ms")
    rows = [[f"{target} (pool)", f"{fmt(lag, 2)} ms (worst run {fmt(worst, 2)} ms)",
             "**met**" if lag < GUI_LAG_P99_TARGET_MS else "**missed**"]]
    for other in ["qtchat-per-connection", "qtchat-single"]:
        value = results.med("guilag", other, "lag_p99_ms")
        if value is not None:
            rows.append([f"{target} ({SERVER_NAMES[other]}, for information)",
                         f"{fmt(value, 2)} ms",
                         "**met**" if value < GUI_LAG_P99_TARGET_MS else "**missed**"])
    return rows


def run_log(results):
    rows = []
    for e in sorted(results.entries, key=lambda e: int(e.get("sequence", 0))):
        f = figures(e)
        key = {"fanout": ("cpu_us_per_delivery", "µs/delivery", 3),
               "cluster": ("cpu_us_per_delivery", "µs/delivery", 3),
               "cluster-latency": ("cross_p99_ms", "ms cross-server p99", 2),
               "cluster3": ("cpu_us_per_delivery", "µs/delivery", 3),
               "latency": ("p99_ms", "ms p99", 2),
               "connections": ("setup_s", "s set-up", 2),
               "churn": ("cpu_us_per_cycle", "µs/cycle", 0),
               "guilag": ("lag_p99_ms", "ms GUI lag p99", 2)}[e["scenario"]]
        rows.append([e["run"], e.get("sequence", ""), e["scenario"], SERVER_NAMES.get(e["server"],
                     e["server"]), " ".join(f"{x:.2f}" for x in e["loadavg_before"]),
                     f"{fmt(f[key[0]], key[2])} {key[1]}", "yes" if f["passed"] else
                     f"**no** (exit {e['exit_code']})", f"{e['wall_seconds']:.1f}"])
    return table(["run", "#", "scenario", "server", "load average before (1/5/15 min)",
                  "key figure", "passed", "wall s"], rows)


def generated(results):
    m = results.machine
    info = results.info
    out = []
    out.append(f"Results: `{info.get('results_dir', results.directory)}` "
               f"({len(results.entries)} runs, {info.get('runs', '?')} per server and scenario"
               f"{', --quick' if info.get('quick') == 'yes' else ''}), "
               f"started {m.get('date', '?')}, took {info.get('elapsed_minutes', '?')} min.")
    out.append("")
    out.append("### The machine")
    out.append("")
    out.append(table(["", ""], [
        ["CPU", f"{m.get('nproc')} × {m.get('cpu_model')}"],
        ["memory", f"{m.get('memory_gib')} GiB"],
        ["kernel / OS", f"{m.get('kernel')} / {m.get('os')}"],
        ["Qt", m.get("qt")],
        ["compiler", f"{m.get('compiler')} ({m.get('build_type')} build)"],
        ["ngircd / InspIRCd", f"{m.get('ngircd')} / {m.get('inspircd')} (Debian packages)"],
        ["event dispatcher", dispatcher_text(m.get("qt_no_glib"))],
        ["open files (hard limit)", m.get("nofile_hard")],
    ]))
    out.append("")
    out.append("### The commands")
    out.append("")
    out.append("```sh")
    out.append(info.get("command", "scripts/bench"))
    out.append("```")
    out.append("")
    out.append("Servers, each started fresh for every run on a free loopback port:")
    out.append("")
    out.append("```sh")
    for line in info.get("server_commands", []):
        out.append(line)
    out.append("```")
    out.append("")
    out.append("Generator (`--port`, `--server-pid`, `--json --quiet` added to each):")
    out.append("")
    out.append("```sh")
    for line in info.get("generator_commands", []):
        out.append(line)
    out.append("```")
    out.append("")
    loads = [e["loadavg_before"][0] for e in results.entries]
    if loads:
        out.append(f"Load average (1 min) before the runs: median {statistics.median(loads):.2f}, "
                   f"min {min(loads):.2f}, max {max(loads):.2f} on {m.get('nproc')} cores; "
                   "every run's value is in the run log below.")
        out.append("")
    out.append("Cells are medians over the runs, with the smallest and largest value in small "
               "print. Server CPU is utime+stime of the server process from `/proc` "
               "(10 ms ticks) over the traffic phase, divided by the deliveries; × ngircd is "
               "the ratio of medians (below 1 is better for CPU, latency, time and memory, "
               "above 1 for deliveries/s). `loss / reorder / dup` is the worst run. "
               "`write(v) calls` (socket writes, eventfd wake-ups and log lines alike; the "
               "kernel counts `write` and `writev` there but not `sendmsg`, which QtChat's "
               "plain connections use, so for QtChat they are only wake-ups and log lines) and the "
               "kernel share of CPU (stime over utime+stime) come from `/proc/PID/io` and "
               "`/proc/PID/stat` around the whole run, set-up included. Generator cores: the "
               "generator's own CPU over the traffic phase (2 threads; near 2 it is the limit).")
    out.append("")
    titles = {
        "fanout": "### Fan-out: 100 clients in one channel, 10 senders × 2,000 lines, unpaced "
                  "(window 100)",
        "latency": "### Latency: 200 clients in one channel, 20 senders × 20 lines/s",
        "connections": "### Connections: registered clients over 100 channels, then 100 "
                       "senders × 10 lines",
        "churn": "### Churn: connect–register–join–quit cycles next to 20 resident clients",
        "guilag": "### GUI event-loop lag under fan-out: the app's window, log view open, its "
                  "own server carrying the fan-out",
    }
    for scenario in results.scenarios():
        out.append(titles[scenario])
        out.append("")
        if scenario in ("fanout", "latency"):
            out.append(traffic_table(results, scenario))
        elif scenario == "connections":
            out.append(connections_table(results))
        elif scenario == "guilag":
            out.append(guilag_lead())
            out.append("")
            out.append(guilag_table(results))
        else:
            out.append(churn_table(results))
        out.append("")
    out.append("### Targets of issue 5")
    out.append("")
    out.append(targets(results))
    out.append("")
    out.append("<details><summary>Run log: every run in the order it ran, with the load "
               "average before it</summary>")
    out.append("")
    out.append(run_log(results))
    out.append("")
    out.append("</details>")
    return "\n".join(out)


def guilag_lead():
    return ("`qtchat-guilag` opens the app's `MainWindow` (offscreen platform) with the log view "
            "open, starts its server in the given threading model with the limits lifted, and runs "
            "qtchat-load's fan-out preset (100 clients, 10 senders × 2,000 lines, window 100) with "
            "the load engine on threads of the same process. A 5 ms precise timer in a plain event "
            "loop of the GUI thread runs from the bots' set-up until the log has taken the last "
            "relayed line: lag is each gap between its ticks beyond 5 ms, time in which the GUI "
            "could not react. Ticks is how many gaps a run has: at about 100, a run's p99 is its "
            "second-largest gap and its p99.9 its largest. GUI thread CPU is its utime+stime over the same wall time "
            "(`getrusage(RUSAGE_THREAD)`); involuntary context switches are times it was ready but "
            "preempted, which a busy machine adds to the lag. \"Log caught up\": from the end of "
            "the fan-out until the log had taken every line. Deliveries/s and loss are the "
            "fan-out's, with the generator and the window sharing the cores with the server.")


SKELETON = """# Benchmarks

`scripts/bench` writes the part between the markers; the rest of this file is written by hand.

{begin}
{end}
"""


def markdown(results_dir, target):
    results = Results(results_dir)
    begin, end, body = BEGIN, END, generated
    if results.scenarios() and all(s in CLUSTER_SCENARIOS for s in results.scenarios()):
        begin, end, body = CLUSTER_BEGIN, CLUSTER_END, cluster_generated
    path = Path(target)
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON.format(
        begin=BEGIN, end=END)
    if begin not in text or end not in text:
        text = text.rstrip("\n") + "\n\n" + begin + "\n" + end + "\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(head + begin + "\n" + body(results) + "\n" + end + tail, encoding="utf-8")


# ----------------------------------------------------------------------------- cluster

def cluster_table(results, scenario):
    header = ["server", "processes", "passed", "CPU µs/delivery, all processes",
              "× one QtChat", "deliveries/s", "p50 ms", "p99 ms", "cross-server p50 ms",
              "cross-server p99 ms", "loss / reorder / dup", "generator cores", "load1"]
    rows = []
    one = results.med(scenario, "qtchat-pool", "cpu_us_per_delivery")
    for server in results.servers(scenario):
        ok, total = results.passed(scenario, server)
        rows.append([
            SERVER_NAMES.get(server, server),
            fmt(results.med(scenario, server, "processes"), 0),
            f"{ok}/{total}",
            cell_range(results, scenario, server, "cpu_us_per_delivery", 3),
            ratio(results.med(scenario, server, "cpu_us_per_delivery"), one),
            cell_range(results, scenario, server, "deliveries_per_s", 0),
            cell_range(results, scenario, server, "p50_ms", 2),
            cell_range(results, scenario, server, "p99_ms", 2),
            cell_range(results, scenario, server, "cross_p50_ms", 2),
            cell_range(results, scenario, server, "cross_p99_ms", 2),
            integrity(results, scenario, server),
            cell_range(results, scenario, server, "gen_cores", 2),
            cell_range(results, scenario, server, "load1", 2),
        ])
    return table(header, rows)


def cluster_targets(results):
    def verdict(ok):
        return "–" if ok is None else ("**met**" if ok else "**missed**")

    rows = []
    for scenario in results.scenarios():
        runs = results.runs(scenario, "qtchat-cluster")
        bad = [f"r{e['run']}" for e in runs
               if not figures(e)["passed"] or any((figures(e)[k] or 0) > 0 for k in
                                                   ["loss", "out_of_order", "duplicates"])]
        rows.append([f"{scenario}: zero loss, reordering and duplicates, every cluster run",
                     f"{len(runs)} runs; failing: {', '.join(bad) if bad else 'none'}",
                     verdict(not bad if runs else None)])
    for scenario in ["cluster", "cluster-latency"]:
        p99 = results.med(scenario, "qtchat-cluster", "cross_p99_ms")
        anchor = results.med(scenario, "ngircd-linked", "cross_p99_ms")
        if p99 is None and anchor is None:
            continue
        rows.append([f"{scenario}: cross-server p99 below the linked ngircd pair's",
                     f"{fmt(p99, 2)} ms vs {fmt(anchor, 2)} ms",
                     verdict(None if p99 is None or anchor is None else p99 < anchor)])
    for scenario in ["cluster", "cluster3"]:
        if scenario not in results.scenarios():
            continue
        cpu = results.med(scenario, "qtchat-cluster", "cpu_us_per_delivery")
        one = results.med(scenario, "qtchat-pool", "cpu_us_per_delivery")
        rows.append([f"{scenario}: CPU per delivery of the cluster at most twice one QtChat's",
                     f"{fmt(cpu, 3)} µs vs {fmt(one, 3)} µs ({ratio(cpu, one)})",
                     verdict(None if cpu is None or one is None else cpu <= 2 * one)])
    return table(["target (issue 11)", "measured (medians)", "verdict"], rows)


def cluster_generated(results):
    m = results.machine
    info = results.info
    titles = {
        "cluster": "#### cluster: the fan-out (100 clients in one channel, 10 senders, window "
                   "100) over two servers",
        "cluster-latency": "#### cluster-latency: 200 clients in one channel, 20 senders × 20 "
                           "lines/s, over two servers",
        "cluster3": "#### cluster3: 3,000 clients in one channel, 6 senders, over three servers",
    }
    out = [f"Results: `{info.get('results_dir', results.directory)}` "
           f"({len(results.entries)} runs, {info.get('runs', '?')} per server and scenario"
           f"{', --quick' if info.get('quick') == 'yes' else ''}), started "
           f"{m.get('date', '?')} on {m.get('nproc')} × {m.get('cpu_model')}, took "
           f"{info.get('elapsed_minutes', '?')} min.", "", "```sh",
           info.get("command", "scripts/bench --scenarios cluster,cluster3")]
    out += info.get("server_commands", []) + info.get("generator_commands", []) + ["```", ""]
    loads = [e["loadavg_before"][0] for e in results.entries]
    if loads:
        out.append(f"Load average (1 min) before the runs: median {statistics.median(loads):.2f},"
                   f" min {min(loads):.2f}, max {max(loads):.2f}.")
        out.append("")
    for scenario in results.scenarios():
        out += [titles[scenario], "", cluster_table(results, scenario), ""]
    out += ["#### Targets", "", cluster_targets(results), "",
            "<details><summary>Run log</summary>", "", run_log(results), "", "</details>"]
    return "\n".join(out)


def main(argv):
    if len(argv) >= 3 and argv[1] == "machine":
        print(json.dumps(machine(argv[2]), indent=2))
        return 0
    if len(argv) >= 5 and argv[1] == "record":
        record(argv[2], argv[3], argv[4], argv[5:])
        return 0
    if len(argv) == 4 and argv[1] == "markdown":
        markdown(argv[2], argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
