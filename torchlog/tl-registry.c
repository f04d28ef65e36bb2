/* tl-registry.c: TlRegistry: registration, lookups, applying a
 * configuration, and the signals that report it
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-component-private.h"
#include "tl-artifact-private.h"
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
 * (tl_registry_parse_logs(), tl_registry_init_logs()) or from set_logs()
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
 * Decisions where C differs from Python (torch's quirks are not copied):
 * an empty `TORCH_LOGS` is the same as an unset one; a dotted name that is
 * not registered is open-registered (torch's "importable module" test has
 * no C equivalent) while an undotted unknown name is an error; a module
 * name's level also reaches the registered domains below it; a failed
 * set_logs() changes nothing; set_logs() validates levels of new module
 * names too; the "ignoring call to set_logs" warning is printed once per
 * registry rather than on every call; no record is ever printed twice.
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

G_DEFINE_FINAL_TYPE (TlRegistry, tl_registry, G_TYPE_OBJECT)

/* What a change owes its observers once the lock is released. */
typedef struct {
  GPtrArray *added_components;
  GPtrArray *added_artifacts;
  GPtrArray *notify_objects;     /* pairs: object, property name */
} PendingSignals;

/* The arrays are made when something is added: most changes owe little,
 * and three arrays made and freed per registration were a tenth of what
 * registering 10,000 components cost. */
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

  g_hash_table_unref (self->components);
  g_hash_table_unref (self->artifacts);
  g_object_unref (self->component_list);
  g_object_unref (self->artifact_list);
  g_hash_table_unref (self->qnames);
  g_hash_table_unref (self->child_logs);
  tl_config_free (self->config);
  tl_config_free (self->api_config);
  tl_config_free (self->base_config);
  tl_config_free (self->override_config);
  tl_output_unref (self->output);
  tl_output_unref (self->base_output);
  tl_output_unref (self->override_output);
  g_ptr_array_unref (self->retired_formats);
  g_free (self->env_var);
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
   * from, and whose presence makes set_logs() only warn. `TORCH_LOGS` by
   * default.
   *
   * Since: 0.1
   */
  props[PROP_ENV_VAR] =
    g_param_spec_string ("env-var", NULL, NULL, "TORCH_LOGS",
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
    g_param_spec_int ("rank", NULL, NULL, -1, G_MAXINT, -1,
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

/* Generations come from one process-wide counter, not one per registry:
 * the writer's caches key on (registry address, generation), and a new
 * registry allocated where a finalized one was must never match entries
 * cached for the old one after as many changes. It starts above 1, the
 * static value of tl_gate, so no call site mistakes an empty cache for a
 * fresh one. */
static gint last_generation = 1;

static guint
next_generation (void)
{
  return (guint) g_atomic_int_add (&last_generation, 1) + 1;
}

static void
tl_registry_init (TlRegistry *self)
{
  g_rw_lock_init (&self->lock);
  self->components = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->artifacts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->component_list = tl_object_list_new (TL_TYPE_COMPONENT);
  self->artifact_list = tl_object_list_new (TL_TYPE_ARTIFACT);
  self->qnames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->child_logs = g_hash_table_new (g_str_hash, g_str_equal);
  self->config = tl_config_new ();
  self->api_config = tl_config_new ();
  self->base_config = tl_config_new ();
  self->output = tl_output_new ();
  self->base_output = tl_output_ref (self->output);
  self->retired_formats = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_format_free);
  self->env_var = g_strdup ("TORCH_LOGS");
  /* RANK, as torchrun sets it (issue 6); tl_registry_set_rank() overrides. */
  self->rank = tl_rank_from_environment ();
  self->generation = next_generation ();
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

/* Bumps the generation so every call-site cache is recomputed; the
 * caller holds the lock exclusively. */
static void
publish_locked (TlRegistry *self)
{
  /* Atomic: the writer's per-thread caches read it without the lock. */
  __atomic_store_n (&self->generation, next_generation (), __ATOMIC_RELEASE);
  if (self->is_default)
    tl_callsite_publish (self->generation, tl_registry_min_level_locked (self));
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
TlRegistry *
tl_registry_get_default (void)
{
  static TlRegistry *default_registry;

  if (g_once_init_enter (&default_registry))
    {
      TlRegistry *registry = tl_registry_new ();

      registry->is_default = TRUE;
      g_rw_lock_writer_lock (&registry->lock);
      publish_locked (registry);
      g_rw_lock_writer_unlock (&registry->lock);
      g_once_init_leave (&default_registry, registry);
    }
  return default_registry;
}

/* ---- lookups (lock held) ------------------------------------------- */

TlComponent *
tl_registry_lookup_component_locked (TlRegistry *self,
                                     const char *name)
{
  return g_hash_table_lookup (self->components, name);
}

TlArtifact *
tl_registry_lookup_artifact_locked (TlRegistry *self,
                                    const char *name)
{
  return g_hash_table_lookup (self->artifacts, name);
}

/* Calls @visit on @name and each dot-boundary prefix of it, longest
 * first, until it returns TRUE. Uses the stack for ordinary names. */
typedef gboolean (*PrefixVisitor) (TlRegistry *self, const char *prefix, gpointer data);

static gboolean
walk_prefixes (TlRegistry *self, const char *name, PrefixVisitor visit, gpointer data)
{
  char stack_buf[256];
  gsize len = strlen (name);
  char *buf;
  gboolean found = FALSE;

  /* Each step hashes a prefix: a walk costs length × depth. No registered
   * domain is longer than TL_MAX_DOMAIN_LENGTH, so a longer name (a
   * hostile logger name of a megabyte, say) is under none, at once. */
  if (len > TL_MAX_DOMAIN_LENGTH)
    return FALSE;
  buf = len < sizeof stack_buf ? stack_buf : g_malloc (len + 1);

  memcpy (buf, name, len + 1);
  for (;;)
    {
      char *dot;

      if (visit (self, buf, data))
        {
          found = TRUE;
          break;
        }
      dot = strrchr (buf, '.');
      if (dot == NULL)
        break;
      *dot = '\0';
    }
  if (buf != stack_buf)
    g_free (buf);
  return found;
}

static gboolean
is_registered_qname (TlRegistry *self, const char *prefix, gpointer data)
{
  TlQname *qname = g_hash_table_lookup (self->qnames, prefix);

  if (qname != NULL && data != NULL)
    *(const char **) data = qname->owner;
  return qname != NULL;
}

gboolean
tl_registry_has_registered_ancestor_locked (TlRegistry *self,
                                            const char *name)
{
  return walk_prefixes (self, name, is_registered_qname, NULL);
}

const char *
tl_registry_owner_locked (TlRegistry *self,
                          const char *name)
{
  const char *owner = NULL;

  walk_prefixes (self, name, is_registered_qname, &owner);
  return owner;
}

static gboolean
find_level_setting (TlRegistry *self, const char *prefix, gpointer data)
{
  TlLevelSetting *setting = g_hash_table_lookup (self->config->levels, prefix);

  if (setting == NULL || setting->level == TL_LEVEL_NOTSET)
    return FALSE;
  *(TlLevelSetting **) data = setting;
  return TRUE;
}

/* If @logger_name is an artifact logger (`module.__artifact`) of a
 * registered artifact, returns the artifact and the module's length. */
static TlArtifact *
split_artifact_logger_locked (TlRegistry *self, const char *logger_name, gsize *module_len)
{
  const char *marker = g_strrstr (logger_name, ".__");

  if (marker == NULL || strchr (marker + 3, '.') != NULL)
    return NULL;
  *module_len = marker - logger_name;
  return tl_registry_lookup_artifact_locked (self, marker + 3);
}

/* The level Python's getEffectiveLevel() would give, and the setting
 * that decided it (NULL: the default). */
static TlLevel
effective_level_with_source_locked (TlRegistry      *self,
                                    const char      *logger_name,
                                    TlLevelSetting **source)
{
  TlLevelSetting *setting = NULL;
  gsize module_len;
  TlArtifact *artifact = split_artifact_logger_locked (self, logger_name, &module_len);

  *source = NULL;
  if (artifact != NULL && g_hash_table_contains (self->config->artifacts,
                                                 tl_artifact_get_name (artifact)))
    return TL_LEVEL_DEBUG;
  if (walk_prefixes (self, logger_name, find_level_setting, &setting))
    {
      *source = setting;
      return setting->level;
    }
  setting = g_hash_table_lookup (self->config->levels, TL_ROOT_QNAME);
  if (setting != NULL && setting->level != TL_LEVEL_NOTSET)
    {
      *source = setting;
      return setting->level;
    }
  return TL_LEVEL_WARNING;
}

TlLevel
tl_registry_effective_level_locked (TlRegistry *self,
                                    const char *logger_name)
{
  TlLevelSetting *source;

  return effective_level_with_source_locked (self, logger_name, &source);
}

/* The lowest level a record from (@domain, @artifact) is printed at, or
 * TL_LEVEL_NEVER. This is spec §4.4 in one function. */
guint
tl_registry_threshold_locked (TlRegistry *self,
                              const char *domain,
                              const char *artifact_name)
{
  g_autofree char *module = NULL;
  TlArtifact *artifact = NULL;

  if (domain == NULL)
    return TL_LEVEL_NEVER;

  if (artifact_name != NULL)
    artifact = tl_registry_lookup_artifact_locked (self, artifact_name);
  else
    {
      gsize module_len;
      artifact = split_artifact_logger_locked (self, domain, &module_len);
      if (artifact != NULL)
        domain = module = g_strndup (domain, module_len);
    }

  /* Only records that reach one of torchlog's handlers are printed: a
   * domain at or below a registered one. */
  if (!tl_registry_has_registered_ancestor_locked (self, domain))
    return TL_LEVEL_NEVER;

  if (artifact != NULL)
    {
      g_autofree char *logger_name = NULL;

      if (g_hash_table_contains (self->config->artifacts, tl_artifact_get_name (artifact)))
        return TL_LEVEL_DEBUG;
      if (tl_artifact_get_off_by_default (artifact))
        return TL_LEVEL_NEVER;
      logger_name = g_strconcat (domain, ".__", tl_artifact_get_name (artifact), NULL);
      return tl_registry_effective_level_locked (self, logger_name);
    }
  if (artifact_name != NULL)
    {
      /* An artifact nobody registered: an ordinary logger of that name. */
      g_autofree char *logger_name = g_strconcat (domain, ".__", artifact_name, NULL);
      return tl_registry_effective_level_locked (self, logger_name);
    }
  return tl_registry_effective_level_locked (self, domain);
}

/* A lower bound of every threshold: the macros' global gate. */
guint
tl_registry_min_level_locked (TlRegistry *self)
{
  TlLevelSetting *root = g_hash_table_lookup (self->config->levels, TL_ROOT_QNAME);
  guint min = (root && root->level != TL_LEVEL_NOTSET) ? root->level : TL_LEVEL_WARNING;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->config->artifacts) > 0)
    min = TL_LEVEL_DEBUG;
  g_hash_table_iter_init (&iter, self->config->levels);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const TlLevelSetting *setting = value;
      if (setting->level != TL_LEVEL_NOTSET && (guint) setting->level < min)
        min = setting->level;
    }
  return min;
}

