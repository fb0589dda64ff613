# Cert: a CURVE certificate (CZMQ's zcert): a key pair and metadata.

_ZPL_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$-_@.&+/")


cdef int _check_curve() except -1:
    if not zmq_has(b"curve"):
        raise ZMQError(ENOTSUP, "this libzmq was built without CURVE security")
    return 0


cdef bytes _curve_key(object key, str what):
    """A CURVE key as 32 bytes: from 32 bytes, or 40 characters of Z85 text
    (str or bytes)."""
    cdef unsigned char binary[32]
    if isinstance(key, str):
        if len(<str>key) != 40:
            raise ValueError("%s must be 40 characters of Z85 text, not %d" % (what, len(key)))
        try:
            key = (<str>key).encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("%s is not Z85 text: %r" % (what, key)) from None
    elif isinstance(key, (bytearray, memoryview)):
        key = bytes(key)
    elif not isinstance(key, bytes):
        raise TypeError("%s must be 32 bytes or 40 characters of Z85 text, not %s"
                        % (what, type(key).__name__))
    if len(key) == 32:
        return key
    if len(key) == 40 and b"\0" not in key and zmq_z85_decode(binary, key) != NULL:
        return binary[:32]
    if len(key) == 40:
        raise ValueError("%s is not valid Z85 text: %r" % (what, key.decode("ascii", "replace")))
    raise ValueError("%s must be 32 bytes or 40 characters of Z85 text, not %d bytes"
                     % (what, len(key)))


cdef bytes _fs_path(object filename, str what):
    """A file name as NUL-free bytes."""
    path = _os.fsencode(filename)
    if not path:
        raise ValueError("%s: the file name is empty" % what)
    if b"\0" in path:
        raise ValueError("%s: the file name %r contains a NUL character" % (what, filename))
    if path == b"-":
        path = b"./-"       # CZMQ would write "-" to stdout
    return path


cdef bytes _meta_bytes(object value, str what):
    data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError("%s must be str or bytes, not %s" % (what, type(value).__name__))
    return data


cdef bytes _meta_name(object name):
    cdef bytes data = _meta_bytes(name, "metadata name")
    if not 0 < len(data) <= 255:
        raise ValueError("metadata name must be 1 to 255 bytes long, not %d" % len(data))
    if not _ZPL_NAME_CHARS.issuperset(data) or data[:1] == b"/" or data[-1:] == b"/":
        raise ValueError("metadata name %r: certificate files allow letters, digits and "
                         "$-_@.&+/ (not first or last)" % (name,))
    return data


cdef str _unsavable_char(bytes value):
    """The first character a certificate file can not hold in a value, or None."""
    for bad in ('"', "\n", "\r", "\0"):
        if bad.encode() in value:
            return bad
    return None


cdef bytes _meta_value(object value):
    cdef bytes data = _meta_bytes(value, "metadata value")
    bad = _unsavable_char(data)
    if bad is not None:
        raise ValueError("metadata value %r: a certificate file can not hold %r in a value"
                         % (value, bad))
    return data


cdef Cert cert_from_pointer(zcert_t *pointer):
    """A Cert owning `pointer` (NULL: MemoryError)."""
    if pointer == NULL:
        raise MemoryError("CZMQ could not allocate a certificate")
    cdef Cert cert = Cert.__new__(Cert)
    cert._c_cert = pointer
    return cert


cdef zcert_t *_new_zcert(bytes public_key, bytes secret_key) except NULL:
    cdef zcert_t *pointer = zcert_new_from(public_key, secret_key)
    if pointer == NULL:
        raise MemoryError("CZMQ could not allocate a certificate")
    return pointer


cdef zcert_t *_zcert_from_file(object cert_file) except NULL:
    """A new zcert_t from a pyczmq._certfiles.CertFile (as zcert_load makes it)."""
    cdef zcert_t *pointer = _new_zcert(cert_file.public_key, cert_file.secret_key)
    for name, value in cert_file.metadata:
        zcert_set_meta(pointer, name, b"%s", <const char *>value)
    return pointer


cdef list _meta_names(zcert_t *pointer):
    """A zcert's metadata names (bytes), in CZMQ's order."""
    cdef zlist_t *keys = zcert_meta_keys(pointer)
    cdef const char *key
    if keys == NULL:
        raise MemoryError("CZMQ could not list the metadata")
    names = []
    try:
        key = <const char *>zlist_first(keys)
        while key != NULL:
            names.append(<bytes>key)
            key = <const char *>zlist_next(keys)
    finally:
        zlist_destroy(&keys)
    return names


cdef list _meta_items(zcert_t *pointer):
    """A zcert's metadata as (name, value) bytes pairs."""
    return [(name, <bytes>zcert_meta(pointer, name)) for name in _meta_names(pointer)]


