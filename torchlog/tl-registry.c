/* tl-registry.c: TlRegistry: registration, the configuration's layers,
 * and publishing them as a sealed plan
 *
 * The registry is the only writer of its state and the only file that
 * takes its lock. Every change follows one path: under the write lock,
 * change the names or the layers, merge the layers into the applied
 * configuration, take a new generation and invalidate the plan slot
 * (readers then compile the new plan on first use, through
 * compile_plan()), publish the macros' gate; then, unlocked, emit the
 * signals. Nothing else calls back into the registry while it holds its
 * lock: components and artifacts reach it through the hooks it gives
 * them, and captures attach through tl_registry_attach().
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-once-private.h"
#include "tl-registry-private.h"
#include "tl-names-private.h"
#include "tl-config-private.h"
#include "tl-logs-parser-private.h"
#include "tl-help-private.h"
#include "tl-plan-private.h"
#include "tl-environment-private.h"
#include "tl-writer-private.h"
#include "tl-object-list-private.h"
#include "tl-rank-private.h"
#include "tl-i18n-private.h"

/**
 * SECTION:tl-registry
 * @title: TlRegistry
 * @short_description: components, artifacts and their configuration
 *
 * A #TlRegistry holds the logs (#TlComponent) and artifacts (#TlArtifact)
 * a program registered, and the configuration that decides which records
 * are printed: torch._logging's `log_registry` and `log_state` in one
 * object.
 *
 * A configuration comes from a `TORCH_LOGS` string
 * (tl_registry_parse_logs(), tl_registry_init_logs()) or from tl_registry_set_logs()
 * pairs (tl_registry_set_logs()). Either is validated completely before
 * anything changes; on success it replaces the previous configuration as
 * a whole, updates #TlComponent:level and #TlArtifact:enabled (with
 * `notify` only on objects that really changed) and emits
 * #TlRegistry::changed.
 *
 * Every registry is independent. tl_registry_get_default() is the one the
 * tl_debug() family of macros and torchlog's writer use.
 *
 * All functions are thread-safe. Signals are emitted in the thread that
 * made the change, after the registry's lock has been released, so
 * handlers may log and may call back into the registry.
 *
 * # Fork
 *
 * A child of fork() inherits the registries, their configuration and
 * outputs, and the calling thread's state; the other threads' state is
 * left alone. torchlog's fork handlers hold its locks across fork() (its
 * own, and its calls into `localtime_r`, whose glibc lock a child would
 * otherwise inherit held), and its one-time initialisations (creating the
 * default registry, reading the environment) are restarted in a child
 * forked in the middle of one, so
 * whatever the parent's other threads were doing (logging, parsing a
 * settings string, applying a GSettings change, writing a trace record,
 * flushing), the child may at once log (the tl_debug() family, g_log(),
 * tl_registry_write_record()), write trace records and call
 * tl_registry_flush(); lines the parent had buffered are written once, by
 * the parent. Changing the configuration in the child (tl_registry_parse_logs(),
 * tl_registry_set_logs(), registering) also works, but emits GObject signals, whose
 * locks GLib does not hand over to a child: do it only when no other
 * thread of the parent could have been emitting a signal, or after exec.
 * With GLib older than 2.76, a child that allocates GObjects needs
 * `G_SLICE=always-malloc` for the same reason.
 *
 * Decisions where C differs from Python (torch's quirks are not copied):
 * an empty `TORCH_LOGS` is the same as an unset one; a dotted name that is
 * not registered is open-registered (torch's "importable module" test has
 * no C equivalent) while an undotted unknown name is an error; a module
 * name's level also reaches the registered domains below it; a failed
 * tl_registry_set_logs() changes nothing; tl_registry_set_logs() validates levels of new module
 * names too; no record is ever printed twice.
 */

enum {
  PROP_0,
  PROP_ENV_VAR,
  PROP_RANK,
  N_PROPS
};

enum {
  SIGNAL_COMPONENT_ADDED,
  SIGNAL_ARTIFACT_ADDED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

struct _TlRegistry
{
  GObject     parent_instance;

  /* Guards every field below but @slot. Readers of the registry's own
   * state (queries, resolving a settings string, compiling a plan) take
   * it shared; registration and configuration take it exclusively, and
   * only for as long as it takes to swap prepared data. */
  GRWLock     lock;

  TlNames    *names;           /* mutable, changed only under the lock */
  TlNames    *sealed_names;    /* a sealed copy for plans, or NULL when stale */
  TlObjectList *component_list;  /* registration order, for UIs */
  TlObjectList *artifact_list;

  TlConfig   *config;          /* sealed: the applied merge of the layers */
  TlConfig   *api_config;      /* sealed: what set_logs() last asked for */
  TlConfig   *base_config;     /* sealed: the program's: TORCH_LOGS or set_logs() */
  TlConfig   *override_config; /* sealed: the operator's (GSettings), or NULL */
  TlOutput   *output;          /* the outputs applied: base + override */
  TlOutput   *base_output;     /* the program's outputs */
  TlOutput   *override_output; /* the operator's file and format, or NULL */
  GArray     *attached;        /* TlAttached: the captures */

  char       *env_var;
  /* Names env_var held before: a caller of tl_registry_get_env_var() may
   * still hold one; they are freed with the registry. */
  GPtrArray  *retired_env_vars;
  int         rank;
  gboolean    is_default;
  guint       generation;

