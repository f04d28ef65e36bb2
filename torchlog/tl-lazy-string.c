/* tl-lazy-string.c: text built only when a record is formatted
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-lazy-string.h"

/**
 * SECTION:tl-lazy-string
 * @title: TlLazyString
 * @short_description: torch's LazyString for C
 *
 * torch passes `LazyString(fn, *args)` as a log argument so that
 * expensive text is built only if the record is printed. The logging
 * macros already evaluate no argument while a record is off, so in C the
 * laziness matters where the text is prepared before it is known whether
 * it will be logged, and passed on:
 *
 * |[<!-- language="C" -->
 * static char *
 * describe_guards (gpointer data)
 * {
 *   return guards_to_string (data);   // expensive
 * }
 *
 * g_autoptr(TlLazyString) why = tl_lazy_string_new (describe_guards, guards, NULL);
 * check_cache (entry, why);           // may log it, or not
 *
 * // in check_cache ():
 * tl_debug ("cache miss: %s", tl_lazy_string_get (why));
 * ]|
 *
 * As in torch, nothing is cached: every use calls the function again.
 */

struct _TlLazyString {
  TlLazyStringFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
  GMutex            lock;
  GPtrArray        *results;    /* texts handed out by get(), until unref */
};

/**
 * tl_lazy_string_new:
 * @func: (scope notified) (closure user_data) (destroy destroy): builds
 *   the text
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data with the last reference
 *
 * Creates a lazy string.
 *
 * Returns: (transfer full): a new #TlLazyString
 *
 * Since: 0.1
 */
TlLazyString *
tl_lazy_string_new (TlLazyStringFunc func,
                    gpointer         user_data,
                    GDestroyNotify   destroy)
{
  TlLazyString *lazy;

  g_return_val_if_fail (func != NULL, NULL);

  lazy = g_atomic_rc_box_new0 (TlLazyString);
  lazy->func = func;
  lazy->user_data = user_data;
  lazy->destroy = destroy;
  g_mutex_init (&lazy->lock);
  lazy->results = g_ptr_array_new_with_free_func (g_free);
  return lazy;
}

/**
 * tl_lazy_string_ref:
 * @lazy: a #TlLazyString
 *
 * Takes a reference to @lazy.
 *
 * Returns: (transfer full): @lazy
 *
 * Since: 0.1
 */
TlLazyString *
tl_lazy_string_ref (TlLazyString *lazy)
{
  g_return_val_if_fail (lazy != NULL, NULL);
  return g_atomic_rc_box_acquire (lazy);
}

static void
lazy_string_clear (gpointer data)
{
  TlLazyString *lazy = data;

  if (lazy->destroy != NULL)
    lazy->destroy (lazy->user_data);
  g_ptr_array_unref (lazy->results);
  g_mutex_clear (&lazy->lock);
}

/**
 * tl_lazy_string_unref:
 * @lazy: (transfer full): a #TlLazyString
 *
 * Drops a reference; the last one frees the data and every text
 * tl_lazy_string_get() returned.
 *
 * Since: 0.1
 */
void
tl_lazy_string_unref (TlLazyString *lazy)
{
  g_return_if_fail (lazy != NULL);
  g_atomic_rc_box_release_full (lazy, lazy_string_clear);
}

G_DEFINE_BOXED_TYPE (TlLazyString, tl_lazy_string, tl_lazy_string_ref, tl_lazy_string_unref)

/**
 * tl_lazy_string_to_string:
 * @lazy: a #TlLazyString
 *
 * Builds the text by calling the function, every time.
 *
 * Returns: (transfer full): the text; `""` if the function returned %NULL
 *
 * Since: 0.1
 */
char *
tl_lazy_string_to_string (TlLazyString *lazy)
{
  char *text;

  g_return_val_if_fail (lazy != NULL, NULL);

  text = lazy->func (lazy->user_data);
  return text != NULL ? text : g_strdup ("");
}

/**
 * tl_lazy_string_get:
 * @lazy: a #TlLazyString
 *
 * Builds the text by calling the function, every time, for use as a
 * logging argument. The text stays valid until @lazy is freed, so it can
 * be passed straight to tl_debug() and friends, which only evaluate it
 * when the record is printed. Every text is kept until then: for a lazy
 * string used very often, prefer tl_lazy_string_to_string().
 *
 * Returns: (transfer none): the text
 *
 * Since: 0.1
 */
const char *
tl_lazy_string_get (TlLazyString *lazy)
{
  char *text;

  g_return_val_if_fail (lazy != NULL, NULL);

  text = tl_lazy_string_to_string (lazy);
  g_mutex_lock (&lazy->lock);
  g_ptr_array_add (lazy->results, text);
  g_mutex_unlock (&lazy->lock);
  return text;
}
