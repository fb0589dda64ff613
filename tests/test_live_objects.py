"""pyczmq.live_objects(): debug counters of the C objects pyczmq holds, each
changed where the object is made and where it is destroyed; and the
ResourceWarning for a Socket or Context collected while open (from __del__,
silent at interpreter exit)."""

import gc
import time
import warnings

import pytest

import pyczmq
from pyczmq import zmq
from conftest import assert_clean_run, clean_stdout, run_python

KINDS = {"contexts", "sockets", "actors", "loops", "pollers", "certstores", "msgs", "frames",
         "messages", "certs", "monitors", "zero_copy"}


def live(kind):
    return pyczmq.live_objects()[kind]


def settled(kind, expected, timeout=5.0):
    """live(kind) once it equals `expected` (for counts that change in another
    thread), or its value after `timeout` s."""
    deadline = time.monotonic() + timeout
    while live(kind) != expected and time.monotonic() < deadline:
        time.sleep(0.005)
    return live(kind)


@pytest.fixture
def ctx():
    context = pyczmq.Context()
    yield context
    context.destroy()


def test_live_objects_is_a_documented_dict_of_ints():
    counts = pyczmq.live_objects()
    assert set(counts) == KINDS
    assert all(type(value) is int and value >= 0 for value in counts.values()), counts
    assert "live_objects" in pyczmq.__all__
    assert "leak tests" in pyczmq.live_objects.__doc__
    assert pyczmq.live_objects() is not counts        # a fresh dict each time


# -- each kind: +1 on create, back on destroy and on garbage collection ------------------

def freed_by_gc(kind, make):
    """`make()`'s object counts one under `kind` and stops counting when
    collected (an open Socket or Context warns: the warning is ignored here,
    as recording it would keep the object alive; other tests check it)."""
    start = live(kind)
    thing = make()
    assert live(kind) == start + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del thing
        gc.collect()
    assert live(kind) == start


def test_sockets(ctx):
    start = live("sockets")
    sock = ctx.socket("PUSH")
    assert live("sockets") == start + 1
    sock.close()
    assert live("sockets") == start
    sock.close()                                    # idempotent: counted once
    assert live("sockets") == start
    freed_by_gc("sockets", lambda: ctx.socket("PULL"))
    sockets = [ctx.socket("PAIR") for _ in range(3)]
    assert live("sockets") == start + 3
    ctx.destroy()                                   # closes them all
    assert live("sockets") == start
    del sockets


def test_a_socket_whose_creation_fails_counts_nothing():
    own = zmq.ctx_new()
    try:
        zmq.ctx_set(own, zmq.MAX_SOCKETS, 1)
        start = live("sockets")
        first = own.socket("PAIR")
        with pytest.raises(pyczmq.ZMQError):
            own.socket("PAIR")                      # EMFILE: over MAX_SOCKETS
        assert live("sockets") == start + 1
        first.close()
        assert live("sockets") == start
    finally:
        own.destroy()


def test_contexts():
    start = live("contexts")
    own = zmq.ctx_new()
    assert live("contexts") == start + 1
    zmq.ctx_term(own)
    assert live("contexts") == start
    own = zmq.ctx_new()
    own.socket("PAIR").close()
    own.destroy()
    assert live("contexts") == start
    freed_by_gc("contexts", zmq.ctx_new)
    scope = pyczmq.Context()                        # a scope over CZMQ's context: not counted
    assert live("contexts") == start
    scope.destroy()


def test_frames_messages_certs_and_msgs():
    for kind, make in (("frames", lambda: pyczmq.Frame(b"x")),
                       ("messages", lambda: pyczmq.Message(b"a", b"b")),
                       ("certs", pyczmq.Cert),
                       ("msgs", zmq.msg_init)):
        freed_by_gc(kind, make)
    start = live("frames")
    message = pyczmq.Message(b"a", b"b")
    views = list(message)                           # borrowed views are Frame objects too,
    assert live("frames") == start + 2
    del views
    assert live("frames") == start + 2              # kept by their message while it holds them
    popped = message.pop()
    assert live("frames") == start + 2
    message.destroy()                               # releases the other view
    del message
    assert live("frames") == start + 1
    del popped
    assert live("frames") == start