/* ---- registration -------------------------------------------------- */

static void
qnames_add_locked (TlRegistry *self, const char * const *domains, const char *owner)
{
  for (gsize i = 0; domains[i] != NULL; i++)
    {
      TlQname *qname = g_hash_table_lookup (self->qnames, domains[i]);

      if (qname == NULL)
        {
          qname = g_new0 (TlQname, 1);
          qname->owner = owner;
          g_hash_table_insert (self->qnames, g_strdup (domains[i]), qname);
        }
      qname->count++;
    }
}

static void
qnames_remove_locked (TlRegistry *self, const char * const *domains)
{
  for (gsize i = 0; domains[i] != NULL; i++)
    {
      TlQname *qname = g_hash_table_lookup (self->qnames, domains[i]);

      if (qname != NULL && --qname->count == 0)
        g_hash_table_remove (self->qnames, domains[i]);
    }
}

static void
update_component_state_locked (TlRegistry     *self,
                               TlComponent    *component,
                               PendingSignals *pending)
{
  const char * const *domains = tl_component_peek_domains (component);
  TlLevel level = tl_registry_effective_level_locked (self, domains[0] ? domains[0]
                                                      : tl_component_get_name (component));

  if (tl_component_store_level (component, level))
    pending_notify (pending, component, "level");
}

