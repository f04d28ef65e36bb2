/* test-i18n.c: the library's texts go through its catalog
 *
 * Meson runs this program twice, with the build tree's catalogs reachable
 * through TORCHLOG_LOCALEDIR both times:
 *
 *   --lang=zh_CN  with LANGUAGE=zh_CN LC_ALL=C.UTF-8: the help, torch's
 *                 errors and warnings, the registration-file errors, the
 *                 output-fault and settings-binding warnings are Chinese;
 *   --lang=C      with LANGUAGE unset and LC_ALL=C: a translation exists
 *                 but is not active, and every text is torch's English,
 *                 byte for byte.
 *
 * Each check names one translated fragment and the English text it
 * replaces, so a test fails both when a string escapes the catalog and
 * when a translation leaks into the English output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <locale.h>
#include <string.h>

#include <torchlog/torchlog.h>

#define APP_ID "org.gnome.Torchlog.TestI18n"

static gboolean chinese;

/* @text holds @zh when the catalog is active, else @en; never the other. */
static void
assert_speaks (const char *text,
               const char *zh,
               const char *en)
{
  const char *wanted = chinese ? zh : en;
  const char *unwanted = chinese ? en : zh;

  g_assert_nonnull (text);
  if (strstr (text, wanted) == NULL)
    g_error ("expected “%s” in:\n%s", wanted, text);
  if (strstr (text, unwanted) != NULL)
    g_error ("did not expect “%s” in:\n%s", unwanted, text);
}

static TlRegistry *
pytorch_registry (void)
{
  TlRegistry *registry = tl_registry_new ();

  tl_registry_add_pytorch_registrations (registry);
  return registry;
}

/* torch's help (spec §2.8): its heading, an example, the list heading and
 * an artifact's description; the names and the TORCH_LOGS values stay. */
static void
test_help (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();
  g_autofree char *help = tl_registry_help_message (registry, FALSE);
  g_autofree char *full = tl_registry_help_message (registry, TRUE);

  assert_speaks (help, "\nTORCH_LOGS 信息\n\n示例：\n",
                 "\nTORCH_LOGS Info\n\nExamples:\n");
  assert_speaks (help,
                 "  TORCH_LOGS=\"+dynamo,aot\" 将 TorchDynamo 的日志级别设置为\n"
                 "  logging.DEBUG，将 AOT 的日志级别设置为 logging.INFO\n",
                 "  TORCH_LOGS=\"+dynamo,aot\" will set the log level of TorchDynamo to\n"
                 "  logging.DEBUG and AOT to logging.INFO\n");
  assert_speaks (help, "可见的已注册名称（使用 TORCH_LOGS='+help' 查看完整列表）\n  all\n",
                 "Visible registered names (use TORCH_LOGS='+help' for full list)\n  all\n");
  assert_speaks (help,
                 "  guards                        \t打印每个已编译的 Dynamo 帧的守卫。"
                 "它不会告诉你这些守卫来自哪里。\n",
                 "  guards                        \tThis prints the guards for every compiled Dynamo "
                 "frame. It does not tell you where the guards come from.\n");
  assert_speaks (full, "所有已注册的名称\n  all\n", "All registered names\n  all\n");
  if (!chinese)
    g_assert_true (g_str_has_prefix (help, "\nTORCH_LOGS Info\n\nExamples:\n"
                                     "  TORCH_LOGS=\"+dynamo,aot\" will set the log level of "
                                     "TorchDynamo to\n"));
}

/* torch's ValueError for a bad TORCH_LOGS (spec §2.7). */
static void
test_invalid_settings (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_parse_logs (registry, "bogus", &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_INVALID_SETTINGS);
  assert_speaks (error->message,
                 "\n无效的日志设置：bogus，必须是以逗号分隔的列表，其中各项为完全限定的\n"
                 "模块名称、已注册的组件名称或已注册的产物名称。\n"
                 "有关各种设置的更多信息，请尝试 TORCH_LOGS=\"help\"\n"
                 "有效的设置：\nall, annotation, aot, ",
                 "\nInvalid log settings: bogus, must be a comma separated list of fully\n"
                 "qualified module names, registered log names or registered artifact names.\n"
                 "For more info on various settings, try TORCH_LOGS=\"help\"\n"
                 "Valid settings:\nall, annotation, aot, ");
  if (!chinese)
    g_assert_true (g_str_has_prefix (error->message, "\nInvalid log settings: bogus, must"));
}

