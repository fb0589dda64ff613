cdef class Beacon(Actor):
    cdef readonly int port      # the UDP port (0 until configured)
    """The UDP port the beacon broadcasts and listens on (0 until configured)."""
    cdef str _hostname          # the address zbeacon chose
    cdef int _interval          # ms between broadcasts
    cdef bytes _published       # the beacon being broadcast, or None
    cdef bytes _filter          # the subscription prefix, or None
