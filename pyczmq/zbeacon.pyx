"""pyczmq.zbeacon: pyczmq 0.1's zbeacon functions over Beacon (CZMQ's zbeacon
actor).  Received beacons arrive on ``socket(beacon)`` as two frames (the
sender's address, the data); ``recv(beacon, timeout)`` returns them as a tuple.
"""

from pyczmq._core cimport Beacon
from pyczmq._core import Beacon

__all__ = ["new", "destroy", "hostname", "set_interval", "noecho", "publish", "silence",
           "subscribe", "unsubscribe", "socket", "recv"]


def new(port, interface=None):
    """A beacon on UDP `port` (optionally on `interface`)."""
    return Beacon(port, interface)


def destroy(Beacon beacon not None):
    """Stop the beacon."""
    beacon.destroy()


def hostname(Beacon beacon not None):
    """The address of the interface the beacon uses."""
    return beacon.hostname


def set_interval(Beacon beacon not None, interval):
    """Broadcast every `interval` ms."""
    beacon.set_interval(interval)


def noecho(Beacon beacon not None):
    """Kept from CZMQ 2 (CZMQ 4 always drops our own beacon)."""
    beacon.noecho()


def publish(Beacon beacon not None, data):
    """Broadcast `data` (at most 255 bytes) until silence()."""
    beacon.publish(data)


def silence(Beacon beacon not None):
    """Stop broadcasting."""
    beacon.silence()


def subscribe(Beacon beacon not None, prefix=b""):
    """Receive beacons starting with `prefix` (b"": all)."""
    beacon.subscribe(prefix)


def unsubscribe(Beacon beacon not None):
    """Stop receiving beacons."""
    beacon.unsubscribe()


def socket(Beacon beacon not None):
    """The socket received beacons arrive on (to poll and receive from)."""
    return beacon.socket


def recv(Beacon beacon not None, timeout=None):
    """The next beacon as (sender address, data), or None after `timeout` ms."""
    return beacon.recv(timeout)
