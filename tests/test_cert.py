"""Cert (CZMQ's zcert) and CertStore (zcertstore), and pyczmq 0.1's pyczmq.zcert
and pyczmq.zcertstore functions.

pyczmq reads certificate files and folders in Python (pyczmq._certfiles) with
CZMQ's rules, so the tests compare it with CZMQ's own C zcert_load and
zcertstore, called through ctypes: directly for well-formed files, in a child
interpreter for malformed ones (CZMQ's parser prints its complaints on stdout,
and a folder with duplicate keys makes its store abort).  Files must also
interoperate with pyzmq's zmq.auth, which runs in a child too, so that its
bundled libzmq never loads into this process.  Probes of bad input and the
leak checks run in their own interpreters.
"""

import errno
import json
import os
import stat

import pytest

from pyczmq import Cert, CertStore, ClosedError, _certfiles, zcert, zcertstore
from pyczmq.zmq import curve_keypair, z85_decode, z85_encode

from conftest import assert_clean_run, clean_stdout, run_probes, run_python

# libzmq's test vectors (the server key pair of its CURVE tests).
PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"

# ctypes access to CZMQ's own certificate code, for this process and children.
CZMQ_CTYPES = r'''
import ctypes, os

_czmq = ctypes.CDLL("libczmq.so.4")
_czmq.zcert_load.restype = ctypes.c_void_p
_czmq.zcert_load.argtypes = [ctypes.c_char_p]
for _name in ("zcert_public_txt", "zcert_secret_txt"):
    getattr(_czmq, _name).restype = ctypes.c_char_p
    getattr(_czmq, _name).argtypes = [ctypes.c_void_p]
_czmq.zcert_meta.restype = ctypes.c_char_p
_czmq.zcert_meta.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_czmq.zcert_meta_keys.restype = ctypes.c_void_p
_czmq.zcert_meta_keys.argtypes = [ctypes.c_void_p]
_czmq.zcert_destroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
_czmq.zlist_first.restype = _czmq.zlist_next.restype = ctypes.c_char_p
_czmq.zlist_first.argtypes = _czmq.zlist_next.argtypes = [ctypes.c_void_p]
_czmq.zlist_destroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
_czmq.zcertstore_new.restype = ctypes.c_void_p
_czmq.zcertstore_new.argtypes = [ctypes.c_char_p]
_czmq.zcertstore_lookup.restype = ctypes.c_void_p
_czmq.zcertstore_lookup.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
_czmq.zcertstore_destroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]


def czmq_describe(cert):
    """A zcert_t as {"public", "secret", "metadata"} (latin-1 text)."""
    keys = ctypes.c_void_p(_czmq.zcert_meta_keys(cert))
    names = []
    name = _czmq.zlist_first(keys)
    while name is not None:
        names.append(name)
        name = _czmq.zlist_next(keys)
    _czmq.zlist_destroy(ctypes.byref(keys))
    return {"public": _czmq.zcert_public_txt(cert).decode("ascii"),
            "secret": _czmq.zcert_secret_txt(cert).decode("ascii"),
            "metadata": {name.decode("latin-1"): _czmq.zcert_meta(cert, name).decode("latin-1")
                         for name in names}}


def czmq_load(path):
    """What CZMQ's zcert_load makes of `path`, or None if it refuses it."""
    cert = ctypes.c_void_p(_czmq.zcert_load(os.fsencode(path)))
    if not cert:
        return None
    try:
        return czmq_describe(cert)
    finally:
        _czmq.zcert_destroy(ctypes.byref(cert))


def czmq_store_lookup(folder, keys):
    """{key: description or None} from CZMQ's zcertstore of `folder`."""
    store = ctypes.c_void_p(_czmq.zcertstore_new(os.fsencode(folder)))
    try:
        found = {}
        for key in keys:
            cert = _czmq.zcertstore_lookup(store, key.encode("ascii"))
            found[key] = czmq_describe(cert) if cert else None
        return found
    finally:
        _czmq.zcertstore_destroy(ctypes.byref(store))
'''


@pytest.fixture(scope="module")
def czmq():
    """CZMQ_CTYPES loaded in this process (for well-formed files only)."""
    namespace = {}
    exec(CZMQ_CTYPES, namespace)
    return namespace


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def latin1_metadata(pairs):
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in pairs}


def cert_text(public=PUBLIC, secret=None, metadata=()):
    """A certificate file as CZMQ writes it."""
    lines = ["#   ZeroMQ CURVE Certificate", "", "metadata"]
    lines += ['    %s = "%s"' % item for item in metadata]
    lines += ["curve", '    public-key = "%s"' % public]
    if secret is not None:
        lines.append('    secret-key = "%s"' % secret)
    return ("\n".join(lines) + "\n").encode()


def bump_mtime(path):
    """Make a rewrite visible even within the file system's clock resolution."""
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


# -- keys --------------------------------------------------------------------


def test_new_cert_has_a_matching_key_pair():
    cert = Cert()
    assert len(cert.public_key) == 32 and len(cert.secret_key) == 32
    assert cert.has_secret
    # new_from checks that the public key derives from the secret one
    assert Cert.new_from(cert.public_key, cert.secret_key) == cert
    assert Cert() != cert


def test_new_from_refuses_keys_that_do_not_belong_together():
    first, second = Cert(), Cert()
    with pytest.raises(ValueError, match="does not belong"):
        Cert.new_from(first.public_key, second.secret_key)
    with pytest.raises(ValueError):
        Cert.new_from(first.secret_key, first.public_key)      # swapped


def test_libzmq_test_vectors_are_a_key_pair():
    cert = Cert.new_from(PUBLIC, SECRET)
    assert (cert.public_txt, cert.secret_txt) == (PUBLIC, SECRET)


@pytest.mark.parametrize("form", ["binary", "z85 str", "z85 bytes", "bytearray", "memoryview"])
def test_new_from_takes_binary_and_z85_keys(form):
    public, secret = curve_keypair()
    convert = {
        "binary": z85_decode,
        "z85 str": lambda key: key,
        "z85 bytes": lambda key: key.encode("ascii"),
        "bytearray": lambda key: bytearray(z85_decode(key)),
        "memoryview": lambda key: memoryview(key.encode("ascii")),
    }[form]
    cert = Cert.new_from(convert(public), convert(secret))
    assert cert.public_txt == public and cert.secret_txt == secret
    assert cert.public_key == z85_decode(public) and cert.secret_key == z85_decode(secret)


def test_new_from_without_secret_is_public_only():
    full = Cert()
    public_only = Cert.new_from(full.public_txt)
    assert not public_only.has_secret
    assert public_only.secret_key == bytes(32)
    assert public_only.secret_txt == z85_encode(bytes(32))
    assert public_only.public_key == full.public_key
    assert Cert.new_from(full.public_key, None).public_txt == full.public_txt


def test_key_properties_are_consistent_with_z85():
    cert = Cert()
    for binary, text in ((cert.public_key, cert.public_txt), (cert.secret_key, cert.secret_txt)):
        assert isinstance(binary, bytes) and len(binary) == 32
        assert isinstance(text, str) and len(text) == 40
        assert z85_encode(binary) == text
    assert cert.public_key != cert.secret_key


@pytest.mark.parametrize("key, error", [
    (b"x" * 31, ValueError),
    (b"x" * 33, ValueError),
    (b"", ValueError),
    ("0" * 39, ValueError),
    ("0" * 41, ValueError),
    ("|" * 40, ValueError),             # not a Z85 character
    ("#" * 40, ValueError),             # Z85 characters, but over 2**32 per group
    ("\u00e9" * 40, ValueError),
    ("\0" * 40, ValueError),
    (None, TypeError),
    (1234, TypeError),
    ([0] * 32, TypeError),
])
def test_bad_public_keys_raise(key, error):
    with pytest.raises(error):
        Cert.new_from(key)


def test_a_32_character_str_is_not_a_key():
    text = Cert().public_txt[:32]
    with pytest.raises(ValueError):
        Cert.new_from(text)
    with pytest.raises(ValueError):
        CertStore().lookup(text)


# -- metadata ----------------------------------------------------------------


def test_metadata_set_and_read():
    cert = Cert()
    assert cert.meta_keys() == [] and cert.metadata == {}
    cert.set_meta("name", "alice")
    cert.set_meta(b"email", b"alice@example.com")
    cert.set_meta("unicode", "gr\u00fc\u00dfe")
    cert.set_meta("empty", "")
    cert.set_meta("a/b.c$-_@&+", bytearray(b"punctuated"))
    assert cert.meta("name") == "alice"
    assert cert.meta(b"email") == "alice@example.com"
    assert cert.meta("unicode") == "gr\u00fc\u00dfe"
    assert cert.meta("empty") == ""
    assert cert.meta("missing") is None
    assert sorted(cert.meta_keys()) == sorted(["name", "email", "unicode", "empty", "a/b.c$-_@&+"])
    assert cert.metadata == {"name": "alice", "email": "alice@example.com",
                             "unicode": "gr\u00fc\u00dfe", "empty": "",
                             "a/b.c$-_@&+": "punctuated"}


