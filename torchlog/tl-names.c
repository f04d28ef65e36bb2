/* tl-names.c: the registered names: logs, their domains, artifacts
 *
 * One log alias (`dynamo`) stands for several dotted domains, and a
 * domain may be listed by several aliases (`export` shares
 * `torch._dynamo`): each domain counts the logs that list it and is owned
 * by the first. Child logs are module names a configuration named below
 * a registered domain; they never own records.
 *
 * Nothing here is interned: names come from settings (TORCH_LOGS,
 * tl_registry_set_logs(), GSettings), and a long-running program that is given new
 * module names again and again must get its memory back when a registry
 * is freed. Domains and child logs are reference-counted strings
 * (GRefString), which a sealed copy shares instead of copying; the
 * aliases are the components' own names, valid while the tables hold the
 * components.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-names-private.h"
#include "tl-refcount-private.h"

typedef struct {
  guint       count;   /* how many logs list this domain */
  const char *owner;   /* the name of the first log that lists it, a
                        * component the same TlNames holds in @logs */
} Domain;

struct _TlNames
{
  gatomicrefcount ref;
  gboolean    sealed;
  GHashTable *logs;        /* alias (the component's name) → TlComponent (a reference) */
  GHashTable *artifacts;   /* name (the artifact's) → TlArtifact (a reference) */
  GHashTable *domains;     /* domain (GRefString) → Domain */
  GHashTable *child_logs;  /* domains (GRefString), a set */
};

TlNames *
tl_names_new (void)
{
  TlNames *names = g_new0 (TlNames, 1);

  tl_ref_init (&names->ref);
  names->logs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  names->artifacts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  names->domains = g_hash_table_new_full (g_str_hash, g_str_equal,
                                          (GDestroyNotify) g_ref_string_release, g_free);
  names->child_logs = g_hash_table_new_full (g_str_hash, g_str_equal,
                                             (GDestroyNotify) g_ref_string_release, NULL);
  return names;
}

static void
copy_objects (GHashTable *to, GHashTable *from)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, from);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (to, key, g_object_ref (value));
}

TlNames *
tl_names_copy (const TlNames *names)
{
  TlNames *copy = tl_names_new ();
  GHashTableIter iter;
  gpointer key, value;

  copy_objects (copy->logs, names->logs);
  copy_objects (copy->artifacts, names->artifacts);
  /* Domain.owner points at a component that copy_objects() just gave
   * the copy a reference on: the copy keeps it valid by itself. */
  g_hash_table_iter_init (&iter, names->domains);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->domains, g_ref_string_acquire (key), g_memdup2 (value, sizeof (Domain)));
  g_hash_table_iter_init (&iter, names->child_logs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (copy->child_logs, g_ref_string_acquire (key));
  copy->sealed = TRUE;
  return copy;
}

TlNames *
tl_names_ref (TlNames *names)
{
  tl_ref_inc (&names->ref);
  return names;
}

void
tl_names_unref (TlNames *names)
{
  if (names == NULL || !tl_ref_dec (&names->ref))
    return;
  g_hash_table_unref (names->logs);
  g_hash_table_unref (names->artifacts);
  g_hash_table_unref (names->domains);
  g_hash_table_unref (names->child_logs);
  g_free (names);
}

static void
domains_add (TlNames *names, const char * const *domains, const char *owner)
{
  for (gsize i = 0; domains[i] != NULL; i++)
    {
      Domain *domain = g_hash_table_lookup (names->domains, domains[i]);

      if (domain == NULL)
        {
          domain = g_new0 (Domain, 1);
          domain->owner = owner;
          g_hash_table_insert (names->domains, g_ref_string_new (domains[i]), domain);
        }
      domain->count++;
    }
}

static void
domains_remove (TlNames *names, const char * const *domains)
{
  for (gsize i = 0; domains[i] != NULL; i++)
    {
      Domain *domain = g_hash_table_lookup (names->domains, domains[i]);

      if (domain != NULL && --domain->count == 0)
        g_hash_table_remove (names->domains, domains[i]);
    }
}

void
tl_names_add_log (TlNames     *names,
                  TlComponent *component)
{
  g_return_if_fail (!names->sealed);
  /* The key is the component's own name: replacing the component would
   * leave the key, and the domains it owns, pointing at a freed one. */
  g_return_if_fail (!g_hash_table_contains (names->logs, tl_component_get_name (component)));

  g_hash_table_insert (names->logs, (gpointer) tl_component_get_name (component),
                       g_object_ref (component));
  domains_add (names, tl_component_peek_domains (component), tl_component_get_name (component));
}

