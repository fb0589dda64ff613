"""pyczmq.zmq: libzmq itself -- its functions, as pyczmq 0.1 lists them, and
its constants.

Contexts and sockets are pyczmq's own objects: ``ctx_new()`` makes a Context
that owns a libzmq context of its own, ``socket(ctx, type)`` a Socket in it
(a CZMQ Context works too), so raw and CZMQ sockets poll together and keep
every safety of pyczmq.  Data goes in and out as Python buffers; a message
(``zmq_msg_t``) is a Msg owned by Python.  Functions return what libzmq
returns on success and raise ZMQError on failure (``errno()`` is libzmq's
errno of this thread); the blocking ones (recv, msg_recv, poll, proxy,
ctx_term) release the GIL.  Constants drop the ``ZMQ_`` prefix:
``pyczmq.zmq.PUSH``, ``SNDMORE``, ``POLLIN``; ``types`` maps socket type names
to numbers.
"""

import errno as _errno
import os as _os
import struct as _struct
import time as _time
import weakref as _weakref

from cpython.buffer cimport (PyBUF_C_CONTIGUOUS, PyBUF_SIMPLE, PyBUF_WRITABLE, PyBuffer_Release,
                             PyObject_GetBuffer)
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t
from libc.string cimport memcpy

from pyczmq.includes cimport libzmq as C
from pyczmq.includes.monitor cimport pyczmq_monitor_start, pyczmq_monitors_running
from pyczmq._core cimport Context, Msg, Socket, encode_text, new_own_context

from pyczmq._core import (SOCKET_OPTIONS, ZMQError, Again, ContextTerminated, Pollitem,
                          poll_items, proxy as _proxy)
from pyczmq import _core

# (Msg and Socket are cimported above, which hides the Python names.)
globals()["Msg"] = _core.Msg
globals()["Socket"] = _core.Socket

cdef int _SEND_FLAGS = C.ZMQ_SNDMORE | C.ZMQ_DONTWAIT


cdef int _check_flags(int flags, int allowed, str what) except -1:
    if flags & ~allowed:
        raise ValueError("%s flags must be a combination of %s, not %d"
                         % (what, "SNDMORE and DONTWAIT" if allowed == _SEND_FLAGS else "DONTWAIT",
                            flags))
    return 0


cdef Py_ssize_t _length(object length, Py_ssize_t available, str what) except -1:
    """A C length argument: an int from 0 to `available` (None: all of it)."""
    if length is None:
        return available
    if not isinstance(length, int):
        raise TypeError("%s must be an int, not %s" % (what, type(length).__name__))
    if not 0 <= length <= available:
        raise ValueError("%s must be from 0 to %d here, not %d" % (what, available, length))
    return length

