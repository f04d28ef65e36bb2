/* tl-writer.c: the GLogWriterFunc that applies a registry's configuration
 *
 * Every record of the program goes through the writer once it is
 * installed, most of them to be dropped, so the decision is cached: per
 * thread, per domain, until the registry's generation changes. A dropped
 * record costs the scan of its fields, a hash of its domain and one
 * comparison, with no lock. A printed one is formatted into the thread's
 * scratch buffer and written with one write() per output (see
 * tl-output.c), again with no lock on the registry and no allocation.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-registry-private.h"
#include "tl-artifact-private.h"
#include "tl-compile-context-private.h"
#include "tl-sink-private.h"
#include "tl-i18n-private.h"

gboolean tl_writer_is_installed = FALSE;
TlRegistry *tl_writer_registry = NULL;

typedef struct {
  const char *domain;
  const char *message;
  gssize      message_len;
  const char *file;
  const char *line;
  const char *func;
  const char *priority;
  const char *component;
  const char *artifact;
} Fields;

/* strcmp() == 0 and strncmp() == 0, inlined: a record's handful of keys
 * are compared for every record, dropped or not, and calls through the
 * PLT for strings this short cost more than the comparisons. */
static inline gboolean
key_equals (const char *key, const char *literal)
{
  while (*key == *literal)
    {
      if (*key == '\0')
        return TRUE;
      key++;
      literal++;
    }
  return FALSE;
}

static inline gboolean
key_has_prefix (const char *key, const char *literal)
{
  for (; *literal != '\0'; key++, literal++)
    if (*key != *literal)
      return FALSE;
  return TRUE;
}

/* The fields the decision needs: GLIB_DOMAIN, PRIORITY and torchlog's
 * own. Every record passes here, dropped or not, so the first letter
 * rules out MESSAGE and CODE_* at once; collect_printed_fields() reads
 * those for the records that are printed. */
static void
collect_fields (const GLogField *fields, gsize n_fields, Fields *out)
{
  memset (out, 0, sizeof *out);
  out->message_len = -1;
  for (gsize i = 0; i < n_fields; i++)
    {
      const GLogField *field = &fields[i];
      const char *key = field->key;

      /* Binary values (length >= 0) are only meaningful for MESSAGE;
       * other fields must be strings to be used. */
      if (key == NULL || field->length >= 0)
        continue;
      switch (key[0])
        {
        case 'G':
          if (key_equals (key, "GLIB_DOMAIN"))
            out->domain = field->value;
          continue;
        case 'P':
          if (key_equals (key, "PRIORITY"))
            out->priority = field->value;
          continue;
        case 'T':
          if (!key_has_prefix (key, "TORCHLOG_"))
            continue;
          if (key_equals (key + 9, "COMPONENT"))
            out->component = field->value;
          else if (key_equals (key + 9, "ARTIFACT"))
            out->artifact = field->value;
          continue;
        default:
          continue;
        }
    }
}

static void
collect_printed_fields (const GLogField *fields, gsize n_fields, Fields *out)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      const GLogField *field = &fields[i];
      const char *key = field->key;

      if (key == NULL)
        continue;
      if (key[0] == 'M' && key_equals (key, "MESSAGE"))
        {
          out->message = field->value;
          out->message_len = field->length;
        }
      else if (key[0] == 'C' && field->length < 0 && key_has_prefix (key, "CODE_"))
        {
          if (key_equals (key + 5, "FILE"))
            out->file = field->value;
          else if (key_equals (key + 5, "LINE"))
            out->line = field->value;
          else if (key_equals (key + 5, "FUNC"))
            out->func = field->value;
        }
    }
}

/* What the configuration says about a domain. */
typedef struct {
  gboolean        registered;       /* at or below a registered log */
  guint           threshold;        /* the lowest level printed */
  gsize           module_len;       /* > 0: the domain is `module.__artifact` */
  const TlFormat *artifact_format;  /* the artifact's own format, or NULL */
} Decision;

/* The writer's decision for a record of @domain, with @artifact from its
 * TORCHLOG_ARTIFACT field or NULL; the lock is held. Without that field,
 * a domain `module.__name` naming a registered artifact is the artifact
 * logger of `module`, as torch's getArtifactLogger() names them. */
