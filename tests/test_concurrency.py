"""Python code that runs in the middle of a call -- a signal handler during a
wait, a finalizer run by the garbage collector, another thread -- can not
crash the interpreter or corrupt a socket, frame or message.  Each case runs
in its own interpreter: a regression shows as a crash, not a lost test run."""

import pytest

from conftest import clean_stdout


def _clean(code):
    return clean_stdout(code, timeout=120)


def test_a_signal_handler_can_not_view_a_frame_while_its_message_is_sent():
    out = _clean("""
        import signal, pyczmq
        ctx = pyczmq.Context()
        push = ctx.socket("PUSH")
        push.bind("inproc://view")
        msg = pyczmq.Message(b"A" * (4 << 20), b"B" * 100)
        first, second = msg.first(), msg.last()
        kept = memoryview(second)               # taken before: stays valid
        peers = []
        def handler(*args):
            try:
                memoryview(first)               # during send_msg's wait
            except pyczmq.ClosedError as error:
                print("refused:", error)
            pull = ctx.socket("PULL")
            pull.connect("inproc://view")
            peers.append(pull)
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        push.send_msg(msg)                      # waits for a peer
        print([len(part) for part in peers[0].recv_multipart()])
        print(kept.readonly, kept.tobytes() == b"B" * 100)
    """)
    assert out == ("refused: [Errno 22] Frame belongs to a Message that is being sent\n"
                   "[4194304, 100]\nTrue True\n")


def test_a_signal_handler_destroying_the_context_ends_the_wait():
    out = _clean("""
        import signal, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://destroyed")
        signal.signal(signal.SIGALRM, lambda *args: ctx.destroy())
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        try:
            sock.recv()
        except pyczmq.ContextTerminated:
            print("terminated", sock.closed)
    """)
    assert out == "terminated True\n"


def test_a_signal_handler_can_not_close_a_socket_under_its_wait():
    out = _clean("""
        import signal, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://busy")
        sock.rcvtimeo = 300
        def handler(*args):
            try:
                sock.close()
            except pyczmq.ZMQError as error:
                print("refused", error.errno)
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        try:
            sock.recv()
        except pyczmq.Again:
            print("timed out, open:", not sock.closed)
        ctx.destroy()
    """)
    assert out == "refused 16\ntimed out, open: True\n"


def test_threads_racing_close_against_a_first_wait():
    # The Context's wake pipe is made on the first wait, without releasing the GIL.
    out = _clean("""
        import threading, pyczmq
        problems = []
        for attempt in range(100):
            ctx = pyczmq.Context()
            sock = ctx.socket("PULL")
            sock.bind("inproc://race-%d" % attempt)
            sock.rcvtimeo = 20
            def other():
                try:
                    sock.close()
                except pyczmq.ZMQError as error:
                    if error.errno != 16:
                        problems.append(error)
            thread = threading.Thread(target=other)
            thread.start()
            try:
                sock.recv()
            except pyczmq.Again:
                pass
            except pyczmq.ClosedError:
                pass                            # closed before the call began: fine
            except Exception as error:
                problems.append(error)
            thread.join()
            ctx.destroy()
        print(problems)
    """)
    assert out == "[]\n"


def test_a_generator_can_not_slip_a_send_under_a_blocked_recv():
    out = _clean("""
        import threading, time, pyczmq
        ctx = pyczmq.Context()
        a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
        a.bind("inproc://gen")
        b.connect("inproc://gen")
        receiver = threading.Thread(target=a.recv_bytes, daemon=True)
        def parts():
            receiver.start()
            while True:                         # until the other thread blocks on a
                try:
                    a.rcvhwm
                except pyczmq.ZMQError:         # EBUSY
                    break
                time.sleep(0.001)
            yield b"x"
        try:
            a.send_multipart(parts())
        except pyczmq.ZMQError as error:
            print("refused", error.errno)
        b.send(b"release")
        receiver.join(10)
        ctx.destroy()
    """)
    assert out == "refused 16\n"


def test_a_context_destroyed_while_its_socket_is_busy_closes_it():
    out = _clean("""
        import threading, pyczmq
        left_open = 0
        for attempt in range(50):
            ctx = pyczmq.Context()
            pull, push = ctx.socket("PULL"), ctx.socket("PUSH")
            pull.bind("inproc://busy-%d" % attempt)
            push.connect("inproc://busy-%d" % attempt)
            def receive():
                try:
                    pull.recv()
                except pyczmq.ZMQError:
                    pass
            thread = threading.Thread(target=receive)
            thread.start()
            push.send(b"one")                   # may wake it before the pipe does
            ctx.destroy()
            thread.join()
            try:
                pull.recv_nowait()
                left_open += 1
            except pyczmq.ClosedError:
                pass
        print(left_open)
    """)
    assert out == "0\n"


