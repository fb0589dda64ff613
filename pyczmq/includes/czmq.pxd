# Declarations of CZMQ 4.2's stable API (czmq.h), with the C names unchanged.
#
# Only functions that Debian's libczmq.so.4 exports are declared: DRAFT
# functions are not (see shared/reference/czmq-4.2.1-functions-debian.txt);
# declaring one would link but fail at import with "undefined symbol".
# Functions taking a printf-style format must be called with "%s".

from libc.stdint cimport int64_t, uint32_t
from libc.stdio cimport FILE

from pyczmq.includes.libzmq cimport zmq_pollitem_t


cdef extern from "czmq.h" nogil:

    ctypedef unsigned char byte

    # Opaque CZMQ classes
    ctypedef struct zsock_t:
        pass
    ctypedef struct zactor_t:
        pass
    ctypedef struct zframe_t:
        pass
    ctypedef struct zmsg_t:
        pass
    ctypedef struct zloop_t:
        pass
    ctypedef struct zpoller_t:
        pass
    ctypedef struct zcert_t:
        pass
    ctypedef struct zcertstore_t:
        pass
    ctypedef struct zlist_t:
        pass

    enum: CZMQ_VERSION_MAJOR, CZMQ_VERSION_MINOR, CZMQ_VERSION_PATCH, CZMQ_VERSION

    # zsys: process-wide state
    ctypedef void zsys_handler_fn(int signal_value)
    void *zsys_init()
    void zsys_shutdown()
    void *zsys_socket(int type, const char *filename, size_t line_nbr)
    int zsys_close(void *handle, const char *filename, size_t line_nbr)
    char *zsys_sockname(int socktype)
    zsock_t *zsys_create_pipe(zsock_t **backend_p)
    void zsys_handler_set(zsys_handler_fn *handler_fn)
    # CZMQ's interrupt flag (its own signal handler sets it; pyczmq's is off)
    volatile int zsys_interrupted
    void zsys_handler_reset()
    void zsys_catch_interrupts()
    void zsys_version(int *major, int *minor, int *patch)
    bint zsys_has_curve()
    void zsys_set_io_threads(size_t io_threads)
    void zsys_set_max_sockets(size_t max_sockets)
    size_t zsys_socket_limit()
    void zsys_set_max_msgsz(int max_msgsz)
    int zsys_max_msgsz()
    void zsys_set_linger(size_t linger)
    void zsys_set_sndhwm(size_t sndhwm)
    void zsys_set_rcvhwm(size_t rcvhwm)
    void zsys_set_pipehwm(size_t pipehwm)
    size_t zsys_pipehwm()
    void zsys_set_ipv6(int ipv6)
    int zsys_ipv6()
    void zsys_set_interface(const char *value)
    const char *zsys_interface()
    const char *zsys_ipv6_address()
    const char *zsys_ipv6_mcast_address()
    void zsys_set_logident(const char *value)
    void zsys_set_logstream(FILE *stream)
    void zsys_set_logsystem(bint logsystem)
    void zsys_info(const char *format, ...)

    # zsock: sockets (pyczmq creates libzmq handles with zsys_socket; these
    # accept either a zsock_t or a raw handle where CZMQ says "polymorphic")
    zsock_t *zsock_new(int type)
    void zsock_destroy(zsock_t **self_p)
    int zsock_bind(zsock_t *self, const char *format, ...)
    const char *zsock_endpoint(zsock_t *self)
    int zsock_unbind(zsock_t *self, const char *format, ...)
    int zsock_connect(zsock_t *self, const char *format, ...)
    int zsock_disconnect(zsock_t *self, const char *format, ...)
    const char *zsock_type_str(zsock_t *self)
    int zsock_signal(void *self, byte status)
    int zsock_wait(void *self)
    void zsock_flush(void *self)
    bint zsock_is(void *self)
    void *zsock_resolve(void *self)

    # zframe: one message part
    enum: ZFRAME_MORE, ZFRAME_REUSE, ZFRAME_DONTWAIT
    zframe_t *zframe_new(const void *data, size_t size)
    zframe_t *zframe_new_empty()
    zframe_t *zframe_from(const char *string)
    zframe_t *zframe_recv(void *source)
    zframe_t *zframe_recv_nowait(void *source)
    void zframe_destroy(zframe_t **self_p)
    int zframe_send(zframe_t **self_p, void *dest, int flags)
    size_t zframe_size(zframe_t *self)
    byte *zframe_data(zframe_t *self)
    const char *zframe_meta(zframe_t *self, const char *property)
    zframe_t *zframe_dup(zframe_t *self)
    char *zframe_strhex(zframe_t *self)
    char *zframe_strdup(zframe_t *self)
    bint zframe_streq(zframe_t *self, const char *string)
    int zframe_more(zframe_t *self)
    void zframe_set_more(zframe_t *self, int more)
    bint zframe_eq(zframe_t *self, zframe_t *other)
    void zframe_reset(zframe_t *self, const void *data, size_t size)
    bint zframe_is(void *self)

    # zmsg: a list of frames
    zmsg_t *zmsg_new()
    zmsg_t *zmsg_recv(void *source)
    zmsg_t *zmsg_recv_nowait(void *source)
    zmsg_t *zmsg_load(FILE *file)
    zmsg_t *zmsg_decode(zframe_t *frame)
    void zmsg_destroy(zmsg_t **self_p)
    int zmsg_send(zmsg_t **self_p, void *dest)
    int zmsg_sendm(zmsg_t **self_p, void *dest)
    size_t zmsg_size(zmsg_t *self)
    size_t zmsg_content_size(zmsg_t *self)
    int zmsg_prepend(zmsg_t *self, zframe_t **frame_p)
    int zmsg_append(zmsg_t *self, zframe_t **frame_p)
    zframe_t *zmsg_pop(zmsg_t *self)
    int zmsg_pushmem(zmsg_t *self, const void *data, size_t size)
    int zmsg_addmem(zmsg_t *self, const void *data, size_t size)
    int zmsg_pushstr(zmsg_t *self, const char *string)
    int zmsg_addstr(zmsg_t *self, const char *string)
    char *zmsg_popstr(zmsg_t *self)
    int zmsg_addmsg(zmsg_t *self, zmsg_t **msg_p)
    zmsg_t *zmsg_popmsg(zmsg_t *self)
    void zmsg_remove(zmsg_t *self, zframe_t *frame)
    zframe_t *zmsg_first(zmsg_t *self)
    zframe_t *zmsg_next(zmsg_t *self)
    zframe_t *zmsg_last(zmsg_t *self)
    int zmsg_save(zmsg_t *self, FILE *file)
    zframe_t *zmsg_encode(zmsg_t *self)
    zmsg_t *zmsg_dup(zmsg_t *self)
    bint zmsg_eq(zmsg_t *self, zmsg_t *other)
    bint zmsg_is(void *self)
    zframe_t *zmsg_unwrap(zmsg_t *self)

    # zstr: strings as single frames
    char *zstr_recv(void *source)
    char *zstr_recv_nowait(void *source)
    int zstr_send(void *dest, const char *string)
    int zstr_sendm(void *dest, const char *string)
    int zstr_sendf(void *dest, const char *format, ...)
    void zstr_free(char **string_p)

    # zactor: a thread with a pipe
    ctypedef void zactor_fn(zsock_t *pipe, void *args)
    zactor_t *zactor_new(zactor_fn *task, void *args)
    void zactor_destroy(zactor_t **self_p)
    int zactor_send(zactor_t *self, zmsg_t **msg_p)
    zmsg_t *zactor_recv(zactor_t *self)
    bint zactor_is(void *self)
    void *zactor_resolve(void *self)
    zsock_t *zactor_sock(zactor_t *self)

    # zloop: reactor
    ctypedef int zloop_reader_fn(zloop_t *loop, zsock_t *reader, void *arg)
    ctypedef int zloop_fn(zloop_t *loop, zmq_pollitem_t *item, void *arg)
    ctypedef int zloop_timer_fn(zloop_t *loop, int timer_id, void *arg)
    zloop_t *zloop_new()
    void zloop_destroy(zloop_t **self_p)
    int zloop_reader(zloop_t *self, zsock_t *sock, zloop_reader_fn handler, void *arg)
    void zloop_reader_end(zloop_t *self, zsock_t *sock)
    void zloop_reader_set_tolerant(zloop_t *self, zsock_t *sock)
    int zloop_poller(zloop_t *self, zmq_pollitem_t *item, zloop_fn handler, void *arg)
    void zloop_poller_end(zloop_t *self, zmq_pollitem_t *item)
    void zloop_poller_set_tolerant(zloop_t *self, zmq_pollitem_t *item)
    int zloop_timer(zloop_t *self, size_t delay, size_t times, zloop_timer_fn handler, void *arg)
    int zloop_timer_end(zloop_t *self, int timer_id)
    void *zloop_ticket(zloop_t *self, zloop_timer_fn handler, void *arg)
    void zloop_ticket_reset(zloop_t *self, void *handle)
    void zloop_ticket_delete(zloop_t *self, void *handle)
    void zloop_set_ticket_delay(zloop_t *self, size_t ticket_delay)
    void zloop_set_max_timers(zloop_t *self, size_t max_timers)
    void zloop_set_verbose(zloop_t *self, bint verbose)
    void zloop_set_nonstop(zloop_t *self, bint nonstop)
    int zloop_start(zloop_t *self)

    # zpoller: poll a set of readers
    zpoller_t *zpoller_new(void *reader, ...)
    void zpoller_destroy(zpoller_t **self_p)
    int zpoller_add(zpoller_t *self, void *reader)
    int zpoller_remove(zpoller_t *self, void *reader)
    void zpoller_set_nonstop(zpoller_t *self, bint nonstop)
    void *zpoller_wait(zpoller_t *self, int timeout)
    bint zpoller_expired(zpoller_t *self)
    bint zpoller_terminated(zpoller_t *self)

    # zcert and zcertstore: CURVE certificates
    zcert_t *zcert_new()
    zcert_t *zcert_new_from(const byte *public_key, const byte *secret_key)
    zcert_t *zcert_load(const char *filename)
    void zcert_destroy(zcert_t **self_p)
    const byte *zcert_public_key(zcert_t *self)
    const byte *zcert_secret_key(zcert_t *self)
    const char *zcert_public_txt(zcert_t *self)
    const char *zcert_secret_txt(zcert_t *self)
    void zcert_set_meta(zcert_t *self, const char *name, const char *format, ...)
    const char *zcert_meta(zcert_t *self, const char *name)
    zlist_t *zcert_meta_keys(zcert_t *self)
    int zcert_save(zcert_t *self, const char *filename)
    int zcert_save_public(zcert_t *self, const char *filename)
    int zcert_save_secret(zcert_t *self, const char *filename)
    void zcert_apply(zcert_t *self, void *socket)
    zcert_t *zcert_dup(zcert_t *self)
    bint zcert_eq(zcert_t *self, zcert_t *compare)
    void zcert_print(zcert_t *self)

    zcertstore_t *zcertstore_new(const char *location)
    void zcertstore_destroy(zcertstore_t **self_p)
    zcert_t *zcertstore_lookup(zcertstore_t *self, const char *public_key)
    void zcertstore_insert(zcertstore_t *self, zcert_t **cert_p)
    void zcertstore_print(zcertstore_t *self)

    # Actors for authentication and discovery
    void zauth(zsock_t *pipe, void *certstore)
    void zauth_test(bint verbose)
    void zbeacon(zsock_t *pipe, void *unused)

    # zlist (for zcert_meta_keys)
    void *zlist_first(zlist_t *self)
    void *zlist_next(zlist_t *self)
    size_t zlist_size(zlist_t *self)
    void zlist_destroy(zlist_t **self_p)

    # zclock
    void zclock_sleep(int msecs)
    int64_t zclock_time()
    int64_t zclock_mono()
    int64_t zclock_usecs()
