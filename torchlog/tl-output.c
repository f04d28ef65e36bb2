/* tl-output.c: where formatted lines go: stderr and TORCH_LOGS_OUT
 *
 * stderr is written at once, one write() per record, as torch's
 * StreamHandler flushes after every record: a reader of stderr sees each
 * line when it is logged, and lines of different threads never
 * interleave. When stderr is /dev/null the write() is skipped.
 *
 * The file (TORCH_LOGS_OUT) is buffered: whole lines are appended to a
 * 64 KiB buffer under the file's lock and written out with one write()
 * when the next line would not fit, so a busy program pays one system
 * call per few hundred lines instead of one per line. Nothing is lost on
 * the ways a program normally ends, because the buffer is also written
 * out:
 *  - by a flusher thread, at most TL_FLUSH_INTERVAL_MS after the oldest
 *    line went into an empty buffer (the thread sleeps while every buffer
 *    is empty);
 *  - when the program exits (return from main(), exit(), and dlclose()
 *    of the library), by a destructor; lines logged after it are written
 *    straight through;
 *  - before a record at ERROR or above is passed on (tl_critical(),
 *    g_critical()) and before any fatal GLib record, whose abort() would
 *    skip the destructor (the writer calls tl_output_flush_all());
 *  - before fork(), so parent and child never both write the same lines
 *    (the child then writes its lines through: it cannot start a flusher
 *    thread of its own);
 *  - when an output is replaced or dropped, and by tl_registry_flush().
 * What is lost: a process killed by SIGKILL, or one that dies of a signal
 * or calls _exit() or execve() without logging at ERROR first, loses the
 * lines still in the buffer: at most the last TL_FLUSH_INTERVAL_MS of
 * lines, never more than one buffer, and never part of a line. Call
 * tl_registry_flush() before execve() or _exit() to lose nothing.
 *
 * Faults: write() is retried on EINTR and after partial writes, and waits
 * (poll) while a non-blocking descriptor is full. A file that cannot be
 * written gets one warning on stderr naming the file and the error; its
 * lines are dropped, and stderr keeps receiving every record. The warning
 * is given once per failing streak: a streak ends when the file has taken
 * a buffer's worth (64 KiB) of lines again, so a file at its size limit
 * or on a nearly full disk, where a short write sometimes still fits,
 * does not warn again and again. Lines are whole or absent: a write that
 * stops part way (ENOSPC, EFBIG) is taken back to the end of its last
 * whole line, the file (regular, opened O_APPEND) cut back with
 * ftruncate() to the size it had then, unless another process has
 * appended since; what cannot be cut (a pipe, a device) is ended with a
 * newline before the next line instead, so no line is merged with a
 * fragment (tl_output_append(), which the trace file uses too).
 *
 * Signals: neither SIGPIPE (a pipe or a socket without a reader) nor
 * SIGXFSZ (a regular file reaching RLIMIT_FSIZE, `ulimit -f`) kills the
 * program on torchlog's behalf, and their dispositions are never changed:
 * a write to the file (unless it is a terminal or another device) and a
 * write to stderr when it is a pipe, a socket or a regular file under a
 * size limit is made with both signals blocked in the calling thread
 * only, and the one the failed write raised is consumed, so the write
 * just fails with EPIPE or EFBIG and the line is dropped. A signal the
 * program itself blocks is left pending for it. Other writes to stderr
 * need no such care and cost a single write().
 *
 * What stderr is (a pipe or socket, /dev/null, a file, under a size limit
 * or not) is probed with fstat() again every 100 ms and every 1024 lines
 * per thread, not for every line, since that would double the cost of a
 * line; the program may dup2() another file over stderr or lower its
 * limit, and for that long after it the lines are treated as before: not
 * written if stderr was /dev/null, written without the guard if it was a
 * terminal or a file without a limit.
 *
 * Opening TORCH_LOGS_OUT: a new file is created with mode 0600 (minus the
 * umask; an existing file keeps its mode), close-on-exec. In a sticky
 * world-writable directory such as /tmp, what the kernel's
 * protected_symlinks and protected_regular / protected_fifos refuse is
 * refused even where they are off (tl-protected-open.c): a symbolic link
 * anywhere on the path, or an existing file or FIFO, owned by neither the
 * caller nor the directory's owner; the error (TL_ERROR_OUTPUT) says why.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tl-once-private.h"
#include "tl-output-private.h"
#include "tl-protected-open-private.h"
#include "tl-refcount-private.h"
#include "tl-format-private.h"
#include "tl-thread-state-private.h"
#include "tl-error.h"
#include "tl-i18n-private.h"

#define TL_FILE_BUFFER_SIZE  (64 * 1024)
#define TL_FLUSH_INTERVAL_MS 100

struct _TlFile {
  gatomicrefcount ref;
  pthread_mutex_t lock;       /* guards @buffer and @len: appending */
  pthread_mutex_t write_lock; /* guards @spare, @append and writing to the
                            * file, so buffers reach it in order */
  TlOutputAppend append;   /* the descriptor, its torn line, its failing streak */
  char      *path;
  char      *buffer;       /* lines being collected */
  gsize      len;
  char      *spare;        /* the other buffer, unless being written */
};

