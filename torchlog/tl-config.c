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
  g_hash_table_replace (config->levels, g_strdup (qname), setting);
}

/* Torch's directory-based logging sets every sub-module of a module name;
 * in C the sub-modules are the names already in the configuration. */
void
tl_config_set_level_below (TlConfig   *config,
                           const char *module,
                           TlLevel     level,
                           const char *source)
{
  gsize len = strlen (module);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, config->levels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *qname = key;
      TlLevelSetting *setting = value;

      if (strncmp (qname, module, len) == 0 && qname[len] == '.')
        {
          setting->level = level;
          g_free (setting->source);
          setting->source = g_strdup (source);
        }
    }
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
  if (!tl_config_has_open_name (config, name))
    g_ptr_array_add (config->open_names, g_strdup (name));
}

gboolean
tl_config_has_open_name (const TlConfig *config,
                         const char     *name)
{
  for (guint i = 0; i < config->open_names->len; i++)
    if (g_str_equal (g_ptr_array_index (config->open_names, i), name))
      return TRUE;
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

  g_hash_table_iter_init (&iter, over->levels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *qname = key;
      gsize len = strlen (qname);
      GHashTableIter below;
      gpointer merged_key;

      g_hash_table_iter_init (&below, merged->levels);
      while (g_hash_table_iter_next (&below, &merged_key, NULL))
        {
          const char *name = merged_key;

          /* The root ("") stands above every name. */
          if (len == 0 || (strncmp (name, qname, len) == 0 && name[len] == '.'))
            g_hash_table_iter_remove (&below);
        }
    }
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