  TlPlanSlot  slot;            /* has its own lock */
};

G_DEFINE_FINAL_TYPE (TlRegistry, tl_registry, G_TYPE_OBJECT)

/* ---- fork ---------------------------------------------------------- */

/* A child forked while another thread holds a registry's lock or its
 * slot's (in the middle of parse_logs(), say) would wait forever for a
 * thread it does not have. Around fork(), the forking thread takes every
 * registry's slot lock and then its lock, in the usual order, so that
 * both sides inherit them free. tl-fork.c calls these first, as the
 * registries' locks are the outermost ones. */
static GMutex  registries_lock;
static GSList *registries;

void
tl_registry_fork_prepare (void)
{
  g_mutex_lock (&registries_lock);
  for (GSList *l = registries; l != NULL; l = l->next)
    {
      TlRegistry *self = l->data;

      tl_plan_slot_hold (&self->slot);
      g_rw_lock_writer_lock (&self->lock);
    }
}

void
tl_registry_fork_parent (void)
{
  for (GSList *l = registries; l != NULL; l = l->next)
    {
      TlRegistry *self = l->data;

      g_rw_lock_writer_unlock (&self->lock);
      tl_plan_slot_release (&self->slot);
    }
  g_mutex_unlock (&registries_lock);
}

/* glibc unlocks a rwlock as a writer only in the thread id that locked
 * it, and the child's thread has a new one: the child starts each lock
 * afresh instead. The old ones stay reachable, to be freed never. */
static GPtrArray *inherited_locks;

void
tl_registry_fork_child (void)
{
  if (inherited_locks == NULL)
    inherited_locks = g_ptr_array_new ();
  for (GSList *l = registries; l != NULL; l = l->next)
    {
      TlRegistry *self = l->data;

      g_ptr_array_add (inherited_locks, self->lock.p);
      g_rw_lock_init (&self->lock);
      tl_plan_slot_release (&self->slot);
    }
  g_mutex_unlock (&registries_lock);
}

static void
track_registry (TlRegistry *self, gboolean live)
{
  g_mutex_lock (&registries_lock);
  if (live)
    registries = g_slist_prepend (registries, self);
  else
    registries = g_slist_remove (registries, self);
  g_mutex_unlock (&registries_lock);
}

/* What a change owes its observers once the lock is released. */
typedef struct {
  GPtrArray *added_components;
  GPtrArray *added_artifacts;
  GPtrArray *notify_objects;     /* pairs: object, property name */
} PendingSignals;

/* The arrays are made when something is added: most changes owe little. */
static void
pending_init (PendingSignals *pending)
{
  pending->added_components = NULL;
  pending->added_artifacts = NULL;
  pending->notify_objects = NULL;
}

static void
pending_add (GPtrArray **array, gpointer item, GDestroyNotify free_func)
{
  if (*array == NULL)
    *array = g_ptr_array_new_with_free_func (free_func);
  g_ptr_array_add (*array, item);
}

static void
pending_notify (PendingSignals *pending, gpointer object, const char *property)
{
  pending_add (&pending->notify_objects, g_object_ref (object), NULL);
  pending_add (&pending->notify_objects, (gpointer) property, NULL);
}

static void
pending_emit (TlRegistry *self, PendingSignals *pending, gboolean changed)
{
  for (guint i = 0; pending->added_components != NULL && i < pending->added_components->len; i++)
    {
      TlComponent *component = g_ptr_array_index (pending->added_components, i);
      tl_object_list_append (self->component_list, component);
      g_signal_emit (self, signals[SIGNAL_COMPONENT_ADDED], 0, component);
    }
  for (guint i = 0; pending->added_artifacts != NULL && i < pending->added_artifacts->len; i++)
    {
      TlArtifact *artifact = g_ptr_array_index (pending->added_artifacts, i);
      tl_object_list_append (self->artifact_list, artifact);
      g_signal_emit (self, signals[SIGNAL_ARTIFACT_ADDED], 0, artifact);
    }
  for (guint i = 0; pending->notify_objects != NULL && i < pending->notify_objects->len; i += 2)
    {
      gpointer object = g_ptr_array_index (pending->notify_objects, i);
      const char *property = g_ptr_array_index (pending->notify_objects, i + 1);

      if (TL_IS_COMPONENT (object))
        tl_component_notify (object, property);
      else
        tl_artifact_notify (object, property);
      g_object_unref (object);
    }
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  g_clear_pointer (&pending->added_components, g_ptr_array_unref);
  g_clear_pointer (&pending->added_artifacts, g_ptr_array_unref);
  g_clear_pointer (&pending->notify_objects, g_ptr_array_unref);
}

static void
tl_registry_finalize (GObject *object)
{
  TlRegistry *self = TL_REGISTRY (object);

  track_registry (self, FALSE);
  tl_plan_slot_clear (&self->slot);
  tl_names_unref (self->names);
  tl_names_unref (self->sealed_names);
  g_object_unref (self->component_list);
  g_object_unref (self->artifact_list);
  tl_config_unref (self->config);
  tl_config_unref (self->api_config);
  tl_config_unref (self->base_config);
  tl_config_unref (self->override_config);
  tl_output_unref (self->output);
  tl_output_unref (self->base_output);
  tl_output_unref (self->override_output);
  for (guint i = 0; i < self->attached->len; i++)
    {
      TlAttached *entry = &g_array_index (self->attached, TlAttached, i);
      g_atomic_rc_box_release_full (entry->data, entry->clear);
    }
  g_array_unref (self->attached);
  g_free (self->env_var);
  g_clear_pointer (&self->retired_env_vars, g_ptr_array_unref);
  g_rw_lock_clear (&self->lock);
  G_OBJECT_CLASS (tl_registry_parent_class)->finalize (object);
}

static void
tl_registry_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TlRegistry *self = TL_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_ENV_VAR:
      g_rw_lock_reader_lock (&self->lock);
      g_value_set_string (value, self->env_var);
      g_rw_lock_reader_unlock (&self->lock);
      break;
    case PROP_RANK:
      g_value_set_int (value, tl_registry_get_rank (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_registry_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TlRegistry *self = TL_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_ENV_VAR:
      tl_registry_set_env_var (self, g_value_get_string (value));
      break;
    case PROP_RANK:
      tl_registry_set_rank (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_registry_class_init (TlRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tl_registry_finalize;
  object_class->get_property = tl_registry_get_property;
  object_class->set_property = tl_registry_set_property;

  /**
   * TlRegistry:env-var:
   *
   * The environment variable tl_registry_init_logs() reads the settings
   * from, and whose presence makes tl_registry_set_logs() only warn. `TORCH_LOGS` by
   * default.
   *
   * Since: 0.1
   */
  props[PROP_ENV_VAR] =
    g_param_spec_string ("env-var", "Environment variable",
                         "The environment variable read for the settings", "TORCH_LOGS",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TlRegistry:rank:
   *
   * The distributed rank printed as `[rankN]:` at the start of each line,
   * or -1 for none. It starts as the `RANK` environment variable, which
   * torchrun sets; see also `TORCH_LOGS_RANKS` (tl_rank_filter_set()).
   *
   * Since: 0.1
   */
  props[PROP_RANK] =
    g_param_spec_int ("rank", "Rank",
                         "The distributed rank of the process, or -1", -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                      G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * TlRegistry::component-added:
   * @self: the registry
   * @component: the new component
   *
   * Emitted when a log is registered under a new name, including names
   * that a configuration open-registered.
   *
   * Since: 0.1
   */
  signals[SIGNAL_COMPONENT_ADDED] =
    g_signal_new ("component-added", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TL_TYPE_COMPONENT);

  /**
   * TlRegistry::artifact-added:
   * @self: the registry
   * @artifact: the new artifact
   *
   * Emitted when an artifact is registered under a new name.
   *
   * Since: 0.1
   */
  signals[SIGNAL_ARTIFACT_ADDED] =
    g_signal_new ("artifact-added", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TL_TYPE_ARTIFACT);

  /**
   * TlRegistry::changed:
   * @self: the registry
   *
   * Emitted after every configuration the registry applies, once the
   * `notify` signals of the objects that changed have been emitted.
   *
   * Since: 0.1
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

/* The slot's compile function: a sealed plan of the state as it is now.
 * Runs in whichever thread first needs the plan after a change, under
 * the slot's lock (so never twice at once for one registry). */
static TlPlan *
compile_plan (gpointer owner)
{
  TlRegistry *self = owner;
  TlPlan *plan;

  g_rw_lock_reader_lock (&self->lock);
  /* The copy is shared by every plan until the next registration; only
   * compilers write it, one at a time, and registration clears it under
   * the write lock. */
  if (self->sealed_names == NULL)
    self->sealed_names = tl_names_copy (self->names);
  plan = tl_plan_new (self->generation, self->sealed_names, self->config, self->output,
                      self->attached, self->rank);
  g_rw_lock_reader_unlock (&self->lock);
  return plan;
}

static TlConfig *
sealed_empty_config (void)
{
  return tl_config_seal (tl_config_new ());
}

static void
tl_registry_init (TlRegistry *self)
{
  g_rw_lock_init (&self->lock);
  self->names = tl_names_new ();
  self->component_list = tl_object_list_new (TL_TYPE_COMPONENT);
  self->artifact_list = tl_object_list_new (TL_TYPE_ARTIFACT);
  self->config = sealed_empty_config ();
  self->api_config = sealed_empty_config ();
  self->base_config = sealed_empty_config ();
  self->output = tl_output_new ();
  self->base_output = tl_output_ref (self->output);
  self->attached = g_array_new (FALSE, FALSE, sizeof (TlAttached));
  self->env_var = g_strdup ("TORCH_LOGS");
  /* RANK, as torchrun sets it; tl_registry_set_rank() overrides. */
  self->rank = tl_rank_from_environment ();
  self->generation = tl_plan_next_generation ();
  tl_plan_slot_init (&self->slot, compile_plan, self);
  track_registry (self, TRUE);
}

/**
 * tl_registry_new:
 *
 * Creates an empty registry with its own registrations and configuration,
 * independent of the default one. Useful for tests and plugins.
 *
 * Returns: (transfer full): a new #TlRegistry
 *
 * Since: 0.1
 */
TlRegistry *
tl_registry_new (void)
{
  return g_object_new (TL_TYPE_REGISTRY, NULL);
}

/* Makes the changes just made visible: a new generation, so that every
 * plan and every call-site cache is recomputed. The caller holds the
 * lock exclusively: two changes publish in the order they were made, and
 * the gate never goes back to an older generation. */
static void
publish_locked (TlRegistry *self)
{
  self->generation = tl_plan_next_generation ();
  tl_plan_slot_invalidate (&self->slot, self->generation);
  if (self->is_default)
    tl_plan_publish_gate (self->generation, tl_config_min_level (self->config));
}

/**
 * tl_registry_get_default:
 *
 * Gets the process-wide registry, creating it empty on first use. The
 * logging macros and torchlog's writer use it.
 *
 * Returns: (transfer none): the default registry
 *
 * Since: 0.1
 */
static TlRegistry *default_registry;

/* tl_once(), not g_once_init_enter(): see tl-once.c. */
static void
create_default_registry (void)
{
  TlRegistry *registry = tl_registry_new ();

  registry->is_default = TRUE;
  g_rw_lock_writer_lock (&registry->lock);
  publish_locked (registry);
  g_rw_lock_writer_unlock (&registry->lock);
  g_atomic_pointer_set (&default_registry, registry);
}

TlRegistry *
tl_registry_get_default (void)
{
  static TlOnce once;

  tl_once (&once, create_default_registry);
  return g_atomic_pointer_get (&default_registry);
}

/* tl-registry-private.h */

TlPlanSlot *
tl_registry_get_plan_slot (TlRegistry *self)
{
  return &self->slot;
}

TlPlan *
tl_registry_dup_plan (TlRegistry *self)
{
  return tl_plan_slot_dup (&self->slot);
}

TlNames *
tl_registry_dup_names (TlRegistry *self)
{
  TlNames *names;

  g_rw_lock_reader_lock (&self->lock);
  names = tl_names_copy (self->names);
  g_rw_lock_reader_unlock (&self->lock);
  return names;
}

void
tl_registry_warn (TlRegistry *self,
                  TlLevel     level,
                  const char *message)
{
  g_autoptr(TlPlan) plan = tl_registry_dup_plan (self);

  tl_writer_emit_internal (plan, level, message);
}

void
tl_registry_attach (TlRegistry     *self,
                    TlAttachedFunc  func,
                    gpointer        data,
                    GDestroyNotify  clear)
{
  TlAttached entry = { func, g_atomic_rc_box_acquire (data), clear };

  g_rw_lock_writer_lock (&self->lock);
  g_array_append_val (self->attached, entry);
  publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
}

void
tl_registry_detach (TlRegistry *self,
                    gpointer    data)
{
  TlAttached detached = { NULL, NULL, NULL };

  g_rw_lock_writer_lock (&self->lock);
  for (guint i = 0; i < self->attached->len; i++)
    if (g_array_index (self->attached, TlAttached, i).data == data)
      {
        detached = g_array_index (self->attached, TlAttached, i);
        g_array_remove_index (self->attached, i);
        publish_locked (self);
        break;
      }
  g_rw_lock_writer_unlock (&self->lock);
  if (detached.data != NULL)
    g_atomic_rc_box_release_full (detached.data, detached.clear);
}

/* ---- registration -------------------------------------------------- */

static void
update_component_state_locked (TlRegistry     *self,
                               TlComponent    *component,
                               PendingSignals *pending)
{
  const char * const *domains = tl_component_peek_domains (component);
  TlLevel level = tl_config_effective_level (self->config, domains[0] ? domains[0]
                                             : tl_component_get_name (component), NULL);

  if (tl_component_store_level (component, level))
    pending_notify (pending, component, "level");
}

static void
update_artifact_state_locked (TlRegistry     *self,
                              TlArtifact     *artifact,
                              PendingSignals *pending)
{
  gboolean enabled = tl_config_artifact_is_enabled (self->config, tl_artifact_get_name (artifact));

  if (tl_artifact_store_enabled (artifact, enabled))
    pending_notify (pending, artifact, "enabled");
}

static void
update_object_states_locked (TlRegistry *self, PendingSignals *pending)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, tl_names_peek_logs (self->names));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    update_component_state_locked (self, value, pending);
  g_hash_table_iter_init (&iter, tl_names_peek_artifacts (self->names));
  while (g_hash_table_iter_next (&iter, NULL, &value))
    update_artifact_state_locked (self, value, pending);
}

static void change_component_level (GObject *owner, TlComponent *component, TlLevel level);
static void change_artifact_enabled (GObject *owner, TlArtifact *artifact, gboolean enabled);

static const TlComponentOwner component_owner = { change_component_level };
static const TlArtifactOwner artifact_owner = { change_artifact_enabled };

static TlComponent *
register_log_locked (TlRegistry         *self,
                     const char         *name,
                     const char * const *domains,
                     const char         *description,
                     PendingSignals     *pending)
{
  TlComponent *component = tl_names_lookup_log (self->names, name);

  g_clear_pointer (&self->sealed_names, tl_names_unref);
  if (component == NULL)
    {
      component = tl_component_new (&component_owner, G_OBJECT (self), name, domains, description);
      tl_names_add_log (self->names, component);
      g_object_unref (component);   /* the names hold it */
      pending_add (&pending->added_components, g_object_ref (component), g_object_unref);
      return component;
    }

  /* torch's register_log overwrites: no merge. */
  if (!g_strv_equal (tl_component_peek_domains (component), domains))
    {
      tl_names_set_domains (self->names, component, domains);
      pending_notify (pending, component, "domains");
    }
  if (description != NULL && tl_component_store_description (component, description))
    pending_notify (pending, component, "description");
  return component;
}

static gboolean
domains_are_valid (const char * const *domains)
{
  for (gsize i = 0; domains[i] != NULL; i++)
    if (domains[i][0] == '\0' || strlen (domains[i]) > TL_MAX_DOMAIN_LENGTH ||
        !g_utf8_validate (domains[i], -1, NULL))
      return FALSE;
  return TRUE;
}

/**
 * tl_registry_register_log:
 * @self: a #TlRegistry
 * @name: the alias users write, e.g. `dynamo`
 * @domains: (array zero-terminated=1) (nullable): the qualified domains
 *   it stands for (each at most 1024 bytes), or %NULL for @name alone
 * @description: (nullable): a sentence for help texts and UIs
 *
 * torch's `register_log`. Registering a name again replaces its domains
 * (and its description, if one is given).
 *
 * Returns: (transfer none): the component
 *
 * Since: 0.1
 */
TlComponent *
tl_registry_register_log (TlRegistry         *self,
                          const char         *name,
                          const char * const *domains,
                          const char         *description)
{
  const char *only_name[] = { name, NULL };
  PendingSignals pending;
  TlComponent *component;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);
  g_return_val_if_fail (g_utf8_validate (name, -1, NULL), NULL);
  if (domains == NULL || domains[0] == NULL)
    domains = only_name;
  g_return_val_if_fail (domains_are_valid (domains), NULL);

  pending_init (&pending);
  g_rw_lock_writer_lock (&self->lock);
  component = register_log_locked (self, name, domains, description, &pending);
  /* Only this component's level can change: a log adds domains, not
   * settings, so the others are left alone (registering n logs stays
   * linear). */
  update_component_state_locked (self, component, &pending);
  publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
  pending_emit (self, &pending, FALSE);
  return component;
}

/**
 * tl_registry_register_artifact:
 * @self: a #TlRegistry
 * @name: the artifact's name, e.g. `guards`
 * @description: (nullable): the text the help prints beside it
 * @flags: #TlArtifactFlags
 * @log_format: (nullable): a `%(field)s` format for the artifact's
 *   records instead of torch's prefix; `""` prints the bare message
 *
 * torch's `register_artifact`. Registering again replaces the
 * description and format; the flags are only ever added to. A
 * @log_format that is not a valid format is reported once on stderr and
 * torch's format is used instead.
 *
 * Returns: (transfer none): the artifact
 *
 * Since: 0.1
 */
TlArtifact *
tl_registry_register_artifact (TlRegistry      *self,
                               const char      *name,
                               const char      *description,
                               TlArtifactFlags  flags,
                               const char      *log_format)
{
  g_autoptr(GError) error = NULL;
  TlFormat *compiled = NULL;
  PendingSignals pending;
  TlArtifact *artifact;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);
  g_return_val_if_fail (g_utf8_validate (name, -1, NULL), NULL);

  if (log_format != NULL)
    {
      /* Python's Formatter("") falls back to "%(message)s". */
      compiled = tl_format_new (log_format[0] ? log_format : "%(message)s", &error);
      if (compiled == NULL)
        {
          g_autofree char *message =
            /* TRANSLATORS: %s is an artifact's name, then why its format is invalid */
            g_strdup_printf (_("Ignoring the log format of artifact %s: %s"), name, error->message);
          tl_registry_warn (self, TL_LEVEL_WARNING, message);
          log_format = NULL;
        }
    }

  pending_init (&pending);
  g_rw_lock_writer_lock (&self->lock);
  g_clear_pointer (&self->sealed_names, tl_names_unref);
  artifact = tl_names_lookup_artifact (self->names, name);
  if (artifact == NULL)
    {
      artifact = tl_artifact_new (&artifact_owner, G_OBJECT (self), name);
      tl_names_add_artifact (self->names, artifact);
      g_object_unref (artifact);   /* the names hold it */
      pending_add (&pending.added_artifacts, g_object_ref (artifact), g_object_unref);
    }
  if (tl_artifact_store_description (artifact, description))
    pending_notify (&pending, artifact, "description");
  if (tl_artifact_store_flags (artifact, flags))
    {
      if (flags & TL_ARTIFACT_FLAGS_VISIBLE)
        pending_notify (&pending, artifact, "visible");
      if (flags & TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT)
        pending_notify (&pending, artifact, "off-by-default");
    }
  if (tl_artifact_store_log_format (artifact, log_format, compiled))
    pending_notify (&pending, artifact, "log-format");
  update_artifact_state_locked (self, artifact, &pending);
  publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
  pending_emit (self, &pending, FALSE);
  return artifact;
}

/**
 * tl_registry_lookup_component:
 * @self: a #TlRegistry
 * @name: a log's name
 *
 * Finds a registered log by name.
 *
 * Returns: (transfer none) (nullable): the component, or %NULL
 *
 * Since: 0.1
 */
TlComponent *
tl_registry_lookup_component (TlRegistry *self,
                              const char *name)
{
  TlComponent *component;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_rw_lock_reader_lock (&self->lock);
  component = tl_names_lookup_log (self->names, name);
  g_rw_lock_reader_unlock (&self->lock);
  return component;
}

/**
 * tl_registry_lookup_artifact:
 * @self: a #TlRegistry
 * @name: an artifact's name
 *
 * Finds a registered artifact by name.
 *
 * Returns: (transfer none) (nullable): the artifact, or %NULL
 *
 * Since: 0.1
 */
TlArtifact *
tl_registry_lookup_artifact (TlRegistry *self,
                             const char *name)
{
  TlArtifact *artifact;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  g_rw_lock_reader_lock (&self->lock);
  artifact = tl_names_lookup_artifact (self->names, name);
  g_rw_lock_reader_unlock (&self->lock);
  return artifact;
}

/**
 * tl_registry_get_components:
 * @self: a #TlRegistry
 *
 * Gets the registered logs in registration order, as a list model that
 * grows as logs are registered. Meant for the main thread of UIs.
 *
 * Returns: (transfer none): a #GListModel of #TlComponent
 *
 * Since: 0.1
 */
GListModel *
tl_registry_get_components (TlRegistry *self)
{
  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  return G_LIST_MODEL (self->component_list);
}

/**
 * tl_registry_get_artifacts:
 * @self: a #TlRegistry
 *
 * Gets the registered artifacts in registration order. See
 * tl_registry_get_components().
 *
 * Returns: (transfer none): a #GListModel of #TlArtifact
 *
 * Since: 0.1
 */
GListModel *
tl_registry_get_artifacts (TlRegistry *self)
{
  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  return G_LIST_MODEL (self->artifact_list);
}

/**
 * tl_registry_is_child_log:
 * @self: a #TlRegistry
 * @domain: a dotted domain
 *
 * Whether a configuration named @domain while a registered ancestor
 * already covered it (torch's child logs, e.g. `torch._dynamo.output_graph`).
 *
 * Returns: %TRUE for a known child log
 *
 * Since: 0.1
 */
gboolean
tl_registry_is_child_log (TlRegistry *self,
                          const char *domain)
{
  gboolean result;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  g_rw_lock_reader_lock (&self->lock);
  result = tl_names_is_child_log (self->names, domain);
  g_rw_lock_reader_unlock (&self->lock);
  return result;
}

/* ---- configuration ------------------------------------------------- */

/* Open registration: a module under a registered log is a child log;
 * any other becomes a log of its own. */
static void
open_register_locked (TlRegistry *self, const TlConfig *config, PendingSignals *pending)
{
  for (guint i = 0; i < config->open_names->len; i++)
    {
      const char *name = g_ptr_array_index (config->open_names, i);

      if (tl_names_owner (self->names, name) != NULL)
        {
          if (!tl_names_is_child_log (self->names, name))
            {
              g_clear_pointer (&self->sealed_names, tl_names_unref);
              tl_names_add_child_log (self->names, name);
            }
        }
      else
        {
          const char *domains[] = { name, NULL };
          register_log_locked (self, name, domains, NULL, pending);
        }
    }
}

static void
replace_config (TlConfig **slot, TlConfig *config)
{
  TlConfig *old = *slot;

  *slot = config ? tl_config_seal (config) : NULL;
  tl_config_unref (old);
}

/* The configuration has two layers: the program's (TORCH_LOGS or
 * tl_registry_set_logs(), @base) and the operator's (GSettings, @override). Either
 * may be replaced (each taken; NULL @base keeps the current one); the
 * applied one is always the merge of both, swapped in under the lock in
 * one step so no reader sees half of it. */
static void
apply_layers (TlRegistry *self,
              TlConfig   *base,
              gboolean    replace_override,
              TlConfig   *override,
              gboolean    from_api)
{
  PendingSignals pending;

  pending_init (&pending);
  g_rw_lock_writer_lock (&self->lock);

  if (base != NULL)
    {
      open_register_locked (self, base, &pending);
      replace_config (&self->base_config, base);
      if (from_api)
        replace_config (&self->api_config, tl_config_ref (self->base_config));
    }
  if (replace_override)
    {
      if (override != NULL)
        open_register_locked (self, override, &pending);
      replace_config (&self->override_config, override);
    }
  replace_config (&self->config, tl_config_merge (self->base_config, self->override_config));
  update_object_states_locked (self, &pending);
  publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);

  pending_emit (self, &pending, TRUE);
}

void
tl_registry_set_override (TlRegistry *self,
                          TlConfig   *override)
{
  apply_layers (self, NULL, TRUE, override, FALSE);
}

TlConfig *
tl_registry_resolve_logs (TlRegistry  *self,
                          const char  *settings,
                          GError     **error)
{
  g_autoptr(TlLogsSpec) spec = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  TlLogsParseResult result;
  TlConfig *config = NULL;
  char *message = NULL;

  if (settings[0] == '\0')
    return tl_config_new ();

  result = tl_logs_parse (settings, &spec);
  g_rw_lock_reader_lock (&self->lock);
  switch (result)
    {
    case TL_LOGS_PARSE_OK:
      config = tl_config_new_from_spec (spec, self->names, &pending, error);
      if (config == NULL && pending != NULL)
        message = tl_help_invalid_settings (self->names, spec->text, pending);
      break;
    case TL_LOGS_PARSE_HELP:
    case TL_LOGS_PARSE_HELP_VERBOSE:
      message = tl_help_message (self->names, result == TL_LOGS_PARSE_HELP_VERBOSE);
      break;
    case TL_LOGS_PARSE_INVALID:
      message = tl_help_invalid_settings (self->names, settings, NULL);
      break;
    }
  g_rw_lock_reader_unlock (&self->lock);

  if (message != NULL)
    g_set_error_literal (error, TL_ERROR,
                         result == TL_LOGS_PARSE_OK || result == TL_LOGS_PARSE_INVALID
                         ? TL_ERROR_INVALID_SETTINGS : TL_ERROR_HELP,
                         message);
  g_free (message);
  return config;
}

/**
 * tl_registry_parse_logs:
 * @self: a #TlRegistry
 * @settings: a `TORCH_LOGS` string, e.g. `+dynamo,aot,graph_code`
 * @error: return location for a #GError
 *
 * Applies @settings as a complete configuration, replacing the previous
 * one. It is what tl_registry_init_logs() falls back to when the
 * environment variable is not set.
 *
 * On failure nothing changes and @error holds torch's `ValueError` text:
 * %TL_ERROR_INVALID_SETTINGS for a string that does not parse or names
 * something unknown, %TL_ERROR_HELP with the help text for `help` and
 * `+help`.
 *
 * Returns: %TRUE if the configuration was applied
 *
 * Since: 0.1
 */
gboolean
tl_registry_parse_logs (TlRegistry  *self,
                        const char  *settings,
                        GError     **error)
{
  TlConfig *config;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  config = tl_registry_resolve_logs (self, settings, error);
  if (config == NULL)
    return FALSE;
  apply_layers (self, config, FALSE, NULL, TRUE);
  return TRUE;
}

static gboolean
env_var_is_set (TlRegistry *self)
{
  gboolean set;

  g_rw_lock_reader_lock (&self->lock);
  set = tl_environment_logs (self->env_var) != NULL;
  g_rw_lock_reader_unlock (&self->lock);
  return set;
}

gboolean
tl_registry_apply_set_logs (TlRegistry  *self,
                            TlLogsSpec  *spec,
                            GError     **error)
{
  g_autoptr(GPtrArray) pending = NULL;
  TlConfig *config;

  if (env_var_is_set (self))
    {
      /* torch's rule: the environment wins, with a warning on every
       * ignored call. */
      tl_registry_warn (self, TL_LEVEL_WARNING,
                        _("Using TORCH_LOGS environment variable for log settings, "
                          "ignoring call to set_logs"));
      return TRUE;
    }

  g_rw_lock_reader_lock (&self->lock);
  config = tl_config_new_from_spec (spec, self->names, &pending, error);
  g_rw_lock_reader_unlock (&self->lock);
  if (config == NULL)
    return FALSE;
  apply_layers (self, config, FALSE, NULL, TRUE);
  return TRUE;
}

/* ---- outputs ------------------------------------------------------- */

/* What writers use: the program's outputs with the operator's laid over. */
static void
update_output_locked (TlRegistry *self)
{
  TlOutput *old = self->output;

  self->output = self->override_output ? tl_output_overlay (self->base_output, self->override_output)
                                       : tl_output_ref (self->base_output);
  publish_locked (self);
  /* Lines the replaced output holds are written now, not when the last
   * thread that used it logs again. */
  tl_output_flush (old);
  tl_output_unref (old);
}

/* Installs @output (taken) as the program's outputs. */
static void
replace_output (TlRegistry *self, TlOutput *output)
{
  TlOutput *old_base;

  g_rw_lock_writer_lock (&self->lock);
  old_base = self->base_output;
  self->base_output = output;
  update_output_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
  tl_output_unref (old_base);
}

void
tl_registry_set_output_override (TlRegistry *self,
                                 TlOutput   *override)
{
  TlOutput *old_override;

  g_rw_lock_writer_lock (&self->lock);
  old_override = self->override_output;
  self->override_output = override;
  update_output_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
  tl_output_unref (old_override);
}

static TlOutput *
dup_base_output (TlRegistry *self)
{
  TlOutput *output;

  g_rw_lock_reader_lock (&self->lock);
  output = tl_output_copy (self->base_output);
  g_rw_lock_reader_unlock (&self->lock);
  return output;
}

/**
 * tl_registry_init_logs:
 * @self: a #TlRegistry
 * @error: return location for a #GError
 *
 * torch's `_init_logs`: reads the settings from the environment
 * variable (#TlRegistry:env-var, `TORCH_LOGS`), or, when it is unset or
 * empty, re-applies what tl_registry_set_logs() last configured. Also
 * reads `TORCH_LOGS_OUT` (a file the lines are appended to as well),
 * `TORCH_LOGS_FORMAT` (`short`, `basic` or a `%(field)s` format) and
 * `TORCH_LOGS_TRACE_ID_FILTER`.
 *
 * A C program must not die of a typo in an environment variable: an
 * invalid value is printed once on stderr (as torch prints its
 * `ValueError`) and the defaults are kept; @error gets the same error, so
 * callers need not print it again. `help` and `+help` print the help and
 * succeed. An unusable output file or format is reported on stderr and
 * skipped.
 *
 * Returns: %FALSE if the settings were invalid
 *
 * Since: 0.1
 */
gboolean
tl_registry_init_logs (TlRegistry  *self,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *settings = NULL;
  TlConfig *config = NULL;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  replace_output (self, tl_environment_dup_output ());

  g_rw_lock_reader_lock (&self->lock);
  settings = g_strdup (tl_environment_logs (self->env_var));
  g_rw_lock_reader_unlock (&self->lock);
  if (settings != NULL)
    config = tl_registry_resolve_logs (self, settings, &local_error);
  if (config == NULL)
    {
      g_rw_lock_reader_lock (&self->lock);
      config = tl_config_copy (self->api_config);
      g_rw_lock_reader_unlock (&self->lock);
    }
  apply_layers (self, config, FALSE, NULL, FALSE);

  if (local_error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (local_error, TL_ERROR, TL_ERROR_HELP))
        {
          tl_output_warn (local_error->message);
          return TRUE;
        }
      /* The same tail torch's traceback ends with. */
      text = g_strdup_printf ("ValueError: %s\n", local_error->message);
      tl_output_warn (text);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * tl_registry_get_env_var:
 * @self: a #TlRegistry
 *
 * Gets #TlRegistry:env-var.
 *
 * Returns: (transfer none): the variable's name, valid as long as @self is
 *   (names it had before are kept until then)
 *
 * Since: 0.1
 */
const char *
tl_registry_get_env_var (TlRegistry *self)
{
  const char *name;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_rw_lock_reader_lock (&self->lock);
  name = self->env_var;
  g_rw_lock_reader_unlock (&self->lock);
  return name;
}

/**
 * tl_registry_set_env_var:
 * @self: a #TlRegistry
 * @env_var: the name of an environment variable
 *
 * Sets #TlRegistry:env-var.
 *
 * Since: 0.1
 */
void
tl_registry_set_env_var (TlRegistry *self,
                         const char *env_var)
{
  gboolean changed;

  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (env_var != NULL && env_var[0] != '\0');

  g_rw_lock_writer_lock (&self->lock);
  changed = !g_str_equal (self->env_var, env_var);
  if (changed)
    {
      if (self->retired_env_vars == NULL)
        self->retired_env_vars = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->retired_env_vars, self->env_var);
      self->env_var = g_strdup (env_var);
    }
  g_rw_lock_writer_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ENV_VAR]);
}