static void
decide_locked (TlRegistry *self, const char *domain, const char *artifact, Decision *decision)
{
  g_autofree char *module_copy = NULL;
  const char *module = domain;

  memset (decision, 0, sizeof *decision);
  decision->threshold = TL_LEVEL_NEVER;
  if (artifact == NULL)
    {
      const char *marker = g_strrstr (domain, ".__");

      if (marker != NULL && strchr (marker + 3, '.') == NULL &&
          tl_registry_lookup_artifact_locked (self, marker + 3) != NULL)
        {
          artifact = marker + 3;
          module = module_copy = g_strndup (domain, marker - domain);
          decision->module_len = marker - domain;
        }
    }
  decision->registered = tl_registry_has_registered_ancestor_locked (self, module);
  if (!decision->registered)
    return;
  decision->threshold = tl_registry_threshold_locked (self, module, artifact);
  if (artifact != NULL)
    {
      TlArtifact *registered = tl_registry_lookup_artifact_locked (self, artifact);

      /* Formats are kept alive by the registry until it is finalized. */
      if (registered != NULL)
        decision->artifact_format = tl_artifact_peek_format (registered);
    }
}

/* A slot for @domain in the thread's cache: its length and a few of its
 * bytes, which is all a handful of domains needs to spread; a collision
 * only costs a lookup under the lock. */
static guint
hash_domain (const char *domain, gsize *len)
{
  gsize n = strlen (domain);

  *len = n;
  if (n == 0)
    return 0;
  return (guint) n * 31u + (guchar) domain[0] * 7u + (guchar) domain[n / 2] * 13u +
         (guchar) domain[n - 1] * 17u + (guchar) domain[n * 3 / 4];
}

/* decide_locked(), cached in @state for records without an artifact
 * field; entries are valid for the generation they were computed in.
 * @key, if not NULL, is a static call site standing for @domain: it is
 * compared instead of the domain's text. */
static void
decide (TlRegistry    *self,
        TlThreadState *state,
        const char    *domain,
        const char    *artifact,
        const void    *key,
        Decision      *decision)
{
  TlDecision *entry = NULL;
  guint generation;
  guint hash = 0;
  gsize len = 0;

  if (artifact == NULL)
    {
      generation = __atomic_load_n (&self->generation, __ATOMIC_ACQUIRE);
      if (key != NULL)
        {
          entry = &state->decisions[((guintptr) key >> 4) % TL_N_DECISIONS];
          if (G_LIKELY (entry->key == key && entry->registry == self &&
                        entry->generation == generation))
            goto hit;
        }
      else
        {
          hash = hash_domain (domain, &len);
          entry = &state->decisions[hash % TL_N_DECISIONS];
          if (G_LIKELY (entry->key == NULL && entry->registry == self &&
                        entry->generation == generation && entry->hash == hash &&
                        len < sizeof entry->domain &&
                        memcmp (entry->domain, domain, len + 1) == 0))
            goto hit;
          if (len >= sizeof entry->domain)
            entry = NULL;
        }
    }

  g_rw_lock_reader_lock (&self->lock);
  /* Read under the lock that guards the data it stands for, so an entry
   * never pairs a new generation with old data. */
  generation = self->generation;
  decide_locked (self, domain, artifact, decision);
  g_rw_lock_reader_unlock (&self->lock);

  if (entry != NULL)
    {
      entry->key = key;
      entry->registry = self;
      entry->generation = generation;
      entry->hash = hash;
      if (key == NULL)
        memcpy (entry->domain, domain, len + 1);
      else
        entry->domain[0] = '\0';
      entry->registered = decision->registered;
      entry->threshold = decision->threshold;
      entry->module_len = decision->module_len;
      entry->artifact_format = decision->artifact_format;
    }
  return;

hit:
  decision->registered = entry->registered;
  decision->threshold = entry->threshold;
  decision->module_len = entry->module_len;
  decision->artifact_format = entry->artifact_format;
}

/* Records GLib aborts on after the writer returns: write every buffered
 * line out first, or abort() would lose them. */
static gboolean
is_fatal (GLogLevelFlags log_level)
{
  return (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR)) != 0;
}

