/* tl-config.c: one configuration: explicit levels and enabled artifacts
 *
 * A TlConfig is torch's `log_state`: what a settings string or a set_logs()
 * call asked for. It is built privately and then handed whole to the
 * registry, so a failed parse never leaves a half-applied configuration.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-config-private.h"

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
    tl_config_add_open_name (copy, g_ptr_array_index (config->open_names, i));
  return copy;
}

void
tl_config_free (TlConfig *config)
{
  if (config == NULL)
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
  TlLevelSetting *setting = g_new (TlLevelSetting, 1);

  setting->level = level;
  setting->source = g_strdup (source);
  setting->seq = ++config->seq;
  g_hash_table_replace (config->levels, g_strdup (qname), setting);
}

/* Torch's directory-based logging sets every sub-module of a module name;
 * in C the sub-modules are the names already in the configuration (and
 * the known names tl_config_resolve() is given).
 *
 * Rewriting them here, item after item, would make a settings string of
 * n module names cost n² (100,000 items: minutes). The level is recorded
 * instead as a "cover" of @module, stamped with the time; resolving gives
 * each name the latest of its own setting and its ancestors' covers,
 * which is what rewriting would have left, in time linear in the input. */
void
tl_config_set_level_below (TlConfig   *config,
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

/* Applies the covers tl_config_set_level_below() recorded: to the names
 * of the configuration set before the cover, and to @known_names and
 * @more_known_names (sets of names, e.g. the registry's domains; either
 * may be NULL), which count as set before anything. */
void
tl_config_resolve (TlConfig   *config,
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
  g_hash_table_replace (config->artifacts, g_strdup (name), g_strdup (source));
}

void
tl_config_add_open_name (TlConfig   *config,
                         const char *name)
{
  char *copy;

  if (tl_config_has_open_name (config, name))
    return;
  copy = g_strdup (name);
  g_ptr_array_add (config->open_names, copy);
  g_hash_table_add (config->open_set, copy);
}

gboolean
tl_config_has_open_name (const TlConfig *config,
                         const char     *name)
{
  return g_hash_table_contains (config->open_set, name);
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
    tl_config_add_open_name (merged, g_ptr_array_index (over->open_names, i));
  return merged;
}
