/* tl-level.c: TlLevel names and the mapping to and from GLib levels
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-level.h"
#include "tl-level-private.h"

/**
 * SECTION:tl-level
 * @title: TlLevel
 * @short_description: torch's log levels and their GLib equivalents
 *
 * torchlog keeps Python's level numbers so that every language speaks the
 * same numbers. GLib's #GLogLevelFlags do not map one to one: GLib's ERROR
 * level is fatal, and `G_DEBUG=fatal-warnings` (which every GTest program
 * sets) makes warnings and criticals fatal. The mapping is therefore:
 *
 * | GLib level, incoming | #TlLevel |
 * |---|---|
 * | %G_LOG_LEVEL_ERROR | %TL_LEVEL_CRITICAL |
 * | %G_LOG_LEVEL_CRITICAL | %TL_LEVEL_ERROR |
 * | %G_LOG_LEVEL_WARNING | %TL_LEVEL_WARNING |
 * | %G_LOG_LEVEL_MESSAGE, %G_LOG_LEVEL_INFO | %TL_LEVEL_INFO |
 * | %G_LOG_LEVEL_DEBUG | %TL_LEVEL_DEBUG |
 *
 * | #TlLevel, outgoing | GLib level | `PRIORITY` |
 * |---|---|---|
 * | %TL_LEVEL_DEBUG | %G_LOG_LEVEL_DEBUG | 7 |
 * | %TL_LEVEL_INFO | %G_LOG_LEVEL_INFO | 6 |
 * | %TL_LEVEL_WARNING | %G_LOG_LEVEL_WARNING | 4 |
 * | %TL_LEVEL_ERROR | %G_LOG_LEVEL_CRITICAL | 3 |
 * | %TL_LEVEL_CRITICAL | %G_LOG_LEVEL_CRITICAL | 2 |
 *
 * Records of torchlog's macros carry the `PRIORITY` field above, which
 * keeps ERROR and CRITICAL apart. When the application has not installed
 * torchlog's writer, those records are handed to GLib at
 * %G_LOG_LEVEL_MESSAGE instead, which GLib's default writer neither drops
 * nor treats as fatal: a record torchlog enabled is always printed and
 * never aborts the program.
 */

/**
 * tl_level_is_valid:
 * @value: a number
 *
 * Checks @value against torch's valid levels, 50, 40, 30, 20, 10 and 0.
 *
 * Returns: %TRUE if @value is one of the #TlLevel values
 *
 * Since: 0.1
 */
