# The extension types of pyczmq in one compilation unit, so calls between
# them are direct C calls.  Each type lives in its own file under types/:
# the declarations (fields and cdef methods) in types/<type>.decl.pxi, fragments
# of _core.pxd, the implementation in types/<type>.pxi.
"""pyczmq's extension types: Context, Socket, Frame, Message, Loop, Poller, Cert,
CertStore, Auth, Beacon and the errors."""

from cpython.buffer cimport (PyBUF_ANY_CONTIGUOUS, PyBUF_SIMPLE, PyBUF_WRITABLE, PyBuffer_FillInfo,
                             PyBuffer_Release, PyObject_CheckBuffer, PyObject_GetBuffer)
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_CheckExact, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.exc cimport PyErr_CheckSignals
from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.pythread cimport (WAIT_LOCK, PyThread_acquire_lock, PyThread_allocate_lock,
                               PyThread_free_lock, PyThread_get_thread_ident,
                               PyThread_release_lock)
from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.errno cimport (EACCES, EADDRINUSE, EAGAIN, EBUSY, EINTR, EINVAL, EIO, EMFILE, ENODEV,
                         ENOMEM, ENOTSOCK, EPERM)
from libc.stdint cimport int64_t, uint64_t
from libc.string cimport memcpy
from libc.errno cimport errno
from posix.fcntl cimport F_DUPFD_CLOEXEC, F_SETFD, FD_CLOEXEC, fcntl
from libc.signal cimport SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGSEGV
from posix.signal cimport SIG_BLOCK, SIG_SETMASK, sigdelset, sigfillset, sigset_t
from posix.stat cimport S_ISSOCK, fstat, struct_stat
from posix.types cimport mode_t
from posix.unistd cimport close, getpid, pipe, read, write

import random as _random

cimport cython

from pyczmq.includes.thread_settings cimport *
from pyczmq.includes.zframe_access cimport (pyczmq_zframe_layout_ok, pyczmq_zframe_msg,
                                           pyczmq_zframe_set_more)

cdef extern from "<errno.h>":
    enum: ENOTSUP

cdef extern from "<sys/stat.h>" nogil:
    mode_t umask(mode_t mask)

cdef extern from "Python.h":
    const char *PyUnicode_AsUTF8AndSize(object unicode, Py_ssize_t *size) except NULL

include "types/errors.pxi"
include "types/process.pxi"
include "types/wait.pxi"
include "types/counters.pxi"
include "types/context.pxi"
include "types/options.pxi"
include "types/socket_options.pxi"
include "types/socket.pxi"
include "types/zerocopy.pxi"
include "types/frame.pxi"
include "types/message.pxi"
include "types/raw.pxi"
include "types/loop.pxi"
include "types/poller.pxi"
include "types/cert.pxi"
include "types/certstore.pxi"
include "types/actor.pxi"
include "types/auth.pxi"
include "types/beacon.pxi"
