/* torchlog.h: the only header applications include
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __TORCHLOG_INSIDE__

#include "tl-version.h"
#include "tl-version-macros.h"
#include "tl-error.h"
#include "tl-level.h"
#include "tl-enum-types.h"
#include "tl-component.h"
#include "tl-artifact.h"
#include "tl-registry.h"
#include "tl-settings.h"
#include "tl-log.h"
#include "tl-compile-context.h"
#include "tl-trace.h"
#include "tl-rank.h"
#include "tl-journal.h"
#include "tl-capture.h"
#include "tl-step.h"
#include "tl-warning-once.h"
#include "tl-lazy-string.h"
#include "tl-report.h"

#undef __TORCHLOG_INSIDE__
