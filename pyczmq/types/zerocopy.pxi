# Zero-copy sends: send(data, copy=False), send_multipart(parts, copy=False)
# and Frame(data, copy=False) hand libzmq the buffer itself.  The buffer is
# exported (PyObject_GetBuffer: the object stays alive and, for bytearray and
# the like, can not be resized) until libzmq frees the message, from any of
# its threads: include/pyczmq_zerocopy.h queues the record there, and the
# releaser thread below releases the export with the GIL.  A Tracker waits
# for libzmq to be done.  Below _NOGIL_COPY bytes a copy is cheaper than
# libzmq's bookkeeping for outside data, so small parts are copied (their
# Tracker is done at once), as pyzmq does.

from pyczmq.includes.zerocopy cimport *

cdef pid_t _releaser_pid = 0        # the process whose releaser thread runs


cdef void _release_records() noexcept:
    """Release the buffers libzmq is done with (GIL held)."""
    cdef pyczmq_zc_t *record = pyczmq_zc_take_released()
    cdef pyczmq_zc_t *following
    while record != NULL:
        following = record.next
        PyBuffer_Release(&record.view)     # (a no-op the second time)
        record.refs -= 1
        if record.refs == 0:
            PyMem_Free(record)
        record = following


def _releaser_main(int fd):
    """The releaser thread: woken by libzmq's free function through a pipe."""
    while True:
        try:
            woken = _os.read(fd, 4096)      # (the GIL is released while it blocks)
        except InterruptedError:
            continue
        except OSError:
            return
        if not woken:
            return
        _release_records()


cdef int _start_releaser() except -1:
    global _releaser_pid
    if _releaser_pid == _process_pid:
        return 0
    if _releaser_pid != 0:
        pyczmq_zc_after_fork()          # a forked child: the parent's records are not ours
    read_fd, write_fd = _os.pipe2(_os.O_CLOEXEC)
    _os.set_blocking(write_fd, False)
    _threading.Thread(target=_releaser_main, args=(read_fd,), daemon=True,
                      name="pyczmq-zero-copy-releaser").start()
    pyczmq_zc_set_wake_fd(write_fd)
    _releaser_pid = _process_pid
    return 0


cdef int _zero_copy_part(zmq_msg_t *msg, object data, Tracker tracker) except -1:
    """Initialise `msg` on the buffer of `data` itself (str: its UTF-8 form;
    small parts: a copy).  `tracker`, if not None, learns of it."""
    cdef pyczmq_zc_t *record
    cdef Py_buffer view
    _get_buffer(data, &view)
    if view.len < <Py_ssize_t>_NOGIL_COPY:
        try:
            if zmq_msg_init_size(msg, view.len) != 0:
                zmq_msg_init(msg)
                raise MemoryError("no memory for a %d-byte message" % view.len)
            memcpy(zmq_msg_data(msg), view.buf, view.len)
        finally:
            PyBuffer_Release(&view)
        return 0
    record = <pyczmq_zc_t *>PyMem_Malloc(sizeof(pyczmq_zc_t))
    if record == NULL:
        PyBuffer_Release(&view)
        zmq_msg_init(msg)
        raise MemoryError()
    record.view = view
    record.refs = 1
    record.done = 0
    record.next = NULL
    try:
        _start_releaser()
    except BaseException:
        PyBuffer_Release(&record.view)
        PyMem_Free(record)
        zmq_msg_init(msg)
        raise
    if zmq_msg_init_data(msg, view.buf, view.len, pyczmq_zc_free, record) != 0:
        PyBuffer_Release(&record.view)
        PyMem_Free(record)
        zmq_msg_init(msg)
        raise MemoryError("no memory for a zero-copy message")
    pyczmq_zc_sending()
    if tracker is not None:
        tracker._add(record)
    return 0


cdef object _send_zero_copy(Socket sock, object data, int flags, bint track):
    """Socket.send(data, flags, copy=False, track=track)."""
    cdef zmq_msg_t msg
    cdef Tracker tracker = Tracker.__new__(Tracker) if track else None
    if not _usable(sock):
        return sock._raise_unusable()
    _zero_copy_part(&msg, data, tracker)
    try:
        _send_one(sock, &msg, flags)
    finally:
        zmq_msg_close(&msg)         # (after a failed send: libzmq frees it at once)
    return tracker


cdef object _send_multipart_zero_copy(Socket sock, object parts, Py_ssize_t count,
                                      int flags, bint track):
    """Socket.send_multipart(parts, flags, copy=False, track=track)."""
    cdef Py_ssize_t index, prepared = 0
    cdef zmq_msg_t few[8]
    cdef zmq_msg_t *msgs = few
    cdef Tracker tracker = Tracker.__new__(Tracker) if track else None
    if count > 8:
        msgs = <zmq_msg_t *>PyMem_Malloc(count * sizeof(zmq_msg_t))
        if msgs == NULL:
            raise MemoryError()
    try:
        for index in range(count):
            _zero_copy_part(&msgs[index], parts[index], tracker)
            prepared += 1
        sock._reserve()
        try:
            for index in range(count - 1):
                sock._send_part(&msgs[index], flags | ZMQ_SNDMORE)
            sock._send_part(&msgs[count - 1], flags)
        finally:
            sock._release()
    finally:
        for index in range(prepared):
            zmq_msg_close(&msgs[index])     # (unsent: libzmq lets go of the buffer)
        if msgs != few:
            PyMem_Free(msgs)
    return tracker


def zero_copy_in_flight():
    """How many zero-copy buffers libzmq still holds (for debugging and tests)."""
    _release_records()
    return pyczmq_zc_count()


cdef class Tracker:
    """Tells when libzmq is done with the buffers of a zero-copy send
    (``send(data, copy=False, track=True)``): until then they must not
    change.  ``done`` is True once it is; ``wait(timeout)`` waits for it."""

    def __cinit__(self):
        self._records = []

    def __dealloc__(self):
        cdef pyczmq_zc_t *record
        for address in self._records:
            record = <pyczmq_zc_t *><size_t>address
            record.refs -= 1
            if record.refs == 0:
                PyMem_Free(record)

    cdef int _add(self, void *record) except -1:
        self._records.append(<size_t>record)
        (<pyczmq_zc_t *>record).refs += 1
        return 0

    @property
    def done(self):
        """True once libzmq has let go of every buffer."""
        for address in self._records:
            if not pyczmq_zc_done(<pyczmq_zc_t *><size_t>address):
                return False
        return True

    def wait(self, timeout=-1):
        """Wait until done (True), or `timeout` ms (-1: forever) pass (False).
        Ctrl-C raises KeyboardInterrupt."""
        cdef pyczmq_zc_t *record
        cdef long left = timeout, step
        cdef int done
        cdef int64_t deadline = zclock_mono() + left if left > 0 else 0
        for address in self._records:
            record = <pyczmq_zc_t *><size_t>address
            while True:
                step = 100 if left < 0 or left > 100 else left
                with nogil:
                    done = pyczmq_zc_wait(record, step)
                if done:
                    break
                PyErr_CheckSignals()
                if left >= 0:
                    left = deadline - zclock_mono()
                    if left <= 0:
                        return False
        return True

    def __repr__(self):
        return "<pyczmq.Tracker %s at %#x>" % ("done" if self.done else "pending", id(self))
