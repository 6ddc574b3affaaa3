/* server.h - the HTTP front: libmicrohttpd, one static route table, JSON in and out.
 * It turns requests into app/ calls and results into JSON; it decides no policy. */
#ifndef GG_HTTP_SERVER_H
#define GG_HTTP_SERVER_H

#include <stdint.h>

#include "app/app.h"

struct http_config {
    const char *listen;  /* "127.0.0.1:8080"; port 0 picks a free port */
    int threads;         /* HTTP worker threads (default 2 per CPU, 4 to 16); writes and
                          * exports run on a separate pool of 32 (offload.c) */
    const char *web_dir; /* static console files served at / with SPA fallback; NULL = none */
};

struct http_server;

int http_server_start(struct app *app, const struct http_config *cfg, struct http_server **out,
                      struct gg_error *err);
uint16_t http_server_port(const struct http_server *s);
void http_server_stop(struct http_server *s); /* NULL-safe; waits for requests in flight */

#endif
