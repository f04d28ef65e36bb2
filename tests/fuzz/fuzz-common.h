/* fuzz-common.h: what every libFuzzer harness of torchlog shares
 *
 * Each harness feeds one parser with the fuzzer's bytes and then checks
 * properties that must hold for ANY input, so the fuzzer finds wrong
 * answers as well as crashes: errors are TlError with the documented
 * codes, names that reach the registry are made of word characters and
 * dots (they are printed in help and error texts, so they must not carry
 * terminal escapes), and every printed line is escaped.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <torchlog/torchlog.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

#include <sanitizer/common_interface_defs.h>

/* abort() so libFuzzer records the input. The reason goes through the
 * sanitizers' report stream, which libFuzzer keeps open when
 * -close_fd_mask=2 closes the program's stderr. */
#define FUZZ_CHECK(cond, ...) G_STMT_START {                                \
    if (G_UNLIKELY (!(cond)))                                               \
      {                                                                     \
        g_autofree char *_detail = g_strdup_printf (__VA_ARGS__);           \
        g_autofree char *_summary =                                         \
          g_strdup_printf ("FUZZ PROPERTY FAILED at %s:%d: %s: %s",         \
                           __FILE__, __LINE__, #cond, _detail);             \
        __sanitizer_report_error_summary (_summary);                        \
        abort ();                                                           \
      }                                                                     \
  } G_STMT_END

/* Set by a harness that expects warnings (the GSettings binding reports
 * a refused value with one): they are counted instead of fatal. */
static int fuzz_warnings;
static gboolean fuzz_count_warnings;

/* Every GLib record of WARNING and above from inside the library is a bug
 * the fuzzer must report (unless counted, see above): its text goes to
 * the sanitizers' report stream and the process aborts, which libFuzzer
 * catches (a fatal g_log() would raise SIGTRAP, which it does not). */
