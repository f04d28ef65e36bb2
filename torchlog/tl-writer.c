/* tl-writer.c: the writer: a record, decided by a plan, formatted once,
 * handed to the sinks
 *
 * Every record takes one route from here on, whether it comes from
 * GLib (tl_writer_write_fields()), from the logging macros
 * (tl_writer_log_valist(), which skips building fields and GLib's lock)
 * or from torchlog itself (tl_writer_emit_internal()): decide with the
 * plan, print_record() into the thread's scratch line, tl_sink_write().
 *
 * Each thread holds the current plan of the registry it logs to and the
 * decisions it took from it (WriterCache, in the thread's state): a
 * record costs one atomic load to see that the plan is still current,
 * and a dropped record the scan of its fields and a cache lookup, with
 * no lock. When the plan changes, the thread takes the new one once.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-writer-private.h"
#include "tl-sink-private.h"
#include "tl-format-private.h"
#include "tl-printf-private.h"
#include "tl-compile-context-private.h"

TlPlanSlot *tl_writer_installed_slot = NULL;

void
tl_writer_install (TlPlanSlot *slot)
{
  g_atomic_pointer_set (&tl_writer_installed_slot, slot);
}

/* ---- the thread's plan and decisions ------------------------------- */

#define N_CACHED 32
#define CACHED_DOMAIN_MAX 48

typedef struct {
  const void *key;             /* a call site standing for the domain, or NULL */
  guint       generation;      /* of the plan the decision is from */
  guint       hash;
  TlDecision  decision;
  char        domain[CACHED_DOMAIN_MAX];  /* NUL-terminated; longer ones are not cached */
} CachedDecision;

typedef struct {
  TlPlan        *plan;          /* the last plan this thread used */
  TlPlanSlot    *plan_slot;     /* the slot it came from */
  guint          depth;         /* records being printed: @plan stays while > 0 */
  CachedDecision decisions[N_CACHED];
} WriterCache;

static void
writer_cache_free (gpointer data)
{
  WriterCache *cache = data;

  tl_plan_unref (cache->plan);
  g_free (cache);
}

static WriterCache *
writer_cache (TlThreadState *state)
{
  if (state->writer_cache == NULL)
    {
      state->writer_cache = g_new0 (WriterCache, 1);
      state->writer_cache_free = writer_cache_free;
    }
  return state->writer_cache;
}

/* The current plan of @slot. Borrowed from the thread's cache when
 * @owned is left NULL; a record printed inside another (a capture that
 * logs) gets its own reference instead, so the outer one keeps its plan. */
static TlPlan *
acquire_plan (WriterCache *cache, TlPlanSlot *slot, TlPlan **owned)
{
  TlPlan *plan = cache->plan;

  *owned = NULL;
  if (G_LIKELY (plan != NULL && cache->plan_slot == slot && tl_plan_slot_is_current (slot, plan)))
    return plan;
  if (cache->depth > 0)
    return *owned = tl_plan_slot_dup (slot);
  cache->plan = tl_plan_slot_dup (slot);
  cache->plan_slot = slot;
  tl_plan_unref (plan);
  return cache->plan;
}

TlPlan *
tl_writer_dup_plan (TlPlanSlot *slot)
{
  WriterCache *cache = writer_cache (tl_thread_state ());
  TlPlan *owned;
  TlPlan *plan = acquire_plan (cache, slot, &owned);

  return owned ? owned : tl_plan_ref (plan);
}

/* A slot for @domain in the cache: its length and a few of its bytes,
 * which is all a handful of domains needs to spread; a collision only
 * costs a decision. */
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

/* tl_plan_decide(), cached for records without an artifact field. @key,
 * if not NULL, is a static call site standing for @domain: it is
 * compared instead of the domain's text. */
