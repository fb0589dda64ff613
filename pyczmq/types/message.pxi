# Message: a multipart message, a CZMQ zmsg (a list of zframes).
#
# The frames that first()/next()/last()/iteration return are borrowed views.
# The Message keeps them in a registry by zframe address (strong references:
# a view and its message form an ordinary cycle, which also keeps a view that
# a finalizer resurrects known to its message), so that one zframe has one
# Frame object, pop()/remove() turn that same object into the owner, and
# sending, destroying or dropping a frame releases its view (keeping the
# zframe alive for any memoryview still pointing into it).
#
# Making a Python object can run arbitrary code (the cyclic GC calls
# finalizers), which may change the message: methods do their C work first,
# and _generation, bumped whenever frames leave, tells them if that happened.

import struct as _struct

_SIZE_T = _struct.Struct("@N")      # zmsg_save's file format: size_t length, then data


cdef object _message_file(object filename, str what):
    """A file name for save()/load(): str, bytes or a path object (open()
    would take an int as a descriptor, and close it)."""
    try:
        return _os.fspath(filename)
    except TypeError:
        raise TypeError("Message.%s takes a file name (str, bytes or a path), not %s"
                        % (what, type(filename).__name__)) from None


cdef Message _owned_message(zmsg_t *msg):
    """Wrap a zmsg the caller hands over (freed if wrapping fails)."""
    cdef Message result
    try:
        result = Message.__new__(Message)
    except BaseException:
        zmsg_destroy(&msg)
        raise
    result._c_msg = msg
    return result


