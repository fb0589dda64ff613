cdef class Msg:
    cdef zmq_msg_t _c_msg       # always initialised while the object lives
    cdef Py_ssize_t _exports    # live memoryviews of its data
    cdef bint _busy             # a send or receive uses it (maybe waiting, GIL released)

    cdef int _check_idle(self) except -1
    cdef int _check_unexported(self, str action) except -1

    # Public Cython API: libzmq's zmq_msg_* calls on this message, checked
    # (pyczmq.zmq's msg_* functions).
    cdef int init_c(self, size_t size, const void *data) except -1
    cdef int copy_c(self, Msg src) except -1
    cdef int move_c(self, Msg src) except -1
    cdef size_t send_c(self, Socket sock, int flags) except? 0
    cdef int recv_c(self, Socket sock, int flags) except -1
    cdef size_t size_c(self) noexcept
    cdef int more_c(self) noexcept
    cdef int get_c(self, int property) except -1
    cdef int set_c(self, int property, int value) except -1


cdef class Pollitem:
    cdef readonly object socket     # a Socket, or None for a file descriptor
    """The Socket polled, or None when the item polls a file descriptor."""
    cdef readonly int fd
    """The file descriptor polled (when `socket` is None)."""
    cdef public short events        # ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR
    cdef public short revents       # set by poll()