VERSION_MAJOR = C.ZMQ_VERSION_MAJOR
VERSION_MINOR = C.ZMQ_VERSION_MINOR
VERSION_PATCH = C.ZMQ_VERSION_PATCH
VERSION = C.ZMQ_VERSION
EFSM = C.EFSM
ENOCOMPATPROTO = C.ENOCOMPATPROTO
ETERM = C.ETERM
EMTHREAD = C.EMTHREAD
IO_THREADS = C.ZMQ_IO_THREADS
MAX_SOCKETS = C.ZMQ_MAX_SOCKETS
SOCKET_LIMIT = C.ZMQ_SOCKET_LIMIT
THREAD_PRIORITY = C.ZMQ_THREAD_PRIORITY
THREAD_SCHED_POLICY = C.ZMQ_THREAD_SCHED_POLICY
MAX_MSGSZ = C.ZMQ_MAX_MSGSZ
MSG_T_SIZE = C.ZMQ_MSG_T_SIZE
THREAD_AFFINITY_CPU_ADD = C.ZMQ_THREAD_AFFINITY_CPU_ADD
THREAD_AFFINITY_CPU_REMOVE = C.ZMQ_THREAD_AFFINITY_CPU_REMOVE
THREAD_NAME_PREFIX = C.ZMQ_THREAD_NAME_PREFIX
IO_THREADS_DFLT = C.ZMQ_IO_THREADS_DFLT
MAX_SOCKETS_DFLT = C.ZMQ_MAX_SOCKETS_DFLT
THREAD_PRIORITY_DFLT = C.ZMQ_THREAD_PRIORITY_DFLT
THREAD_SCHED_POLICY_DFLT = C.ZMQ_THREAD_SCHED_POLICY_DFLT
BLOCKY = C.ZMQ_BLOCKY
PAIR = C.ZMQ_PAIR
PUB = C.ZMQ_PUB
SUB = C.ZMQ_SUB
REQ = C.ZMQ_REQ
REP = C.ZMQ_REP
DEALER = C.ZMQ_DEALER
ROUTER = C.ZMQ_ROUTER
PULL = C.ZMQ_PULL
PUSH = C.ZMQ_PUSH
XPUB = C.ZMQ_XPUB
XSUB = C.ZMQ_XSUB
STREAM = C.ZMQ_STREAM
XREQ = C.ZMQ_XREQ
XREP = C.ZMQ_XREP
AFFINITY = C.ZMQ_AFFINITY
ROUTING_ID = C.ZMQ_ROUTING_ID
IDENTITY = C.ZMQ_IDENTITY
SUBSCRIBE = C.ZMQ_SUBSCRIBE
UNSUBSCRIBE = C.ZMQ_UNSUBSCRIBE
RATE = C.ZMQ_RATE
RECOVERY_IVL = C.ZMQ_RECOVERY_IVL
SNDBUF = C.ZMQ_SNDBUF
RCVBUF = C.ZMQ_RCVBUF
RCVMORE = C.ZMQ_RCVMORE
FD = C.ZMQ_FD
EVENTS = C.ZMQ_EVENTS
TYPE = C.ZMQ_TYPE
LINGER = C.ZMQ_LINGER
RECONNECT_IVL = C.ZMQ_RECONNECT_IVL
BACKLOG = C.ZMQ_BACKLOG
RECONNECT_IVL_MAX = C.ZMQ_RECONNECT_IVL_MAX
MAXMSGSIZE = C.ZMQ_MAXMSGSIZE
SNDHWM = C.ZMQ_SNDHWM
RCVHWM = C.ZMQ_RCVHWM
MULTICAST_HOPS = C.ZMQ_MULTICAST_HOPS
RCVTIMEO = C.ZMQ_RCVTIMEO
SNDTIMEO = C.ZMQ_SNDTIMEO
LAST_ENDPOINT = C.ZMQ_LAST_ENDPOINT
ROUTER_MANDATORY = C.ZMQ_ROUTER_MANDATORY
TCP_KEEPALIVE = C.ZMQ_TCP_KEEPALIVE
TCP_KEEPALIVE_CNT = C.ZMQ_TCP_KEEPALIVE_CNT
TCP_KEEPALIVE_IDLE = C.ZMQ_TCP_KEEPALIVE_IDLE
TCP_KEEPALIVE_INTVL = C.ZMQ_TCP_KEEPALIVE_INTVL
IMMEDIATE = C.ZMQ_IMMEDIATE
XPUB_VERBOSE = C.ZMQ_XPUB_VERBOSE
ROUTER_RAW = C.ZMQ_ROUTER_RAW
IPV6 = C.ZMQ_IPV6
MECHANISM = C.ZMQ_MECHANISM
PLAIN_SERVER = C.ZMQ_PLAIN_SERVER
PLAIN_USERNAME = C.ZMQ_PLAIN_USERNAME
PLAIN_PASSWORD = C.ZMQ_PLAIN_PASSWORD
CURVE_SERVER = C.ZMQ_CURVE_SERVER
CURVE_PUBLICKEY = C.ZMQ_CURVE_PUBLICKEY
CURVE_SECRETKEY = C.ZMQ_CURVE_SECRETKEY
CURVE_SERVERKEY = C.ZMQ_CURVE_SERVERKEY
PROBE_ROUTER = C.ZMQ_PROBE_ROUTER
REQ_CORRELATE = C.ZMQ_REQ_CORRELATE
REQ_RELAXED = C.ZMQ_REQ_RELAXED
CONFLATE = C.ZMQ_CONFLATE
ZAP_DOMAIN = C.ZMQ_ZAP_DOMAIN
ROUTER_HANDOVER = C.ZMQ_ROUTER_HANDOVER
TOS = C.ZMQ_TOS
CONNECT_ROUTING_ID = C.ZMQ_CONNECT_ROUTING_ID
CONNECT_RID = C.ZMQ_CONNECT_RID
GSSAPI_SERVER = C.ZMQ_GSSAPI_SERVER
GSSAPI_PRINCIPAL = C.ZMQ_GSSAPI_PRINCIPAL
GSSAPI_SERVICE_PRINCIPAL = C.ZMQ_GSSAPI_SERVICE_PRINCIPAL
GSSAPI_PLAINTEXT = C.ZMQ_GSSAPI_PLAINTEXT
HANDSHAKE_IVL = C.ZMQ_HANDSHAKE_IVL
SOCKS_PROXY = C.ZMQ_SOCKS_PROXY
XPUB_NODROP = C.ZMQ_XPUB_NODROP
XPUB_MANUAL = C.ZMQ_XPUB_MANUAL
XPUB_WELCOME_MSG = C.ZMQ_XPUB_WELCOME_MSG
STREAM_NOTIFY = C.ZMQ_STREAM_NOTIFY
INVERT_MATCHING = C.ZMQ_INVERT_MATCHING
HEARTBEAT_IVL = C.ZMQ_HEARTBEAT_IVL
HEARTBEAT_TTL = C.ZMQ_HEARTBEAT_TTL
HEARTBEAT_TIMEOUT = C.ZMQ_HEARTBEAT_TIMEOUT
XPUB_VERBOSER = C.ZMQ_XPUB_VERBOSER
CONNECT_TIMEOUT = C.ZMQ_CONNECT_TIMEOUT
TCP_MAXRT = C.ZMQ_TCP_MAXRT
THREAD_SAFE = C.ZMQ_THREAD_SAFE
MULTICAST_MAXTPDU = C.ZMQ_MULTICAST_MAXTPDU
VMCI_BUFFER_SIZE = C.ZMQ_VMCI_BUFFER_SIZE
VMCI_BUFFER_MIN_SIZE = C.ZMQ_VMCI_BUFFER_MIN_SIZE
VMCI_BUFFER_MAX_SIZE = C.ZMQ_VMCI_BUFFER_MAX_SIZE
VMCI_CONNECT_TIMEOUT = C.ZMQ_VMCI_CONNECT_TIMEOUT
USE_FD = C.ZMQ_USE_FD
GSSAPI_PRINCIPAL_NAMETYPE = C.ZMQ_GSSAPI_PRINCIPAL_NAMETYPE
GSSAPI_SERVICE_PRINCIPAL_NAMETYPE = C.ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE
BINDTODEVICE = C.ZMQ_BINDTODEVICE
TCP_ACCEPT_FILTER = C.ZMQ_TCP_ACCEPT_FILTER
IPC_FILTER_PID = C.ZMQ_IPC_FILTER_PID
IPC_FILTER_UID = C.ZMQ_IPC_FILTER_UID
IPC_FILTER_GID = C.ZMQ_IPC_FILTER_GID
IPV4ONLY = C.ZMQ_IPV4ONLY
DELAY_ATTACH_ON_CONNECT = C.ZMQ_DELAY_ATTACH_ON_CONNECT
MORE = C.ZMQ_MORE
SHARED = C.ZMQ_SHARED
SRCFD = C.ZMQ_SRCFD
DONTWAIT = C.ZMQ_DONTWAIT
SNDMORE = C.ZMQ_SNDMORE
NOBLOCK = C.ZMQ_NOBLOCK
globals()["NULL"] = C.ZMQ_NULL     # a Cython keyword, so set by name
PLAIN = C.ZMQ_PLAIN
CURVE = C.ZMQ_CURVE
GSSAPI = C.ZMQ_GSSAPI
GSSAPI_NT_HOSTBASED = C.ZMQ_GSSAPI_NT_HOSTBASED
GSSAPI_NT_USER_NAME = C.ZMQ_GSSAPI_NT_USER_NAME
GSSAPI_NT_KRB5_PRINCIPAL = C.ZMQ_GSSAPI_NT_KRB5_PRINCIPAL
EVENT_CONNECTED = C.ZMQ_EVENT_CONNECTED
EVENT_CONNECT_DELAYED = C.ZMQ_EVENT_CONNECT_DELAYED
EVENT_CONNECT_RETRIED = C.ZMQ_EVENT_CONNECT_RETRIED
EVENT_LISTENING = C.ZMQ_EVENT_LISTENING
EVENT_BIND_FAILED = C.ZMQ_EVENT_BIND_FAILED
EVENT_ACCEPTED = C.ZMQ_EVENT_ACCEPTED
EVENT_ACCEPT_FAILED = C.ZMQ_EVENT_ACCEPT_FAILED
EVENT_CLOSED = C.ZMQ_EVENT_CLOSED
EVENT_CLOSE_FAILED = C.ZMQ_EVENT_CLOSE_FAILED
EVENT_DISCONNECTED = C.ZMQ_EVENT_DISCONNECTED
EVENT_MONITOR_STOPPED = C.ZMQ_EVENT_MONITOR_STOPPED
EVENT_ALL = C.ZMQ_EVENT_ALL
EVENT_HANDSHAKE_FAILED_NO_DETAIL = C.ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
EVENT_HANDSHAKE_SUCCEEDED = C.ZMQ_EVENT_HANDSHAKE_SUCCEEDED
EVENT_HANDSHAKE_FAILED_PROTOCOL = C.ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
EVENT_HANDSHAKE_FAILED_AUTH = C.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
POLLIN = C.ZMQ_POLLIN
POLLOUT = C.ZMQ_POLLOUT
POLLERR = C.ZMQ_POLLERR
POLLPRI = C.ZMQ_POLLPRI
POLLITEMS_DFLT = C.ZMQ_POLLITEMS_DFLT
STREAMER = C.ZMQ_STREAMER
FORWARDER = C.ZMQ_FORWARDER
QUEUE = C.ZMQ_QUEUE