/**
 * tl_registry_get_rank:
 * @self: a #TlRegistry
 *
 * Gets #TlRegistry:rank.
 *
 * Returns: the rank, or -1
 *
 * Since: 0.1
 */
int
tl_registry_get_rank (TlRegistry *self)
{
  g_return_val_if_fail (TL_IS_REGISTRY (self), -1);
  return g_atomic_int_get (&self->rank);
}

/**
 * tl_registry_set_rank:
 * @self: a #TlRegistry
 * @rank: the process's rank, or -1 for none
 *
 * Sets #TlRegistry:rank.
 *
 * Since: 0.1
 */
void
tl_registry_set_rank (TlRegistry *self,
                      int         rank)
{
  gboolean changed;

  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (rank >= -1);

  g_rw_lock_writer_lock (&self->lock);
  changed = g_atomic_int_exchange (&self->rank, rank) != rank;
  if (changed)
    publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RANK]);
}

/**
 * tl_registry_set_output_file:
 * @self: a #TlRegistry
 * @path: (nullable) (type filename): a file to append every line to as
 *   well as stderr, or %NULL for stderr only
 * @error: return location for a #GError
 *
 * What `TORCH_LOGS_OUT` does, from code.
 *
 * The file is opened for appending and close-on-exec; a file that does
 * not exist is created with mode 0600 (minus the umask), since log lines
 * tell what a program does, with its paths and values (torch's
 * `FileHandler` would use 0666 minus the umask; an existing file keeps its
 * mode, so create it first to share it). In a sticky world-writable
 * directory such as `/tmp`, what the kernel's `protected_symlinks` and
 * `protected_regular` / `protected_fifos` settings refuse is refused even
 * where they are off: a symbolic link, or an existing file or FIFO, owned
 * by neither the caller nor the directory's owner (another user may have
 * planted it to have the lines appended elsewhere, or to read them). The
 * refusal is a %TL_ERROR_OUTPUT error that says why.
 *
 * When a line cannot be written (a full disk, the size limit of
 * `ulimit -f`, a pipe without a reader), one warning on stderr names the
 * file and the error, and the lines are dropped until writing works again;
 * neither `SIGXFSZ` nor `SIGPIPE` ends the program, and the file never
 * keeps part of a line.
 *
 * Returns: %FALSE if the file cannot be opened or is refused; the outputs
 *   are then unchanged
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_output_file (TlRegistry  *self,
                             const char  *path,
                             GError     **error)
{
  TlOutput *output;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  output = dup_base_output (self);
  if (!tl_output_open_file (output, path, error))
    {
      tl_output_unref (output);
      return FALSE;
    }
  replace_output (self, output);
  return TRUE;
}

/**
 * tl_registry_set_format:
 * @self: a #TlRegistry
 * @format: (nullable): `short`, `basic`, a Python `%(field)s` format, or
 *   %NULL for torch's glog-style lines
 * @error: return location for a #GError
 *
 * What `TORCH_LOGS_FORMAT` does, from code. The fields are `name`,
 * `levelname`, `levelno`, `message`, `pathname`, `filename`, `module`,
 * `lineno`, `funcName`, `created`, `asctime`, `msecs`, `thread` and
 * `process`. As in torch, a custom format prints no per-line prefix and
 * ignores artifacts' own formats.
 *
 * Returns: %FALSE with %TL_ERROR_INVALID_FORMAT if @format is not valid;
 *   the format is then unchanged
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_format (TlRegistry  *self,
                        const char  *format,
                        GError     **error)
{
  TlFormat *compiled = NULL;
  TlOutput *output;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format != NULL)
    {
      compiled = tl_format_new (tl_format_expand_name (format), error);
      if (compiled == NULL)
        return FALSE;
    }
  output = dup_base_output (self);
  tl_format_free (output->format);
  output->format = compiled;
  replace_output (self, output);
  return TRUE;
}

/* The hooks components and artifacts change the configuration through:
 * a property change is the program's, so it goes to the base layer,
 * under any operator override. */
