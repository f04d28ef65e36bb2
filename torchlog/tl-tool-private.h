/* tl-tool-private.h: the `torchlog` command's verb table and the helpers
 * its verbs share
 *
 * Each verb lives in its own tl-tool-*.c file. To add one, declare its
 * function below and add one line to tl_tool_verbs[] in torchlog-tool.c;
 * the dispatcher, the usage text and `--help` pick it up from there.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "config.h"

#include <stdio.h>

#include <torchlog/torchlog.h>
#include "tl-i18n-private.h"

G_BEGIN_DECLS

/* Exit statuses, the same for every verb. */
typedef enum {
  TL_TOOL_EXIT_OK = 0,       /* done */
  TL_TOOL_EXIT_FAILURE = 1,  /* the user's input (settings, a file) is invalid */
  TL_TOOL_EXIT_USAGE = 2,    /* the command line itself is wrong */
} TlToolExit;

typedef struct _TlToolVerb TlToolVerb;

/* A verb's entry point. @argv[0] is the verb's name; the function parses
 * the rest (usually with tl_tool_parse_args()) and returns a TlToolExit. */
typedef int (*TlToolVerbFunc) (const TlToolVerb *verb,
                               int               argc,
                               char            **argv);

struct _TlToolVerb {
  const char     *name;
  const char     *parameters;   /* e.g. "SETTINGS", or NULL; not translated */
  const char     *summary;      /* N_()-marked one-line description */
  TlToolVerbFunc  func;
};

/* The table, ending with a { NULL } entry. */
extern const TlToolVerb tl_tool_verbs[];

/* Shared helpers (torchlog-tool.c). A verb usually calls only
 * tl_tool_parse_args(); see there. */
GOptionContext *tl_tool_option_context_new   (const TlToolVerb   *verb,
                                              const GOptionEntry *entries);
char          **tl_tool_parse_args           (const TlToolVerb   *verb,
                                              const GOptionEntry *entries,
                                              int                 argc,
                                              char              **argv,
                                              int                *exit_status);
char          **tl_tool_parse_args_full      (const TlToolVerb   *verb,
                                              const GOptionEntry *entries,
                                              const char         *description,
                                              int                 argc,
                                              char              **argv,
                                              int                *exit_status);
int             tl_tool_usage_error          (const TlToolVerb   *verb,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (2, 3);
void            tl_tool_print_error          (const char         *format,
                                              ...) G_GNUC_PRINTF (1, 2);
void            tl_tool_write_verbatim       (FILE               *stream,
                                              const char         *text);
TlRegistry     *tl_tool_pytorch_registry_new (void);

/* Verbs. */
int tl_tool_help    (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_explain (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_demo    (const TlToolVerb *verb, int argc, char **argv);
/* tl-tool-settings.c: a running program's settings (issue 4) */
int tl_tool_list    (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_get     (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_set     (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_reset   (const TlToolVerb *verb, int argc, char **argv);
int tl_tool_monitor (const TlToolVerb *verb, int argc, char **argv);

G_END_DECLS
