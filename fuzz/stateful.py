"""A Hypothesis stateful search for crashes, hangs and lost messages in pyczmq.

    python fuzz/stateful.py --steps 100000 [--seed S] [--step-count 40]

The state machine (PyczmqMachine) lives in this process.  Each example starts
a child interpreter; each rule sends one step, a small snippet of Python, to
that child over a pipe and reads back the outcome (a value, or the exception
with its class names).  The machine keeps a model of what the child holds
(contexts, sockets, connected channels and the messages in flight, frames and
their memoryviews, messages, zmq.Msg, loops, pollers, certificates) and checks
each outcome against it:

- a crash (the child dies: abort, segfault) or a hang (a step outlives its
  deadline; faulthandler dumps every thread) is a finding;
- so is an exception pyczmq does not document (anything but ZMQError and its
  subclasses, TypeError, ValueError, BufferError, OverflowError, plus what a
  step names), one with an empty message, or SystemError/AssertionError;
- so is a wrong answer: a message on a connected channel that is lost,
  corrupted, duplicated or out of order; a wrong MORE flag; a closed socket,
  sent frame or destroyed message that does not raise ClosedError; a wrong
  frame/message content; a REQ/REP state error that does not come.

A finding fails the example; Hypothesis shrinks it, and the failure's message
is a standalone Python script (PRELUDE plus the steps) that reproduces it.

KNOWN lists the defects being fixed elsewhere: the machine steers away from
their exact sequences so that the search finds new things.  Remove an entry
when its fix lands.
"""

import argparse
import ast
import collections
import itertools
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _child import PRELUDE, WORKER  # noqa: E402

from hypothesis import HealthCheck, Phase, settings, seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import (RuleBasedStateMachine, initialize, rule,  # noqa: E402
                                 run_state_machine_as_test)

# -- known defects the machine steers away from -------------------------------------------
# Each entry names a defect that is being fixed elsewhere; the code that steers away
# from it tests `"<key>" in KNOWN`.  Remove an entry when its fix lands: the machine
# then goes there again.
KNOWN = {
    # Every defect the machine found or was told of is fixed (their reproducers are tests:
    # tests/test_hazards.py, test_fidelity.py), and the machine goes everywhere again.
}

STEP_TIMEOUT = 10.0         # seconds a step may take before it counts as a hang
START_TIMEOUT = 40.0        # more for the first step: the child starts and imports pyczmq
EXIT_TIMEOUT = 30.0

EFSM = 156384763
ENOTSUP = 95
EAGAIN = 11

DOCUMENTED = ("ZMQError", "TypeError", "ValueError", "BufferError", "OverflowError")
NEVER = ("SystemError", "AssertionError", "RecursionError", "MemoryError")

TYPES = ["PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB",
         "XSUB", "STREAM"]
RECV_TYPES = {"PAIR", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "XPUB", "XSUB", "STREAM"}
SEND_TYPES = {"PAIR", "PUB", "REQ", "REP", "DEALER", "ROUTER", "PUSH", "XPUB", "XSUB", "STREAM"}

STATS = collections.Counter()       # steps, examples, findings over the whole run
RULES = collections.Counter()       # (rule, "ok" or the exception's name) -> steps
SEEN = []                           # the Findings of the current batch, as they happen


class Finding(Exception):
    """A crash, hang, undocumented exception or wrong answer, with a reproducer."""

    def __init__(self, kind, summary, detail, script):
        self.kind, self.summary, self.detail, self.script = kind, summary, detail, script
        super().__init__("%s: %s\n%s\n\n--- reproducer (python3 this.py) ---\n%s"
                         % (kind, summary, detail, script))

    def signature(self):
        """What tells one defect from another in a run's summary."""
        first = self.summary.splitlines()[0] if self.summary else ""
        first = re.sub(r"^step \d+:? ?", "", first)
        first = re.sub(r"during step \d+", "during a step", first)
        first = re.sub(r"\b[SFMVGLPXKC]\d+\b", "_", first)      # object names
        return "%s: %s" % (self.kind, first[:160])


# -- the child process --------------------------------------------------------------------------

class Child:
    """A child interpreter running WORKER; steps go in as JSON lines."""

    def __init__(self, tmp):
        command_read, self.commands = os.pipe()
        self.replies, reply_write = os.pipe()
        self.stdout = tempfile.TemporaryFile()
        self.stderr = tempfile.TemporaryFile()
        environment = dict(os.environ, PYCZMQ_FUZZ_TMP=tmp, PYTHONDONTWRITEBYTECODE="1")
        environment.pop("PYTHONWARNINGS", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(command_read), str(reply_write)],
            stdin=subprocess.DEVNULL, stdout=self.stdout, stderr=self.stderr,
            pass_fds=(command_read, reply_write), env=environment, cwd=tmp)
        os.close(command_read)
        os.close(reply_write)
        self.pending = b""

    def _write(self, obj):
        data = (json.dumps(obj) + "\n").encode()
        try:
            while data:
                data = data[os.write(self.commands, data):]
        except BrokenPipeError:
            return False
        return True

    def request(self, n, code, timeout):
        """The reply dict, or "died" / "hung"."""
        if not self._write({"n": n, "code": code, "timeout": timeout}):
            self.process.wait()
            return "died"
        deadline = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill(signal.SIGABRT)
                return "hung"
            ready, _, _ = select.select([self.replies], [], [], left)
            if not ready:
                continue
            data = os.read(self.replies, 65536)
            if not data:
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.kill()
                return "died"
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def finish(self, timeout=EXIT_TIMEOUT):
        """Ask the child to exit; its exit code, or "hung"."""
        self._write({"exit": True})
        try:
            os.close(self.commands)
        except OSError:
            pass
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill(signal.SIGABRT)
            return "hung"

    def kill(self, signum=signal.SIGKILL):
        if self.process.poll() is None:
            try:
                self.process.send_signal(signum)
                self.process.wait(5)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                self.process.kill()
                self.process.wait()

    def output(self, which, limit=6000):
        stream = self.stderr if which == "stderr" else self.stdout
        stream.flush()
        stream.seek(0)
        text = stream.read().decode("utf-8", "replace")
        return text if len(text) <= limit else "...\n" + text[-limit:]

    def close(self):
        self.kill()
        for fd in (self.commands, self.replies):
            try:
                os.close(fd)
            except OSError:
                pass
        self.stdout.close()
        self.stderr.close()


class Outcome:
    def __init__(self, reply):
        self.raised = reply.get("raised")
        self.msg = reply.get("msg") or ""
        self.errno = reply.get("errno")
        self.tb = reply.get("tb") or ""
        self.value = ast.literal_eval(reply["value"]) if "value" in reply else None

    @property
    def ok(self):
        return self.raised is None

    def isa(self, name):
        return self.raised is not None and name in self.raised

    @property
    def name(self):
        return self.raised[0] if self.raised else None

    def __repr__(self):
        if self.ok:
            return "-> %r" % (self.value,)
        return "raised %s: %s" % (self.name, self.msg)


# -- the model ------------------------------------------------------------------------------------

class Ctx:
    def __init__(self, name, own):
        self.name, self.own = name, own
        self.alive = True
        self.shut = False           # zmq.ctx_shutdown() ran
        self.sockets = []


class Sock:
    def __init__(self, name, ctx, kind):
        self.name, self.ctx, self.kind = name, ctx, kind
        self.closed = False
        self.gone = False           # its name was deleted: maybe alive somewhere
        self.chan = None
        self.side = None
        self.inproc = set()         # inproc endpoints bound or connected
        self.endpoints = []         # (how, endpoint) made
        self.out = []               # parts of a message being sent
        self.cur = None             # parts left of a message being received
        self.state = None           # REQ/REP: "send" or "recv"
        self.monitor = False
        self.reader = None          # the PAIR reading this socket's monitor

    @property
    def usable(self):
        return not self.closed and not self.gone and self.ctx.alive and not self.ctx.shut


class Chan:
    """Two sockets connected to each other only, whose traffic is modelled."""

    def __init__(self, name, pattern, transport, a, b):
        self.name, self.pattern, self.transport = name, pattern, transport
        self.ends = [a, b]
        self.queues = [collections.deque(), collections.deque()]   # sent by end i
        self.lossy = [False, False]
        self.broken = False
        self.tags = itertools.count()

    def peer(self, side):
        return self.ends[1 - side]


class FrameRec:
    """One Frame object (maybe under several names)."""

    def __init__(self, data, state="owned"):
        self.data = data            # bytes, or None when unknown
        self.more = 0
        self.state = state          # owned, borrowed, sent, moved, destroyed, unknown
        self.message = None         # the MessageRec of a borrowed frame
        self.views = 0


class Entry:
    """One frame of a message in the model."""

    def __init__(self, data):
        self.data = data
        self.view = None            # the FrameRec of its borrowed Frame, if made


class MessageRec:
    def __init__(self, entries):
        self.entries = entries
        self.state = "alive"        # alive, sent, destroyed, unknown


# -- payloads -------------------------------------------------------------------------------------

class Payload:
    """Data to send, as the expression that makes it and the bytes it sends."""

    def __init__(self, expr, data, text=None):
        self.expr, self.data, self.text = expr, data, text

    def __repr__(self):
        return self.expr


def _bytes_payload(data):
    return Payload(repr(data), data)


def _compact(value):
    """repr() of bytes or str, as `x * n` when it is one repeated character (the
    big payloads), so that reproducers stay readable."""
    if len(value) > 64 and len(set(value)) == 1:
        return "%r * %d" % (value[:1], len(value))
    return repr(value)


def _as_text(payload):
    """The payload as a str to send with zstr (bytes taken as Latin-1)."""
    if payload.text is not None:
        return payload
    text = payload.data.decode("latin-1")
    return Payload(_compact(text), text.encode("utf-8"), text)


def _big_payload(args):
    byte, size = args
    return Payload("%r * %d" % (bytes([byte]), size), bytes([byte]) * size)


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
small_bytes = st.binary(max_size=24)
payloads = st.one_of(
    small_bytes.map(_bytes_payload),
    _text.map(lambda t: Payload(repr(t), t.encode("utf-8"), t)),
    small_bytes.map(lambda b: Payload("bytearray(%r)" % b, b)),
    small_bytes.map(lambda b: Payload("memoryview(%r)" % b, b)),
    st.tuples(st.integers(0, 255), st.sampled_from([65536, 70001])).map(_big_payload),
)
texts = _text.map(lambda t: Payload(repr(t), t.encode("utf-8"), t))


def _parse_saved(data):
    """zmsg_save's file format (size_t length, then data, per frame): the frames,
    or None if the file is not valid."""
    frames, position = [], 0
    while position < len(data):
        if len(data) - position < 8:
            return None
        size = int.from_bytes(data[position:position + 8], sys.byteorder)
        position += 8
        if size > len(data) - position:
            return None
        frames.append(data[position:position + size])
        position += size
    return frames


# -- option values ------------------------------------------------------------------------------

INT_OPTIONS_ROUND_TRIP = {
    "sndhwm", "rcvhwm", "linger", "rcvtimeo", "sndtimeo", "reconnect_ivl", "reconnect_ivl_max",
    "backlog", "rate", "recovery_ivl", "multicast_hops", "tcp_keepalive", "tcp_keepalive_cnt",
    "tcp_keepalive_idle", "tcp_keepalive_intvl", "handshake_ivl", "connect_timeout",
    "tcp_maxrt", "heartbeat_ivl", "heartbeat_timeout", "tos", "immediate", "ipv6",
    "maxmsgsize", "conflate",
}
# Options whose change leaves a modelled channel's traffic as it is.
BENIGN = {"rcvtimeo", "sndtimeo", "linger", "sndbuf", "rcvbuf", "tcp_keepalive",
          "tcp_keepalive_cnt", "tcp_keepalive_idle", "tcp_keepalive_intvl", "reconnect_ivl",
          "reconnect_ivl_max", "backlog", "rate", "recovery_ivl", "multicast_hops", "tos",
          "affinity", "ipv6", "ipv4only", "multicast_maxtpdu", "vmci_buffer_size",
          "vmci_buffer_min_size", "vmci_buffer_max_size", "vmci_connect_timeout",
          "connect_timeout", "tcp_maxrt", "sndhwm", "rcvhwm"}

INT_VALUES = [0, 1, -1, 2, 7, 100, 1000, 2 ** 31 - 1, -2 ** 31, 2 ** 31, 2 ** 63, -2 ** 63 - 1,
              "1", None, 1.5]
BYTES_VALUES = [b"", b"x", b"\0", b"a" * 255, b"a" * 256, "text", "\u00e9", 5, None,
                bytearray(b"ba")]
TEXT_VALUES = ["", "x", "eth0", "127.0.0.1", "a\0b", b"bytes", "\u00e9" * 3, 7, None,
               "x" * 300]
CURVE_VALUES = ["rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7", b"\x01" * 32, b"\x02" * 31,
                "not a z85 key of 40 chars.............", "x" * 40, "", None, 3]


def option_values(name, kind):
    """Values to try for an option: valid, invalid, of wrong types."""
    if name in ("rcvtimeo", "sndtimeo"):
        # -1 or a long timeout would make later receives block: the test's hang.
        return [0, 1, 50, 150, -2, 2 ** 31, "x", None]
    if name == "use_fd":
        return [-1, 0, 1, 2, 1000, -5, "x"]
    if name == "socks_proxy":
        return ["", "127.0.0.1:1", "bad", 5]
    if name == "bindtodevice":
        return ["", "nonexistent0", "lo", 5]
    if kind in ("int", "int64", "uint64"):
        return INT_VALUES
    if kind == "curve":
        return CURVE_VALUES
    if kind == "text":
        return TEXT_VALUES
    return BYTES_VALUES


# -- the machine ----------------------------------------------------------------------------------

ACTIONS = {}        # method name -> (weight, precondition)


def action(weight, when=None):
    """A step of the machine, drawn `weight` times as often as a weight-1 one
    when `when(machine)` holds (one Hypothesis rule draws among them)."""
    def decorate(function):
        ACTIONS[function.__name__] = (weight, when or (lambda self: True))
        return function
    return decorate


