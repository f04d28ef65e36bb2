/* tl-trace-file.c: the process's structured trace file
 *
 * torch's LazyTraceHandler: the directory comes from `TORCH_TRACE` (or
 * `TORCH_DTRACE`), read once; the file is created at the first record as
 * `dedicated_log_torch_trace_[rank_<N>_]<random>.log`. A child process
 * notices the fork by its process id and starts a file of its own, so two
 * processes never interleave one file (torch PR #184772).
 *
 * Interned strings keep their ids for the life of the process; a new file
 * therefore starts with a `str` record for every string interned so far,
 * so the ids it uses resolve inside that file alone.
 *
 * Every line of the file starts with torch's glog prefix, made here
 * (tl_trace_append_prefix()) for the file's own `str` records and for the
 * records tl-trace.c builds: tl-trace.c uses this file, never the other
 * way round.
 *
 * Faults: records are written whole or not at all, through
 * tl_output_append() (tl-output.c): a write that stops part way (a full
 * disk, RLIMIT_FSIZE) is taken back, so the file never ends in half a
 * JSON line nor a record without its payload, and SIGXFSZ and SIGPIPE do
 * not kill the program. The first failure of a streak gets one warning
 * naming the file and the error; records are dropped until writing works
 * again, and the `str` records of the strings interned meanwhile are then
 * written first, so the ids of later records still resolve in the file.
 *
 * Opening: the directory is opened as tl_protected_open() allows
 * (a symbolic link of another user in a sticky world-writable directory
 * such as /tmp is refused, as the kernel's protected_symlinks would), and
 * the file is created in it with O_CREAT | O_EXCL | O_NOFOLLOW |
 * O_CLOEXEC, mode 0600, under a name no other file has.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-once-private.h"
#include "tl-trace-file-private.h"
#include "tl-environment-private.h"
#include "tl-json-private.h"
#include "tl-local-time-private.h"
#include "tl-output-private.h"
#include "tl-protected-open-private.h"
#include "tl-i18n-private.h"

static GMutex      trace_lock;
static int         enabled;          /* atomic: a directory is set */
static gboolean    verbose;          /* TORCH_DTRACE: the verbose channel */
static char       *directory;
/* The file's descriptor (-1: none), its torn record and failing streak. */
static TlOutputAppend trace_out = { .fd = -1, .guard = TRUE, .keep_lines = FALSE };
static char       *trace_path;
static pid_t       trace_pid;        /* the process that opened trace_out.fd */
static int         trace_rank;       /* the rank when it was opened, -1: none */
static gboolean    version_pending;
static GHashTable *intern_ids;       /* string → id + 1 */
static GPtrArray  *interned;         /* id → string */
/* The `str` records the file lacks, of the ids missing_from to
 * missing_to - 1 (a new file; records dropped by a failed write): written
 * before the next record. Ids from missing_to on were interned since and
 * have their records in the text being written. */
static guint       missing_from;
static guint       missing_to;

/* A fork while another thread writes would copy a locked mutex into the
 * child; holding it across fork() makes the child's copy consistent. */
void
tl_trace_file_fork_prepare (void)
{
  g_mutex_lock (&trace_lock);
}

void
tl_trace_file_fork_release (void)
{
  g_mutex_unlock (&trace_lock);
}

/* Once per process: tl_once(), not g_once_init_enter(), see tl-once.c. */
static void
read_environment_once (void)
{
  {
    const char *dtrace = tl_environment_dtrace_dir ();
    const char *trace = tl_environment_trace_dir ();

    intern_ids = g_hash_table_new (g_str_hash, g_str_equal);
    interned = g_ptr_array_new_with_free_func (g_free);

    /* TORCH_DTRACE names the directory and turns the verbose channel on. */
    if (dtrace != NULL && dtrace[0] != '\0')
      {
        directory = g_strdup (dtrace);
        verbose = TRUE;
      }
    else if (trace != NULL && trace[0] != '\0')
      directory = g_strdup (trace);
    g_atomic_int_set (&enabled, directory != NULL);
  }
}

static void
read_environment (void)
{
  static TlOnce once;

  tl_once (&once, read_environment_once);
}

