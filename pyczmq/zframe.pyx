"""pyczmq.zframe: pyczmq 0.1's zframe functions over Frame.

``send`` returns 0 or -1 and ``recv_nowait`` returns None when nothing waits,
as in pyczmq 0.1; a sent, moved or destroyed frame raises ClosedError.
"""

from pyczmq._core cimport Frame, Socket, new_frame
from pyczmq.includes.libzmq cimport ZMQ_DONTWAIT
from pyczmq._core import Again, Frame, ZMQError

include "_returncodes.pxi"

MORE = Frame.MORE
REUSE = Frame.REUSE
DONTWAIT = Frame.DONTWAIT

__all__ = ["MORE", "REUSE", "DONTWAIT", "new", "new_empty", "destroy", "data", "size",
           "dup", "eq", "more", "set_more", "reset", "strdup", "streq", "strhex",
           "send", "recv", "recv_nowait"]


def new(data=None):
    """A new Frame holding a copy of `data` (str, bytes or a buffer; None: empty)."""
    return new_frame(data)


def new_empty():
    """A new, empty Frame."""
    return new_frame(None)


def destroy(Frame frame not None):
    """Free the frame now."""
    frame.destroy()


def data(Frame frame not None):
    """A writable, zero-copy memoryview of the frame's data."""
    return memoryview(frame)


def size(Frame frame not None):
    """Number of bytes in the frame."""
    return frame.size()


def dup(Frame frame not None):
    """A new Frame with a copy of the data."""
    return frame.dup()


def eq(frame, other):
    """True if both frames hold the same data (False if either is None)."""
    if frame is None or other is None:
        return False
    return (<Frame?>frame).eq(other)


def more(Frame frame not None):
    """The MORE indicator (1 or 0) set when the frame was received."""
    return frame.more()


def set_more(Frame frame not None, more):
    """Set the MORE indicator (not used when sending: pass MORE)."""
    frame.set_more(more)


def reset(Frame frame not None, data):
    """Replace the frame's data with a copy of `data`."""
    frame.reset(data)


def strdup(Frame frame not None):
    """The data as str."""
    return frame.strdup()


def streq(Frame frame not None, string):
    """True if the data equals `string`."""
    return frame.streq(string)


def strhex(Frame frame not None):
    """The data as upper-case hexadecimal text."""
    return frame.strhex()


def send(Frame frame not None, Socket sock not None, int flags=0):
    """Send the frame; it is consumed unless `flags` has REUSE.  Returns 0, or
    -1 on error (the frame is then kept)."""
    try:
        sock.send_frame_c(frame, flags)
    except ZMQError as error:
        return failed(error, -1)
    return 0


def recv(Socket sock not None):
    """Receive one message part as a Frame (blocks); None when the socket's
    rcvtimeo expires (zframe_recv returns NULL)."""
    try:
        return sock.recv_frame_c(0)
    except Again:
        return None


def recv_nowait(Socket sock not None):
    """Receive one message part as a Frame, or None if nothing is waiting."""
    return sock.recv_frame_c(ZMQ_DONTWAIT)