def test_set_meta_replaces_an_existing_value():
    # CZMQ 4.2's zcert_set_meta would keep the first value
    cert = Cert()
    cert.set_meta("name", "alice")
    cert.set_meta("other", "kept")
    keys = cert.public_txt, cert.secret_txt
    cert.set_meta("name", "bob")
    assert cert.metadata == {"name": "bob", "other": "kept"}
    assert (cert.public_txt, cert.secret_txt) == keys
    cert.set_meta("name", "bob")          # the same value again
    assert cert.metadata == {"name": "bob", "other": "kept"}


def test_longest_metadata_name():
    cert = Cert()
    cert.set_meta("n" * 255, "v")
    assert cert.meta("n" * 255) == "v"


@pytest.mark.parametrize("name, value, error", [
    ("", "x", ValueError),
    ("n" * 256, "x", ValueError),
    ("has space", "x", ValueError),
    ("/leading", "x", ValueError),
    ("trailing/", "x", ValueError),
    ("colon:", "x", ValueError),
    ("nul\0", "x", ValueError),
    ("na\u00efve", "x", ValueError),
    ("name", 'a"b', ValueError),
    ("name", "a\nb", ValueError),
    ("name", "a\rb", ValueError),
    ("name", "a\0b", ValueError),
    ("name", b'"', ValueError),
    (None, "x", TypeError),
    (5, "x", TypeError),
    ("name", None, TypeError),
    ("name", 5, TypeError),
])
def test_invalid_metadata_raises_and_changes_nothing(name, value, error):
    cert = Cert()
    cert.set_meta("name", "before")
    with pytest.raises(error):
        cert.set_meta(name, value)
    assert cert.metadata == {"name": "before"}


def test_meta_with_a_bad_name_type_raises_type_error():
    with pytest.raises(TypeError):
        Cert().meta(None)
    with pytest.raises(TypeError):
        Cert().meta(5)


# -- object behaviour ----------------------------------------------------------


def test_dup_is_independent():
    cert = Cert()
    cert.set_meta("name", "original")
    copy = cert.dup()
    assert copy == cert and copy is not cert
    assert copy.metadata == {"name": "original"}
    copy.set_meta("name", "copy")
    copy.set_meta("extra", "1")
    assert cert.metadata == {"name": "original"}
    cert.destroy()
    assert copy.public_key and copy.metadata == {"name": "copy", "extra": "1"}


def test_equality_and_hash_follow_the_keys():
    cert = Cert()
    same_keys = Cert.new_from(cert.public_key, cert.secret_key)
    same_keys.set_meta("name", "different metadata")
    assert cert == same_keys and hash(cert) == hash(same_keys)
    assert len({cert, same_keys, cert.dup()}) == 1
    public_only = Cert.new_from(cert.public_key)
    assert public_only != cert
    assert Cert() != cert
    assert cert != "not a cert" and cert != None     # noqa: E711


def test_repr_never_shows_the_secret_key():
    cert = Cert()
    public, secret = cert.public_txt, cert.secret_txt
    assert public in repr(cert) and secret not in repr(cert)
    assert "public only" in repr(Cert.new_from(public))
    store = CertStore()
    view = Cert.new_from(public, secret)
    store.insert(view)
    assert "in a CertStore" in repr(view) and public in repr(view) and secret not in repr(view)
    cert.destroy()
    assert "destroyed" in repr(cert) and secret not in repr(cert)
    store.destroy()
    assert "destroyed" in repr(view) and secret not in repr(view)


USES = {
    "public_key": lambda cert, sock: cert.public_key,
    "secret_key": lambda cert, sock: cert.secret_key,
    "public_txt": lambda cert, sock: cert.public_txt,
    "secret_txt": lambda cert, sock: cert.secret_txt,
    "has_secret": lambda cert, sock: cert.has_secret,
    "metadata": lambda cert, sock: cert.metadata,
    "meta": lambda cert, sock: cert.meta("name"),
    "meta_keys": lambda cert, sock: cert.meta_keys(),
    "set_meta": lambda cert, sock: cert.set_meta("name", "x"),
    "dup": lambda cert, sock: cert.dup(),
    "print": lambda cert, sock: cert.print(),
    "eq": lambda cert, sock: cert == Cert(),
    "hash": lambda cert, sock: hash(cert),
    "with": lambda cert, sock: cert.__enter__(),
    "save": lambda cert, sock: cert.save("/nonexistent-folder/cert"),
    "save_public": lambda cert, sock: cert.save_public("/nonexistent-folder/cert"),
    "save_secret": lambda cert, sock: cert.save_secret("/nonexistent-folder/cert"),
    "apply": lambda cert, sock: cert.apply(sock),
}


@pytest.mark.parametrize("use", sorted(USES))
def test_destroyed_cert_raises_closed_error(use, ctx):
    cert = Cert()
    cert.destroy()
    assert cert.destroyed
    with pytest.raises(ClosedError):
        USES[use](cert, ctx.socket("PAIR"))
    cert.destroy()      # a second destroy is harmless


def test_context_manager_destroys():
    with Cert() as cert:
        assert cert.public_txt
    assert cert.destroyed
    with pytest.raises(ClosedError):
        cert.public_key
    with pytest.raises(ClosedError):
        with cert:
            pass


# -- files -------------------------------------------------------------------


def test_save_writes_public_and_secret_files(tmp_path):
    cert = Cert()
    cert.set_meta("name", "alice")
    cert.save(tmp_path / "alice")
    assert sorted(os.listdir(tmp_path)) == ["alice", "alice_secret"]
    public = (tmp_path / "alice").read_text()
    secret = (tmp_path / "alice_secret").read_text()
    assert cert.public_txt in public and cert.secret_txt not in public
    assert cert.public_txt in secret and cert.secret_txt in secret
    assert 'name = "alice"' in public and 'name = "alice"' in secret


@pytest.mark.parametrize("initial", [0o022, 0, 0o077, 0o002, 0o027])
def test_secret_file_is_private_and_umask_is_restored(tmp_path, initial):
    cert = Cert()
    previous = os.umask(initial)
    try:
        cert.save(tmp_path / "cert")
        cert.save_secret(tmp_path / "only")
        zcert.save(cert, tmp_path / "functional")
        after = os.umask(initial)
    finally:
        os.umask(previous)
    assert after == initial
    for name in ("cert_secret", "only", "functional_secret"):
        assert mode_of(tmp_path / name) == 0o600, name
    assert mode_of(tmp_path / "cert") == 0o666 & ~initial


def test_secret_file_is_private_when_it_already_existed(tmp_path):
    path = tmp_path / "cert_secret"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    Cert().save(tmp_path / "cert")
    assert mode_of(path) == 0o600


def test_save_public_and_save_secret(tmp_path):
    cert = Cert()
    cert.set_meta("role", "server")
    cert.save_public(tmp_path / "public")
    cert.save_secret(tmp_path / "secret")
    assert sorted(os.listdir(tmp_path)) == ["public", "secret"]
    public = Cert.load(tmp_path / "public")
    assert not public.has_secret and public.public_key == cert.public_key
    assert public.metadata == {"role": "server"}
    secret = Cert.load(tmp_path / "secret")
    assert secret == cert and secret.metadata == {"role": "server"}


def test_load_round_trips_keys_and_metadata(tmp_path):
    cert = Cert()
    metadata = {"name": "alice", "email": "alice@example.com", "unicode": "\u00e9t\u00e9",
                "spaces": "  padded  ", "quote": "it's #1", "empty": "", "a/b": "slash"}
    for name, value in metadata.items():
        cert.set_meta(name, value)
    cert.save(str(tmp_path / "cert"))
    loaded = zcert.load(os.fsencode(tmp_path / "cert"))
    assert loaded == cert and loaded.has_secret
    assert (loaded.public_txt, loaded.secret_txt) == (cert.public_txt, cert.secret_txt)
    assert loaded.metadata == metadata
    os.unlink(tmp_path / "cert_secret")
    public = Cert.load(tmp_path / "cert")
    assert not public.has_secret and public.secret_key == bytes(32)
    assert public.public_key == cert.public_key and public.metadata == metadata


def test_load_takes_the_secret_twin_when_only_it_exists(tmp_path):
    cert = Cert()
    cert.save(tmp_path / "cert")
    os.unlink(tmp_path / "cert")
    assert Cert.load(tmp_path / "cert") == cert


