# Frame: one message part, a CZMQ zframe.
#
# Ownership: a Frame either owns its zframe (OWNED) or views one that a
# Message owns (BORROWED, keeping the Message alive).  Sending without REUSE
# or appending to a Message hands the zframe over; the Frame object then
# raises ClosedError when used.
#
# Memoryviews point straight into the zframe's data, and while one exists the
# zframe is never freed: a send transmits a copy, an append hands over a
# duplicate, and the zframe is kept in _c_pinned until the last view goes.
# libzmq shares message data between copies (zmq_msg_copy, PUB fan-out over
# inproc), so views are writable only for a frame made here whose data was
# never shared (_private); a writable frame is sent as a real copy.

# Whether zframes can be entered directly (include/pyczmq_zframe.h); if this
# CZMQ's layout differs, data is copied in and out through the public API.
cdef bint _zframe_direct = pyczmq_zframe_layout_ok()
ZFRAME_DIRECT = _zframe_direct


# Empty zframes kept for reuse (with direct access only): making one zeroes a
# 348-byte struct, which costs about half of receiving a small message.
# Touched only with the GIL held.
cdef enum:
    _POOL_SIZE = 64
cdef zframe_t *_zframe_pool[_POOL_SIZE]
cdef int _zframe_pooled = 0


cdef inline zframe_t *_empty_zframe() noexcept:
    global _zframe_pooled
    if _zframe_pooled:
        _zframe_pooled -= 1
        return _zframe_pool[_zframe_pooled]
    return zframe_new_empty()


cdef void _free_zframe(zframe_t **frame) noexcept:
    """zframe_destroy(), or back to the pool as an empty zframe."""
    global _zframe_pooled
    if frame[0] == NULL:
        return
    if not _zframe_direct or _zframe_pooled == _POOL_SIZE:
        zframe_destroy(frame)
        return
    zmq_msg_close(pyczmq_zframe_msg(frame[0]))
    zmq_msg_init(pyczmq_zframe_msg(frame[0]))
    pyczmq_zframe_set_more(frame[0], 0)
    _zframe_pool[_zframe_pooled] = frame[0]
    _zframe_pooled += 1
    frame[0] = NULL


cdef zframe_t *_zframe_from_msg(zmq_msg_t *msg) except NULL:
    """A new zframe holding a received message part (moved out of `msg`, which
    is left empty) and its MORE flag."""
    cdef zframe_t *frame
    cdef int more = zmq_msg_more(msg)
    if _zframe_direct:
        frame = _empty_zframe()
        zmq_msg_move(pyczmq_zframe_msg(frame), msg)
        pyczmq_zframe_set_more(frame, more)
        return frame
    frame = zframe_new(zmq_msg_data(msg), zmq_msg_size(msg))
    if frame == NULL:
        raise MemoryError("no memory for a %d-byte frame" % zmq_msg_size(msg))
    zframe_set_more(frame, more)
    return frame


cdef int _msg_from_zframe(zframe_t *frame, zmq_msg_t *msg, FrameData how) except -1:
    """Put a zframe's data into the initialised, empty `msg`, as `how` says
    (without direct access, always as a copy)."""
    cdef size_t size
    if _zframe_direct and how != DATA_COPY:
        if how == DATA_TAKE:
            zmq_msg_move(msg, pyczmq_zframe_msg(frame))
        elif zmq_msg_copy(msg, pyczmq_zframe_msg(frame)) != 0:
            return _raise_last("copy a frame")
        return 0
    size = zframe_size(frame)
    zmq_msg_close(msg)
    if zmq_msg_init_size(msg, size) != 0:
        zmq_msg_init(msg)
        raise MemoryError("no memory to copy a %d-byte frame" % size)
    memcpy(zmq_msg_data(msg), zframe_data(frame), size)
    return 0


cdef void _zframe_give_back(zframe_t *frame, zmq_msg_t *msg) noexcept:
    """Undo a DATA_TAKE whose send failed: the data goes back into the zframe."""
    if _zframe_direct:
        zmq_msg_move(pyczmq_zframe_msg(frame), msg)


