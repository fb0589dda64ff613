"""pyczmq.zpoller: pyczmq 0.1's zpoller functions over Poller (CZMQ's zpoller)."""

from pyczmq._core cimport Poller
from pyczmq._core import Poller

__all__ = ["new", "destroy", "wait", "expired", "terminated", "add", "remove", "set_nonstop"]


def new(*readers):
    """A Poller watching the sockets given."""
    return Poller(*readers)


def destroy(Poller poller not None):
    """Free the poller."""
    poller.destroy()


def add(Poller poller not None, sock):
    """Watch one more socket; returns 0."""
    poller.add(sock)
    return 0


def remove(Poller poller not None, sock):
    """Stop watching a socket; returns 0."""
    poller.remove(sock)
    return 0


def wait(Poller poller not None, timeout):
    """The first socket with input within `timeout` ms, or None."""
    return poller.wait(timeout)


def expired(Poller poller not None):
    """True if the last wait ended by its timeout."""
    return poller.expired()


def terminated(Poller poller not None):
    """True if the last wait ended because the context ended."""
    return poller.terminated()


def set_nonstop(Poller poller not None, nonstop):
    """Ignore CZMQ's interrupt flag."""
    poller.set_nonstop(nonstop)
