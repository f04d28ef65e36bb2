/* torchlog-help.c: `torchlog help [--all]`: torch's TORCH_LOGS help
 *
 * The same text `TORCH_LOGS=help` (or `+help` with --all) prints, for
 * PyTorch's registrations, byte for byte (spec §2.8).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "torchlog-tool-private.h"

int
torchlog_tool_help (const TorchlogToolVerb *verb,
                    int                     argc,
                    char                  **argv)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 'a', G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &all,
      N_("List every artifact, not only the visible ones (as TORCH_LOGS=\"+help\")"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(TlRegistry) registry = NULL;
  g_autofree char *help = NULL;
  g_auto(GStrv) args = NULL;
  int status;

  args = torchlog_tool_parse_args (verb, entries, argc, argv, &status);
  if (args == NULL)
    return status;
  if (args[1] != NULL)
    /* TRANSLATORS: %s is an argument the user gave */
    return torchlog_tool_usage_error (verb, _("Unexpected argument “%s”"), args[1]);

  registry = torchlog_tool_pytorch_registry_new ();
  help = tl_registry_help_message (registry, all);
  torchlog_tool_write_verbatim (stdout, help);
  return TORCHLOG_TOOL_EXIT_OK;
}
