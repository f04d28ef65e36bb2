/* tl-warning-once.c: a warning printed once per domain and message
 *
 * torch caches `warning_once(logger, *args)` calls in an unbounded
 * lru_cache; the C equivalent is a set of (domain, formatted message)
 * keys, as the spec (§7.2) suggests.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-warning-once.h"
#include "tl-domain-callsite-private.h"

/**
 * SECTION:tl-warning-once
 * @title: Warnings printed once
 * @short_description: torch's `warning_once` for C
 *
 * tl_warning_once() logs a warning the first time a domain logs a given
 * message, and never again in the process: for deprecation notices and
 * other advice that would otherwise repeat in a loop. It is as cheap as
 * tl_warning() while warnings of the domain are off.
 * tl_warning_once_full() does the same for a message the caller has
 * already formatted, for bindings and for code that has no call site.
 *
 * |[<!-- language="C" -->
 * #define TL_LOG_DOMAIN "myapp.io"
 * #include <torchlog/torchlog.h>
 *
 * for (guint i = 0; i < n_files; i++)
 *   if (uses_old_format (files[i]))
 *     tl_warning_once ("the version 1 format is deprecated");
 * ]|
 */

static GMutex      seen_lock;
static GHashTable *seen;   /* "domain\x1fmessage", a set */

/* Records the pair; TRUE the first time. */
static gboolean
first_time (const char *domain, const char *message)
{
  char *key = g_strconcat (domain ? domain : "", "\x1f", message, NULL);
  gboolean added;

  g_mutex_lock (&seen_lock);
  if (seen == NULL)
    seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  added = g_hash_table_add (seen, key);
  g_mutex_unlock (&seen_lock);
  return added;
}

/**
 * tl_callsite_log_once: (skip)
 * @callsite: the call site
 * @level: the record's level
 * @file: the source file
 * @line: the line, as text
 * @func: (nullable): the function
 * @format: a printf()-style format
 * @...: its arguments
 *
 * What tl_warning_once() calls once the call site is enabled: formats the
 * message and logs it unless this domain already logged it.
 *
 * Since: 0.1
 */
void
tl_callsite_log_once (TlCallsite *callsite,
                      TlLevel     level,
                      const char *file,
                      const char *line,
                      const char *func,
                      const char *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (callsite != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (first_time (callsite->domain, message))
    tl_callsite_log (callsite, level, file, line, func, "%s", message);
}

/**
 * tl_warning_once_full:
 * @domain: the dotted domain to log to
 * @file: (nullable) (type filename): the caller's source file
 * @line: the caller's line, or 0
 * @func: (nullable): the caller's function
 * @message: the warning
 *
 * tl_warning_once() for a given domain and an already formatted message,
 * for language bindings.
 *
 * Returns: %TRUE if the warning was logged now, %FALSE if it is off or
 *   was logged before
 *
 * Since: 0.1
 */
gboolean
tl_warning_once_full (const char *domain,
                      const char *file,
                      int         line,
                      const char *func,
                      const char *message)
{
  TlCallsite *callsite;
  char line_text[16];

  g_return_val_if_fail (domain != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  callsite = tl_domain_callsite (domain);
  if (!tl_callsite_enabled (callsite, TL_LEVEL_WARNING))
    return FALSE;
  if (!first_time (callsite->domain, message))
    return FALSE;
  g_snprintf (line_text, sizeof line_text, "%d", MAX (line, 0));
  tl_callsite_log (callsite, TL_LEVEL_WARNING, file ? file : "<unknown>", line_text, func,
                   "%s", message);
  return TRUE;
}
