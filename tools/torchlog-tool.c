/* torchlog-tool.c: the `torchlog` command: entry point, verb table and
 * dispatcher
 *
 * `torchlog VERB [OPTION…] [ARGS…]`, in the manner of GLib's own `gio` and
 * `gsettings`. Each verb has its own GOptionContext, so `--help` works on
 * every verb, and its own file (torchlog-VERB.c). Exit statuses are the same
 * everywhere: 0 done, 1 invalid input (a bad settings string), 2 a wrong
 * command line.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "torchlog-tool-private.h"

/* One line per verb; the usage text lists them in this order. */
const TorchlogToolVerb torchlog_tool_verbs[] = {
  { "help", NULL,
    N_("Print the TORCH_LOGS help: its syntax and the registered names"),
    torchlog_tool_help },
  { "explain", N_("SETTINGS"),
    N_("Show what a TORCH_LOGS string sets: each log’s level and each enabled artifact"),
    torchlog_tool_explain },
  { "demo", NULL,
    N_("Run a simulated torch.compile that logs through TORCH_LOGS"),
    torchlog_tool_demo },
  { "list", NULL, N_("List the logs and artifacts with their levels and descriptions"), torchlog_tool_list },
  { "get", NULL, N_("Print a running program’s log settings (--app APP-ID)"), torchlog_tool_get },
  { "set", N_("[SETTINGS]"), N_("Change a running program’s log settings (--app APP-ID)"), torchlog_tool_set },
  { "reset", NULL, N_("Return a running program to its own log settings (--app APP-ID)"), torchlog_tool_reset },
  { "monitor", NULL, N_("Print each change of a program’s log settings (--app APP-ID)"), torchlog_tool_monitor },
  { "apps", NULL, N_("List the programs bound to their settings and what each one runs"), torchlog_tool_apps },
  { "report", N_("TRACE"), N_("Write tlparse’s HTML report of a structured trace or a job’s rank traces"), torchlog_tool_report },
  { NULL, NULL, NULL, NULL }
};

static const TorchlogToolVerb *
lookup_verb (const char *name)
{
  for (const TorchlogToolVerb *verb = torchlog_tool_verbs; verb->name != NULL; verb++)
    if (g_str_equal (verb->name, name))
      return verb;
  return NULL;
}

static char *
usage_text (void)
{
  GString *text = g_string_new (NULL);
  int width = 0;

  for (const TorchlogToolVerb *verb = torchlog_tool_verbs; verb->name != NULL; verb++)
    width = MAX (width, (int) strlen (verb->name));

  g_string_append_printf (text, "%s\n  %s\n\n", _("Usage:"), _("torchlog COMMAND [OPTION…] [ARGS…]"));
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (const TorchlogToolVerb *verb = torchlog_tool_verbs; verb->name != NULL; verb++)
    g_string_append_printf (text, "  %-*s   %s\n", width, verb->name, _(verb->summary));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s\n", _("Options:"));
  g_string_append_printf (text, "  -h, --help   %s\n", _("Show this help"));
  g_string_append_printf (text, "  --version    %s\n", _("Print the version of torchlog"));
  g_string_append_c (text, '\n');
  g_string_append_printf (text, "%s\n",
                          _("Use “torchlog COMMAND --help” to get help on a command."));
  return g_string_free (text, FALSE);
}

/**
 * torchlog_tool_option_context_new:
 * @verb: the verb being run
 * @entries: (nullable): the verb's options, ending with an empty entry
 *
 * A GOptionContext whose `--help` reads `torchlog VERB [OPTION…] PARAMS`
 * with the verb's summary.
 */