static GLogWriterOutput
pass_on (GLogLevelFlags   log_level,
         const GLogField *fields,
         gsize            n_fields)
{
  /* g_log_writer_default() aborts by itself on levels made fatal by
   * G_DEBUG or g_log_set_always_fatal(), which cannot be queried; flush
   * before any warning or worse it is given. */
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    tl_output_flush_all ();
  return g_log_writer_default (log_level, fields, n_fields, NULL);
}

/* Formats and writes a record the configuration lets through. */
static void
print_record (TlRegistry      *self,
              TlThreadState   *state,
              GLogLevelFlags   log_level,
              TlLevel          level,
              const char      *domain,
              const char      *artifact,
              const Decision  *decision,
              const char      *message,
              gssize           message_len,
              const char      *format,
              va_list         *args,
              const char      *file,
              const char      *line,
              const char      *func,
              const GLogField *fields,
              gsize            n_fields)
{
  TlOutput *output = tl_thread_state_output (state, self, &self->output, &self->lock);
  const TlFormat *artifact_format = decision->artifact_format;
  const char *logger_name = domain;
  GString *text = state->line;
  gboolean keep = TRUE;
  TlRecord record;

  if (artifact != NULL)
    {
      g_string_assign (state->name, domain);
      g_string_append_len (state->name, ".__", 3);
      g_string_append (state->name, artifact);
      logger_name = state->name->str;
    }
  else if (decision->module_len > 0)
    artifact = domain + decision->module_len + 3;

  record = (TlRecord) {
    .level = level,
    .logger_name = logger_name,
    .artifact = artifact,
    .message = message ? message : "",
    .message_len = message ? message_len : -1,
    .file = file,
    .line = line,
    .func = func,
    .time_us = g_get_real_time (),
    .rank = g_atomic_int_get (&self->rank),
    /* The thread's compile context (tl-compile-context.c): ` [0/0]`. */
    .trace_id = tl_compile_context_peek_trace_id (),
    /* The macros pass __FILE__ and the stringified __LINE__. */
    .static_site = format != NULL,
  };

  g_string_truncate (text, 0);
  if (format != NULL && output->format == NULL && artifact_format == NULL &&
      !tl_sink_is_special ())
    {
      gsize start;

      /* The macros' common case: the message is formatted straight into
       * the line after torch's prefix, and printed as it is unless it
       * holds a newline or a byte to escape. */
      if (!tl_output_keeps_trace_id (output, record.trace_id))
        return;
      tl_format_glog_prefix (&record, text);
      g_string_append_c (text, ' ');
      start = text->len;
      if (tl_string_append_vprintf (text, format, *args))
        {
          g_string_append_c (text, '\n');
          /* The message, for a capture that starts meanwhile. */
          record.message = text->str + start;
          record.message_len = text->len - start - 1;
        }
      else
        {
          g_string_truncate (state->message, 0);
          g_string_append_len (state->message, text->str + start, text->len - start);
          record.message = state->message->str;
          record.message_len = state->message->len;
          g_string_truncate (text, 0);
          tl_format_glog (&record, text);
        }
    }
  else
    {
      if (format != NULL)
        {
          g_string_truncate (state->message, 0);
          tl_string_append_vprintf (state->message, format, *args);
          record.message = state->message->str;
          record.message_len = state->message->len;
        }
      if (output->format != NULL)
        tl_format_append (output->format, &record, text);
      else if (artifact_format != NULL)
        tl_format_append (artifact_format, &record, text);
      else
        {
          /* TORCH_LOGS_TRACE_ID_FILTER drops the record instead of printing
           * torch's empty line; a TlCapture still counts it. */
          keep = tl_output_keeps_trace_id (output, record.trace_id);
          if (!keep && !tl_sink_is_special ())
            return;
          tl_format_glog (&record, text);
        }
    }
  /* Captures, TORCH_LOGS_RANKS and the journal (tl-sink.c); otherwise
   * straight to the outputs. */
  tl_sink_write (self, output, state, &record, fields, n_fields, text->str, text->len, keep);

  /* tl_critical(), g_critical() and worse, and fatal records: the
   * program may be about to die, so nothing stays in a buffer. */
  if (level >= TL_LEVEL_ERROR || is_fatal (log_level))
    tl_output_flush_all ();
}

