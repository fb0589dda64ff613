"""Process-level behaviour: the GIL is released while blocked, Ctrl-C
interrupts a blocked call, a destroyed Context wakes blocked threads, a script
that forgets to close exits quietly, and forked children never touch their
parent's sockets."""

import os
import signal
import threading
import time

import pytest

import pyczmq
from pyczmq import ClosedError, ContextTerminated, ZMQError

from conftest import assert_clean_run, is_busy, run_python, signal_child, wait_until


def test_other_threads_run_while_one_is_blocked_in_recv(pair):
    a, b = pair
    received = []
    receiver = threading.Thread(target=lambda: received.append(b.recv_bytes()))
    receiver.start()
    wait_until(lambda: is_busy(b), what="the receive to start")
    # If recv held the GIL this loop could not run until a message arrived.
    counted = 0
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        counted += 1
    assert counted > 10000 and receiver.is_alive()
    a.send(b"wake up")
    receiver.join(5)
    assert received == [b"wake up"]


@pytest.mark.parametrize("call", ["recv", "recv_bytes", "recv_multipart", "recv_frame", "recv_msg", "poll"])
def test_other_threads_run_while_blocked_in_each_receive(pair, call):
    a, b = pair
    b.rcvtimeo = 5000           # a receive holding the GIL would end, and this test fail
    done = threading.Event()

    def blocked():
        getattr(b, call)(*([5000] if call == "poll" else []))
        done.set()

    thread = threading.Thread(target=blocked)
    thread.start()
    # This thread runs Python code while the other one waits in the call.
    wait_until(lambda: is_busy(b) or not thread.is_alive(), what="the receive to start")
    assert is_busy(b) and not done.is_set(), "the receive did not block"
    a.send(b"x")
    thread.join(5)
    assert done.is_set()


def test_a_busy_socket_refuses_use_from_another_thread(pair):
    a, b = pair
    thread = threading.Thread(target=b.recv_bytes)
    thread.start()
    wait_until(lambda: is_busy(b), what="the receive to start")
    with pytest.raises(ZMQError, match="another thread") as info:
        b.send(b"x")
    assert info.value.errno == 16               # EBUSY
    with pytest.raises(ZMQError, match="another thread"):
        b.close()
    a.send(b"done")
    thread.join(5)
    assert not thread.is_alive()


@pytest.mark.parametrize("call", ["recv_bytes", "recv_multipart", "recv_frame", "recv_msg"])
def test_destroying_the_context_wakes_blocked_threads(call):
    ctx = pyczmq.Context()
    sock = ctx.socket("PULL")
    sock.bind("inproc://wake-%s" % call)
    errors = []

    def blocked():
        try:
            getattr(sock, call)()
        except ContextTerminated as error:
            errors.append(error)

    thread = threading.Thread(target=blocked)
    thread.start()
    wait_until(lambda: is_busy(sock), what="the receive to start")
    ctx.destroy()
    thread.join(5)
    assert not thread.is_alive() and len(errors) == 1
    assert errors[0].errno == pyczmq.zmq.ETERM
    assert sock.closed
    with pytest.raises(ClosedError):
        sock.recv_bytes()


def test_destroying_the_context_wakes_a_blocked_send():
    ctx = pyczmq.Context()
    lonely = ctx.socket("PUSH")                 # no peer: send blocks
    errors = []
    thread = threading.Thread(target=lambda: errors.append(pytest.raises(ContextTerminated, lonely.send, b"x")))
    thread.start()
    wait_until(lambda: is_busy(lonely), what="the send to start")
    ctx.destroy()
    thread.join(5)
    assert not thread.is_alive() and len(errors) == 1


@pytest.mark.parametrize("call", ["recv()", "recv_bytes()", "recv_multipart()", "recv_frame()",
                                  "recv_msg()", "poll(-1)"])
def test_ctrl_c_interrupts_a_blocked_receive_and_the_socket_still_works(call):
    returncode, out, err = signal_child("""
        import pyczmq
        ctx = pyczmq.Context()
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://ctrl-c")
        b.connect("inproc://ctrl-c")
        print("ready", flush=True)
        try:
            b.%s
        except KeyboardInterrupt:
            print("interrupted", flush=True)
        a.send(b"after")
        print(b.recv_bytes().decode(), flush=True)
        ctx.destroy()
    """ % call, signal.SIGINT, settle=0.1, timeout=10)     # settle: let it block in the call
    assert returncode == 0, err
    assert out.split() == ["interrupted", "after"]
    assert err == ""


