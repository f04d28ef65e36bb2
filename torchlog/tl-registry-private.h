/* tl-registry-private.h: what the rest of the library asks of a registry
 *
 * Functions only: the registry's struct and lock never leave
 * tl-registry.c. The lower layers never call these while the registry
 * calls them; they reach the registry through a plan they hold.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "torchlog.h"
#include "tl-config-private.h"
#include "tl-logs-parser-private.h"
#include "tl-plan-private.h"

G_BEGIN_DECLS

/* Where the call sites and the writer take @self's current plan from. */
TlPlanSlot *tl_registry_get_plan_slot      (TlRegistry      *self);
TlPlan     *tl_registry_dup_plan           (TlRegistry      *self);
/* A sealed copy of the registered names. */
TlNames    *tl_registry_dup_names          (TlRegistry      *self);

/* A TORCH_LOGS string → an unsealed configuration, against the current
 * names; NULL with torch's error (TL_ERROR_INVALID_SETTINGS,
 * TL_ERROR_HELP). "" gives the empty configuration. */
TlConfig   *tl_registry_resolve_logs       (TlRegistry      *self,
                                            const char      *settings,
                                            GError         **error);
/* set_logs(): resolves and applies @spec, unless the environment
 * variable is set (then it only warns, once). */
gboolean    tl_registry_apply_set_logs     (TlRegistry      *self,
                                            TlLogsSpec      *spec,
                                            GError         **error);
/* The operator's layer (tl-settings.c): sets @override (taken; NULL
 * clears it) over the program's configuration and applies the result. */
void        tl_registry_set_override       (TlRegistry      *self,
                                            TlConfig        *override);
/* The operator's outputs (taken; NULL clears them), laid over the
 * program's with tl_output_overlay(). */
void        tl_registry_set_output_override (TlRegistry     *self,
                                             TlOutput       *override);

/* The settings items behind the configuration that applies now (both
 * layers), comma-separated; for `torchlog apps` (tl-settings-state.c). */
char       *tl_registry_dup_effective_logs (TlRegistry      *self);

/* Attaches @func to see every record the configuration lets through
 * (tl-capture.c); @data, a g_atomic_rc_box(), is referenced until
 * tl_registry_detach() and the last plan that holds it are gone. */
void        tl_registry_attach             (TlRegistry      *self,
                                            TlAttachedFunc   func,
                                            gpointer         data,
                                            GDestroyNotify   clear);
void        tl_registry_detach             (TlRegistry      *self,
                                            gpointer         data);

/* torchlog's own warning, printed as a record of the `torchlog` logger
 * through the writer, so it is never fatal. */
void        tl_registry_warn               (TlRegistry      *self,
                                            TlLevel          level,
                                            const char      *message);

/* fork(): called by tl-fork.c only, which documents the lock order. */
void tl_registry_fork_prepare (void);
void tl_registry_fork_parent (void);
void tl_registry_fork_child (void);

G_END_DECLS