/**
 * tl_registry_write:
 * @self: a #TlRegistry
 * @log_level: the record's GLib level
 * @fields: (array length=n_fields): the record's fields
 * @n_fields: the number of @fields
 *
 * Decides and prints one structured record, as torchlog's writer does:
 * records of domains at or below a registered log (or with a
 * `TORCHLOG_ARTIFACT` field) are filtered by the configuration and printed
 * in torch's format on stderr and `TORCH_LOGS_OUT`; every other record is
 * handed unchanged to g_log_writer_default(), so `G_MESSAGES_DEBUG` still
 * works for them. A record torchlog prints is never fatal.
 *
 * Returns: %G_LOG_WRITER_HANDLED, or what g_log_writer_default() returns
 *
 * Since: 0.1
 */
GLogWriterOutput
tl_registry_write (TlRegistry      *self,
                   GLogLevelFlags   log_level,
                   const GLogField *fields,
                   gsize            n_fields)
{
  TlThreadState *state;
  Decision decision;
  Fields f;
  TlLevel level;

  g_return_val_if_fail (TL_IS_REGISTRY (self), G_LOG_WRITER_UNHANDLED);

  /* The records of the logging macros take tl_writer_log_valist()
   * instead when this writer is installed: keep the two in step. */
  collect_fields (fields, n_fields, &f);
  if (f.domain == NULL)
    return pass_on (log_level, fields, n_fields);

  /* torchlog's own records carry their true level in PRIORITY (ERROR and
   * CRITICAL share one GLib level); others map by the GLib level. */
  level = f.component != NULL ? tl_level_from_priority (f.priority) : TL_LEVEL_NOTSET;
  if (level == TL_LEVEL_NOTSET)
    level = tl_level_from_glib (log_level);

  decide (self, tl_thread_state (), f.domain, f.artifact, NULL, &decision);
  if (!decision.registered)
    return pass_on (log_level, fields, n_fields);
  if ((guint) level < decision.threshold)
    {
      if (G_UNLIKELY (is_fatal (log_level)))
        tl_output_flush_all ();
      return G_LOG_WRITER_HANDLED;
    }

  collect_printed_fields (fields, n_fields, &f);
  state = tl_thread_state_enter ();
  print_record (self, state, log_level, level,
                f.domain, f.artifact, &decision,
                f.message, f.message_len, NULL, NULL, f.file, f.line, f.func, fields, n_fields);
  tl_thread_state_leave (state);
  return G_LOG_WRITER_HANDLED;
}

gboolean
tl_writer_log_valist (TlRegistry *self,
                      const void *callsite,
                      const char *domain,
                      const char *artifact,
                      TlLevel     level,
                      const char *file,
                      const char *line,
                      const char *func,
                      const char *format,
                      va_list     args)
{
  TlThreadState *state;
  Decision decision;
  va_list copy;

  if (domain == NULL)
    return FALSE;
  decide (self, tl_thread_state (), domain, artifact, callsite, &decision);
  if (!decision.registered)
    return FALSE;
  /* The configuration changed since the call site's check: drop the
   * record as the writer would. */
  if ((guint) level < decision.threshold)
    return TRUE;

  state = tl_thread_state_enter ();
  /* A copy: a va_list parameter cannot have its address taken portably. */
  va_copy (copy, args);
  print_record (self, state, tl_level_to_glib (level), level,
                domain, artifact, &decision, NULL, -1, format, &copy,
                file, line, func, NULL, 0);
  va_end (copy);
  tl_thread_state_leave (state);
  return TRUE;
}

/**
 * tl_log_writer:
 * @log_level: the record's GLib level
 * @fields: (array length=n_fields): the record's fields
 * @n_fields: the number of @fields
 * @user_data: (nullable): a #TlRegistry, or %NULL for the default one
 *
 * A #GLogWriterFunc that calls tl_registry_write(). Applications may
 * chain it from a writer of their own; tl_registry_install_writer()
 * installs it directly.
 *
 * Returns: what tl_registry_write() returns
 *
 * Since: 0.1
 */
GLogWriterOutput
tl_log_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  TlRegistry *registry = user_data ? user_data : tl_registry_get_default ();

  return tl_registry_write (registry, log_level, fields, n_fields);
}

