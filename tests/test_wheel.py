"""The self-contained wheel of scripts/wheel.sh, and the sdist it is built from.

One session fixture runs scripts/wheel.sh (an sdist, the wheel built from that
sdist in build's isolated environment, auditwheel repair): that build is the
proof that the sdist holds everything a build needs.  A rerun on the same
clean commit reuses that wheel (dist/.wheel-source records it).  The wheel is installed
with pip --no-index into a fresh venv (with pyzmq's own wheel next to it, a
second libzmq) and its extensions must load libczmq and libzmq from
pyczmq.libs/.  The smoke script then runs with the system's libczmq and libzmq
hidden: in a private mount namespace (unshare -m, as root) an empty file is
bind-mounted over each, and the same import from the source tree must fail
there, which proves the hiding works.  Without root or unshare these tests
skip with the reason, except under CI (CI=true), where they fail.
"""

import glob
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMOKE = os.path.join(ROOT, "tests", "wheel_smoke.py")

pytestmark = pytest.mark.timeout(900)


def version():
    scope = {}
    with open(os.path.join(ROOT, "pyczmq", "_version.py")) as source:
        exec(source.read(), scope)
    return scope["__version__"]


def unavailable(reason):
    """Skip, or fail under CI: CI must run the wheel's isolation test."""
    message = "the system's libczmq/libzmq can not be hidden: %s" % reason
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must run the wheel tests)", pytrace=False)
    pytest.skip(message)


def run(command, timeout=900, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if result.returncode != 0:
        pytest.fail("exit %d of %s\nstdout:\n%s\nstderr:\n%s" % (
            result.returncode, command, result.stdout[-6000:], result.stderr[-6000:]),
            pytrace=False)
    return result


def source_commit():
    """HEAD when the worktree is clean (what a wheel can be reused for), else None."""
    status = run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT).stdout
    return None if status.strip() else run(["git", "rev-parse", "HEAD"], cwd=ROOT).stdout.strip()


@pytest.fixture(scope="session")
def built():
    """(sdist, wheel): what scripts/wheel.sh made, once per session, or the
    wheel it made before for this same clean commit and Python."""
    commit = source_commit()
    stamp = os.path.join(ROOT, "dist", ".wheel-source")
    key = "%s cp%d%d" % ((commit,) + sys.version_info[:2])
    if commit and os.path.exists(stamp):
        with open(stamp) as previous:
            fields = previous.read().split("\n")
        if fields[0] == key and all(os.path.exists(path) for path in fields[1:3]):
            return fields[1], fields[2]
    result = run(["bash", os.path.join(ROOT, "scripts", "wheel.sh")], cwd=ROOT,
                 env=dict(os.environ, PYTHON=getattr(sys, "_base_executable", sys.executable)))
    outputs = [line.split(": ", 1)[1] for line in result.stdout.splitlines()
               if line.startswith("pyczmq: dist/")]
    sdist = [os.path.join(ROOT, path) for path in outputs if path.endswith(".tar.gz")]
    wheel = [os.path.join(ROOT, path) for path in outputs if path.endswith(".whl")]
    assert len(sdist) == 1 and len(wheel) == 1, result.stdout
    if commit and commit == source_commit():
        with open(stamp, "w") as record:
            record.write("%s\n%s\n%s\n" % (key, sdist[0], wheel[0]))
    return sdist[0], wheel[0]


@pytest.fixture(scope="session")
def installed(built, tmp_path_factory):
    """A fresh venv with the wheel (pip --no-index) and pyzmq's own wheel."""
    venv = tmp_path_factory.mktemp("wheel") / "venv"
    run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(pip + ["--no-index", built[1]])
    run(pip + ["--only-binary", ":all:", "pyzmq"], env=dict(
        {k: v for k, v in os.environ.items() if k != "PIP_NO_BINARY"}))
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    return python, site.stdout.strip()


