# The extension types of pyczmq, with their C pointer fields and cdef methods:
# the Cython API that other Cython code reaches with `cimport pyczmq` or
# `from pyczmq cimport Socket, Frame, ...`.  Implementations: types/*.pxi.

from cpython.pythread cimport PyThread_type_lock
from posix.types cimport pid_t

from pyczmq.includes.libzmq cimport *
from pyczmq.includes.czmq cimport *

cdef class Frame
cdef class Tracker
cdef class Message
cdef class Loop
cdef class CertStore

include "types/context.pxd"
include "types/frame.pxd"
include "types/message.pxd"
include "types/socket.pxd"
include "types/zerocopy.pxd"
include "types/raw.pxd"
include "types/loop.pxd"
include "types/poller.pxd"
include "types/cert.pxd"
include "types/certstore.pxd"
include "types/actor.pxd"
include "types/auth.pxd"
include "types/beacon.pxd"

# Constructors for other modules (the functional layer, Cython users).
cdef Frame new_frame(object data)
cdef Context new_own_context()
cdef str decode_text(bytes data)
cdef bytes encode_text(str text)
