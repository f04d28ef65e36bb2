/* tl-component-private.h: what the registry does to its components
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-component.h"

G_BEGIN_DECLS

typedef struct _TlRegistry TlRegistry;

TlComponent        *tl_component_new            (TlRegistry         *registry,
                                                 const char         *name,
                                                 const char * const *domains,
                                                 const char         *description);
/* Called with the registry locked; return whether anything changed, so the
 * registry can emit notify once it has unlocked. */
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
