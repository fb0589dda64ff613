"""pyczmq: a Cython, object-oriented binding to CZMQ 4, the high-level C
binding for ZeroMQ.

Two layers over one owner per C pointer: the object layer (Context, Socket,
Frame, Message, Loop, Poller, Cert, CertStore, Auth, Beacon, importable from
here and from pyczmq.types) and pyczmq 0.1's functional modules (pyczmq.zctx,
zsocket, zsockopt, zstr, zframe, zmsg, zloop, zpoller, zcert, zcertstore,
zauth, zbeacon, zmq).
Other Cython code can ``cimport pyczmq``; see get_include().
"""

import os as _os

from pyczmq._core import (
    SOCKET_OPTIONS,
    SOCKET_TYPE_NAMES,
    Again,
    Auth,
    Beacon,
    Cert,
    CertStore,
    ClosedError,
    Context,
    ContextTerminated,
    Frame,
    Loop,
    Message,
    Poller,
    Socket,
    Ticket,
    Tracker,
    SocketOption,
    ZMQError,
    czmq_version,
    zero_copy_in_flight,
    live_objects,
)
from pyczmq._core import libzmq_version as zmq_version
from pyczmq.zmq import (
    DEALER, DONTWAIT, PAIR, PUB, PULL, PUSH, REP, REQ, ROUTER, SNDMORE, STREAM, SUB, XPUB, XSUB,
)

from pyczmq._version import __version__

__all__ = [
    "Context", "Socket", "Frame", "Message", "Loop", "Ticket", "Poller", "Cert", "CertStore",
    "Auth", "Beacon", "SocketOption", "Tracker", "zero_copy_in_flight",
    "ZMQError", "Again", "ContextTerminated", "ClosedError",
    "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB",
    "STREAM", "SNDMORE", "DONTWAIT", "SOCKET_OPTIONS", "SOCKET_TYPE_NAMES",
    "czmq_version", "zmq_version", "get_include", "live_objects",
]


def get_include():
    """The folders a downstream extension that does ``cimport pyczmq`` needs:
    pass them as Cython's ``include_path`` and the C compiler's
    ``include_dirs`` (pyczmq's .pxd files, and CZMQ's and libzmq's headers)."""
    from pyczmq._build_config import INCLUDE_DIRS
    package_parent = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    return [package_parent] + [folder for folder in INCLUDE_DIRS if folder != package_parent]

