/* tl-report-chromium-private.h: chromium_events.json, written as it is read
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <stdio.h>

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  FILE    *file;     /* chromium_events.json being written */
  char    *path;
  GString *buffer;   /* one event's text */
  guint    count;    /* events written */
  FILE    *kept;     /* the events' payloads for a job's page, or NULL */
  gboolean failed;
} TlReportChromium;

/* Starts @path's array; with @keep, the events are also kept (in an
 * unlinked temporary file, not in memory) for tl_report_chromium_merge(). */
gboolean tl_report_chromium_open  (TlReportChromium *events,
                                   const char       *path,
                                   gboolean          keep,
                                   GError          **error);
/* A chromium_event record's payload: written when it parses as JSON. */
void     tl_report_chromium_add   (TlReportChromium *events,
                                   const char       *payload,
                                   gsize             length);
/* Ends the array and closes the file; the kept events stay open (rewound). */
gboolean tl_report_chromium_close (TlReportChromium *events,
                                   GError          **error);
void     tl_report_chromium_clear (TlReportChromium *events);

/* A job's chromium_events.json at @path: the events @kept (FILE *, NULL
 * for none) of each of @ranks (guint, same order), with pid = rank. */
gboolean tl_report_chromium_merge (const char       *path,
                                   GArray           *ranks,
                                   GPtrArray        *kept,
                                   GError          **error);

G_END_DECLS
