/* tl-report-spill.c: unlinked temporary files for what a report writes last
 *
 * Some outputs can only be written once the whole trace is read:
 * raw.jsonl begins with the string table, and a job's
 * chromium_events.json gathers every rank's events. Rather than holding
 * their text in memory (megabytes for a large trace), it goes to an
 * unlinked temporary file as it is read, and is copied out at the end
 * through a fixed buffer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-report-spill-private.h"

FILE *
tl_report_spill_new (GError **error)
{
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("torchlog-report-XXXXXX", &path, error);
  FILE *file;

  if (fd < 0)
    return NULL;
  g_unlink (path);
  file = fdopen (fd, "w+");
  if (file == NULL)
    {
      int saved_errno = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
    }
  return file;
}

gboolean
tl_report_spill_copy (FILE *in,
                      FILE *out)
{
  char buffer[65536];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, in)) > 0)
    if (fwrite (buffer, 1, n, out) != n)
      return FALSE;
  return !ferror (in);
}
