/* tl-lazy-string.h: text built only when a record is formatted
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
 * TlLazyStringFunc:
 * @user_data: the data given to tl_lazy_string_new()
 *
 * Builds the text of a #TlLazyString.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
typedef char *(*TlLazyStringFunc) (gpointer user_data);

/**
 * TlLazyString:
 *
 * torch's `LazyString`: a function and its data standing for a string
 * that is only built when it is used. Opaque.
 *
 * Since: 0.1
 */
typedef struct _TlLazyString TlLazyString;

#define TL_TYPE_LAZY_STRING (tl_lazy_string_get_type ())
TL_AVAILABLE_IN_ALL
GType          tl_lazy_string_get_type  (void) G_GNUC_CONST;
TL_AVAILABLE_IN_ALL
TlLazyString  *tl_lazy_string_new       (TlLazyStringFunc  func,
                                         gpointer          user_data,
                                         GDestroyNotify    destroy);
TL_AVAILABLE_IN_ALL
TlLazyString  *tl_lazy_string_ref       (TlLazyString     *lazy);
TL_AVAILABLE_IN_ALL
void           tl_lazy_string_unref     (TlLazyString     *lazy);
TL_AVAILABLE_IN_ALL
char          *tl_lazy_string_to_string (TlLazyString     *lazy);
TL_AVAILABLE_IN_ALL
const char    *tl_lazy_string_get       (TlLazyString     *lazy);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlLazyString, tl_lazy_string_unref)

G_END_DECLS
