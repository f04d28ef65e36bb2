/* bench-settings.c: the cost of applying settings
 *
 *  - A settings string applied to PyTorch's registrations (every log and
 *    artifact torch registers), alternating two strings so that each call
 *    is a real change: parse, resolve, swap, recompute the gate, emit the
 *    signals. Against GStreamer's gst_debug_set_threshold_from_string()
 *    with as many items, over GStreamer's own categories.
 *  - 10,000 registered components: register them all, then apply a
 *    100-item string, in a fresh process; against GStreamer registering
 *    10,000 categories and applying 100 patterns. The heap the components
 *    take (mallinfo2) is shown per component.
 *  - Growth: a string of 100,000 new module names against one of 10,000,
 *    each on a fresh registry; a linear parser takes 10 times as long
 *    (the peer figure), a quadratic one 100 times.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <torchlog/torchlog.h>
#include <gst/gst.h>

#include <malloc.h>
#include <stdio.h>

#include "bench-common.h"

#define N_COMPONENTS 10000
#define N_ITEMS      100

static const char *pytorch_settings[] = {
  "+dynamo,aot,graph_code,inductor,-distributed",
  "dynamo,+aot,guards,recompiles,+inductor,output_code",
};
static const char *gst_settings[] = {
  "GST_PADS:5,GST_ELEMENT*:4,GST_CAPS:3,GST_BUFFER:2,GST_EVENT:1",
  "GST_PADS:3,GST_ELEMENT*:5,GST_CAPS:4,GST_BUFFER:5,GST_EVENT:2,GST_QUERY:4",
};

static double
time_pytorch (TlRegistry *registry, int round, int calls)
{
  double start = bench_now_ns ();

  for (int i = 0; i < calls; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!tl_registry_parse_logs (registry, pytorch_settings[(round + i) % 2], &error))
        g_error ("%s", error->message);
    }
  return (bench_now_ns () - start) / calls;
}

static double
time_gst (int round, int calls)
{
  double start = bench_now_ns ();

  for (int i = 0; i < calls; i++)
    gst_debug_set_threshold_from_string (gst_settings[(round + i) % 2], TRUE);
  return (bench_now_ns () - start) / calls;
}

/* "+c0,c100,-c200,..." over the first 10,000 names. */
static char *
hundred_items (const char *prefix)
{
  GString *text = g_string_new (NULL);

  for (int i = 0; i < N_ITEMS; i++)
    {
      int c = i * (N_COMPONENTS / N_ITEMS) + i % 7;
      if (text->len > 0)
        g_string_append_c (text, ',');
      g_string_append_printf (text, "%s%s%05d", i % 3 == 0 ? "+" : i % 3 == 1 ? "" : "-", prefix, c);
    }
  return g_string_free (text, FALSE);
}

/* Milliseconds to apply @n new module names ("+mod.name0,...") to a
 * fresh registry with PyTorch's registrations. */
static double
time_module_names (int n)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  GString *text = g_string_new (NULL);
  double start;

  tl_registry_add_pytorch_registrations (registry);
  for (int i = 0; i < n; i++)
    g_string_append_printf (text, "%s+mod.name%d", i > 0 ? "," : "", i);
  start = bench_now_ns ();
  if (!tl_registry_parse_logs (registry, text->str, &error))
    g_error ("%s", error->message);
  start = bench_now_ns () - start;
  g_string_free (text, TRUE);
  return start / 1e6;
}

static int
run_child (const BenchOptions *options)
{
  g_autofree char *names = NULL;
  double start, end;

  if (g_str_equal (options->child, "tl-10k"))
    {
      g_autoptr(TlRegistry) registry = tl_registry_new ();
      g_autoptr(GError) error = NULL;
      struct mallinfo2 before, after;
      double heap;

      char **component_names = g_new (char *, N_COMPONENTS);
      char **component_domains = g_new (char *, N_COMPONENTS);

      /* The names are made before the clock starts. */
      for (int i = 0; i < N_COMPONENTS; i++)
        {
          component_names[i] = g_strdup_printf ("comp%05d", i);
          component_domains[i] = g_strdup_printf ("app.module%05d", i);
        }
      names = hundred_items ("comp");
      tl_registry_parse_logs (registry, "", NULL);   /* the empty configuration, first */
      before = mallinfo2 ();
      start = bench_now_ns ();
      for (int i = 0; i < N_COMPONENTS; i++)
        {
          const char *domains[] = { component_domains[i], NULL };

          tl_registry_register_log (registry, component_names[i], domains, "a component");
        }
      if (!tl_registry_parse_logs (registry, names, &error))
        g_error ("%s", error->message);
      end = bench_now_ns ();
      after = mallinfo2 ();
      heap = ((double) after.uordblks + after.hblkhd - before.uordblks - before.hblkhd) / N_COMPONENTS;
      printf ("%.4f %.1f\n", (end - start) / 1e6, heap);
      for (int i = 0; i < N_COMPONENTS; i++)
        {
          g_free (component_names[i]);
          g_free (component_domains[i]);
        }
      g_free (component_names);
      g_free (component_domains);
    }
  else if (g_str_equal (options->child, "gst-10k"))
    {
      GstDebugCategory **categories = g_new (GstDebugCategory *, N_COMPONENTS);

      names = hundred_items ("cat");
      for (char *p = names; *p; p++)
        if (*p == ',')
          *p = ' ';
      char **category_names = g_new0 (char *, N_COMPONENTS + 1);

      for (int i = 0; i < N_COMPONENTS; i++)
        category_names[i] = g_strdup_printf ("cat%05d", i);
      gst_init (NULL, NULL);
      start = bench_now_ns ();
      for (int i = 0; i < N_COMPONENTS; i++)
        categories[i] = _gst_debug_category_new (category_names[i], 0, "a category");
      {
        /* GStreamer's grammar: "name:level", no +/- prefixes. */
        g_auto(GStrv) items = g_strsplit (names, " ", -1);
        GString *list = g_string_new (NULL);
        for (int i = 0; items[i] != NULL; i++)
          {
            const char *item = items[i] + (items[i][0] == '+' || items[i][0] == '-');
            g_string_append_printf (list, "%s%s:%d", i ? "," : "", item, 3 + i % 3);
          }
        gst_debug_set_threshold_from_string (list->str, TRUE);
        g_string_free (list, TRUE);
      }
      end = bench_now_ns ();
      printf ("%.4f\n", (end - start) / 1e6);
      g_free (categories);
      g_strfreev (category_names);
    }
  else
    {
      g_printerr ("unknown case %s\n", options->child);
      return 2;
    }
  return 0;
}

