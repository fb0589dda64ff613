"""pyczmq.zmsg: pyczmq 0.1's zmsg functions over Message.

The functions pyczmq 0.1 documents as returning 0/-1 still do; a sent or
destroyed message raises ClosedError.
"""

from pyczmq._core cimport Frame, Message, Socket
from pyczmq.includes.libzmq cimport ZMQ_DONTWAIT
from pyczmq._core import Again, Message, ZMQError

include "_returncodes.pxi"

__all__ = ["new", "destroy", "recv", "send", "size", "content_size", "append", "push",
           "pop", "addstr", "pushstr", "popstr", "first", "next", "last", "remove",
           "dup", "save", "load", "wrap", "unwrap"]


def new():
    """A new, empty Message."""
    return Message()


def destroy(Message msg not None):
    """Free the message and its frames now."""
    msg.destroy()


def recv(Socket sock not None):
    """Receive the next multipart message as a Message (blocks); None when the
    socket's rcvtimeo expires (zmsg_recv returns NULL)."""
    try:
        return sock.recv_message_c(0)
    except Again:
        return None


def send(Message msg, Socket sock not None):
    """Send the message (consumed on success); returns 0, or -1 on error.
    Sending None does nothing and returns 0, as in pyczmq 0.1."""
    if msg is None:
        return 0
    try:
        sock.send_message_c(msg)
    except ZMQError as error:
        return failed(error, -1)
    return 0


def size(Message msg not None):
    """Number of frames."""
    return msg.size()


def content_size(Message msg not None):
    """Total bytes in all frames."""
    return msg.content_size()


def append(Message msg not None, frame):
    """Add a frame (taken over) or data at the end; returns 0."""
    msg.append(frame)
    return 0


def push(Message msg not None, frame):
    """Add a frame (taken over) or data at the front; returns 0."""
    msg.push(frame)
    return 0


def pop(Message msg not None):
    """Remove and return the first Frame, or None."""
    return msg.pop()


def addstr(Message msg not None, string):
    """Add a str at the end; returns 0."""
    msg.addstr(string)
    return 0


def pushstr(Message msg not None, string):
    """Add a str at the front; returns 0."""
    msg.pushstr(string)
    return 0


def popstr(Message msg not None):
    """Remove the first frame and return it as str, or None."""
    return msg.popstr()


def first(Message msg not None):
    """The first frame (borrowed), or None."""
    return msg.first()


def next(Message msg not None):
    """The next frame after the cursor (borrowed), or None."""
    return msg.next()


def last(Message msg not None):
    """The last frame (borrowed), or None."""
    return msg.last()


def remove(Message msg not None, Frame frame not None):
    """Take `frame` out of the message (if it is there); the caller owns it."""
    msg.remove(frame)


def dup(Message msg not None):
    """A copy of the message."""
    return msg.dup()


def save(Message msg not None, filename):
    """Save the message to a file; returns 0, or -1 on error."""
    try:
        msg.save(filename)
    except OSError as error:
        return failed(error, -1)
    return 0


def load(Message msg, filename):
    """Append the frames saved in a file to `msg` (a new Message if None) and
    return it, or None if the file could not be read."""
    target = Message() if msg is None else msg
    try:
        return target.load(filename)
    except (OSError, ValueError) as error:
        return failed(error, None)


def wrap(Message msg not None, frame):
    """Push `frame` plus an empty delimiter frame at the front."""
    msg.wrap(frame)


def unwrap(Message msg not None):
    """Pop the first frame; if the next one is empty, drop it too."""
    return msg.unwrap()