static void
decide (WriterCache  *cache,
        const TlPlan *plan,
        const char   *domain,
        const char   *artifact,
        const void   *key,
        TlDecision   *decision)
{
  CachedDecision *entry = NULL;
  guint hash = 0;
  gsize len = 0;

  if (artifact == NULL)
    {
      if (key != NULL)
        {
          entry = &cache->decisions[((guintptr) key >> 4) % N_CACHED];
          if (G_LIKELY (entry->key == key && entry->generation == plan->generation))
            goto hit;
        }
      else
        {
          hash = hash_domain (domain, &len);
          entry = &cache->decisions[hash % N_CACHED];
          if (G_LIKELY (entry->key == NULL && entry->generation == plan->generation &&
                        entry->hash == hash && len < sizeof entry->domain &&
                        memcmp (entry->domain, domain, len + 1) == 0))
            goto hit;
          if (len >= sizeof entry->domain)
            entry = NULL;
        }
    }

  tl_plan_decide (plan, domain, artifact, decision);
  if (entry != NULL)
    {
      entry->key = key;
      entry->generation = plan->generation;
      entry->hash = hash;
      if (key == NULL)
        memcpy (entry->domain, domain, len + 1);
      else
        entry->domain[0] = '\0';
      entry->decision = *decision;
    }
  return;

hit:
  *decision = entry->decision;
}

/* ---- printing ------------------------------------------------------- */

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

/* Formats @record into the thread's line and hands it to the sinks.
 * For the macros, @format and @args give the message, formatted here
 * straight into the line after torch's prefix when nothing else needs it
 * on its own. */
static void
print_record (const TlPlan     *plan,
              TlThreadState    *state,
              GLogLevelFlags    log_level,
              TlRecord         *record,
              const TlDecision *decision,
              const char       *format,
              va_list          *args)
{
  const TlFormat *artifact_format = decision->artifact_format;
  const TlOutput *output = plan->output;
  GString *text = state->line;
  gboolean keep = TRUE;

  if (record->artifact != NULL)
    {
      g_string_assign (state->name, record->logger_name);
      g_string_append_len (state->name, ".__", 3);
      g_string_append (state->name, record->artifact);
      record->logger_name = state->name->str;
    }
  else if (decision->module_len > 0)
    record->artifact = record->logger_name + decision->module_len + 3;
  /* A TORCHLOG_COMPONENT field names the record's log; otherwise the log
   * that owns its domain. */
  if (record->component == NULL || record->component[0] == '\0')
    record->component = decision->component;
  record->rank = plan->rank;

  g_string_truncate (text, 0);
  if (format != NULL && output->format == NULL && artifact_format == NULL &&
      !tl_sink_reads_records (plan))
    {
      gsize start;

      /* The macros' common case: the message is formatted straight into
       * the line after torch's prefix, and printed as it is unless it
       * holds a newline or a byte to escape. */
      if (!tl_output_keeps_trace_id (output, record->trace_id))
        return;
      tl_format_glog_prefix (record, text);
      g_string_append_c (text, ' ');
      start = text->len;
      if (tl_string_append_vprintf (text, format, *args))
        {
          g_string_append_c (text, '\n');
          record->message = text->str + start;
          record->message_len = text->len - start - 1;
        }
      else
        {
          g_string_truncate (state->message, 0);
          g_string_append_len (state->message, text->str + start, text->len - start);
          record->message = state->message->str;
          record->message_len = state->message->len;
          g_string_truncate (text, 0);
          tl_format_glog (record, text);
        }
    }
  else
    {
      if (format != NULL)
        {
          g_string_truncate (state->message, 0);
          tl_string_append_vprintf (state->message, format, *args);
          record->message = state->message->str;
          record->message_len = state->message->len;
        }
      if (output->format != NULL)
        tl_format_append (output->format, record, text);
      else if (artifact_format != NULL)
        tl_format_append (artifact_format, record, text);
      else
        {
          /* TORCH_LOGS_TRACE_ID_FILTER drops the record instead of printing
           * torch's empty line; an attached writer still sees it. */
          keep = tl_output_keeps_trace_id (output, record->trace_id);
          if (!keep && !tl_sink_reads_records (plan))
            return;
          tl_format_glog (record, text);
        }
    }
  tl_sink_write (plan, state, record, text->str, text->len, keep);

  /* tl_critical(), g_critical() and worse, and fatal records: the
   * program may be about to die, so nothing stays in a buffer. */
  if (record->level >= TL_LEVEL_ERROR || is_fatal (log_level))
    tl_output_flush_all ();
}

/* print_record() with the thread's scratch state, which a record logged
 * while another is being printed (by a capture, say) does not share. */
static void
print_with_state (WriterCache     *cache,
                  const TlPlan    *plan,
                  GLogLevelFlags   log_level,
                  TlRecord        *record,
                  const TlDecision *decision,
                  const char      *format,
                  va_list         *args)
{
  TlThreadState *state = tl_thread_state_enter ();

  cache->depth++;
  print_record (plan, state, log_level, record, decision, format, args);
  cache->depth--;
  tl_thread_state_leave (state);
}