def test_frames_sent_and_received(ctx):
    a, b = ctx.socket("PAIR"), ctx.socket("PAIR")
    a.bind("inproc://live-frames")
    b.connect("inproc://live-frames")
    start = {kind: live(kind) for kind in ("frames", "messages")}
    a.send_frame(pyczmq.Frame(b"x"))
    received = b.recv_frame()
    assert live("frames") == start["frames"] + 1
    a.send_msg(pyczmq.Message(b"x", b"y"))
    message = b.recv_msg()
    assert live("messages") == start["messages"] + 1
    del received, message
    assert {kind: live(kind) for kind in start} == start
    a.close()
    b.close()


def test_certstores():
    start = live("certstores")
    store = pyczmq.CertStore()
    assert live("certstores") == start + 1
    store.insert(pyczmq.Cert())
    store.destroy()
    assert live("certstores") == start
    freed_by_gc("certstores", pyczmq.CertStore)


def test_loops_and_pollers(ctx):
    for kind, make in (("loops", pyczmq.Loop), ("pollers", pyczmq.Poller)):
        start = live(kind)
        thing = make()
        assert live(kind) == start + 1
        thing.destroy()
        assert live(kind) == start
        freed_by_gc(kind, make)


def test_actors_and_the_certstore_handed_to_one():
    start = pyczmq.live_objects()
    store = pyczmq.CertStore()
    auth = pyczmq.Auth(certstore=store)             # takes the store: zauth destroys it
    after = pyczmq.live_objects()
    assert after["actors"] == start["actors"] + 1
    assert after["certstores"] == start["certstores"]
    assert after["sockets"] == start["sockets"]     # the actor's pipe belongs to the actor
    auth.destroy()
    assert live("actors") == start["actors"]


def test_monitors(ctx):
    sock = ctx.socket("PAIR")
    start = live("monitors")
    zmq.socket_monitor(sock, "inproc://live-monitor")
    assert live("monitors") == start + 1
    zmq.socket_monitor(sock, None)                  # waits for the forwarder to end
    assert live("monitors") == start
    zmq.socket_monitor(sock, "inproc://live-monitor-2")
    assert live("monitors") == start + 1
    sock.close()                                    # MONITOR_STOPPED ends it, in its thread
    assert settled("monitors", start) == start


def test_a_forked_child_counts_its_own_process_bound_objects():
    # The parent's contexts, sockets and actors are not the child's to close:
    # the child starts at zero and lets go of them without counting; memory
    # objects (frames, ...) are copies the child frees, so their counts carry over.
    out = clean_stdout("""
        import gc, os, pyczmq
        from pyczmq import zmq
        ctx = pyczmq.Context()
        sock, own, frame = ctx.socket("PAIR"), zmq.ctx_new(), pyczmq.Frame(b"x")
        auth = pyczmq.Auth()
        parent = pyczmq.live_objects()
        pid = os.fork()
        if pid == 0:
            child = pyczmq.live_objects()
            ok = (child["sockets"], child["contexts"], child["actors"]) == (0, 0, 0)
            ok &= child["frames"] == parent["frames"]
            sock.close(); auth.destroy(); del sock, own, frame, auth; gc.collect()
            mine = ctx.socket("PUSH")
            after = pyczmq.live_objects()
            ok &= (after["sockets"], after["contexts"], after["actors"]) == (1, 0, 0)
            ok &= after["frames"] == parent["frames"] - 1
            mine.close()
            os._exit(0 if ok and pyczmq.live_objects()["sockets"] == 0 else 1)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), pyczmq.live_objects() == parent)
        auth.destroy(); sock.close(); own.destroy()
    """)
    assert out.split() == ["0", "True"], out


