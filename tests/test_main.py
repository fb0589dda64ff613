"""python -m pyczmq (versions, capabilities, libraries, machine, self-test)
and the metadata, spread and --compare of python -m pyczmq.perf, each run in
a subprocess and checked against the library this process runs."""

import datetime
import json
import os
import pathlib
import platform
import re
import subprocess
import sys

import pytest

import pyczmq
from pyczmq import zmq

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECK_NAMES = ["inproc round trip", "tcp round trip", "CURVE handshake with Auth"]
# Tiny perf runs (as test_package's table, smaller): one contestant, one row
# per pattern, two runs per cell so that each has a spread.
TINY_PERF = ["--scale", "0.002", "--repeat", "2", "--transports", "inproc", "--sizes", "64",
             "--parts", "1", "--contestants", "pyczmq"]


def _run(*args, timeout=60):
    return subprocess.run([sys.executable] + list(args), capture_output=True, text=True,
                          timeout=timeout)


def _dotted(triple):
    return ".".join(map(str, triple))


def _expected_versions():
    return {"pyczmq": pyczmq.__version__, "czmq": _dotted(pyczmq.czmq_version()),
            "libzmq": _dotted(zmq.version()), "python": platform.python_version()}


def _mapped_libraries():
    """{"czmq": {paths}, "libzmq": {paths}} mapped into a fresh process that
    imported pyczmq, from its /proc/<pid>/maps."""
    child = _run("-c", "import os, pyczmq; print(open('/proc/%d/maps' % os.getpid()).read())")
    assert child.returncode == 0, child.stderr
    found = {"czmq": set(), "libzmq": set()}
    for line in child.stdout.splitlines():
        fields = line.split(None, 5)
        if len(fields) < 6 or not fields[5].startswith("/"):
            continue
        path = fields[5].strip()
        name = os.path.basename(path)
        if re.match(r"libczmq([-.]|$)", name):
            found["czmq"].add(path)
        elif re.match(r"libzmq([-.]|$)", name):
            found["libzmq"].add(path)
    return found


