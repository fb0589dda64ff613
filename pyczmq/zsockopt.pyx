"""pyczmq.zsockopt: a getter ``<option>(sock)`` and a setter
``set_<option>(sock, value)`` for every libzmq 4.3 socket option.

The functions are made from the option table of Socket (pyczmq.SOCKET_OPTIONS),
so they behave exactly like the properties ``sock.<option>``.
"""

from pyczmq._core import SOCKET_OPTIONS


def _getter(option):
    def get(sock):
        return option.__get__(sock, None)
    get.__name__ = get.__qualname__ = option.name
    get.__doc__ = "Get socket option %s: %s" % (option.name, option.__doc__)
    return get


def _setter(option):
    def set_option(sock, value):
        option.__set__(sock, value)
    set_option.__name__ = set_option.__qualname__ = "set_" + option.name
    set_option.__doc__ = "Set socket option %s: %s" % (option.name, option.__doc__)
    return set_option


__all__ = []
for _option in SOCKET_OPTIONS.values():
    if _option.readable:
        globals()[_option.name] = _getter(_option)
        __all__.append(_option.name)
    if _option.writable:
        globals()["set_" + _option.name] = _setter(_option)
        __all__.append("set_" + _option.name)
del _option
__all__.sort()
