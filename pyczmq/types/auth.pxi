# Auth: CZMQ's zauth actor, the ZAP handler that accepts or refuses each
# incoming connection (by address, PLAIN password or CURVE key).
#
# zauth asserts (aborting the process) when it can not bind its endpoint,
# inproc://zeromq.zap.01: a second zauth, or any socket already bound there.
# It also trusts every message on that endpoint to be a well-formed ZAP
# request.  So Auth checks the endpoint and the room for its sockets first,
# allows one Auth per process, and while it runs no pyczmq socket of CZMQ's
# context may connect to that endpoint.

import stat as _stat

CURVE_ALLOW_ANY = "*"
cdef bytes _ZAP_ENDPOINT = b"inproc://zeromq.zap.01"


cdef int _check_zauth_can_start() except -1:
    """Raise unless zauth's three sockets (the ZAP handler and its pipe) can
    be made and the ZAP endpoint is free."""
    cdef void *probe
    cdef int rc = 0, err = 0
    _check_room_for_sockets(3, "start an Auth (zauth)")
    probe = zsys_socket(ZMQ_REP, NULL, 0)
    if probe == NULL:
        _raise_last("start an Auth (zauth)")
    while True:
        rc = zmq_bind(probe, _ZAP_ENDPOINT)
        err = zmq_errno()
        # A socket of ours closed there a moment ago: libzmq frees the
        # endpoint asynchronously (see Socket.bind).
        unbound_at = _recently_unbound.get(_ZAP_ENDPOINT.decode())
        if rc == 0 or err != EADDRINUSE or unbound_at is None \
                or zclock_mono() - unbound_at > _UNBIND_GRACE:
            break
        _time.sleep(0.002)
    if rc == 0:
        zmq_unbind(probe, _ZAP_ENDPOINT)        # immediate for inproc
    zsys_close(probe, NULL, 0)
    if rc != 0:
        if err == EADDRINUSE:
            raise ZMQError(err, "start an Auth: inproc://zeromq.zap.01 is bound by another "
                                "socket (a ZAP handler of your own?)")
        raise ZMQError(err, "start an Auth: bind inproc://zeromq.zap.01")
    return 0


cdef bytes _auth_text(object value, str what):
    data = value.encode("utf-8") if isinstance(value, str) else value
    if not isinstance(data, bytes):
        raise TypeError("%s must be str, not %s" % (what, type(value).__name__))
    if not data or b"\0" in data:
        raise ValueError("%s must be non-empty text without NUL characters: %r" % (what, value))
    return data