/* The locks are POSIX ones rather than GMutex, which GLib builds on raw
 * futexes that ThreadSanitizer cannot see (this file is POSIX-only anyway:
 * fork, signals, write).
 *
 * Every open file, to flush them all at exit, before fork() and from the
 * flusher thread. Lock order: files_lock, then a file's lock, then
 * flusher_lock. */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static GPtrArray *files;
/* Set by the exit destructor, in the child of fork(), or when no flusher
 * thread can be started: from then on lines are written straight through. */
static gint       write_through;

static pthread_mutex_t flusher_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t  flusher_cond = PTHREAD_COND_INITIALIZER;
static gint       flusher_armed;    /* some buffer holds lines */
static gboolean   flusher_started;  /* guarded by flusher_lock */


/* ---- writing a descriptor ----------------------------------------- */

/* Writes all of @text, retrying on EINTR and partial writes. Returns 0
 * or the errno of the failure; adds the bytes written to *@done. */
static int
write_fd (int fd, const char *text, gsize len, gsize *done)
{
  while (len > 0)
    {
      gssize written = write (fd, text, len);

      if (written > 0)
        {
          text += written;
          len -= written;
          *done += written;
          continue;
        }
      if (written == 0)
        return EIO;
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        {
          /* A non-blocking descriptor that is full: wait a little for
           * room rather than spin or drop the rest of a line. */
          struct pollfd pfd = { fd, POLLOUT, 0 };
          int ready = poll (&pfd, 1, 1000);

          if (ready > 0 || (ready < 0 && errno == EINTR))
            continue;
          return EAGAIN;
        }
      return errno;
    }
  return 0;
}

/* The signals a write() raises besides failing: SIGPIPE (a pipe or a
 * socket without a reader: EPIPE) and SIGXFSZ (a regular file reaching
 * RLIMIT_FSIZE: EFBIG). Both terminate by default. They are blocked in
 * the calling thread only, around the write, and the one the failed write
 * raised is taken back so it is never delivered later; their dispositions
 * are never changed. */
typedef struct {
  sigset_t old_set;
  gboolean blocked;
} SignalGuard;

static void
signal_guard_begin (SignalGuard *guard)
{
  sigset_t set;

  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  sigaddset (&set, SIGXFSZ);
  guard->blocked = pthread_sigmask (SIG_BLOCK, &set, &guard->old_set) == 0;
}

/* @error: what the guarded write failed with, or 0. */
static void
signal_guard_end (SignalGuard *guard, int error)
{
  int raised = error == EPIPE ? SIGPIPE : error == EFBIG ? SIGXFSZ : 0;

  if (!guard->blocked)
    return;
  /* Blocked by the program itself: then it is the program's to take. */
  if (raised != 0 && !sigismember (&guard->old_set, raised))
    {
      struct timespec zero = { 0, 0 };
      sigset_t set;

      sigemptyset (&set);
      sigaddset (&set, raised);
      while (sigtimedwait (&set, NULL, &zero) < 0 && errno == EINTR)
        ;
    }
  pthread_sigmask (SIG_SETMASK, &guard->old_set, NULL);
}

/* write_fd() with SIGPIPE and SIGXFSZ blocked in this thread. */
static int
write_fd_guarded (int fd, const char *text, gsize len)
{
  SignalGuard guard;
  gsize done = 0;
  int error;

  signal_guard_begin (&guard);
  error = write_fd (fd, text, len, &done);
  signal_guard_end (&guard, error);
  return error;
}