def test_load_of_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError) as raised:
        Cert.load(tmp_path / "missing")
    assert raised.value.errno == errno.ENOENT
    with pytest.raises(OSError):
        zcert.load(str(tmp_path / "missing"))
    with pytest.raises(IsADirectoryError):
        Cert.load(tmp_path)


def test_load_error_names_the_file_as_given(tmp_path):
    path = str(tmp_path / "missing")
    with pytest.raises(FileNotFoundError) as raised:
        Cert.load(path)
    assert raised.value.filename == path


@pytest.mark.parametrize("text, message", [
    (b"hello\n", "public-key"),
    (b"metadata\n    name = alice\n", "public-key"),
    (b'curve\n  public-key = "%s"\n' % PUBLIC.encode(), "line 2"),
    (b'curve\n    public-key = "%s\n' % PUBLIC.encode(), "line 2"),
    (b'# fine\ncurve\n    public-key = "%s" junk\n' % PUBLIC.encode(), "line 3"),
    (b'curve\n    public-key = "%s"\n' % PUBLIC[:39].encode(), "public-key"),
    (b"", "public-key"),
    (bytes(range(256)), "line 2"),
])
def test_load_of_a_non_certificate_raises_value_error(tmp_path, text, message):
    (tmp_path / "cert").write_bytes(text)
    with pytest.raises(ValueError, match=message) as raised:
        Cert.load(tmp_path / "cert")
    assert str(raised.value).startswith(str(tmp_path / "cert"))


@pytest.mark.parametrize("public, secret", [
    (PUBLIC[:5] + "|" + PUBLIC[6:], None),
    ("#####" + PUBLIC[5:], None),
    (PUBLIC, SECRET[:20] + "~" + SECRET[21:]),
])
def test_load_with_invalid_z85_key_text_raises_value_error(tmp_path, public, secret):
    (tmp_path / "cert").write_bytes(cert_text(public, secret))
    with pytest.raises(ValueError, match="Z85"):
        Cert.load(tmp_path / "cert")


def test_load_prints_nothing(tmp_path, capfd):
    (tmp_path / "broken").write_bytes(b'curve\n  public-key = "x"\n')
    (tmp_path / "junk").write_bytes(b"invalid syntax here\n")
    (tmp_path / "unterminated").write_bytes(b'curve\n    public-key = "abc\n')
    for name in ("broken", "junk", "unterminated"):
        with pytest.raises(ValueError):
            Cert.load(tmp_path / name)
    assert len(CertStore(tmp_path)) == 0
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_long_paths_save_and_load(tmp_path, czmq):
    folder = tmp_path.joinpath(*["d" * 60] * 5)
    folder.mkdir(parents=True)
    path = folder / "certificate"
    assert len(os.fsencode(path)) > 300
    cert = Cert()
    cert.set_meta("name", "deep")
    cert.save(path)
    assert sorted(os.listdir(folder)) == ["certificate", "certificate_secret"]
    loaded = Cert.load(path)
    assert loaded == cert and loaded.has_secret and loaded.metadata == {"name": "deep"}
    # CZMQ's zcert_load cuts the "_secret" name at 256 bytes and falls back to the public file
    assert czmq["czmq_load"](path)["secret"] == z85_encode(bytes(32))
    found = CertStore(tmp_path).lookup(cert.public_txt)
    assert found.has_secret and found.metadata == {"name": "deep"}


def test_file_names_need_not_be_utf8(tmp_path):
    folder = os.fsencode(tmp_path)
    cert = Cert()
    cert.save(folder + b"/\xffname")
    assert sorted(os.listdir(folder)) == [b"\xffname", b"\xffname_secret"]
    assert Cert.load(folder + b"/\xffname") == cert
    assert Cert.load(os.fsdecode(folder + b"/\xffname")) == cert
    assert CertStore(folder).keys() == [cert.public_txt]


def test_file_names_are_literal(tmp_path, monkeypatch):
    # pyczmq 0.1 calls them printf formats; "-" would be stdout for CZMQ's zconfig_save
    monkeypatch.chdir(tmp_path)
    cert = Cert()
    cert.save("cert%s%n%d")
    cert.save("-")
    assert sorted(os.listdir(tmp_path)) == ["-", "-_secret", "cert%s%n%d", "cert%s%n%d_secret"]
    assert Cert.load("cert%s%n%d") == cert and Cert.load("-") == cert


def test_metadata_that_is_not_utf8_can_be_set_back(tmp_path):
    text = cert_text().replace(b"metadata\n", b"metadata\n    city = M\xfcnchen\n")
    (tmp_path / "cert").write_bytes(text)
    loaded = Cert.load(tmp_path / "cert")
    copy = Cert()
    for name, value in loaded.metadata.items():
        copy.set_meta(name, value)
    assert copy.metadata == loaded.metadata
    copy.save(tmp_path / "copy")
    assert b"M\xfcnchen" in (tmp_path / "copy").read_bytes()


@pytest.mark.parametrize("line, value", [
    (b"'say \"hi\"'", 'say "hi"'),
    (b'it\'s "raw"', 'it\'s "raw"'),
])
def test_metadata_read_from_a_file_survives_save(tmp_path, line, value):
    # a valid file may hold a '"' in a single-quoted or unquoted value
    text = cert_text().replace(b"metadata\n", b"metadata\n    quote = %s\n" % line)
    (tmp_path / "cert").write_bytes(text)
    loaded = Cert.load(tmp_path / "cert")
    assert loaded.meta("quote") == value
    try:
        loaded.save(tmp_path / "copy")
    except ValueError:
        return      # refusing to write the value is fine too
    assert Cert.load(tmp_path / "copy").meta("quote") == value


# -- compatibility -----------------------------------------------------------


def test_files_saved_by_pyczmq_load_in_czmq(tmp_path, czmq):
    cert = Cert()
    metadata = {"name": "alice", "unicode": "gr\u00fc\u00dfe", "empty": "", "a/b": "it's"}
    for name, value in metadata.items():
        cert.set_meta(name, value)
    cert.save(tmp_path / "cert")
    expected = {name.encode().decode("latin-1"): value.encode().decode("latin-1")
                for name, value in metadata.items()}
    assert czmq["czmq_load"](tmp_path / "cert") == {
        "public": cert.public_txt, "secret": cert.secret_txt, "metadata": expected}
    os.rename(tmp_path / "cert_secret", tmp_path / "moved_away")
    assert czmq["czmq_load"](tmp_path / "cert") == {
        "public": cert.public_txt, "secret": z85_encode(bytes(32)), "metadata": expected}


def run_pyzmq(code):
    return json.loads(clean_stdout("import json, sys, zmq, zmq.auth\n"
                                   "assert 'pyczmq' not in sys.modules\n" + code))


def test_files_saved_by_pyczmq_load_in_pyzmq(tmp_path):
    cert = Cert()
    cert.set_meta("name", "alice")
    cert.save(tmp_path / "cert")
    keys = run_pyzmq("""
paths = %r
print(json.dumps([[key and key.decode("ascii") for key in zmq.auth.load_certificate(path)]
                  for path in paths]))
""" % ([str(tmp_path / "cert"), str(tmp_path / "cert_secret")],))
    assert keys == [[cert.public_txt, None], [cert.public_txt, cert.secret_txt]]


def test_certificates_created_by_pyzmq_load_in_pyczmq(tmp_path):
    public_file, secret_file, keys = run_pyzmq("""
public_file, secret_file = zmq.auth.create_certificates(%r, "client",
                                                        metadata={"name": "bob", "role": "x"})
keys = [key.decode("ascii") for key in zmq.auth.load_certificate(secret_file)]
print(json.dumps([public_file, secret_file, keys]))
""" % str(tmp_path))
    # Cert.load of the public file reads its "_secret" twin first, as CZMQ does
    cert = Cert.load(public_file)
    assert [cert.public_txt, cert.secret_txt] == keys
    assert cert.metadata == {"name": "bob", "role": "x"}
    os.unlink(secret_file)
    public = Cert.load(public_file)
    assert not public.has_secret and public.public_txt == keys[0]
    store = CertStore(tmp_path)
    assert store.keys() == [keys[0]]


# -- parser fidelity: pyczmq._certfiles against CZMQ's zcert_load -----------------

P, S = PUBLIC.encode(), SECRET.encode()
HASH_KEY = P[:35] + b"0000#"            # valid Z85 whose last character is '#'
LOAD = b'curve\n    public-key = "%s"\n' % P


def cert_lines(*lines):
    return b"\n".join(lines) + b"\n"


