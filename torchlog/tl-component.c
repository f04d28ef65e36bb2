/* tl-component.c: TlComponent, a registered log (torch's "log" alias)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-component-private.h"
#include "tl-enum-types.h"

/**
 * SECTION:tl-component
 * @title: TlComponent
 * @short_description: a log: an alias for one or more qualified domains
 *
 * A #TlComponent is what torch calls a log: a short name such as `dynamo`
 * that `TORCH_LOGS` and tl_registry_set_logs() accept, standing for one or more
 * dotted domains (`torch._dynamo`, `torch.fx.experimental.symbolic_shapes`).
 * Every domain below one of them belongs to the component too.
 *
 * Components are created by tl_registry_register_log(); their
 * #TlComponent:level follows every configuration the registry applies.
 * Strings returned by the getters belong to the component and stay valid
 * as long as it lives, whatever another thread changes meanwhile (a
 * replaced description is kept until the component is finalized), so
 * they are safe to use from any thread that holds a reference.
 *
 * Nothing is interned: a configuration that open-registers a million
 * module names gets a million components, and freeing the registry frees
 * their names too.
 */

struct _TlComponent
{
  GObject     parent_instance;

  const TlComponentOwner *hooks;
  GWeakRef    owner;         /* the registry */
  char       *name;          /* owned, never changes */
  const char *description;   /* atomic: "" or one of @descriptions */
  GHashTable *descriptions;  /* every description given (owned), or NULL */
  GMutex      domains_lock;  /* guards @domains for tl_component_dup_domains() */
  char      **domains;
  int         level;         /* atomic: the effective level */
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_DOMAINS,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TlComponent, tl_component, G_TYPE_OBJECT)

static void
tl_component_finalize (GObject *object)
{
  TlComponent *self = TL_COMPONENT (object);

  g_weak_ref_clear (&self->owner);
  g_mutex_clear (&self->domains_lock);
  g_strfreev (self->domains);
  g_free (self->name);
  g_clear_pointer (&self->descriptions, g_hash_table_unref);
  G_OBJECT_CLASS (tl_component_parent_class)->finalize (object);
}

