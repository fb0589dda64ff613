# A trial of libzmq's I/O thread settings, and a context terminated on a
# thread of its own (include/pyczmq_threads.h).
# Used only inside pyczmq's own implementation: not part of the Cython API.

cdef extern from "pyczmq_threads.h" nogil:
    enum:
        PYCZMQ_MAX_CPUS
        PYCZMQ_STEP_NONE
        PYCZMQ_STEP_GETSCHEDPARAM
        PYCZMQ_STEP_SETSCHEDPARAM
        PYCZMQ_STEP_NICE
        PYCZMQ_STEP_AFFINITY
        PYCZMQ_STEP_THREAD
    int pyczmq_try_thread_settings(int policy, int priority, const int *cpus, int cpu_count,
                                   int *step)
    int pyczmq_term_in_background(void *context)
