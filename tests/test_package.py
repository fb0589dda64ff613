"""The package as installed: every module imports (a DRAFT symbol would fail
here with "undefined symbol"), the .pxd files ship, and the build stops with
one clear line when CZMQ is missing."""

import importlib
import json
import os
import pathlib
import subprocess
import sys

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
    package = pathlib.Path(pyczmq.__file__).parent
    for relative in ["__init__.pxd", "_core.pxd", "includes/czmq.pxd", "includes/libzmq.pxd",
                     "types/socket.pxd", "types/frame.pxd", "types/message.pxd", "types/context.pxd",
                     "types/cert.pxd", "types/certstore.pxd", "types/actor.pxd", "types/auth.pxd",
                     "types/beacon.pxd"]:
        assert (package / relative).is_file(), relative
    assert str(package.parent) in pyczmq.get_include()


def _build(env):
    return subprocess.run([sys.executable, "setup.py", "build_ext", "--dry-run"], cwd=ROOT,
                          capture_output=True, text=True, env=dict(os.environ, **env), timeout=120)


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


def test_the_main_job_runs_and_builds_its_c_reference(tmp_path):
    # A tiny run of the throughput table (python -m pyczmq.perf): the C
    # reference is compiled from pyczmq/perf/zmqperf.c, which must ship.
    assert (ROOT / "pyczmq" / "perf" / "zmqperf.c").is_file()
    results = tmp_path / "perf.json"
    run = subprocess.run(
        [sys.executable, "-m", "pyczmq.perf", "--quick", "--scale", "0.01", "--transports",
         "inproc", "--sizes", "64", "--parts", "2", "--contestants", "c,pyczmq,pyczmq-frames",
         "--json", str(results)],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PUSH/PULL throughput" in run.stdout and "REQ/REP latency" in run.stdout
    table = json.loads(results.read_text())
    assert table["missing"] == {}
    assert {row["pattern"] for row in table["rows"]} == {"push-pull", "req-rep"}
    for row in table["rows"]:
        assert set(row["results"]) == {"c", "pyczmq", "pyczmq-frames"}
        assert all(result["seconds"] for result in row["results"].values())