FAIL_UNROUTABLE = C.ZMQ_FAIL_UNROUTABLE
ROUTER_BEHAVIOR = C.ZMQ_ROUTER_BEHAVIOR
PROTOCOL_ERROR_ZMTP_UNSPECIFIED = C.ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED
PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND = C.ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE = C.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE
PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE = C.ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY
PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME = C.ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME
PROTOCOL_ERROR_ZMTP_INVALID_METADATA = C.ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA
PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = C.ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH = C.ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
PROTOCOL_ERROR_ZAP_UNSPECIFIED = C.ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED
PROTOCOL_ERROR_ZAP_MALFORMED_REPLY = C.ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY
PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID = C.ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID
PROTOCOL_ERROR_ZAP_BAD_VERSION = C.ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION
PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE = C.ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE
PROTOCOL_ERROR_ZAP_INVALID_METADATA = C.ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA
PROTOCOL_ERROR_WS_UNSPECIFIED = C.ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED

# Error numbers (errno.h, plus libzmq's own above)
EAGAIN = _errno.EAGAIN
EINTR = _errno.EINTR
EINVAL = _errno.EINVAL
EFAULT = _errno.EFAULT
ENOMEM = _errno.ENOMEM
ENODEV = _errno.ENODEV
ENOTSUP = _errno.ENOTSUP
EPROTONOSUPPORT = _errno.EPROTONOSUPPORT
ENOBUFS = _errno.ENOBUFS
ENETDOWN = _errno.ENETDOWN
EADDRINUSE = _errno.EADDRINUSE
EADDRNOTAVAIL = _errno.EADDRNOTAVAIL
ECONNREFUSED = _errno.ECONNREFUSED
EINPROGRESS = _errno.EINPROGRESS
ENOTSOCK = _errno.ENOTSOCK
EMSGSIZE = _errno.EMSGSIZE
EAFNOSUPPORT = _errno.EAFNOSUPPORT
ENETUNREACH = _errno.ENETUNREACH
ECONNABORTED = _errno.ECONNABORTED
ECONNRESET = _errno.ECONNRESET
ENOTCONN = _errno.ENOTCONN
ETIMEDOUT = _errno.ETIMEDOUT
EHOSTUNREACH = _errno.EHOSTUNREACH
ENETRESET = _errno.ENETRESET
EMFILE = _errno.EMFILE