# id -> {suffix of the file name: content}: "" is the certificate, "_secret" its twin
PARSER_CASES = {
    "as czmq saves it": {"": cert_text(metadata=[("name", "alice")])},
    "with secret twin": {"": cert_text(), "_secret": cert_text(secret=SECRET)},
    "comments and blank lines": {"": cert_lines(
        b"# top", b"", b"#", b"metadata   # a section comment", b"    # indented comment",
        b"    name = alice", b"", b"curve", b'    public-key = "%s"   # trailing' % P)},
    "indent of two spaces": {"": b'curve\n  public-key = "%s"\n' % P},
    "indent of a tab": {"": b'curve\n\tpublic-key = "%s"\n' % P},
    "indent of eight spaces": {"": b'curve\n        public-key = "%s"\n' % P},
    "indented first line": {"": b'    curve\npublic-key = "%s"\n' % P},
    "comment indented by two": {"": b'curve\n  # note\n    public-key = "%s"\n' % P},
    "comment indented by three": {"": b'   # note\n' + LOAD},
    "single quotes": {"": b"curve\n    public-key = '%s'\n" % P},
    "both quote kinds in values": {"": cert_lines(
        b"metadata", b"    a = 'say \"hi\"'", b'    b = "it\'s"', b"    c = it's \"raw\"") + LOAD},
    "unquoted key": {"": b"curve\n    public-key = %s\n" % P},
    "unquoted key with comment": {"": b"curve\n    public-key = %s   # the key\n" % P},
    "unquoted key containing #": {"": b"curve\n    public-key = %s\n" % HASH_KEY},
    "quoted key containing #": {"": b'curve\n    public-key = "%s"\n' % HASH_KEY},
    "unquoted value with tab before comment": {"": b"metadata\n    a = v\t# c\n" + LOAD},
    "unquoted value without space before comment": {"": b"metadata\n    a = v# c\n" + LOAD},
    "empty value then comment, no space": {"": b"metadata\n    a =# note\n" + LOAD},
    "empty value then space and comment": {"": b"metadata\n    a = # note\n" + LOAD},
    "empty value then spaces and comment": {"": b"metadata\n    a =    # note\n" + LOAD},
    "empty values": {"": cert_lines(
        b"metadata", b"    a =", b"    b", b'    c = ""', b"    d = ''", b"    e =   ") + LOAD},
    "names with slash": {"": b"metadata\n    a/b = x\n    a/b/c = y\n" + LOAD},
    "name starting with slash": {"": b"metadata\n    /a = x\n" + LOAD},
    "name ending with slash": {"": b"metadata\n    a/ = x\n" + LOAD},
    "punctuation in names": {"": b"metadata\n    $-_@.&+ = x\n    A9 = y\n" + LOAD},
    "non-ascii name": {"": "metadata\n    n\u00e4me = x\n".encode() + LOAD},
    "non-ascii value": {"": "metadata\n    a = gr\u00fc\u00dfe\n".encode() + LOAD},
    "latin-1 bytes": {"": b"metadata\n    a = \xe9\xff\n    b = '\xa0'\n" + LOAD},
    "missing closing quote": {"": b'curve\n    public-key = "%s\n' % P},
    "missing closing apostrophe": {"": b"metadata\n    a = 'x\n" + LOAD},
    "junk after quoted value": {"": b'curve\n    public-key = "%s" junk\n' % P},
    "comment right after quoted value": {"": b'curve\n    public-key = "%s"#ok\n' % P},
    "name followed by junk": {"": b'curve\n    public-key: "%s"\n' % P},
    "equals without a name": {"": b"= x\n" + LOAD},
    "hash and quotes inside a quoted value": {"": b'metadata\n    a = "x # \'y\'"\n' + LOAD},
    "space inside the quoted key": {"": b'curve\n    public-key = "%s "\n' % P},
    "tabs around equals": {"": b'curve\n    public-key\t=\t"%s"\t\n' % P},
    "no spaces around equals": {"": b'curve\n    public-key="%s"\n' % P},
    "nul ends the line": {"": b'curve\n    public-key = "%s"\0 junk\n' % P},
    "nul inside the key": {"": b'curve\n    public-key = "%s\0%s"\n' % (P[:20], P[20:])},
    "nul in unquoted value": {"": b"metadata\n    a = x\0y\n" + LOAD},
    "crlf line ends": {"": cert_text(metadata=[("name", "alice")]).replace(b"\n", b"\r\n")},
    "cr inside a value": {"": b"metadata\n    a = x\ry\n" + LOAD},
    "vertical tab and form feed at line end": {"": b"metadata\n    a = x\v\f\n" + LOAD},
    "duplicate metadata names": {"": b"metadata\n    a = first\n    a = second\n" + LOAD},
    "two metadata sections": {"": b"metadata\n    a = 1\nmetadata\n    b = 2\n" + LOAD},
    "metadata grandchildren": {"": b"metadata\n    a = 1\n        b = 2\n" + LOAD},
    "value on the metadata section": {"": b"metadata = x\n    a = 1\n" + LOAD},
    "two curve sections": {"": LOAD + b'curve\n    public-key = "%s"\n' % HASH_KEY},
    "first curve section without key": {"": b"curve\n    other = 1\n" + LOAD},
    "public key of 39 characters": {"": b'curve\n    public-key = "%s"\n' % P[:39]},
    "public key of 41 characters": {"": b'curve\n    public-key = "%sA"\n' % P},
    "invalid z85 character in public key": {
        "": b'curve\n    public-key = "%s|%s"\n' % (P[:12], P[13:])},
    "z85 overflow in public key": {"": b'curve\n    public-key = "%s#####"\n' % P[:35]},
    "non-ascii byte in public key": {"": b'curve\n    public-key = "%s\xc3\xa9"\n' % P[:38]},
    "invalid z85 in secret key": {"": cert_text(), "_secret": cert_text(
        secret=SECRET[:25] + "~" + SECRET[26:])},
    "secret key of 39 characters": {"": cert_text(), "_secret": cert_text(secret=SECRET[:39])},
    "secret key in the public file": {"": cert_text(secret=SECRET)},
    "secret twin that does not parse": {"": cert_text(metadata=[("from", "public")]),
                                        "_secret": b'curve\n  secret-key = "%s"\n' % S},
    "secret twin without public key": {"": cert_text(), "_secret": b"metadata\n    a = 1\n"},
    "secret twin with another key": {"": cert_text(), "_secret": cert_text(
        public=HASH_KEY.decode(), secret=SECRET, metadata=[("from", "secret")])},
    "garbage public file, good secret twin": {"": b"junk junk\n",
                                              "_secret": cert_text(secret=SECRET)},
    "only a secret twin": {"_secret": cert_text(secret=SECRET)},
    "no curve section": {"": b"metadata\n    public-key = \"%s\"\n" % P},
    "public-key at top level": {"": b'public-key = "%s"\n' % P},
    "key nested too deep": {"": b'curve\n    inner\n        public-key = "%s"\n' % P},
    "name with slash instead of section": {"": b'curve/public-key = "%s"\n' % P},
    "empty file": {"": b""},
    "only comments": {"": b"# one\n# two\n"},
    "no final newline": {"": LOAD.rstrip(b"\n")},
    "line longer than 1024 bytes": {"": b"metadata\n    a = %s\n" % (b"x" * 3000) + LOAD},
    "binary junk": {"": bytes(range(256))},
}

def python_reading(path):
    """pyczmq's reading of a certificate file, in the shape czmq_load returns."""
    try:
        cert_file = _certfiles.read_cert_file(path)
    except ValueError:
        return None
    return {"public": z85_encode(cert_file.public_key),
            "secret": z85_encode(cert_file.secret_key),
            "metadata": latin1_metadata(cert_file.metadata),
            "keys_valid": cert_file.keys_valid}


@pytest.fixture(scope="module")
def parser_folder(tmp_path_factory):
    """The PARSER_CASES written to files ({case: folder}) and what CZMQ's
    zcert_load makes of them ({case: reading}), read in a child: CZMQ's parser
    prints on stdout, and a crash must not take this process down."""
    root = tmp_path_factory.mktemp("parser_cases")
    folders = {}
    for number, (case, files) in enumerate(PARSER_CASES.items()):
        folder = root / str(number)
        folder.mkdir()
        for suffix, content in files.items():
            (folder / ("cert" + suffix)).write_bytes(content)
        folders[case] = folder
    result = run_python(CZMQ_CTYPES + """
import json, os
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)      # CZMQ's complaints about the bad files
folders = %r
readings = {case: czmq_load(os.path.join(folder, "cert")) for case, folder in folders.items()}
with open(%r, "w") as out:
    json.dump(readings, out)
""" % ({case: str(folder) for case, folder in folders.items()}, str(root / "czmq.json")))
    assert_clean_run(result)
    readings = json.loads((root / "czmq.json").read_text())
    return folders, readings


