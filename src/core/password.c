/* password.c - the password policy: length, characters, letters and digits, not the username,
 * not a well-known password. The messages are shown to the user as they are, so they are Chinese.
 *
 * It does not hash or compare passwords (app/ does that with libsodium's argon2id) and keeps no
 * history of earlier passwords. */
#include "core/password.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/utf8.h"

#include <stdbool.h>
#include <string.h>

#define MIN_BYTES 10
#define MAX_BYTES 128

/* Lower-case ASCII spellings; compared case-insensitively with the whole password. Only those
 * that pass the other rules are worth listing. */
static const char *const common[] = {
    "password123",  "password1234", "password12345", "passw0rd123",  "p@ssw0rd123",
    "p@ssword123",  "qwerty12345",  "qwerty123456",  "qwertyuiop1",  "qwertyuiop123",
    "qwer123456",   "qwer1234qwer", "1qaz2wsx3edc",  "1q2w3e4r5t",   "1q2w3e4r5t6y",
    "q1w2e3r4t5",   "abc123456789", "abcd123456",    "abcd1234abcd", "abc1234567",
    "a123456789",   "aa123456789",  "a1234567890",   "1234567890a",  "1234567890q",
    "admin123456",  "admin12345",   "admin@123456",  "administrator1", "iloveyou123",
    "woaini1314",   "woaini520520", "zxcvbnm123",    "zxcvbnm1234",  "asdfghjkl1",
    "asdf123456",   "welcome123",   "welcome1234",   "letmein123",   "test123456",
    "root123456",   "changeme123",  "1234qwerasdf",  "qazwsx123456", "abcdefg123",
};

static int fail(char *msg, size_t msz, const char *text)
{
    if (msg && msz)
        gg_strlcpy(msg, text, msz);
    return -GG_EINVAL;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool equal_nocase(const char *a, const char *b)
{
    while (*a && *b && lower(*a) == lower(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

static bool contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && lower(hay[i]) == lower(needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* True when s (valid UTF-8) holds no control character: C0, DEL or C1 (U+0080..U+009F). */
static bool printable(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] == 0x7F)
            return false;
        if (s[i] == 0xC2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
            return false;
    }
    return true;
}

int password_check(const char *password, const char *username, char *msg, size_t msz)
{
    if (!password || !*password)
        return fail(msg, msz, "密码不能为空");
    size_t n = strlen(password);
    if (n < MIN_BYTES)
        return fail(msg, msz, "密码至少10位");
    if (n > MAX_BYTES)
        return fail(msg, msz, "密码不能超过128位");
    if (!gg_utf8_valid(password, n) || !printable((const unsigned char *)password, n))
        return fail(msg, msz, "密码含有无效字符");

    /* Non-ASCII characters (e.g. Chinese) count as letters. */
    bool letter = false, digit = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)password[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80)
            letter = true;
    }
    if (!letter || !digit)
        return fail(msg, msz, "密码须同时包含字母和数字");

    if (username) {
        size_t un = strlen(username);
        if (gg_utf8_count(username, un) >= 3 && contains_nocase(password, username))
            return fail(msg, msz, "密码不能包含用户名");
    }

    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (equal_nocase(password, common[i]))
            return fail(msg, msz, "密码过于常见，请换一个");

    if (msg && msz)
        msg[0] = '\0';
    return 0;
}