GOptionContext *
torchlog_tool_option_context_new (const TorchlogToolVerb *verb,
                                  const GOptionEntry     *entries)
{
  g_autofree char *prgname = g_strdup_printf ("torchlog %s", verb->name);
  GOptionContext *context;

  /* GOptionContext builds its "Usage:" line from the program name. */
  g_set_prgname (prgname);
  context = g_option_context_new (verb->parameters ? _(verb->parameters) : NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(verb->summary));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

static const GOptionEntry *
find_short_option (const GOptionEntry *entries,
                   char                short_name)
{
  if (entries == NULL)
    return NULL;
  for (const GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    if (entry->short_name == short_name)
      return entry;
  return NULL;
}

static gboolean
takes_value (const GOptionEntry *entry)
{
  /* An optional argument is only ever given as `--opt=value`. */
  return entry != NULL && entry->arg != G_OPTION_ARG_NONE &&
         !(entry->flags & G_OPTION_FLAG_OPTIONAL_ARG) &&
         !(entry->arg == G_OPTION_ARG_CALLBACK && (entry->flags & G_OPTION_FLAG_NO_ARG));
}

static const GOptionEntry *
find_long_option (const GOptionEntry *entries,
                  const char         *arg)
{
  const char *name = arg + 2;
  gsize len = strcspn (name, "=");

  if (entries == NULL || name[len] == '=')
    return NULL;   /* `--opt=value` carries its own value */
  for (const GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    if (strlen (entry->long_name) == len && strncmp (entry->long_name, name, len) == 0)
      return entry;
  return NULL;
}

/* TORCH_LOGS items start with `-` (`-dynamo` lowers dynamo to ERROR), and
 * GOptionContext would take them for a group of short options (`-dynamo`
 * has no `h`, but `-torch._dynamo` would print the help) or for a short
 * option with its value attached (`-aot` would be `-a ot`, `--app ot`).
 * So every argument that is not `--…`, nor exactly `-h`, `-?` or one of
 * the verb's own short options, is moved behind a `--`, where
 * GOptionContext leaves it alone; option values stay after their option.
 * A short option's value is therefore always a separate argument
 * (`-a org.example.App`): any `-xyz` may be a TORCH_LOGS item. */
static char **
protect_settings_arguments (const GOptionEntry *entries,
                            int                 argc,
                            char              **argv)
{
  g_autoptr(GPtrArray) options = g_ptr_array_new ();
  g_autoptr(GPtrArray) positional = g_ptr_array_new ();
  gboolean rest = FALSE;

  g_ptr_array_add (options, g_strdup (argv[0]));
  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const GOptionEntry *entry = NULL;
      gboolean is_option;

      if (rest)
        {
          g_ptr_array_add (positional, g_strdup (arg));
          continue;
        }
      if (g_str_equal (arg, "--"))
        {
          rest = TRUE;
          continue;
        }
      if (arg[0] != '-' || arg[1] == '\0')
        is_option = FALSE;
      else if (arg[1] == '-')
        {
          is_option = TRUE;
          entry = find_long_option (entries, arg);
        }
      else if (arg[2] == '\0')
        {
          entry = find_short_option (entries, arg[1]);
          is_option = entry != NULL || arg[1] == 'h' || arg[1] == '?';
        }
      else
        is_option = FALSE;   /* `-aot`: a TORCH_LOGS item, not `-a ot` */

      if (!is_option)
        {
          g_ptr_array_add (positional, g_strdup (arg));
          continue;
        }
      g_ptr_array_add (options, g_strdup (arg));
      if (takes_value (entry) && i + 1 < argc)
        g_ptr_array_add (options, g_strdup (argv[++i]));
    }

  g_ptr_array_add (options, g_strdup ("--"));
  for (guint i = 0; i < positional->len; i++)
    g_ptr_array_add (options, g_ptr_array_index (positional, i));
  g_ptr_array_add (options, NULL);
  return (char **) g_ptr_array_steal (options, NULL);
}

/**
 * torchlog_tool_parse_args:
 * @verb: the verb being run
 * @entries: (nullable): the verb's options, ending with an empty entry
 * @argc: the argument count
 * @argv: the arguments, @argv[0] being the verb's name
 * @exit_status: (out): the status to return when parsing fails
 *
 * Parses the verb's options. `--help` prints the help and exits 0, as
 * GOptionContext does; an unknown option is a usage error. Arguments
 * starting with a single `-` are positional (TORCH_LOGS items) unless
 * they are exactly `-h`, `-?` or a short option of @entries (whose value
 * is the next argument).
 *
 * Returns: (transfer full) (nullable): the verb's name followed by the
 *   positional arguments, or %NULL if the command line is wrong (the
 *   error has been printed)
 */
char **
torchlog_tool_parse_args (const TorchlogToolVerb *verb,
                          const GOptionEntry     *entries,
                          int                     argc,
                          char                  **argv,
                          int                    *exit_status)
{
  return torchlog_tool_parse_args_full (verb, entries, NULL, argc, argv, exit_status);
}

/**
 * torchlog_tool_parse_args_full:
 * @verb: the verb being run
 * @entries: (nullable): the verb's options, ending with an empty entry
 * @description: (nullable): text shown at the end of `--help`
 * @argc: the argument count
 * @argv: the arguments, @argv[0] being the verb's name
 * @exit_status: (out): the status to return when parsing fails
 *
 * torchlog_tool_parse_args() with a description for `--help`.
 *
 * Returns: (transfer full) (nullable): as torchlog_tool_parse_args()
 */
char **
torchlog_tool_parse_args_full (const TorchlogToolVerb *verb,
                               const GOptionEntry     *entries,
                               const char             *description,
                               int                     argc,
                               char                  **argv,
                               int                    *exit_status)
{
  g_autoptr(GOptionContext) context = torchlog_tool_option_context_new (verb, entries);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = protect_settings_arguments (entries, argc, argv);
  g_auto(GStrv) remaining = NULL;
  /* The positional arguments, collected by GOptionContext itself, which
   * also drops the `--` put before them. */
  const GOptionEntry remaining_entries[] = {
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &remaining, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GStrvBuilder) result = g_strv_builder_new ();

  g_option_context_add_main_entries (context, remaining_entries, GETTEXT_PACKAGE);
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      *exit_status = torchlog_tool_usage_error (verb, "%s", error->message);
      return NULL;
    }

  g_strv_builder_add (result, verb->name);
  if (remaining != NULL)
    g_strv_builder_addv (result, (const char **) remaining);
  *exit_status = TORCHLOG_TOOL_EXIT_OK;
  return g_strv_builder_end (result);
}

/* The invisible characters the library escapes (tl-format.c): bidi
 * controls, line and paragraph separators, the BOM. */
static gboolean
is_invisible_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c ||
         c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

/**
 * torchlog_tool_escape:
 * @text: what the user gave, or a text quoting it
 *
 * @text escaped as the library escapes what it prints (tl_escape_append(),
 * which the library does not export; the rules are the same): newline and
 * tab kept, ASCII controls, DEL and bytes that are not UTF-8 as `\xNN`,
 * C1 and bidi controls, U+2028, U+2029 and U+FEFF as `\uNNNN`, and a
 * backslash doubled. So an argument, or a value stored in a program's
 * settings, cannot drive the terminal when the command echoes it.
 *
 * Returns: (transfer full): the escaped text
 */
char *
torchlog_tool_escape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  const char *p = text;
  const char *end = text + strlen (text);

  while (p < end)
    {
      guchar b = (guchar) *p;
      gunichar c;

      if (b == '\\')
        {
          g_string_append (out, "\\\\");
          p++;
          continue;
        }
      if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", b);
          p++;
          continue;
        }
      if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if ((c >= 0x80 && c < 0xa0) || is_invisible_control (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/**
 * torchlog_tool_write_escaped:
 * @stream: stdout or stderr
 * @text: a text holding what the user gave
 *
 * torchlog_tool_write_verbatim() of torchlog_tool_escape (@text): torch's
 * texts byte for byte, as long as what they quote is harmless.
 */
void
torchlog_tool_write_escaped (FILE       *stream,
                             const char *text)
{
  g_autofree char *shown = torchlog_tool_escape (text);

  torchlog_tool_write_verbatim (stream, shown);
}

/**
 * torchlog_tool_usage_error:
 * @verb: (nullable): the verb, or %NULL for the command itself
 * @format: a printf() format for the message
 * @...: its arguments
 *
 * Prints `torchlog VERB: message` and a pointer to `--help` on stderr.
 *
 * Returns: %TORCHLOG_TOOL_EXIT_USAGE
 */
int
torchlog_tool_usage_error (const TorchlogToolVerb *verb,
                           const char             *format,
                           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *command = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  command = verb ? g_strdup_printf ("torchlog %s", verb->name) : g_strdup ("torchlog");
  /* The message quotes the command line (an unexpected argument, an
   * unknown option): escaped. */
  shown = torchlog_tool_escape (message);
  g_printerr ("%s: %s\n", command, shown);
  /* TRANSLATORS: %s is a command such as "torchlog explain" */
  g_printerr (_("Try “%s --help” for more information."), command);
  g_printerr ("\n");
  return TORCHLOG_TOOL_EXIT_USAGE;
}

/**
 * torchlog_tool_print_error:
 * @format: a printf() format for the message
 * @...: its arguments
 *
 * Prints `torchlog: message` on stderr, for errors that are not about
 * the command line. The message is escaped (torchlog_tool_escape()): it
 * usually quotes what the user gave or what a program stored.
 */
void
torchlog_tool_print_error (const char *format,
                           ...)
{
  g_autofree char *message = NULL;
  g_autofree char *shown = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  shown = torchlog_tool_escape (message);
  g_printerr ("torchlog: %s\n", shown);
}

/**
 * torchlog_tool_pytorch_registry_new:
 *
 * A fresh registry holding PyTorch's registrations, for verbs that
 * inspect settings without touching the process's own configuration.
 *
 * Returns: (transfer full): the registry
 */
TlRegistry *
torchlog_tool_pytorch_registry_new (void)
{
  TlRegistry *registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  return registry;
}

/* Writes torch's texts unchanged: g_print() would convert them to the
 * locale's charset, and they must stay byte for byte. */
void
torchlog_tool_write_verbatim (FILE       *stream,
                              const char *text)
{
  fwrite (text, 1, strlen (text), stream);
  fflush (stream);
}

int
main (int    argc,
      char **argv)
{
  const TorchlogToolVerb *verb;
  const char *localedir;
  g_autofree char *usage = NULL;

  setlocale (LC_ALL, "");
  /* The command's strings live in the library's domain. Bind it now, as
   * tl_gettext() would, because GOptionContext looks its entries up with
   * g_dgettext() directly; TORCHLOG_LOCALEDIR serves uninstalled runs. */
  localedir = g_getenv ("TORCHLOG_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("torchlog");
  torchlog_tool_install_print_handlers ();

  if (argc < 2)
    {
      usage = usage_text ();
      g_printerr ("%s", usage);
      return TORCHLOG_TOOL_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "-?"))
    {
      usage = usage_text ();
      g_print ("%s", usage);
      return TORCHLOG_TOOL_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("torchlog %s\n", PACKAGE_VERSION);
      return TORCHLOG_TOOL_EXIT_OK;
    }

  verb = lookup_verb (argv[1]);
  if (verb == NULL)
    {
      if (argv[1][0] == '-')
        /* TRANSLATORS: %s is an option the user typed, e.g. "--foo" */
        torchlog_tool_print_error (_("Unknown option %s"), argv[1]);
      else
        /* TRANSLATORS: %s is what the user typed instead of a command */
        torchlog_tool_print_error (_("Unknown command “%s”"), argv[1]);
      usage = usage_text ();
      g_printerr ("\n%s", usage);
      return TORCHLOG_TOOL_EXIT_USAGE;
    }
  return verb->func (verb, argc - 1, argv + 1);
}
