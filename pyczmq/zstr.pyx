"""pyczmq.zstr: pyczmq 0.1's string functions over Socket.

Strings go out as UTF-8 and come back as str (bytes that are not UTF-8 are
kept as surrogates); unlike C strings they may contain NUL characters.  The
send functions return 0 or -1 as in pyczmq 0.1.
"""

from pyczmq._core cimport Socket, decode_text, encode_text
from pyczmq._core import Again, ZMQError
from pyczmq.includes.libzmq cimport ZMQ_DONTWAIT as DONTWAIT, ZMQ_SNDMORE as SNDMORE

cdef extern from "Python.h":
    const char *PyUnicode_AsUTF8AndSize(object text, Py_ssize_t *size) except NULL

__all__ = ["recv", "recv_nowait", "recvx", "send", "sendm", "sendx"]

include "_returncodes.pxi"


cdef int _send(Socket sock, object string, int flags) except -2:
    cdef const char *text
    cdef Py_ssize_t size
    if not isinstance(string, str):
        raise TypeError("zstr sends str, not %s" % type(string).__name__)
    try:
        text = PyUnicode_AsUTF8AndSize(string, &size)
    except UnicodeEncodeError:                  # surrogates of bytes received
        string = encode_text(string)
        text, size = <bytes>string, len(<bytes>string)
    try:
        sock.send_buffer(text, size, flags)
    except ZMQError as error:
        return failed(error, -1)
    return 0


def recv(Socket sock not None):
    """Receive one message part as str (blocks); None when the socket's
    rcvtimeo expires (zstr_recv returns NULL)."""
    try:
        return sock.recv_text_c(0)
    except Again:
        return None


def recv_nowait(Socket sock not None):
    """Receive one message part as str, or None if nothing is waiting."""
    return sock.recv_text_c(DONTWAIT)


def send(Socket sock not None, string):
    """Send a str as one message part; returns 0, or -1 on error."""
    return _send(sock, string, 0)


def sendm(Socket sock not None, string):
    """Send a str with the MORE flag (more parts follow); returns 0 or -1."""
    return _send(sock, string, SNDMORE)


def sendx(Socket sock not None, *strings):
    """Send strings as one multipart message (nothing if none are given);
    returns 0, or -1 on error."""
    for string in strings:
        if not isinstance(string, str):
            raise TypeError("zstr sends str, not %s" % type(string).__name__)
    if not strings:
        return 0
    try:
        sock.send_multipart(strings)
    except ZMQError as error:
        return failed(error, -1)
    return 0


def recvx(Socket sock not None):
    """Receive every part of the next message as a list of str, or -1 if the
    message could not be read."""
    try:
        parts = sock.recv_multipart()
    except ZMQError as error:
        return failed(error, -1)
    return [decode_text(part) for part in parts]
