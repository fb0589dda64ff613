"""Build the compiled contestants of the benchmark on this machine, once:
zmqperf (the C reference, straight on libzmq) and the Cython example that
cimports pyczmq.  Built into a cache folder; a missing compiler or Cython
leaves that column out with the reason."""

import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLE = HERE.parent.parent / "examples" / "cython_throughput"


def cache_dir():
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = pathlib.Path(root) / "pyczmq-perf"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _last_line(result):
    """The last line a failed build printed (or nothing)."""
    return " ".join((result.stderr or result.stdout).strip().splitlines()[-1:])


def _digest(*paths):
    digest = hashlib.sha256(sys.version.encode())
    for path in paths:
        digest.update(pathlib.Path(path).read_bytes())
    return digest.hexdigest()[:16]


def build_c():
    """The path of the zmqperf program, or (None, reason)."""
    source = HERE / "zmqperf.c"
    target = cache_dir() / ("zmqperf-" + _digest(source))
    if target.exists():
        return target, None
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        return None, "no C compiler"
    try:
        flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libzmq"], check=True,
                               capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        flags = ["-lzmq"]
    # Built under a name of its own, then renamed: another run may build at once.
    building = target.with_name("%s.%d" % (target.name, os.getpid()))
    result = subprocess.run([compiler, "-O2", "-o", str(building), str(source)] + flags
                            + ["-lpthread"], capture_output=True, text=True)
    if result.returncode != 0:
        building.unlink(missing_ok=True)
        return None, "zmqperf.c did not compile: " + _last_line(result)
    os.replace(building, target)
    return target, None


def build_cython_example():
    """The folder holding the built examples/cython_throughput module, or (None, reason)."""
    if not (EXAMPLE / "cython_throughput.pyx").exists():
        return None, "examples/cython_throughput is not here (run from a source checkout)"
    import pyczmq
    package = pathlib.Path(pyczmq.__file__).parent
    # Every declaration the example cimports, through pyczmq/__init__.pxd
    # (the types' declarations are the fragments types/*.decl.pxi).
    key = _digest(EXAMPLE / "cython_throughput.pyx", EXAMPLE / "setup.py",
                  *sorted(package.rglob("*.pxd")), *sorted(package.rglob("*.decl.pxi")))
    target = cache_dir() / ("cython-" + key)
    if list(target.glob("cython_throughput*.so")):
        return target, None
    building = pathlib.Path(tempfile.mkdtemp(prefix=target.name + ".", dir=cache_dir()))
    shutil.copytree(EXAMPLE, building, dirs_exist_ok=True)
    result = subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace"], cwd=building,
                            capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(building, ignore_errors=True)
        return None, "the Cython example did not build: " + _last_line(result)
    try:
        os.rename(building, target)         # atomic; fails if the folder is there
    except OSError:
        if list(target.glob("cython_throughput*.so")):
            shutil.rmtree(building, ignore_errors=True)     # another run built it first
        else:
            shutil.rmtree(target, ignore_errors=True)       # a stale, unfinished one
            os.rename(building, target)
    return target, None
