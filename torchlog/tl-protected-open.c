/* tl-protected-open.c: opening an output path as the kernel's strictest
 * protected_symlinks, protected_regular and protected_fifos settings would
 *
 * TORCH_LOGS_OUT and TORCH_TRACE often name a place in /tmp, where anyone
 * may plant a symbolic link or create the file first. Linux refuses those
 * tricks when fs.protected_symlinks=1 and fs.protected_regular=2 (and
 * protected_fifos=2), but a machine may have them off. torchlog applies
 * the same rules itself, whatever the sysctls say:
 *
 * - protected_symlinks: a symbolic link in a sticky world-writable
 *   directory is followed only when it belongs to the caller or to the
 *   directory's owner. This holds for every link met while resolving the
 *   path, in the middle (`/tmp/link/out.log`) as at the end, and inside
 *   what a link points to; so the path is resolved here, one component at
 *   a time, the way the kernel walks it.
 * - protected_regular=2 / protected_fifos=2: an existing regular file or
 *   FIFO in a sticky directory that is world- or group-writable is opened
 *   only when it belongs to the caller or to the directory's owner.
 *
 * Every check and the open that follows it go through the same directory
 * descriptor, and the last component is opened with O_NOFOLLOW, so nothing
 * can be swapped in between; a link planted in that window makes the walk
 * start that component again (a bounded number of times).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include <glib/gstdio.h>

#include "tl-i18n-private.h"
#include "tl-protected-open-private.h"

/* As the kernel's MAXSYMLINKS: more links than this on one path is ELOOP. */
#define MAX_LINKS 40

/* A directory anyone may create files in, and only their owners (and the
 * directory's) remove: /tmp, /var/tmp, /dev/shm. */
static gboolean
is_sticky_world_writable (const struct stat *dir_st)
{
  return (dir_st->st_mode & S_ISVTX) && (dir_st->st_mode & S_IWOTH);
}

/* protected_regular=2 covers group-writable sticky directories too. */
static gboolean
is_sticky_shared (const struct stat *dir_st)
{
  return (dir_st->st_mode & S_ISVTX) && (dir_st->st_mode & (S_IWOTH | S_IWGRP));
}

/* The kernel's test: the caller's own, or the directory owner's. */
static gboolean
is_trusted_owner (uid_t owner, const struct stat *dir_st)
{
  return owner == geteuid () || owner == dir_st->st_uid;
}

/* The state of one walk: the directory reached so far, and what is left
 * of the path to resolve from it. */
typedef struct
{
  int         dir_fd;
  struct stat dir_st;
  gboolean    on_proc;    /* /proc's links are the kernel's to follow */
  GString    *dir_name;   /* for messages: the path as resolved so far */
  GString    *rest;
  guint       links;
} Walk;

