/* bench-enabled.c: an enabled line, written to a file
 *
 * Each contender runs in its own process (loggers are set up once per
 * process: GStreamer reads GST_DEBUG_FILE at init, GLib's writer can be
 * set once), repetitions alternating between them:
 *  - torchlog: tl_debug() in torch's format, TORCH_LOGS_OUT a file and
 *    stderr on /dev/null, as torch writes every line to both;
 *  - spdlog: basic_logger_mt in its default format to a file;
 *  - GLib: g_debug() through g_log_writer_default() (G_MESSAGES_DEBUG=all),
 *    its stderr a file;
 *  - GStreamer: GST_DEBUG() to GST_DEBUG_FILE (colours off).
 * Every loop ends with the contender's own flush, inside the timing. Also
 * shown: torchlog with stderr a regular file too, where the kernel's cost
 * of one write() per line dominates.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "bench"
#define TL_LOG_DOMAIN "bench"
#include <torchlog/torchlog.h>
#include <gst/gst.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bench-common.h"

GST_DEBUG_CATEGORY_STATIC (bench_cat);
#define GST_CAT_DEFAULT bench_cat

static const char *value = "abc";

BENCH_DEFINE_LOOP (loop_tl, tl_debug ("value %s %ld", value, (long) i))
BENCH_DEFINE_LOOP (loop_gst, GST_DEBUG ("value %s %ld", value, (long) i))
BENCH_DEFINE_LOOP (loop_glib, g_debug ("value %s %ld", value, (long) i))

static void
stderr_to (const char *path)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  if (fd < 0 || dup2 (fd, STDERR_FILENO) < 0)
    g_error ("cannot redirect stderr to %s", path);
  close (fd);
}

static int
run_child (const BenchOptions *options)
{
  gint64 n = options->iters;
  double start, end;

  if (g_str_has_prefix (options->child, "tl"))
    {
      TlRegistry *registry = tl_registry_get_default ();
      const char *domains[] = { "bench", NULL };
      g_autoptr(GError) error = NULL;

      if (g_str_equal (options->child, "tl-stderr-file"))
        stderr_to (options->arg);
      tl_registry_register_log (registry, "bench", domains, "the benchmark's component");
      tl_registry_install_writer (registry);
      if (!tl_registry_init_logs (registry, &error))
        g_error ("%s", error->message);
      loop_tl (n / 10);
      tl_registry_flush (registry);
      start = bench_now_ns ();
      loop_tl (n);
      tl_registry_flush (registry);
      end = bench_now_ns ();
    }
  else if (g_str_equal (options->child, "gst"))
    {
      gst_init (NULL, NULL);
      GST_DEBUG_CATEGORY_INIT (bench_cat, "benchcat", 0, "the benchmark's category");
      loop_gst (n / 10);
      start = bench_now_ns ();
      loop_gst (n);
      end = bench_now_ns ();   /* GStreamer flushes every line itself */
    }
  else if (g_str_equal (options->child, "glib"))
    {
      stderr_to (options->arg);
      g_log_writer_default_set_use_stderr (TRUE);
      loop_glib (n / 10);
      start = bench_now_ns ();
      loop_glib (n);
      fflush (stderr);
      end = bench_now_ns ();
    }
  else
    {
      g_printerr ("unknown case %s\n", options->child);
      return 2;
    }
  printf ("%.4f\n", (end - start) / n);
  return 0;
}

static double
spawn_case (const char *child, const char *arg, gint64 n, const char * const *env)
{
  g_autofree char *iters = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  const char *args[] = { "--child", child, "--iters", iters, "--arg", arg, NULL };
  double ns = bench_spawn_number (NULL, args, env, FALSE);

  return ns;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  g_autoptr(GArray) tl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) spd = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) glib = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gst = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tl_file = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *tl_out_env = NULL, *gst_file_env = NULL;
  const char *spdlog = bench_spdlog_path ();
  double a, b;
  int reps;
  gint64 n;

  bench_init (&argc, &argv, &options);
  if (options.child != NULL)
    return run_child (&options);   /* with the environment it was given */
  /* The children inherit none of the caller's logging configuration. */
  g_unsetenv ("TORCH_LOGS_FORMAT");
  g_unsetenv ("TORCH_LOGS_TRACE_ID_FILTER");
  g_unsetenv ("TORCH_LOGS_RANKS");
  g_unsetenv ("TORCHLOG_JOURNAL");
  g_unsetenv ("GST_DEBUG");
  g_unsetenv ("G_MESSAGES_DEBUG");

  out = bench_tmpfile ("out.log");
  err = bench_tmpfile ("stderr.log");
  tl_out_env = g_strconcat ("TORCH_LOGS_OUT=", out, NULL);
  gst_file_env = g_strconcat ("GST_DEBUG_FILE=", out, NULL);
  reps = bench_reps (&options, 7);
  n = bench_iters (&options, 500 * 1000);

  for (int r = 0; r < reps; r++)
    {
      const char *tl_env[] = { "TORCH_LOGS=+bench", tl_out_env, NULL };
      const char *glib_env[] = { "G_MESSAGES_DEBUG=all", "DEBUG_INVOCATION=", NULL };
      /* GStreamer 1.22 opens its gate for a category's pattern only
       * along with a bare default level ("1": errors). */
      const char *gst_env[] = { "GST_DEBUG=1,benchcat:5", gst_file_env, "GST_DEBUG_NO_COLOR=1", NULL };
      g_autofree char *iters = g_strdup_printf ("%" G_GINT64_FORMAT, n);
      const char *spd_args[] = { "enabled", iters, out, NULL };

      bench_add_sample (tl, spawn_case ("tl", err, n, tl_env));
      g_unlink (out);
      bench_add_sample (spd, bench_spawn_number (spdlog, spd_args, NULL, FALSE));
      g_unlink (out);
      bench_add_sample (glib, spawn_case ("glib", err, n / 10, glib_env));
      g_unlink (err);
      bench_add_sample (gst, spawn_case ("gst", err, n / 5, gst_env));
      g_unlink (out);
      bench_add_sample (tl_file, spawn_case ("tl-stderr-file", err, n, tl_env));
      g_unlink (out);
      g_unlink (err);
    }

  a = bench_median (tl);
  b = bench_median (spd);
  bench_report ("enabled-spdlog", "enabled line to TORCH_LOGS_OUT (stderr on /dev/null)", a,
                "spdlog basic_logger_mt to a file", b, "ns", "<= 300 ns and faster than spdlog",
                a <= 300.0 && a < b);
  b = bench_median (glib);
  bench_report ("enabled-glib", "enabled line to TORCH_LOGS_OUT (stderr on /dev/null)", a,
                "GLib g_log_writer_default to a file", b, "ns", ">= 10x faster than GLib",
                a * 10.0 <= b);
  b = bench_median (gst);
  bench_report ("enabled-gst", "enabled line to TORCH_LOGS_OUT (stderr on /dev/null)", a,
                "GStreamer GST_DEBUG_FILE", b, "ns", NULL, FALSE);
  a = bench_median (tl_file);
  b = bench_median (glib);
  bench_report ("enabled-stderr-file", "enabled line to TORCH_LOGS_OUT and stderr both regular files",
                a, "GLib g_log_writer_default to a file", b, "ns", NULL, FALSE);
  return 0;
}