static void
update_object_states_locked (TlRegistry *self, PendingSignals *pending)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->components);
  while (g_hash_table_iter_next (&iter, &key, &value))
    update_component_state_locked (self, value, pending);
  g_hash_table_iter_init (&iter, self->artifacts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gboolean enabled = g_hash_table_contains (self->config->artifacts, key);

      if (tl_artifact_store_enabled (value, enabled))
        pending_notify (pending, value, "enabled");
    }
}

static TlComponent *
register_log_locked (TlRegistry         *self,
                     const char         *name,
                     const char * const *domains,
                     const char         *description,
                     PendingSignals     *pending)
{
  TlComponent *component = tl_registry_lookup_component_locked (self, name);

  if (component == NULL)
    {
      component = tl_component_new (self, name, domains, description);
      g_hash_table_insert (self->components, (gpointer) tl_component_get_name (component), component);
      qnames_add_locked (self, domains, tl_component_get_name (component));
      pending_add (&pending->added_components, g_object_ref (component), g_object_unref);
      return component;
    }

  /* torch's register_log overwrites: no merge. */
  qnames_remove_locked (self, tl_component_peek_domains (component));
  if (tl_component_store_domains (component, domains))
    pending_notify (pending, component, "domains");
  qnames_add_locked (self, domains, tl_component_get_name (component));
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
 * torch's `register_log()`. Registering a name again replaces its domains
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
   * settings. Updating every component here made registering n logs
   * O(n^2) (8 s for 10,000). */
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
 * torch's `register_artifact()`. Registering again replaces the
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
          tl_registry_emit_internal (self, TL_LEVEL_WARNING, message);
          log_format = NULL;
        }
    }

  pending_init (&pending);
  g_rw_lock_writer_lock (&self->lock);
  artifact = tl_registry_lookup_artifact_locked (self, name);
  if (artifact == NULL)
    {
      artifact = tl_artifact_new (self, name);
      g_hash_table_insert (self->artifacts, (gpointer) tl_artifact_get_name (artifact), artifact);
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
  if (compiled != NULL)
    g_ptr_array_add (self->retired_formats, compiled);
  if (tl_artifact_store_log_format (artifact, log_format, compiled))
    pending_notify (&pending, artifact, "log-format");
  update_object_states_locked (self, &pending);
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
  component = tl_registry_lookup_component_locked (self, name);
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
  artifact = tl_registry_lookup_artifact_locked (self, name);
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
  result = g_hash_table_contains (self->child_logs, domain);
  g_rw_lock_reader_unlock (&self->lock);
  return result;
}

