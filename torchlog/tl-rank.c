/* tl-rank.c: the process's rank (RANK) and the rank filter (TORCH_LOGS_RANKS)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tl-once-private.h"
#include "tl-rank-private.h"
#include "tl-environment-private.h"
#include "tl-i18n-private.h"

/**
 * SECTION:tl-rank
 * @title: Ranks
 * @short_description: distributed ranks and TORCH_LOGS_RANKS
 *
 * In a distributed job every process has a rank. torchlog takes it from
 * the `RANK` environment variable, which `torchrun` sets, or from
 * tl_registry_set_rank(). A process with a rank prefixes each text line
 * with `[rank<N>]:`, adds `rank` to its structured trace records and puts
 * it in its trace file's name (`dedicated_log_torch_trace_rank_3_…log`).
 *
 * With many ranks, identical lines multiply. `TORCH_LOGS_RANKS` keeps the
 * text output of the listed ranks only: a comma-separated list of ranks
 * and inclusive ranges, such as `0` or `0,3-5` (torch issue 117383
 * asked for this; torch itself offers only torchrun's
 * `--local-ranks-filter`). It is read once, at the first record, like
 * torch's `TORCH_LOGS_TRACE_ID_FILTER`; tl_rank_filter_set() changes it
 * later. An invalid value is reported once and ignored.
 *
 * The filter applies to text records (stderr, `TORCH_LOGS_OUT`, the
 * journal) only: structured traces are per-rank files already, and a
 * #TlCapture still sees every record. A process without a rank is never
 * filtered.
 */

typedef struct {
  int first;
  int last;
} Range;

static GRWLock  filter_lock;
static GArray  *filter;          /* Range, sorted; NULL: every rank */
static char    *filter_text;

int tl_rank_filter_state = TL_RANK_FILTER_UNDECIDED;

static gboolean
parse_rank (const char *text, const char *end, int *rank)
{
  guint64 value = 0;

  if (text == end)
    return FALSE;
  for (const char *p = text; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXINT)
        return FALSE;
    }
  *rank = (int) value;
  return TRUE;
}

static int
compare_ranges (gconstpointer a, gconstpointer b)
{
  const Range *ra = a, *rb = b;

  return (ra->first > rb->first) - (ra->first < rb->first);
}

GArray *
tl_rank_filter_parse (const char  *ranks,
                      GError     **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_auto(GStrv) items = NULL;

  g_return_val_if_fail (ranks != NULL, NULL);

  items = g_strsplit (ranks, ",", -1);
  for (gsize i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *dash;
      Range range;

      /* Empty items are dropped, as in TORCH_LOGS_TRACE_ID_FILTER. */
      if (item[0] == '\0')
        continue;
      dash = strchr (item, '-');
      if (dash == NULL)
        {
          if (!parse_rank (item, item + strlen (item), &range.first))
            goto invalid;
          range.last = range.first;
        }
      else
        {
          g_autofree char *left = g_strstrip (g_strndup (item, dash - item));
          g_autofree char *right = g_strstrip (g_strdup (dash + 1));

          if (!parse_rank (left, left + strlen (left), &range.first) ||
              !parse_rank (right, right + strlen (right), &range.last) ||
              range.last < range.first)
            goto invalid;
        }
      g_array_append_val (ranges, range);
    }
  g_array_sort (ranges, compare_ranges);
  return g_steal_pointer (&ranges);

invalid:
  g_set_error (error, TL_ERROR, TL_ERROR_INVALID_VALUE,
               _("Invalid rank list “%s”: expected ranks and ranges such as 0,3-5"),
               ranks);
  return NULL;
}

/* Replaces the filter; @ranges NULL or empty means every rank. */
static void
install (GArray *ranges, const char *text)
{
  gboolean active = ranges != NULL && ranges->len > 0;

  g_rw_lock_writer_lock (&filter_lock);
  g_clear_pointer (&filter, g_array_unref);
  g_clear_pointer (&filter_text, g_free);
  if (active)
    {
      filter = g_array_ref (ranges);
      filter_text = g_strdup (text);
    }
  g_atomic_int_set (&tl_rank_filter_state, active ? TL_RANK_FILTER_ON : TL_RANK_FILTER_OFF);
  g_rw_lock_writer_unlock (&filter_lock);
}

