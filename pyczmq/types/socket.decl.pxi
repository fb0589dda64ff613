cdef class SocketOptions:
    pass


cdef class Socket(SocketOptions):
    cdef void *_c_handle        # libzmq socket from zsys_socket; NULL once closed
    cdef readonly Context ctx
    """The Context that made this socket."""
    cdef int _type
    cdef pid_t _pid             # process that created the handle
    cdef bint _zsys             # made by zsys_socket (else zmq_socket in an own context)
    cdef int _use_fd            # our duplicate of the use_fd descriptor, until a bind adopts it
    cdef bint _busy             # reserved by a call (see _reserve): others get EBUSY
    cdef bint _receive_only     # an actor's pipe: every send is refused
    cdef bint _sending_more     # the last part sent had MORE: the next one ends no wait
    cdef str _closed_reason
    cdef list _binds            # [(requested endpoint, resolved endpoint)]
    cdef list _connects
    cdef bint _attached         # has bound or connected: libzmq may have made pipes for it
    cdef object _watchers       # Loops and Pollers holding this socket (WeakSet), or None
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _check_writable(self) except -1
    cdef int _raise_unusable(self) except -1
    cdef void _close_handle(self) noexcept
    cdef int _watch(self, object watcher) except -1
    cdef int _close(self, str reason) except -1
    cdef bint _close_at_exit(self) noexcept
    cdef str _last_endpoint(self)
    cdef int _bind_error(self, bytes address)
    # The I/O gate (types/socket.pxi): the reservation, the one try of a part,
    # the one wait (ActorPipe overrides only _close_handle and _refuse_send).
    cdef bint _try_reserve(self) noexcept
    cdef int _reserve(self) except -1
    cdef void _release(self) noexcept nogil
    cdef int _refuse_send(self) except -1
    cdef int _poll(self, short events, long timeout, bint interruptible) except -1
    cdef int _wait(self, short events, bint interruptible) except -1
    cdef int _raise_send(self) except -1
    cdef int _send_part(self, zmq_msg_t *msg, int flags) except -1
    cdef int _send_when_room(self, zmq_msg_t *msg, int flags) except -1
    cdef int _recv_part(self, zmq_msg_t *msg, int flags, bint interruptible) except -1
    cdef int _recv_when_ready(self, zmq_msg_t *msg, bint interruptible) except -1
    cdef int _send_one_waiting(self, zmq_msg_t *msg, int flags, int tried) except -1
    cdef int _recv_one_waiting(self, zmq_msg_t *msg, int flags, int tried) except -1
    cdef int _fill_part(self, zmq_msg_t *msg, const void *data, size_t size) except -1
    cdef int _send_copy(self, const void *data, size_t size, int flags) except -1
    cdef int _send_data(self, const void *data, size_t size, int flags) except -1
    cdef void _drop_rest(self, zmq_msg_t *part, bint more) noexcept
    # The public Cython API: parts as C data, frames and messages, nogil loops.
    cdef int send_buffer(self, const void *data, size_t size, int flags) except -1
    cdef bytes recv_bytes_c(self, int flags)
    cdef str recv_text_c(self, int flags)
    cdef int send_frame_c(self, Frame frame, int flags) except -1
    cdef Frame recv_frame_c(self, int flags)
    cdef int send_message_c(self, Message msg) except -1
    cdef Message recv_message_c(self, int flags)
    cdef int send_zmq_msg_c(self, zmq_msg_t *msg, int flags) except -1
    cdef int recv_zmq_msg_c(self, zmq_msg_t *msg, int flags) except -1
    # Loops without the GIL: reserve the socket with begin_nogil() (GIL held),
    # call send_nogil()/recv_nogil() in the loop, then end_nogil().
    cdef int begin_nogil(self) except -1
    cdef void end_nogil(self) noexcept nogil
    cdef int send_nogil(self, const void *data, size_t size, int flags) noexcept nogil
    cdef int recv_nogil(self, zmq_msg_t *msg, int flags) noexcept nogil
