"""python -m pyczmq: what this pyczmq is and whether it works here.

Prints the versions of pyczmq, CZMQ, libzmq and Python, libzmq's
capabilities (``zmq.has``), the files the CZMQ and libzmq libraries were
loaded from, the machine, and runs a self-test of about a second: an inproc
and a tcp round trip and a CURVE handshake checked by an ``Auth`` (a client
whose key it knows gets in, a stranger does not).  Exit status 0 only when
every check passed.

``--version`` prints the version line only; ``--json`` prints all of it as
JSON.  report() returns the same dict for other tools (python -m pyczmq.perf
writes it into its JSON).
"""

import argparse
import ctypes
import datetime
import json
import os
import platform
import subprocess
import sys
import time

import pyczmq
from pyczmq import zmq

# Every name libzmq 4.3's zmq_has() knows ("WS"/"WSS" are spelled in capitals there).
CAPABILITIES = ("curve", "ipc", "pgm", "tipc", "norm", "vmci", "gssapi", "draft", "ws", "wss")
# How long one check of the self-test may wait for a message, in ms.
CHECK_TIMEOUT = 2000
# How long the CURVE check waits to see a stranger refused, in ms.
REFUSAL_WAIT = 200


def _dotted(triple):
    return ".".join(str(number) for number in triple)


def versions():
    """{"pyczmq", "czmq", "libzmq", "python"}: version strings."""
    return {
        "pyczmq": pyczmq.__version__,
        "czmq": _dotted(pyczmq.czmq_version()),
        "libzmq": _dotted(zmq.version()),
        "python": platform.python_version(),
    }


def version_line(found=None):
    """The one line ``--version`` prints."""
    found = found or versions()
    return "pyczmq %s (CZMQ %s, libzmq %s, Python %s %s)" % (
        found["pyczmq"], found["czmq"], found["libzmq"], platform.python_implementation(),
        found["python"])


def capabilities():
    """{name: bool} for every capability libzmq's zmq_has() knows."""
    return {name: bool(zmq.has(name) or (name in ("ws", "wss") and zmq.has(name.upper())))
            for name in CAPABILITIES}


class _DlInfo(ctypes.Structure):
    # (annotated for type checkers: ctypes makes the fields from _fields_)
    dli_fname: "bytes | None"
    dli_fbase: "int | None"
    dli_sname: "bytes | None"
    dli_saddr: "int | None"
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def _library_of(extension, symbol):
    """The real path of the shared library that provides `symbol` to the
    extension module file `extension` (dlsym on the extension's handle
    searches it and its dependencies, as the dynamic linker bound them;
    dladdr names the file), or None."""
    try:
        handle = ctypes.CDLL(extension)
        function = getattr(handle, symbol)
        libc = ctypes.CDLL(None)
        dladdr = libc.dladdr
    except (OSError, AttributeError):
        return None
    dladdr.argtypes = [ctypes.c_void_p, ctypes.POINTER(_DlInfo)]
    dladdr.restype = ctypes.c_int
    info = _DlInfo()
    if not dladdr(ctypes.cast(function, ctypes.c_void_p), ctypes.byref(info)) or not info.dli_fname:
        return None
    return os.path.realpath(os.fsdecode(info.dli_fname))


def libraries():
    """{"czmq": path, "libzmq": path, "extension": path}: the files pyczmq's
    extension uses (None where that can not be found out)."""
    from pyczmq import _core
    return {
        "czmq": _library_of(_core.__file__, "zsys_version"),
        "libzmq": _library_of(_core.__file__, "zmq_version"),
        "extension": os.path.realpath(_core.__file__),
    }


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                name, _, value = line.partition(":")
                if name.strip() in ("model name", "Model", "Processor", "cpu model", "cpu"):
                    if value.strip():
                        return value.strip()
    except OSError:
        pass
    return platform.processor() or None


def _git_commit(folder):
    """(commit, dirty) of the git work tree `folder`'s files belong to, when
    pyczmq's own sources are tracked there; (None, None) otherwise (an
    installed copy, no git)."""
    def git(*args):
        return subprocess.run(["git", "-C", folder] + list(args), capture_output=True, text=True,
                              timeout=10)
    try:
        tracked = git("ls-files", "--error-unmatch", "__init__.py")
        if tracked.returncode != 0:
            return None, None
        head = git("rev-parse", "HEAD")
        if head.returncode != 0:
            return None, None
        changed = git("diff", "--quiet", "HEAD", "--")
    except (OSError, subprocess.SubprocessError):
        return None, None
    return head.stdout.strip(), changed.returncode != 0


def machine():
    """The machine and the source tree: platform, CPU model and count, the git
    commit of pyczmq's source tree (None if it is not a git checkout)."""
    commit, dirty = _git_commit(os.path.dirname(os.path.abspath(pyczmq.__file__)))
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count()
    return {
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "commit": commit,
        "commit_dirty": dirty,
    }


# -- the self-test -----------------------------------------------------------

def _pair(ctx, kind_a, kind_b):
    a, b = ctx.socket(kind_a), ctx.socket(kind_b)
    for sock in (a, b):
        sock.rcvtimeo = sock.sndtimeo = CHECK_TIMEOUT
        sock.linger = 0
    return a, b


def _round_trips(server, client, count=10):
    for number in range(count):
        client.send(b"ping %d" % number)
        request = server.recv_bytes()
        if request != b"ping %d" % number:
            raise AssertionError("sent ping %d, received %r" % (number, request))
        server.send(b"pong " + request[5:])
        reply = client.recv_bytes()
        if reply != b"pong %d" % number:
            raise AssertionError("expected pong %d, received %r" % (number, reply))


