using System.Globalization;
using System.Text;
using Conformance.Cli.Results;

namespace Conformance.Cli.Rendering;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and a little inline JS, no external
/// resource). The matrix and every detail are rendered here, HTML-escaped; the script only filters
/// rows, toggles details and keeps the sticky header below the filter bar.
/// </summary>
/// <remarks>
/// With scripts off the page still reads: each case row has the id <c>case=&lt;id&gt;</c> and its link
/// is <c>#case=&lt;id&gt;</c>, so following it (from the matrix or the not-passing list) makes the row
/// the <c>:target</c>, which CSS alone uses to show its detail; the filter bar, useless without the
/// script, stays hidden.
/// </remarks>
public static class HtmlRenderer
{
    /// <summary>Renders the document.</summary>
    public static string Render(ResultsDocument document)
    {
        var view = new ReportView(document);
        var doc = view.Document;
        var h = new StringBuilder(64 * 1024);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<title>XML-RPC conformance report — ").Append(Escape.Html(doc.Metadata.StartedUtc)).Append("</title>\n")
         .Append("<style>\n").Append(Stylesheet).Append("</style>\n</head>\n<body>\n");

        h.Append("<header>\n<h1>XML-RPC conformance report</h1>\n")
         .Append("<p class=\"verdict ").Append(view.Succeeded ? "ok" : "bad").Append("\">")
         .Append(Escape.Html(view.Verdict())).Append("</p>\n");
        AppendTargetErrors(h, view);
        h.Append("<dl class=\"meta\">\n");
        foreach (var (name, value) in view.MetadataLines())
        {
            h.Append("<dt>").Append(Escape.Html(name)).Append("</dt><dd>").Append(Escape.Html(value)).Append("</dd>\n");
        }

        foreach (var note in doc.Metadata.Notes ?? [])
        {
            h.Append("<dt>note</dt><dd>").Append(Escape.Html(note)).Append("</dd>\n");
        }

        h.Append("</dl>\n</header>\n");

        h.Append("<section>\n<h2>Targets</h2>\n<div class=\"wide\"><table class=\"plain targets\">\n<thead><tr><th>target</th><th>implementation</th><th>version</th><th>how</th><th>build</th></tr></thead>\n<tbody>\n");
        foreach (var t in doc.Metadata.Targets)
        {
            h.Append("<tr><td><code>").Append(Escape.Html(t.Id)).Append("</code></td><td>")
             .Append(Escape.Html(t.Implementation)).Append("</td><td>").Append(Escape.Html(t.Version))
             .Append("</td><td>").Append(Escape.Html(ReportView.TargetWhere(t))).Append("</td><td>")
             .Append(t.Error is null ? Escape.Html(t.Build) : "<span class=\"err\">not run: " + Escape.Html(t.Error) + "</span>")
             .Append("</td></tr>\n");
        }

        h.Append("</tbody>\n</table></div>\n</section>\n");

        AppendSinceBaseline(h, view);
        AppendTotals(h, view);
        AppendNotPassing(h, view);
        AppendMatrix(h, view);
        h.Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return h.ToString();
    }

    // Right under the verdict: a target that could not run may have no result anywhere in the page.
    private static void AppendTargetErrors(StringBuilder h, ReportView view)
    {
        if (view.TargetErrors.Count == 0)
        {
            return;
        }

        h.Append("<div class=\"target-errors\" role=\"alert\">\n<p><b>").Append(ReportView.TargetsCouldNotRun(view.TargetErrors.Count))
         .Append(":</b></p>\n<ul>\n");
        foreach (var t in view.TargetErrors)
        {
            h.Append("<li><code>").Append(Escape.Html(t.Id)).Append("</code> <span class=\"dim\">")
             .Append(Escape.Html(ReportView.TargetWhere(t))).Append("</span>: ").Append(Escape.Html(t.Error)).Append("</li>\n");
        }

        h.Append("</ul>\n</div>\n");
    }

