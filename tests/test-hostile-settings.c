/* test-hostile-settings.c: a rejected GSettings value is quoted escaped
 * in the warning torchlog gives (issue 13)
 *
 * Anyone who can write a program's settings (`gsettings set`, `torchlog
 * set` skipping its checks) chooses the value that the program's
 * warning quotes on its stderr: an OSC sequence there would set the
 * title of the terminal of whoever reads it. The memory backend stands
 * for the operator.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <torchlog/torchlog.h>

#include <string.h>

#define APP_ID "org.example.HostileSettings"

/* An OSC sequence that sets the terminal's title, a right-to-left
 * override and a literal "\x1b" that must not pass for an escape. */
#define HOSTILE "\x1b]0;pwned\x07\xe2\x80\xae\\x1b"
#define HOSTILE_SHOWN "\\x1b]0;pwned\\x07\\u202e\\\\x1b"

typedef struct {
  gboolean seen;
} Flag;

static void
on_key_changed (GSettings *settings, const char *key, gpointer user_data)
{
  ((Flag *) user_data)->seen = TRUE;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Writes @key as an operator would and waits until the program's bound
 * settings have reported it. */
static void
operator_set (TlRegistry *registry, GSettings *op, const char *key, const char *value)
{
  GSettings *bound = tl_registry_get_settings (registry);
  g_autofree char *signal = g_strconcat ("changed::", key, NULL);
  gboolean timed_out = FALSE;
  Flag flag = { FALSE };
  gulong id;
  guint timeout;

  id = g_signal_connect (bound, signal, G_CALLBACK (on_key_changed), &flag);
  timeout = g_timeout_add (2000, on_timeout, &timed_out);
  g_assert_true (g_settings_set_string (op, key, value));
  while (!flag.seen && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_true (flag.seen);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handler_disconnect (bound, id);
}

static void
test_rejected_values_escaped (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GSettings) op = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename ("/nonexistent-torchlog", HOSTILE, "out.log", NULL);

  tl_registry_add_pytorch_registrations (registry);
  g_assert_true (tl_registry_bind_settings_for_app (registry, APP_ID, &error));
  g_assert_no_error (error);
  op = tl_settings_new_for_app (APP_ID, &error);
  g_assert_no_error (error);

  /* The value, and torch's text quoting it, both escaped: the pattern
   * only matches the escaped form. */
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING,
                         "Ignoring ?dynamo," HOSTILE_SHOWN "? of key ?logs? at *"
                         "Invalid log settings: dynamo," HOSTILE_SHOWN ", must be*");
  operator_set (registry, op, "logs", "dynamo," HOSTILE);
  g_test_assert_expected_messages ();

  /* A file that cannot be opened, whose name and error quote it. */
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING,
                         "Ignoring ?/nonexistent-torchlog/" HOSTILE_SHOWN "/out.log? of key "
                         "?output-file? at *?/nonexistent-torchlog/" HOSTILE_SHOWN "/out.log?*");
  operator_set (registry, op, "output-file", missing);
  g_test_assert_expected_messages ();

  /* A format that is not one. */
  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING,
                         "Ignoring ?" HOSTILE_SHOWN "? of key ?format? at *");
  operator_set (registry, op, "format", HOSTILE);
  g_test_assert_expected_messages ();

  tl_registry_unbind_settings (registry);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* The suite sets these; without them GSettings would use the user's. */
  g_assert_nonnull (g_getenv ("GSETTINGS_SCHEMA_DIR"));
  g_assert_cmpstr (g_getenv ("GSETTINGS_BACKEND"), ==, "memory");

  g_test_add_func ("/hostile-settings/rejected-values-escaped", test_rejected_values_escaped);
  return g_test_run ();
}
