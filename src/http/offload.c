/* offload.c - runs the handlers of writing requests off libmicrohttpd's threads.
 *
 * A write waits for its group commit (app_write). Run on one of libmicrohttpd's pool threads,
 * that wait also held back every other connection the thread serves, so commits gathered only
 * the few requests that happened to sit on different threads (measured: 1 to 5 per commit).
 * Here the connection is suspended and its handler runs on a thread of this pool; when the
 * answer is ready the connection is resumed and server.c sends it. Reads stay where they are:
 * they never wait on the writer, and the hand-over would only add latency. */
#include "http/http_int.h"

#include <pthread.h>
#include <stdlib.h>

struct offload {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    struct req *head, *tail;
    bool stopping;
    int n_threads;
    pthread_t *threads;
    void (*run)(struct req *r); /* computes r->pending and resumes the connection */
};

static void *worker(void *arg)
{
    struct offload *o = arg;
    pthread_setname_np(pthread_self(), "gg-http-write");
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->head && !o->stopping)
            pthread_cond_wait(&o->cond, &o->mu);
        struct req *r = o->head;
        if (!r)
            break; /* stopping and drained */
        o->head = r->next_task;
        if (!o->head)
            o->tail = NULL;
        pthread_mutex_unlock(&o->mu);
        o->run(r);
        pthread_mutex_lock(&o->mu);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

struct offload *offload_start(int threads, void (*run)(struct req *r))
{
    struct offload *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->threads = calloc((size_t)threads, sizeof *o->threads);
    if (!o->threads) {
        free(o);
        return NULL;
    }
    o->run = run;
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cond, NULL);
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&o->threads[i], NULL, worker, o))
            break;
        o->n_threads++;
    }
    if (!o->n_threads) {
        offload_stop(o);
        return NULL;
    }
    return o;
}

bool offload_submit(struct offload *o, struct req *r, void (*suspend)(struct req *r))
{
    pthread_mutex_lock(&o->mu);
    if (o->stopping) {
        pthread_mutex_unlock(&o->mu);
        return false;
    }
    suspend(r); /* before any worker can see it, so that its resume always follows */
    r->next_task = NULL;
    if (o->tail)
        o->tail->next_task = r;
    else
        o->head = r;
    o->tail = r;
    pthread_cond_signal(&o->cond);
    pthread_mutex_unlock(&o->mu);
    return true;
}

void offload_stop(struct offload *o)
{
    if (!o)
        return;
    pthread_mutex_lock(&o->mu);
    o->stopping = true;
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->mu);
    for (int i = 0; i < o->n_threads; i++)
        pthread_join(o->threads[i], NULL);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cond);
    free(o->threads);
    free(o);
}
