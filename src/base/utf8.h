/* utf8.h - UTF-8 validation and counting for untrusted input. */
#ifndef GG_BASE_UTF8_H
#define GG_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no NUL bytes). */
bool gg_utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t gg_utf8_count(const char *s, size_t n);

#endif
