/*  pyczmq_threads.h: try libzmq's I/O thread settings on a thread of our own.

    libzmq 4.3.4 accepts any THREAD_SCHED_POLICY, THREAD_PRIORITY and
    THREAD_AFFINITY_CPU_ADD value in zmq_ctx_set(), then applies them in each
    new I/O thread (applySchedulingParameters, src/thread.cpp) and aborts the
    process when pthread_setschedparam(), nice() or pthread_setaffinity_np()
    fails.  pyczmq_try_thread_settings() makes the same calls, in the same
    order and with the same values, on a short-lived thread, and reports the
    first that fails instead.

    pyczmq_term_in_background() terminates a libzmq context on a detached
    thread: a finalizer must not wait for messages lingering forever.
*/
#ifndef PYCZMQ_THREADS_H
#define PYCZMQ_THREADS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#define PYCZMQ_MAX_CPUS 1024    /* CPU_SETSIZE: libzmq's cpu_set_t holds no more */

enum {
    PYCZMQ_STEP_NONE = 0,
    PYCZMQ_STEP_GETSCHEDPARAM,
    PYCZMQ_STEP_SETSCHEDPARAM,
    PYCZMQ_STEP_NICE,
    PYCZMQ_STEP_AFFINITY,
    PYCZMQ_STEP_THREAD
};

typedef struct {
    int policy;                 /* -1: keep the creating thread's */
    int priority;               /* -1: keep */
    const int *cpus;
    int cpu_count;
    int step;                   /* out: the call that failed */
    int error;                  /* out: its error number */
} pyczmq_thread_settings_t;

static void *pyczmq_apply_thread_settings (void *arg)
{
    pyczmq_thread_settings_t *settings = (pyczmq_thread_settings_t *) arg;
    struct sched_param param;
    int policy = 0, rc, index;
    int use_nice;

    rc = pthread_getschedparam (pthread_self (), &policy, &param);
    if (rc != 0) {
        settings->step = PYCZMQ_STEP_GETSCHEDPARAM;
        settings->error = rc;
        return NULL;
    }
    if (settings->policy != -1)
        policy = settings->policy;
    use_nice = policy != SCHED_FIFO && policy != SCHED_RR;
    if (settings->priority != -1)
        param.sched_priority = use_nice ? 0 : settings->priority;
    rc = pthread_setschedparam (pthread_self (), policy, &param);
    if (rc != 0) {
        settings->step = PYCZMQ_STEP_SETSCHEDPARAM;
        settings->error = rc;
        return NULL;
    }
    if (use_nice && settings->priority != -1) {
        errno = 0;
        if (nice (-20) == -1 && errno != 0) {
            settings->step = PYCZMQ_STEP_NICE;
            settings->error = errno;
            return NULL;
        }
    }
    if (settings->cpu_count > 0) {
        cpu_set_t cpus;
        CPU_ZERO (&cpus);
        for (index = 0; index < settings->cpu_count; index++)
            CPU_SET (settings->cpus [index], &cpus);
        rc = pthread_setaffinity_np (pthread_self (), sizeof (cpu_set_t), &cpus);
        if (rc != 0) {
            settings->step = PYCZMQ_STEP_AFFINITY;
            settings->error = rc;
        }
    }
    return NULL;
}

/*  0 if a new thread takes the settings; else the error number, with the
    failed call in *step. */
static int pyczmq_try_thread_settings (int policy, int priority, const int *cpus,
                                       int cpu_count, int *step)
{
    pyczmq_thread_settings_t settings;
    pthread_t thread;
    int rc;

    settings.policy = policy;
    settings.priority = priority;
    settings.cpus = cpus;
    settings.cpu_count = cpu_count;
    settings.step = PYCZMQ_STEP_NONE;
    settings.error = 0;
    rc = pthread_create (&thread, NULL, pyczmq_apply_thread_settings, &settings);
    if (rc != 0) {
        *step = PYCZMQ_STEP_THREAD;
        return rc;
    }
    pthread_join (thread, NULL);
    *step = settings.step;
    return settings.error;
}

static void *pyczmq_term_thread (void *context)
{
    while (zmq_ctx_term (context) == -1 && zmq_errno () == EINTR)
        ;
    return NULL;
}

/*  0 if a detached thread now runs `run(argument)`, else an error number.
    The thread takes no signals (they belong to the interpreter's threads). */
static int pyczmq_start_detached (void *(*run) (void *), void *argument)
{
    pthread_attr_t attributes;
    pthread_t thread;
    sigset_t blocked, saved;
    int rc;

    sigfillset (&blocked);
    pthread_sigmask (SIG_BLOCK, &blocked, &saved);
    pthread_attr_init (&attributes);
    pthread_attr_setdetachstate (&attributes, PTHREAD_CREATE_DETACHED);
    rc = pthread_create (&thread, &attributes, run, argument);
    pthread_attr_destroy (&attributes);
    pthread_sigmask (SIG_SETMASK, &saved, NULL);
    return rc;
}

/*  0 if a detached thread now terminates `context`, else an error number. */
static int pyczmq_term_in_background (void *context)
{
    return pyczmq_start_detached (pyczmq_term_thread, context);
}

#endif
