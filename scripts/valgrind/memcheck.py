"""Run a command under valgrind memcheck and give the verdict.

    python scripts/valgrind/memcheck.py [--logs DIR] -- COMMAND [ARG...]

The one place that knows how pyczmq is checked with valgrind (used by
scripts/valgrind.sh and tests/test_valgrind.py): Python allocates with
plain malloc (PYTHONMALLOC=malloc) so that memcheck sees every object, the
suppressions are python.supp next to this file, and every process of the run
(the command and what it forks; programs it executes are not traced) writes
DIR/memcheck.<pid>.log.  Prints valgrind's summary lines of each process and
every error that is ours; exits 0 when there is none and the command
succeeded, 1 otherwise, 2 when valgrind is missing.

Every error counts, with one exception that a suppression can not single
out: CPython 3.11 reads the uninitialised ob_digit[0] of a zero int
(``medium_value()`` multiplies it by the size, 0: CPython issue gh-102509,
fixed in 3.12 by initialising the digit, not backported to 3.11, see
gh-119022).  memcheck can not know that 0 * x is defined, so the small-int
pointer computed from it counts as uninitialised and every later
Py_INCREF/Py_DECREF/type check of a copy of that pointer, in any module, is
reported.  The run tracks origins, and an uninitialised-value error whose
value was created by the heap allocation in ``_PyLong_New`` is that defect:
counted and named, not failed.  (valgrind merges errors by kind and stack and
keeps the first origin, so an error of ours at exactly the same code location
as such a report would be merged into it; pyczmq's C data never comes from an
int's digits, so that needs a zero int's pointer in our code.)

Leaks: "definitely lost" blocks fail the run.  A process forked by the
command (valgrind follows fork) that leaves with os._exit() has lost its
parent's other threads, and what only their stacks pointed to shows as
definitely lost there: those are listed, and only memory errors fail a
forked child.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPRESSIONS = os.path.join(HERE, "python.supp")
FLAGS = ["--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite",
         "--errors-for-leak-kinds=definite", "--track-origins=yes", "--num-callers=30",
         "--error-exitcode=99", "--gen-suppressions=all", "--suppressions=" + SUPPRESSIONS]

LINE = re.compile(r"^==(\d+)== ?(.*)$")
UNINIT = ("Conditional jump or move depends on uninitialised value",
          "Use of uninitialised value of size",
          "Syscall param")
ERRORS = UNINIT + ("Invalid ", "Mismatched free", "Source and destination overlap",
                   "Argument 'size' of function", "Process terminating",
                   "Warning: invalid file descriptor", "Jump to the invalid address")
SUMMARY_KEYS = ("definitely lost:", "indirectly lost:", "possibly lost:",
                "still reachable:", "suppressed:", "ERROR SUMMARY:")


def messages(lines):
    """Each message of one process: a list of lines without the prefix."""
    current = []
    for text in lines + [""]:
        if text.strip() == "":
            if current:
                yield current
            current = []
        else:
            current.append(text)


def is_cpython_zero_int(message):
    """An uninitialised-value error whose value comes from _PyLong_New."""
    if not message[0].startswith(UNINIT):
        return False
    for index, text in enumerate(message):
        if "Uninitialised value was created by a heap allocation" in text:
            return any(re.search(r": _PyLong_New \(", frame)
                       for frame in message[index + 1:index + 4])
    return False


class Process:
    """What one log says about one process."""

    def __init__(self, path):
        self.path = path
        self.pid, lines = None, []
        with open(path, errors="replace") as log:
            for raw in log:
                match = LINE.match(raw.rstrip("\n"))
                if match:           # --gen-suppressions blocks have no prefix
                    self.pid = self.pid or match.group(1)
                    lines.append(match.group(2))
        self.command = self._field(lines, "Command: ")
        self.parent = self._field(lines, "Parent PID: ")
        self.summary = [t.strip() for t in lines if t.strip().startswith(SUMMARY_KEYS)]
        self.errors, self.cpython, self.leaks = [], [], []
        for message in messages(lines):
            if re.match(r"[\d,]+ bytes in [\d,]+ blocks are definitely lost", message[0]):
                self.leaks.append(message)
            elif is_cpython_zero_int(message):
                self.cpython.append(message)
            elif message[0].startswith(ERRORS):
                self.errors.append(message)

    @staticmethod
    def _field(lines, key):
        return next((text[len(key):] for text in lines if text.startswith(key)), "?")


def report(paths, out=sys.stdout):
    """Print the verdict of these logs; True when nothing is ours."""
    processes = [Process(path) for path in paths]
    pids = {process.pid for process in processes}
    clean, reported = True, 0
    for process in processes:
        if not process.summary and not process.errors and not process.leaks:
            continue                # a fork that executed an untraced program
        reported += 1
        forked = process.parent in pids
        out.write("process %s (%s%s): %s\n" % (
            process.pid, "forked from %s, " % process.parent if forked else "",
            os.path.basename(process.path), process.command[:120]))
        for text in process.summary:
            out.write("    %s%s\n" % (text, " (counted since the parent started)"
                                       if forked and text.startswith("ERROR SUMMARY") else ""))
        if process.cpython:
            out.write("    of which %d contexts are CPython 3.11's uninitialised digit of a zero "
                      "int (gh-102509, value made by _PyLong_New): not ours\n"
                      % len(process.cpython))
        for message in process.errors:
            out.write("  ERROR:\n" + "".join("      %s\n" % text for text in message))
        for message in process.leaks:
            out.write("  %s:\n" % ("LEAK (in a forked child: listed, not failed)" if forked
                                   else "LEAK")
                      + "".join("      %s\n" % text for text in message))
        out.write("    ours: %d error contexts, %d definitely lost records\n"
                  % (len(process.errors), len(process.leaks)))
        if process.errors or (process.leaks and not forked):
            clean = False
    if not reported:
        out.write("no valgrind report in %s\n" % " ".join(paths))
        clean = False
    return clean


def run(command, logs, timeout=None, out=sys.stdout):
    """Run `command` under memcheck, logs in `logs`; 0 when clean, 1 if not."""
    os.makedirs(logs, exist_ok=True)
    for old in glob.glob(os.path.join(logs, "memcheck.*.log")):
        os.unlink(old)
    environment = dict(os.environ, PYTHONMALLOC="malloc")
    started = time.monotonic()
    status = subprocess.call(["valgrind"] + FLAGS
                             + ["--log-file=" + os.path.join(logs, "memcheck.%p.log")]
                             + list(command), env=environment, timeout=timeout)
    elapsed = time.monotonic() - started
    out.write("\n== valgrind memcheck: %.0f s, logs in %s ==\n" % (elapsed, logs))
    paths = sorted(glob.glob(os.path.join(logs, "memcheck.*.log")),
                   key=lambda path: int(re.findall(r"\d+", os.path.basename(path))[0]))
    clean = report(paths, out)
    if status not in (0, 99):
        out.write("FAIL: the command exited with %d under valgrind\n" % status)
        return 1
    if not clean:
        out.write("FAIL: valgrind found memory errors or definite leaks of ours (above)\n")
        return 1
    out.write("OK: no memory error and no definite leak of ours\n")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--logs", help="folder for the logs (default: a new one in /tmp)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    if shutil.which("valgrind") is None:
        sys.stderr.write("valgrind is missing: apt-get install valgrind\n")
        return 2
    logs = args.logs or tempfile.mkdtemp(prefix="pyczmq-valgrind-")
    sys.stdout.flush()
    return run(command, logs)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