/* After a write of @text to @append's file failed once @done bytes of it
 * were written (a full disk, RLIMIT_FSIZE): removes what would be left of
 * a line, so that no fragment stays and none is merged with the next
 * line. A regular file opened O_APPEND is cut back to its size before the
 * write plus the lines written whole (keep_lines), or to its size before
 * the write; only while nobody appended after this write (its size is
 * still where the write ended), so another process's lines are never cut.
 * What cannot be cut (a pipe, a device, a file that moved on) is ended
 * with a newline at the next write instead. */
static void
take_back_fragment (TlOutputAppend *append, const char *text, gsize done)
{
  struct stat st;
  gsize keep = 0;
  off_t end;

  if (append->keep_lines)
    {
      for (gsize i = done; i > 0; i--)
        if (text[i - 1] == '\n')
          {
            keep = i;
            break;
          }
      if (keep == done)
        return;   /* it stopped between two lines: nothing is torn */
    }
  end = lseek (append->fd, 0, SEEK_CUR);
  if (end >= (off_t) done && fstat (append->fd, &st) == 0 && S_ISREG (st.st_mode) &&
      st.st_size == end && ftruncate (append->fd, end - (off_t) (done - keep)) == 0)
    return;
  append->torn = TRUE;
}

int
tl_output_append (TlOutputAppend *append,
                  const char     *text,
                  gsize           len,
                  gboolean       *report)
{
  SignalGuard guard;
  gsize done = 0;
  int error = 0;

  *report = FALSE;
  if (append->fd < 0 || len == 0)
    return 0;
  if (append->guard)
    signal_guard_begin (&guard);
  if (append->torn)
    {
      error = write_fd (append->fd, "\n", 1, &done);
      if (error == 0)
        append->torn = FALSE;
      done = 0;
    }
  if (error == 0)
    {
      error = write_fd (append->fd, text, len, &done);
      if (error != 0 && done > 0)
        take_back_fragment (append, text, done);
    }
  if (append->guard)
    signal_guard_end (&guard, error);

  if (error == 0)
    {
      /* A streak ends once the file took a buffer's worth again, not at
       * the first short write that fits: a file at its size limit or on
       * a nearly full disk would otherwise warn for every other write. */
      if (append->failing)
        {
          append->recovered += len;
          if (append->recovered >= TL_FILE_BUFFER_SIZE)
            append->failing = FALSE;
        }
      return 0;
    }
  append->recovered = 0;
  if (!append->failing)
    {
      append->failing = TRUE;
      *report = TRUE;
    }
  return error;
}

/* ---- the flusher thread ------------------------------------------- */

static gpointer
flusher_main (gpointer unused)
{
  pthread_mutex_lock (&flusher_lock);
  for (;;)
    {
      while (!g_atomic_int_get (&flusher_armed))
        pthread_cond_wait (&flusher_cond, &flusher_lock);
      pthread_mutex_unlock (&flusher_lock);

      g_usleep (TL_FLUSH_INTERVAL_MS * 1000);
      /* Disarm before flushing: a line appended to a buffer this pass
       * has already emptied arms the thread again (the file's lock orders
       * the two), so no line can wait for a wake-up that never comes. */
      g_atomic_int_set (&flusher_armed, FALSE);
      tl_output_flush_all ();

      pthread_mutex_lock (&flusher_lock);
    }
  return NULL;
}

/* Called after a line went into an empty buffer. Returns FALSE if no
 * flusher thread can run, in which case the caller writes through. */
static gboolean
flusher_arm (void)
{
  gboolean ok = TRUE;

  if (g_atomic_int_get (&flusher_armed))
    return TRUE;
  pthread_mutex_lock (&flusher_lock);
  if (!flusher_started)
    {
      GThread *thread = g_thread_try_new ("torchlog-flush", flusher_main, NULL, NULL);

      if (thread != NULL)
        {
          g_thread_unref (thread);
          flusher_started = TRUE;
        }
      else
        {
          g_atomic_int_set (&write_through, TRUE);
          ok = FALSE;
        }
    }
  if (ok)
    {
      g_atomic_int_set (&flusher_armed, TRUE);
      pthread_cond_signal (&flusher_cond);
    }
  pthread_mutex_unlock (&flusher_lock);
  return ok;
}

/* ---- files --------------------------------------------------------- */