# Socket type names, as pyczmq 0.1's Context.socket("PUSH") looks them up
types = {name: number for number, name in enumerate(
    ("PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"))}


# -- contexts ------------------------------------------------------------------

def ctx_new():
    """A Context owning a new libzmq context (zmq_ctx_new)."""
    return new_own_context()


def ctx_term(Context ctx not None):
    """Terminate an own context: calls blocked on its sockets raise
    ContextTerminated; returns once every socket of it is closed."""
    ctx.term_c()
    return 0


def ctx_shutdown(Context ctx not None):
    """Make calls blocked on an own context's sockets raise ContextTerminated."""
    ctx.shutdown_c()
    return 0


def ctx_get(Context ctx not None, int option):
    """A context option (IO_THREADS, MAX_SOCKETS, ...)."""
    return ctx.get_option_c(option)


def ctx_set(Context ctx not None, int option, int value):
    """Set a context option.  Those libzmq reads when the context starts its
    threads (IO_THREADS, MAX_SOCKETS, THREAD_*) only before its first socket.
    Values libzmq 4.3.4 accepts but can not use (it would abort the process in
    its I/O threads) are refused: MAX_SOCKETS above SOCKET_LIMIT, a scheduling
    policy, priority or CPU set that a new thread can not take."""
    ctx.set_option_c(option, value)
    return 0


# -- sockets ----------------------------------------------------------------------

def socket(Context ctx not None, kind):
    """A Socket of `kind` (a constant or a name) in the context."""
    return Socket(ctx, kind)


def close(Socket sock not None):
    """Close the socket."""
    sock.close()
    return 0


def bind(Socket sock not None, addr):
    """Bind (CZMQ's tcp://host:* ephemeral ports work too)."""
    sock.bind(addr)
    return 0


def unbind(Socket sock not None, addr):
    """Stop accepting connections on `addr` (zmq_unbind); returns 0."""
    sock.unbind(addr)
    return 0


