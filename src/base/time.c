/* time.c - UTC timestamps and RFC 3339, without the locale- and TZ-dependent libc calls. */
#include "base/time.h"
#include "base/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t gg_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t gg_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t gg_time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Howard Hinnant's civil-date algorithms. */
int64_t gg_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gg_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

void gg_time_format(int64_t t, char out[GG_RFC3339_LEN])
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int y, m, d;
    gg_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, GG_RFC3339_LEN, "0000-01-01T00:00:00Z");
        return;
    }
    /* by hand: snprintf was 5 % of listing events (nine times per event) */
    unsigned v[6] = {(unsigned)y, (unsigned)m, (unsigned)d, (unsigned)(secs / 3600) % 24u,
                     (unsigned)(secs / 60 % 60), (unsigned)(secs % 60)};
    char *p = out;
    *p++ = (char)('0' + v[0] / 1000);
    *p++ = (char)('0' + v[0] / 100 % 10);
    *p++ = (char)('0' + v[0] / 10 % 10);
    *p++ = (char)('0' + v[0] % 10);
    static const char sep[] = "--T::Z";
    for (int i = 1; i < 6; i++) {
        *p++ = sep[i - 1];
        *p++ = (char)('0' + v[i] / 10 % 10);
        *p++ = (char)('0' + v[i] % 10);
    }
    *p++ = 'Z';
    *p = '\0';
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int gg_time_parse(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    size_t n = strlen(s);
    if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -GG_EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return -GG_EINVAL;
    int64_t off = 0;
    if (n > 10) {
        if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || n < 19 || digits(s + 11, 2, &h) ||
            s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
            return -GG_EINVAL;
        if (h > 23 || mi > 59 || se > 60)
            return -GG_EINVAL;
        const char *p = s + 19;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p))
                return -GG_EINVAL;
            while (isdigit((unsigned char)*p))
                p++;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
                om > 59)
                return -GG_EINVAL;
            off = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
            p += 6;
        } else {
            return -GG_EINVAL;
        }
        if (*p)
            return -GG_EINVAL;
    }
    int64_t days = gg_days_from_civil(y, mo, d);
    int ry, rm, rd;
    gg_civil_from_days(days, &ry, &rm, &rd);
    if (ry != y || rm != mo || rd != d)
        return -GG_EINVAL; /* e.g. 2026-02-30 */
    *out = days * 86400 + h * 3600 + mi * 60 + se - off;
    return 0;
}
