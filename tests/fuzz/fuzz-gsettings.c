/* fuzz-gsettings.c: libFuzzer harness for the GSettings binding: the
 * values an operator (or anything with write access to dconf) puts in the
 * `logs` and `format` keys of torchlog's schema
 *
 * The input is `LOGS\0FORMAT`. Both keys are reset (the binding then
 * applies torch's defaults) and set, as `gsettings set` would. Checks: a value the
 * settings parser accepts is applied (the effective levels are those of
 * tl_registry_parse_logs() on a twin registry) and gives no warning; one
 * it refuses gives exactly one warning and changes nothing; the same for
 * a format and tl_registry_set_format(). GSettings only carries UTF-8, so
 * other inputs are skipped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

#include <glib/gstdio.h>

/* One settings object and one binding for the whole run: creating and
 * binding them per input cost more than everything else an input does
 * (the input cannot change how they are made; it only sets the keys). */
static GSettings *settings;
static TlRegistry *bound;

static char *runtime_dir;

static void
remove_runtime_dir (void)
{
  g_autofree char *apps = g_build_filename (runtime_dir, "torchlog", "apps", NULL);
  g_autofree char *torchlog = g_build_filename (runtime_dir, "torchlog", NULL);

  /* Unbinding removes this process's state file. */
  if (bound != NULL)
    tl_registry_unbind_settings (bound);
  g_rmdir (apps);
  g_rmdir (torchlog);
  g_rmdir (runtime_dir);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  /* The binding reports a refused value with one g_warning(). */
  fuzz_count_warnings = TRUE;
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", TL_FUZZ_SCHEMA_DIR, TRUE);
  /* Every applied value rewrites the binding's state file in
   * $XDG_RUNTIME_DIR/torchlog/apps. That folder is a tmpfs on a desktop;
   * on a disk, renames took 40% of the run. */
  runtime_dir = g_strdup ("/dev/shm/torchlog-fuzz-XXXXXX");
  if (g_mkdtemp_full (runtime_dir, 0700) != NULL)
    {
      g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
      atexit (remove_runtime_dir);
    }
  settings = g_settings_new_with_path (TL_SETTINGS_SCHEMA_ID, "/org/gnome/torchlog/apps/fuzz/");
  return 0;
}

static const char * const probes[] = {
  "torch", "torch._dynamo", "torch._inductor", "torch._inductor.cudagraph_trees",
  "torch.fx.experimental.symbolic_shapes", "some.module", "some.module.child",
};

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *logs = g_strndup ((const char *) data, nul ? (gsize) (nul - data) : size);
  g_autofree char *format = nul ? g_strndup ((const char *) nul + 1, size - (nul + 1 - data)) : NULL;
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(TlRegistry) twin = NULL;
  g_autoptr(GError) error = NULL;
  gboolean logs_ok, format_ok = TRUE;

  if (!g_utf8_validate (logs, -1, NULL) || (format != NULL && !g_utf8_validate (format, -1, NULL)))
    return 0;

  /* Reset keys: the binding applies torch's defaults, whatever the input
   * before configured. */
  g_settings_reset (settings, "logs");
  g_settings_reset (settings, "format");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  registry = fuzz_registry_get_slot (0);
  if (registry != bound)
    {
      /* The slot's registry grew past its bound and was replaced: bind
       * the new one (binding applies the reset keys). */
      if (bound != NULL)
        tl_registry_unbind_settings (bound);
      g_set_object (&bound, registry);
      tl_registry_bind_settings (bound, settings);
    }

  /* What the parser says of the value, on a twin registry. */
  twin = fuzz_registry_get_slot (1);
  /* The empty string is torch's defaults: the twin forgets the input
   * before. */
  g_assert (tl_registry_parse_logs (twin, "", NULL));
  logs_ok = logs[0] == '\0' || tl_registry_parse_logs (twin, logs, &error);
  g_clear_error (&error);

  fuzz_warnings = 0;
  g_settings_set_string (settings, "logs", logs);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  FUZZ_CHECK (fuzz_warnings == (logs_ok ? 0 : 1), "%d warnings for logs “%s”", fuzz_warnings, logs);
  for (gsize i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      TlLevel expected = logs_ok ? tl_registry_get_effective_level (twin, probes[i]) : TL_LEVEL_WARNING;
      TlLevel got = tl_registry_get_effective_level (registry, probes[i]);

      FUZZ_CHECK (got == expected, "logs “%s”: %s at %d, not %d", logs, probes[i], got, expected);
    }
  fuzz_check_registry_names (registry);

  if (format != NULL)
    {
      g_autoptr(TlRegistry) format_twin = tl_registry_new ();

      format_ok = format[0] == '\0' || g_str_equal (format, "torch") ||
                  tl_registry_set_format (format_twin, format, &error);
      g_clear_error (&error);
      fuzz_warnings = 0;
      g_settings_set_string (settings, "format", format);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      FUZZ_CHECK (fuzz_warnings == (format_ok ? 0 : 1), "%d warnings for format “%s”", fuzz_warnings, format);
    }
  return 0;
}
