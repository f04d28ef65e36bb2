/* tl-log.h: the logging macros and the per-call-site gate behind them
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>
#include "tl-version-macros.h"
#include "tl-level.h"

G_BEGIN_DECLS

/**
 * SECTION:tl-log
 * @title: Logging macros
 * @short_description: tl_debug(), tl_info(), tl_artifact() and the call-site gate
 *
 * The macros log to the domain %TL_LOG_DOMAIN through the default
 * #TlRegistry. Define the domain before including the header:
 *
 * |[<!-- language="C" -->
 * #define TL_LOG_DOMAIN "myapp.parser"
 * #include <torchlog/torchlog.h>
 *
 * tl_debug ("token %d of %d", i, n);     // TORCH_LOGS=+myapp.parser
 * tl_artifact ("ast", TL_LEVEL_DEBUG, "%s", dump);  // TORCH_LOGS=ast
 * ]|
 *
 * (`ast` being an artifact the program registered, see
 * tl_registry_register_artifact().)
 *
 * A record is printed when the level its domain inherits lets it through,
 * or, for an artifact record, under the artifact rules of #TlArtifact.
 *
 * Each macro expands to a `static` #TlCallsite and an inline check,
 * tl_callsite_enabled(), run before any argument is evaluated: a global
 * gate, then the call site's cached threshold. While a record is off, the
 * statement costs a load and a compare, takes no lock and allocates
 * nothing; the arguments are not evaluated, so they may be expensive.
 * A configuration change (TORCH_LOGS, tl_registry_set_logs(), GSettings)
 * invalidates every call site's cache at once. See
 * <link linkend="guide-performance">Performance</link>.
 *
 * Unlike g_error() and g_critical(), tl_error() and tl_critical() never
 * abort the program.
 */

/**
 * TL_LOG_DOMAIN:
 *
 * The dotted domain (torch's logger name, e.g. `myapp.parser`) that the
 * tl_debug() family logs to. Define it before including
 * `<torchlog/torchlog.h>`; it defaults to %G_LOG_DOMAIN.
 *
 * Since: 0.1
 */
/* Not #ifndef: gtk-doc would take that for an include guard and skip it. */
#if !defined (TL_LOG_DOMAIN)
#define TL_LOG_DOMAIN G_LOG_DOMAIN
#endif

/**
 * TlCallsite: (skip)
 * @domain: the domain of the call site
 * @artifact: the artifact of the call site, or %NULL
 *
 * One per logging statement, as a `static` variable the macros declare.
 * Its private state caches the call site's threshold together with the configuration
 * generation it was computed for, in a single word, so that the check is
 * one load and one comparison until the configuration changes.
 *
 * Since: 0.1
 */
typedef struct {
  const char *domain;
  const char *artifact;
  /*< private >*/
  guintptr    state;
} TlCallsite;

/**
 * tl_gate:
 *
 * The global gate of the macros, for the default registry: the
 * configuration generation in the high bits and, in the low 8 bits, the
 * lowest level any record could be printed at. Read by the macros only;
 * never write to it.
 *
 * Since: 0.1
 */
/* One line, so that gtk-doc's scanner sees the variable. */
TL_AVAILABLE_IN_ALL guintptr tl_gate;

TL_AVAILABLE_IN_ALL
gboolean tl_callsite_refresh (TlCallsite *callsite,
                              TlLevel     level);
TL_AVAILABLE_IN_ALL
void     tl_callsite_log     (TlCallsite *callsite,
                              TlLevel     level,
                              const char *file,
                              const char *line,
                              const char *func,
                              const char *format,
                              ...) G_GNUC_PRINTF (6, 7);

/**
 * tl_callsite_enabled:
 * @callsite: a call site
 * @level: the record's level
 *
 * The inline check the macros run before evaluating any argument: a
 * global gate first, then the call site's cached threshold. Takes no lock
 * and allocates nothing.
 *
 * Returns: whether a record at @level from @callsite would be printed
 *
 * Since: 0.1
 */
static inline gboolean
tl_callsite_enabled (TlCallsite *callsite,
                     TlLevel     level)
{
  guintptr gate, cached;

  /* Stage 1, the global gate: is @level below the lowest level anything
   * could be printed at? On x86 this is one compare of the gate's low byte
   * in memory with the level, then the branch: the two instructions of
   * GStreamer's test of its plain global, but an access the compiler can
   * neither hoist out of a loop nor tear. Elsewhere, a relaxed load. */
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__)) && \
    defined(__GCC_ASM_FLAG_OUTPUTS__)
  int closed;

  __asm__ __volatile__ ("{cmpb %b2, %1|cmp %1, %b2}"
                        : "=@cca" (closed)
                        : "m" (*(const volatile guint8 *) &tl_gate), "qi" ((guint8) level));
  if (G_LIKELY (closed))
    return FALSE;
  gate = __atomic_load_n (&tl_gate, __ATOMIC_RELAXED);
