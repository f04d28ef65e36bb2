/* tl-plan.c: TlPlan, the sealed decision of a registry, and its slot
 *
 * A plan is to the registry what a sealed JsonNode is to a tree: made
 * whole, then never changed, so it "may be referenced in multiple places
 * without the possibility of a value deep within it changing". Call
 * sites, the writer, the formatter and the sinks read only a plan they
 * hold; none of them sees the registry or its lock.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-plan-private.h"
#include "tl-refcount-private.h"
#include "tl-version-macros.h"

/* The macros' gate (declared in tl-log.h). Generation 1, lowest level 0:
 * every call site refreshes once, which creates the default registry and
 * publishes its real gate. */
TL_AVAILABLE_IN_ALL guintptr tl_gate;
guintptr tl_gate = (guintptr) 1 << 8;

/* Above 1, the static value of tl_gate, so no call site mistakes an
 * empty cache for a fresh one. */
static gint last_generation = 1;

guint
tl_plan_next_generation (void)
{
  return (guint) g_atomic_int_add (&last_generation, 1) + 1;
}

void
tl_plan_publish_gate (guint generation,
                      guint min_level)
{
  guintptr gate = ((guintptr) generation << 8) | (min_level & 0xff);

  __atomic_store_n (&tl_gate, gate, __ATOMIC_RELEASE);
}

TlPlan *
tl_plan_new (guint     generation,
             TlNames  *names,
             TlConfig *config,
             TlOutput *output,
             GArray   *attached,
             int       rank)
{
  TlPlan *plan = g_new0 (TlPlan, 1);

  g_return_val_if_fail (config->sealed, NULL);

  tl_ref_init (&plan->ref);
  plan->generation = generation;
  plan->names = tl_names_ref (names);
  plan->config = tl_config_ref (config);
  plan->output = tl_output_ref (output);
  plan->attached = g_array_new (FALSE, FALSE, sizeof (TlAttached));
  for (guint i = 0; attached != NULL && i < attached->len; i++)
    {
      TlAttached entry = g_array_index (attached, TlAttached, i);

      g_atomic_rc_box_acquire (entry.data);
      g_array_append_val (plan->attached, entry);
    }
  plan->rank = rank;
  plan->min_level = tl_config_min_level (config);
  return plan;
}

TlPlan *
tl_plan_ref (TlPlan *plan)
{
  tl_ref_inc (&plan->ref);
  return plan;
}

void
tl_plan_unref (TlPlan *plan)
{
  if (plan == NULL || !tl_ref_dec (&plan->ref))
    return;
  for (guint i = 0; i < plan->attached->len; i++)
    {
      TlAttached *entry = &g_array_index (plan->attached, TlAttached, i);
      g_atomic_rc_box_release_full (entry->data, entry->clear);
    }
  g_array_unref (plan->attached);
  tl_output_unref (plan->output);
  tl_config_unref (plan->config);
  tl_names_unref (plan->names);
  g_free (plan);
}

/* Where `module.__artifact` splits, if @logger_name is the logger of a
 * registered artifact (stored in @artifact). A name that is itself a registered log's domain
 * (a log registered as `x.__guards`, say) stays that log's: its records
 * would otherwise be judged as records of an unregistered module `x`
 * and never printed (found by fuzz-registrations). */
static const char *
artifact_logger_marker (const TlPlan  *plan,
                        const char    *logger_name,
                        TlArtifact   **artifact)
{
  const char *marker = tl_logger_name_split (logger_name);

  if (marker == NULL || tl_names_is_log_domain (plan->names, logger_name))
    return NULL;
  *artifact = tl_names_lookup_artifact (plan->names, marker + 3);
  return *artifact != NULL ? marker : NULL;
}

TlLevel
tl_plan_effective_level (const TlPlan *plan,
                         const char   *logger_name)
{
  TlArtifact *artifact;
  const char *marker = artifact_logger_marker (plan, logger_name, &artifact);

  if (marker != NULL && tl_config_artifact_is_enabled (plan->config, marker + 3))
    return TL_LEVEL_DEBUG;
  return tl_config_effective_level (plan->config, logger_name, NULL);
}

