"""The Cython API: a downstream extension that does ``cimport pyczmq`` builds
against the installed .pxd files and runs message loops without the GIL
(examples/cython_throughput, built from a copy by pyczmq.perf's builder, which
keeps it for the benchmark's Cython column: one build for both); a probe
extension cimports every .pxd the package ships, each of which must compile
on its own."""

import ast
import os
import pathlib
import subprocess
import sys
import textwrap
import threading

import pytest

import pyczmq
from pyczmq.perf import native

from conftest import is_busy, wait_until

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Cython builds: about 10 s each on a quiet machine.
pytestmark = pytest.mark.timeout(240)


def _environment():
    """This interpreter's import path, for a child that must find pyczmq."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))


def _build(folder):
    """Build the extension of the setup.py in `folder` in place: the CompletedProcess."""
    return subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=folder,
                          capture_output=True, text=True, timeout=220, env=_environment())


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


def _setup_argument(name):
    """The literal value of setup(name=...) in setup.py."""
    tree = ast.parse((ROOT / "setup.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup":
            for keyword in node.keywords:
                if keyword.arg == name:
                    return ast.literal_eval(keyword.value)
    raise AssertionError("setup.py has no setup(%s=...)" % name)


def shipped_pxd_modules():
    """The module name of every .pxd the package installs: setup.py's
    package_data globs less its exclude_package_data, applied to the source
    tree, and every .pxd of an installed copy if pyczmq is not this checkout."""
    included, excluded = _setup_argument("package_data"), _setup_argument("exclude_package_data")
    modules = set()

    def add(package, path):
        modules.add(package if path.stem == "__init__" else package + "." + path.stem)

    for package, patterns in included.items():
        folder = ROOT.joinpath(*package.split("."))
        files = {path for pattern in patterns for path in folder.glob(pattern)}
        files -= {path for pattern in excluded.get(package, ()) for path in folder.glob(pattern)}
        for path in files:
            if path.suffix == ".pxd":
                add(".".join([package, *path.relative_to(folder).parent.parts]), path)
    installed = pathlib.Path(pyczmq.__file__).parent
    if installed != ROOT / "pyczmq":
        for path in installed.rglob("*.pxd"):
            add(".".join(["pyczmq", *path.relative_to(installed).parent.parts]), path)
    return sorted(modules)


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """One downstream extension, built as a user would with pyczmq.get_include():
    it cimports pyczmq both ways and every .pxd the package ships (each must
    compile on its own), and reads the C pointers of the types.  (The build's
    folder, its CompletedProcess.)"""
    folder = tmp_path_factory.mktemp("probe")
    cimports = "".join("cimport %s\n" % module for module in shipped_pxd_modules())
    (folder / "probe.pyx").write_text(cimports + textwrap.dedent("""
        cimport pyczmq
        from pyczmq cimport Context, Frame, Message, Socket, zframe_size, zmsg_size

        def pointers(pyczmq.Socket sock, Frame frame, Message message):
            return (sock._c_handle != NULL, zframe_size(frame._c_frame),
                    zmsg_size(message._c_msg))
    """))
    (folder / "setup.py").write_text(textwrap.dedent("""
        from Cython.Build import cythonize
        from setuptools import Extension, setup
        import pyczmq
        setup(ext_modules=cythonize(
            [Extension("probe", ["probe.pyx"], include_dirs=pyczmq.get_include(),
                       libraries=["czmq", "zmq"])],
            include_path=pyczmq.get_include(), compiler_directives={"language_level": 3}))
    """))
    return folder, _build(folder)


def _run_probe(folder, code):
    return subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r)\n"
                           % str(folder) + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60, env=_environment())


def test_every_shipped_pxd_compiles_in_a_downstream_module(probe):
    modules = shipped_pxd_modules()
    # The public ones are found (the discovery works), and the types'
    # declarations are include fragments, not modules one could try to cimport.
    assert {"pyczmq", "pyczmq._core", "pyczmq.includes", "pyczmq.includes.czmq",
            "pyczmq.includes.libzmq"} <= set(modules), modules
    assert not [module for module in modules if module.startswith("pyczmq.types")], modules
    folder, result = probe
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    loaded = _run_probe(folder, "import probe; print(probe.__name__)")
    assert loaded.returncode == 0 and loaded.stdout == "probe\n", loaded.stderr


def test_cimport_pyczmq_and_from_pyczmq_cimport(probe):
    # Both spellings, and the C pointers of every type, in a fresh extension.
    folder, result = probe
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    run = _run_probe(folder, """
        import pyczmq, probe
        ctx = pyczmq.Context()
        print(probe.pointers(ctx.socket("PAIR"), pyczmq.Frame(b"abc"),
                             pyczmq.Message(b"1", b"2")))
        ctx.destroy()
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "(True, 3, 2)\n"
