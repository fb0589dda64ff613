# Socket options as properties.  Options are read and written with
# zmq_getsockopt/zmq_setsockopt on the socket's handle, not CZMQ's zsock_set_*:
# those assert (abort the process) on a bad value or an option the socket type
# does not have, where libzmq returns EINVAL and we raise.

import functools as _functools

cdef enum OptionType:
    OPT_INT         # int
    OPT_INT64       # int64_t
    OPT_UINT64      # uint64_t
    OPT_BYTES       # binary, up to 255 bytes
    OPT_TEXT        # text, read back as str
    OPT_CURVE_KEY   # 32 bytes, or 40 Z85 characters; read back as Z85 text

cdef enum OptionAccess:
    READ = 1
    WRITE = 2
    READ_WRITE = 3


cdef class SocketOption:
    """A libzmq socket option, exposed as a property of Socket.

    Read it with ``sock.<name>`` and write it with ``sock.<name> = value``,
    ``sock.set_<name>(value)``, or ``pyczmq.zsockopt.<name>(sock)`` and
    ``pyczmq.zsockopt.set_<name>(sock, value)``.
    """

    cdef readonly str name
    """The option's name, e.g. "sndhwm"."""
    cdef readonly int option        # the ZMQ_* number
    """The option's ``ZMQ_*`` number."""
    cdef readonly int type          # an OptionType
    """How the value is passed to libzmq (an OptionType: int, bytes, text, ...)."""
    cdef readonly bint readable
    """Whether the option can be read."""
    cdef readonly bint writable
    """Whether the option can be set."""
    cdef dict __dict__              # holds the per-option __doc__

    def __init__(self, str name, int option, int type, int access, str doc):
        self.name = name
        self.option = option
        self.type = type
        self.readable = access & READ
        self.writable = access & WRITE
        self.__doc__ = doc

    def __get__(self, obj, objtype):
        if obj is None:
            return self
        if not self.readable:
            raise AttributeError("socket option %r can only be set" % self.name)
        return _get_option(<Socket?>obj, self)

    def __set__(self, obj, value):
        if not self.writable:
            raise AttributeError("socket option %r can only be read" % self.name)
        _set_option(<Socket?>obj, self, value)

    def __delete__(self, obj):
        raise AttributeError("socket option %r can not be deleted" % self.name)

    def __repr__(self):
        return "<pyczmq.SocketOption %s>" % self.name


cdef object _get_option(Socket sock, SocketOption option):
    # The value is read only once libzmq succeeded: on failure it is unset.
    cdef int int_value
    cdef int64_t int64_value
    cdef uint64_t uint64_value
    cdef size_t size
    cdef int rc
    sock._check()
    if option.type == OPT_INT:
        size = sizeof(int_value)
        rc = zmq_getsockopt(sock._c_handle, option.option, &int_value, &size)
    elif option.type == OPT_INT64:
        size = sizeof(int64_value)
        rc = zmq_getsockopt(sock._c_handle, option.option, &int64_value, &size)
    elif option.type == OPT_UINT64:
        size = sizeof(uint64_value)
        rc = zmq_getsockopt(sock._c_handle, option.option, &uint64_value, &size)
    else:
        return _get_option_bytes(sock, option)
    if rc != 0:
        _raise_last("get socket option %r" % option.name)
    if option.type == OPT_INT:
        return int_value
    if option.type == OPT_INT64:
        return int64_value
    return uint64_value


cdef object _get_option_bytes(Socket sock, SocketOption option):
    # libzmq fails with EINVAL when the buffer is too small for the value:
    # text options (socks_proxy, ...) have no size limit, so grow until it fits.
    cdef size_t capacity = 41 if option.type == OPT_CURVE_KEY else 1024
    cdef size_t size
    cdef bytearray buffer
    while True:
        buffer = bytearray(capacity)
        size = capacity
        if zmq_getsockopt(sock._c_handle, option.option, <char *>buffer, &size) == 0:
            break
        if zmq_errno() != EINVAL or option.type == OPT_CURVE_KEY or capacity >= 1 << 24:
            _raise_last("get socket option %r" % option.name)
        capacity *= 16
    data = bytes(buffer[:size])
    if option.type == OPT_BYTES:
        return data
    return data.rstrip(b"\0").decode("utf-8", "surrogateescape")


# SO_DOMAIN is Linux's (setup.py refuses other systems first; this stops a
# build that bypasses it with a clear line rather than an undeclared name).
cdef extern from *:
    """
    #include <sys/socket.h>
    #ifndef SO_DOMAIN
    #error "pyczmq builds on Linux only: it reads a socket's family with SO_DOMAIN"
    #endif
    """

cdef extern from "sys/socket.h" nogil:
    ctypedef unsigned int socklen_t
    int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
    enum: SOL_SOCKET, SO_ACCEPTCONN, SO_DOMAIN, AF_INET, AF_INET6, AF_UNIX


cdef int _check_use_fd(int fd, str transport) except -1:
    """libzmq aborts when the file descriptor given as use_fd is not a
    listening socket of the transport's family: refuse it first."""
    cdef struct_stat status
    cdef int listening = 0, family = 0
    cdef socklen_t length = sizeof(int)
    if fd == -1:
        return 0
    if fd < 0 or fstat(fd, &status) != 0:
        raise ValueError("use_fd %d is not an open file descriptor" % fd)
    if not S_ISSOCK(status.st_mode):
        raise ValueError("use_fd %d is not a socket" % fd)
    if getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 or not listening:
        raise ValueError("use_fd %d is not a listening socket" % fd)
    length = sizeof(int)
    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &length)
    if transport == "tcp" and family not in (AF_INET, AF_INET6) \
            or transport == "ipc" and family != AF_UNIX:
        raise ValueError("use_fd %d is not a %s socket" % (fd, transport))
    return 0