def _option_table():
    """name -> (kind, readable, writable) from pyczmq's own table, read in a child
    once (this process does not import pyczmq)."""
    code = ("import json, pyczmq\n"
            "kinds = {0: 'int', 1: 'int64', 2: 'uint64', 3: 'bytes', 4: 'text', 5: 'curve'}\n"
            "print(json.dumps({n: (kinds[o.type], o.readable, o.writable) "
            "for n, o in pyczmq.SOCKET_OPTIONS.items() if n != 'type'}))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    return json.loads(result.stdout)


OPTIONS = None


def options():
    global OPTIONS
    if OPTIONS is None:
        OPTIONS = _option_table()
    return OPTIONS


def _indent(code, prefix="    "):
    return textwrap.indent(code, prefix)


class PyczmqMachine(RuleBasedStateMachine):
    """The whole public API of pyczmq, one step at a time in a child interpreter."""

    def __init__(self):
        super().__init__()
        STATS["examples"] += 1
        self.tmp = tempfile.mkdtemp(prefix="pyczmq-fuzz-")
        self.child = None
        self.script = []
        self.n = 0
        self.ids = itertools.count(1)
        self.ctxs = []
        self.socks = []
        self.chans = []
        self.frames = {}            # name -> FrameRec
        self.messages = {}          # name -> MessageRec
        self.views = {}             # name -> [FrameRec or None, snapshot bytes or None, released]
        self.msgs = {}              # name -> data of a zmq.Msg (None: unknown)
        self.loops = {}             # name -> {"alive": bool, "readers": [...], "timers": [...]}
        self.pollers = {}           # name -> {"alive": bool, "socks": [...]}
        self.certs = {}             # name -> state: "alive", "destroyed", "stored", "unknown"
        self.stores = {}            # name -> {"alive": bool, "keys": set()}
        self.auth = None            # name of the running Auth
        self.files = []             # (path expression, expected frames or None) saved messages
        self.cert_files = []
        self.free_ports = []
        self.io_zero = False
        self.few_sockets = False
        self.done = False

    # -- running steps -------------------------------------------------------------------------

    def name(self, prefix):
        return "%s%d" % (prefix, next(self.ids))

    def run(self, code, expect=None, allow=(), timeout=STEP_TIMEOUT, note=None):
        """Run one step; checks that it raised nothing undocumented and, with
        `expect`, what it must do: "ok", an exception class name, or
        ("ZMQError", errno)."""
        if self.child is None:
            self.child = Child(self.tmp)
        self.n += 1
        STATS["steps"] += 1
        code = textwrap.dedent(code).strip("\n")
        self.script.append([self.n, code, note])
        reply = self.child.request(self.n, code, timeout + (START_TIMEOUT if self.n == 1 else 0))
        if reply == "died":
            code_ = self.child.process.returncode
            how = ("killed by signal %d (%s)" % (-code_, signal.Signals(-code_).name)
                   if code_ is not None and code_ < 0 else "exit %s" % code_)
            stderr = self.child.output("stderr")
            kind = "crash"
            self.fail(kind, "the child %s during step %d%s" % (
                how, self.n, self._last_line(stderr)),
                "stderr:\n%s\nstdout (tail):\n%s" % (stderr, self.child.output("stdout", 1500)))
        if reply == "hung":
            self.fail("hang", "step %d did not return within %.0f s (SIGABRT: faulthandler "
                      "shows the threads)" % (self.n, timeout),
                      "stderr:\n%s" % self.child.output("stderr"))
        out = Outcome(reply)
        self.script[-1].append(out)
        caller = sys._getframe(1).f_code.co_name
        RULES[caller, "ok" if out.ok else out.name] += 1
        if out.raised:
            if any(name in out.raised for name in NEVER) or \
                    not any(name in out.raised for name in DOCUMENTED + tuple(allow)):
                self.fail("undocumented exception", "step %d raised %s: %s"
                          % (self.n, out.name, out.msg), out.tb)
            if not out.msg.strip():
                self.fail("empty exception message", "step %d raised %s with an empty message"
                          % (self.n, out.name), out.tb)
        if expect is not None:
            self.check_expect(out, expect)
        return out

    def check_expect(self, out, expect):
        if expect == "ok":
            if not out.ok:
                self.fail("wrong answer", "step %d raised %s: %s (expected success)"
                          % (self.n, out.name, out.msg), out.tb)
        elif isinstance(expect, tuple):
            name, errno = expect
            if not out.isa(name) or out.errno != errno:
                self.fail("wrong answer", "step %d: %r, expected %s errno %d"
                          % (self.n, out, name, errno), out.tb)
        elif not out.isa(expect):
            self.fail("wrong answer", "step %d: %r, expected %s" % (self.n, out, expect), out.tb)

    @staticmethod
    def _last_line(stderr):
        """The line of stderr that says what went wrong: libzmq's or CZMQ's
        assert, else the last line that is not part of a traceback."""
        lines = stderr.strip().splitlines()
        for pattern in (r"\(src/[\w/.]+:\d+\)", r"Assertion .* failed", r"^Fatal Python error"):
            for line in lines:
                if re.search(pattern, line):
                    return ": " + line.strip()[:200]
        for line in reversed(lines):
            line = line.strip()
            if line and not line.startswith(("File ", "Current thread", "Thread 0x", "<")):
                return ": " + line[:200]
        return ""

    def check(self, condition, summary, detail=""):
        if not condition:
            self.fail("wrong answer", "step %d: %s" % (self.n, summary), detail)

    def fail(self, kind, summary, detail=""):
        self.done = True
        script = self.reproducer(summary)
        if self.child is not None:
            self.child.close()
            self.child = None
        finding = Finding(kind, summary, detail, script)
        finding.steps = self.n
        SEEN.append(finding)
        raise finding

    def reproducer(self, summary):
        lines = ['"""pyczmq fuzz finding: %s"""' % summary.replace('"""', "'''").splitlines()[0],
                 PRELUDE.strip("\n"), "", "os.chdir(TMP)", ""]
        for item in self.script:
            n, code, note = item[:3]
            if note:
                lines.append("# " + note)
            if len(item) > 3:
                lines.append("# was: %r" % (item[3],))
            if "'''" in code or code.endswith("\\"):
                lines.append("step(%d, %r)" % (n, code))
            else:
                lines.append("step(%d, r'''\n%s\n''')" % (n, code))
        lines.append("# the finding is at step %d: %s" % (self.n, summary.splitlines()[0]))
        return "\n".join(lines) + "\n"

    def teardown(self):
        try:
            if self.child is not None and not self.done:
                self.n += 1
                self.script.append([self.n, "# the interpreter exits normally here", None])
                status = self.child.finish()
                stderr = self.child.output("stderr")
                stdout = self.child.output("stdout", 3000)
                if status == "hung":
                    self.fail("hang", "the child's exit did not end within %.0f s"
                              % EXIT_TIMEOUT, "stderr:\n%s" % stderr)
                if status != 0:
                    how = "signal %s" % signal.Signals(-status).name if status < 0 else status
                    self.fail("crash" if status < 0 else "exit status",
                              "the child's exit ended with %s%s" % (how, self._last_line(stderr)),
                              "stderr:\n%s" % stderr)
                if stderr.strip():
                    self.fail("noise at exit", "the child printed on stderr: %s"
                              % stderr.strip().splitlines()[0][:200], stderr)
                if "dangling" in stdout:
                    self.fail("noise at exit", "CZMQ reported dangling sockets", stdout)
        finally:
            if self.child is not None:
                self.child.close()
                self.child = None
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers over the model ------------------------------------------------------------------

    def live_ctxs(self):
        return [c for c in self.ctxs if c.alive and not c.shut]

    def live_socks(self):
        return [s for s in self.socks if s.usable]

    def free_socks(self):
        return [s for s in self.live_socks() if s.chan is None]

    def live_chans(self):
        return [c for c in self.chans if not c.broken and all(s.usable for s in c.ends)]

    def break_chan(self, sock):
        if sock.chan is not None:
            sock.chan.broken = True

    def sock_closed(self, sock):
        """The socket is closed (or gone): update its channels."""
        if sock.closed:
            return
        sock.closed = True
        self.break_chan(sock)

    def ctx_gone(self, ctx):
        ctx.alive = False
        if self.auth is not None and getattr(self, "auth_ctx", None) is ctx:
            self.auth = None        # actors end with their Context
        for sock in ctx.sockets:
            self.sock_closed(sock)

    def new_socket_code(self, name, ctx, kind, data):
        spelling = data.draw(st.sampled_from(["ctx.socket", "zsocket.new", "zmq.socket", "Socket"]))
        kind_expr = data.draw(st.sampled_from(["%r" % kind, "zmq.%s" % kind, "%r" % kind.lower()]))
        if spelling == "ctx.socket":
            make = "%s.socket(%s)" % (ctx.name, kind_expr)
        elif spelling == "Socket":
            make = "Socket(%s, %s)" % (ctx.name, kind_expr)
        else:
            make = "%s(%s, %s)" % (spelling, ctx.name, kind_expr)
        timeout = data.draw(st.sampled_from([0, 20, 100]))
        lines = ["%s = %s" % (name, make), "NAMES[id(%s)] = %r" % (name, name),
                 "%s.rcvtimeo = %d; %s.sndtimeo = %d" % (name, timeout, name, timeout)]
        return "\n".join(lines)

    def add_sock(self, name, ctx, kind):
        sock = Sock(name, ctx, kind)
        self.socks.append(sock)
        ctx.sockets.append(sock)
        return sock

    @rule(data=st.data())
    def act(self, data):
        """One step: an action drawn by weight among those possible now (the
        first, collect_only, is what shrinking tends to)."""
        names = sorted(n for n, (_, when) in ACTIONS.items() if when(self))
        names.sort(key=lambda n: n != "collect_only")
        weighted = [n for n in names for _ in range(ACTIONS[n][0])]
        getattr(self, data.draw(st.sampled_from(weighted), label="action"))(data)

    # -- contexts ---------------------------------------------------------------------------------

    @initialize(data=st.data())
    def first_context(self, data):
        self.new_context(data)

    @action(1, lambda self: len(self.live_ctxs()) < 4)
    def new_context(self, data):
        name = self.name("C")
        spelling = data.draw(st.sampled_from(
            ["Context()", "zctx.new()", "zmq.ctx_new()", "Context(iothreads=1)", "zmq.ctx_new()"]))
        out = self.run("%s = %s" % (name, spelling))
        if out.ok:
            self.ctxs.append(Ctx(name, spelling.startswith("zmq")))

    @action(2, lambda self: self.live_ctxs())
    def context_option(self, data):
        ctx = data.draw(st.sampled_from(self.live_ctxs()))
        setter = data.draw(st.sampled_from(["set_linger", "set_sndhwm", "set_rcvhwm",
                                            "set_pipehwm", "set_iothreads"]))
        value = data.draw(st.sampled_from([0, 1, 2, 100, -1, -2, 2 ** 31, "x", None]))
        if data.draw(st.booleans()):
            code = "%s.%s(%r)" % (ctx.name, setter, value)
        else:
            code = "zctx.%s(%s, %r)" % (setter, ctx.name, value)
        out = self.run(code)
        if out.ok and setter == "set_iothreads" and value == 0:
            self.io_zero = True     # no I/O thread: tcp and ipc fail (EMTHREAD)

    @action(2, lambda self: self.live_ctxs())
    def zmq_context_option(self, data):
        ctx = data.draw(st.sampled_from(self.live_ctxs()))
        options_ = ["IO_THREADS", "MAX_SOCKETS", "SOCKET_LIMIT", "IPV6", "BLOCKY",
                    "THREAD_NAME_PREFIX", "MSG_T_SIZE", "THREAD_PRIORITY", "THREAD_SCHED_POLICY",
                    "THREAD_AFFINITY_CPU_ADD", "THREAD_AFFINITY_CPU_REMOVE"]
        option = data.draw(st.sampled_from(options_))
        if data.draw(st.booleans()):
            self.run("_ = zmq.ctx_get(%s, zmq.%s)" % (ctx.name, option))
            return
        values = [0, 1, 2, 1023, -1, 99, 2 ** 31 - 1, 2 ** 31]
        value = data.draw(st.sampled_from(values))
        out = self.run("_ = zmq.ctx_set(%s, zmq.%s, %r)" % (ctx.name, option, value))
        if out.ok and option == "IO_THREADS" and value == 0:
            self.io_zero = True     # no I/O thread: tcp and ipc fail (EMTHREAD)
        if out.ok and option == "MAX_SOCKETS" and value < 1023:
            self.few_sockets = True     # a new socket may fail (EMFILE)

    @action(1, lambda self: self.live_ctxs())
    def destroy_context(self, data):
        ctx = data.draw(st.sampled_from(self.live_ctxs()))
        how = data.draw(st.sampled_from(["destroy", "zctx.destroy", "with", "ctx_shutdown",
                                         "ctx_term"]))
        open_ = [s for s in ctx.sockets if not s.closed]
        if how == "ctx_term" and (not ctx.own or open_):
            how = "destroy"       # ctx_term waits for every socket: the test's hang
        if how in ("ctx_shutdown",) and not ctx.own:
            how = "destroy"
        code = {"destroy": "%s.destroy()", "zctx.destroy": "zctx.destroy(%s)",
                "with": "with %s:\n    pass", "ctx_shutdown": "zmq.ctx_shutdown(%s)",
                "ctx_term": "zmq.ctx_term(%s)"}[how] % ctx.name
        out = self.run(code, expect="ok", timeout=10)
        if how == "ctx_shutdown":
            ctx.shut = True
            for sock in ctx.sockets:
                self.break_chan(sock)
        else:
            self.ctx_gone(ctx)
        if out.ok and how != "ctx_shutdown":
            # Every socket of a destroyed context is closed.
            if open_:
                sock = data.draw(st.sampled_from(open_))
                self.run("%s.send(b'x')" % sock.name, expect="ClosedError")
            self.run("%s.socket('PAIR')" % ctx.name, expect="ClosedError")

    @action(1, lambda self: any(c.shut and c.alive for c in self.ctxs))
    def finish_shut_context(self, data):
        ctx = data.draw(st.sampled_from([c for c in self.ctxs if c.shut and c.alive]))
        open_ = [s for s in ctx.sockets if not s.closed and not s.gone]
        sock = open_[0] if open_ else None
        if sock is not None:
            self.run("%s.recv_bytes(zmq.DONTWAIT)" % sock.name)
            self.run("%s.close()" % sock.name)
            self.sock_closed(sock)
        else:
            self.run("%s.destroy()" % ctx.name, expect="ok", timeout=10)
            self.ctx_gone(ctx)

    # -- free sockets -----------------------------------------------------------------------------

    @action(3, lambda self: self.live_ctxs() and len(self.live_socks()) < 14)
    def new_free_socket(self, data):
        ctx = data.draw(st.sampled_from(self.live_ctxs()))
        kind = data.draw(st.sampled_from(TYPES))
        name = self.name("S")
        out = self.run(self.new_socket_code(name, ctx, kind, data))
        if out.ok:
            self.add_sock(name, ctx, kind)

    def endpoint(self, data, sock, connect):
        """(endpoint expression, inproc name or None, kind) for a free socket."""
        choices = ["inproc", "ipc", "tcp", "bad"]
        transport = data.draw(st.sampled_from(choices))
        if transport == "inproc":
            ep = "inproc://f%d" % data.draw(st.integers(0, 3))
            return repr(ep), ep
        if transport == "ipc":
            return "'ipc://' + TMP + '/f%d'" % data.draw(st.integers(0, 2)), None
        if transport == "tcp":
            if connect:
                if self.free_ports and data.draw(st.booleans()):
                    return "'tcp://127.0.0.1:%d'" % data.draw(st.sampled_from(self.free_ports)), None
                return "'tcp://127.0.0.1:1'", None
            return data.draw(st.sampled_from(["'tcp://127.0.0.1:*[58000-64999]'",
                                              "'tcp://127.0.0.1:![58000-64999]'"])), None
        return data.draw(st.sampled_from([
            "'tcp://'", "'bogus://x'", "'inproc://'", "'ipc://' + TMP + '/' + 'x' * 120",
            "'tcp://256.1.1.1:5555'", "'tcp://127.0.0.1:70000'", "'tcp://127.0.0.1:*[5-1]'",
            "b'inproc://bytes'", "42", "None", "'tcp://%s%n:1'", "'udp://127.0.0.1:5555'",
            "'tcp://127.0.0.1:*[64990-]'"])), None

    @action(6, lambda self: self.free_socks())
    def bind_or_connect(self, data):
        sock = data.draw(st.sampled_from(self.free_socks()))
        connect = data.draw(st.booleans())
        expr, inproc = self.endpoint(data, sock, connect)
        verb = "connect" if connect else "bind"
        spelling = data.draw(st.sampled_from(["method", "zsocket", "zmq"]))
        if spelling == "method":
            code = "_ = %s.%s(%s)" % (sock.name, verb, expr)
        else:
            code = "_ = %s.%s(%s, %s)" % (spelling, verb, sock.name, expr)
        out = self.run(code, timeout=8)
        success = out.ok and not (spelling == "zsocket" and out.value == -1)
        if success:
            sock.endpoints.append((verb, expr))
            if "tcp" in expr and not connect and isinstance(out.value, int) and out.value > 0:
                self.free_ports.append(out.value)
            if inproc:
                sock.inproc.add(inproc)

    @action(2, lambda self: any(s.endpoints for s in self.free_socks()))
    def unbind_or_disconnect(self, data):
        sock = data.draw(st.sampled_from([s for s in self.free_socks() if s.endpoints]))
        verb, expr = data.draw(st.sampled_from(sock.endpoints))
        verb = "unbind" if verb == "bind" else "disconnect"
        if data.draw(st.booleans()):
            self.run("_ = %s.%s(%s)" % (sock.name, verb, expr), timeout=8)
        else:
            self.run("_ = zsocket.%s(%s, %s)" % (verb, sock.name, expr), timeout=8)

    def send_code(self, sock, data, lossy_tag=None):
        """Code sending on `sock` and the model's view: (code, parts, complete,
        raises) where `raises` False means the spelling returns -1 on failure."""
        s = sock.name
        single = data.draw(st.booleans())
        dontwait = data.draw(st.booleans())
        if single:
            more = data.draw(st.booleans())
            payload = data.draw(payloads)
            if lossy_tag is not None and not sock.out:
                payload = _bytes_payload(lossy_tag)
            how = data.draw(st.sampled_from(["send", "zmq.send", "zstr", "send_frame",
                                             "zframe.send", "msg_send"]))
            flags = " | ".join(["zmq.SNDMORE"] * more + ["zmq.DONTWAIT"] * dontwait) or "0"
            fflags = " | ".join(["Frame.MORE"] * more + ["Frame.DONTWAIT"] * dontwait) or "0"
            if how == "zstr":
                payload = _as_text(payload)
                code = "_ = zstr.%s(%s, %s)" % ("sendm" if more else "send", s, payload.expr)
                return code, [payload.data], not more, False
            if how == "send":
                return "_ = %s.send(%s, %s)" % (s, payload.expr, flags), [payload.data], not more, True
            if how == "zmq.send":
                return "_ = zmq.send(%s, %s, None, %s)" % (s, payload.expr, flags), \
                    [payload.data], not more, True
            if how == "send_frame":
                return "_ = %s.send_frame(Frame(%s), %s)" % (s, payload.expr, fflags), \
                    [payload.data], not more, True
            if how == "zframe.send":
                return "_ = zframe.send(zframe.new(%s), %s, %s)" % (payload.expr, s, fflags), \
                    [payload.data], not more, False
            return "_ = zmq.msg_send(zmq.msg_init_data(None, %s), %s, %s)" % (
                _compact(payload.data), s, flags), [payload.data], not more, True
        parts = data.draw(st.lists(payloads, min_size=1, max_size=4))
        if lossy_tag is not None and not sock.out:
            parts[0] = _bytes_payload(lossy_tag)
        how = data.draw(st.sampled_from(["send_multipart", "zstr.sendx", "send_msg", "zmsg.send",
                                         "Message.send"]))
        exprs = ", ".join(p.expr for p in parts)
        datas = [p.data for p in parts]
        if how == "send_multipart":
            flags = "zmq.DONTWAIT" if dontwait else "0"
            return "_ = %s.send_multipart([%s], %s)" % (s, exprs, flags), datas, True, True
        if how == "zstr.sendx":
            texts_ = [_as_text(p) for p in parts]
            if lossy_tag is not None and not sock.out:
                texts_[0] = _as_text(_bytes_payload(lossy_tag))
            return "_ = zstr.sendx(%s, %s)" % (s, ", ".join(t.expr for t in texts_)), \
                [t.data for t in texts_], True, False
        as_frames = ", ".join(("Frame(%s)" % p.expr) if data.draw(st.booleans()) else p.expr
                              for p in parts)
        if how == "send_msg":
            return "_ = %s.send_msg(Message(%s))" % (s, as_frames), datas, True, True
        if how == "Message.send":
            return "_ = Message(%s).send(%s)" % (as_frames, s), datas, True, True
        return "_ = zmsg.send(Message(%s), %s)" % (as_frames, s), datas, True, False

    @action(4, lambda self: self.free_socks())
    def free_send(self, data):
        sock = data.draw(st.sampled_from(self.free_socks()))
        code, _, _, _ = self.send_code(sock, data)
        self.run(code, timeout=8)

    RECV_PART = ["recv_bytes", "recv_bytes_nowait", "recv", "recv_nowait", "zmq.recv",
                 "zmq.recv_buf", "zstr.recv", "zstr.recv_nowait", "recv_frame",
                 "recv_frame_nowait", "zframe.recv", "zframe.recv_nowait", "msg_recv"]
    RECV_WHOLE = ["recv_multipart", "recv_multipart_nowait", "zstr.recvx", "recv_msg",
                  "recv_msg_nowait", "zmsg.recv"]

    def recv_code(self, sock, how, data):
        """Code receiving on `sock`; `_` becomes ("part", bytes, more),
        ("whole", [bytes]), ("none",) (nothing waiting) or ("fail",) (-1)."""
        s = sock.name
        frame_name = self.name("F")
        message_name = self.name("M")
        codes = {
            "recv_bytes": "_b = %s.recv_bytes()\n_ = ('part', _b, %s.rcvmore)" % (s, s),
            "recv_bytes_nowait": "_b = %s.recv_bytes(zmq.DONTWAIT)\n_ = ('part', _b, %s.rcvmore)"
                                 % (s, s),
            "recv": "_t = %s.recv()\n_ = ('text', _t, %s.rcvmore)" % (s, s),
            "recv_nowait": "_t = %s.recv_nowait()\n_ = ('none',) if _t is None else "
                           "('text', _t, %s.rcvmore)" % (s, s),
            "zmq.recv": "_b = zmq.recv(%s)\n_ = ('part', _b, %s.rcvmore)" % (s, s),
            "zstr.recv": "_t = zstr.recv(%s)\n_ = ('none',) if _t is None else "
                         "('text', _t, %s.rcvmore)" % (s, s),
            "zstr.recv_nowait": "_t = zstr.recv_nowait(%s)\n_ = ('none',) if _t is None else "
                                "('text', _t, %s.rcvmore)" % (s, s),
            "recv_frame": "%s = %s.recv_frame()\n_ = ('frame', %s.bytes(), %s.more())"
                          % (frame_name, s, frame_name, frame_name),
            "recv_frame_nowait": "%s = %s.recv_frame_nowait()\n_ = ('none',) if %s is None else "
                                 "('frame', %s.bytes(), %s.more())"
                                 % (frame_name, s, frame_name, frame_name, frame_name),
            "zframe.recv": "%s = zframe.recv(%s)\n_ = ('none',) if %s is None else "
                           "('frame', %s.bytes(), %s.more())"
                           % (frame_name, s, frame_name, frame_name, frame_name),
            "zframe.recv_nowait": "%s = zframe.recv_nowait(%s)\n_ = ('none',) if %s is None else "
                                  "('frame', %s.bytes(), %s.more())"
                                  % (frame_name, s, frame_name, frame_name, frame_name),
            "msg_recv": "_g = zmq.msg_init()\n_n = zmq.msg_recv(_g, %s, %s)\n"
                        "_ = ('part', _g.bytes(), _g.more(), _n)"
                        % (s, data.draw(st.sampled_from(["0", "zmq.DONTWAIT"]))),
            "recv_multipart": "_ = ('whole', %s.recv_multipart())" % s,
            "recv_multipart_nowait": "_ = ('whole', %s.recv_multipart(zmq.DONTWAIT))" % s,
            "zstr.recvx": "_x = zstr.recvx(%s)\n_ = ('fail',) if _x == -1 else ('wholetext', _x)"
                          % s,
            "recv_msg": "%s = %s.recv_msg()\n_ = ('whole', %s.tolist())"
                        % (message_name, s, message_name),
            "recv_msg_nowait": "%s = %s.recv_msg_nowait()\n_ = ('none',) if %s is None else "
                               "('whole', %s.tolist())"
                               % (message_name, s, message_name, message_name),
            "zmsg.recv": "%s = zmsg.recv(%s)\n_ = ('none',) if %s is None else "
                         "('whole', %s.tolist())" % (message_name, s, message_name, message_name),
        }
        if how == "zmq.recv_buf":
            size = data.draw(st.integers(0, 30))
            flags = data.draw(st.sampled_from(["0", "zmq.DONTWAIT"]))
            return ("_buf = bytearray(%d)\n_n = zmq.recv(%s, _buf, %d, %s)\n"
                    "_ = ('buf', bytes(_buf[:min(_n, %d)]), %s.rcvmore, _n, %d)"
                    % (size, s, size, flags, size, s, size)), frame_name, message_name
        return codes[how], frame_name, message_name

    @action(4, lambda self: self.free_socks())
    def free_recv(self, data):
        sock = data.draw(st.sampled_from(self.free_socks()))
        how = data.draw(st.sampled_from(self.RECV_PART + self.RECV_WHOLE))
        code, frame_name, message_name = self.recv_code(sock, how, data)
        out = self.run(code, allow=("Again",), timeout=8)
        if out.ok and out.value and out.value[0] == "frame":
            self.frames[frame_name] = FrameRec(out.value[1])
            self.frames[frame_name].more = out.value[2]
        if out.ok and out.value and out.value[0] == "whole" and how in ("recv_msg",
                                                                         "recv_msg_nowait",
                                                                         "zmsg.recv"):
            self.messages[message_name] = MessageRec([Entry(d) for d in out.value[1]])

    @action(10, lambda self: self.live_socks())
    def socket_option(self, data):
        sock = data.draw(st.sampled_from(self.live_socks()))
        table = options()
        name = data.draw(st.sampled_from(sorted(table)))
        kind, readable, writable = table[name]
        read = data.draw(st.booleans()) if readable else False
        spelling = data.draw(st.sampled_from(["attr", "zsockopt", "set_method", "zmq"]))
        if read or not writable:
            if spelling == "zsockopt":
                code = "_ = zsockopt.%s(%s)" % (name, sock.name)
            elif spelling == "zmq":
                code = "_ = zmq.getsockopt(%s, zmq.%s)" % (sock.name, name.upper())
            else:
                code = "_ = %s.%s" % (sock.name, name)
            self.run(code, allow=("AttributeError",) if not readable else ())
            return
        value = data.draw(st.sampled_from(option_values(name, kind)))
        if spelling == "zsockopt":
            code = "zsockopt.set_%s(%s, %r)" % (name, sock.name, value)
        elif spelling == "set_method":
            code = "%s.set_%s(%r)" % (sock.name, name, value)
        elif spelling == "zmq" and kind != "text":
            code = "zmq.setsockopt(%s, zmq.%s, %r)" % (sock.name, name.upper(), value)
        else:
            code = "%s.%s = %r" % (sock.name, name, value)
        round_trip = name in INT_OPTIONS_ROUND_TRIP or name in ("routing_id", "identity")
        if round_trip:
            code += "\n_ = %s.%s" % (sock.name, name)
        out = self.run(code, allow=("AttributeError",) if not writable else ())
        if out.ok:
            if name not in BENIGN:
                self.break_chan(sock)
            if round_trip:
                expected = bytes(value) if isinstance(value, (bytearray,)) else value
                if isinstance(expected, str) and name in ("routing_id", "identity"):
                    expected = expected.encode("utf-8")
                if name in ("conflate", "ipv6", "immediate"):
                    expected, out.value = bool(expected), bool(out.value)
                self.check(out.value == expected, "socket option %s set to %r reads back %r"
                           % (name, value, out.value))

    @action(3, lambda self: self.live_socks())
    def socket_info(self, data):
        sock = data.draw(st.sampled_from(self.live_socks()))
        what = data.draw(st.sampled_from([
            "_ = %s.type_str()", "_ = zsocket.type_str(%s)", "_ = repr(%s)", "_ = %s.closed",
            "_ = %s.poll(0)", "_ = zsocket.poll(%s, 5)", "_ = %s.poll(20)", "_ = %s.type()",
            "_ = %s.underlying > 0", "_ = %s.ctx is not None"]))
        out = self.run(what % sock.name, allow=("AttributeError",))
        if what.startswith("_ = %s.type_str") or what.startswith("_ = zsocket.type_str"):
            self.check(out.ok and out.value == sock.kind, "type_str %r for a %s socket"
                       % (out.value, sock.kind))

    @action(2, lambda self: self.live_socks())
    def close_socket(self, data):
        sock = data.draw(st.sampled_from(self.live_socks()))
        how = data.draw(st.sampled_from(["%s.close()", "zsocket.destroy(%s, {s})", "zmq.close({s})",
                                         "with {s}:\n    pass", "{s}.close(linger=0)"]))
        code = how.replace("{s}", sock.name) if "%s" not in how else \
            how.replace("{s}", sock.name) % (sock.ctx.name if how.startswith("zsocket") else sock.name)
        self.run(code, expect="ok")
        self.sock_closed(sock)
        # A closed socket raises ClosedError on any use.
        use = data.draw(st.sampled_from([
            "{s}.send(b'x')", "{s}.recv_bytes(zmq.DONTWAIT)", "{s}.bind('inproc://closed')",
            "{s}.connect('inproc://closed')", "{s}.linger", "{s}.rcvtimeo = 5",
            "zstr.send({s}, 'x')", "zsocket.bind({s}, 'inproc://closed')", "{s}.poll(0)",
            "zframe.send(Frame(b'x'), {s}, 0)", "{s}.recv_multipart()", "zmq.send({s}, b'x')",
            "Poller({s})", "zmq.recv({s})"]))
        self.run(use.replace("{s}", sock.name), expect="ClosedError")

    # -- channels: connected pairs whose traffic is modelled -----------------------------------

    PATTERNS = [("PAIR", "PAIR"), ("PUSH", "PULL"), ("DEALER", "DEALER"), ("DEALER", "ROUTER"),
                ("REQ", "REP"), ("PUB", "SUB"), ("XPUB", "SUB")]

    @action(4, lambda self: self.live_ctxs() and len(self.live_chans()) < 4 and
                  len(self.live_socks()) < 14)
    def new_channel(self, data):
        ctx = data.draw(st.sampled_from(self.live_ctxs()))
        pattern = data.draw(st.sampled_from(self.PATTERNS))
        transport = data.draw(st.sampled_from(["inproc", "inproc", "ipc", "tcp"]))
        a, b = self.name("S"), self.name("S")
        cid = next(self.ids)
        lines = [self.new_socket_code(a, ctx, pattern[0], data),
                 self.new_socket_code(b, ctx, pattern[1], data)]
        if pattern[1] == "SUB":
            lines.append("%s.subscribe = b''" % b)
        if pattern == ("DEALER", "ROUTER"):
            lines.append("%s.routing_id = %r" % (a, a.encode()))
        binder = data.draw(st.sampled_from([0, 1]))
        names = [a, b]
        if transport == "inproc":
            ep = repr("inproc://ch%d" % cid)
        elif transport == "ipc":
            ep = "'ipc://' + TMP + '/ch%d'" % cid
        else:
            ep = None
        if ep is None:
            lines.append("_port = %s.bind('tcp://127.0.0.1:![50000-57999]')" % names[binder])
            lines.append("%s.connect('tcp://127.0.0.1:%%d' %% _port)" % names[1 - binder])
        elif transport != "tcp" and data.draw(st.booleans()):
            lines.append("%s.connect(%s)" % (names[1 - binder], ep))
            lines.append("%s.bind(%s)" % (names[binder], ep))
        else:
            lines.append("%s.bind(%s)" % (names[binder], ep))
            lines.append("%s.connect(%s)" % (names[1 - binder], ep))
        out = self.run("\n".join(lines), timeout=8,
                       expect=None if self.few_sockets or transport != "inproc" and self.io_zero
                       else "ok")
        if not out.ok:
            return
        sa, sb = self.add_sock(a, ctx, pattern[0]), self.add_sock(b, ctx, pattern[1])
        chan = Chan("ch%d" % cid, pattern, transport, sa, sb)
        for side, sock in enumerate((sa, sb)):
            sock.chan, sock.side = chan, side
            if transport == "inproc":
                sock.inproc.add("inproc://ch%d" % cid)
        if pattern[0] in ("PUB", "XPUB"):
            chan.lossy[0] = True
        if pattern == ("DEALER", "ROUTER"):
            chan.lossy[1] = True
        if pattern == ("REQ", "REP"):
            sa.state, sb.state = "send", "recv"
        self.chans.append(chan)

    def can_send(self, chan, side):
        kind = chan.ends[side].kind
        return kind in SEND_TYPES and kind != "XPUB" or (kind == "XPUB" and side == 0)

    @action(12, lambda self: self.live_chans())
    def channel_send(self, data):
        chan = data.draw(st.sampled_from(self.live_chans()))
        side = data.draw(st.sampled_from([0, 1]))
        sock = chan.ends[side]
        if chan.pattern[1] == "SUB" and side == 1 or chan.pattern == ("PUSH", "PULL") and side == 1:
            code, _, _, raises = self.send_code(sock, data)
            out = self.run(code, timeout=8)
            if raises:
                self.check_expect(out, ("ZMQError", ENOTSUP))
            else:
                self.check(out.isa("ZMQError") and out.errno == ENOTSUP or out.value == -1,
                           "a send on a %s socket: %r" % (sock.kind, out))
            return
        if chan.pattern[0] == "XPUB" and side == 1:
            return
        tag = None
        if chan.lossy[side]:
            tag = ("%s-%d" % (chan.name, next(chan.tags))).encode()
        if sock.kind == "ROUTER":
            # A ROUTER's message starts with its peer's routing id.
            parts = data.draw(st.lists(small_bytes, min_size=1, max_size=3))
            parts[0] = tag
            rid = chan.ends[0].name.encode()
            how = data.draw(st.sampled_from(["send_multipart", "send_msg"]))
            if how == "send_multipart":
                code = "_ = %s.send_multipart(%r)" % (sock.name, [rid] + parts)
            else:
                code = "_ = %s.send_msg(Message(*%r))" % (sock.name, [rid] + parts)
            out = self.run(code, timeout=8)
            if out.ok and not sock.out:
                chan.queues[side].append(parts)
            elif out.ok:
                chan.broken = True
            return
        code, parts, complete, raises = self.send_code(sock, data, tag)
        fsm = sock.state is not None and sock.state != "send"
        out = self.run(code, timeout=8)
        failed = not out.ok or (not raises and out.value == -1)
        if fsm:
            if raises:
                self.check_expect(out, ("ZMQError", EFSM))
            else:
                self.check(out.value == -1 or out.isa("ZMQError") and out.errno == EFSM,
                           "a %s send out of turn: %r" % (sock.kind, out))
            return
        if failed:
            return      # (Again, no peer, ...: nothing was sent)
        if out.ok and raises and code.startswith("_ = zmq.send(") or code.startswith(
                "_ = zmq.msg_send("):
            self.check(out.value == len(parts[0]), "zmq.send returned %r for %d bytes"
                       % (out.value, len(parts[0])))
        sock.out.extend(parts)
        if complete:
            if sock.out:
                chan.queues[side].append(sock.out)
                if sock.state == "send":
                    sock.state = "recv"
            sock.out = []

    def expect_next(self, chan, side, first=None, whole=None):
        """The message the receiving end `side` must get next (its parts), given
        the first part or the whole message received; None with a finding."""
        queue = chan.queues[1 - side]
        if chan.lossy[1 - side]:
            for index, message in enumerate(queue):
                if (whole is not None and message == whole) or \
                        (whole is None and message[0] == first):
                    for _ in range(index + 1):
                        taken = queue.popleft()
                    return list(taken)
            self.fail("wrong answer", "step %d: %s received a message that was never sent "
                      "(or twice): %r; in flight: %r" % (self.n, chan.ends[side].name,
                                                         whole or first, list(queue)[:5]))
        if not queue:
            self.fail("wrong answer", "step %d: %s received %r, but nothing was sent to it"
                      % (self.n, chan.ends[side].name, whole or first))
        return list(queue.popleft())

    def delivered(self, chan, side, parts):
        """How a message sent by the other end arrives at `side`."""
        sender = chan.peer(side)
        if sender.kind == "DEALER" and chan.ends[side].kind == "ROUTER":
            return [sender.name.encode()] + parts
        return parts

    def model_part(self, chan, side, data, more):
        sock = chan.ends[side]
        if sock.cur is None:
            message = self.expect_first(chan, side, data)
            sock.cur = message
        expected = sock.cur.pop(0)
        self.check(expected == data, "%s received part %r, expected %r (corrupted or out of "
                   "order)" % (sock.name, data, expected))
        self.check(bool(more) == bool(sock.cur), "%s: part %r has more=%r, but %d parts follow"
                   % (sock.name, data, more, len(sock.cur)))
        if not sock.cur:
            sock.cur = None
            self.message_done(sock)

    def expect_first(self, chan, side, data):
        sender = chan.peer(side)
        if sender.kind == "DEALER" and chan.ends[side].kind == "ROUTER":
            message = self.expect_next(chan, side, first=None if chan.lossy[1 - side] else data,
                                       whole=None)
            return [sender.name.encode()] + message
        return self.expect_next(chan, side, first=data)

    def model_whole(self, chan, side, parts):
        sock = chan.ends[side]
        if sock.cur is not None:
            expected, sock.cur = sock.cur, None
        else:
            sender = chan.peer(side)
            if sender.kind == "DEALER" and sock.kind == "ROUTER":
                self.check(parts and parts[0] == sender.name.encode(),
                           "%s received %r without its peer's routing id" % (sock.name, parts))
                expected = [parts[0]] + self.expect_next(chan, side, whole=parts[1:])
            else:
                expected = self.expect_next(chan, side, whole=parts)
        self.check(expected == parts, "%s received %r, expected %r (corrupted, lost part or "
                   "out of order)" % (sock.name, parts, expected))
        self.message_done(sock)

    @staticmethod
    def message_done(sock):
        if sock.state == "recv":
            sock.state = "send"

    def apply_received(self, chan, side, value):
        """Feed a receive's normalised result into the model."""
        kind = value[0]
        if kind in ("none", "fail"):
            return
        if kind == "part":
            self.model_part(chan, side, value[1], value[2])
        elif kind == "text":
            self.model_part(chan, side, value[1].encode("utf-8", "surrogateescape"), value[2])
        elif kind == "frame":
            self.model_part(chan, side, value[1], value[2])
        elif kind == "buf":
            _, head, more, size, room = value
            sock = chan.ends[side]
            if sock.cur is None:
                sock.cur = self.expect_first(chan, side, None)
            expected = sock.cur.pop(0)
            self.check(size == len(expected) and head == expected[:room],
                       "zmq.recv into a %d-byte buffer: %r of size %d, expected %r"
                       % (room, head, size, expected))
            self.check(bool(more) == bool(sock.cur), "%s: wrong more flag" % sock.name)
            if not sock.cur:
                sock.cur = None
                self.message_done(sock)
        elif kind == "whole":
            self.model_whole(chan, side, list(value[1]))
        elif kind == "wholetext":
            self.model_whole(chan, side, [t.encode("utf-8", "surrogateescape") for t in value[1]])

    @action(12, lambda self: self.live_chans())
    def channel_recv(self, data):
        chan = data.draw(st.sampled_from(self.live_chans()))
        side = data.draw(st.sampled_from([0, 1]))
        sock = chan.ends[side]
        how = data.draw(st.sampled_from(self.RECV_PART + self.RECV_WHOLE))
        if chan.pattern[1] == "SUB" and side == 0 and chan.pattern[0] == "XPUB":
            return      # an XPUB receives subscriptions: not modelled
        if chan.lossy[1 - side] and how == "zmq.recv_buf" and sock.cur is None:
            how = "recv_bytes_nowait"       # the tag is needed to find the message
        code, frame_name, message_name = self.recv_code(sock, how, data)
        out = self.run(code, allow=("Again",), timeout=8)
        if sock.kind in ("PUB", "PUSH"):
            self.check(out.isa("ZMQError") and out.errno == ENOTSUP or
                       out.ok and out.value in (("none",), ("fail",)),
                       "a receive on a %s socket: %r" % (sock.kind, out))
            return
        if sock.state == "send" and sock.cur is None:
            # REQ/REP: receiving out of turn is a state error.
            self.check(out.isa("ZMQError") and out.errno == EFSM or out.ok and out.value in (
                ("none",), ("fail",)), "a %s receive out of turn: %r" % (sock.kind, out))
            return
        if not out.ok:
            if out.isa("Again") or out.isa("ZMQError") and out.errno == EAGAIN:
                if how in ("zstr.recv", "zframe.recv", "zmsg.recv"):
                    self.fail("wrong answer", "step %d: %s raised %s on a timeout, where the "
                              "functional receive returns None" % (self.n, how, out.name))
                return
            self.fail("wrong answer", "step %d: a receive on a connected %s raised %s: %s"
                      % (self.n, sock.kind, out.name, out.msg), out.tb)
        self.apply_received(chan, side, out.value)
        if out.value[0] == "frame":
            self.frames[frame_name] = FrameRec(out.value[1])
            self.frames[frame_name].more = out.value[2]
        if out.value[0] == "whole" and how in ("recv_msg", "recv_msg_nowait", "zmsg.recv"):
            self.messages[message_name] = MessageRec([Entry(d) for d in out.value[1]])

    @action(4, lambda self: any(c.queues[i] and not c.lossy[i] and c.peer(i).cur is None
                                   for c in self.live_chans() for i in (0, 1)))
    def channel_settle(self, data):
        """A message in flight on a reliable channel arrives within 5 s."""
        candidates = [(c, i) for c in self.live_chans() for i in (0, 1)
                      if c.queues[i] and not c.lossy[i] and c.peer(i).cur is None]
        chan, sender = data.draw(st.sampled_from(candidates))
        receiver = chan.ends[1 - sender]
        out = self.run("_ok = %s.poll(5000)\n_ = ('whole', %s.recv_multipart(zmq.DONTWAIT)) "
                       "if _ok else ('lost',)" % (receiver.name, receiver.name), timeout=15)
        if out.ok and out.value == ("lost",):
            self.fail("lost message", "step %d: %d message(s) sent on %s (%s over %s, %s -> %s) "
                      "did not arrive within 5 s; first: %r"
                      % (self.n, len(chan.queues[sender]), chan.name, "/".join(chan.pattern),
                         chan.transport, chan.ends[sender].name, receiver.name,
                         chan.queues[sender][0]))
        if out.ok:
            self.apply_received(chan, 1 - sender, out.value)

    # -- frames and memoryviews ------------------------------------------------------------------

    def frames_in(self, *states):
        return [n for n, f in self.frames.items() if f.state in states]

    @action(4)
    def new_frame(self, data):
        name = self.name("F")
        payload = data.draw(payloads)
        how = data.draw(st.sampled_from(["Frame(%s)", "zframe.new(%s)", "Frame()",
                                         "zframe.new_empty()", "dup"]))
        if how == "dup" and self.frames_in("owned", "borrowed"):
            source = data.draw(st.sampled_from(self.frames_in("owned", "borrowed")))
            spelling = data.draw(st.sampled_from(["%s.dup()", "zframe.dup(%s)"])) % source
            out = self.run("%s = %s" % (name, spelling), expect="ok")
            rec = FrameRec(self.frames[source].data)
            rec.more = self.frames[source].more
        else:
            if how == "dup":
                how = "Frame(%s)"
            expr = how % payload.expr if "%s" in how else how
            out = self.run("%s = %s" % (name, expr), expect="ok")
            rec = FrameRec(payload.data if "%s" in how else b"")
        if out.ok:
            self.frames[name] = rec

    @action(8, lambda self: self.frames)
    def frame_op(self, data):
        name = data.draw(st.sampled_from(sorted(self.frames)))
        rec = self.frames[name]
        op = data.draw(st.sampled_from([
            "bytes", "size", "len", "more", "set_more", "strhex", "strdup", "streq", "eq", "==",
            "reset", "destroy", "zframe.destroy", "zframe.reset", "zframe.size", "repr", "str",
            "zframe.strhex", "zframe.more", "zframe.set_more", "zframe.eq", "owned"]))
        payload = data.draw(payloads)
        more_value = data.draw(st.sampled_from([0, 1, 7, -1, True]))
        other = data.draw(st.sampled_from(sorted(self.frames)))
        code = {
            "bytes": "_ = %s.bytes()" % name, "size": "_ = %s.size()" % name,
            "len": "_ = len(%s)" % name, "more": "_ = %s.more()" % name,
            "set_more": "%s.set_more(%r)\n_ = %s.more()" % (name, more_value, name),
            "zframe.set_more": "zframe.set_more(%s, %r)\n_ = zframe.more(%s)"
                               % (name, more_value, name),
            "strhex": "_ = %s.strhex()" % name, "zframe.strhex": "_ = zframe.strhex(%s)" % name,
            "strdup": "_ = %s.strdup()" % name,
            "streq": "_ = %s.streq(%s)" % (name, payload.expr if payload.text is not None or
                                           payload.expr.startswith("b") else _compact(payload.data)),
            "eq": "_ = %s.eq(%s)" % (name, other), "zframe.eq": "_ = zframe.eq(%s, %s)"
                                                                % (name, other),
            "==": "_ = %s == %s" % (name, _compact(payload.data)),
            "reset": "%s.reset(%s)\n_ = %s.bytes()" % (name, payload.expr, name),
            "zframe.reset": "zframe.reset(%s, %s)\n_ = %s.bytes()" % (name, payload.expr, name),
            "destroy": "%s.destroy()" % name, "zframe.destroy": "zframe.destroy(%s)" % name,
            "zframe.size": "_ = zframe.size(%s)" % name, "repr": "_ = repr(%s)" % name,
            "str": "_ = str(%s)" % name, "zframe.more": "_ = zframe.more(%s)" % name,
            "owned": "_ = %s.owned" % name,
        }[op]
        out = self.run(code)
        state = rec.state
        if state == "unknown" or op in ("repr",):
            return
        if state in ("sent", "moved", "destroyed"):
            if op in ("eq", "zframe.eq") and out.isa("ClosedError"):
                return
            self.check(out.isa("ClosedError"), "%s on a %s Frame: %r (expected ClosedError)"
                       % (op, state, out))
            return
        other_rec = self.frames[other]
        if op in ("eq", "zframe.eq") and other_rec.state in ("sent", "moved", "destroyed"):
            self.check(out.isa("ClosedError") or out.ok and out.value is False,
                       "%s with a %s Frame: %r" % (op, other_rec.state, out))
            return
        if op in ("reset", "zframe.reset", "destroy", "zframe.destroy"):
            if state == "borrowed":
                self.check(out.isa("ClosedError"), "%s of a Frame in a Message: %r" % (op, out))
                return
            if op.endswith("reset") and rec.views:
                self.check(out.isa("BufferError"), "reset of a Frame with memoryviews: %r" % out)
                return
            self.check(out.ok, "%s of an owned Frame: %r" % (op, out))
            if op.endswith("reset"):
                rec.data = payload.data
                self.check(out.value == payload.data, "reset to %r reads %r" % (payload.data,
                                                                                out.value))
            else:
                rec.state = "destroyed"
            return
        self.check(out.ok, "%s on a live Frame: %r" % (op, out))
        if not out.ok:
            return
        if op in ("set_more", "zframe.set_more"):
            rec.more = 1 if more_value else 0
            self.check(out.value == rec.more, "set_more(%r) reads more() %r" % (more_value,
                                                                               out.value))
            return
        if rec.data is None:
            return
        expected = {
            "bytes": rec.data, "size": len(rec.data), "len": len(rec.data),
            "zframe.size": len(rec.data), "strhex": rec.data.hex().upper(),
            "zframe.strhex": rec.data.hex().upper(),
            "strdup": rec.data.decode("utf-8", "surrogateescape"),
            "more": rec.more, "zframe.more": rec.more,
            "==": rec.data == payload.data, "owned": state == "owned",
            "streq": rec.data == payload.data,
        }.get(op, out.value)
        if op in ("eq", "zframe.eq") and other_rec.data is not None and \
                other_rec.state in ("owned", "borrowed"):
            expected = rec.data == other_rec.data
        self.check(out.value == expected, "Frame.%s gave %r, expected %r (data %r)"
                   % (op, out.value, expected, rec.data))

    @action(3, lambda self: self.frames_in("owned", "borrowed", "sent", "destroyed"))
    def frame_view(self, data):
        name = data.draw(st.sampled_from(sorted(self.frames_in("owned", "borrowed", "sent",
                                                              "destroyed"))))
        rec = self.frames[name]
        view = self.name("V")
        how = data.draw(st.sampled_from(["memoryview(%s)", "zframe.data(%s)"]))
        out = self.run("%s = %s\n_ = bytes(%s)" % (view, how % name, view))
        if rec.state in ("sent", "destroyed"):
            self.check(out.isa("ClosedError"), "memoryview of a %s Frame: %r" % (rec.state, out))
            return
        if out.ok:
            rec.views += 1
            self.views[view] = [rec, out.value, False]
            if rec.data is not None:
                self.check(out.value == rec.data, "memoryview of %r reads %r" % (rec.data, out.value))

    @action(4, lambda self: self.views)
    def view_op(self, data):
        view = data.draw(st.sampled_from(sorted(self.views)))
        rec, snapshot, released = self.views[view]
        op = data.draw(st.sampled_from(["read", "read", "release", "write", "del"]))
        if op == "read":
            out = self.run("_ = bytes(%s)" % view)
            if released:
                self.check(out.isa("ValueError"), "a released memoryview: %r" % out)
            elif snapshot is not None:
                self.check(out.ok and out.value == snapshot,
                           "memoryview %s reads %r, expected %r (its frame: %s)"
                           % (view, out.value, snapshot, rec.state if rec else "?"))
        elif op == "release":
            self.run("%s.release()" % view, expect="ok")
            if not released and rec is not None:
                rec.views -= 1
            self.views[view][2] = True
        elif op == "del":
            self.run("del %s\ngc.collect()" % view, expect="ok")
            if not released and rec is not None:
                rec.views -= 1
            del self.views[view]
        else:
            if snapshot:
                out = self.run("%s[0] = 90\n_ = bytes(%s)" % (view, view))
                if out.ok:
                    self.views[view][1] = out.value
                    for other in self.views.values():
                        if other[0] is rec and other is not self.views[view]:
                            other[1] = None
                    if rec is not None:
                        rec.data = None
                    for owner, views in getattr(self, "msg_views", {}).items():
                        if view in views and owner in self.msgs:
                            self.msgs[owner] = out.value    # (a view of all of a zmq.Msg)
                elif not released:
                    self.check(out.isa("TypeError"), "a write into a read-only view: %r" % out)

    @action(4, lambda self: self.frames_in("owned", "borrowed") and self.live_chans())
    def frame_send(self, data):
        name = data.draw(st.sampled_from(sorted(self.frames_in("owned", "borrowed"))))
        rec = self.frames[name]
        chan = data.draw(st.sampled_from(self.live_chans()))
        side = 0
        sock = chan.ends[side]
        if chan.lossy[side] or sock.kind == "ROUTER" or sock.state == "recv" or rec.data is None:
            return
        reuse = data.draw(st.booleans())
        more = data.draw(st.booleans())
        flags = " | ".join(["Frame.REUSE"] * reuse + ["Frame.MORE"] * more +
                           ["Frame.DONTWAIT"] * data.draw(st.booleans())) or "0"
        if data.draw(st.booleans()):
            code = "_ = %s.send_frame(%s, %s)" % (sock.name, name, flags)
        else:
            code = "_ = zframe.send(%s, %s, %s)" % (name, sock.name, flags)
        out = self.run(code, timeout=8)
        if rec.state == "borrowed" and not reuse:
            self.check(out.isa("ClosedError"), "sending a borrowed Frame without REUSE: %r" % out)
            return
        if not out.ok or out.value == -1:
            return
        if not reuse:
            rec.state = "sent"
        sock.out.append(rec.data)
        if not more:
            chan.queues[side].append(sock.out)
            sock.out = []
            if sock.state == "send":
                sock.state = "recv"

    # -- messages --------------------------------------------------------------------------------

    def messages_in(self, *states):
        return [n for n, m in self.messages.items() if m.state in states]

    def part_expr(self, data):
        """A part to add to a message: (expression, data, frame name moved or None)."""
        owned = self.frames_in("owned")
        if owned and data.draw(st.booleans()):
            name = data.draw(st.sampled_from(sorted(owned)))
            return name, self.frames[name].data, name
        payload = data.draw(payloads)
        return payload.expr, payload.data, None

    @action(4)
    def new_message(self, data):
        name = self.name("M")
        how = data.draw(st.sampled_from(["Message", "zmsg.new", "dup", "load"]))
        if how == "dup" and self.messages_in("alive"):
            source = data.draw(st.sampled_from(sorted(self.messages_in("alive"))))
            spelling = data.draw(st.sampled_from(["%s.dup()", "zmsg.dup(%s)"])) % source
            out = self.run("%s = %s\n_ = %s.tolist()" % (name, spelling, name), expect="ok")
            entries = [Entry(e.data) for e in self.messages[source].entries]
        elif how == "load" and self.files:
            path, frames = data.draw(st.sampled_from(self.files))
            out = self.run("%s = zmsg.load(None, %s)\n_ = None if %s is None else %s.tolist()"
                           % (name, path, name, name), allow=("OSError",))
            if out.ok and out.value is None:
                self.check(frames is None, "zmsg.load of a valid file %r returned None" % frames)
                return
            if out.ok and frames is not None:
                self.check(out.value == frames, "zmsg.load gave %r, expected %r"
                           % (out.value, frames))
            if out.ok and frames is None:
                self.fail("wrong answer", "step %d: zmsg.load of a corrupt file gave %r"
                          % (self.n, out.value))
            entries = [Entry(d) for d in (out.value or [])]
        else:
            parts = [self.part_expr(data) for _ in range(data.draw(st.integers(0, 3)))]
            moved = [p[2] for p in parts if p[2]]
            if len({id(self.frames[m]) for m in moved}) != len(moved):   # (aliases: one Frame)
                parts = [p for p in parts if not p[2]]
                moved = []
            if how == "zmsg.new":
                code = "%s = zmsg.new()" % name + "".join(
                    "\nzmsg.append(%s, %s)" % (name, p[0]) for p in parts)
            else:
                code = "%s = Message(%s)" % (name, ", ".join(p[0] for p in parts))
            out = self.run(code + "\n_ = %s.tolist()" % name, expect="ok")
            for frame in moved:
                self.frames[frame].state = "moved"
            entries = [Entry(p[1]) for p in parts]
            if out.ok:
                expected = [p[1] for p in parts]    # (None: a frame written through a view)
                self.check(len(out.value) == len(expected) and all(
                    want is None or got == want for got, want in zip(out.value, expected)),
                    "a new Message holds %r, expected %r" % (out.value, expected))
        if out.ok:
            self.messages[name] = MessageRec(entries)

    def drop_entry(self, rec, index, adopt=True):
        entry = rec.entries.pop(index)
        if entry.view is not None:
            if adopt:
                entry.view.state = "owned"
                entry.view.message = None
            else:
                entry.view.state = "unknown"
        return entry

    def gone_views(self, rec):
        for entry in rec.entries:
            if entry.view is not None:
                entry.view.state = "unknown"

    @action(10, lambda self: self.messages)
    def message_op(self, data):
        name = data.draw(st.sampled_from(sorted(self.messages)))
        rec = self.messages[name]
        op = data.draw(st.sampled_from([
            "append", "push", "addstr", "pushstr", "wrap", "pop", "popstr", "unwrap", "first",
            "next", "last", "index", "remove", "size", "content_size", "tolist", "frames", "==",
            "destroy", "zmsg.destroy", "save", "load", "repr", "len", "zmsg.append",
            "zmsg.push", "zmsg.pop", "zmsg.first", "zmsg.last", "zmsg.size",
            "zmsg.content_size", "zmsg.save", "zmsg.popstr", "zmsg.unwrap", "zmsg.wrap"]))
        frame_name = self.name("F")
        if rec.state != "alive":
            out = self.run("_ = %s.tolist()" % name if op != "repr" else "_ = repr(%s)" % name)
            if rec.state in ("sent", "destroyed") and op != "repr":
                self.check(out.isa("ClosedError"), "a %s Message: %r" % (rec.state, out))
            return
        entries = rec.entries
        datas = [e.data for e in entries]
        known = all(d is not None for d in datas)
        if op in ("append", "push", "wrap", "zmsg.append", "zmsg.push", "zmsg.wrap"):
            expr, part, moved = self.part_expr(data)
            verb = op.split(".")[-1]
            if op.startswith("zmsg"):
                code = "zmsg.%s(%s, %s)\n_ = %s.tolist()" % (verb, name, expr, name)
            else:
                code = "%s.%s(%s)\n_ = %s.tolist()" % (name, verb, expr, name)
            out = self.run(code, expect="ok")
            if moved:
                self.frames[moved].state = "moved"
            if verb == "append":
                entries.append(Entry(part))
            elif verb == "push":
                entries.insert(0, Entry(part))
            else:
                entries[0:0] = [Entry(part), Entry(b"")]
        elif op in ("addstr", "pushstr"):
            text = data.draw(texts)
            out = self.run("%s.%s(%s)\n_ = %s.tolist()" % (name, op, text.expr, name), expect="ok")
            if op == "addstr":
                entries.append(Entry(text.data))
            else:
                entries.insert(0, Entry(text.data))
        elif op in ("pop", "zmsg.pop", "unwrap", "zmsg.unwrap"):
            call = "%s.%s()" % (name, op) if "." not in op else "%s(%s)" % (op, name)
            out = self.run("%s = %s\n_ = None if %s is None else (%s.bytes(), %s.tolist())"
                           % (frame_name, call, frame_name, frame_name, name), expect="ok")
            if not entries:
                self.check(out.value is None, "%s of an empty Message: %r" % (op, out.value))
                return
            view = entries[0].view
            entry = self.drop_entry(rec, 0)
            if op.endswith("unwrap") and entries and entries[0].data == b"":
                self.drop_entry(rec, 0, adopt=False)
            record = view if view is not None else FrameRec(entry.data)
            record.state = "owned"
            record.message = None
            self.frames[frame_name] = record
            if known:
                self.check(out.value is not None and out.value[0] == entry.data,
                           "%s gave %r, expected %r" % (op, out.value, entry.data))
        elif op in ("popstr", "zmsg.popstr"):
            call = "%s.popstr()" % name if op == "popstr" else "zmsg.popstr(%s)" % name
            out = self.run("_ = (%s, %s.tolist())" % (call, name), expect="ok")
            if not entries:
                self.check(out.value[0] is None, "popstr of an empty Message: %r" % (out.value,))
                return
            entry = self.drop_entry(rec, 0, adopt=False)
            if entry.data is not None and out.ok:
                self.check(out.value[0] == entry.data.decode("utf-8", "surrogateescape"),
                           "popstr gave %r, expected %r" % (out.value[0], entry.data))
        elif op in ("first", "next", "last", "index", "zmsg.first", "zmsg.last"):
            verb = op.split(".")[-1]
            if verb == "index":
                index = data.draw(st.integers(-1, len(entries)))
                call = "%s[%d]" % (name, index)
            else:
                call = ("zmsg.%s(%s)" % (verb, name)) if op.startswith("zmsg") else \
                    "%s.%s()" % (name, verb)
            out = self.run("%s = %s\n_ = None if %s is None else (%s.bytes(), [i for i, f in "
                           "enumerate(%s.frames()) if f is %s])"
                           % (frame_name, call, frame_name, frame_name, name, frame_name),
                           allow=("IndexError",))
            if verb == "index" and not -len(entries) <= index < len(entries):
                self.check(out.isa("IndexError"), "%s out of range: %r" % (call, out))
                return
            self.check(out.ok, "%s: %r" % (call, out))
            if out.value is None:
                self.check(not entries or verb == "next", "%s of a %d-frame Message gave None"
                           % (call, len(entries)))
                return
            data_, where = out.value
            self.check(len(where) == 1, "%s is not one of the message's frames: %r"
                       % (call, where))
            position = where[0]
            if verb == "first":
                self.check(position == 0, "first() is frame %d" % position)
            if verb == "last":
                self.check(position == len(entries) - 1, "last() is frame %d" % position)
            if verb == "index":
                self.check(position == index % len(entries), "%s is frame %d" % (call, position))
            entry = entries[position]
            if entry.data is not None:
                self.check(data_ == entry.data, "%s reads %r, expected %r"
                           % (call, data_, entry.data))
            if entry.view is None:
                entry.view = FrameRec(entry.data, "borrowed")
                entry.view.message = rec
            self.frames[frame_name] = entry.view
        elif op == "remove":
            borrowed = [n for n, f in self.frames.items() if f.state == "borrowed"]
            if not borrowed:
                return
            frame = data.draw(st.sampled_from(sorted(borrowed)))
            frec = self.frames[frame]
            if data.draw(st.booleans()):
                code = "%s.remove(%s)\n_ = %s.tolist()" % (name, frame, name)
            else:
                code = "zmsg.remove(%s, %s)\n_ = %s.tolist()" % (name, frame, name)
            out = self.run(code, expect="ok")
            if frec.message is rec:
                for index, entry in enumerate(entries):
                    if entry.view is frec:
                        self.drop_entry(rec, index)
                        break
        elif op in ("size", "zmsg.size", "len", "content_size", "zmsg.content_size"):
            call = {"size": "%s.size()", "zmsg.size": "zmsg.size(%s)", "len": "len(%s)",
                    "content_size": "%s.content_size()",
                    "zmsg.content_size": "zmsg.content_size(%s)"}[op] % name
            out = self.run("_ = %s" % call, expect="ok")
            expected = len(entries) if "content" not in op else \
                (sum(len(d) for d in datas) if known else out.value)
            self.check(out.value == expected, "%s is %r, expected %r" % (call, out.value, expected))
            return
        elif op in ("tolist", "frames", "repr"):
            call = {"tolist": "%s.tolist()", "frames": "[f.bytes() for f in %s.frames()]",
                    "repr": "repr(%s)"}[op] % name
            out = self.run("_ = %s" % call, expect="ok")
            if op != "repr" and known:
                self.check(out.value == datas, "%s is %r, expected %r" % (call, out.value, datas))
            return
        elif op == "==":
            other = data.draw(st.sampled_from(sorted(self.messages)))
            orec = self.messages[other]
            out = self.run("_ = %s == %s" % (name, other))
            if orec.state == "alive" and known and all(e.data is not None for e in orec.entries):
                self.check(out.ok and out.value == (datas == [e.data for e in orec.entries]),
                           "%s == %s is %r" % (name, other, out))
            return
        elif op in ("destroy", "zmsg.destroy"):
            code = "%s.destroy()" % name if op == "destroy" else "zmsg.destroy(%s)" % name
            self.run(code, expect="ok")
            rec.state = "destroyed"
            self.gone_views(rec)
            return
        elif op in ("save", "zmsg.save"):
            path = "TMP + '/m%d'" % next(self.ids)
            code = "%s.save(%s)" % (name, path) if op == "save" else \
                "_ = zmsg.save(%s, %s)" % (name, path)
            out = self.run(code, expect="ok")
            if out.ok and known:
                self.files.append((path, datas))
            return
        elif op == "load":
            if not self.files:
                return
            path, frames = data.draw(st.sampled_from(self.files))
            out = self.run("%s.load(%s)\n_ = %s.tolist()" % (name, path, name))
            if frames is None:
                self.check(out.isa("ValueError"), "Message.load of a corrupt file: %r" % out)
                return
            self.check(out.ok, "Message.load of a saved file: %r" % out)
            entries.extend(Entry(d) for d in frames)
        else:
            raise AssertionError(op)
        if op in ("first", "next", "last", "index", "zmsg.first", "zmsg.last"):
            return
        if out.ok and out.value is not None and isinstance(out.value, (list, tuple)):
            current = out.value[1] if op in ("pop", "zmsg.pop", "unwrap", "zmsg.unwrap") \
                else out.value
            if op in ("popstr", "zmsg.popstr"):
                current = out.value[1]
            if isinstance(current, list) and all(e.data is not None for e in entries):
                self.check(current == [e.data for e in entries], "after %s the Message holds %r, "
                           "expected %r" % (op, current, [e.data for e in entries]))

    @action(1)
    def corrupt_file(self, data):
        content = data.draw(st.one_of(
            st.binary(max_size=40),
            st.lists(st.binary(max_size=6), max_size=3).map(
                lambda fs: b"".join(len(f).to_bytes(8, sys.byteorder) + f for f in fs)),
            st.tuples(st.integers(0, 2 ** 64 - 1), st.binary(max_size=8)).map(
                lambda t: t[0].to_bytes(8, sys.byteorder) + t[1])))
        path = "TMP + '/c%d'" % next(self.ids)
        self.run("with open(%s, 'wb') as _f:\n    _f.write(%r)" % (path, content), expect="ok")
        self.files.append((path, _parse_saved(content)))

    @action(3, lambda self: self.messages_in("alive") and self.live_chans())
    def message_send(self, data):
        name = data.draw(st.sampled_from(sorted(self.messages_in("alive"))))
        rec = self.messages[name]
        chan = data.draw(st.sampled_from(self.live_chans()))
        sock = chan.ends[0]
        if chan.lossy[0] or sock.kind == "ROUTER" or sock.state == "recv" or \
                any(e.data is None for e in rec.entries):
            return
        how = data.draw(st.sampled_from(["%s.send_msg(%s)", "zmsg.send(%s, %s)", "%s.send(%s)"]))
        if how.startswith("zmsg"):
            code = "_ = zmsg.send(%s, %s)" % (name, sock.name)
        elif how.startswith("%s.send_msg"):
            code = "_ = %s.send_msg(%s)" % (sock.name, name)
        else:
            code = "_ = %s.send(%s)" % (name, sock.name)
        out = self.run(code, timeout=8)
        if not out.ok or out.value == -1:
            return
        rec.state = "sent"
        self.gone_views(rec)
        parts = [e.data for e in rec.entries]
        if parts:
            sock.out.extend(parts)
            chan.queues[0].append(sock.out)
            sock.out = []
            if sock.state == "send":
                sock.state = "recv"

    # -- zmq.Msg -------------------------------------------------------------------------------

    @action(2)
    def new_msg(self, data):
        name = self.name("G")
        payload = data.draw(payloads)
        how = data.draw(st.sampled_from(["zmq.msg_init()", "zmq.Msg()", "zmq.msg_init_data(None, %s)",
                                         "zmq.msg_init_size(None, %d)"]))
        if "%s" in how:
            expr, value = how % payload.expr, payload.data
        elif "%d" in how:
            size = len(payload.data) % 100
            expr, value = how % size, None
        else:
            expr, value = how, b""
        # msg_init_data takes buffers, not str (TypeError)
        out = self.run("%s = %s\n_ = %s.size()" % (name, expr, name),
                       expect=None if payload.text is not None else "ok")
        if out.ok:
            self.msgs[name] = value
            if value is not None:
                self.check(out.value == len(value), "a Msg of %d bytes has size %r"
                           % (len(value), out.value))

    @action(5, lambda self: self.msgs)
    def msg_op(self, data):
        name = data.draw(st.sampled_from(sorted(self.msgs)))
        other = data.draw(st.sampled_from(sorted(self.msgs)))
        op = data.draw(st.sampled_from(["bytes", "size", "more", "copy", "move", "close", "init",
                                        "view", "get", "set", "send", "recv", "len"]))
        value = self.msgs[name]
        if op == "view":
            view = self.name("V")
            out = self.run("%s = zmq.msg_data(%s)\n_ = bytes(%s)" % (view, name, view), expect="ok")
            if out.ok:
                self.views[view] = [None, out.value, False]
                self.msgs[name] = value       # (views block changes; see below)
                self.msg_views = getattr(self, "msg_views", {})
                self.msg_views.setdefault(name, []).append(view)
            return
        exported = any(not self.views.get(v, [0, 0, True])[2]
                       for v in getattr(self, "msg_views", {}).get(name, []))
        if op in ("send", "recv"):
            chans = self.live_chans()
            if not chans:
                return
            chan = data.draw(st.sampled_from(chans))
            side = 0 if op == "send" else 1
            sock = chan.ends[side]
            if chan.lossy[0] or sock.kind in ("ROUTER", "PUB", "XPUB", "SUB") or \
                    sock.state is not None or value is None:
                return
            flags = data.draw(st.sampled_from(["0", "zmq.DONTWAIT", "zmq.SNDMORE"])) \
                if op == "send" else data.draw(st.sampled_from(["0", "zmq.DONTWAIT"]))
            if op == "send":
                out = self.run("_ = zmq.msg_send(%s, %s, %s)" % (name, sock.name, flags), timeout=8)
                if exported:
                    self.check(out.isa("BufferError"), "msg_send of a Msg with views: %r" % out)
                    return
                if out.ok:
                    sock.out.append(value)
                    if flags != "zmq.SNDMORE":
                        chan.queues[0].append(sock.out)
                        sock.out = []
                    self.msgs[name] = b""
            else:
                out = self.run("_n = zmq.msg_recv(%s, %s, %s)\n_ = ('part', %s.bytes(), %s.more())"
                               % (name, sock.name, flags, name, name), allow=("Again",), timeout=8)
                if exported:
                    self.check(out.isa("BufferError"), "msg_recv into a Msg with views: %r" % out)
                    return
                if out.ok:
                    self.apply_received(chan, side, out.value)
                    self.msgs[name] = out.value[1]
                else:
                    self.msgs[name] = None      # libzmq empties it before it waits
            return
        code = {
            "bytes": "_ = %s.bytes()" % name, "size": "_ = zmq.msg_size(%s)" % name,
            "len": "_ = len(%s)" % name, "more": "_ = zmq.msg_more(%s)" % name,
            "copy": "zmq.msg_copy(%s, %s)\n_ = %s.bytes()" % (name, other, name),
            "move": "zmq.msg_move(%s, %s)\n_ = (%s.bytes(), %s.bytes())" % (name, other, name, other),
            "close": "zmq.msg_close(%s)\n_ = %s.bytes()" % (name, name),
            "init": "zmq.msg_init(%s)\n_ = %s.bytes()" % (name, name),
            "get": "_ = zmq.msg_get(%s, %s)" % (name, data.draw(st.sampled_from(
                ["zmq.MORE", "zmq.SHARED", "zmq.SRCFD", "99"]))),
            "set": "_ = zmq.msg_set(%s, zmq.MORE, 1)" % name,
        }[op]
        out = self.run(code)
        if op in ("copy", "move", "close", "init"):
            other_exported = any(not self.views.get(v, [0, 0, True])[2]
                                 for v in getattr(self, "msg_views", {}).get(other, []))
            if exported or (op == "move" and other_exported and other != name):
                if not out.ok:
                    return
            if not out.ok:
                return
            if op == "copy":
                self.msgs[name] = self.msgs[other]
            elif op == "move":
                if other != name:
                    self.msgs[name], self.msgs[other] = self.msgs[other], b""
            else:
                self.msgs[name] = b""
            if self.msgs[name] is not None and op != "move":
                self.check(out.value == self.msgs[name], "Msg %s: %r, expected %r"
                           % (op, out.value, self.msgs[name]))
            return
        if op in ("bytes", "size", "len") and value is not None and out.ok:
            expected = value if op == "bytes" else len(value)
            self.check(out.value == expected, "Msg %s is %r, expected %r" % (op, out.value, expected))

    # -- loops -----------------------------------------------------------------------------------

    @action(1)
    def new_loop(self, data):
        name = self.name("L")
        how = data.draw(st.sampled_from(["Loop()", "zloop.new()"]))
        out = self.run("%s = %s" % (name, how), expect="ok")
        if out.ok:
            self.loops[name] = {"alive": True, "readers": [], "timers": 0}

    def handler_actions(self, data, loop):
        """Code a handler runs on some call: adds and ends readers, pollers, timers."""
        actions = []
        for _ in range(data.draw(st.integers(0, 3))):
            call = data.draw(st.integers(1, 3))
            socks = self.live_socks()
            choice = data.draw(st.sampled_from([
                "loop.reader_end(sock)", "ret = -1", "raise ValueError('stop from a handler')",
                "loop.timer(1, 1, timer_handler([]))", "tid", "reader", "poller",
                "loop.set_ticket_delay(5); loop.ticket(timer_handler([]))", "gc.collect()",
                "loop.reader_set_tolerant(sock)", "zloop.timer_end(loop, 9999)",
                "loop.destroy()", "sock.close()", "L_other"]))
            if choice == "tid":
                choice = "loop.timer_end(T%d)" % data.draw(st.integers(0, 2))
            elif choice in ("reader", "poller") and socks:
                other = data.draw(st.sampled_from(socks))
                if choice == "reader":
                    choice = "loop.reader(%s, reader_handler([]))" % other.name
                else:
                    choice = ("loop.poller(zmq.pollitem(socket=%s, events=zmq.POLLIN), "
                              "poller_handler([]))" % other.name)
            elif choice in ("reader", "poller"):
                continue
            elif choice == "sock.close()":
                # Close a socket (or destroy a Context) from inside a handler.  Whether
                # the handler runs is not known here: the model forgets the socket now.
                free = [s_ for s_ in self.free_socks() if not s_.monitor]
                if data.draw(st.booleans()) and free:
                    victim = data.draw(st.sampled_from(free))
                    choice = "%s.close()" % victim.name
                    victim.gone = True
                    self.sock_closed(victim)
                else:
                    ctxs = [c for c in self.live_ctxs() if not c.own]
                    if not ctxs:
                        continue
                    ctx = data.draw(st.sampled_from(ctxs))
                    choice = "%s.destroy()" % ctx.name
                    self.ctx_gone(ctx)
            elif choice == "L_other":
                others = [n for n, l in self.loops.items() if l["alive"] and n != loop]
                if not others:
                    continue
                choice = "%s.timer(1, 1, timer_handler([]))" % data.draw(st.sampled_from(others))
            actions.append((call, choice))
        return actions

    @action(4, lambda self: any(l["alive"] for l in self.loops.values()))
    def loop_add(self, data):
        name = data.draw(st.sampled_from(sorted(n for n, l in self.loops.items() if l["alive"])))
        loop = self.loops[name]
        what = data.draw(st.sampled_from(["reader", "timer", "poller_fd", "poller_socket",
                                          "reader_end", "timer_end", "ticket", "tolerant"]))
        actions = self.handler_actions(data, name)
        socks = self.live_socks()
        if what in ("reader", "poller_socket", "reader_end", "tolerant") and not socks:
            return
        if what == "reader":
            sock = data.draw(st.sampled_from(socks))
            how = data.draw(st.sampled_from(["%s.reader(%s, %s)", "zloop.reader(%s, %s, %s)"]))
            handler = "reader_handler(%r)" % (actions,)
            if how.startswith("zloop"):
                code = "zloop.reader(%s, %s, %s)" % (name, sock.name, handler)
            else:
                code = "%s.reader(%s, %s)" % (name, sock.name, handler)
            out = self.run(code)
            if out.ok:
                loop["readers"].append(sock)
        elif what == "timer":
            delay = data.draw(st.sampled_from([0, 1, 5, 30]))
            times = data.draw(st.sampled_from([1, 2, 0]))
            tid = "T%d" % data.draw(st.integers(0, 2))
            self.run("%s = %s.timer(%d, %d, timer_handler(%r))" % (tid, name, delay, times, actions))
        elif what == "poller_fd":
            self.run("_r, _w = os.pipe(); os.write(_w, b'x')\n"
                     "%s.poller(zmq.pollitem(fd=_r, events=zmq.POLLIN), fd_handler(%r))"
                     % (name, actions))
        elif what == "poller_socket":
            sock = data.draw(st.sampled_from(socks))
            out = self.run("%s.poller(zmq.pollitem(socket=%s, events=zmq.POLLIN), "
                           "poller_handler(%r))" % (name, sock.name, actions))
            if out.ok:
                loop["readers"].append(sock)
        elif what == "reader_end":
            sock = data.draw(st.sampled_from(socks))
            self.run("%s.reader_end(%s)" % (name, sock.name))
        elif what == "tolerant":
            sock = data.draw(st.sampled_from(socks))
            self.run("%s.reader_set_tolerant(%s)" % (name, sock.name))
        elif what == "timer_end":
            self.run("%s.timer_end(T%d)" % (name, data.draw(st.integers(0, 2))), allow=("NameError",))
        else:
            self.run("%s.set_ticket_delay(%d)\n_tk = %s.ticket(timer_handler(%r))\n%s"
                     % (name, data.draw(st.sampled_from([1, 10])), name, actions,
                        data.draw(st.sampled_from(["", "_tk.reset()", "_tk.delete()",
                                                   "%s.ticket_delete(_tk)" % name]))))

    @action(3, lambda self: any(l["alive"] for l in self.loops.values()))
    def loop_run(self, data):
        name = data.draw(st.sampled_from(sorted(n for n, l in self.loops.items() if l["alive"])))
        stop = data.draw(st.sampled_from([5, 30, 80]))
        nonstop = data.draw(st.booleans())
        how = data.draw(st.sampled_from(["%s.start()", "zloop.start(%s)"])) % name
        self.run("GOT.clear()\n%s%s.timer(%d, 1, lambda loop, timer_id, arg: -1)\n_ = %s"
                 % ("%s.set_nonstop(True)\n" % name if nonstop else "", name, stop, how),
                 allow=("RuntimeError", "NameError"), timeout=10)
        out = self.run("_ = list(GOT)\nGOT.clear()", expect="ok")
        if not out.ok:
            return
        for sock_name, parts in out.value:
            for sock in self.socks:
                if sock.name == sock_name and sock.chan is not None and not sock.chan.broken:
                    if parts == "again" or sock.kind == "XPUB":
                        continue        # (an XPUB receives subscriptions: not modelled)
                    self.apply_received(sock.chan, sock.side, ("whole", parts))

    @action(1, lambda self: any(l["alive"] for l in self.loops.values()))
    def loop_destroy(self, data):
        name = data.draw(st.sampled_from(sorted(n for n, l in self.loops.items() if l["alive"])))
        how = data.draw(st.sampled_from(["%s.destroy()", "zloop.destroy(%s)", "with %s:\n    pass"]))
        self.run(how % name, expect="ok")
        self.loops[name]["alive"] = False
        self.run("%s.timer(1, 1, timer_handler([]))" % name, expect="ClosedError")

    # -- pollers ---------------------------------------------------------------------------------

    @action(2, lambda self: self.live_socks())
    def new_poller(self, data):
        name = self.name("P")
        socks = data.draw(st.lists(st.sampled_from(self.live_socks()), max_size=3, unique=True))
        how = data.draw(st.sampled_from(["Poller", "zpoller.new"]))
        out = self.run("%s = %s(%s)" % (name, how, ", ".join(s.name for s in socks)), expect="ok")
        if out.ok:
            self.pollers[name] = {"alive": True, "socks": socks}

    @action(3, lambda self: any(p["alive"] for p in self.pollers.values()))
    def poller_op(self, data):
        name = data.draw(st.sampled_from(sorted(n for n, p in self.pollers.items() if p["alive"])))
        poller = self.pollers[name]
        op = data.draw(st.sampled_from(["wait", "wait", "add", "remove", "expired", "terminated",
                                        "nonstop", "destroy", "sockets", "zwait"]))
        socks = self.live_socks()
        if op in ("wait", "zwait"):
            timeout = data.draw(st.sampled_from([0, 1, 20]))
            call = "%s.wait(%d)" % (name, timeout) if op == "wait" else \
                "zpoller.wait(%s, %d)" % (name, timeout)
            out = self.run("_ = %s" % call, timeout=8)
            if out.ok and out.value is not None:
                names = ["<socket %s>" % s.name for s in poller["socks"]]
                self.check(out.value in names, "Poller.wait returned %r, not one of %r"
                           % (out.value, names))
        elif op in ("add", "remove") and socks:
            sock = data.draw(st.sampled_from(socks))
            out = self.run("%s.%s(%s)" % (name, op, sock.name))
            if out.ok and op == "add" and sock not in poller["socks"]:
                poller["socks"].append(sock)
            if out.ok and op == "remove" and sock in poller["socks"]:
                poller["socks"].remove(sock)
        elif op == "destroy":
            self.run("%s.destroy()" % name, expect="ok")
            poller["alive"] = False
            self.run("%s.wait(0)" % name, expect="ClosedError")
        else:
            code = {"expired": "_ = %s.expired()", "terminated": "_ = %s.terminated()",
                    "nonstop": "%s.set_nonstop(True)", "sockets": "_ = %s.sockets",
                    "add": "_ = %s.expired()", "remove": "_ = %s.expired()"}[op] % name
            self.run(code)

    # -- zmq: poll, monitor, proxy, misc ------------------------------------------------------

    @action(2, lambda self: self.live_socks())
    def zmq_poll(self, data):
        socks = data.draw(st.lists(st.sampled_from(self.live_socks()), min_size=1, max_size=3))
        items = ", ".join("zmq.pollitem(socket=%s, events=%s)" % (
            s.name, data.draw(st.sampled_from(["zmq.POLLIN", "zmq.POLLOUT",
                                               "zmq.POLLIN | zmq.POLLOUT", "0"])))
            for s in socks)
        if data.draw(st.booleans()):
            items += ", zmq.pollitem(fd=_pr, events=zmq.POLLIN)"
        timeout = data.draw(st.sampled_from([0, 5, 20]))
        self.run("_pr, _pw = os.pipe()\n_items = [%s]\n_ = (zmq.poll(_items, %d), "
                 "[i.revents for i in _items])\nos.close(_pr); os.close(_pw)" % (items, timeout),
                 timeout=8)

    @action(2, lambda self: self.free_socks())
    def monitor(self, data):
        sock = data.draw(st.sampled_from(self.free_socks()))
        if sock.monitor:
            code = "zmq.socket_monitor(%s, None)" % sock.name
            self.run(code)
            sock.monitor = False
            return
        reader = self.name("S")
        ep = "inproc://mon%d" % next(self.ids)
        events = data.draw(st.sampled_from(["zmq.EVENT_ALL", "zmq.EVENT_CONNECTED", "0", "-1"]))
        ctx = sock.ctx
        lines = ["zmq.socket_monitor(%s, %r, %s)" % (sock.name, ep, events)]
        lines.append("%s = %s.socket('PAIR'); NAMES[id(%s)] = %r" % (reader, ctx.name, reader,
                                                                    reader))
        lines.append("%s.rcvtimeo = 20; %s.sndtimeo = 20" % (reader, reader))
        lines.append("%s.connect(%r)" % (reader, ep))
        out = self.run("\n".join(lines))
        if out.ok:
            sock.monitor = True
            sock.reader = self.add_sock(reader, ctx, "PAIR")

    @action(2, lambda self: self.free_socks())
    def monitor_event(self, data):
        sock = data.draw(st.sampled_from(self.free_socks()))
        self.run("_ = zmq.recv_monitor_event(%s, zmq.DONTWAIT)" % sock.name)

    @action(1, lambda self: any(not c.own for c in self.live_ctxs()))
    def proxy(self, data):
        """zmq.proxy in a thread, traffic through it, then Context.destroy() ends it."""
        pairs = [("PULL", "PUSH"), ("XSUB", "XPUB"), ("DEALER", "DEALER"), ("PULL", "PAIR")]
        pairs += [("ROUTER", "DEALER"), ("STREAM", "DEALER")]
        front, back = data.draw(st.sampled_from(pairs))
        k = next(self.ids)
        capture = data.draw(st.booleans())
        traffic = data.draw(st.booleans())
        capture_kind = data.draw(st.sampled_from(["PUB", "PUSH", "PAIR"]))
        code = """
            _pc = Context()
            _f = _pc.socket(%r); _b = _pc.socket(%r)
            _f.bind('inproc://pf%d'); _b.bind('inproc://pb%d')
            _cap = None
            if %r:
                _cap = _pc.socket(%r); _cap.bind('inproc://pc%d')
            _t, _box = run_thread(lambda: zmq.proxy(_f, _b, _cap))
            _got = None
            if %r and %r == 'PULL':
                _in = _pc.socket('PUSH'); _in.connect('inproc://pf%d')
                _out = _pc.socket('PULL'); _out.connect('inproc://pb%d'); _out.rcvtimeo = 2000
                _in.send(b'through the proxy')
                _got = _out.recv_bytes() if %r == 'PUSH' else None
            time.sleep(0.01)
            _pc.destroy()
            join(_t)
            _ = (_got, _box[0][0])
        """ % (front, back, k, k, capture, capture_kind, k, traffic, front, k, k, back)
        out = self.run(code, timeout=20, allow=("Finding",))
        if out.isa("Finding"):
            self.fail("hang", "step %d: %s" % (self.n, out.msg), self.child.output("stderr"))
        if out.ok and traffic and front == "PULL" and back == "PUSH":
            self.check(out.value[0] == b"through the proxy", "the proxy delivered %r"
                       % (out.value,))

    @action(2)
    def zmq_misc(self, data):
        code = data.draw(st.sampled_from([
            "_ = zmq.z85_decode(zmq.z85_encode(%r)) == %r" % ((b"\x01\x02\x03\x04",) * 2),
            "_ = zmq.z85_encode(b'abc')", "_ = zmq.z85_decode('abcd')",
            "_ = zmq.z85_decode('\\x00\\x01\\x02\\x03\\x04')", "_ = zmq.z85_decode(b'~~~~~')",
            "_ = len(zmq.curve_keypair())", "_ = zmq.has('curve')", "_ = zmq.has('bogus')",
            "_ = zmq.has(5)", "_ = zmq.version()", "_ = zmq.strerror(%d)" % data.draw(
                st.sampled_from([0, 11, EFSM, -1, 2 ** 31 - 1])),
            "_ = zmq.errno()", "_ = zmq.z86_decode(zmq.z85_encode(b'\\0' * 8))",
            "_ = zmq.pollitem(fd=-1, events=zmq.POLLIN)",
            "_ = zmq.poll([], 0)", "_ = zmq.poll([zmq.pollitem(fd=9999, events=zmq.POLLIN)], 0)",
            "_ = zmq.z85_encode(bytearray(8))", "_ = zmq.z85_encode(memoryview(b'12345678')[::2])",
            "_ = pyczmq.czmq_version()", "_ = pyczmq.zmq_version()",
        ]))
        self.run(code)

    # -- certificates, stores, authentication ----------------------------------------------------

    @action(2)
    def new_cert(self, data):
        name = self.name("X")
        how = data.draw(st.sampled_from(["Cert()", "zcert.new()", "pair", "public", "mismatch",
                                         "short", "load", "dup", "binary"]))
        code = {
            "Cert()": "%s = Cert()", "zcert.new()": "%s = zcert.new()",
            "pair": "_pub, _sec = zmq.curve_keypair()\n%s = Cert.new_from(_pub, _sec)",
            "public": "_pub, _sec = zmq.curve_keypair()\n%s = Cert.new_from(_pub)",
            "mismatch": "%s = Cert.new_from(zmq.curve_keypair()[0], zmq.curve_keypair()[1])",
            "short": "%s = Cert.new_from(b'x' * 31, b'y' * 33)",
            "binary": "%s = zcert.new_from(bytes(range(32)), bytes(32))",
        }.get(how)
        if how == "load":
            if not self.cert_files:
                return
            code = "%%s = Cert.load(%s)" % data.draw(st.sampled_from(self.cert_files))
        if how == "dup":
            alive = [n for n, s in self.certs.items() if s == "alive"]
            if not alive:
                return
            code = "%%s = %s.dup()" % data.draw(st.sampled_from(alive))
        out = self.run(code % name, allow=("OSError",))
        if out.ok:
            self.certs[name] = "alive"

    @action(4, lambda self: self.certs)
    def cert_op(self, data):
        name = data.draw(st.sampled_from(sorted(self.certs)))
        state = self.certs[name]
        op = data.draw(st.sampled_from([
            "public_key", "secret_key", "public_txt", "secret_txt", "has_secret", "set_meta",
            "meta", "meta_keys", "metadata", "save", "save_public", "save_secret", "apply",
            "print", "destroy", "eq", "hash", "repr", "round_trip", "zcert.public_txt",
            "zcert.set_meta", "zcert.save", "zcert.destroy", "zcert.apply", "zcert.meta_keys"]))
        meta_name = data.draw(st.sampled_from(["name", "x" * 300, "bad name", "", "a=b", "\u00e9",
                                               "$-_@.&+/", "k\n"]))
        meta_value = data.draw(st.sampled_from(["v", "", "with \"quote", "line\nbreak",
                                                "\u00e9\u00e9", "#", "x" * 600, 5]))
        path = "TMP + '/cert%d'" % next(self.ids)
        socks = self.live_socks()
        target = data.draw(st.sampled_from(socks)).name if socks else "None"
        code = {
            "public_key": "_ = %s.public_key", "secret_key": "_ = %s.secret_key",
            "public_txt": "_ = %s.public_txt", "secret_txt": "_ = %s.secret_txt",
            "has_secret": "_ = %s.has_secret",
            "set_meta": "%%s.set_meta(%r, %r)" % (meta_name, meta_value),
            "zcert.set_meta": "zcert.set_meta(%%s, %r, %r)" % (meta_name, meta_value),
            "meta": "_ = %%s.meta(%r)" % meta_name, "meta_keys": "_ = %s.meta_keys()",
            "zcert.meta_keys": "_ = zcert.meta_keys(%s)", "metadata": "_ = %s.metadata",
            "save": "%%s.save(%s)" % path, "zcert.save": "_ = zcert.save(%%s, %s)" % path,
            "save_public": "%%s.save_public(%s)" % path,
            "save_secret": "%%s.save_secret(%s)" % path,
            "apply": "%%s.apply(%s)" % target, "zcert.apply": "zcert.apply(%%s, %s)" % target,
            "print": "%s.print()", "destroy": "%s.destroy()", "zcert.destroy": "zcert.destroy(%s)",
            "eq": "_ = %%s == %s" % data.draw(st.sampled_from(sorted(self.certs))),
            "hash": "_ = hash(%s)", "repr": "_ = repr(%s)",
            "zcert.public_txt": "_ = zcert.public_txt(%s)",
            "round_trip": "%%s.save(%s)\n_x = Cert.load(%s)\n_ = (_x.public_txt == %%s.public_txt, "
                          "_x.metadata == %%s.metadata, _x.metadata, %%s.metadata)" % (path, path),
        }[op]
        if op in ("apply", "zcert.apply") and target == "None":
            op, code = "repr", "_ = repr(%s)"
        if op == "apply" or op == "zcert.apply":
            sock = [s for s in socks if s.name == target]
            if sock:
                self.break_chan(sock[0])
        out = self.run(code.replace("%s", name), allow=("OSError", "AttributeError"))
        if state in ("destroyed",) and op not in ("repr", "hash", "eq", "destroy", "zcert.destroy"):
            # (arguments may be checked first: ValueError/TypeError)
            self.check(out.isa("ClosedError") or out.isa("ValueError") or out.isa("TypeError"),
                       "%s on a destroyed Cert: %r" % (op, out))
            return
        if out.ok and op in ("save", "zcert.save", "save_public", "save_secret", "round_trip"):
            self.cert_files.append(path)
            if op == "save_secret":
                self.cert_files.append(path + " + '_secret'")
        if out.ok and op == "round_trip":
            self.check(out.value[0] and out.value[1], "a saved Cert loads back different: "
                       "metadata %r became %r" % (out.value[3], out.value[2]))
        if out.ok and op in ("destroy", "zcert.destroy"):
            self.certs[name] = "destroyed"

    @action(1)
    def corrupt_cert_file(self, data):
        path = "TMP + '/badcert%d'" % next(self.ids)
        content = data.draw(st.one_of(
            st.binary(max_size=60),
            st.sampled_from([
                b"metadata\ncurve\n    public-key = \"short\"\n",
                b"curve\n    public-key = \"" + b"x" * 40 + b"\"\n",
                b"metadata\n    name = \"unterminated\ncurve\n",
                b"curve\n    public-key = \"rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7\"\n"
                b"    secret-key = \"JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6\"\n",
                b"\xff\xfe\n", b"    indented first\n", b"a\n" * 200,
            ])))
        self.run("with open(%s, 'wb') as _f:\n    _f.write(%r)" % (path, content), expect="ok")
        self.cert_files.append(path)
        how = data.draw(st.sampled_from(["Cert.load(%s)", "zcert.load(%s)",
                                         "CertStore(os.path.dirname(%s)).keys()"]))
        self.run("_ = %s" % (how % path), allow=("OSError",))

    @action(1)
    def new_store(self, data):
        name = self.name("K")
        how = data.draw(st.sampled_from(["CertStore()", "CertStore(TMP)", "zcertstore.new(None)",
                                         "CertStore(TMP + '/nofolder')", "CertStore(5)"]))
        out = self.run("%s = %s" % (name, how), allow=("OSError",))
        if out.ok:
            self.stores[name] = {"alive": True}

    @action(2, lambda self: any(s["alive"] for s in self.stores.values()))
    def store_op(self, data):
        name = data.draw(st.sampled_from(sorted(n for n, s in self.stores.items() if s["alive"])))
        certs = sorted(self.certs)
        cert = data.draw(st.sampled_from(certs)) if certs else "Cert()"
        op = data.draw(st.sampled_from(["insert", "zinsert", "lookup", "lookup_bad", "keys",
                                        "len", "in", "print", "destroy", "zlookup", "dump"]))
        code = {
            "insert": "%s.insert(%s)" % (name, cert),
            "zinsert": "zcertstore.insert(%s, %s)" % (name, cert),
            "lookup": "_c = %s.lookup(%s.public_txt)\n_ = None if _c is None else _c.public_txt"
                      % (name, cert),
            "zlookup": "_c = zcertstore.lookup(%s, %s.public_txt)\n_ = _c is None" % (name, cert),
            "lookup_bad": "_ = %s.lookup('nope')" % name, "keys": "_ = %s.keys()" % name,
            "len": "_ = len(%s)" % name, "in": "_ = %s.public_txt in %s" % (cert, name),
            "print": "%s.print()" % name, "destroy": "%s.destroy()" % name,
            "dump": "zcertstore.dump(%s)" % name,
        }[op]
        out = self.run(code, allow=("AttributeError", "OSError"))
        if out.ok and op in ("insert", "zinsert") and cert in self.certs:
            self.certs[cert] = "stored"
        if op == "destroy" and out.ok:
            self.stores[name]["alive"] = False
            for n, s in self.certs.items():
                if s == "stored":
                    self.certs[n] = "unknown"

    @action(2, lambda self: any(not c.own for c in self.live_ctxs()))
    def auth_actor(self, data):
        if self.auth is None or data.draw(st.booleans()) and self.auth is None:
            ctx = data.draw(st.sampled_from(self.live_ctxs()))
            name = self.name("A")
            stores = [n for n, s in self.stores.items() if s["alive"]]
            how = data.draw(st.sampled_from(["Auth(%s)", "zauth.new(%s)", "Auth(%s, certstore=%s)"]))
            if "certstore" in how:
                if not stores:
                    return
                code = how % (ctx.name, data.draw(st.sampled_from(stores)))
            else:
                code = how % ctx.name
            out = self.run("%s = %s" % (name, code), timeout=10)
            if ctx.own:
                self.check(not out.ok, "Auth of an own context was accepted")
            if out.ok:
                self.auth = name
                self.auth_ctx = ctx
            return
        op = data.draw(st.sampled_from(["allow", "deny", "curve_any", "curve_folder", "plain",
                                        "verbose", "destroy", "second", "zallow"]))
        code = {
            "allow": "%s.allow('127.0.0.1', '10.0.0.1')",
            "zallow": "zauth.allow(%s, '127.0.0.1')",
            "deny": "%s.deny('192.168.1.1')",
            "curve_any": "%s.configure_curve('*', '*')",
            "curve_folder": "%s.configure_curve('*', TMP)",
            "plain": "open(TMP + '/passwords', 'w').write('admin=secret\\n')\n"
                     "%s.configure_plain('*', TMP + '/passwords')",
            "verbose": "%s.set_verbose(False)",
            "destroy": "%s.destroy()",
            "second": "Auth()",
        }[op]
        if op == "second":
            out = self.run("_a2 = Auth()", timeout=10)
            self.check(out.isa("ZMQError"), "a second Auth was allowed: %r" % out)
            return
        out = self.run(code.replace("%s", self.auth), timeout=10)
        if op == "destroy" and out.ok:
            self.auth = None

    # -- garbage, threads, fork ----------------------------------------------------------------

    def deletable(self):
        names = [s.name for s in self.live_socks()]
        names += list(self.frames) + list(self.messages) + list(self.msgs) + list(self.certs)
        names += [n for n, l in self.loops.items()] + list(self.pollers)
        return names

    def forget(self, name):
        for sock in self.socks:
            if sock.name == name:
                sock.gone = True
                self.sock_closed(sock)
        self.frames.pop(name, None)     # (a borrowed Frame lives on in its Message)
        self.messages.pop(name, None)
        self.msgs.pop(name, None)
        self.certs.pop(name, None)
        if name in self.loops:
            self.loops[name]["alive"] = False
            self.loops.pop(name)
        self.pollers.pop(name, None)

    @action(3, lambda self: self.deletable())
    def collect(self, data):
        names = data.draw(st.lists(st.sampled_from(self.deletable()), min_size=1, max_size=3,
                                   unique=True))
        cycle = data.draw(st.booleans())
        if cycle:
            code = "_c = [%s]\n_c.append(_c)\ndel %s, _c\n_ = gc.collect() >= 0" % (
                ", ".join(names), ", ".join(names))
        else:
            code = "del %s\n_ = gc.collect() >= 0" % ", ".join(names)
        self.run(code, expect="ok", timeout=10)
        for name in names:
            self.forget(name)

    @action(1)
    def collect_only(self, data):
        self.run("_ = gc.collect() >= 0", expect="ok", timeout=10)

    @action(2, lambda self: self.live_chans())
    def second_thread(self, data):
        """A thread receives on a channel's socket while this one uses it too."""
        chan = data.draw(st.sampled_from(self.live_chans()))
        side = 1 if chan.pattern[0] in ("PUB", "XPUB", "PUSH") else data.draw(st.sampled_from([0, 1]))
        sock = chan.ends[side]
        if sock.state == "send" or sock.cur is not None:
            return
        ops = data.draw(st.lists(st.sampled_from([
            "%s.poll(0)", "%s.rcvtimeo", "%s.events", "%s.send(b'from main')",
            "%s.recv_bytes(zmq.DONTWAIT)", "%s.linger", "repr(%s)", "%s.close()"]),
            min_size=1, max_size=3))
        ops = [op for op in ops if op not in ("%s.close()",)]
        code = ("_t, _box = run_thread(lambda: %s.recv_multipart())\n"
                "_r = [outcome_of(lambda: %s) for _op in [0]]\n"
                % (sock.name, ops[0] % sock.name if ops else "None"))
        code += "join(_t)\n_ = (_box[0], _r)"
        out = self.run(code, allow=("Finding",), timeout=15)
        if out.isa("Finding"):
            self.fail("hang", "step %d: %s" % (self.n, out.msg), self.child.output("stderr"))
        if not out.ok:
            chan.broken = True
            return
        results = [out.value[0]] + list(out.value[1])
        for result in results:
            if result[0] == "raised":
                names = result[1]
                if any(n in names for n in NEVER) or not any(n in names for n in DOCUMENTED):
                    self.fail("undocumented exception", "step %d: a thread got %s: %s"
                              % (self.n, names[0], result[2]))
        if ops and ("send(" in ops[0] or "recv_bytes" in ops[0]):
            chan.broken = True      # which call got the socket first is not modelled
            return
        thread = out.value[0]
        if thread[0] == "ok":
            self.apply_received(chan, side, ("whole", thread[1]))

    @action(1, lambda self: self.live_ctxs())
    def fork(self, data):
        """os.fork(): the child uses pyczmq (its own sockets; the parent's raise)."""
        body = data.draw(st.lists(st.sampled_from(["own", "parent_socket", "gc", "frames",
                                                   "own_ctx", "close_parent", "parent_frame"]),
                                  min_size=1, max_size=3))
        ending = data.draw(st.sampled_from(["os._exit(0)", "sys.exit(0)"]))
        lines = []
        socks = self.live_socks()
        for part in body:
            if part == "own":
                lines.append("_c = Context(); _a = _c.socket('PAIR'); _b = _c.socket('PAIR')\n"
                             "_a.bind('inproc://forked'); _b.connect('inproc://forked')\n"
                             "_a.send(b'in the child')\n"
                             "if _b.recv_bytes() != b'in the child': os._exit(5)\n_c.destroy()")
            elif part == "own_ctx":
                lines.append("_o = zmq.ctx_new(); _s = zmq.socket(_o, zmq.PUSH); _s.linger = 0\n"
                             "_s.bind('inproc://forked-own'); _s.close(); zmq.ctx_term(_o)")
            elif part in ("parent_socket", "close_parent") and socks:
                sock = data.draw(st.sampled_from(socks))
                if part == "parent_socket":
                    lines.append("try:\n    %s.send(b'x')\nexcept ClosedError:\n    pass\n"
                                 "else:\n    os._exit(6)" % sock.name)
                else:
                    # close() of a parent's socket in a child forgets it quietly (the
                    # README says it raises ClosedError): either is accepted here.
                    lines.append("try:\n    %s.close()\nexcept ClosedError:\n    pass"
                                 % sock.name)
            elif part == "gc":
                lines.append("gc.collect()")
            elif part == "frames":
                lines.append("_m = Message(b'a', Frame(b'b')); _m.pop(); _m.dup().destroy()")
            elif part == "parent_frame" and self.frames:
                lines.append("try:\n    _ = %s.bytes()\nexcept ClosedError:\n    pass"
                             % data.draw(st.sampled_from(sorted(self.frames))))
        code = ("_pid = os.fork()\nif _pid == 0:\n    try:\n%s\n    except BaseException:\n"
                "        traceback.print_exc()\n        os._exit(3)\n    %s\n"
                "_ = wait_child(_pid, 10)" % (_indent("\n".join(lines) or "pass", " " * 8), ending))
        out = self.run(code, expect="ok", timeout=15)
        if out.ok:
            if out.value == "hung":
                self.fail("hang", "step %d: the forked child did not end within 10 s" % self.n)
            self.check(out.value == 0, "the forked child ended with %r (3: an exception, 5: "
                       "a wrong message, 6: a parent's socket usable; negative: a signal)"
                       % (out.value,), self.child.output("stderr") if self.child else "")


# The child's helpers for loop handlers: the loop rules use them.
_HANDLERS = r'''
T0 = T1 = T2 = -1       # timer ids the loop steps keep



def _act(actions, calls, space):
    for when, code in actions:
        if when == calls:
            exec(code, globals(), space)
    return space.get("ret", 0)


def reader_handler(actions):
    """A loop reader: receives one message into GOT, then runs its actions."""
    calls = [0]
    def handler(loop, sock, arg):
        calls[0] += 1
        try:
            parts = sock.recv_multipart(zmq.DONTWAIT)
        except pyczmq.Again:
            parts = "again"
        GOT.append((NAMES.get(id(sock)), parts))
        return _act(actions, calls[0], {"loop": loop, "sock": sock})
    return handler


def poller_handler(actions):
    calls = [0]
    def handler(loop, item, arg):
        calls[0] += 1
        return _act(actions, calls[0], {"loop": loop, "sock": item.socket})
    return handler


def fd_handler(actions):
    calls = [0]
    def handler(loop, item, arg):
        calls[0] += 1
        os.read(item.fd, 1)
        loop.poller_end(item)
        return _act(actions, calls[0], {"loop": loop, "sock": None})
    return handler


def timer_handler(actions):
    calls = [0]
    def handler(loop, timer_id, arg):
        calls[0] += 1
        return _act(actions, calls[0], {"loop": loop, "sock": None})
    return handler
'''


# Add the handler helpers to both the prelude (reproducers) and the worker.
PRELUDE = PRELUDE + _HANDLERS
WORKER = WORKER.replace("\nimport json as _json\n", _HANDLERS + "\nimport json as _json\n", 1)


# -- running ---------------------------------------------------------------------------------

def machine_settings(examples, step_count, derandomize=False, shrink=True):
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(max_examples=examples, stateful_step_count=step_count, deadline=None,
                    derandomize=derandomize, database=None, phases=phases,
                    suppress_health_check=list(HealthCheck), report_multiple_bugs=False,
                    print_blob=False)


def findings_of(error):
    """The Finding(s) inside what Hypothesis raised."""
    if isinstance(error, Finding):
        return [error]
    found = []
    for inner in getattr(error, "exceptions", ()) or ():
        found += findings_of(inner)
    if isinstance(error.__cause__, BaseException):
        found += findings_of(error.__cause__)
    if isinstance(error.__context__, BaseException) and not found:
        found += findings_of(error.__context__)
    return found


def limit_shrinking(seconds):
    """Hypothesis shrinks a failure for up to 5 minutes; a hang costs a step
    timeout per try, so the runner gives it less (an internal knob: ignored
    if it is gone)."""
    try:
        from hypothesis.internal.conjecture import engine
    except ImportError:
        return
    if hasattr(engine, "MAX_SHRINKING_SECONDS"):
        engine.MAX_SHRINKING_SECONDS = seconds


def run_batch(seed_value, examples, step_count, shrink=True, derandomize=False):
    """Run one batch of examples; returns the Findings (at most one: Hypothesis
    stops at the first failure, shrunk)."""
    machine = type("PyczmqMachineSeeded", (PyczmqMachine,), {})
    if seed_value is not None and not derandomize:
        machine = hypothesis_seed(seed_value)(machine)
    del SEEN[:]
    try:
        run_state_machine_as_test(machine, settings=machine_settings(
            examples, step_count, derandomize=derandomize, shrink=shrink))
    except Exception as error:      # noqa: BLE001 - anything a failing example raises
        found = findings_of(error)
        if not found and SEEN:
            # Hypothesis gave up (a timing-dependent failure made shrinking see
            # different draws: Flaky*): report the shortest example that failed
            # the way the first one did.
            kind = SEEN[0].signature()
            found = sorted((f for f in SEEN if f.signature() == kind), key=lambda f: f.steps)
            found[0].flaky = "%s: %s" % (type(error).__name__, str(error).splitlines()[0])
        if not found and "Flaky" in type(error).__name__:
            # No finding: an example that began like an earlier one drew
            # differently (steps' outcomes depend on timing).  The batch ends.
            STATS["flaky batches"] += 1
            return []
        if not found:
            raise
        return found[:1]
    return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=2000, help="steps to run in all")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: random)")
    parser.add_argument("--step-count", type=int, default=40, help="steps per example at most")
    parser.add_argument("--batch", type=int, default=25, help="examples per Hypothesis run")
    parser.add_argument("--no-shrink", action="store_true", help="report findings unshrunk")
    parser.add_argument("--out", default=None, help="folder for the reproducers of findings")
    parser.add_argument("--stats", action="store_true", help="print steps per rule and outcome")
    parser.add_argument("--shrink-seconds", type=int, default=90,
                        help="time Hypothesis may spend shrinking one finding")
    parser.add_argument("--drop-known", default="",
                        help="comma-separated KNOWN keys to stop steering away from (to "
                             "check that the machine finds them)")
    args = parser.parse_args(argv)
    limit_shrinking(args.shrink_seconds)
    for key in filter(None, args.drop_known.split(",")):
        KNOWN.pop(key)
    first_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    out_dir = args.out or tempfile.mkdtemp(prefix="pyczmq-fuzz-findings-")
    os.makedirs(out_dir, exist_ok=True)
    started = time.monotonic()
    findings = collections.OrderedDict()    # signature -> (count, first Finding, file)
    batch = 0
    print("pyczmq stateful fuzz: %d steps from seed %d; known defects steered away from: %d"
          % (args.steps, first_seed, len(KNOWN)), flush=True)
    while STATS["steps"] < args.steps:
        seed_value = first_seed + batch
        batch += 1
        for finding in run_batch(seed_value, args.batch, args.step_count, not args.no_shrink):
            key = finding.signature()
            if key in findings:
                count, first, path = findings[key]
                findings[key] = (count + 1, first, path)
                continue
            path = os.path.join(out_dir, "finding-%d.py" % (len(findings) + 1))
            with open(path, "w") as handle:
                handle.write(finding.script)
            with open(path[:-3] + ".txt", "w") as handle:
                handle.write(str(finding))
            findings[key] = (1, finding, path)
            print("FINDING (seed %d) %s\n  reproducer: %s" % (seed_value, key, path), flush=True)
        print("  %d steps, %d examples, %.0f s" % (STATS["steps"], STATS["examples"],
                                                    time.monotonic() - started), flush=True)
    elapsed = time.monotonic() - started
    print("\nran %d steps in %d examples (%d batches, seeds %d-%d) in %.0f s (%.1f steps/s)"
          % (STATS["steps"], STATS["examples"], batch, first_seed, first_seed + batch - 1,
             elapsed, STATS["steps"] / max(elapsed, 1e-9)))
    if STATS["flaky batches"]:
        print("%d batch(es) ended early: an example drew differently from an earlier one with "
              "the same start (timing-dependent outcomes)" % STATS["flaky batches"])
    if args.stats:
        print("\nsteps per rule and outcome:")
        for (rule_, result), count in sorted(RULES.items()):
            print("  %-22s %-22s %6d" % (rule_, result, count))
    if not findings:
        print("findings: none")
        return 0
    print("findings: %d distinct" % len(findings))
    for key, (count, finding, path) in findings.items():
        print("- %s (%d time%s)\n  %s" % (key, count, "" if count == 1 else "s", path))
    return 1


if __name__ == "__main__":
    sys.exit(main())
