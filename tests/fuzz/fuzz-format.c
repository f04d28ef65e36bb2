/* fuzz-format.c: libFuzzer harness for TORCH_LOGS_FORMAT formats
 * (tl_registry_set_format) and the formatting of hostile records
 *
 * The input is `FORMAT\0MESSAGE`: the format is compiled; the message
 * (arbitrary bytes, NULs included, passed with its length as a binary
 * MESSAGE field) is then printed through it and through torch's default
 * glog format.
 *
 * Checks: a refused format is TL_ERROR_INVALID_FORMAT and leaves the
 * previous format in place; every printed byte is escaped (valid UTF-8,
 * no control character but newline and tab); the default format prints
 * one prefixed line per line of the message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

static TlRegistry *registry;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  const char * const domains[] = { "fuzz", NULL };
  g_autoptr(GError) error = NULL;

  fuzz_init_glib ();
  /* Formatting changes no registry state but the format, so one registry
   * serves every input. */
  registry = tl_registry_new ();
  tl_registry_register_log (registry, "fuzz", domains, "The fuzzed log.");
  tl_registry_register_artifact (registry, "fuzzart", "An artifact.", 0, NULL);
  if (!tl_registry_parse_logs (registry, "+fuzz", &error))
    g_error ("%s", error->message);
  fuzz_capture_attach (registry);
  return 0;
}

static gsize
count_lines (const char *text, gsize len)
{
  gsize lines = 0;

  for (gsize i = 0; i < len; i++)
    lines += text[i] == '\n';
  return lines;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *format = g_strndup ((const char *) data, nul ? (gsize) (nul - data) : size);
  const char *message = nul ? (const char *) nul + 1 : "";
  gsize message_len = nul ? size - (nul + 1 - data) : 0;
  g_autoptr(GError) error = NULL;
  gsize len;

  fuzz_ignore_quark_table ();
  /* torch's default format first. */
  FUZZ_CHECK (tl_registry_set_format (registry, NULL, NULL), "cannot reset the format");
  fuzz_write_record (registry, G_LOG_LEVEL_DEBUG, "fuzz", NULL, message, message_len);
  {
    g_autoptr(GBytes) printed = fuzz_capture_take (registry);
    const char *text = g_bytes_get_data (printed, &len);

    fuzz_check_printable (text, len, "a glog line");
    FUZZ_CHECK (count_lines (text, len) == count_lines (message, message_len) + 1,
                "%" G_GSIZE_FORMAT " lines printed for a message of %" G_GSIZE_FORMAT,
                count_lines (text, len), count_lines (message, message_len) + 1);
    FUZZ_CHECK (len > 0 && text[len - 1] == '\n', "the record does not end a line");
  }

  if (!tl_registry_set_format (registry, format, &error))
    {
      FUZZ_CHECK (g_error_matches (error, TL_ERROR, TL_ERROR_INVALID_FORMAT),
                  "unexpected error %s:%d: %s", g_quark_to_string (error->domain),
                  error->code, error->message);
      /* The previous (default) format is still in place. */
      fuzz_write_record (registry, G_LOG_LEVEL_INFO, "fuzz", NULL, "x", 1);
      {
        g_autoptr(GBytes) printed = fuzz_capture_take (registry);
        const char *text = g_bytes_get_data (printed, &len);
        FUZZ_CHECK (len > 0 && text[0] == 'I', "a refused format changed the output");
      }
      return 0;
    }

  fuzz_write_record (registry, G_LOG_LEVEL_WARNING, "fuzz", NULL, message, message_len);
  fuzz_write_record (registry, G_LOG_LEVEL_DEBUG, "fuzz", "fuzzart", message, message_len);
  {
    g_autoptr(GBytes) printed = fuzz_capture_take (registry);
    const char *text = g_bytes_get_data (printed, &len);

    /* A format's literal text is the operator's own, but it is printed
     * too: it must not smuggle control characters either. */
    fuzz_check_printable (text, len, "a formatted line");
    FUZZ_CHECK (len > 0 && text[len - 1] == '\n', "the record does not end a line");
  }
  return 0;
}
