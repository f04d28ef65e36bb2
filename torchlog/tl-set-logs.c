/* tl-set-logs.c: torch's set_logs() validation (spec §3) → a TlConfig
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-i18n-private.h"

/* Renders a value as str() does in torch's f-string messages. */
static char *
python_str (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "True" : "False");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup (g_variant_get_string (value, NULL));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double d = g_variant_get_double (value);
      g_ascii_dtostr (buf, sizeof buf, d);
      return g_strdup_printf ("%s%s", buf, strpbrk (buf, ".en") ? "" : ".0");
    }
  return g_variant_print (value, FALSE);
}

static gboolean
variant_to_int64 (GVariant *value, gint64 *out)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BYTE:    *out = g_variant_get_byte (value); return TRUE;
    case G_VARIANT_CLASS_INT16:   *out = g_variant_get_int16 (value); return TRUE;
    case G_VARIANT_CLASS_UINT16:  *out = g_variant_get_uint16 (value); return TRUE;
    case G_VARIANT_CLASS_INT32:   *out = g_variant_get_int32 (value); return TRUE;
    case G_VARIANT_CLASS_UINT32:  *out = g_variant_get_uint32 (value); return TRUE;
    case G_VARIANT_CLASS_INT64:   *out = g_variant_get_int64 (value); return TRUE;
    case G_VARIANT_CLASS_UINT64:
      if (g_variant_get_uint64 (value) > G_MAXINT64)
        return FALSE;
      *out = (gint64) g_variant_get_uint64 (value);
      return TRUE;
    /* Python's bool is an int: False is 0 (NOTSET) and passes, True is 1
     * and is refused, exactly as in torch. */
    case G_VARIANT_CLASS_BOOLEAN: *out = g_variant_get_boolean (value); return TRUE;
    default: return FALSE;
    }
}

static gboolean
artifact_value (const TlSetLogsPair *pair, gboolean *enabled, GError **error)
{
  gint64 number;

  if (g_variant_is_of_type (pair->value, G_VARIANT_TYPE_BOOLEAN))
    {
      *enabled = g_variant_get_boolean (pair->value);
      return TRUE;
    }
  /* C has no bool distinct from int in varargs: 0 and 1 are booleans. */
  if (pair->from_c && variant_to_int64 (pair->value, &number) && (number == 0 || number == 1))
    {
      *enabled = number == 1;
      return TRUE;
    }
  {
    g_autofree char *repr = python_str (pair->value);
    g_set_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE,
                 _("Expected bool to enable artifact %s, received %s"), pair->name, repr);
  }
  return FALSE;
}

static gboolean
level_value (const TlSetLogsPair *pair, TlLevel *level, GError **error)
{
  gint64 number;

  if (variant_to_int64 (pair->value, &number) && number >= G_MININT && number <= G_MAXINT &&
      tl_level_is_valid ((int) number))
    {
      *level = (TlLevel) number;
      return TRUE;
    }
  {
    g_autofree char *repr = python_str (pair->value);
    /* torch passes `all=` on as `torch=`, and names it so. */
    const char *name = g_str_equal (pair->name, "all") ? "torch" : pair->name;
    g_set_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE,
                 _("Unrecognized log level for log %s: %s, valid level values are: "
                   "50,40,30,20,10,0"), name, repr);
  }
  return FALSE;
}

TlConfig *
tl_set_logs_build_locked (TlRegistry          *self,
                          const TlSetLogsPair *pairs,
                          gsize                n_pairs,
                          GError             **error)
{
  /* Each call is a complete specification: start from nothing. */
  g_autoptr(TlConfig) config = tl_config_new ();

  for (gsize i = 0; i < n_pairs; i++)
    {
      const TlSetLogsPair *pair = &pairs[i];
      const char *name = pair->name;
      TlComponent *component;
      TlLevel level;

      if (pair->value == NULL || g_variant_is_of_type (pair->value, G_VARIANT_TYPE ("mv")))
        {
          /* None, or a maybe that holds nothing, means "not mentioned". */
          if (pair->value == NULL || g_variant_n_children (pair->value) == 0)
            continue;
        }

      if (tl_registry_lookup_artifact_locked (self, name) != NULL)
        {
          gboolean enabled;
          if (!artifact_value (pair, &enabled, error))
            return NULL;
          if (enabled)
            tl_config_enable_artifact (config, name, name);
          continue;
        }

      if (g_str_equal (name, "all"))
        component = tl_registry_lookup_component_locked (self, "torch");
      else
        component = tl_registry_lookup_component_locked (self, name);

      if (component != NULL || g_str_equal (name, "all"))
        {
          if (!level_value (pair, &level, error))
            return NULL;
          if (component != NULL)
            {
              const char * const *qnames = tl_component_peek_domains (component);
              for (gsize q = 0; qnames[q] != NULL; q++)
                tl_config_set_level (config, qnames[q], level, name);
            }
          else
            tl_config_set_level (config, TL_ROOT_QNAME, level, name);
          continue;
        }

      if (g_hash_table_contains (self->child_logs, name) ||
          g_hash_table_contains (self->qnames, name) ||
          tl_config_has_open_name (config, name) ||
          tl_settings_is_module_name (name))
        {
          /* Torch skips the level check the first time a module is seen
           * (a quirk); C checks it every time. */
          if (!level_value (pair, &level, error))
            return NULL;
          tl_config_add_open_name (config, name);
          tl_settings_set_module_level_locked (self, config, name, level, name);
          continue;
        }

      g_set_error (error, TL_ERROR, TL_ERROR_UNKNOWN_NAME,
                   _("Unrecognized log or artifact name passed to set_logs: %s"), name);
      return NULL;
    }

  tl_settings_finish_locked (self, config);
  return g_steal_pointer (&config);
}
