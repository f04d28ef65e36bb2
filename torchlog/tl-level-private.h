/* tl-level-private.h: level names without interning
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tl-level.h"

G_BEGIN_DECLS

/* "Level -2147483648" and its NUL. */
#define TL_LEVEL_NAME_SIZE 24

/* The name Python gives @level: a static string for the standard levels,
 * else "Level N" written into @buf, which is returned. */
const char *tl_level_format_name (TlLevel level,
                                  char    buf[TL_LEVEL_NAME_SIZE]);

G_END_DECLS
