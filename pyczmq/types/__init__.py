"""pyczmq.types: the object layer (pyczmq 0.1's module path).

The extension types are compiled together in pyczmq._core; each is written
in its own file here: types/<name>.decl.pxi (fields and cdef methods; a
fragment of pyczmq/_core.pxd, not a module to cimport: Cython code does
``from pyczmq cimport Socket``) and types/<name>.pxi (implementation).
"""

from pyczmq._core import (Auth, Beacon, Cert, CertStore, Context, Frame, Loop, Message, Poller,
                          Socket, Ticket)

__all__ = ["Context", "Socket", "Frame", "Message", "Loop", "Ticket", "Poller", "Cert",
           "CertStore", "Auth", "Beacon"]
