"""python -m pyczmq.perf: PUSH/PULL throughput and REQ/REP latency of
pyczmq next to C (zmqperf.c on libzmq), a nogil Cython loop over pyczmq and
pyzmq, measured side by side and interleaved in one run.  "zero-copy" is pyczmq's
send(data, copy=False) received as Frames ("n/a" on a pyczmq without copy=).

Sender and receiver are two processes for ipc and tcp (loopback only) and
two threads of one process for inproc.  Connections are made and a warm-up
message delivered before the clock starts.  Every cell is the median of
--repeat runs; the runs of the contestants alternate, so a slow moment of the
machine does not favour one of them.

Every contestant, C included, runs with glibc's malloc thresholds where its
own dynamic rule ends up in a program that has once freed a 32 MiB block:
MALLOC_MMAP_THRESHOLD_=32 MiB, MALLOC_TRIM_THRESHOLD_=64 MiB (--malloc
default: leave them as the environment has them).  In a fresh process the
rule's thresholds are 2x the biggest mmapped block freed so far, so after
the first 1 MiB part the trim threshold is about 2 MiB: freeing the two 1 MiB
parts of a message at the top of the heap then gives the memory back to the
kernel (brk), and the next message faults 512 fresh pages in (~700 page
faults a message, 10x slower), while a process whose history once raised the
thresholds never does.  The table would measure the processes' allocation
history, not the code under test.

Next to the inproc rows of small messages: the GIL bound.  The two threads of
inproc-thr run Python under one GIL, so pyczmq can not move more than about
1 / (cost of a send + cost of a receive) messages a second; those costs are
measured in one thread over an inproc PAIR (batches of 1,000, as in
benchmarks/), and the pyczmq cell is shown as a share of that bound.
"""

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile

from pyczmq.perf import native

CONTESTANTS = ["c", "cython", "pyczmq", "pyczmq-frames", "pyczmq-zerocopy", "pyzmq",
               "pyczmq-asyncio", "pyzmq-asyncio"]
TITLES = {"c": "C", "cython": "Cython nogil", "pyczmq": "pyczmq", "pyczmq-frames": "Frame/Message",
          "pyczmq-zerocopy": "zero-copy", "pyzmq": "pyzmq", "pyczmq-asyncio": "asyncio",
          "pyzmq-asyncio": "zmq.asyncio"}
ASYNCIO = ("pyczmq-asyncio", "pyzmq-asyncio")   # both sides are tasks of one event loop
# Messages per run, by message size: about half a second at C's speed (short
# runs are dominated by the pipeline filling up); the slower contestants move
# a share of that, so that every run takes about as long.
THROUGHPUT_COUNT = {64: 2_000_000, 1 << 20: 2_000}
LATENCY_COUNT = {64: 20_000, 1 << 20: 500}
SHARE = {"pyczmq-frames": 0.5, "pyczmq-zerocopy": 0.25, "pyzmq": 0.25, "pyczmq-asyncio": 0.1,
         "pyzmq-asyncio": 0.01}
# The GIL bound: calls timed per row and run (a few milliseconds), and the
# biggest message size it is shown for.
BOUND_CALLS, BOUND_MAX_SIZE = 20_000, 1024
# glibc's malloc thresholds for every contestant (see above): the values its
# dynamic rule reaches at most (mmap threshold 32 MiB, trim threshold 2x that).
MALLOC_STEADY = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 20)}
TIMEOUT = 300
_endpoints = itertools.count()


def _command(contestant, programs):
    if contestant == "c":
        return [str(programs["c"])]
    return [sys.executable, "-m", "pyczmq.perf.worker", contestant]


def _endpoint(transport):
    if transport == "tcp":
        return "tcp://127.0.0.1:*"
    return "ipc://%s/pyczmq-perf-%d-%d" % (tempfile.gettempdir(), os.getpid(), next(_endpoints))


