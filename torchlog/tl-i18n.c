/* torchlog: binds the library's gettext domain on first use.
 *
 * A library must not call textdomain(); it binds its own domain and looks
 * strings up in it with dgettext, so the host program's domain is untouched.
 */
#include "tl-i18n-private.h"

#include <libintl.h>

static gpointer
bind_domain (gpointer unused)
{
  /* TORCHLOG_LOCALEDIR lets the uninstalled test suite use the catalogs
   * built in the build tree; installed programs use LOCALEDIR. */
  const char *localedir = g_getenv ("TORCHLOG_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, localedir && *localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  return NULL;
}

const char *
tl_gettext (const char *msgid)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, bind_domain, NULL);
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}
