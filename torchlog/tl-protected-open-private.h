/* tl-protected-open-private.h: opening an output path by the rules of
 * the kernel's protected_symlinks / protected_regular / protected_fifos
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* open(@path, @flags, @mode), refusing what the kernel's strictest
 * protected_symlinks=1, protected_regular=2 and protected_fifos=2 refuse,
 * even where they are off: a symbolic link anywhere on the path that lies
 * in a sticky world-writable directory and is owned by neither the caller
 * nor the directory's owner; an existing regular file or FIFO owned by
 * neither in a sticky world- or group-writable directory. A refusal
 * returns -1 with errno EACCES and *@refusal (transfer full) saying why;
 * any other failure -1 with errno and *@refusal NULL. */
int tl_protected_open (const char  *path,
                       int          flags,
                       mode_t       mode,
                       char       **refusal);

G_END_DECLS
