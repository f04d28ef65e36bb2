/* tl-journal.c: records to the systemd journal, with torchlog's fields
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tl-once-private.h"
#include "tl-journal-private.h"
#include "tl-environment-private.h"
#include "tl-i18n-private.h"

/**
 * SECTION:tl-journal
 * @title: The journal
 * @short_description: systemd journal fields for each record
 *
 * When torchlog's writer prints a record and stderr is connected to the
 * systemd journal (as it is for a service), the record is sent to the
 * journal as a structured entry instead of a line of text, with these
 * fields besides `MESSAGE` and `PRIORITY`:
 *
 * - `TORCHLOG_COMPONENT`: the log (`dynamo`), so that
 *   `journalctl TORCHLOG_COMPONENT=dynamo` selects one component;
 * - `TORCHLOG_ARTIFACT`: the artifact (`guards`), for artifact records;
 * - `TORCHLOG_RANK`: the process's rank, when it has one;
 * - `TORCHLOG_TRACE_ID`: the compile context's trace id (`0/0`);
 * - `TORCHLOG_LOGGER`: torch's logger name (`torch._dynamo.__guards`);
 * - `CODE_FILE`, `CODE_LINE`, `CODE_FUNC` and `GLIB_DOMAIN`.
 *
 * tl_journal_set_mode() or the environment variable `TORCHLOG_JOURNAL`
 * (`auto`, `always` or `never`) choose otherwise. `TORCH_LOGS_OUT` still
 * gets its text lines; the rank and trace-id filters apply as for
 * stderr. If the journal cannot be reached, the line goes to stderr.
 */

static int   journal_mode = TL_JOURNAL_MODE_AUTO;

int tl_journal_state = TL_JOURNAL_UNDECIDED;

static void
apply (TlJournalMode mode)
{
  gboolean active = mode == TL_JOURNAL_MODE_ALWAYS ||
                    (mode == TL_JOURNAL_MODE_AUTO && g_log_writer_is_journald (STDERR_FILENO));

  g_atomic_int_set (&journal_mode, mode);
  g_atomic_int_set (&tl_journal_state, active ? TL_JOURNAL_ON : TL_JOURNAL_OFF);
}

/* Once per process: tl_once(), not g_once_init_enter(), see tl-once.c. */
static void
read_environment_once (void)
{
  const char *value = tl_environment_journal ();
  TlJournalMode mode = TL_JOURNAL_MODE_AUTO;

  if (value == NULL || g_ascii_strcasecmp (value, "auto") == 0)
    mode = TL_JOURNAL_MODE_AUTO;
  else if (g_ascii_strcasecmp (value, "always") == 0)
    mode = TL_JOURNAL_MODE_ALWAYS;
  else if (g_ascii_strcasecmp (value, "never") == 0)
    mode = TL_JOURNAL_MODE_NEVER;
  else
    {
      g_autofree char *line =
        g_strdup_printf (_("torchlog: TORCHLOG_JOURNAL: invalid value “%s”: expected "
                           "auto, always or never; using auto\n"), value);
      tl_output_warn (line);
    }
  apply (mode);
}

static void
read_environment (void)
{
  static TlOnce once;

  tl_once (&once, read_environment_once);
}


/**
 * tl_journal_set_mode:
 * @mode: where records go
 *
 * Chooses whether the records torchlog prints go to the journal. With
 * %TL_JOURNAL_MODE_AUTO, whether stderr is connected to the journal is
 * checked now, and not again until the next call: a program that
 * redirects stderr later calls this again.
 *
 * Since: 0.1
 */
void
tl_journal_set_mode (TlJournalMode mode)
{
  g_return_if_fail (mode == TL_JOURNAL_MODE_AUTO || mode == TL_JOURNAL_MODE_ALWAYS ||
                    mode == TL_JOURNAL_MODE_NEVER);

  read_environment ();
  apply (mode);
}

/**
 * tl_journal_get_mode:
 *
 * Gets the mode set with tl_journal_set_mode() or `TORCHLOG_JOURNAL`.
 *
 * Returns: the mode
 *
 * Since: 0.1
 */
