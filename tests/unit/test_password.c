/* test_password.c - each rule of the password policy, with its Chinese message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "core/password.h"

static char msg[256];

static int check(const char *pw, const char *user)
{
    memset(msg, 'x', sizeof msg - 1);
    msg[sizeof msg - 1] = '\0';
    return password_check(pw, user, msg, sizeof msg);
}

static void expect_fail(const char *pw, const char *user, const char *want)
{
    int rc = check(pw, user);
    if (rc != -GG_EINVAL || strcmp(msg, want) != 0)
        fail_msg("\"%s\": rc %d msg \"%s\", expected \"%s\"", pw, rc, msg, want);
}

static void expect_ok(const char *pw, const char *user)
{
    int rc = check(pw, user);
    if (rc != 0)
        fail_msg("\"%s\" refused: %s", pw, msg);
    assert_string_equal(msg, "");
}

static void test_good(void **st)
{
    (void)st;
    expect_ok("Grid2024-east", "zhangsan");
    expect_ok("tianqi9xia7", NULL);
    expect_ok("网格治理2024年", "admin");  /* Chinese counts as letters */
    expect_ok("correct horse 7 battery", "wang");
    expect_ok("ab12cd34ef", "ab");        /* username shorter than 3: not checked */
}

static void test_length(void **st)
{
    (void)st;
    expect_fail("", "u", "密码不能为空");
    assert_int_equal(password_check(NULL, "u", msg, sizeof msg), -GG_EINVAL);
    expect_fail("abc12345", "u", "密码至少10位");
    expect_fail("abcd12345", "u", "密码至少10位");
    expect_ok("abcd123456x", "u");
    expect_ok("abcd12345x", "u"); /* exactly 10 */

    char pw[200];
    memset(pw, 'a', sizeof pw);
    pw[0] = '1';
    pw[128] = '\0';
    expect_ok(pw, "u"); /* exactly 128 */
    pw[128] = 'a';
    pw[129] = '\0';
    expect_fail(pw, "u", "密码不能超过128位");
    /* bytes count, not code points */
    expect_ok("网格1xyz", NULL); /* 6 + 4 bytes */
    expect_fail("网格1x", NULL, "密码至少10位"); /* 8 bytes */
}

static void test_characters(void **st)
{
    (void)st;
    expect_fail("abcde\t12345", "u", "密码含有无效字符");
    expect_fail("abcde\n12345", "u", "密码含有无效字符");
    expect_fail("abcde\x7f" "12345", "u", "密码含有无效字符");
    expect_fail("abcde\xc2\x85" "12345", "u", "密码含有无效字符");   /* C1 NEL */
    expect_fail("abcde\xff\xfe" "12345", "u", "密码含有无效字符");   /* not UTF-8 */
    expect_fail("abcde\xc0\xaf" "12345", "u", "密码含有无效字符");   /* overlong */
    expect_fail("abcde\xe4\xb8" "12345", "u", "密码含有无效字符");   /* truncated */
    expect_ok("abcde\xc2\xa0" "12345", "u");                         /* NBSP is printable */
}

static void test_letters_and_digits(void **st)
{
    (void)st;
    expect_fail("abcdefghijkl", "u", "密码须同时包含字母和数字");
    expect_fail("1234567890123", "u", "密码须同时包含字母和数字");
    expect_fail("!@#$%^&*()_+1", "u", "密码须同时包含字母和数字");
    expect_fail("网格治理社区街道", "u", "密码须同时包含字母和数字");
    expect_ok("!@#$%^&*()_+1a", "u");
}

static void test_username(void **st)
{
    (void)st;
    expect_fail("zhangsan2024", "zhangsan", "密码不能包含用户名");
    expect_fail("xx-ZhangSan-99", "zhangsan", "密码不能包含用户名");
    expect_fail("9876ZHANGSANxyz", "ZhangSan", "密码不能包含用户名");
    expect_fail("my-bob-pass-1", "bob", "密码不能包含用户名"); /* exactly 3 */
    expect_ok("my-bo-pass-12", "bo");                          /* 2: too short to check */
    expect_ok("zhangs4n2024x", "zhangsan");
    expect_ok("zhangsan2024", "");
    expect_ok("zhangsan2024", NULL);
}

static void test_common(void **st)
{
    (void)st;
    expect_fail("password123", "u", "密码过于常见，请换一个");
    expect_fail("PassWord123", "u", "密码过于常见，请换一个");
    expect_fail("1qaz2wsx3edc", "u", "密码过于常见，请换一个");
    expect_fail("woaini1314", "u", "密码过于常见，请换一个");
    expect_ok("password123!", "u"); /* only whole-password matches */
}

static void test_message_buffer(void **st)
{
    (void)st;
    /* no buffer, or a tiny one: still the verdict, never an overflow */
    assert_int_equal(password_check("short1", "u", NULL, 0), -GG_EINVAL);
    char tiny[4];
    assert_int_equal(password_check("short1", "u", tiny, sizeof tiny), -GG_EINVAL);
    assert_true(strlen(tiny) < sizeof tiny);
    assert_int_equal(password_check("good-pass-42", "u", tiny, sizeof tiny), 0);
    assert_string_equal(tiny, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_characters),
        cmocka_unit_test(test_letters_and_digits),
        cmocka_unit_test(test_username),
        cmocka_unit_test(test_common),
        cmocka_unit_test(test_message_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
