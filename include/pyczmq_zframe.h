/*  pyczmq_zframe.h: the zmq_msg_t inside a CZMQ zframe_t.

    CZMQ keeps zframe_t opaque, and its public API costs three getsockopt()
    calls per received frame and a copy to put data into a frame.  Its layout
    begins, in every CZMQ 4 release (src/zframe.c), with

        struct _zframe_t { uint32_t tag; zmq_msg_t zmsg; int more; ... };

    so pyczmq moves message data between libzmq and zframes without copies.
    pyczmq_zframe_layout_ok() checks that layout against the CZMQ in use at
    import; when it does not hold, pyczmq copies through the public API.
*/
#ifndef PYCZMQ_ZFRAME_H
#define PYCZMQ_ZFRAME_H

#include <czmq.h>

typedef struct {
    uint32_t tag;
    zmq_msg_t zmsg;
    int more;
} pyczmq_zframe_head_t;

#define PYCZMQ_ZFRAME_TAG 0xcafe0002

static inline zmq_msg_t *pyczmq_zframe_msg (zframe_t *frame)
{
    return &((pyczmq_zframe_head_t *) frame)->zmsg;
}

static inline void pyczmq_zframe_set_more (zframe_t *frame, int more)
{
    ((pyczmq_zframe_head_t *) frame)->more = more;
}

static int pyczmq_zframe_layout_ok (void)
{
    zframe_t *frame = zframe_new ("pyczmq layout check, longer than a VSM message", 48);
    if (!frame)
        return 0;
    pyczmq_zframe_head_t *head = (pyczmq_zframe_head_t *) frame;
    int ok = head->tag == PYCZMQ_ZFRAME_TAG
          && zmq_msg_data (&head->zmsg) == (void *) zframe_data (frame)
          && zmq_msg_size (&head->zmsg) == zframe_size (frame);
    if (ok) {
        zframe_set_more (frame, 1);
        ok = head->more == 1 && zframe_more (frame) == 1;
    }
    zframe_destroy (&frame);
    return ok;
}

#endif