static void
change_component_level (GObject     *owner,
                        TlComponent *component,
                        TlLevel      level)
{
  TlRegistry *self = TL_REGISTRY (owner);
  g_autofree char *source = g_strdup_printf ("%s.level", tl_component_get_name (component));
  TlConfig *config;

  g_rw_lock_reader_lock (&self->lock);
  config = tl_config_copy (self->base_config);
  for (const char * const *d = tl_component_peek_domains (component); *d != NULL; d++)
    tl_config_set_level (config, *d, level, source);
  g_rw_lock_reader_unlock (&self->lock);
  apply_layers (self, config, FALSE, NULL, FALSE);
}

static void
change_artifact_enabled (GObject    *owner,
                         TlArtifact *artifact,
                         gboolean    enabled)
{
  TlRegistry *self = TL_REGISTRY (owner);
  const char *name = tl_artifact_get_name (artifact);
  TlConfig *config;

  g_rw_lock_reader_lock (&self->lock);
  config = tl_config_copy (self->base_config);
  g_rw_lock_reader_unlock (&self->lock);
  if (enabled)
    tl_config_enable_artifact (config, name, "enabled property");
  else
    tl_config_disable_artifact (config, name);
  apply_layers (self, config, FALSE, NULL, FALSE);
}

/* ---- queries ------------------------------------------------------- */

