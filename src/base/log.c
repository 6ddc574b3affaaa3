/* log.c - stderr logging with a level filter; thread-safe because each line is one write. */
#include "base/log.h"
#include "base/time.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum gg_log_level min_level = GG_LOG_INFO;
static const char *names[] = {"debug", "info", "warn", "error"};

void gg_log_set_level(enum gg_log_level lvl)
{
    min_level = lvl;
}

void gg_log(enum gg_log_level lvl, const char *fmt, ...)
{
    if (lvl < min_level)
        return;
    char line[1024];
    char ts[GG_RFC3339_LEN];
    gg_time_format(gg_time_now(), ts);
    int n = snprintf(line, sizeof line, "%s %s ", ts, names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof line)
        n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line - 1)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, (size_t)n);
    (void)w;
}
