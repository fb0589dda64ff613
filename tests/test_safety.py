"""Never an abort: every input on which CZMQ would assert (and kill the
process) raises a Python exception instead.  Each probe runs in its own
interpreter, so a crash fails the test instead of the test run."""

import pytest

from conftest import assert_clean_run, run_python

# Each probe: code that must raise the named exception and leave the process alive.
PROBES = {
    "unknown socket type": ("ValueError", "ctx.socket(99)"),
    "negative socket type": ("ValueError", "ctx.socket(-1)"),
    "option on the wrong socket type": ("ZMQError", "ctx.socket('PUSH').subscribe = b'x'"),
    "invalid option value": ("ZMQError", "ctx.socket('PUSH').identity = b''"),
    "option value out of C range": ("OverflowError", "ctx.socket('PUSH').linger = 2**40"),
    "curve key of a wrong length": ("ValueError", "ctx.socket('PUSH').curve_serverkey = b'x' * 31"),
    "io threads after the first socket": ("ZMQError", "ctx.socket('PAIR'); ctx.set_iothreads(7)"),
    "socket used after close": ("ClosedError", "s = ctx.socket('PAIR'); s.close(); s.send(b'x')"),
    "socket used after its context was destroyed":
        ("ClosedError", "s = ctx.socket('PAIR'); ctx.destroy(); s.recv_bytes()"),
    "context used after destroy": ("ClosedError", "ctx.destroy(); ctx.socket('PAIR')"),
    "frame used after send": ("ClosedError", """
        a, b = ctx.socket('PAIR'), ctx.socket('PAIR'); a.bind('inproc://p'); b.connect('inproc://p')
        f = pyczmq.Frame(b'x'); a.send_frame(f); a.send_frame(f)"""),
    "frame used after append": ("ClosedError", "f = pyczmq.Frame(b'x'); pyczmq.Message(f); f.dup()"),
    "frame destroyed twice": ("ClosedError", "f = pyczmq.Frame(b'x'); f.destroy(); f.destroy()"),
    "borrowed frame after its message was sent": ("ClosedError", """
        a, b = ctx.socket('PAIR'), ctx.socket('PAIR'); a.bind('inproc://m'); b.connect('inproc://m')
        m = pyczmq.Message(b'x'); f = m.first(); a.send_msg(m); f.set_more(1)"""),
    "message sent twice": ("ClosedError", """
        a, b = ctx.socket('PAIR'), ctx.socket('PAIR'); a.bind('inproc://t'); b.connect('inproc://t')
        m = pyczmq.Message(b'x'); a.send_msg(m); a.send_msg(m)"""),
    "message destroyed twice": ("ClosedError", "m = pyczmq.Message(); m.destroy(); m.destroy()"),
    "corrupt message file": ("ValueError", """
        import tempfile, os
        path = os.path.join(tempfile.mkdtemp(), 'm'); open(path, 'wb').write(b'\\xff' * 12)
        pyczmq.Message().load(path)"""),
    "set_more with a value other than 0 or 1 is normalised": (None, """
        f = pyczmq.Frame(b'x'); f.set_more(7); assert f.more() == 1"""),
    "frame reset to empty data": (None, "f = pyczmq.Frame(b'x'); f.reset(b''); assert len(f) == 0"),
    "endpoint with a NUL": ("ValueError", "ctx.socket('PAIR').bind('inproc://a\\0b')"),
    "percent signs in endpoints are not formats": ("ZMQError", "ctx.socket('PAIR').connect('tcp://%s%s%n:1')"),
    "bad send flags": ("ValueError", "ctx.socket('PAIR').send(b'x', 1 << 20)"),
    "bad frame flags": ("ValueError", "ctx.socket('PAIR').send_frame(pyczmq.Frame(), 99)"),
    "None where a frame is expected": ("TypeError", "ctx.socket('PAIR').send_frame(None)"),
    "None where a message is expected": ("TypeError", "ctx.socket('PAIR').send_msg(None)"),
    "a Context that is not a Context": ("TypeError", "pyczmq.Socket(object(), 'PAIR')"),
    "negative linger for a context": ("ValueError", "ctx.set_linger(-2)"),
    "negative pipe hwm": ("ValueError", "ctx.set_pipehwm(-1)"),
}


