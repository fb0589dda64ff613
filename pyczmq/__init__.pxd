# `cimport pyczmq` / `from pyczmq cimport Socket`: the extension types and the
# CZMQ and libzmq declarations, for other Cython code.

from pyczmq._core cimport (Context, Socket, Frame, Message, FrameState, Loop, Poller, Msg,
                           Pollitem, Tracker)
from pyczmq.includes.libzmq cimport *
from pyczmq.includes.czmq cimport *
