/* test-threads.c: lines from several threads never tear or get lost
 *
 * Issue 2: "Each line is written whole with one write(), so lines from
 * threads never interleave", and "4 threads writing at once with no torn
 * line". Four threads log numbered records at once into stderr and
 * TORCH_LOGS_OUT; every line must be whole, every record present once.
 * A second run reconfigures the registry while the threads log.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define TL_LOG_DOMAIN "threadtest.worker"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

#include "tl-test-child.h"

#define N_THREADS 4
#define N_RECORDS 2500

/* ---- child side ------------------------------------------------------------ */

static gint ready;
static gint go;
static gint workers_done;

/* The padding of record @seq: its length is a function of @seq, so a
 * torn or spliced line shows as a wrong length. */
static int
pad_length (int seq)
{
  return (seq * 37) % 700;
}

static void
wait_for_go (void)
{
  g_atomic_int_inc (&ready);
  while (!g_atomic_int_get (&go))
    g_thread_yield ();
}

static gpointer
writer_thread (gpointer data)
{
  int t = GPOINTER_TO_INT (data);
  g_autofree char *pad = g_strnfill (700, 'p');

  wait_for_go ();
  for (int seq = 0; seq < N_RECORDS; seq++)
    {
      int len = pad_length (seq);

      if (seq % 10 == 3)
        tl_info ("t=%d seq=%d pad=%.*s\nsecond t=%d seq=%d", t, seq, len, pad, t, seq);
      else if (seq % 7 == 5)
        tl_artifact ("thrart", TL_LEVEL_DEBUG, "t=%d seq=%d pad=%.*s", t, seq, len, pad);
      else if (seq % 2 == 0)
        tl_debug ("t=%d seq=%d pad=%.*s", t, seq, len, pad);
      else
        tl_warning ("t=%d seq=%d pad=%.*s", t, seq, len, pad);
    }
  g_atomic_int_inc (&workers_done);
  return NULL;
}

static TlRegistry *
child_setup (void)
{
  TlRegistry *registry = tl_registry_get_default ();
  const char *domains[] = { "threadtest", NULL };
  g_autoptr(GError) error = NULL;

  tl_registry_register_log (registry, "threads", domains, NULL);
  tl_registry_register_artifact (registry, "thrart", NULL, TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT, NULL);
  g_assert_true (tl_registry_init_logs (registry, &error));
  g_assert_no_error (error);
  tl_registry_install_writer (registry);
  return registry;
}

