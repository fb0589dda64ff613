#!/usr/bin/env python3
"""Fuzz targets for every place pyczmq parses bytes that come from outside.

    python fuzz/parsers.py --runs N [--seed S] [--target NAME ...] [--out DIR]
    python fuzz/parsers.py --target NAME --replay FILE      # one input, in this process
    python fuzz/parsers.py --list

Targets (each checks pyczmq against CZMQ's or libzmq's own C code, called
through ctypes, wherever one exists):

  msg_load       Message.load / zmsg.load of a file (zmsg_save's format); the
                 frames must match CZMQ's zmsg_load, and save() must write the
                 same bytes back.
  zpl            pyczmq._certfiles.parse_zpl against CZMQ's zconfig_chunk_load
                 (the reader of certificate files): same tree, or both refuse.
  cert_file      Cert.load / zcert.load of a certificate file (public, or its
                 "_secret" twin) against CZMQ's zcert_load: the same keys and
                 metadata, or a clear ValueError naming the file; a loaded
                 certificate saves and loads back unchanged.
  cert_folder    CertStore(folder) built at once and by a lookup() reload, and
                 Auth's folder check, against CZMQ's zcertstore (which aborts on
                 what pyczmq lets through): a folder of files given as
                 "==> name" sections of the input.
  auth_curve     Auth.configure_curve of such a folder: zauth loads it with
                 CZMQ's own loader, in its thread; a folder pyczmq accepts must
                 not crash or hang it.
  plain_file     Auth.configure_plain of a password file, which zauth reads at
                 once with CZMQ's zhashx_load: no crash, no hang.
  z85            pyczmq.zmq.z85_decode / z85_encode against a reference decoder,
                 Z85 keys in Cert.new_from and in the curve_* socket options.
  monitor_event  pyczmq.zmq.parse_monitor_event of the two frames a socket
                 monitor sends.

Each target runs in a child process, so that a crash (an abort in CZMQ, a
segfault) or a hang becomes a reported finding with the input that caused it
saved in --out.  The engine is atheris (libFuzzer, coverage-guided over
pyczmq's Python code) when it is installed, else a seeded random mutator.
Seeds come from fuzz/corpus/<target>/ (files written by CZMQ itself; see
--make-corpus).  The exit status is 1 if anything was found.
"""

import argparse
import ctypes
import errno
import hashlib
import mmap
import os
import random
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
DICTIONARY = os.path.join(HERE, "parsers.dict")

Z85_CHARS = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"


# -- CZMQ's own code, through ctypes (the oracle) ---------------------------------------


