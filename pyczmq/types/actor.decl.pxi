cdef class Actor


cdef class ActorPipe(Socket):
    cdef Actor _owner           # the actor, once handed out (a borrowed socket holds its owner)


cdef class Actor:
    cdef zactor_t *_c_actor     # the CZMQ actor (a thread and its pipe); NULL once ended
    cdef pid_t _pid             # process that started it
    cdef Context _ctx           # the Context that ends it with destroy(), or None
    cdef ActorPipe _pipe        # our end of the pipe: busy while a call uses it
    cdef PyThread_type_lock _lock   # one command at a time on the pipe
    cdef object __weakref__

    cdef int _start(self, zactor_fn *task, void *args, Context ctx) except -1
    cdef int _check(self) except -1
    cdef object _command(self, list parts, int reply)
    cdef void _end(self) noexcept
    cdef bint _end_unless_busy(self) noexcept
