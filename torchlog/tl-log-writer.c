/* tl-log-writer.c: the writer's public face: GLib's GLogWriterFunc and
 * the TlRegistry methods that write through it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-registry-private.h"
#include "tl-writer-private.h"
#include "tl-i18n-private.h"

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
 * works for them. A record torchlog prints is never fatal. A record with
 * a `TORCHLOG_DECIDED` field (any string value) is printed as
 * tl_registry_print_record() prints it, without the level filter.
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
  g_return_val_if_fail (TL_IS_REGISTRY (self), G_LOG_WRITER_UNHANDLED);

  return tl_writer_write_fields (tl_registry_get_plan_slot (self), log_level, fields, n_fields);
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

/* The fields tl_registry_write_record() and tl_registry_print_record()
 * send: those of the logging macros' records. */
static void
write_record (TlRegistry *self,
              const char *domain,
              TlLevel     level,
              const char *message,
              const char *file,
              int         line,
              const char *func,
              gboolean    decided)
{
  char line_text[G_ASCII_DTOSTR_BUF_SIZE];
  GLogField fields[8];
  gsize n = 0;

  g_snprintf (line_text, sizeof line_text, "%d", line);

#define ADD_FIELD(k, v) G_STMT_START { fields[n].key = (k); fields[n].value = (v); fields[n].length = -1; n++; } G_STMT_END
  ADD_FIELD ("GLIB_DOMAIN", domain);
  ADD_FIELD ("PRIORITY", tl_level_to_priority (level));
  ADD_FIELD ("MESSAGE", message);
  if (file != NULL)
    ADD_FIELD ("CODE_FILE", file);
  if (line > 0)
    ADD_FIELD ("CODE_LINE", line_text);
  if (func != NULL)
    ADD_FIELD ("CODE_FUNC", func);
  /* Marks the record as torchlog's, so PRIORITY gives its true level;
   * the writer fills in the log that owns the domain. */
  ADD_FIELD ("TORCHLOG_COMPONENT", "");
  if (decided)
    ADD_FIELD ("TORCHLOG_DECIDED", "");
#undef ADD_FIELD

  tl_writer_write_fields (tl_registry_get_plan_slot (self), tl_level_to_glib (level), fields, n);
}

/**
 * tl_registry_write_record:
 * @self: a #TlRegistry
 * @domain: the dotted domain (logger name) of the record, possibly an
 *   artifact logger such as `torch._dynamo.__guards`
 * @level: the record's level
 * @message: the message, already formatted; every line of it is prefixed
 * @file: (nullable) (type filename): the source file, printed as given
 * @line: the line in @file, or 0 if unknown
 * @func: (nullable): the function
 *
 * Decides and prints one record exactly as tl_registry_write() does for
 * a record of the logging macros: the same filter, the same format and
 * the same outputs. It is how a language binding sends its own logging
 * records (Python's `logging`, for instance) into the stream of the C
 * records, so that a mixed program writes one consistent stream.
 *
 * Since: 0.1
 */
void
tl_registry_write_record (TlRegistry *self,
                          const char *domain,
                          TlLevel     level,
                          const char *message,
                          const char *file,
                          int         line,
                          const char *func)
{
  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (domain != NULL);
  g_return_if_fail (message != NULL);

  write_record (self, domain, level, message, file, line, func, FALSE);
}

/**
 * tl_registry_print_record:
 * @self: a #TlRegistry
 * @domain: the dotted domain (logger name) of the record, possibly an
 *   artifact logger such as `torch._dynamo.__guards`
 * @level: the record's level
 * @message: the message, already formatted; every line of it is prefixed
 * @file: (nullable) (type filename): the source file, printed as given
 * @line: the line in @file, or 0 if unknown
 * @func: (nullable): the function
 *
 * Prints one record that its caller has already decided to print, in
 * the format and to the outputs of tl_registry_write_record(), without
 * the registry's level filter: the caller's own levels decided. It is
 * what a handler of Python's `logging` calls, since there a level a user
 * sets on a logger (`logging.getLogger("torch._dynamo").setLevel(...)`)
 * wins over the registry's until the next change, as in torch. The rank
 * and trace-id filters and the attached captures still apply.
 *
 * Since: 0.1
 */
void
tl_registry_print_record (TlRegistry *self,
                          const char *domain,
                          TlLevel     level,
                          const char *message,
                          const char *file,
                          int         line,
                          const char *func)
{
  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (domain != NULL);
  g_return_if_fail (message != NULL);

  write_record (self, domain, level, message, file, line, func, TRUE);
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
  /* An atomic flag, not g_once_init_enter(): see tl-fork.c. */
  static gint installed = 0;

  g_return_if_fail (TL_IS_REGISTRY (self));

  if (g_atomic_int_compare_and_exchange (&installed, 0, 1))
    {
      g_log_set_writer_func (tl_log_writer, g_object_ref (self), g_object_unref);
      tl_writer_install (tl_registry_get_plan_slot (self));
      return;
    }
  tl_registry_warn (self, TL_LEVEL_WARNING,
                    _("tl_registry_install_writer() called more than once; "
                      "keeping the first writer"));
}

/**
 * tl_registry_flush:
 * @self: a #TlRegistry
 *
 * Writes out the lines torchlog holds in its buffers for `TORCH_LOGS_OUT`
 * files (stderr is never buffered). Lines reach their file without it: at
 * most 100 ms after they were logged, when the program exits, before a
 * record at ERROR or above and before fork(). Call it before execve() or
 * _exit(), which skip the flush at exit, or to read the file back at once.
 *
 * Since: 0.1
 */
void
tl_registry_flush (TlRegistry *self)
{
  g_return_if_fail (TL_IS_REGISTRY (self));

  /* Every file, not only @self's: lines an older output of @self still
   * holds, or another registry's, would otherwise surprise the caller. */
  tl_output_flush_all ();
}
