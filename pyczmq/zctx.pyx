"""pyczmq.zctx: pyczmq 0.1's zctx functions over Context.

CZMQ 4 has no zctx: it keeps one libzmq context per process.  A Context is a
scope over it that tracks its sockets, gives them its linger and HWM defaults
and closes them on destroy().
"""

from pyczmq._core cimport Context
from pyczmq._core import Context

__all__ = ["new", "destroy", "set_iothreads", "set_linger", "set_pipehwm",
           "set_sndhwm", "set_rcvhwm", "underlying"]


def new(iothreads=None):
    """A new Context (zctx_new); `iothreads` sets the process's I/O threads."""
    return Context(iothreads)


def destroy(Context ctx not None):
    """Close every socket of the context (zctx_destroy)."""
    ctx.destroy()


def set_iothreads(Context ctx not None, iothreads):
    """Set the number of I/O threads; only before the process's first socket."""
    ctx.set_iothreads(iothreads)


def set_linger(Context ctx not None, linger):
    """Linger (ms) for the context's new sockets."""
    ctx.set_linger(linger)


def set_pipehwm(Context ctx not None, pipehwm):
    """High-water mark of actor pipes (process-wide)."""
    ctx.set_pipehwm(pipehwm)


def set_sndhwm(Context ctx not None, sndhwm):
    """Send high-water mark for the context's new sockets."""
    ctx.set_sndhwm(sndhwm)


def set_rcvhwm(Context ctx not None, rcvhwm):
    """Receive high-water mark for the context's new sockets."""
    ctx.set_rcvhwm(rcvhwm)


def underlying(Context ctx not None):
    """Address of the libzmq context, as an int."""
    return ctx.underlying
