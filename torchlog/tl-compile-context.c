/* tl-compile-context.c: the compile id and attempt records are logged under
 *
 * torch keeps the current `CompileContext` in a thread-local variable; its
 * trace id (`0/0`, `1/0_1`, `!2/0/1`) appears in text records as ` [0/0]`
 * and its ids in every structured trace record. torchlog keeps a stack of
 * contexts per thread, and caches each context's trace id text so the
 * writer's lookup is a thread-local read and nothing else.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tl-compile-context-private.h"

/**
 * SECTION:tl-compile-context
 * @title: Compile contexts
 * @short_description: compile ids, attempts and trace ids
 *
 * A program that compiles things (torch's Dynamo compiles Python frames)
 * can say which compilation it is working on by pushing a compile context
 * on the current thread:
 *
 * |[<!-- language="C" -->
 * TlCompileId id = { -1, frame_id, frame_compile_id };
 * g_autoptr(TlCompileContext) context = tl_compile_context_push (&id);
 *
 * tl_debug ("tracing %s", name);      // V… graph.c:12] [0/0] tracing f
 * ]|
 *
 * While it is pushed, text records logged from that thread carry its
 * trace id after the location (` [0/0]`, ` [1/0_1]` after a restart, see
 * tl_compile_context_set_attempt()), `TORCH_LOGS_TRACE_ID_FILTER` selects
 * records by it, and structured trace records carry `frame_id`,
 * `frame_compile_id`, `compiled_autograd_id` and `attempt`.
 *
 * Contexts nest; the innermost one counts. A context pushed with no id
 * hides the outer ones, as torch's `CompileContext(None)` does. A context
 * belongs to the thread that pushed it and must be popped there, in
 * reverse order of pushing; g_autoptr() does both.
 */

struct _TlCompileContext {
  TlCompileId id;
  gboolean    has_id;
  int         attempt;
  char       *trace_id;   /* cached tl_compile_id_to_trace_id() */
  GPtrArray  *stack;      /* the owning thread's stack, for checks */
};

static void
context_clear (gpointer data)
{
  TlCompileContext *context = data;

  g_free (context->trace_id);
}

/* The thread's stack holds one reference; a language binding that keeps
 * the context object holds another (the boxed type's copy). */
static TlCompileContext *
context_ref (TlCompileContext *context)
{
  return g_atomic_rc_box_acquire (context);
}

static void
context_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, context_clear);
}

G_DEFINE_BOXED_TYPE (TlCompileContext, tl_compile_context, context_ref, context_unref)

static void
stack_free (gpointer data)
{
  g_ptr_array_unref (data);
}

static GPrivate context_stack = G_PRIVATE_INIT (stack_free);

static GPtrArray *
get_stack (gboolean create)
{
  GPtrArray *stack = g_private_get (&context_stack);

  if (stack == NULL && create)
    {
      stack = g_ptr_array_new_with_free_func (context_unref);
      g_private_set (&context_stack, stack);
    }
  return stack;
}

static TlCompileContext *
current_context (void)
{
  GPtrArray *stack = g_private_get (&context_stack);

  if (stack == NULL || stack->len == 0)
    return NULL;
  return g_ptr_array_index (stack, stack->len - 1);
}

G_DEFINE_BOXED_TYPE (TlCompileId, tl_compile_id, tl_compile_id_copy, tl_compile_id_free)

/**
 * tl_compile_id_new: (constructor)
 * @frame_id: the frame's id, or -1 for none
 * @frame_compile_id: the how-many-th compilation of the frame, or -1
 * @compiled_autograd_id: the compiled-autograd id, or -1 for none
 *
 * torch's `CompileId(frame_id=..., frame_compile_id=...,
 * compiled_autograd_id=None)`, in torch's order of fields; -1 stands for
 * Python's `None`. A #TlCompileId allocated any other way by a language
 * binding starts zeroed, which is `!0/0/0`, not "no id".
 *
 * Returns: (transfer full): a new id, to free with tl_compile_id_free()
 *
 * Since: 0.1
 */
