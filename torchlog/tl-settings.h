/* tl-settings.h: runtime control of a registry through GSettings
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <gio/gio.h>
#include "tl-version-macros.h"
#include "tl-registry.h"

G_BEGIN_DECLS

/**
 * TL_SETTINGS_SCHEMA_ID:
 *
 * The id of torchlog's relocatable GSettings schema.
 *
 * Since: 0.1
 */
#define TL_SETTINGS_SCHEMA_ID "org.gnome.Torchlog"

/**
 * TL_SETTINGS_PATH_PREFIX:
 *
 * The path under which each application binds the schema; see
 * tl_settings_path_for_app_id().
 *
 * Since: 0.1
 */
#define TL_SETTINGS_PATH_PREFIX "/org/gnome/torchlog/apps/"

TL_AVAILABLE_IN_ALL
char         *tl_settings_path_for_app_id          (const char   *app_id);
TL_AVAILABLE_IN_ALL
GSettings    *tl_settings_new_for_app              (const char   *app_id,
                                                    GError      **error);

TL_AVAILABLE_IN_ALL
gboolean      tl_settings_check_backend            (GSettings    *settings,
                                                    GError      **error);

TL_AVAILABLE_IN_ALL
void          tl_registry_bind_settings            (TlRegistry   *self,
                                                    GSettings    *settings);
TL_AVAILABLE_IN_ALL
gboolean      tl_registry_bind_settings_for_app    (TlRegistry   *self,
                                                    const char   *app_id,
                                                    GError      **error);
TL_AVAILABLE_IN_ALL
void          tl_registry_unbind_settings          (TlRegistry   *self);
TL_AVAILABLE_IN_ALL
GSettings    *tl_registry_get_settings             (TlRegistry   *self);
TL_AVAILABLE_IN_ALL
char         *tl_registry_dup_registrations        (TlRegistry   *self);

G_END_DECLS
