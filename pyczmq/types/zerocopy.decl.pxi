cdef class Tracker:
    cdef list _records          # <size_t> pyczmq_zc_t* of the zero-copy parts sent

    cdef int _add(self, void *record) except -1