TlCompileId *
tl_compile_id_new (int frame_id,
                   int frame_compile_id,
                   int compiled_autograd_id)
{
  TlCompileId *id = g_new (TlCompileId, 1);

  id->compiled_autograd_id = compiled_autograd_id;
  id->frame_id = frame_id;
  id->frame_compile_id = frame_compile_id;
  return id;
}

/**
 * tl_compile_id_copy:
 * @id: a #TlCompileId
 *
 * Copies @id.
 *
 * Returns: (transfer full): a copy, to free with tl_compile_id_free()
 *
 * Since: 0.1
 */
TlCompileId *
tl_compile_id_copy (const TlCompileId *id)
{
  g_return_val_if_fail (id != NULL, NULL);
  return g_memdup2 (id, sizeof *id);
}

/**
 * tl_compile_id_free:
 * @id: (nullable): a #TlCompileId from tl_compile_id_copy()
 *
 * Frees @id.
 *
 * Since: 0.1
 */
void
tl_compile_id_free (TlCompileId *id)
{
  g_free (id);
}

/**
 * tl_compile_id_is_valid:
 * @id: a #TlCompileId
 *
 * Whether @id is one torch could have made: no id below -1, @frame_id and
 * @frame_compile_id both set or both unset, and at least one id set.
 *
 * Returns: %TRUE if @id is valid
 *
 * Since: 0.1
 */
gboolean
tl_compile_id_is_valid (const TlCompileId *id)
{
  g_return_val_if_fail (id != NULL, FALSE);

  if (id->compiled_autograd_id < -1 || id->frame_id < -1 || id->frame_compile_id < -1)
    return FALSE;
  if ((id->frame_id < 0) != (id->frame_compile_id < 0))
    return FALSE;
  return id->frame_id >= 0 || id->compiled_autograd_id >= 0;
}

/**
 * tl_compile_id_to_string:
 * @id: a valid #TlCompileId
 *
 * torch's `str(CompileId)`: `frame/compile` (`0/1`), or with compiled
 * autograd `!ca/frame/compile` (`!2/0/1`) or just `!ca`.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @id is not
 *   valid
 *
 * Since: 0.1
 */
char *
tl_compile_id_to_string (const TlCompileId *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  if (!tl_compile_id_is_valid (id))
    return NULL;
  if (id->compiled_autograd_id >= 0)
    {
      if (id->frame_id >= 0)
        return g_strdup_printf ("!%d/%d/%d", id->compiled_autograd_id,
                                id->frame_id, id->frame_compile_id);
      return g_strdup_printf ("!%d", id->compiled_autograd_id);
    }
  return g_strdup_printf ("%d/%d", id->frame_id, id->frame_compile_id);
}

/**
 * tl_compile_id_to_trace_id:
 * @id: a valid #TlCompileId
 * @attempt: the attempt, 0 for the first
 *
 * torch's `str(TraceId)`: the compile id, followed by `_attempt` when
 * @attempt is not 0 (`1/0_1`). Text records show it in brackets.
 *
 * Returns: (transfer full) (nullable): the trace id, or %NULL if @id is
 *   not valid or @attempt is negative
 *
 * Since: 0.1
 */
char *
tl_compile_id_to_trace_id (const TlCompileId *id,
                           int                attempt)
{
  g_autofree char *compile_id = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  if (attempt < 0)
    return NULL;
  compile_id = tl_compile_id_to_string (id);
  if (compile_id == NULL || attempt == 0)
    return g_steal_pointer (&compile_id);
  return g_strdup_printf ("%s_%d", compile_id, attempt);
}

/**
 * tl_compile_context_push:
 * @id: (nullable): the compilation's id, or %NULL for a context without
 *   one
 *
 * Makes a new compile context, with attempt 0, the current one of the
 * calling thread until tl_compile_context_pop(). An invalid @id (see
 * tl_compile_id_is_valid()) is reported with a critical warning and
 * treated as %NULL.
 *
 * Returns: (transfer none): the context, valid until it is passed to
 *   tl_compile_context_pop() on the same thread
 *
 * Since: 0.1
 */
