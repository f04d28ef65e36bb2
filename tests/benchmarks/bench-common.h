/* bench-common.h: timing, repetition and reporting for the benchmarks
 *
 * Every benchmark prints each case as
 *   <case>: torchlog X ns, <peer> Y ns, ratio X/Y = R   [target ...: met|MISSED]
 * from the medians of several repetitions that alternate torchlog and its
 * peer in the same run, and appends a tab-separated RESULT line to the
 * file named by TORCHLOG_BENCH_RESULTS (scripts/bench.sh builds
 * docs/benchmarks.md from those). TORCHLOG_BENCH_QUICK=1 (or --quick)
 * runs few and short repetitions: enough to show the program still builds
 * and runs, as CI does, not enough to judge times.
 *
 * A missed target is reported, never turned into a failure; a benchmark
 * fails only when something is wrong (a lost or torn line).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keeps the compiler from hoisting a peer's plain global out of a loop
 * (GStreamer's gate is not atomic) or merging iterations: every case runs
 * its loop body with this after each call, so all pay the same. */
#define BENCH_BARRIER() __asm__ __volatile__ ("" ::: "memory")

/* Defines `static void NAME (gint64 n)`, which runs the statement given
 * after NAME n times (it may use the loop counter `i`), with the barrier
 * after each. Never inlined, so that each statement is timed with its own
 * loop and nothing of the others. */
#define BENCH_DEFINE_LOOP(name, ...)                                          \
  G_GNUC_NO_INLINE static void                                                \
  name (gint64 n)                                                             \
  {                                                                           \
    for (gint64 i = 0; i < n; i++)                                            \
      {                                                                       \
        __VA_ARGS__;                                                          \
        BENCH_BARRIER ();                                                     \
      }                                                                       \
  }

/* Adds one repetition's figure to @samples (for bench_median()). */
static inline void
bench_add_sample (GArray *samples,
                  double  value)
{
  g_array_append_val (samples, value);
}

typedef struct {
  gboolean    quick;
  const char *child;     /* --child CASE: run one case, print ns per op */
  gint64      iters;     /* --iters N for --child */
  const char *arg;       /* --arg X: a path or value for --child */
} BenchOptions;

void    bench_init            (int           *argc,
                               char        ***argv,
                               BenchOptions  *options);
double  bench_now_ns          (void);
double  bench_median          (GArray        *samples);
/* Repetitions and iterations scaled for quick mode. */
int     bench_reps            (const BenchOptions *options,
                               int            full);
gint64  bench_iters           (const BenchOptions *options,
                               gint64         full);

/* Runs @program (NULL: this program) with @args and @env (NAME=VALUE
 * strings added to the environment; "NAME=" with nothing after unsets
 * NAME), stdout captured, stderr to /dev/null unless @keep_stderr, and
 * returns the first number it printed; aborts the benchmark if it fails. */
double  bench_spawn_number    (const char          *program,
                               const char * const  *args,
                               const char * const  *env,
                               gboolean             keep_stderr);
/* Runs `valgrind --tool=callgrind` on the same and returns the number of
 * instructions it counted, or -1 if valgrind is not installed. */
double  bench_callgrind_count (const char          *program,
                               const char * const  *args,
                               const char * const  *env);

/* Prints a case and appends its RESULT line. @target is a text such as
 * "<= 1 ns and <= peer"; @met says whether it was met. */
void    bench_report          (const char *case_id,
                               const char *what,
                               double      torchlog,
                               const char *peer,
                               double      peer_value,
                               const char *unit,
                               const char *target,
                               gboolean    met);
/* A line of figures that is not a comparison (instruction counts, heap). */
void    bench_note            (const char *case_id,
                               const char *what,
                               double      value,
                               const char *unit,
                               const char *target,
                               gboolean    met);

/* spdlog's side of the benchmarks: $TORCHLOG_BENCH_SPDLOG, or the
 * bench-spdlog program beside this one. */
const char *bench_spdlog_path (void);

/* A fresh directory for the run's files, removed with its files at exit. */
const char *bench_tmpdir      (void);
/* A file name in it. */
char       *bench_tmpfile     (const char *name);

G_END_DECLS
