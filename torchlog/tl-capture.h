/* tl-capture.h: collecting the records a test's code logs
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
#include "tl-registry.h"

G_BEGIN_DECLS

/**
 * TlCapturedRecord:
 *
 * One record a #TlCapture collected. Opaque; read it with the
 * `tl_captured_record_get_*()` functions.
 *
 * Since: 0.1
 */
typedef struct _TlCapturedRecord TlCapturedRecord;

#define TL_TYPE_CAPTURED_RECORD (tl_captured_record_get_type ())
TL_AVAILABLE_IN_ALL
GType              tl_captured_record_get_type      (void) G_GNUC_CONST;
TL_AVAILABLE_IN_ALL
TlCapturedRecord  *tl_captured_record_ref           (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
void               tl_captured_record_unref         (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
TlLevel            tl_captured_record_get_level     (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_component (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_artifact  (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_logger    (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_message   (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_text      (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_trace_id  (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
int                tl_captured_record_get_rank      (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
const char        *tl_captured_record_get_file      (TlCapturedRecord *record);
TL_AVAILABLE_IN_ALL
int                tl_captured_record_get_line      (TlCapturedRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlCapturedRecord, tl_captured_record_unref)

/**
 * TL_TYPE_CAPTURE:
 *
 * The #GType of #TlCapture.
 *
 * Since: 0.1
 */
/**
 * TlCapture:
 *
 * Collects the records a #TlRegistry prints while it is active, for tests.
 * The structure is opaque; use the accessors and properties.
 *
 * Since: 0.1
 */
#define TL_TYPE_CAPTURE (tl_capture_get_type ())
TL_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (TlCapture, tl_capture, TL, CAPTURE, GObject)

TL_AVAILABLE_IN_ALL
TlCapture         *tl_capture_new                   (TlRegistry       *registry);
TL_AVAILABLE_IN_ALL
void               tl_capture_stop                  (TlCapture        *self);
TL_AVAILABLE_IN_ALL
gboolean           tl_capture_is_active             (TlCapture        *self);
TL_AVAILABLE_IN_ALL
void               tl_capture_set_quiet             (TlCapture        *self,
                                                     gboolean          quiet);
TL_AVAILABLE_IN_ALL
gboolean           tl_capture_get_quiet             (TlCapture        *self);
TL_AVAILABLE_IN_ALL
guint              tl_capture_get_n_records         (TlCapture        *self);
TL_AVAILABLE_IN_ALL
TlCapturedRecord  *tl_capture_get_record            (TlCapture        *self,
                                                     guint             index);
TL_AVAILABLE_IN_ALL
GPtrArray         *tl_capture_dup_records           (TlCapture        *self);
TL_AVAILABLE_IN_ALL
guint              tl_capture_count                 (TlCapture        *self,
                                                     const char       *component,
                                                     const char       *artifact);
TL_AVAILABLE_IN_ALL
guint              tl_capture_count_matching        (TlCapture        *self,
                                                     const char       *substring);
TL_AVAILABLE_IN_ALL
char              *tl_capture_dup_text              (TlCapture        *self);
TL_AVAILABLE_IN_ALL
void               tl_capture_clear                 (TlCapture        *self);

G_END_DECLS
