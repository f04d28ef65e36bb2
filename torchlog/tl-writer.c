/* tl-writer.c: the GLogWriterFunc that applies a registry's configuration
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-artifact-private.h"

gboolean tl_writer_is_installed = FALSE;

typedef struct {
  const char *domain;
  const char *message;
  gssize      message_len;
  const char *file;
  const char *line;
  const char *func;
  const char *priority;
  const char *component;
  const char *artifact;
} Fields;

static void
collect_fields (const GLogField *fields, gsize n_fields, Fields *out)
{
  memset (out, 0, sizeof *out);
  out->message_len = -1;
  for (gsize i = 0; i < n_fields; i++)
    {
      const GLogField *field = &fields[i];
      const char *key = field->key;

      /* Binary values (length >= 0) are only meaningful for MESSAGE;
       * other fields must be strings to be used. */
      if (g_str_equal (key, "MESSAGE"))
        {
          out->message = field->value;
          out->message_len = field->length;
        }
      else if (field->length >= 0)
        continue;
      else if (g_str_equal (key, "GLIB_DOMAIN"))
        out->domain = field->value;
      else if (g_str_equal (key, "CODE_FILE"))
        out->file = field->value;
      else if (g_str_equal (key, "CODE_LINE"))
        out->line = field->value;
      else if (g_str_equal (key, "CODE_FUNC"))
        out->func = field->value;
      else if (g_str_equal (key, "PRIORITY"))
        out->priority = field->value;
      else if (g_str_equal (key, "TORCHLOG_COMPONENT"))
        out->component = field->value;
      else if (g_str_equal (key, "TORCHLOG_ARTIFACT"))
        out->artifact = field->value;
    }
}

/**
 * tl_registry_write:
 * @self: a #TlRegistry
 * @log_level: the record's GLib level
 * @fields: (array length=n_fields): the record's fields
 * @n_fields: the number of @fields
 *
 * Decides and prints one structured record, as torchlog's writer does:
 * records of domains at or below a registered log (or with a
 * `TORCHLOG_ARTIFACT` field) are filtered by the configuration and printed
 * in torch's format on stderr and `TORCH_LOGS_OUT`; every other record is
 * handed unchanged to g_log_writer_default(), so `G_MESSAGES_DEBUG` still
 * works for them. A record torchlog prints is never fatal.
 *
 * Returns: %G_LOG_WRITER_HANDLED, or what g_log_writer_default() returns
 *
 * Since: 0.1
 */
GLogWriterOutput
tl_registry_write (TlRegistry      *self,
                   GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields)
{
  g_autoptr(TlOutput) output = NULL;
  g_autoptr(GString) text = NULL;
  g_autofree char *module = NULL;
  g_autofree char *logger_name = NULL;
  const TlFormat *artifact_format = NULL;
  const char *domain, *artifact;
  Fields f;
  TlLevel level;
  guint threshold;
  int rank;

  g_return_val_if_fail (TL_IS_REGISTRY (self), G_LOG_WRITER_UNHANDLED);

  collect_fields (fields, n_fields, &f);
  if (f.domain == NULL)
    return g_log_writer_default (log_level, fields, n_fields, NULL);

  /* torchlog's own records carry their true level in PRIORITY (ERROR and
   * CRITICAL share one GLib level); others map by the GLib level. */
  level = f.component != NULL ? tl_level_from_priority (f.priority) : TL_LEVEL_NOTSET;
  if (level == TL_LEVEL_NOTSET)
    level = tl_level_from_glib (log_level);

  domain = f.domain;
  artifact = f.artifact;

  g_rw_lock_reader_lock (&self->lock);
  if (artifact == NULL)
    {
      const char *marker = g_strrstr (domain, ".__");
      if (marker != NULL && strchr (marker + 3, '.') == NULL &&
          tl_registry_lookup_artifact_locked (self, marker + 3) != NULL)
        {
          artifact = marker + 3;
          domain = module = g_strndup (domain, marker - domain);
        }
    }
  if (!tl_registry_has_registered_ancestor_locked (self, domain))
    {
      g_rw_lock_reader_unlock (&self->lock);
      return g_log_writer_default (log_level, fields, n_fields, NULL);
    }
  threshold = tl_registry_threshold_locked (self, domain, artifact);
  if ((guint) level < threshold)
    {
      g_rw_lock_reader_unlock (&self->lock);
      return G_LOG_WRITER_HANDLED;
    }
  if (artifact != NULL)
    {
      TlArtifact *registered = tl_registry_lookup_artifact_locked (self, artifact);
      /* Formats are kept alive by the registry until it is finalized. */
      if (registered != NULL)
        artifact_format = tl_artifact_peek_format (registered);
    }
  output = tl_output_ref (self->output);
  g_rw_lock_reader_unlock (&self->lock);

  rank = tl_registry_get_rank (self);
  logger_name = artifact ? g_strconcat (domain, ".__", artifact, NULL) : g_strdup (domain);
  text = g_string_sized_new (256);
  {
    TlRecord record = {
      .level = level,
      .logger_name = logger_name,
      .artifact = artifact,
      .message = f.message ? f.message : "",
      .message_len = f.message ? f.message_len : -1,
      .file = f.file,
      .line = f.line,
      .func = f.func,
      .time_us = g_get_real_time (),
      .rank = rank,
      .trace_id = NULL,
    };

    if (output->format != NULL)
      tl_format_append (output->format, &record, text);
    else if (artifact_format != NULL)
      tl_format_append (artifact_format, &record, text);
    else if (!tl_output_keeps_trace_id (output, record.trace_id))
      return G_LOG_WRITER_HANDLED;   /* dropped, not an empty line */
    else
      tl_format_glog (&record, text);
  }
  tl_output_write (output, text->str, text->len);
  return G_LOG_WRITER_HANDLED;
}

/**
 * tl_log_writer:
 * @log_level: the record's GLib level
 * @fields: (array length=n_fields): the record's fields
 * @n_fields: the number of @fields
 * @user_data: (nullable): a #TlRegistry, or %NULL for the default one
 *
 * A #GLogWriterFunc that calls tl_registry_write(). Applications may
 * chain it from a writer of their own; tl_registry_install_writer()
 * installs it directly.
 *
 * Returns: what tl_registry_write() returns
 *
 * Since: 0.1
 */
GLogWriterOutput
tl_log_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  TlRegistry *registry = user_data ? user_data : tl_registry_get_default ();

  return tl_registry_write (registry, log_level, fields, n_fields);
}

/**
 * tl_registry_install_writer:
 * @self: a #TlRegistry
 *
 * Installs tl_log_writer() for @self as the process's GLib log writer
 * (g_log_set_writer_func()). Only applications may call it, once; a
 * library never does. Later calls print a warning and do nothing.
 *
 * Until it is called, records torchlog's macros enable are handed to the
 * application's writer at %G_LOG_LEVEL_MESSAGE, so GLib's default writer
 * prints them in its own format rather than dropping them.
 *
 * Since: 0.1
 */
void
tl_registry_install_writer (TlRegistry *self)
{
  static gsize installed = 0;

  g_return_if_fail (TL_IS_REGISTRY (self));

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (tl_log_writer, g_object_ref (self), g_object_unref);
      g_atomic_int_set (&tl_writer_is_installed, TRUE);
      g_once_init_leave (&installed, 1);
      return;
    }
  tl_registry_emit_internal (self, TL_LEVEL_WARNING,
                             "tl_registry_install_writer() called more than once; "
                             "keeping the first writer");
}
