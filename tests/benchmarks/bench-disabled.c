/* bench-disabled.c: the cost of a logging statement that prints nothing
 *
 * Cases, each against its peer in the same process and run, medians of
 * alternating repetitions:
 *  - nothing enabled anywhere: tl_debug() against GStreamer's GST_DEBUG()
 *    (its global gate closed), GLib's g_debug() and spdlog's debug();
 *  - another component at DEBUG: tl_debug() against GST_DEBUG() while
 *    another category is at DEBUG (GStreamer's global gate is then open);
 *  - a disabled artifact (tl_artifact()) in the same situation.
 * Then the instructions of each statement, counted by callgrind (stable
 * on a noisy machine): the count for 2N iterations minus the count for N,
 * over N, minus the same for an empty loop.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define G_LOG_DOMAIN "bench-glib"
#define TL_LOG_DOMAIN "bench"
#include <torchlog/torchlog.h>
#include <gst/gst.h>

#include <stdio.h>
#include <stdlib.h>

#include "bench-common.h"

GST_DEBUG_CATEGORY_STATIC (bench_cat);
GST_DEBUG_CATEGORY_STATIC (other_cat);
#define GST_CAT_DEFAULT bench_cat

static const char *value = "abc";

/* One function per statement (bench-common.h). */
G_GNUC_NO_INLINE static void
loop_empty (gint64 n)
{
  for (gint64 i = 0; i < n; i++)
    BENCH_BARRIER ();
}

BENCH_DEFINE_LOOP (loop_tl_debug, tl_debug ("value %s %ld", value, (long) i))
BENCH_DEFINE_LOOP (loop_tl_artifact,
                   tl_artifact ("bench_artifact", TL_LEVEL_DEBUG, "value %s %ld", value, (long) i))
BENCH_DEFINE_LOOP (loop_gst_debug, GST_DEBUG ("value %s %ld", value, (long) i))
BENCH_DEFINE_LOOP (loop_g_debug, g_debug ("value %s %ld", value, (long) i))

typedef void (*LoopFunc) (gint64 n);

static double
time_loop (LoopFunc loop, gint64 n)
{
  double start;

  loop (MAX (n / 10, 1));   /* warm up: caches, branch predictors, call sites */
  start = bench_now_ns ();
  loop (n);
  return (bench_now_ns () - start) / n;
}

