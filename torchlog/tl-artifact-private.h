/* tl-artifact-private.h: what the registry does to its artifacts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-artifact.h"
#include "tl-output-private.h"

G_BEGIN_DECLS

/* How an artifact asks its owner (the registry) to change the
 * configuration; see TlComponentOwner. */
typedef struct {
  void (*set_enabled) (GObject    *owner,
                       TlArtifact *artifact,
                       gboolean    enabled);
} TlArtifactOwner;

/* @owner is held weakly: the setter does nothing once it is gone. */
TlArtifact *tl_artifact_new            (const TlArtifactOwner *hooks,
                                        GObject         *owner,
                                        const char      *name);
/* Called by the owner, which serializes them. The artifact takes
 * @compiled and keeps every format it was given until it is finalized,
 * so that a plan or a writer thread can still use an older one. */
gboolean    tl_artifact_store_description (TlArtifact   *self,
                                        const char      *description);
gboolean    tl_artifact_store_flags    (TlArtifact      *self,
                                        TlArtifactFlags  flags);
gboolean    tl_artifact_store_log_format (TlArtifact    *self,
                                        const char      *log_format,
                                        TlFormat        *compiled);
gboolean    tl_artifact_store_enabled  (TlArtifact      *self,
                                        gboolean         enabled);
const TlFormat *tl_artifact_peek_format (TlArtifact     *self);
void        tl_artifact_notify         (TlArtifact      *self,
                                        const char      *property);

G_END_DECLS
