"""The parser fuzzers (fuzz/parsers.py): a bounded slice of every target, the
harness's own crash/hang reporting, and regression tests for what fuzzing
and reading CZMQ's parsers found.

Each fuzz run happens in a child process (a crash or hang there is a
finding, not the end of this run); probes that would crash or hang before
their fix also run in a child.
"""

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from pyczmq import Auth, Cert, CertStore, Context, Message, zcert, zcertstore, zmq, zmsg

from conftest import assert_clean_run, run_python

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location("fuzz_parsers", os.path.join(ROOT, "fuzz",
                                                                             "parsers.py"))
fuzz = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz)

# inputs per target in the suite's slice (1-3 s each here)
SLICE = {"msg_load": 6000, "zpl": 8000, "cert_file": 3000, "cert_folder": 700,
         "auth_curve": 1200, "plain_file": 2000, "z85": 8000, "monitor_event": 8000}


def test_the_slice_covers_every_target():
    assert sorted(SLICE) == sorted(name for name, cls in fuzz.TARGETS.items() if not cls.hidden)
    for name in SLICE:
        assert os.listdir(os.path.join(fuzz.CORPUS, name)), "no seed corpus for %s" % name


@pytest.mark.parametrize("name", sorted(SLICE))
def test_fuzz_slice_finds_nothing(name, tmp_path):
    result = fuzz.run_target(name, SLICE[name], seed=1, out=str(tmp_path), input_timeout=20,
                             wall_timeout=240)
    assert result["finding"] is None, fuzz.format_result(result)
    assert result["runs"] == SLICE[name], fuzz.format_result(result)
    # the slice reaches both sides of the parser (a fuzzer that refuses
    # everything, or accepts everything, checks little)
    outcomes = result["outcomes"]
    assert sum(outcomes.values()) == SLICE[name]
    assert sum(1 for count in outcomes.values() if count) >= min(2, len(outcomes)), outcomes


# -- the harness reports what it finds -----------------------------------------------------


@pytest.mark.parametrize("engine", ["atheris", "random"])
@pytest.mark.parametrize("name, kind, trigger", [
    ("selftest_abort", "crash (signal)", b"ABORT"),
    ("selftest_raise", "exception", b"RAISE"),
    ("selftest_hang", "hang", b"HANG"),
])
def test_harness_reports_the_finding_and_saves_its_input(engine, name, kind, trigger, tmp_path):
    if engine == "atheris":
        pytest.importorskip("atheris", reason="atheris has no wheel for this Python")
    result = fuzz.run_target(name, 1000, out=str(tmp_path), engine=engine, input_timeout=1,
                             wall_timeout=60)
    finding = result["finding"]
    assert finding is not None and finding["kind"] == kind, fuzz.format_result(result)
    with open(finding["artifact"], "rb") as saved:
        assert saved.read().startswith(trigger)
    assert 1 <= result["runs"] <= 3        # the seeds run first: the trigger is among them
    if kind == "exception":
        assert "AssertionError: selftest finding" in finding["detail"]
    assert "FOUND %s" % kind in fuzz.format_result(result)


