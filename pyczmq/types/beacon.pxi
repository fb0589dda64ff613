# Beacon: CZMQ's zbeacon actor, which broadcasts and receives UDP beacons
# (at most 255 bytes) for service discovery on a local network.
#
# zbeacon asserts on a port of 0, on data or filters over 255 bytes, and on
# addresses from the environment that getaddrinfo() refuses; those are
# checked here first.  It reads the process-wide ZSYS_INTERFACE whenever it
# (re)opens its UDP sockets, so that setting is only changed while no Beacon
# runs.

import ipaddress as _ipaddress
import socket as _socket_module
import sys as _sys

cdef int UDP_FRAME_MAX = 255


cdef bytes _beacon_bytes(object data, str what):
    """Beacon data or a filter as bytes of at most 255."""
    cdef Py_buffer view
    if isinstance(data, str):
        result = encode_text(data)
    elif isinstance(data, bytes):
        result = data
    else:
        _get_buffer(data, &view)
        try:
            result = PyBytes_FromStringAndSize(<char *>view.buf, view.len)
        finally:
            PyBuffer_Release(&view)
    if len(result) > UDP_FRAME_MAX:
        raise ValueError("%s is %d bytes; a beacon carries at most %d"
                         % (what, len(result), UDP_FRAME_MAX))
    return result


cdef int _check_interval(object msecs) except -1:
    _check_int_range("interval", msecs, 1, 2**31 - 1)
    return msecs


# CZMQ reads ZSYS_IPV4_MCAST_ADDRESS once, when it starts, and has no getter
# for it: the value at import counts as well as the current one.
_ipv4_multicast_at_import = _os.environ.get("ZSYS_IPV4_MCAST_ADDRESS")


cdef int _check_multicast_join(object family, str group, object index_or_address,
                               str where) except -1:
    """Join `group` as zbeacon will, on a socket of our own: CZMQ asserts
    when the join fails (no route for the group, no such interface)."""
    probe = _socket_module.socket(family, _socket_module.SOCK_DGRAM)
    try:
        if family == _socket_module.AF_INET6:
            request = (_socket_module.inet_pton(family, group.split("%")[0])
                       + int(index_or_address).to_bytes(4, _sys.byteorder))
            probe.setsockopt(_socket_module.IPPROTO_IPV6, _socket_module.IPV6_JOIN_GROUP,
                             request)
        else:
            request = (_socket_module.inet_aton(group)
                       + _socket_module.inet_aton(index_or_address))
            probe.setsockopt(_socket_module.IPPROTO_IP, _socket_module.IP_ADD_MEMBERSHIP,
                             request)
    except OSError as error:
        raise ZMQError(error.errno or EINVAL,
                       "Beacon: this host can not join the multicast group %s %s, "
                       "which zbeacon needs" % (group, where)) from None
    finally:
        probe.close()
    return 0


cdef bint _check_numeric_ipv6(str what, str value, int port) except -1:
    """Refuse an address CZMQ would fail to resolve (and assert): a numeric
    IPv6 address, optionally with a %scope.  True if it is link-local."""
    try:
        found = _socket_module.getaddrinfo(
            value, port, _socket_module.AF_INET6, _socket_module.SOCK_DGRAM,
            _socket_module.IPPROTO_UDP, _socket_module.AI_NUMERICHOST | _socket_module.AI_V4MAPPED)
    except (OSError, UnicodeError, ValueError):
        raise ValueError("the %s %r is not a numeric IPv6 address this host can use"
                         % (what, value)) from None
    return _ipaddress.IPv6Address(found[0][4][0].split("%")[0]).is_link_local