void
tl_trace_file_lock (void)
{
  read_environment ();
  g_mutex_lock (&trace_lock);
}

void
tl_trace_file_unlock (void)
{
  g_mutex_unlock (&trace_lock);
}

gboolean
tl_trace_file_enabled (void)
{
  read_environment ();
  return g_atomic_int_get (&enabled);
}

gboolean
tl_trace_file_verbose (void)
{
  gboolean result;

  read_environment ();
  g_mutex_lock (&trace_lock);
  result = verbose;
  g_mutex_unlock (&trace_lock);
  return result;
}

/* Strips the build tree's `../` and `./` from `__FILE__`, as the text
 * format does (`torchlog/tl-trace.c`). */
const char *
tl_trace_source_path (const char *file)
{
  if (file == NULL || file[0] == '\0')
    return "<unknown>";
  for (;;)
    {
      if (g_str_has_prefix (file, "../"))
        file += 3;
      else if (g_str_has_prefix (file, "./"))
        file += 2;
      else
        return file;
    }
}

/* Keeps out of the prefix what would break tlparse's: it reads the path
 * up to the first `:`, and a line that is not UTF-8 is lost (its payload
 * then glued onto the previous record). */
static void
append_path (GString *out, const char *file)
{
  const char *p;
  g_autofree char *valid = NULL;

  file = tl_trace_source_path (file);
  if (!g_utf8_validate (file, -1, NULL))
    file = valid = g_utf8_make_valid (file, -1);
  for (p = file; *p != '\0'; p++)
    g_string_append_c (out, (*p == ':' || (guchar) *p < 0x20) ? '_' : *p);
}

void
tl_trace_append_prefix (GString    *out,
                        const char *file,
                        int         line)
{
  gint64 now = g_get_real_time ();
  struct tm tm;

  if (!tl_local_time (now / G_USEC_PER_SEC, &tm))
    memset (&tm, 0, sizeof tm);
  /* Always V: trace records are logged at DEBUG. No rank, trace id or
   * artifact parts: those are in the JSON. */
  g_string_append_printf (out, "V%02d%02d %02d:%02d:%02d.%06d %d ",
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                          (int) (now % G_USEC_PER_SEC), (int) getpid ());
  append_path (out, file);
  g_string_append_printf (out, ":%d] ", MAX (line, 0));
}

static void
append_str_record (GString *out, const char *string, int id)
{
  g_autoptr(JsonArray) pair = json_array_new ();
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_array_add_string_element (pair, string);
  json_array_add_int_element (pair, id);
  json_object_set_array_member (record, "str", json_array_ref (pair));
  json_node_set_object (node, record);

  tl_trace_append_prefix (out, __FILE__, __LINE__);
  tl_json_append (out, node, TL_JSON_COMPACT);
  g_string_append_c (out, '\n');
}

static void
close_file_locked (void)
{
  /* Nothing is buffered: closing a descriptor inherited from the parent
   * loses none of the parent's records. */
  if (trace_out.fd >= 0)
    close (trace_out.fd);
  trace_out.fd = -1;
  trace_out.torn = FALSE;
  trace_out.failing = FALSE;
  trace_out.recovered = 0;
  g_clear_pointer (&trace_path, g_free);
}

/* @reason: why, or NULL for @saved_errno's text. */
static void
warn_once (const char *dir, const char *reason, int saved_errno)
{
  g_autofree char *line =
    g_strdup_printf (_("torchlog: cannot create a trace file in “%s”: %s; "
                       "structured tracing is off\n"),
                     dir, reason != NULL ? reason : g_strerror (saved_errno));

  tl_output_warn (line);
}

/* Creates `@prefix` + six letters + `.log` in @dir_fd, a name no file
 * has: O_EXCL, and O_NOFOLLOW so that not even a dangling link is
 * followed. Returns the descriptor and its name, or -1 with errno. */