_FRAME_GONE = {
    FRAME_SENT: "Frame was sent; a sent frame can not be used again (send it with Frame.REUSE to keep it)",
    FRAME_MOVED: "Frame was handed to a Message, which now owns it",
    FRAME_DESTROYED: "Frame was destroyed",
    FRAME_RELEASED: "Frame belonged to a Message that has since sent, destroyed or dropped it",
    FRAME_SENDING: "Frame is being sent (by another thread, or by a call this code interrupted)",
}


cdef Frame _frame_from_part(zmq_msg_t *msg):
    """A new Frame owning a received part (moved out of `msg`)."""
    return _owned_frame(_zframe_from_msg(msg), False)


cdef Frame _owned_frame(zframe_t *frame, bint private):
    """Wrap a zframe the caller hands over (freed if wrapping fails)."""
    cdef Frame result
    try:
        result = Frame.__new__(Frame)
    except BaseException:
        zframe_destroy(&frame)
        raise
    result._c_frame = frame
    result._state = FRAME_OWNED
    result._private = private
    return result


cdef Frame new_frame(object data):
    """Frame(data), without the Python-level call."""
    return _owned_frame(zframe_new_empty() if data is None else _new_zframe(data), True)


cdef zframe_t *_new_zframe(object data) except NULL:
    """A new zframe holding a copy of str (UTF-8), bytes or any buffer."""
    cdef Py_buffer view
    cdef zframe_t *frame
    cdef Py_ssize_t size
    if PyBytes_CheckExact(data):
        size = PyBytes_GET_SIZE(data)
        if size < <Py_ssize_t>_NOGIL_COPY:
            if _zframe_direct and _zframe_pooled:
                frame = _empty_zframe()
                if zmq_msg_init_size(pyczmq_zframe_msg(frame), size) == 0:
                    memcpy(zmq_msg_data(pyczmq_zframe_msg(frame)), PyBytes_AS_STRING(data), size)
                    return frame
                zmq_msg_init(pyczmq_zframe_msg(frame))
                _free_zframe(&frame)
                raise MemoryError("no memory for a %d-byte frame" % size)
            frame = zframe_new(PyBytes_AS_STRING(data), size)
            if frame == NULL:
                raise MemoryError("no memory for a %d-byte frame" % size)
            return frame
    _get_buffer(data, &view)
    try:
        if view.len < <Py_ssize_t>_NOGIL_COPY:
            frame = zframe_new(view.buf, view.len)
        else:
            with nogil:             # the export keeps the source unchanged
                frame = zframe_new(view.buf, view.len)
    finally:
        PyBuffer_Release(&view)
    if frame == NULL:
        raise MemoryError("no memory for a %d-byte frame" % view.len)
    return frame


