/* test_people.c - the pure rules of the population registry: the GB 11643 check character of
 * resident id numbers (a wrong one is refused), birth date and gender from an id number, phone
 * numbers, the masks shown without `pii`, tags, household colours, house uses and the role
 * table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/time.h"
#include "core/people.h"

static enum id_problem v(const char *s)
{
    return resident_id_validate(s, strlen(s));
}

static void test_check_digit(void **state)
{
    (void)state;
    /* valid numbers, computed by hand from the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 */
    assert_int_equal(v("11010519491231002X"), ID_OK);
    assert_int_equal(v("11010519491231002x"), ID_OK); /* lower-case x accepted */
    assert_int_equal(v("110101199003070011"), ID_OK);
    assert_int_equal(v("440304200002291236"), ID_OK); /* 29 February of a leap year */
    assert_int_equal(v("320106198511051235"), ID_OK);
    assert_int_equal(resident_id_check_char("11010519491231002"), 'X');
    assert_int_equal(resident_id_check_char("11010119900307001"), '1');
    /* every wrong check character is refused */
    char s[] = "110101199003070011";
    for (char c = '0'; c <= '9'; c++) {
        s[17] = c;
        assert_int_equal(v(s), c == '1' ? ID_OK : ID_CHECK_DIGIT);
    }
    s[17] = 'X';
    assert_int_equal(v(s), ID_CHECK_DIGIT);
    /* a changed digit anywhere breaks the check */
    assert_int_equal(v("110101199003070021"), ID_CHECK_DIGIT);
    assert_int_equal(v("210101199003070011"), ID_CHECK_DIGIT);
}

static void test_id_shape(void **state)
{
    (void)state;
    assert_int_equal(v(""), ID_LENGTH);
    assert_int_equal(v("11010119900307001"), ID_LENGTH);
    assert_int_equal(v("1101011990030700111"), ID_LENGTH);
    assert_int_equal(v("11010119900307001A"), ID_CHARS);
    assert_int_equal(v("1101011990030700X1"), ID_CHARS);
    assert_int_equal(v("11010119900230001X"), ID_BIRTH);  /* 30 February */
    assert_int_equal(v("110101190002290011"), ID_BIRTH);  /* 1900 is not a leap year */
    assert_int_equal(v("110101189912310011"), ID_BIRTH);  /* before 1900 */
    assert_int_equal(v("110101199013070011"), ID_BIRTH);  /* month 13 */
    assert_string_equal(resident_id_problem_zh(ID_CHECK_DIGIT), "身份证号校验码错误");
    char n[19];
    resident_id_normalise("11010519491231002x", n);
    assert_string_equal(n, "11010519491231002X");
}

static void test_birth_and_gender(void **state)
{
    (void)state;
    assert_int_equal(resident_id_birth_days("110101199003070011"),
                     gg_days_from_civil(1990, 3, 7));
    assert_int_equal(resident_id_gender("110101199003070011"), GENDER_MALE);   /* 001: odd */
    assert_int_equal(resident_id_gender("11010519491231002X"), GENDER_FEMALE); /* 002: even */
    int64_t d = 0;
    assert_true(date_parse("1990-03-07", &d));
    assert_int_equal(d, gg_days_from_civil(1990, 3, 7));
    char out[11];
    date_format(d, out);
    assert_string_equal(out, "1990-03-07");
    assert_false(date_parse("1990-02-30", &d));
    assert_false(date_parse("1990-3-7", &d));
    assert_false(date_parse("1990/03/07", &d));
    assert_int_equal(gender_from_id("女"), GENDER_FEMALE);
    assert_int_equal(gender_from_id("male"), GENDER_MALE);
    assert_int_equal(gender_from_id("x"), -1);
    assert_int_equal(gender_from_id(NULL), -1);
}

static void test_phone(void **state)
{
    (void)state;
    assert_true(phone_valid("13812345678", 11));
    assert_true(phone_valid("+8613812345678", 14));
    assert_true(phone_valid("0431-88886666", 13));
    assert_false(phone_valid("12812345678", 11)); /* no mobile numbers start 12 */
    assert_false(phone_valid("138123", 6));
    assert_false(phone_valid("138-1234-567a", 13));
    assert_false(phone_valid("-13812345678", 12));
    assert_false(phone_valid("123456789012345678901", 21));
}