static GLogWriterOutput
fuzz_writer (GLogLevelFlags   log_level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  const char *message = "";

  if (fuzz_count_warnings && (log_level & G_LOG_LEVEL_WARNING))
    {
      fuzz_warnings++;
      return G_LOG_WRITER_HANDLED;
    }
  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      message = fields[i].value;
  FUZZ_CHECK (FALSE, "GLib record at level 0x%x: %s", (guint) log_level, message);
  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_init_glib (void)
{
  g_log_set_writer_func (fuzz_writer, NULL, NULL);
  /* The settings of the machine running the fuzzer must not leak in. */
  g_unsetenv ("TORCH_LOGS");
  g_unsetenv ("TORCH_LOGS_OUT");
  g_unsetenv ("TORCH_LOGS_FORMAT");
  g_unsetenv ("TORCH_LOGS_TRACE_ID_FILTER");
}

/* GLib's quark table never frees the array it outgrows: lock-free
 * readers may still hold it. torchlog interns every name registered, and
 * a fuzzer registers many thousands of distinct ones, so the table grows
 * and LeakSanitizer would report each outgrown array as a leak (GLib has
 * no frame pointers here, so no suppression can name it). The current
 * array is found once in GLib's data (the heap block whose slot 0 is NULL
 * and slot 1 quark 1's string) and marked ignored before each input, so
 * it is ignored by the time GLib drops it. Nothing else is hidden. */
#include <stdio.h>
#include <sanitizer/lsan_interface.h>

static char ***fuzz_quarks_slot;

/* The readable and writable mappings, read once: a candidate pointer is
 * only followed where it lands in one of them. (The sanitizers' ownership
 * query would do, but LeakSanitizer's aborts on some foreign pointers.) */
typedef struct { guintptr start, end; gboolean glib, anonymous; } FuzzMapping;

static gboolean
fuzz_is_readable (const FuzzMapping *maps, guint n_maps, const void *p, gsize size)
{
  for (guint i = 0; i < n_maps; i++)
    if ((guintptr) p >= maps[i].start && (guintptr) p + size <= maps[i].end)
      return TRUE;
  return FALSE;
}

/* It reads words of foreign blocks (each candidate's first two): ASan must
 * not instrument those reads, which are safe (the words are mapped). */
__attribute__((no_sanitize ("address")))
static void
fuzz_find_quarks_slot (void)
{
  const char *first = g_quark_to_string (1);
  FILE *file = fopen ("/proc/self/maps", "r");
  g_autoptr(GArray) maps = g_array_new (FALSE, FALSE, sizeof (FuzzMapping));
  char line[1024];

  g_assert (file != NULL && first != NULL);
  while (fgets (line, sizeof line, file) != NULL)
    {
      unsigned long start, end;
      char perms[8] = "";
      int path_at = 0;
      FuzzMapping mapping;

      if (sscanf (line, "%lx-%lx %7s %*s %*s %*s %n", &start, &end, perms, &path_at) < 3 ||
          perms[0] != 'r' || perms[1] != 'w')
        continue;
      mapping.start = start;
      mapping.end = end;
      mapping.glib = strstr (line, "libglib-2.0.so") != NULL;
      mapping.anonymous = path_at == 0 || line[path_at] == '\0' || line[path_at] == '\n';
      g_array_append_val (maps, mapping);
    }
  fclose (file);

  for (guint m = 0; m < maps->len && fuzz_quarks_slot == NULL; m++)
    {
      const FuzzMapping *mapping = &g_array_index (maps, FuzzMapping, m);
      gboolean after_glib = m > 0 && g_array_index (maps, FuzzMapping, m - 1).glib &&
                            g_array_index (maps, FuzzMapping, m - 1).end == mapping->start;

      /* GLib's writable data, and the anonymous .bss right after it. */
      if (!mapping->glib && !(after_glib && mapping->anonymous))
        continue;
      for (char ***p = (char ***) mapping->start; p + 1 <= (char ***) mapping->end; p++)
        {
          char **candidate = *p;

          if (fuzz_is_readable ((FuzzMapping *) (void *) maps->data, maps->len,
                                candidate, 2 * sizeof (char *)) &&
              candidate[0] == NULL && candidate[1] == first)
            {
              fuzz_quarks_slot = p;
              break;
            }
        }
    }
}

static inline void
fuzz_ignore_quark_table (void)
{
  static gboolean searched;

  if (!searched)
    {
      fuzz_find_quarks_slot ();
      searched = TRUE;
      if (fuzz_quarks_slot == NULL)
        g_printerr ("fuzz: GLib's quark table not found; its growth may be "
                    "reported as leaks\n");
    }
  if (fuzz_quarks_slot != NULL)
    __lsan_ignore_object (*fuzz_quarks_slot);
}

/* A fresh registry per input keeps runs reproducible: open registration
 * makes every successful parse grow the registry it ran on. */
static inline TlRegistry *
fuzz_registry_new (void)
{
  TlRegistry *registry;

  fuzz_ignore_quark_table ();
  registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  return registry;
}

/* Loading PyTorch's registrations costs more than most inputs: a registry
 * is reused while inputs have registered fewer than FUZZ_REGISTRY_GROWTH
 * new logs in it (each input applies a complete configuration; the child
 * logs an input may add are names torch, too, keeps registered once a
 * setting named them, and do not change what later inputs can reach; the
 * bound keeps memory flat). Rebuilding it at every new log made most
 * settings inputs reload PyTorch's registrations, at a third of the
 * speed. A harness that needs two registries at
 * once (one under test, one as a twin) uses two slots. Returns a new
 * reference. */
#define FUZZ_REGISTRY_SLOTS 2
#define FUZZ_REGISTRY_GROWTH 64
static TlRegistry *fuzz_cached_registry[FUZZ_REGISTRY_SLOTS];
static guint fuzz_cached_components[FUZZ_REGISTRY_SLOTS];

static inline TlRegistry *
fuzz_registry_get_slot (guint slot)
{
  g_assert (slot < FUZZ_REGISTRY_SLOTS);
  if (fuzz_cached_registry[slot] != NULL &&
      g_list_model_get_n_items (tl_registry_get_components (fuzz_cached_registry[slot])) >
      fuzz_cached_components[slot] + FUZZ_REGISTRY_GROWTH)
    g_clear_object (&fuzz_cached_registry[slot]);
  if (fuzz_cached_registry[slot] == NULL)
    {
      fuzz_cached_registry[slot] = fuzz_registry_new ();
      fuzz_cached_components[slot] =
        g_list_model_get_n_items (tl_registry_get_components (fuzz_cached_registry[slot]));
    }
  else
    fuzz_ignore_quark_table ();
  return g_object_ref (fuzz_cached_registry[slot]);
}

static inline TlRegistry *
fuzz_registry_get (void)
{
  return fuzz_registry_get_slot (0);
}

static inline gboolean
fuzz_is_word_char (gunichar c)
{
  if (c == '_' || g_unichar_isalpha (c))
    return TRUE;
  switch (g_unichar_type (c))
    {
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A name the registry holds must be printable in a help text as is. */
static inline gboolean
fuzz_name_is_safe (const char *name)
{
  if (name == NULL || name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c != '.' && !fuzz_is_word_char (c))
        return FALSE;
    }
  return TRUE;
}

/* Every component and artifact name and every domain must be safe. */
static inline void
fuzz_check_registry_names (TlRegistry *registry)
{
  GListModel *components = tl_registry_get_components (registry);
  GListModel *artifacts = tl_registry_get_artifacts (registry);

  for (guint i = 0; i < g_list_model_get_n_items (components); i++)
    {
      g_autoptr(TlComponent) component = g_list_model_get_item (components, i);
      g_auto(GStrv) domains = tl_component_dup_domains (component);

      FUZZ_CHECK (fuzz_name_is_safe (tl_component_get_name (component)),
                  "component name “%s”", tl_component_get_name (component));
      for (gsize d = 0; domains != NULL && domains[d] != NULL; d++)
        FUZZ_CHECK (fuzz_name_is_safe (domains[d]), "domain “%s”", domains[d]);
    }
  for (guint i = 0; i < g_list_model_get_n_items (artifacts); i++)
    {
      g_autoptr(TlArtifact) artifact = g_list_model_get_item (artifacts, i);

      FUZZ_CHECK (fuzz_name_is_safe (tl_artifact_get_name (artifact)),
                  "artifact name “%s”", tl_artifact_get_name (artifact));
    }
}

/* Text torchlog prints must not be able to drive a terminal: valid UTF-8
 * with no C0 control but newline and tab, no DEL and no C1 control. */
static inline void
fuzz_check_printable (const char *text, gsize len, const char *what)
{
  const char *end = text + len;

  FUZZ_CHECK (g_utf8_validate (text, len, NULL), "%s is not valid UTF-8", what);
  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      FUZZ_CHECK (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0)),
                  "%s holds control character U+%04X at offset %" G_GSIZE_FORMAT,
                  what, c, (gsize) (p - text));
    }
}

