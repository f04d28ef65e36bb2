/* tl-output.c: where formatted lines go: stderr and TORCH_LOGS_OUT
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-output-private.h"
#include "tl-error.h"

TlOutput *
tl_output_new (void)
{
  TlOutput *output = g_new0 (TlOutput, 1);

  g_atomic_ref_count_init (&output->ref);
  output->file_fd = -1;
  return output;
}

/* The copy shares nothing with @output: its file is opened anew (by dup)
 * and its format compiled anew, so either can be freed first. */
TlOutput *
tl_output_copy (const TlOutput *output)
{
  TlOutput *copy = tl_output_new ();

  if (output->file_fd >= 0)
    {
      copy->file_fd = fcntl (output->file_fd, F_DUPFD_CLOEXEC, 3);
      copy->file_path = g_strdup (output->file_path);
    }
  if (output->format != NULL)
    copy->format = tl_format_new (tl_format_get_source (output->format), NULL);
  copy->trace_id_filter = g_strdupv (output->trace_id_filter);
  return copy;
}

TlOutput *
tl_output_ref (TlOutput *output)
{
  g_atomic_ref_count_inc (&output->ref);
  return output;
}

void
tl_output_unref (TlOutput *output)
{
  if (output == NULL || !g_atomic_ref_count_dec (&output->ref))
    return;
  if (output->file_fd >= 0)
    close (output->file_fd);
  g_free (output->file_path);
  tl_format_free (output->format);
  g_strfreev (output->trace_id_filter);
  g_free (output);
}

gboolean
tl_output_open_file (TlOutput    *output,
                     const char  *path,
                     GError     **error)
{
  int fd;

  if (output->file_fd >= 0)
    close (output->file_fd);
  output->file_fd = -1;
  g_clear_pointer (&output->file_path, g_free);
  if (path == NULL || path[0] == '\0')
    return TRUE;

  /* Appending, as torch's FileHandler does; O_APPEND also keeps whole
   * lines from several processes sharing the file from overlapping. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TL_ERROR, TL_ERROR_OUTPUT,
                   "Cannot open log file “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }
  output->file_fd = fd;
  output->file_path = g_strdup (path);
  return TRUE;
}

gboolean
tl_output_keeps_trace_id (const TlOutput *output,
                          const char     *trace_id)
{
  g_autofree char *bracketed = NULL;

  if (output->trace_id_filter == NULL)
    return TRUE;
  bracketed = g_strdup_printf ("[%s]", trace_id ? trace_id : "");
  return g_strv_contains ((const char * const *) output->trace_id_filter, bracketed);
}

/* One write() per record, retried on EINTR and partial writes, so lines
 * from different threads never interleave. */
static void
write_all (int fd, const char *text, gsize len)
{
  while (len > 0)
    {
      gssize written = write (fd, text, len);

      if (written < 0)
        {
          if (errno == EINTR || errno == EAGAIN)
            continue;
          return;
        }
      text += written;
      len -= written;
    }
}

void
tl_output_write (TlOutput   *output,
                 const char *text,
                 gsize       len)
{
  /* Whatever stderr is now, as torch's newest _StderrHandler does. */
  write_all (STDERR_FILENO, text, len);
  if (output->file_fd >= 0)
    write_all (output->file_fd, text, len);
}

void
tl_output_write_stderr (const char *text,
                        gsize       len)
{
  write_all (STDERR_FILENO, text, len);
}