def test_ctrl_c_interrupts_a_blocked_send():
    returncode, out, err = signal_child("""
        import pyczmq
        with pyczmq.Context() as ctx:
            lonely = ctx.socket("PUSH")
            print("ready", flush=True)
            try:
                lonely.send(b"nobody listens")
            except KeyboardInterrupt:
                print("interrupted", flush=True)
    """, signal.SIGINT, settle=0.1, timeout=10)
    assert (returncode, out.strip(), err) == (0, "interrupted", "")


def test_python_signal_handlers_still_run():
    returncode, out, err = signal_child("""
        import signal, pyczmq
        signal.signal(signal.SIGTERM, lambda *args: print("handled", flush=True))
        with pyczmq.Context() as ctx:
            sock = ctx.socket("PULL")
            sock.bind("inproc://handler")
            sock.rcvtimeo = 1000
            print("ready", flush=True)
            try:
                sock.recv_bytes()
            except pyczmq.Again:
                print("timed out", flush=True)
    """, signal.SIGTERM, settle=0.1, timeout=10)
    assert (returncode, out.split(), err) == (0, ["handled", "timed", "out"], "")


def test_a_script_that_forgets_to_close_exits_quietly():
    result = run_python("""
        import pyczmq
        ctx = pyczmq.Context()
        pull = ctx.socket("PULL")
        port = pull.bind("tcp://127.0.0.1:*")
        push = ctx.socket("PUSH")
        push.connect("tcp://127.0.0.1:%d" % port)
        push.send(b"x")
        assert pull.recv_bytes() == b"x"
        frame, message = pyczmq.Frame(b"f"), pyczmq.Message(b"m")
        keep = [ctx, pull, push, frame, message]
        keep.append(keep)                        # a reference cycle, freed late
    """)
    assert_clean_run(result)
    assert result.stdout == ""


def test_exit_with_a_daemon_thread_holding_a_socket_is_quiet():
    # Such a socket is never garbage-collected: the atexit hook closes it.
    result = run_python("""
        import threading, time, pyczmq
        holding = threading.Event()
        def hold():
            sock = pyczmq.Context().socket("PULL")
            holding.set()
            time.sleep(100)
        threading.Thread(target=hold, daemon=True).start()
        assert holding.wait(10)
    """)
    assert_clean_run(result)
    assert result.stdout == ""


def test_exit_with_a_daemon_thread_blocked_in_recv_is_quiet():
    result = run_python("""
        import threading, time, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://daemon")
        threading.Thread(target=sock.recv_bytes, daemon=True).start()
        deadline = time.monotonic() + 10
        while True:                             # until the thread waits in recv_bytes
            try:
                sock.rcvhwm
            except pyczmq.ZMQError:             # EBUSY
                break
            assert time.monotonic() < deadline
            time.sleep(0.001)
    """)
    assert_clean_run(result)
    assert result.stdout == ""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_never_closes_its_parents_sockets(ctx, inproc):
    pull = ctx.socket("PULL")
    pull.bind(inproc)
    push = ctx.socket("PUSH")
    push.connect(inproc)
    pid = os.fork()
    if pid == 0:                                # child: a fresh CZMQ context
        status = 1
        try:
            with pytest.raises(ClosedError, match="forked child"):
                push.send(b"from child")
            with pyczmq.Context() as child_ctx:
                a, b = child_ctx.socket("PAIR"), child_ctx.socket("PAIR")
                a.bind("inproc://child")
                b.connect("inproc://child")
                a.send(b"child works")
                assert b.recv_bytes() == b"child works"
            ctx.destroy()                       # must leave the parent's sockets alone
            del pull, push
            status = 0
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert not pull.closed and not push.closed
    push.send(b"parent still works")
    assert pull.recv_bytes() == b"parent still works"


def test_ctrl_c_works_in_a_forked_child():
    # CZMQ's at-fork handler turns its own SIGINT handling back on in the child.
    result = run_python("""
        import os, signal, threading, pyczmq
        with pyczmq.Context() as ctx:
            ctx.socket("PAIR")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                with pyczmq.Context() as ctx:
                    sock = ctx.socket("PULL")
                    sock.bind("inproc://child")
                    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
                    try:
                        sock.recv_bytes()
                    except KeyboardInterrupt:
                        code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0, status
    """)
    assert_clean_run(result)


def test_set_iothreads_only_before_the_first_socket():
    result = run_python("""
        import pyczmq
        ctx = pyczmq.Context(iothreads=2)
        assert ctx.iothreads == 2
        ctx.set_iothreads(3)
        sock = ctx.socket("PAIR")
        assert ctx.iothreads == 3
        ctx.set_iothreads(3)                     # unchanged: fine
        try:
            ctx.set_iothreads(1)
        except pyczmq.ZMQError as error:
            assert "fixed" in str(error)
        else:
            raise AssertionError("set_iothreads after a socket did not raise")
        ctx.destroy()
    """)
    assert_clean_run(result)