int
main (int argc, char **argv)
{
  BenchOptions options;
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(GArray) tl = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gst = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) tl10k = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) gst10k = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) heap = g_array_new (FALSE, FALSE, sizeof (double));
  double a, b, h;
  int reps, calls;

  bench_init (&argc, &argv, &options);
  g_unsetenv ("TORCH_LOGS");
  g_unsetenv ("GST_DEBUG");
  g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", bench_tmpdir (), TRUE);
  g_setenv ("GST_PLUGIN_PATH_1_0", bench_tmpdir (), TRUE);
  g_setenv ("GST_REGISTRY_1_0", "/dev/null", TRUE);
  g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
  if (options.child != NULL)
    return run_child (&options);

  reps = bench_reps (&options, 9);
  calls = options.quick ? 200 : 2000;
  registry = tl_registry_new ();
  tl_registry_add_pytorch_registrations (registry);
  gst_init (NULL, NULL);
  time_pytorch (registry, 0, calls / 10);
  time_gst (0, calls / 10);
  for (int r = 0; r < reps; r++)
    {
      bench_add_sample (tl, time_pytorch (registry, r, calls));
      bench_add_sample (gst, time_gst (r, calls));
    }
  a = bench_median (tl) / 1000;
  b = bench_median (gst) / 1000;
  bench_report ("settings-pytorch", "apply a settings string to PyTorch's registrations", a,
                "GStreamer gst_debug_set_threshold_from_string", b, "us", "<= 20 us", a <= 20.0);

  for (int r = 0; r < bench_reps (&options, 5); r++)
    {
      const char *tl_args[] = { "--child", "tl-10k", NULL };
      const char *gst_args[] = { "--child", "gst-10k", NULL };
      g_autofree char *out = NULL;

      {
        /* Two numbers: milliseconds, then heap bytes per component. */
        g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
        char *argv_tl[] = { self, (char *) tl_args[0], (char *) tl_args[1], NULL };
        g_autoptr(GError) error = NULL;
        int status;
        char *end;

        if (!g_spawn_sync (NULL, argv_tl, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                           &out, NULL, &status, &error) ||
            !g_spawn_check_wait_status (status, &error))
          g_error ("tl-10k: %s", error->message);
        bench_add_sample (tl10k, g_ascii_strtod (out, &end));
        bench_add_sample (heap, g_ascii_strtod (end, NULL));
      }
      bench_add_sample (gst10k, bench_spawn_number (NULL, gst_args, NULL, FALSE));
    }
  a = bench_median (tl10k);
  b = bench_median (gst10k);
  h = bench_median (heap);
  bench_report ("settings-10k", "10,000 components: register all, apply a 100-item string", a,
                "GStreamer: 10,000 categories, 100 patterns", b, "ms", "<= 10 ms", a <= 10.0);
  bench_note ("settings-10k-heap", "10,000 components: heap per component", h, "bytes",
              "<= 512 bytes", h <= 512.0);

  {
    g_autoptr(GArray) small = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) large = g_array_new (FALSE, FALSE, sizeof (double));
    double growth;

    time_module_names (10000);   /* warm-up */
    for (int r = 0; r < bench_reps (&options, 3); r++)
      {
        bench_add_sample (small, time_module_names (10000));
        bench_add_sample (large, time_module_names (100000));
      }
    growth = bench_median (large) / bench_median (small);
    bench_report ("settings-growth", "100,000 module names against 10,000: time ratio", growth,
                  "a linear parser", 10.0, "x", "<= 20x (quadratic: 100x)", growth <= 20.0);
  }
  return 0;
}