/* ---- the entry points ---------------------------------------------- */

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
  gboolean    decided;
} Fields;

/* strcmp() == 0 and a prefix test, inlined: a record's handful of keys
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
          else if (key_equals (key + 9, "DECIDED"))
            out->decided = TRUE;
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

GLogWriterOutput
tl_writer_write_fields (TlPlanSlot      *slot,
                        GLogLevelFlags   log_level,
                        const GLogField *fields,
                        gsize            n_fields)
{
  WriterCache *cache;
  g_autoptr(TlPlan) owned = NULL;
  TlPlan *plan;
  TlDecision decision;
  TlRecord record;
  Fields f;
  TlLevel level;

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

  cache = writer_cache (tl_thread_state ());
  plan = acquire_plan (cache, slot, &owned);
  decide (cache, plan, f.domain, f.artifact, NULL, &decision);
  /* TORCHLOG_DECIDED: the caller decided by its own levels
   * (tl_registry_print_record()); only the format and sinks are ours. */
  if (!decision.registered && !f.decided)
    return pass_on (log_level, fields, n_fields);
  if (!f.decided && (guint) level < decision.threshold)
    {
      if (G_UNLIKELY (is_fatal (log_level)))
        tl_output_flush_all ();
      return G_LOG_WRITER_HANDLED;
    }

  collect_printed_fields (fields, n_fields, &f);
  record = (TlRecord) {
    .level = level,
    .logger_name = f.domain,
    .artifact = f.artifact,
    .message = f.message ? f.message : "",
    .message_len = f.message ? f.message_len : -1,
    .file = f.file,
    .line = f.line,
    .func = f.func,
    .time_us = g_get_real_time (),
    .component = f.component,
    /* The thread's compile context (tl-compile-context.c): ` [0/0]`. */
    .trace_id = tl_compile_context_peek_trace_id (),
    .fields = fields,
    .n_fields = n_fields,
  };
  print_with_state (cache, plan, log_level, &record, &decision, NULL, NULL);
  return G_LOG_WRITER_HANDLED;
}

gboolean
tl_writer_log_valist (TlPlanSlot *slot,
                      const void *key,
                      const char *domain,
                      const char *artifact,
                      TlLevel     level,
                      const char *file,
                      const char *line,
                      const char *func,
                      const char *format,
                      va_list     args)
{
  WriterCache *cache;
  g_autoptr(TlPlan) owned = NULL;
  TlPlan *plan;
  TlDecision decision;
  TlRecord record;
  va_list copy;

  if (domain == NULL)
    return FALSE;
  cache = writer_cache (tl_thread_state ());
  plan = acquire_plan (cache, slot, &owned);
  decide (cache, plan, domain, artifact, key, &decision);
  if (!decision.registered)
    return FALSE;
  /* The configuration changed since the call site's check: drop the
   * record as the writer would. */
  if ((guint) level < decision.threshold)
    return TRUE;

  record = (TlRecord) {
    .level = level,
    .logger_name = domain,
    .artifact = artifact,
    .message = NULL,
    .message_len = -1,
    .file = file,
    .line = line,
    .func = func,
    .time_us = g_get_real_time (),
    .trace_id = tl_compile_context_peek_trace_id (),
    /* The macros pass __FILE__ and the stringified __LINE__. */
    .static_site = TRUE,
  };
  /* A copy: a va_list parameter cannot have its address taken portably. */
  va_copy (copy, args);
  print_with_state (cache, plan, tl_level_to_glib (level), &record, &decision, format, &copy);
  va_end (copy);
  return TRUE;
}

void
tl_writer_emit_internal (TlPlan     *plan,
                         TlLevel     level,
                         const char *message)
{
  WriterCache *cache = writer_cache (tl_thread_state ());
  TlDecision decision = {
    .registered = TRUE,
    .threshold = TL_LEVEL_NOTSET,
    .component = "",
  };
  TlRecord record = {
    .level = level,
    .logger_name = "torchlog",
    .message = message,
    .message_len = -1,
    .file = "torchlog",
    .line = "0",
    .time_us = g_get_real_time (),
  };

  print_with_state (cache, plan, tl_level_to_glib (level), &record, &decision, NULL, NULL);
}