def _run(contestant, programs, pattern, transport, count, size, parts, env):
    """One measured run: the seconds the timed side took."""
    command = _command(contestant, programs)
    if contestant in ASYNCIO:
        endpoint = "inproc://perf" if transport == "inproc" else _endpoint(transport)
        args = (["aio-thr", endpoint, count, size, parts] if pattern == "push-pull"
                else ["aio-lat", endpoint, count, size])
        result = subprocess.run(command + [str(arg) for arg in args], capture_output=True,
                                text=True, timeout=TIMEOUT, env=env)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip()[-500:])
        return float(result.stdout.split()[-1])
    if transport == "inproc":
        args = ["inproc-thr", count, size, parts] if pattern == "push-pull" else ["inproc-lat", count, size]
        result = subprocess.run(command + [str(arg) for arg in args], capture_output=True, text=True,
                                timeout=TIMEOUT, env=env)
        if result.returncode != 0:
            raise RuntimeError(result.stderr.strip()[-500:])
        return float(result.stdout.split()[-1])
    server, client = ("pull", "push") if pattern == "push-pull" else ("rep", "req")
    tail = [count, size, parts] if pattern == "push-pull" else [count, size]
    bound = subprocess.Popen(command + [server, _endpoint(transport)] + [str(arg) for arg in tail],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        ready = bound.stdout.readline().split()
        if len(ready) != 2 or ready[0] != "ready":
            raise RuntimeError("no ready line: %s" % bound.stderr.read().strip()[-500:])
        connecting = subprocess.run(command + [client, ready[1]] + [str(arg) for arg in tail],
                                    capture_output=True, text=True, timeout=TIMEOUT, env=env)
        if connecting.returncode != 0:          # the bound side would wait for it in vain
            raise RuntimeError(connecting.stderr.strip()[-500:] or "%s failed" % client)
        out, err = bound.communicate(timeout=TIMEOUT)
    finally:
        if bound.poll() is None:
            bound.kill()
            bound.wait()
    if connecting.returncode != 0 or bound.returncode != 0:
        raise RuntimeError((connecting.stderr + err).strip()[-500:])
    timed = out if pattern == "push-pull" else connecting.stdout
    return float(timed.split()[-1])


def _worker(args, env=None):
    """Run a pyczmq.perf.worker that prints one line: its words."""
    result = subprocess.run([sys.executable, "-m", "pyczmq.perf.worker"] + [str(a) for a in args],
                            capture_output=True, text=True, timeout=TIMEOUT, env=env)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip()[-500:] or "failed")
    return result.stdout.split()


def gil_bound(count, size, parts, env=None):
    """The seconds of a pyczmq send and receive (one thread, inproc PAIR) and
    the bound they set on two Python threads: 1 / (send + receive) messages/s."""
    send, recv = (float(word) for word in _worker(["pyczmq", "per-call", count, size, parts],
                                                  env))
    return {"send_s": send, "recv_s": recv, "messages_per_s": 1 / (send + recv)}


def _prepare(contestants):
    """Build what must be built: {contestant: program or path}, {contestant: reason left out},
    {contestant: reason its cells are "n/a"} (shown, but not run)."""
    programs, missing, unsupported = {}, {}, {}
    if "c" in contestants:
        programs["c"], reason = native.build_c()
        if reason:
            missing["c"] = reason
    if "cython" in contestants:
        programs["cython"], reason = native.build_cython_example()
        if reason:
            missing["cython"] = reason
    for name in ("pyzmq", "pyzmq-asyncio"):
        if name in contestants:
            try:
                import zmq  # noqa: F401
            except ImportError:
                missing[name] = "pyzmq is not installed"
    if "pyczmq-zerocopy" in contestants:
        answer = _worker(["pyczmq-zerocopy", "probe"])
        if answer[0] != "ok":
            unsupported["pyczmq-zerocopy"] = " ".join(answer[1:])
    return programs, missing, unsupported


