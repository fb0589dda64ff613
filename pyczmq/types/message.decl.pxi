cdef class Message:
    cdef zmsg_t *_c_msg         # NULL once sent or destroyed
    cdef str _gone_reason
    cdef dict _borrowed         # <size_t> zframe_t* -> the borrowed Frame viewing it
    cdef size_t _generation     # bumped whenever frames leave the message
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef Frame _view(self, zframe_t *frame, size_t generation)
    cdef Frame _adopt(self, zframe_t *frame)
    cdef void _release_view(self, zframe_t *frame, bint *pinned) noexcept
    cdef void _discard(self, zframe_t *frame) noexcept
    cdef zmsg_t *_detach(self) except NULL
    cdef void _reattach(self, zmsg_t *msg) noexcept
    cdef void _mark_sent(self, zmsg_t *msg) noexcept
    cdef zframe_t *_take_part(self, zmsg_t *msg, zmq_msg_t *part, bint *taken) except NULL
    cdef void _untake_part(self, zmsg_t *msg, zframe_t *frame, zmq_msg_t *part,
                           bint taken) noexcept
    cdef void _part_sent(self, zframe_t *frame) noexcept
    cdef int _append_part(self, zmq_msg_t *part) except -1
    cdef int _release_all(self) except -1
    cdef zframe_t *_part_zframe(self, object part) except NULL
    cdef int _add(self, object part, bint front) except -1