/* set_logs()'s ValueErrors. */
static void
test_set_logs_errors (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_set_logs (registry, &error, "bogus", TL_LEVEL_DEBUG, NULL));
  g_assert_nonnull (error);
  assert_speaks (error->message, "传给 set_logs 的组件或产物名称无法识别：bogus",
                 "Unrecognized log or artifact name passed to set_logs: bogus");
  g_clear_error (&error);

  g_assert_false (tl_registry_set_logs (registry, &error, "dynamo", 7, NULL));
  g_assert_nonnull (error);
  assert_speaks (error->message,
                 "无法识别组件 dynamo 的日志级别：7，有效的级别值为：50,40,30,20,10,0",
                 "Unrecognized log level for log dynamo: 7, valid level values are: "
                 "50,40,30,20,10,0");
}

/* Errors of tl_registry_load_registrations_from_data(). */
static void
test_registration_errors (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_load_registrations_from_data (registry, "[bogus]\n", -1, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
  assert_speaks (error->message,
                 "注册文件，组 [bogus]（第 1 行）：组名必须是“log NAME”或“artifact NAME”",
                 "Registration file, group [bogus] (line 1): group names are “log NAME” or "
                 "“artifact NAME”");
  g_clear_error (&error);

  g_assert_false (tl_registry_load_registrations_from_data (registry,
                                                            "[artifact tokens]\n"
                                                            "colour=red\n", -1, &error));
  g_assert_error (error, TL_ERROR, TL_ERROR_REGISTRATION_FILE);
  assert_speaks (error->message,
                 "注册文件，组 [artifact tokens]（第 2 行）：artifact 组中有未知的键“colour”",
                 "Registration file, group [artifact tokens] (line 2): unknown key “colour” "
                 "in an artifact group");
}

static void
test_format_error (void)
{
  g_autoptr(TlRegistry) registry = tl_registry_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_registry_set_format (registry, "%(bogus)s", &error));
  g_assert_nonnull (error);
  assert_speaks (error->message, "记录中找不到格式化字段：“bogus”",
                 "Formatting field not found in record: 'bogus'");
}

static void
test_explain (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (tl_registry_parse_logs (registry, "+dynamo,guards", &error));
  g_assert_no_error (error);
  text = tl_registry_explain (registry);
  assert_speaks (text, "组件：\n", "Components:\n");
  assert_speaks (text, "由“+dynamo”设置\n", "set by \"+dynamo\"\n");
  assert_speaks (text, "WARNING  （默认）\n", "WARNING  (default)\n");
  assert_speaks (text, "已启用的产物：\n  guards ", "Enabled artifacts:\n  guards ");
}

/* What a program prints at start-up goes to stderr, so these run in a
 * child: TORCH_LOGS=help, an unusable TORCH_LOGS_OUT, and torch's warning
 * for set_logs() under TORCH_LOGS. */
static void
child_init_logs (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();

  tl_registry_init_logs (registry, NULL);
}

static void
test_torch_logs_help (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("TORCH_LOGS", "help", TRUE);
      child_init_logs ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (chinese)
    {
      g_test_trap_assert_stderr ("\nTORCH_LOGS 信息\n\n示例：\n  TORCH_LOGS=\"+dynamo,aot\" 将 *"
                                 "可见的已注册名称（使用 TORCH_LOGS='+help' 查看完整列表）\n  all\n*");
      g_test_trap_assert_stderr_unmatched ("*Examples:*");
    }
  else
    g_test_trap_assert_stderr ("\nTORCH_LOGS Info\n\nExamples:\n  TORCH_LOGS=\"+dynamo,aot\" will *"
                               "Visible registered names (use TORCH_LOGS='+help' for full list)\n"
                               "  all\n*");
}