@cython.freelist(16)
cdef class Message:
    """A multipart message (a CZMQ zmsg): an ordered list of Frames.

    ``Message(*parts)`` takes Frames (which it then owns) and str/bytes/buffers
    (copied).  Frames returned by first()/next()/last()/iteration/indexing are
    borrowed: they keep the message alive and stay valid exactly as long as the
    message holds them.
    """

    def __cinit__(self):
        _live_up(LIVE_MESSAGES)
        self._borrowed = {}

    def __init__(self, *parts):
        if self._c_msg != NULL or self._gone_reason is not None:
            raise RuntimeError("Message.__init__ called twice")
        self._c_msg = zmsg_new()
        for part in parts:
            self._add(part, False)

    def __dealloc__(self):
        _live_down(LIVE_MESSAGES)
        # Borrowed frames hold a reference to us: any left are garbage too.
        if self._c_msg != NULL:
            zmsg_destroy(&self._c_msg)

    # -- ownership ---------------------------------------------------------------

    cdef int _check(self) except -1:
        if self._c_msg == NULL:
            raise ClosedError("Message was %s" % self._gone_reason)
        return 0

    cdef Frame _view(self, zframe_t *frame, size_t generation):
        """The borrowed Frame for a zframe of this message (None for NULL).
        `generation` is _generation when `frame` was read from the message."""
        cdef Frame result
        if frame == NULL:
            return None
        result = self._borrowed.get(<size_t>frame)
        if result is not None:
            return result
        result = Frame.__new__(Frame)
        if self._generation == generation:
            result._c_frame = frame
            result._state = FRAME_BORROWED
            result._owner = self
            self._borrowed[<size_t>frame] = result
            if self._generation == generation:
                return result
            self._borrowed.pop(<size_t>frame, None)
            result._c_frame = NULL
            result._state = FRAME_RELEASED
            result._owner = None
        # Code run by an allocation above took frames out of the message.
        raise RuntimeError("the Message changed (in a finalizer or another thread) "
                           "while a frame of it was being read")

    cdef Frame _adopt(self, zframe_t *frame):
        """An owning Frame for a zframe just taken out of this message: its
        borrowed view, if there is one, becomes the owner."""
        cdef Frame result = self._borrowed.pop(<size_t>frame, None)
        if result is None:
            return _owned_frame(frame, False)
        result._state = FRAME_OWNED
        result._owner = None
        return result

    cdef void _release_view(self, zframe_t *frame, bint *pinned) noexcept:
        """A zframe just left this message to be destroyed: release its view,
        which keeps the zframe (sets *pinned) while memoryviews point into it."""
        cdef Frame view = self._borrowed.pop(<size_t>frame, None)
        pinned[0] = False
        if view is None:
            return
        view._c_frame = NULL
        view._state = FRAME_RELEASED
        view._owner = None
        if view._exports:
            view._c_pinned = frame
            pinned[0] = True

    cdef void _discard(self, zframe_t *frame) noexcept:
        """Free a zframe just taken out of this message, unless its view's
        memoryviews still point into it."""
        cdef bint pinned
        self._release_view(frame, &pinned)
        if not pinned:
            _free_zframe(&frame)

    # -- hand-over to and from a socket (socket.pxi moves only zmq_msg_ts) --------

    cdef zmsg_t *_detach(self) except NULL:
        """Take the zmsg out for a send: the object is unusable ("being sent")
        until _reattach() (the send failed) or _mark_sent()."""
        cdef zmsg_t *msg
        self._check()
        msg = self._c_msg
        self._c_msg = NULL
        self._gone_reason = "being sent"
        self._generation += 1
        return msg

    cdef void _reattach(self, zmsg_t *msg) noexcept:
        """A send failed: the frames not sent are the message again."""
        self._c_msg = msg
        self._gone_reason = None

    cdef void _mark_sent(self, zmsg_t *msg) noexcept:
        """Every frame of the detached `msg` was sent."""
        zmsg_destroy(&msg)
        self._gone_reason = "sent; a sent message can not be used again"

    cdef zframe_t *_take_part(self, zmsg_t *msg, zmq_msg_t *part, bint *taken) except NULL:
        """Pop the detached `msg`'s first frame and put its data into the
        empty `part`: moved out (*taken), or shared when memoryviews of its
        borrowed Frame point into it (a message's frames have read-only
        views, so libzmq may share them)."""
        cdef zframe_t *frame = zmsg_pop(msg)
        cdef Frame view = self._borrowed.get(<size_t>frame) if self._borrowed else None
        taken[0] = view is None or not view._exports
        try:
            _msg_from_zframe(frame, part, DATA_TAKE if taken[0] else DATA_SHARE)
        except BaseException:
            zmsg_prepend(msg, &frame)
            raise
        return frame

    cdef void _untake_part(self, zmsg_t *msg, zframe_t *frame, zmq_msg_t *part,
                           bint taken) noexcept:
        """The send of _take_part()'s `part` failed: the frame goes back first."""
        if taken:
            _zframe_give_back(frame, part)
        zmsg_prepend(msg, &frame)

    cdef void _part_sent(self, zframe_t *frame) noexcept:
        """_take_part()'s frame was sent: its view keeps the zframe while
        memoryviews (maybe taken while the send waited) point into it."""
        self._discard(frame)

    cdef int _append_part(self, zmq_msg_t *part) except -1:
        """Append a received part (moved out of `part`) as a new last frame."""
        cdef zframe_t *frame = _zframe_from_msg(part)
        zmsg_append(self._c_msg, &frame)
        return 0

    cdef int _release_all(self) except -1:
        """Before the zmsg is destroyed: release every borrowed Frame, keeping
        the zframes that memoryviews still point into."""
        cdef Frame view
        self._generation += 1
        views = list(self._borrowed.values())
        self._borrowed.clear()
        for view in views:
            if view._exports:
                zmsg_remove(self._c_msg, view._c_frame)
                view._c_pinned = view._c_frame
            view._c_frame = NULL
            view._state = FRAME_RELEASED
            view._owner = None
        return 0

    cdef zframe_t *_part_zframe(self, object part) except NULL:
        """A zframe of `part` to add to this (usable) message: a Frame's own
        (the Frame is moved in) or a new one of its data."""
        cdef zframe_t *frame
        self._check()
        if isinstance(part, Frame):
            frame = (<Frame>part)._give(FRAME_MOVED)
        else:
            frame = _new_zframe(part)
        if self._c_msg == NULL:     # making the frame ran code that destroyed us
            _free_zframe(&frame)
            self._check()
        return frame

    cdef int _add(self, object part, bint front) except -1:
        cdef zframe_t *frame = self._part_zframe(part)
        if front:
            zmsg_prepend(self._c_msg, &frame)
        else:
            zmsg_append(self._c_msg, &frame)
        return 0

    # -- building ----------------------------------------------------------------

    def append(self, part):
        """Add a part at the end: a Frame (the message takes it over) or
        str/bytes/buffer (copied)."""
        self._add(part, False)

    def push(self, part):
        """Add a part at the front, like append()."""
        self._add(part, True)

    prepend = push

    def addstr(self, string):
        """Add a str (UTF-8) at the end."""
        if not isinstance(string, str):
            raise TypeError("addstr takes a str, not %s" % type(string).__name__)
        self._add(string, False)

    def pushstr(self, string):
        """Add a str (UTF-8) at the front."""
        if not isinstance(string, str):
            raise TypeError("pushstr takes a str, not %s" % type(string).__name__)
        self._add(string, True)

    def wrap(self, part):
        """Push `part` and an empty delimiter frame at the front (an envelope)."""
        cdef zframe_t *frame = self._part_zframe(part)
        cdef zframe_t *delimiter = zframe_new_empty()
        zmsg_prepend(self._c_msg, &delimiter)
        zmsg_prepend(self._c_msg, &frame)

    # -- taking apart ------------------------------------------------------------

    def pop(self):
        """Remove and return the first frame (now owned by the caller), or None."""
        cdef zframe_t *frame
        self._check()
        frame = zmsg_pop(self._c_msg)
        if frame == NULL:
            return None
        self._generation += 1
        return self._adopt(frame)

    def popstr(self):
        """Remove the first frame and return its data as str, or None."""
        cdef zframe_t *frame
        cdef bint pinned
        self._check()
        frame = zmsg_pop(self._c_msg)
        if frame == NULL:
            return None
        self._generation += 1
        self._release_view(frame, &pinned)
        try:
            return _decode(<char *>zframe_data(frame), zframe_size(frame))
        finally:
            if not pinned:
                _free_zframe(&frame)

    def unwrap(self):
        """Pop the first frame (an address) and, if the next one is empty, drop it."""
        cdef zframe_t *address
        cdef zframe_t *delimiter
        self._check()
        address = zmsg_pop(self._c_msg)
        if address == NULL:
            return None
        delimiter = zmsg_first(self._c_msg)
        if delimiter != NULL and zframe_size(delimiter) == 0:
            self._discard(zmsg_pop(self._c_msg))
        self._generation += 1
        return self._adopt(address)

    def remove(self, Frame frame not None):
        """Take a frame of this message out of it; the Frame object then owns it.
        A frame that is not in this message is left alone."""
        cdef size_t before
        self._check()
        frame._check()
        if frame._state != FRAME_BORROWED or frame._owner is not self:
            return
        before = zmsg_size(self._c_msg)
        zmsg_remove(self._c_msg, frame._c_frame)
        if zmsg_size(self._c_msg) == before:
            return
        self._generation += 1
        self._adopt(frame._c_frame)

    # -- reading -----------------------------------------------------------------

    def first(self):
        """The first frame (borrowed), or None; also moves the cursor to it."""
        self._check()
        return self._view(zmsg_first(self._c_msg), self._generation)

    def next(self):
        """The frame after the cursor (borrowed), or None."""
        self._check()
        return self._view(zmsg_next(self._c_msg), self._generation)

    def last(self):
        """The last frame (borrowed), or None."""
        self._check()
        return self._view(zmsg_last(self._c_msg), self._generation)

    def frames(self):
        """All frames, borrowed, as a list (moves the cursor to the end)."""
        cdef zframe_t *frame
        cdef zframe_t **pointers
        cdef size_t count, index = 0
        cdef size_t generation
        self._check()
        count = zmsg_size(self._c_msg)
        pointers = <zframe_t **>PyMem_Malloc((count + 1) * sizeof(zframe_t *))
        if pointers == NULL:
            raise MemoryError()
        try:
            frame = zmsg_first(self._c_msg)
            while frame != NULL:
                pointers[index] = frame
                index += 1
                frame = zmsg_next(self._c_msg)
            generation = self._generation
            return [self._view(pointers[index], generation) for index in range(count)]
        finally:
            PyMem_Free(pointers)

    def __iter__(self):
        return iter(self.frames())

    def __getitem__(self, index):
        return self.frames()[index]

    def tolist(self):
        """The data of every frame, as a list of bytes (moves the cursor to
        the end)."""
        cdef zframe_t *frame
        self._check()
        # Straight from the zframes: no borrowed Frame (and cycle) per frame.
        # bytes are not tracked by the GC, so no Python code runs meanwhile.
        parts = []
        frame = zmsg_first(self._c_msg)
        while frame != NULL:
            parts.append(PyBytes_FromStringAndSize(<char *>zframe_data(frame), zframe_size(frame)))
            frame = zmsg_next(self._c_msg)
        return parts

    @property
    def msg(self):
        """The address of the zmsg_t, as an int: the 2013 API's attribute (a cdata
        pointer then).  Use with care: it goes away when the message is sent."""
        self._check()
        return <size_t>self._c_msg

    def size(self):
        """Number of frames."""
        self._check()
        return zmsg_size(self._c_msg)

    def __len__(self):
        self._check()
        return zmsg_size(self._c_msg)

    def content_size(self):
        """Total number of bytes in all frames."""
        self._check()
        return zmsg_content_size(self._c_msg)

    def dup(self):
        """A new, independent Message with copies of all frames (moves the
        cursor to the end)."""
        cdef Message copy = Message()
        cdef zframe_t *frame
        cdef zframe_t *twin
        self._check()
        frame = zmsg_first(self._c_msg)
        while frame != NULL:
            twin = zframe_dup(frame)
            if twin == NULL:
                raise MemoryError("no memory to copy a frame")
            zframe_set_more(twin, zframe_more(frame))
            zmsg_append(copy._c_msg, &twin)
            frame = zmsg_next(self._c_msg)
        return copy

    def __eq__(self, other):
        if not isinstance(other, Message):
            return NotImplemented
        return self.tolist() == (<Message>other).tolist()

    __hash__ = None

    def __repr__(self):
        if self._c_msg == NULL:
            return "<pyczmq.Message %s at %#x>" % (self._gone_reason.split(";")[0], id(self))
        return "<pyczmq.Message %d frames, %d bytes at %#x>" % (
            zmsg_size(self._c_msg), zmsg_content_size(self._c_msg), id(self))

    # -- lifetime ----------------------------------------------------------------

    def send(self, Socket socket not None):
        """Send all frames to `socket`; the message is consumed."""
        socket.send_message_c(self)

    def destroy(self):
        """Free the message and its frames now."""
        self._check()
        self._release_all()
        self._gone_reason = "destroyed"
        zmsg_destroy(&self._c_msg)

    # -- files -------------------------------------------------------------------

    def save(self, filename):
        """Write the frames to a file in zmsg_save's format (size_t length, then
        data, per frame)."""
        parts = self.tolist()
        with open(_message_file(filename, "save"), "wb") as out:
            for data in parts:
                out.write(_SIZE_T.pack(len(data)))
                out.write(data)

    def load(self, filename):
        """Append the frames saved in a file by save() (or zmsg_save); returns
        self.  Raises ValueError if the file is truncated or corrupt."""
        self._check()
        with open(_message_file(filename, "load"), "rb") as source:
            content = source.read()
        parts = []
        position, end = 0, len(content)
        while position < end:
            if end - position < _SIZE_T.size:
                raise ValueError("%s: truncated frame header at byte %d" % (filename, position))
            size, = _SIZE_T.unpack_from(content, position)
            position += _SIZE_T.size
            if size > end - position:
                raise ValueError("%s: frame of %d bytes at byte %d runs past the end of the file"
                                 % (filename, size, position))
            parts.append(content[position:position + size])
            position += size
        for data in parts:
            self._add(data, False)
        return self