/**
 * tl_registry_write_record:
 * @self: a #TlRegistry
 * @domain: the dotted domain (logger name) of the record, possibly an
 *   artifact logger such as `torch._dynamo.__guards`
 * @level: the record's level
 * @message: the message, already formatted; every line of it is prefixed
 * @file: (nullable) (type filename): the source file, printed as given
 * @line: the line in @file, or 0 if unknown
 * @func: (nullable): the function
 *
 * Decides and prints one record exactly as tl_registry_write() does for
 * a record of the logging macros: the same filter, the same format and
 * the same outputs. It is how a language binding sends its own logging
 * records (Python's `logging`, for instance) into the stream of the C
 * records, so that a mixed program writes one consistent stream.
 *
 * Since: 0.1
 */
void
tl_registry_write_record (TlRegistry *self,
                          const char *domain,
                          TlLevel     level,
                          const char *message,
                          const char *file,
                          int         line,
                          const char *func)
{
  char line_text[G_ASCII_DTOSTR_BUF_SIZE];
  const char *component;
  GLogField fields[7];
  gsize n = 0;

  g_return_if_fail (TL_IS_REGISTRY (self));
  g_return_if_fail (domain != NULL);
  g_return_if_fail (message != NULL);

  g_rw_lock_reader_lock (&self->lock);
  component = tl_registry_owner_locked (self, domain);
  g_rw_lock_reader_unlock (&self->lock);
  g_snprintf (line_text, sizeof line_text, "%d", line);

#define ADD_FIELD(k, v) G_STMT_START { fields[n].key = (k); fields[n].value = (v); fields[n].length = -1; n++; } G_STMT_END
  ADD_FIELD ("GLIB_DOMAIN", domain);
  ADD_FIELD ("PRIORITY", tl_level_to_priority (level));
  ADD_FIELD ("MESSAGE", message);
  if (file != NULL)
    ADD_FIELD ("CODE_FILE", file);
  if (line > 0)
    ADD_FIELD ("CODE_LINE", line_text);
  if (func != NULL)
    ADD_FIELD ("CODE_FUNC", func);
  /* Marks the record as torchlog's, so PRIORITY gives its true level. */
  ADD_FIELD ("TORCHLOG_COMPONENT", component ? component : "");
#undef ADD_FIELD

  tl_registry_write (self, tl_level_to_glib (level), fields, n);
}

/**
 * tl_registry_install_writer:
 * @self: a #TlRegistry
 *
 * Installs tl_log_writer() for @self as the process's GLib log writer
 * (g_log_set_writer_func()). Only applications may call it, once; a
 * library never does. Later calls print a warning and do nothing.
 *
 * Until it is called, records torchlog's macros enable are handed to the
 * application's writer at %G_LOG_LEVEL_MESSAGE, so GLib's default writer
 * prints them in its own format rather than dropping them.
 *
 * Since: 0.1
 */
void
tl_registry_install_writer (TlRegistry *self)
{
  static gsize installed = 0;

  g_return_if_fail (TL_IS_REGISTRY (self));

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (tl_log_writer, g_object_ref (self), g_object_unref);
      g_atomic_pointer_set (&tl_writer_registry, self);
      g_atomic_int_set (&tl_writer_is_installed, TRUE);
      g_once_init_leave (&installed, 1);
      return;
    }
  tl_registry_emit_internal (self, TL_LEVEL_WARNING,
                             _("tl_registry_install_writer() called more than once; "
                               "keeping the first writer"));
}

/**
 * tl_registry_flush:
 * @self: a #TlRegistry
 *
 * Writes out the lines torchlog holds in its buffers for `TORCH_LOGS_OUT`
 * files (stderr is never buffered). Lines reach their file without it: at
 * most 100 ms after they were logged, when the program exits, before a
 * record at ERROR or above and before fork(). Call it before execve() or
 * _exit(), which skip the flush at exit, or to read the file back at once.
 *
 * Since: 0.1
 */
void
tl_registry_flush (TlRegistry *self)
{
  g_return_if_fail (TL_IS_REGISTRY (self));

  /* Every file, not only @self's: lines an older output of @self still
   * holds, or another registry's, would otherwise surprise the caller. */
  tl_output_flush_all ();
}