cdef int _check_beacon_settings(bytes interface, int port) except -1:
    """Refuse the process-wide settings zbeacon would assert on (CZMQ must
    have started: it reads them then)."""
    cdef str iface = interface.decode("utf-8", "replace")
    cdef unsigned int index = 0
    multicast4 = [value for value in (_ipv4_multicast_at_import,
                                      _os.environ.get("ZSYS_IPV4_MCAST_ADDRESS"))
                  if value is not None]
    if zsys_ipv6():
        if multicast4:
            raise ValueError("ZSYS_IPV4_MCAST_ADDRESS is set and CZMQ uses IPv6 (ZSYS_IPV6): "
                             "zbeacon can not do both")
        multicast = (<bytes>zsys_ipv6_mcast_address()).decode("ascii", "replace")
        address = (<bytes>zsys_ipv6_address()).decode("ascii", "replace")
        _check_numeric_ipv6("IPv6 multicast address (ZSYS_IPV6_MCAST_ADDRESS)", multicast, port)
        # CZMQ's order: "*", an index "0"-"9", then ZSYS_IPV6_ADDRESS with a
        # named interface, else the first running interface that matches.
        explicit_address = bool(address and iface and iface != "*"
                                and not (len(iface) == 1 and "0" <= iface <= "9"))
        if explicit_address:
            if len(address) + 1 + len(interface) >= 1025:
                raise ValueError("the IPv6 address and interface name are too long for zbeacon")
            if (_check_numeric_ipv6("IPv6 address (ZSYS_IPV6_ADDRESS)", address, port)
                    and "%" not in address):
                # CZMQ scopes a link-local address with the interface name.
                _check_numeric_ipv6("IPv6 address (ZSYS_IPV6_ADDRESS) on interface %r" % iface,
                                    "%s%%%s" % (address, iface), port)
        # Where CZMQ does not take the interface from its list of running
        # ones, it joins the group on whatever the name gives (0: routed).
        if iface == "*" or explicit_address:
            if iface != "*":
                try:
                    index = _socket_module.if_nametoindex(iface)
                except OSError:
                    index = 0
            _check_multicast_join(_socket_module.AF_INET6, multicast, index,
                                  "on interface %r" % iface)
    elif multicast4:
        for value in multicast4:
            try:
                _socket_module.inet_pton(_socket_module.AF_INET, value)
            except OSError:
                raise ValueError("ZSYS_IPV4_MCAST_ADDRESS=%r is not a numeric IPv4 address"
                                 % value) from None
        # CZMQ 4.2.1 hands IP_MULTICAST_IF an interface index where Linux
        # reads an address, and asserts when that fails: it only works with
        # no interface ("*", index 0 read as INADDR_ANY).
        if iface != "*":
            raise ValueError("IPv4 multicast beacons (ZSYS_IPV4_MCAST_ADDRESS) work only with "
                             "interface \"*\" in CZMQ 4.2.1 (it aborts on a named "
                             "interface); the interface is %r" % iface)
        for value in set(multicast4):
            _check_multicast_join(_socket_module.AF_INET, value, "0.0.0.0",
                                  "on the routed interface")
    return 0


cdef int _set_beacon_interface(object interface) except -1:
    """zsys_set_interface(), refused while another Beacon may read it."""
    if not isinstance(interface, str):
        raise TypeError("interface must be str, not %s" % type(interface).__name__)
    data = (<str>interface).encode("utf-8")
    if b"\0" in data or len(data) > 255:
        raise ValueError("interface %r: a name or address without NUL, up to 255 bytes"
                         % interface)
    if data == <bytes>zsys_interface():
        return 0
    for actor in _running_actors:
        if isinstance(actor, Beacon) and not (<Actor>actor).destroyed \
                and (<Actor>actor)._pid == _process_pid:
            raise ValueError("CZMQ keeps one beacon interface per process (now %r) and running "
                             "Beacons read it: destroy them before choosing %r"
                             % (zsys_interface().decode("utf-8", "replace"), interface))
    zsys_set_interface(data)
    return 0