def test_the_sdist_holds_the_sources_and_nothing_generated(built):
    with tarfile.open(built[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    tracked = run(["git", "ls-files"], cwd=ROOT).stdout.split()
    needed = [path for path in tracked
              if path.startswith("pyczmq/") and path.endswith((".pyx", ".pxd", ".pxi", ".py"))
              or path.startswith("include/") or path.startswith("examples/cython_throughput/")]
    needed += ["pyczmq/perf/zmqperf.c", "LICENSE", "README.md", "setup.py", "pyproject.toml",
               "MANIFEST.in", "pyczmq/_version.py"]
    assert len(needed) > 70
    assert sorted(set(needed) - names) == []
    generated = [name for name in names if name.endswith((".so", ".o", ".html"))
                 or name.endswith(".c") and name != "pyczmq/perf/zmqperf.c"
                 or name.endswith("_build_config.py")]
    assert generated == []


def test_the_wheel_bundles_czmq_libzmq_and_what_they_need(built):
    name = os.path.basename(built[1])
    assert name.startswith("pyczmq-%s-cp%d%d-" % ((version(),) + sys.version_info[:2]))
    assert "manylinux_" in name
    with zipfile.ZipFile(built[1]) as wheel:
        names = wheel.namelist()
        metadata = wheel.read("pyczmq-%s.dist-info/METADATA" % version()).decode()
        license_text = wheel.read("pyczmq-%s.dist-info/licenses/LICENSE" % version()).decode()
    libs = sorted(os.path.basename(n).split("-")[0] for n in names if n.startswith("pyczmq.libs/"))
    for library in ("libczmq", "libzmq", "libsodium"):
        assert library in libs
    extensions = [n for n in names if n.endswith(".so") and n.startswith("pyczmq/")]
    assert len(extensions) == 14
    with open(os.path.join(ROOT, "LICENSE")) as source:
        assert license_text == source.read()
    assert "Version: %s\n" % version() in metadata
    assert "License-Expression: MPL-2.0\n" in metadata
    assert "Classifier: Operating System :: POSIX :: Linux\n" in metadata
    assert "Classifier: Programming Language :: Cython\n" in metadata


def test_every_extension_loads_the_bundled_czmq_and_libzmq(installed):
    # The functional modules call CZMQ through _core, so the linker's
    # --as-needed leaves most of them without a libczmq of their own; the
    # ones that load CZMQ or libzmq must load the copies in pyczmq.libs/.
    python, site = installed
    extensions = glob.glob(os.path.join(site, "pyczmq", "*.so"))
    assert len(extensions) == 14
    bundled = os.path.join(site, "pyczmq", "..", "pyczmq.libs") + os.sep
    loaded = {}
    for extension in extensions:
        lines = run(["ldd", extension]).stdout.splitlines()
        assert not [line for line in lines if "not found" in line], (extension, lines)
        for line in lines:
            library = line.strip().split(" ", 1)[0]
            if library.startswith(("libczmq", "libzmq")):
                path = line.split("=>")[1].split("(")[0].strip()
                assert os.path.normpath(path).startswith(os.path.normpath(bundled) + os.sep), \
                    (extension, line)
                loaded.setdefault(os.path.basename(extension).split(".")[0], set()).add(
                    library.split("-")[0])
    assert loaded["_core"] == {"libczmq", "libzmq"}
    assert loaded["zmq"] == {"libzmq"}


def hidden_libraries():
    """The real files of the system's libczmq.so.4 and libzmq.so.5."""
    listing = run(["ldconfig", "-p"]).stdout
    paths = set()
    for line in listing.splitlines():
        if line.strip().split(" ", 1)[0] in ("libczmq.so.4", "libzmq.so.5"):
            paths.add(os.path.realpath(line.split("=>")[1].strip()))
    return sorted(paths)


def in_hidden_namespace(tmp_path, *commands):
    """Run each command (a list) in one private mount namespace where the
    system's libczmq and libzmq are empty files; their results."""
    if os.geteuid() != 0:
        unavailable("needs root (unshare -m, mount --bind)")
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        unavailable("unshare or mount is missing")
    libraries = hidden_libraries()
    assert any("libczmq" in p for p in libraries) and any("libzmq" in p for p in libraries)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    script = ["set -e"]
    script += ["mount --bind %s %s" % (empty, path) for path in libraries]
    script += ["set +e"]
    for number, command in enumerate(commands):
        script.append("%s >%s/out%d 2>%s/err%d; echo $? >%s/rc%d" % (
            " ".join("'%s'" % part for part in command), tmp_path, number, tmp_path, number,
            tmp_path, number))
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        unavailable("unshare -m: %s" % probe.stderr.strip())
    run(["unshare", "-m", "sh", "-c", "\n".join(script)], timeout=300, cwd=str(tmp_path))
    results = []
    for number in range(len(commands)):
        results.append((int((tmp_path / ("rc%d" % number)).read_text()),
                        (tmp_path / ("out%d" % number)).read_text(),
                        (tmp_path / ("err%d" % number)).read_text()))
    return results


def test_the_wheel_works_with_the_system_libraries_hidden(installed, tmp_path):
    python, site = installed
    source_tree, smoke, interop = in_hidden_namespace(
        tmp_path,
        [sys.executable, "-c", "import pyczmq"],            # the source tree's build
        [python, "-I", SMOKE],
        [python, "-I", SMOKE, "pyzmq"])
    # The hiding works: the build that links the system's libraries can not load.
    assert source_tree[0] != 0 and "file too short" in source_tree[2], source_tree
    for code, out, err in (smoke, interop):
        assert code == 0 and out.endswith("ok\n") and err == "", (code, out, err)
        mapped = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("mapped ")]
        ours = [path for path in mapped if path.startswith(os.path.join(site, "pyczmq.libs"))]
        assert sorted(os.path.basename(p).split("-")[0] for p in ours) == ["libczmq", "libzmq"]
        assert not [path for path in mapped if path.startswith(("/usr/", "/lib"))], mapped
    # pyzmq's wheel brings a second libzmq into the same process: tcp works between them.
    mapped = [line.split(" ", 1)[1] for line in interop[1].splitlines()
              if line.startswith("mapped ")]
    theirs = [path for path in mapped if path.startswith(os.path.join(site, "pyzmq.libs"))
              or path.startswith(os.path.join(site, "zmq"))]
    assert len(theirs) == 1 and "libzmq" in os.path.basename(theirs[0]), mapped
    assert "pyzmq libzmq" in interop[1]
