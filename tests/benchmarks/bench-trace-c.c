/* bench-trace-c.c: one structured record with a 10 KB payload, from C
 *
 * Run by bench-trace.py, which measures torch's own algorithm in Python in
 * the same run: this program prints the median nanoseconds per record of
 * tl_trace_structured_checked() (metadata object, 10 KB of generated-code
 * lines, written to a TORCH_TRACE file in a temporary directory).
 * Usage: bench-trace-c N REPS
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <torchlog/torchlog.h>

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  gint64 n = argc > 1 ? g_ascii_strtoll (argv[1], NULL, 10) : 2000;
  int reps = argc > 2 ? atoi (argv[2]) : 5;
  g_autofree char *dir = g_dir_make_tmp ("tl-bench-trace-XXXXXX", NULL);
  g_autofree char *path = NULL;
  GString *payload = g_string_new (NULL);
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) metadata = json_node_new (JSON_NODE_OBJECT);
  double *times = g_new (double, reps);

  for (int i = 0; payload->len < 10 * 1024; i++)
    g_string_append_printf (payload, "    buf%d = torch.ops.aten.mm.default(arg%d_1, arg%d_2)\n",
                            i, i, i + 1);
  json_object_set_string_member (object, "filename", "/tmp/torchinductor/xy/cxyz.py");
  json_object_set_int_member (object, "graph_id", 7);
  json_node_take_object (metadata, object);

  tl_trace_set_directory (dir);
  for (int r = 0; r < reps; r++)
    {
      gint64 start = g_get_monotonic_time ();

      for (gint64 i = 0; i < n; i++)
        tl_trace_structured_checked (__FILE__, __LINE__, G_STRFUNC, "inductor_output_code",
                                     metadata, TL_TRACE_FLAGS_NONE, NULL, payload->str,
                                     payload->len, NULL);
      times[r] = (g_get_monotonic_time () - start) * 1000.0 / n;
    }
  qsort (times, reps, sizeof *times, compare);
  printf ("%.1f\n", times[reps / 2]);

  path = tl_trace_dup_path ();
  if (path != NULL)
    g_remove (path);
  tl_trace_set_directory (NULL);
  g_rmdir (dir);
  g_string_free (payload, TRUE);
  g_free (times);
  return 0;
}
