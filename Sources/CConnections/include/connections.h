#ifndef RAPPORT_CONNECTIONS_H
#define RAPPORT_CONNECTIONS_H

/* Asked before each connection libgit2 opens on this thread while the gate is set: the host and
   port it is about to connect to (after any redirect). 0 lets it connect; anything else is the
   error libgit2 gets instead, and nothing is sent. */
typedef int (*rapport_connection_gate)(const char *host, const char *port, void *payload);

/* Sets this thread's gate (NULL clears it). While one is set, libgit2's plain sockets, which its
   TLS streams run over, are rapport's (connections.c), so every connection passes the gate. The
   registration is process-wide: callers set a gate only while no other thread transfers. */
int rapport_connections_gate(rapport_connection_gate gate, void *payload);

#endif