# A finalizer that the next garbage collection runs: armed just before a call,
# it fires at the call's first allocation of a Python object.
ARM = """
import gc, pyczmq
class Bomb:
    def __init__(self, action):
        self.action, self.cycle = action, self     # only the GC frees it
    def __del__(self):
        self.action()
def arm(action):
    gc.collect()
    gc.disable()
    Bomb(action)
    gc.set_threshold(1)
    gc.enable()
"""

FINALIZER_CASES = {
    "frames() while the message is destroyed": """
        m = pyczmq.Message(b"a", b"b", b"c")
        arm(m.destroy)
        m.frames()""",
    "unwrap() while the message is destroyed": """
        m = pyczmq.Message(b"address", b"", b"body")
        arm(m.destroy)
        m.unwrap()""",
    "first() while its frame is popped and freed": """
        m = pyczmq.Message(b"a" * 100, b"b")
        arm(m.popstr)
        f = m.first()
        f.bytes()""",
    "dup() while the frame is destroyed": """
        f = pyczmq.Frame(b"x")
        arm(f.destroy)
        f.dup()""",
}


@pytest.mark.parametrize("case", sorted(FINALIZER_CASES))
def test_a_finalizer_changing_the_object_mid_call_raises_cleanly(case):
    body = "\n".join(line.strip() for line in FINALIZER_CASES[case].strip().splitlines())
    out = _clean(ARM + "try:\n" + "".join("    %s\n" % line for line in body.splitlines())
                 + "except (RuntimeError, pyczmq.ClosedError) as error:\n"
                   "    print('raised', type(error).__name__)\nelse:\n    print('fine')\n")
    assert out in ("fine\n", "raised RuntimeError\n", "raised ClosedError\n")


def test_a_resurrected_borrowed_frame_stays_known_to_its_message():
    out = _clean("""
        import gc, pyczmq
        message = pyczmq.Message(b"a" * 100)
        saved = []
        class Holder:
            def __init__(self, frame):
                self.frame, self.cycle = frame, self
            def __del__(self):
                saved.append(self.frame)        # resurrects the frame
        Holder(message.first())
        gc.collect()
        print(saved[0] is message.first())
        message.destroy()
        try:
            saved[0].bytes()
        except pyczmq.ClosedError:
            print("released")
    """)
    assert out == "True\nreleased\n"


def test_the_borrowed_registry_does_not_grow():
    out = _clean("""
        import tracemalloc, pyczmq
        message = pyczmq.Message()
        tracemalloc.start()
        sizes, kept = [], []
        for round in range(5):
            kept.append(pyczmq.Frame(b"y" * 64))   # so zframe addresses change
            for number in range(5000):
                message.append(b"x")
            for frame in message:
                pass
            while message.pop() is not None:
                pass
            sizes.append(tracemalloc.get_traced_memory()[0])
        print(sizes[-1] - sizes[1] < 100000)
    """)
    assert out == "True\n"


def test_a_peer_leaving_mid_message_does_not_hang_the_sender():
    # libzmq drops the rest of a message whose only peer went away; a sender
    # that waited for room then would wait forever.
    out = _clean("""
        import subprocess, sys, time, pyczmq
        ctx = pyczmq.Context()
        push = ctx.socket("PUSH")
        port = push.bind("tcp://127.0.0.1:*")
        peer = subprocess.Popen([sys.executable, "-c",
            "import os, sys, time, pyczmq; s = pyczmq.Context().socket('PULL'); "
            "s.connect('tcp://127.0.0.1:%d'); s.recv(); print('ready', flush=True); "
            "sys.stdin.readline(); time.sleep(0.15); os._exit(0)" % port],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        push.send(b"hello")
        peer.stdout.readline()
        parts = [b"x"] * 3_000_000
        push.send(b"first", pyczmq.zmq.SNDMORE)     # the message begins, the peer alive
        peer.stdin.write("go\\n")
        peer.stdin.flush()
        start = time.monotonic()
        push.send_multipart(parts)                  # the rest; the peer leaves meanwhile
        peer.wait()
        print(time.monotonic() - start < 20)
        ctx.destroy()
    """)
    assert out == "True\n"


def test_a_forked_child_closes_its_copy_of_the_wake_pipe_at_once():
    out = _clean("""
        import os, tempfile, threading, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PULL")
        sock.bind("inproc://fork-pipe")
        sock.rcvtimeo = 10
        try:
            sock.recv()                         # makes the wake pipe
        except pyczmq.Again:
            pass
        pid = os.fork()
        if pid == 0:
            os.closerange(3, 1024)              # a worker's start-up: drop inherited files
            files = [open(tempfile.mktemp(), "w") for _ in range(12)]
            del ctx, sock                       # must not close the child's files
            import gc; gc.collect()
            failures = 0
            for f in files:
                try:
                    f.write("x"); f.flush()
                except OSError:
                    failures += 1
                os.unlink(f.name)
            os._exit(failures)
        _, status = os.waitpid(pid, 0)
        print(os.WEXITSTATUS(status))
        ctx.destroy()
    """)
    assert out == "0\n"
