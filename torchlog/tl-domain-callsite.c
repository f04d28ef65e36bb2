/* tl-domain-callsite.c: call sites for domains known at run time
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-domain-callsite-private.h"

static GMutex      callsites_lock;
static GHashTable *callsites;   /* interned domain → TlCallsite, never freed */

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
      callsite->domain = g_intern_string (domain);
      g_hash_table_insert (callsites, (gpointer) callsite->domain, callsite);
    }
  g_mutex_unlock (&callsites_lock);
  return callsite;
}