def measure(contestants, transports, sizes, parts_list, repeat, scale, latency=True,
            throughput=True, progress=None, malloc="steady"):
    """Run the whole matrix; returns the rows (dicts), the contestants left out
    and those shown as "n/a"."""
    programs, missing, unsupported = _prepare(contestants)
    present = [name for name in contestants if name not in missing]
    running = [name for name in present if name not in unsupported]
    env = dict(os.environ)
    if malloc == "steady" and not any(name in env for name in MALLOC_STEADY):
        env.update(MALLOC_STEADY)           # for every contestant alike
    if programs.get("cython"):
        env["PYCZMQ_PERF_CYTHON_PATH"] = str(programs["cython"])
    workloads = []
    if throughput:
        workloads += [("push-pull", t, s, p) for t in transports for s in sizes for p in parts_list]
    if latency:
        workloads += [("req-rep", t, s, 1) for t in transports for s in sizes]
    rows = []
    for pattern, transport, size, parts in workloads:
        counts = THROUGHPUT_COUNT if pattern == "push-pull" else LATENCY_COUNT
        base = counts.get(size, max(10, 128_000_000 // max(size, 64)))
        shared = pattern == "push-pull" and size < 65536      # the slower ones run fewer
        count = {name: max(10, int(base * scale * (SHARE.get(name, 1) if shared else 1)))
                 for name in running}
        runs = {name: [] for name in running}
        errors = {}
        bounds = []
        with_bound = (pattern == "push-pull" and transport == "inproc" and size <= BOUND_MAX_SIZE
                      and "pyczmq" in running)
        for _ in range(repeat):
            if with_bound:
                try:
                    bounds.append(gil_bound(max(2000, int(BOUND_CALLS * min(1, scale * 5))),
                                            size, parts, env))
                except (RuntimeError, subprocess.TimeoutExpired, ValueError):
                    with_bound = False
            for name in running:            # interleaved
                if name in errors:
                    continue
                try:
                    runs[name].append(_run(name, programs, pattern, transport, count[name], size,
                                           parts, env))
                except (RuntimeError, subprocess.TimeoutExpired, ValueError) as error:
                    errors[name] = str(error).strip().splitlines()[-1] if str(error).strip() else "failed"
        row = {"pattern": pattern, "transport": transport, "size": size, "parts": parts,
               "results": {}}
        if with_bound and bounds:
            send = statistics.median(bound["send_s"] for bound in bounds)
            recv = statistics.median(bound["recv_s"] for bound in bounds)
            rates = [bound["messages_per_s"] for bound in bounds]
            row["gil_bound"] = {"send_s": send, "recv_s": recv, "messages_per_s": 1 / (send + recv),
                                "messages_per_s_min": min(rates), "messages_per_s_max": max(rates),
                                "runs": bounds}
        for name in present:
            if name in unsupported:
                row["results"][name] = {"unsupported": unsupported[name]}
            elif runs[name] and name not in errors:
                row["results"][name] = _result(count[name], size, parts, runs[name])
            else:
                row["results"][name] = {"error": errors.get(name, "no result")}
        rows.append(row)
        if progress:
            progress(row)
    return rows, missing, unsupported


def _result(count, size, parts, seconds):
    """A cell: the runs' seconds, and each rate at the median run with the
    spread of the runs next to it (<rate>_min, <rate>_max)."""
    def rates(run):
        return {"messages_per_s": count / run, "mb_per_s": count * size * parts / run / 1e6,
                "us_per_round_trip": run / count * 1e6}
    result = {"count": count, "seconds": seconds}
    result.update(rates(statistics.median(seconds)))
    every = [rates(run) for run in seconds]
    for key in ("messages_per_s", "mb_per_s", "us_per_round_trip"):
        result[key + "_min"] = min(run[key] for run in every)
        result[key + "_max"] = max(run[key] for run in every)
    return result


def _size_text(size):
    return "%d MiB" % (size >> 20) if size >= 1 << 20 and size % (1 << 20) == 0 else "%d B" % size


def _cell(result, key):
    if "unsupported" in result:
        return "n/a"
    if "error" in result:
        return "error"
    value = result[key]
    if key == "messages_per_s":
        return "%.2fM" % (value / 1e6) if value >= 1e5 else "%.0f" % value
    return "%.1f" % value


def _ratio(row, top, bottom, key):
    a, b = row["results"].get(top, {}), row["results"].get(bottom, {})
    if key not in a or key not in b:
        return "-"
    ratio = a[key] / b[key] if key != "us_per_round_trip" else b[key] / a[key]
    return "%.2fx" % ratio if bottom != "c" else "%.0f%%" % (ratio * 100)


def _bound_cells(row):
    """The GIL bound of a row and the pyczmq cell as a share of it ("-": none)."""
    bound = row.get("gil_bound")
    if not bound:
        return ["-", "-"]
    pyczmq = row["results"].get("pyczmq", {})
    share = "%.0f%%" % (pyczmq["messages_per_s"] / bound["messages_per_s"] * 100) \
        if "messages_per_s" in pyczmq else "-"
    return [_cell(bound, "messages_per_s"), share]


def _change(result, old, key):
    """" +12%": the change of a cell's value against the same cell of an
    earlier run ("" when either has no value)."""
    if not old or key not in result or not old.get(key):
        return ""
    return " %+.0f%%" % ((result[key] / old[key] - 1) * 100)


def _row_key(row):
    return (row["pattern"], row["transport"], row["size"], row["parts"])


def _spread_line(selected, present, key):
    """The spread of the runs of a table's cells, (max - min) / median: the
    median over the cells and the largest; None when no cell had two runs."""
    spreads = []
    for row in selected:
        for name in present:
            result = row["results"].get(name, {})
            if len(result.get("seconds", ())) > 1 and key + "_max" in result:
                spreads.append(((result[key + "_max"] - result[key + "_min"]) / result[key],
                                name, row))
    if not spreads:
        return None
    spread, name, row = max(spreads, key=lambda item: item[0])
    return "  spread of the runs, (max - min) / median: %.0f%% in the median cell, at most %.0f%% " \
           "(%s, %s %s x%d)" % (statistics.median(item[0] for item in spreads) * 100, spread * 100,
                                TITLES[name], row["transport"], _size_text(row["size"]),
                                row["parts"])


def format_table(rows, contestants, missing, unsupported=None, compare=None):
    """The text table; with `compare` (the rows of an earlier run) each cell
    also shows its change against the same cell there (" +12%")."""
    present = [name for name in contestants if name not in missing]
    unsupported = unsupported or {}
    earlier = {_row_key(row): row for row in compare or ()}
    lines = []
    for pattern, key, title in (("push-pull", "messages_per_s", "PUSH/PULL throughput, messages/s"),
                                ("req-rep", "us_per_round_trip", "REQ/REP latency, µs per round trip")):
        selected = [row for row in rows if row["pattern"] == pattern]
        if not selected:
            continue
        header = ["transport", "size", "parts"] + [TITLES[name] for name in present]
        if pattern == "push-pull":
            header.append("pyczmq MB/s")
        header += ["pyczmq/pyzmq", "pyczmq/C"]
        zero_copy = "pyczmq-zerocopy" in present and "c" in present
        if zero_copy:
            header.append("zero-copy/C")
        asyncio_ratio = all(name in present for name in ASYNCIO)
        if asyncio_ratio:
            header.append("asyncio/zmq.asyncio")
        bounded = any(row.get("gil_bound") for row in selected)
        if bounded:
            header += ["GIL bound", "pyczmq/bound"]
        table = [header]
        for row in selected:
            before = earlier.get(_row_key(row), {}).get("results", {})
            line = [row["transport"], _size_text(row["size"]), str(row["parts"])]
            line += [_cell(row["results"][name], key)
                     + _change(row["results"][name], before.get(name), key) for name in present]
            if pattern == "push-pull":
                pyczmq = row["results"].get("pyczmq", {"error": 1})
                line.append(_cell(pyczmq, "mb_per_s")
                            + _change(pyczmq, before.get("pyczmq"), "mb_per_s"))
            line += [_ratio(row, "pyczmq", "pyzmq", key), _ratio(row, "pyczmq", "c", key)]
            if zero_copy:
                line.append(_ratio(row, "pyczmq-zerocopy", "c", key))
            if asyncio_ratio:
                line.append(_ratio(row, "pyczmq-asyncio", "pyzmq-asyncio", key))
            if bounded:
                line += _bound_cells(row)
            table.append(line)
        widths = [max(len(line[i]) for line in table) for i in range(len(header))]
        lines.append(title + (" (higher is better)" if pattern == "push-pull" else " (lower is better)"))
        for number, line in enumerate(table):
            lines.append("  ".join(text.rjust(width) if index > 1 else text.ljust(width)
                                   for index, (text, width) in enumerate(zip(line, widths))).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
        spread = _spread_line(selected, present, key)
        if spread:
            lines.append(spread)
        lines.append("")
    if any(row.get("gil_bound") for row in rows):
        lines.append("GIL bound: 1 / (send + recv) of pyczmq, each timed in one thread over an "
                     "inproc PAIR (two Python threads share one GIL); pyczmq/bound: the pyczmq "
                     "cell as a share of it")
    for name, reason in missing.items():
        lines.append("%s left out: %s" % (TITLES[name], reason))
    for name, reason in unsupported.items():
        lines.append("%s n/a: %s" % (TITLES[name], reason))
    return "\n".join(lines).rstrip() + "\n"


def plot(rows, contestants, missing, filename, unsupported=None):
    """Draw the table as bar charts of absolute rates, on a log scale (needs matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    present = [name for name in contestants if name not in missing
               and name not in (unsupported or {})]
    patterns = [p for p in ("push-pull", "req-rep") if any(r["pattern"] == p for r in rows)]
    figure, axes = plt.subplots(len(patterns), 1, figsize=(12, 4.5 * len(patterns)), squeeze=False)
    for axis, pattern in zip(axes[:, 0], patterns):
        selected = [row for row in rows if row["pattern"] == pattern]
        key = "messages_per_s" if pattern == "push-pull" else "us_per_round_trip"
        width = 0.8 / max(1, len(present))
        for index, name in enumerate(present):
            values = [row["results"][name].get(key, 0) for row in selected]
            if pattern == "req-rep":
                values = [1e6 / value if value else 0 for value in values]      # round trips/s
            axis.bar([x + index * width for x in range(len(selected))], values, width,
                     label=TITLES[name])
        axis.set_xticks([x + width * (len(present) - 1) / 2 for x in range(len(selected))])
        axis.set_xticklabels(["%s %s x%d" % (r["transport"], _size_text(r["size"]), r["parts"])
                              for r in selected], fontsize=8, rotation=30, ha="right")
        axis.set_yscale("log")
        axis.set_ylabel("messages/s" if pattern == "push-pull" else "round trips/s")
        axis.set_title("PUSH/PULL throughput" if pattern == "push-pull" else "REQ/REP round trips")
        axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(filename, dpi=100)


def _read_results(parser, filename, option):
    """The document a --json run wrote, checked enough to print it."""
    try:
        with open(filename) as source:
            document = json.load(source)
    except (OSError, ValueError) as error:
        parser.error("%s %s: %s" % (option, filename, error))
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        parser.error("%s %s: not the JSON of python -m pyczmq.perf --json" % (option, filename))
    return document


def _contestants_of(document):
    if document.get("contestants"):
        return [name for name in document["contestants"] if name in CONTESTANTS]
    seen = {name for row in document["rows"] for name in row.get("results", {})}
    return [name for name in CONTESTANTS if name in seen]


def _describe(metadata):
    """One line about the run a JSON document came from."""
    if not metadata:
        return "(no metadata)"
    found, box = metadata["versions"], metadata["machine"]
    return "pyczmq %s, CZMQ %s, libzmq %s, Python %s; %s x%s; commit %s%s; %s" % (
        found["pyczmq"], found["czmq"], found["libzmq"], found["python"],
        box["cpu_model"] or "unknown CPU", box["cpu_count"],
        (box["commit"] or "none")[:12], " (with changes)" if box["commit_dirty"] else "",
        metadata["date"])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pyczmq.perf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transports", default="inproc,ipc,tcp")
    parser.add_argument("--sizes", default="64,1048576", help="message part sizes in bytes")
    parser.add_argument("--parts", default="1,2", help="parts per message (PUSH/PULL)")
    parser.add_argument("--contestants", default=",".join(CONTESTANTS))
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (the median is shown)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the message counts")
    parser.add_argument("--quick", action="store_true", help="one short run per cell")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the results as JSON ('-': stdout), with the versions, "
                             "libraries, machine, git commit and date (python -m pyczmq's report) "
                             "and each cell's runs and their min/max")
    parser.add_argument("--compare", metavar="OLD.json",
                        help="show each cell's change against an earlier --json run ('+12%%': the "
                             "value shown grew by 12%%), for the cells present in both")
    parser.add_argument("--load", metavar="FILE.json",
                        help="do not measure: print the table of an earlier --json run (with "
                             "--compare: compare two saved runs)")
    parser.add_argument("--plot", metavar="FILE.png", help="also draw the table (needs matplotlib)")
    parser.add_argument("--malloc", choices=("steady", "default"), default="steady",
                        help="glibc malloc thresholds of every contestant: 'steady' (mmap 32 MiB, "
                             "trim 64 MiB, unless MALLOC_*_THRESHOLD_ is set already) or "
                             "'default' (the environment's: a fresh process's dynamic ones)")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.scale = 1, args.scale * 0.2
    contestants = [name for name in args.contestants.split(",") if name]
    unknown = set(contestants) - set(CONTESTANTS)
    if unknown:
        parser.error("unknown contestants: %s (known: %s)" % (", ".join(sorted(unknown)),
                                                               ", ".join(CONTESTANTS)))
    earlier = _read_results(parser, args.compare, "--compare") if args.compare else None
    if args.load:
        document = _read_results(parser, args.load, "--load")
        print("%s: %s" % (args.load, _describe(document.get("metadata"))))
        rows, missing = document["rows"], document.get("missing", {})
        unsupported, contestants = document.get("unsupported", {}), _contestants_of(document)
    else:
        from pyczmq.__main__ import report
        metadata = report(run_self_test=False)
        found, box = metadata["versions"], metadata["machine"]
        print("pyczmq %s, CZMQ %s, libzmq %s, Python %s, %s CPUs (%s)" % (
            found["pyczmq"], found["czmq"], found["libzmq"], found["python"], box["cpu_count"],
            box["cpu_model"] or "unknown model"), flush=True)
        tuned = [name for name in MALLOC_STEADY if name in os.environ]
        print("malloc thresholds of every contestant: %s" % (
            "as set in the environment (%s)" % ", ".join("%s=%s" % (n, os.environ[n]) for n in tuned)
            if tuned else "mmap 32 MiB, trim 64 MiB (--malloc steady)" if args.malloc == "steady"
            else "glibc's dynamic ones (--malloc default)"), flush=True)
        rows, missing, unsupported = measure(contestants, args.transports.split(","),
                                [int(size) for size in args.sizes.split(",")],
                                [int(parts) for parts in args.parts.split(",")],
                                args.repeat, args.scale, latency=not args.no_latency,
                                throughput=not args.no_throughput, malloc=args.malloc,
                                progress=lambda row: print(".", end="", flush=True, file=sys.stderr))
        print(file=sys.stderr)
        document = {"metadata": metadata, "contestants": contestants,
                    "settings": {"repeat": args.repeat, "scale": args.scale, "quick": args.quick,
                                 "argv": list(sys.argv[1:] if argv is None else argv)},
                    "rows": rows, "missing": missing, "unsupported": unsupported,
                    "malloc": args.malloc}
    if earlier is not None:
        print("change per cell against %s: %s" % (args.compare, _describe(earlier.get("metadata"))))
    print(format_table(rows, contestants, missing, unsupported,
                       compare=earlier["rows"] if earlier is not None else None), end="")
    if args.json:
        text = json.dumps(document, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as out:
                out.write(text + "\n")
    if args.plot:
        try:
            plot(rows, contestants, missing, args.plot, unsupported)
        except ImportError:
            print("--plot needs matplotlib: pip install matplotlib", file=sys.stderr)
            return 1
    return 0
