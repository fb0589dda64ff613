"""The Cython API: a downstream extension that does ``cimport pyczmq`` builds
against the installed .pxd files and runs message loops without the GIL
(examples/cython_throughput, built from a temporary copy)."""

import os
import pathlib
import shutil
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import pyczmq

EXAMPLE = pathlib.Path(__file__).resolve().parent.parent / "examples" / "cython_throughput"


def _environment():
    """This interpreter's import path, for a child that must find pyczmq."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))


def _build(folder):
    result = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=folder,
                            capture_output=True, text=True, timeout=300, env=_environment())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example module, built from a temporary copy of its folder."""
    folder = tmp_path_factory.mktemp("cython_throughput")
    for name in ("setup.py", "cython_throughput.pyx"):
        shutil.copy(EXAMPLE / name, folder / name)
    _build(folder)
    sys.path.insert(0, str(folder))
    try:
        import cython_throughput
        yield cython_throughput
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("cython_throughput", None)


def test_push_pull_without_the_gil(example, push_pull):
    push, pull = push_pull
    sender = threading.Thread(target=example.send_messages, args=(push, 100_000, 64, 2))
    sender.start()
    assert example.receive_messages(pull, 100_000) == 100_000 * 64 * 2
    sender.join()
    push.send(b"after")                         # the sockets are usable again
    assert pull.recv_bytes() == b"after"


def test_request_reply_without_the_gil(example, ctx, inproc):
    rep, req = ctx.socket("REP"), ctx.socket("REQ")
    rep.bind(inproc)
    req.connect(inproc)
    echo = threading.Thread(target=example.echo_messages, args=(rep, 1000))
    echo.start()
    example.round_trips(req, 1000, 100)
    echo.join()


def test_the_socket_is_reserved_during_a_nogil_loop(example, push_pull):
    push, pull = push_pull
    receiver = threading.Thread(target=example.receive_messages, args=(pull, 1))
    receiver.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:          # until the loop has reserved it
        try:
            pull.rcvhwm
        except pyczmq.ZMQError as error:
            assert error.errno == 16
            break
        time.sleep(0.001)
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
