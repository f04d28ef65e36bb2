/* bench-spdlog.cpp: spdlog's side of the benchmarks, run by the C ones
 *
 *   bench-spdlog disabled N        debug() below the logger's level
 *   bench-spdlog enabled N PATH    debug() through basic_logger_mt to PATH,
 *                                  in spdlog's default format, flushed at
 *                                  the end (inside the timing)
 * Prints the nanoseconds per call.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <spdlog/spdlog.h>
#include <spdlog/sinks/basic_file_sink.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define BENCH_BARRIER() __asm__ __volatile__ ("" ::: "memory")

static const char *value = "abc";

__attribute__ ((noinline)) static void
loop (spdlog::logger *logger, long n)
{
  for (long i = 0; i < n; i++)
    {
      logger->debug ("value {} {}", value, i);
      BENCH_BARRIER ();
    }
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    {
      std::fprintf (stderr, "usage: %s disabled|enabled N [PATH]\n", argv[0]);
      return 2;
    }
  bool enabled = std::strcmp (argv[1], "enabled") == 0;
  long n = std::atol (argv[2]);
  const char *path = enabled && argc > 3 ? argv[3] : "/dev/null";
  auto logger = spdlog::basic_logger_mt ("bench", path);

  logger->set_level (enabled ? spdlog::level::debug : spdlog::level::info);
  loop (logger.get (), 1000);   /* warm up; a constant, for callgrind differences */
  auto start = std::chrono::steady_clock::now ();
  loop (logger.get (), n);
  logger->flush ();
  auto end = std::chrono::steady_clock::now ();
  std::printf ("%.4f\n", std::chrono::duration<double, std::nano> (end - start).count () / n);
  return 0;
}
