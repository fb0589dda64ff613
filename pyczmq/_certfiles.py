"""Certificate files as CZMQ reads them, in Python.

CZMQ's own readers print parse errors on stdout, abort on a folder holding two
certificates with one public key, and cut long file names short; pyczmq reads
the files here instead, with exactly CZMQ's rules (zconfig_chunk_load for ZPL,
zcert_load for certificates, zdir_new for folders), and raises clear errors.
Where CZMQ would load a certificate under a mangled key (key text that is not
Z85, a secret key of the wrong length or of another key pair) or block on a
file that is not regular, pyczmq refuses the file (BadCertificate, naming it
and the problem).  File names are literal: CZMQ's zfile reads "NAME.ln" as a
link, which check_zauth_folder refuses for the folders zauth reads itself.
fuzz/parsers.py compares all of this with CZMQ's own code.
"""

import errno
import os
import stat

_NAME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$-_@.&+/")
_SPACE = b" \t\n\v\f\r"

#: The largest metadata zauth can pass on for one CURVE client: it encodes the
#: properties of the client's certificate into a 512-byte buffer, unchecked.
ZAUTH_METADATA_LIMIT = 512


class ZplNode:
    """One item of a ZPL tree: a name, a value ("" when none) and children."""

    __slots__ = ("name", "value", "children")

    def __init__(self, name, value=b""):
        self.name = name
        self.value = value
        self.children = []

    def locate(self, path):
        """The first descendant along `path` ("curve/public-key"), or None."""
        node = self
        for part in path.strip("/").encode().split(b"/"):
            node = next((child for child in node.children if child.name == part), None)
            if node is None:
                return None
        return node


