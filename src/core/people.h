/* people.h - the population registry's plain data and pure rules (人、户、房, DESIGN section 3):
 * the 18-digit resident id number and its check digit (GB 11643), what an id number says about
 * birth date and gender, phone numbers, the masks shown to roles without the `pii` permission,
 * the tags of the groups that must be visited, household colours (三色) and house uses.
 *
 * No I/O, no clock, no crypto: encryption at rest and the blind index are app/pii.c's. */
#ifndef GG_CORE_PEOPLE_H
#define GG_CORE_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

#define GG_ID_NUMBER_LEN 18
#define GG_MAX_PHONE 20
#define GG_MAX_ROOM 16 /* building / unit / room labels, code points */
#define GG_ROOM_SZ (GG_MAX_ROOM * 4 + 1)
#define GG_MASK_SZ 32

/* ---- resident id number (居民身份证号码, GB 11643-1999) ----
 * 6 digits of region, 8 of birth date (YYYYMMDD), 3 of sequence (odd = male), 1 check
 * character (0-9 or X) = (12 - Σ(digit_i × 2^(17-i) mod 11)) mod 11, 10 written as X. */
enum id_problem {
    ID_OK,
    ID_LENGTH,      /* not 18 characters */
    ID_CHARS,       /* not 17 digits followed by a digit or X */
    ID_BIRTH,       /* the birth date is not a calendar date between 1900 and 2099 */
    ID_CHECK_DIGIT, /* the check character does not match */
};
/* The check character ('0'..'9' or 'X') of the first 17 digits; 0 when they are not digits. */
char resident_id_check_char(const char *first17);
/* Validates s[0..n) (an 'x' counts as 'X'). */
enum id_problem resident_id_validate(const char *s, size_t n);
/* Chinese text for a problem (for 422 messages). */
const char *resident_id_problem_zh(enum id_problem p);
/* Upper-cases the X into out[19]; call only on a valid id. */
void resident_id_normalise(const char *s, char out[GG_ID_NUMBER_LEN + 1]);
/* Birth date as days since 1970-01-01 and gender of a valid id number. */
int64_t resident_id_birth_days(const char *id);
/* ---- gender ---- */
enum gender { GENDER_UNKNOWN, GENDER_MALE, GENDER_FEMALE, GENDER__COUNT };
const char *gender_id(enum gender g); /* "unknown", "male", "female" */
const char *gender_zh(enum gender g);
int gender_from_id(const char *s);    /* also accepts 男 / 女; -1 when unknown */
enum gender resident_id_gender(const char *id);

/* ---- phone numbers: digits, optionally a leading '+' and '-' separators, 7 to 20 chars;
 * a mainland mobile number is 11 digits starting with 1 ---- */
bool phone_valid(const char *s, size_t n);

/* ---- masks shown without `pii`: 110105********1234 and 138****5678 ---- */
/* The first 6 and last 4 characters of an id number around 8 '*'; out[GG_MASK_SZ]. Shorter
 * input is masked whole. */
void mask_id_number(const char *id, char *out, size_t sz);
/* The first 3 and last 4 characters around '*' for the rest (at least 4 '*'); shorter than 8
 * characters: all '*' but the last 2. */
void mask_phone(const char *phone, char *out, size_t sz);

/* ---- days since 1970-01-01 <-> "YYYY-MM-DD" (base/time.h does the arithmetic) ---- */
bool civil_valid(int y, int m, int d);
/* Parses "YYYY-MM-DD" (exactly); false when malformed or not a date. */
bool date_parse(const char *s, int64_t *days);
void date_format(int64_t days, char out[11]);

/* ---- tags (DESIGN section 3: the groups of 六必访, 九必问), a bit mask ---- */
#define GG_PERSON_TAG_MAP(XX)                                                                      \
    XX(ELDERLY_ALONE, "elderly_alone", "独居/孤寡老人")                                            \
    XX(DISABLED, "disabled", "残疾")                                                               \
    XX(LOW_INCOME, "low_income", "低保/困难")                                                      \
    XX(SERIOUS_ILLNESS, "serious_illness", "重大疾病")                                             \
    XX(UNEMPLOYED, "unemployed", "下岗失业")                                                       \
    XX(CORRECTIONS, "corrections", "刑释解教/社区矫正")                                            \
    XX(LEFT_BEHIND_CHILD, "left_behind_child", "留守儿童")                                         \
    XX(VETERAN, "veteran", "退役军人")                                                             \
    XX(KEY_PERSON, "key_person", "重点人员")