def connect(Socket sock not None, addr):
    """Connect to the endpoint `addr` (zmq_connect); returns 0."""
    sock.connect(addr)
    return 0


def disconnect(Socket sock not None, addr):
    """Disconnect from the endpoint `addr` (zmq_disconnect); returns 0."""
    sock.disconnect(addr)
    return 0


def send(Socket sock not None, buf, len=None, int flags=0):
    """Send `buf` (or its first `len` bytes) as one part; returns the size."""
    cdef Py_buffer view
    cdef Py_ssize_t size
    _check_flags(flags, _SEND_FLAGS, "send")
    if isinstance(buf, str):
        buf = encode_text(buf)
    PyObject_GetBuffer(buf, &view, PyBUF_SIMPLE)
    try:
        size = _length(len, view.len, "len")
        sock.send_buffer(view.buf, size, flags)
    finally:
        PyBuffer_Release(&view)
    return size


def recv(Socket sock not None, buf=None, len=None, int flags=0):
    """Receive one part.  Without `buf`, return it as bytes.  With a writable
    `buf`, copy at most `len` bytes into it and return the part's full size
    (larger than `len` when truncated, as zmq_recv does)."""
    cdef Py_buffer view
    cdef Py_ssize_t size, room
    cdef C.zmq_msg_t msg
    _check_flags(flags, C.ZMQ_DONTWAIT, "recv")
    if buf is None:
        data = sock.recv_bytes_c(flags)
        if data is None:
            raise Again(_errno.EAGAIN, "recv: nothing to receive")
        return data
    # The buffer is checked before a message is taken off the socket.
    PyObject_GetBuffer(buf, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS)
    try:
        room = _length(len, view.len, "len")
        C.zmq_msg_init(&msg)
        try:
            if not sock.recv_zmq_msg_c(&msg, flags):
                raise Again(_errno.EAGAIN, "recv: nothing to receive")
            size = C.zmq_msg_size(&msg)
            memcpy(view.buf, C.zmq_msg_data(&msg), min(size, room))
        finally:
            C.zmq_msg_close(&msg)
    finally:
        PyBuffer_Release(&view)
    return size


# Option number -> its SocketOption (the first name of an option with aliases).
_READABLE_OPTIONS, _WRITABLE_OPTIONS = {}, {}
for _entry in SOCKET_OPTIONS.values():
    if _entry.readable:
        _READABLE_OPTIONS.setdefault(_entry.option, _entry)
    if _entry.writable:
        _WRITABLE_OPTIONS.setdefault(_entry.option, _entry)
del _entry


def getsockopt(Socket sock not None, int option, val=None, len=None):
    """A socket option by number (the value; `val` and `len` are pyczmq 0.1's C
    arguments and are ignored)."""
    entry = _READABLE_OPTIONS.get(option)
    if entry is None:
        raise ZMQError(_errno.EINVAL, "getsockopt: option %d can not be read" % option)
    return entry.__get__(sock, None)


def setsockopt(Socket sock not None, int option, val, len=None):
    """Set a socket option by number (`val` up to `len` bytes for binary options)."""
    if len is not None and not isinstance(val, int):
        data = encode_text(val) if isinstance(val, str) else bytes(val)
        val = data[:_length(len, PyBytes_GET_SIZE(data), "len")]
    entry = _WRITABLE_OPTIONS.get(option)
    if entry is None:
        raise ZMQError(_errno.EINVAL, "setsockopt: option %d can not be set" % option)
    entry.__set__(sock, val)
    return 0


# -- socket monitors -------------------------------------------------------------
#
# libzmq 4.3.4 sends monitor events with a blocking send: with no reader
# connected yet (or one that does not read), the monitored socket's next
# bind() and the I/O threads raising events wait forever.  So libzmq's monitor
# gets a private endpoint, whose reader has no high-water mark, and a thread
# forwards the events to a PAIR bound at the endpoint asked for
# (include/pyczmq_monitor.h), keeping them while nobody reads there.

cdef extern from "<poll.h>" nogil:
    struct pollfd:
        int fd
        short events
        short revents
    enum: POLLIN
    int c_poll "poll"(pollfd *fds, unsigned long count, int timeout)

cdef extern from "<unistd.h>" nogil:
    int c_close "close"(int fd)
    int getpid()

cdef extern from "<stdio.h>" nogil:
    int snprintf(char *text, size_t size, const char *format, ...)


