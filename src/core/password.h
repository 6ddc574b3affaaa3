/* password.h - the password policy. Hashing itself (argon2id) is done by app/ with libsodium. */
#ifndef GG_CORE_PASSWORD_H
#define GG_CORE_PASSWORD_H

#include <stddef.h>

/* Policy: 10 to 128 bytes; valid printable characters (UTF-8 allowed); at least one letter and
 * one digit; not containing the username (case-insensitive, when username has ≥ 3 chars); not
 * one of a short list of common passwords. Returns 0 or -GG_EINVAL with a Chinese message in
 * msg[msz]. */
int password_check(const char *password, const char *username, char *msg, size_t msz);

#endif
