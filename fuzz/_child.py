"""The child side of fuzz/stateful.py: what runs inside the interpreter that
executes the steps.

PRELUDE is the top of every child and of every reproducer script: imports,
helpers for the steps and step(), which runs one step (a snippet of Python)
in the module's namespace and returns its outcome.  WORKER adds the loop that
reads steps from the parent over a pipe.  Nothing here imports Hypothesis.
"""

PRELUDE = r'''
import faulthandler, gc, os, sys, tempfile, threading, time, traceback
faulthandler.enable()
import pyczmq
from pyczmq import (Auth, Cert, CertStore, ClosedError, Context, Frame, Loop, Message, Poller,
                    Socket, ZMQError, zauth, zcert, zcertstore, zctx, zframe, zloop, zmq, zmsg,
                    zpoller, zsocket, zsockopt, zstr)

TMP = os.environ.get("PYCZMQ_FUZZ_TMP") or tempfile.mkdtemp(prefix="pyczmq-fuzz-")
GOT = []        # what loop handlers received, in order: (socket name, parts)
NAMES = {}      # id(socket) -> its name, for results that return sockets


class Finding(Exception):
    """A check made inside the child failed."""


def wait_child(pid, timeout=10.0):
    """The exit code of a forked child, or "hung" (then it is killed)."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, 6)             # SIGABRT: faulthandler shows where it hangs
            time.sleep(1)
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
            return "hung"
        time.sleep(0.005)


def outcome_of(call):
    """("ok", value) or ("raised", exception class names (MRO), message)."""
    try:
        return ("ok", plain(call()))
    except Exception as error:
        return ("raised", [c.__name__ for c in type(error).__mro__], str(error))


def run_thread(call):
    """Run call() in a thread; returns (thread, box), box gets its outcome."""
    box = []
    thread = threading.Thread(target=lambda: box.append(outcome_of(call)), daemon=True)
    thread.start()
    return thread, box


def join(thread, timeout=10.0):
    thread.join(timeout)
    if thread.is_alive():
        faulthandler.dump_traceback(all_threads=True)
        raise Finding("a thread did not end within %.0f s" % timeout)


def plain(value):
    """`value` if it is made of plain Python data, else a description."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return value
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, Socket) and id(value) in NAMES:
        return "<socket %s>" % NAMES[id(value)]
    return "<%s>" % type(value).__name__


def step(n, code, echo=True):
    """Run one step; its outcome as a dict.  Echoes it when run as a script."""
    space = globals()
    space["_"] = None
    try:
        exec(compile(code, "<step %d>" % n, "exec"), space)
    except Exception as error:
        outcome = {"n": n, "raised": [c.__name__ for c in type(error).__mro__],
                   "msg": str(error), "errno": getattr(error, "errno", None),
                   "tb": "".join(traceback.format_exception(error)[-6:])}
    else:
        outcome = {"n": n, "value": repr(plain(space.get("_")))}
    if echo:
        if "raised" in outcome:
            print("step %d raised %s: %s" % (n, outcome["raised"][0], outcome["msg"]), flush=True)
        else:
            print("step %d -> %s" % (n, outcome["value"]), flush=True)
    return outcome
'''

WORKER = PRELUDE + r'''
import json as _json


def _serve(commands, replies):
    for line in commands:
        request = _json.loads(line)
        if request.get("exit"):
            break
        # (A step that outlives its deadline gets SIGABRT from the parent, and
        # faulthandler shows every thread: dump_traceback_later would hang the
        # exit of a child forked meanwhile.)
        outcome = step(request["n"], request["code"], echo=False)
        data = (_json.dumps(outcome) + "\n").encode()
        while data:
            data = data[os.write(replies, data):]
    # The interpreter's exit (atexit hooks, finalisation) is checked too.


_serve(os.fdopen(int(sys.argv[1]), "rb"), int(sys.argv[2]))
'''