cdef class _Monitor:
    """A forwarder started by socket_monitor() (internal)."""
    cdef bytes endpoint
    cdef int done_fd            # readable once the forwarder has ended

    def __dealloc__(self):
        if self.done_fd >= 0:
            c_close(self.done_fd)

    cdef void wait_done(self) noexcept:
        """Wait (up to 5 s, GIL released) for the forwarder to hand over what it
        has and end: libzmq has just sent it MONITOR_STOPPED."""
        cdef pollfd item
        item.fd = self.done_fd
        item.events = POLLIN
        with nogil:
            c_poll(&item, 1, 5000)


_monitors = _weakref.WeakKeyDictionary()    # Socket -> _Monitor
cdef unsigned long _monitor_serial = 0


cdef int _check_monitor_endpoint(bytes endpoint) except -1:
    """Refuse what zmq_socket_monitor refuses: only inproc:// carries events."""
    if endpoint.startswith(b"inproc://") and len(endpoint) > 9 and b"\0" not in endpoint:
        return 0
    raise ZMQError(_errno.EPROTONOSUPPORT if b"://" in endpoint and b"\0" not in endpoint
                   else _errno.EINVAL,
                   "socket_monitor(%r): monitor events go to an inproc:// endpoint" % endpoint)


cdef void *_monitor_socket(Context ctx, int option, int value) except NULL:
    """A PAIR for a monitor's forwarder, with linger 0 and `option` = `value`."""
    cdef void *handle = C.zmq_socket(<void *><size_t>ctx.underlying, C.ZMQ_PAIR)
    cdef int linger = 0
    if handle == NULL:
        err = C.zmq_errno()
        if err == C.ETERM:
            raise ContextTerminated(err, "socket_monitor")
        raise ZMQError(err, "socket_monitor: make its socket")
    C.zmq_setsockopt(handle, C.ZMQ_LINGER, &linger, sizeof(int))
    C.zmq_setsockopt(handle, option, &value, sizeof(int))
    return handle


# Endpoints our monitors have used: libzmq releases one asynchronously after
# the forwarder closes its PAIR, so binding it again may have to wait a moment.
_monitor_endpoints = set()


cdef int _bind_publisher(void *publisher, bytes endpoint) except -1:
    """Bind the PAIR readers connect to."""
    give_up = _time.monotonic() + (2.0 if endpoint in _monitor_endpoints else 0.0)
    while C.zmq_bind(publisher, endpoint) != 0:
        err = C.zmq_errno()
        if err != _errno.EADDRINUSE or _time.monotonic() >= give_up:
            raise ZMQError(err, "socket_monitor(%r)" % endpoint)
        _time.sleep(0.001)
    return 0


def socket_monitor(Socket sock not None, addr, int events=C.ZMQ_EVENT_ALL):
    """Publish the socket's events on a PAIR endpoint (inproc://...); read
    them with recv_monitor_event() on a PAIR socket connected to it.  Events
    wait there (in order, without limit) until read: unlike libzmq alone, a
    monitor nobody reads never blocks the socket.  `addr` None stops the
    monitor; its reader gets what was raised until then, MONITOR_STOPPED last
    if it asked for it.  A new monitor replaces the previous one."""
    global _monitor_serial
    cdef bytes endpoint
    cdef char private[64]
    cdef void *reader = NULL
    cdef void *publisher = NULL
    cdef _Monitor monitor, previous
    cdef int rc, err
    cdef int done[2]
    cdef void *handle = <void *><size_t>sock.underlying     # (raises unless usable)
    previous = _monitors.get(sock)
    if addr is None:
        sock.begin_nogil()          # reserved: other users get EBUSY meanwhile
        try:
            with nogil:
                rc = C.zmq_socket_monitor(handle, NULL, 0)
            err = C.zmq_errno()
        finally:
            sock.end_nogil()
        if rc != 0:
            raise ContextTerminated(err, "socket_monitor(None)") if err == C.ETERM else \
                ZMQError(err, "socket_monitor(None)")
        if previous is not None:
            previous.wait_done()
            del _monitors[sock]
        return 0
    endpoint = encode_text(addr) if isinstance(addr, str) else bytes(addr)
    _check_monitor_endpoint(endpoint)
    if events >> 16:
        raise ZMQError(_errno.EINVAL, "socket_monitor: events %#x are not monitor events"
                       % events)
    if previous is not None and previous.endpoint == endpoint:
        socket_monitor(sock, None)          # its endpoint is taken until it stops
        previous = None
    _monitor_serial += 1
    snprintf(private, sizeof(private), "inproc://pyczmq-monitor-%d-%lu", <int>getpid(),
             _monitor_serial)
    done[0], done[1] = _os.pipe2(_os.O_CLOEXEC)
    try:
        publisher = _monitor_socket(sock.ctx, C.ZMQ_SNDHWM, 0)
        _bind_publisher(publisher, endpoint)
        if len(_monitor_endpoints) > 1024:
            _monitor_endpoints.clear()
        _monitor_endpoints.add(endpoint)
        reader = _monitor_socket(sock.ctx, C.ZMQ_RCVHWM, 0)
        if C.zmq_connect(reader, private) != 0:
            raise ZMQError(None, "socket_monitor: connect its reader")
        sock.begin_nogil()
        try:
            with nogil:
                rc = C.zmq_socket_monitor(handle, private, events | C.ZMQ_EVENT_MONITOR_STOPPED)
            err = C.zmq_errno()
        finally:
            sock.end_nogil()
        if rc != 0:
            raise ContextTerminated(err, "socket_monitor(%r)" % (addr,)) if err == C.ETERM \
                else ZMQError(err, "socket_monitor(%r)" % (addr,))
        rc = pyczmq_monitor_start(reader, publisher,
                                  (events & C.ZMQ_EVENT_MONITOR_STOPPED) != 0, done[1])
        if rc != 0:
            C.zmq_socket_monitor(handle, NULL, 0)
            raise ZMQError(rc, "socket_monitor: start its thread")
    except BaseException:
        if reader != NULL:
            C.zmq_close(reader)
        if publisher != NULL:
            C.zmq_close(publisher)
        c_close(done[0])
        c_close(done[1])
        raise
    monitor = _Monitor.__new__(_Monitor)
    monitor.endpoint = endpoint
    monitor.done_fd = done[0]
    if previous is not None:
        previous.wait_done()                # libzmq stopped it: MONITOR_STOPPED went out
    _monitors[sock] = monitor
    return 0


