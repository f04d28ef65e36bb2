/* tl-capture.c: collecting the records a test's code logs
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tl-capture.h"
#include "tl-registry-private.h"

/**
 * SECTION:tl-capture
 * @title: TlCapture
 * @short_description: assert on logging in tests
 *
 * A #TlCapture collects the records torchlog's writer prints for one
 * registry while it is active, the way torch's test suite counts the
 * records that reach its handlers (`logging_utils.py`) and Python's
 * `assertLogs()` collects them. Tests can then assert on what was logged
 * per component and artifact instead of scraping stderr:
 *
 * |[<!-- language="C" -->
 * g_autoptr(TlCapture) capture = tl_capture_new (NULL);
 *
 * tl_registry_parse_logs (registry, "+dynamo,guards", NULL);
 * run_the_code_under_test ();
 *
 * g_assert_cmpuint (tl_capture_count (capture, "dynamo", NULL), >=, 2);
 * g_assert_cmpuint (tl_capture_count (capture, NULL, "guards"), ==, 1);
 * g_assert_cmpuint (tl_capture_count_matching (capture, "Step 1:"), ==, 1);
 * ]|
 *
 * A record is captured when the configuration lets it through, once per
 * record, before the output filters (`TORCH_LOGS_TRACE_ID_FILTER`,
 * `TORCH_LOGS_RANKS`) decide whether its text is printed. Each captured
 * record keeps its level, component, artifact, logger name, message,
 * trace id, rank, location and its text exactly as formatted for
 * output. Records are still printed unless the capture is quiet
 * (tl_capture_set_quiet()).
 *
 * Records only reach the capture through torchlog's writer, so the
 * program (or the test) must have installed it with
 * tl_registry_install_writer(), or the records must be sent with
 * tl_registry_write().
 *
 * Captures are thread-safe: records logged from any thread are collected
 * in the order they were written.
 */

struct _TlCapturedRecord {
  TlLevel  level;
  char    *component;
  char    *artifact;
  char    *logger;
  char    *message;
  char    *text;
  char    *trace_id;
  int      rank;
  char    *file;
  int      line;
};

static void
captured_record_clear (gpointer data)
{
  TlCapturedRecord *record = data;

  g_free (record->component);
  g_free (record->artifact);
  g_free (record->logger);
  g_free (record->message);
  g_free (record->text);
  g_free (record->trace_id);
  g_free (record->file);
}

/**
 * tl_captured_record_ref:
 * @record: a #TlCapturedRecord
 *
 * Adds a reference to @record.
 *
 * Returns: (transfer full): @record
 *
 * Since: 0.1
 */
TlCapturedRecord *
tl_captured_record_ref (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return g_atomic_rc_box_acquire (record);
}

/**
 * tl_captured_record_unref:
 * @record: (transfer full): a #TlCapturedRecord
 *
 * Drops a reference to @record.
 *
 * Since: 0.1
 */
void
tl_captured_record_unref (TlCapturedRecord *record)
{
  g_return_if_fail (record != NULL);
  g_atomic_rc_box_release_full (record, captured_record_clear);
}

G_DEFINE_BOXED_TYPE (TlCapturedRecord, tl_captured_record,
                     tl_captured_record_ref, tl_captured_record_unref)

/**
 * tl_captured_record_get_level:
 * @record: a #TlCapturedRecord
 *
 * Gets the level of @record.
 *
 * Returns: the record's level
 *
 * Since: 0.1
 */
TlLevel
tl_captured_record_get_level (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, TL_LEVEL_NOTSET);
  return record->level;
}

/**
 * tl_captured_record_get_component:
 * @record: a #TlCapturedRecord
 *
 * Gets the log (component) @record belongs to.
 *
 * Returns: (transfer none): the log the record belongs to (`dynamo`), or
 *   `""` if its domain belongs to none
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_component (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->component;
}

/**
 * tl_captured_record_get_artifact:
 * @record: a #TlCapturedRecord
 *
 * Gets the artifact of @record.
 *
 * Returns: (transfer none) (nullable): the record's artifact (`guards`),
 *   or %NULL
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_artifact (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->artifact;
}

/**
 * tl_captured_record_get_logger:
 * @record: a #TlCapturedRecord
 *
 * Gets the logger name of @record.
 *
 * Returns: (transfer none): torch's logger name of the record, its domain
 *   or `domain.__artifact`
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_logger (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->logger;
}

/**
 * tl_captured_record_get_message:
 * @record: a #TlCapturedRecord
 *
 * Gets the message of @record.
 *
 * Returns: (transfer none): the message, without any prefix
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_message (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->message;
}

/**
 * tl_captured_record_get_text:
 * @record: a #TlCapturedRecord
 *
 * Gets @record as it was printed (or would have been).
 *
 * Returns: (transfer none): the record as formatted for output, every
 *   line ending in a newline
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_text (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->text;
}

/**
 * tl_captured_record_get_trace_id:
 * @record: a #TlCapturedRecord
 *
 * Gets the trace id of the compile context @record was logged in.
 *
 * Returns: (transfer none) (nullable): the trace id (`0/0`), or %NULL when
 *   the record was logged outside any compile context
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_trace_id (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->trace_id;
}

/**
 * tl_captured_record_get_rank:
 * @record: a #TlCapturedRecord
 *
 * Gets the rank of the process that logged @record.
 *
 * Returns: the rank of the process, or -1
 *
 * Since: 0.1
 */