static int
create_file_in (int dir_fd, const char *prefix, char **name)
{
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static guint64 counter;
  /* Not GRand: its lock may be held by a thread the child of a fork()
   * does not have. The names need not be secret, only new. */
  guint64 seed = (guint64) g_get_real_time () ^ ((guint64) getpid () << 40) ^
                 (guint64) (guintptr) name;

  for (int attempt = 0; attempt < 100; attempt++)
    {
      g_autofree char *candidate = NULL;
      guint64 value = seed + ++counter * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
      char suffix[7];
      int fd;

      /* splitmix64's finalizer: neighbouring inputs, unrelated names. */
      value = (value ^ (value >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
      value = (value ^ (value >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
      value ^= value >> 31;
      for (int i = 0; i < 6; i++, value /= 62)
        suffix[i] = letters[value % 62];
      suffix[6] = '\0';
      candidate = g_strdup_printf ("%s%s.log", prefix, suffix);
      fd = openat (dir_fd, candidate,
                   O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        {
          *name = g_steal_pointer (&candidate);
          return fd;
        }
      if (errno != EEXIST)
        return -1;
    }
  errno = EEXIST;
  return -1;
}

/* The trace directory, created if need be. Returns a descriptor for it
 * (O_PATH) or -1 with a warning given. */
static int
open_directory_locked (void)
{
  g_autofree char *refusal = NULL;
  int dir_fd;

  dir_fd = tl_protected_open (directory, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, &refusal);
  if (dir_fd < 0 && refusal == NULL && errno == ENOENT)
    {
      if (g_mkdir_with_parents (directory, 0777) < 0)
        {
          warn_once (directory, NULL, errno);
          return -1;
        }
      dir_fd = tl_protected_open (directory, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, &refusal);
    }
  if (dir_fd < 0)
    warn_once (directory, refusal, errno);
  return dir_fd;
}

/* Writes @text (whole records, maybe none) after the `str` records the
 * file lacks, with one write(). */
static void
write_records_locked (const char *text, gsize len)
{
  g_autoptr(GString) joined = NULL;
  gboolean report;
  int error;

  if (missing_from < missing_to)
    {
      joined = g_string_sized_new (len + 128 * (missing_to - missing_from));
      for (guint i = missing_from; i < missing_to; i++)
        append_str_record (joined, g_ptr_array_index (interned, i), (int) i);
      g_string_append_len (joined, text, len);
      text = joined->str;
      len = joined->len;
    }
  error = tl_output_append (&trace_out, text, len, &report);
  if (error == 0)
    {
      missing_from = missing_to = interned->len;
      return;
    }
  /* Taken back whole: the `str` records it held are missing too. */
  missing_to = interned->len;
  if (report)
    {
      g_autofree char *line =
        g_strdup_printf (_("torchlog: cannot write to trace file “%s”: %s; its records "
                           "are dropped until it can be written again\n"),
                         trace_path, g_strerror (error));

      tl_output_warn (line);
    }
}

gboolean
tl_trace_file_ensure_locked (char **opened_path)
{
  g_autofree char *prefix = NULL;
  g_autofree char *name = NULL;
  pid_t pid;
  int rank, dir_fd, saved_errno;

  if (directory == NULL)
    return FALSE;
  pid = getpid ();
  rank = tl_registry_get_rank (tl_registry_get_default ());
  /* A rank set (or changed) since the file was opened starts a new file:
   * tlparse drops every record of a rank other than the file's first. */
  if (trace_out.fd >= 0 && trace_pid == pid && (trace_rank == rank || trace_rank < 0))
    return TRUE;
  close_file_locked ();

  dir_fd = open_directory_locked ();
  if (dir_fd >= 0)
    {
      if (rank >= 0)
        prefix = g_strdup_printf ("dedicated_log_torch_trace_rank_%d_", rank);
      else
        prefix = g_strdup ("dedicated_log_torch_trace_");
      trace_out.fd = create_file_in (dir_fd, prefix, &name);
      saved_errno = errno;
      close (dir_fd);
      if (trace_out.fd < 0)
        warn_once (directory, NULL, saved_errno);
    }
  if (trace_out.fd < 0)
    {
      g_clear_pointer (&directory, g_free);
      g_atomic_int_set (&enabled, FALSE);
      return FALSE;
    }
  trace_pid = pid;
  trace_rank = rank;
  trace_path = g_strdup_printf ("%s/%s", directory, name);
  version_pending = TRUE;

  /* A new file starts with every string interned so far. */
  missing_from = 0;
  missing_to = interned->len;
  write_records_locked (NULL, 0);

  if (opened_path != NULL)
    *opened_path = g_strdup (trace_path);
  return TRUE;
}

int
tl_trace_file_intern_locked (const char *string,
                             GString    *lines)
{
  gpointer value;
  int id;

  if (string == NULL)
    return -1;
  value = g_hash_table_lookup (intern_ids, string);
  if (value != NULL)
    return GPOINTER_TO_INT (value) - 1;

  id = (int) interned->len;
  g_ptr_array_add (interned, g_strdup (string));
  g_hash_table_insert (intern_ids, g_ptr_array_index (interned, id), GINT_TO_POINTER (id + 1));
  if (lines != NULL && trace_out.fd >= 0 && trace_pid == getpid ())
    append_str_record (lines, string, id);
  return id;
}

void
tl_trace_file_write_locked (const char *text,
                            gsize       len)
{
  if (trace_out.fd >= 0 && trace_pid == getpid ())
    write_records_locked (text, len);
}

gboolean
tl_trace_file_take_version_locked (void)
{
  gboolean pending = version_pending;

  version_pending = FALSE;
  return pending;
}

/**
 * tl_trace_is_enabled:
 *
 * Whether structured trace records are written: `TORCH_TRACE` (or
 * `TORCH_DTRACE`) named a directory when tracing was first used, or
 * tl_trace_set_directory() set one. Cheap enough to guard the building of
 * expensive metadata.
 *
 * Returns: %TRUE if tracing is on
 *
 * Since: 0.1
 */
gboolean
tl_trace_is_enabled (void)
{
  return tl_trace_file_enabled ();
}

/**
 * tl_trace_is_verbose:
 *
 * Whether the verbose channel (torch's `dtrace_structured`, records
 * with %TL_TRACE_DTRACE) is on: `TORCH_DTRACE` set the directory.
 *
 * Returns: %TRUE if verbose records are written
 *
 * Since: 0.1
 */
gboolean
tl_trace_is_verbose (void)
{
  return tl_trace_file_enabled () && tl_trace_file_verbose ();
}

/**
 * tl_trace_set_directory:
 * @directory: (nullable) (type filename): the directory for trace files,
 *   or %NULL to turn tracing off
 *
 * Changes the trace directory from code. As in torch, `TORCH_TRACE` is
 * read only once, when tracing is first used, and never again; this is
 * the way to change it later (the first of torch issue 143274's asks).
 * The current file is closed; the next record starts a new file in
 * @directory. Interned string ids stay valid.
 *
 * Since: 0.1
 */
void
tl_trace_set_directory (const char *dir)
{
  tl_trace_file_lock ();
  close_file_locked ();
  g_free (directory);
  directory = (dir != NULL && dir[0] != '\0') ? g_strdup (dir) : NULL;
  g_atomic_int_set (&enabled, directory != NULL);
  tl_trace_file_unlock ();
}

/**
 * tl_trace_dup_directory:
 *
 * Gets the trace directory.
 *
 * Returns: (transfer full) (nullable) (type filename): the directory, or
 *   %NULL when tracing is off
 *
 * Since: 0.1
 */
char *
tl_trace_dup_directory (void)
{
  char *result;

  tl_trace_file_lock ();
  result = g_strdup (directory);
  tl_trace_file_unlock ();
  return result;
}

/**
 * tl_trace_dup_path:
 *
 * Gets the path of the file this process writes trace records to. The
 * file is created at the first record, so this is %NULL before it.
 * `tlparse` takes this path (not the directory).
 *
 * Returns: (transfer full) (nullable) (type filename): the file's path,
 *   or %NULL
 *
 * Since: 0.1
 */
char *
tl_trace_dup_path (void)
{
  char *result = NULL;

  tl_trace_file_lock ();
  if (trace_out.fd >= 0 && trace_pid == getpid ())
    result = g_strdup (trace_path);
  tl_trace_file_unlock ();
  return result;
}