/**
 * tl_registry_get_effective_level:
 * @self: a #TlRegistry
 * @domain: a dotted domain (torch's logger name), possibly an artifact
 *   logger such as `torch._dynamo.__guards`
 *
 * The level a Python logger of that name would have after the
 * configuration: its own explicit level, else its nearest configured
 * ancestor's, else WARNING. An enabled artifact's logger is at DEBUG.
 *
 * Returns: the effective level; %TL_LEVEL_WARNING for names outside
 *   every configured log
 *
 * Since: 0.1
 */
TlLevel
tl_registry_get_effective_level (TlRegistry *self,
                                 const char *domain)
{
  g_autoptr(TlPlan) plan = NULL;

  g_return_val_if_fail (TL_IS_REGISTRY (self), TL_LEVEL_WARNING);
  g_return_val_if_fail (domain != NULL, TL_LEVEL_WARNING);

  plan = tl_registry_dup_plan (self);
  return tl_plan_effective_level (plan, domain);
}

/**
 * tl_registry_should_emit:
 * @self: a #TlRegistry
 * @domain: the domain the record comes from
 * @artifact: (nullable): the artifact of the record, or %NULL
 * @level: the record's level
 *
 * Whether torchlog prints a record at @level from @domain (for
 * @artifact). An enabled artifact prints at DEBUG and above
 * whatever its domain's level; an artifact that is not enabled follows the
 * domain's level unless it is off by default, in which case it is not
 * printed. Only domains at or below a registered log are handled.
 *
 * Returns: %TRUE if the record is printed; %FALSE also for domains
 *   torchlog does not handle
 *
 * Since: 0.1
 */