cdef class Beacon(Actor):
    """CZMQ's beacon (the zbeacon actor): broadcasts this host's beacon on a
    UDP port and receives the beacons of others, for discovery on a local
    network.

    ``Beacon(port)`` opens the port on the interface CZMQ picks: the first
    with broadcast, or the one named by ``interface`` (or ZSYS_INTERFACE:
    a name such as "eth0", an address, an index "0"-"9", or "*" for all).
    ``publish`` broadcasts data every `interval` ms; ``subscribe`` lets
    beacons that start with a prefix through to ``recv``.  CZMQ drops
    received beacons equal to the one this Beacon publishes (its own echo).
    """

    def __init__(self, port, interface=None):
        cdef bytes hostname
        if self._c_actor != NULL or self.port:
            raise TypeError("Beacon is already initialised")
        _check_int_range("port", port, 1, 65535)
        _zsys_context()         # CZMQ reads its ZSYS_* settings when it starts
        if interface is not None:
            _set_beacon_interface(interface)
        _check_beacon_settings(<bytes>zsys_interface(), port)
        _check_room_for_sockets(2, "start a Beacon")
        self._interval = 1000
        self._start(zbeacon, NULL, None)
        hostname = self._command([b"CONFIGURE", b"%d" % port], REPLY_STRING)
        if not hostname:
            self.destroy()
            raise ZMQError(ENODEV, "Beacon: no interface to broadcast on was found (ZSYS_INTERFACE=%r)"
                           % zsys_interface().decode("utf-8", "replace"))
        self.port = port
        self._hostname = hostname.decode("utf-8", "replace")

    @property
    def hostname(self):
        """The address of the interface the beacon uses ("*" for all)."""
        self._check()
        return self._hostname

    @property
    def socket(self):
        """The pipe on which received beacons arrive as two frames (sender
        address, data): poll it with Poller or Loop, then ``recv()``.  It
        only receives, and belongs to this Beacon."""
        self._check()
        self._pipe._owner = self
        return self._pipe

    def set_interval(self, msecs):
        """Broadcast every `msecs` ms (default 1000); applies at once to the
        beacon being published."""
        self._check()
        _check_interval(msecs)
        self._interval = msecs
        if self._published is not None:
            self._command([b"PUBLISH", self._published, b"%d" % self._interval], REPLY_NONE)

    def noecho(self):
        """Kept from CZMQ 2: CZMQ 4 always drops a received beacon equal to
        the one this Beacon publishes, so there is nothing to switch."""
        self._check()

    def publish(self, data, interval=None):
        """Broadcast `data` (bytes, str or any buffer; at most 255 bytes) now
        and then every `interval` ms (default: set_interval's, 1000)."""
        cdef bytes payload = _beacon_bytes(data, "beacon data")
        self._check()
        if interval is not None:
            _check_interval(interval)
            self._interval = interval
        self._command([b"PUBLISH", payload, b"%d" % self._interval], REPLY_NONE)
        self._published = payload

    def silence(self):
        """Stop broadcasting."""
        self._command([b"SILENCE"], REPLY_NONE)
        self._published = None

    def subscribe(self, prefix=b""):
        """Let received beacons that start with `prefix` (b"": all) through to
        recv(); no beacon is received before this."""
        cdef bytes data = _beacon_bytes(prefix, "subscription prefix")
        self._command([b"SUBSCRIBE", data], REPLY_NONE)
        self._filter = data

    def unsubscribe(self):
        """Stop receiving beacons (those already received stay readable)."""
        self._command([b"UNSUBSCRIBE"], REPLY_NONE)
        self._filter = None

    def set_verbose(self):
        """Log what zbeacon does through CZMQ (zsys_info)."""
        self._command([b"VERBOSE"], REPLY_NONE)

    def recv(self, timeout=None):
        """The next beacon as (sender address, data), waiting up to `timeout`
        ms (None: until one comes); None if none came in time.  Ctrl-C
        interrupts the wait."""
        cdef long wait = -1
        cdef ActorPipe pipe
        self._check()
        if timeout is not None:
            _check_int_range("timeout", timeout, 0, 2**31 - 1)
            wait = timeout
        pipe = self._pipe
        pipe._reserve()             # commands from other threads get EBUSY meanwhile
        try:
            ready = pipe._poll(ZMQ_POLLIN, wait, True)
        finally:
            pipe._release()
        if not ready:
            return None
        parts = pipe.recv_multipart(ZMQ_DONTWAIT)
        return parts[0].decode("ascii", "replace"), parts[1]

    def __repr__(self):
        if self._c_actor == NULL:
            return "<pyczmq.Beacon destroyed at %#x>" % id(self)
        publishing = ("publishing %d bytes every %d ms" % (len(self._published), self._interval)
                      if self._published is not None else "silent")
        listening = ("subscribed to %r" % self._filter if self._filter is not None
                     else "not subscribed")
        return "<pyczmq.Beacon UDP port %d on %s, %s, %s at %#x>" % (
            self.port, self._hostname, publishing, listening, id(self))
