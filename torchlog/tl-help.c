/* tl-help.c: torch's `help` text and its invalid-settings error (spec §2.7,
 * §2.8), byte for byte
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-i18n-private.h"

/* The width torch pads artifact names to in the help. */
#define HELP_NAME_WIDTH 30

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  /* strcmp on UTF-8 orders by code point, as Python's sorted() does. */
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_aliases_locked (TlRegistry *self)
{
  GPtrArray *names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->components);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_strings);
  return names;
}

/* @pending_logs (nullable): names the failed parse would have registered
 * as logs, listed as torch lists them. */
char *
tl_invalid_settings_message_locked (TlRegistry      *self,
                                    const char      *settings,
                                    const GPtrArray *pending_logs)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *message = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key;

  /* `all`, every alias and every artifact, sorted as one list. */
  g_ptr_array_add (names, (gpointer) "all");
  g_hash_table_iter_init (&iter, self->components);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_hash_table_iter_init (&iter, self->artifacts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  for (guint i = 0; pending_logs != NULL && i < pending_logs->len; i++)
    g_ptr_array_add (names, g_ptr_array_index (pending_logs, i));
  g_ptr_array_sort (names, compare_strings);

  g_string_append_printf (message,
                          /* Translators: torch's ValueError text. Keep the
                           * line breaks: the list of valid names follows
                           * "Valid settings:" on the next line. */
                          _("\nInvalid log settings: %s, must be a comma separated list of fully\n"
                            "qualified module names, registered log names or registered artifact names.\n"
                            "For more info on various settings, try TORCH_LOGS=\"help\"\n"
                            "Valid settings:\n"),
                          settings);
  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append (message, ", ");
      g_string_append (message, g_ptr_array_index (names, i));
    }
  g_string_append_c (message, '\n');
  return g_string_free (message, FALSE);
}

char *
tl_help_message_locked (TlRegistry *self,
                        gboolean    verbose)
{
  g_autoptr(GPtrArray) aliases = sorted_aliases_locked (self);
  g_autoptr(GPtrArray) artifacts = g_ptr_array_new ();
  GString *help = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_string_append (help,
    /* Translators: torch's TORCH_LOGS=help text. Translate the prose
     * only: the TORCH_LOGS values, logging.DEBUG and the like, the
     * %(...)s keys and the file name are what the user types. */
    /* xgettext:no-c-format */
    _("\n"
    "TORCH_LOGS Info\n"
    "\n"
    "Examples:\n"
    "  TORCH_LOGS=\"+dynamo,aot\" will set the log level of TorchDynamo to\n"
    "  logging.DEBUG and AOT to logging.INFO\n"
    "\n"
    "  TORCH_LOGS=\"-dynamo,+inductor\" will set the log level of TorchDynamo to\n"
    "  logging.ERROR and TorchInductor to logging.DEBUG\n"
    "\n"
    "  TORCH_LOGS=\"aot_graphs\" will enable the aot_graphs artifact\n"
    "\n"
    "  TORCH_LOGS=\"+dynamo,schedule\" will set the log level of TorchDynamo\n"
    "  to logging.DEBUG and enable the schedule artifact\n"
    "\n"
    "  TORCH_LOGS=\"+some.random.module,schedule\" will set the log level of\n"
    "  some.random.module to logging.DEBUG and enable the schedule artifact\n"
    "\n"
    "  TORCH_LOGS=\"+torch._functorch._aot_autograd\" will set the log level of\n"
    "  torch._functorch._aot_autograd and all its submodules to logging.DEBUG\n"
    "  (directory-based logging)\n"
    "\n"
    "  TORCH_LOGS_FORMAT=\"%(levelname)s: %(message)s\" or any provided format\n"
    "  string will set the output format\n"
    "  Valid keys are \"levelname\", \"message\", \"pathname\", \"levelno\", \"lineno\",\n"
    "  \"filename\" and \"name\".\n"
    "\n"
    "  TORCH_LOGS_OUT=/tmp/output.txt will output the logs to /tmp/output.txt as\n"
    "  well. This is useful when the output is long.\n"
    "\n"
    "\n"));

  g_string_append (help, verbose
                   ? _("All registered names")
                   : _("Visible registered names (use TORCH_LOGS='+help' for full list)"));
  g_string_append (help, "\n  all\n");
  for (guint i = 0; i < aliases->len; i++)
    g_string_append_printf (help, "  %s\n", (const char *) g_ptr_array_index (aliases, i));

  g_hash_table_iter_init (&iter, self->artifacts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (verbose || tl_artifact_get_visible (value))
      g_ptr_array_add (artifacts, key);
  g_ptr_array_sort (artifacts, compare_strings);
  for (guint i = 0; i < artifacts->len; i++)
    {
      const char *name = g_ptr_array_index (artifacts, i);
      TlArtifact *artifact = g_hash_table_lookup (self->artifacts, name);
      const char *description = tl_artifact_get_description (artifact);

      /* PyTorch's descriptions are in the catalog (registrations/
       * pytorch.ini.h); "" would fetch the catalog's header. */
      if (description != NULL && description[0] != '\0')
        description = _(description);
      /* Python's str.ljust(30): pads, never cuts a longer name. */
      g_string_append_printf (help, "  %-*s\t%s\n", HELP_NAME_WIDTH, name, description);
    }
  return g_string_free (help, FALSE);
}
