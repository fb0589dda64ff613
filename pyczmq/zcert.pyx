"""pyczmq.zcert: pyczmq 0.1's zcert functions over Cert (CURVE certificates).

Keys are 32 bytes (``public_key``, ``secret_key``) or 40 characters of Z85
text (``public_txt``, ``secret_txt``); ``new_from`` takes either, as CZMQ 4's
``zcert_new_from`` takes binary keys.
"""

from pyczmq._core cimport Cert, Socket
from pyczmq._core import Cert

__all__ = ["new", "new_from", "destroy", "load", "save", "save_public", "save_secret",
           "public_key", "secret_key", "public_txt", "secret_txt", "set_meta", "meta",
           "meta_keys", "apply", "dup", "eq", "print_", "dump"]


def new():
    """A new certificate with a fresh CURVE key pair."""
    return Cert()


def new_from(public_key, secret_key=None):
    """A certificate from its keys (32 bytes or 40 Z85 characters each)."""
    return Cert.new_from(public_key, secret_key)


def destroy(Cert cert not None):
    """Free the certificate."""
    cert.destroy()


def load(filename):
    """Load a certificate file (its "_secret" twin first, if present)."""
    return Cert.load(filename)


def save(Cert cert not None, filename):
    """Write `filename` (public) and `filename` + "_secret"; returns 0."""
    cert.save(filename)
    return 0


def save_public(Cert cert not None, filename):
    """Write the public certificate only; returns 0."""
    cert.save_public(filename)
    return 0


def save_secret(Cert cert not None, filename):
    """Write the full certificate (secret key included); returns 0."""
    cert.save_secret(filename)
    return 0


def public_key(Cert cert not None):
    """The public key, 32 bytes."""
    return cert.public_key


def secret_key(Cert cert not None):
    """The secret key, 32 bytes (zeros when unknown)."""
    return cert.secret_key


def public_txt(Cert cert not None):
    """The public key as Z85 text."""
    return cert.public_txt


def secret_txt(Cert cert not None):
    """The secret key as Z85 text."""
    return cert.secret_txt


def set_meta(Cert cert not None, name, value):
    """Set a metadata value."""
    cert.set_meta(name, value)


def meta(Cert cert not None, name):
    """A metadata value, or None."""
    return cert.meta(name)


def meta_keys(Cert cert not None):
    """The metadata names."""
    return cert.meta_keys()


def apply(Cert cert not None, Socket zsocket not None):
    """Use the certificate for CURVE on the socket."""
    cert.apply(zsocket)


def dup(Cert cert not None):
    """A copy of the certificate."""
    return cert.dup()


def eq(Cert cert not None, Cert compare not None):
    """True if both certificates have the same keys."""
    return cert == compare


def print_(Cert cert not None):
    """Log the certificate through CZMQ."""
    cert.print()


dump = print_
globals()["print"] = print_
