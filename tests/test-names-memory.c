/* test-names-memory.c: names that come from settings are owned, not
 * interned (issue 13, item 3)
 *
 * TORCH_LOGS, set_logs() and GSettings may name any module, and each new
 * name open-registers a log (or a child log). These names used to be
 * interned (g_intern_string()) for the life of the process, and GLib's
 * quark table, which also never frees the arrays it outgrows, grew
 * without bound: 21 rounds of 50,000 new names, each on a registry that
 * was then freed, left 2.1 GB resident. Now components, artifacts and
 * the registered names own their strings, and freeing the registry frees
 * them.
 *
 *   /names-memory/not-interned          the names and texts of settings
 *                                       and registrations are no quarks
 *   /names-memory/rounds                fresh registries of 50,000 new
 *                                       names each give their memory back
 *   /names-memory/strings-live-with-objects
 *                                       a getter's string outlives a
 *                                       replacement, as documented
 *   /names-memory/record-component      the writer's component name lives
 *                                       as long as the plan that holds it
 *   --million (the `stress` suite)      opening 10⁶ names costs O(n) time
 *                                       and memory, and a freed registry
 *                                       returns it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <torchlog/torchlog.h>

static gboolean million;

/* Under valgrind or a sanitizer, smaller rounds: the checks are the same. */
static gboolean
slow_tool (void)
{
  return g_getenv ("TORCHLOG_SLOW_TOOL") != NULL;
}

/* Bytes the process has allocated and not freed, or -1 if this C library
 * cannot say. Under valgrind or ASan, malloc() is not glibc's and this
 * counts nothing: the checks then pass trivially and the tools' own leak
 * checks do the work. */
static gint64
bytes_in_use (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 info = mallinfo2 ();
  return (gint64) (info.uordblks + info.hblkhd);
#else
  return -1;
#endif
}

/* The resident set, from /proc/self/statm, in bytes (for the log). */
static gint64
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  gint64 pages = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return -1;
  if (sscanf (statm, "%*d %" G_GINT64_FORMAT, &pages) != 1)
    return -1;
  return pages * sysconf (_SC_PAGESIZE);
}

/* The process's CPU time in µs: time spent descheduled while other tests
 * run does not count. */
static gint64
cpu_time_us (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &now) != 0)
    return g_get_monotonic_time ();
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* ---- not interned ------------------------------------------------------ */

