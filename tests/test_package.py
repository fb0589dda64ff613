"""The package as installed: every module imports (a DRAFT symbol would fail
here with "undefined symbol"), the .pxd files ship, and the build stops with
one clear line when CZMQ is missing."""

import importlib
import inspect
import json
import os
import pathlib
import re
import struct
import subprocess
import sys
import tempfile

import pytest

import pyczmq

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODULES = ["pyczmq", "pyczmq._core", "pyczmq.types", "pyczmq.zctx", "pyczmq.zsocket",
           "pyczmq.zsockopt", "pyczmq.zstr", "pyczmq.zframe", "pyczmq.zmsg", "pyczmq.zmq",
           "pyczmq.zloop", "pyczmq.zpoller", "pyczmq.zcert", "pyczmq.zcertstore", "pyczmq.zauth",
           "pyczmq.zbeacon", "pyczmq._certfiles", "pyczmq.perf", "pyczmq.perf.cli",
           "pyczmq.perf.worker", "pyczmq.perf.native"]


@pytest.mark.parametrize("name", MODULES)
def test_every_module_imports(name):
    module = importlib.import_module(name)
    assert module.__doc__


def test_public_names_have_docstrings():
    for name in pyczmq.__all__:
        value = getattr(pyczmq, name)
        if callable(value):
            assert value.__doc__, name
    for cls in (pyczmq.Context, pyczmq.Socket, pyczmq.Frame, pyczmq.Message, pyczmq.Loop,
                pyczmq.Poller, pyczmq.Cert, pyczmq.CertStore, pyczmq.Auth, pyczmq.Beacon):
        for attribute, value in vars(cls).items():
            if not attribute.startswith("_") and callable(value):
                assert value.__doc__, "%s.%s" % (cls.__name__, attribute)


def test_versions():
    assert pyczmq.czmq_version() >= (4, 2, 0)
    assert pyczmq.zmq_version() >= (4, 3, 0)


def test_the_pxd_files_ship_next_to_the_modules():
    # The Cython API and the fragments _core.pxd includes; that each shipped
    # .pxd compiles in a downstream build is tests/test_cython_api.py's.
    package = pathlib.Path(pyczmq.__file__).parent
    for relative in ["__init__.pxd", "_core.pxd", "includes/__init__.pxd", "includes/czmq.pxd",
                     "includes/libzmq.pxd", "types/socket.decl.pxi", "types/frame.decl.pxi",
                     "types/message.decl.pxi", "types/context.decl.pxi", "types/cert.decl.pxi",
                     "types/certstore.decl.pxi", "types/actor.decl.pxi", "types/auth.decl.pxi",
                     "types/beacon.decl.pxi"]:
        assert (package / relative).is_file(), relative
    # The types' declarations are fragments, not modules a user could cimport.
    assert not list((package / "types").glob("*.pxd"))
    assert str(package.parent) in pyczmq.get_include()


def _build(env):
    # setup.py stops before compiling; were it not to, it compiles into a
    # temporary folder (setuptools 84 has no --dry-run).
    with tempfile.TemporaryDirectory() as scratch:
        return subprocess.run([sys.executable, "setup.py", "build_ext", "--build-temp", scratch,
                               "--build-lib", scratch], cwd=ROOT, capture_output=True, text=True,
                              env=dict(os.environ, **env), timeout=120)