void
tl_names_set_domains (TlNames            *names,
                      TlComponent        *component,
                      const char * const *domains)
{
  g_return_if_fail (!names->sealed);

  domains_remove (names, tl_component_peek_domains (component));
  tl_component_store_domains (component, domains);
  domains_add (names, domains, tl_component_get_name (component));
}

void
tl_names_add_artifact (TlNames    *names,
                       TlArtifact *artifact)
{
  g_return_if_fail (!names->sealed);
  g_return_if_fail (!g_hash_table_contains (names->artifacts, tl_artifact_get_name (artifact)));

  g_hash_table_insert (names->artifacts, (gpointer) tl_artifact_get_name (artifact),
                       g_object_ref (artifact));
}

void
tl_names_add_child_log (TlNames    *names,
                        const char *domain)
{
  g_return_if_fail (!names->sealed);

  if (!g_hash_table_contains (names->child_logs, domain))
    g_hash_table_add (names->child_logs, g_ref_string_new (domain));
}

TlComponent *
tl_names_lookup_log (const TlNames *names,
                     const char    *alias)
{
  return g_hash_table_lookup (names->logs, alias);
}

TlArtifact *
tl_names_lookup_artifact (const TlNames *names,
                          const char    *name)
{
  return g_hash_table_lookup (names->artifacts, name);
}

gboolean
tl_names_is_log_domain (const TlNames *names,
                        const char    *domain)
{
  return g_hash_table_contains (names->domains, domain);
}

gboolean
tl_names_is_child_log (const TlNames *names,
                       const char    *domain)
{
  return g_hash_table_contains (names->child_logs, domain);
}

gboolean
tl_names_is_known_domain (const TlNames *names,
                          const char    *domain)
{
  return tl_names_is_log_domain (names, domain) || tl_names_is_child_log (names, domain);
}

gboolean
tl_name_walk_prefixes (const char      *name,
                       TlPrefixVisitor  visit,
                       gpointer         data)
{
  char stack_buf[256];
  gsize len = strlen (name);
  char *buf;
  gboolean found = FALSE;

  /* Each step hashes a prefix, so a walk costs length × depth; no
   * registered domain is longer than TL_MAX_DOMAIN_LENGTH. */
  if (len > TL_MAX_DOMAIN_LENGTH)
    return FALSE;
  buf = len < sizeof stack_buf ? stack_buf : g_malloc (len + 1);

  memcpy (buf, name, len + 1);
  for (;;)
    {
      char *dot;

      if (visit (buf, data))
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

typedef struct {
  const TlNames *names;
  const char    *owner;
} OwnerSearch;

static gboolean
find_owner (const char *prefix, gpointer data)
{
  OwnerSearch *search = data;
  const Domain *domain = g_hash_table_lookup (search->names->domains, prefix);

  if (domain == NULL)
    return FALSE;
  search->owner = domain->owner;
  return TRUE;
}

const char *
tl_names_owner (const TlNames *names,
                const char    *domain)
{
  OwnerSearch search = { names, NULL };

  tl_name_walk_prefixes (domain, find_owner, &search);
  return search.owner;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  /* strcmp on UTF-8 orders by code point, as Python's sorted() does. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

GPtrArray *
tl_names_sorted_logs (const TlNames *names)
{
  return sorted_keys (names->logs);
}

GPtrArray *
tl_names_sorted_artifacts (const TlNames *names)
{
  return sorted_keys (names->artifacts);
}

GHashTable *
tl_names_peek_logs (const TlNames *names)
{
  return names->logs;
}

GHashTable *
tl_names_peek_artifacts (const TlNames *names)
{
  return names->artifacts;
}

GHashTable *
tl_names_peek_domains (const TlNames *names)
{
  return names->domains;
}

GHashTable *
tl_names_peek_child_logs (const TlNames *names)
{
  return names->child_logs;
}

const char *
tl_logger_name_split (const char *logger_name)
{
  const char *marker = g_strrstr (logger_name, ".__");

  if (marker == NULL || strchr (marker + 3, '.') != NULL)
    return NULL;
  return marker;
}