static void
test_not_interned (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  const char * const base[] = { "tlmem.base", NULL };
  TlComponent *component;
  TlArtifact *artifact;
  GVariantBuilder pairs;

  tl_registry_register_log (registry, "tlmem_base", base, "tlmem never interned log text");
  artifact = tl_registry_register_artifact (registry, "tlmem_never_interned_artifact",
                                            "tlmem never interned artifact text", 0,
                                            "tlmem never interned %(message)s");
  g_assert_nonnull (artifact);

  /* TORCH_LOGS: an open log and a child log. */
  g_assert_true (tl_registry_parse_logs (registry, "+tlmem.settings.module,tlmem.base.settings_child",
                                         &error));
  g_assert_no_error (error);
  /* set_logs(): the same through the variant form. */
  g_variant_builder_init (&pairs, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&pairs, "{sv}", "tlmem.set_logs.module", g_variant_new_int64 (TL_LEVEL_DEBUG));
  g_variant_builder_add (&pairs, "{sv}", "tlmem.base.set_logs_child", g_variant_new_int64 (TL_LEVEL_INFO));
  g_assert_true (tl_registry_set_logs_variant (registry, g_variant_builder_end (&pairs), &error));
  g_assert_no_error (error);
  /* A plan holds a sealed copy of the names: compile one. */
  g_assert_true (tl_registry_should_emit (registry, "tlmem.set_logs.module", NULL, TL_LEVEL_DEBUG));

  component = tl_registry_lookup_component (registry, "tlmem.set_logs.module");
  g_assert_nonnull (component);
  g_assert_cmpstr (tl_component_get_name (component), ==, "tlmem.set_logs.module");
  g_assert_true (tl_registry_is_child_log (registry, "tlmem.base.set_logs_child"));
  g_assert_true (tl_registry_is_child_log (registry, "tlmem.base.settings_child"));
  g_assert_cmpstr (tl_component_get_description (tl_registry_lookup_component (registry, "tlmem_base")),
                   ==, "tlmem never interned log text");
  g_assert_cmpstr (tl_artifact_get_log_format (artifact), ==, "tlmem never interned %(message)s");

  /* None of them is a quark: the quark table would keep them for good. */
  g_assert_cmpuint (g_quark_try_string ("tlmem.settings.module"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem.set_logs.module"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem.base.settings_child"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem.base.set_logs_child"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem_base"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem never interned log text"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem_never_interned_artifact"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem never interned artifact text"), ==, 0);
  g_assert_cmpuint (g_quark_try_string ("tlmem never interned %(message)s"), ==, 0);
}

/* ---- rounds of new names ------------------------------------------------- */

/* Opens @n new names on @registry, all of them new to the process: two
 * thirds module names of their own (each a log), one third below a
 * registered domain (child logs). Through TORCH_LOGS, or set_logs(). */
static void
open_names (TlRegistry *registry,
            guint       round,
            guint       n,
            gboolean    through_set_logs)
{
  g_autoptr(GError) error = NULL;
  guint children = n / 3;

  if (through_set_logs)
    {
      GVariantBuilder pairs;

      g_variant_builder_init (&pairs, G_VARIANT_TYPE_VARDICT);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *name = i < children ? g_strdup_printf ("tlround.c%u_%u", round, i)
                                               : g_strdup_printf ("r%u_%u.m", round, i);
          g_variant_builder_add (&pairs, "{sv}", name, g_variant_new_int64 (TL_LEVEL_DEBUG));
        }
      g_assert_true (tl_registry_set_logs_variant (registry, g_variant_builder_end (&pairs), &error));
    }
  else
    {
      g_autoptr(GString) settings = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (settings, ',');
          if (i < children)
            g_string_append_printf (settings, "+tlround.c%u_%u", round, i);
          else
            g_string_append_printf (settings, "+r%u_%u.m", round, i);
        }
      g_assert_true (tl_registry_parse_logs (registry, settings->str, &error));
    }
  g_assert_no_error (error);
}

/* A fresh registry with @n new names, a plan compiled and a record
 * decided; freed, and checked to be gone. Returns what it held at most
 * (bytes in use while it lived, over @before). */
static gint64
one_round (guint     round,
           guint     n,
           gboolean  through_set_logs,
           gint64   *elapsed_us)
{
  TlRegistry *registry = tl_registry_new ();
  const char * const base[] = { "tlround", NULL };
  gint64 before = bytes_in_use ();
  gint64 start = cpu_time_us ();
  gint64 held;
  g_autofree char *child = g_strdup_printf ("tlround.c%u_0.deeper", round);
  g_autofree char *own = g_strdup_printf ("r%u_%u.m.deeper", round, n - 1);

  g_object_add_weak_pointer (G_OBJECT (registry), (gpointer *) &registry);
  tl_registry_register_log (registry, "tlround", base, NULL);
  open_names (registry, round, n, through_set_logs);
  /* Compile a plan (a sealed copy of the names) and decide records. */
  g_assert_true (tl_registry_should_emit (registry, child, NULL, TL_LEVEL_DEBUG));
  g_assert_true (tl_registry_should_emit (registry, own, NULL, TL_LEVEL_DEBUG));
  if (elapsed_us != NULL)
    *elapsed_us = cpu_time_us () - start;
  held = bytes_in_use () - before;
  g_object_unref (registry);
  g_assert_null (registry);
  return held;
}

static void
test_rounds (void)
{
  const guint rounds = 10;
  const guint n = slow_tool () ? 5000 : 50000;
  gint64 after_round[11] = { 0 };
  gint64 rss_round[11] = { 0 };
  gint64 start = bytes_in_use ();

  if (start < 0)
    {
      g_test_skip ("mallinfo2() is not available");
      return;
    }
  /* Under ASan or valgrind, mallinfo2() sees none of the allocations and
   * the check passes trivially; their leak checks do the work there. */
  for (guint round = 1; round <= rounds; round++)
    {
      gint64 held = one_round (round, n, round % 2 == 0, NULL);

      after_round[round] = bytes_in_use ();
      rss_round[round] = resident_bytes ();
      g_test_message ("round %u: %u new names, %.1f MB while alive, %.1f MB in use after, RSS %.1f MB",
                      round, n, held / 1e6, (after_round[round] - start) / 1e6, rss_round[round] / 1e6);
    }
  /* The first rounds fill GLib's and malloc's caches (GSlice keeps the
   * chunks it hands out for reuse); from then on each round must give
   * back what it took. Interning kept every name, and GLib's quark table
   * every array it outgrew: +1 GB over these rounds. */
  g_assert_cmpint (after_round[rounds] - after_round[2], <, 2 * 1000 * 1000);
}

