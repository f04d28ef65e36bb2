/* bench-writer.c: what torchlog's writer adds to a record GLib drops
 *
 * A g_debug()-style structured record (g_log_structured_standard(), what
 * g_debug() is under G_LOG_USE_STRUCTURED) on a domain under a registered
 * component, which the configuration drops. One writer is installed for
 * the whole run and hands each record either to tl_log_writer() or to
 * g_log_writer_default() (with G_MESSAGES_DEBUG unset, so it drops it
 * too), alternating by repetition: the difference is what torchlog's
 * writer costs on top of GLib's own path. Also shown: a record of an
 * unregistered domain, which torchlog's writer passes on to GLib's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <torchlog/torchlog.h>

#include <stdio.h>

#include "bench-common.h"

static gint use_torchlog;
static const char *value = "abc";

static GLogWriterOutput
switching_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  if (g_atomic_int_get (&use_torchlog))
    return tl_log_writer (log_level, fields, n_fields, NULL);
  return g_log_writer_default (log_level, fields, n_fields, NULL);
}

G_GNUC_NO_INLINE static void
loop_structured (const char *domain, gint64 n)
{
  for (gint64 i = 0; i < n; i++)
    {
      g_log_structured_standard (domain, G_LOG_LEVEL_DEBUG, __FILE__, G_STRINGIFY (__LINE__),
                                 G_STRFUNC, "value %s %ld", value, (long) i);
      BENCH_BARRIER ();
    }
}

static double
time_writer (gboolean torchlog, const char *domain, gint64 n)
{
  double start;

  g_atomic_int_set (&use_torchlog, torchlog);
  loop_structured (domain, n / 10);
  start = bench_now_ns ();
  loop_structured (domain, n);
  return (bench_now_ns () - start) / n;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  TlRegistry *registry;
  const char *domains[] = { "bench", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) glib = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tl_other = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) glib_other = g_array_new (FALSE, FALSE, sizeof (double));
  double a, b;
  int reps;
  gint64 n;

  bench_init (&argc, &argv, &options);
  g_unsetenv ("TORCH_LOGS");
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_unsetenv ("DEBUG_INVOCATION");

  registry = tl_registry_get_default ();
  tl_registry_register_log (registry, "bench", domains, "the benchmark's component");
  /* Another component at DEBUG: the registry is not idle. */
  tl_registry_add_pytorch_registrations (registry);
  if (!tl_registry_parse_logs (registry, "+dynamo", &error))
    g_error ("%s", error->message);
  g_log_set_writer_func (switching_writer, NULL, NULL);

  reps = bench_reps (&options, 9);
  n = bench_iters (&options, 4 * 1000 * 1000);
  for (int r = 0; r < reps; r++)
    {
      bench_add_sample (tl, time_writer (TRUE, "bench.sub", n));
      bench_add_sample (glib, time_writer (FALSE, "bench.sub", n));
      bench_add_sample (tl_other, time_writer (TRUE, "unregistered.sub", n));
      bench_add_sample (glib_other, time_writer (FALSE, "unregistered.sub", n));
    }
  a = bench_median (tl);
  b = bench_median (glib);
  bench_report ("writer-dropped", "dropped g_log_structured record, registered domain", a,
                "GLib g_log_writer_default", b, "ns", "torchlog's writer adds <= 20 ns",
                a - b <= 20.0);
  a = bench_median (tl_other);
  b = bench_median (glib_other);
  bench_report ("writer-passed-on", "dropped g_log_structured record, unregistered domain "
                "(passed on to GLib's writer)", a, "GLib g_log_writer_default", b, "ns", NULL, FALSE);
  return 0;
}
