"""pyczmq.zauth: pyczmq 0.1's zauth functions over Auth (CZMQ's zauth actor).

CZMQ 4 applies each policy to every domain; the `domain` arguments are kept
for pyczmq 0.1's API.
"""

from pyczmq._core cimport Auth, Context
from pyczmq._core import CURVE_ALLOW_ANY, Auth, zauth_selftest

__all__ = ["new", "destroy", "allow", "deny", "configure_plain", "configure_curve",
           "set_verbose", "test", "CURVE_ALLOW_ANY"]


def new(Context ctx=None):
    """Start the authenticator for CZMQ's context (one per process)."""
    return Auth(ctx)


def destroy(Auth auth not None):
    """Stop the authenticator."""
    auth.destroy()


def allow(Auth auth not None, *addresses):
    """Allow connections from these IP addresses only."""
    auth.allow(*addresses)


def deny(Auth auth not None, *addresses):
    """Refuse connections from these IP addresses."""
    auth.deny(*addresses)


def configure_plain(Auth auth not None, domain, filename):
    """Check PLAIN clients against a ``user=password`` file."""
    auth.configure_plain(domain, filename)


def configure_curve(Auth auth not None, domain, location):
    """Check CURVE clients against a folder of public certificates, or
    accept any with CURVE_ALLOW_ANY."""
    auth.configure_curve(domain, location)


def set_verbose(Auth auth not None, verbose=True):
    """Log ZAP requests and decisions through CZMQ."""
    auth.set_verbose(verbose)


def test(verbose=False):
    """Run CZMQ's zauth self-test in a child process; 0 when it passes."""
    return zauth_selftest(verbose)
