# Every libzmq 4.3 socket option, as a property.  Socket inherits them;
# `type` is the method Socket.type().  pyczmq.zsockopt is built from these.


cdef class SocketOptions:
    """The libzmq socket options as properties (the base class of Socket)."""

    affinity = SocketOption("affinity", ZMQ_AFFINITY, OPT_UINT64, READ_WRITE,
        "Bitmask of the I/O threads that handle new connections.")
    backlog = SocketOption("backlog", ZMQ_BACKLOG, OPT_INT, READ_WRITE,
        "Maximum length of the queue of pending connections.")
    bindtodevice = SocketOption("bindtodevice", ZMQ_BINDTODEVICE, OPT_TEXT, READ_WRITE,
        "Network interface the socket's TCP/UDP traffic is bound to (SO_BINDTODEVICE).")
    conflate = SocketOption("conflate", ZMQ_CONFLATE, OPT_INT, READ_WRITE,
        "Keep only the last message in the queues (1) or all of them (0).")
    connect_rid = SocketOption("connect_rid", ZMQ_CONNECT_RID, OPT_BYTES, WRITE,
        "Routing id given to the peer of the next connect() (ROUTER, STREAM).")
    connect_routing_id = SocketOption("connect_routing_id", ZMQ_CONNECT_ROUTING_ID, OPT_BYTES, WRITE,
        "Alias of connect_rid.")
    connect_timeout = SocketOption("connect_timeout", ZMQ_CONNECT_TIMEOUT, OPT_INT, READ_WRITE,
        "Milliseconds a TCP connect may take before it is retried (0: the OS default).")
    curve_publickey = SocketOption("curve_publickey", ZMQ_CURVE_PUBLICKEY, OPT_CURVE_KEY, READ_WRITE,
        "This socket's CURVE public key: 32 bytes or 40 Z85 characters; read as Z85.")
    curve_secretkey = SocketOption("curve_secretkey", ZMQ_CURVE_SECRETKEY, OPT_CURVE_KEY, READ_WRITE,
        "This socket's CURVE secret key: 32 bytes or 40 Z85 characters; read as Z85.")
    curve_server = SocketOption("curve_server", ZMQ_CURVE_SERVER, OPT_INT, READ_WRITE,
        "Act as CURVE server (1).")
    curve_serverkey = SocketOption("curve_serverkey", ZMQ_CURVE_SERVERKEY, OPT_CURVE_KEY, READ_WRITE,
        "The CURVE server's public key a client connects to: 32 bytes or 40 Z85 characters.")
    delay_attach_on_connect = SocketOption("delay_attach_on_connect", ZMQ_DELAY_ATTACH_ON_CONNECT, OPT_INT, READ_WRITE,
        "Deprecated alias of immediate.")
    events = SocketOption("events", ZMQ_EVENTS, OPT_INT, READ,
        "Bitmask of POLLIN/POLLOUT: what the socket can do now without blocking.")
    fd = SocketOption("fd", ZMQ_FD, OPT_INT, READ,
        "File descriptor that signals (edge-triggered) when events may have changed.")
    gssapi_plaintext = SocketOption("gssapi_plaintext", ZMQ_GSSAPI_PLAINTEXT, OPT_INT, READ_WRITE,
        "Disable GSSAPI encryption (1).")
    gssapi_principal = SocketOption("gssapi_principal", ZMQ_GSSAPI_PRINCIPAL, OPT_TEXT, READ_WRITE,
        "Name of this socket's GSSAPI principal.")
    gssapi_principal_nametype = SocketOption("gssapi_principal_nametype", ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, OPT_INT, READ_WRITE,
        "Name type of gssapi_principal (GSSAPI_NT_*).")
    gssapi_server = SocketOption("gssapi_server", ZMQ_GSSAPI_SERVER, OPT_INT, READ_WRITE,
        "Act as GSSAPI server (1).")
    gssapi_service_principal = SocketOption("gssapi_service_principal", ZMQ_GSSAPI_SERVICE_PRINCIPAL, OPT_TEXT, READ_WRITE,
        "Name of the GSSAPI principal of the server to connect to.")
    gssapi_service_principal_nametype = SocketOption("gssapi_service_principal_nametype", ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE, OPT_INT, READ_WRITE,
        "Name type of gssapi_service_principal (GSSAPI_NT_*).")
    handshake_ivl = SocketOption("handshake_ivl", ZMQ_HANDSHAKE_IVL, OPT_INT, READ_WRITE,
        "Milliseconds a ZMTP handshake may take (0: no limit).")
    heartbeat_ivl = SocketOption("heartbeat_ivl", ZMQ_HEARTBEAT_IVL, OPT_INT, READ_WRITE,
        "Milliseconds between ZMTP heartbeats (0: none).")
    heartbeat_timeout = SocketOption("heartbeat_timeout", ZMQ_HEARTBEAT_TIMEOUT, OPT_INT, READ_WRITE,
        "Milliseconds to wait for a heartbeat reply before closing the connection.")
    heartbeat_ttl = SocketOption("heartbeat_ttl", ZMQ_HEARTBEAT_TTL, OPT_INT, READ_WRITE,
        "Time-to-live (ms) this socket asks its peers to apply to its heartbeats.")
    identity = SocketOption("identity", ZMQ_IDENTITY, OPT_BYTES, READ_WRITE,
        "Routing id of this socket as seen by a ROUTER peer (1 to 255 bytes).")
    routing_id = SocketOption("routing_id", ZMQ_ROUTING_ID, OPT_BYTES, READ_WRITE,
        "Alias of identity (libzmq 4.2+ name).")
    immediate = SocketOption("immediate", ZMQ_IMMEDIATE, OPT_INT, READ_WRITE,
        "Queue messages only to completed connections (1).")
    invert_matching = SocketOption("invert_matching", ZMQ_INVERT_MATCHING, OPT_INT, READ_WRITE,
        "PUB/SUB: deliver the messages that do not match the subscriptions (1).")
    ipv4only = SocketOption("ipv4only", ZMQ_IPV4ONLY, OPT_INT, READ_WRITE,
        "Deprecated inverse of ipv6.")
    ipv6 = SocketOption("ipv6", ZMQ_IPV6, OPT_INT, READ_WRITE,
        "Allow IPv6 as well as IPv4 (1).")
    last_endpoint = SocketOption("last_endpoint", ZMQ_LAST_ENDPOINT, OPT_TEXT, READ,
        "The last endpoint bound, with wildcards resolved.")
    linger = SocketOption("linger", ZMQ_LINGER, OPT_INT, READ_WRITE,
        "Milliseconds unsent messages are kept after close (-1: until sent, 0: dropped).")
    maxmsgsize = SocketOption("maxmsgsize", ZMQ_MAXMSGSIZE, OPT_INT64, READ_WRITE,
        "Largest inbound message in bytes; a peer sending more is disconnected (-1: no limit).")
    mechanism = SocketOption("mechanism", ZMQ_MECHANISM, OPT_INT, READ,
        "Security mechanism in use: NULL, PLAIN, CURVE or GSSAPI.")
    multicast_hops = SocketOption("multicast_hops", ZMQ_MULTICAST_HOPS, OPT_INT, READ_WRITE,
        "Time-to-live of outbound multicast packets.")
    multicast_maxtpdu = SocketOption("multicast_maxtpdu", ZMQ_MULTICAST_MAXTPDU, OPT_INT, READ_WRITE,
        "Largest multicast datagram in bytes.")
    plain_password = SocketOption("plain_password", ZMQ_PLAIN_PASSWORD, OPT_TEXT, READ_WRITE,
        "Password for PLAIN authentication (client).")
    plain_server = SocketOption("plain_server", ZMQ_PLAIN_SERVER, OPT_INT, READ_WRITE,
        "Act as PLAIN server (1).")
    plain_username = SocketOption("plain_username", ZMQ_PLAIN_USERNAME, OPT_TEXT, READ_WRITE,
        "User name for PLAIN authentication (client).")
    probe_router = SocketOption("probe_router", ZMQ_PROBE_ROUTER, OPT_INT, WRITE,
        "Send an empty message to a ROUTER peer on connect (1).")
    rate = SocketOption("rate", ZMQ_RATE, OPT_INT, READ_WRITE,
        "Multicast data rate in kilobits per second.")
    rcvbuf = SocketOption("rcvbuf", ZMQ_RCVBUF, OPT_INT, READ_WRITE,
        "Kernel receive buffer size in bytes (-1: the OS default).")
    rcvhwm = SocketOption("rcvhwm", ZMQ_RCVHWM, OPT_INT, READ_WRITE,
        "Receive high-water mark: messages queued per peer (0: no limit).")
    rcvmore = SocketOption("rcvmore", ZMQ_RCVMORE, OPT_INT, READ,
        "1 if the last part received has more parts after it.")
    rcvtimeo = SocketOption("rcvtimeo", ZMQ_RCVTIMEO, OPT_INT, READ_WRITE,
        "Milliseconds a receive waits before raising Again (-1: forever).")
    reconnect_ivl = SocketOption("reconnect_ivl", ZMQ_RECONNECT_IVL, OPT_INT, READ_WRITE,
        "Milliseconds between reconnection attempts (-1: never reconnect).")
    reconnect_ivl_max = SocketOption("reconnect_ivl_max", ZMQ_RECONNECT_IVL_MAX, OPT_INT, READ_WRITE,
        "Upper bound (ms) of the exponential reconnection back-off (0: none).")
    recovery_ivl = SocketOption("recovery_ivl", ZMQ_RECOVERY_IVL, OPT_INT, READ_WRITE,
        "Multicast recovery interval in milliseconds.")
    req_correlate = SocketOption("req_correlate", ZMQ_REQ_CORRELATE, OPT_INT, WRITE,
        "REQ: match replies to requests with a request id (1).")
    req_relaxed = SocketOption("req_relaxed", ZMQ_REQ_RELAXED, OPT_INT, WRITE,
        "REQ: allow a new request before the reply (1).")
    router_handover = SocketOption("router_handover", ZMQ_ROUTER_HANDOVER, OPT_INT, WRITE,
        "ROUTER: a new peer with a known routing id takes over the old connection (1).")
    router_mandatory = SocketOption("router_mandatory", ZMQ_ROUTER_MANDATORY, OPT_INT, WRITE,
        "ROUTER: fail with EHOSTUNREACH for an unknown routing id instead of dropping (1).")
    router_raw = SocketOption("router_raw", ZMQ_ROUTER_RAW, OPT_INT, WRITE,
        "Deprecated: ROUTER in raw TCP mode (use STREAM).")
    sndbuf = SocketOption("sndbuf", ZMQ_SNDBUF, OPT_INT, READ_WRITE,
        "Kernel send buffer size in bytes (-1: the OS default).")
    sndhwm = SocketOption("sndhwm", ZMQ_SNDHWM, OPT_INT, READ_WRITE,
        "Send high-water mark: messages queued per peer (0: no limit).")
    sndtimeo = SocketOption("sndtimeo", ZMQ_SNDTIMEO, OPT_INT, READ_WRITE,
        "Milliseconds a send waits before raising Again (-1: forever).")
    socks_proxy = SocketOption("socks_proxy", ZMQ_SOCKS_PROXY, OPT_TEXT, READ_WRITE,
        "SOCKS5 proxy (host:port) for TCP connections.")
    stream_notify = SocketOption("stream_notify", ZMQ_STREAM_NOTIFY, OPT_INT, WRITE,
        "STREAM: deliver empty messages on connect and disconnect (1, the default).")
    subscribe = SocketOption("subscribe", ZMQ_SUBSCRIBE, OPT_BYTES, WRITE,
        "SUB: add a subscription prefix (b\"\" subscribes to everything).")
    tcp_accept_filter = SocketOption("tcp_accept_filter", ZMQ_TCP_ACCEPT_FILTER, OPT_TEXT, WRITE,
        "Deprecated: also accept TCP connections from this address (\"\" clears the list).")
    tcp_keepalive = SocketOption("tcp_keepalive", ZMQ_TCP_KEEPALIVE, OPT_INT, READ_WRITE,
        "SO_KEEPALIVE: -1 OS default, 0 off, 1 on.")
    tcp_keepalive_cnt = SocketOption("tcp_keepalive_cnt", ZMQ_TCP_KEEPALIVE_CNT, OPT_INT, READ_WRITE,
        "TCP_KEEPCNT (-1: OS default).")
    tcp_keepalive_idle = SocketOption("tcp_keepalive_idle", ZMQ_TCP_KEEPALIVE_IDLE, OPT_INT, READ_WRITE,
        "TCP_KEEPIDLE in seconds (-1: OS default).")
    tcp_keepalive_intvl = SocketOption("tcp_keepalive_intvl", ZMQ_TCP_KEEPALIVE_INTVL, OPT_INT, READ_WRITE,
        "TCP_KEEPINTVL in seconds (-1: OS default).")
    tcp_maxrt = SocketOption("tcp_maxrt", ZMQ_TCP_MAXRT, OPT_INT, READ_WRITE,
        "TCP_USER_TIMEOUT: milliseconds before an unacknowledged connection is dropped.")
    thread_safe = SocketOption("thread_safe", ZMQ_THREAD_SAFE, OPT_INT, READ,
        "1 for the thread-safe (draft) socket types, else 0.")
    tos = SocketOption("tos", ZMQ_TOS, OPT_INT, READ_WRITE,
        "IP type-of-service (DSCP) of outgoing packets.")
    unsubscribe = SocketOption("unsubscribe", ZMQ_UNSUBSCRIBE, OPT_BYTES, WRITE,
        "SUB: remove a subscription prefix.")
    use_fd = SocketOption("use_fd", ZMQ_USE_FD, OPT_INT, READ_WRITE,
        "Bind to this listening socket instead of making one (-1: off); libzmq gets a duplicate, adopted by the next tcp/ipc bind.")
    vmci_buffer_max_size = SocketOption("vmci_buffer_max_size", ZMQ_VMCI_BUFFER_MAX_SIZE, OPT_UINT64, READ_WRITE,
        "VMCI transport: maximum buffer size.")
    vmci_buffer_min_size = SocketOption("vmci_buffer_min_size", ZMQ_VMCI_BUFFER_MIN_SIZE, OPT_UINT64, READ_WRITE,
        "VMCI transport: minimum buffer size.")
    vmci_buffer_size = SocketOption("vmci_buffer_size", ZMQ_VMCI_BUFFER_SIZE, OPT_UINT64, READ_WRITE,
        "VMCI transport: buffer size.")
    vmci_connect_timeout = SocketOption("vmci_connect_timeout", ZMQ_VMCI_CONNECT_TIMEOUT, OPT_INT, READ_WRITE,
        "VMCI transport: connect timeout in milliseconds.")
    xpub_manual = SocketOption("xpub_manual", ZMQ_XPUB_MANUAL, OPT_INT, WRITE,
        "XPUB: subscriptions are applied by the application (1).")
    xpub_nodrop = SocketOption("xpub_nodrop", ZMQ_XPUB_NODROP, OPT_INT, WRITE,
        "XPUB/PUB: fail with EAGAIN at the high-water mark instead of dropping (1).")
    xpub_verbose = SocketOption("xpub_verbose", ZMQ_XPUB_VERBOSE, OPT_INT, WRITE,
        "XPUB: pass on every subscription message, duplicates included (1).")
    xpub_verboser = SocketOption("xpub_verboser", ZMQ_XPUB_VERBOSER, OPT_INT, WRITE,
        "XPUB: pass on every subscription and unsubscription message (1).")
    xpub_welcome_msg = SocketOption("xpub_welcome_msg", ZMQ_XPUB_WELCOME_MSG, OPT_BYTES, WRITE,
        "XPUB: message sent to each new subscriber.")
    zap_domain = SocketOption("zap_domain", ZMQ_ZAP_DOMAIN, OPT_TEXT, READ_WRITE,
        "Authentication (ZAP) domain of this socket.")
