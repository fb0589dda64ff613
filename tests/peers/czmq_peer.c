/*  A ZeroMQ peer written in C over CZMQ, driven line by line on stdin by
    tests/test_interop.py (tests/peers/pyzmq_peer.py speaks the same protocol).

    usage: czmq_peer OUTDIR

    Every command gets exactly one line back on stdout: "ok ..." or "err WHAT".
        socket TYPE             make the socket (PAIR, PUB, ... STREAM);
                                rcvtimeo and sndtimeo start at 10 s, linger at 0
        opt NAME VALUE          set an option: integers as decimal, byte
                                strings as a frame token, CURVE keys as Z85
        get mechanism           -> ok NULL|PLAIN|CURVE
        bind ENDPOINT           -> ok LAST_ENDPOINT
        connect ENDPOINT
        send FRAME...           one message -> ok | err again | err hostunreach | err N
        recv                    -> ok FRAME... | err again
        curve server            make a key pair (zcert_new), serve CURVE with it
                                -> ok PUBLIC_Z85
        curve client SERVERKEY [FILE]
                                make a key pair (zcert_new), be a CURVE client of
                                SERVERKEY -> ok PUBLIC_Z85; zcert_save_public
                                saves the certificate as FILE if given
        quit                    close and exit
    A frame token is "x" followed by the data in hex ("x" alone: an empty
    frame) or "@" followed by a file that holds the data; received frames over
    4096 bytes come back as "@OUTDIR/rN".  */

#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zsock_t *sock;
static const char *outdir;
static int received_files;

static void reply (const char *text)
{
    printf ("%s\n", text);
    fflush (stdout);
}

