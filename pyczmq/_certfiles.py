"""Certificate files as CZMQ reads them, in Python.

CZMQ's own readers print parse errors on stdout, abort on a folder holding two
certificates with one public key, and cut long file names short; pyczmq reads
the files here instead, with exactly CZMQ's rules (zconfig_chunk_load for ZPL,
zcert_load for certificates, zdir_new for folders), and raises clear errors.
"""

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


def z85_key(text):
    """The 32-byte key zcert_load gets from 40 characters of Z85 text, and
    whether the text was valid.  Like libzmq's zmq_z85_decode into CZMQ's
    zeroed buffer: on a bad character the bytes decoded so far stay."""
    key = bytearray(32)
    value = position = 0
    for count, char in enumerate(text, 1):
        digit = _Z85_VALUE.get(char)
        value = value * 85 + (digit if digit is not None else 0)
        if digit is None or value > 0xFFFFFFFF:
            return bytes(key), False
        if count % 5 == 0:
            key[position:position + 4] = value.to_bytes(4, "big")
            position += 4
            value = 0
    return bytes(key), True


class CertFile:
    """What zcert_load makes of a certificate file: the 32-byte keys (the
    secret one zeros when absent), whether their Z85 text was valid, and the
    metadata pairs."""

    __slots__ = ("path", "public_key", "secret_key", "keys_valid", "metadata")

    def __init__(self, path, public_txt, secret_txt, metadata):
        self.path = path
        self.public_key, public_ok = z85_key(public_txt)
        self.secret_key, secret_ok = z85_key(secret_txt) if secret_txt is not None else (bytes(32), True)
        self.keys_valid = public_ok and secret_ok
        self.metadata = metadata


def _read_zpl(path):
    """The parsed ZPL file at `path`, or None if it can not be read or parsed."""
    try:
        with open(os.fsdecode(path), "rb") as handle:
            return parse_zpl(handle.read())
    except (OSError, ValueError):
        return None


def read_cert_file(path):
    """Read a certificate file as zcert_load does (its "_secret" twin first).
    Returns a CertFile, or raises OSError (unreadable) / ValueError (not a
    certificate, with the reason)."""
    path = os.fsencode(path)
    root = _read_zpl(path + b"_secret")
    if root is None:
        try:
            with open(os.fsdecode(path), "rb") as handle:
                data = handle.read()
        except IsADirectoryError:
            raise IsADirectoryError("%s is a folder, not a certificate file" % os.fsdecode(path))
        try:
            root = parse_zpl(data)
        except ValueError as error:
            raise ValueError("%s is not a ZPL file: %s" % (os.fsdecode(path), error)) from None
    public = root.locate("curve/public-key")
    if public is None or len(public.value) != 40:
        raise ValueError("%s has no 40-character curve public-key" % os.fsdecode(path))
    secret = root.locate("curve/secret-key")
    metadata, seen = [], set()
    section = root.locate("metadata")
    for item in section.children if section is not None else ():
        if item.name not in seen:          # zcert_set_meta keeps the first value
            seen.add(item.name)
            metadata.append((item.name, item.value))
    return CertFile(path, public.value,
                    secret.value if secret is not None and len(secret.value) == 40 else None,
                    metadata)


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


def _walk(folder, found, parents, top):
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
            _walk(path, found, parents, False)
        elif stat.S_ISREG(info.st_mode) and not name.endswith(b"_secret"):
            found.append((path, _stat_key(path, info), _stat_key(path + b"_secret")))


def load_folder(location):
    """Every certificate CZMQ's store would load from `location`, as
    CertFiles (files that are not certificates are skipped, as CZMQ does),
    and the folder's signature.  Raises ValueError when two files hold the
    same public key (CZMQ aborts the process then)."""
    signature = folder_signature(location)
    certs, owners = [], {}
    for path, _, _ in signature or ():
        try:
            cert = read_cert_file(path)
        except (OSError, ValueError):
            continue
        owner = owners.setdefault(cert.public_key, path)
        if owner != path:
            raise ValueError("%s and %s hold the same public key; CZMQ can not load such "
                             "a folder" % (os.fsdecode(owner), os.fsdecode(path)))
        certs.append(cert)
    return certs, signature


def check_zauth_folder(location):
    """Refuse a folder zauth would abort on: duplicate public keys, or a
    certificate whose metadata does not fit zauth's buffer."""
    certs, _ = load_folder(location)
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