/* Once per process: tl_once(), not g_once_init_enter(), see tl-once.c. */
static void
read_environment_once (void)
{
  const char *value;

  value = tl_environment_rank_filter ();
  if (value != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) ranges = tl_rank_filter_parse (value, &error);

      if (ranges != NULL)
        install (ranges, value);
      else
        {
          g_autofree char *line =
            g_strdup_printf (_("torchlog: TORCH_LOGS_RANKS: %s; logging from every rank\n"),
                             error->message);
          tl_output_warn (line);
          install (NULL, NULL);
        }
    }
  else
    install (NULL, NULL);
}

static void
read_environment (void)
{
  static TlOnce once;

  tl_once (&once, read_environment_once);
}

gboolean
tl_rank_filter_decide (void)
{
  read_environment ();
  return g_atomic_int_get (&tl_rank_filter_state) == TL_RANK_FILTER_ON;
}

/**
 * tl_rank_filter_set:
 * @ranks: (nullable): the ranks whose text records are printed, as in
 *   `TORCH_LOGS_RANKS` (`0,3-5`); %NULL or `""` for every rank
 * @error: return location for a #GError
 *
 * Sets the rank filter from code, replacing `TORCH_LOGS_RANKS`.
 *
 * Returns: %FALSE with %TL_ERROR_INVALID_VALUE if @ranks is not a valid
 *   list; the filter is then unchanged
 *
 * Since: 0.1
 */
gboolean
tl_rank_filter_set (const char  *ranks,
                    GError     **error)
{
  g_autoptr(GArray) ranges = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  read_environment ();
  if (ranks != NULL)
    {
      ranges = tl_rank_filter_parse (ranks, error);
      if (ranges == NULL)
        return FALSE;
    }
  install (ranges, ranks);
  return TRUE;
}

/**
 * tl_rank_filter_dup_string:
 *
 * Gets the rank filter as it was given.
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL when every
 *   rank prints
 *
 * Since: 0.1
 */
char *
tl_rank_filter_dup_string (void)
{
  char *text;

  read_environment ();
  g_rw_lock_reader_lock (&filter_lock);
  text = g_strdup (filter_text);
  g_rw_lock_reader_unlock (&filter_lock);
  return text;
}

/**
 * tl_rank_filter_keeps:
 * @rank: a rank, or -1 for a process without one
 *
 * Whether text records of a process of rank @rank are printed.
 *
 * Returns: %TRUE if @rank is listed, there is no filter, or @rank is -1
 *
 * Since: 0.1
 */
gboolean
tl_rank_filter_keeps (int rank)
{
  gboolean keeps = TRUE;

  if (rank < 0)
    return TRUE;
  if (!tl_rank_filter_is_on ())
    return TRUE;
  g_rw_lock_reader_lock (&filter_lock);
  if (filter != NULL)
    {
      keeps = FALSE;
      for (guint i = 0; i < filter->len && !keeps; i++)
        {
          const Range *range = &g_array_index (filter, Range, i);
          keeps = rank >= range->first && rank <= range->last;
        }
    }
  g_rw_lock_reader_unlock (&filter_lock);
  return keeps;
}

int
tl_rank_from_environment (void)
{
  static gint warned;   /* an atomic flag, not a GOnce: see tl-fork.c */
  const char *value = tl_environment_rank ();
  int rank;

  if (value == NULL)
    return -1;
  if (parse_rank (value, value + strlen (value), &rank))
    return rank;
  if (g_atomic_int_compare_and_exchange (&warned, 0, 1))
    {
      g_autofree char *line =
        g_strdup_printf (_("torchlog: RANK: invalid value “%s”: expected a rank such as 0; "
                           "logging without a rank\n"), value);
      tl_output_warn (line);
    }
  return -1;
}
