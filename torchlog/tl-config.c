/* tl-config.c: one configuration: explicit levels and enabled artifacts
 *
 * A TlConfig is torch's `log_state`: what a settings string or a tl_registry_set_logs()
 * call asked for, resolved against the registered names. It is built
 * privately and then sealed and handed whole to the registry, so a failed
 * parse never leaves a half-applied configuration, and a sealed one can
 * be read by any thread without a lock (the json_node_seal() contract).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tl-config-private.h"
#include "tl-refcount-private.h"
#include "tl-error.h"
#include "tl-i18n-private.h"

static void add_open_name (TlConfig *config, const char *name);

static void
level_setting_free (gpointer data)
{
  TlLevelSetting *setting = data;

  g_free (setting->source);
  g_free (setting);
}

TlConfig *
tl_config_new (void)
{
  TlConfig *config = g_new0 (TlConfig, 1);

  tl_ref_init (&config->ref);
  config->levels = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          g_free, level_setting_free);
  config->artifacts = g_hash_table_new_full (g_str_hash, g_str_equal,
                                             g_free, g_free);
  config->open_names = g_ptr_array_new_with_free_func (g_free);
  config->open_set = g_hash_table_new (g_str_hash, g_str_equal);
  return config;
}

TlConfig *
tl_config_copy (const TlConfig *config)
{
  TlConfig *copy = tl_config_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, config->levels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TlLevelSetting *setting = value;
      tl_config_set_level (copy, key, setting->level, setting->source);
    }
  g_hash_table_iter_init (&iter, config->artifacts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    tl_config_enable_artifact (copy, key, value);
  for (guint i = 0; i < config->open_names->len; i++)
    add_open_name (copy, g_ptr_array_index (config->open_names, i));
  return copy;
}

TlConfig *
tl_config_ref (TlConfig *config)
{
  tl_ref_inc (&config->ref);
  return config;
}

TlConfig *
tl_config_seal (TlConfig *config)
{
  g_return_val_if_fail (config->covers == NULL, config);
  config->sealed = TRUE;
  return config;
}

void
tl_config_unref (TlConfig *config)
{
  if (config == NULL || !tl_ref_dec (&config->ref))
    return;
  g_hash_table_unref (config->levels);
  g_hash_table_unref (config->artifacts);
  g_ptr_array_unref (config->open_names);
  g_hash_table_unref (config->open_set);
  g_clear_pointer (&config->covers, g_hash_table_unref);
  g_free (config);
}

void
tl_config_set_level (TlConfig   *config,
                     const char *qname,
                     TlLevel     level,
                     const char *source)
{
  TlLevelSetting *setting;

  g_return_if_fail (!config->sealed);
  setting = g_new (TlLevelSetting, 1);

  setting->level = level;
  setting->source = g_strdup (source);
  setting->seq = ++config->seq;
  g_hash_table_replace (config->levels, g_strdup (qname), setting);
}

/* Torch's directory-based logging sets every sub-module of a module name;
 * in C the sub-modules are the names already in the configuration (and
 * the known names resolve_covers() is given).
 *
 * Rewriting them here, item after item, would make a settings string of
 * n module names cost n². The level is recorded
 * instead as a "cover" of @module, stamped with the time; resolving gives
 * each name the latest of its own setting and its ancestors' covers,
 * which is what rewriting would have left, in time linear in the input. */
static void
set_level_below (TlConfig   *config,
                           const char *module,
                           TlLevel     level,
                           const char *source)
{
  TlLevelSetting *cover = g_new (TlLevelSetting, 1);

  if (config->covers == NULL)
    config->covers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            level_setting_free);
  cover->level = level;
  cover->source = g_strdup (source);
  cover->seq = ++config->seq;
  g_hash_table_replace (config->covers, g_strdup (module), cover);
}

/* The latest cover of a proper ancestor of @name (a prefix ending just
 * before a dot), or NULL. */