class Czmq:
    """The CZMQ 4.2.1 functions the targets compare pyczmq with (all exported
    by Debian's libczmq.so.4)."""

    def __init__(self):
        lib = self.lib = ctypes.CDLL("libczmq.so.4")
        libc = self.libc = ctypes.CDLL(None)
        vp, cp, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
        pp = ctypes.POINTER(ctypes.c_void_p)

        def declare(library, name, restype, *argtypes):
            function = getattr(library, name)
            function.restype, function.argtypes = restype, list(argtypes)

        declare(libc, "fopen", vp, cp, cp)
        declare(libc, "fclose", ctypes.c_int, vp)
        declare(lib, "zmsg_load", vp, vp)
        declare(lib, "zmsg_save", ctypes.c_int, vp, vp)
        declare(lib, "zmsg_new", vp)
        declare(lib, "zmsg_addmem", ctypes.c_int, vp, cp, sz)
        declare(lib, "zmsg_first", vp, vp)
        declare(lib, "zmsg_next", vp, vp)
        declare(lib, "zmsg_destroy", None, pp)
        declare(lib, "zframe_data", vp, vp)
        declare(lib, "zframe_size", sz, vp)
        declare(lib, "zchunk_new", vp, cp, sz)
        declare(lib, "zchunk_destroy", None, pp)
        declare(lib, "zconfig_chunk_load", vp, vp)
        declare(lib, "zconfig_child", vp, vp)
        declare(lib, "zconfig_next", vp, vp)
        declare(lib, "zconfig_name", cp, vp)
        declare(lib, "zconfig_value", cp, vp)
        declare(lib, "zconfig_destroy", None, pp)
        declare(lib, "zcert_new", vp)
        declare(lib, "zcert_load", vp, cp)
        declare(lib, "zcert_save", ctypes.c_int, vp, cp)
        declare(lib, "zcert_set_meta", None, vp, cp, cp, cp)
        declare(lib, "zcert_public_txt", cp, vp)
        declare(lib, "zcert_secret_txt", cp, vp)
        declare(lib, "zcert_meta", cp, vp, cp)
        declare(lib, "zcert_meta_keys", vp, vp)
        declare(lib, "zcert_destroy", None, pp)
        declare(lib, "zlist_first", cp, vp)
        declare(lib, "zlist_next", cp, vp)
        declare(lib, "zlist_destroy", None, pp)
        declare(lib, "zcertstore_new", vp, cp)
        declare(lib, "zcertstore_lookup", vp, vp, cp)
        declare(lib, "zcertstore_destroy", None, pp)

    def msg_load(self, path):
        """The frames CZMQ's zmsg_load reads from `path`, or None (NULL)."""
        handle = self.libc.fopen(os.fsencode(path), b"rb")
        assert handle, "fopen failed"
        try:
            msg = ctypes.c_void_p(self.lib.zmsg_load(handle))
        finally:
            self.libc.fclose(handle)
        if not msg:
            return None
        frames = []
        frame = self.lib.zmsg_first(msg)
        while frame:
            frames.append(ctypes.string_at(self.lib.zframe_data(frame), self.lib.zframe_size(frame)))
            frame = self.lib.zmsg_next(msg)
        self.lib.zmsg_destroy(ctypes.byref(msg))
        return frames

    def msg_save(self, frames, path):
        """Write `frames` with CZMQ's zmsg_save."""
        msg = ctypes.c_void_p(self.lib.zmsg_new())
        for data in frames:
            self.lib.zmsg_addmem(msg, data, len(data))
        handle = self.libc.fopen(os.fsencode(path), b"wb")
        try:
            assert self.lib.zmsg_save(msg, handle) == 0
        finally:
            self.libc.fclose(handle)
            self.lib.zmsg_destroy(ctypes.byref(msg))

    def zpl(self, data):
        """CZMQ's zconfig tree of `data` as (name, value, children) tuples of
        the root's children, or None if it refuses the text."""
        chunk = ctypes.c_void_p(self.lib.zchunk_new(data, len(data)))
        root = ctypes.c_void_p(self.lib.zconfig_chunk_load(chunk))
        self.lib.zchunk_destroy(ctypes.byref(chunk))
        if not root:
            return None
        try:
            return self._children(root)
        finally:
            self.lib.zconfig_destroy(ctypes.byref(root))

    def _children(self, node):
        children = []
        child = self.lib.zconfig_child(node)
        while child:
            children.append((self.lib.zconfig_name(child), self.lib.zconfig_value(child) or b"",
                             self._children(child)))
            child = self.lib.zconfig_next(child)
        return children

    def describe(self, cert):
        keys = ctypes.c_void_p(self.lib.zcert_meta_keys(cert))
        names = []
        name = self.lib.zlist_first(keys)
        while name is not None:
            names.append(name)
            name = self.lib.zlist_next(keys)
        self.lib.zlist_destroy(ctypes.byref(keys))
        return (self.lib.zcert_public_txt(cert), self.lib.zcert_secret_txt(cert),
                {name: self.lib.zcert_meta(cert, name) for name in names})

    def cert_load(self, path):
        """(public txt, secret txt, {name: value}) from CZMQ's zcert_load, or None."""
        cert = ctypes.c_void_p(self.lib.zcert_load(os.fsencode(path)))
        if not cert:
            return None
        try:
            return self.describe(cert)
        finally:
            self.lib.zcert_destroy(ctypes.byref(cert))

    def cert_save(self, path, metadata=()):
        """A new key pair saved by CZMQ's zcert_save (public file and twin)."""
        cert = ctypes.c_void_p(self.lib.zcert_new())
        for name, value in metadata:
            self.lib.zcert_set_meta(cert, name, b"%s", value)
        assert self.lib.zcert_save(cert, os.fsencode(path)) == 0
        self.lib.zcert_destroy(ctypes.byref(cert))

    def store_lookup(self, folder, keys):
        """{key: description or None} from CZMQ's zcertstore of `folder`
        (CZMQ aborts on a folder with two files of one public key)."""
        store = ctypes.c_void_p(self.lib.zcertstore_new(os.fsencode(folder)))
        try:
            found = {}
            for key in keys:
                cert = self.lib.zcertstore_lookup(store, key)
                found[key] = self.describe(cert) if cert else None
            return found
        finally:
            self.lib.zcertstore_destroy(ctypes.byref(store))


# -- helpers ----------------------------------------------------------------------------


def reference_z85_decode(text):
    """Z85 (ZMQ RFC 32) decoded by the spec, as libzmq's zmq_z85_decode
    accepts it: bytes, or None if the text is not valid."""
    if len(text) < 5 or len(text) % 5:
        return None
    out = bytearray()
    for start in range(0, len(text), 5):
        value = 0
        for char in text[start:start + 5]:
            index = Z85_CHARS.find(bytes([char]))
            if index < 0:
                return None
            value = value * 85 + index
        if value >= 1 << 32:
            return None
        out += value.to_bytes(4, "big")
    return bytes(out)


def expect_raises(exception, function, *args, match=None):
    """Call function(*args), which must raise `exception` (whose text holds
    `match`); returns the exception."""
    try:
        function(*args)
    except exception as error:
        if match is not None:
            assert match in str(error), "%r does not mention %r" % (str(error), match)
        return error
    raise AssertionError("%s%r did not raise %s" % (function.__name__, args, exception.__name__))


def write_file(path, data):
    """Write `data` to a new file at `path` (ext4 flushes a file truncated
    by a rewrite: 2 ms instead of 0.1)."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    with open(path, "wb") as out:
        out.write(data)


_SECTION = re.compile(rb"(?:\A|\n)==> ([^\n]*)\n")
_NAME_JUNK = re.compile(rb"[^A-Za-z0-9._/-]")


def folder_files(data):
    """The files of a folder input: sections "==> name\\n" + content; text
    before the first section is the file "a".  Names are made safe (no
    leading "/", no "..", at most 3 levels); a later section of the same name
    replaces the content."""
    files = {}
    marks = list(_SECTION.finditer(data))
    if not marks or marks[0].start() > 0:
        files[b"a"] = data[:marks[0].start()] if marks else data
    for number, mark in enumerate(marks):
        end = marks[number + 1].start() if number + 1 < len(marks) else len(data)
        name = _NAME_JUNK.sub(b"", mark.group(1))[:60]
        parts = [part for part in name.split(b"/") if part not in (b"", b".", b"..")][-3:]
        files[b"/".join(parts) or b"a"] = data[mark.end():end]
    return files


def make_folder(folder, files):
    """Write `files` ({relative name: content}) under `folder`; a name that
    clashes with a folder already made is skipped."""
    for name, content in files.items():
        path = os.path.join(folder, name)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            write_file(path, content)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            pass


def candidates(folder):
    """The files a store considers: regular, not hidden, not "_secret"."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith(b"."))
        for name in sorted(names):
            path = os.path.join(top, name)
            if not name.startswith(b".") and not name.endswith(b"_secret") \
                    and stat.S_ISREG(os.stat(path).st_mode):
                found.append(path)
    return found


