/* time.h - timestamps as int64 seconds since the Unix epoch (UTC), RFC 3339 text, and the clock.
 * core/ never calls gg_time_now(): time comes into core as an argument. */
#ifndef GG_BASE_TIME_H
#define GG_BASE_TIME_H

#include <stddef.h>
#include <stdint.h>

#define GG_RFC3339_LEN 21 /* "2026-11-22T08:00:00Z" + NUL */

int64_t gg_time_now(void);       /* wall clock, seconds */
int64_t gg_time_now_ms(void);    /* wall clock, milliseconds */
uint64_t gg_time_mono_ns(void);  /* monotonic, for latency */
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into out[GG_RFC3339_LEN]. */
void gg_time_format(int64_t t, char out[GG_RFC3339_LEN]);
/* Parses RFC 3339 ("…Z" or "…+08:00", optional fraction) or a plain date "YYYY-MM-DD" (UTC
 * midnight). Returns 0 or -GG_EINVAL. */
int gg_time_parse(const char *s, int64_t *out);
/* Days since epoch for a civil date and back (proleptic Gregorian). */
int64_t gg_days_from_civil(int y, int m, int d);
void gg_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
