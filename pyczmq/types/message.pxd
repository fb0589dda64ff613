cdef class Message:
    cdef zmsg_t *_c_msg         # NULL once sent or destroyed
    cdef str _gone_reason
    cdef dict _borrowed         # <size_t> zframe_t* -> weakref to the Frame viewing it
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef Frame _view(self, zframe_t *frame)
    cdef Frame _adopt(self, zframe_t *frame)
    cdef Frame _borrowed_frame(self, zframe_t *frame)
    cdef int _add(self, object part, bint front) except -1
    cdef void _discard(self, zframe_t *frame) noexcept
    cdef int _release_all(self, FrameState state) except -1