def _live_monitors():
    """Monitor forwarder threads running (for pyczmq.live_objects())."""
    return pyczmq_monitors_running()


_EVENT = _struct.Struct("=HI")


def parse_monitor_event(parts):
    """(event, value, endpoint) from the two frames a monitor sends."""
    if len(parts) != 2 or len(parts[0]) != _EVENT.size:
        raise ValueError("not a socket monitor event: %r" % (parts,))
    event, value = _EVENT.unpack(bytes(parts[0]))
    return event, value, bytes(parts[1]).decode("utf-8", "replace")


def recv_monitor_event(Socket monitor not None, int flags=0):
    """Receive and decode the next event from a monitor's PAIR socket."""
    return parse_monitor_event(monitor.recv_multipart(flags))


def proxy(Socket frontend not None, Socket backend not None, Socket capture=None):
    """zmq_proxy, GIL released: forwards between the two sockets (copying to
    `capture`) until their context ends (ctx_term/ctx_shutdown, or
    Context.destroy(), also while a send waits for room); closes them and
    returns -1 then, as libzmq does."""
    _proxy(frontend, backend, capture)
    return -1


# -- messages -------------------------------------------------------------------------

cdef Msg _new_msg(Msg msg):
    if msg is None:
        return Msg()
    msg.init_c(0, NULL)
    return msg


def msg_init(Msg msg=None):
    """A new, empty Msg; given one, empty it (returns 0)."""
    result = _new_msg(msg)
    return result if msg is None else 0


def msg_init_size(Msg msg, size_t size):
    """A Msg of `size` bytes (msg None: a new one; else it is re-initialised)."""
    cdef Msg target = Msg() if msg is None else msg
    target.init_c(size, NULL)
    return target if msg is None else 0


def msg_init_data(Msg msg, data, size=None, ffn=None, hint=None):
    """A Msg holding `data` (or its first `size` bytes).  The data is copied,
    so Python keeps no obligation to libzmq: `ffn(data, hint)`, if given, is
    called at once, as libzmq would once done with it."""
    cdef Py_buffer view
    cdef Msg target = _new_msg(msg)
    PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
    try:
        target.init_c(_length(size, view.len, "size"), view.buf)
    finally:
        PyBuffer_Release(&view)
    if ffn is not None:
        ffn(data, hint)
    return target if msg is None else 0


def msg_send(Msg msg not None, Socket sock not None, int flags=0):
    """Send the message (it is left empty); returns its size."""
    _check_flags(flags, _SEND_FLAGS, "msg_send")
    return msg.send_c(sock, flags)


def msg_recv(Msg msg not None, Socket sock not None, int flags=0):
    """Receive one part into the message; returns its size (Again with DONTWAIT
    when nothing waits)."""
    _check_flags(flags, C.ZMQ_DONTWAIT, "msg_recv")
    if not msg.recv_c(sock, flags):
        raise Again(_errno.EAGAIN, "msg_recv: nothing to receive")
    return msg.size_c()


def sendmsg(Socket sock not None, Msg msg not None, int flags=0):
    """msg_send with the socket first (zmq_sendmsg)."""
    return msg_send(msg, sock, flags)


