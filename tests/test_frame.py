"""Frame: data, ownership transfer on send/append, and zero-copy buffers."""

import gc

import pytest

from pyczmq import ClosedError, Frame, Message


def test_construction_from_str_bytes_and_buffers():
    assert Frame().bytes() == b""
    assert Frame(b"abc").bytes() == b"abc"
    assert Frame("héllo").bytes() == "héllo".encode()
    assert Frame(bytearray(b"\0\1")).bytes() == b"\0\1"
    assert Frame(memoryview(b"xyz")[1:]).bytes() == b"yz"
    with pytest.raises(TypeError):
        Frame(5)


def test_data_accessors():
    frame = Frame(b"END")
    assert len(frame) == frame.size() == 3
    assert frame.strhex() == "454E44"
    assert frame.strdup() == str(frame) == "END"
    assert frame.streq("END") and frame.streq(b"END") and not frame.streq("EN")
    assert frame == b"END" and frame == "END" and frame != b"NOT"
    assert frame.more() == 0
    frame.set_more(1)
    assert frame.more() == 1
    frame.set_more()
    assert frame.more() == 0
    assert "3 bytes" in repr(frame)


def test_dup_and_eq_are_independent_copies():
    frame = Frame(b"Hello")
    copy = frame.dup()
    assert copy == frame and copy.eq(frame) and copy is not frame
    frame.reset(b"")
    assert copy != frame and len(copy) == 5
    assert not frame.eq(b"Hello")           # eq() compares frames only


def test_frames_are_unhashable():
    with pytest.raises(TypeError):
        hash(Frame(b"x"))


def test_send_consumes_the_frame(push_pull):
    push, pull = push_pull
    frame = Frame(b"once")
    push.send_frame(frame)
    assert pull.recv_bytes() == b"once"
    for use in (frame.bytes, frame.dup, frame.more, lambda: len(frame), lambda: memoryview(frame),
                lambda: push.send_frame(frame), lambda: Message().append(frame)):
        with pytest.raises(ClosedError, match="sent"):
            use()
    assert "sent" in repr(frame)


def test_reuse_keeps_the_frame(push_pull):
    push, pull = push_pull
    frame = Frame(b"again")
    for _ in range(5):
        push.send_frame(frame, Frame.REUSE | Frame.MORE)
    push.send_frame(frame)
    assert pull.recv_multipart() == [b"again"] * 6


def test_failed_send_keeps_the_frame(ctx):
    lonely = ctx.socket("PUSH")                 # no peer: a DONTWAIT send fails
    frame = Frame(b"kept")
    with pytest.raises(Exception) as info:
        lonely.send_frame(frame, Frame.DONTWAIT)
    assert info.value.errno == 11
    assert frame.bytes() == b"kept"


def test_bad_flags_raise(push_pull):
    push, _ = push_pull
    with pytest.raises(ValueError):
        push.send_frame(Frame(b"x"), 8)


def test_destroy():
    frame = Frame(b"x")
    frame.destroy()
    with pytest.raises(ClosedError, match="destroyed"):
        frame.bytes()


def test_memoryview_is_zero_copy_and_writable():
    frame = Frame(b"ding")
    view = memoryview(frame)
    view[1:2] = b"o"
    assert frame.bytes() == b"dong"
    assert memoryview(frame) == b"dong"
    view.release()


def test_memoryview_survives_send(push_pull):
    push, pull = push_pull
    frame = Frame(b"x" * 1000)
    view = memoryview(frame)
    push.send_frame(frame)                      # sent as a copy; the view still works
    assert pull.recv_bytes() == b"x" * 1000
    del frame
    gc.collect()
    assert view.tobytes() == b"x" * 1000
    view.release()


def test_memoryview_survives_destroy_and_append():
    frame = Frame(b"abc")
    view = memoryview(frame)
    frame.destroy()
    assert view.tobytes() == b"abc"
    other = Frame(b"def")
    other_view = memoryview(other)
    message = Message(other)
    other_view[0:1] = b"X"                      # the message holds a copy
    assert message.tolist() == [b"def"]
    assert other_view.tobytes() == b"Xef"
    view.release()
    other_view.release()


def test_reset_refused_while_exported():
    frame = Frame(b"abc")
    with memoryview(frame):
        with pytest.raises(BufferError):
            frame.reset(b"new")
    frame.reset(b"new")
    assert frame.bytes() == b"new"


def test_reset_keeps_the_more_flag_and_takes_buffers():
    frame = Frame(b"abc")
    frame.set_more(1)
    frame.reset(bytearray(b"xy"))
    assert frame.bytes() == b"xy" and frame.more() == 1


def test_init_twice_is_refused():
    frame = Frame(b"x")
    with pytest.raises(RuntimeError):
        frame.__init__(b"y")


def test_received_frames_are_read_only(push_pull):
    # libzmq may share a received message's data with other receivers.
    push, pull = push_pull
    push.send(b"y" * 100)
    frame = pull.recv_frame()
    view = memoryview(frame)
    assert view.readonly
    with pytest.raises(TypeError):
        view[0] = 0
    copy = frame.dup()
    with memoryview(copy) as writable:
        writable[0:1] = b"z"
    assert copy.bytes()[:1] == b"z" and frame.bytes()[:1] == b"y"
    view.release()


def test_writing_after_a_send_never_changes_what_was_sent(push_pull):
    push, pull = push_pull
    frame = Frame(b"A" * 64)
    view = memoryview(frame)
    assert not view.readonly
    push.send_frame(frame, Frame.REUSE)         # sent as a real copy: the view is writable
    view[:] = b"B" * 64
    push.send_frame(frame)
    view[:] = b"C" * 64
    assert pull.recv_bytes() == b"A" * 64
    assert pull.recv_bytes() == b"B" * 64
    view.release()


def test_a_frame_sent_with_reuse_becomes_read_only(push_pull):
    push, pull = push_pull
    frame = Frame(b"A" * 64)
    push.send_frame(frame, Frame.REUSE)         # libzmq now shares its data
    assert memoryview(frame).readonly
    assert pull.recv_bytes() == b"A" * 64


def test_pub_fan_out_can_not_be_corrupted_by_one_subscriber(ctx, inproc):
    publisher = ctx.socket("PUB")
    publisher.bind(inproc)
    subscribers = [ctx.socket("SUB") for _ in range(2)]
    for subscriber in subscribers:
        subscriber.subscribe = b""
        subscriber.connect(inproc)
    while not subscribers[0].poll(10) or not subscribers[1].poll(0):
        publisher.send(b"X" * 64)
    first, second = (subscriber.recv_frame() for subscriber in subscribers)
    with pytest.raises(TypeError):
        memoryview(first)[:] = b"Y" * 64
    assert second.bytes() == b"X" * 64


def test_frames_of_a_message_have_read_only_views():
    message = Message(b"x" * 64)
    with memoryview(message.first()) as view:
        assert view.readonly
