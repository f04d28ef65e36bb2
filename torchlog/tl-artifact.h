/* tl-artifact.h: TlArtifact, a named kind of debug output that is on or off
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib-object.h>
#include "tl-version-macros.h"

G_BEGIN_DECLS

/**
 * TlArtifactFlags:
 * @TL_ARTIFACT_FLAGS_NONE: an ordinary artifact, hidden from the short help
 * @TL_ARTIFACT_FLAGS_VISIBLE: listed by `TORCH_LOGS=help` (torch's `visible=True`)
 * @TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT: not shown when its component is at
 *   DEBUG; it must be named explicitly (torch's `off_by_default=True`)
 *
 * Flags of tl_registry_register_artifact().
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
  TL_ARTIFACT_FLAGS_NONE           = 0,
  TL_ARTIFACT_FLAGS_VISIBLE        = 1 << 0,
  TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT = 1 << 1,
} TlArtifactFlags;

/**
 * TL_TYPE_ARTIFACT:
 *
 * The #GType of #TlArtifact.
 *
 * Since: 0.1
 */
/**
 * TlArtifact:
 *
 * An artifact registered in a #TlRegistry: a named kind of output that is
 * enabled or not. The structure is opaque; use the accessors and
 * properties.
 *
 * Since: 0.1
 */
#define TL_TYPE_ARTIFACT (tl_artifact_get_type ())
TL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TlArtifact, tl_artifact, TL, ARTIFACT, GObject)

TL_AVAILABLE_IN_ALL
const char *tl_artifact_get_name           (TlArtifact *self);
TL_AVAILABLE_IN_ALL
const char *tl_artifact_get_description    (TlArtifact *self);
TL_AVAILABLE_IN_ALL
gboolean    tl_artifact_get_visible        (TlArtifact *self);
TL_AVAILABLE_IN_ALL
gboolean    tl_artifact_get_off_by_default (TlArtifact *self);
TL_AVAILABLE_IN_ALL
const char *tl_artifact_get_log_format     (TlArtifact *self);
TL_AVAILABLE_IN_ALL
gboolean    tl_artifact_get_enabled        (TlArtifact *self);
TL_AVAILABLE_IN_ALL
void        tl_artifact_set_enabled        (TlArtifact *self,
                                            gboolean    enabled);

G_END_DECLS
