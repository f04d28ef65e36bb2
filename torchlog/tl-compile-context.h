/* tl-compile-context.h: the compile id and attempt records are logged under
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
 * TlCompileId:
 * @compiled_autograd_id: the compiled-autograd id, or -1 for none
 * @frame_id: the frame's id, or -1 for none
 * @frame_compile_id: the how-many-th compilation of the frame this is,
 *   or -1 for none
 *
 * torch's `CompileId`: which compilation a record belongs to. Either
 * @frame_id and @frame_compile_id are both set, or both are -1 and
 * @compiled_autograd_id is set.
 *
 * Since: 0.1
 */
typedef struct {
  int compiled_autograd_id;
  int frame_id;
  int frame_compile_id;
} TlCompileId;

/**
 * TL_COMPILE_ID_INIT:
 *
 * Initializer of a #TlCompileId with no id set.
 *
 * Since: 0.1
 */
#define TL_COMPILE_ID_INIT { -1, -1, -1 }

#define TL_TYPE_COMPILE_ID (tl_compile_id_get_type ())
TL_AVAILABLE_IN_ALL
GType         tl_compile_id_get_type           (void) G_GNUC_CONST;
TL_AVAILABLE_IN_ALL
TlCompileId  *tl_compile_id_new                (int                frame_id,
                                                int                frame_compile_id,
                                                int                compiled_autograd_id);
TL_AVAILABLE_IN_ALL
TlCompileId  *tl_compile_id_copy               (const TlCompileId *id);
TL_AVAILABLE_IN_ALL
void          tl_compile_id_free               (TlCompileId       *id);
TL_AVAILABLE_IN_ALL
gboolean      tl_compile_id_is_valid           (const TlCompileId *id);
TL_AVAILABLE_IN_ALL
char         *tl_compile_id_to_string          (const TlCompileId *id);
TL_AVAILABLE_IN_ALL
char         *tl_compile_id_to_trace_id        (const TlCompileId *id,
                                                int                attempt);

/**
 * TlCompileContext:
 *
 * A compile context pushed on the calling thread with
 * tl_compile_context_push(). Opaque.
 *
 * Since: 0.1
 */
typedef struct _TlCompileContext TlCompileContext;

#define TL_TYPE_COMPILE_CONTEXT (tl_compile_context_get_type ())
TL_AVAILABLE_IN_ALL
GType         tl_compile_context_get_type      (void) G_GNUC_CONST;
TL_AVAILABLE_IN_ALL
TlCompileContext *tl_compile_context_push      (const TlCompileId *id);
TL_AVAILABLE_IN_ALL
void          tl_compile_context_pop           (TlCompileContext  *context);
TL_AVAILABLE_IN_ALL
void          tl_compile_context_set_attempt   (TlCompileContext  *context,
                                                int                attempt);
TL_AVAILABLE_IN_ALL
int           tl_compile_context_get_attempt   (TlCompileContext  *context);
TL_AVAILABLE_IN_ALL
gboolean      tl_compile_context_get_current   (TlCompileId       *id,
                                                int               *attempt);
TL_AVAILABLE_IN_ALL
char         *tl_compile_context_dup_trace_id  (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlCompileContext, tl_compile_context_pop)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlCompileId, tl_compile_id_free)

G_END_DECLS