/* Writes @len bytes (whole lines) to the file; warns once per failing
 * streak. The file's write lock is held. */
static void
file_write_locked (TlFile *file, const char *text, gsize len)
{
  gboolean report;
  int error;

  error = tl_output_append (&file->append, text, len, &report);
  if (report)
    {
      g_autofree char *warning = NULL;

      warning = g_strdup_printf (_("torchlog: cannot write to log file “%s”: %s; "
                                   "its lines are dropped until it can be written again\n"),
                                 file->path, g_strerror (error));
      tl_output_warn (warning);
    }
}

/* Takes the appending lock. It is held for a copy of one line, so a
 * thread that finds it taken spins a little before it sleeps: with two
 * threads logging at once, sleeping and waking in the kernel would cost
 * many times the wait. */
static inline void
file_lock (TlFile *file)
{
  /* About the time of one append, no more: the holder may have been
   * preempted, and spinning would only keep it from running. */
  for (int i = 0; i < 64; i++)
    {
      if (pthread_mutex_trylock (&file->lock) == 0)
        return;
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
      __builtin_ia32_pause ();
#endif
    }
  pthread_mutex_lock (&file->lock);
}

/* With the appending lock held: takes the buffered lines out, leaving an
 * empty buffer for others to append to, and takes the write lock, which
 * the caller releases with file_write_taken() once the appending lock is
 * released. Returns the number of bytes taken, into *taken. */
static gsize
file_take_locked (TlFile *file, char **taken)
{
  gsize len = file->len;

  pthread_mutex_lock (&file->write_lock);
  *taken = file->buffer;
  file->buffer = file->spare != NULL ? file->spare : g_malloc (TL_FILE_BUFFER_SIZE);
  file->spare = NULL;
  file->len = 0;
  return len;
}

/* Writes what file_take_locked() took, then @extra (a line too long for
 * the buffer, or one written through at exit), and releases the write
 * lock. */
static void
file_write_taken (TlFile *file, char *taken, gsize len, const char *extra, gsize extra_len)
{
  file_write_locked (file, taken, len);
  if (extra != NULL)
    file_write_locked (file, extra, extra_len);
  file->spare = taken;
  pthread_mutex_unlock (&file->write_lock);
}

static void
file_flush (TlFile *file)
{
  char *taken;
  gsize len;

  file_lock (file);
  if (file->len == 0)
    {
      pthread_mutex_unlock (&file->lock);
      return;
    }
  len = file_take_locked (file, &taken);
  pthread_mutex_unlock (&file->lock);
  file_write_taken (file, taken, len, NULL, 0);
}

static void
file_append (TlFile *file, const char *text, gsize len)
{
  gboolean was_empty = FALSE;
  gboolean through = g_atomic_int_get (&write_through) || len >= TL_FILE_BUFFER_SIZE;
  char *taken = NULL;
  gsize taken_len = 0;

  file_lock (file);
  if (G_UNLIKELY (file->buffer == NULL))
    file->buffer = g_malloc (TL_FILE_BUFFER_SIZE);
  if (G_UNLIKELY (through || file->len + len > TL_FILE_BUFFER_SIZE))
    {
      /* The full buffer is written outside the appending lock, so other
       * threads go on appending to the other one meanwhile. */
      taken_len = file_take_locked (file, &taken);
    }
  if (!through)
    {
      was_empty = file->len == 0;
      memcpy (file->buffer + file->len, text, len);
      file->len += len;
    }
  pthread_mutex_unlock (&file->lock);

  if (taken != NULL)
    file_write_taken (file, taken, taken_len, through ? text : NULL, len);
  if (G_UNLIKELY (was_empty) && !flusher_arm ())
    file_flush (file);
}