def _check_inproc(ctx, host):
    server, client = _pair(ctx, "REP", "REQ")
    endpoint = "inproc://pyczmq-self-test-%d" % os.getpid()
    server.bind(endpoint)
    client.connect(endpoint)
    _round_trips(server, client)
    return "10 REQ/REP round trips over %s" % endpoint


def _check_tcp(ctx, host):
    server, client = _pair(ctx, "REP", "REQ")
    port = server.bind("tcp://%s:*" % host)
    client.connect("tcp://%s:%d" % (host, port))
    _round_trips(server, client)
    return "10 REQ/REP round trips over tcp://%s:%d" % (host, port)


def _check_curve(ctx, host):
    if not zmq.has("curve"):
        raise RuntimeError("libzmq was built without CURVE")
    server_cert, client_cert = pyczmq.Cert(), pyczmq.Cert()
    known = pyczmq.CertStore()
    known.insert(pyczmq.Cert.new_from(client_cert.public_key))
    with pyczmq.Auth(ctx, certstore=known):
        server, client = _pair(ctx, "REP", "REQ")
        server_cert.apply(server)
        server.curve_server = 1
        port = server.bind("tcp://%s:*" % host)
        client_cert.apply(client)
        client.curve_serverkey = server_cert.public_txt
        client.connect("tcp://%s:%d" % (host, port))
        _round_trips(server, client, 1)
        stranger = ctx.socket("REQ")
        stranger.linger = 0
        pyczmq.Cert().apply(stranger)
        stranger.curve_serverkey = server_cert.public_txt
        stranger.connect("tcp://%s:%d" % (host, port))
        stranger.send(b"let me in")
        if pyczmq.Poller(server).wait(REFUSAL_WAIT) is not None:
            raise AssertionError("a client with an unknown key got in: %r" % server.recv_bytes())
    return "a known key gets in, an unknown one is refused (tcp://%s:%d)" % (host, port)


CHECKS = (("inproc round trip", _check_inproc), ("tcp round trip", _check_tcp),
          ("CURVE handshake with Auth", _check_curve))


def self_test(host="127.0.0.1"):
    """Run the checks; a list of {"name", "ok", "seconds", "detail"} (the
    error, for a check that failed).  `host`: the address the tcp and CURVE
    checks bind and connect to."""
    results = []
    for name, check in CHECKS:
        started = time.perf_counter()
        try:
            with pyczmq.Context() as ctx:
                detail, ok = check(ctx, host), True
        except Exception as error:          # a failed check is a result, not a crash
            detail, ok = "%s: %s" % (type(error).__name__, error), False
        results.append({"name": name, "ok": ok, "seconds": time.perf_counter() - started,
                        "detail": detail})
    return results


def report(run_self_test=True, host="127.0.0.1"):
    """Everything ``python -m pyczmq`` prints, as a dict: "versions",
    "capabilities", "libraries", "machine", "date" (UTC, ISO 8601), and
    with `run_self_test` "self_test" (see self_test()) and "ok"."""
    found = {
        "versions": versions(),
        "capabilities": capabilities(),
        "libraries": libraries(),
        "python_executable": sys.executable,
        "machine": machine(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    if run_self_test:
        found["self_test"] = self_test(host)
        found["ok"] = all(check["ok"] for check in found["self_test"])
    return found


def format_report(found):
    """The text ``python -m pyczmq`` prints for a report()."""
    lines = [version_line(found["versions"])]
    libs = found["libraries"]
    lines.append("  CZMQ    %s" % (libs["czmq"] or "(not found)"))
    lines.append("  libzmq  %s" % (libs["libzmq"] or "(not found)"))
    lines.append("  pyczmq  %s" % os.path.dirname(libs["extension"]))
    lines.append("  Python  %s" % found["python_executable"])
    caps = found["capabilities"]
    lines.append("capabilities: %s; not built in: %s" % (
        " ".join(name for name in CAPABILITIES if caps[name]) or "none",
        " ".join(name for name in CAPABILITIES if not caps[name]) or "none"))
    box = found["machine"]
    lines.append("machine: %s, %s, %s CPUs (%s usable)" % (
        box["platform"], box["cpu_model"] or "unknown CPU", box["cpu_count"], box["cpus_usable"]))
    if box["commit"]:
        lines.append("source: git commit %s%s" % (box["commit"],
                                                  " (with changes)" if box["commit_dirty"] else ""))
    if "self_test" in found:
        lines.append("self-test:")
        width = max(len(check["name"]) for check in found["self_test"])
        for check in found["self_test"]:
            lines.append("  %s  %-6s %7.1f ms  %s" % (
                check["name"].ljust(width), "ok" if check["ok"] else "FAILED",
                check["seconds"] * 1000, check["detail"]))
        failed = sum(not check["ok"] for check in found["self_test"])
        lines.append("all %d checks passed" % len(found["self_test"]) if not failed
                     else "%d of %d checks FAILED" % (failed, len(found["self_test"])))
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pyczmq", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="store_true", help="print the versions only")
    parser.add_argument("--json", action="store_true", help="print everything as JSON")
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address the tcp and CURVE checks bind and connect to "
                             "(default: 127.0.0.1)")
    args = parser.parse_args(argv)
    if args.version:
        found = versions()
        if args.json:
            print(json.dumps(found, indent=2))
        else:
            print(version_line(found))
        return 0
    found = report(host=args.host)
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        print(format_report(found), end="")
    return 0 if found["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
