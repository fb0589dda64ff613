"""pyczmq's type stubs: mypy.stubtest checks them against the compiled
modules, mypy --strict checks the README's examples and examples/ with them,
and a probe proves the stubs are used (a wrong type is reported, not Any)."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALLOWLIST = os.path.join(ROOT, "tests", "data", "stubtest_allowlist.txt")
CONFIG = os.path.join(ROOT, "pyproject.toml")

pytestmark = pytest.mark.timeout(600)


def run_mypy(*args, cwd=ROOT):
    # From the source tree: mypy finds pyczmq's stubs there (an editable
    # install's import hook is invisible to it), next to the built modules.
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", CONFIG,
                           "--no-incremental", *args],
                          cwd=cwd, capture_output=True, text=True)


def readme_blocks():
    """The ```python code blocks of README.md, as (line number, code)."""
    with open(os.path.join(ROOT, "README.md")) as readme:
        text = readme.read()
    blocks = []
    for match in re.finditer(r"^```python[^\n]*\n(.*?)^```", text, re.S | re.M):
        blocks.append((text.count("\n", 0, match.start()) + 2, match.group(1)))
    return blocks


def test_stubs_match_the_runtime():
    with open(ALLOWLIST) as allowlist:
        allowed = [line for line in allowlist if line.strip() and not line.startswith("#")]
    assert len(allowed) <= 10
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--mypy-config-file", CONFIG,
         "--allowlist", ALLOWLIST, "pyczmq"],
        cwd=ROOT, capture_output=True, text=True)
    # (unused allowlist entries are errors too)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_readme_and_examples_pass_mypy_strict(tmp_path):
    blocks = readme_blocks()
    assert len(blocks) >= 5
    files = []
    for line, code in blocks:
        path = tmp_path / ("readme_line_%d.py" % line)
        path.write_text(code)
        files.append(str(path))
    for folder, _, names in os.walk(os.path.join(ROOT, "examples")):
        files += [os.path.join(folder, name) for name in names if name.endswith(".py")]
    result = run_mypy("--strict", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found in %d source files" % len(files) in result.stdout


PROBE = '''\
import pyczmq
from pyczmq import Context, zmq, zstr

x: bytes = Context().socket("PAIR").recv()
sock = Context().socket("PAIR")
y: str = sock.recv_bytes()
z: list[str] = sock.recv_multipart()
tracker: pyczmq.Tracker = sock.send(b"data")
maybe: pyczmq.Frame = sock.recv_frame_nowait()
sock.linger = "long"
sock.send(42)
sock.no_such_method()
reveal_type(sock.send(b"x", copy=False, track=True))
reveal_type(zmq.recv(sock))
reveal_type(zstr.recvx(sock))
'''


def test_a_wrong_type_is_reported(tmp_path):
    """The stubs are used: each line of the probe that misuses a type is an
    error (with Any, mypy would report none)."""
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    result = run_mypy("--strict", str(probe))
    output = result.stdout
    assert result.returncode == 1, output + result.stderr
    errors = {int(line.split(":")[1]) for line in output.splitlines() if ": error:" in line}
    assert errors == {4, 6, 7, 8, 9, 10, 11, 12}, output
    assert 'Incompatible types in assignment (expression has type "str", variable has type ' \
        '"bytes")' in output
    assert 'Revealed type is "pyczmq._core.Tracker"' in output
    assert 'Revealed type is "bytes"' in output
    assert 'Revealed type is "list[str] | int"' in output
