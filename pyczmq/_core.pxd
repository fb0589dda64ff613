# The extension types of pyczmq, with their C pointer fields and cdef methods:
# the Cython API that other Cython code reaches with `cimport pyczmq` or
# `from pyczmq cimport Socket, Frame, ...` (README, "Cython API").
#
# Each type's declaration is an include fragment, types/<type>.decl.pxi (not a
# module of its own: it is compiled only as part of this file); its
# implementation is types/<type>.pxi.
#
# Public, kept stable: the types pyczmq/__init__.pxd exports (as types of
# arguments and variables); the C pointer fields Socket._c_handle,
# Frame._c_frame and Message._c_msg (read them; NULL once closed, sent or
# destroyed; the object stays their owner); Socket.ctx; Socket's cdef methods
# send_buffer, recv_bytes_c, recv_text_c, send_frame_c, recv_frame_c,
# send_message_c, recv_message_c, begin_nogil, end_nogil, send_nogil and
# recv_nogil; the Tracker type (zero-copy sends); the module-level functions
# at the end of this file (new_frame, new_own_context, decode_text,
# encode_text).
# private: may change -- every other field, cdef method and cdef function
# (all the other names starting with "_", cert_from_pointer), and the types
# that pyczmq/__init__.pxd does not export.

from cpython.pythread cimport PyThread_type_lock
from posix.types cimport pid_t

from pyczmq.includes.libzmq cimport *
from pyczmq.includes.czmq cimport *

cdef class Frame
cdef class Tracker
cdef class Message
cdef class Loop
cdef class CertStore

include "types/context.decl.pxi"
include "types/frame.decl.pxi"
include "types/message.decl.pxi"
include "types/socket.decl.pxi"
include "types/zerocopy.decl.pxi"
include "types/raw.decl.pxi"
include "types/loop.decl.pxi"
include "types/poller.decl.pxi"
include "types/cert.decl.pxi"
include "types/certstore.decl.pxi"
include "types/actor.decl.pxi"
include "types/auth.decl.pxi"
include "types/beacon.decl.pxi"

# Constructors for other modules (the functional layer, Cython users).
cdef Frame new_frame(object data)
cdef Context new_own_context()
cdef str decode_text(bytes data)
cdef bytes encode_text(str text)
