/* tl-step.c: numbered phases ("Step 1: …") and the optional progress bar
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "tl-step.h"
#include "tl-log.h"
#include "tl-domain-callsite-private.h"
#include "tl-i18n-private.h"

/**
 * SECTION:tl-step
 * @title: Step logger
 * @short_description: "Step N:" records and a progress bar
 *
 * torch's `torch._dynamo.logging.get_step_logger`: long work is split
 * in phases, each numbered from a process-wide counter that starts at 1,
 * and every record of a phase reads `Step N: message`:
 *
 * |[<!-- language="C" -->
 * static TlStepLogger *
 * compile_step (void)
 * {
 *   static TlStepLogger *logger;
 *
 *   // One number per phase: make the logger once, when first needed.
 *   if (g_once_init_enter (&logger))
 *     g_once_init_leave (&logger, tl_step_logger_new ("myapp.compiler"));
 *   return logger;
 * }
 *
 * tl_step_log (compile_step (), TL_LEVEL_INFO, "compiling %s", name);
 * // I1123 03:28:17.283000 5612 compiler.c:40] Step 2: compiling f
 * ]|
 *
 * Each tl_step_logger_new() takes the next number, at the time it is
 * called; as in torch, make it when the phase starts, not at start-up.
 *
 * A progress bar can follow the phases on a terminal: tl_progress_enable()
 * shows it on stderr, and each new step logger advances it and shows its
 * domain. It is off by default, as in torch, and is never written when
 * stderr is a file or a pipe.
 */

struct _TlStepLogger {
  TlCallsite *callsite;   /* the domain's, shared and never freed */
  guint       step;
};

static gint step_counter;   /* steps taken so far */

/* The progress bar; guarded by progress_lock. */
static GMutex   progress_lock;
static gboolean progress_enabled;
static char    *progress_title;
static guint    progress_total;
static guint    progress_done;
static char    *progress_postfix;

static void
progress_draw_locked (void)
{
  g_autoptr(GString) bar = NULL;
  guint total = MAX (progress_total, 1);
  guint done = MIN (progress_done, total);
  guint cells = done * 10 / total;
  gssize unused;

  /* Only for people watching a terminal: a file or a pipe would keep
   * every redraw. */
  if (!isatty (STDERR_FILENO))
    return;

  bar = g_string_new ("\r");
  g_string_append_printf (bar, "%s: %3u%%|", progress_title, done * 100 / total);
  for (guint i = 0; i < 10; i++)
    g_string_append_c (bar, i < cells ? '#' : ' ');
  g_string_append_printf (bar, "| %u/%u", done, total);
  if (progress_postfix != NULL)
    g_string_append_printf (bar, " [%s]", progress_postfix);
  /* Erase what a longer earlier line left; end the line when done. */
  g_string_append (bar, "\033[K");
  if (done >= total)
    g_string_append_c (bar, '\n');
  unused = write (STDERR_FILENO, bar->str, bar->len);
  (void) unused;
}

static void
progress_advance (const char *postfix)
{
  g_mutex_lock (&progress_lock);
  if (progress_enabled && progress_done < progress_total)
    {
      progress_done++;
      g_free (progress_postfix);
      progress_postfix = g_strdup (postfix);
      progress_draw_locked ();
    }
  g_mutex_unlock (&progress_lock);
}

/**
 * tl_progress_enable:
 * @title: (nullable): the bar's title, or %NULL for torch's
 *   `torch.compile()`
 * @n_steps: how many steps make the whole, at least 1
 *
 * Shows a progress bar on stderr, if stderr is a terminal, advanced by
 * each new #TlStepLogger; torch's bar (its `disable_progress = False`)
 * has 3 steps with Triton, else 2.
 *
 * Since: 0.1
 */
void
tl_progress_enable (const char *title,
                    guint       n_steps)
{
  g_return_if_fail (n_steps > 0);

  g_mutex_lock (&progress_lock);
  progress_enabled = TRUE;
  g_free (progress_title);
  progress_title = g_strdup (title ? title : "torch.compile()");
  progress_total = n_steps;
  progress_done = 0;
  g_clear_pointer (&progress_postfix, g_free);
  progress_draw_locked ();
  g_mutex_unlock (&progress_lock);
}

/**
 * tl_progress_disable:
 *
 * Stops showing the progress bar; step loggers no longer advance it.
 *
 * Since: 0.1
 */
void
tl_progress_disable (void)
{
  g_mutex_lock (&progress_lock);
  progress_enabled = FALSE;
  g_mutex_unlock (&progress_lock);
}

/**
 * tl_progress_is_enabled:
 *
 * Gets whether the progress bar is on.
 *
 * Returns: whether tl_progress_enable() turned the bar on
 *
 * Since: 0.1
 */