@cython.freelist(64)
cdef class Frame:
    """One message part (a CZMQ zframe), built from str, bytes or any buffer
    (copied; ``Frame(buffer, copy=False)`` holds the buffer itself, see
    ``Socket.send``).

    Supports ``len()``, ``bytes()``, ``==`` and the buffer protocol: a
    ``memoryview(frame)`` is a zero-copy view of the data that stays valid
    even if the frame is later sent or destroyed.  It is writable for a frame
    made here (``Frame(data)``, ``dup()``) and read-only for data libzmq may
    share (received frames, frames sent with REUSE, frames of a Message).
    """

    MORE = ZFRAME_MORE
    REUSE = ZFRAME_REUSE
    DONTWAIT = ZFRAME_DONTWAIT

    def __cinit__(self):
        _live_up(LIVE_FRAMES)

    def __init__(self, data=None, copy=True):
        cdef zframe_t *frame
        if self._c_frame != NULL or self._c_pinned != NULL or self._state != FRAME_OWNED:
            raise RuntimeError("Frame.__init__ called twice")
        if copy or data is None or not _zframe_direct:
            self._c_frame = zframe_new_empty() if data is None else _new_zframe(data)
            self._private = True
            return
        # Zero-copy (types/zerocopy.pxi): the zframe's message is the buffer
        # itself, which libzmq may share, so memoryviews of it are read-only.
        frame = _empty_zframe()
        try:
            _zero_copy_part(pyczmq_zframe_msg(frame), data, None)
        except BaseException:
            _free_zframe(&frame)
            raise
        self._c_frame = frame
        self._private = False

    def __dealloc__(self):
        _live_down(LIVE_FRAMES)
        if self._state == FRAME_OWNED and self._c_frame != NULL:
            _free_zframe(&self._c_frame)
        if self._c_sending != NULL:
            _free_zframe(&self._c_sending)
        if self._c_pinned != NULL:
            _free_zframe(&self._c_pinned)

    # -- state -----------------------------------------------------------------

    cdef int _check(self) except -1:
        if self._c_frame == NULL:
            raise ClosedError(_FRAME_GONE.get(self._state, "Frame is empty"))
        if self._state == FRAME_BORROWED and self._owner._c_msg == NULL:
            raise ClosedError("Frame belongs to a Message that is being sent")
        return 0

    cdef int _check_owned(self, str action) except -1:
        self._check()
        if self._state == FRAME_BORROWED:
            raise ClosedError("can not %s a Frame that belongs to a Message: pop() or "
                              "remove() it from the message first, or dup() it" % action)
        return 0

    # -- hand-over: only these change who owns the zframe ----------------------

    cdef int _lend(self, zmq_msg_t *msg, bint reuse) except -1:
        """Put the data into the empty `msg` for a send.  Without `reuse` and
        without memoryviews the data moves out and the frame is SENDING (out
        of reach while the send may wait) until _sent() or _unlend();
        otherwise libzmq gets a shared copy (a real copy if writable
        memoryviews point into the data) and the frame keeps its data."""
        cdef FrameData how
        if reuse:
            self._check()
        else:
            self._check_owned("send")
        if not reuse and not self._exports:
            _msg_from_zframe(self._c_frame, msg, DATA_TAKE)
            self._c_sending = self._c_frame
            self._c_frame = NULL
            self._state = FRAME_SENDING
            return 0
        how = DATA_COPY if self._exports and self._private else DATA_SHARE
        _msg_from_zframe(self._c_frame, msg, how)
        if how == DATA_SHARE:
            # Shared from now on: a view taken while the send waits (GIL
            # released) must be read-only too.
            self._private = False
        return 0

    cdef void _unlend(self, zmq_msg_t *msg) noexcept:
        """The send of _lend()'s `msg` failed: the data comes back."""
        if self._state == FRAME_SENDING:
            _zframe_give_back(self._c_sending, msg)
            self._c_frame = self._c_sending
            self._c_sending = NULL
            self._state = FRAME_OWNED

    cdef void _sent(self, bint reuse) noexcept:
        """The send of _lend()'s data succeeded: without `reuse` the frame is spent."""
        if self._state == FRAME_SENDING:
            _free_zframe(&self._c_sending)
            self._state = FRAME_SENT
        elif not reuse:
            self._c_pinned = self._c_frame      # for its memoryviews
            self._c_frame = NULL
            self._state = FRAME_SENT

    cdef zframe_t *_give(self, FrameState state) except NULL:
        """Hand the zframe to a new owner (a Message): this object becomes `state`."""
        cdef zframe_t *frame
        self._check_owned("append")
        if self._exports:
            frame = zframe_dup(self._c_frame)
            if frame == NULL:
                raise MemoryError("no memory to copy a frame")
            self._c_pinned = self._c_frame
        else:
            frame = self._c_frame
        self._c_frame = NULL
        self._state = state
        return frame

    @property
    def frame(self):
        """The address of the zframe_t, as an int: the 2013 API's attribute (a cdata
        pointer then).  Use with care: it moves when the frame is sent or added."""
        self._check()
        return <size_t>self._c_frame

    @property
    def owned(self):
        """True if this object owns its frame, False if it views a frame of a Message."""
        self._check()
        return self._state == FRAME_OWNED

    def destroy(self):
        """Free the frame now (it is freed anyway when the object goes away)."""
        self._check_owned("destroy")
        if self._exports:
            self._c_pinned = self._c_frame
        else:
            _free_zframe(&self._c_frame)
        self._c_frame = NULL
        self._state = FRAME_DESTROYED

    # -- data ------------------------------------------------------------------

    def bytes(self):
        """A copy of the data as bytes."""
        self._check()
        return PyBytes_FromStringAndSize(<char *>zframe_data(self._c_frame), zframe_size(self._c_frame))

    def size(self):
        """Number of bytes of data."""
        self._check()
        return zframe_size(self._c_frame)

    def __len__(self):
        self._check()
        return zframe_size(self._c_frame)

    def dup(self):
        """A new, independent Frame with a copy of the data."""
        cdef zframe_t *copy
        self._check()
        copy = zframe_dup(self._c_frame)
        if copy == NULL:
            raise MemoryError("no memory to copy a frame")
        zframe_set_more(copy, zframe_more(self._c_frame))
        return _owned_frame(copy, True)

    def reset(self, data):
        """Replace the data with a copy of `data` (str, bytes or a buffer)."""
        cdef zframe_t *replacement
        cdef int more
        self._check_owned("reset")
        if self._exports:
            raise BufferError("can not reset a Frame while memoryviews of it exist")
        replacement = _new_zframe(data)
        more = zframe_more(self._c_frame)
        _free_zframe(&self._c_frame)
        self._c_frame = replacement
        self._private = True
        zframe_set_more(replacement, more)

    def more(self):
        """1 if more parts followed this one when it was received, else 0."""
        self._check()
        return zframe_more(self._c_frame)

    def set_more(self, more=0):
        """Set the MORE indicator (it is not used when sending: pass Frame.MORE)."""
        self._check()
        zframe_set_more(self._c_frame, 1 if more else 0)

    def strhex(self):
        """The data as upper-case hexadecimal text."""
        return self.bytes().hex().upper()

    def strdup(self):
        """The data as str (UTF-8; other bytes kept as surrogates)."""
        self._check()
        return _decode(<char *>zframe_data(self._c_frame), zframe_size(self._c_frame))

    def streq(self, string):
        """True if the data equals `string` (str as sent, see send(), or bytes)."""
        if isinstance(string, str):
            string = encode_text(string)
        return self.bytes() == string

    def eq(self, other):
        """True if `other` is a Frame with the same data."""
        self._check()
        if not isinstance(other, Frame):
            return False
        (<Frame>other)._check()
        return zframe_eq(self._c_frame, (<Frame>other)._c_frame)

    def __eq__(self, other):
        if isinstance(other, Frame):
            return self.eq(other)
        if isinstance(other, (bytes, str)):
            return self.streq(other)
        return NotImplemented

    __hash__ = None

    def __str__(self):
        self._check()
        return PyUnicode_DecodeUTF8(<char *>zframe_data(self._c_frame), zframe_size(self._c_frame),
                                    "replace")

    def __repr__(self):
        if self._c_frame == NULL:
            state = {FRAME_SENT: "sent", FRAME_MOVED: "moved to a message",
                     FRAME_DESTROYED: "destroyed", FRAME_RELEASED: "released",
                     FRAME_SENDING: "being sent"}[self._state]
            return "<pyczmq.Frame %s at %#x>" % (state, id(self))
        self._check()
        size = zframe_size(self._c_frame)
        shown = repr(PyBytes_FromStringAndSize(<char *>zframe_data(self._c_frame), min(size, 32)))
        return "<pyczmq.Frame %d bytes %s%s%s%s at %#x>" % (
            size, shown, "..." if size > 32 else "", " more" if zframe_more(self._c_frame) else "",
            " (in a message)" if self._state == FRAME_BORROWED else "", id(self))

    # -- buffer protocol ---------------------------------------------------------

    def __getbuffer__(self, Py_buffer *buffer, int flags):
        cdef bint writable = self._state == FRAME_OWNED and self._private
        self._check()
        if flags & PyBUF_WRITABLE and not writable:
            raise BufferError("this frame's data may be shared with libzmq or other receivers, "
                              "so its views are read-only: dup() it for a writable copy")
        PyBuffer_FillInfo(buffer, self, zframe_data(self._c_frame), zframe_size(self._c_frame),
                          not writable, flags)
        self._exports += 1

    def __releasebuffer__(self, Py_buffer *buffer):
        self._exports -= 1
        if self._exports == 0 and self._c_pinned != NULL:
            _free_zframe(&self._c_pinned)
