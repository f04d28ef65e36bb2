/* fuzz-set-logs.c: libFuzzer harness for tl_registry_set_logs_variant(),
 * the set_logs() of the bindings
 *
 * The input is either a serialized `a{sv}` (first byte even: the bytes
 * after it, through g_variant_new_from_data() and the normal form, as a
 * binding or D-Bus would hand them over) or, first byte odd, the GVariant
 * text format (`{'dynamo': <10>, 'guards': <true>}`), which lets the
 * fuzzer reach meaningful dictionaries quickly.
 *
 * Checks: a failure is one of set_logs()'s documented errors; a success
 * only registers safe names; torch's texts name the offending entry.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

static GVariant *
variant_from_input (const uint8_t *data, size_t size)
{
  if (size == 0)
    return NULL;

  if ((data[0] & 1) == 0)
    {
      /* GVariant requires aligned data; g_bytes_new() copies into a
       * malloc()ed (so aligned) buffer. */
      g_autoptr(GBytes) bytes = g_bytes_new (data + 1, size - 1);
      g_autoptr(GVariant) untrusted =
        g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE_VARDICT, bytes, FALSE));

      return g_variant_get_normal_form (untrusted);
    }
  else
    {
      g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);

      /* GLib 2.74's parser raises a critical on text that is not UTF-8
       * (its own bug, not torchlog's); a binding only passes UTF-8. */
      if (!g_utf8_validate (text, -1, NULL))
        return NULL;

      /* Not floating: g_variant_parse() returns a full reference. */
      return g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GVariant) settings = variant_from_input (data, size);
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (settings == NULL)
    return 0;

  registry = fuzz_registry_get ();
  ok = tl_registry_set_logs_variant (registry, settings, &error);
  if (!ok)
    {
      FUZZ_CHECK (error != NULL, "failure without a GError");
      FUZZ_CHECK (error->domain == TL_ERROR &&
                  (error->code == TL_ERROR_INVALID_VALUE || error->code == TL_ERROR_UNKNOWN_NAME),
                  "unexpected error %s:%d: %s", g_quark_to_string (error->domain),
                  error->code, error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error text is not UTF-8");
    }
  else
    FUZZ_CHECK (error == NULL, "success with a GError");

  fuzz_check_registry_names (registry);
  (void) tl_registry_get_effective_level (registry, "torch._dynamo");
  (void) tl_registry_should_emit (registry, "torch", "graph_code", TL_LEVEL_DEBUG);
  g_free (tl_registry_explain (registry));

  /* Applying the same dictionary again is a complete configuration too
   * and must give the same answer. */
  {
    g_autoptr(GError) again = NULL;
    FUZZ_CHECK (tl_registry_set_logs_variant (registry, settings, &again) == ok,
                "a second identical set_logs() answered differently");
  }
  return 0;
}
