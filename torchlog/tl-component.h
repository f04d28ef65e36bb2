/* tl-component.h: TlComponent, a registered log (torch's "log" alias)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib-object.h>
#include "tl-version-macros.h"
#include "tl-level.h"

G_BEGIN_DECLS

/**
 * TL_TYPE_COMPONENT:
 *
 * The #GType of #TlComponent.
 *
 * Since: 0.1
 */
/**
 * TlComponent:
 *
 * A log (torch's name for a component) registered in a #TlRegistry: a
 * short name with a level, covering one or more domains. The structure is
 * opaque; use the accessors and properties.
 *
 * Since: 0.1
 */
#define TL_TYPE_COMPONENT (tl_component_get_type ())
TL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TlComponent, tl_component, TL, COMPONENT, GObject)

TL_AVAILABLE_IN_ALL
const char         *tl_component_get_name        (TlComponent *self);
TL_AVAILABLE_IN_ALL
const char         *tl_component_get_description (TlComponent *self);
TL_AVAILABLE_IN_ALL
char              **tl_component_dup_domains     (TlComponent *self);
TL_AVAILABLE_IN_ALL
TlLevel             tl_component_get_level       (TlComponent *self);
TL_AVAILABLE_IN_ALL
void                tl_component_set_level       (TlComponent *self,
                                                  TlLevel      level);

G_END_DECLS
