/* tl-domain-callsite.c: call sites for domains known at run time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-domain-callsite-private.h"

static GMutex      callsites_lock;
/* domain → TlCallsite. Kept for the life of the process, like torch's
 * warning_once() cache (an unbounded lru_cache): step loggers and
 * warning_once() hold their call site's pointer without a reference.
 * The domain is a copy of the call site's own, not an interned string, so
 * it does not grow GLib's quark table. */
static GHashTable *callsites;

TlCallsite *
tl_domain_callsite (const char *domain)
{
  TlCallsite *callsite;

  g_mutex_lock (&callsites_lock);
  if (callsites == NULL)
    callsites = g_hash_table_new (g_str_hash, g_str_equal);
  callsite = g_hash_table_lookup (callsites, domain);
  if (callsite == NULL)
    {
      callsite = g_new0 (TlCallsite, 1);
      callsite->domain = g_strdup (domain);
      g_hash_table_insert (callsites, (gpointer) callsite->domain, callsite);
    }
  g_mutex_unlock (&callsites_lock);
  return callsite;
}