    private static void AppendSinceBaseline(StringBuilder h, ReportView view)
    {
        if (view.Document.Baseline is not { } since)
        {
            return;
        }

        h.Append("<section id=\"since-baseline\">\n<h2>Since baseline</h2>\n<p class=\"verdict ").Append(since.Regressions.Count == 0 ? "ok" : "bad").Append("\">")
         .Append(Escape.Html(ReportView.SinceBaselinePhrase(since))).Append("</p>\n");
        foreach (var note in since.Notes ?? [])
        {
            h.Append("<p class=\"dim\">note: ").Append(Escape.Html(note)).Append("</p>\n");
        }

        foreach (var (title, changes) in new[] { ("Worse", since.Regressions), ("Better", since.Improvements), ("Changed", since.Changes) })
        {
            if (changes.Count == 0)
            {
                continue;
            }

            h.Append("<h3>").Append(title).Append(" (").Append(changes.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h3>\n")
             .Append("<div class=\"wide\"><table class=\"plain\">\n<thead><tr><th>case or target</th><th>cell</th><th>before</th><th>now</th><th>detail</th></tr></thead>\n<tbody>\n");
            foreach (var c in changes)
            {
                h.Append("<tr><td>").Append(c.Case is null
                        ? "target <code>" + Escape.Html(c.Target) + "</code>"
                        : "<a href=\"" + Escape.Html(CaseHref(c.Case)) + "\"><code>" + Escape.Html(c.Case) + "</code></a>")
                 .Append("</td><td>").Append(c.Cell is null ? "" : Escape.Html(view.CellTitle(c.Cell)))
                 .Append("</td><td>").Append(Escape.Html(c.Before)).Append("</td><td><b>").Append(Escape.Html(c.After))
                 .Append("</b></td><td>").Append(Escape.Html(c.Detail)).Append("</td></tr>\n");
            }

            h.Append("</tbody>\n</table></div>\n");
        }

        h.Append("</section>\n");
    }

    private static void AppendTotals(StringBuilder h, ReportView view)
    {
        h.Append("<section>\n<h2>Totals</h2>\n<div class=\"totals\">\n<table class=\"plain num\">\n<thead><tr><th>cell</th>");
        AppendOutcomeHeads(h);
        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var cell in view.Document.Cells)
        {
            h.Append("<tr><td title=\"").Append(Escape.Html(cell.Description)).Append("\">").Append(Escape.Html(cell.Title))
             .Append(" <code>").Append(Escape.Html(cell.Id)).Append("</code></td>");
            AppendTallyCells(h, view.CellTotals[cell.Id]);
            h.Append("</tr>\n");
        }

        h.Append("<tr class=\"sum\"><td>all</td>");
        AppendTallyCells(h, view.Total);
        h.Append("</tr>\n</tbody>\n</table>\n<table class=\"plain num\">\n<thead><tr><th>area</th>");
        AppendOutcomeHeads(h);
        h.Append("</tr></thead>\n<tbody>\n");
        foreach (var area in view.Areas)
        {
            h.Append("<tr><td>").Append(Escape.Html(area)).Append(" <span class=\"dim\">(")
             .Append(ReportView.Cases(view.CasesByArea[area].Count)).Append(")</span></td>");
            AppendTallyCells(h, view.AreaTotals[area]);
            h.Append("</tr>\n");
        }

        h.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static void AppendNotPassing(StringBuilder h, ReportView view)
    {
        var groups = view.NotPassingLines;
        h.Append("<section>\n<h2>Not passing <span class=\"dim\">(").Append(Escape.Html(view.NotPassingCount())).Append(")</span></h2>\n");
        if (groups.Count == 0)
        {
            h.Append("<p>Every result is PASS.</p>\n</section>\n");
            return;
        }

        h.Append("<ul class=\"notpass\">\n");
        foreach (var g in groups)
        {
            var r = g[0];
            h.Append("<li><span class=\"badge ").Append(r.Stale ? "o-stale" : Css(r.Outcome)).Append("\">")
             .Append(r.Stale ? "STALE" : ReportView.Label(r.Outcome)).Append("</span> <a href=\"")
             .Append(Escape.Html(CaseHref(r.Case))).Append("\"><code>").Append(Escape.Html(r.Case)).Append("</code></a> <span class=\"dim\">")
             .Append(Escape.Html(string.Join(", ", g.Select(x => view.CellTitle(x.Cell))))).Append("</span>");
            var text = r.Stale ? "listed as a known issue, but it passed: " + r.Known?.Reason : r.Detail ?? r.Known?.Reason;
            if (!string.IsNullOrEmpty(text))
            {
                h.Append(" — ").Append(Escape.Html(Escape.Truncate(text, 300)));
            }

            h.Append("</li>\n");
        }

        h.Append("</ul>\n</section>\n");
    }

    private static void AppendOutcomeHeads(StringBuilder h)
    {
        foreach (var o in ReportView.OutcomeOrder)
        {
            h.Append("<th class=\"").Append(Css(o)).Append("\">").Append(ReportView.Label(o)).Append("</th>");
        }

        h.Append("<th class=\"o-stale\">stale</th><th>total</th>");
    }

    private static void AppendTallyCells(StringBuilder h, Tally t)
    {
        foreach (var o in ReportView.OutcomeOrder)
        {
            h.Append(t[o] == 0 ? "<td class=\"zero\">0</td>" : "<td>" + t[o].ToString(CultureInfo.InvariantCulture) + "</td>");
        }

        h.Append(t.Stale == 0 ? "<td class=\"zero\">0</td>" : "<td>" + t.Stale.ToString(CultureInfo.InvariantCulture) + "</td>");
        h.Append("<td>").Append(t.Count.ToString(CultureInfo.InvariantCulture)).Append("</td>");
    }

    private static void AppendMatrix(StringBuilder h, ReportView view)
    {
        var cells = view.Document.Cells;
        // Hidden until the script, which is what makes it work, shows it.
        h.Append("<section>\n<h2>Matrix</h2>\n<form class=\"filters\" id=\"filters\" onsubmit=\"return false\" hidden>\n")
         .Append("<label>area <select id=\"f-area\"><option value=\"\">all areas</option>");
        foreach (var area in view.Areas)
        {
            h.Append("<option value=\"").Append(Escape.Html(area)).Append("\">").Append(Escape.Html(area)).Append("</option>");
        }

        h.Append("</select></label>\n<span class=\"outcomes\">");
        foreach (var o in ReportView.OutcomeOrder)
        {
            h.Append("<label class=\"chip ").Append(Css(o)).Append("\"><input type=\"checkbox\" name=\"outcome\" value=\"")
             .Append(ReportView.Label(o)).Append("\" checked> ").Append(ReportView.Label(o)).Append("</label>");
        }

        h.Append("<label class=\"chip o-stale\"><input type=\"checkbox\" name=\"outcome\" value=\"STALE\" checked> stale</label></span>\n")
         .Append("<button type=\"button\" id=\"f-notpass\">not passing only</button>")
         .Append("<button type=\"button\" id=\"f-all\">everything</button>\n")
         .Append("<label>id <input type=\"search\" id=\"f-text\" placeholder=\"value.int.*\"></label>\n")
         .Append("<span id=\"f-count\" class=\"dim\"></span>\n</form>\n");
        h.Append("<p class=\"dim\"><span class=\"js-only\">A row shows when one of its cells has a ticked outcome. </span>Click a case for its detail. ")
         .Append("Symbols: <span class=\"o-pass\">✓</span> PASS, <span class=\"o-fail\">✗</span> FAIL, <span class=\"o-known\">K</span> KNOWN, ")
         .Append("<span class=\"o-deviation\">D</span> DEVIATION, <span class=\"o-non-strict\">≈</span> NON-STRICT, <span class=\"o-missing\">–</span> MISSING, ")
         .Append("<span class=\"o-not-run\">·</span> NOT RUN, <span class=\"o-stale\">!</span> stale known issue; empty: does not apply.</p>\n");

        h.Append("<table class=\"matrix\" id=\"matrix\">\n<thead><tr><th class=\"case\">case</th>");
        foreach (var cell in cells)
        {
            h.Append("<th title=\"").Append(Escape.Html(cell.Id + ": " + cell.Description)).Append("\">")
             .Append(Escape.Html(cell.Title).Replace(" ", "<br>", StringComparison.Ordinal)).Append("</th>");
        }

        h.Append("</tr></thead>\n");
        var n = 0;
        foreach (var area in view.Areas)
        {
            h.Append("<tbody data-area=\"").Append(Escape.Html(area)).Append("\">\n<tr class=\"area\"><th colspan=\"")
             .Append((cells.Count + 1).ToString(CultureInfo.InvariantCulture)).Append("\">").Append(Escape.Html(area))
             .Append(" <span class=\"dim\">").Append(ReportView.Cases(view.CasesByArea[area].Count))
             .Append("</span></th></tr>\n");
            foreach (var c in view.CasesByArea[area])
            {
                var detailId = "c" + (n++).ToString(CultureInfo.InvariantCulture) + "-d";
                var results = cells.Select(cell => view.Find(c.Id, cell.Id)).ToList();
                var outcomes = results.OfType<CellResult>().Select(r => r.Stale ? "STALE" : ReportView.Label(r.Outcome))
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                // The row's id is the fragment of its links (#case=<id>, percent-encoded): :target without a script.
                h.Append("<tr class=\"case\" id=\"").Append(Escape.Html(CaseFragment(c.Id))).Append("\" data-id=\"").Append(Escape.Html(c.Id))
                 .Append("\" data-outcomes=\"").Append(string.Join(' ', outcomes)).Append("\">")
                 .Append("<td class=\"case\"><a class=\"open\" href=\"").Append(Escape.Html(CaseHref(c.Id))).Append("\" aria-controls=\"")
                 .Append(detailId).Append("\" aria-expanded=\"false\" title=\"")
                 .Append(Escape.Html(c.Description)).Append("\">").Append(Escape.Html(c.Id)).Append("</a></td>");
                foreach (var r in results)
                {
                    if (r is null)
                    {
                        h.Append("<td class=\"na\"></td>");
                    }
                    else
                    {
                        h.Append("<td class=\"").Append(r.Stale ? "o-stale" : Css(r.Outcome)).Append("\" title=\"")
                         .Append(r.Stale ? "STALE KNOWN ISSUE" : ReportView.Label(r.Outcome)).Append("\">")
                         .Append(Glyph(r)).Append("</td>");
                    }
                }

                h.Append("</tr>\n<tr class=\"detail\" id=\"").Append(detailId).Append("\"><td colspan=\"")
                 .Append((cells.Count + 1).ToString(CultureInfo.InvariantCulture)).Append("\">\n");
                AppendDetail(h, view, c, results);
                h.Append("</td></tr>\n");
            }

            h.Append("</tbody>\n");
        }

        h.Append("</table>\n</section>\n");
    }

    private static void AppendDetail(StringBuilder h, ReportView view, CaseInfo c, IReadOnlyList<CellResult?> results)
    {
        h.Append("<div class=\"case-detail\">\n<p class=\"desc\"><b>").Append(Escape.Html(c.Id)).Append("</b> — ")
         .Append(Escape.Html(c.Description));
        if (c.Expectation is not null)
        {
            h.Append(" <span class=\"tag\">").Append(Escape.Html(c.Expectation)).Append("</span>");
        }

        h.Append("</p>\n");
        if (c.Checks is not null)
        {
            h.Append("<p class=\"checks\">").Append(Escape.Html(c.Checks)).Append("</p>\n");
        }

        if (c.Deviation is not null)
        {
            h.Append("<p class=\"deviation\">Documented deviation: ").Append(Escape.Html(c.Deviation)).Append("</p>\n");
        }

        AppendKnownIssues(h, view, results);

        // The same exchange seen in several cells (our client's request to every peer) is shown once.
        var shownExchanges = new Dictionary<(string?, string?), string>();
        foreach (var r in results.OfType<CellResult>())
        {
            var title = view.CellTitle(r.Cell);
            h.Append("<div class=\"cell-result ").Append(r.Stale ? "o-stale" : Css(r.Outcome)).Append("\">\n<h4><span class=\"badge\">")
             .Append(r.Stale ? "STALE" : ReportView.Label(r.Outcome)).Append("</span> ").Append(Escape.Html(title))
             .Append(" <code class=\"dim\">").Append(Escape.Html(r.Cell)).Append("</code> <span class=\"dim\">")
             .Append(Escape.Html(ReportView.Ms(r.DurationMs))).Append("</span></h4>\n");
            if (!string.IsNullOrEmpty(r.Detail))
            {
                h.Append("<p class=\"text\">").Append(Escape.Html(r.Detail)).Append("</p>\n");
            }

            // The known issue's reason is shown once for the case, above (AppendKnownIssues).
            if (!string.IsNullOrEmpty(r.Diff))
            {
                h.Append("<pre class=\"diff\">");
                foreach (var line in r.Diff.TrimEnd('\n').Split('\n'))
                {
                    var cls = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "file"
                        : line.StartsWith('+') ? "add" : line.StartsWith('-') ? "del" : line.StartsWith("@@", StringComparison.Ordinal) ? "hunk" : "";
                    // Block spans are the lines: a newline character as well would double-space them.
                    h.Append(cls.Length == 0 ? "<span>" : "<span class=\"" + cls + "\">").Append(line.Length == 0 ? " " : Escape.Html(line)).Append("</span>");
                }

                h.Append("</pre>\n");
            }

            if (r.Request is not null || r.Response is not null)
            {
                if (shownExchanges.TryGetValue((r.Request, r.Response), out var first))
                {
                    h.Append("<p class=\"dim\">Request and response as in ").Append(Escape.Html(first)).Append(".</p>\n");
                }
                else
                {
                    shownExchanges[(r.Request, r.Response)] = title;
                    h.Append("<div class=\"exchange\"><div><h5>request</h5><pre>").Append(Xml(r.Request))
                     .Append("</pre></div><div><h5>response</h5><pre>").Append(Xml(r.Response))
                     .Append("</pre></div></div>\n");
                }
            }

            h.Append("</div>\n");
        }

        h.Append("</div>\n");
    }

    /// <summary>
    /// The known issues of a case, each reason once however many cells it explains (every peer column
    /// repeats it), naming the cells; a cell where it did not reproduce (stale) is named separately.
    /// </summary>
    private static void AppendKnownIssues(StringBuilder h, ReportView view, IReadOnlyList<CellResult?> results)
    {
        foreach (var g in results.OfType<CellResult>().Where(r => r.Known is not null).GroupBy(r => r.Known!))
        {
            var known = g.Where(r => !r.Stale).Select(r => view.CellTitle(r.Cell)).ToList();
            var stale = g.Where(r => r.Stale).Select(r => view.CellTitle(r.Cell)).ToList();
            h.Append("<div class=\"known-issue\">\n<p class=\"").Append(known.Count > 0 ? "known" : "stale-note").Append("\">");
            h.Append(known.Count > 0
                ? "<b>Known issue</b> <span class=\"cells\">(" + Escape.Html(string.Join(", ", known)) + ")</span>: "
                : "<b>Listed as a known issue</b> <span class=\"cells\">(" + Escape.Html(string.Join(", ", stale)) + ")</span>, but it passed — remove the entry: ");
            h.Append(Escape.Html(g.Key.Reason));
            if (MarkdownRenderer.IsWebLink(g.Key.Link))
            {
                h.Append(" <a href=\"").Append(Escape.Html(g.Key.Link)).Append("\" rel=\"noreferrer\">").Append(Escape.Html(g.Key.Link)).Append("</a>");
            }
            else if (g.Key.Link is not null)
            {
                h.Append(' ').Append(Escape.Html(g.Key.Link));
            }

            h.Append("</p>\n");
            if (known.Count > 0 && stale.Count > 0)
            {
                h.Append("<p class=\"stale-note\">Also listed for ").Append(Escape.Html(string.Join(", ", stale)))
                 .Append(", but it passed there — remove that entry.</p>\n");
            }

            h.Append("</div>\n");
        }
    }

    /// <summary>The fragment that shows a case (<c>case=&lt;id&gt;</c>): the case row's id.</summary>
    internal static string CaseFragment(string caseId) => "case=" + caseId;

    /// <summary>A link to a case's row and detail: <c>#case=</c> and the percent-encoded id (browsers decode it to match the row's id).</summary>
    internal static string CaseHref(string caseId) => "#case=" + Uri.EscapeDataString(caseId);

    // A carriage return is often the point of a case (value.string.cr): shown as ␍, never as a line break.
    private static string Xml(string? xml) =>
        xml is null ? "<span class=\"dim\">(not captured)</span>"
        : Escape.Html(xml).Replace("\r\n", "<span class=\"cr\" title=\"carriage return\">␍</span>\n", StringComparison.Ordinal)
            .Replace("\r", "<span class=\"cr\" title=\"carriage return\">␍</span>", StringComparison.Ordinal);

    private static string Css(Outcome o) => "o-" + ReportView.Label(o).ToLowerInvariant().Replace(' ', '-');

    private static string Glyph(CellResult r) => r.Stale ? "!" : r.Outcome switch
    {
        Outcome.Pass => "✓",
        Outcome.Fail => "✗",
        Outcome.Known => "K",
        Outcome.Deviation => "D",
        Outcome.Missing => "–",
        Outcome.NonStrict => "≈",
        Outcome.NotRun => "·",
        _ => "?",
    };

    private const string Stylesheet = """
        :root { --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9; --known: #9a6700; --known-bg: #fff8c5;
                --dev: #0550ae; --dev-bg: #ddf4ff; --miss: #57606a; --miss-bg: #eaeef2; --stale: #8250df; --stale-bg: #fbefff;
                --line: #d0d7de; --dim: #57606a; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto; padding: 16px 24px 48px; color: #1f2328; max-width: 1600px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h4 { font-size: 13px; margin: 0 0 4px; }
        h5 { font-size: 12px; margin: 0 0 2px; color: var(--dim); text-transform: uppercase; letter-spacing: .04em; }
        code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        pre { margin: 0; padding: 8px; background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-all; }
        .dim { color: var(--dim); font-weight: normal; }
        .err { color: var(--fail); }
        .target-errors { border: 1px solid var(--fail); border-left-width: 6px; background: var(--fail-bg); border-radius: 6px; padding: 6px 12px; margin: 4px 0 12px; }
        .target-errors p { margin: 0; color: var(--fail); }
        .target-errors ul { margin: 4px 0 0; padding-left: 20px; }
        .target-errors li { word-break: break-word; }
        .verdict { display: inline-block; font-weight: 600; padding: 4px 10px; border-radius: 6px; margin: 4px 0 8px; }
        .verdict.ok { background: var(--pass-bg); color: var(--pass); }
        .verdict.bad { background: var(--fail-bg); color: var(--fail); }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
        dl.meta dt { color: var(--dim); }
        dl.meta dd { margin: 0; word-break: break-word; }
        table { border-collapse: collapse; }
        table.plain th, table.plain td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        table.plain thead th { background: #f6f8fa; }
        table.num td + td, table.num th + th { text-align: right; }
        table.num td.zero { color: #b0b7be; }
        table.num tr.sum td { font-weight: 600; background: #f6f8fa; }
        .totals { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        .filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin: 8px 0; position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 2; border-bottom: 1px solid var(--line); }
        .filters[hidden] { display: none; }
        html:not(.js) .js-only { display: none; }
        .outcomes { display: inline-flex; flex-wrap: wrap; gap: 6px; }
        .chip { border-radius: 12px; padding: 1px 8px; border: 1px solid currentColor; cursor: pointer; white-space: nowrap; }
        ul.notpass { list-style: none; padding: 4px 8px; margin: 0; max-height: 360px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
        ul.notpass li { padding: 2px 0; }
        ul.notpass .badge, .cell-result .badge { display: inline-block; min-width: 78px; text-align: center; font-size: 11px; font-weight: 600; border-radius: 4px; padding: 0 5px; }
        button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; cursor: pointer; }
        table.matrix { font-size: 12px; }
        /* --filters-h: the filter bar's height, measured by the script (it wraps on narrow windows); no bar without it.
           A collapsed border stays where the table painted it, so the header's top and bottom lines are shadows
           that move with it: a top border would leave a strip of scrolled rows between the bar and the header. */
        table.matrix thead th { position: sticky; top: var(--filters-h, 0px); background: #f6f8fa; z-index: 1; font-weight: 600; padding: 4px 3px; border: 1px solid var(--line); border-top: 0; box-shadow: inset 0 1px 0 var(--line), inset 0 -1px 0 var(--line); font-size: 11px; line-height: 1.2; min-width: 46px; }
        table.matrix th.case { text-align: left; min-width: 280px; }
        table.matrix tr.area th { text-align: left; background: #eef1f4; padding: 6px 8px; font-size: 13px; border: 1px solid var(--line); }
        table.matrix td { border: 1px solid var(--line); text-align: center; padding: 1px 3px; font-weight: 600; }
        table.matrix td.case { text-align: left; font-weight: normal; }
        table.matrix td.na { background: #fafbfc; }
        a.open { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #0969da; text-decoration: none; word-break: break-all; }
        a.open:hover { text-decoration: underline; }
        tr.case:hover td { filter: brightness(0.96); }
        /* A linked case lands below the sticky filter bar and header (--sticky-h: both, measured by the script). */
        table.matrix tr.case { scroll-margin-top: calc(var(--sticky-h, 4em) + 4px); }
        tr.case:target > td.case { box-shadow: inset 3px 0 0 #0969da; }
        tr.detail { display: none; }
        tr.detail.open, html:not(.js) tr.case:target + tr.detail { display: table-row; }
        tr.detail > td { text-align: left; font-weight: normal; background: #fcfcfd; padding: 10px 12px; }
        /* The detail row spans the whole matrix, which is wider than a narrow window: the detail itself is held to the
           window's width and sticks to its left edge, so the request/response panes stay readable however the page scrolls. */
        .case-detail { max-width: min(1400px, calc(100vw - 72px)); position: sticky; left: 12px; }
        .wide { max-width: 100%; overflow-x: auto; }
        table.targets td { overflow-wrap: anywhere; }
        table.targets td:last-child { min-width: 16em; }
        .case-detail p { margin: 0 0 6px; }
        .checks { color: var(--dim); }
        .deviation { color: var(--dev); }
        .tag { font-size: 11px; border: 1px solid var(--line); border-radius: 10px; padding: 0 6px; color: var(--dim); }
        .cell-result { border-left: 4px solid var(--line); padding: 4px 0 6px 10px; margin: 8px 0; }
        .cell-result .badge { color: #fff; background: var(--miss); }
        .cell-result .text { white-space: pre-wrap; word-break: break-word; }
        .exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
        .exchange > div { min-width: 0; }
        @media (max-width: 1100px) { .exchange { grid-template-columns: 1fr; } }
        pre.diff span { display: block; }
        pre .cr { color: var(--fail); font-weight: 600; }
        pre.diff .add { background: var(--pass-bg); color: var(--pass); }
        pre.diff .del { background: var(--fail-bg); color: var(--fail); }
        pre.diff .hunk { color: var(--dev); }
        pre.diff .file { color: var(--dim); }
        .o-pass { color: var(--pass); background: var(--pass-bg); }
        .o-fail { color: var(--fail); background: var(--fail-bg); }
        .o-known { color: var(--known); background: var(--known-bg); }
        .o-deviation { color: var(--dev); background: var(--dev-bg); }
        .o-missing, .o-not-run { color: var(--miss); background: var(--miss-bg); }
        .o-non-strict { color: var(--pass); background: var(--dev-bg); }
        .o-stale { color: var(--stale); background: var(--stale-bg); }
        .cell-result.o-pass { border-left-color: var(--pass); background: none; color: inherit; }
        .cell-result.o-fail { border-left-color: var(--fail); background: none; color: inherit; }
        .cell-result.o-known { border-left-color: var(--known); background: none; color: inherit; }
        .cell-result.o-deviation { border-left-color: var(--dev); background: none; color: inherit; }
        .cell-result.o-missing, .cell-result.o-not-run { border-left-color: var(--miss); background: none; color: inherit; }
        .cell-result.o-non-strict { border-left-color: var(--pass); background: none; color: inherit; }
        .cell-result.o-stale { border-left-color: var(--stale); background: none; color: inherit; }
        .cell-result.o-pass .badge { background: var(--pass); }
        .cell-result.o-fail .badge { background: var(--fail); }
        .cell-result.o-known .badge { background: var(--known); }
        .cell-result.o-deviation .badge { background: var(--dev); }
        .cell-result.o-non-strict .badge { background: var(--pass); }
        .cell-result.o-stale .badge { background: var(--stale); }
        .known { color: var(--known); }
        .known-issue { margin: 6px 0 8px; }
        .known-issue .cells { font-weight: normal; }
        .stale-note { color: var(--stale); }
        @media print { .filters { display: none; } }

        """;

    private const string Script = """
        (function () {
          "use strict";
          var root = document.documentElement;
          // From here on details open by class, not by :target (a second click closes them).
          root.classList.add("js");
          var bar = document.getElementById("filters");
          var head = document.querySelector("#matrix thead");
          var area = document.getElementById("f-area");
          var text = document.getElementById("f-text");
          var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=outcome]"));
          var count = document.getElementById("f-count");
          bar.hidden = false;
          // The column headers stick right below the filter bar, whatever its height (it wraps on narrow
          // windows); rounding down overlaps the two by under a pixel instead of leaving a gap.
          function measure() {
            var b = bar.getBoundingClientRect().height;
            root.style.setProperty("--filters-h", Math.floor(b) + "px");
            root.style.setProperty("--sticky-h", Math.ceil(b + head.getBoundingClientRect().height) + "px");
          }
          measure();
          window.addEventListener("resize", measure);
          if (window.ResizeObserver) { new ResizeObserver(measure).observe(bar); }
          function setOpen(link, open) {
            document.getElementById(link.getAttribute("aria-controls")).classList.toggle("open", open);
            link.setAttribute("aria-expanded", open ? "true" : "false");
          }
          function globToRegExp(g) {
            return new RegExp("^" + g.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");
          }
          function apply() {
            var wanted = {};
            boxes.forEach(function (b) { if (b.checked) { wanted[b.value] = true; } });
            var a = area.value, t = text.value.trim(), re = null;
            if (t) { re = t.indexOf("*") >= 0 || t.indexOf("?") >= 0 ? globToRegExp(t) : null; }
            var shown = 0, total = 0;
            document.querySelectorAll("#matrix tbody").forEach(function (body) {
              var any = false;
              body.querySelectorAll("tr.case").forEach(function (row) {
                total++;
                var id = row.getAttribute("data-id");
                var ok = (!a || body.getAttribute("data-area") === a)
                  && (!t || (re ? re.test(id) : id.toLowerCase().indexOf(t.toLowerCase()) >= 0))
                  && row.getAttribute("data-outcomes").split(" ").some(function (o) { return o && wanted[o]; });
                row.hidden = !ok;
                if (!ok) { setOpen(row.querySelector("a.open"), false); }
                if (ok) { shown++; any = true; }
              });
              body.hidden = !any;
            });
            count.textContent = shown + " of " + total + " cases";
          }
          document.getElementById("f-notpass").addEventListener("click", function () {
            boxes.forEach(function (b) { b.checked = b.value !== "PASS"; });
            apply();
          });
          document.getElementById("f-all").addEventListener("click", function () {
            boxes.forEach(function (b) { b.checked = true; });
            area.value = ""; text.value = ""; apply();
          });
          area.addEventListener("change", apply);
          text.addEventListener("input", apply);
          boxes.forEach(function (b) { b.addEventListener("change", apply); });
          // #case=<id> opens that case's detail (links from the not-passing list, shared links).
          function openFromHash() {
            var m = /^#case=(.*)$/.exec(location.hash), id;
            if (!m) { return; }
            try { id = decodeURIComponent(m[1]); } catch (err) { return; }
            var row = document.getElementById("case=" + id);
            if (!row || !row.classList.contains("case")) { return; }
            row.hidden = false;
            row.parentNode.hidden = false;
            setOpen(row.querySelector("a.open"), true);
            row.scrollIntoView();
          }
          document.addEventListener("click", function (e) {
            var link = e.target.closest ? e.target.closest("a[href^='#case=']") : null;
            if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
            if (link.classList.contains("open")) {
              // A case in the matrix: toggle its detail in place.
              e.preventDefault();
              setOpen(link, link.getAttribute("aria-expanded") !== "true");
            } else if (link.getAttribute("href") === location.hash) {
              // The case already in the address bar: no hashchange would come.
              e.preventDefault();
              openFromHash();
            }
          });
          window.addEventListener("hashchange", openFromHash);
          apply();
          openFromHash();
        })();

        """;
}
