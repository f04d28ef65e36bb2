/* tl-artifact-private.h: what the registry does to its artifacts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-artifact.h"
#include "tl-output-private.h"

G_BEGIN_DECLS

typedef struct _TlRegistry TlRegistry;

TlArtifact *tl_artifact_new            (TlRegistry      *registry,
                                        const char      *name);
/* Called with the registry locked. The TlFormat is owned by the registry
 * (see retired_formats), so a writer can still use the old one. */
gboolean    tl_artifact_store_description (TlArtifact   *self,
                                        const char      *description);
gboolean    tl_artifact_store_flags    (TlArtifact      *self,
                                        TlArtifactFlags  flags);
gboolean    tl_artifact_store_log_format (TlArtifact    *self,
                                        const char      *log_format,
                                        const TlFormat  *compiled);
gboolean    tl_artifact_store_enabled  (TlArtifact      *self,
                                        gboolean         enabled);
const TlFormat *tl_artifact_peek_format (TlArtifact     *self);
void        tl_artifact_notify         (TlArtifact      *self,
                                        const char      *property);

G_END_DECLS