static void test_masks(void **state)
{
    (void)state;
    char out[GG_MASK_SZ];
    mask_id_number("110105194912310021", out, sizeof out);
    assert_string_equal(out, "110105********0021");
    mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    mask_phone("0431-88886666", out, sizeof out);
    assert_string_equal(out, "043******6666");
    mask_phone("1234567", out, sizeof out);
    assert_string_equal(out, "*****67");
    mask_id_number("12345", out, sizeof out);
    assert_string_equal(out, "*****");
    /* no digit of the middle survives */
    mask_id_number("110101199003070011", out, sizeof out);
    assert_null(strstr(out, "19900307"));
}

static void test_tags(void **state)
{
    (void)state;
    for (int t = 0; t < TAG__COUNT; t++) {
        const char *id = person_tag_id((enum person_tag)t);
        assert_int_equal(person_tag_from_text(id, strlen(id)), t);
        const char *zh = person_tag_zh((enum person_tag)t);
        assert_int_equal(person_tag_from_text(zh, strlen(zh)), t);
    }
    assert_int_equal(person_tag_from_text("独居", strlen("独居")), TAG_ELDERLY_ALONE);
    assert_int_equal(person_tag_from_text("社区矫正", strlen("社区矫正")), TAG_CORRECTIONS);
    uint32_t m = 0;
    size_t at = 0, len = 0;
    const char *s = "elderly_alone、低保；veteran, 残疾";
    assert_int_equal(person_tags_parse(s, strlen(s), &m, &at, &len), 0);
    assert_int_equal(m, (1u << TAG_ELDERLY_ALONE) | (1u << TAG_LOW_INCOME) | (1u << TAG_VETERAN) |
                            (1u << TAG_DISABLED));
    s = "veteran;pirate";
    assert_int_equal(person_tags_parse(s, strlen(s), &m, &at, &len), -1);
    assert_int_equal(at, 8);
    assert_int_equal(len, 6);
    assert_int_equal(person_tags_parse("", 0, &m, &at, &len), 0);
    assert_int_equal(m, 0);
}

static void test_enums(void **state)
{
    (void)state;
    for (int c = 0; c < HH_COLOR__COUNT; c++) {
        assert_int_equal(hh_color_from_id(hh_color_id((enum hh_color)c)), c);
        assert_int_equal(hh_color_from_id(hh_color_zh((enum hh_color)c)), c);
    }
    assert_int_equal(hh_color_from_id("红"), HH_RED);
    assert_int_equal(hh_color_from_id("blue"), -1);
    for (int u = 0; u < HOUSE_USE__COUNT; u++)
        assert_int_equal(house_use_from_id(house_use_id((enum house_use)u)), u);
    for (int o = 0; o < OCC__COUNT; o++)
        assert_int_equal(occupancy_from_id(occupancy_zh((enum occupancy)o)), o);
    assert_int_equal(house_use_from_id("castle"), -1);
    assert_null(hh_color_id(HH_COLOR__COUNT));
}

static void test_roles(void **state)
{
    (void)state;
    /* who reads, writes and unmasks (DESIGN section 1) */
    const bool read[ROLE__COUNT] = {[ROLE_ADMIN] = 1, [ROLE_COMMAND] = 1, [ROLE_LEADER] = 1,
                                    [ROLE_STAFF] = 1, [ROLE_GRID_OFFICER] = 1};
    const bool write[ROLE__COUNT] = {[ROLE_ADMIN] = 1, [ROLE_STAFF] = 1, [ROLE_GRID_OFFICER] = 1};
    for (int r = 0; r < ROLE__COUNT; r++) {
        assert_int_equal(people_may_read((enum role)r), read[r]);
        assert_int_equal(people_may_write((enum role)r), write[r]);
        assert_int_equal(people_has_pii((enum role)r), write[r]);
    }
    assert_false(people_has_pii(ROLE_RESIDENT));
    assert_true(people_org_kind_ok(ORG_GRID));
    assert_true(people_org_kind_ok(ORG_COMMUNITY));
    assert_false(people_org_kind_ok(ORG_STREET));
    assert_false(people_org_kind_ok(ORG_DEPARTMENT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_digit), cmocka_unit_test(test_id_shape),
        cmocka_unit_test(test_birth_and_gender), cmocka_unit_test(test_phone),
        cmocka_unit_test(test_masks), cmocka_unit_test(test_tags),
        cmocka_unit_test(test_enums), cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
