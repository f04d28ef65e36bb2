/* torchlog-explain.c: `torchlog explain SETTINGS`: what a TORCH_LOGS
 * string does, item by item
 *
 * SETTINGS is parsed exactly as TORCH_LOGS would be, against PyTorch's
 * registrations, in a registry of its own, so the caller's environment
 * plays no part.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "torchlog-tool-private.h"

int
torchlog_tool_explain (const TorchlogToolVerb *verb,
                       int                     argc,
                       char                  **argv)
{
  g_autoptr(TlRegistry) registry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) args = NULL;
  int status;

  args = torchlog_tool_parse_args (verb, NULL, argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] == NULL)
    return torchlog_tool_usage_error (verb, _("Missing SETTINGS, e.g. “+dynamo,aot,graph_code”"));
  if (args[2] != NULL)
    /* TRANSLATORS: %s is an argument the user gave */
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”; quote SETTINGS "
                                              "if it contains spaces"), args[2]);

  registry = torchlog_tool_pytorch_registry_new ();
  if (!tl_registry_parse_logs (registry, args[1], &error))
    {
      /* torch answers `help` with the help text; so do we, successfully. */
      if (g_error_matches (error, TL_ERROR, TL_ERROR_HELP))
        {
          torchlog_tool_write_verbatim (stdout, error->message);
          return TORCHLOG_TOOL_EXIT_OK;
        }
      /* The same bytes TORCH_LOGS=SETTINGS prints at start-up, which
       * end as torch's traceback does: torch's text, with what it quotes
       * of SETTINGS escaped as the library escapes it there. */
      text = g_strdup_printf ("ValueError: %s\n", error->message);
      torchlog_tool_write_escaped (stderr, text);
      return TORCHLOG_TOOL_EXIT_FAILURE;
    }

  text = tl_registry_explain (registry);
  g_print ("%s", text);
  return TORCHLOG_TOOL_EXIT_OK;
}