# -- the targets -------------------------------------------------------------------------

TARGETS = {}


def target(name, outcomes, max_len=4096, hidden=False):
    """Register a target class: __init__(workdir) sets up once per process,
    one(data) checks one input (an exception is a finding) and returns one
    of `outcomes`, counted in the report."""
    def register(cls):
        cls.name, cls.outcomes, cls.max_len, cls.hidden = name, outcomes, max_len, hidden
        TARGETS[name] = cls
        return cls
    return register


@target("msg_load", ("loaded", "refused"))
class MessageLoad:
    def __init__(self, workdir):
        from pyczmq import Message, zmsg
        self.Message, self.zmsg = Message, zmsg
        self.czmq = Czmq()
        self.path = os.path.join(workdir, "message")
        self.copy = os.path.join(workdir, "copy")

    def one(self, data):
        write_file(self.path, data)
        msg = self.Message(b"already here")
        try:
            msg.load(self.path)
        except ValueError as error:
            assert self.path in str(error), "the error does not name the file: %s" % error
            assert msg.tolist() == [b"already here"], "a refused file changed the message"
            assert self.zmsg.load(None, self.path) is None
            return "refused"
        frames = msg.tolist()[1:]
        # the format has no slack: what loads, saves back byte for byte
        self.Message(*frames).save(self.copy)
        with open(self.copy, "rb") as saved:
            assert saved.read() == data, "save() after load() wrote other bytes"
        assert self.zmsg.load(None, self.path).tolist() == frames
        theirs = self.czmq.msg_load(self.path)
        if b"" in frames:
            assert theirs is None, "CZMQ's zmsg_load reads an empty frame"
        else:
            assert theirs == frames, "CZMQ reads %r, pyczmq %r" % (theirs, frames)
        return "loaded"

    def mutate(self, data, rng):
        """A frame-level change (zmsg_save's format is all length fields:
        byte mutations rarely keep it loadable)."""
        frames, position, size = [], 0, struct.calcsize("@N")
        while len(data) - position >= size:
            length, = struct.unpack_from("@N", data, position)
            if length > len(data) - position - size:
                break
            frames.append(data[position + size:position + size + length])
            position += size + length
        tail = data[position:]
        choice = rng.randrange(7)
        where = rng.randrange(len(frames) + 1)
        if choice == 0 and frames:
            frames.insert(where, rng.choice(frames))
        elif choice == 1 and frames:
            del frames[min(where, len(frames) - 1)]
        elif choice == 2:
            frames.insert(where, bytes(rng.randrange(256) for _ in range(
                rng.choice((0, 1, 2, 7, 8, 9, 254, 255, 256)))))
        elif choice == 3:
            tail = b""
        else:
            tail = {4: struct.pack("@N", rng.choice((0, 1, 8, 2 ** 32, 2 ** 63, 2 ** 64 - 1))),
                    5: struct.pack("@N", rng.randrange(1, 64)) + bytes(rng.randrange(64)),
                    6: bytes(rng.randrange(1, 8))}.get(choice, b"")
        return b"".join(struct.pack("@N", len(frame)) + frame for frame in frames) + tail


def _tree(node):
    return [(child.name, child.value, _tree(child)) for child in node.children]


@target("zpl", ("parsed", "refused"))
class Zpl:
    def __init__(self, workdir):
        from pyczmq import _certfiles
        self.parse = _certfiles.parse_zpl
        self.czmq = Czmq()

    def one(self, data):
        try:
            ours = _tree(self.parse(data))
        except ValueError as error:
            assert re.match(r"line \d+: ", str(error)), "unclear error: %s" % error
            ours = None
        theirs = self.czmq.zpl(data)
        assert ours == theirs, "pyczmq reads %r, CZMQ %r" % (ours, theirs)
        return "refused" if ours is None else "parsed"