enum person_tag {
#define XX(n, id, zh) TAG_##n,
    GG_PERSON_TAG_MAP(XX)
#undef XX
    TAG__COUNT
};
const char *person_tag_id(enum person_tag t);
const char *person_tag_zh(enum person_tag t);
/* by id ("elderly_alone") or by any Chinese name of the table ("独居/孤寡老人", or either half
 * of a name with a slash: "独居", "孤寡老人"); -1 when unknown */
int person_tag_from_text(const char *s, size_t n);
/* Parses a list of tags separated by ',', ';', '|', '、', '，', '；' or spaces into a mask.
 * Returns 0, or -1 with *bad_at and *bad_len set on the first unknown tag. */
int person_tags_parse(const char *s, size_t n, uint32_t *mask, size_t *bad_at, size_t *bad_len);

/* ---- household colour (三色管理): green 放心户, yellow 关注户, red 重点户 ---- */
enum hh_color { HH_GREEN, HH_YELLOW, HH_RED, HH_COLOR__COUNT };
const char *hh_color_id(enum hh_color c);
const char *hh_color_zh(enum hh_color c);
int hh_color_from_id(const char *s); /* also 绿/黄/红 and 放心户/关注户/重点户 */

/* ---- house use and occupancy ---- */
enum house_use { HOUSE_RESIDENTIAL, HOUSE_COMMERCIAL, HOUSE_VACANT, HOUSE_USE__COUNT };
const char *house_use_id(enum house_use u);
const char *house_use_zh(enum house_use u);
int house_use_from_id(const char *s);
enum occupancy { OCC_OWNER, OCC_TENANT, OCC_NONE, OCC__COUNT };
const char *occupancy_id(enum occupancy o); /* owner 自住, tenant 租住, none 无人 */
const char *occupancy_zh(enum occupancy o);
int occupancy_from_id(const char *s);

/* ---- who may do what with the registry (DESIGN section 1) ----
 * read: admin, command, leader, staff, grid_officer within their subtree; member and resident
 * their own record only. write: admin, staff, grid_officer within their subtree.
 * pii (see id and phone numbers unmasked, on request and audited): admin, staff,
 * grid_officer. */
bool people_may_read(enum role r);
bool people_may_write(enum role r);
bool people_has_pii(enum role r);
/* May a person, household or house hang on an org node of this kind? community, grid,
 * building, unit. */
bool people_org_kind_ok(enum org_kind k);

/* ---- records ---- */
/* What the store keeps of an id or phone number: the ciphertext (nonce, MAC and text, sealed by
 * app/pii.c) and a keyed hash of the normalised number for exact lookups (blind index). */
#define GG_SEALED_MAX 64
#define GG_BLIND_SZ 16
struct sealed {
    uint8_t data[GG_SEALED_MAX];
    uint16_t len;                /* 0 = no value */
    uint8_t blind[GG_BLIND_SZ];  /* meaningful when len > 0 */
};

struct person {
    int64_t id;
    int64_t version;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    int64_t household_id; /* 0 = none */
    char name[GG_NAME_SZ];
    enum gender gender;
    int64_t birth_days;   /* days since 1970-01-01; INT64_MIN = unknown */
    /* encrypted at rest: app/ fills these plaintext fields after decrypting and clears them
     * (or masks them) before they leave the process */
    char id_number[GG_ID_NUMBER_LEN + 1];
    char phone[GG_MAX_PHONE + 1];
    struct sealed id_sealed, phone_sealed; /* what the store reads and writes */
    uint32_t tags;        /* bit (1 << enum person_tag) */
    bool party_member;
    char party_branch[GG_NAME_SZ];
    bool volunteer;
    char relation[GG_NAME_SZ]; /* to the head of the household: 户主, 配偶, 子女 … */
    int64_t created_at, updated_at;
};
#define GG_BIRTH_UNKNOWN INT64_MIN

struct household {
    int64_t id;
    int64_t version;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    char code[GG_CODE_SZ]; /* 户编号, unique */
    char address[GG_ADDR_SZ];
    char building[GG_ROOM_SZ], unit[GG_ROOM_SZ], room[GG_ROOM_SZ];
    enum hh_color color;
    int64_t house_id; /* 0 = none */
    int members;      /* filled on reads */
    int64_t created_at, updated_at;
};

struct house {
    int64_t id;
    int64_t version;
    int64_t org_id;
    char org_path[GG_PATH_SZ];
    char address[GG_ADDR_SZ];
    char building[GG_ROOM_SZ], unit[GG_ROOM_SZ], room[GG_ROOM_SZ];
    enum house_use use;
    enum occupancy occupancy;
    double area; /* m², 0 = unknown */
    int64_t owner_person_id; /* 0 = unknown */
    int64_t created_at, updated_at;
};

#endif