/* ---- configuration ------------------------------------------------- */

/* Open registration (spec §2.6): a module under a registered log is a
 * child log; any other becomes a log of its own. */
static void
open_register_locked (TlRegistry *self, const TlConfig *config, PendingSignals *pending)
{
  for (guint i = 0; i < config->open_names->len; i++)
    {
      const char *name = g_ptr_array_index (config->open_names, i);

      if (tl_registry_has_registered_ancestor_locked (self, name))
        g_hash_table_add (self->child_logs, (gpointer) g_intern_string (name));
      else
        {
          const char *domains[] = { name, NULL };
          register_log_locked (self, name, domains, NULL, pending);
        }
    }
}

/* The configuration has two layers: the program's (TORCH_LOGS or
 * set_logs(), @base) and the operator's (GSettings, @override). Either
 * may be replaced; the applied one is always the merge of both, swapped
 * in under the lock in one step so no logging thread sees half of it. */
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
      if (from_api)
        {
          tl_config_free (self->api_config);
          self->api_config = tl_config_copy (base);
        }
      tl_config_free (self->base_config);
      self->base_config = base;
    }
  if (replace_override)
    {
      if (override != NULL)
        open_register_locked (self, override, &pending);
      tl_config_free (self->override_config);
      self->override_config = override;
    }
  tl_config_free (self->config);
  self->config = tl_config_merge (self->base_config, self->override_config);
  update_object_states_locked (self, &pending);
  publish_locked (self);
  g_rw_lock_writer_unlock (&self->lock);

  pending_emit (self, &pending, TRUE);
}

void
tl_registry_apply_config (TlRegistry *self,
                          TlConfig   *config,
                          gboolean    from_api)
{
  apply_layers (self, config, FALSE, NULL, from_api);
}

void
tl_registry_set_override (TlRegistry *self,
                          TlConfig   *override)
{
  apply_layers (self, NULL, TRUE, override, FALSE);
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

  if (settings[0] == '\0')
    config = tl_config_new ();
  else
    {
      g_rw_lock_reader_lock (&self->lock);
      config = tl_settings_parse_locked (self, settings, error);
      g_rw_lock_reader_unlock (&self->lock);
      if (config == NULL)
        return FALSE;
    }
  tl_registry_apply_config (self, config, TRUE);
  return TRUE;
}

static gboolean
env_var_is_set (TlRegistry *self)
{
  const char *value;

  g_rw_lock_reader_lock (&self->lock);
  value = g_getenv (self->env_var);
  g_rw_lock_reader_unlock (&self->lock);
  /* An empty TORCH_LOGS means unset (torch crashes on it). */
  return value != NULL && value[0] != '\0';
}

static gboolean
set_logs_pairs (TlRegistry          *self,
                const TlSetLogsPair *pairs,
                gsize                n_pairs,
                GError             **error)
{
  TlConfig *config;

  if (env_var_is_set (self))
    {
      /* torch's rule: the environment wins. Torch warns on every call
       * (pytorch#98413 calls it spam); once per registry is enough. */
      if (!g_atomic_int_exchange (&self->env_warning_given, TRUE))
        tl_registry_emit_internal (self, TL_LEVEL_WARNING,
                                   _("Using TORCH_LOGS environment variable for log settings, "
                                     "ignoring call to set_logs"));
      return TRUE;
    }

  g_rw_lock_reader_lock (&self->lock);
  config = tl_set_logs_build_locked (self, pairs, n_pairs, error);
  g_rw_lock_reader_unlock (&self->lock);
  if (config == NULL)
    return FALSE;
  tl_registry_apply_config (self, config, TRUE);
  return TRUE;
}

