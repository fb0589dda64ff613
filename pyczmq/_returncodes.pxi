# The C-style return codes of pyczmq 0.1's functions, written once; included
# by the functional modules that keep them (zsocket, zstr, zframe, zmsg).
#
# The extension types raise.  Where the 2013 API returned -1 (or None) on
# failure, the function catches the types' error and returns
# ``failed(error, code)``:
#
#     try:
#         sock.send_frame_c(frame, flags)
#     except ZMQError as error:
#         return failed(error, -1)
#     return 0
#
# A ClosedError (a closed socket, a sent or destroyed frame or message) is a
# misuse, not a failed call, so it propagates; any other error caught becomes
# `code`.  Which errors are caught is the caller's except clause (ZMQError
# for socket calls, OSError for files).
#
# Cost: only the error path reaches failed(); the success path's C code is the
# same as with the two except clauses this replaces (`except ClosedError:
# raise` / `except ZMQError: return -1`).  failed() is deliberately not
# inline: inlined, it made the senders' functions larger and zstr.send and
# zmsg.send measurably slower.  A failing call costs ~0.2 us more than with
# the two clauses (of ~1.4 us), as Cython fetches the exception and adds a
# traceback entry for an except clause that calls a function.

from pyczmq._core import ClosedError as _ClosedError


cdef object failed(BaseException error, object code):
    """`code` for a failed call; re-raise `error` if it is a ClosedError."""
    if isinstance(error, _ClosedError):
        raise error
    return code
