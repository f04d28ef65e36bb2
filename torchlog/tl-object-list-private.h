/* tl-object-list-private.h: a GListModel that only ever grows
 *
 * The registry's lists of components and artifacts. GListStore keeps a
 * balanced tree and emits items-changed and notify::n-items on every
 * append, which registration cannot afford; this one is an array, and
 * signals only when someone listens.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TL_TYPE_OBJECT_LIST (tl_object_list_get_type ())
G_DECLARE_FINAL_TYPE (TlObjectList, tl_object_list, TL, OBJECT_LIST, GObject)

TlObjectList *tl_object_list_new    (GType         item_type);
void          tl_object_list_append (TlObjectList *self,
                                     gpointer      item);

G_END_DECLS