/**
 * tl_registry_set_logs: (skip)
 * @self: a #TlRegistry
 * @error: return location for a #GError
 * @first_name: the first log, artifact or module name, or %NULL
 * @...: its value (an `int`: a #TlLevel for logs and modules, %TRUE or
 *   %FALSE for artifacts), then more name/value pairs, ending with %NULL
 *
 * torch's `set_logs()`: a complete configuration, so anything not named
 * is back at its default. Pairs are applied in the order given; a later
 * pair overwrites an earlier one for the domains they share. `all` sets
 * the `torch` log. Any name torch's `modules=` accepts is accepted.
 *
 * If the environment variable (#TlRegistry:env-var) is set, the call only
 * prints torch's warning, once, and changes nothing. On a bad name or
 * value nothing changes and @error holds torch's `ValueError` text.
 *
 * |[<!-- language="C" -->
 * tl_registry_set_logs (registry, &error,
 *                       "dynamo", TL_LEVEL_DEBUG,
 *                       "graph_code", TRUE,
 *                       NULL);
 * ]|
 *
 * Language bindings, which cannot call a variadic function, use
 * tl_registry_set_logsv() or tl_registry_set_logs_variant() instead.
 *
 * Returns: %FALSE if @error is set
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_logs (TlRegistry  *self,
                      GError     **error,
                      const char  *first_name,
                      ...)
{
  va_list args;
  gboolean result;

  va_start (args, first_name);
  result = tl_registry_set_logs_valist (self, error, first_name, args);
  va_end (args);
  return result;
}

/**
 * tl_registry_set_logs_valist: (skip)
 * @self: a #TlRegistry
 * @error: return location for a #GError
 * @first_name: the first name, or %NULL
 * @args: its value, then more pairs, ending with %NULL
 *
 * The `va_list` form of tl_registry_set_logs().
 *
 * Returns: %FALSE if @error is set
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_logs_valist (TlRegistry  *self,
                             GError     **error,
                             const char  *first_name,
                             va_list      args)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (TlSetLogsPair));
  gboolean result;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      TlSetLogsPair pair = { name, g_variant_ref_sink (g_variant_new_int32 (va_arg (args, int))), TRUE };
      g_array_append_val (pairs, pair);
    }
  result = set_logs_pairs (self, (TlSetLogsPair *) pairs->data, pairs->len, error);
  for (guint i = 0; i < pairs->len; i++)
    g_variant_unref (g_array_index (pairs, TlSetLogsPair, i).value);
  return result;
}

/**
 * tl_registry_set_logs_variant:
 * @self: a #TlRegistry
 * @settings: an `a{sv}` dictionary: `b` values for artifacts, integer
 *   values (`i`) for logs and modules; a `mv` holding nothing is skipped
 * @error: return location for a #GError
 *
 * tl_registry_set_logs() for bindings. Entries are applied in the
 * dictionary's order. A boolean given for a log is taken as Python does:
 * %FALSE is NOTSET, %TRUE is refused. A `mv` holding a value counts as
 * that value. If @settings is floating, it is consumed.
 *
 * Returns: %FALSE if @error is set
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_logs_variant (TlRegistry  *self,
                              GVariant    *settings,
                              GError     **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (TlSetLogsPair));
  GVariantIter iter;
  const char *name;
  GVariant *value;
  gboolean result;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (settings, G_VARIANT_TYPE_VARDICT), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* GLib's convention (g_settings_set_value() …): a floating dictionary,
   * such as g_variant_dict_end() returns, is consumed, not leaked. */
  g_variant_ref_sink (settings);
  g_variant_iter_init (&iter, settings);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
    {
      TlSetLogsPair pair = { name, value, FALSE };

      /* A maybe holding a value is that value (one holding nothing is
       * skipped as "not mentioned" later). */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE) && g_variant_n_children (value) == 1)
        {
          pair.value = g_variant_get_child_value (value, 0);
          g_variant_unref (value);
        }
      g_array_append_val (pairs, pair);
    }
  result = set_logs_pairs (self, (TlSetLogsPair *) pairs->data, pairs->len, error);
  for (guint i = 0; i < pairs->len; i++)
    g_variant_unref (g_array_index (pairs, TlSetLogsPair, i).value);
  g_variant_unref (settings);
  return result;
}

/* A GValue as the value of a set_logs() pair; NULL means "not
 * mentioned". JavaScript has no integers, so an integral double is taken
 * as the integer it holds. */
static GVariant *
set_logs_value_from_gvalue (const GValue *value)
{
  GType type = G_IS_VALUE (value) ? G_VALUE_TYPE (value) : G_TYPE_INVALID;

  if (type == G_TYPE_INVALID || type == G_TYPE_NONE)
    return NULL;
  if (type == G_TYPE_BOOLEAN)
    return g_variant_new_boolean (g_value_get_boolean (value));
  if (G_TYPE_IS_ENUM (type))
    return g_variant_new_int64 (g_value_get_enum (value));
  if (type == G_TYPE_VARIANT)
    return g_value_get_variant (value) ? g_value_dup_variant (value) : NULL;
  if (type == G_TYPE_STRING)
    return g_value_get_string (value)
           ? g_variant_new_string (g_value_get_string (value)) : NULL;
  if (type == G_TYPE_DOUBLE || type == G_TYPE_FLOAT)
    {
      double d = type == G_TYPE_DOUBLE ? g_value_get_double (value) : g_value_get_float (value);

      if (d == (double) (gint64) d && d >= (double) G_MININT64 && d < (double) G_MAXINT64)
        return g_variant_new_int64 ((gint64) d);
      return g_variant_new_double (d);
    }
  if (g_value_type_transformable (type, G_TYPE_INT64))
    {
      GValue as_int64 = G_VALUE_INIT;
      GVariant *result;

      g_value_init (&as_int64, G_TYPE_INT64);
      g_value_transform (value, &as_int64);
      result = g_variant_new_int64 (g_value_get_int64 (&as_int64));
      g_value_unset (&as_int64);
      return result;
    }
  if (G_TYPE_IS_VALUE_TYPE (type) && G_TYPE_FUNDAMENTAL (type) == G_TYPE_POINTER &&
      g_value_get_pointer (value) == NULL)
    return NULL;   /* JavaScript's null */
  {
    /* Anything else is refused by the checks, with its text in the error. */
    g_autofree char *contents = g_strdup_value_contents (value);
    return g_variant_new_string (contents);
  }
}

