/* tl-report-html-private.h: the report's HTML pieces
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @text (@length bytes, or -1) escaped for HTML text and attribute
 * values; invalid UTF-8 becomes U+FFFD. */
void  tl_report_html_escape       (GString    *out,
                                   const char *text,
                                   gssize      length);

/* Starts a page: doctype, title, the style sheet (inline: the pages work
 * offline and from file://), and an <h1>. @root is the relative path
 * back to the report's top folder ("" or "../"), for the navigation bar, or NULL for a page with no
 * rank report around it (a job's landing page). */
void  tl_report_html_begin        (GString    *out,
                                   const char *title,
                                   const char *root);
void  tl_report_html_end          (GString    *out);

/* Appends @text as a <pre> with a line number in front of each line
 * (CSS counters: the numbers are not copied with the text). */
void  tl_report_html_code         (GString    *out,
                                   const char *text,
                                   gsize       length);

G_END_DECLS
