"""The Cython API: a downstream extension that does ``cimport pyczmq`` builds
against the installed .pxd files and runs message loops without the GIL
(examples/cython_throughput, built from a copy by pyczmq.perf's builder, which
keeps it for the benchmark's Cython column: one build for both)."""

import os
import subprocess
import sys
import textwrap
import threading

import pytest

import pyczmq
from pyczmq.perf import native

from conftest import is_busy, wait_until

# Cython builds: about 10 s each on a quiet machine.
pytestmark = pytest.mark.timeout(240)


def _environment():
    """This interpreter's import path, for a child that must find pyczmq."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))


def _build(folder):
    result = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=folder,
                            capture_output=True, text=True, timeout=220, env=_environment())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def example():
    """The example module, built (once per version of it and of the .pxd files)
    from a copy of its folder."""
    folder, reason = native.build_cython_example()
    assert reason is None, reason
    sys.path.insert(0, str(folder))
    try:
        import cython_throughput
        yield cython_throughput
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("cython_throughput", None)


def test_push_pull_without_the_gil(example, push_pull):
    push, pull = push_pull
    sender = threading.Thread(target=example.send_messages, args=(push, 100_000, 64, 2),
                              daemon=True)
    sender.start()
    assert example.receive_messages(pull, 100_000) == 100_000 * 64 * 2
    sender.join()
    push.send(b"after")                         # the sockets are usable again
    assert pull.recv_bytes() == b"after"


def test_request_reply_without_the_gil(example, ctx, inproc):
    rep, req = ctx.socket("REP"), ctx.socket("REQ")
    rep.bind(inproc)
    req.connect(inproc)
    echoed = []
    echo = threading.Thread(target=lambda: echoed.append(example.echo_messages(rep, 1000)),
                            daemon=True)       # a failed test must not hang the exit
    echo.start()
    example.round_trips(req, 1000, 100)
    echo.join(10)
    # The echo loop ended after exactly 1000 requests, each answered: both
    # sockets are back in step and usable from Python.
    assert not echo.is_alive() and echoed == [None]
    req.send(b"request")
    assert rep.recv_bytes() == b"request"
    rep.send(b"reply")
    assert req.recv_bytes() == b"reply"


def test_the_socket_is_reserved_during_a_nogil_loop(example, push_pull):
    push, pull = push_pull
    receiver = threading.Thread(target=example.receive_messages, args=(pull, 1), daemon=True)
    receiver.start()
    wait_until(lambda: is_busy(pull), what="the loop to reserve the socket")
    with pytest.raises(pyczmq.ZMQError) as info:
        pull.close()                            # refused while the loop runs
    assert info.value.errno == 16
    push.send(b"x")
    receiver.join(5)
    assert not receiver.is_alive() and not pull.closed


def test_errors_raise_after_the_loop(example, ctx):
    lonely = ctx.socket("PUSH")
    lonely.sndtimeo = 10                        # no peer: the loop's send times out
    with pytest.raises(pyczmq.ZMQError) as info:
        example.send_messages(lonely, 1, 8)
    assert info.value.errno == 11
    with pytest.raises(pyczmq.ClosedError):
        lonely.close()
        example.send_messages(lonely, 1, 8)


def test_cimport_pyczmq_and_from_pyczmq_cimport(tmp_path):
    # Both spellings, and the C pointers of every type, in a fresh extension.
    (tmp_path / "probe.pyx").write_text(textwrap.dedent("""
        cimport pyczmq
        from pyczmq cimport Context, Frame, Message, Socket, zframe_size, zmsg_size

        def pointers(pyczmq.Socket sock, Frame frame, Message message):
            return (sock._c_handle != NULL, zframe_size(frame._c_frame),
                    zmsg_size(message._c_msg))
    """))
    (tmp_path / "setup.py").write_text(textwrap.dedent("""
        from Cython.Build import cythonize
        from setuptools import Extension, setup
        import pyczmq
        setup(ext_modules=cythonize(
            [Extension("probe", ["probe.pyx"], include_dirs=pyczmq.get_include(),
                       libraries=["czmq", "zmq"])],
            include_path=pyczmq.get_include(), compiler_directives={"language_level": 3}))
    """))
    _build(tmp_path)
    result = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, pyczmq
        sys.path.insert(0, %r)
        import probe
        ctx = pyczmq.Context()
        print(probe.pointers(ctx.socket("PAIR"), pyczmq.Frame(b"abc"),
                             pyczmq.Message(b"1", b"2")))
        ctx.destroy()
    """ % str(tmp_path))], capture_output=True, text=True, timeout=60, env=_environment())
    assert result.returncode == 0, result.stderr
    assert result.stdout == "(True, 3, 2)\n"
