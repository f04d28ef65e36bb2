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
#include "tl-log.h"

#undef __TORCHLOG_INSIDE__
