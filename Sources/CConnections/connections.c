/* libgit2 1.5 follows an https redirect to the same host on another port even with
   GIT_REMOTE_REDIRECT_NONE (it compares host names only), and hands the credentials callback the
   remote's URL, not the one redirected to: nothing in its callbacks says where a password would
   go. Every connection it opens goes through a plain socket stream, which libgit2 lets a program
   provide (git_stream_register, GIT_STREAM_STANDARD); this one asks rapport's gate first with the
   host and port it is about to connect to. TLS stays libgit2's and mbedTLS's own, on top. */
#include "connections.h"

#include <git2.h>
#include <git2/sys/stream.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct {
    git_stream parent;
    char *host;
    char *port;
    int fd;
} gated_stream;

static __thread rapport_connection_gate current_gate;
static __thread void *current_payload;

static void set_error(int klass, const char *format, const char *subject, const char *reason) {
    char message[512];
    snprintf(message, sizeof message, format, subject, reason);
    git_error_set_str(klass, message);
}

static int gated_connect(git_stream *stream) {
    gated_stream *gated = (gated_stream *)stream;
    if (current_gate != NULL) {
        int verdict = current_gate(gated->host, gated->port, current_payload);
        if (verdict != 0) {
            set_error(GIT_ERROR_NET, "refused to connect to %s:%s", gated->host, gated->port);
            return verdict;
        }
    }
    struct addrinfo hints = {0}, *found = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    int resolved = getaddrinfo(gated->host, gated->port, &hints, &found);
    if (resolved != 0) {
        set_error(GIT_ERROR_NET, "failed to resolve address for %s: %s", gated->host, gai_strerror(resolved));
        return -1;
    }
    int fd = -1, reason = 0;
    for (struct addrinfo *address = found; address != NULL && fd < 0; address = address->ai_next) {
        fd = socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) { reason = errno; continue; }
        if (connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
            reason = errno;
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    if (fd < 0) {
        set_error(GIT_ERROR_NET, "failed to connect to %s: %s", gated->host, strerror(reason));
        return -1;
    }
    gated->fd = fd;
    return 0;
}

static ssize_t gated_write(git_stream *stream, const char *data, size_t length, int flags) {
    ssize_t written;
    do {
        written = send(((gated_stream *)stream)->fd, data, length, flags | MSG_NOSIGNAL);
    } while (written < 0 && errno == EINTR);
    if (written < 0) set_error(GIT_ERROR_NET, "%s%s", "error sending data: ", strerror(errno));
    return written;
}

static ssize_t gated_read(git_stream *stream, void *data, size_t length) {
    ssize_t received;
    do {
        received = recv(((gated_stream *)stream)->fd, data, length, 0);
    } while (received < 0 && errno == EINTR);
    if (received < 0) set_error(GIT_ERROR_NET, "%s%s", "error receiving socket data: ", strerror(errno));
    return received;
}

static int gated_close(git_stream *stream) {
    gated_stream *gated = (gated_stream *)stream;
    int result = gated->fd < 0 ? 0 : close(gated->fd);
    gated->fd = -1;
    return result;
}

static void gated_free(git_stream *stream) {
    gated_stream *gated = (gated_stream *)stream;
    free(gated->host);
    free(gated->port);
    free(gated);
}

static int gated_new(git_stream **out, const char *host, const char *port) {
    gated_stream *gated = calloc(1, sizeof *gated);
    if (gated == NULL || (gated->host = strdup(host)) == NULL || (gated->port = strdup(port)) == NULL) {
        if (gated != NULL) free(gated->host);
        free(gated);
        git_error_set_str(GIT_ERROR_NOMEMORY, "out of memory");
        return -1;
    }
    gated->parent.version = GIT_STREAM_VERSION;
    gated->parent.connect = gated_connect;
    gated->parent.read = gated_read;
    gated->parent.write = gated_write;
    gated->parent.close = gated_close;
    gated->parent.free = gated_free;
    gated->fd = -1;
    *out = &gated->parent;
    return 0;
}

int rapport_connections_gate(rapport_connection_gate gate, void *payload) {
    current_gate = gate;
    current_payload = payload;
    git_stream_registration registration = { GIT_STREAM_VERSION, gated_new, NULL };
    return git_stream_register(GIT_STREAM_STANDARD, gate != NULL ? &registration : NULL);
}
