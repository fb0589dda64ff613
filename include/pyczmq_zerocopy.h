/*  Zero-copy sends: libzmq is handed a Python buffer itself, and frees the
    message from whichever thread drops it last -- one of its I/O threads, or
    a receiver's.  That thread must not take the GIL (the GIL's holder may be
    waiting for it), so the free function only queues the buffer's record and
    wakes pyczmq's releaser thread, which releases the buffer with the GIL.
    A tracker waits on the record's `done` flag.  Records are freed with the
    GIL held once libzmq and every tracker are done with them.  */

#ifndef PYCZMQ_ZEROCOPY_H
#define PYCZMQ_ZEROCOPY_H

#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

typedef struct pyczmq_zc {
    Py_buffer view;             /* the exported buffer: holds the object */
    int refs;                   /* 1 for libzmq + 1 per tracker (GIL held) */
    int done;                   /* libzmq freed the message (under the lock) */
    struct pyczmq_zc *next;     /* in the queue of records to release */
} pyczmq_zc_t;

static pthread_mutex_t pyczmq_zc_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pyczmq_zc_cond = PTHREAD_COND_INITIALIZER;
static pyczmq_zc_t *pyczmq_zc_queue = NULL;
static int pyczmq_zc_wake_fd = -1;     /* the releaser's pipe, write end */
static long pyczmq_zc_in_flight = 0;   /* records libzmq still holds */

/*  libzmq's free function (zmq_msg_init_data): any thread, no GIL.  */
static void pyczmq_zc_free (void *data, void *hint)
{
    pyczmq_zc_t *record = (pyczmq_zc_t *) hint;
    int fd;
    (void) data;
    pthread_mutex_lock (&pyczmq_zc_lock);
    record->done = 1;
    record->next = pyczmq_zc_queue;
    pyczmq_zc_queue = record;
    pyczmq_zc_in_flight--;
    fd = pyczmq_zc_wake_fd;
    pthread_cond_broadcast (&pyczmq_zc_cond);
    pthread_mutex_unlock (&pyczmq_zc_lock);
    if (fd >= 0) {
        char byte = 0;
        ssize_t rc = write (fd, &byte, 1);     /* a full pipe is awake already */
        (void) rc;
    }
}

static void pyczmq_zc_sending (void)
{
    pthread_mutex_lock (&pyczmq_zc_lock);
    pyczmq_zc_in_flight++;
    pthread_mutex_unlock (&pyczmq_zc_lock);
}

static long pyczmq_zc_count (void)
{
    long count;
    pthread_mutex_lock (&pyczmq_zc_lock);
    count = pyczmq_zc_in_flight;
    pthread_mutex_unlock (&pyczmq_zc_lock);
    return count;
}

static void pyczmq_zc_set_wake_fd (int fd)
{
    pthread_mutex_lock (&pyczmq_zc_lock);
    pyczmq_zc_wake_fd = fd;
    pthread_mutex_unlock (&pyczmq_zc_lock);
}

/*  The records libzmq has let go of since the last call (a list by next).  */
static pyczmq_zc_t *pyczmq_zc_take_released (void)
{
    pyczmq_zc_t *list;
    pthread_mutex_lock (&pyczmq_zc_lock);
    list = pyczmq_zc_queue;
    pyczmq_zc_queue = NULL;
    pthread_mutex_unlock (&pyczmq_zc_lock);
    return list;
}

/*  Wait (no GIL) until libzmq is done with the record: 1, or 0 when
    timeout_ms (>= 0) passed first.  */
static int pyczmq_zc_wait (pyczmq_zc_t *record, long timeout_ms)
{
    struct timespec deadline;
    int done, rc = 0;
    if (timeout_ms >= 0) {
        clock_gettime (CLOCK_REALTIME, &deadline);
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec += 1;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock (&pyczmq_zc_lock);
    while (!record->done && rc != ETIMEDOUT) {
        if (timeout_ms >= 0)
            rc = pthread_cond_timedwait (&pyczmq_zc_cond, &pyczmq_zc_lock, &deadline);
        else
            pthread_cond_wait (&pyczmq_zc_cond, &pyczmq_zc_lock);
    }
    done = record->done;
    pthread_mutex_unlock (&pyczmq_zc_lock);
    return done;
}

static int pyczmq_zc_done (pyczmq_zc_t *record)
{
    int done;
    pthread_mutex_lock (&pyczmq_zc_lock);
    done = record->done;
    pthread_mutex_unlock (&pyczmq_zc_lock);
    return done;
}

/*  In a forked child: the lock may have been held by a thread that does not
    exist here, and the records are the parent's.  */
static void pyczmq_zc_after_fork (void)
{
    pthread_mutex_init (&pyczmq_zc_lock, NULL);
    pthread_cond_init (&pyczmq_zc_cond, NULL);
    pyczmq_zc_queue = NULL;
    pyczmq_zc_wake_fd = -1;
    pyczmq_zc_in_flight = 0;
}

#endif
