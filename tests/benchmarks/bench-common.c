/* bench-common.c: see bench-common.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench-common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

static char *tmpdir;

static void
remove_tmpdir (void)
{
  GDir *dir;
  const char *name;

  if (tmpdir == NULL)
    return;
  dir = g_dir_open (tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (tmpdir);
}

const char *
bench_tmpdir (void)
{
  if (tmpdir == NULL)
    {
      g_autoptr(GError) error = NULL;

      tmpdir = g_dir_make_tmp ("torchlog-bench-XXXXXX", &error);
      if (tmpdir == NULL)
        g_error ("cannot make a temporary directory: %s", error->message);
      atexit (remove_tmpdir);
    }
  return tmpdir;
}

char *
bench_tmpfile (const char *name)
{
  return g_build_filename (bench_tmpdir (), name, NULL);
}

const char *
bench_spdlog_path (void)
{
  static char *path;

  if (path == NULL)
    {
      const char *env = g_getenv ("TORCHLOG_BENCH_SPDLOG");
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
      g_autofree char *dir = self ? g_path_get_dirname (self) : g_strdup (".");

      path = env && env[0] ? g_strdup (env) : g_build_filename (dir, "bench-spdlog", NULL);
    }
  return path;
}

void
bench_init (int *argc, char ***argv, BenchOptions *options)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean quick = FALSE;
  char *child = NULL, *arg = NULL;
  gint64 iters = 0;
  GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Few, short repetitions (CI)", NULL },
    { "child", 0, 0, G_OPTION_ARG_STRING, &child, "Run one case and print ns per operation", "CASE" },
    { "iters", 0, 0, G_OPTION_ARG_INT64, &iters, "Iterations of --child", "N" },
    { "arg", 0, 0, G_OPTION_ARG_STRING, &arg, "A path or value for --child", "X" },
    { NULL }
  };
  const char *quick_env = g_getenv ("TORCHLOG_BENCH_QUICK");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }
  memset (options, 0, sizeof *options);
  options->quick = quick || (quick_env != NULL && quick_env[0] != '\0' && quick_env[0] != '0');
  options->child = child;
  options->iters = iters > 0 ? iters : 1000000;
  options->arg = arg;
}

double
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

double
bench_median (GArray *samples)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = samples->len;

  if (n == 0)
    return 0;
  sorted = g_array_copy (samples);
  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

int
bench_reps (const BenchOptions *options, int full)
{
  return options->quick ? 3 : full;
}

gint64
bench_iters (const BenchOptions *options, gint64 full)
{
  return options->quick ? MAX (full / 20, 1000) : full;
}

static char **
make_env (const char * const *env)
{
  char **envp = g_get_environ ();

  for (gsize i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_autofree char *name = g_strndup (env[i], eq - env[i]);

      if (eq[1] == '\0')
        envp = g_environ_unsetenv (envp, name);
      else
        envp = g_environ_setenv (envp, name, eq + 1, TRUE);
    }
  return envp;
}

static char **
make_argv (const char *prefix_program, const char *program, const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_autofree char *self = NULL;

  if (prefix_program != NULL)
    g_ptr_array_add (argv, g_strdup (prefix_program));
  if (program == NULL)
    {
      self = g_file_read_link ("/proc/self/exe", NULL);
      program = self;
    }
  g_ptr_array_add (argv, g_strdup (program));
  for (gsize i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  return (char **) g_ptr_array_free (argv, FALSE);
}

double
bench_spawn_number (const char         *program,
                    const char * const *args,
                    const char * const *env,
                    gboolean            keep_stderr)
{
  g_auto(GStrv) argv = make_argv (NULL, program, args);
  g_auto(GStrv) envp = make_env (env);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, argv, envp,
                     keep_stderr ? G_SPAWN_DEFAULT : G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_autofree char *cmd = g_strjoinv (" ", argv);
      g_printerr ("benchmark child failed: %s: %s\n", cmd, error->message);
      exit (1);
    }
  return g_ascii_strtod (out, NULL);
}

double
bench_callgrind_count (const char         *program,
                       const char * const *args,
                       const char * const *env)
{
  g_autofree char *valgrind = g_find_program_in_path ("valgrind");
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = make_env (env);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *collected;
  int status;

  if (valgrind == NULL)
    return -1;
  argv = make_argv (valgrind, program, args);
  {
    /* valgrind's own options go before the program. */
    g_autoptr(GPtrArray) full = g_ptr_array_new ();
    g_ptr_array_add (full, argv[0]);
    g_ptr_array_add (full, (char *) "--tool=callgrind");
    g_ptr_array_add (full, (char *) "--callgrind-out-file=/dev/null");
    for (gsize i = 1; argv[i] != NULL; i++)
      g_ptr_array_add (full, argv[i]);
    g_ptr_array_add (full, NULL);
    if (!g_spawn_sync (NULL, (char **) full->pdata, envp, G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &err, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      {
        g_printerr ("callgrind failed: %s\n%s\n", error->message, err ? err : "");
        return -1;
      }
  }
  collected = strstr (err, "Collected : ");
  if (collected == NULL)
    return -1;
  return g_ascii_strtod (collected + strlen ("Collected : "), NULL);
}

static void
append_result (const char *line)
{
  const char *path = g_getenv ("TORCHLOG_BENCH_RESULTS");
  FILE *file;

  if (path == NULL || path[0] == '\0')
    return;
  file = fopen (path, "a");
  if (file == NULL)
    return;
  fputs (line, file);
  fclose (file);
}

static char *
format_value (double value, const char *unit)
{
  if (value >= 100 || value == 0)
    return g_strdup_printf ("%.0f %s", value, unit);
  if (value >= 10)
    return g_strdup_printf ("%.1f %s", value, unit);
  return g_strdup_printf ("%.2f %s", value, unit);
}

void
bench_report (const char *case_id,
              const char *what,
              double      torchlog,
              const char *peer,
              double      peer_value,
              const char *unit,
              const char *target,
              gboolean    met)
{
  g_autofree char *a = format_value (torchlog, unit);
  g_autofree char *b = format_value (peer_value, unit);
  double ratio = peer_value > 0 ? torchlog / peer_value : 0;
  g_autofree char *line = NULL;

  printf ("%s: torchlog %s, %s %s, ratio X/Y = %.3f   [target %s: %s]\n",
          what, a, peer, b, ratio, target ? target : "none", target ? (met ? "met" : "MISSED") : "-");
  fflush (stdout);
  line = g_strdup_printf ("RESULT\t%s\t%s\t%.4f\t%s\t%.4f\t%s\t%.4f\t%s\t%s\n",
                          case_id, what, torchlog, peer, peer_value, unit, ratio,
                          target ? target : "", target ? (met ? "met" : "MISSED") : "");
  append_result (line);
}

void
bench_note (const char *case_id,
            const char *what,
            double      value,
            const char *unit,
            const char *target,
            gboolean    met)
{
  g_autofree char *a = format_value (value, unit);
  g_autofree char *line = NULL;

  printf ("%s: %s   [target %s: %s]\n", what, a, target ? target : "none",
          target ? (met ? "met" : "MISSED") : "-");
  fflush (stdout);
  line = g_strdup_printf ("NOTE\t%s\t%s\t%.4f\t%s\t%s\t%s\n", case_id, what, value, unit,
                          target ? target : "", target ? (met ? "met" : "MISSED") : "");
  append_result (line);
}
