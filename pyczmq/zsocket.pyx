"""pyczmq.zsocket: pyczmq 0.1's zsocket functions over Socket.

As in pyczmq 0.1, bind() returns the port and connect/unbind/disconnect return
0 or -1 instead of raising; using a closed socket still raises ClosedError.
Option setters are also reachable here (``zsocket.set_subscribe(sock, b"")``),
as in the 2013 module; see pyczmq.zsockopt.
"""

from pyczmq._core cimport Socket
from pyczmq._core import DYNFROM, DYNTO, Socket, ZMQError

include "_returncodes.pxi"

__all__ = ["new", "destroy", "bind", "unbind", "connect", "disconnect", "poll",
           "type_str", "DYNFROM", "DYNTO"]


def new(ctx, kind):
    """A new Socket of `kind` (a ZMQ_* constant or a name like "PUSH") in `ctx`."""
    return Socket(ctx, kind)


def destroy(ctx, Socket sock not None):
    """Close the socket (`ctx` is accepted for pyczmq 0.1's signature)."""
    sock.close()


def bind(Socket sock not None, endpoint):
    """Bind; returns the port (0 for non-TCP transports), or -1 on failure.
    ``tcp://host:*`` picks a free port from DYNFROM (49152) to DYNTO (65535)."""
    try:
        return sock.bind(endpoint)
    except ZMQError as error:
        return failed(error, -1)


cdef int _status(method, Socket sock, endpoint) except -2:
    try:
        method(sock, endpoint)
    except ZMQError as error:
        return failed(error, -1)
    return 0


def unbind(Socket sock not None, endpoint):
    """Unbind; returns 0 if OK, -1 if the endpoint was invalid or not bound."""
    return _status(Socket.unbind, sock, endpoint)


def connect(Socket sock not None, endpoint):
    """Connect; returns 0 if OK, -1 if the endpoint was invalid."""
    return _status(Socket.connect, sock, endpoint)


def disconnect(Socket sock not None, endpoint):
    """Disconnect; returns 0 if OK, -1 if the endpoint was invalid or not connected."""
    return _status(Socket.disconnect, sock, endpoint)


def poll(Socket sock not None, msecs):
    """True if input is ready within `msecs` milliseconds."""
    return sock.poll(msecs)


def type_str(Socket sock not None):
    """The socket type as a name, e.g. "PUSH"."""
    return sock.type_str()


def __getattr__(name):
    from pyczmq import zsockopt
    try:
        return getattr(zsockopt, name)
    except AttributeError:
        raise AttributeError("module 'pyczmq.zsocket' has no attribute %r" % name) from None