/**
 * tl_registry_set_logsv: (rename-to tl_registry_set_logs)
 * @self: a #TlRegistry
 * @n_settings: the number of @names and of @values
 * @names: (array length=n_settings): log, artifact or module names
 * @values: (array length=n_settings): their values: a boolean for an
 *   artifact, a #TlLevel or integer for a log or module; an unset value,
 *   %NULL or JavaScript's `null` means "not mentioned" (Python's `None`)
 * @error: return location for a #GError
 *
 * tl_registry_set_logs() with its pairs in two arrays, the form language
 * bindings call (they see it as `set_logs`). Pairs are applied in the order given, as torch applies
 * its keyword arguments and `modules=` entries. Enum values count as
 * their numbers; an integral floating-point number counts as an integer,
 * so that JavaScript, which has no integers, can pass levels:
 *
 * |[<!-- language="JavaScript" -->
 * const settings = {dynamo: Torchlog.Level.DEBUG, graph_code: true};
 * registry.set_logs(Object.keys(settings), Object.values(settings));
 * ]|
 *
 * Returns: %FALSE if @error is set
 *
 * Since: 0.1
 */
gboolean
tl_registry_set_logsv (TlRegistry         *self,
                       guint               n_settings,
                       const char * const *names,
                       const GValue       *values,
                       GError            **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (TlSetLogsPair));
  gboolean result;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (n_settings == 0 || (names != NULL && values != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_settings; i++)
    {
      GVariant *value;
      TlSetLogsPair pair;

      g_return_val_if_fail (names[i] != NULL, FALSE);
      value = set_logs_value_from_gvalue (&values[i]);
      pair.name = names[i];
      pair.value = value ? g_variant_ref_sink (value) : NULL;
      pair.from_c = FALSE;
      g_array_append_val (pairs, pair);
    }
  result = set_logs_pairs (self, (TlSetLogsPair *) pairs->data, pairs->len, error);
  for (guint i = 0; i < pairs->len; i++)
    g_clear_pointer (&g_array_index (pairs, TlSetLogsPair, i).value, g_variant_unref);
  return result;
}

static void
print_to_stderr (const char *text)
{
  /* torch's texts quote what the user gave (an invalid TORCH_LOGS, a
   * path): escaped, so they cannot drive the terminal. */
  g_autoptr(GString) escaped = g_string_sized_new (strlen (text));

  tl_escape_append (escaped, text, -1);
  tl_output_write_stderr (escaped->str, escaped->len);
}

/* TORCH_LOGS_FORMAT's two named styles, as logging.basicConfig's. */
static const char *
expand_format_name (const char *format)
{
  if (g_str_equal (format, "short") || g_str_equal (format, "basic"))
    return "%(levelname)s:%(name)s:%(message)s";
  return format;
}

static TlOutput *
output_from_environment (void)
{
  TlOutput *output = tl_output_new ();
  const char *out = g_getenv ("TORCH_LOGS_OUT");
  const char *format = g_getenv ("TORCH_LOGS_FORMAT");
  const char *filter = g_getenv ("TORCH_LOGS_TRACE_ID_FILTER");
  g_autoptr(GError) error = NULL;

  if (out != NULL && out[0] != '\0' && !tl_output_open_file (output, out, &error))
    {
      /* TRANSLATORS: %s says why the TORCH_LOGS_OUT file cannot be opened */
      g_autofree char *line = g_strdup_printf (_("torchlog: %s; logging to stderr only\n"),
                                               error->message);
      print_to_stderr (line);
      g_clear_error (&error);
    }

  if (format != NULL && format[0] != '\0')
    {
      output->format = tl_format_new (expand_format_name (format), &error);
      if (output->format == NULL)
        {
          /* TRANSLATORS: %s says why the format is invalid */
          g_autofree char *line = g_strdup_printf (_("torchlog: TORCH_LOGS_FORMAT: %s; "
                                                     "using torch's default format\n"),
                                                   error->message);
          print_to_stderr (line);
          g_clear_error (&error);
        }
    }

  if (filter != NULL)
    {
      g_auto(GStrv) items = g_strsplit (filter, ",", -1);
      g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
      gboolean any = FALSE;

      for (gsize i = 0; items[i] != NULL; i++)
        {
          char *item = g_strstrip (items[i]);
          if (item[0] != '\0')
            {
              g_strv_builder_add (kept, item);
              any = TRUE;
            }
        }
      if (any)
        output->trace_id_filter = g_strv_builder_end (kept);
    }
  return output;
}

/* Installs @output (taken) as the program's outputs; what writers use is
 * it with the operator's override laid over. */
static void
replace_output (TlRegistry *self, TlOutput *output)
{
  TlOutput *old, *old_base;

  g_rw_lock_writer_lock (&self->lock);
  old_base = self->base_output;
  self->base_output = output;
  old = self->output;
  /* Atomic: writer threads compare it with the one they hold, unlocked. */
  g_atomic_pointer_set (&self->output,
                        self->override_output ? tl_output_overlay (output, self->override_output)
                                              : tl_output_ref (output));
  g_rw_lock_writer_unlock (&self->lock);
  tl_output_unref (old);
  tl_output_unref (old_base);
}

