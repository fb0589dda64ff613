cdef enum FrameState:
    FRAME_OWNED = 0     # the Frame object owns _c_frame
    FRAME_BORROWED      # _c_frame belongs to _owner, a Message
    FRAME_SENT          # sent to a socket
    FRAME_MOVED         # handed to a Message
    FRAME_DESTROYED     # destroy() was called
    FRAME_RELEASED      # was borrowed; its message has since let go of it
    FRAME_SENDING       # its data is on the way to a socket that may wait for room


cdef enum FrameData:    # how a zmq_msg_t gets a zframe's data
    DATA_TAKE           # moved out: the zframe is left empty
    DATA_SHARE          # zmq_msg_copy: libzmq shares the bytes
    DATA_COPY           # copied


cdef class Frame:
    cdef zframe_t *_c_frame     # NULL unless OWNED or BORROWED
    cdef zframe_t *_c_pinned    # kept only while memoryviews of it exist
    cdef zframe_t *_c_sending   # SENDING: the zframe whose data a send holds
    cdef FrameState _state
    cdef Message _owner         # the Message a borrowed frame belongs to
    cdef Py_ssize_t _exports    # live buffer exports (memoryviews)
    cdef bint _private          # made here and never shared with libzmq: views may write
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _check_owned(self, str action) except -1
    cdef zframe_t *_give(self, FrameState state) except NULL
    cdef int _lend(self, zmq_msg_t *msg, bint reuse) except -1
    cdef void _unlend(self, zmq_msg_t *msg) noexcept
    cdef void _sent(self, bint reuse) noexcept