# -- ResourceWarning ------------------------------------------------------------------------

def collected_warnings(make):
    """The ResourceWarnings raised while `make()`'s result is collected."""
    thing = make()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del thing
        gc.collect()
    return [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_an_open_socket_collected_warns_with_itself_as_source(ctx):
    sock = ctx.socket("PUSH")
    sock.bind("inproc://unclosed")
    address = id(sock)
    with pytest.warns(ResourceWarning, match=r"unclosed <pyczmq\.Socket PUSH, bound inproc://"
                                             r"unclosed at") as record:
        del sock
        gc.collect()
    [warning] = [w for w in record if issubclass(w.category, ResourceWarning)]
    assert id(warning.source) == address
    assert warning.source.closed is False       # resurrected by the record, closed when it goes
    del record, warning
    gc.collect()


def test_a_closed_socket_or_destroyed_context_does_not_warn(ctx):
    def closed_socket():
        sock = ctx.socket("PUSH")
        sock.close()
        return sock

    def destroyed_own_context():
        own = zmq.ctx_new()
        sock = own.socket("PAIR")
        own.destroy()                           # closes it
        return own, sock

    def used_scope():
        scope = pyczmq.Context()
        scope.socket("PAIR").close()
        return scope                            # a scope with nothing open holds nothing

    for make in (closed_socket, destroyed_own_context, used_scope, pyczmq.Context):
        assert collected_warnings(make) == [], make.__name__


def test_an_open_own_context_collected_warns():
    [warning] = collected_warnings(zmq.ctx_new)
    assert str(warning.message).startswith("unclosed <pyczmq.Context own libzmq context, 0 open")


def test_a_scope_with_open_sockets_collected_in_a_cycle_warns_for_both():
    def cycle():
        scope = pyczmq.Context()
        sock = scope.socket("PAIR")
        holder = [scope, sock]
        holder.append(holder)
        return holder

    gc.disable()
    try:
        caught = collected_warnings(cycle)
    finally:
        gc.enable()
    messages = sorted(str(w.message) for w in caught)
    assert len(messages) == 2, messages
    assert messages[0].startswith("unclosed <pyczmq.Context 1 open sockets at")
    assert messages[1].startswith("unclosed <pyczmq.Socket PAIR at")


def test_under_W_error_a_collected_socket_is_an_unraisable_exception():
    result = run_python("""
        import gc, pyczmq
        ctx = pyczmq.Context()
        sock = ctx.socket("PUSH")
        del sock
        gc.collect()
        print("alive")
    """, env={"PYTHONWARNINGS": "error::ResourceWarning"})
    assert result.returncode == 0 and result.stdout == "alive\n", result
    assert "Exception ignored in" in result.stderr, result.stderr
    assert "ResourceWarning: unclosed <pyczmq.Socket PUSH" in result.stderr, result.stderr


def test_nothing_warns_at_interpreter_exit():
    # Open sockets, an open own context and a scope left to the end: the
    # atexit hook closes them and no finalizer may warn after it.
    result = run_python("""
        import gc, threading, pyczmq
        from pyczmq import zmq
        ctx = pyczmq.Context()
        push, pull = ctx.socket("PUSH"), ctx.socket("PULL")
        push.bind("inproc://exit"); pull.connect("inproc://exit")
        own = zmq.ctx_new()
        own_sock = own.socket("PAIR")
        cycle = [pyczmq.Context()]
        cycle.append(cycle[0].socket("DEALER")); cycle.append(cycle)
        blocked = ctx.socket("PULL")
        threading.Thread(target=blocked.recv, daemon=True).start()
        print("end")
    """, env={"PYTHONWARNINGS": "error::ResourceWarning"})
    assert_clean_run(result)
    assert result.stdout == "end\n"
