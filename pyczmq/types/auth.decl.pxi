cdef class Auth(Actor):
    cdef bint _verbose          # VERBOSE was sent (zauth can not undo it)
