/* tl-registry.h: TlRegistry, components, artifacts and their configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <gio/gio.h>
#include "tl-version-macros.h"
#include "tl-level.h"
#include "tl-component.h"
#include "tl-artifact.h"

G_BEGIN_DECLS

/**
 * TL_TYPE_REGISTRY:
 *
 * The #GType of #TlRegistry.
 *
 * Since: 0.1
 */
/**
 * TlRegistry:
 *
 * The set of components and artifacts a program registered, and their
 * current configuration. The structure is opaque.
 *
 * Since: 0.1
 */
#define TL_TYPE_REGISTRY (tl_registry_get_type ())
TL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TlRegistry, tl_registry, TL, REGISTRY, GObject)

TL_AVAILABLE_IN_ALL
TlRegistry   *tl_registry_new                      (void);
TL_AVAILABLE_IN_ALL
TlRegistry   *tl_registry_get_default              (void);

/* Registration */
TL_AVAILABLE_IN_ALL
TlComponent  *tl_registry_register_log             (TlRegistry         *self,
                                                    const char         *name,
                                                    const char * const *domains,
                                                    const char         *description);
TL_AVAILABLE_IN_ALL
TlArtifact   *tl_registry_register_artifact        (TlRegistry         *self,
                                                    const char         *name,
                                                    const char         *description,
                                                    TlArtifactFlags     flags,
                                                    const char         *log_format);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_load_registrations_from_data (TlRegistry     *self,
                                                    const char         *data,
                                                    gssize              length,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_load_registrations       (TlRegistry         *self,
                                                    const char         *path,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
void          tl_registry_add_pytorch_registrations (TlRegistry        *self);

/* Lookups */
TL_AVAILABLE_IN_ALL
TlComponent  *tl_registry_lookup_component         (TlRegistry         *self,
                                                    const char         *name);
TL_AVAILABLE_IN_ALL
TlArtifact   *tl_registry_lookup_artifact          (TlRegistry         *self,
                                                    const char         *name);
TL_AVAILABLE_IN_ALL
GListModel   *tl_registry_get_components           (TlRegistry         *self);
TL_AVAILABLE_IN_ALL
GListModel   *tl_registry_get_artifacts            (TlRegistry         *self);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_is_child_log             (TlRegistry         *self,
                                                    const char         *domain);

/* Configuration */
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_parse_logs               (TlRegistry         *self,
                                                    const char         *settings,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_logs                 (TlRegistry         *self,
                                                    GError            **error,
                                                    const char         *first_name,
                                                    ...) G_GNUC_NULL_TERMINATED;
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_logs_valist          (TlRegistry         *self,
                                                    GError            **error,
                                                    const char         *first_name,
                                                    va_list             args);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_logs_variant         (TlRegistry         *self,
                                                    GVariant           *settings,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_logsv                (TlRegistry         *self,
                                                    guint               n_settings,
                                                    const char * const *names,
                                                    const GValue       *values,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_init_logs                (TlRegistry         *self,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
const char   *tl_registry_get_env_var              (TlRegistry         *self);
TL_AVAILABLE_IN_ALL
void          tl_registry_set_env_var              (TlRegistry         *self,
                                                    const char         *env_var);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_output_file          (TlRegistry         *self,
                                                    const char         *path,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_set_format               (TlRegistry         *self,
                                                    const char         *format,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
int           tl_registry_get_rank                 (TlRegistry         *self);
TL_AVAILABLE_IN_ALL
void          tl_registry_set_rank                 (TlRegistry         *self,
                                                    int                 rank);

/* Queries */
TL_AVAILABLE_IN_ALL
TlLevel       tl_registry_get_effective_level      (TlRegistry         *self,
                                                    const char         *domain);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_should_emit              (TlRegistry         *self,
                                                    const char         *domain,
                                                    const char         *artifact,
                                                    TlLevel             level);
TL_AVAILABLE_IN_ALL
char         *tl_registry_get_artifact_logger      (TlRegistry         *self,
                                                    const char         *module,
                                                    const char         *artifact,
                                                    GError            **error);
TL_AVAILABLE_IN_ALL
char         *tl_registry_help_message             (TlRegistry         *self,
                                                    gboolean            verbose);
TL_AVAILABLE_IN_ALL
char         *tl_registry_explain                  (TlRegistry         *self);

/* Output */
TL_AVAILABLE_IN_ALL
void          tl_registry_install_writer           (TlRegistry         *self);
TL_AVAILABLE_IN_ALL
GLogWriterOutput tl_registry_write                 (TlRegistry         *self,
                                                    GLogLevelFlags      log_level,
                                                    const GLogField    *fields,
                                                    gsize               n_fields);
TL_AVAILABLE_IN_ALL
GLogWriterOutput tl_log_writer                     (GLogLevelFlags      log_level,
                                                    const GLogField    *fields,
                                                    gsize               n_fields,
                                                    gpointer            user_data);
TL_AVAILABLE_IN_ALL
void          tl_registry_write_record             (TlRegistry         *self,
                                                    const char         *domain,
                                                    TlLevel             level,
                                                    const char         *message,
                                                    const char         *file,
                                                    int                 line,
                                                    const char         *func);
TL_AVAILABLE_IN_ALL
void          tl_registry_print_record             (TlRegistry         *self,
                                                    const char         *domain,
                                                    TlLevel             level,
                                                    const char         *message,
                                                    const char         *file,
                                                    int                 line,
                                                    const char         *func);
TL_AVAILABLE_IN_ALL
void          tl_registry_flush                    (TlRegistry         *self);

G_END_DECLS