@pytest.mark.parametrize("case", PARSER_CASES)
def test_parser_matches_czmq_zcert_load(parser_folder, case):
    folders, readings = parser_folder
    path = folders[case] / "cert"
    expected = readings[case]
    ours = python_reading(path)
    if expected is None:
        assert ours is None, "CZMQ refuses this file, pyczmq accepts it"
        with pytest.raises((ValueError, OSError)):
            Cert.load(path)
        return
    assert ours is not None, "CZMQ accepts this file, pyczmq refuses it"
    keys_valid = ours.pop("keys_valid")
    assert ours == expected
    if keys_valid:
        cert = Cert.load(path)
        assert {"public": cert.public_txt, "secret": cert.secret_txt,
                "metadata": latin1_metadata((name.encode("utf-8", "surrogateescape"),
                                             value.encode("utf-8", "surrogateescape"))
                                            for name, value in cert.metadata.items())
                } == expected
    else:
        # CZMQ loads it under a mangled key; pyczmq refuses it, naming the file read
        with pytest.raises(ValueError, match="curve (public|secret)-key") as raised:
            Cert.load(path)
        assert str(raised.value).startswith(str(path))


def test_parser_cases_cover_accept_and_reject(parser_folder):
    # the differential test is only worth something if CZMQ both accepts and refuses
    _, readings = parser_folder
    refused = [case for case, reading in readings.items() if reading is None]
    assert 15 < len(refused) < len(readings) - 15
    assert readings["duplicate metadata names"]["metadata"] == {"a": "first"}
    assert readings["secret twin that does not parse"]["metadata"] == {"from": "public"}


# -- CertStore in memory ---------------------------------------------------------


def test_memory_store_insert_and_lookup():
    store = CertStore()
    assert len(store) == 0 and store.keys() == [] and store.location is None
    first, second = Cert(), Cert.new_from(Cert().public_key)
    first.set_meta("name", "first")
    store.insert(first)
    store.insert(second)
    assert len(store) == 2
    assert sorted(store.keys()) == sorted([first.public_txt, second.public_txt])
    assert first.public_txt in store and first.public_key in store and first in store
    assert Cert().public_txt not in store
    assert "garbage" not in store and None not in store
    found = store.lookup(first.public_txt)
    assert found == first and found.metadata == {"name": "first"} and found.has_secret
    assert store.lookup(first.public_key) == first
    assert store.lookup(first.public_txt.encode()) == first
    assert not store.lookup(second.public_txt).has_secret


def test_inserted_cert_becomes_a_usable_view():
    store = CertStore()
    cert = Cert()
    keys = cert.public_txt, cert.secret_txt
    cert.set_meta("name", "view")
    store.insert(cert)
    assert (cert.public_txt, cert.secret_txt) == keys
    assert cert.metadata == {"name": "view"}
    assert cert == store.lookup(keys[0])
    assert "in a CertStore" in repr(cert)
    # the view edits the store's certificate
    cert.set_meta("name", "edited")
    assert store.lookup(keys[0]).meta("name") == "edited"
    copy = cert.dup()
    store.destroy()
    assert copy.metadata == {"name": "edited"}       # dup is the caller's own


def test_insert_of_a_key_already_present_raises():
    # CZMQ's zcertstore_insert would abort the process
    store = CertStore()
    cert = Cert()
    store.insert(cert.dup())
    with pytest.raises(ValueError, match="already"):
        store.insert(cert)
    with pytest.raises(ValueError):
        store.insert(Cert.new_from(cert.public_key))
    assert len(store) == 1 and not cert.destroyed and cert.public_txt


def test_insert_of_a_view_raises():
    store, other = CertStore(), CertStore()
    cert = Cert()
    store.insert(cert)
    with pytest.raises(ValueError, match="dup"):
        other.insert(cert)
    with pytest.raises(ValueError):
        store.insert(store.lookup(cert.public_txt))
    other.insert(cert.dup())
    assert other.lookup(cert.public_key) == cert


def test_lookup_of_an_unknown_key_returns_none():
    store = CertStore()
    store.insert(Cert())
    assert store.lookup(Cert().public_txt) is None
    assert store.lookup(bytes(32)) is None


@pytest.mark.parametrize("key, error", [
    ("garbage", ValueError),
    ("|" * 40, ValueError),
    (b"x" * 31, ValueError),
    ("\u00e9" * 40, ValueError),
    (None, TypeError),
    (42, TypeError),
])
def test_lookup_rejects_garbage(key, error):
    with pytest.raises(error):
        CertStore().lookup(key)


def test_store_destroy_ends_views():
    store = CertStore()
    cert = Cert()
    store.insert(cert)
    looked_up = store.lookup(cert.public_txt)
    store.destroy()
    assert store.destroyed
    for view in (cert, looked_up):
        with pytest.raises(ClosedError):
            view.public_txt
        with pytest.raises(ClosedError):
            view.set_meta("a", "b")
    with pytest.raises(ClosedError):
        store.lookup(Cert().public_txt)
    with pytest.raises(ClosedError):
        store.insert(Cert())
    with pytest.raises(ClosedError):
        len(store)
    store.destroy()
    assert "destroyed" in repr(store)


def test_view_context_manager_leaves_the_store_alone():
    with CertStore() as store:
        cert = Cert()
        store.insert(cert)
        with store.lookup(cert.public_txt) as view:
            assert view == cert
        with pytest.raises(ClosedError):
            view.public_key
        assert store.lookup(cert.public_txt) == cert and cert.public_txt
    assert store.destroyed


def test_insert_of_a_destroyed_cert_raises_closed_error():
    cert = Cert()
    cert.destroy()
    with pytest.raises(ClosedError):
        CertStore().insert(cert)
    with pytest.raises(TypeError):
        CertStore().insert(None)


# -- CertStore from a folder -----------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "certs"
    path.mkdir()
    return path


def saved(path, **metadata):
    cert = Cert()
    for name, value in metadata.items():
        cert.set_meta(name, value)
    cert.save(path)
    return cert


def test_folder_store_loads_certificates_and_skips_the_rest(folder, capfd):
    top = saved(folder / "top", name="top")
    (folder / "sub" / "deeper").mkdir(parents=True)
    nested = saved(folder / "sub" / "deeper" / "nested", name="nested")
    public_only = Cert()
    public_only.save_public(folder / "sub" / "public")
    hidden_file = saved(folder / ".hidden")
    (folder / ".hidden_folder").mkdir()
    in_hidden_folder = saved(folder / ".hidden_folder" / "cert")
    secret_only = Cert()
    secret_only.save_secret(folder / "lonely_secret")
    (folder / "notes.txt").write_text("not a certificate\n")
    (folder / "broken").write_bytes(b'curve\n  public-key = "x"\n')
    os.symlink(folder / "missing-target", folder / "dangling")
    store = CertStore(folder)
    assert store.location == str(folder)
    assert sorted(store.keys()) == sorted([top.public_txt, nested.public_txt,
                                           public_only.public_txt])
    found = store.lookup(top.public_txt)
    # the store reads the "_secret" twin, as CZMQ's does
    assert found.has_secret and found == top and found.metadata == {"name": "top"}
    assert store.lookup(nested.public_key).metadata == {"name": "nested"}
    assert not store.lookup(public_only.public_txt).has_secret
    for absent in (hidden_file, in_hidden_folder, secret_only):
        assert store.lookup(absent.public_txt) is None
    assert capfd.readouterr() == ("", "")


def test_folder_store_matches_czmq_zcertstore(folder):
    saved(folder / "top", name="top")
    (folder / "sub").mkdir()
    saved(folder / "sub" / "nested", email="n@example.com")
    Cert().save_public(folder / "public")
    saved(folder / ".hidden")
    Cert().save_secret(folder / "lonely_secret")
    (folder / "notes.txt").write_text("not a certificate\n")
    store = CertStore(folder)
    candidates = set(store.keys())
    for path in folder.rglob("*"):
        if path.is_file():
            try:
                candidates.add(z85_encode(_certfiles.read_cert_file(path).public_key))
            except ValueError:
                pass
    result = run_python(CZMQ_CTYPES + """
import json, os
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
found = czmq_store_lookup(%r, %r)
with open(%r, "w") as out:
    json.dump(found, out)
""" % (str(folder), sorted(candidates), str(folder.parent / "czmq.json")))
    assert_clean_run(result)
    theirs = json.loads((folder.parent / "czmq.json").read_text())
    ours = {}
    for key in sorted(candidates):
        cert = store.lookup(key)
        ours[key] = cert and {"public": cert.public_txt, "secret": cert.secret_txt,
                              "metadata": cert.metadata}
    assert ours == theirs