@pytest.mark.parametrize("name", sorted(PROBES))
def test_bad_input_raises_instead_of_aborting(name):
    expected, code = PROBES[name]
    body = "\n".join("    " + line.strip() for line in code.strip().splitlines())
    if expected is None:
        check = "try:\n%s\nfinally:\n    pass\nprint('survived')" % body
    else:
        check = ("try:\n%s\nexcept %s as error:\n    print('raised', type(error).__name__)\n"
                 "else:\n    print('did not raise')\nprint('survived')" % (body, expected))
    result = run_python("import pyczmq\nfrom pyczmq import *\nctx = pyczmq.Context()\n" + check)
    assert_clean_run(result)
    lines = result.stdout.split("\n")
    if expected is not None:
        assert lines[0].startswith("raised"), result.stdout
    assert "survived" in lines


@pytest.mark.parametrize("setup, match", [
    ("fd = os.open(__file__ if '__file__' in dir() else '/dev/null', os.O_RDONLY)", "not a socket"),
    ("read_end, fd = os.pipe()", "not a socket"),
    ("fd = 1000", "not an open file descriptor"),
    ("plain = socket.socket(); fd = plain.fileno()", "not a listening socket"),
    ("unix = socket.socket(socket.AF_UNIX); unix.bind('\\0pyczmq-use-fd-%d' % os.getpid()); "
     "unix.listen(); fd = unix.fileno()", "not a tcp socket"),
])
def test_use_fd_must_be_a_listening_socket(setup, match):
    # libzmq aborts when use_fd is anything else.
    result = run_python("""
        import os, socket, pyczmq
        %s
        sock = pyczmq.Context().socket("PULL")
        try:
            sock.use_fd = fd
            sock.bind("tcp://127.0.0.1:*")
        except ValueError as error:
            print(error)
    """ % setup)
    assert_clean_run(result)
    assert match in result.stdout


def test_use_fd_with_a_listening_socket_works():
    result = run_python("""
        import socket, pyczmq
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        ctx = pyczmq.Context()
        pull = ctx.socket("PULL")
        pull.use_fd = listener.fileno()
        pull.bind("tcp://127.0.0.1:%d" % port)
        push = ctx.socket("PUSH")
        push.connect("tcp://127.0.0.1:%d" % port)
        push.send(b"through use_fd")
        print(pull.recv())
        ctx.destroy()
    """)
    assert_clean_run(result)
    assert result.stdout == "through use_fd\n"


def test_set_iothreads_with_a_socket_made_outside_pyczmq_does_not_abort():
    # zsys_set_io_threads() would assert on a CZMQ socket pyczmq does not know.
    result = run_python("""
        import ctypes, pyczmq
        czmq = ctypes.CDLL("libczmq.so.4")
        czmq.zsys_socket.restype = ctypes.c_void_p
        czmq.zsys_close.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
        foreign = czmq.zsys_socket(0, None, 0)
        pyczmq.Context(iothreads=2)
        czmq.zsys_close(foreign, None, 0)
    """)
    assert_clean_run(result)


def test_running_out_of_sockets_raises():
    # zsock_new() asserts when libzmq can make no more sockets; we raise EMFILE.
    result = run_python("""
        import pyczmq
        ctx = pyczmq.Context()
        sockets = []
        try:
            while len(sockets) < 5000:
                sockets.append(ctx.socket("PAIR"))
        except pyczmq.ZMQError as error:
            assert error.errno == 24, error
        else:
            raise AssertionError("5000 sockets were allowed")
        for sock in sockets[:10]:
            sock.close()
        ctx.socket("PAIR")                       # room again
        ctx.destroy()
    """)
    assert_clean_run(result)