/* The lines a registry prints are captured in a memfd that the registry
 * appends to as its TORCH_LOGS_OUT (stderr itself is closed by
 * libFuzzer's -close_fd_mask=2 in scripts/run-fuzzers.sh). */
#include <sys/mman.h>
#include <unistd.h>

static int fuzz_capture_fd = -1;

static inline void
fuzz_capture_attach (TlRegistry *registry)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (fuzz_capture_fd < 0)
    fuzz_capture_fd = memfd_create ("torchlog-fuzz", MFD_CLOEXEC);
  g_assert (fuzz_capture_fd >= 0);
  g_assert (ftruncate (fuzz_capture_fd, 0) == 0);
  path = g_strdup_printf ("/proc/self/fd/%d", fuzz_capture_fd);
  if (!tl_registry_set_output_file (registry, path, &error))
    g_error ("cannot capture output: %s", error->message);
}

/* Returns what @registry printed since fuzz_capture_attach() and empties
 * it. The file is buffered: flushed first. */
static inline GBytes *
fuzz_capture_take (TlRegistry *registry)
{
  off_t size;
  char *buffer;
  ssize_t got;

  tl_registry_flush (registry);
  size = lseek (fuzz_capture_fd, 0, SEEK_END);
  buffer = g_malloc (size + 1);
  got = pread (fuzz_capture_fd, buffer, size, 0);

  g_assert (got == size);
  buffer[size] = '\0';
  g_assert (ftruncate (fuzz_capture_fd, 0) == 0);
  return g_bytes_new_take (buffer, size);
}

/* Hands one record to the registry's writer as GLib would. */
static inline void
fuzz_write_record (TlRegistry     *registry,
                   GLogLevelFlags  level,
                   const char     *domain,
                   const char     *artifact,
                   const char     *message,
                   gssize          message_len)
{
  GLogField fields[6];
  gsize n = 0;

  fields[n++] = (GLogField) { "GLIB_DOMAIN", domain, -1 };
  fields[n++] = (GLogField) { "MESSAGE", message, message_len };
  fields[n++] = (GLogField) { "CODE_FILE", "fuzz/\x1b[31mfile.c", -1 };
  fields[n++] = (GLogField) { "CODE_LINE", "42", -1 };
  fields[n++] = (GLogField) { "CODE_FUNC", "fuzz_\x07func", -1 };
  if (artifact != NULL)
    fields[n++] = (GLogField) { "TORCHLOG_ARTIFACT", artifact, -1 };
  (void) tl_registry_write (registry, level, fields, n);
}
