#ifndef RAPPORT_CERTIFICATES_H
#define RAPPORT_CERTIFICATES_H

/* While on, libgit2's start-up does not parse the system's CA bundle but only notes its path
   (see certificates.c); off again before anything else uses TLS. */
void rapport_certificates_defer(int on);

/* The bundle whose parse was put off, once (malloc'd, for the caller to free); NULL when none
   was, or it was already taken. */
char *rapport_certificates_take_deferred(void);

/* How many certificates the last real parse of a CA file through libgit2 gave, -1 before any. */
int rapport_certificates_last_count(void);

/* Whether this build can put the parse off at all (libgit2 and mbedTLS linked in statically). */
int rapport_certificates_can_defer(void);

#endif
