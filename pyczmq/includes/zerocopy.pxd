# include/pyczmq_zerocopy.h: the records of zero-copy sends, freed by libzmq
# from any thread and released by pyczmq's releaser thread with the GIL.
# Used only inside pyczmq's own implementation: not part of the Cython API.

cdef extern from "pyczmq_zerocopy.h" nogil:
    ctypedef struct pyczmq_zc_t:
        Py_buffer view
        int refs
        int done
        pyczmq_zc_t *next
    void pyczmq_zc_free(void *data, void *hint)
    void pyczmq_zc_sending()
    long pyczmq_zc_count()
    void pyczmq_zc_set_wake_fd(int fd)
    pyczmq_zc_t *pyczmq_zc_take_released()
    int pyczmq_zc_wait(pyczmq_zc_t *record, long timeout_ms)
    int pyczmq_zc_done(pyczmq_zc_t *record)
    void pyczmq_zc_after_fork()
