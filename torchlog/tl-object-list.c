/* tl-object-list.c: see tl-object-list-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-object-list-private.h"

struct _TlObjectList
{
  GObject    parent_instance;
  GType      item_type;
  GPtrArray *items;
};

static void tl_object_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TlObjectList, tl_object_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tl_object_list_model_init))

static guint
items_changed_signal (void)
{
  /* Looked up again by a thread that races the first: no GOnce, see
   * tl-fork.c. */
  static guint id = 0;
  guint found = g_atomic_int_get (&id);

  if (found == 0)
    {
      found = g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL);
      g_atomic_int_set (&id, found);
    }
  return found;
}

static GType
tl_object_list_get_item_type (GListModel *model)
{
  return TL_OBJECT_LIST (model)->item_type;
}

static guint
tl_object_list_get_n_items (GListModel *model)
{
  return TL_OBJECT_LIST (model)->items->len;
}

static gpointer
tl_object_list_get_item (GListModel *model,
                         guint       position)
{
  TlObjectList *self = TL_OBJECT_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
tl_object_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tl_object_list_get_item_type;
  iface->get_n_items = tl_object_list_get_n_items;
  iface->get_item = tl_object_list_get_item;
}

static void
tl_object_list_finalize (GObject *object)
{
  TlObjectList *self = TL_OBJECT_LIST (object);

  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (tl_object_list_parent_class)->finalize (object);
}

static void
tl_object_list_class_init (TlObjectListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tl_object_list_finalize;
}

static void
tl_object_list_init (TlObjectList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

TlObjectList *
tl_object_list_new (GType item_type)
{
  TlObjectList *self = g_object_new (TL_TYPE_OBJECT_LIST, NULL);

  self->item_type = item_type;
  return self;
}

void
tl_object_list_append (TlObjectList *self,
                       gpointer      item)
{
  g_return_if_fail (TL_IS_OBJECT_LIST (self));
  g_return_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (item, self->item_type));

  g_ptr_array_add (self->items, g_object_ref (item));
  /* Nobody to tell, nothing to pay: most programs never watch the list. */
  if (g_signal_has_handler_pending (self, items_changed_signal (), 0, FALSE))
    g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}