@target("cert_file", ("loaded", "corrupt key", "not a certificate"))
class CertFileTarget:
    def __init__(self, workdir):
        from pyczmq import Cert, _certfiles, zcert
        from pyczmq.zmq import z85_encode
        self.Cert, self.certfiles, self.zcert, self.z85_encode = Cert, _certfiles, zcert, z85_encode
        self.czmq = Czmq()
        self.workdir = workdir
        self.count = 0

    def one(self, data):
        self.count += 1
        folder = os.path.join(self.workdir, "c%d" % self.count)
        os.mkdir(folder)
        try:
            return self._check(folder, data)
        finally:
            shutil.rmtree(folder)

    def _check(self, folder, data):
        path = os.path.join(folder, "cert")
        # an odd length goes to the "_secret" twin, read first by both
        write_file(path + "_secret" if len(data) % 2 else path, data)
        theirs = self.czmq.cert_load(path)
        try:
            reading = self.certfiles.read_cert_file(path)
        except FileNotFoundError:
            # a "_secret" twin that does not parse, and no public file
            assert theirs is None, "CZMQ loads %r from a missing file" % (theirs,)
            expect_raises(FileNotFoundError, self.Cert.load, path)
            return "not a certificate"
        except ValueError as error:
            assert theirs is None, "CZMQ loads %r, pyczmq refuses it: %s" % (theirs, error)
            assert folder in str(error), "the error does not name the file: %s" % error
            expect_raises(ValueError, self.Cert.load, path, match=folder)
            if isinstance(error, self.certfiles.BadCertificate):
                return "corrupt key"
            return "not a certificate"
        assert theirs is not None, "pyczmq reads a certificate CZMQ refuses"
        assert (self.z85_encode(reading.public_key).encode(),
                self.z85_encode(reading.secret_key).encode(),
                dict(reading.metadata)) == theirs, "pyczmq reads %r, CZMQ %r" % (
                    (reading.public_key, reading.secret_key, reading.metadata), theirs)
        if reading.problem is not None:
            # CZMQ admits it under a mangled key; pyczmq must refuse it
            error = expect_raises(ValueError, self.Cert.load, path, match=reading.problem)
            assert os.fsdecode(reading.source) in str(error)
            expect_raises(ValueError, self.zcert.load, path)
            return "corrupt key"
        cert = self.Cert.load(path)
        assert (cert.public_txt.encode(), cert.secret_txt.encode()) == theirs[:2]
        assert {name.encode("utf-8", "surrogateescape"): value.encode("utf-8", "surrogateescape")
                for name, value in cert.metadata.items()} == theirs[2]
        assert self.zcert.load(path) == cert
        # and it saves and loads back unchanged (unless a value can not be saved)
        copy = os.path.join(folder, "copy")
        try:
            cert.save(copy)
        except ValueError as error:
            assert "metadata" in str(error), error
            assert any(char in value for _, value in reading.metadata for char in b"\"\r\n")
            return "loaded"
        again = self.Cert.load(copy)
        assert again == cert and again.metadata == cert.metadata
        return "loaded"


class FolderCheck:
    """What pyczmq makes of a folder input: the outcome of CertStore (made
    at once and reloaded by lookup()) and of Auth's check, all consistent
    with the files' own Cert.load, and with CZMQ's store where pyczmq
    accepts the folder."""

    def __init__(self, workdir):
        from pyczmq import Cert, CertStore, _certfiles
        self.Cert, self.CertStore, self.certfiles = Cert, CertStore, _certfiles
        self.czmq = Czmq()
        self.workdir = os.fsencode(workdir)
        self.count = 0

    def one(self, data):
        self.count += 1
        folder = os.path.join(self.workdir, b"f%d" % self.count)
        os.mkdir(folder)
        os.chdir(folder)            # a "*.ln" file names a file relative to here
        try:
            return self._check(folder, folder_files(data))
        finally:
            os.chdir(self.workdir)
            shutil.rmtree(folder)

    def _check(self, folder, files):
        early = self.CertStore(folder)      # empty now: lookup() reloads it below
        make_folder(folder, files)
        loads, bad = {}, None
        for path in candidates(folder):
            try:
                loads[path] = self.Cert.load(path)
            except ValueError as error:
                if isinstance(error, self.certfiles.BadCertificate):
                    bad = bad or path
            except OSError:
                pass
        keys = [cert.public_txt for cert in loads.values()]
        duplicate = len(set(keys)) < len(keys)
        try:
            store = self.CertStore(folder)
        except ValueError as error:
            assert bad or duplicate, "CertStore refuses a folder of good files: %s" % error
            assert os.fsdecode(folder) in str(error), "the error names no file: %s" % error
            expect_raises(ValueError, early.lookup, bytes(32))
            expect_raises(ValueError, self.certfiles.check_zauth_folder, folder)
            return "refused"
        assert not bad, "CertStore admits %r, which Cert.load refuses" % bad
        assert not duplicate, "CertStore admits two files of one key"
        assert sorted(store.keys()) == sorted(keys)
        early.lookup(bytes(32))
        assert sorted(early.keys()) == sorted(keys), "a reload reads otherwise"
        for cert in loads.values():
            for held in (store.lookup(cert.public_txt), early.lookup(cert.public_txt)):
                assert held == cert and held.metadata == cert.metadata
        try:
            self.certfiles.check_zauth_folder(folder)
        except ValueError:
            return "store only"     # zauth can not take this folder
        # pyczmq lets zauth load it: CZMQ's loader must agree (and not abort)
        lookups = [key.encode() for key in keys] + [
            reading[0] for reading in map(self.czmq.cert_load, candidates(folder)) if reading]
        found = self.czmq.store_lookup(folder, lookups)
        for key, description in found.items():
            ours = store.lookup(key)
            assert description is not None and ours is not None, \
                "key %s: CZMQ's store %s it, pyczmq's %s" % (
                    key, "holds" if description else "lacks", "holds" if ours else "lacks")
            assert description == (ours.public_txt.encode(), ours.secret_txt.encode(), {
                name.encode("utf-8", "surrogateescape"): value.encode("utf-8", "surrogateescape")
                for name, value in ours.metadata.items()}), (description, ours.metadata)
        return "accepted"


target("cert_folder", ("accepted", "store only", "refused"))(FolderCheck)


@target("auth_curve", ("configured", "refused"))
class AuthCurve(FolderCheck):
    def __init__(self, workdir):
        super().__init__(workdir)
        from pyczmq import Auth, Context
        self.context = Context()
        self.auth = Auth(self.context)

    def _check(self, folder, files):
        make_folder(folder, files)
        try:
            self.auth.configure_curve("*", folder)
        except ValueError:
            return "refused"
        return "configured"


@target("plain_file", ("configured",))
class PlainFile:
    """Auth.configure_plain of a password file, which zauth reads at once in
    its thread with CZMQ's zhashx_load: no content may crash or hang it."""

    def __init__(self, workdir):
        from pyczmq import Auth, Context
        self.context = Context()
        self.auth = Auth(self.context)
        self.path = os.path.join(workdir, "passwords")

    def one(self, data):
        write_file(self.path, data)
        self.auth.configure_plain("*", self.path)
        return "configured"


