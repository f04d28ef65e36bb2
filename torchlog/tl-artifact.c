/* tl-artifact.c: TlArtifact, a named kind of debug output, on or off
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-artifact-private.h"

/**
 * SECTION:tl-artifact
 * @title: TlArtifact
 * @short_description: a named kind of debug output that is on or off
 *
 * An artifact (torch's `guards`, `graph_code`, `output_code`) is not a
 * level: it is enabled or not. Any domain can emit it through its artifact
 * logger, `domain.__name` (see tl_registry_get_artifact_logger() and
 * tl_artifact()). Enabling it enables it in every domain.
 *
 * When an artifact is not enabled, its records follow the level of the
 * domain they come from, unless the artifact is off by default: then they
 * are printed only when it is named explicitly.
 *
 * Strings returned by the getters belong to the artifact and stay valid
 * as long as it lives, whatever another thread changes meanwhile (a
 * replaced description or format is kept until the artifact is
 * finalized), so they are safe to use from any thread that holds a
 * reference. Nothing is interned: freeing the registry frees them.
 */

struct _TlArtifact
{
  GObject          parent_instance;

  const TlArtifactOwner *hooks;
  GWeakRef         owner;         /* the registry */
  GPtrArray       *formats;       /* every TlFormat it was given */
  GHashTable      *strings;       /* every description and format given (owned), or NULL */
  char            *name;          /* owned, never changes */
  const char      *description;   /* atomic: "" or one of @strings */
  const char      *log_format;    /* atomic: one of @strings, or NULL */
  const TlFormat  *format;        /* the latest of @formats, or NULL */
  int              flags;         /* atomic TlArtifactFlags */
  int              enabled;       /* atomic */
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_DESCRIPTION,
  PROP_VISIBLE,
  PROP_OFF_BY_DEFAULT,
  PROP_LOG_FORMAT,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TlArtifact, tl_artifact, G_TYPE_OBJECT)

static void
tl_artifact_finalize (GObject *object)
{
  TlArtifact *self = TL_ARTIFACT (object);

  g_weak_ref_clear (&self->owner);
  g_ptr_array_unref (self->formats);
  g_clear_pointer (&self->strings, g_hash_table_unref);
  g_free (self->name);
  G_OBJECT_CLASS (tl_artifact_parent_class)->finalize (object);
}