gboolean
tl_registry_should_emit (TlRegistry *self,
                         const char *domain,
                         const char *artifact,
                         TlLevel     level)
{
  g_autoptr(TlPlan) plan = NULL;
  TlDecision decision;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  plan = tl_registry_dup_plan (self);
  tl_plan_decide (plan, domain, artifact, &decision);
  return (guint) level >= decision.threshold;
}

/**
 * tl_registry_get_artifact_logger:
 * @self: a #TlRegistry
 * @module: the dotted domain emitting the artifact
 * @artifact: a registered artifact's name
 * @error: return location for a #GError
 *
 * torch's `getArtifactLogger()`: the domain `module.__artifact` that
 * records of @artifact from @module are logged to.
 *
 * Returns: (transfer full) (nullable): the artifact logger's domain, or
 *   %NULL with %TL_ERROR_ARTIFACT_NOT_REGISTERED and torch's text
 *
 * Since: 0.1
 */
char *
tl_registry_get_artifact_logger (TlRegistry  *self,
                                 const char  *module,
                                 const char  *artifact,
                                 GError     **error)
{
  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_return_val_if_fail (module != NULL, NULL);
  g_return_val_if_fail (artifact != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tl_registry_lookup_artifact (self, artifact) == NULL)
    {
      g_set_error (error, TL_ERROR, TL_ERROR_ARTIFACT_NOT_REGISTERED,
                   /* Translators: torch's text; "not registered,please" has no
                    * space in torch. */
                   _("Artifact name: '%s' not registered,please call register_artifact('%s') "
                     "in torch._logging.registrations."), artifact, artifact);
      return NULL;
    }
  return g_strconcat (module, ".__", artifact, NULL);
}

