/* tl-version-macros.h: symbol visibility and availability annotations
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>

/**
 * SECTION:tl-version-macros
 * @title: Symbol availability
 * @short_description: the macro that exports torchlog's public symbols
 *
 * The library is built with hidden symbol visibility: only declarations
 * marked with %TL_AVAILABLE_IN_ALL are exported. Versioned variants
 * (`TL_AVAILABLE_IN_x_y`) will mark symbols added after the first
 * release, so that deprecation and availability warnings can follow.
 */

/* The library is built with -fvisibility=hidden; only declarations carrying
 * this macro are exported. Keeping it in one place lets a later ABI break
 * add TL_AVAILABLE_IN_x_y variants without touching every header. */
#if defined(_WIN32)
# if defined(TORCHLOG_COMPILATION)
#  define _TL_EXPORT __declspec(dllexport) extern
# else
#  define _TL_EXPORT __declspec(dllimport) extern
# endif
#elif defined(__GNUC__)
# define _TL_EXPORT __attribute__((visibility ("default"))) extern
#else
# define _TL_EXPORT extern
#endif

/**
 * TL_AVAILABLE_IN_ALL:
 *
 * Marks a symbol as part of the public, exported API since the first
 * release. Every other symbol of the library is hidden.
 *
 * Since: 0.1
 */
#define TL_AVAILABLE_IN_ALL _TL_EXPORT
