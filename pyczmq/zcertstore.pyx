"""pyczmq.zcertstore: pyczmq 0.1's zcertstore functions over CertStore."""

from pyczmq._core cimport Cert, CertStore
from pyczmq._core import CertStore

__all__ = ["new", "destroy", "lookup", "insert", "dump", "print_"]


def new(location=None):
    """A store mirroring the folder `location`, or in memory (None)."""
    return CertStore(location)


def destroy(CertStore store not None):
    """Free the store and its certificates."""
    store.destroy()


def lookup(CertStore store not None, key):
    """The certificate with public key `key` (Z85 text), or None."""
    return store.lookup(key)


def insert(CertStore store not None, Cert cert not None):
    """Add the certificate; the store takes it (`cert` becomes a view)."""
    store.insert(cert)


def dump(CertStore store not None):
    """Log every certificate in the store through CZMQ."""
    store.print()


print_ = dump
globals()["print"] = dump
