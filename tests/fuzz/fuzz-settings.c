/* fuzz-settings.c: libFuzzer harness for the TORCH_LOGS settings string
 * (tl_registry_parse_logs)
 *
 * Besides crashes it checks, for every input:
 *  - a failure is TL_ERROR_INVALID_SETTINGS with torch's text (starting
 *    "\nInvalid log settings: ", ending in a newline) or TL_ERROR_HELP;
 *  - on ASCII inputs, the hand-written linear-time validator agrees with
 *    torch's own regular expression (PCRE through GRegex): a string the
 *    regex refuses is never accepted;
 *  - open registration only ever registers names of word characters and
 *    dots;
 *  - queries on the new configuration work.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

static GRegex *torch_regex;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  /* torch/_logging/_internal.py, fullmatch()ed; \z because PCRE's $ also
   * matches before a final newline and Python's fullmatch does not. */
  torch_regex = g_regex_new ("(?:((\\+|-)?[\\w\\.]+,\\s*)*(\\+|-)?[\\w\\.]+?)\\z",
                             G_REGEX_ANCHORED | G_REGEX_OPTIMIZE, 0, NULL);
  g_assert (torch_regex != NULL);
  return 0;
}

/* Where GRegex's \w and \s are the same as Python's: ASCII, minus the
 * separators 0x1c-0x1f that Python counts as whitespace and PCRE does not. */
static gboolean
regex_comparable (const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    if ((guchar) *p >= 0x80 || ((guchar) *p >= 0x1c && (guchar) *p <= 0x1f))
      return FALSE;
  return s[0] != '\0';
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *settings = g_strndup ((const char *) data, size);
  g_autoptr(TlRegistry) registry = fuzz_registry_get ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = tl_registry_parse_logs (registry, settings, &error);

  if (!ok)
    {
      FUZZ_CHECK (error != NULL, "failure without a GError");
      FUZZ_CHECK (error->domain == TL_ERROR &&
                  (error->code == TL_ERROR_INVALID_SETTINGS || error->code == TL_ERROR_HELP),
                  "unexpected error %s:%d", g_quark_to_string (error->domain), error->code);
      if (error->code == TL_ERROR_INVALID_SETTINGS)
        FUZZ_CHECK (g_str_has_prefix (error->message, "\nInvalid log settings: ") &&
                    g_str_has_suffix (error->message, "\n"),
                    "not torch's text: %s", error->message);
      else
        FUZZ_CHECK (g_str_equal (settings, "help") || g_str_equal (settings, "+help"),
                    "help error for “%s”", settings);
    }
  else
    FUZZ_CHECK (error == NULL, "success with a GError");

  if (regex_comparable (settings))
    {
      gboolean matches = g_regex_match (torch_regex, settings, 0, NULL);

      FUZZ_CHECK (matches || !ok, "accepted “%s”, which torch's regex refuses", settings);
      if (!matches)
        {
          g_autofree char *expected = g_strdup_printf ("\nInvalid log settings: %s,", settings);
          FUZZ_CHECK (g_str_has_prefix (error->message, expected),
                      "refused “%s” without quoting it: %s", settings, error->message);
        }
    }

  fuzz_check_registry_names (registry);

  /* The configuration just applied must answer queries. */
  (void) tl_registry_get_effective_level (registry, "torch._dynamo");
  (void) tl_registry_should_emit (registry, "torch._inductor.cudagraph_trees", NULL, TL_LEVEL_DEBUG);
  (void) tl_registry_should_emit (registry, "torch", "guards", TL_LEVEL_INFO);
  if (ok && settings[0] != '\0')
    {
      /* The name of the first item, whatever it resolved to. */
      g_autofree char *first = g_strndup (settings, strcspn (settings, ","));
      (void) tl_registry_get_effective_level (registry, g_strstrip (first));
    }
  g_free (tl_registry_explain (registry));
  return 0;
}