/**
 * tl_registry_help_message:
 * @self: a #TlRegistry
 * @verbose: %FALSE for `help` (visible artifacts only), %TRUE for `+help`
 *
 * torch's `help_message`, byte for byte: examples, then `all`, every
 * log and the artifacts, sorted.
 *
 * Returns: (transfer full): the help text
 *
 * Since: 0.1
 */
char *
tl_registry_help_message (TlRegistry *self,
                          gboolean    verbose)
{
  char *help;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);

  g_rw_lock_reader_lock (&self->lock);
  help = tl_help_message (self->names, verbose);
  g_rw_lock_reader_unlock (&self->lock);
  return help;
}

/**
 * tl_registry_explain:
 * @self: a #TlRegistry
 *
 * Describes the current configuration for people: the effective level of
 * each log and the settings item that set it (with a line for each of the
 * log's domains that ends up elsewhere, as when a later item sets a
 * shared domain), the levels set on module names that are not logs, then
 * each enabled artifact and the item that enabled it.
 *
 * Returns: (transfer full): the text, one line per entry
 *
 * Since: 0.1
 */
char *
tl_registry_explain (TlRegistry *self)
{
  char *text;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);

  g_rw_lock_reader_lock (&self->lock);
  text = tl_help_explain (self->names, self->config);
  g_rw_lock_reader_unlock (&self->lock);
  return text;
}