static TlFile *
file_open (const char *path, GError **error)
{
  g_autofree char *refusal = NULL;
  struct stat st;
  TlFile *file;
  int fd;

  /* Appending, as torch's FileHandler does; O_APPEND also keeps whole
   * lines from several processes sharing the file from overlapping. */
  /* O_NONBLOCK: a FIFO without a reader fails (ENXIO) instead of
   * blocking the program forever; writes block again below. */
  /* 0600: logs tell what a program does, with its paths and values; a
   * file that exists keeps its mode. */
  fd = tl_protected_open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NONBLOCK,
                                 0600, &refusal);
  if (fd >= 0 && fd <= STDERR_FILENO)
    {
      /* With stderr closed the file would get its number, and every line
       * would be written to it twice. */
      int high = fcntl (fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
      int saved_errno = errno;

      close (fd);
      fd = high;
      errno = saved_errno;
    }
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, TL_ERROR, TL_ERROR_OUTPUT,
                   _("Cannot open log file “%s”: %s"), path,
                   refusal != NULL ? refusal : g_strerror (saved_errno));
      return NULL;
    }
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);

  file = g_new0 (TlFile, 1);
  tl_ref_init (&file->ref);
  pthread_mutex_init (&file->lock, NULL);
  pthread_mutex_init (&file->write_lock, NULL);
  file->append.fd = fd;
  /* A terminal or a device such as /dev/full raises neither signal. */
  file->append.guard = !(fstat (fd, &st) == 0 && S_ISCHR (st.st_mode));
  file->append.keep_lines = TRUE;
  file->path = g_strdup (path);

  pthread_mutex_lock (&files_lock);
  if (files == NULL)
    files = g_ptr_array_new ();
  g_ptr_array_add (files, file);
  pthread_mutex_unlock (&files_lock);
  return file;
}

static TlFile *
file_ref (TlFile *file)
{
  tl_ref_inc (&file->ref);
  return file;
}

static void
file_unref (TlFile *file)
{
  if (file == NULL)
    return;
  /* Flushed while this reference keeps the file alive (see
   * tl_output_unref()). */
  file_flush (file);
  if (!tl_ref_dec (&file->ref))
    return;
  pthread_mutex_lock (&files_lock);
  g_ptr_array_remove_fast (files, file);
  pthread_mutex_unlock (&files_lock);

  file_flush (file);
  close (file->append.fd);
  pthread_mutex_destroy (&file->lock);
  pthread_mutex_destroy (&file->write_lock);
  g_free (file->buffer);
  g_free (file->spare);
  g_free (file->path);
  g_free (file);
}

void
tl_output_flush_all (void)
{
  pthread_mutex_lock (&files_lock);
  for (guint i = 0; files != NULL && i < files->len; i++)
    file_flush (g_ptr_array_index (files, i));
  pthread_mutex_unlock (&files_lock);
}

/* ---- exit and fork ------------------------------------------------- */

static void
flush_at_exit (void)
{
  g_atomic_int_set (&write_through, TRUE);
  tl_output_flush_all ();
}

#if defined(__GNUC__)
/* A destructor runs after the program's own atexit() handlers, so lines
 * they log are kept too, and also when the library is unloaded. */
__attribute__ ((destructor)) static void
run_flush_at_exit (void)
{
  flush_at_exit ();
}
#endif

/* Before fork(): write every buffer out and hold every lock, so that the
 * child starts with empty buffers (no line is written twice) and with no
 * lock held by a thread it does not have. */
/* Whether this process runs one thread only; FALSE when unsure. */
static gboolean
is_single_threaded (void)
{
  DIR *tasks = opendir ("/proc/self/task");
  struct dirent *entry;
  int n = 0;

  if (tasks == NULL)
    return FALSE;
  while ((entry = readdir (tasks)) != NULL && n < 2)
    if (entry->d_name[0] != '.')
      n++;
  closedir (tasks);
  return n == 1;
}

/* Set in the parent just before fork(), read by the child. */
static gboolean forking_single_threaded;

void
tl_output_fork_prepare (void)
{
  forking_single_threaded = is_single_threaded ();
  pthread_mutex_lock (&files_lock);
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      TlFile *file = g_ptr_array_index (files, i);

      pthread_mutex_lock (&file->lock);
      pthread_mutex_lock (&file->write_lock);
      file_write_locked (file, file->buffer, file->len);
      file->len = 0;
    }
  pthread_mutex_lock (&flusher_lock);
}

void
tl_output_fork_parent (void)
{
  pthread_mutex_unlock (&flusher_lock);
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      TlFile *file = g_ptr_array_index (files, i);

      pthread_mutex_unlock (&file->write_lock);
      pthread_mutex_unlock (&file->lock);
    }
  pthread_mutex_unlock (&files_lock);
}

