/* tl-config-private.h: one configuration: explicit levels and enabled
 * artifacts, resolved from a TlLogsSpec against the registered names
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-level.h"
#include "tl-names-private.h"
#include "tl-logs-parser-private.h"

G_BEGIN_DECLS

/* A threshold no level reaches: the record is never printed. */
#define TL_LEVEL_NEVER 0xff

/* Name of the implicit root logger in a TlConfig: `all` sets it when the
 * registry has no `torch` log to stand for "everything". */
#define TL_ROOT_QNAME ""

typedef struct {
  TlLevel  level;
  char    *source;   /* the settings item or set_logs name that set it */
  guint64  seq;      /* when it was set, while building: the later wins */
} TlLevelSetting;

/* torch's `log_state`. Built privately, then sealed (tl_config_seal())
 * and shared: a sealed configuration is never changed again, so plans
 * and threads may hold it without a lock; setters refuse it. */
typedef struct {
  gatomicrefcount ref;
  gboolean    sealed;
  GHashTable *levels;       /* qualified name → TlLevelSetting */
  GHashTable *artifacts;    /* enabled artifact name → source */
  GPtrArray  *open_names;   /* module names to open-register, in order */
  GHashTable *open_set;     /* the same names, for lookups */
  GHashTable *covers;       /* while building: module → TlLevelSetting for
                             * the names below it; see tl_config_finish() */
  guint64     seq;
} TlConfig;

TlConfig *tl_config_new             (void);
/* An unsealed copy, to be changed. */
TlConfig *tl_config_copy            (const TlConfig *config);
TlConfig *tl_config_ref             (TlConfig       *config);
void      tl_config_unref           (TlConfig       *config);
TlConfig *tl_config_seal            (TlConfig       *config);

void      tl_config_set_level       (TlConfig       *config,
                                     const char     *qname,
                                     TlLevel         level,
                                     const char     *source);
void      tl_config_enable_artifact (TlConfig       *config,
                                     const char     *name,
                                     const char     *source);
void      tl_config_disable_artifact (TlConfig      *config,
                                     const char     *name);

/* A TORCH_LOGS string's items or set_logs() pairs, resolved against
 * @names: a complete configuration, unsealed. For a settings string, an
 * unknown name gives NULL with @pending_logs set to the names the items
 * before it would have open-registered (for torch's error text, which
 * the caller builds), and @error unset; a tl_registry_set_logs() pair that is wrong
 * gives NULL with @error set to torch's text. */
TlConfig *tl_config_new_from_spec   (const TlLogsSpec *spec,
                                     const TlNames    *names,
                                     GPtrArray       **pending_logs,
                                     GError          **error);

/* The operator's layer over the program's; @over may be NULL. */
TlConfig *tl_config_merge           (const TlConfig *base,
                                     const TlConfig *over);

/* The level Python's getEffectiveLevel() gives @logger_name under
 * @config: its own explicit level, else its nearest configured
 * ancestor's, else the root's, else WARNING; @source (nullable) gets
 * the setting that decided it, NULL for the default. Artifact loggers
 * are the plan's business (tl_plan_effective_level()). */
TlLevel   tl_config_effective_level (const TlConfig        *config,
                                     const char            *logger_name,
                                     const TlLevelSetting **source);
gboolean  tl_config_artifact_is_enabled (const TlConfig    *config,
                                     const char            *name);
/* A lower bound of every threshold: the macros' global gate. */
guint     tl_config_min_level       (const TlConfig        *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlConfig, tl_config_unref)

G_END_DECLS