static gboolean
walk_enter (Walk *walk, int dir_fd)
{
  struct statfs fs;

  if (dir_fd < 0)
    return FALSE;
  if (walk->dir_fd >= 0)
    close (walk->dir_fd);
  walk->dir_fd = dir_fd;
  walk->on_proc = fstatfs (dir_fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
  return fstat (dir_fd, &walk->dir_st) == 0;
}

/* Takes the next component of walk->rest into @component; returns TRUE if
 * it is the last one. */
static gboolean
walk_next (Walk *walk, GString *component)
{
  gsize start = 0, end;

  while (start < walk->rest->len && walk->rest->str[start] == '/')
    start++;
  end = start;
  while (end < walk->rest->len && walk->rest->str[end] != '/')
    end++;
  g_string_assign (component, "");
  g_string_append_len (component, walk->rest->str + start, end - start);
  g_string_erase (walk->rest, 0, end);
  for (gsize i = 0; i < walk->rest->len; i++)
    if (walk->rest->str[i] != '/')
      return FALSE;
  return TRUE;
}

/* @name, a symbolic link in the current directory, is about to be
 * followed: refuses it as protected_symlinks would, or puts its target in
 * front of what is left to resolve. */
static gboolean
walk_follow (Walk *walk, const char *name, const struct stat *link_st, char **refusal)
{
  g_autofree char *target = NULL;
  gssize len;

  if (is_sticky_world_writable (&walk->dir_st) && !is_trusted_owner (link_st->st_uid, &walk->dir_st))
    {
      /* TRANSLATORS: why an output file is refused; %lu is a user id,
       * %s the directory (such as /tmp) */
      *refusal = g_strdup_printf (_("refusing to follow a symbolic link owned by another "
                                    "user (uid %lu) in the world-writable sticky "
                                    "directory “%s”"),
                                  (gulong) link_st->st_uid, walk->dir_name->str);
      errno = EACCES;
      return FALSE;
    }
  if (++walk->links > MAX_LINKS)
    {
      errno = ELOOP;
      return FALSE;
    }
  target = g_malloc (link_st->st_size + 2);
  len = readlinkat (walk->dir_fd, name, target, link_st->st_size + 1);
  if (len < 0)
    return FALSE;
  if (len > link_st->st_size || len == 0)
    {
      /* Changed since it was looked at (only its owner can do that). */
      errno = len == 0 ? ENOENT : EAGAIN;
      return FALSE;
    }
  target[len] = '\0';
  g_string_prepend_c (walk->rest, '/');
  g_string_prepend (walk->rest, target);
  if (target[0] == '/')
    {
      g_string_assign (walk->dir_name, "/");
      return walk_enter (walk, open ("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    }
  return TRUE;
}

static void
walk_descend (Walk *walk, const char *name)
{
  if (walk->dir_name->len > 0 && walk->dir_name->str[walk->dir_name->len - 1] != '/')
    g_string_append_c (walk->dir_name, '/');
  g_string_append (walk->dir_name, name);
}

/* Opens the last component, @name, in the current directory. */
static int
walk_open_last (Walk *walk, const char *name, int flags, mode_t mode, char **refusal)
{
  struct stat st;
  int fd, saved_errno;

  /* O_NOFOLLOW: a link planted since it was looked at is not followed
   * (the open fails with ELOOP, and the walk looks again). */
  fd = openat (walk->dir_fd, name, flags | O_NOFOLLOW, mode);
  if (fd < 0)
    return -1;
  saved_errno = errno;
  /* protected_regular and protected_fifos: a file another user created
   * first would receive the lines (to read them, or to have the caller
   * append to a file it should not). Opening it changed nothing. A file
   * this call created is the caller's. */
  if (is_sticky_shared (&walk->dir_st) && fstat (fd, &st) == 0 &&
      (S_ISREG (st.st_mode) || S_ISFIFO (st.st_mode)) &&
      !is_trusted_owner (st.st_uid, &walk->dir_st))
    {
      /* TRANSLATORS: why an output file is refused; %lu is a user id,
       * %s the directory (such as /tmp) */
      *refusal = g_strdup_printf (_("refusing to write to a file owned by another user "
                                    "(uid %lu) in the sticky directory “%s”, which others "
                                    "can write to"),
                                  (gulong) st.st_uid, walk->dir_name->str);
      close (fd);
      errno = EACCES;
      return -1;
    }
  errno = saved_errno;
  return fd;
}

int
tl_protected_open (const char  *path,
                   int          flags,
                   mode_t       mode,
                   char       **refusal)
{
  Walk walk = { .dir_fd = -1 };
  g_autoptr(GString) component = g_string_new (NULL);
  gboolean last = FALSE;
  guint retries = 0;
  int fd = -1, saved_errno;

  *refusal = NULL;
  if (path[0] == '\0')
    return g_open (path, flags, mode);
  if (path[strlen (path) - 1] == '/' && !(flags & O_DIRECTORY))
    {
      /* As open(): a file cannot be named like a directory. */
      errno = EISDIR;
      return -1;
    }

  walk.rest = g_string_new (path);
  walk.dir_name = g_string_new (path[0] == '/' ? "/" : ".");
  if (!walk_enter (&walk, open (path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC)))
    goto out;

  while (TRUE)
    {
      struct stat st;

      last = walk_next (&walk, component);
      if (last && (component->len == 0 || strcmp (component->str, ".") == 0 ||
                   strcmp (component->str, "..") == 0))
        {
          /* "/", "dir/.", "dir/..": no entry of a shared directory can be
           * planted there. */
          fd = openat (walk.dir_fd, component->len ? component->str : ".", flags, mode);
          break;
        }
      if (strcmp (component->str, ".") == 0)
        continue;

      if (fstatat (walk.dir_fd, component->str, &st, AT_SYMLINK_NOFOLLOW) != 0)
        {
          if (last && errno == ENOENT && (flags & O_CREAT))
            {
              fd = walk_open_last (&walk, component->str, flags, mode, refusal);
              if (fd < 0 && errno == EEXIST && !(flags & O_EXCL) && retries++ < MAX_LINKS)
                {
                  /* Created by somebody else in between: look again. */
                  g_string_prepend (walk.rest, component->str);
                  continue;
                }
              break;
            }
          goto out;
        }

      if (S_ISLNK (st.st_mode) && walk.on_proc)
        {
          /* /proc/self/fd/N, /dev/stdout's target: "magic" links that name
           * an open file, not a path (pipe:[1234]); procfs is never a
           * shared directory. */
          if (last)
            {
              fd = openat (walk.dir_fd, component->str, flags, mode);
              break;
            }
          if (!walk_enter (&walk, openat (walk.dir_fd, component->str,
                                          O_PATH | O_DIRECTORY | O_CLOEXEC)))
            goto out;
          walk_descend (&walk, component->str);
          continue;
        }
      if (S_ISLNK (st.st_mode) && !(last && (flags & O_NOFOLLOW)))
        {
          if (!walk_follow (&walk, component->str, &st, refusal))
            goto out;
          continue;
        }

      if (last)
        {
          fd = walk_open_last (&walk, component->str, flags, mode, refusal);
          if (fd < 0 && errno == ELOOP && *refusal == NULL && retries++ < MAX_LINKS)
            {
              /* Replaced by a link in between: follow it, by the rules. */
              g_string_prepend (walk.rest, component->str);
              continue;
            }
          break;
        }

      if (!walk_enter (&walk, openat (walk.dir_fd, component->str,
                                      O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)))
        {
          if (errno == ELOOP && retries++ < MAX_LINKS)
            {
              g_string_prepend (walk.rest, component->str);
              continue;
            }
          goto out;
        }
      walk_descend (&walk, component->str);
    }

out:
  saved_errno = errno;
  if (walk.dir_fd >= 0)
    close (walk.dir_fd);
  g_string_free (walk.rest, TRUE);
  g_string_free (walk.dir_name, TRUE);
  errno = saved_errno;
  return fd;
}