static void
set_up (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char *bench_domains[] = { "bench", NULL };
  const char *other_domains[] = { "other", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (registry, "bench", bench_domains, "the benchmark's component");
  tl_registry_register_log (registry, "other", other_domains, "another component");
  tl_registry_register_artifact (registry, "bench_artifact", "an artifact",
                                 TL_ARTIFACT_FLAGS_VISIBLE, NULL);
  if (!tl_registry_parse_logs (registry, "", &error))
    g_error ("%s", error->message);

  gst_init (NULL, NULL);
  GST_DEBUG_CATEGORY_INIT (bench_cat, "benchcat", 0, "the benchmark's category");
  GST_DEBUG_CATEGORY_INIT (other_cat, "othercat", 0, "another category");
}

/* Another component at DEBUG: torchlog's gate is recomputed and lets
 * DEBUG through to the call sites; GStreamer's opens for good. */
static void
enable_other (void)
{
  g_autoptr(GError) error = NULL;

  if (!tl_registry_parse_logs (tl_registry_get_default (), "+other", &error))
    g_error ("%s", error->message);
  gst_debug_set_threshold_for_name ("othercat", GST_LEVEL_DEBUG);
}

static int
run_child (const BenchOptions *options)
{
  const char *name = options->child;
  gint64 n = options->iters;
  LoopFunc loop = NULL;
  double ns;

  set_up ();
  if (g_str_has_suffix (name, "-other"))
    enable_other ();
  if (g_str_has_prefix (name, "tl-artifact"))
    loop = loop_tl_artifact;
  else if (g_str_has_prefix (name, "tl-"))
    loop = loop_tl_debug;
  else if (g_str_has_prefix (name, "gst-"))
    loop = loop_gst_debug;
  else if (g_str_has_prefix (name, "glib-"))
    loop = loop_g_debug;
  else if (g_str_equal (name, "empty"))
    loop = loop_empty;
  else
    {
      g_printerr ("unknown case %s\n", name);
      return 2;
    }
  /* No warm-up: callgrind counts every instruction of the run. */
  ns = bench_now_ns ();
  loop (n);
  printf ("%.4f\n", (bench_now_ns () - ns) / n);
  return 0;
}

static double
spdlog_disabled (const BenchOptions *options, gint64 n)
{
  g_autofree char *iters = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  const char *args[] = { "disabled", iters, NULL };

  return bench_spawn_number (bench_spdlog_path (), args, NULL, FALSE);
}

/* Instructions per statement: callgrind's count for 2N iterations minus
 * that for N, over N, minus the same for the empty loop. */
static double
instructions (const char *program, const char *child, const char *child_arg, gint64 n)
{
  g_autofree char *n1 = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_autofree char *n2 = g_strdup_printf ("%" G_GINT64_FORMAT, 2 * n);
  const char *args1[] = { "--child", child, "--iters", n1, NULL };
  const char *args2[] = { "--child", child, "--iters", n2, NULL };
  const char *spd1[] = { child_arg, n1, NULL };
  const char *spd2[] = { child_arg, n2, NULL };
  double a, b;

  a = bench_callgrind_count (program, program ? spd1 : args1, NULL);
  b = bench_callgrind_count (program, program ? spd2 : args2, NULL);
  if (a < 0 || b < 0)
    return -1;
  return (b - a) / n;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  int reps;
  gint64 n, n_glib;
  g_autoptr(GArray) tl0 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gst0 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) glib0 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) spd0 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tl1 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) art1 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gst1 = g_array_new (FALSE, FALSE, sizeof (double));
  double tl, gst, glib, spd, art;

  bench_init (&argc, &argv, &options);
  /* Nothing of the caller's configuration, and GStreamer without plugins
   * (its registry scan would only slow the start). */
  g_unsetenv ("TORCH_LOGS");
  g_unsetenv ("GST_DEBUG");
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", bench_tmpdir (), TRUE);
  g_setenv ("GST_PLUGIN_PATH_1_0", bench_tmpdir (), TRUE);
  g_setenv ("GST_REGISTRY_1_0", "/dev/null", TRUE);
  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  if (options.child != NULL)
    return run_child (&options);

  reps = bench_reps (&options, 9);
  n = bench_iters (&options, 100 * 1000 * 1000);
  n_glib = n / 200;
  set_up ();

  /* Phase 1: nothing enabled anywhere. GStreamer's gate only ever opens,
   * so this phase comes first. */
  for (int r = 0; r < reps; r++)
    {
      bench_add_sample (tl0, time_loop (loop_tl_debug, n));
      bench_add_sample (gst0, time_loop (loop_gst_debug, n));
      bench_add_sample (glib0, time_loop (loop_g_debug, n_glib));
      bench_add_sample (spd0, spdlog_disabled (&options, n / 10));
    }
  tl = bench_median (tl0);
  gst = bench_median (gst0);
  glib = bench_median (glib0);
  spd = bench_median (spd0);
  bench_report ("disabled", "disabled tl_debug, nothing enabled", tl, "GStreamer GST_DEBUG", gst,
                "ns", "<= 1 ns and <= GST_DEBUG", tl <= 1.0 && tl <= gst * 1.05 + 0.02);
  bench_report ("disabled-glib", "disabled tl_debug, nothing enabled", tl, "GLib g_debug", glib,
                "ns", NULL, FALSE);
  bench_report ("disabled-spdlog", "disabled tl_debug, nothing enabled", tl, "spdlog debug()", spd,
                "ns", NULL, FALSE);

  /* Phase 2: another component (category) at DEBUG. */
  enable_other ();
  for (int r = 0; r < reps; r++)
    {
      bench_add_sample (tl1, time_loop (loop_tl_debug, n));
      bench_add_sample (gst1, time_loop (loop_gst_debug, n));
      bench_add_sample (art1, time_loop (loop_tl_artifact, n));
    }
  tl = bench_median (tl1);
  gst = bench_median (gst1);
  art = bench_median (art1);
  bench_report ("disabled-other", "disabled tl_debug, another component at DEBUG", tl,
                "GStreamer GST_DEBUG, another category at DEBUG", gst, "ns", "<= 2 ns", tl <= 2.0);
  bench_report ("disabled-artifact", "disabled tl_artifact, another component at DEBUG", art,
                "GStreamer GST_DEBUG, another category at DEBUG", gst, "ns", "<= 2 ns", art <= 2.0);

  /* Instruction counts of the disabled paths. */
  if (!options.quick)
    {
      gint64 cn = 1000000;
      double empty = instructions (NULL, "empty", NULL, cn);

      if (empty < 0)
        printf ("(valgrind not found: no instruction counts)\n");
      else
        {
          static const struct { const char *child, *what; } cases[] = {
            { "tl-nothing", "instructions: disabled tl_debug, nothing enabled" },
            { "gst-nothing", "instructions: GST_DEBUG, nothing enabled" },
            { "glib-nothing", "instructions: disabled g_debug" },
            { "tl-other", "instructions: disabled tl_debug, another component at DEBUG" },
            { "gst-other", "instructions: GST_DEBUG, another category at DEBUG" },
            { "tl-artifact-other", "instructions: disabled tl_artifact, another component at DEBUG" },
          };
          const char *spdlog = bench_spdlog_path ();

          for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
            {
              gint64 m = g_str_has_prefix (cases[i].child, "glib") ? cn / 100 : cn;
              double count = instructions (NULL, cases[i].child, NULL, m);
              g_autofree char *id = g_strconcat ("instr-", cases[i].child, NULL);
              bench_note (id, cases[i].what, count - empty, "instructions", NULL, FALSE);
            }
          if (g_file_test (spdlog, G_FILE_TEST_IS_EXECUTABLE))
            {
              double count = instructions (spdlog, NULL, "disabled-loop", cn);
              bench_note ("instr-spdlog-nothing", "instructions: disabled spdlog debug()",
                          count - empty, "instructions", NULL, FALSE);
            }
        }
    }
  return 0;
}