/* ---- the configuration as settings (issue 16) ------------------------ */

typedef struct {
  const char *source;
  guint64     seq;
} SourceOrder;

static int
compare_source_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_source_order (gconstpointer a, gconstpointer b)
{
  const SourceOrder *x = a, *y = b;

  if (x->seq != y->seq)
    return x->seq < y->seq ? -1 : 1;
  return strcmp (x->source, y->source);
}

/* The settings items behind the configuration that applies now, both
 * layers merged, as one TORCH_LOGS-like string: each item that still
 * decides some level, in the order they were set, then the items that
 * enabled artifacts. An item the operator's layer overrode completely is
 * gone. For `torchlog apps` (tl-settings-state.c). */
char *
tl_registry_dup_effective_logs (TlRegistry *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) levels = g_array_new (FALSE, FALSE, sizeof (SourceOrder));
  g_autoptr(GPtrArray) artifacts = g_ptr_array_new ();
  GString *out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_rw_lock_reader_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->config->levels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const TlLevelSetting *setting = value;
      SourceOrder order = { setting->source, setting->seq };

      if (setting->source != NULL)
        g_array_append_val (levels, order);
    }
  g_array_sort (levels, compare_source_order);
  for (guint i = 0; i < levels->len; i++)
    {
      const char *source = g_array_index (levels, SourceOrder, i).source;

      if (g_hash_table_add (seen, (gpointer) source))
        g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "", source);
    }
  g_hash_table_iter_init (&iter, self->config->artifacts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value != NULL && !g_hash_table_contains (seen, value))
      {
        g_hash_table_add (seen, value);
        g_ptr_array_add (artifacts, value);
      }
  g_ptr_array_sort (artifacts, compare_source_names);
  for (guint i = 0; i < artifacts->len; i++)
    g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "",
                            (const char *) artifacts->pdata[i]);
  g_rw_lock_reader_unlock (&self->lock);
  return g_string_free (out, FALSE);
}