cdef zcert_t *_zcert_with_meta(zcert_t *source, bytes name, bytes value) except NULL:
    """A copy of `source` whose metadata `name` is `value` (CZMQ 4.2 can not
    change a value in place: zcert_set_meta keeps the first one)."""
    items = _meta_items(source)
    cdef zcert_t *copy = _new_zcert(zcert_public_key(source)[:32], zcert_secret_key(source)[:32])
    for key, old_value in items:
        if key != name:
            zcert_set_meta(copy, key, b"%s", <const char *>old_value)
    zcert_set_meta(copy, name, b"%s", <const char *>value)
    return copy


cdef class Cert:
    """A CURVE certificate: a public and secret key pair, and metadata.

    ``Cert()`` makes a new key pair; ``Cert.new_from(public, secret)`` and
    ``Cert.load(filename)`` rebuild one.  A certificate loaded from a public
    file has no secret key (``has_secret`` is False) and can not be applied
    to a socket.  A Cert inserted into (or looked up in) a CertStore is a
    view of the store's copy: it stays usable while the store holds it.
    """

    def __cinit__(self):
        _live_up(LIVE_CERTS)

    def __init__(self):
        _check_curve()
        if self._c_cert != NULL or self._store is not None:
            raise TypeError("Cert is already initialised")
        self._c_cert = zcert_new()
        if self._c_cert == NULL:
            _raise_last("make a CURVE key pair")

    def __dealloc__(self):
        _live_down(LIVE_CERTS)
        if self._c_cert != NULL:
            zcert_destroy(&self._c_cert)

    @staticmethod
    def new_from(public_key, secret_key=None):
        """A certificate from its keys: 32 bytes each, or 40 characters of Z85
        text.  `secret_key` None makes a public-only certificate (for a
        CertStore of clients); a secret key must match the public one."""
        cdef char derived[41]
        public = _curve_key(public_key, "public key")
        if secret_key is None:
            secret = bytes(32)
        else:
            secret = _curve_key(secret_key, "secret key")
            _check_curve()
            if zmq_curve_public(derived, _z85_text(secret)) != 0:
                _raise_last("derive the public key")
            if derived[:40] != _z85_text(public):
                raise ValueError("the public key does not belong to the secret key "
                                 "(are they swapped?)")
        return cert_from_pointer(zcert_new_from(public, secret))

    @staticmethod
    def load(filename):
        """Load a certificate saved by save() (or by CZMQ, or pyzmq): the
        "_secret" file when there is one, else the public file.  Raises
        OSError if it can not be read, ValueError naming the file if it is
        not a certificate or its keys are corrupt (a key that is not 40
        characters of Z85 text, or a secret key that does not belong to the
        public key: CZMQ's zcert_load would load a mangled key), or if it is
        not a regular file (a FIFO would block)."""
        from pyczmq import _certfiles
        path = _fs_path(filename, "load a certificate")
        return cert_from_pointer(_zcert_from_file(_certfiles.load_cert_file(path)))

    cdef zcert_t *_resolve(self) except NULL:
        if self._c_cert != NULL:
            return self._c_cert
        if self._store is not None:
            return self._store._find(self._store_key)
        raise ClosedError(self._ended_reason or "Cert was destroyed")

    # -- keys ------------------------------------------------------------------

    @property
    def public_key(self):
        """The public key, 32 bytes."""
        return zcert_public_key(self._resolve())[:32]

    @property
    def secret_key(self):
        """The secret key, 32 bytes (all zero when it is not known)."""
        return zcert_secret_key(self._resolve())[:32]

    @property
    def public_txt(self):
        """The public key as 40 characters of Z85 text."""
        return zcert_public_txt(self._resolve())[:40].decode("ascii")

    @property
    def secret_txt(self):
        """The secret key as 40 characters of Z85 text."""
        return zcert_secret_txt(self._resolve())[:40].decode("ascii")

    @property
    def has_secret(self):
        """False for a certificate loaded from a public file (no secret key)."""
        return zcert_secret_key(self._resolve())[:32] != bytes(32)

    # -- metadata --------------------------------------------------------------

    def set_meta(self, name, value):
        """Set metadata `name` (letters, digits, $-_@.&+/) to `value` (str or
        bytes; no quote or line break, as the file format requires)."""
        cdef bytes key = _meta_name(name)
        cdef bytes text = _meta_value(value)
        cdef zcert_t *pointer = self._resolve()
        cdef const char *current = zcert_meta(pointer, key)
        if current == NULL:
            zcert_set_meta(pointer, key, b"%s", <const char *>text)
        elif <bytes>current != text:
            if self._c_cert != NULL:
                self._c_cert = _zcert_with_meta(pointer, key, text)
                zcert_destroy(&pointer)
            else:
                self._store._replace(self._store_key, _zcert_with_meta(pointer, key, text))

    def meta(self, name):
        """The metadata value of `name` as str, or None if it is not set."""
        cdef bytes key = _meta_bytes(name, "metadata name")
        cdef zcert_t *pointer = self._resolve()
        cdef const char *value
        if b"\0" in key:
            return None
        value = zcert_meta(pointer, key)
        return None if value == NULL else (<bytes>value).decode("utf-8", "surrogateescape")

    def meta_keys(self):
        """The metadata names, as a list of str."""
        return [name.decode("utf-8", "surrogateescape") for name in _meta_names(self._resolve())]

    @property
    def metadata(self):
        """All metadata as a dict of str."""
        return {name: self.meta(name) for name in self.meta_keys()}

    # -- files -----------------------------------------------------------------

    def save(self, filename):
        """Write the public file `filename` and the secret file
        `filename` + "_secret" (readable by its owner only)."""
        path = _fs_path(filename, "save a certificate")
        self.save_public(path)
        self.save_secret(path + b"_secret")

    def save_public(self, filename):
        """Write the public certificate (no secret key) to `filename`."""
        path = _fs_path(filename, "save a certificate")
        cdef zcert_t *pointer = self._resolve()
        self._check_savable()
        if zcert_save_public(pointer, path) < 0:
            _raise_file_error(path)

    cdef int _check_savable(self) except -1:
        # A value read from a file may hold a quote (single-quoted there);
        # CZMQ writes values in double quotes, which would corrupt the file.
        for name, value in _meta_items(self._resolve()):
            bad = _unsavable_char(value)
            if bad is not None:
                raise ValueError("metadata %r holds %r, which a saved certificate file can not "
                                 "hold: change it with set_meta() first"
                                 % (name.decode("utf-8", "surrogateescape"), bad))
        return 0

    def save_secret(self, filename):
        """Write the full certificate, secret key included, to `filename`,
        readable by its owner only."""
        path = _fs_path(filename, "save a certificate")
        cdef zcert_t *pointer = self._resolve()
        cdef mode_t mask
        cdef int rc
        self._check_savable()
        try:
            _os.chmod(path, 0o600)      # an existing file keeps its mode when rewritten
        except FileNotFoundError:
            pass
        except OSError as error:
            raise OSError(error.errno, "can not make %s private: %s"
                          % (_os.fsdecode(path), error.strerror), _os.fsdecode(path)) from None
        # CZMQ sets its private mask itself but restores the old one only if
        # it was not 0: the caller's is restored here.
        mask = umask(0o066)
        rc = zcert_save_secret(pointer, path)
        umask(mask)
        if rc < 0:
            _raise_file_error(path)

    # -- use -------------------------------------------------------------------

    def apply(self, Socket socket not None):
        """Use this certificate's keys for CURVE on `socket` (its
        curve_publickey and curve_secretkey)."""
        cdef zcert_t *pointer = self._resolve()
        if not self.has_secret:
            raise ValueError("this certificate has no secret key (it was loaded from a public "
                             "file): it can not secure a socket")
        _check_curve()
        _set_option(socket, SOCKET_OPTIONS["curve_secretkey"], zcert_secret_key(pointer)[:32])
        _set_option(socket, SOCKET_OPTIONS["curve_publickey"], zcert_public_key(pointer)[:32])

    def dup(self):
        """An independent copy (keys and metadata)."""
        return cert_from_pointer(zcert_dup(self._resolve()))

    def print(self):
        """Log the certificate through CZMQ (zsys_info; stdout unless
        ZSYS_LOGSTREAM says otherwise).  The secret key is printed too."""
        zcert_print(self._resolve())

    def destroy(self):
        """Free the certificate (a view of a store's certificate only lets go of it)."""
        if self._c_cert != NULL:
            zcert_destroy(&self._c_cert)
        self._store = None
        self._ended_reason = "Cert was destroyed"

    @property
    def destroyed(self):
        """True once destroy() has run."""
        return self._c_cert == NULL and self._store is None

    def __enter__(self):
        self._resolve()
        return self

    def __exit__(self, *exc_info):
        self.destroy()

    def __eq__(self, other):
        if not isinstance(other, Cert):
            return NotImplemented
        return zcert_eq(self._resolve(), (<Cert>other)._resolve())

    def __hash__(self):
        cdef zcert_t *pointer = self._resolve()
        return hash((zcert_public_key(pointer)[:32], zcert_secret_key(pointer)[:32]))

    def __repr__(self):
        if self.destroyed:
            return "<pyczmq.Cert destroyed at %#x>" % id(self)
        try:
            pointer = self._resolve()
        except ClosedError as error:
            return "<pyczmq.Cert %s at %#x>" % (error.strerror, id(self))
        return "<pyczmq.Cert %s%s%s at %#x>" % (
            self.public_txt, "" if self.has_secret else " (public only)",
            " in a CertStore" if self._c_cert == NULL else "", id(self))


cdef bytes _z85_text(bytes key):
    cdef char text[41]
    zmq_z85_encode(text, key, 32)
    return text[:40]


cdef int _raise_file_error(bytes path) except -1:
    cdef int err = errno
    raise OSError(err or EIO, _os.strerror(err or EIO), _os.fsdecode(path))
