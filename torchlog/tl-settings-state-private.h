/* tl-settings-state-private.h: what a program bound to GSettings tells
 * `torchlog apps` about itself
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include "tl-registry.h"

G_BEGIN_DECLS

/* The keyfile group and keys of a state file; `torchlog apps` reads
 * them (tools/torchlog-apps.c). */
#define TL_SETTINGS_STATE_GROUP "torchlog app"

/* Everything a state file says, as the binding knows it. */
typedef struct {
  const char *app_id;           /* or the settings path for a foreign path */
  const char *path;             /* the settings path */
  const char *stored_logs;      /* the "logs" key as stored */
  const char *rejected_logs;    /* the last invalid value, or NULL */
  const char *rejected_reason;  /* why (torch's text), or NULL */
  const char *rejected_format;
  const char *applied_file;     /* the operator's output file, or NULL */
  const char *applied_format;
  const char *problem;          /* why live changes cannot arrive, or NULL */
} TlSettingsState;

/* `$XDG_RUNTIME_DIR/torchlog/apps/`; the file of @app_id in this process
 * is `APP-ID.PID` in it. */
char     *tl_settings_state_dir           (void);
char     *tl_settings_state_file          (const char            *app_id);
/* The configuration @registry applies now, as a TORCH_LOGS string. */
char     *tl_settings_state_effective     (TlRegistry            *registry);
/* Writes @state to @file atomically (a warning, once, if it cannot). */
void      tl_settings_state_write         (const char            *file,
                                           TlRegistry            *registry,
                                           const TlSettingsState *state);
void      tl_settings_state_remove        (const char            *file);
G_END_DECLS
