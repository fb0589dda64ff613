# Direct access to the zmq_msg_t inside a zframe_t (include/pyczmq_zframe.h).
# Used only inside pyczmq's own implementation: not part of the Cython API.

from pyczmq.includes.czmq cimport zframe_t
from pyczmq.includes.libzmq cimport zmq_msg_t


cdef extern from "pyczmq_zframe.h" nogil:
    zmq_msg_t *pyczmq_zframe_msg(zframe_t *frame)
    void pyczmq_zframe_set_more(zframe_t *frame, int more)
    int pyczmq_zframe_layout_ok()