gboolean
tl_progress_is_enabled (void)
{
  gboolean enabled;

  g_mutex_lock (&progress_lock);
  enabled = progress_enabled;
  g_mutex_unlock (&progress_lock);
  return enabled;
}

/**
 * tl_step_logger_new:
 * @domain: the dotted domain the records go to, as for %TL_LOG_DOMAIN
 *
 * Takes the next step number of the process (the first is 1) and makes
 * a logger for it; advances the progress bar when it is enabled.
 *
 * Returns: (transfer full): the step logger
 *
 * Since: 0.1
 */
TlStepLogger *
tl_step_logger_new (const char *domain)
{
  TlStepLogger *logger;

  g_return_val_if_fail (domain != NULL && domain[0] != '\0', NULL);

  logger = g_atomic_rc_box_new0 (TlStepLogger);
  logger->callsite = tl_domain_callsite (domain);
  logger->step = (guint) g_atomic_int_add (&step_counter, 1) + 1;
  progress_advance (logger->callsite->domain);
  return logger;
}

/**
 * tl_step_logger_ref:
 * @logger: a #TlStepLogger
 *
 * Takes a reference to @logger.
 *
 * Returns: (transfer full): @logger
 *
 * Since: 0.1
 */
TlStepLogger *
tl_step_logger_ref (TlStepLogger *logger)
{
  g_return_val_if_fail (logger != NULL, NULL);
  return g_atomic_rc_box_acquire (logger);
}

/**
 * tl_step_logger_unref:
 * @logger: (transfer full): a #TlStepLogger
 *
 * Drops a reference to @logger.
 *
 * Since: 0.1
 */
void
tl_step_logger_unref (TlStepLogger *logger)
{
  g_return_if_fail (logger != NULL);
  g_atomic_rc_box_release (logger);
}

G_DEFINE_BOXED_TYPE (TlStepLogger, tl_step_logger, tl_step_logger_ref, tl_step_logger_unref)

/**
 * tl_step_logger_get_step:
 * @logger: a #TlStepLogger
 *
 * Gets the step number tl_step_logger_new() gave @logger (the first is 1).
 *
 * Returns: @logger's step number
 *
 * Since: 0.1
 */
guint
tl_step_logger_get_step (TlStepLogger *logger)
{
  g_return_val_if_fail (logger != NULL, 0);
  return logger->step;
}

/**
 * tl_step_logger_get_domain:
 * @logger: a #TlStepLogger
 *
 * Gets the domain @logger logs to.
 *
 * Returns: (transfer none): the domain @logger's records go to
 *
 * Since: 0.1
 */
const char *
tl_step_logger_get_domain (TlStepLogger *logger)
{
  g_return_val_if_fail (logger != NULL, NULL);
  return logger->callsite->domain;
}

/**
 * tl_step_logger_log_full: (skip)
 * @logger: a #TlStepLogger
 * @level: the record's level
 * @file: the caller's source file
 * @line: the caller's line, as text
 * @func: (nullable): the caller's function
 * @format: a printf()-style format
 * @...: its arguments
 *
 * Logs `Step N: message`; see tl_step_log(), which fills in the location.
 *
 * Since: 0.1
 */
void
tl_step_logger_log_full (TlStepLogger *logger,
                         TlLevel       level,
                         const char   *file,
                         const char   *line,
                         const char   *func,
                         const char   *format,
                         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (logger != NULL);
  g_return_if_fail (format != NULL);

  if (!tl_callsite_enabled (logger->callsite, level))
    return;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* A log record, not a message to the user: English as torch's, so
   * tools that read logs see the same text in every locale. */
  tl_callsite_log (logger->callsite, level, file, line, func,
                   "Step %u: %s", logger->step, message);
}

/**
 * tl_step_logger_log_message:
 * @logger: a #TlStepLogger
 * @level: the record's level
 * @file: (nullable) (type filename): the caller's source file
 * @line: the caller's line, or 0
 * @func: (nullable): the caller's function
 * @message: the message
 *
 * Logs `Step N: message`, for language bindings, which cannot use
 * tl_step_log().
 *
 * Since: 0.1
 */
void
tl_step_logger_log_message (TlStepLogger *logger,
                            TlLevel       level,
                            const char   *file,
                            int           line,
                            const char   *func,
                            const char   *message)
{
  char line_text[16];

  g_return_if_fail (logger != NULL);
  g_return_if_fail (message != NULL);

  g_snprintf (line_text, sizeof line_text, "%d", MAX (line, 0));
  tl_step_logger_log_full (logger, level, file ? file : "<unknown>", line_text, func,
                           "%s", message);
}
