# The one translator from C results to Python exceptions.

class ZMQError(OSError):
    """An error from libzmq or CZMQ: ``errno`` is the error number, ``strerror``
    libzmq's text, prefixed by what was being done."""

    def __init__(self, errno=None, message=None):
        if errno is None:
            errno = zmq_errno()
        text = zmq_strerror(errno).decode("utf-8", "replace")
        if message:
            text = "%s: %s" % (message, text)
        OSError.__init__(self, errno, text)


class Again(ZMQError):
    """EAGAIN: nothing to receive (or no room to send) without blocking, or a
    ``rcvtimeo``/``sndtimeo`` expired."""


class ContextTerminated(ZMQError):
    """ETERM: the context was destroyed while the call waited."""


class ClosedError(ZMQError, ValueError):
    """The object was closed, sent, destroyed or handed to another owner, so it
    can no longer be used; the message says which."""

    def __init__(self, message, errno=EINVAL):
        OSError.__init__(self, errno, message)


cdef int _raise_zmq(int err, str what) except -1:
    """Raise the exception for libzmq error number `err` (what: the action)."""
    if err == EAGAIN:
        raise Again(err, what)
    if err == ETERM:
        raise ContextTerminated(err, what)
    raise ZMQError(err, what)


cdef inline int _raise_last(str what) except -1:
    return _raise_zmq(zmq_errno(), what)
