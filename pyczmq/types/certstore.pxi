# CertStore: certificates by public key (CZMQ's zcertstore), in memory or
# mirroring a folder.
#
# CZMQ's own folder loader aborts the process on a folder with two files of
# one public key, and throws away every certificate (freeing the ones Python
# holds) whenever the folder changes.  So the store here is always one of
# CZMQ's in-memory stores, filled by pyczmq from the folder with CZMQ's rules
# (pyczmq._certfiles), and Certs taken from it look their certificate up by
# key on every use.


cdef bytes _store_key(object key):
    """A public key as the 40 bytes of Z85 text a store is keyed by."""
    if isinstance(key, Cert):
        return zcert_public_txt((<Cert>key)._resolve())[:40]
    return _z85_text(_curve_key(key, "public key"))


cdef class CertStore:
    """CURVE certificates by public key.

    ``CertStore()`` is an in-memory store; ``CertStore(folder)`` loads every
    certificate in `folder` (and its subfolders) and reloads them when the
    folder changes, on ``lookup()``, as CZMQ documents.  Certificates you
    insert stay in memory and take precedence over a file with the same key.

    Files that are not certificates (no curve public-key) are skipped, as
    CZMQ does.  A folder CZMQ would load wrongly is refused with a
    ValueError naming the file, by ``CertStore(folder)`` and by the
    ``lookup()`` that reloads it (the store keeps what it held until the
    folder is fixed): a certificate whose keys are corrupt (CZMQ would admit
    it under a mangled key), two files with one public key (CZMQ aborts),
    a "_secret" twin that is not a regular file (CZMQ would block on a FIFO).
    """

    def __init__(self, location=None):
        if self._c_store != NULL or self._gone_reason is not None:
            raise TypeError("CertStore is already initialised")
        self._origins = {}
        self._c_store = zcertstore_new(NULL)
        if self._c_store == NULL:
            raise MemoryError("CZMQ could not allocate a certificate store")
        _live_up(LIVE_CERTSTORES)
        if location is not None:
            self.location = _os.fsdecode(_fs_path(location, "CertStore"))
            self._refresh()

    def __dealloc__(self):
        if self._c_store != NULL:
            _live_down(LIVE_CERTSTORES)
            zcertstore_destroy(&self._c_store)

    cdef int _check(self) except -1:
        if self._c_store == NULL:
            raise ClosedError(self._gone_reason or "CertStore was destroyed")
        return 0

    cdef zcert_t *_find(self, bytes key) except NULL:
        """The store's certificate for `key` (no reload)."""
        cdef zcert_t *pointer
        if self._c_store == NULL:
            raise ClosedError("this certificate's %s" % (self._gone_reason
                                                          or "CertStore was destroyed"))
        pointer = zcertstore_lookup(self._c_store, key)
        if pointer == NULL:
            raise ClosedError("certificate %s is no longer in its CertStore (its file changed "
                              "or went away)" % key.decode("ascii"))
        return pointer

    cdef int _refresh(self) except -1:
        """Reload the folder if it changed since the last load."""
        from pyczmq import _certfiles
        cdef zcertstore_t *fresh
        cdef zcert_t *pointer
        if self.location is None or self._c_store == NULL:
            return 0
        signature = _certfiles.folder_signature(self.location)
        if signature is None or signature == self._signature:
            return 0            # a missing folder keeps what was loaded, as in CZMQ
        cert_files, signature = _certfiles.load_folder(self.location)
        origins = {key: None for key, origin in self._origins.items() if origin is None}
        fresh = zcertstore_new(NULL)
        if fresh == NULL:
            raise MemoryError("CZMQ could not allocate a certificate store")
        try:
            for key in origins:
                pointer = zcert_dup(zcertstore_lookup(self._c_store, key))
                if pointer == NULL:
                    raise MemoryError("CZMQ could not copy a certificate")
                zcertstore_insert(fresh, &pointer)
            for cert_file in cert_files:
                pointer = _zcert_from_file(cert_file)
                key = zcert_public_txt(pointer)[:40]
                if key in origins:          # inserted in memory: that one stays
                    zcert_destroy(&pointer)
                    continue
                origins[key] = cert_file.path
                zcertstore_insert(fresh, &pointer)
        except BaseException:
            zcertstore_destroy(&fresh)
            raise
        zcertstore_destroy(&self._c_store)
        self._c_store = fresh
        self._origins = origins
        self._signature = signature
        return 0

    cdef int _replace(self, bytes key, zcert_t *cert) except -1:
        """Put `cert` (owned) in place of the certificate with `key`: CZMQ 4.2
        has no remove, so the store is rebuilt."""
        cdef zcertstore_t *fresh = zcertstore_new(NULL)
        cdef zcert_t *pointer
        if fresh == NULL:
            zcert_destroy(&cert)
            raise MemoryError("CZMQ could not allocate a certificate store")
        for other in self._origins:
            if other == key:
                pointer = cert
            else:
                pointer = zcert_dup(zcertstore_lookup(self._c_store, other))
            if pointer == NULL:
                zcertstore_destroy(&fresh)
                raise MemoryError("CZMQ could not copy a certificate")
            zcertstore_insert(fresh, &pointer)
        zcertstore_destroy(&self._c_store)
        self._c_store = fresh
        return 0

    cdef zcertstore_t *_hand_over(self, str reason) except NULL:
        """Give the C store to a new owner; this object is then unusable."""
        cdef zcertstore_t *store
        self._check()
        store = self._c_store
        _live_down(LIVE_CERTSTORES)           # its new owner destroys it
        self._c_store = NULL
        self._gone_reason = reason
        return store

    def lookup(self, public_key):
        """The certificate with `public_key` (Z85 text or 32 bytes), or None.
        Reloads the folder first if it changed.  The Cert returned is the
        store's: it follows the store and raises once its file goes away."""
        cdef bytes key = _store_key(public_key)
        cdef Cert cert
        self._check()
        self._refresh()
        if zcertstore_lookup(self._c_store, key) == NULL:
            return None
        cert = Cert.__new__(Cert)
        cert._store = self
        cert._store_key = key
        return cert

    def insert(self, Cert cert not None):
        """Add `cert` to the store (in memory; save() it to keep it on disk).
        The store takes the certificate: `cert` becomes a view of it."""
        cdef bytes key
        self._check()
        if cert._c_cert == NULL:
            cert._resolve()         # raises if destroyed
            raise ValueError("this Cert already belongs to a CertStore: insert cert.dup()")
        key = zcert_public_txt(cert._c_cert)[:40]
        if zcertstore_lookup(self._c_store, key) != NULL:
            raise ValueError("the store already has a certificate with public key %s"
                             % key.decode("ascii"))
        zcertstore_insert(self._c_store, &cert._c_cert)
        cert._store = self
        cert._store_key = key
        self._origins[key] = None

    def keys(self):
        """The public keys (Z85 text) of the certificates held now."""
        self._check()
        return [key.decode("ascii") for key in self._origins]

    def __len__(self):
        self._check()
        return len(self._origins)

    def __contains__(self, public_key):
        try:
            key = _store_key(public_key)
        except (TypeError, ValueError):
            return False
        self._check()
        return key in self._origins

    def print(self):
        """Log every certificate through CZMQ (zsys_info), secret keys included."""
        self._check()
        zsys_info(b"%s", <const char *>(b"zcertstore: certificates in store" if self.location
                                        else b"zcertstore: certificates in memory"))
        for key in self._origins:
            zcert_print(zcertstore_lookup(self._c_store, key))

    dump = print

    def destroy(self):
        """Free the store and its certificates (Certs taken from it stop working)."""
        if self._c_store != NULL:
            _live_down(LIVE_CERTSTORES)
            zcertstore_destroy(&self._c_store)
            self._origins = {}
            self._gone_reason = "CertStore was destroyed"

    @property
    def destroyed(self):
        """True once destroy() has run (or the store was handed to an Auth)."""
        return self._c_store == NULL

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *exc_info):
        self.destroy()

    def __repr__(self):
        where = "folder %r" % self.location if self.location is not None else "memory"
        if self._c_store == NULL:
            return "<pyczmq.CertStore %s, %s at %#x>" % (where, self._gone_reason, id(self))
        return "<pyczmq.CertStore %s, %d certificates at %#x>" % (where, len(self._origins),
                                                                  id(self))