/* The threshold of an artifact's records from @module: enabled, it
 * prints at DEBUG; off by default, not at all; else at the level of its
 * logger `module.__artifact`. */
static guint
artifact_threshold (const TlPlan *plan,
                    const char   *module,
                    const char   *artifact_name,
                    TlArtifact   *artifact)
{
  g_autofree char *logger_name = NULL;

  if (artifact != NULL)
    {
      if (tl_config_artifact_is_enabled (plan->config, artifact_name))
        return TL_LEVEL_DEBUG;
      if (tl_artifact_get_off_by_default (artifact))
        return TL_LEVEL_NEVER;
    }
  /* Not enabled, or an artifact nobody registered (an ordinary logger of
   * that name): the logger's own level. */
  logger_name = g_strconcat (module, ".__", artifact_name, NULL);
  return tl_config_effective_level (plan->config, logger_name, NULL);
}

void
tl_plan_decide (const TlPlan *plan,
                const char   *domain,
                const char   *artifact_name,
                TlDecision   *decision)
{
  g_autofree char *module_copy = NULL;
  const char *module = domain;
  TlArtifact *artifact = NULL;

  memset (decision, 0, sizeof *decision);
  decision->threshold = TL_LEVEL_NEVER;
  decision->component = "";
  if (domain == NULL)
    return;

  if (artifact_name != NULL)
    artifact = tl_names_lookup_artifact (plan->names, artifact_name);
  else
    {
      const char *marker = artifact_logger_marker (plan, domain, &artifact);

      if (marker != NULL)
        {
          artifact_name = marker + 3;
          module = module_copy = g_strndup (domain, marker - domain);
          decision->module_len = marker - domain;
        }
    }

  /* Only records that reach one of torchlog's handlers are printed: a
   * domain at or below a registered one. */
  decision->component = tl_names_owner (plan->names, module);
  decision->registered = decision->component != NULL;
  if (!decision->registered)
    {
      decision->component = "";
      return;
    }
  if (artifact_name == NULL)
    {
      decision->threshold = tl_config_effective_level (plan->config, module, NULL);
      return;
    }
  decision->threshold = artifact_threshold (plan, module, artifact_name, artifact);
  if (artifact != NULL)
    decision->artifact_format = tl_artifact_peek_format (artifact);
}

void
tl_plan_slot_init (TlPlanSlot        *slot,
                   TlPlanCompileFunc  compile,
                   gpointer           owner)
{
  pthread_mutex_init (&slot->lock, NULL);
  slot->plan = NULL;
  slot->generation = 0;
  slot->compile = compile;
  slot->owner = owner;
}

void
tl_plan_slot_clear (TlPlanSlot *slot)
{
  g_clear_pointer (&slot->plan, tl_plan_unref);
  pthread_mutex_destroy (&slot->lock);
}

void
tl_plan_slot_invalidate (TlPlanSlot *slot,
                         guint       generation)
{
  g_atomic_int_set ((int *) &slot->generation, (int) generation);
}

TlPlan *
tl_plan_slot_dup (TlPlanSlot *slot)
{
  TlPlan *plan;

  pthread_mutex_lock (&slot->lock);
  if (slot->plan == NULL || !tl_plan_slot_is_current (slot, slot->plan))
    {
      TlPlan *old = slot->plan;

      slot->plan = slot->compile (slot->owner);
      tl_plan_unref (old);
    }
  plan = tl_plan_ref (slot->plan);
  pthread_mutex_unlock (&slot->lock);
  return plan;
}

void
tl_plan_slot_hold (TlPlanSlot *slot)
{
  pthread_mutex_lock (&slot->lock);
}

void
tl_plan_slot_release (TlPlanSlot *slot)
{
  pthread_mutex_unlock (&slot->lock);
}