/* ---- strings live as long as their objects ------------------------------ */

static void
test_strings_live_with_objects (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  const char * const domains[] = { "tlmem.lives", NULL };
  TlComponent *component = tl_registry_register_log (registry, "tlmem_lives", domains, "first text");
  TlArtifact *artifact = tl_registry_register_artifact (registry, "tlmem_lives_artifact",
                                                        "first artifact text", 0, "first %(message)s");
  const char *name = tl_component_get_name (component);
  const char *description = tl_component_get_description (component);
  const char *artifact_description = tl_artifact_get_description (artifact);
  const char *log_format = tl_artifact_get_log_format (artifact);
  g_autofree char *property = NULL;

  /* Registering again replaces the texts; the old ones stay readable for
   * as long as the object lives (another thread may be reading them). */
  tl_registry_register_log (registry, "tlmem_lives", domains, "second text");
  tl_registry_register_artifact (registry, "tlmem_lives_artifact", "second artifact text", 0,
                                 "second %(message)s");
  g_assert_cmpstr (tl_component_get_description (component), ==, "second text");
  g_assert_cmpstr (tl_artifact_get_description (artifact), ==, "second artifact text");
  g_assert_cmpstr (tl_artifact_get_log_format (artifact), ==, "second %(message)s");
  g_assert_cmpstr (description, ==, "first text");
  g_assert_cmpstr (artifact_description, ==, "first artifact text");
  g_assert_cmpstr (log_format, ==, "first %(message)s");
  g_assert_cmpstr (name, ==, "tlmem_lives");

  /* Each text is kept once: going back to one gives the same string. */
  tl_registry_register_log (registry, "tlmem_lives", domains, "first text");
  g_assert_true (tl_component_get_description (component) == description);
  tl_registry_register_artifact (registry, "tlmem_lives_artifact", "first artifact text", 0,
                                 "first %(message)s");
  g_assert_true (tl_artifact_get_description (artifact) == artifact_description);
  g_assert_true (tl_artifact_get_log_format (artifact) == log_format);
  /* NULL texts: no description, torch's format. */
  tl_registry_register_artifact (registry, "tlmem_lives_artifact", NULL, 0, NULL);
  g_assert_cmpstr (tl_artifact_get_description (artifact), ==, "");
  g_assert_null (tl_artifact_get_log_format (artifact));

  /* Properties are copies: a GValue may outlive the object. */
  g_object_get (component, "name", &property, NULL);
  g_assert_cmpstr (property, ==, "tlmem_lives");
  g_clear_pointer (&property, g_free);
  g_object_get (artifact, "description", &property, NULL);
  g_assert_cmpstr (property, ==, "");
  g_clear_pointer (&property, g_free);

  /* A component kept past its registry keeps its strings. */
  g_object_ref (component);
  g_clear_object (&registry);
  g_assert_cmpstr (tl_component_get_name (component), ==, "tlmem_lives");
  g_assert_cmpstr (tl_component_get_description (component), ==, "first text");
  g_object_unref (component);
}

/* ---- the writer's component ---------------------------------------------- */

typedef struct {
  TlRegistry *registry;
  guint       records;
} Writer;

static gpointer
write_records (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < writer->records; i++)
    tl_registry_write_record (writer->registry, "tlmem.writer.module.sub", TL_LEVEL_INFO,
                              "from the writer thread", "writer.c", 1, NULL);
  g_object_unref (writer->registry);
  return NULL;
}

/* A record's component is the name of the component that owns its
 * domain, which the thread's plan holds (plan → sealed names → a
 * reference on the component → its name): it stays valid while the
 * registry changes its configuration and after the program drops the
 * registry. Under ASan or valgrind a use after free fails here. */
