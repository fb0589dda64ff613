"""A bounded, deterministic slice of the stateful search for crashes, hangs and
lost messages (fuzz/stateful.py; `python fuzz/stateful.py --steps N` runs it at
scale).  Each example runs in a child interpreter, so a crash or a hang fails
this test with a standalone script that reproduces it."""

import os
import sys

import pytest

pytest.importorskip("hypothesis", reason="the test extra (pip install .[test]) has hypothesis")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "fuzz"))
import stateful  # noqa: E402


def test_a_slice_of_the_state_machine_finds_nothing():
    # Fixed seeds: the same examples every run (but for timing-dependent
    # outcomes, which can end a batch early: Hypothesis then sees an example
    # draw differently from an earlier one with the same start).
    stateful.limit_shrinking(30)
    before = stateful.STATS["steps"]
    for seed in range(1, 7):
        findings = stateful.run_batch(seed, 8, 30)
        assert not findings, str(findings[0])
        if stateful.STATS["steps"] - before >= 700:
            break
    assert stateful.STATS["steps"] - before >= 500, stateful.STATS


def test_the_machine_reports_a_crash_with_a_runnable_reproducer(tmp_path):
    # The harness itself: a step that kills the child becomes a Finding whose
    # script, run on its own, dies the same way.
    machine = stateful.PyczmqMachine()
    try:
        machine.run("C1 = Context()")
        with pytest.raises(stateful.Finding) as caught:
            machine.run("import ctypes\nctypes.string_at(0)")
    finally:
        machine.teardown()
    finding = caught.value
    assert finding.kind == "crash"
    assert "SIGSEGV" in finding.summary
    assert "Fatal Python error: Segmentation fault" in finding.detail
    script = tmp_path / "reproducer.py"
    script.write_text(finding.script)
    import subprocess
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == -11, result
    assert "step 1 -> None" in result.stdout


def test_the_machine_reports_a_hang_with_every_thread():
    machine = stateful.PyczmqMachine()
    try:
        machine.run("C1 = Context()")       # (the first step also waits for the start)
        with pytest.raises(stateful.Finding) as caught:
            machine.run("time.sleep(30)", timeout=1.0)
    finally:
        machine.teardown()
    assert caught.value.kind == "hang"
    assert "time.sleep(30)" in caught.value.script
    assert "<step 2>" in caught.value.detail      # faulthandler's traceback of the step


def test_the_machine_reports_an_undocumented_exception():
    machine = stateful.PyczmqMachine()
    try:
        with pytest.raises(stateful.Finding) as caught:
            machine.run("raise SystemError('bad')")
    finally:
        machine.teardown()
    assert caught.value.kind == "undocumented exception"
