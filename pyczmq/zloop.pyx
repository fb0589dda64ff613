"""pyczmq.zloop: pyczmq 0.1's zloop functions over Loop (CZMQ's reactor).

Handlers are called as ``handler(loop, target, arg)`` -- the pollitem for a
poller, the socket for a reader, the timer id for a timer -- and stop the
loop by returning -1.  timer() returns the timer id that timer_end() takes
(CZMQ 4 ends timers by id, not by arg as CZMQ 2 did).
"""

from pyczmq._core cimport Loop
from pyczmq._core import Loop

__all__ = ["new", "destroy", "poller", "poller_end", "set_tolerant", "set_verbose",
           "start", "timer", "timer_end", "reader", "reader_end", "reader_set_tolerant"]


def new():
    """A new Loop."""
    return Loop()


def destroy(Loop loop not None):
    """Free the loop and drop its handlers."""
    loop.destroy()


def poller(Loop loop not None, item, handler, arg=None):
    """Call handler(loop, item, arg) when the pollitem is ready; returns 0."""
    loop.poller(item, handler, arg)
    return 0


def poller_end(Loop loop not None, item):
    """Stop polling the pollitem's socket or file descriptor."""
    loop.poller_end(item)


def set_tolerant(Loop loop not None, item):
    """Keep polling the pollitem after errors."""
    loop.set_tolerant(item)


def reader(Loop loop not None, sock, handler, arg=None):
    """Call handler(loop, sock, arg) whenever the socket has a message; returns 0."""
    loop.reader(sock, handler, arg)
    return 0


def reader_end(Loop loop not None, sock):
    """Stop reading the socket."""
    loop.reader_end(sock)


def reader_set_tolerant(Loop loop not None, sock):
    """Keep reading the socket after errors."""
    loop.reader_set_tolerant(sock)


def set_verbose(Loop loop not None, verbose):
    """Trace the reactor's activity."""
    loop.set_verbose(verbose)


def start(Loop loop not None):
    """Run the reactor: -1 when a handler stopped it, 0 when the context ended."""
    return loop.start()


def timer(Loop loop not None, delay, times, handler, arg=None):
    """Call handler(loop, timer_id, arg) every `delay` ms, `times` times (0:
    forever); returns the timer id."""
    return loop.timer(delay, times, handler, arg)


def timer_end(Loop loop not None, timer_id):
    """Cancel the timer; returns 0."""
    loop.timer_end(timer_id)
    return 0
