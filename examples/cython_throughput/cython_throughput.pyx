# cython: language_level=3
"""A downstream extension that cimports pyczmq: message loops that run
without the GIL, on the C pointer of a pyczmq.Socket.

Each function reserves the socket (begin_nogil), runs its loop in C with the
GIL released, and turns a libzmq error into the exception pyczmq raises."""

from cpython.exc cimport PyErr_CheckSignals
from libc.errno cimport EINTR
from libc.stdlib cimport calloc, free

from pyczmq cimport (Socket, ZMQ_SNDMORE, zmq_errno, zmq_msg_close, zmq_msg_data,
                     zmq_msg_init, zmq_msg_more, zmq_msg_size, zmq_msg_t)

from pyczmq import ZMQError


cdef int _send_message(Socket sock, const char *data, size_t size, int parts) noexcept nogil:
    """Send one message of `parts` parts; 0, or the libzmq error number."""
    cdef int part
    for part in range(parts):
        while sock.send_nogil(data, size, ZMQ_SNDMORE if part < parts - 1 else 0) < 0:
            if zmq_errno() != EINTR:
                return zmq_errno()
            with gil:
                if PyErr_CheckSignals() < 0:
                    return EINTR
    return 0


cdef int _recv_message(Socket sock, zmq_msg_t *msg, size_t *received) noexcept nogil:
    """Receive one message, all its parts; 0, or the libzmq error number."""
    while True:
        if sock.recv_nogil(msg, 0) < 0:
            if zmq_errno() != EINTR:
                return zmq_errno()
            with gil:
                if PyErr_CheckSignals() < 0:
                    return EINTR
            continue
        received[0] += zmq_msg_size(msg)
        if not zmq_msg_more(msg):
            return 0


cdef int _raise(int error) except -1:
    if error == EINTR:
        raise KeyboardInterrupt      # or whatever the signal handler raised
    raise ZMQError(error)


def send_messages(Socket sock not None, long count, size_t size, int parts=1):
    """Send `count` messages of `parts` parts of `size` zero bytes each."""
    cdef char *data = <char *>calloc(1, size + 1)
    cdef long index
    cdef int error = 0
    if data == NULL:
        raise MemoryError()
    sock.begin_nogil()
    try:
        with nogil:
            for index in range(count):
                error = _send_message(sock, data, size, parts)
                if error:
                    break
    finally:
        sock.end_nogil()
        free(data)
    if error:
        _raise(error)


def receive_messages(Socket sock not None, long count):
    """Receive `count` messages (all parts); returns the number of bytes."""
    cdef zmq_msg_t msg
    cdef size_t received = 0
    cdef long index
    cdef int error = 0
    zmq_msg_init(&msg)
    sock.begin_nogil()
    try:
        with nogil:
            for index in range(count):
                error = _recv_message(sock, &msg, &received)
                if error:
                    break
    finally:
        sock.end_nogil()
        zmq_msg_close(&msg)
    if error:
        _raise(error)
    return received


def echo_messages(Socket sock not None, long count):
    """REP side: receive `count` single-part requests and send each back."""
    cdef zmq_msg_t msg
    cdef size_t received = 0
    cdef long index
    cdef int error = 0
    zmq_msg_init(&msg)
    sock.begin_nogil()
    try:
        with nogil:
            for index in range(count):
                error = _recv_message(sock, &msg, &received)
                if not error:
                    error = _send_message(sock, <char *>zmq_msg_data(&msg), zmq_msg_size(&msg), 1)
                if error:
                    break
    finally:
        sock.end_nogil()
        zmq_msg_close(&msg)
    if error:
        _raise(error)


def round_trips(Socket sock not None, long count, size_t size):
    """REQ side: `count` request/reply round trips of `size` bytes."""
    cdef char *data = <char *>calloc(1, size + 1)
    cdef zmq_msg_t msg
    cdef size_t received = 0
    cdef long index
    cdef int error = 0
    if data == NULL:
        raise MemoryError()
    zmq_msg_init(&msg)
    sock.begin_nogil()
    try:
        with nogil:
            for index in range(count):
                error = _send_message(sock, data, size, 1)
                if not error:
                    error = _recv_message(sock, &msg, &received)
                if error:
                    break
    finally:
        sock.end_nogil()
        zmq_msg_close(&msg)
        free(data)
    if error:
        _raise(error)