void
tl_registry_set_output_override (TlRegistry *self,
                                 TlOutput   *override)
{
  TlOutput *old, *old_override;

  g_rw_lock_writer_lock (&self->lock);
  old_override = self->override_output;
  self->override_output = override;
  old = self->output;
  g_atomic_pointer_set (&self->output,
                        override ? tl_output_overlay (self->base_output, override)
                                 : tl_output_ref (self->base_output));
  g_rw_lock_writer_unlock (&self->lock);
  tl_output_unref (old);
  tl_output_unref (old_override);
}

/**
 * tl_registry_init_logs:
 * @self: a #TlRegistry
 * @error: return location for a #GError
 *
 * torch's `_init_logs()`: reads the settings from the environment
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
  g_autofree char *settings = NULL;
  g_autoptr(GError) local_error = NULL;
  TlConfig *config = NULL;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  replace_output (self, output_from_environment ());

  g_rw_lock_reader_lock (&self->lock);
  settings = g_strdup (g_getenv (self->env_var));
  if (settings != NULL && settings[0] != '\0')
    config = tl_settings_parse_locked (self, settings, &local_error);
  if (config == NULL)
    config = tl_config_copy (self->api_config);
  g_rw_lock_reader_unlock (&self->lock);

  tl_registry_apply_config (self, config, FALSE);

  if (local_error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (local_error, TL_ERROR, TL_ERROR_HELP))
        {
          print_to_stderr (local_error->message);
          return TRUE;
        }
      /* The same tail torch's traceback ends with. */
      text = g_strdup_printf ("ValueError: %s\n", local_error->message);
      print_to_stderr (text);
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
 * Returns: (transfer none): the variable's name
 *
 * Since: 0.1
 */
const char *
tl_registry_get_env_var (TlRegistry *self)
{
  const char *name;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);
  g_rw_lock_reader_lock (&self->lock);
  name = g_intern_string (self->env_var);
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
      g_free (self->env_var);
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
  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (rank >= -1);

  if (g_atomic_int_exchange (&self->rank, rank) != rank)
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
 * Returns: %FALSE if the file cannot be opened; the outputs are then
 *   unchanged
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

  g_rw_lock_reader_lock (&self->lock);
  output = tl_output_copy (self->base_output);
  g_rw_lock_reader_unlock (&self->lock);
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
      compiled = tl_format_new (expand_format_name (format), error);
      if (compiled == NULL)
        return FALSE;
    }
  g_rw_lock_reader_lock (&self->lock);
  output = tl_output_copy (self->base_output);
  g_rw_lock_reader_unlock (&self->lock);
  tl_format_free (output->format);
  output->format = compiled;
  replace_output (self, output);
  return TRUE;
}

void
tl_registry_change_component_level (TlRegistry  *self,
                                    TlComponent *component,
                                    TlLevel      level)
{
  g_autofree char *source = g_strdup_printf ("%s.level", tl_component_get_name (component));
  TlConfig *config;

  /* A property change is the program's: it goes to the base layer, under
   * any operator override. */
  g_rw_lock_reader_lock (&self->lock);
  config = tl_config_copy (self->base_config);
  for (const char * const *d = tl_component_peek_domains (component); *d != NULL; d++)
    tl_config_set_level (config, *d, level, source);
  g_rw_lock_reader_unlock (&self->lock);
  tl_registry_apply_config (self, config, FALSE);
}

void
tl_registry_change_artifact_enabled (TlRegistry *self,
                                     TlArtifact *artifact,
                                     gboolean    enabled)
{
  const char *name = tl_artifact_get_name (artifact);
  TlConfig *config;

  g_rw_lock_reader_lock (&self->lock);
  config = tl_config_copy (self->base_config);
  g_rw_lock_reader_unlock (&self->lock);
  if (enabled)
    tl_config_enable_artifact (config, name, "enabled property");
  else
    g_hash_table_remove (config->artifacts, name);
  tl_registry_apply_config (self, config, FALSE);
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
  TlLevel level;

  g_return_val_if_fail (TL_IS_REGISTRY (self), TL_LEVEL_WARNING);
  g_return_val_if_fail (domain != NULL, TL_LEVEL_WARNING);

  g_rw_lock_reader_lock (&self->lock);
  level = tl_registry_effective_level_locked (self, domain);
  g_rw_lock_reader_unlock (&self->lock);
  return level;
}

/**
 * tl_registry_should_emit:
 * @self: a #TlRegistry
 * @domain: the domain the record comes from
 * @artifact: (nullable): the artifact of the record, or %NULL
 * @level: the record's level
 *
 * Whether torchlog prints a record at @level from @domain (for
 * @artifact): spec §4.4. An enabled artifact prints at DEBUG and above
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
  guint threshold;

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (domain != NULL, FALSE);

  g_rw_lock_reader_lock (&self->lock);
  threshold = tl_registry_threshold_locked (self, domain, artifact);
  g_rw_lock_reader_unlock (&self->lock);
  return (guint) level >= threshold;
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
 * torch's `help_message()`, byte for byte: examples, then `all`, every
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
  help = tl_help_message_locked (self, verbose);
  g_rw_lock_reader_unlock (&self->lock);
  return help;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_component_names (gconstpointer a, gconstpointer b)
{
  return strcmp (tl_component_get_name (*(TlComponent **) a),
                 tl_component_get_name (*(TlComponent **) b));
}

/* One line of tl_registry_explain(): a name, its effective level and
 * what set it. */
