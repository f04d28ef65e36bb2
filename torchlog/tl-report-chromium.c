/* tl-report-chromium.c: chromium_events.json, written as it is read
 *
 * tlparse's chromium_events.json is a pretty-printed JSON array of the
 * trace's chromium_event payloads. Each event is written to the file as
 * its record is read, in the exact layout tl_report_json_append() gives a
 * whole array, so memory holds one event, never the array (which is the
 * largest output of a large trace). A job's page combines every rank's
 * events: each rank keeps its payloads in an unlinked temporary file,
 * read back one at a time when the job's file is written.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-report-chromium-private.h"
#include "tl-report-json-private.h"
#include "tl-report-spill-private.h"

gboolean
tl_report_chromium_open (TlReportChromium *events,
                         const char       *path,
                         gboolean          keep,
                         GError          **error)
{
  memset (events, 0, sizeof *events);
  events->path = g_strdup (path);
  events->buffer = g_string_new (NULL);
  if (keep && (events->kept = tl_report_spill_new (error)) == NULL)
    return FALSE;
  events->file = g_fopen (path, "we");
  if (events->file == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  events->failed = fputc ('[', events->file) == EOF;
  return TRUE;
}

/* One element of the array, as tl_report_json_append (pretty, indent 0)
 * writes it. */
static void
write_event (TlReportChromium *events,
             JsonNode         *event)
{
  GString *text = events->buffer;

  g_string_assign (text, events->count++ > 0 ? ",\n  " : "\n  ");
  tl_report_json_append (text, event, TRUE, 1);
  if (fwrite (text->str, 1, text->len, events->file) != text->len)
    events->failed = TRUE;
}

void
tl_report_chromium_add (TlReportChromium *events,
                        const char       *payload,
                        gsize             length)
{
  g_autoptr(JsonNode) event = tl_report_json_parse (payload, (gssize) length);

  if (event == NULL)
    return;
  write_event (events, event);
  if (events->kept != NULL &&
      (fwrite (&length, sizeof length, 1, events->kept) != 1 ||
       fwrite (payload, 1, length, events->kept) != length))
    events->failed = TRUE;
}

gboolean
tl_report_chromium_close (TlReportChromium *events,
                          GError          **error)
{
  FILE *file = g_steal_pointer (&events->file);
  gboolean failed = events->failed;

  failed |= fputs (events->count > 0 ? "\n]" : "]", file) == EOF;
  failed |= ferror (file) != 0;
  failed |= fclose (file) != 0;
  if (events->kept != NULL)
    failed |= fflush (events->kept) != 0 || fseek (events->kept, 0, SEEK_SET) != 0;
  if (failed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”"), events->path);
      return FALSE;
    }
  return TRUE;
}

void
tl_report_chromium_clear (TlReportChromium *events)
{
  if (events->file != NULL)
    fclose (events->file);
  if (events->kept != NULL)
    fclose (events->kept);
  g_free (events->path);
  if (events->buffer != NULL)
    g_string_free (events->buffer, TRUE);
  memset (events, 0, sizeof *events);
}

/* A copy of @source with pid = @rank: the rank's nodes are sealed. */
static JsonNode *
with_pid (JsonNode *source,
          guint     rank)
{
  JsonObject *copy, *original;
  g_autoptr(GList) members = NULL;
  JsonNode *event;

  if (!JSON_NODE_HOLDS_OBJECT (source))
    return json_node_ref (source);
  copy = json_object_new ();
  original = json_node_get_object (source);
  members = json_object_get_members (original);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data, json_node_copy (json_object_get_member (original, l->data)));
  json_object_set_int_member (copy, "pid", rank);
  event = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (event, copy);
  return event;
}

/* Reads the next kept payload into @payload; FALSE at the end. */
static gboolean
read_kept (FILE    *kept,
           GString *payload)
{
  gsize length;

  if (fread (&length, sizeof length, 1, kept) != 1)
    return FALSE;
  g_string_set_size (payload, length);
  return fread (payload->str, 1, length, kept) == length;
}

gboolean
tl_report_chromium_merge (const char  *path,
                          GArray      *ranks,
                          GPtrArray   *kept,
                          GError     **error)
{
  TlReportChromium events;
  g_autoptr(GString) payload = g_string_new (NULL);
  gboolean ok;

  if (!tl_report_chromium_open (&events, path, FALSE, error))
    {
      tl_report_chromium_clear (&events);
      return FALSE;
    }
  for (guint i = 0; i < kept->len; i++)
    {
      FILE *file = g_ptr_array_index (kept, i);

      while (file != NULL && read_kept (file, payload))
        {
          g_autoptr(JsonNode) source = tl_report_json_parse (payload->str, (gssize) payload->len);
          g_autoptr(JsonNode) event = NULL;

          if (source == NULL)
            continue;
          event = with_pid (source, g_array_index (ranks, guint, i));
          write_event (&events, event);
        }
      if (file != NULL && ferror (file))
        events.failed = TRUE;
    }
  ok = tl_report_chromium_close (&events, error);
  tl_report_chromium_clear (&events);
  return ok;
}
