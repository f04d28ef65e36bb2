/* tl-config-private.h: one configuration: explicit levels and artifacts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-level.h"

G_BEGIN_DECLS

typedef struct {
  TlLevel  level;
  char    *source;   /* the settings item or set_logs name that set it */
  guint64  seq;      /* when it was set, while building: the later wins */
} TlLevelSetting;

typedef struct {
  GHashTable *levels;       /* qualified name → TlLevelSetting */
  GHashTable *artifacts;    /* enabled artifact name → source */
  GPtrArray  *open_names;   /* module names to open-register, in order */
  GHashTable *open_set;     /* the same names, for lookups */
  GHashTable *covers;       /* while building: module → TlLevelSetting for
                             * the names below it; see tl_config_resolve() */
  guint64     seq;
} TlConfig;

TlConfig *tl_config_new             (void);
TlConfig *tl_config_copy            (const TlConfig *config);
void      tl_config_free            (TlConfig       *config);
void      tl_config_set_level       (TlConfig       *config,
                                     const char     *qname,
                                     TlLevel         level,
                                     const char     *source);
void      tl_config_set_level_below (TlConfig       *config,
                                     const char     *module,
                                     TlLevel         level,
                                     const char     *source);
void      tl_config_enable_artifact (TlConfig       *config,
                                     const char     *name,
                                     const char     *source);
void      tl_config_add_open_name   (TlConfig       *config,
                                     const char     *name);
gboolean  tl_config_has_open_name   (const TlConfig *config,
                                     const char     *name);
void      tl_config_resolve         (TlConfig       *config,
                                     GHashTable     *known_names,
                                     GHashTable     *more_known_names);
TlConfig *tl_config_merge           (const TlConfig *base,
                                     const TlConfig *over);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlConfig, tl_config_free)

G_END_DECLS
