/* log.h - one-line structured logs to stderr: `ts level msg key=value…`. */
#ifndef GG_BASE_LOG_H
#define GG_BASE_LOG_H

enum gg_log_level { GG_LOG_DEBUG, GG_LOG_INFO, GG_LOG_WARN, GG_LOG_ERROR };

void gg_log_set_level(enum gg_log_level lvl);
void gg_log(enum gg_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define gg_info(...) gg_log(GG_LOG_INFO, __VA_ARGS__)
#define gg_warn(...) gg_log(GG_LOG_WARN, __VA_ARGS__)
#define gg_errlog(...) gg_log(GG_LOG_ERROR, __VA_ARGS__)

#endif