static void
tl_artifact_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TlArtifact *self = TL_ARTIFACT (object);

  switch (prop_id)
    {
    /* Copies: a GValue may outlive the artifact. */
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, tl_artifact_get_description (self));
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, tl_artifact_get_visible (self));
      break;
    case PROP_OFF_BY_DEFAULT:
      g_value_set_boolean (value, tl_artifact_get_off_by_default (self));
      break;
    case PROP_LOG_FORMAT:
      g_value_set_string (value, tl_artifact_get_log_format (self));
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, tl_artifact_get_enabled (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_artifact_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TlArtifact *self = TL_ARTIFACT (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      tl_artifact_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_artifact_class_init (TlArtifactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                G_PARAM_STATIC_STRINGS;

  object_class->finalize = tl_artifact_finalize;
  object_class->get_property = tl_artifact_get_property;
  object_class->set_property = tl_artifact_set_property;

  /**
   * TlArtifact:name:
   *
   * The name users write in `TORCH_LOGS` and tl_registry_set_logs(), e.g. `guards`.
   *
   * Since: 0.1
   */
  props[PROP_NAME] =
    g_param_spec_string ("name", "Name",
                         "The artifact name users write in TORCH_LOGS", NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * TlArtifact:description:
   *
   * The text the help lists beside the name. Registering the artifact
   * again replaces it.
   *
   * Since: 0.1
   */
  props[PROP_DESCRIPTION] =
    g_param_spec_string ("description", "Description",
                         "A sentence for help texts", "", read_only);

  /**
   * TlArtifact:visible:
   *
   * Whether the short help (`TORCH_LOGS=help`) lists the artifact. Once
   * set by a registration it stays set (torch's rule).
   *
   * Since: 0.1
   */
  props[PROP_VISIBLE] =
    g_param_spec_boolean ("visible", "Visible",
                         "Whether help texts list the artifact", FALSE, read_only);

  /**
   * TlArtifact:off-by-default:
   *
   * Whether the artifact stays off when its component is at DEBUG, so
   * that it must be named explicitly. Once set it stays set.
   *
   * Since: 0.1
   */
  props[PROP_OFF_BY_DEFAULT] =
    g_param_spec_boolean ("off-by-default", "Off by default",
                         "Whether only naming it enables the artifact", FALSE, read_only);

  /**
   * TlArtifact:log-format:
   *
   * A Python `%`-style format (`%(message)s`) used for the artifact's
   * records instead of torch's glog prefix, or %NULL. The empty string
   * prints the bare message.
   *
   * Since: 0.1
   */
  props[PROP_LOG_FORMAT] =
    g_param_spec_string ("log-format", "Log format",
                         "The format of the artifact's records", NULL, read_only);

  /**
   * TlArtifact:enabled:
   *
   * Whether the current configuration names the artifact. Setting it
   * changes the current configuration and emits #TlRegistry::changed.
   *
   * Since: 0.1
   */
  props[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", "Enabled",
                         "Whether the artifact is enabled", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tl_artifact_init (TlArtifact *self)
{
  self->description = "";
  self->formats = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_format_free);
}

/* The copy of @text the artifact keeps until it is finalized, as it keeps
 * its formats: a thread still reading the previous description or format
 * is never left with a freed string. Each distinct text is kept once. */
static const char *
keep_string (TlArtifact *self,
             const char *text)
{
  char *kept;

  if (self->strings == NULL)
    self->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  kept = g_hash_table_lookup (self->strings, text);
  if (kept == NULL)
    {
      kept = g_strdup (text);
      g_hash_table_add (self->strings, kept);
    }
  return kept;
}

TlArtifact *
tl_artifact_new (const TlArtifactOwner *hooks,
                 GObject               *owner,
                 const char            *name)
{
  TlArtifact *self = g_object_new (TL_TYPE_ARTIFACT, NULL);

  self->hooks = hooks;
  g_weak_ref_init (&self->owner, owner);
  self->name = g_strdup (name);
  return self;
}

gboolean
tl_artifact_store_description (TlArtifact *self,
                               const char *description)
{
  if (description == NULL)
    description = "";
  if (g_str_equal (self->description, description))
    return FALSE;
  g_atomic_pointer_set (&self->description, description[0] ? keep_string (self, description) : "");
  return TRUE;
}

/* Flags are only ever added, as torch's sets only grow. */
gboolean
tl_artifact_store_flags (TlArtifact      *self,
                         TlArtifactFlags  flags)
{
  guint old = g_atomic_int_or ((guint *) &self->flags, flags);
  return (old | flags) != old;
}

gboolean
tl_artifact_store_log_format (TlArtifact     *self,
                              const char     *log_format,
                              TlFormat       *compiled)
{
  if (compiled != NULL)
    g_ptr_array_add (self->formats, compiled);
  g_atomic_pointer_set (&self->format, compiled);
  if (g_strcmp0 (log_format, self->log_format) == 0)
    return FALSE;
  g_atomic_pointer_set (&self->log_format, log_format ? keep_string (self, log_format) : NULL);
  return TRUE;
}

gboolean
tl_artifact_store_enabled (TlArtifact *self,
                           gboolean    enabled)
{
  return g_atomic_int_exchange (&self->enabled, !!enabled) != !!enabled;
}

const TlFormat *
tl_artifact_peek_format (TlArtifact *self)
{
  return g_atomic_pointer_get (&self->format);
}

void
tl_artifact_notify (TlArtifact *self,
                    const char *property)
{
  for (guint i = 1; i < N_PROPS; i++)
    if (g_str_equal (props[i]->name, property))
      g_object_notify_by_pspec (G_OBJECT (self), props[i]);
}

/**
 * tl_artifact_get_name:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:name.
 *
 * Returns: (transfer none): the name, owned by @self and valid as long
 *   as @self lives
 *
 * Since: 0.1
 */
const char *
tl_artifact_get_name (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), NULL);
  return self->name;
}

/**
 * tl_artifact_get_description:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:description.
 *
 * Returns: (transfer none): the description, empty if none; owned by
 *   @self and valid as long as @self lives, even after a registration
 *   replaces it
 *
 * Since: 0.1
 */
const char *
tl_artifact_get_description (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), NULL);
  return g_atomic_pointer_get (&self->description);
}

/**
 * tl_artifact_get_visible:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:visible.
 *
 * Returns: whether the short help lists the artifact
 *
 * Since: 0.1
 */
gboolean
tl_artifact_get_visible (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), FALSE);
  return (g_atomic_int_get (&self->flags) & TL_ARTIFACT_FLAGS_VISIBLE) != 0;
}

/**
 * tl_artifact_get_off_by_default:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:off-by-default.
 *
 * Returns: whether the artifact must be named explicitly
 *
 * Since: 0.1
 */
gboolean
tl_artifact_get_off_by_default (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), FALSE);
  return (g_atomic_int_get (&self->flags) & TL_ARTIFACT_FLAGS_OFF_BY_DEFAULT) != 0;
}

/**
 * tl_artifact_get_log_format:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:log-format.
 *
 * Returns: (transfer none) (nullable): the format, or %NULL for torch's;
 *   owned by @self and valid as long as @self lives, even after a
 *   registration replaces it
 *
 * Since: 0.1
 */
const char *
tl_artifact_get_log_format (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), NULL);
  return g_atomic_pointer_get (&self->log_format);
}

/**
 * tl_artifact_get_enabled:
 * @self: a #TlArtifact
 *
 * Gets #TlArtifact:enabled.
 *
 * Returns: whether the current configuration enables the artifact
 *
 * Since: 0.1
 */
gboolean
tl_artifact_get_enabled (TlArtifact *self)
{
  g_return_val_if_fail (TL_IS_ARTIFACT (self), FALSE);
  return g_atomic_int_get (&self->enabled);
}

/**
 * tl_artifact_set_enabled:
 * @self: a #TlArtifact
 * @enabled: whether to enable the artifact
 *
 * Enables or disables the artifact in the registry's current
 * configuration; other settings are kept.
 *
 * Since: 0.1
 */
void
tl_artifact_set_enabled (TlArtifact *self,
                         gboolean    enabled)
{
  g_autoptr(GObject) owner = NULL;

  g_return_if_fail (TL_IS_ARTIFACT (self));

  owner = g_weak_ref_get (&self->owner);
  if (owner != NULL)
    self->hooks->set_enabled (owner, self, enabled);
}
