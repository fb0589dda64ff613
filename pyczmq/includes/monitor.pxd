# A socket monitor whose events never block libzmq (include/pyczmq_monitor.h).
# Used only inside pyczmq's own implementation: not part of the Cython API.

cdef extern from "pyczmq_monitor.h" nogil:
    int pyczmq_monitor_start(void *reader, void *publisher, int forward_stopped, int done_fd)
    int pyczmq_monitors_running()     # forwarder threads running (live_objects)