static void
test_record_component (void)
{
  TlRegistry *registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TlCapture) capture = NULL;
  Writer writer = { g_object_ref (registry), slow_tool () ? 200 : 2000 };
  g_autoptr(TlCapturedRecord) last = NULL;
  GThread *thread;
  guint n;

  g_assert_true (tl_registry_parse_logs (registry, "tlmem.writer.module", &error));
  g_assert_no_error (error);
  capture = tl_capture_new (registry);
  tl_capture_set_quiet (capture, TRUE);
  thread = g_thread_new ("writer", write_records, &writer);
  /* New configurations, each a new plan, while the thread writes. */
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *settings = g_strdup_printf ("tlmem.writer.module,tlmem.other%u.m", i);
      g_assert_true (tl_registry_parse_logs (registry, settings, &error));
      g_assert_no_error (error);
    }
  g_object_unref (registry);
  g_thread_join (thread);

  n = tl_capture_get_n_records (capture);
  g_assert_cmpuint (n, ==, writer.records);
  g_assert_cmpuint (tl_capture_count (capture, "tlmem.writer.module", NULL), ==, n);
  last = tl_capture_get_record (capture, n - 1);
  g_assert_cmpstr (tl_captured_record_get_component (last), ==, "tlmem.writer.module");
}

/* ---- 10⁶ names (the `stress` suite) -------------------------------------- */

static void
test_million (void)
{
  /* Under valgrind or a sanitizer, a tenth: they check the same code
   * paths for memory errors and races, and 10⁶ names took 8 minutes of
   * the ASan stage. The growth ratio is checked at either size. */
  const guint small_n = slow_tool () ? 25000 : 250000;
  const guint large_n = slow_tool () ? 100000 : 1000000;
  gint64 small_us = G_MAXINT64, large_us = G_MAXINT64;
  gint64 small_bytes = G_MAXINT64, large_bytes = G_MAXINT64;
  gint64 start = bytes_in_use ();
  gint64 after_small, after_large;
  guint runs = slow_tool () ? 1 : 3;
  guint round = 1000;

  /* The fastest of three runs each: a loaded machine only slows runs
   * down. Memory is what a registry holds while it lives. */
  for (guint run = 0; run < runs; run++)
    {
      gint64 us;

      small_bytes = MIN (small_bytes, one_round (round++, small_n, run % 2 == 1, &us));
      small_us = MIN (small_us, us);
      after_small = bytes_in_use ();
      large_bytes = MIN (large_bytes, one_round (round++, large_n, run % 2 == 1, &us));
      large_us = MIN (large_us, us);
      after_large = bytes_in_use ();
      g_test_message ("run %u: in use after %u names: %.1f MB, after %u: %.1f MB; RSS %.1f MB",
                      run + 1, small_n, (after_small - start) / 1e6, large_n,
                      (after_large - start) / 1e6, resident_bytes () / 1e6);
    }
  g_test_message ("%u names: %.2f s, %.1f MB; %u names: %.2f s, %.1f MB",
                  small_n, small_us / 1e6, small_bytes / 1e6,
                  large_n, large_us / 1e6, large_bytes / 1e6);
  /* 4× the names: linear is 4×; 8× leaves room for the hash tables'
   * growth and a cache-cold machine. Interning grew quadratically. */
  g_assert_cmpint (large_us, <=, 8 * small_us);
  /* Under ASan or valgrind, mallinfo2() sees none of the allocations. */
  if (start >= 0 && large_bytes > 0)
    {
      g_assert_cmpint (large_bytes, <=, 6 * small_bytes);
      /* Freed registries give their names back: after the last large
       * round, no more in use than after the first large one. */
      g_assert_cmpint (after_large, <, start + large_bytes / 4);
    }
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--million"))
      million = TRUE;
  g_test_init (&argc, &argv, NULL);

  if (million)
    {
      g_test_add_func ("/names-memory/million", test_million);
      return g_test_run ();
    }
  g_test_add_func ("/names-memory/not-interned", test_not_interned);
  g_test_add_func ("/names-memory/rounds", test_rounds);
  g_test_add_func ("/names-memory/strings-live-with-objects", test_strings_live_with_objects);
  g_test_add_func ("/names-memory/record-component", test_record_component);
  return g_test_run ();
}
