/*  zmqperf: the C reference of python -m pyczmq.perf, straight on libzmq.

    zmqperf pull ENDPOINT COUNT SIZE PARTS   bind, print "ready ENDPOINT", receive
                                             a warm-up message, then time COUNT
                                             messages; print the seconds
    zmqperf push ENDPOINT COUNT SIZE PARTS   connect and send 1 + COUNT messages
    zmqperf rep ENDPOINT COUNT SIZE          bind, print "ready ENDPOINT", echo
                                             1 + COUNT requests
    zmqperf req ENDPOINT COUNT SIZE          connect; one warm-up round trip, then
                                             time COUNT round trips; print the seconds
    zmqperf inproc-thr COUNT SIZE PARTS      PUSH/PULL between two threads
    zmqperf inproc-lat COUNT SIZE            REQ/REP between two threads

    Messages of PARTS parts of SIZE bytes each are sent with zmq_send and
    ZMQ_SNDMORE and received with zmq_msg_recv, as a C program would.
*/

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define CHECK(expr) do { if ((expr) < 0) { fprintf (stderr, "zmqperf: %s: %s\n", #expr, \
    zmq_strerror (zmq_errno ())); exit (1); } } while (0)

static double now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_message (void *sock, const char *data, size_t size, int parts)
{
    for (int part = 0; part < parts; part++)
        CHECK (zmq_send (sock, data, size, part < parts - 1 ? ZMQ_SNDMORE : 0));
}

static void recv_message (void *sock, zmq_msg_t *msg)
{
    do
        CHECK (zmq_msg_recv (msg, sock, 0));
    while (zmq_msg_more (msg));
}

static int announce = 1;                        /* print "ready ENDPOINT" once bound */

static void *bound (void *ctx, int type, const char *endpoint)
{
    void *sock = zmq_socket (ctx, type);
    int hwm = 100000;
    CHECK (zmq_setsockopt (sock, ZMQ_RCVHWM, &hwm, sizeof hwm));
    CHECK (zmq_setsockopt (sock, ZMQ_SNDHWM, &hwm, sizeof hwm));
    CHECK (zmq_bind (sock, endpoint));
    char last [256];
    size_t length = sizeof last;
    CHECK (zmq_getsockopt (sock, ZMQ_LAST_ENDPOINT, last, &length));
    if (announce) {
        printf ("ready %s\n", last);
        fflush (stdout);
    }
    return sock;
}

static void *connected (void *ctx, int type, const char *endpoint)
{
    void *sock = zmq_socket (ctx, type);
    int hwm = 100000;
    CHECK (zmq_setsockopt (sock, ZMQ_RCVHWM, &hwm, sizeof hwm));
    CHECK (zmq_setsockopt (sock, ZMQ_SNDHWM, &hwm, sizeof hwm));
    CHECK (zmq_connect (sock, endpoint));
    return sock;
}

typedef struct { void *ctx; const char *endpoint; long count; size_t size; int parts; } job_t;

static double pull (job_t *job)
{
    void *sock = bound (job->ctx, ZMQ_PULL, job->endpoint);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    recv_message (sock, &msg);                  /* warm-up */
    double start = now ();
    for (long i = 0; i < job->count; i++)
        recv_message (sock, &msg);
    double elapsed = now () - start;
    zmq_msg_close (&msg);
    zmq_close (sock);
    return elapsed;
}

static void *push (void *arg)
{
    job_t *job = arg;
    void *sock = connected (job->ctx, ZMQ_PUSH, job->endpoint);
    char *data = calloc (1, job->size + 1);
    for (long i = 0; i <= job->count; i++)
        send_message (sock, data, job->size, job->parts);
    int linger = -1;
    zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close (sock);
    free (data);
    return NULL;
}

static void *rep (void *arg)
{
    job_t *job = arg;
    void *sock = bound (job->ctx, ZMQ_REP, job->endpoint);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    for (long i = 0; i <= job->count; i++) {
        CHECK (zmq_msg_recv (&msg, sock, 0));
        CHECK (zmq_msg_send (&msg, sock, 0));
    }
    zmq_msg_close (&msg);
    int linger = -1;
    zmq_setsockopt (sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close (sock);
    return NULL;
}

static double req (job_t *job)
{
    void *sock = connected (job->ctx, ZMQ_REQ, job->endpoint);
    char *data = calloc (1, job->size + 1);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    send_message (sock, data, job->size, 1);   /* warm-up */
    recv_message (sock, &msg);
    double start = now ();
    for (long i = 0; i < job->count; i++) {
        send_message (sock, data, job->size, 1);
        recv_message (sock, &msg);
    }
    double elapsed = now () - start;
    zmq_msg_close (&msg);
    zmq_close (sock);
    free (data);
    return elapsed;
}

int main (int argc, char *argv [])
{
    if (argc < 4) {
        fprintf (stderr, "usage: see the comment at the top of zmqperf.c\n");
        return 2;
    }
    const char *mode = argv [1];
    job_t job = { zmq_ctx_new (), NULL, 0, 0, 1 };
    double elapsed = -1;
    if (strncmp (mode, "inproc-", 7) == 0) {
        job.endpoint = "inproc://zmqperf";
        job.count = atol (argv [2]);
        job.size = atol (argv [3]);
        job.parts = argc > 4 ? atoi (argv [4]) : 1;
        pthread_t thread;
        announce = 0;
        if (strcmp (mode, "inproc-thr") == 0) {
            void *sock = bound (job.ctx, ZMQ_PULL, job.endpoint);
            pthread_create (&thread, NULL, push, &job);
            zmq_msg_t msg;
            zmq_msg_init (&msg);
            recv_message (sock, &msg);
            double start = now ();
            for (long i = 0; i < job.count; i++)
                recv_message (sock, &msg);
            elapsed = now () - start;
            zmq_msg_close (&msg);
            pthread_join (thread, NULL);
            zmq_close (sock);
        }
        else {
            pthread_create (&thread, NULL, rep, &job);
            elapsed = req (&job);               /* inproc connect before bind is fine */
            pthread_join (thread, NULL);
        }
    }
    else {
        job.endpoint = argv [2];
        job.count = atol (argv [3]);
        job.size = atol (argv [4]);
        job.parts = argc > 5 ? atoi (argv [5]) : 1;
        if (strcmp (mode, "pull") == 0)
            elapsed = pull (&job);
        else if (strcmp (mode, "push") == 0)
            push (&job);
        else if (strcmp (mode, "rep") == 0)
            rep (&job);
        else if (strcmp (mode, "req") == 0)
            elapsed = req (&job);
        else {
            fprintf (stderr, "zmqperf: unknown mode %s\n", mode);
            return 2;
        }
    }
    if (elapsed >= 0)
        printf ("%.9f\n", elapsed);
    zmq_ctx_term (job.ctx);
    return 0;
}