static void
tl_component_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TlComponent *self = TL_COMPONENT (object);

  switch (prop_id)
    {
    /* Copies: a GValue may outlive the component. */
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, tl_component_get_description (self));
      break;
    case PROP_DOMAINS:
      g_value_take_boxed (value, tl_component_dup_domains (self));
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, tl_component_get_level (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_component_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TlComponent *self = TL_COMPONENT (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      tl_component_set_level (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_component_class_init (TlComponentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tl_component_finalize;
  object_class->get_property = tl_component_get_property;
  object_class->set_property = tl_component_set_property;

  /**
   * TlComponent:name:
   *
   * The name users write in `TORCH_LOGS` and tl_registry_set_logs(), e.g. `dynamo`.
   *
   * Since: 0.1
   */
  props[PROP_NAME] =
    g_param_spec_string ("name", "Name",
                         "The component name users write in TORCH_LOGS", NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * TlComponent:description:
   *
   * A sentence for help texts and UIs.
   *
   * Since: 0.1
   */
  props[PROP_DESCRIPTION] =
    g_param_spec_string ("description", "Description",
                         "A sentence for help texts", "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TlComponent:domains:
   *
   * The qualified domains the component stands for, in registration
   * order. Registering the same name again replaces them (torch's rule).
   *
   * Since: 0.1
   */
  props[PROP_DOMAINS] =
    g_param_spec_boxed ("domains", "Domains",
                         "The qualified domains of the component", G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);

  /**
   * TlComponent:level:
   *
   * The effective level of the component's first domain under the
   * current configuration (%TL_LEVEL_WARNING by default). Setting it sets
   * every domain of the component in the current configuration, as if
   * the configuration had said so, and emits #TlRegistry::changed.
   *
   * Since: 0.1
   */
  props[PROP_LEVEL] =
    g_param_spec_enum ("level", "Level",
                         "The effective level of the component", TL_TYPE_LEVEL, TL_LEVEL_WARNING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tl_component_init (TlComponent *self)
{
  self->level = TL_LEVEL_WARNING;
  self->description = "";
}

/* The copy of @text the component keeps until it is finalized: readers
 * of an older description (another thread, a help text being built) are
 * never left with a freed string. Each distinct text is kept once. */
static const char *
keep_description (TlComponent *self,
                  const char  *text)
{
  char *kept;

  if (text[0] == '\0')
    return "";
  if (self->descriptions == NULL)
    self->descriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  kept = g_hash_table_lookup (self->descriptions, text);
  if (kept == NULL)
    {
      kept = g_strdup (text);
      g_hash_table_add (self->descriptions, kept);
    }
  return kept;
}

TlComponent *
tl_component_new (const TlComponentOwner *hooks,
                  GObject                *owner,
                  const char             *name,
                  const char * const     *domains,
                  const char             *description)
{
  TlComponent *self = g_object_new (TL_TYPE_COMPONENT, NULL);

  self->hooks = hooks;
  g_weak_ref_init (&self->owner, owner);
  self->name = g_strdup (name);
  self->domains = g_strdupv ((char **) domains);
  if (description != NULL)
    self->description = keep_description (self, description);
  return self;
}

gboolean
tl_component_store_domains (TlComponent        *self,
                            const char * const *domains)
{
  char **old;

  if (g_strv_equal ((const char * const *) self->domains, domains))
    return FALSE;
  g_mutex_lock (&self->domains_lock);
  old = self->domains;
  self->domains = g_strdupv ((char **) domains);
  g_mutex_unlock (&self->domains_lock);
  g_strfreev (old);
  return TRUE;
}

gboolean
tl_component_store_description (TlComponent *self,
                                const char  *description)
{
  const char *kept;

  if (g_str_equal (self->description, description ? description : ""))
    return FALSE;
  kept = keep_description (self, description ? description : "");
  g_atomic_pointer_set (&self->description, kept);
  return TRUE;
}

gboolean
tl_component_store_level (TlComponent *self,
                          TlLevel      level)
{
  return g_atomic_int_exchange (&self->level, level) != (int) level;
}

const char * const *
tl_component_peek_domains (TlComponent *self)
{
  return (const char * const *) self->domains;
}

void
tl_component_notify (TlComponent *self,
                     const char  *property)
{
  for (guint i = 1; i < N_PROPS; i++)
    if (g_str_equal (props[i]->name, property))
      g_object_notify_by_pspec (G_OBJECT (self), props[i]);
}

/**
 * tl_component_get_name:
 * @self: a #TlComponent
 *
 * Gets #TlComponent:name.
 *
 * Returns: (transfer none): the name, owned by @self and valid as long
 *   as @self lives
 *
 * Since: 0.1
 */
const char *
tl_component_get_name (TlComponent *self)
{
  g_return_val_if_fail (TL_IS_COMPONENT (self), NULL);
  return self->name;
}

/**
 * tl_component_get_description:
 * @self: a #TlComponent
 *
 * Gets #TlComponent:description.
 *
 * Returns: (transfer none): the description, empty if none; owned by
 *   @self and valid as long as @self lives, even after a registration
 *   replaces it
 *
 * Since: 0.1
 */
const char *
tl_component_get_description (TlComponent *self)
{
  g_return_val_if_fail (TL_IS_COMPONENT (self), NULL);
  return g_atomic_pointer_get (&self->description);
}

/**
 * tl_component_dup_domains:
 * @self: a #TlComponent
 *
 * Gets a copy of #TlComponent:domains.
 *
 * Returns: (transfer full) (array zero-terminated=1): the domains; free
 *   with g_strfreev()
 *
 * Since: 0.1
 */
char **
tl_component_dup_domains (TlComponent *self)
{
  char **copy;

  g_return_val_if_fail (TL_IS_COMPONENT (self), NULL);

  g_mutex_lock (&self->domains_lock);
  copy = g_strdupv (self->domains);
  g_mutex_unlock (&self->domains_lock);
  return copy;
}

/**
 * tl_component_get_level:
 * @self: a #TlComponent
 *
 * Gets #TlComponent:level.
 *
 * Returns: the effective level of the component
 *
 * Since: 0.1
 */
TlLevel
tl_component_get_level (TlComponent *self)
{
  g_return_val_if_fail (TL_IS_COMPONENT (self), TL_LEVEL_WARNING);
  return g_atomic_int_get (&self->level);
}

/**
 * tl_component_set_level:
 * @self: a #TlComponent
 * @level: the new level
 *
 * Sets every domain of the component to @level in the registry's current
 * configuration. Other settings are kept. Does nothing once the registry
 * is gone.
 *
 * Since: 0.1
 */
void
tl_component_set_level (TlComponent *self,
                        TlLevel      level)
{
  g_autoptr(GObject) owner = NULL;

  g_return_if_fail (TL_IS_COMPONENT (self));
  g_return_if_fail (tl_level_is_valid (level));

  owner = g_weak_ref_get (&self->owner);
  if (owner != NULL)
    self->hooks->set_level (owner, self, level);
}