static const TlLevelSetting *
latest_cover (GHashTable *covers, const char *name, GString *scratch)
{
  const TlLevelSetting *best = NULL;

  g_string_assign (scratch, name);
  for (gsize i = 0; i < scratch->len; i++)
    if (scratch->str[i] == '.')
      {
        const TlLevelSetting *cover;

        scratch->str[i] = '\0';
        cover = g_hash_table_lookup (covers, scratch->str);
        scratch->str[i] = '.';
        if (cover != NULL && (best == NULL || cover->seq > best->seq))
          best = cover;
      }
  return best;
}

/* Applies the covers set_level_below() recorded: to the names of the
 * configuration set before the cover, and to @known_names and
 * @more_known_names (sets of names, e.g. the registry's domains; either
 * may be NULL), which count as set before anything. */
static void
resolve_covers (TlConfig   *config,
                GHashTable *known_names,
                GHashTable *more_known_names)
{
  GHashTable *known[] = { known_names, more_known_names };
  g_autoptr(GString) scratch = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (config->covers == NULL)
    return;
  scratch = g_string_new (NULL);

  g_hash_table_iter_init (&iter, config->levels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TlLevelSetting *setting = value;
      const TlLevelSetting *cover = latest_cover (config->covers, key, scratch);

      if (cover != NULL && cover->seq > setting->seq)
        {
          setting->level = cover->level;
          g_free (setting->source);
          setting->source = g_strdup (cover->source);
          setting->seq = cover->seq;
        }
    }
  for (gsize k = 0; k < G_N_ELEMENTS (known); k++)
    {
      if (known[k] == NULL)
        continue;
      g_hash_table_iter_init (&iter, known[k]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          const TlLevelSetting *cover;
          TlLevelSetting *setting;

          if (g_hash_table_contains (config->levels, key))
            continue;
          cover = latest_cover (config->covers, key, scratch);
          if (cover == NULL)
            continue;
          setting = g_new (TlLevelSetting, 1);
          setting->level = cover->level;
          setting->source = g_strdup (cover->source);
          setting->seq = cover->seq;
          g_hash_table_replace (config->levels, g_strdup (key), setting);
        }
    }
  g_clear_pointer (&config->covers, g_hash_table_unref);
}

void
tl_config_enable_artifact (TlConfig   *config,
                           const char *name,
                           const char *source)
{
  g_return_if_fail (!config->sealed);
  g_hash_table_replace (config->artifacts, g_strdup (name), g_strdup (source));
}

void
tl_config_disable_artifact (TlConfig   *config,
                            const char *name)
{
  g_return_if_fail (!config->sealed);
  g_hash_table_remove (config->artifacts, name);
}

static gboolean
has_open_name (const TlConfig *config,
               const char     *name)
{
  return g_hash_table_contains (config->open_set, name);
}

static void
add_open_name (TlConfig   *config,
               const char *name)
{
  char *copy;

  if (has_open_name (config, name))
    return;
  copy = g_strdup (name);
  g_ptr_array_add (config->open_names, copy);
  g_hash_table_add (config->open_set, copy);
}


/* Whether @over sets a level for a name above @name: the root (""), or
 * a dot-boundary prefix. Walks @name's prefixes, so merging costs
 * O(names × depth), not O(names × override items). */
static gboolean
overridden_above (const TlConfig *over, const char *name)
{
  g_autofree char *prefix = g_strdup (name);
  char *dot;

  if (name[0] != '\0' && g_hash_table_contains (over->levels, ""))
    return TRUE;
  while ((dot = strrchr (prefix, '.')) != NULL)
    {
      *dot = '\0';
      if (g_hash_table_contains (over->levels, prefix))
        return TRUE;
    }
  return FALSE;
}

/* The operator's layer (GSettings) over the program's configuration
 * (TORCH_LOGS or set_logs): a level in @over replaces the base's level for
 * that name and for every name below it, so `+dynamo` really raises all of
 * dynamo even where the program configured a child log; artifacts and
 * open-registered names add up. @over may be NULL. */