int
tl_captured_record_get_rank (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, -1);
  return record->rank;
}

/**
 * tl_captured_record_get_file:
 * @record: a #TlCapturedRecord
 *
 * Gets the source file of the statement that logged @record.
 *
 * Returns: (transfer none) (nullable) (type filename): the source file, or
 *   %NULL
 *
 * Since: 0.1
 */
const char *
tl_captured_record_get_file (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->file;
}

/**
 * tl_captured_record_get_line:
 * @record: a #TlCapturedRecord
 *
 * Gets the source line of the statement that logged @record.
 *
 * Returns: the line in the source file, or 0
 *
 * Since: 0.1
 */
int
tl_captured_record_get_line (TlCapturedRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->line;
}

/* ---- TlCapture ----------------------------------------------------- */

struct _TlCapture
{
  GObject     parent_instance;

  TlRegistry *registry;
  gpointer    link;      /* CaptureLink: what the registry's plans hold */
  GMutex      lock;      /* guards records */
  GPtrArray  *records;   /* TlCapturedRecord */
  gboolean    active;    /* guarded by captures_lock */
  gboolean    quiet;     /* guarded by captures_lock */
};

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_QUIET,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (TlCapture, tl_capture, G_TYPE_OBJECT)

/* Guards every capture's @active and @quiet. */
static GMutex     captures_lock;

/* What a registry's plans hold of a capture: a weak reference, so that
 * dropping the capture still disposes of it (and stops it). */
typedef struct {
  GWeakRef capture;
} CaptureLink;

static void
capture_link_clear (gpointer data)
{
  CaptureLink *link = data;

  g_weak_ref_clear (&link->capture);
}

static void
capture_link_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, capture_link_clear);
}

static gboolean capture_take (const TlRecord *record, const char *line, gsize len, gpointer data);

static void
tl_capture_dispose (GObject *object)
{
  tl_capture_stop (TL_CAPTURE (object));
  G_OBJECT_CLASS (tl_capture_parent_class)->dispose (object);
}

static void
tl_capture_finalize (GObject *object)
{
  TlCapture *self = TL_CAPTURE (object);

  g_clear_object (&self->registry);
  g_clear_pointer (&self->link, capture_link_release);
  g_ptr_array_unref (self->records);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tl_capture_parent_class)->finalize (object);
}

