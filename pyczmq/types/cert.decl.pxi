cdef class Cert:
    cdef zcert_t *_c_cert       # owned; NULL while the certificate lives in a CertStore
    cdef CertStore _store       # the store holding it (this object is then a view), or None
    cdef bytes _store_key       # its public key (Z85) in that store
    cdef str _ended_reason      # why it can no longer be used, or None

    cdef zcert_t *_resolve(self) except NULL
    cdef int _check_savable(self) except -1


cdef Cert cert_from_pointer(zcert_t *cert)
