"""How big this process is: resident memory, open file descriptors and
threads.  The one place the leak tests (test_leaks.py) and the soak
(soak.py) measure them, so another way of counting (debug counters) can
replace /proc here alone.

libzmq frees a closed socket (and its eventfd) in its reaper thread a little
later, and a context's threads end in their own time: `settled()` waits
until the counts stop moving before it reads them."""

import ctypes
import gc
import os
import time

try:
    _malloc_trim = ctypes.CDLL(None).malloc_trim     # glibc
except (AttributeError, OSError):
    _malloc_trim = None


def rss():
    """Resident set size in bytes, after a garbage collection and after the
    C allocator has handed its free memory back (glibc's malloc_trim), so
    that it counts memory in use rather than what the allocator keeps."""
    gc.collect()
    if _malloc_trim is not None:
        _malloc_trim(0)
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def open_fds():
    """The number of open file descriptors."""
    return len(os.listdir("/proc/self/fd"))


def threads():
    """The number of threads of the process."""
    return len(os.listdir("/proc/self/task"))


def settled(target=None, timeout=10.0):
    """(rss, open_fds, threads) once descriptors and threads stop changing:
    the same in two reads 0.1 s apart, or equal to `target`'s (a previous
    settled() result) as soon as they are.  Gives the last read after
    `timeout` s."""
    gc.collect()
    last = (open_fds(), threads())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if target is not None and last == tuple(target[1:]):
            break
        time.sleep(0.1)
        now = (open_fds(), threads())
        if now == last and target is None:
            break
        last = now
    return (rss(),) + last
