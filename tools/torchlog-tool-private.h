/* torchlog-tool-private.h: the `torchlog` command's verb table and the helpers
 * its verbs share
 *
 * Each verb lives in its own torchlog-VERB.c file. To add one, declare its
 * function below and add one line to torchlog_tool_verbs[] in torchlog-tool.c;
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
  TORCHLOG_TOOL_EXIT_OK = 0,       /* done */
  TORCHLOG_TOOL_EXIT_FAILURE = 1,  /* the user's input (settings, a file) is invalid */
  TORCHLOG_TOOL_EXIT_USAGE = 2,    /* the command line itself is wrong */
} TorchlogToolExit;

typedef struct _TorchlogToolVerb TorchlogToolVerb;

/* A verb's entry point. @argv[0] is the verb's name; the function parses the
 * rest (usually with torchlog_tool_parse_args()) and returns a TorchlogToolExit. */
typedef int (*TorchlogToolVerbFunc) (const TorchlogToolVerb *verb,
                                     int                     argc,
                                     char                  **argv);

struct _TorchlogToolVerb {
  const char           *name;
  const char           *parameters;   /* e.g. "SETTINGS", or NULL; not translated */
  const char           *summary;      /* N_()-marked one-line description */
  TorchlogToolVerbFunc  func;
};

/* The table, ending with a { NULL } entry. */
extern const TorchlogToolVerb torchlog_tool_verbs[];

/* Shared helpers (torchlog-tool.c). A verb usually calls only
 * torchlog_tool_parse_args(); see there. */
GOptionContext *torchlog_tool_option_context_new   (const TorchlogToolVerb *verb,
                                                    const GOptionEntry     *entries);
char          **torchlog_tool_parse_args           (const TorchlogToolVerb *verb,
                                                    const GOptionEntry     *entries,
                                                    int                     argc,
                                                    char                  **argv,
                                                    int                    *exit_status);
char          **torchlog_tool_parse_args_full      (const TorchlogToolVerb *verb,
                                                    const GOptionEntry     *entries,
                                                    const char             *description,
                                                    int                     argc,
                                                    char                  **argv,
                                                    int                    *exit_status);
int             torchlog_tool_usage_error          (const TorchlogToolVerb *verb,
                                                    const char             *format,
                                                    ...) G_GNUC_PRINTF (2, 3);
void            torchlog_tool_print_error          (const char             *format,
                                                    ...) G_GNUC_PRINTF (1, 2);
void            torchlog_tool_write_verbatim       (FILE                   *stream,
                                                    const char             *text);
char           *torchlog_tool_escape               (const char             *text);
void            torchlog_tool_write_escaped        (FILE                   *stream,
                                                    const char             *text);
TlRegistry     *torchlog_tool_pytorch_registry_new (void);

/* Verbs. */
int torchlog_tool_help    (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_explain (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_demo    (const TorchlogToolVerb *verb, int argc, char **argv);
/* torchlog-settings.c: a running program's settings (issue 4) */
int torchlog_tool_list    (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_get     (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_set     (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_reset   (const TorchlogToolVerb *verb, int argc, char **argv);
int torchlog_tool_monitor (const TorchlogToolVerb *verb, int argc, char **argv);
/* torchlog-report.c: tlparse's report (issue 18) */
int torchlog_tool_report  (const TorchlogToolVerb *verb, int argc, char **argv);

/* torchlog-charset.c: ASCII quotes where the locale cannot show “”. */
void            torchlog_tool_install_print_handlers (void);

/* torchlog-apps.c: what the bound programs publish about themselves
 * (issue 16) */
typedef struct {
  char     *app_id;
  gint64    pid;
  gboolean  running;
  char     *program;
  char     *environment;      /* TORCH_LOGS at start, or NULL */
  char     *stored;           /* the "logs" key as the program read it */
  char     *effective;        /* what it applies now, as a TORCH_LOGS string */
  char     *rejected;         /* the last value it rejected, or NULL */
  char     *rejected_reason;
  char     *problem;          /* why changes cannot reach it, or NULL */
} TorchlogToolAppState;

GPtrArray *torchlog_tool_app_states_load (const char *app_id);
void       torchlog_tool_app_state_free  (TorchlogToolAppState *state);
int torchlog_tool_apps    (const TorchlogToolVerb *verb, int argc, char **argv);

G_END_DECLS