static void
tl_capture_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TlCapture *self = TL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_QUIET:
      g_value_set_boolean (value, tl_capture_get_quiet (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_capture_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TlCapture *self = TL_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_QUIET:
      tl_capture_set_quiet (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_capture_constructed (GObject *object)
{
  TlCapture *self = TL_CAPTURE (object);

  G_OBJECT_CLASS (tl_capture_parent_class)->constructed (object);

  if (self->registry == NULL)
    self->registry = g_object_ref (tl_registry_get_default ());

  self->link = g_atomic_rc_box_new0 (CaptureLink);
  g_weak_ref_init (&((CaptureLink *) self->link)->capture, self);
  g_mutex_lock (&captures_lock);
  self->active = TRUE;
  g_mutex_unlock (&captures_lock);
  tl_registry_attach (self->registry, capture_take, self->link, capture_link_clear);
}

static void
tl_capture_class_init (TlCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tl_capture_constructed;
  object_class->dispose = tl_capture_dispose;
  object_class->finalize = tl_capture_finalize;
  object_class->get_property = tl_capture_get_property;
  object_class->set_property = tl_capture_set_property;

  /**
   * TlCapture:registry:
   *
   * The registry whose records are collected; the default one if none is
   * given.
   *
   * Since: 0.1
   */
  props[PROP_REGISTRY] =
    g_param_spec_object ("registry", "Registry",
                         "The registry whose records are captured", TL_TYPE_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * TlCapture:quiet:
   *
   * Whether the records collected are kept from the outputs (stderr,
   * `TORCH_LOGS_OUT`, the journal) while the capture is active.
   *
   * Since: 0.1
   */
  props[PROP_QUIET] =
    g_param_spec_boolean ("quiet", "Quiet",
                         "Whether captured records are kept from the writer", FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
tl_capture_init (TlCapture *self)
{
  g_mutex_init (&self->lock);
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_captured_record_unref);
}

/**
 * tl_capture_new:
 * @registry: (nullable): the registry whose records to collect, or %NULL
 *   for the default one
 *
 * Creates a capture and starts collecting at once.
 *
 * Returns: (transfer full): a new #TlCapture
 *
 * Since: 0.1
 */
TlCapture *
tl_capture_new (TlRegistry *registry)
{
  g_return_val_if_fail (registry == NULL || TL_IS_REGISTRY (registry), NULL);

  return g_object_new (TL_TYPE_CAPTURE, "registry", registry, NULL);
}

/**
 * tl_capture_stop:
 * @self: a #TlCapture
 *
 * Stops collecting; the records collected so far stay. Disposing of the
 * capture stops it too.
 *
 * Since: 0.1
 */
void
tl_capture_stop (TlCapture *self)
{
  g_return_if_fail (TL_IS_CAPTURE (self));

  gboolean was_active;

  g_mutex_lock (&captures_lock);
  was_active = self->active;
  self->active = FALSE;
  g_mutex_unlock (&captures_lock);
  if (was_active)
    tl_registry_detach (self->registry, self->link);
}

/**
 * tl_capture_is_active:
 * @self: a #TlCapture
 *
 * Gets whether @self is still collecting records.
 *
 * Returns: %TRUE until tl_capture_stop()
 *
 * Since: 0.1
 */
gboolean
tl_capture_is_active (TlCapture *self)
{
  gboolean active;

  g_return_val_if_fail (TL_IS_CAPTURE (self), FALSE);
  g_mutex_lock (&captures_lock);
  active = self->active;
  g_mutex_unlock (&captures_lock);
  return active;
}

/**
 * tl_capture_set_quiet:
 * @self: a #TlCapture
 * @quiet: whether to keep collected records from the outputs
 *
 * Sets #TlCapture:quiet.
 *
 * Since: 0.1
 */
void
tl_capture_set_quiet (TlCapture *self,
                      gboolean   quiet)
{
  gboolean changed;

  g_return_if_fail (TL_IS_CAPTURE (self));

  quiet = !!quiet;
  g_mutex_lock (&captures_lock);
  changed = self->quiet != quiet;
  self->quiet = quiet;
  g_mutex_unlock (&captures_lock);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_QUIET]);
}

/**
 * tl_capture_get_quiet:
 * @self: a #TlCapture
 *
 * Gets #TlCapture:quiet.
 *
 * Returns: whether collected records are kept from the outputs
 *
 * Since: 0.1
 */
gboolean
tl_capture_get_quiet (TlCapture *self)
{
  gboolean quiet;

  g_return_val_if_fail (TL_IS_CAPTURE (self), FALSE);
  g_mutex_lock (&captures_lock);
  quiet = self->quiet;
  g_mutex_unlock (&captures_lock);
  return quiet;
}

static TlCapturedRecord *
record_new (const TlRecord *record,
            const char     *text,
            gsize           len)
{
  TlCapturedRecord *captured = g_atomic_rc_box_new0 (TlCapturedRecord);
  const char *message = record->message ? record->message : "";

  captured->level = record->level;
  captured->component = g_strdup (record->component ? record->component : "");
  captured->artifact = g_strdup (record->artifact);
  captured->logger = g_strdup (record->logger_name);
  captured->message = record->message_len >= 0 ? g_strndup (message, record->message_len)
                                               : g_strdup (message);
  captured->text = g_strndup (text, len);
  captured->trace_id = g_strdup (record->trace_id);
  captured->rank = record->rank;
  captured->file = g_strdup (record->file);
  captured->line = record->line ? atoi (record->line) : 0;
  return captured;
}

/* The attached writer: collects the record while the capture is active,
 * and keeps it from the outputs if the capture is quiet. */
static gboolean
capture_take (const TlRecord *record,
              const char     *line,
              gsize           len,
              gpointer        data)
{
  CaptureLink *link = data;
  g_autoptr(TlCapture) capture = g_weak_ref_get (&link->capture);
  gboolean active, quiet;

  if (capture == NULL)
    return FALSE;
  g_mutex_lock (&captures_lock);
  active = capture->active;
  quiet = capture->quiet;
  g_mutex_unlock (&captures_lock);
  if (!active)
    return FALSE;

  g_mutex_lock (&capture->lock);
  g_ptr_array_add (capture->records, record_new (record, line, len));
  g_mutex_unlock (&capture->lock);
  return quiet;
}

/**
 * tl_capture_get_n_records:
 * @self: a #TlCapture
 *
 * Gets the number of records @self collected.
 *
 * Returns: how many records were collected
 *
 * Since: 0.1
 */
guint
tl_capture_get_n_records (TlCapture *self)
{
  guint n;

  g_return_val_if_fail (TL_IS_CAPTURE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->records->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * tl_capture_get_record:
 * @self: a #TlCapture
 * @index: the record's position, from 0
 *
 * Gets one collected record, in the order they were written.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL if @index is
 *   out of range
 *
 * Since: 0.1
 */
TlCapturedRecord *
tl_capture_get_record (TlCapture *self,
                       guint      index)
{
  TlCapturedRecord *record = NULL;

  g_return_val_if_fail (TL_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  if (index < self->records->len)
    record = tl_captured_record_ref (g_ptr_array_index (self->records, index));
  g_mutex_unlock (&self->lock);
  return record;
}

/**
 * tl_capture_dup_records:
 * @self: a #TlCapture
 *
 * Gets all the collected records, in the order they were written.
 *
 * Returns: (transfer container) (element-type TlCapturedRecord): the
 *   records
 *
 * Since: 0.1
 */
GPtrArray *
tl_capture_dup_records (TlCapture *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (TL_IS_CAPTURE (self), NULL);
  g_mutex_lock (&self->lock);
  copy = g_ptr_array_new_full (self->records->len, (GDestroyNotify) tl_captured_record_unref);
  for (guint i = 0; i < self->records->len; i++)
    g_ptr_array_add (copy, tl_captured_record_ref (g_ptr_array_index (self->records, i)));
  g_mutex_unlock (&self->lock);
  return copy;
}

/**
 * tl_capture_count:
 * @self: a #TlCapture
 * @component: (nullable): a log's name (`dynamo`), `""` for records of no
 *   log, or %NULL for any
 * @artifact: (nullable): an artifact's name (`guards`), `""` for records
 *   that are not artifact records, or %NULL for any
 *
 * Counts the collected records of @component and @artifact. As in torch,
 * an artifact record counts for the log its domain belongs to.
 *
 * Returns: the number of matching records
 *
 * Since: 0.1
 */
guint
tl_capture_count (TlCapture  *self,
                  const char *component,
                  const char *artifact)
{
  guint count = 0;

  g_return_val_if_fail (TL_IS_CAPTURE (self), 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->records->len; i++)
    {
      TlCapturedRecord *record = g_ptr_array_index (self->records, i);

      if (component != NULL && !g_str_equal (component, record->component))
        continue;
      if (artifact != NULL &&
          !g_str_equal (artifact, record->artifact ? record->artifact : ""))
        continue;
      count++;
    }
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * tl_capture_count_matching:
 * @self: a #TlCapture
 * @substring: text to look for
 *
 * Counts the collected records whose message contains @substring.
 *
 * Returns: the number of matching records
 *
 * Since: 0.1
 */
guint
tl_capture_count_matching (TlCapture  *self,
                           const char *substring)
{
  guint count = 0;

  g_return_val_if_fail (TL_IS_CAPTURE (self), 0);
  g_return_val_if_fail (substring != NULL, 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->records->len; i++)
    {
      TlCapturedRecord *record = g_ptr_array_index (self->records, i);

      if (strstr (record->message, substring) != NULL)
        count++;
    }
  g_mutex_unlock (&self->lock);
  return count;
}

/**
 * tl_capture_dup_text:
 * @self: a #TlCapture
 *
 * The collected records as they were formatted for output, one after the
 * other: what stderr would have shown.
 *
 * Returns: (transfer full): the text
 *
 * Since: 0.1
 */
char *
tl_capture_dup_text (TlCapture *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TL_IS_CAPTURE (self), NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->records->len; i++)
    {
      TlCapturedRecord *record = g_ptr_array_index (self->records, i);
      g_string_append (text, record->text);
    }
  g_mutex_unlock (&self->lock);
  return g_string_free (text, FALSE);
}

/**
 * tl_capture_clear:
 * @self: a #TlCapture
 *
 * Forgets the records collected so far; collecting goes on if active.
 *
 * Since: 0.1
 */
void
tl_capture_clear (TlCapture *self)
{
  g_return_if_fail (TL_IS_CAPTURE (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->records, 0);
  g_mutex_unlock (&self->lock);
}
