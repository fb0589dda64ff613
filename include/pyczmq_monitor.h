/*  pyczmq_monitor.h: a socket monitor whose events never block libzmq.

    libzmq 4.3.4 sends each monitor event on a PAIR socket with a blocking
    send (socket_base_t::monitor_event): until a reader connects, and while
    the reader's queue is full, the monitored socket's own calls (bind(),
    close()) and the I/O threads that raise events wait, forever if nobody
    reads.  pyczmq points libzmq's monitor at a private endpoint whose reader
    has no high-water mark, so libzmq never waits, and this thread forwards
    the events, in order, to a PAIR bound at the endpoint the application
    asked for, keeping them while no reader is connected there.

    The thread ends on MONITOR_STOPPED (always asked for: libzmq sends it when
    the monitor is stopped or replaced and when the socket goes away) after
    handing over what it can without waiting, or when the context ends.
*/
#ifndef PYCZMQ_MONITOR_H
#define PYCZMQ_MONITOR_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pyczmq_threads.h"     /* pyczmq_start_detached */

typedef struct pyczmq_event_part_t {
    zmq_msg_t msg;
    int more;
    struct pyczmq_event_part_t *next;
} pyczmq_event_part_t;

typedef struct {
    void *reader;               /* PAIR connected to libzmq's monitor endpoint */
    void *publisher;            /* PAIR bound at the application's endpoint */
    int forward_stopped;        /* the application asked for MONITOR_STOPPED */
    int done_fd;                /* written, then closed, when the thread ends */
} pyczmq_monitor_t;

/*  Forwarder threads running in this process (pyczmq.live_objects()'s
    "monitors"), changed atomically: the threads end without the GIL.  A
    forked child has none of its parent's threads: it starts at zero. */
static int pyczmq_monitors_live = 0;

static void pyczmq_monitors_after_fork (void)
{
    __atomic_store_n (&pyczmq_monitors_live, 0, __ATOMIC_SEQ_CST);
}

static void pyczmq_monitors_register_fork (void)
{
    pthread_atfork (NULL, NULL, pyczmq_monitors_after_fork);
}

static int pyczmq_monitors_running (void)
{
    return __atomic_load_n (&pyczmq_monitors_live, __ATOMIC_SEQ_CST);
}

/*  Receive the parts of every event waiting on the reader into the queue;
    1 once MONITOR_STOPPED has come. */
static int pyczmq_monitor_take (pyczmq_monitor_t *self, pyczmq_event_part_t ***tail)
{
    zmq_msg_t part;
    int stopped = 0, first = 1, keep = 1;
    uint16_t event;
    pyczmq_event_part_t *node;

    while (1) {
        zmq_msg_init (&part);
        if (zmq_msg_recv (&part, self->reader, ZMQ_DONTWAIT) == -1) {
            zmq_msg_close (&part);
            return stopped;
        }
        if (first) {
            keep = 1;
            if (zmq_msg_size (&part) >= sizeof (event)) {
                memcpy (&event, zmq_msg_data (&part), sizeof (event));
                if (event == ZMQ_EVENT_MONITOR_STOPPED) {
                    stopped = 1;
                    keep = self->forward_stopped;
                }
            }
        }
        first = !zmq_msg_more (&part);
        node = keep ? (pyczmq_event_part_t *) malloc (sizeof *node) : NULL;
        if (!node) {                /* not asked for (or no memory): dropped */
            zmq_msg_close (&part);
            continue;
        }
        zmq_msg_init (&node->msg);
        zmq_msg_move (&node->msg, &part);
        zmq_msg_close (&part);
        node->more = !first;
        node->next = NULL;
        **tail = node;
        *tail = &node->next;
    }
}

static void *pyczmq_monitor_thread (void *arg)
{
    pyczmq_monitor_t *self = (pyczmq_monitor_t *) arg;
    pyczmq_event_part_t *head = NULL, **tail = &head, *node;
    zmq_pollitem_t items [2];
    int stopped = 0;
    char done = 1;

    while (!stopped) {
        items [0].socket = self->reader;
        items [0].events = ZMQ_POLLIN;
        items [1].socket = self->publisher;
        items [1].events = ZMQ_POLLOUT;
        items [0].revents = items [1].revents = 0;
        /* Room at the application's reader matters only with events to hand over. */
        if (zmq_poll (items, head ? 2 : 1, -1) == -1) {
            if (zmq_errno () == EINTR)
                continue;
            break;                  /* ETERM: the context ends */
        }
        stopped = pyczmq_monitor_take (self, &tail);
        while (head
               && zmq_msg_send (&head->msg, self->publisher,
                                (head->more ? ZMQ_SNDMORE : 0) | ZMQ_DONTWAIT) != -1) {
            node = head;
            head = head->next;
            zmq_msg_close (&node->msg);
            free (node);
        }
        if (!head)
            tail = &head;
    }
    while (head) {                  /* nobody to take them */
        node = head;
        head = head->next;
        zmq_msg_close (&node->msg);
        free (node);
    }
    zmq_close (self->reader);
    zmq_close (self->publisher);
    /* Before the done byte: who waits for it sees the count already down. */
    __atomic_sub_fetch (&pyczmq_monitors_live, 1, __ATOMIC_SEQ_CST);
    if (write (self->done_fd, &done, 1) < 0) {
        /* nobody waits */
    }
    close (self->done_fd);
    free (self);
    return NULL;
}

/*  Start forwarding from `reader` to `publisher`, which the thread then owns
    (and closes); `done_fd` is written and closed when it ends.  0, or an error
    number (nothing started, nothing closed). */
static int pyczmq_monitor_start (void *reader, void *publisher, int forward_stopped,
                                 int done_fd)
{
    static pthread_once_t fork_hook = PTHREAD_ONCE_INIT;
    pyczmq_monitor_t *self = (pyczmq_monitor_t *) malloc (sizeof *self);
    int rc;

    if (!self)
        return ENOMEM;
    pthread_once (&fork_hook, pyczmq_monitors_register_fork);
    self->reader = reader;
    self->publisher = publisher;
    self->forward_stopped = forward_stopped;
    self->done_fd = done_fd;
    __atomic_add_fetch (&pyczmq_monitors_live, 1, __ATOMIC_SEQ_CST);
    rc = pyczmq_start_detached (pyczmq_monitor_thread, self);
    if (rc != 0) {
        __atomic_sub_fetch (&pyczmq_monitors_live, 1, __ATOMIC_SEQ_CST);
        free (self);
    }
    return rc;
}

#endif