static void
child_four_writers (void)
{
  GThread *threads[N_THREADS];

  child_setup ();
  for (int t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("writer", writer_thread, GINT_TO_POINTER (t));
  while (g_atomic_int_get (&ready) < N_THREADS)
    g_thread_yield ();
  g_atomic_int_set (&go, 1);
  for (int t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
}

/* Every record is at ERROR (printed by every configuration below) or at
 * DEBUG (printed by some). */
static gpointer
mixed_thread (gpointer data)
{
  int t = GPOINTER_TO_INT (data);
  g_autofree char *pad = g_strnfill (700, 'p');

  wait_for_go ();
  for (int seq = 0; seq < N_RECORDS; seq++)
    {
      int len = pad_length (seq);

      if (seq % 2 == 0)
        tl_error ("t=%d seq=%d pad=%.*s", t, seq, len, pad);
      else if (seq % 3 == 0)
        tl_artifact ("thrart", TL_LEVEL_DEBUG, "t=%d seq=%d pad=%.*s", t, seq, len, pad);
      else
        tl_debug ("t=%d seq=%d pad=%.*s", t, seq, len, pad);
    }
  g_atomic_int_inc (&workers_done);
  return NULL;
}

static void
child_reconfigure_while_logging (void)
{
  static const char *settings[] = { "+threads", "threads", "-threads", "thrart", "+threads,thrart", "" };
  TlRegistry *registry = child_setup ();
  GThread *threads[N_THREADS];
  guint round = 0;

  for (int t = 0; t < N_THREADS; t++)
    threads[t] = g_thread_new ("mixed", mixed_thread, GINT_TO_POINTER (t));
  while (g_atomic_int_get (&ready) < N_THREADS)
    g_thread_yield ();
  g_atomic_int_set (&go, 1);

  while (g_atomic_int_get (&workers_done) < N_THREADS)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("late_artifact_%u", round);
      TlComponent *component = tl_registry_lookup_component (registry, "threads");

      switch (round % 4)
        {
        case 0:
          g_assert_true (tl_registry_parse_logs (registry, settings[round % G_N_ELEMENTS (settings)], &error));
          break;
        case 1:
          g_assert_true (tl_registry_set_logs (registry, &error, "threads", TL_LEVEL_DEBUG,
                                               "thrart", (round & 4) != 0, NULL));
          break;
        case 2:
          tl_component_set_level (component, (round & 4) ? TL_LEVEL_INFO : TL_LEVEL_ERROR);
          break;
        default:
          /* Registration while logging, too. */
          tl_registry_register_artifact (registry, name, NULL, 0, NULL);
          break;
        }
      g_assert_no_error (error);
      round++;
      g_usleep (50);
    }
  for (int t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  g_print ("ROUNDS=%u\n", round);
}

static const TlTestChildFunc child_funcs[] = {
  { "four-writers", child_four_writers },
  { "reconfigure", child_reconfigure_while_logging },
  { NULL, NULL },
};

/* ---- parent side ----------------------------------------------------------- */

#define LINE_PATTERN \
  "^[VIWEC]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{6} (\\d+) \\S+:\\d+\\]( \\[__thrart\\])? " \
  "(?:t=(\\d+) seq=(\\d+) pad=(p*)|second t=(\\d+) seq=(\\d+))$"

typedef struct {
  guint  records;          /* first lines seen */
  guint8 seen[N_THREADS][N_RECORDS];
} Tally;

/* Checks every line of @text; returns how each record was seen. */
static void
check_lines (const char *text, Tally *tally, GPtrArray *sorted_lines)
{
  static GRegex *regex;
  g_auto(GStrv) lines = tl_test_split_lines (text);
  int last_seq[N_THREADS];
  int pending_t = -1, pending_seq = -1;
  char *pending_prefix = NULL;

  if (regex == NULL)
    regex = g_regex_new (LINE_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
  memset (tally, 0, sizeof *tally);
  for (int t = 0; t < N_THREADS; t++)
    last_seq[t] = -1;

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *second_t = NULL;
      int start, end;

      if (!g_regex_match (regex, lines[i], 0, &match))
        g_error ("line %" G_GSIZE_FORMAT " is torn or foreign: “%.200s”", i, lines[i]);
      if (sorted_lines != NULL)
        g_ptr_array_add (sorted_lines, g_strdup (lines[i]));

      second_t = g_match_info_fetch (match, 6);
      if (second_t != NULL && second_t[0] != '\0')
        {
          g_autofree char *seq_text = g_match_info_fetch (match, 7);
          int t = (int) g_ascii_strtoll (second_t, NULL, 10);
          int seq = (int) g_ascii_strtoll (seq_text, NULL, 10);

          /* The second line of a record follows its first at once, with
           * the same prefix: one write per record. */
          g_assert_cmpint (t, ==, pending_t);
          g_assert_cmpint (seq, ==, pending_seq);
          g_match_info_fetch_pos (match, 6, &start, &end);
          g_assert_true (strncmp (lines[i], pending_prefix, start - strlen ("second t=")) == 0);
          pending_t = pending_seq = -1;
          g_clear_pointer (&pending_prefix, g_free);
          continue;
        }
      g_assert_cmpint (pending_t, ==, -1);   /* no first line left waiting */

      {
        g_autofree char *t_text = g_match_info_fetch (match, 3);
        g_autofree char *seq_text = g_match_info_fetch (match, 4);
        g_autofree char *pad = g_match_info_fetch (match, 5);
        int t = (int) g_ascii_strtoll (t_text, NULL, 10);
        int seq = (int) g_ascii_strtoll (seq_text, NULL, 10);

        g_assert_cmpint (t, >=, 0);
        g_assert_cmpint (t, <, N_THREADS);
        g_assert_cmpint (seq, >=, 0);
        g_assert_cmpint (seq, <, N_RECORDS);
        g_assert_cmpint (strlen (pad), ==, pad_length (seq));
        g_assert_cmpuint (tally->seen[t][seq], ==, 0);   /* never twice */
        /* One thread's records keep their order. */
        g_assert_cmpint (seq, >, last_seq[t]);
        last_seq[t] = seq;
        tally->seen[t][seq] = 1;
        tally->records++;
        if (seq % 10 == 3 && strstr (lines[i], "[__thrart]") == NULL && lines[i][0] == 'I')
          {
            pending_t = t;
            pending_seq = seq;
            g_match_info_fetch_pos (match, 3, &start, &end);
            pending_prefix = g_strndup (lines[i], start - strlen ("t="));
          }
      }
    }
  g_assert_cmpint (pending_t, ==, -1);
  g_free (pending_prefix);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
test_four_writers (void)
{
  g_autofree char *dir = g_dir_make_tmp ("torchlog-threads-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.log", NULL);
  g_autofree char *content = NULL;
  g_autoptr(GPtrArray) err_lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) file_lines = g_ptr_array_new_with_free_func (g_free);
  Tally *err_tally = g_new0 (Tally, 1), *file_tally = g_new0 (Tally, 1);
  TlTestChild child;

  tl_test_child_run (&child, "four-writers", "TORCH_LOGS", "+threads,thrart",
                     "TORCH_LOGS_OUT", path, NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);

  check_lines (child.err, err_tally, err_lines);
  g_assert_cmpuint (err_tally->records, ==, N_THREADS * N_RECORDS);

  g_assert_true (g_file_get_contents (path, &content, NULL, NULL));
  check_lines (content, file_tally, file_lines);
  g_assert_cmpuint (file_tally->records, ==, N_THREADS * N_RECORDS);

  /* The same lines in both, whatever order the threads won the writes in. */
  g_assert_cmpuint (err_lines->len, ==, file_lines->len);
  g_ptr_array_sort (err_lines, compare_strings);
  g_ptr_array_sort (file_lines, compare_strings);
  for (guint i = 0; i < err_lines->len; i++)
    g_assert_cmpstr (g_ptr_array_index (err_lines, i), ==, g_ptr_array_index (file_lines, i));

  g_free (err_tally);
  g_free (file_tally);
  tl_test_child_clear (&child);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_reconfigure_while_logging (void)
{
  g_autofree char *rounds = NULL;
  Tally *tally = g_new0 (Tally, 1);
  TlTestChild child;
  guint errors = 0;

  tl_test_child_run (&child, "reconfigure", NULL);
  g_assert_true (child.exited);
  g_assert_cmpint (child.exit_code, ==, 0);
  rounds = tl_test_child_value (&child, "ROUNDS");
  g_assert_nonnull (rounds);
  g_test_message ("%s configuration changes while logging", rounds);

  check_lines (child.err, tally, NULL);
  /* Every ERROR record is printed by every configuration used. */
  for (int t = 0; t < N_THREADS; t++)
    for (int seq = 0; seq < N_RECORDS; seq += 2)
      {
        g_assert_cmpuint (tally->seen[t][seq], ==, 1);
        errors++;
      }
  g_assert_cmpuint (tally->records, >=, errors);
  g_free (tally);
  tl_test_child_clear (&child);
}

int
main (int argc, char **argv)
{
  int child_status = tl_test_child_main (argc, argv, child_funcs);

  if (child_status >= 0)
    return child_status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/threads/four-writers-no-torn-or-lost-line", test_four_writers);
  g_test_add_func ("/threads/reconfigure-while-logging", test_reconfigure_while_logging);
  return g_test_run ();
}
