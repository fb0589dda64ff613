"""Fidelity: to the 2013 API (its attributes, its receives that return NULL), and
to the text a socket received (it goes out again unchanged)."""

import pytest

import pyczmq
from pyczmq import Frame, Message, zframe, zmq, zmsg, zstr

NOT_UTF8 = b"\xff\xfe caf\xc3\xa9 \x80"     # invalid UTF-8 around valid UTF-8


# -- text round trips both ways ---------------------------------------------------------


def test_received_text_goes_out_unchanged(pair):
    """recv() keeps bytes that are not UTF-8 as surrogates; send() of that str, zstr.send,
    zstr.sendx, send_multipart, zmq.send, Frame and Message send those bytes again."""
    a, b = pair
    a.send(NOT_UTF8)
    text = b.recv()
    assert text.encode("utf-8", "surrogateescape") == NOT_UTF8
    senders = [
        lambda: b.send(text),
        lambda: zstr.send(b, text),
        lambda: zstr.sendx(b, text, text),
        lambda: b.send_multipart([text]),
        lambda: zmq.send(b, text),
        lambda: b.send_frame(Frame(text)),
        lambda: b.send_msg(Message(text)),
    ]
    for send in senders:
        send()
        assert a.recv_multipart()[0] == NOT_UTF8
    assert a.recv_nowait() is None              # nothing left over


def test_frames_compare_with_the_text_they_hold():
    frame = Frame(NOT_UTF8)
    text = frame.strdup()
    assert frame == text and frame.streq(text) and zframe.streq(frame, text)
    assert frame == NOT_UTF8 and not frame == text + "x"
    assert Frame(b"\xff") == Frame(b"\xff").strdup()
    assert Frame("caf\u00e9") == "caf\u00e9" and Frame("caf\u00e9").bytes() == b"caf\xc3\xa9"


def test_message_text_round_trips():
    message = Message()
    message.addstr(Frame(NOT_UTF8).strdup())
    message.pushstr("\udcff")
    assert message.tolist() == [b"\xff", NOT_UTF8]
    assert message.popstr() == "\udcff"


def test_text_that_no_bytes_stand_for_is_refused(pair):
    """A lone surrogate that is not one of received bytes (\\ud800) has no encoding: a
    clear UnicodeEncodeError, and nothing is sent."""
    a, b = pair
    for send in (lambda: a.send("\ud800"), lambda: zstr.send(a, "\ud800"),
                 lambda: a.send_multipart(["ok", "\ud800"]), lambda: Frame("\ud800")):
        with pytest.raises(UnicodeEncodeError):
            send()
    assert b.recv_nowait() is None


# -- the 2013 API's attributes -----------------------------------------------------------


def test_frame_message_and_socket_have_the_2013_attributes(ctx):
    frame = Frame(b"x")
    assert isinstance(frame.frame, int) and frame.frame != 0
    message = Message(b"a", b"b")
    assert isinstance(message.msg, int) and message.msg != 0
    sock = ctx.socket("PAIR")
    assert sock.sock == sock.underlying != 0
    assert sock.ctx is ctx
    sock.bind("inproc://attributes")
    peer = ctx.socket("PAIR")
    peer.connect("inproc://attributes")
    sock.send_frame(frame)
    sock.send_msg(message)
    sock.close()
    for gone in (lambda: frame.frame, lambda: message.msg, lambda: sock.sock):
        with pytest.raises(pyczmq.ClosedError):
            gone()
    assert peer.recv_frame().bytes() == b"x"


def test_borrowed_frames_show_the_address_inside_their_message():
    message = Message(b"a")
    assert message.first().frame == message.first().frame != 0


# -- the functional receives return None when rcvtimeo expires ----------------------------


@pytest.mark.parametrize("receive", [zstr.recv, zframe.recv, zmsg.recv])
def test_functional_receives_return_none_when_rcvtimeo_expires(pair, receive):
    """As zstr_recv, zframe_recv and zmsg_recv return NULL; the object layer raises Again."""
    a, b = pair
    b.rcvtimeo = 20
    assert receive(b) is None
    with pytest.raises(pyczmq.Again):
        b.recv()
    a.send(b"after")
    result = receive(b)
    if receive is zstr.recv:
        assert result == "after"
    elif receive is zframe.recv:
        assert result.bytes() == b"after"
    else:
        assert result.tolist() == [b"after"]


def test_functional_receives_still_raise_on_a_closed_socket(pair):
    a, b = pair
    b.close()
    for receive in (zstr.recv, zframe.recv, zmsg.recv):
        with pytest.raises(pyczmq.ClosedError):
            receive(b)


# -- pollitems ------------------------------------------------------------------------------


def test_a_pollitem_without_socket_or_fd_is_refused():
    """It used to poll fd 0 (stdin) silently."""
    with pytest.raises(ValueError):
        zmq.pollitem(socket=None, events=zmq.POLLIN)
    with pytest.raises(ValueError):
        zmq.pollitem()
    assert zmq.pollitem(fd=0, events=zmq.POLLIN).fd == 0     # stdin, when asked for


def test_moving_or_copying_a_msg_into_itself_keeps_its_data():
    """libzmq closes the destination first: zmq_msg_move(m, m) emptied m (found by the
    stateful fuzzer)."""
    msg = zmq.msg_init_size(None, 5)
    memoryview(msg)[:] = b"hello"
    assert zmq.msg_move(msg, msg) == 0 and msg.bytes() == b"hello"
    assert zmq.msg_copy(msg, msg) == 0 and msg.bytes() == b"hello"