static void
append_explained_level (GString              *text,
                        int                   indent,
                        int                   width,
                        const char           *name,
                        TlLevel               level,
                        const TlLevelSetting *source)
{
  g_string_append_printf (text, "%*s%-*s %-8s ", indent, "", width, name,
                          tl_level_to_name (level));
  if (source != NULL)
    /* TRANSLATORS: %s is the TORCH_LOGS item (e.g. "+dynamo") or the
     * set_logs() name that set a level or enabled an artifact */
    g_string_append_printf (text, _("set by \"%s\""), source->source);
  else
    g_string_append (text, _("(default)"));
  g_string_append_c (text, '\n');
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
  g_autoptr(GPtrArray) components = g_ptr_array_new ();
  g_autoptr(GPtrArray) artifacts = g_ptr_array_new ();
  g_autoptr(GPtrArray) modules = g_ptr_array_new ();
  GString *text = g_string_new (NULL);
  TlLevelSetting *root;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (TL_IS_REGISTRY (self), NULL);

  g_rw_lock_reader_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->components);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (components, value);
  g_ptr_array_sort (components, compare_component_names);

  g_string_append_printf (text, "%s\n", _("Components:"));
  /* `all` in a registry without a `torch` log. */
  root = g_hash_table_lookup (self->config->levels, TL_ROOT_QNAME);
  if (root != NULL)
    append_explained_level (text, 2, 20, "all", root->level, root);
  for (guint i = 0; i < components->len; i++)
    {
      TlComponent *component = g_ptr_array_index (components, i);
      const char * const *domains = tl_component_peek_domains (component);
      TlLevelSetting *first_source, *source;
      TlLevel first_level, level;

      first_level = effective_level_with_source_locked (self, domains[0], &first_source);
      append_explained_level (text, 2, 20, tl_component_get_name (component),
                              first_level, first_source);
      /* Aliases share domains (`export` includes `torch._dynamo`), so a
       * log's domains can end at different levels. */
      for (gsize d = 1; domains[d] != NULL; d++)
        {
          level = effective_level_with_source_locked (self, domains[d], &source);
          if (level != first_level ||
              (source == NULL) != (first_source == NULL) ||
              (source != NULL && !g_str_equal (source->source, first_source->source)))
            append_explained_level (text, 4, 38, domains[d], level, source);
        }
    }

  /* Levels set on names that are no log's domain: child logs and the
   * modules below them. */
  g_hash_table_iter_init (&iter, self->config->levels);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (((const char *) key)[0] != '\0' && !g_hash_table_contains (self->qnames, key))
      g_ptr_array_add (modules, key);
  if (modules->len > 0)
    {
      g_ptr_array_sort (modules, compare_strings);
      g_string_append_printf (text, "%s\n", _("Modules:"));
      for (guint i = 0; i < modules->len; i++)
        {
          TlLevelSetting *source;
          TlLevel level = effective_level_with_source_locked (self, g_ptr_array_index (modules, i),
                                                              &source);
          append_explained_level (text, 2, 20, g_ptr_array_index (modules, i), level, source);
        }
    }

  g_hash_table_iter_init (&iter, self->config->artifacts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (artifacts, key);
  g_ptr_array_sort (artifacts, compare_strings);
  g_string_append_printf (text, "%s\n", _("Enabled artifacts:"));
  if (artifacts->len == 0)
    g_string_append_printf (text, "  %s\n", _("(none)"));
  for (guint i = 0; i < artifacts->len; i++)
    {
      const char *name = g_ptr_array_index (artifacts, i);
      g_string_append_printf (text, "  %-20s ", name);
      g_string_append_printf (text, _("set by \"%s\""),
                              (const char *) g_hash_table_lookup (self->config->artifacts, name));
      g_string_append_c (text, '\n');
    }
  g_rw_lock_reader_unlock (&self->lock);
  return g_string_free (text, FALSE);
}

void
tl_registry_emit_internal (TlRegistry *self,
                           TlLevel     level,
                           const char *message)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(TlOutput) output = NULL;
  TlRecord record = {
    .level = level,
    .logger_name = "torchlog",
    .message = message,
    .message_len = -1,
    .file = "torchlog",
    .line = "0",
    .func = NULL,
    .time_us = g_get_real_time (),
    .rank = tl_registry_get_rank (self),
  };

  g_rw_lock_reader_lock (&self->lock);
  output = tl_output_ref (self->output);
  g_rw_lock_reader_unlock (&self->lock);

  if (output->format != NULL)
    tl_format_append (output->format, &record, line);
  else
    tl_format_glog (&record, line);
  tl_output_write (output, line->str, line->len);
}
