/* buf.h - a growable byte buffer with a hard cap (gg_buf), for building strings and reading
 * request bodies. Appends past the cap fail with -GG_ETOOLARGE and leave the buffer as it was. */
#ifndef GG_BASE_BUF_H
#define GG_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct gg_buf {
    char *data; /* always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;   /* allocated bytes */
    size_t limit; /* maximum len; 0 means 64 MiB */
};

void gg_buf_init(struct gg_buf *b, size_t limit);
void gg_buf_release(struct gg_buf *b);
void gg_buf_reset(struct gg_buf *b);
int gg_buf_append(struct gg_buf *b, const void *p, size_t n);
int gg_buf_puts(struct gg_buf *b, const char *s);
int gg_buf_printf(struct gg_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Gives the caller the heap string (NUL-terminated, may be NULL when empty); buffer is reset. */
char *gg_buf_detach(struct gg_buf *b);

/* Copies src into dst[size], truncating on a UTF-8 boundary; always NUL-terminates. */
size_t gg_strlcpy(char *dst, const char *src, size_t size);

#endif
