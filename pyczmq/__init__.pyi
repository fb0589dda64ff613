# Type stubs of pyczmq (see pyczmq/_core.pyi for the types).
from pyczmq._core import SOCKET_OPTIONS as SOCKET_OPTIONS
from pyczmq._core import SOCKET_TYPE_NAMES as SOCKET_TYPE_NAMES
from pyczmq._core import Again as Again
from pyczmq._core import Auth as Auth
from pyczmq._core import Beacon as Beacon
from pyczmq._core import Cert as Cert
from pyczmq._core import CertStore as CertStore
from pyczmq._core import ClosedError as ClosedError
from pyczmq._core import Context as Context
from pyczmq._core import ContextTerminated as ContextTerminated
from pyczmq._core import Frame as Frame
from pyczmq._core import Loop as Loop
from pyczmq._core import Message as Message
from pyczmq._core import Poller as Poller
from pyczmq._core import Socket as Socket
from pyczmq._core import SocketOption as SocketOption
from pyczmq._core import Ticket as Ticket
from pyczmq._core import Tracker as Tracker
from pyczmq._core import ZMQError as ZMQError
from pyczmq._core import czmq_version as czmq_version
from pyczmq._core import libzmq_version as zmq_version
from pyczmq._core import live_objects as live_objects
from pyczmq._core import zero_copy_in_flight as zero_copy_in_flight
from pyczmq.zmq import DEALER as DEALER
from pyczmq.zmq import DONTWAIT as DONTWAIT
from pyczmq.zmq import PAIR as PAIR
from pyczmq.zmq import PUB as PUB
from pyczmq.zmq import PULL as PULL
from pyczmq.zmq import PUSH as PUSH
from pyczmq.zmq import REP as REP
from pyczmq.zmq import REQ as REQ
from pyczmq.zmq import ROUTER as ROUTER
from pyczmq.zmq import SNDMORE as SNDMORE
from pyczmq.zmq import STREAM as STREAM
from pyczmq.zmq import SUB as SUB
from pyczmq.zmq import XPUB as XPUB
from pyczmq.zmq import XSUB as XSUB

__version__: str
__all__ = [
    "Context", "Socket", "Frame", "Message", "Loop", "Ticket", "Poller", "Cert", "CertStore",
    "Auth", "Beacon", "SocketOption", "Tracker", "zero_copy_in_flight", "ZMQError", "Again",
    "ContextTerminated", "ClosedError", "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER",
    "PULL", "PUSH", "XPUB", "XSUB", "STREAM", "SNDMORE", "DONTWAIT", "SOCKET_OPTIONS",
    "SOCKET_TYPE_NAMES", "czmq_version", "zmq_version", "get_include", "live_objects",
]

def get_include() -> list[str]: ...
