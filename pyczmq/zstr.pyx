"""pyczmq.zstr: the seed's string functions over Socket.

Strings go out as UTF-8 and come back as str (bytes that are not UTF-8 are
kept as surrogates); unlike C strings they may contain NUL characters.  The
send functions return 0 or -1 as in the seed.
"""

from pyczmq._core cimport Socket
from pyczmq._core import ClosedError, ZMQError

cdef int SNDMORE = 2        # ZMQ_SNDMORE

__all__ = ["recv", "recv_nowait", "recvx", "send", "sendm", "sendx"]


cdef int _sent(Socket sock, parts, int flags) except -2:
    try:
        if isinstance(parts, list):
            sock.send_multipart(parts, flags)
        else:
            sock.send(parts, flags)
    except ClosedError:
        raise
    except ZMQError:
        return -1
    return 0


cdef str _text(object string):
    if not isinstance(string, str):
        raise TypeError("zstr sends str, not %s" % type(string).__name__)
    return string


def recv(Socket sock not None):
    """Receive one message part as str."""
    return sock.recv()


def recv_nowait(Socket sock not None):
    """Receive one message part as str, or None if nothing is waiting."""
    return sock.recv_nowait()


def send(Socket sock not None, string):
    """Send a str as one message part; returns 0, or -1 on error."""
    return _sent(sock, _text(string), 0)


def sendm(Socket sock not None, string):
    """Send a str with the MORE flag (more parts follow); returns 0 or -1."""
    return _sent(sock, _text(string), SNDMORE)


def sendx(Socket sock not None, *strings):
    """Send strings as one multipart message (nothing if none are given);
    returns 0, or -1 on error."""
    if not strings:
        return 0
    return _sent(sock, [_text(string) for string in strings], 0)


def recvx(Socket sock not None):
    """Receive every part of the next message as a list of str, or -1 if the
    message could not be read."""
    try:
        parts = sock.recv_multipart()
    except ClosedError:
        raise
    except ZMQError:
        return -1
    return [part.decode("utf-8", "surrogateescape") for part in parts]