@target("z85", ("valid", "invalid"), max_len=128)
class Z85:
    def __init__(self, workdir):
        from pyczmq import Cert, CertStore, Context, _certfiles
        from pyczmq.zmq import z85_decode, z85_encode
        self.Cert, self.z85_key = Cert, _certfiles.z85_key
        self.store = CertStore()
        self.store.insert(Cert())
        self.decode, self.encode = z85_decode, z85_encode
        self.context = Context()
        self.socket = self.context.socket("DEALER")
        self.flip = 0

    def one(self, data):
        expected = reference_z85_decode(data) if data else b""
        if b"\0" in data:
            expected = None
        for form in (data, bytearray(data)) + ((data.decode("ascii"),) if data.isascii() else ()):
            try:
                ours = self.decode(form)
            except ValueError:
                ours = None
            assert ours == expected, "z85_decode(%r) = %r, not %r" % (form, ours, expected)
        if expected is not None:
            assert self.encode(expected) == data.decode("ascii")
        if len(data) % 4 == 0:
            text = self.encode(data)
            assert len(text) == len(data) * 5 // 4 and self.decode(text) == data
        else:
            expect_raises(ValueError, self.encode, data)
        if len(data) == 40:
            key, problem = self.z85_key(data)
            if b"\0" not in data:
                assert (problem is None) == (expected is not None), (data, problem)
                assert problem is not None or key == expected
            self._check_key(data, expected)
        elif len(data) == 32:
            self._check_key(data, data)
        return "invalid" if expected is None else "valid"

    def mutate(self, data, rng):
        """Mostly valid Z85 text (byte mutations rarely are), of key length
        or another multiple of 5, with now and then a bad character or a
        group at the largest value (%nSc0 = 2**32 - 1) or just over it."""
        length = rng.choice((40, 40, 40, 32, 5, 10, 45, len(data) - len(data) % 5))
        text = bytearray(Z85_CHARS[byte % 85] for byte in (data * 2 + b"\0")[:length])
        if text and rng.random() < 0.5:
            where = rng.randrange(len(text))
            text[where] = rng.choice(b"\0 \"|~\x7f\xff#")
        if len(text) >= 5 and rng.random() < 0.3:
            start = rng.randrange(len(text) // 5) * 5
            text[start:start + 5] = rng.choice((b"%nSc0", b"%nSc1", b"#####", b"00000"))
        return bytes(text)

    def _check_key(self, data, expected):
        """A 40-character key text (or a 32-byte key) in Cert.new_from,
        CertStore.lookup and a curve_* socket option: taken iff valid, read
        back the same."""
        if expected is None:
            expect_raises(ValueError, self.Cert.new_from, data)
            expect_raises(ValueError, self.store.lookup, data)
            assert data not in self.store
        else:
            assert self.Cert.new_from(data).public_key == expected
            assert self.store.lookup(data) is None and data not in self.store
        self.flip ^= 1
        name = ("curve_serverkey", "curve_publickey")[self.flip]
        try:
            setattr(self.socket, name, data)
        except ValueError:
            assert expected is None, "%s refused %r" % (name, data)
            return
        except OSError as error:
            assert error.errno == errno.EINVAL and expected is None, (name, data, error)
            return
        assert expected is not None, "%s took %r, which is not a key" % (name, data)
        assert getattr(self.socket, name) == self.encode(expected)


@target("monitor_event", ("event", "refused"), max_len=128)
class MonitorEvent:
    def __init__(self, workdir):
        from pyczmq import Frame
        from pyczmq.zmq import parse_monitor_event
        self.parse, self.Frame = parse_monitor_event, Frame

    def one(self, data):
        split = data[0] % 9 if data else 0
        head, tail = data[1:1 + split], data[1 + split:]
        outcome = "refused"
        for parts in ([head, tail], [bytearray(head), memoryview(tail)],
                      [self.Frame(head), self.Frame(tail)], [data], [head, tail, b""]):
            try:
                event = self.parse(parts)
            except ValueError:
                assert len(parts) != 2 or len(head) != 6, parts
                continue
            assert len(parts) == 2 and len(head) == 6
            assert event == struct.unpack("=HI", head) + (tail.decode("utf-8", "replace"),)
            outcome = "event"
        return outcome


class Selftest:
    """Checks the harness itself (not run by default): an input starting
    with b"ABORT" aborts the process, b"RAISE" raises, b"HANG" never
    returns; each selftest target's seed corpus holds its trigger."""

    def __init__(self, workdir):
        pass

    def one(self, data):
        if data.startswith(b"ABORT"):
            os.abort()
        if data.startswith(b"RAISE"):
            raise AssertionError("selftest finding")
        if data.startswith(b"HANG"):
            while True:
                time.sleep(1)
        return "ran"


for _name in ("selftest_abort", "selftest_raise", "selftest_hang"):
    target(_name, ("ran",), hidden=True)(type(_name, (Selftest,), {}))


# -- the child: one target, one engine ----------------------------------------------------


class Counters:
    """Run and outcome counts in a file-backed mapping, so the parent reads
    them however the child ended."""

    def __init__(self, path, size):
        with open(path, "r+b") as handle:
            self.map = mmap.mmap(handle.fileno(), 8 * size)
        self.view = memoryview(self.map).cast("Q")

    def bump(self, index):
        self.view[index] += 1


def child_main(args):
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)        # CZMQ's complaints about bad input
    cls = TARGETS[args.child]
    counters = Counters(args.counters, 1 + len(cls.outcomes))
    workdir = args.workdir
    engine = args.engine
    if engine == "atheris":
        import atheris
        with atheris.instrument_imports(include=["pyczmq"]):
            import pyczmq                       # noqa: F401  (its Python parts get coverage)
            import pyczmq._certfiles            # noqa: F401 (imported here to be instrumented)
    instance = cls(workdir)
    index = {outcome: number + 1 for number, outcome in enumerate(cls.outcomes)}

    running = [False]

    def one(data):
        counters.bump(0)
        running[0] = True
        try:
            outcome = instance.one(bytes(data))
        except BaseException:
            # atheris reports on stdout, which is CZMQ's (silenced) log here
            sys.stderr.write(" === Uncaught Python exception: ===\n%s\n" % traceback.format_exc())
            sys.stderr.flush()
            raise
        running[0] = False
        counters.bump(index[outcome])

    # libFuzzer ends with exit(): skip CZMQ's own atexit shutdown then (it
    # asserts with an actor still running), unless an input called exit.
    @ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_void_p)
    def at_exit(status, arg):
        if not running[0]:
            os._exit(status)

    ctypes.CDLL(None).on_exit(at_exit, None)        # glibc's atexit with the status

    seeds = os.path.join(CORPUS, cls.name)
    if engine == "atheris":
        work_corpus = os.path.join(args.out, cls.name + "-corpus")
        os.makedirs(work_corpus, exist_ok=True)
        flags = [sys.argv[0], "-runs=%d" % args.runs, "-seed=%d" % args.seed,
                 "-artifact_prefix=%s" % os.path.join(args.out, cls.name + "-"),
                 "-print_final_stats=1", "-timeout=%d" % args.input_timeout,
                 "-max_len=%d" % cls.max_len, "-rss_limit_mb=2048", "-dict=%s" % DICTIONARY]
        if args.max_time:
            flags.append("-max_total_time=%d" % args.max_time)
        def mutator(data, max_size, seed):
            rng = random.Random(seed)
            if rng.random() < 0.75:
                return instance.mutate(data, rng)[:max_size]
            return atheris.Mutate(data, max_size)

        atheris.Setup(flags + [work_corpus] + ([seeds] if os.path.isdir(seeds) else []), one,
                      custom_mutator=mutator if hasattr(instance, "mutate") else None)
        atheris.Fuzz()                          # exits
    random_engine(args, instance, one, seeds)


