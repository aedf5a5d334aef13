#ifndef RAPPORT_CGIT2_SHIM_H
#define RAPPORT_CGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

/* git_libgit2_opts is variadic and does not import into Swift: one small wrapper per option. */
static inline int rapport_git_enable_fsync_gitdir(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, enabled);
}

/* Rehashing every object read (libgit2's default, which git itself does not do on reads) is about
   a tenth of reading a month of entries; zlib's checksum still catches damage to an object's
   compressed bytes, and `git fsck` checks the hashes. */
static inline int rapport_git_verify_object_hashes(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* Searching the system and global config needs a home; tests point it at a scratch folder. */
static inline int rapport_git_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}

/* The CA bundle libgit2's TLS connections trust (a file of PEM certificates). */
static inline int rapport_git_set_ssl_cert_file(const char *file) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, NULL);
}

/* A writepack is a struct of function pointers; calling them through C keeps the Swift side plain. */
static inline int rapport_writepack_append(git_odb_writepack *wp, const void *data, size_t size, git_indexer_progress *stats) {
    return wp->append(wp, data, size, stats);
}
static inline int rapport_writepack_commit(git_odb_writepack *wp, git_indexer_progress *stats) {
    return wp->commit(wp, stats);
}
static inline void rapport_writepack_free(git_odb_writepack *wp) {
    wp->free(wp);
}

#endif