void
tl_output_fork_child (void)
{
  /* The flusher thread did not survive the fork. The child of a process
   * that ran one thread (a daemon detaching, say) starts a new one when it
   * needs it; the child of a threaded process may not start threads
   * (POSIX allows it only async-signal-safe calls until exec), so it
   * writes its lines through, one write() each, and none waits in a
   * buffer for a flush that would never come. */
  if (forking_single_threaded)
    flusher_started = FALSE;
  else
    g_atomic_int_set (&write_through, TRUE);
  g_atomic_int_set (&flusher_armed, FALSE);
  tl_output_fork_parent ();
}


/* ---- stderr -------------------------------------------------------- */

enum {
  STDERR_PLAIN,     /* a file or a terminal: write() */
  STDERR_GUARDED,   /* a pipe or a socket, or a file under a size limit:
                     * write() with SIGPIPE and SIGXFSZ blocked */
  STDERR_NULL,      /* /dev/null: nothing to do */
};

static dev_t null_rdev;

static void
find_null_device (void)
{
  struct stat null_st;

  if (stat ("/dev/null", &null_st) == 0 && S_ISCHR (null_st.st_mode))
    null_rdev = null_st.st_rdev;
}

static int
probe_stderr (void)
{
  /* tl_once(), not g_once_init_enter(): ThreadSanitizer sees its atomics
   * order the store before the reads, and a fork cannot leave it stuck
   * (tl-once.c). */
  static TlOnce null_once;
  struct stat st;

  tl_once (&null_once, find_null_device);
  if (fstat (STDERR_FILENO, &st) != 0)
    return STDERR_PLAIN;   /* closed: write() fails with EBADF, harmlessly */
  if (S_ISCHR (st.st_mode) && null_rdev != 0 && st.st_rdev == null_rdev)
    return STDERR_NULL;
  if (S_ISFIFO (st.st_mode) || S_ISSOCK (st.st_mode))
    {
      struct sigaction action;

      if (sigaction (SIGPIPE, NULL, &action) == 0 && action.sa_handler == SIG_IGN)
        return STDERR_PLAIN;
      return STDERR_GUARDED;
    }
  if (S_ISREG (st.st_mode))
    {
      struct sigaction action;
      struct rlimit limit;

      /* Only a file-size limit (RLIMIT_FSIZE) makes a write raise
       * SIGXFSZ; without one, a line costs one write() as before. */
      if (getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur == RLIM_INFINITY)
        return STDERR_PLAIN;
      if (sigaction (SIGXFSZ, NULL, &action) == 0 && action.sa_handler == SIG_IGN)
        return STDERR_PLAIN;
      return STDERR_GUARDED;
    }
  return STDERR_PLAIN;
}

/* What stderr is, probed again every 1024 lines and every 100 ms per
 * thread, because the program may dup2() another file over it: after
 * such a change, at most that many lines are treated as before (dropped
 * if stderr was /dev/null; written without the SIGPIPE guard if it was a
 * file). In exchange, a line costs one system call or none. */
static int
stderr_mode (TlThreadState *state, gint64 now_us)
{
  gint64 age;

  if (state == NULL)
    return probe_stderr ();
  age = now_us - state->stderr_checked;
  if (G_LIKELY (state->stderr_writes != 0 && state->stderr_writes < 1024 &&
                age >= 0 && age < 100 * 1000))
    {
      state->stderr_writes++;
      return state->stderr_mode;
    }
  state->stderr_mode = probe_stderr ();
  state->stderr_checked = now_us;
  state->stderr_writes = 1;
  return state->stderr_mode;
}

static void
write_stderr (TlThreadState *state, gint64 now_us, const char *text, gsize len)
{
  /* Whatever stderr is now, as torch's newest _StderrHandler does. An
   * error is dropped: there is nowhere left to report it. */
  switch (stderr_mode (state, now_us))
    {
    case STDERR_NULL:
      break;
    case STDERR_GUARDED:
      write_fd_guarded (STDERR_FILENO, text, len);
      break;
    default:
      {
        gsize done = 0;

        write_fd (STDERR_FILENO, text, len, &done);
      }
      break;
    }
}

void
tl_output_write_stderr (const char *text,
                        gsize       len)
{
  write_stderr (NULL, 0, text, len);
}

void
tl_output_warn (const char *text)
{
  g_autoptr(GString) escaped = g_string_sized_new (strlen (text));

  tl_escape_append (escaped, text, -1);
  tl_output_write_stderr (escaped->str, escaped->len);
}

