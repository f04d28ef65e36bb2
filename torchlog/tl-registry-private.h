/* tl-registry-private.h: TlRegistry's state, shared by the files that
 * implement its parts (parser, help, writer, call sites)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"
#include "tl-config-private.h"
#include "tl-output-private.h"
#include "tl-component-private.h"
#include "tl-artifact-private.h"
#include "tl-object-list-private.h"

G_BEGIN_DECLS

/* The longest domain a log may have (tl_registry_register_log() refuses
 * longer ones): lookups walk a name's dotted prefixes, so this bounds
 * what a record or a query with a hostile domain can cost. */
#define TL_MAX_DOMAIN_LENGTH 1024

/* A threshold no level reaches: the record is never printed. */
#define TL_LEVEL_NEVER 0xff

/* Name of the implicit root logger in a TlConfig: `all` sets it when the
 * registry has no `torch` log to stand for "everything". */
#define TL_ROOT_QNAME ""

typedef struct {
  guint       count;   /* how many logs list this qualified name */
  const char *owner;   /* interned name of the first log that lists it */
} TlQname;

struct _TlRegistry
{
  GObject     parent_instance;

  /* Guards every field below. Readers (the writer, call-site refreshes,
   * queries) take it shared; registration and configuration take it
   * exclusively, and only for as long as it takes to swap prepared data. */
  GRWLock     lock;

  GHashTable *components;      /* alias → TlComponent (owned) */
  TlObjectList *component_list;  /* the same, in registration order */
  GHashTable *artifacts;       /* name → TlArtifact (owned) */
  TlObjectList *artifact_list;
  GHashTable *qnames;          /* qualified name → TlQname */
  GHashTable *child_logs;      /* interned names, a set */

  TlConfig   *config;          /* the applied configuration: base + override */
  TlConfig   *api_config;      /* what set_logs() last asked for */
  TlConfig   *base_config;     /* the program's: TORCH_LOGS or set_logs() */
  TlConfig   *override_config; /* the operator's (GSettings), or NULL */
  TlOutput   *output;          /* format and sinks, replaced whole */
  TlOutput   *base_output;     /* the program's outputs, before the override */
  TlOutput   *override_output; /* the operator's file and format, or NULL */
  GPtrArray  *retired_formats; /* artifact formats a writer may still use */

  char       *env_var;
  int         rank;
  gboolean    is_default;
  gboolean    env_warning_given;
  guint       generation;
};

/* Lookups; the caller holds the lock (shared is enough). */
TlComponent *tl_registry_lookup_component_locked (TlRegistry *self,
                                                  const char *name);
TlArtifact  *tl_registry_lookup_artifact_locked  (TlRegistry *self,
                                                  const char *name);
gboolean     tl_registry_has_registered_ancestor_locked (TlRegistry *self,
                                                         const char *name);
const char  *tl_registry_owner_locked            (TlRegistry *self,
                                                  const char *name);
TlLevel      tl_registry_effective_level_locked  (TlRegistry *self,
                                                  const char *logger_name);
guint        tl_registry_threshold_locked        (TlRegistry *self,
                                                  const char *domain,
                                                  const char *artifact);
guint        tl_registry_min_level_locked        (TlRegistry *self);

/* Applies @config (taking it) as the new configuration: commits its open
 * registrations, updates the objects and emits the signals. */
void         tl_registry_apply_config            (TlRegistry *self,
                                                  TlConfig   *config,
                                                  gboolean    from_api);

/* The operator's layer (tl-settings-binding.c). Sets @override (taken; NULL
 * clears it) over the base configuration and applies the result at once,
 * emitting the signals. */
void         tl_registry_set_override            (TlRegistry *self,
                                                  TlConfig   *override);
/* Sets the operator's outputs (taken; NULL clears them), laid over the
 * program's with tl_output_overlay(). */
void         tl_registry_set_output_override     (TlRegistry *self,
                                                  TlOutput   *override);

/* Prints a line in torch's format on the registry's outputs without going
 * through GLib, so torchlog's own warnings can never be fatal. */
void         tl_registry_emit_internal           (TlRegistry *self,
                                                  TlLevel     level,
                                                  const char *message);

/* tl-help.c */
char        *tl_help_message_locked              (TlRegistry *self,
                                                  gboolean    verbose);
char        *tl_invalid_settings_message_locked  (TlRegistry      *self,
                                                  const char      *settings,
                                                  const GPtrArray *pending_logs);

/* tl-settings-parser.c */
gboolean     tl_settings_is_valid                (const char *settings);
gboolean     tl_settings_is_module_name          (const char *name);
void         tl_settings_set_module_level_locked (TlRegistry *self,
                                                  TlConfig   *config,
                                                  const char *module,
                                                  TlLevel     level,
                                                  const char *source);
/* Completes a configuration that tl_settings_set_module_level_locked()
 * built: every name below a module item gets its level. */
void         tl_settings_finish_locked           (TlRegistry *self,
                                                  TlConfig   *config);
TlConfig    *tl_settings_parse_locked            (TlRegistry *self,
                                                  const char *settings,
                                                  GError    **error);

/* tl-set-logs.c */
typedef struct {
  const char *name;
  GVariant   *value;     /* NULL: not mentioned (Python's None) */
  gboolean    from_c;    /* a C int: 0 and 1 count as booleans */
} TlSetLogsPair;

TlConfig    *tl_set_logs_build_locked            (TlRegistry          *self,
                                                  const TlSetLogsPair *pairs,
                                                  gsize                n_pairs,
                                                  GError             **error);

/* tl-callsite.c */
void         tl_callsite_publish                 (guint generation,
                                                  guint min_level);
extern gboolean tl_writer_is_installed;

/* tl-writer.c: the registry torchlog's writer was installed for, or NULL. */
extern TlRegistry *tl_writer_registry;
/* Prints a record of the logging macros the way tl_registry_write()
 * would, without building fields or going through GLib, when @self's
 * writer is the installed one. Returns FALSE, with @args untouched, if
 * the writer would hand the record to g_log_writer_default() instead. */
gboolean     tl_writer_log_valist                (TlRegistry *self,
                                                  const void *callsite,
                                                  const char *domain,
                                                  const char *artifact,
                                                  TlLevel     level,
                                                  const char *file,
                                                  const char *line,
                                                  const char *func,
                                                  const char *format,
                                                  va_list     args) G_GNUC_PRINTF (9, 0);

G_END_DECLS

G_BEGIN_DECLS
/* Property setters of the objects: a change of the current configuration. */
void tl_registry_change_component_level  (TlRegistry  *self,
                                          TlComponent *component,
                                          TlLevel      level);
void tl_registry_change_artifact_enabled (TlRegistry  *self,
                                          TlArtifact  *artifact,
                                          gboolean     enabled);
G_END_DECLS