def _expected_commit():
    """What the report should say about the source tree: the HEAD of the git
    work tree pyczmq was imported from, when its files are tracked there."""
    folder = os.path.dirname(os.path.abspath(pyczmq.__file__))
    try:
        tracked = subprocess.run(["git", "-C", folder, "ls-files", "--error-unmatch",
                                  "__init__.py"], capture_output=True, text=True, timeout=10)
    except FileNotFoundError:
        return None
    if tracked.returncode != 0:
        return None
    head = subprocess.run(["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True,
                          text=True, timeout=10)
    return head.stdout.strip() if head.returncode == 0 else None


def _cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            name, _, value = line.partition(":")
            if name.strip() in ("model name", "Model", "Processor", "cpu model", "cpu") \
                    and value.strip():
                return value.strip()
    return platform.processor() or None


def _check_metadata(found):
    """The versions, libraries, machine and date of a report()."""
    assert found["versions"] == _expected_versions()
    assert found["python_executable"] == sys.executable
    assert found["capabilities"] == {
        name: zmq.has(name) or (name in ("ws", "wss") and zmq.has(name.upper()))
        for name in ("curve", "ipc", "pgm", "tipc", "norm", "vmci", "gssapi", "draft", "ws",
                     "wss")}
    assert found["capabilities"]["curve"] and found["capabilities"]["ipc"]   # Debian's libzmq
    libraries, mapped = found["libraries"], _mapped_libraries()
    assert os.path.isfile(libraries["czmq"]) and os.path.isfile(libraries["libzmq"])
    # Exactly the files a process that imports pyczmq maps (one of each).
    assert mapped == {"czmq": {libraries["czmq"]}, "libzmq": {libraries["libzmq"]}}, mapped
    from pyczmq import _core
    assert libraries["extension"] == os.path.realpath(_core.__file__)
    box = found["machine"]
    assert box["cpu_count"] == os.cpu_count()
    assert box["cpus_usable"] == len(os.sched_getaffinity(0))
    assert box["cpu_model"] == _cpu_model()
    assert box["platform"] == platform.platform()
    assert box["commit"] == _expected_commit()
    assert (box["commit_dirty"] is None) == (box["commit"] is None)
    when = datetime.datetime.fromisoformat(found["date"])
    now = datetime.datetime.now(datetime.timezone.utc)
    assert now - datetime.timedelta(minutes=10) < when <= now


def test_main_module_imports_without_running():
    import pyczmq.__main__ as main
    assert main.__doc__ and callable(main.report) and callable(main.main)


def test_version_prints_one_line():
    run = _run("-m", "pyczmq", "--version")
    assert run.returncode == 0 and run.stderr == ""
    found = _expected_versions()
    assert run.stdout == "pyczmq %s (CZMQ %s, libzmq %s, Python %s %s)\n" % (
        found["pyczmq"], found["czmq"], found["libzmq"], platform.python_implementation(),
        found["python"])
    run = _run("-m", "pyczmq", "--version", "--json")
    assert run.returncode == 0 and json.loads(run.stdout) == found


def test_report_as_text():
    run = _run("-m", "pyczmq")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    found = _expected_versions()
    assert lines[0] == "pyczmq %s (CZMQ %s, libzmq %s, Python %s %s)" % (
        found["pyczmq"], found["czmq"], found["libzmq"], platform.python_implementation(),
        found["python"])
    mapped = _mapped_libraries()
    assert lines[1] == "  CZMQ    %s" % mapped["czmq"].pop()
    assert lines[2] == "  libzmq  %s" % mapped["libzmq"].pop()
    capabilities = next(line for line in lines if line.startswith("capabilities: "))
    assert "curve" in capabilities.split(";")[0].split()
    start = lines.index("self-test:")
    for name, line in zip(CHECK_NAMES, lines[start + 1:start + 4]):
        assert re.match(r"  %s +ok +[\d.]+ ms  \S" % re.escape(name), line), line
    assert lines[start + 4:] == ["all 3 checks passed"]


def test_report_as_json_matches_the_running_library():
    run = _run("-m", "pyczmq", "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    found = json.loads(run.stdout)
    _check_metadata(found)
    assert found["ok"] is True
    assert [check["name"] for check in found["self_test"]] == CHECK_NAMES
    assert all(check["ok"] for check in found["self_test"]), found["self_test"]
    assert "is refused" in found["self_test"][2]["detail"]
    # About a second in all (the CURVE check waits 200 ms to see a stranger
    # refused); a loaded 2-core machine gets slack.
    assert 0 < sum(check["seconds"] for check in found["self_test"]) < 5


def test_a_failing_check_fails_the_command():
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the tcp and CURVE
    # checks can not bind, the inproc one still passes.
    run = _run("-m", "pyczmq", "--host", "192.0.2.1")
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    start = lines.index("self-test:")
    assert re.match(r"  inproc round trip +ok ", lines[start + 1])
    for line in lines[start + 2:start + 4]:
        assert re.search(r" FAILED +[\d.]+ ms  ZMQError: .*192\.0\.2\.1", line), line
    assert lines[-1] == "2 of 3 checks FAILED"
    run = _run("-m", "pyczmq", "--json", "--host", "192.0.2.1")
    assert run.returncode == 1
    found = json.loads(run.stdout)
    assert found["ok"] is False
    assert [check["ok"] for check in found["self_test"]] == [True, False, False]


def test_report_function_without_self_test():
    from pyczmq.__main__ import report
    found = report(run_self_test=False)
    assert "self_test" not in found and "ok" not in found
    _check_metadata(found)


@pytest.mark.timeout(180)
def test_perf_json_has_metadata_and_spread_and_compare(tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    run = _run("-m", "pyczmq.perf", *TINY_PERF, "--json", str(first), timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    document = json.loads(first.read_text())
    _check_metadata(document["metadata"])
    assert "self_test" not in document["metadata"]
    assert document["contestants"] == ["pyczmq"]
    assert document["settings"]["repeat"] == 2 and document["settings"]["scale"] == 0.002
    assert [row["pattern"] for row in document["rows"]] == ["push-pull", "req-rep"]
    for row in document["rows"]:
        cell = row["results"]["pyczmq"]
        runs = cell["seconds"]
        assert len(runs) == 2
        for key, per_run in (("messages_per_s", lambda s: cell["count"] / s),
                             ("mb_per_s", lambda s: cell["count"] * 64 / s / 1e6),
                             ("us_per_round_trip", lambda s: s / cell["count"] * 1e6)):
            values = sorted(per_run(seconds) for seconds in runs)
            assert cell[key + "_min"] == pytest.approx(values[0])
            assert cell[key + "_max"] == pytest.approx(values[-1])
            assert values[0] <= cell[key] * (1 + 1e-9) and cell[key] <= values[-1] * (1 + 1e-9)
    bound = document["rows"][0]["gil_bound"]
    rates = sorted(entry["messages_per_s"] for entry in bound["runs"])
    assert (bound["messages_per_s_min"], bound["messages_per_s_max"]) == (rates[0], rates[-1])
    # The table's spread line, one per pattern.
    assert run.stdout.count("spread of the runs, (max - min) / median") == 2

    # A second run compared with the first: each cell carries its change.
    run = _run("-m", "pyczmq.perf", *TINY_PERF, "--json", str(second), "--compare", str(first),
               timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "change per cell against %s: pyczmq %s" % (first, pyczmq.__version__) in run.stdout
    new = json.loads(second.read_text())
    # --load prints a saved run without measuring; with --compare the changes
    # are the ones the two files give.
    run = _run("-m", "pyczmq.perf", "--load", str(second), "--compare", str(first), timeout=30)
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    for pattern, key, title in (("push-pull", "messages_per_s", "PUSH/PULL"),
                                ("req-rep", "us_per_round_trip", "REQ/REP")):
        old_cell, new_cell = ({row["pattern"]: row for row in doc["rows"]}[pattern]["results"]
                              ["pyczmq"] for doc in (document, new))
        change = "%+.0f%%" % ((new_cell[key] / old_cell[key] - 1) * 100)
        start = next(index for index, line in enumerate(lines) if line.startswith(title))
        cells = re.split(r"  +", lines[start + 3].strip())
        assert cells[:3] == ["inproc", "64 B", "1"], cells
        assert cells[3].endswith(" " + change), (cells, change)
    # An earlier file without metadata (written before it existed) compares
    # too; cells absent from it show no change.
    del document["metadata"]
    document["rows"] = document["rows"][:1]
    first.write_text(json.dumps(document))
    run = _run("-m", "pyczmq.perf", "--load", str(second), "--compare", str(first), timeout=30)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "change per cell against %s: (no metadata)" % first in run.stdout
    lines = run.stdout.splitlines()
    latency = lines[next(index for index, line in enumerate(lines)
                         if line.startswith("REQ/REP")) + 3]
    assert "%" not in latency, latency
    # Not a perf JSON: one clear line, exit status 2 (argparse).
    first.write_text("[1, 2]")
    run = _run("-m", "pyczmq.perf", "--load", str(second), "--compare", str(first), timeout=30)
    assert run.returncode == 2 and "not the JSON of python -m pyczmq.perf --json" in run.stderr
