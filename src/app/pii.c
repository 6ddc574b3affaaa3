/* pii.c - issue 6: personal data at rest. Id and phone numbers are sealed with libsodium's
 * secretbox (XSalsa20-Poly1305, a random nonce per value) and indexed by a keyed BLAKE2b hash
 * of the normalised number (a blind index), so that an exact lookup by id number works
 * without decrypting anything. Both keys derive (crypto_kdf) from one 32-byte master key kept
 * in a file named by the configuration (app_config.key_file, env GRIDGOV_KEY_FILE, default
 * "<db>.key"), created by `gridgov init` with mode 0600.
 *
 * Not here: masks and validation (core/people.c), who may unmask (people.c). */
#include "app/internal.h"

#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KDF_CONTEXT "ggpii_v1" /* 8 bytes, crypto_kdf_CONTEXTBYTES */

static int derive(struct app *a, const unsigned char master[32])
{
    if (crypto_kdf_derive_from_key(a->pii_seal_key, sizeof a->pii_seal_key, 1, KDF_CONTEXT,
                                   master) ||
        crypto_kdf_derive_from_key(a->pii_blind_key, sizeof a->pii_blind_key, 2, KDF_CONTEXT,
                                   master))
        return -GG_EINTERNAL;
    a->pii_ready = true;
    return 0;
}

int app_pii_load(struct app *a, struct gg_error *err)
{
    if (sodium_init() < 0)
        return gg_error_set(err, GG_EINTERNAL, NULL, "libsodium 无法初始化");
    int fd = open(a->key_file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0; /* not created yet: `gridgov init` makes it */
        return gg_error_set(err, GG_EIO, "key_file", "cannot read the key file %s: %s",
                            a->key_file, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        gg_warn("key file %s is readable by others (mode %03o); it should be 0600", a->key_file,
                (unsigned)(st.st_mode & 0777));
    char hex[96];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    unsigned char master[32];
    size_t bin_len = 0;
    if (n < 64 || sodium_hex2bin(master, sizeof master, hex, (size_t)n, " \r\n", &bin_len,
                                 NULL) != 0 ||
        bin_len != sizeof master)
        return gg_error_set(err, GG_EIO, "key_file", "the key file %s is not 64 hex digits",
                            a->key_file);
    int rc = derive(a, master);
    sodium_memzero(master, sizeof master);
    sodium_memzero(hex, sizeof hex);
    return rc ? gg_error_set(err, rc, NULL, "cannot derive the data keys") : 0;
}

int app_pii_create_key(struct app *a, struct gg_error *err)
{
    if (a->pii_ready)
        return 0;
    if (sodium_init() < 0)
        return gg_error_set(err, GG_EINTERNAL, NULL, "libsodium 无法初始化");
    unsigned char master[32];
    char hex[65];
    randombytes_buf(master, sizeof master);
    sodium_bin2hex(hex, sizeof hex, master, sizeof master);
    int fd = open(a->key_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        sodium_memzero(master, sizeof master);
        sodium_memzero(hex, sizeof hex);
        if (errno == EEXIST) /* made by another process meanwhile: use it */
            return app_pii_load(a, err);
        return gg_error_set(err, GG_EIO, "key_file", "cannot create the key file %s: %s",
                            a->key_file, strerror(errno));
    }
    hex[64] = '\n';
    bool ok = write(fd, hex, 65) == 65 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    sodium_memzero(hex, sizeof hex);
    int rc = ok ? derive(a, master) : -GG_EIO;
    sodium_memzero(master, sizeof master);
    if (rc) {
        unlink(a->key_file);
        return gg_error_set(err, GG_EIO, "key_file", "cannot write the key file %s",
                            a->key_file);
    }
    gg_info("created the personal-data key file %s (mode 0600)", a->key_file);
    return 0;
}

int app_pii_require(struct app *a, struct gg_error *err)
{
    return a->pii_ready ? 0
                        : gg_error_set(err, GG_EUNAVAILABLE, NULL,
                                       "个人信息加密密钥未配置（请先运行 gridgov init）");
}

/* kind separates the index spaces of id numbers and phone numbers */
void app_pii_blind(struct app *a, char kind, const char *text, size_t n,
                   uint8_t out[GG_BLIND_SZ])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, a->pii_blind_key, sizeof a->pii_blind_key, GG_BLIND_SZ);
    crypto_generichash_update(&h, (const unsigned char *)&kind, 1);
    crypto_generichash_update(&h, (const unsigned char *)text, n);
    crypto_generichash_final(&h, out, GG_BLIND_SZ);
}

int app_pii_seal(struct app *a, char kind, const char *text, struct sealed *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(text);
    if (n == 0)
        return 0;
    if (crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n > GG_SEALED_MAX)
        return -GG_EINVAL;
    randombytes_buf(out->data, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out->data + crypto_secretbox_NONCEBYTES, (const unsigned char *)text,
                          n, out->data, a->pii_seal_key);
    out->len = (uint16_t)(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n);
    app_pii_blind(a, kind, text, n, out->blind);
    return 0;
}

int app_pii_open(struct app *a, const struct sealed *in, char *out, size_t sz)
{
    out[0] = '\0';
    if (in->len == 0)
        return 0;
    size_t over = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (!a->pii_ready || in->len <= over || in->len - over >= sz)
        return -GG_EIO;
    size_t n = in->len - over;
    if (crypto_secretbox_open_easy((unsigned char *)out, in->data + crypto_secretbox_NONCEBYTES,
                                   in->len - crypto_secretbox_NONCEBYTES, in->data,
                                   a->pii_seal_key) != 0) {
        out[0] = '\0';
        gg_errlog("a sealed value does not open with this key (wrong key file?)");
        return -GG_EIO;
    }
    out[n] = '\0';
    return 0;
}