def parse_zpl(data):
    """Parse ZPL text (ZMQ RFC 4) the way CZMQ's zconfig does: the root
    ZplNode, or ValueError naming the first bad line."""
    root = ZplNode(b"root")
    for lineno, line in enumerate(data.split(b"\n"), 1):
        line = line.split(b"\0", 1)[0].rstrip(_SPACE)
        indent = len(line) - len(line.lstrip(b" "))
        if indent % 4:
            raise ValueError("line %d: indent 4 spaces at once" % lineno)
        rest = line[indent:]
        end = 0
        while end < len(rest) and rest[end] in _NAME_CHARS:
            end += 1
        name, rest = rest[:end], rest[end:]
        if name[:1] == b"/" or name[-1:] == b"/":
            raise ValueError("line %d: '/' not valid at name start or end" % lineno)
        if not name:
            _check_end_of_line(rest, lineno)
            continue
        value = _value(rest, lineno)
        parent = root
        for _ in range(indent // 4):
            if not parent.children:
                raise ValueError("line %d: indentation error" % lineno)
            parent = parent.children[-1]
        parent.children.append(ZplNode(name, value))
    return root


def _check_end_of_line(rest, lineno):
    stripped = rest.lstrip(_SPACE)
    if stripped and stripped[:1] != b"#":
        raise ValueError("line %d: invalid syntax %r" % (lineno, stripped.decode("utf-8", "replace")))


def _value(rest, lineno):
    rest = rest.lstrip(_SPACE)
    if rest[:1] != b"=":
        _check_end_of_line(rest, lineno)
        return b""
    after_equals = rest[1:]
    rest = after_equals.lstrip(_SPACE)
    quote = rest[:1]
    if quote in (b'"', b"'"):
        end = rest.find(quote, 1)
        if end < 0:
            raise ValueError("line %d: missing %s" % (lineno, quote.decode()))
        _check_end_of_line(rest[end + 1:], lineno)
        return rest[1:end]
    comment = rest.find(b"#")
    if comment == 0:
        # CZMQ backs up over the spaces before the '#' and cuts there, which
        # is before the value when it is only a comment: it keeps the comment.
        return rest if len(rest) < len(after_equals) else b""
    if comment > 0:
        rest = rest[:comment].rstrip(_SPACE)
    return rest


_Z85 = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
_Z85_VALUE = {char: index for index, char in enumerate(_Z85)}


class NotACertificate(ValueError):
    """The file is not a certificate (not ZPL, or no curve public-key):
    a folder skips it, as CZMQ's does."""


class BadCertificate(ValueError):
    """The file is a certificate (it has a curve public-key) whose keys are
    corrupt, or one CZMQ can not read safely: refused everywhere, never
    admitted under a mangled key."""


def z85_key(text):
    """The 32-byte key zcert_load gets from 40 characters of Z85 text, and
    what is wrong with the text (None if it is valid).  Like libzmq's
    zmq_z85_decode into CZMQ's zeroed buffer: on a bad character the bytes
    decoded so far stay."""
    key = bytearray(32)
    value = position = 0
    for count, char in enumerate(text, 1):
        digit = _Z85_VALUE.get(char)
        if digit is None:
            shown = repr(chr(char)) if 32 < char < 127 else "byte 0x%02x" % char
            return bytes(key), "character %d (%s) is not a Z85 character" % (count, shown)
        value = value * 85 + digit
        if value > 0xFFFFFFFF:
            return bytes(key), "characters %d-%d encode a number over 2**32" % (
                (count - 1) // 5 * 5 + 1, (count - 1) // 5 * 5 + 5)
        if count % 5 == 0:
            key[position:position + 4] = value.to_bytes(4, "big")
            position += 4
            value = 0
    return bytes(key), None


class CertFile:
    """What zcert_load makes of a certificate file: the 32-byte keys (the
    secret one zeros when absent) and the metadata pairs; `source` is the
    file read (`path` or its "_secret" twin) and `problem` what is wrong with
    its keys (None if nothing): CZMQ would load such a file under a mangled
    key, pyczmq refuses it (check())."""

    __slots__ = ("path", "source", "public_key", "secret_key", "problem", "metadata")

    def __init__(self, path, source, public_txt, secret_txt, metadata):
        self.path = path
        self.source = source
        self.metadata = metadata
        self.public_key, problem = z85_key(public_txt)
        if problem is not None:
            problem = "its curve public-key is not valid Z85 text: " + problem
        if secret_txt is None:
            self.secret_key = bytes(32)
        elif len(secret_txt) != 40:
            # zcert_load ignores such a secret key: the certificate would lose it
            self.secret_key = bytes(32)
            problem = problem or ("its curve secret-key is %d characters long, not 40"
                                  % len(secret_txt))
        else:
            self.secret_key, secret_problem = z85_key(secret_txt)
            if secret_problem is not None:
                problem = problem or "its curve secret-key is not valid Z85 text: " + secret_problem
            elif problem is None and not _belongs(self.public_key, self.secret_key):
                problem = "its curve secret-key does not belong to its public-key"
        self.problem = problem

    @property
    def keys_valid(self):
        """True if the keys are what the file says (no problem)."""
        return self.problem is None

    def check(self):
        """Raise BadCertificate naming the file if its keys are corrupt."""
        if self.problem is not None:
            raise BadCertificate("%s: %s" % (os.fsdecode(self.source), self.problem))
        return self


def _belongs(public_key, secret_key):
    """False if `secret_key` (not all zeros: that is "no secret key", as
    CZMQ saves a public-only certificate) does not make `public_key`."""
    if secret_key == bytes(32):
        return True
    from pyczmq._core import Cert, ZMQError
    try:
        Cert.new_from(public_key, secret_key)
    except ValueError:
        return False
    except ZMQError:            # a libzmq without CURVE can not tell
        return True
    return True


def _read_regular(path):
    """The content of the regular file `path`.  Raises OSError if it can
    not be read, IsADirectoryError for a folder, and BadCertificate for
    anything else that is not a regular file (a FIFO would block CZMQ's
    reader, and pyczmq's, forever; a device could be endless)."""
    fd = os.open(os.fsdecode(path), os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "%s is a folder, not a certificate file"
                                    % os.fsdecode(path), os.fsdecode(path))
        if not stat.S_ISREG(mode):
            raise BadCertificate("%s is not a regular file" % os.fsdecode(path))
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def _read_twin(twin):
    """The parsed "_secret" twin, or None where zcert_load falls back to the
    public file (missing, unreadable, not ZPL).  A folder there makes
    zcert_load read nothing (NotACertificate)."""
    try:
        data = _read_regular(twin)
    except IsADirectoryError:
        raise NotACertificate("%s is a folder: CZMQ reads no certificate then"
                              % os.fsdecode(twin)) from None
    except OSError:
        return None
    try:
        return parse_zpl(data)
    except ValueError:
        return None


def read_cert_file(path):
    """Read a certificate file as zcert_load does (its "_secret" twin first).
    Returns a CertFile (whose problem says if its keys are corrupt), or
    raises OSError (unreadable), NotACertificate (with the reason) or
    BadCertificate (a curve public-key that is not 40 characters; a file, or
    twin, that is not a regular file)."""
    path = os.fsencode(path)
    source = path + b"_secret"
    root = _read_twin(source)
    if root is None:
        source = path
        data = _read_regular(path)
        try:
            root = parse_zpl(data)
        except ValueError as error:
            raise NotACertificate("%s is not a ZPL file: %s" % (os.fsdecode(path), error)) from None
    public = root.locate("curve/public-key")
    if public is None:
        raise NotACertificate("%s has no curve public-key" % os.fsdecode(source))
    if len(public.value) != 40:
        raise BadCertificate("%s: its curve public-key is %d characters long, not 40"
                             % (os.fsdecode(source), len(public.value)))
    secret = root.locate("curve/secret-key")
    metadata, seen = [], set()
    section = root.locate("metadata")
    for item in section.children if section is not None else ():
        if item.name not in seen:          # zcert_set_meta keeps the first value
            seen.add(item.name)
            metadata.append((item.name, item.value))
    return CertFile(path, source, public.value, secret.value if secret is not None else None,
                    metadata)


def load_cert_file(path):
    """read_cert_file(path), refusing a certificate with corrupt keys
    (BadCertificate naming the file and the problem)."""
    return read_cert_file(path).check()


def folder_signature(location):
    """The certificate candidates under `location` as CZMQ's zdir sees them
    (recursively, hidden entries skipped, links followed): a sorted tuple of
    (path, stat of the file, stat of its "_secret" twin) for every regular
    file not ending in "_secret".  None if the folder is missing.  Raises
    ValueError for what would crash CZMQ's zdir: a link back to a parent
    folder (endless recursion) or a subfolder it can not open (an assert)."""
    location = os.fsencode(location)
    if not os.path.isdir(location):
        return None
    found = []
    _walk(location, found, frozenset(), True)
    return tuple(sorted(found))


def _stat_key(path, info=None):
    """What tells a file changed (size, mtime, inode), from `info` if the
    caller has already stat'ed it; None if it is not there."""
    if info is None:
        try:
            info = os.stat(path)
        except OSError:
            return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _walk(folder, found, parents, top, links=None):
    info = os.stat(folder)
    here = (info.st_dev, info.st_ino)
    if here in parents:
        raise ValueError("%s links back to a folder above it" % os.fsdecode(folder))
    try:
        entries = sorted(os.listdir(folder))
    except OSError as error:
        if top:
            return
        raise ValueError("can not read the subfolder %s (%s)"
                         % (os.fsdecode(folder), error.strerror)) from None
    parents = parents | {here}
    for name in entries:
        if name.startswith(b"."):
            continue
        path = folder + b"/" + name
        try:
            info = os.stat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, found, parents, False, links)
            continue
        if links is not None and name.endswith(b".ln"):
            links.append(path)
        if stat.S_ISREG(info.st_mode) and not name.endswith(b"_secret"):
            found.append((path, _stat_key(path, info), _stat_key(path + b"_secret")))


def load_folder(location):
    """Every certificate CZMQ's store would load from `location`, as
    CertFiles, and the folder's signature.  Files that are not certificates
    are skipped, as CZMQ does.  Raises BadCertificate (a ValueError) naming
    the file for a certificate whose keys are corrupt (CZMQ would admit it
    under a mangled key), and ValueError when two files hold the same public
    key (CZMQ aborts the process then)."""
    signature = folder_signature(location)
    certs, owners = [], {}
    for path, _, _ in signature or ():
        try:
            cert = load_cert_file(path)
        except (OSError, NotACertificate):
            continue
        owner = owners.setdefault(cert.public_key, path)
        if owner != path:
            raise ValueError("%s and %s hold the same public key; CZMQ can not load such "
                             "a folder" % (os.fsdecode(owner), os.fsdecode(path)))
        certs.append(cert)
    return certs, signature


#: The longest name zcert_load reads a "_secret" twin by (a 256-byte buffer).
ZCERT_NAME_LIMIT = 255


def check_zauth_folder(location):
    """Refuse a folder zauth would abort on, hang on or read otherwise than
    pyczmq: what load_folder refuses, a certificate whose metadata does not
    fit zauth's buffer, an entry named "*.ln" (CZMQ's zfile reads its first
    line as the name of another file and loads the certificate without
    ".ln", which can load one file twice and abort), and a path too long for
    zcert_load (it would cut the "_secret" twin's name short)."""
    location = os.fsencode(location)
    links = []
    if os.path.isdir(location):
        _walk(location, [], frozenset(), True, links)
    if links:
        raise ValueError("%s: CZMQ's zauth reads a file named *.ln as a link to the file named "
                         "in it, not as a certificate; rename it" % os.fsdecode(links[0]))
    certs, signature = load_folder(location)
    for path, _, _ in signature or ():
        if len(path) + len(b"_secret") > ZCERT_NAME_LIMIT:
            raise ValueError("%s: the path is too long for CZMQ's zcert_load (%d bytes with "
                             "\"_secret\"; it reads at most %d)" % (
                                 os.fsdecode(path), len(path) + 7, ZCERT_NAME_LIMIT))
    for cert in certs:
        check_zauth_metadata(cert.metadata, os.fsdecode(cert.path))
    return certs


def check_zauth_metadata(metadata, where):
    """Refuse metadata zauth can not encode (names over 255 bytes, or more
    than ZAUTH_METADATA_LIMIT bytes in all)."""
    size = 0
    for name, value in metadata:
        if len(name) > 255:
            raise ValueError("%s: metadata name %r is longer than 255 bytes" % (where, name[:20]))
        size += 1 + len(name) + 4 + len(value)
    if size > ZAUTH_METADATA_LIMIT:
        raise ValueError("%s: its metadata takes %d bytes on the wire; zauth has room for %d"
                         % (where, size, ZAUTH_METADATA_LIMIT))
