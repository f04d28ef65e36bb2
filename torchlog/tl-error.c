/* tl-error.c: the TL_ERROR domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-error.h"

/**
 * SECTION:tl-error
 * @title: Errors
 * @short_description: the #GError domain of torchlog
 *
 * Every failure of torchlog is reported as a #GError in the %TL_ERROR
 * domain. Bindings map the codes where torch raises `ValueError` to
 * `ValueError`.
 */

/**
 * tl_error_quark:
 *
 * Gets the quark of the %TL_ERROR domain.
 *
 * Returns: the quark
 *
 * Since: 0.1
 */
G_DEFINE_QUARK (tl-error-quark, tl_error)
