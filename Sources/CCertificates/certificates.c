/* libgit2 1.5 built with mbedTLS (Debian's) parses every certificate of the system's CA bundle
   in git_libgit2_init: about 8 ms of base64 and ASN.1 at every start of every command, where
   only a fetch or push over https needs them. When libgit2 and mbedTLS are linked in statically,
   the link wraps mbedtls_x509_crt_parse_file (`--wrap`, Package.swift), and during start-up the
   wrapper only notes the path: libgit2 is left with an empty list of trusted certificates, which
   trusts nothing. Before any transfer, rapport hands the noted path back to libgit2
   (GIT_OPT_SET_SSL_CERT_LOCATIONS), which parses it then, through this wrapper, for real. */
#include "certificates.h"

#ifdef RAPPORT_DEFERS_CA_CERTIFICATES
#include <mbedtls/x509_crt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path);

static pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER;
static int deferring;
static char *deferred;
static int lastCount = -1;

int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt *chain, const char *path) {
    pthread_mutex_lock(&guard);
    char *copy = deferring && path != NULL ? strdup(path) : NULL;
    int defer = copy != NULL;  /* without memory for the path, it is parsed now */
    if (defer) {
        free(deferred);
        deferred = copy;
    }
    pthread_mutex_unlock(&guard);
    if (defer) return 0;

    int result = __real_mbedtls_x509_crt_parse_file(chain, path);
    int count = 0;
    for (const mbedtls_x509_crt *certificate = chain; certificate != NULL; certificate = certificate->next) {
        if (certificate->raw.len > 0) count++;
    }
    pthread_mutex_lock(&guard);
    lastCount = result < 0 ? 0 : count;
    pthread_mutex_unlock(&guard);
    return result;
}

void rapport_certificates_defer(int on) {
    pthread_mutex_lock(&guard);
    deferring = on;
    pthread_mutex_unlock(&guard);
}

char *rapport_certificates_take_deferred(void) {
    pthread_mutex_lock(&guard);
    char *path = deferred;
    deferred = NULL;
    pthread_mutex_unlock(&guard);
    return path;
}

int rapport_certificates_last_count(void) {
    pthread_mutex_lock(&guard);
    int count = lastCount;
    pthread_mutex_unlock(&guard);
    return count;
}

int rapport_certificates_can_defer(void) { return 1; }

#else

void rapport_certificates_defer(int on) { (void)on; }
char *rapport_certificates_take_deferred(void) { return 0; }
int rapport_certificates_last_count(void) { return -1; }
int rapport_certificates_can_defer(void) { return 0; }

#endif
