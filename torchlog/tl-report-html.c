/* tl-report-html.c: the report's HTML pieces
 *
 * Plain HTML and CSS, no script and nothing fetched from the network: a
 * report is opened from file://, mailed, or kept with a bug, and must
 * look the same everywhere.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tl-report-html-private.h"

static const char style_sheet[] =
  ":root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#666;--line:#ddd;"
  "--code:#f6f8fa;--accent:#0b57d0;--bar:#4c8bf5;--bad:#c5221f;--warn:#fff4e5;--warnline:#f0a020}\n"
  "@media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#aaa;"
  "--line:#333;--code:#1f1f1f;--accent:#8ab4f8;--bar:#5e97f6;--bad:#f28b82;--warn:#3a2a10;--warnline:#b07010}}\n"
  "body{font:15px/1.45 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;"
  "max-width:1200px;padding:0 1.5em 3em}\n"
  "nav{font-size:13px;padding:.6em 0;border-bottom:1px solid var(--line);color:var(--muted)}\n"
  "nav a{margin-right:1em}\n"
  "a{color:var(--accent)}\n"
  "h1{font-size:1.6em;margin:.6em 0 .2em}h2{font-size:1.2em;margin-top:1.6em;"
  "border-bottom:1px solid var(--line);padding-bottom:.2em}\n"
  "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid var(--line);"
  "padding:.25em .6em;text-align:left;vertical-align:top}th{background:var(--code)}\n"
  "pre,code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}\n"
  "pre{background:var(--code);padding:.6em;overflow:auto;border-radius:4px}\n"
  "pre.code{counter-reset:line;padding-left:0}\n"
  "pre.code>span{display:block;padding-left:4.2em;text-indent:-4.2em;white-space:pre-wrap}\n"
  "pre.code>span::before{counter-increment:line;content:counter(line);display:inline-block;"
  "width:3.4em;margin-right:.8em;text-align:right;color:var(--muted);text-indent:0;"
  "user-select:none}\n"
  ".muted{color:var(--muted)}.bad{color:var(--bad)}\n"
  ".warning-box{background:var(--warn);border:1px solid var(--warnline);border-radius:4px;"
  "padding:.4em 1em;margin:1em 0}\n"
  ".counts span{display:inline-block;margin-right:1.2em}\n"
  "ul.trie,ul.trie ul{list-style:none;padding-left:1.2em;margin:0}\n"
  "ul.trie li{font:13px/1.5 ui-monospace,monospace}\n"
  ".timeline{display:grid;grid-template-columns:9em 1fr 6em;gap:2px 8px;align-items:center;"
  "margin:.5em 0}\n"
  ".timeline .track{position:relative;height:14px;background:var(--code);border-radius:3px}\n"
  ".timeline .bar{position:absolute;top:0;height:14px;min-width:2px;background:var(--bar);"
  "border-radius:3px}\n"
  ".timeline .bar.failed{background:var(--bad)}\n"
  ".timeline .time{text-align:right;font-size:13px}\n"
  "details>summary{cursor:pointer}\n";

void
tl_report_html_escape (GString    *out,
                       const char *text,
                       gssize      length)
{
  g_autofree char *valid = NULL;
  const char *end;

  if (length < 0)
    length = (gssize) strlen (text);
  if (!g_utf8_validate_len (text, (gsize) length, NULL))
    {
      valid = g_utf8_make_valid (text, length);
      text = valid;
      length = (gssize) strlen (valid);
    }
  end = text + length;
  for (const char *p = text; p < end; p++)
    {
      switch (*p)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&#39;"); break;
        case '\0': g_string_append (out, "\xef\xbf\xbd"); break;
        default: g_string_append_c (out, *p);
        }
    }
}

void
tl_report_html_begin (GString    *out,
                      const char *title,
                      const char *root)
{
  g_string_append (out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                        "<title>");
  tl_report_html_escape (out, title, -1);
  g_string_append (out, "</title>\n<style>\n");
  g_string_append (out, style_sheet);
  g_string_append (out, "</style>\n</head>\n<body>\n<nav>");
  if (root == NULL)
    {
      g_string_append (out, "<span>torchlog report</span></nav>\n<h1>");
      tl_report_html_escape (out, title, -1);
      g_string_append (out, "</h1>\n");
      return;
    }
  g_string_append_printf (out, "<a href=\"%sindex.html\">Report</a>", root);
  g_string_append_printf (out, "<a href=\"%sfailures_and_restarts.html\">Failures and restarts</a>", root);
  g_string_append_printf (out, "<a href=\"%scompile_directory.json\">compile_directory.json</a>", root);
  g_string_append_printf (out, "<a href=\"%sraw.jsonl\">raw.jsonl</a>", root);
  g_string_append (out, "<span>torchlog report</span></nav>\n<h1>");
  tl_report_html_escape (out, title, -1);
  g_string_append (out, "</h1>\n");
}

void
tl_report_html_end (GString *out)
{
  g_string_append (out, "</body>\n</html>\n");
}

void
tl_report_html_code (GString    *out,
                     const char *text,
                     gsize       length)
{
  const char *end = text + length;
  const char *line = text;

  g_string_append (out, "<pre class=\"code\">");
  while (line < end)
    {
      const char *eol = memchr (line, '\n', (gsize) (end - line));

      if (eol == NULL)
        eol = end;
      g_string_append (out, "<span>");
      tl_report_html_escape (out, line, eol - line);
      g_string_append (out, "</span>");
      line = eol + 1;
    }
  g_string_append (out, "</pre>\n");
}
