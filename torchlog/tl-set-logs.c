/* tl-set-logs.c: torch's set_logs(), in the forms C and bindings call it
 *
 * Every form (varargs, GVariant dictionary, GValue arrays) becomes one
 * TlLogsSpec of pairs, which the registry resolves against its names and
 * applies (tl_registry_apply_set_logs()). Values are only marshalled
 * here; whether they are right for the name is decided in tl-config.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-registry-private.h"
#include "tl-logs-parser-private.h"

/**
 * tl_registry_set_logs: (skip)
 * @self: a #TlRegistry
 * @error: return location for a #GError
 * @first_name: the first log, artifact or module name, or %NULL
 * @...: its value (an `int`: a #TlLevel for logs and modules, %TRUE or
 *   %FALSE for artifacts), then more name/value pairs, ending with %NULL
 *
 * torch's `set_logs`: a complete configuration, so anything not named
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
  g_autoptr(TlLogsSpec) spec = tl_logs_spec_new (TL_LOGS_SPEC_SET_LOGS);

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    tl_logs_spec_add_pair (spec, name, g_variant_new_int32 (va_arg (args, int)), TRUE);
  return tl_registry_apply_set_logs (self, spec, error);
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
  g_autoptr(TlLogsSpec) spec = tl_logs_spec_new (TL_LOGS_SPEC_SET_LOGS);
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
      /* A maybe holding a value is that value (one holding nothing is
       * skipped as "not mentioned" later). */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE) && g_variant_n_children (value) == 1)
        {
          GVariant *child = g_variant_get_child_value (value, 0);
          g_variant_unref (value);
          value = child;
        }
      tl_logs_spec_add_pair (spec, name, value, FALSE);
    }
  result = tl_registry_apply_set_logs (self, spec, error);
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
  g_autoptr(TlLogsSpec) spec = tl_logs_spec_new (TL_LOGS_SPEC_SET_LOGS);

  g_return_val_if_fail (TL_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (n_settings == 0 || (names != NULL && values != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < n_settings; i++)
    {
      g_return_val_if_fail (names[i] != NULL, FALSE);
      tl_logs_spec_add_pair (spec, names[i], set_logs_value_from_gvalue (&values[i]), FALSE);
    }
  return tl_registry_apply_set_logs (self, spec, error);
}