cdef class Auth(Actor):
    """CZMQ's authenticator (the zauth actor): the ZAP handler that decides,
    for every socket of CZMQ's context, which incoming connections get in.

    Until configured, NULL connections are allowed and PLAIN and CURVE ones
    refused.  ``allow``/``deny`` filter by IP address (for NULL connections
    only on servers that set a ``zap_domain``); ``configure_plain`` and
    ``configure_curve`` check credentials.  CZMQ 4 applies every policy to
    all domains: the `domain` arguments are kept for pyczmq 0.1's API.  One
    Auth can run per process; each call returns once zauth has applied it.

    `certstore` (an in-memory CertStore) hands its certificates to zauth for
    CURVE: the store can not be used from Python afterwards.
    """

    def __init__(self, Context ctx=None, CertStore certstore=None):
        global _zauth_owner
        cdef zcertstore_t *store = NULL
        if ctx is not None:
            ctx._check_alive()
            if ctx._c_ctx != NULL:
                raise ValueError("zauth answers the sockets of CZMQ's context only, not of a "
                                 "zmq.ctx_new() context")
        if _zauth_owner != NULL:
            raise ZMQError(EBUSY, "an Auth is already running in this process (CZMQ allows one "
                                  "zauth): destroy it first")
        if certstore is not None:
            certstore._check()
            if certstore.location is not None:
                raise ValueError("a CertStore reading a folder can not be handed to zauth: "
                                 "use configure_curve(domain, %r)" % certstore.location)
            from pyczmq import _certfiles
            for key in certstore._origins:
                _certfiles.check_zauth_metadata(_meta_items(certstore._find(key)),
                                                "certificate %s" % key.decode("ascii"))
        _check_zauth_can_start()
        if certstore is not None:
            store = certstore._hand_over("CertStore was handed to an Auth")
        self._start(zauth, store, ctx)
        _zauth_owner = <void *>self

    def allow(self, *addresses):
        """Accept connections from these IP addresses ("127.0.0.1") only.
        For PLAIN and CURVE the credentials are still checked."""
        self._command([b"ALLOW"] + [_auth_text(address, "address") for address in addresses],
                      REPLY_SIGNAL)

    def deny(self, *addresses):
        """Refuse connections from these IP addresses (ignored once any
        address is allowed: then only allowed ones get in)."""
        self._command([b"DENY"] + [_auth_text(address, "address") for address in addresses],
                      REPLY_SIGNAL)

    def configure_plain(self, domain, filename):
        """Check PLAIN clients against a password file of ``user=password``
        lines.  A missing file refuses everyone until it appears; edits take
        effect once the file has been unchanged for 5 s (CZMQ waits for it to
        be stable; ZSYS_FILE_STABLE_AGE_MSEC changes that).  Raises
        ValueError for a FIFO, device or socket (zauth would block on a FIFO:
        keep the file regular while in use)."""
        _auth_text(domain, "domain")
        # zauth reads the file by name on every request: fix it to this folder.
        path = _os.path.abspath(_fs_path(filename, "configure_plain"))
        try:
            mode = _os.stat(path).st_mode
        except OSError:
            pass
        else:
            if not (_stat.S_ISREG(mode) or _stat.S_ISDIR(mode)):
                # zauth's fopen would block on a FIFO, with the caller waiting
                # for it (a folder reads as an empty file: nobody gets in)
                raise ValueError("%s is not a regular file" % _os.fsdecode(path))
        self._command([b"PLAIN", path], REPLY_SIGNAL)

    def configure_curve(self, domain, location):
        """Check CURVE clients against the public certificates in the folder
        `location`, reloaded whenever it changes; CURVE_ALLOW_ANY ("*")
        accepts any client that knows the server's public key.  Raises
        ValueError for a folder zauth could not load (two files with one
        public key, or metadata over 512 bytes): keep it that way while it
        is in use, since CZMQ aborts the process on such a folder."""
        _auth_text(domain, "domain")
        if location == CURVE_ALLOW_ANY or location == CURVE_ALLOW_ANY.encode():
            folder = b"*"
        else:
            from pyczmq import _certfiles
            folder = _os.path.abspath(_fs_path(location, "configure_curve"))
            _certfiles.check_zauth_folder(folder)
        self._command([b"CURVE", folder], REPLY_SIGNAL)

    def set_verbose(self, verbose=True):
        """Log each ZAP request and decision through CZMQ (zsys_info).  zauth
        can not turn logging off again."""
        if verbose:
            self._command([b"VERBOSE"], REPLY_SIGNAL)
            self._verbose = True
        elif self._verbose:
            raise ValueError("zauth can not turn verbose logging off once on")

    def __repr__(self):
        state = "destroyed" if self._c_actor == NULL else "running"
        return "<pyczmq.Auth %s at %#x>" % (state, id(self))


def zauth_selftest(bint verbose=False):
    """Run CZMQ's own zauth self-test (zauth_test) in a child interpreter, in
    a temporary folder: it writes files under its working folder and aborts
    on failure.  Returns 0, or raises RuntimeError with its output."""
    import subprocess, sys, tempfile
    code = "import pyczmq._core as core; core._run_zauth_test(%r)" % bool(verbose)
    package_parent = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    path = _os.pathsep.join([package_parent] + [entry for entry in
                                                [_os.environ.get("PYTHONPATH")] if entry])
    with tempfile.TemporaryDirectory(prefix="pyczmq-zauth-test-") as folder:
        result = subprocess.run([sys.executable, "-c", code], cwd=folder,
                                env=dict(_os.environ, PYTHONPATH=path),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = result.stdout.decode("utf-8", "replace")
    if verbose:
        print(output, end="")
    if result.returncode != 0 or not output.rstrip().endswith("OK"):
        raise RuntimeError("CZMQ's zauth self-test failed (exit %d):\n%s"
                           % (result.returncode, output))
    return 0


def _run_zauth_test(bint verbose):
    _os.makedirs("src/selftest-rw", exist_ok=True)
    zauth_test(verbose)