def recvmsg(Socket sock not None, Msg msg not None, int flags=0):
    """msg_recv with the socket first (zmq_recvmsg)."""
    return msg_recv(msg, sock, flags)


def msg_close(Msg msg not None):
    """Release the message's data (the Msg stays usable, empty)."""
    _new_msg(msg)
    return 0


def msg_copy(Msg dest not None, Msg src not None):
    """Make `dest` share `src`'s data."""
    dest.copy_c(src)
    return 0


def msg_move(Msg dest not None, Msg src not None):
    """Move `src`'s data into `dest` (`src` is left empty)."""
    dest.move_c(src)
    return 0


def msg_data(Msg msg not None):
    """A memoryview of the message's data (read-only while libzmq shares it)."""
    return memoryview(msg)


def msg_size(Msg msg not None):
    """The size of the message's data in bytes (zmq_msg_size)."""
    return msg.size_c()


def msg_more(Msg msg not None):
    """1 if more parts of the message follow, else 0 (zmq_msg_more)."""
    return msg.more_c()


def msg_get(Msg msg not None, int property):
    """A message property: MORE, SRCFD or SHARED."""
    return msg.get_c(property)


def msg_set(Msg msg not None, int property, int value):
    """Set a message property (libzmq 4.3 has none to set: EINVAL)."""
    msg.set_c(property, value)
    return 0


# -- polling --------------------------------------------------------------------------

pollitem = Pollitem


def poll(items, nitems_or_timeout=-1, timeout=None):
    """zmq_poll over pollitems, GIL released: the number with events; each
    item's revents says which.  poll(items, timeout) or pyczmq 0.1's
    poll(items, nitems, timeout); timeout in ms, -1 waits forever."""
    items = list(items)
    if timeout is None:
        timeout = nitems_or_timeout
    else:
        items = items[:_length(nitems_or_timeout, len(items), "nitems")]
    return poll_items(items, timeout)


# -- errors, versions, capabilities, keys -----------------------------------------------

def errno():
    """libzmq's errno of this thread (zmq_errno)."""
    return C.zmq_errno()


def strerror(int num):
    """The text of an error number, libzmq's own included."""
    return C.zmq_strerror(num).decode("utf-8", "replace")


def version():
    """(major, minor, patch) of the libzmq in use."""
    cdef int major, minor, patch
    C.zmq_version(&major, &minor, &patch)
    return (major, minor, patch)


def has(capability):
    """True if libzmq was built with `capability` ("curve", "ipc", "draft", ...)."""
    cdef bytes name
    if isinstance(capability, str):
        name = (<str>capability).encode("ascii")
    elif isinstance(capability, bytes):
        name = capability
    else:
        raise TypeError("has() takes a capability name, not %s" % type(capability).__name__)
    if b"\0" in name:
        raise ValueError("a capability name can not contain NUL")
    return C.zmq_has(name) == 1


def z85_encode(data):
    """Z85 text of `data`, whose length must be a multiple of 4."""
    cdef Py_buffer view
    PyObject_GetBuffer(data, &view, PyBUF_SIMPLE)
    try:
        if view.len % 4:
            raise ValueError("z85_encode needs a multiple of 4 bytes, not %d" % view.len)
        out = bytearray(view.len * 5 // 4 + 1)
        if C.zmq_z85_encode(<char *><unsigned char *>out, <const uint8_t *>view.buf, view.len) == NULL:
            raise ValueError("z85_encode failed")
    finally:
        PyBuffer_Release(&view)
    return out[:-1].decode("ascii")


def z85_decode(text):
    """The bytes of Z85 `text`, whose length must be a multiple of 5."""
    if isinstance(text, str):
        try:
            text = text.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("Z85 text is ASCII: %r" % (text,)) from None
    text = bytes(text)
    if len(text) % 5:
        raise ValueError("z85_decode needs a multiple of 5 characters, not %d" % len(text))
    if not text:
        return b""
    if b"\0" in text:
        raise ValueError("Z85 text can not contain NUL")
    out = bytearray(len(text) * 4 // 5)
    if C.zmq_z85_decode(<uint8_t *><unsigned char *>out, text) == NULL:
        raise ValueError("not valid Z85 text: %r" % text)
    return bytes(out)


z86_decode = z85_decode         # pyczmq 0.1's misspelling, kept


def curve_keypair():
    """A new CURVE key pair as (public, secret) Z85 text."""
    cdef char public[41]
    cdef char secret[41]
    if C.zmq_curve_keypair(public, secret) != 0:
        raise ZMQError(None, "curve_keypair (is libzmq built with CURVE?)")
    return public[:40].decode("ascii"), secret[:40].decode("ascii")