cdef int _set_use_fd(Socket sock, int fd) except -1:
    """libzmq closes the descriptor it is given when done with it, so it gets
    a duplicate: the caller's descriptor stays the caller's to close."""
    cdef int duplicate = -1
    _check_use_fd(fd, None)
    if fd != -1:
        duplicate = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        if duplicate < 0:
            raise OSError(errno, "can not duplicate use_fd %d" % fd)
    if zmq_setsockopt(sock._c_handle, ZMQ_USE_FD, &duplicate, sizeof(int)) != 0:
        if duplicate >= 0:
            close(duplicate)
        return _raise_last("set socket option use_fd=%d" % fd)
    if sock._use_fd >= 0:
        close(sock._use_fd)
    sock._use_fd = duplicate
    return 0


cdef bytes _option_bytes(SocketOption option, object value):
    if isinstance(value, str):
        data = (<str>value).encode("utf-8", "surrogateescape")    # as read back
    elif PyObject_CheckBuffer(value):
        data = bytes(value)
    else:
        raise TypeError("socket option %r takes str or bytes, not %s"
                        % (option.name, type(value).__name__))
    if option.type == OPT_TEXT and b"\0" in data:
        raise ValueError("socket option %r: text contains a NUL character" % option.name)
    if option.type == OPT_CURVE_KEY and len(data) not in (32, 40):
        raise ValueError("socket option %r takes a 32-byte key or its 40-character Z85 "
                         "text, not %d bytes" % (option.name, len(data)))
    if option.type == OPT_CURVE_KEY and len(data) == 40 and b"\0" in data:
        # libzmq decodes Z85 text up to its first NUL and keeps the rest of
        # the old key: a mangled key, set without an error.
        raise ValueError("socket option %r: Z85 text can not contain a NUL character"
                         % option.name)
    return data


# libzmq 4.3.0 to 4.3.5 apply a new high-water mark to a socket's live pipes,
# including one whose peer has just freed its side: a write to freed memory
# (libzmq issue #4524, fixed after 4.3.5 by zeromq/libzmq#4647).
cdef bint _HWM_CHANGE_UNSAFE = libzmq_version() <= (4, 3, 5)


cdef int _check_option_value(Socket sock, SocketOption option, object value) except -1:
    """Refuse option values libzmq accepts but can not serve without crashing."""
    if option.option in (ZMQ_SNDHWM, ZMQ_RCVHWM) and sock._attached and _HWM_CHANGE_UNSAFE:
        raise ZMQError(EINVAL, "set %s after bind() or connect(): libzmq %s applies it to the "
                       "socket's live connections and can then write to one its peer has "
                       "just freed (a crash, libzmq issue #4524, fixed after 4.3.5); set it "
                       "before the socket's first bind or connect"
                       % (option.name, ".".join(map(str, libzmq_version()))))
    if option.option == ZMQ_SOCKS_PROXY and value:
        # socks_connecter_t::error() removes its poll handle but keeps it, and
        # closing or disconnecting the socket before its retry removes it again.
        raise ZMQError(ENOTSUP, "socks_proxy is refused: libzmq (4.3.4, still so in its "
                       "sources of 2026) aborts the process (\"Bad file descriptor (src/epoll.cpp)\") "
                       "when the socket is closed or disconnected after a connection "
                       "through the proxy failed (a stale poll handle in "
                       "src/socks_connecter.cpp)")
    return 0


cdef int _set_option(Socket sock, SocketOption option, object value) except -1:
    cdef int int_value
    cdef int64_t int64_value
    cdef uint64_t uint64_value
    cdef bytes data
    cdef int rc
    sock._check()
    if option.type in (OPT_INT, OPT_INT64, OPT_UINT64):
        if not isinstance(value, int):
            raise TypeError("socket option %r takes an int, not %s"
                            % (option.name, type(value).__name__))
    else:
        data = _option_bytes(option, value)
    _check_option_value(sock, option, value)
    if option.type == OPT_INT:
        int_value = value
        if option.option == ZMQ_USE_FD:
            return _set_use_fd(sock, int_value)
        rc = zmq_setsockopt(sock._c_handle, option.option, &int_value, sizeof(int_value))
    elif option.type == OPT_INT64:
        int64_value = value
        rc = zmq_setsockopt(sock._c_handle, option.option, &int64_value, sizeof(int64_value))
    elif option.type == OPT_UINT64:
        uint64_value = value
        rc = zmq_setsockopt(sock._c_handle, option.option, &uint64_value, sizeof(uint64_value))
    else:
        if option.type == OPT_TEXT and not data:
            # libzmq clears a text option only when given NULL.
            rc = zmq_setsockopt(sock._c_handle, option.option, NULL, 0)
        else:
            rc = zmq_setsockopt(sock._c_handle, option.option, <char *>data, len(data))
    if rc != 0:
        _raise_last("set socket option %s=%r on a %s socket"
                    % (option.name, value, SOCKET_TYPE_NAMES[sock._type]))
    return 0