def test_folder_store_reloads_on_add_change_and_remove(folder):
    first = saved(folder / "first", name="one")
    store = CertStore(folder)
    assert store.keys() == [first.public_txt]
    second = saved(folder / "second")
    assert store.lookup(second.public_txt) == second
    assert len(store) == 2
    # a change of content
    first.set_meta("name", "two")
    first.save(folder / "first")
    bump_mtime(folder / "first_secret")
    assert store.lookup(first.public_txt).meta("name") == "two"
    # a file's key changes
    replacement = saved(folder / "second")
    bump_mtime(folder / "second_secret")
    assert store.lookup(second.public_txt) is None
    assert store.lookup(replacement.public_txt) == replacement
    os.unlink(folder / "second")
    os.unlink(folder / "second_secret")
    assert store.lookup(replacement.public_txt) is None
    assert store.keys() == [first.public_txt]


def test_lookup_reloads_a_change_of_the_secret_twin_only(folder):
    cert = Cert()
    cert.save_public(folder / "cert")
    store = CertStore(folder)
    assert not store.lookup(cert.public_txt).has_secret
    cert.save_secret(folder / "cert_secret")
    assert store.lookup(cert.public_txt).has_secret


def test_view_survives_unrelated_reloads_and_ends_with_its_file(folder):
    kept = saved(folder / "kept", name="kept")
    doomed = saved(folder / "doomed", name="doomed")
    store = CertStore(folder)
    kept_view = store.lookup(kept.public_txt)
    doomed_view = store.lookup(doomed.public_txt)
    saved(folder / "new")
    assert store.lookup(kept.public_txt) == kept
    assert len(store) == 3                                  # reloaded
    assert kept_view.metadata == {"name": "kept"} and kept_view == kept
    os.unlink(folder / "doomed")
    os.unlink(folder / "doomed_secret")
    assert store.lookup(doomed.public_txt) is None
    assert len(store) == 2                                  # reloaded
    with pytest.raises(ClosedError, match="no longer"):
        doomed_view.public_txt
    assert "no longer" in repr(doomed_view) and doomed.secret_txt not in repr(doomed_view)
    assert kept_view.public_txt == kept.public_txt


def test_duplicate_keys_in_a_folder_raise_value_error(folder):
    # CZMQ's zcertstore aborts the process on such a folder
    cert = saved(folder / "a", name="a")
    cert.save(folder / "b")
    with pytest.raises(ValueError, match="same public key"):
        CertStore(folder)
    os.unlink(folder / "b")
    os.unlink(folder / "b_secret")
    store = CertStore(folder)
    view = store.lookup(cert.public_txt)
    (folder / "sub").mkdir()
    cert.save_public(folder / "sub" / "copy")
    with pytest.raises(ValueError, match="same public key"):
        store.lookup(cert.public_txt)
    with pytest.raises(ValueError):
        store.lookup(Cert().public_txt)
    assert view.metadata == {"name": "a"}      # the last good load stays
    os.unlink(folder / "sub" / "copy")
    other = saved(folder / "other")
    assert store.lookup(cert.public_txt) == cert
    assert store.lookup(other.public_txt) == other


def test_a_symlink_to_a_certificate_is_a_duplicate(folder):
    saved(folder / "a")
    os.symlink(folder / "a", folder / "link")
    with pytest.raises(ValueError, match="same public key"):
        CertStore(folder)


def test_symlink_loop_raises_value_error(folder):
    cert = saved(folder / "a")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "loop")
    with pytest.raises(ValueError, match="links back"):
        CertStore(folder)
    os.unlink(folder / "sub" / "loop")
    store = CertStore(folder)
    assert store.keys() == [cert.public_txt]
    os.symlink(folder, folder / "sub" / "self")
    with pytest.raises(ValueError, match="links back"):
        store.lookup(cert.public_txt)
    os.unlink(folder / "sub" / "self")
    assert store.lookup(cert.public_txt) == cert


def test_inserted_certs_survive_reloads_and_win_over_files(folder):
    store = CertStore(folder)
    inserted = Cert()
    inserted.set_meta("origin", "memory")
    store.insert(inserted)
    twin = inserted.dup()
    twin.set_meta("origin", "file")
    twin.save(folder / "twin")
    other = saved(folder / "other")
    assert store.lookup(other.public_txt) == other              # reloaded
    assert store.lookup(inserted.public_txt).meta("origin") == "memory"
    assert inserted.meta("origin") == "memory"
    assert sorted(store.keys()) == sorted([inserted.public_txt, other.public_txt])
    os.unlink(folder / "twin")
    os.unlink(folder / "twin_secret")
    saved(folder / "third")
    assert store.lookup(inserted.public_txt).meta("origin") == "memory"
    # a key a file already brought in can not be inserted again
    with pytest.raises(ValueError):
        store.insert(other.dup())


def test_missing_folder_is_empty_until_it_appears(tmp_path):
    folder = tmp_path / "later"
    store = zcertstore.new(folder)
    assert len(store) == 0
    cert = Cert()
    assert store.lookup(cert.public_txt) is None
    folder.mkdir()
    cert.save(folder / "cert")
    assert store.lookup(cert.public_txt) == cert
    # a folder that goes away keeps what was loaded, as in CZMQ
    os.unlink(folder / "cert")
    os.unlink(folder / "cert_secret")
    folder.rmdir()
    assert store.lookup(cert.public_txt) == cert


def test_set_meta_on_a_folder_view_changes_the_store(folder):
    cert = saved(folder / "cert", name="file")
    store = CertStore(folder)
    view = store.lookup(cert.public_txt)
    view.set_meta("name", "edited")
    view.set_meta("added", "yes")
    assert store.lookup(cert.public_txt).metadata == {"name": "edited", "added": "yes"}
    assert Cert.load(folder / "cert").metadata == {"name": "file"}     # not saved


def test_folder_store_destroy_ends_views(folder):
    cert = saved(folder / "cert")
    store = CertStore(folder)
    view = store.lookup(cert.public_txt)
    store.destroy()
    with pytest.raises(ClosedError):
        view.public_key
    with pytest.raises(ClosedError):
        store.lookup(cert.public_txt)


def test_store_print_logs_through_czmq(tmp_path):
    cert = Cert()
    cert.set_meta("name", "printed")
    cert.save(tmp_path / "cert")
    result = run_python("""
import pyczmq
from pyczmq import Cert, CertStore, zcert, zcertstore
cert = Cert.load(%r)
cert.print()
zcert.print_(cert)
zcert.dump(cert)
folder = CertStore(%r)
folder.print()
memory = CertStore()
memory.insert(cert.dup())
memory.dump()
zcertstore.dump(memory)
zcertstore.print_(folder)
print("done")
""" % (str(tmp_path / "cert"), str(tmp_path)))
    assert_clean_run(result)
    lines = result.stdout.splitlines()
    assert lines[-1] == "done"
    assert sum('public-key = "%s"' % cert.public_txt in line for line in lines) == 7
    assert sum('name = "printed"' in line for line in lines) == 7
    assert any("certificates in store" in line for line in lines)
    assert any("certificates in memory" in line for line in lines)


# -- the functional modules ------------------------------------------------------


def test_zcert_functions(tmp_path, ctx):
    assert set(zcert.__all__) == {
        "new", "new_from", "destroy", "load", "save", "save_public", "save_secret",
        "public_key", "secret_key", "public_txt", "secret_txt", "set_meta", "meta",
        "meta_keys", "apply", "dup", "eq", "print_", "dump"}
    cert = zcert.new()
    assert isinstance(cert, Cert)
    assert zcert.public_key(cert) == cert.public_key and len(zcert.public_key(cert)) == 32
    assert zcert.secret_key(cert) == cert.secret_key and len(zcert.secret_key(cert)) == 32
    assert zcert.public_txt(cert) == z85_encode(cert.public_key)
    assert zcert.secret_txt(cert) == z85_encode(cert.secret_key)
    assert zcert.meta(cert, "name") is None
    zcert.set_meta(cert, "name", "alice")
    zcert.set_meta(cert, "name", "bob")
    assert zcert.meta(cert, "name") == "bob" and zcert.meta_keys(cert) == ["name"]
    copy = zcert.dup(cert)
    assert zcert.eq(cert, copy) and copy is not cert
    assert not zcert.eq(cert, zcert.new())
    assert zcert.eq(zcert.new_from(cert.public_txt, cert.secret_txt), cert)
    public_only = zcert.new_from(cert.public_key)
    assert not zcert.eq(public_only, cert) and not public_only.has_secret
    assert zcert.save(cert, tmp_path / "cert") == 0
    assert zcert.save_public(cert, tmp_path / "public") == 0
    assert zcert.save_secret(cert, tmp_path / "secret") == 0
    assert mode_of(tmp_path / "secret") == 0o600
    assert zcert.eq(zcert.load(tmp_path / "cert"), cert)
    assert zcert.eq(zcert.load(tmp_path / "secret"), cert)
    assert zcert.load(tmp_path / "public").public_key == cert.public_key
    assert not zcert.load(tmp_path / "public").has_secret
    assert zcert.load(tmp_path / "public").metadata == {"name": "bob"}
    assert zcert.dump is zcert.print_ and getattr(zcert, "print") is zcert.print_
    # apply
    sock = ctx.socket("PAIR")
    zcert.apply(cert, sock)
    assert sock.curve_publickey == cert.public_txt
    assert sock.curve_secretkey == cert.secret_txt
    with pytest.raises(ValueError, match="no secret key"):
        zcert.apply(public_only, sock)
    with pytest.raises(TypeError):
        zcert.apply(cert, None)
    zcert.destroy(cert)
    assert cert.destroyed
    with pytest.raises(ClosedError):
        zcert.public_txt(cert)
    with pytest.raises(TypeError):
        zcert.public_txt(None)


