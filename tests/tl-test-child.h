/* tl-test-child.h: run part of a test program in a child process with
 * its own environment, and capture its stdout, stderr and exit status
 *
 * GLib 2.74's g_test_trap_subprocess() can neither set the child's
 * environment (TORCH_LOGS, G_DEBUG, G_MESSAGES_DEBUG must be in place
 * before GLib and torchlog read them) nor hand the captured output back
 * for byte-exact comparisons, so the tests re-execute themselves with
 * `--child NAME` instead.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>

typedef struct {
  const char *name;
  void      (*func) (void);
} TlTestChildFunc;

typedef struct {
  char   *out;        /* the child's stdout */
  char   *err;        /* the child's stderr */
  gboolean exited;    /* it exited (rather than died of a signal) */
  int      exit_code;
} TlTestChild;

static inline void
tl_test_child_clear (TlTestChild *child)
{
  g_clear_pointer (&child->out, g_free);
  g_clear_pointer (&child->err, g_free);
}

/* Runs the child function @name with the test's environment minus every
 * TORCH_LOGS* variable, plus @env (`"KEY", "VALUE"` pairs, ending with
 * %NULL; a %NULL value unsets KEY). */
static inline void
tl_test_child_run (TlTestChild *child, const char *name, ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_auto(GStrv) envp = g_get_environ ();
  const char *argv[] = { self, "--child", name, NULL };
  const char *key;
  int status = 0;
  va_list args;

  g_assert_nonnull (self);
  envp = g_environ_unsetenv (envp, "TORCH_LOGS");
  envp = g_environ_unsetenv (envp, "TORCH_LOGS_OUT");
  envp = g_environ_unsetenv (envp, "TORCH_LOGS_FORMAT");
  envp = g_environ_unsetenv (envp, "TORCH_LOGS_TRACE_ID_FILTER");
  va_start (args, name);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        envp = g_environ_setenv (envp, key, value, TRUE);
      else
        envp = g_environ_unsetenv (envp, key);
    }
  va_end (args);

  memset (child, 0, sizeof *child);
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                     &child->out, &child->err, &status, &error))
    g_error ("cannot run the child %s: %s", name, error->message);
  child->exited = WIFEXITED (status);
  child->exit_code = child->exited ? WEXITSTATUS (status) : -1;
  {
    /* Enough to debug a failure without flooding the TAP log. */
    g_autofree char *out = g_strndup (child->out, 4096);
    g_autofree char *err = g_strndup (child->err, 4096);

    g_test_message ("child %s: status %d, stdout:\n%s\nstderr:\n%s", name, status, out, err);
  }
}

/* Call first in main(): runs the child function and returns its exit
 * code when the program was started as a child, else -1. */
static inline int
tl_test_child_main (int argc, char **argv, const TlTestChildFunc *funcs)
{
  if (argc != 3 || !g_str_equal (argv[1], "--child"))
    return -1;
  for (gsize i = 0; funcs[i].name != NULL; i++)
    if (g_str_equal (funcs[i].name, argv[2]))
      {
        funcs[i].func ();
        fflush (stdout);
        return 0;
      }
  g_printerr ("no child function %s\n", argv[2]);
  return 2;
}

/* Splits @text into lines; a final newline ends the last line rather
 * than starting an empty one. */
static inline char **
tl_test_split_lines (const char *text)
{
  gsize len = strlen (text);
  g_autofree char *copy = g_strndup (text, len > 0 && text[len - 1] == '\n' ? len - 1 : len);

  if (len == 0)
    return g_new0 (char *, 1);
  return g_strsplit (copy, "\n", -1);
}

/* Reads KEY=VALUE lines the child printed on stdout. */
static inline char *
tl_test_child_value (const TlTestChild *child, const char *key)
{
  g_auto(GStrv) lines = tl_test_split_lines (child->out);
  gsize key_len = strlen (key);

  for (gsize i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == '=')
      return g_strdup (lines[i] + key_len + 1);
  return NULL;
}
