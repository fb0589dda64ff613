"""Message: building, borrowed frames, ownership, send/recv, files."""

import gc

import pytest

from pyczmq import ClosedError, Frame, Message


def test_build_and_read():
    message = Message(b"a", "b", Frame(b"c"))
    message.append(b"d")
    message.push(b"0")
    message.addstr("e")
    message.pushstr("-")
    assert message.tolist() == [b"-", b"0", b"a", b"b", b"c", b"d", b"e"]
    assert len(message) == message.size() == 7
    assert message.content_size() == 7
    assert message.first() == b"-" and message.next() == b"0" and message.last() == b"e"
    assert [frame.bytes() for frame in message] == message.tolist()
    assert message[2] == b"a" and message[-1] == b"e"
    assert "7 frames" in repr(message)


def test_append_takes_the_frame():
    frame = Frame(b"x")
    message = Message()
    message.append(frame)
    with pytest.raises(ClosedError, match="Message"):
        frame.bytes()
    assert message.tolist() == [b"x"]


def test_borrowed_frames_keep_their_message_alive():
    message = Message(b"one", b"two")
    first = message.first()
    del message
    gc.collect()
    assert first.bytes() == b"one" and not first.owned


def test_same_frame_same_object():
    message = Message(b"one", b"two")
    assert message.first() is message.first()
    assert message.last() is message[1]


def test_pop_turns_the_borrowed_frame_into_the_owner():
    message = Message(b"one", b"two")
    view = message.first()
    popped = message.pop()
    assert popped is view and popped.owned
    del message
    gc.collect()
    assert popped.bytes() == b"one"
    assert Message().pop() is None


def test_borrowed_frames_can_not_be_sent_or_appended(push_pull):
    push, pull = push_pull
    message = Message(b"one")
    view = message.first()
    with pytest.raises(ClosedError, match="belongs to a Message"):
        push.send_frame(view)
    with pytest.raises(ClosedError, match="belongs to a Message"):
        Message().append(view)
    with pytest.raises(ClosedError, match="belongs to a Message"):
        view.destroy()
    with pytest.raises(ClosedError, match="belongs to a Message"):
        view.reset(b"x")
    push.send_frame(view, Frame.REUSE)          # a copy is fine
    assert pull.recv_bytes() == b"one"
    assert message.tolist() == [b"one"]


def test_sending_releases_borrowed_frames(push_pull):
    push, pull = push_pull
    message = Message(b"one", b"two")
    view = message.first()
    push.send_msg(message)
    assert pull.recv_multipart() == [b"one", b"two"]
    with pytest.raises(ClosedError, match="sent"):
        message.size()
    with pytest.raises(ClosedError, match="belonged to a Message"):
        view.bytes()


def test_memoryview_of_a_borrowed_frame_survives_send_and_destroy(push_pull):
    push, pull = push_pull
    message = Message(b"A" * 100, b"B" * 100)
    view_a = memoryview(message.first())
    view_b = memoryview(message.last())
    push.send_msg(message)
    assert pull.recv_multipart() == [b"A" * 100, b"B" * 100]
    assert view_a.tobytes() == b"A" * 100
    other = Message(b"C" * 50)
    view_c = memoryview(other.first())
    other.destroy()
    assert view_c.tobytes() == b"C" * 50
    popped = Message(b"D" * 10)
    view_d = memoryview(popped.first())
    assert popped.popstr() == "D" * 10
    gc.collect()
    assert view_d.tobytes() == b"D" * 10
    for view in (view_a, view_b, view_c, view_d):
        view.release()


def test_destroy_releases_borrowed_frames():
    message = Message(b"x")
    view = message.first()
    message.destroy()
    with pytest.raises(ClosedError):
        view.bytes()
    with pytest.raises(ClosedError, match="destroyed"):
        len(message)


def test_popstr_unwrap_wrap_remove():
    message = Message()
    message.wrap(b"address")
    message.append(b"body")
    assert message.tolist() == [b"address", b"", b"body"]
    assert message.unwrap() == b"address"
    assert message.tolist() == [b"body"]
    message.push(b"second")
    view = message.last()
    message.remove(view)
    assert view.owned and view.bytes() == b"body"
    assert message.popstr() == "second"
    assert message.popstr() is None
    message.remove(Frame(b"not in it"))         # not present: nothing happens
    assert len(message) == 0


def test_dup_is_independent():
    message = Message(b"a", b"b")
    copy = message.dup()
    assert copy == message and copy is not message
    copy.pop()
    assert message.tolist() == [b"a", b"b"] and copy.tolist() == [b"b"]


def test_send_and_receive_empty_and_binary_frames(push_pull):
    push, pull = push_pull
    parts = [b"", b"\0\1\2\0", b"", bytes(range(256))]
    push.send_msg(Message(*parts))
    received = pull.recv_msg()
    assert received.tolist() == parts
    assert [frame.more() for frame in received] == [1, 1, 1, 0]


def test_an_empty_message_sends_nothing(push_pull):
    push, pull = push_pull
    message = Message()
    push.send_msg(message)
    with pytest.raises(ClosedError):
        len(message)
    assert pull.recv_msg_nowait() is None


def test_save_and_load(tmp_path):
    path = tmp_path / "message.bin"
    original = Message(b"", b"\0binary\0", "text", b"x" * 70000)
    original.save(path)
    assert Message().load(path) == original
    appended = Message(b"head").load(str(path))
    assert appended.tolist() == [b"head"] + original.tolist()


def test_load_rejects_corrupt_files(tmp_path):
    path = tmp_path / "message.bin"
    Message(b"hello").save(path)
    data = path.read_bytes()
    path.write_bytes(data[:-1])
    with pytest.raises(ValueError, match="runs past the end"):
        Message().load(path)
    path.write_bytes(data + b"\1\2")
    with pytest.raises(ValueError, match="truncated"):
        Message().load(path)
    path.write_bytes(b"\xff" * 8)               # an absurd length
    with pytest.raises(ValueError):
        Message().load(path)
    with pytest.raises(OSError):
        Message().load(tmp_path / "missing")
