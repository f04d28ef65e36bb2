/* tl-test-util.h: assertions and a stderr capture shared by the C tests
 * of the registry (test-parser.c, test-set-logs.c, test-settings.c)
 *
 * The assertions print the domain and both levels on failure, which
 * g_assert_cmpint() cannot.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

/* The effective level of @domain is @expected. */
#define assert_level(registry, domain, expected)                              \
  G_STMT_START {                                                              \
    TlLevel level_ = tl_registry_get_effective_level ((registry), (domain));  \
    if (level_ != (TlLevel) (expected))                                       \
      {                                                                       \
        g_autofree char *msg_ =                                               \
          g_strdup_printf ("effective level of %s is %s, expected %s",        \
                           (domain), tl_level_to_name (level_),               \
                           tl_level_to_name ((expected)));                    \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,     \
                             msg_);                                           \
      }                                                                       \
  } G_STMT_END

/* tl_registry_should_emit() says @expected. */
#define assert_emit(registry, domain, artifact, level, expected)              \
  G_STMT_START {                                                              \
    gboolean emit_ = tl_registry_should_emit ((registry), (domain),           \
                                              (artifact), (level));           \
    if (!emit_ != !(expected))                                                \
      {                                                                       \
        g_autofree char *msg_ =                                               \
          g_strdup_printf ("should_emit (%s, %s, %s) is %s, expected %s",     \
                           (domain), (artifact) ? (artifact) : "NULL",        \
                           tl_level_to_name ((level)),                        \
                           emit_ ? "TRUE" : "FALSE",                          \
                           (expected) ? "TRUE" : "FALSE");                    \
        g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,     \
                             msg_);                                           \
      }                                                                       \
  } G_STMT_END

/* Whether the artifact @name, which must be registered, is enabled. */
static inline gboolean
tl_test_artifact_enabled (TlRegistry *registry,
                          const char *name)
{
  TlArtifact *artifact = tl_registry_lookup_artifact (registry, name);

  g_assert_nonnull (artifact);
  return tl_artifact_get_enabled (artifact);
}

/* Redirects file descriptor 2, which torchlog writes to directly, into a
 * temporary file. */
typedef struct {
  int   saved_fd;
  int   file_fd;
  char *path;
} TlTestStderr;

static inline void
tl_test_stderr_begin (TlTestStderr *capture)
{
  g_autoptr(GError) error = NULL;

  capture->file_fd = g_file_open_tmp ("tl-test-stderr-XXXXXX", &capture->path, &error);
  g_assert_no_error (error);
  fflush (stderr);
  capture->saved_fd = dup (STDERR_FILENO);
  g_assert_cmpint (capture->saved_fd, >=, 0);
  g_assert_cmpint (dup2 (capture->file_fd, STDERR_FILENO), ==, STDERR_FILENO);
}

/* Restores fd 2 and returns what was written to it. */
static inline char *
tl_test_stderr_end (TlTestStderr *capture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  fflush (stderr);
  g_assert_cmpint (dup2 (capture->saved_fd, STDERR_FILENO), ==, STDERR_FILENO);
  close (capture->saved_fd);
  close (capture->file_fd);
  g_file_get_contents (capture->path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_unlink (capture->path);
  g_free (capture->path);
  return g_steal_pointer (&contents);
}
