"""The soak's slice in the suite: tests/soak.py (scripts/soak.sh runs it
with 1,000,000 messages, 10,000 sockets and 1,000 contexts) with smaller
counts, in its own interpreter.  Resident memory must not grow by 1 MiB
after the warm-up, and no descriptor or thread may be left; the self-check
leaks on purpose and must fail."""

import ast
import os
import subprocess
import sys

SOAK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "soak.py")


def soak(*args):
    """Run soak.py with `args`: (returncode, stdout, the RESULT dict)."""
    result = subprocess.run([sys.executable, SOAK, *args], capture_output=True, text=True,
                            timeout=300, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert result.stderr == "", result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(lines) == 1, result.stdout
    return result.returncode, result.stdout, ast.literal_eval(lines[0][len("RESULT "):])


def test_messages_sockets_and_contexts_leave_nothing_behind():
    code, out, figures = soak("--messages", "300000", "--sockets", "3000", "--contexts", "300")
    print(out)
    assert code == 0, out
    assert figures["growth"] < 1 << 20, out
    assert figures["fds_end"] == figures["fds_warm"], out
    assert figures["threads_end"] == figures["threads_warm"], out


def test_the_soak_fails_on_a_leak():
    """A 1 KiB frame kept per 10 messages and a socket left open per 100."""
    code, out, figures = soak("--messages", "40000", "--sockets", "1000", "--contexts", "10",
                              "--warmup", "0.5", "--self-check")
    assert code == 1, out
    assert "FAIL: resident memory grew by" in out
    assert "FAIL: 10 file descriptors left open" in out
    assert figures["growth"] >= 1 << 20
