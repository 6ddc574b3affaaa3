/* sqlite_vfs.c - the "gridgov" VFS: SQLite's default VFS with the WAL file's writes gathered.
 *
 * A commit in WAL mode writes every changed page as a frame with two pwrite() calls (a 24-byte
 * header, then the page) before it syncs the log. With ~70 pages per group commit that was
 * 140 system calls, 14 % of the server's time under intake on a VM where a system call is
 * dear. This shim keeps the frames of the WAL file in one buffer while they are contiguous and
 * writes them with one pwrite() per 120 KiB when SQLite syncs, reads, truncates, asks the size of or closes
 * the file, or when the buffer is full. Nothing else changes: every other file and every other
 * method goes straight to the default VFS.
 *
 * Why it is safe: other connections learn of new frames only from the wal-index (shared
 * memory), which SQLite updates after it syncs the log; the server always runs
 * synchronous=FULL, so every commit syncs and so flushes first. A write error surfaces at the
 * sync, so the commit fails as it would have.
 *
 * The group-commit writer also moves the sync itself off its path (sqlite_db.c,
 * tx_commit_nosync): while a thread has sqlite_vfs_defer_syncs(true), a sync of a WAL file
 * only writes the gathered frames; the commit is then visible but not yet durable, and the
 * writer's syncer thread makes it so with fdatasync() on the log before anyone is told that it
 * succeeded. Checkpoints run on another thread and connection, so their syncs stay real. One
 * sync is never deferred: the one SQLite makes right after writing a new WAL header (a log
 * started over), before any frame of the new cycle overwrites the old ones. Were the header
 * lost and some new frames kept, recovery would replay a prefix of the old cycle over newer
 * pages (SQLite ticket ff5be73dee). */
#include "store/sqlite/sqlite_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define WAL_BUF (1u << 20) /* 1 MiB gathered at most */
/* the default VFS writes at most 128 KiB - 1 per call (it masks larger lengths) */
#define WAL_CHUNK (120u << 10)

struct cw_file {
    sqlite3_file base;
    sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
    unsigned char *buf; /* WAL only: pending bytes for offsets [off, off + len) */
    size_t len;
    sqlite3_int64 off;
    bool header_unsynced; /* WAL only: the header (offset 0) written since the last real sync */
};

static sqlite3_vfs cw_vfs;
static sqlite3_vfs *base_vfs;
static __thread bool tl_defer; /* sqlite_vfs_defer_syncs */
static atomic_long n_real, n_deferred, n_header; /* WAL syncs, for sqlite_vfs_wal_syncs */

void sqlite_vfs_defer_syncs(bool on)
{
    tl_defer = on;
}

void sqlite_vfs_wal_syncs(long *real, long *deferred, long *header)
{
    *real = atomic_load(&n_real);
    *deferred = atomic_load(&n_deferred);
    *header = atomic_load(&n_header);
}

static int flush(struct cw_file *f)
{
    int rc = SQLITE_OK;
    for (size_t done = 0; rc == SQLITE_OK && done < f->len;) {
        size_t n = f->len - done < WAL_CHUNK ? f->len - done : WAL_CHUNK;
        rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n,
                                       f->off + (sqlite3_int64)done);
        done += n;
    }
    f->len = 0;
    return rc;
}

static int cw_close(sqlite3_file *p)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    int rc2 = f->real->pMethods->xClose(f->real);
    free(f->buf);
    f->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int cw_read(sqlite3_file *p, void *out, int n, sqlite3_int64 at)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, at);
}

static int cw_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 at)
{
    struct cw_file *f = (struct cw_file *)p;
    if (f->buf && at == 0)
        f->header_unsynced = true;
    if (!f->buf || n <= 0 || (size_t)n > WAL_CHUNK)
        return f->real->pMethods->xWrite(f->real, data, n, at);
    if (f->len && (at != f->off + (sqlite3_int64)f->len || f->len + (size_t)n > WAL_BUF)) {
        int rc = flush(f);
        if (rc != SQLITE_OK)
            return rc;
    }
    if (!f->len)
        f->off = at;
    memcpy(f->buf + f->len, data, (size_t)n);
    f->len += (size_t)n;
    return SQLITE_OK;
}

static int cw_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int cw_sync(sqlite3_file *p, int flags)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    if (rc != SQLITE_OK)
        return rc;
    if (f->buf && tl_defer && !f->header_unsynced) { /* the WAL: the caller syncs it later */
        atomic_fetch_add(&n_deferred, 1);
        return SQLITE_OK;
    }
    rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK && f->buf) {
        atomic_fetch_add(tl_defer ? &n_header : &n_real, 1); /* made for the header alone */
        f->header_unsynced = false;
    }
    return rc;
}

static int cw_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

/* The rest only forwards. */
#define REAL(p) (((struct cw_file *)(p))->real)
static int cw_lock(sqlite3_file *p, int l) { return REAL(p)->pMethods->xLock(REAL(p), l); }
static int cw_unlock(sqlite3_file *p, int l) { return REAL(p)->pMethods->xUnlock(REAL(p), l); }
static int cw_check_reserved(sqlite3_file *p, int *out)
{
    return REAL(p)->pMethods->xCheckReservedLock(REAL(p), out);
}
static int cw_file_control(sqlite3_file *p, int op, void *arg)
{
    struct cw_file *f = (struct cw_file *)p;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}
