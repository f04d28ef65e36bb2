/* tl-component-private.h: what the registry does to its components
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-component.h"

G_BEGIN_DECLS

/* How a component asks its owner (the registry) to change the
 * configuration: the owner fills it, so that the component never calls
 * up into the registry (GSettingsListenerVTable's pattern). */
typedef struct {
  void (*set_level) (GObject     *owner,
                     TlComponent *component,
                     TlLevel      level);
} TlComponentOwner;

/* @owner is held weakly: the setters do nothing once it is gone. */
TlComponent        *tl_component_new            (const TlComponentOwner *hooks,
                                                 GObject            *owner,
                                                 const char         *name,
                                                 const char * const *domains,
                                                 const char         *description);
/* Called by the owner, which serializes them; they return whether anything
 * changed, so that it can emit notify once it has unlocked. The domains
 * peeked are valid until the owner changes them. */
gboolean            tl_component_store_domains  (TlComponent        *self,
                                                 const char * const *domains);
gboolean            tl_component_store_description (TlComponent     *self,
                                                 const char         *description);
gboolean            tl_component_store_level    (TlComponent        *self,
                                                 TlLevel             level);
const char * const *tl_component_peek_domains   (TlComponent        *self);
void                tl_component_notify         (TlComponent        *self,
                                                 const char         *property);

G_END_DECLS