TlConfig *
tl_config_merge (const TlConfig *base,
                 const TlConfig *over)
{
  TlConfig *merged = tl_config_copy (base);
  GHashTableIter iter;
  gpointer key, value;

  if (over == NULL)
    return merged;

  g_hash_table_iter_init (&iter, merged->levels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (overridden_above (over, key))
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, over->levels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TlLevelSetting *setting = value;
      tl_config_set_level (merged, key, setting->level, setting->source);
    }
  g_hash_table_iter_init (&iter, over->artifacts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    tl_config_enable_artifact (merged, key, value);
  for (guint i = 0; i < over->open_names->len; i++)
    add_open_name (merged, g_ptr_array_index (over->open_names, i));
  return merged;
}

/* ---- resolving a spec ---------------------------------------------- */

/* A module item: directory-based logging gives its level to every known
 * domain below it (resolved by resolve_covers()) and to every name below
 * it that earlier items set. */
static void
set_module_level (TlConfig   *config,
                  const char *module,
                  TlLevel     level,
                  const char *source)
{
  add_open_name (config, module);
  set_level_below (config, module, level, source);
  tl_config_set_level (config, module, level, source);
}

/* Every domain of a log gets the level; a later item overwrites an
 * earlier one per domain. `all` without a `torch` log is the root. */
static void
set_log_level (TlConfig          *config,
               TlComponent       *component,
               TlLevel            level,
               const char        *source)
{
  if (component == NULL)
    {
      tl_config_set_level (config, TL_ROOT_QNAME, level, source);
      return;
    }
  for (const char * const *d = tl_component_peek_domains (component); *d != NULL; d++)
    tl_config_set_level (config, *d, level, source);
}

/* A module name longer than any domain can be (TL_MAX_DOMAIN_LENGTH) is
 * accepted, as torch accepts it, but changes nothing: no domain that long
 * is ever matched (tl_name_walk_prefixes() refuses it), nor any below it,
 * which are longer still. It is kept out of the configuration, so it is
 * neither open-registered nor walked prefix by prefix (resolve_covers(),
 * tl_config_merge()), which would cost its length times its depth. */
static gboolean
is_inert_module (const char *name)
{
  return strlen (name) > TL_MAX_DOMAIN_LENGTH;
}

/* A name a module item may use: importable-looking, or already known. */
static gboolean
is_module_item (const TlConfig *config, const TlNames *names, const char *name)
{
  return tl_logs_is_module_name (name) || has_open_name (config, name) ||
         tl_names_is_known_domain (names, name);
}

/* The logs that the items before a failing one open-registered. torch
 * registers them as it parses, so its error lists them among the valid
 * settings; here nothing is registered on failure, but the text is the
 * same. A set and a walk up each name's prefixes: hostile strings carry
 * 100,000 module names. */
static GPtrArray *
pending_logs (const TlConfig *config, const TlNames *names)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) logs = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < config->open_names->len; i++)
    {
      const char *name = g_ptr_array_index (config->open_names, i);
      g_autofree char *prefix = NULL;
      gboolean below_pending = FALSE;

      if (tl_names_owner (names, name) != NULL)
        continue;
      prefix = g_strdup (name);
      for (char *dot = prefix + strlen (prefix); dot != NULL; dot = strrchr (prefix, '.'))
        {
          *dot = '\0';
          if (g_hash_table_contains (logs, prefix))
            {
              below_pending = TRUE;
              break;
            }
        }
      if (!below_pending)
        {
          char *copy = g_strdup (name);
          g_hash_table_add (logs, copy);
          g_ptr_array_add (pending, copy);
        }
    }
  return pending;
}

/* One TORCH_LOGS item; FALSE for a name that is nothing known. */
static gboolean
resolve_setting (TlConfig *config, const TlNames *names, const TlLogsItem *item)
{
  if (g_str_equal (item->name, "all"))
    set_log_level (config, tl_names_lookup_log (names, "torch"), item->level, item->source);
  else if (tl_names_lookup_log (names, item->name) != NULL)
    set_log_level (config, tl_names_lookup_log (names, item->name), item->level, item->source);
  /* An artifact is on whatever its prefix says: `-guards` enables it. */
  else if (tl_names_lookup_artifact (names, item->name) != NULL)
    tl_config_enable_artifact (config, item->name, item->source);
  else if (is_module_item (config, names, item->name))
    {
      if (!is_inert_module (item->name))
        set_module_level (config, item->name, item->level, item->source);
    }
  else
    return FALSE;
  return TRUE;
}

