cdef class CertStore:
    cdef zcertstore_t *_c_store # an in-memory store: pyczmq reads the folder itself
    cdef readonly object location   # the folder it mirrors, or None
    """The folder the store mirrors, or None for an in-memory store."""
    cdef dict _origins          # public key (Z85 bytes) -> its file (bytes), or None if inserted
    cdef object _signature      # the folder as last loaded (see pyczmq._certfiles)
    cdef str _gone_reason       # why _c_store is NULL (destroyed, handed to an Auth)
    cdef object __weakref__

    cdef int _check(self) except -1
    cdef int _refresh(self) except -1
    cdef zcert_t *_find(self, bytes key) except NULL
    cdef zcertstore_t *_hand_over(self, str reason) except NULL
    cdef int _replace(self, bytes key, zcert_t *cert) except -1
