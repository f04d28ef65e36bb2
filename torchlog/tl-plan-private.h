/* tl-plan-private.h: TlPlan, the sealed decision of a registry, and the
 * slot readers take it from
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <pthread.h>

#include "tl-names-private.h"
#include "tl-config-private.h"
#include "tl-output-private.h"
#include "tl-record-private.h"

G_BEGIN_DECLS

/* A writer attached to a registry (a TlCapture): it sees every record the
 * configuration lets through, before the outputs, and returns TRUE to
 * keep the record from them. */
typedef gboolean (*TlAttachedFunc) (const TlRecord *record,
                                    const char     *line,
                                    gsize           len,
                                    gpointer        data);

/* @data is a g_atomic_rc_box(): plans and the registry each hold a
 * reference, released with @clear. */
typedef struct {
  TlAttachedFunc func;
  gpointer       data;
  GDestroyNotify clear;
} TlAttached;

/* Everything a reader needs to decide and print a record, sealed: built
 * whole by the registry for one generation of its configuration and
 * never changed, so a thread may keep using the one it holds while the
 * registry moves on. Fields are read-only. */
typedef struct {
  gatomicrefcount ref;
  guint      generation;
  TlNames   *names;        /* sealed */
  TlConfig  *config;       /* sealed */
  TlOutput  *output;       /* stderr, TORCH_LOGS_OUT and its format */
  GArray    *attached;     /* TlAttached, in attachment order */
  int        rank;         /* < 0: none */
  guint      min_level;    /* no record below it is printed */
} TlPlan;

TlPlan      *tl_plan_new             (guint           generation,
                                      TlNames        *names,
                                      TlConfig       *config,
                                      TlOutput       *output,
                                      GArray         *attached,
                                      int             rank);
TlPlan      *tl_plan_ref             (TlPlan         *plan);
void         tl_plan_unref           (TlPlan         *plan);

/* What a plan says about records of one domain. */
typedef struct {
  gboolean        registered;       /* at or below a registered log */
  guint           threshold;        /* the lowest level printed */
  gsize           module_len;       /* > 0: the domain is `module.__artifact` */
  const TlFormat *artifact_format;  /* the artifact's own format, or NULL */
  const char     *component;        /* the owning log, "" if none */
} TlDecision;

/* torch's rules in one place: the threshold of records from @domain
 * (for @artifact, nullable). Without @artifact, a domain
 * `module.__name` naming a registered artifact is the artifact logger of
 * `module`, as torch's getArtifactLogger() names them. */
void         tl_plan_decide          (const TlPlan   *plan,
                                      const char     *domain,
                                      const char     *artifact,
                                      TlDecision     *decision);
/* Python's getEffectiveLevel() for @logger_name; an enabled artifact's
 * logger is at DEBUG. */
TlLevel      tl_plan_effective_level (const TlPlan   *plan,
                                      const char     *logger_name);

/* Where readers take a registry's current plan from. The registry
 * invalidates it on every change (an atomic store); the first reader
 * after that has the registry compile the new plan, once, through
 * @compile: bursts of changes (registering 10,000 logs) compile nothing
 * until somebody logs. */
typedef TlPlan *(*TlPlanCompileFunc) (gpointer owner);

typedef struct {
  /* Guards @plan and compiling it. A pthread mutex rather than a GMutex,
   * whose futexes ThreadSanitizer cannot see: readers get their plan
   * through this lock, and TSan must know it. */
  pthread_mutex_t    lock;
  TlPlan            *plan;
  guint              generation;   /* atomic: the latest change's */
  TlPlanCompileFunc  compile;
  gpointer           owner;
} TlPlanSlot;

void         tl_plan_slot_init       (TlPlanSlot        *slot,
                                      TlPlanCompileFunc  compile,
                                      gpointer           owner);
void         tl_plan_slot_clear      (TlPlanSlot        *slot);
void         tl_plan_slot_invalidate (TlPlanSlot        *slot,
                                      guint              generation);
/* The current plan (transfer full). */
TlPlan      *tl_plan_slot_dup        (TlPlanSlot        *slot);

/* Holds @slot's lock, so that nobody compiles or takes a plan meanwhile
 * (the registry's fork handlers). */
void         tl_plan_slot_hold       (TlPlanSlot        *slot);
void         tl_plan_slot_release    (TlPlanSlot        *slot);

/* Whether @plan (from @slot) is still the current one. */
static inline gboolean
tl_plan_slot_is_current (TlPlanSlot   *slot,
                         const TlPlan *plan)
{
  return plan->generation >= (guint) g_atomic_int_get ((int *) &slot->generation);
}

/* Publishes the default registry's gate for the macros (tl_gate in
 * tl-log.h): the generation, and the lowest level any record could be
 * printed at. */
void         tl_plan_publish_gate    (guint              generation,
                                      guint              min_level);

/* Generations come from one process-wide counter, so that a plan of one
 * registry never passes for a plan of another allocated at the same
 * address. */
guint        tl_plan_next_generation (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlPlan, tl_plan_unref)

G_END_DECLS