def test_apply_sets_the_socket_keys(ctx):
    cert = Cert()
    sock = ctx.socket("DEALER")
    cert.apply(sock)
    assert (sock.curve_publickey, sock.curve_secretkey) == (cert.public_txt, cert.secret_txt)
    store = CertStore()
    store.insert(cert)
    other = ctx.socket("DEALER")
    cert.apply(other)           # as a view
    assert other.curve_secretkey == cert.secret_txt
    public_only = Cert.new_from(cert.public_key)
    untouched = ctx.socket("DEALER")
    with pytest.raises(ValueError):
        public_only.apply(untouched)
    assert untouched.curve_secretkey == z85_encode(bytes(32))
    closed = ctx.socket("DEALER")
    closed.close()
    with pytest.raises(ClosedError):
        Cert().apply(closed)


def test_zcertstore_functions(tmp_path):
    assert set(zcertstore.__all__) == {"new", "destroy", "lookup", "insert", "dump", "print_"}
    memory = zcertstore.new()
    assert isinstance(memory, CertStore) and memory.location is None
    cert = zcert.new()
    zcertstore.insert(memory, cert)
    assert zcertstore.lookup(memory, cert.public_txt) == cert
    assert zcertstore.lookup(memory, zcert.new().public_txt) is None
    with pytest.raises(ValueError):
        zcertstore.insert(memory, zcert.dup(cert))
    zcert.save(cert, tmp_path / "cert")
    folder = zcertstore.new(str(tmp_path))
    assert zcertstore.lookup(folder, cert.public_txt) == cert
    assert zcertstore.print_ is zcertstore.dump and getattr(zcertstore, "print") is zcertstore.dump
    key = cert.public_txt
    zcertstore.destroy(memory)
    zcertstore.destroy(folder)
    assert memory.destroyed and folder.destroyed
    with pytest.raises(ClosedError):
        cert.public_txt
    with pytest.raises(ClosedError):
        zcertstore.lookup(memory, key)
    with pytest.raises(TypeError):
        zcertstore.lookup(None, key)


# -- never abort -------------------------------------------------------------------

PROBE_SETUP = """
import os, shutil, tempfile, pyczmq
from pyczmq import Cert, CertStore, ClosedError, zcert, zcertstore
tmp = tempfile.mkdtemp()
ctx = pyczmq.Context()
sock = ctx.socket("PAIR")
closed_sock = ctx.socket("PAIR")
closed_sock.close()
cert = Cert()
cert.set_meta("name", "probe")
public_only = Cert.new_from(cert.public_key)
destroyed = Cert()
destroyed.destroy()
store = CertStore()
member = Cert()
store.insert(member)
gone = CertStore()
gone_view = Cert()
gone.insert(gone_view)
gone.destroy()
dups = os.path.join(tmp, "dups")
os.mkdir(dups)
cert.save(os.path.join(dups, "a"))
cert.save(os.path.join(dups, "b"))
loop = os.path.join(tmp, "loop")
os.makedirs(os.path.join(loop, "sub"))
os.symlink("..", os.path.join(loop, "sub", "up"))
with open(os.path.join(tmp, "junk"), "w") as junk:
    junk.write("junk\\n")
with open(os.path.join(tmp, "bad_z85"), "w") as bad:
    bad.write('curve\\n    public-key = "%s"\\n' % ("|" * 40))
"""

PROBE_TEARDOWN = """
ctx.destroy()
shutil.rmtree(tmp)
"""