static int hex_value (char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/*  A frame token as a new frame, or NULL if it is malformed.  */
static zframe_t *frame_from_token (const char *token)
{
    if (token [0] == 'x') {
        size_t length = strlen (token + 1);
        if (length % 2)
            return NULL;
        zframe_t *frame = zframe_new (NULL, length / 2);
        byte *data = zframe_data (frame);
        for (size_t index = 0; index < length / 2; index++) {
            int high = hex_value (token [1 + 2 * index]);
            int low = hex_value (token [2 + 2 * index]);
            if (high < 0 || low < 0) {
                zframe_destroy (&frame);
                return NULL;
            }
            data [index] = (byte) (high * 16 + low);
        }
        return frame;
    }
    if (token [0] == '@') {
        FILE *file = fopen (token + 1, "rb");
        if (!file)
            return NULL;
        fseek (file, 0, SEEK_END);
        long size = ftell (file);
        fseek (file, 0, SEEK_SET);
        zframe_t *frame = zframe_new (NULL, (size_t) size);
        if (size > 0 && fread (zframe_data (frame), 1, (size_t) size, file) != (size_t) size)
            zframe_destroy (&frame);
        fclose (file);
        return frame;
    }
    return NULL;
}

/*  Append a frame's token to a growing line.  */
static void append_token (char **line, size_t *used, size_t *capacity, zframe_t *frame)
{
    size_t size = zframe_size (frame);
    char path [4096];
    size_t need;
    if (size > 4096) {
        snprintf (path, sizeof path, "%s/r%d", outdir, ++received_files);
        FILE *file = fopen (path, "wb");
        if (!file || fwrite (zframe_data (frame), 1, size, file) != size) {
            fprintf (stderr, "czmq_peer: can not write %s\n", path);
            exit (1);
        }
        fclose (file);
        need = strlen (path) + 2;
    }
    else
        need = 2 * size + 2;
    if (*used + need + 1 > *capacity) {
        *capacity = (*used + need + 1) * 2;
        *line = (char *) realloc (*line, *capacity);
        if (!*line) {
            fprintf (stderr, "czmq_peer: out of memory\n");
            exit (1);
        }
    }
    char *end = *line + *used;
    *end++ = ' ';
    if (size > 4096) {
        *end++ = '@';
        strcpy (end, path);
        end += strlen (path);
    }
    else {
        *end++ = 'x';
        for (size_t index = 0; index < size; index++) {
            sprintf (end, "%02x", zframe_data (frame) [index]);
            end += 2;
        }
    }
    *end = 0;
    *used = end - *line;
}

static void reply_error (void)
{
    char text [64];
    if (zmq_errno () == EAGAIN)
        reply ("err again");
    else
    if (zmq_errno () == EHOSTUNREACH)
        reply ("err hostunreach");
    else {
        snprintf (text, sizeof text, "err %d", zmq_errno ());
        reply (text);
    }
}

static int socket_type (const char *name)
{
    const char *names [] = {"PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER",
                            "PULL", "PUSH", "XPUB", "XSUB", "STREAM"};
    for (int type = 0; type < 12; type++)
        if (streq (name, names [type]))
            return type;
    return -1;
}

static void set_option (const char *name, const char *value)
{
    const struct { const char *name; int option; char kind; } options [] = {
        {"rcvtimeo", ZMQ_RCVTIMEO, 'i'}, {"sndtimeo", ZMQ_SNDTIMEO, 'i'},
        {"linger", ZMQ_LINGER, 'i'}, {"sndhwm", ZMQ_SNDHWM, 'i'},
        {"rcvhwm", ZMQ_RCVHWM, 'i'}, {"router_mandatory", ZMQ_ROUTER_MANDATORY, 'i'},
        {"curve_server", ZMQ_CURVE_SERVER, 'i'}, {"stream_notify", ZMQ_STREAM_NOTIFY, 'i'},
        {"routing_id", ZMQ_ROUTING_ID, 'b'}, {"subscribe", ZMQ_SUBSCRIBE, 'b'},
        {"unsubscribe", ZMQ_UNSUBSCRIBE, 'b'}, {"connect_routing_id", ZMQ_CONNECT_ROUTING_ID, 'b'},
        {"curve_publickey", ZMQ_CURVE_PUBLICKEY, 'z'},
        {"curve_secretkey", ZMQ_CURVE_SECRETKEY, 'z'},
        {"curve_serverkey", ZMQ_CURVE_SERVERKEY, 'z'},
    };
    for (size_t index = 0; index < sizeof options / sizeof options [0]; index++) {
        if (!streq (name, options [index].name))
            continue;
        int rc;
        if (options [index].kind == 'i') {
            int number = atoi (value);
            rc = zmq_setsockopt (zsock_resolve (sock), options [index].option,
                                 &number, sizeof number);
        }
        else
        if (options [index].kind == 'z')
            rc = zmq_setsockopt (zsock_resolve (sock), options [index].option,
                                 value, strlen (value));
        else {
            zframe_t *frame = frame_from_token (value);
            if (!frame) {
                reply ("err bad value");
                return;
            }
            rc = zmq_setsockopt (zsock_resolve (sock), options [index].option,
                                 zframe_data (frame), zframe_size (frame));
            zframe_destroy (&frame);
        }
        if (rc == 0)
            reply ("ok");
        else
            reply_error ();
        return;
    }
    reply ("err unknown option");
}

static void send_message (char *frames)
{
    zmsg_t *msg = zmsg_new ();
    char *token;
    while ((token = strsep (&frames, " ")) != NULL) {
        zframe_t *frame = frame_from_token (token);
        if (!frame) {
            zmsg_destroy (&msg);
            reply ("err bad frame");
            return;
        }
        zmsg_append (msg, &frame);
    }
    //  zmsg_send keeps the frames it could not send
    if (zmsg_send (&msg, sock) == 0)
        reply ("ok");
    else {
        reply_error ();
        zmsg_destroy (&msg);
    }
}

static void receive_message (void)
{
    zmsg_t *msg = zmsg_recv (sock);
    if (!msg) {
        reply_error ();
        return;
    }
    size_t capacity = 256, used = 2;
    char *line = (char *) malloc (capacity);
    strcpy (line, "ok");
    for (zframe_t *frame = zmsg_first (msg); frame; frame = zmsg_next (msg))
        append_token (&line, &used, &capacity, frame);
    reply (line);
    free (line);
    zmsg_destroy (&msg);
}

static void curve (char *arguments)
{
    char *role = strsep (&arguments, " ");
    zcert_t *cert = zcert_new ();
    zcert_apply (cert, sock);
    if (streq (role, "server"))
        zsock_set_curve_server (sock, 1);
    else {
        char *server_key = strsep (&arguments, " ");
        zsock_set_curve_serverkey (sock, server_key);
        if (arguments) {
            zcert_set_meta (cert, "name", "%s", "czmq peer");
            if (zcert_save_public (cert, arguments)) {
                zcert_destroy (&cert);
                reply ("err save");
                return;
            }
        }
    }
    char text [64];
    snprintf (text, sizeof text, "ok %s", zcert_public_txt (cert));
    zcert_destroy (&cert);
    reply (text);
}

int main (int argc, char *argv [])
{
    if (argc != 2) {
        fprintf (stderr, "usage: czmq_peer OUTDIR\n");
        return 2;
    }
    outdir = argv [1];
    zsys_init ();
    zsys_handler_set (NULL);
    char *line = NULL;
    size_t line_capacity = 0;
    ssize_t length;
    while ((length = getline (&line, &line_capacity, stdin)) > 0) {
        if (line [length - 1] == '\n')
            line [--length] = 0;
        char *rest = line;
        char *command = strsep (&rest, " ");
        if (streq (command, "socket")) {
            int type = rest? socket_type (rest): -1;
            if (type < 0 || sock)
                reply ("err bad socket");
            else {
                sock = zsock_new (type);
                zsock_set_rcvtimeo (sock, 10000);
                zsock_set_sndtimeo (sock, 10000);
                zsock_set_linger (sock, 0);
                reply ("ok");
            }
        }
        else
        if (!sock && !streq (command, "quit"))
            reply ("err no socket");
        else
        if (streq (command, "opt")) {
            char *name = strsep (&rest, " ");
            if (rest)
                set_option (name, rest);
            else
                reply ("err no value");
        }
        else
        if (streq (command, "get") && rest && streq (rest, "mechanism")) {
            const char *names [] = {"NULL", "PLAIN", "CURVE", "GSSAPI"};
            char text [32];
            snprintf (text, sizeof text, "ok %s", names [zsock_mechanism (sock) & 3]);
            reply (text);
        }
        else
        if (streq (command, "bind")) {
            if (zsock_bind (sock, "%s", rest) == -1)
                reply_error ();
            else {
                char *endpoint = zsock_last_endpoint (sock);
                char text [512];
                snprintf (text, sizeof text, "ok %s", endpoint);
                zstr_free (&endpoint);
                reply (text);
            }
        }
        else
        if (streq (command, "connect")) {
            if (zsock_connect (sock, "%s", rest) == -1)
                reply_error ();
            else
                reply ("ok");
        }
        else
        if (streq (command, "send") && rest)
            send_message (rest);
        else
        if (streq (command, "recv"))
            receive_message ();
        else
        if (streq (command, "curve") && rest)
            curve (rest);
        else
        if (streq (command, "quit")) {
            zsock_destroy (&sock);
            reply ("ok");
            break;
        }
        else
            reply ("err unknown command");
    }
    free (line);
    zsock_destroy (&sock);
    return 0;
}