TlJournalMode
tl_journal_get_mode (void)
{
  read_environment ();
  return g_atomic_int_get (&journal_mode);
}

/**
 * tl_journal_is_active:
 *
 * Whether printed records are sent to the journal now.
 *
 * Returns: %TRUE if they are
 *
 * Since: 0.1
 */
gboolean
tl_journal_is_active (void)
{
  return tl_journal_is_on ();
}

gboolean
tl_journal_decide (void)
{
  read_environment ();
  return g_atomic_int_get (&tl_journal_state) == TL_JOURNAL_ON;
}

static gboolean
is_replaced_key (const char *key)
{
  return g_str_has_prefix (key, "TORCHLOG_");
}

static gboolean
has_field (const GLogField *fields, gsize n_fields, const char *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, key))
      return TRUE;
  return FALSE;
}

gboolean
tl_journal_write (const TlRecord *record)
{
  const GLogField *fields = record->fields;
  gsize n_fields = record->n_fields;
  const char *component = record->component ? record->component : "";
  g_autofree GLogField *out = NULL;
  g_autofree char *domain = NULL;
  char rank[16];
  gsize n = 0;

  out = g_new (GLogField, n_fields + 13);

#define ADD_FIELD(k, v) G_STMT_START { out[n].key = (k); out[n].value = (v); out[n].length = -1; n++; } G_STMT_END
  /* The record's own fields, but torchlog's are written fresh below. */
  for (gsize i = 0; i < n_fields; i++)
    if (!is_replaced_key (fields[i].key))
      out[n++] = fields[i];
  /* The macros' records come without fields: rebuild the usual ones. */
  if (!has_field (fields, n_fields, "GLIB_DOMAIN") && record->logger_name != NULL)
    {
      gsize len = strlen (record->logger_name);

      if (record->artifact != NULL && len > strlen (record->artifact) + 3)
        len -= strlen (record->artifact) + 3;   /* `module.__artifact` */
      domain = g_strndup (record->logger_name, len);
      ADD_FIELD ("GLIB_DOMAIN", domain);
    }
  if (!has_field (fields, n_fields, "MESSAGE"))
    {
      out[n].key = "MESSAGE";
      out[n].value = record->message ? record->message : "";
      out[n].length = record->message ? record->message_len : -1;
      n++;
    }
  if (!has_field (fields, n_fields, "PRIORITY"))
    ADD_FIELD ("PRIORITY", tl_level_to_priority (record->level));
  if (!has_field (fields, n_fields, "CODE_FILE") && record->file != NULL)
    ADD_FIELD ("CODE_FILE", record->file);
  if (!has_field (fields, n_fields, "CODE_LINE") && record->line != NULL)
    ADD_FIELD ("CODE_LINE", record->line);
  if (!has_field (fields, n_fields, "CODE_FUNC") && record->func != NULL)
    ADD_FIELD ("CODE_FUNC", record->func);
  if (!has_field (fields, n_fields, "SYSLOG_IDENTIFIER") && g_get_prgname () != NULL)
    ADD_FIELD ("SYSLOG_IDENTIFIER", g_get_prgname ());

  ADD_FIELD ("TORCHLOG_COMPONENT", component);
  if (record->artifact != NULL)
    ADD_FIELD ("TORCHLOG_ARTIFACT", record->artifact);
  if (record->rank >= 0)
    {
      g_snprintf (rank, sizeof rank, "%d", record->rank);
      ADD_FIELD ("TORCHLOG_RANK", rank);
    }
  if (record->trace_id != NULL)
    ADD_FIELD ("TORCHLOG_TRACE_ID", record->trace_id);
  if (record->logger_name != NULL)
    ADD_FIELD ("TORCHLOG_LOGGER", record->logger_name);
#undef ADD_FIELD

  return g_log_writer_journald (tl_level_to_glib (record->level), out, n, NULL) == G_LOG_WRITER_HANDLED;
}
