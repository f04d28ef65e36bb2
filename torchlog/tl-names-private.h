/* tl-names-private.h: the registered names: logs, their domains, artifacts
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-component-private.h"
#include "tl-artifact-private.h"

G_BEGIN_DECLS

/* The longest domain a log may have (tl_registry_register_log() refuses
 * longer ones): lookups walk a name's dotted prefixes, so this bounds
 * what a record or a query with a hostile domain can cost. */
#define TL_MAX_DOMAIN_LENGTH 1024

/* What settings strings and set_logs() pairs are resolved against, and
 * what a plan looks records up in. The registry owns one mutable TlNames
 * and changes it only under its lock; every other file reads a TlNames
 * through a const pointer, either the registry's while the registry
 * holds its lock for the call, or a sealed copy (tl_names_copy()) that
 * nobody changes. */
typedef struct _TlNames TlNames;

TlNames     *tl_names_new           (void);
/* A sealed copy: same objects, tables of its own, never changed. */
TlNames     *tl_names_copy          (const TlNames      *names);
TlNames     *tl_names_ref           (TlNames            *names);
void         tl_names_unref         (TlNames            *names);

/* Registration (the registry's, under its lock). A name is added once
 * (tl_names_set_domains() replaces a log's domains); the tables are
 * keyed by the objects' own names. */
void         tl_names_add_log       (TlNames            *names,
                                     TlComponent        *component);
void         tl_names_set_domains   (TlNames            *names,
                                     TlComponent        *component,
                                     const char * const *domains);
void         tl_names_add_artifact  (TlNames            *names,
                                     TlArtifact         *artifact);
void         tl_names_add_child_log (TlNames            *names,
                                     const char         *domain);

TlComponent *tl_names_lookup_log      (const TlNames    *names,
                                       const char       *alias);
TlArtifact  *tl_names_lookup_artifact (const TlNames    *names,
                                       const char       *name);
/* Whether @domain is a registered log's domain or a known child log. */
gboolean     tl_names_is_known_domain (const TlNames    *names,
                                       const char       *domain);
gboolean     tl_names_is_log_domain   (const TlNames    *names,
                                       const char       *domain);
gboolean     tl_names_is_child_log    (const TlNames    *names,
                                       const char       *domain);
/* The alias of the log whose domain is @domain or its nearest dotted
 * ancestor, or NULL when no log covers it. The string is that
 * component's name (nothing is interned): it stays valid as long as
 * @names does, since @names holds a reference on the component. */
const char  *tl_names_owner           (const TlNames    *names,
                                       const char       *domain);
/* Sorted by name, as torch's help and errors list them (transfer
 * container; the items belong to @names). */
GPtrArray   *tl_names_sorted_logs      (const TlNames   *names);
GPtrArray   *tl_names_sorted_artifacts (const TlNames   *names);
/* The tables themselves, to iterate (alias → TlComponent, name →
 * TlArtifact, log domains, child logs); never to change. Their keys live
 * as long as the table's TlNames. */
GHashTable  *tl_names_peek_logs        (const TlNames   *names);
GHashTable  *tl_names_peek_artifacts   (const TlNames   *names);
GHashTable  *tl_names_peek_domains     (const TlNames   *names);
GHashTable  *tl_names_peek_child_logs  (const TlNames   *names);

/* Calls @visit on @name and each dotted prefix of it, longest first,
 * until it returns TRUE; returns whether one did. Names longer than
 * TL_MAX_DOMAIN_LENGTH are under no registered domain and visit nothing. */
typedef gboolean (*TlPrefixVisitor) (const char *prefix,
                                     gpointer    data);
gboolean     tl_name_walk_prefixes   (const char        *name,
                                      TlPrefixVisitor    visit,
                                      gpointer           data);

/* torch's artifact loggers are named `module.__artifact`: the position of
 * the `.__` marker in @logger_name, or NULL if it has none (an artifact
 * name has no dot). */
const char  *tl_logger_name_split    (const char        *logger_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlNames, tl_names_unref)

G_END_DECLS