# group -> [(exception that must be raised, or None for "must not raise", code)]
PROBES = {
    "keys": [
        ("ValueError", "Cert.new_from(b'x' * 31)"),
        ("ValueError", "Cert.new_from(b'x' * 33)"),
        ("ValueError", "Cert.new_from(b'')"),
        ("ValueError", "Cert.new_from('0' * 39)"),
        ("ValueError", "Cert.new_from('|' * 40)"),
        ("ValueError", "Cert.new_from('#' * 40)"),
        ("ValueError", "Cert.new_from('\\u00e9' * 40)"),
        ("ValueError", "Cert.new_from('\\0' * 40)"),
        ("TypeError", "Cert.new_from(None)"),
        ("TypeError", "Cert.new_from(1234)"),
        ("TypeError", "Cert.new_from(cert.public_key, 5)"),
        ("ValueError", "Cert.new_from(cert.public_key, b'x' * 31)"),
        ("ValueError", "Cert.new_from(cert.public_key, '|' * 40)"),
        ("ValueError", "Cert.new_from(cert.secret_key, cert.public_key)"),
        ("ValueError", "Cert.new_from(Cert().public_key, cert.secret_key)"),
        ("ValueError", "Cert.new_from(cert.public_key, bytes(32))"),
        ("TypeError", "zcert.new_from([1, 2])"),
        ("TypeError", "zcert.new_from()"),
        (None, "Cert.new_from(bytearray(cert.public_key), memoryview(cert.secret_key))"),
        ("TypeError", "zcert.eq(cert, None)"),
        ("TypeError", "zcert.public_key(None)"),
        ("TypeError", "zcert.dup('cert')"),
    ],
    "metadata": [
        ("ValueError", "cert.set_meta('', 'x')"),
        ("ValueError", "cert.set_meta('a' * 256, 'x')"),
        ("ValueError", "cert.set_meta('has space', 'x')"),
        ("ValueError", "cert.set_meta('/lead', 'x')"),
        ("ValueError", "cert.set_meta('trail/', 'x')"),
        ("ValueError", "cert.set_meta('nul\\0', 'x')"),
        ("ValueError", "cert.set_meta('na\\u00efve', 'x')"),
        ("TypeError", "cert.set_meta(None, 'x')"),
        ("TypeError", "cert.set_meta(5, 'x')"),
        ("TypeError", "cert.set_meta('name', None)"),
        ("TypeError", "cert.set_meta('name', 5)"),
        ("TypeError", "cert.meta(None)"),
        ("TypeError", "zcert.set_meta(cert, 5, 5)"),
        (None, "assert cert.meta('missing') is None"),
        (None, "assert cert.meta('a\\0b') is None"),
        (None, "assert cert.metadata == {'name': 'probe'}"),
        (None, "cert.set_meta('name', 'x' * 100000); assert len(cert.meta('name')) == 100000"),
    ],
    "metadata values": [
        ("ValueError", "cert.set_meta('name', 'a\\x22b')"),
        ("ValueError", "cert.set_meta('name', 'a\\nb')"),
        ("ValueError", "cert.set_meta('name', 'a\\rb')"),
        ("ValueError", "cert.set_meta('name', 'a\\0b')"),
        ("ValueError", "zcert.set_meta(cert, 'name', b'a\\nb')"),
        (None, "assert cert.metadata == {'name': 'probe'}"),
    ],
    "files": [
        ("FileNotFoundError", "Cert.load(os.path.join(tmp, 'missing'))"),
        ("IsADirectoryError", "Cert.load(tmp)"),
        ("ValueError", "Cert.load('')"),
        ("ValueError", "Cert.load(b'')"),
        ("ValueError", "Cert.load('a\\0b')"),
        ("ValueError", "zcert.load(b'a\\0b')"),
        ("TypeError", "Cert.load(None)"),
        ("TypeError", "Cert.load(5)"),
        ("pyczmq._certfiles.NotACertificate", "Cert.load(os.path.join(tmp, 'junk'))"),
        ("pyczmq._certfiles.BadCertificate", "Cert.load(os.path.join(tmp, 'bad_z85'))"),
        ("ValueError", "cert.save('')"),
        ("ValueError", "cert.save('a\\0b')"),
        ("ValueError", "cert.save_public('')"),
        ("ValueError", "cert.save_secret(b'x\\0')"),
        ("ValueError", "zcert.save(cert, '')"),
        ("TypeError", "cert.save(5)"),
        ("TypeError", "cert.save(None)"),
        ("FileNotFoundError", "cert.save(os.path.join(tmp, 'no', 'such', 'folder'))"),
        ("IsADirectoryError", "cert.save_public(tmp)"),
        ("IsADirectoryError", "cert.save_secret(tmp)"),
        ("OSError", "cert.save(os.path.join(tmp, 'n' * 300))"),
        (None, "assert zcert.save(cert, os.path.join(tmp, 'ok')) == 0"),
        (None, "assert Cert.load(os.path.join(tmp, 'ok')) == cert"),
    ],
    "stores": [
        ("ValueError", "store.insert(member.dup())"),
        ("ValueError", "store.insert(Cert.new_from(member.public_key))"),
        ("ValueError", "store.insert(member)"),
        ("ValueError", "CertStore().insert(member)"),
        ("TypeError", "store.insert(None)"),
        ("TypeError", "store.insert('cert')"),
        ("ClosedError", "store.insert(destroyed)"),
        ("ValueError", "store.lookup('garbage')"),
        ("ValueError", "store.lookup(b'x' * 31)"),
        ("TypeError", "store.lookup(None)"),
        ("TypeError", "store.lookup(42)"),
        (None, "assert store.lookup(Cert().public_txt) is None"),
        (None, "assert len(store) == 1 and store.lookup(member.public_txt) == member"),
        ("ValueError", "CertStore(dups)"),
        ("ValueError", "zcertstore.new(dups)"),
        ("ValueError", "CertStore(loop)"),
        ("ValueError", "CertStore('')"),
        ("ValueError", "CertStore('a\\0b')"),
        ("TypeError", "CertStore(5)"),
        (None, "assert len(CertStore(os.path.join(tmp, 'missing'))) == 0"),
        ("ValueError", "zcertstore.insert(store, member)"),
        ("TypeError", "zcertstore.insert(None, cert)"),
        ("TypeError", "zcertstore.insert(store, None)"),
        ("TypeError", "zcertstore.lookup(None, 'x')"),
        ("TypeError", "zcertstore.destroy(None)"),
        ("TypeError", "zcertstore.dump(None)"),
    ],
    "use after destroy": [
        ("ClosedError", "destroyed.public_key"),
        ("ClosedError", "destroyed.secret_txt"),
        ("ClosedError", "destroyed.has_secret"),
        ("ClosedError", "destroyed.metadata"),
        ("ClosedError", "destroyed.set_meta('a', 'b')"),
        ("ClosedError", "destroyed.save(os.path.join(tmp, 'destroyed'))"),
        ("ClosedError", "destroyed.save_secret(os.path.join(tmp, 'destroyed'))"),
        ("ClosedError", "destroyed.apply(sock)"),
        ("ClosedError", "destroyed.dup()"),
        ("ClosedError", "destroyed.print()"),
        ("ClosedError", "destroyed == cert"),
        ("ClosedError", "cert == destroyed"),
        ("ClosedError", "hash(destroyed)"),
        ("ClosedError", "zcert.public_txt(destroyed)"),
        ("ClosedError", "zcert.eq(cert, destroyed)"),
        ("ClosedError", "zcert.print_(destroyed)"),
        (None, "destroyed.destroy(); zcert.destroy(destroyed)"),
        ("ClosedError", "gone_view.public_txt"),
        ("ClosedError", "gone_view.set_meta('a', 'b')"),
        ("ClosedError", "gone_view.apply(sock)"),
        ("ClosedError", "gone.lookup(cert.public_txt)"),
        ("ClosedError", "gone.insert(Cert())"),
        ("ClosedError", "len(gone)"),
        ("ClosedError", "gone.keys()"),
        ("ClosedError", "gone.print()"),
        ("ClosedError", "cert.public_txt in gone"),
        ("ClosedError", "zcertstore.lookup(gone, cert.public_txt)"),
        (None, "gone.destroy(); zcertstore.destroy(gone); gone_view.destroy()"),
        (None, "repr(destroyed); repr(gone); repr(gone_view)"),
        ("ValueError", "public_only.apply(sock)"),
        ("TypeError", "cert.apply(None)"),
        ("ClosedError", "cert.apply(closed_sock)"),
        (None, "cert.apply(sock)"),
    ],
}


@pytest.mark.parametrize("group", sorted(PROBES))
def test_bad_input_raises_and_never_aborts(group):
    """Each probe raises its exception (or none) and the child exits cleanly."""
    result = run_probes(PROBE_SETUP, PROBES[group], PROBE_TEARDOWN)
    assert_clean_run(result)
    assert result.stdout == "survived\n"


# -- no leaks ----------------------------------------------------------------------
# As in test_leaks.py: warm up, then three batches; a leak grows every batch.
# Metadata values of 1000 bytes make one leaked certificate cost over a kilobyte.

LEAK_PROLOGUE = """
import gc, os, shutil, tempfile, time, pyczmq
from pyczmq import Cert, CertStore, zcert, zcertstore

def rss():
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

tmp = tempfile.mkdtemp()
BIG = "v" * 1000
base = Cert()
base.set_meta("name", BIG)

def run(times):
    for i in range(times):
        step(i)

"""

LEAK_WORKLOADS = {
    "certs": (3000, """
def step(i):
    cert = Cert()
    cert.set_meta("name", BIG)
    cert.set_meta("name", BIG + str(i))
    cert.set_meta("other", BIG)
    cert.metadata; cert.meta_keys(); repr(cert); hash(cert)
    copy = cert.dup()
    assert copy == cert
    copy.destroy()
    Cert.new_from(cert.public_key, cert.secret_key)
    Cert.new_from(cert.public_txt).set_meta("x", BIG)
"""),
    "memory stores": (3000, """
def step(i):
    store = CertStore()
    store.insert(base.dup())
    store.insert(Cert())
    store.insert(Cert.new_from(Cert().public_key))
    view = store.lookup(base.public_txt)
    view.set_meta("name", BIG + str(i))
    view.set_meta("added", BIG)
    view.dup(); store.keys(); len(store)
    try:
        store.insert(base.dup())
    except ValueError:
        pass
    if i % 2:
        store.destroy()
"""),
    "folder store reloads": (600, """
folder = os.path.join(tmp, "certs")
os.mkdir(folder)
certs = []
for n in range(4):
    cert = Cert()
    cert.set_meta("name", BIG)
    cert.save(os.path.join(folder, "cert%d" % n))
    certs.append(cert)
store = CertStore(folder)
view = store.lookup(certs[0].public_txt)
bump = [os.stat(os.path.join(folder, "cert1")).st_mtime_ns]

def step(i):
    bump[0] += 1000
    os.utime(os.path.join(folder, "cert1"), ns=(bump[0], bump[0]))
    found = store.lookup(certs[1].public_txt)       # reloads the folder...
    assert found.meta("name") == BIG                # ...undoing the last step's set_meta
    found.set_meta("name", BIG + str(i))
    view.set_meta("name", BIG + str(i))
    assert view.metadata and found.metadata
    if i % 50 == 0:
        CertStore(folder).lookup(certs[2].public_key)
"""),
    "files and errors": (1500, """
path = os.path.join(tmp, "cert")
with open(os.path.join(tmp, "junk"), "w") as junk:
    junk.write("junk\\n")

def step(i):
    base.save(path)
    assert Cert.load(path) == base
    zcert.load(path).metadata
    for bad in (lambda: Cert.load(path + "missing"), lambda: Cert.load(tmp + "/junk"),
                lambda: Cert.new_from(b"x" * 31), lambda: base.set_meta("a b", "x")):
        try:
            bad()
        except (OSError, ValueError):
            pass
"""),
}


@pytest.mark.parametrize("name", sorted(LEAK_WORKLOADS))
def test_no_growth(name):
    times, workload = LEAK_WORKLOADS[name]
    result = run_python(LEAK_PROLOGUE + workload + """
run(%d)                                     # warm up: caches, free lists, arenas
growth = []
for batch in range(3):
    before = rss()
    run(%d)
    growth.append(rss() - before)
print(growth)
shutil.rmtree(tmp)
assert min(growth) < 300_000, "grew by %%s bytes in batches of %d iterations" %% growth
""" % (times, times, times), timeout=120)
    assert_clean_run(result)