def _mutate(data, rng, corpus, tokens):
    data = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 5))):
        choice = rng.randrange(9)
        where = rng.randrange(len(data) + 1)
        if choice == 0 and data:
            data[min(where, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif choice == 1 and data:
            data[min(where, len(data) - 1)] = rng.randrange(256)
        elif choice == 2:
            data[where:where] = bytes([rng.randrange(256)])
        elif choice == 3 and data:
            del data[where:where + rng.randrange(1, 9)]
        elif choice == 4:
            data[where:where] = rng.choice(tokens)
        elif choice == 5 and data:
            start = rng.randrange(len(data))
            data[where:where] = data[start:start + rng.randrange(1, 33)]
        elif choice == 6:
            other = rng.choice(corpus)
            data = data[:where] + other[rng.randrange(len(other) + 1):]
        elif choice == 7 and data:
            data[min(where, len(data) - 1)] = rng.choice(b"\0\n\r\t \"'#=/_.\x7f\xff")
        elif choice == 8 and len(data) >= 8:
            start = rng.randrange(len(data) - 7)
            data[start:start + 8] = struct.pack("@N", rng.choice(
                (0, 1, 2, 255, 256, len(data), len(data) - start, 2 ** 31, 2 ** 63, 2 ** 64 - 1)))
    return bytes(data)


def _dictionary_tokens():
    tokens = []
    with open(DICTIONARY, "rb") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(b'"') and line.endswith(b'"'):
                tokens.append(line[1:-1].decode("unicode_escape").encode("latin-1"))
    return tokens or [b"\0"]


def random_engine(args, instance, one, seeds):
    """Seeded random mutation of the corpus; the input under test is kept in
    a file that the parent saves if this process dies (SIGALRM ends an
    input that takes over --input-timeout seconds)."""
    cls = type(instance)
    rng = random.Random(args.seed)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    corpus = [b""]
    if os.path.isdir(seeds):
        for name in sorted(os.listdir(seeds)):
            with open(os.path.join(seeds, name), "rb") as handle:
                corpus.append(handle.read())
    tokens = _dictionary_tokens()
    current = os.open(os.path.join(args.out, cls.name + "-current"), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + args.max_time if args.max_time else None
    for number in range(args.runs):
        if number < len(corpus):
            data = corpus[number]
        elif hasattr(instance, "mutate") and rng.random() < 0.5:
            data = instance.mutate(rng.choice(corpus), rng)[:cls.max_len]
        else:
            data = _mutate(rng.choice(corpus), rng, corpus, tokens)[:cls.max_len]
        os.pwrite(current, data, 0)
        os.ftruncate(current, len(data))
        signal.alarm(args.input_timeout)
        try:
            one(data)
        except BaseException:
            path = save_artifact(args.out, cls.name, "crash", data)
            sys.stderr.write(" === Uncaught Python exception: ===\n%s\n" % traceback.format_exc())
            sys.stderr.write("Test unit written to %s\n" % path)
            sys.stderr.flush()
            os._exit(77)
        if rng.random() < 0.02 and len(corpus) < 2000:
            corpus.append(data)
        if deadline and time.monotonic() > deadline:
            break
    sys.stderr.write("Done %d runs\n" % (number + 1))
    sys.stderr.flush()
    os._exit(0)


def save_artifact(out, name, kind, data):
    path = os.path.join(out, "%s-%s-%s" % (name, kind, hashlib.sha1(data).hexdigest()))
    with open(path, "wb") as handle:
        handle.write(data)
    return path


# -- the parent: run targets in children, report ------------------------------------------


def default_engine():
    try:
        import atheris  # noqa: F401
    except ImportError:
        return "random"
    return "atheris"


def run_target(name, runs, seed=1, out=None, engine=None, max_time=None, input_timeout=60,
               wall_timeout=None):
    """Fuzz target `name` with `runs` inputs in a child process.  Returns a
    dict: name, runs (inputs run), outcomes ({outcome: count}), finding
    (None, or {"kind", "artifact", "detail"}), seconds, log (path)."""
    cls = TARGETS[name]
    engine = engine or default_engine()
    out = out or tempfile.mkdtemp(prefix="pyczmq-fuzz-")
    os.makedirs(out, exist_ok=True)
    counters = os.path.join(out, name + ".counts")
    with open(counters, "wb") as handle:
        handle.write(bytes(8 * (1 + len(cls.outcomes))))
    log = os.path.join(out, name + ".log")
    current = os.path.join(out, name + "-current")      # the random engine's input under test
    if os.path.exists(current):
        os.unlink(current)
    before = set(os.listdir(out))
    command = [sys.executable, os.path.abspath(__file__), "--child", name, "--runs", str(runs),
               "--seed", str(seed), "--out", out, "--engine", engine, "--counters", counters,
               "--input-timeout", str(input_timeout)]
    if max_time:
        command += ["--max-time", str(max_time)]
    # files are written and removed for every input: in memory where possible
    workdir = tempfile.mkdtemp(prefix="pyczmq-fuzz-", dir="/dev/shm" if os.access(
        "/dev/shm", os.W_OK) else out)
    command += ["--workdir", workdir]
    started = time.monotonic()
    try:
        returncode, hung = _run_child(command, log, out, wall_timeout)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - started
    with open(counters, "rb") as handle:
        counts = struct.unpack("%dQ" % (1 + len(cls.outcomes)), handle.read())
    with open(log, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    finding = None
    new_files = sorted(os.path.join(out, entry) for entry in set(os.listdir(out)) - before)
    artifacts = [path for path in new_files if re.match(
        re.escape(name) + r"-(crash|timeout|oom|leak)-", os.path.basename(path))]
    # libFuzzer also saves an input that took over 10 s: on a loaded machine
    # that is mostly the load, so it is noted, not counted as a finding
    slow = [path for path in new_files
            if os.path.basename(path).startswith(name + "-slow-unit-")]
    if returncode != 0 or hung or artifacts:
        if not artifacts:
            if os.path.exists(current):
                with open(current, "rb") as handle:
                    data = handle.read()
                kind = "timeout" if hung or returncode == -signal.SIGALRM else "crash"
                artifacts = [save_artifact(out, name, kind, data)]
        finding = {"kind": _kind(text, returncode, hung),
                   "artifact": artifacts[0] if artifacts else None,
                   "detail": _detail(text)}
    return {"name": name, "engine": engine, "runs": counts[0],
            "outcomes": dict(zip(cls.outcomes, counts[1:])), "finding": finding,
            "slow": slow[0] if slow else None,
            "seconds": seconds, "log": log, "returncode": returncode}


def _run_child(command, log, out, wall_timeout):
    with open(log, "wb") as log_file:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=log_file, cwd=out, start_new_session=True)
        try:
            return child.wait(timeout=wall_timeout), False
        except BaseException:
            os.killpg(child.pid, signal.SIGKILL)
            returncode = child.wait()
            if sys.exc_info()[0] is not subprocess.TimeoutExpired:
                raise
            return returncode, True


def _kind(text, returncode, hung):
    if hung or "libFuzzer: timeout" in text or returncode == -signal.SIGALRM:
        return "hang"
    if "Uncaught Python exception" in text:
        return "exception"
    if "out-of-memory" in text:
        return "out of memory"
    if "deadly signal" in text or returncode < 0:
        return "crash (signal)"
    return "exit %d" % returncode


def _detail(text):
    """The Python exception, or the C assertion/abort line, from a child's log."""
    match = re.search(r"=== Uncaught Python exception: ===\n(.*?)\n\n", text, re.S)
    if match:
        lines = match.group(1).strip().splitlines()
        return "\n".join(lines[-8:])
    lines = [line.strip() for line in text.splitlines()
             if re.search(r"Assertion|Abort|Segmentation|ERROR: libFuzzer", line)]
    return "\n".join(lines[:3]) or "\n".join(text.strip().splitlines()[-5:])


def format_result(result):
    outcomes = ", ".join("%s %d" % item for item in result["outcomes"].items())
    line = "%-14s %9d inputs  (%s)  %.1f s  " % (result["name"], result["runs"], outcomes,
                                                  result["seconds"])
    finding = result["finding"]
    if result.get("slow"):
        line += "(an input took over 10 s, saved in %s: replay it to tell a slow parser " \
                "from a loaded machine)  " % result["slow"]
    if finding is None:
        return line + "no finding"
    return line + "FOUND %s, input saved in %s\n    %s" % (
        finding["kind"], finding["artifact"], finding["detail"].replace("\n", "\n    "))


def replay(name, path):
    """Run one saved input through a target in this process (a crash kills it)."""
    with open(path, "rb") as handle:
        data = handle.read()
    workdir = tempfile.mkdtemp(prefix="pyczmq-replay-")
    try:
        instance = TARGETS[name](workdir)
        print("%s: %s" % (name, instance.one(data)))
    finally:
        os.chdir(HERE)
        shutil.rmtree(workdir, ignore_errors=True)


# -- seed corpus --------------------------------------------------------------------------


def make_corpus():
    """Write fuzz/corpus/ again: files made by CZMQ's own zmsg_save and
    zcert_save (new keys each time), and folder inputs built from them."""
    czmq = Czmq()
    work = tempfile.mkdtemp(prefix="pyczmq-corpus-")

    def put(target_name, file_name, data):
        folder = os.path.join(CORPUS, target_name)
        os.makedirs(folder, exist_ok=True)
        write_file(os.path.join(folder, file_name), data)

    def read(path):
        with open(path, "rb") as handle:
            return handle.read()

    czmq.msg_save([b"hello", b"world" * 3], os.path.join(work, "m1"))
    czmq.msg_save([b"\0\xff" * 200, b"x"], os.path.join(work, "m2"))
    put("msg_load", "zmsg_save-two-frames", read(os.path.join(work, "m1")))
    put("msg_load", "zmsg_save-400-byte-frame", read(os.path.join(work, "m2")))
    czmq.cert_save(os.path.join(work, "alice"), [(b"name", b"alice"), (b"email", b"a@example.com")])
    czmq.cert_save(os.path.join(work, "bob"))
    alice, alice_secret = read(os.path.join(work, "alice")), read(os.path.join(work, "alice_secret"))
    bob, bob_secret = read(os.path.join(work, "bob")), read(os.path.join(work, "bob_secret"))
    for target_name in ("cert_file", "zpl"):
        put(target_name, "zcert_save-public", alice)
        put(target_name, "zcert_save-secret", alice_secret + b"\n")     # odd length: the twin
    put("zpl", "nested", b"# comment\nroot\n    a = 1   # trailing\n    b\n        c = 'x y'\n")
    folder = b"==> alice\n" + alice + b"==> alice_secret\n" + alice_secret \
        + b"==> sub/bob\n" + bob + b"==> notes.txt\nnot a certificate\n"
    for target_name in ("cert_folder", "auth_curve"):
        put(target_name, "two-certificates", folder)
        put(target_name, "bob-twice", b"==> bob\n" + bob + b"==> b/bob_secret\n" + bob_secret)
    public = re.search(rb'public-key = "(.{40})"', alice).group(1)
    secret = re.search(rb'secret-key = "(.{40})"', alice_secret).group(1)
    # regression inputs: what fuzzing and reading CZMQ found (seeds run first)
    corrupt = alice.replace(public, b"|" + public[1:])
    put("cert_file", "regression-corrupt-key", corrupt)
    for target_name in ("cert_folder", "auth_curve"):
        put(target_name, "regression-corrupt-key", b"==> bob\n" + bob + b"==> bad\n" + corrupt)
        put(target_name, "regression-ln-names-a-certificate", b"==> b\n" + bob + b"==> b.ln\nb\n")
    put("msg_load", "regression-empty-frame", b"".join(
        struct.pack("@N", len(part)) + part for part in (b"a", b"", b"c")))
    put("z85", "regression-nul-in-key", public[:10] + bytes(30))
    put("z85", "public-key", public)
    put("z85", "secret-key", secret)
    put("z85", "binary-key", reference_z85_decode(public))
    put("plain_file", "passwords", b"# users\nadmin=secret\nbob=p=q\n=nobody\nnoequals\n")
    put("monitor_event", "connected", b"\x05" + struct.pack("=HI", 1, 7) + b"tcp://127.0.0.1:5555")
    for trigger in ("abort", "raise", "hang"):
        put("selftest_" + trigger, "fine", b"fine")
        put("selftest_" + trigger, trigger, trigger.upper().encode())
    shutil.rmtree(work)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=1, help="random seed (>= 1)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS),
                        help="a target to run (repeatable; default: all)")
    parser.add_argument("--out", help="where findings, logs and grown corpora go "
                                      "(default: a new temporary folder)")
    parser.add_argument("--engine", choices=("atheris", "random"), help="default: atheris if "
                        "installed")
    parser.add_argument("--max-time", type=int, help="stop a target after this many seconds")
    parser.add_argument("--input-timeout", type=int, default=60,
                        help="seconds one input may take before it counts as a hang")
    parser.add_argument("--replay", help="run this one saved input through --target")
    parser.add_argument("--list", action="store_true", help="list the targets")
    parser.add_argument("--make-corpus", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--counters", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed < 1:
        parser.error("--seed must be at least 1")
    if args.child:
        return child_main(args)
    if args.list:
        for name, cls in TARGETS.items():
            if not cls.hidden:
                print(name)
        return 0
    if args.make_corpus:
        make_corpus()
        return 0
    if args.replay:
        if not args.target or len(args.target) != 1:
            parser.error("--replay needs one --target")
        replay(args.target[0], args.replay)
        return 0
    # a TERM ends the child too, and removes its files
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    names = args.target or [name for name, cls in TARGETS.items() if not cls.hidden]
    out = args.out or tempfile.mkdtemp(prefix="pyczmq-fuzz-")
    print("fuzzing %s: %d inputs per target, seed %d, engine %s, output in %s"
          % (", ".join(names), args.runs, args.seed, args.engine or default_engine(), out),
          flush=True)
    found = False
    for name in names:
        result = run_target(name, args.runs, args.seed, out, args.engine, args.max_time,
                            args.input_timeout)
        print(format_result(result), flush=True)
        found = found or result["finding"] is not None
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