def test_command_line_runs_and_reports_each_target(tmp_path):
    done = subprocess.run([sys.executable, os.path.join(ROOT, "fuzz", "parsers.py"), "--runs",
                           "50", "--seed", "7", "--target", "z85", "--target", "monitor_event",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and "seed 7" in lines[0]
    assert lines[1].startswith("z85") and " 50 inputs" in lines[1] and "no finding" in lines[1]
    assert lines[2].startswith("monitor_event") and " 50 inputs" in lines[2]


def test_command_line_exits_1_on_a_finding_and_replays_it(tmp_path):
    script = os.path.join(ROOT, "fuzz", "parsers.py")
    done = subprocess.run([sys.executable, script, "--runs", "50", "--target", "selftest_raise",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "FOUND exception" in done.stdout, done.stdout
    saved = done.stdout.split("input saved in ")[1].split()[0]
    again = subprocess.run([sys.executable, script, "--target", "selftest_raise", "--replay",
                            saved], capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "AssertionError: selftest finding" in again.stderr


def test_folder_inputs_name_their_files():
    files = fuzz.folder_files(b"loose\n==> x/../../y\nY\n==> /abs/b.ln\nB==> \nE")
    assert files == {b"a": b"loose", b"x/y": b"Y", b"abs/b.ln": b"B==> \nE"}
    assert fuzz.folder_files(b"no sections") == {b"a": b"no sections"}
    assert fuzz.folder_files(b"==> \nx") == {b"a": b"x"}


# -- regression: certificate files with corrupt keys ----------------------------------------


PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"      # libzmq's test key pair
SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"


def cert_text(public=PUBLIC, secret=None):
    text = 'metadata\n    name = "x"\ncurve\n    public-key = "%s"\n' % public
    if secret is not None:
        text += '    secret-key = "%s"\n' % secret
    return text.encode()


CORRUPT = {
    # name: (files, what the error says)
    "invalid Z85 character": ({"bad": cert_text("|" + PUBLIC[1:])},
                              "public-key is not valid Z85 text: character 1 ('|')"),
    "Z85 over 2**32": ({"bad": cert_text(PUBLIC[:35] + "#####")},
                       "public-key is not valid Z85 text: characters 36-40"),
    "public key of 39 characters": ({"bad": cert_text(PUBLIC[:39])},
                                    "public-key is 39 characters long, not 40"),
    "invalid Z85 in the secret twin": ({"bad": cert_text(), "bad_secret": cert_text(
        secret=SECRET[:9] + "~" + SECRET[10:])}, "secret-key is not valid Z85 text"),
    "secret key of 39 characters": ({"bad": cert_text(), "bad_secret": cert_text(
        secret=SECRET[:39])}, "secret-key is 39 characters long"),
    "secret key of another pair": ({"bad": cert_text(), "bad_secret": cert_text(
        secret=zmq.curve_keypair()[1])}, "secret-key does not belong to its public-key"),
}


def write_files(folder, files):
    for name, content in files.items():
        (folder / name).write_bytes(content)


@pytest.mark.parametrize("case", CORRUPT)
def test_a_certificate_with_a_corrupt_key_is_refused_everywhere(case, tmp_path):
    files, message = CORRUPT[case]
    folder = tmp_path / "certs"
    folder.mkdir()
    good = Cert()
    good.save(folder / "good")
    store = CertStore(folder)
    early = zcertstore.new(str(folder))
    write_files(folder, files)
    read = folder / ("bad_secret" if "bad_secret" in files else "bad")
    expected = re.escape("%s: its curve %s" % (read, message))
    for load in (Cert.load, zcert.load):
        with pytest.raises(ValueError, match="^" + expected):
            load(folder / "bad")
    for make in (CertStore, zcertstore.new):
        with pytest.raises(ValueError, match="^" + expected):
            make(str(folder))
    # a store that reloads the folder refuses it, and keeps what it held
    for held in (store, early):
        with pytest.raises(ValueError, match="^" + expected):
            held.lookup(good.public_txt)
    assert store.keys() == [good.public_txt]
    with Auth() as auth:
        with pytest.raises(ValueError, match="^" + expected):
            auth.configure_curve("*", folder)
    for name in files:
        os.unlink(folder / name)
    assert store.lookup(good.public_txt) == good


@pytest.fixture(scope="module")
def czmq():
    return fuzz.Czmq()


def test_czmq_admits_a_corrupt_key_under_a_mangled_one(tmp_path, czmq):
    # the defect pyczmq's folder store had, kept visible: CZMQ's zcertstore
    # holds a public key of 40 zeros for a file whose key has a bad character
    (tmp_path / "bad").write_bytes(cert_text("|" + PUBLIC[1:]))
    assert czmq.cert_load(tmp_path / "bad")[0] == b"0" * 40
    zero = b"0" * 40
    assert czmq.store_lookup(str(tmp_path), [zero])[zero] is not None


def test_a_public_only_certificate_saved_as_secret_still_loads(tmp_path):
    # save_secret of a certificate without a secret key writes 40 zeros as
    # its secret key: no secret, not a corrupt one
    public_only = Cert.new_from(PUBLIC)
    public_only.save(tmp_path / "p")
    assert b'secret-key = "0000000000000000000000000000000000000000"' in \
        (tmp_path / "p_secret").read_bytes()
    loaded = Cert.load(tmp_path / "p")
    assert loaded.public_txt == PUBLIC and not loaded.has_secret
    assert CertStore(tmp_path).keys() == [PUBLIC]


def test_a_matching_key_pair_in_a_file_loads(tmp_path):
    (tmp_path / "c").write_bytes(cert_text(PUBLIC, SECRET))
    cert = Cert.load(tmp_path / "c")
    assert (cert.public_txt, cert.secret_txt) == (PUBLIC, SECRET)


# -- regression: files that are not regular ------------------------------------------------


NON_REGULAR = """
import os, sys, tempfile
from pyczmq import Auth, Cert, CertStore
folder = tempfile.mkdtemp()
good = Cert()
good.save(os.path.join(folder, "c"))
os.unlink(os.path.join(folder, "c_secret"))
%s
def refused(call, *args):
    try:
        call(*args)
    except ValueError as error:
        return str(error)
    return "accepted"
print(refused(Cert.load, os.path.join(folder, "c")))
print(refused(CertStore, folder))
with Auth() as auth:
    print(refused(auth.configure_curve, "*", folder))
"""


@pytest.mark.parametrize("make", [
    'os.mkfifo(os.path.join(folder, "c_secret"))',
    'os.symlink("/dev/zero", os.path.join(folder, "c_secret"))',
])
def test_a_secret_twin_that_is_not_a_regular_file_is_refused(make):
    # a FIFO blocked Cert.load and CertStore forever (and would block zauth's
    # loader); /dev/zero was read without end
    result = run_python(NON_REGULAR % make, timeout=30)
    assert_clean_run(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert line.endswith("c_secret is not a regular file"), line


def test_a_fifo_as_the_certificate_itself_is_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    result = run_python("""
from pyczmq import Cert
try:
    Cert.load(%r)
except ValueError as error:
    print(error)
""" % str(tmp_path / "fifo"), timeout=30)
    assert_clean_run(result)
    assert result.stdout == "%s is not a regular file\n" % (tmp_path / "fifo")
    assert len(CertStore(tmp_path)) == 0      # a folder skips it (as CZMQ does)


def test_a_folder_as_the_secret_twin_makes_no_certificate_as_in_czmq(tmp_path, czmq):
    Cert.new_from(PUBLIC).save_public(tmp_path / "c")
    (tmp_path / "c_secret").mkdir()
    assert czmq.cert_load(tmp_path / "c") is None
    with pytest.raises(ValueError, match="c_secret is a folder"):
        Cert.load(tmp_path / "c")
    assert len(CertStore(tmp_path)) == 0


# -- regression: a folder zauth's own loader reads otherwise ----------------------------------


LINK_ABORT = """
import os, sys, tempfile
from pyczmq import Auth, Cert, CertStore
folder = tempfile.mkdtemp()
os.chdir(folder)
Cert().save_public("b")
with open("b.ln", "w") as link:
    link.write("b\\n")          # CZMQ's zfile: "b.ln" is a link to the file "b" ...
print(len(CertStore(folder)))
with Auth() as auth:
    try:
        auth.configure_curve("*", folder)   # ... so zauth loaded "b" twice and aborted
    except ValueError as error:
        print(error)
"""


def test_a_file_named_ln_in_a_curve_folder_is_refused():
    result = run_python(LINK_ABORT, timeout=30)
    assert_clean_run(result)
    count, error = result.stdout.splitlines()
    assert count == "1"         # pyczmq's own store reads file names literally
    assert error.endswith("b.ln: CZMQ's zauth reads a file named *.ln as a link to the file "
                          "named in it, not as a certificate; rename it")


def test_a_curve_folder_too_deep_for_zcert_load_is_refused(tmp_path):
    folder = tmp_path.joinpath(*["d" * 50] * 5)
    folder.mkdir(parents=True)
    Cert().save_public(folder / "client")
    assert len(CertStore(tmp_path)) == 1
    with Auth() as auth:
        with pytest.raises(ValueError, match="too long for CZMQ's zcert_load"):
            auth.configure_curve("*", tmp_path)


def test_a_password_file_that_is_not_regular_is_refused(tmp_path):
    # zauth's fopen of a FIFO blocked it, and configure_plain waited forever
    os.mkfifo(tmp_path / "fifo")
    result = run_python("""
from pyczmq import Auth
with Auth() as auth:
    for path in (%r, "/dev/null"):
        try:
            auth.configure_plain("*", path)
        except ValueError as error:
            print(error)
    auth.configure_plain("*", %r)        # missing: allowed (it may appear later)
    auth.configure_plain("*", %r)        # a folder: read as empty, nobody gets in
""" % (str(tmp_path / "fifo"), str(tmp_path / "missing"), str(tmp_path)), timeout=30)
    assert_clean_run(result)
    assert result.stdout.splitlines() == ["%s is not a regular file" % (tmp_path / "fifo"),
                                          "/dev/null is not a regular file"]


# -- regression: curve keys as Z85 text with a NUL --------------------------------------------


@pytest.mark.parametrize("option", ["curve_publickey", "curve_secretkey", "curve_serverkey"])
def test_a_z85_key_with_a_nul_is_refused_by_the_socket_options(option):
    public, secret = zmq.curve_keypair()
    with Context() as ctx:
        sock = ctx.socket("DEALER")
        setattr(sock, option, public)
        for text in (public[:10] + "\0" * 30, public[:35] + "\0" * 5, public.encode()[:20] +
                     b"\0" + public.encode()[21:]):
            # libzmq decoded up to the NUL and kept the rest of the old key
            with pytest.raises(ValueError, match="NUL"):
                setattr(sock, option, text)
            with pytest.raises(ValueError, match="NUL"):
                zmq.setsockopt(sock, getattr(zmq, option.upper()), text)
        assert getattr(sock, option) == public


# -- regression: Message.load/save of a descriptor -------------------------------------------


def test_message_load_and_save_refuse_a_descriptor(tmp_path):
    read_end, write_end = os.pipe()
    try:
        for call in (lambda: Message().load(read_end), lambda: Message(b"x").save(write_end),
                     lambda: zmsg.load(None, read_end), lambda: zmsg.save(Message(b"x"), write_end),
                     lambda: Message().load(True)):
            with pytest.raises(TypeError, match="file name"):
                call()
        os.fstat(read_end), os.fstat(write_end)     # still open
    finally:
        os.close(read_end)
        os.close(write_end)
    path = tmp_path / "m"
    Message(b"a", b"").save(path)
    assert Message().load(path).tolist() == [b"a", b""]
    assert Message().load(os.fsencode(path)).tolist() == [b"a", b""]