/* ---- outputs ------------------------------------------------------- */

TlOutput *
tl_output_new (void)
{
  TlOutput *output = g_new0 (TlOutput, 1);

  tl_ref_init (&output->ref);
  return output;
}

/* The copy shares the file (and its buffer, so lines keep their order)
 * and compiles its own format, so either can be freed first. */
TlOutput *
tl_output_copy (const TlOutput *output)
{
  TlOutput *copy = tl_output_new ();

  if (output->file != NULL)
    {
      copy->file = file_ref (output->file);
      copy->file_path = g_strdup (output->file_path);
    }
  if (output->format != NULL)
    copy->format = tl_format_new (tl_format_get_source (output->format), NULL);
  copy->trace_id_filter = g_strdupv (output->trace_id_filter);
  copy->sets_format = output->sets_format;
  return copy;
}

TlOutput *
tl_output_ref (TlOutput *output)
{
  tl_ref_inc (&output->ref);
  return output;
}

void
tl_output_unref (TlOutput *output)
{
  if (output == NULL)
    return;
  /* Flushed while this reference still keeps the output (and its file)
   * alive: once it is dropped, another thread may free both. */
  if (output->file != NULL)
    file_flush (output->file);
  if (!tl_ref_dec (&output->ref))
    return;
  file_unref (output->file);
  g_free (output->file_path);
  tl_format_free (output->format);
  g_strfreev (output->trace_id_filter);
  g_free (output);
}

gboolean
tl_output_open_file (TlOutput    *output,
                     const char  *path,
                     GError     **error)
{
  TlFile *file;

  g_clear_pointer (&output->file, file_unref);
  g_clear_pointer (&output->file_path, g_free);
  if (path == NULL || path[0] == '\0')
    return TRUE;

  file = file_open (path, error);
  if (file == NULL)
    return FALSE;
  output->file = file;
  output->file_path = g_strdup (path);
  return TRUE;
}

/* @base with the parts @over sets replaced: its file when it has one, its
 * format when sets_format. Only references and a format compile, so it is
 * cheap enough to run under the registry's lock. */
TlOutput *
tl_output_overlay (const TlOutput *base,
                   const TlOutput *over)
{
  TlOutput *output = tl_output_copy (base);

  if (over == NULL)
    return output;
  if (over->file != NULL)
    {
      g_clear_pointer (&output->file, file_unref);
      g_free (output->file_path);
      output->file = file_ref (over->file);
      output->file_path = g_strdup (over->file_path);
    }
  if (over->sets_format)
    {
      tl_format_free (output->format);
      output->format = over->format ? tl_format_new (tl_format_get_source (over->format), NULL)
                                    : NULL;
    }
  return output;
}

gboolean
tl_output_keeps_trace_id (const TlOutput *output,
                          const char     *trace_id)
{
  gsize len;

  if (output->trace_id_filter == NULL)
    return TRUE;
  /* A record outside any compile context has no id to list: torch
   * compares "" with the (non-empty) items, so it is always dropped. */
  if (trace_id == NULL)
    return FALSE;
  /* The filter holds bracketed ids, "[0/0]"; compare without building one. */
  len = strlen (trace_id);
  for (char **item = output->trace_id_filter; *item != NULL; item++)
    if ((*item)[0] == '[' && strncmp (*item + 1, trace_id, len) == 0 &&
        (*item)[len + 1] == ']' && (*item)[len + 2] == '\0')
      return TRUE;
  return FALSE;
}

void
tl_output_write (TlOutput   *output,
                 const char *text,
                 gsize       len)
{
  tl_output_write_line (output, tl_thread_state (), g_get_real_time (), text, len);
}

void
tl_output_write_line (TlOutput      *output,
                      TlThreadState *state,
                      gint64         now_us,
                      const char    *text,
                      gsize          len)
{
  write_stderr (state, now_us, text, len);
  if (output->file != NULL)
    file_append (output->file, text, len);
}

void
tl_output_flush (TlOutput *output)
{
  if (output != NULL && output->file != NULL)
    file_flush (output->file);
}

/* The file only: when records go to the journal instead of stderr
 * (tl-file-journal.c), TORCH_LOGS_OUT still gets the lines. */
void
tl_output_write_file (TlOutput   *output,
                      const char *text,
                      gsize       len)
{
  if (output->file != NULL)
    file_append (output->file, text, len);
}