#else
  gate = __atomic_load_n (&tl_gate, __ATOMIC_RELAXED);
  if (G_LIKELY ((guintptr) level < (gate & 0xff)))
    return FALSE;
#endif
  /* Stage 2, the call site's threshold, cached with the generation of the
   * configuration it was computed for. */
  cached = __atomic_load_n (&callsite->state, __ATOMIC_RELAXED);
  if (G_LIKELY ((cached ^ gate) < 0x100))   /* the same generation */
    return (guintptr) level >= (cached & 0xff);
  return tl_callsite_refresh (callsite, level);
}

/**
 * tl_log:
 * @level: a #TlLevel
 * @...: a printf()-style format string, then its arguments
 *
 * Logs a record at @level to %TL_LOG_DOMAIN through the default registry.
 * Nothing is evaluated, formatted, locked or allocated when the record is
 * off.
 *
 * Since: 0.1
 */
#define tl_log(level, ...) \
  _TL_LOG_AT (NULL, level, __VA_ARGS__)

/**
 * tl_debug:
 * @...: a printf()-style format string, then its arguments
 *
 * Logs at %TL_LEVEL_DEBUG to %TL_LOG_DOMAIN. See tl_log().
 *
 * Since: 0.1
 */
#define tl_debug(...)    _TL_LOG_AT (NULL, TL_LEVEL_DEBUG, __VA_ARGS__)
/**
 * tl_info:
 * @...: a printf()-style format string, then its arguments
 *
 * Logs at %TL_LEVEL_INFO to %TL_LOG_DOMAIN. See tl_log().
 *
 * Since: 0.1
 */
#define tl_info(...)     _TL_LOG_AT (NULL, TL_LEVEL_INFO, __VA_ARGS__)
/**
 * tl_warning:
 * @...: a printf()-style format string, then its arguments
 *
 * Logs at %TL_LEVEL_WARNING to %TL_LOG_DOMAIN. See tl_log().
 *
 * Since: 0.1
 */
#define tl_warning(...)  _TL_LOG_AT (NULL, TL_LEVEL_WARNING, __VA_ARGS__)
/**
 * tl_error:
 * @...: a printf()-style format string, then its arguments
 *
 * Logs at %TL_LEVEL_ERROR to %TL_LOG_DOMAIN. Unlike g_error(), it never
 * aborts the program. See tl_log().
 *
 * Since: 0.1
 */
#define tl_error(...)    _TL_LOG_AT (NULL, TL_LEVEL_ERROR, __VA_ARGS__)
/**
 * tl_critical:
 * @...: a printf()-style format string, then its arguments
 *
 * Logs at %TL_LEVEL_CRITICAL to %TL_LOG_DOMAIN and flushes the outputs.
 * It never aborts the program, whatever `G_DEBUG` says. See tl_log().
 *
 * Since: 0.1
 */
#define tl_critical(...) _TL_LOG_AT (NULL, TL_LEVEL_CRITICAL, __VA_ARGS__)

/**
 * tl_artifact:
 * @artifact_name: the artifact's name, a string literal such as `"guards"`
 * @level: a #TlLevel
 * @...: a printf()-style format string, then its arguments
 *
 * Logs a record of the artifact @artifact_name from %TL_LOG_DOMAIN, that
 * is, on the artifact logger `TL_LOG_DOMAIN.__artifact_name`. It is
 * printed when the artifact is enabled, or when it is not off by default
 * and the domain's level lets @level through.
 *
 * Since: 0.1
 */
#define tl_artifact(artifact_name, level, ...) \
  _TL_LOG_AT (artifact_name, level, __VA_ARGS__)

#define _TL_LOG_AT(artifact_name, level, ...) G_STMT_START {                \
    static TlCallsite _tl_callsite = { TL_LOG_DOMAIN, artifact_name, 0 };   \
    if (G_UNLIKELY (tl_callsite_enabled (&_tl_callsite, (level))))         \
      tl_callsite_log (&_tl_callsite, (level), __FILE__,                    \
                       G_STRINGIFY (__LINE__), G_STRFUNC, __VA_ARGS__);     \
  } G_STMT_END

G_END_DECLS
