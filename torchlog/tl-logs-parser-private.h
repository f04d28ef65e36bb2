/* tl-logs-parser-private.h: the TORCH_LOGS grammar and the TlLogsSpec it
 * produces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include "tl-level.h"

G_BEGIN_DECLS

/* Where a spec's items come from: their resolution and errors differ. */
typedef enum {
  TL_LOGS_SPEC_SETTINGS,   /* a TORCH_LOGS string */
  TL_LOGS_SPEC_SET_LOGS,   /* set_logs() pairs */
} TlLogsSpecKind;

typedef struct {
  char     *name;     /* the bare name: `dynamo`, `guards`, `my.module` */
  char     *source;   /* what the user wrote: `+dynamo`, or the pair's name */
  TlLevel   level;    /* a settings item's: INFO, DEBUG (+) or ERROR (-) */
  GVariant *value;    /* a pair's value; NULL for "not mentioned" (None) */
  gboolean  from_c;   /* a pair from C varargs: 0 and 1 count as booleans */
} TlLogsItem;

/* What a settings string or a set_logs() call asks for, before anything
 * is looked up: syntax only. */
typedef struct {
  TlLogsSpecKind kind;
  char          *text;    /* the settings string without whitespace */
  GArray        *items;   /* TlLogsItem, in order */
} TlLogsSpec;

typedef enum {
  TL_LOGS_PARSE_OK,
  TL_LOGS_PARSE_HELP,           /* `help` */
  TL_LOGS_PARSE_HELP_VERBOSE,   /* `+help` */
  TL_LOGS_PARSE_INVALID,        /* not torch's grammar */
} TlLogsParseResult;

/* Parses a non-empty TORCH_LOGS string; @spec gets the items only for
 * TL_LOGS_PARSE_OK. Reads no registry and takes no lock. */
TlLogsParseResult tl_logs_parse        (const char     *settings,
                                        TlLogsSpec    **spec);

TlLogsSpec *tl_logs_spec_new           (TlLogsSpecKind  kind);
/* Adds a set_logs() pair, taking @value (nullable; a floating reference
 * is sunk). */
void        tl_logs_spec_add_pair      (TlLogsSpec     *spec,
                                        const char     *name,
                                        GVariant       *value,
                                        gboolean        from_c);
void        tl_logs_spec_free          (TlLogsSpec     *spec);

/* The C stand-in for Python's "is an importable module": a dotted name
 * of non-empty word segments, of any length (linear in it). */
gboolean    tl_logs_is_module_name     (const char     *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlLogsSpec, tl_logs_spec_free)

G_END_DECLS