TlCompileContext *
tl_compile_context_push (const TlCompileId *id)
{
  TlCompileContext *context = g_atomic_rc_box_new0 (TlCompileContext);
  GPtrArray *stack = get_stack (TRUE);

  context->id = (TlCompileId) TL_COMPILE_ID_INIT;
  if (id != NULL)
    {
      if (tl_compile_id_is_valid (id))
        {
          context->id = *id;
          context->has_id = TRUE;
          context->trace_id = tl_compile_id_to_trace_id (id, 0);
        }
      else
        g_critical ("tl_compile_context_push: invalid compile id (%d, %d, %d)",
                    id->compiled_autograd_id, id->frame_id, id->frame_compile_id);
    }
  context->stack = stack;
  g_ptr_array_add (stack, context);
  return context;
}

/**
 * tl_compile_context_pop:
 * @context: the current context of the calling thread
 *
 * Ends @context; the one pushed before it becomes current again. From C,
 * `g_autoptr(TlCompileContext)` calls this when the variable goes out of
 * scope.
 *
 * Since: 0.1
 */
void
tl_compile_context_pop (TlCompileContext *context)
{
  GPtrArray *stack = get_stack (FALSE);

  g_return_if_fail (context != NULL);
  g_return_if_fail (stack != NULL && context->stack == stack);

  if (stack->len == 0 || g_ptr_array_index (stack, stack->len - 1) != context)
    {
      /* Popping a context from the middle would leave the ones above it
       * current: report it, then remove it anyway. */
      g_critical ("tl_compile_context_pop: the context is not the innermost one");
      g_ptr_array_remove (stack, context);
      return;
    }
  g_ptr_array_remove_index (stack, stack->len - 1);
}

/**
 * tl_compile_context_set_attempt:
 * @context: a context of the calling thread
 * @attempt: the attempt, 0 for the first
 *
 * Records that the compilation restarted: torch counts restarts of the
 * same frame compilation as attempts, and shows them as `_1`, `_2` after
 * the compile id (` [0/0_1]`).
 *
 * Since: 0.1
 */
void
tl_compile_context_set_attempt (TlCompileContext *context,
                                int               attempt)
{
  g_return_if_fail (context != NULL);
  g_return_if_fail (context->stack == get_stack (FALSE));
  g_return_if_fail (attempt >= 0);

  context->attempt = attempt;
  if (context->has_id)
    {
      g_free (context->trace_id);
      context->trace_id = tl_compile_id_to_trace_id (&context->id, attempt);
    }
}

/**
 * tl_compile_context_get_attempt:
 * @context: a compile context
 *
 * Gets the attempt set with tl_compile_context_set_attempt().
 *
 * Returns: the attempt, 0 for the first
 *
 * Since: 0.1
 */
int
tl_compile_context_get_attempt (TlCompileContext *context)
{
  g_return_val_if_fail (context != NULL, 0);
  return context->attempt;
}

/**
 * tl_compile_context_get_current:
 * @id: (out caller-allocates) (optional): the current compile id
 * @attempt: (out) (optional): the current attempt
 *
 * torch's `CompileContext.current_trace_id()`: the id and attempt of the
 * calling thread's innermost compile context.
 *
 * Returns: %FALSE if there is no context, or the innermost one has no id;
 *   @id and @attempt are then left unchanged
 *
 * Since: 0.1
 */
gboolean
tl_compile_context_get_current (TlCompileId *id,
                                int         *attempt)
{
  TlCompileContext *context = current_context ();

  if (context == NULL || !context->has_id)
    return FALSE;
  if (id != NULL)
    *id = context->id;
  if (attempt != NULL)
    *attempt = context->attempt;
  return TRUE;
}

/**
 * tl_compile_context_dup_trace_id:
 *
 * The trace id of the calling thread's innermost compile context, as text
 * records show it without the brackets: `0/0`, `1/0_1`, `!2/0/1`.
 *
 * Returns: (transfer full) (nullable): the trace id, or %NULL when no
 *   context with an id is current
 *
 * Since: 0.1
 */
char *
tl_compile_context_dup_trace_id (void)
{
  return g_strdup (tl_compile_context_peek_trace_id ());
}

const char *
tl_compile_context_peek_trace_id (void)
{
  TlCompileContext *context = current_context ();

  return context != NULL ? context->trace_id : NULL;
}