gboolean
tl_level_is_valid (int value)
{
  switch (value)
    {
    case TL_LEVEL_NOTSET:
    case TL_LEVEL_DEBUG:
    case TL_LEVEL_INFO:
    case TL_LEVEL_WARNING:
    case TL_LEVEL_ERROR:
    case TL_LEVEL_CRITICAL:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * tl_level_to_name:
 * @level: a #TlLevel
 *
 * Gets Python's name of @level, as `%(levelname)s` prints it.
 *
 * Returns: (transfer none): `"DEBUG"`, `"INFO"`, …, or `"Level N"` style
 *   text for other numbers, as Python prints them
 *
 * Since: 0.1
 */
const char *
tl_level_to_name (TlLevel level)
{
  char buf[TL_LEVEL_NAME_SIZE];
  const char *name = tl_level_format_name (level, buf);

  /* An unusual level's name is interned, so that the caller does not
   * have to free it: one string per distinct level a program asks about.
   * torchlog's own formatter uses tl_level_format_name() instead, so
   * records of many levels intern nothing. */
  return name == buf ? g_intern_string (buf) : name;
}

const char *
tl_level_format_name (TlLevel level,
                      char    buf[TL_LEVEL_NAME_SIZE])
{
  switch ((int) level)
    {
    case TL_LEVEL_NOTSET:   return "NOTSET";
    case TL_LEVEL_DEBUG:    return "DEBUG";
    case TL_LEVEL_INFO:     return "INFO";
    case TL_LEVEL_WARNING:  return "WARNING";
    case TL_LEVEL_ERROR:    return "ERROR";
    case TL_LEVEL_CRITICAL: return "CRITICAL";
    default:
      /* Python names unknown levels "Level N". */
      g_snprintf (buf, TL_LEVEL_NAME_SIZE, "Level %d", (int) level);
      return buf;
    }
}

/**
 * tl_level_to_letter:
 * @level: a #TlLevel
 *
 * Gets the glog letter torch prints at the start of a line: `V` for
 * DEBUG ("verbose"), `I`, `W`, `E` and `C`.
 *
 * Returns: the letter, or `'?'` for a number that is not a level
 *
 * Since: 0.1
 */
char
tl_level_to_letter (TlLevel level)
{
  switch ((int) level)
    {
    case TL_LEVEL_DEBUG:    return 'V';
    case TL_LEVEL_INFO:     return 'I';
    case TL_LEVEL_WARNING:  return 'W';
    case TL_LEVEL_ERROR:    return 'E';
    case TL_LEVEL_CRITICAL: return 'C';
    default:                return '?';
    }
}

/**
 * tl_level_from_glib:
 * @log_level: GLib log level flags
 *
 * Maps a GLib level to a #TlLevel by the table of this section.
 *
 * Returns: the #TlLevel of @log_level
 *
 * Since: 0.1
 */
TlLevel
tl_level_from_glib (GLogLevelFlags log_level)
{
  if (log_level & G_LOG_LEVEL_ERROR)
    return TL_LEVEL_CRITICAL;
  if (log_level & G_LOG_LEVEL_CRITICAL)
    return TL_LEVEL_ERROR;
  if (log_level & G_LOG_LEVEL_WARNING)
    return TL_LEVEL_WARNING;
  if (log_level & (G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO))
    return TL_LEVEL_INFO;
  return TL_LEVEL_DEBUG;
}

/**
 * tl_level_to_glib:
 * @level: a #TlLevel
 *
 * Maps a #TlLevel to the GLib level torchlog's macros use when torchlog's
 * writer is installed. Never %G_LOG_LEVEL_ERROR, which is fatal.
 *
 * Returns: a single GLib level flag
 *
 * Since: 0.1
 */
GLogLevelFlags
tl_level_to_glib (TlLevel level)
{
  if (level >= TL_LEVEL_ERROR)
    return G_LOG_LEVEL_CRITICAL;
  if (level >= TL_LEVEL_WARNING)
    return G_LOG_LEVEL_WARNING;
  if (level >= TL_LEVEL_INFO)
    return G_LOG_LEVEL_INFO;
  return G_LOG_LEVEL_DEBUG;
}

/**
 * tl_level_to_priority:
 * @level: a #TlLevel
 *
 * Gets the syslog priority, as the text of a `PRIORITY` field.
 *
 * Returns: (transfer none): `"7"` for DEBUG down to `"2"` for CRITICAL
 *
 * Since: 0.1
 */
const char *
tl_level_to_priority (TlLevel level)
{
  if (level >= TL_LEVEL_CRITICAL)
    return "2";
  if (level >= TL_LEVEL_ERROR)
    return "3";
  if (level >= TL_LEVEL_WARNING)
    return "4";
  if (level >= TL_LEVEL_INFO)
    return "6";
  return "7";
}

/**
 * tl_level_from_priority:
 * @priority: (nullable): the text of a `PRIORITY` field
 *
 * The inverse of tl_level_to_priority(); `"5"` (notice) counts as INFO,
 * `"0"` and `"1"` as CRITICAL.
 *
 * Returns: the #TlLevel, or %TL_LEVEL_NOTSET if @priority is not a digit
 *
 * Since: 0.1
 */
TlLevel
tl_level_from_priority (const char *priority)
{
  if (priority == NULL || priority[0] < '0' || priority[0] > '7' || priority[1] != '\0')
    return TL_LEVEL_NOTSET;
  switch (priority[0])
    {
    case '0': case '1': case '2': return TL_LEVEL_CRITICAL;
    case '3': return TL_LEVEL_ERROR;
    case '4': return TL_LEVEL_WARNING;
    case '5': case '6': return TL_LEVEL_INFO;
    default: return TL_LEVEL_DEBUG;
    }
}