static void
test_output_fault (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("TORCH_LOGS_OUT", "/nonexistent-torchlog-dir/out.txt", TRUE);
      child_init_logs ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (chinese)
    g_test_trap_assert_stderr ("torchlog: 无法打开日志文件“/nonexistent-torchlog-dir/out.txt”："
                               "*；日志仅输出到 stderr\n");
  else
    g_test_trap_assert_stderr ("torchlog: Cannot open log file “/nonexistent-torchlog-dir/out.txt”: "
                               "*; logging to stderr only\n");
}

static void
test_set_logs_under_env (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(TlRegistry) registry = pytorch_registry ();

      g_setenv ("TORCH_LOGS", "dynamo", TRUE);
      tl_registry_init_logs (registry, NULL);
      tl_registry_set_logs (registry, NULL, "aot", TL_LEVEL_DEBUG, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  if (chinese)
    g_test_trap_assert_stderr ("*正在使用 TORCH_LOGS 环境变量中的日志设置，忽略对 set_logs 的调用\n");
  else
    g_test_trap_assert_stderr ("*Using TORCH_LOGS environment variable for log settings, "
                               "ignoring call to set_logs\n");
}

static void
on_changed (GSettings  *settings,
            const char *key,
            gpointer    user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* An operator's bad value: one g_warning() with torch's text inside. */
static void
test_settings_warning (void)
{
  g_autoptr(TlRegistry) registry = pytorch_registry ();
  g_autoptr(GSettings) operator = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed = FALSE;
  gint64 deadline;

  g_assert_true (tl_registry_bind_settings_for_app (registry, APP_ID, &error));
  g_assert_no_error (error);
  operator = tl_settings_new_for_app (APP_ID, &error);
  g_assert_no_error (error);
  g_signal_connect (tl_registry_get_settings (registry), "changed::logs",
                    G_CALLBACK (on_changed), &changed);

  g_test_expect_message ("Torchlog", G_LOG_LEVEL_WARNING,
                         chinese
                         ? "忽略值“bogus”（键“logs”，位于 */org/gnome/torchlog/apps/org/gnome/"
                           "Torchlog/TestI18n/）；保留先前的配置：\n无效的日志设置：bogus，*"
                         /* ASCII quotes without a UTF-8 console (issue 16) */
                         : "Ignoring ?bogus? of key ?logs? at */org/gnome/torchlog/apps/org/gnome/"
                           "Torchlog/TestI18n/; keeping the previous configuration:\n"
                           "Invalid log settings: bogus, must be *");
  g_assert_true (g_settings_set_string (operator, "logs", "bogus"));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!changed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (changed);
  g_test_assert_expected_messages ();
  tl_registry_unbind_settings (registry);
}

int
main (int    argc,
      char **argv)
{
  const char *lang = NULL;
  int kept = 1;

  /* --lang=zh_CN or --lang=C says which language to expect; the
   * environment Meson sets selects it. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--lang="))
        lang = argv[i] + strlen ("--lang=");
      else
        argv[kept++] = argv[i];
    }
  argv[kept] = NULL;
  argc = kept;
  /* g_test_trap_subprocess() runs this program again without our
   * arguments; the child learns the language from its parent. */
  if (lang == NULL)
    lang = g_getenv ("TL_TEST_I18N_LANG");
  else
    g_setenv ("TL_TEST_I18N_LANG", lang, TRUE);
  if (lang == NULL || (!g_str_equal (lang, "zh_CN") && !g_str_equal (lang, "C")))
    {
      g_printerr ("usage: test-i18n --lang=zh_CN|C [GTEST-OPTION…]\n");
      return 2;
    }
  chinese = g_str_equal (lang, "zh_CN");

  /* A program's part, which the library leaves to it. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/i18n/help", test_help);
  g_test_add_func ("/i18n/invalid-settings", test_invalid_settings);
  g_test_add_func ("/i18n/set-logs-errors", test_set_logs_errors);
  g_test_add_func ("/i18n/registration-errors", test_registration_errors);
  g_test_add_func ("/i18n/format-error", test_format_error);
  g_test_add_func ("/i18n/explain", test_explain);
  g_test_add_func ("/i18n/torch-logs-help", test_torch_logs_help);
  g_test_add_func ("/i18n/output-fault", test_output_fault);
  g_test_add_func ("/i18n/set-logs-under-env", test_set_logs_under_env);
  g_test_add_func ("/i18n/settings-warning", test_settings_warning);
  return g_test_run ();
}
