# Declarations of libzmq 4.3's stable API (zmq.h), with the C names unchanged.
# Only declarations live here; the code that uses them is in pyczmq/types/.

from libc.stdint cimport uint8_t, int64_t, uint64_t


cdef extern from "zmq.h" nogil:

    # Version
    enum: ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH, ZMQ_VERSION

    # Error numbers libzmq defines beyond errno.h
    enum: ZMQ_HAUSNUMERO
    enum: EFSM, ENOCOMPATPROTO, ETERM, EMTHREAD

    # Context options
    enum: ZMQ_IO_THREADS, ZMQ_MAX_SOCKETS, ZMQ_SOCKET_LIMIT, ZMQ_THREAD_PRIORITY
    enum: ZMQ_THREAD_SCHED_POLICY, ZMQ_MAX_MSGSZ, ZMQ_MSG_T_SIZE
    enum: ZMQ_THREAD_AFFINITY_CPU_ADD, ZMQ_THREAD_AFFINITY_CPU_REMOVE, ZMQ_THREAD_NAME_PREFIX
    enum: ZMQ_IO_THREADS_DFLT, ZMQ_MAX_SOCKETS_DFLT, ZMQ_THREAD_PRIORITY_DFLT
    enum: ZMQ_THREAD_SCHED_POLICY_DFLT, ZMQ_BLOCKY

    # Socket types
    enum: ZMQ_PAIR, ZMQ_PUB, ZMQ_SUB, ZMQ_REQ, ZMQ_REP, ZMQ_DEALER, ZMQ_ROUTER
    enum: ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB, ZMQ_XSUB, ZMQ_STREAM
    enum: ZMQ_XREQ, ZMQ_XREP

    # Socket options
    enum: ZMQ_AFFINITY, ZMQ_ROUTING_ID, ZMQ_IDENTITY, ZMQ_SUBSCRIBE, ZMQ_UNSUBSCRIBE
    enum: ZMQ_RATE, ZMQ_RECOVERY_IVL, ZMQ_SNDBUF, ZMQ_RCVBUF, ZMQ_RCVMORE, ZMQ_FD
    enum: ZMQ_EVENTS, ZMQ_TYPE, ZMQ_LINGER, ZMQ_RECONNECT_IVL, ZMQ_BACKLOG
    enum: ZMQ_RECONNECT_IVL_MAX, ZMQ_MAXMSGSIZE, ZMQ_SNDHWM, ZMQ_RCVHWM
    enum: ZMQ_MULTICAST_HOPS, ZMQ_RCVTIMEO, ZMQ_SNDTIMEO, ZMQ_LAST_ENDPOINT
    enum: ZMQ_ROUTER_MANDATORY, ZMQ_TCP_KEEPALIVE, ZMQ_TCP_KEEPALIVE_CNT
    enum: ZMQ_TCP_KEEPALIVE_IDLE, ZMQ_TCP_KEEPALIVE_INTVL, ZMQ_IMMEDIATE
    enum: ZMQ_XPUB_VERBOSE, ZMQ_ROUTER_RAW, ZMQ_IPV6, ZMQ_MECHANISM, ZMQ_PLAIN_SERVER
    enum: ZMQ_PLAIN_USERNAME, ZMQ_PLAIN_PASSWORD, ZMQ_CURVE_SERVER, ZMQ_CURVE_PUBLICKEY
    enum: ZMQ_CURVE_SECRETKEY, ZMQ_CURVE_SERVERKEY, ZMQ_PROBE_ROUTER, ZMQ_REQ_CORRELATE
    enum: ZMQ_REQ_RELAXED, ZMQ_CONFLATE, ZMQ_ZAP_DOMAIN, ZMQ_ROUTER_HANDOVER, ZMQ_TOS
    enum: ZMQ_CONNECT_ROUTING_ID, ZMQ_CONNECT_RID, ZMQ_GSSAPI_SERVER, ZMQ_GSSAPI_PRINCIPAL
    enum: ZMQ_GSSAPI_SERVICE_PRINCIPAL, ZMQ_GSSAPI_PLAINTEXT, ZMQ_HANDSHAKE_IVL
    enum: ZMQ_SOCKS_PROXY, ZMQ_XPUB_NODROP, ZMQ_XPUB_MANUAL, ZMQ_XPUB_WELCOME_MSG
    enum: ZMQ_STREAM_NOTIFY, ZMQ_INVERT_MATCHING, ZMQ_HEARTBEAT_IVL, ZMQ_HEARTBEAT_TTL
    enum: ZMQ_HEARTBEAT_TIMEOUT, ZMQ_XPUB_VERBOSER, ZMQ_CONNECT_TIMEOUT, ZMQ_TCP_MAXRT
    enum: ZMQ_THREAD_SAFE, ZMQ_MULTICAST_MAXTPDU, ZMQ_VMCI_BUFFER_SIZE
    enum: ZMQ_VMCI_BUFFER_MIN_SIZE, ZMQ_VMCI_BUFFER_MAX_SIZE, ZMQ_VMCI_CONNECT_TIMEOUT
    enum: ZMQ_USE_FD, ZMQ_GSSAPI_PRINCIPAL_NAMETYPE, ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE
    enum: ZMQ_BINDTODEVICE, ZMQ_TCP_ACCEPT_FILTER, ZMQ_IPC_FILTER_PID, ZMQ_IPC_FILTER_UID
    enum: ZMQ_IPC_FILTER_GID, ZMQ_IPV4ONLY, ZMQ_DELAY_ATTACH_ON_CONNECT
    enum: ZMQ_FAIL_UNROUTABLE, ZMQ_ROUTER_BEHAVIOR

    # Message options and flags
    enum: ZMQ_MORE, ZMQ_SHARED, ZMQ_SRCFD
    enum: ZMQ_DONTWAIT, ZMQ_SNDMORE, ZMQ_NOBLOCK

    # Security mechanisms
    enum: ZMQ_NULL, ZMQ_PLAIN, ZMQ_CURVE, ZMQ_GSSAPI
    enum: ZMQ_GSSAPI_NT_HOSTBASED, ZMQ_GSSAPI_NT_USER_NAME, ZMQ_GSSAPI_NT_KRB5_PRINCIPAL

    # Socket monitor events
    enum: ZMQ_EVENT_CONNECTED, ZMQ_EVENT_CONNECT_DELAYED, ZMQ_EVENT_CONNECT_RETRIED
    enum: ZMQ_EVENT_LISTENING, ZMQ_EVENT_BIND_FAILED, ZMQ_EVENT_ACCEPTED
    enum: ZMQ_EVENT_ACCEPT_FAILED, ZMQ_EVENT_CLOSED, ZMQ_EVENT_CLOSE_FAILED
    enum: ZMQ_EVENT_DISCONNECTED, ZMQ_EVENT_MONITOR_STOPPED, ZMQ_EVENT_ALL
    enum: ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, ZMQ_EVENT_HANDSHAKE_SUCCEEDED
    enum: ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH

    # The value of a ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL event
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
    enum: ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
    enum: ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED
    enum: ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY
    enum: ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID
    enum: ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION
    enum: ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE
    enum: ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA
    enum: ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED

    # Poll events
    enum: ZMQ_POLLIN, ZMQ_POLLOUT, ZMQ_POLLERR, ZMQ_POLLPRI, ZMQ_POLLITEMS_DFLT

    # Devices
    enum: ZMQ_STREAMER, ZMQ_FORWARDER, ZMQ_QUEUE

    # Errors
    int zmq_errno()
    const char *zmq_strerror(int errnum)
    void zmq_version(int *major, int *minor, int *patch)

    # Context
    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)

    # Messages: zmq_msg_t is an opaque 64-byte blob in zmq.h.
    ctypedef struct zmq_msg_t:
        unsigned char _[64]
    ctypedef void zmq_free_fn(void *data, void *hint)

    int zmq_msg_init(zmq_msg_t *msg)
    int zmq_msg_init_size(zmq_msg_t *msg, size_t size)
    int zmq_msg_init_data(zmq_msg_t *msg, void *data, size_t size, zmq_free_fn *ffn, void *hint)
    int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_close(zmq_msg_t *msg)
    int zmq_msg_move(zmq_msg_t *dest, zmq_msg_t *src)
    int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src)
    void *zmq_msg_data(zmq_msg_t *msg)
    size_t zmq_msg_size(const zmq_msg_t *msg)
    int zmq_msg_more(const zmq_msg_t *msg)
    int zmq_msg_get(const zmq_msg_t *msg, int property)
    int zmq_msg_set(zmq_msg_t *msg, int property, int optval)
    const char *zmq_msg_gets(const zmq_msg_t *msg, const char *property)

    # Sockets
    void *zmq_socket(void *context, int type)
    int zmq_close(void *s)
    int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen)
    int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen)
    int zmq_bind(void *s, const char *addr)
    int zmq_connect(void *s, const char *addr)
    int zmq_unbind(void *s, const char *addr)
    int zmq_disconnect(void *s, const char *addr)
    int zmq_send(void *s, const void *buf, size_t len, int flags)
    int zmq_send_const(void *s, const void *buf, size_t len, int flags)
    int zmq_recv(void *s, void *buf, size_t len, int flags)
    int zmq_socket_monitor(void *s, const char *addr, int events)
    int zmq_sendmsg(void *s, zmq_msg_t *msg, int flags)
    int zmq_recvmsg(void *s, zmq_msg_t *msg, int flags)

    # Polling
    ctypedef struct zmq_pollitem_t:
        void *socket
        int fd
        short events
        short revents
    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)

    # Devices and capabilities
    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *control)
    int zmq_has(const char *capability)

    # Encoding and keys
    char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size)
    uint8_t *zmq_z85_decode(uint8_t *dest, const char *string)
    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)
