/* tl-log.c: the macros' gate and per-call-site cache (tl-log.h)
 *
 * The macros read `tl_gate` (the default registry's generation and lowest
 * level) and the call site's own cached threshold, both in one word each,
 * with relaxed atomic loads: no lock, no call, no allocation while a
 * record is off. Every configuration change bumps the generation, which
 * invalidates every cache at once; the next record from a call site then
 * recomputes its threshold here, once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-once-private.h"
#include "tl-registry-private.h"
#include "tl-writer-private.h"

/* The default registry's plan slot; the first refresh creates the
 * registry, which publishes its real gate. tl_once(), not
 * g_once_init_enter(): see tl-once.c. */
static TlPlanSlot *default_plan_slot;

static void
find_default_slot (void)
{
  g_atomic_pointer_set (&default_plan_slot, tl_registry_get_plan_slot (tl_registry_get_default ()));
}

static TlPlanSlot *
default_slot (void)
{
  static TlOnce once;

  tl_once (&once, find_default_slot);
  return g_atomic_pointer_get (&default_plan_slot);
}

/**
 * tl_callsite_refresh: (skip)
 * @callsite: a call site
 * @level: the record's level
 *
 * Recomputes @callsite's threshold after a configuration change. Called
 * by tl_callsite_enabled(), never directly.
 *
 * Returns: whether a record at @level is printed
 *
 * Since: 0.1
 */
gboolean
tl_callsite_refresh (TlCallsite *callsite,
                     TlLevel     level)
{
  TlPlanSlot *slot = default_slot ();
  g_autoptr(TlPlan) plan = NULL;
  TlDecision decision;
  guintptr gate;
  guint threshold;

  /* The gate first, then the plan: the registry publishes a plan before
   * the gate that announces it, so the plan is at least as new as the
   * generation cached with its threshold. */
  gate = __atomic_load_n (&tl_gate, __ATOMIC_ACQUIRE);
  plan = tl_writer_dup_plan (slot);
  tl_plan_decide (plan, callsite->domain, callsite->artifact, &decision);
  /* A domain no component covers is an ordinary GLib domain (torch: a
   * logger outside every registered tree, at the root's WARNING). Its
   * WARNING and above go on to GLib's default writer instead of being
   * lost; below that it is GLib's G_MESSAGES_DEBUG that decides, and a
   * record off here is one GLib would have dropped by default. */
  threshold = decision.registered ? decision.threshold : TL_LEVEL_WARNING;

  __atomic_store_n (&callsite->state, (gate & ~(guintptr) 0xff) | threshold, __ATOMIC_RELAXED);
  return (guint) level >= threshold;
}

/**
 * tl_callsite_log: (skip)
 * @callsite: the call site
 * @level: the record's level
 * @file: the source file (`__FILE__`)
 * @line: the line, as a string
 * @func: (nullable): the function
 * @format: a printf()-style format
 * @...: its arguments
 *
 * Formats an enabled record and sends it through g_log_structured_array()
 * with the fields `GLIB_DOMAIN`, `PRIORITY`, `MESSAGE`, `CODE_FILE`,
 * `CODE_LINE`, `CODE_FUNC`, `TORCHLOG_COMPONENT` and `TORCHLOG_ARTIFACT`.
 * Called by the macros after tl_callsite_enabled(), never directly.
 *
 * Since: 0.1
 */
void
tl_callsite_log (TlCallsite *callsite,
                 TlLevel     level,
                 const char *file,
                 const char *line,
                 const char *func,
                 const char *format,
                 ...)
{
  TlPlanSlot *slot = default_slot ();
  char stack_buf[512];
  g_autofree char *heap_buf = NULL;
  g_autoptr(TlPlan) plan = NULL;
  const char *message = stack_buf;
  TlDecision decision;
  GLogField fields[8];
  gsize n = 0;
  va_list args;
  int length;

  /* With torchlog's writer installed, g_log_structured_array() would
   * only take GLib's global lock to find that writer and hand it these
   * fields to be parsed again: print the record directly, the same way,
   * into the thread's buffer. */
  if (g_atomic_pointer_get (&tl_writer_installed_slot) == slot)
    {
      gboolean printed;

      va_start (args, format);
      printed = tl_writer_log_valist (slot, callsite, callsite->domain, callsite->artifact, level,
                                      file, line, func, format, args);
      va_end (args);
      if (printed)
        return;
    }

  va_start (args, format);
  length = g_vsnprintf (stack_buf, sizeof stack_buf, format, args);
  va_end (args);
  if (length < 0 || (gsize) length >= sizeof stack_buf)
    {
      va_start (args, format);
      message = heap_buf = g_strdup_vprintf (format, args);
      va_end (args);
    }

  plan = tl_writer_dup_plan (slot);
  tl_plan_decide (plan, callsite->domain, callsite->artifact, &decision);

#define ADD_FIELD(k, v) G_STMT_START { fields[n].key = (k); fields[n].value = (v); fields[n].length = -1; n++; } G_STMT_END
  if (callsite->domain != NULL)
    ADD_FIELD ("GLIB_DOMAIN", callsite->domain);
  ADD_FIELD ("PRIORITY", tl_level_to_priority (level));
  ADD_FIELD ("MESSAGE", message);
  ADD_FIELD ("CODE_FILE", file);
  ADD_FIELD ("CODE_LINE", line);
  if (func != NULL)
    ADD_FIELD ("CODE_FUNC", func);
  /* Present on every torchlog record: the writer uses it to tell them
   * from plain GLib records, journald to index them. */
  ADD_FIELD ("TORCHLOG_COMPONENT", decision.component);
  if (callsite->artifact != NULL)
    ADD_FIELD ("TORCHLOG_ARTIFACT", callsite->artifact);
#undef ADD_FIELD

  /* Without torchlog's writer, GLib's default one would drop DEBUG and
   * INFO and abort on WARNING under G_DEBUG=fatal-warnings; MESSAGE is
   * neither dropped nor fatal. */
  g_log_structured_array (g_atomic_pointer_get (&tl_writer_installed_slot) != NULL
                          ? tl_level_to_glib (level) : G_LOG_LEVEL_MESSAGE,
                          fields, n);
}