static int cw_sector_size(sqlite3_file *p) { return REAL(p)->pMethods->xSectorSize(REAL(p)); }
static int cw_device_characteristics(sqlite3_file *p)
{
    return REAL(p)->pMethods->xDeviceCharacteristics(REAL(p));
}
static int cw_shm_map(sqlite3_file *p, int pg, int pgsz, int extend, void volatile **out)
{
    return REAL(p)->pMethods->xShmMap(REAL(p), pg, pgsz, extend, out);
}
static int cw_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    return REAL(p)->pMethods->xShmLock(REAL(p), offset, n, flags);
}
static void cw_shm_barrier(sqlite3_file *p) { REAL(p)->pMethods->xShmBarrier(REAL(p)); }
static int cw_shm_unmap(sqlite3_file *p, int del)
{
    return REAL(p)->pMethods->xShmUnmap(REAL(p), del);
}
static int cw_fetch(sqlite3_file *p, sqlite3_int64 at, int n, void **out)
{
    return REAL(p)->pMethods->xFetch(REAL(p), at, n, out);
}
static int cw_unfetch(sqlite3_file *p, sqlite3_int64 at, void *mem)
{
    return REAL(p)->pMethods->xUnfetch(REAL(p), at, mem);
}

static const sqlite3_io_methods cw_methods = {
    3,          cw_close,      cw_read,         cw_write,          cw_truncate,
    cw_sync,    cw_file_size,  cw_lock,         cw_unlock,         cw_check_reserved,
    cw_file_control, cw_sector_size, cw_device_characteristics, cw_shm_map, cw_shm_lock,
    cw_shm_barrier, cw_shm_unmap, cw_fetch,     cw_unfetch,
};

static int cw_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *p, int flags, int *out_flags)
{
    (void)vfs;
    struct cw_file *f = (struct cw_file *)p;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)(f + 1);
    if (flags & SQLITE_OPEN_WAL) {
        f->buf = malloc(WAL_BUF);
        if (!f->buf)
            return SQLITE_NOMEM;
    }
    int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods || f->real->pMethods->iVersion < 3) {
        if (rc == SQLITE_OK) /* an older default VFS: do without the shim for this file */
            f->real->pMethods->xClose(f->real);
        free(f->buf);
        f->buf = NULL;
        p->pMethods = NULL;
        return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
    }
    p->pMethods = &cw_methods;
    return SQLITE_OK;
}

static int cw_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return base_vfs->xDelete(base_vfs, name, sync_dir);
}
static int cw_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return base_vfs->xAccess(base_vfs, name, flags, out);
}
static int cw_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return base_vfs->xFullPathname(base_vfs, name, n, out);
}
static void *cw_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return base_vfs->xDlOpen(base_vfs, name);
}
static void cw_dlerror(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    base_vfs->xDlError(base_vfs, n, out);
}
static void (*cw_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return base_vfs->xDlSym(base_vfs, h, sym);
}
static void cw_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    base_vfs->xDlClose(base_vfs, h);
}
static int cw_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xRandomness(base_vfs, n, out);
}
static int cw_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return base_vfs->xSleep(base_vfs, us);
}
static int cw_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return base_vfs->xCurrentTime(base_vfs, out);
}
static int cw_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}
static int cw_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static pthread_once_t cw_once = PTHREAD_ONCE_INIT;
static int cw_registered;

static void cw_register(void)
{
    const char *off = getenv("GRIDGOV_SQLITE_PLAIN_VFS"); /* A/B benchmarks */
    if (off && *off == '1')
        return;
    base_vfs = sqlite3_vfs_find(NULL);
    if (!base_vfs || base_vfs->iVersion < 2 || !base_vfs->xCurrentTimeInt64)
        return;
    cw_vfs.iVersion = 2;
    cw_vfs.szOsFile = (int)sizeof(struct cw_file) + base_vfs->szOsFile;
    cw_vfs.mxPathname = base_vfs->mxPathname;
    cw_vfs.zName = "gridgov";
    cw_vfs.xOpen = cw_open;
    cw_vfs.xDelete = cw_delete;
    cw_vfs.xAccess = cw_access;
    cw_vfs.xFullPathname = cw_full_pathname;
    cw_vfs.xDlOpen = cw_dlopen;
    cw_vfs.xDlError = cw_dlerror;
    cw_vfs.xDlSym = cw_dlsym;
    cw_vfs.xDlClose = cw_dlclose;
    cw_vfs.xRandomness = cw_randomness;
    cw_vfs.xSleep = cw_sleep;
    cw_vfs.xCurrentTime = cw_current_time;
    cw_vfs.xGetLastError = cw_last_error;
    cw_vfs.xCurrentTimeInt64 = cw_current_time64;
    cw_registered = sqlite3_vfs_register(&cw_vfs, 0) == SQLITE_OK;
}

const char *sqlite_vfs_name(void)
{
    pthread_once(&cw_once, cw_register);
    return cw_registered ? "gridgov" : NULL;
}