/* str() of a Python float: the shortest digits that read back as @d
 * (g_ascii_dtostr() gives 17, "10.099999999999999" for 10.1), positional
 * for exponents -4 to 15 with at least one decimal ("10.5", "20.0"),
 * scientific otherwise ("1e+16", "1.5e-05"). */
static char *
python_float_str (double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 8];
  GString *out;
  const char *e;
  GString *digits;
  int exponent;

  if (isnan (d))
    return g_strdup ("nan");
  if (isinf (d))
    return g_strdup (d > 0 ? "inf" : "-inf");
  for (int precision = 0; precision <= 17; precision++)
    {
      char format[16];

      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, format, d);
      if (g_ascii_strtod (buf, NULL) == d)
        break;
    }
  /* buf is [-]D[.DDD]e±XX */
  out = g_string_new (buf[0] == '-' ? "-" : "");
  digits = g_string_new (NULL);
  e = strchr (buf, 'e');
  for (const char *p = buf; p < e; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  exponent = atoi (e + 1);
  while (digits->len > 1 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);

  if (exponent >= -4 && exponent < 16)
    {
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = -1; i > exponent; i--)
            g_string_append_c (out, '0');
          g_string_append (out, digits->str);
        }
      else
        {
          for (int i = 0; i <= exponent; i++)
            g_string_append_c (out, (gsize) i < digits->len ? digits->str[i] : '0');
          g_string_append_c (out, '.');
          if ((gsize) exponent + 1 < digits->len)
            g_string_append (out, digits->str + exponent + 1);
          else
            g_string_append_c (out, '0');
        }
    }
  else
    {
      g_string_append_c (out, digits->str[0]);
      if (digits->len > 1)
        {
          g_string_append_c (out, '.');
          g_string_append (out, digits->str + 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
  g_string_free (digits, TRUE);
  return g_string_free (out, FALSE);
}

/* Renders a value as str() does in torch's f-string messages. */
static char *
python_str (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return g_strdup (g_variant_get_boolean (value) ? "True" : "False");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_strdup (g_variant_get_string (value, NULL));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return python_float_str (g_variant_get_double (value));
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
artifact_value (const TlLogsItem *pair, gboolean *enabled, GError **error)
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

/* A float equal to an integer is that integer for a level, as in torch,
 * whose check is `val not in logging._levelToName` (10.0 == 10). */
static gboolean
integral_double (GVariant *value, gint64 *out)
{
  double d;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return FALSE;
  d = g_variant_get_double (value);
  /* Compared before the cast: NaN, infinities and huge values fail. */
  if (!(d >= (double) G_MININT && d <= (double) G_MAXINT) || d != (double) (gint64) d)
    return FALSE;
  *out = (gint64) d;
  return TRUE;
}

static gboolean
level_value (const TlLogsItem *pair, TlLevel *level, GError **error)
{
  gint64 number;

  if ((variant_to_int64 (pair->value, &number) || integral_double (pair->value, &number)) &&
      number >= G_MININT && number <= G_MAXINT &&
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

/* One set_logs() pair; FALSE with @error for a bad name or value. */
static gboolean
resolve_pair (TlConfig *config, const TlNames *names, const TlLogsItem *pair, GError **error)
{
  const char *name = pair->name;
  TlComponent *component;
  TlLevel level;

  /* None, or a maybe that holds nothing, means "not mentioned". */
  if (pair->value == NULL ||
      (g_variant_is_of_type (pair->value, G_VARIANT_TYPE ("mv")) &&
       g_variant_n_children (pair->value) == 0))
    return TRUE;

  if (tl_names_lookup_artifact (names, name) != NULL)
    {
      gboolean enabled;

      if (!artifact_value (pair, &enabled, error))
        return FALSE;
      if (enabled)
        tl_config_enable_artifact (config, name, name);
      return TRUE;
    }

  component = tl_names_lookup_log (names, g_str_equal (name, "all") ? "torch" : name);
  if (component != NULL || g_str_equal (name, "all"))
    {
      if (!level_value (pair, &level, error))
        return FALSE;
      set_log_level (config, component, level, name);
      return TRUE;
    }

  if (is_module_item (config, names, name))
    {
      /* Torch skips the level check the first time a module is seen
       * (a quirk); C checks it every time. */
      if (!level_value (pair, &level, error))
        return FALSE;
      if (!is_inert_module (name))
        set_module_level (config, name, level, name);
      return TRUE;
    }

  g_set_error (error, TL_ERROR, TL_ERROR_UNKNOWN_NAME,
               _("Unrecognized log or artifact name passed to set_logs: %s"), name);
  return FALSE;
}

TlConfig *
tl_config_new_from_spec (const TlLogsSpec *spec,
                         const TlNames    *names,
                         GPtrArray       **pending,
                         GError          **error)
{
  /* Each spec is a complete configuration: start from nothing. */
  g_autoptr(TlConfig) config = tl_config_new ();

  for (guint i = 0; i < spec->items->len; i++)
    {
      const TlLogsItem *item = &g_array_index (spec->items, TlLogsItem, i);

      if (spec->kind == TL_LOGS_SPEC_SET_LOGS)
        {
          if (!resolve_pair (config, names, item, error))
            return NULL;
        }
      else if (!resolve_setting (config, names, item))
        {
          *pending = pending_logs (config, names);
          return NULL;
        }
    }
  resolve_covers (config, tl_names_peek_domains (names), tl_names_peek_child_logs (names));
  return g_steal_pointer (&config);
}

/* ---- reading a configuration --------------------------------------- */

typedef struct {
  const TlConfig        *config;
  const TlLevelSetting  *setting;
} LevelSearch;

static gboolean
find_level_setting (const char *prefix, gpointer data)
{
  LevelSearch *search = data;
  const TlLevelSetting *setting = g_hash_table_lookup (search->config->levels, prefix);

  if (setting == NULL || setting->level == TL_LEVEL_NOTSET)
    return FALSE;
  search->setting = setting;
  return TRUE;
}

TlLevel
tl_config_effective_level (const TlConfig        *config,
                           const char            *logger_name,
                           const TlLevelSetting **source)
{
  LevelSearch search = { config, NULL };
  const TlLevelSetting *root;

  if (source != NULL)
    *source = NULL;
  /* Nothing configured (as while a program registers its logs): every
   * name is at WARNING, without walking its prefixes. */
  if (g_hash_table_size (config->levels) == 0)
    return TL_LEVEL_WARNING;
  if (!tl_name_walk_prefixes (logger_name, find_level_setting, &search))
    {
      root = g_hash_table_lookup (config->levels, TL_ROOT_QNAME);
      if (root == NULL || root->level == TL_LEVEL_NOTSET)
        return TL_LEVEL_WARNING;
      search.setting = root;
    }
  if (source != NULL)
    *source = search.setting;
  return search.setting->level;
}

gboolean
tl_config_artifact_is_enabled (const TlConfig *config,
                               const char     *name)
{
  return g_hash_table_contains (config->artifacts, name);
}

guint
tl_config_min_level (const TlConfig *config)
{
  TlLevelSetting *root = g_hash_table_lookup (config->levels, TL_ROOT_QNAME);
  guint min = (root && root->level != TL_LEVEL_NOTSET) ? root->level : TL_LEVEL_WARNING;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (config->artifacts) > 0)
    min = TL_LEVEL_DEBUG;
  g_hash_table_iter_init (&iter, config->levels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const TlLevelSetting *setting = value;
      if (setting->level != TL_LEVEL_NOTSET && (guint) setting->level < min)
        min = setting->level;
    }
  return min;
}
