/* tl-error.h: the TL_ERROR GError domain
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__TORCHLOG_INSIDE__) && !defined(TORCHLOG_COMPILATION)
#error "Only <torchlog/torchlog.h> can be included directly."
#endif

#include <glib.h>
#include "tl-version-macros.h"

G_BEGIN_DECLS

/**
 * TL_ERROR:
 *
 * The #GError domain of torchlog. Where torch raises `ValueError`, the
 * error's message is torch's text, byte for byte.
 *
 * Since: 0.1
 */
#define TL_ERROR (tl_error_quark ())

/**
 * TlError:
 * @TL_ERROR_INVALID_SETTINGS: a `TORCH_LOGS` string does not match the
 *   grammar or names something unknown (torch's "Invalid log settings")
 * @TL_ERROR_HELP: the settings string was `help` or `+help`; the message
 *   is the help text (torch raises `ValueError` with it too)
 * @TL_ERROR_INVALID_VALUE: tl_registry_set_logs() got a value of the wrong kind: a
 *   non-boolean for an artifact or a number that is not a level
 * @TL_ERROR_UNKNOWN_NAME: tl_registry_set_logs() got a name that is neither a log, an
 *   artifact nor a module name
 * @TL_ERROR_ARTIFACT_NOT_REGISTERED: an artifact logger was asked for an
 *   artifact that was never registered
 * @TL_ERROR_INVALID_FORMAT: a `TORCH_LOGS_FORMAT` or artifact log format
 *   is not a valid `%(field)s` format
 * @TL_ERROR_REGISTRATION_FILE: a registration key file is malformed
 * @TL_ERROR_OUTPUT: an output file (`TORCH_LOGS_OUT`) cannot be opened
 * @TL_ERROR_INVALID_TRACE_RECORD: a structured trace record was refused
 *   because `tlparse` would reject, misread or drop it: a reserved event
 *   name, metadata a known event cannot have, an artifact encoding other
 *   than `string` or `json`, or a payload that must be JSON and is not
 *
 * Error codes of the %TL_ERROR domain.
 *
 * Since: 0.1
 */
typedef enum {
  TL_ERROR_INVALID_SETTINGS,
  TL_ERROR_HELP,
  TL_ERROR_INVALID_VALUE,
  TL_ERROR_UNKNOWN_NAME,
  TL_ERROR_ARTIFACT_NOT_REGISTERED,
  TL_ERROR_INVALID_FORMAT,
  TL_ERROR_REGISTRATION_FILE,
  TL_ERROR_OUTPUT,
  TL_ERROR_INVALID_TRACE_RECORD,
} TlError;

TL_AVAILABLE_IN_ALL
GQuark tl_error_quark (void);

G_END_DECLS