def test_build_without_czmq_says_what_to_install(tmp_path):
    result = _build({"PKG_CONFIG_LIBDIR": str(tmp_path), "PKG_CONFIG_PATH": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("pyczmq: libczmq not found by pkg-config")
    assert "apt-get install libczmq-dev" in result.stderr


def test_build_with_a_wrong_prefix_says_so(tmp_path):
    result = _build({"PYCZMQ_PREFIX": str(tmp_path)})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert "has no include/czmq.h" in result.stderr


def _png_size(path):
    """(width, height) of a PNG file."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", data[:16]
    return struct.unpack(">II", data[16:24])


@pytest.mark.timeout(240)           # builds the C reference and the Cython example
def test_the_main_job_runs_every_column_and_plots(tmp_path):
    # A tiny run of the throughput table (python -m pyczmq.perf) with all its
    # columns: the C reference is compiled from pyczmq/perf/zmqperf.c, which
    # must ship, the Cython one from examples/cython_throughput (its build is
    # shared with test_cython_api.py); pyzmq is in the test extra.
    assert (ROOT / "pyczmq" / "perf" / "zmqperf.c").is_file()
    results, picture = tmp_path / "perf.json", tmp_path / "perf.png"
    run = subprocess.run(
        [sys.executable, "-m", "pyczmq.perf", "--quick", "--scale", "0.01", "--transports",
         "inproc", "--sizes", "64", "--parts", "2", "--json", str(results),
         "--plot", str(picture)],
        capture_output=True, text=True, timeout=220)
    assert run.returncode == 0, run.stdout + run.stderr
    table = json.loads(results.read_text())
    assert table["missing"] == {}
    # The zero-copy column runs where Socket.send takes copy= and is "n/a"
    # (the reason given) where it does not.
    zero_copy = "copy" in inspect.signature(pyczmq.Socket.send).parameters
    if zero_copy:
        assert table["unsupported"] == {}
    else:
        assert list(table["unsupported"]) == ["pyczmq-zerocopy"]
        assert "copy" in table["unsupported"]["pyczmq-zerocopy"]
    assert {row["pattern"] for row in table["rows"]} == {"push-pull", "req-rep"}
    for row in table["rows"]:
        assert set(row["results"]) == {"c", "cython", "pyczmq", "pyczmq-frames",
                                       "pyczmq-zerocopy", "pyzmq", "pyczmq-asyncio",
                                       "pyzmq-asyncio"}
        assert all(result["seconds"] for name, result in row["results"].items()
                   if zero_copy or name != "pyczmq-zerocopy"), row
        assert zero_copy or row["results"]["pyczmq-zerocopy"] == {
            "unsupported": table["unsupported"]["pyczmq-zerocopy"]}
    # The GIL bound of the inproc 64 B row: 1 / (send + recv), both measured.
    bound = table["rows"][0]["gil_bound"]
    assert bound["send_s"] > 0 and bound["recv_s"] > 0
    assert bound["messages_per_s"] == pytest.approx(1 / (bound["send_s"] + bound["recv_s"]))
    assert "gil_bound" not in table["rows"][1]          # REQ/REP has none
    # The printed table: a column per contestant, a number in each cell and
    # the two ratios computed (no "error", no "-").
    lines = run.stdout.splitlines()
    for title in ("PUSH/PULL throughput", "REQ/REP latency"):
        start = next(index for index, line in enumerate(lines) if line.startswith(title))
        header, cells = lines[start + 1], lines[start + 3].split()
        columns = ["C", "Cython nogil", "pyczmq", "Frame/Message", "zero-copy", "pyzmq",
                   "pyczmq/pyzmq", "pyczmq/C", "zero-copy/C"]
        if title == "PUSH/PULL throughput":
            columns += ["GIL bound", "pyczmq/bound"]
        for column in columns:
            assert re.search(r"(^|  )%s(  |$)" % re.escape(column), header), header
        assert cells[:3] == ["inproc", "64", "B"] and "error" not in cells
        # Without copy= the zero-copy cell and its ratio are "n/a" and "-".
        assert cells.count("n/a") == (0 if zero_copy else 1)
        assert cells.count("-") == (0 if zero_copy else 1)
    # --plot: one chart per pattern, 12 x 4.5 inches each at 100 dpi.
    assert _png_size(picture) == (1200, 900)


def test_the_benchmarks_run_once_each():
    # benchmarks/ (pytest-benchmark) is not in the suite's testpaths: run it
    # here with the clock off, so a broken benchmark fails CI.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-W", "error", "-q", "-p", "no:cacheprovider",
         "--benchmark-disable", "-rs", str(ROOT / "benchmarks")],
        cwd=ROOT, capture_output=True, text=True, timeout=50)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=* ?(\d+) passed in [\d.]+s ?=*", summary), run.stdout
    assert int(re.search(r"\d+", summary).group()) >= 20         # pyzmq's included: none skipped
