/* torchlog: gettext for the library and the command.
 *
 * The English msgids of torch's own texts are byte-identical to torch's, so
 * with no translation active the output is torch's exactly.
 */
#pragma once

#include "config.h"

#include <glib.h>

G_BEGIN_DECLS

const char *tl_gettext (const char *msgid) G_GNUC_FORMAT (1);

G_END_DECLS

/* Translatable string, translated where it is used. */
#define _(msgid)  tl_gettext (msgid)
/* Marks a string for extraction; it is translated later with _(). */
#define N_(msgid) (msgid)
