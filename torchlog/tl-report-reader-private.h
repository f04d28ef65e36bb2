/* tl-report-reader-private.h: reads a structured trace by tlparse's rules
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* tlparse's Stats (types.rs), counted the same way. */
typedef struct {
  guint64 ok;
  guint64 other_rank;
  guint64 fail_glog;
  guint64 fail_json;
  guint64 fail_payload_md5;
  guint64 fail_dynamo_guards_json;
  guint64 fail_parser;
  guint64 fail_key_conflict;
  guint64 fail_json_serialization;
  guint64 unknown;
} TlReportStats;

/* Whether --strict fails: the counters tlparse's strict mode checks. */
gboolean tl_report_stats_failed  (const TlReportStats *stats);
/* tlparse's Stats display: "ok: 14, fail_json: 1" (nonzero ones only). */
char    *tl_report_stats_to_string (const TlReportStats *stats);

typedef enum {
  TL_REPORT_RECORD_OK,         /* passed every check: render it */
  TL_REPORT_RECORD_RAW_ONLY,   /* failed (typed envelope, other rank): raw.jsonl only */
} TlReportRecordKind;

/* One record, valid during the callback. */
typedef struct {
  gsize        lineno;       /* 1-based line of the envelope */
  /* the glog prefix */
  guint        month, day, hour, minute, second, microsecond;
  guint64      thread;
  const char  *pathname;     /* as tlparse captures it (with its leading space) */
  guint64      line;
  /* the envelope: its text, and the object when it parsed as one */
  const char  *envelope_text;
  JsonObject  *envelope;
  /* the payload (tab-stripped lines joined with '\n'), when has_payload */
  const char  *payload;
  gsize        payload_length;
  const char  *payload_hash; /* has_payload's value, or NULL */
} TlReportRecord;

typedef void (*TlReportRecordFunc)   (const TlReportRecord *record,
                                      TlReportRecordKind    kind,
                                      gpointer              user_data);
/* Called for each `str` record: the intern table's new entry. */
typedef void (*TlReportInternFunc)   (guint                 id,
                                      const char           *string,
                                      gpointer              user_data);
typedef void (*TlReportProgressStep) (guint64               done,
                                      gpointer              user_data);

/* Reads @path line by line (never all at once) and calls @record for each
 * record. Fills @stats and @unknown_fields (a set of names). FALSE with
 * @error only when the file cannot be read. */
gboolean tl_report_read (const char           *path,
                         TlReportStats        *stats,
                         GHashTable           *unknown_fields,
                         TlReportInternFunc    intern,
                         TlReportRecordFunc    record,
                         TlReportProgressStep  progress,
                         gpointer              user_data,
                         GError              **error);

G_END_DECLS
