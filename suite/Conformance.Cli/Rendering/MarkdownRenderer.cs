using System.Globalization;
using System.Text;
using Conformance.Cli.Results;

namespace Conformance.Cli.Rendering;

/// <summary>
/// <c>summary.md</c>: GitHub-flavoured Markdown for <c>$GITHUB_STEP_SUMMARY</c>. Totals first, then
/// one collapsed case × cell matrix per area, then every result that is not a plain PASS.
/// </summary>
/// <remarks>
/// GitHub caps a step summary at 1 MiB, so the non-PASS list groups identical results across peers
/// and is bounded (<see cref="MaxListed"/> entries, <see cref="MaxDiffLines"/> lines per diff);
/// report.html always has everything.
/// </remarks>
public static class MarkdownRenderer
{
    /// <summary>Most non-PASS groups listed.</summary>
    public const int MaxListed = 300;

    /// <summary>Most lines shown of one diff.</summary>
    public const int MaxDiffLines = 40;

    private const int MaxDetail = 400;

    /// <summary>The symbol of an outcome in the matrix.</summary>
    public static string Symbol(CellResult? r) => r switch
    {
        null => "",
        { Stale: true } => "❗",
        { Outcome: Outcome.Pass } => "✅",
        { Outcome: Outcome.Fail } => "❌",
        { Outcome: Outcome.Known } => "🟡",
        { Outcome: Outcome.Deviation } => "🔷",
        { Outcome: Outcome.Missing } => "⬜",
        { Outcome: Outcome.NonStrict } => "🟢",
        { Outcome: Outcome.NotRun } => "⏸️",
        _ => "?",
    };

    /// <summary>Renders the document.</summary>
    public static string Render(ResultsDocument document)
    {
        var view = new ReportView(document);
        var md = new StringBuilder();
        var doc = view.Document;

        md.Append("# XML-RPC conformance report\n\n");
        md.Append(view.Succeeded ? "**✅ " : "**❌ ").Append(Escape.MarkdownText(view.Verdict())).Append("**\n\n");
        if (view.TargetErrors.Count > 0)
        {
            // Right under the verdict: a target that could not run may have no result anywhere below.
            md.Append("**⚠️ ").Append(ReportView.TargetsCouldNotRun(view.TargetErrors.Count)).Append(":**\n\n");
            foreach (var t in view.TargetErrors)
            {
                md.Append("- ").Append(Escape.MarkdownId(t.Id)).Append(" (").Append(Escape.MarkdownText(ReportView.TargetWhere(t)))
                  .Append("): ").Append(Escape.MarkdownText(t.Error)).Append('\n');
            }

            md.Append('\n');
        }


        foreach (var (name, value) in view.MetadataLines())
        {
            md.Append("- ").Append(Escape.MarkdownText(name)).Append(": ").Append(Escape.MarkdownText(value)).Append('\n');
        }

        foreach (var note in doc.Metadata.Notes ?? [])
        {
            md.Append("- note: ").Append(Escape.MarkdownText(note)).Append('\n');
        }

        md.Append("\n| target | implementation | version | how | build |\n|---|---|---|---|---|\n");
        foreach (var t in doc.Metadata.Targets)
        {
            md.Append("| ").Append(Escape.MarkdownId(t.Id))
              .Append(" | ").Append(Escape.MarkdownText(t.Implementation))
              .Append(" | ").Append(Escape.MarkdownText(t.Version))
              .Append(" | ").Append(Escape.MarkdownText(ReportView.TargetWhere(t)))
              .Append(" | ").Append(Escape.MarkdownText(t.Error is null ? t.Build : "not run: " + t.Error))
              .Append(" |\n");
        }

        AppendSinceBaseline(md, view);
        md.Append("\n## Totals\n\n");
        AppendTallyHeader(md, "cell");
        foreach (var cell in doc.Cells)
        {
            AppendTallyRow(md, Escape.MarkdownText(cell.Title) + " " + Escape.MarkdownId(cell.Id), view.CellTotals[cell.Id]);
        }

        AppendTallyRow(md, "**all**", view.Total);

        md.Append("\n### By area\n\n");
        AppendTallyHeader(md, "area");
        foreach (var area in view.Areas)
        {
            AppendTallyRow(md, Escape.MarkdownText(area) + " (" + ReportView.Cases(view.CasesByArea[area].Count) + ")", view.AreaTotals[area]);
        }

        md.Append("\n## Matrix\n\n");
        md.Append("✅ PASS · ❌ FAIL · 🟡 KNOWN · 🔷 DEVIATION · ⬜ MISSING · ❗ passed, but a known issue says it should not (stale) · blank: does not apply\n\n");
        md.Append("Columns: ");
        md.AppendJoin(" · ", doc.Cells.Select(c => "**" + Escape.MarkdownText(c.Title) + "** " + Escape.MarkdownText(c.Description)));
        md.Append("\n\n");
        foreach (var area in view.Areas)
        {
            var tally = view.AreaTotals[area];
            md.Append("<details><summary><b>").Append(Escape.Html(area)).Append("</b> — ")
              .Append(ReportView.Cases(view.CasesByArea[area].Count)).Append(": ")
              .Append(Escape.Html(TallyPhrase(tally))).Append("</summary>\n\n");
            md.Append("| case |");
            foreach (var cell in doc.Cells)
            {
                md.Append(' ').Append(Escape.MarkdownText(cell.Title)).Append(" |");
            }

            md.Append("\n|---|").Append(string.Concat(Enumerable.Repeat(":-:|", doc.Cells.Count))).Append('\n');
            foreach (var c in view.CasesByArea[area])
            {
                md.Append("| ").Append(Escape.MarkdownId(c.Id)).Append(" |");
                foreach (var cell in doc.Cells)
                {
                    var s = Symbol(view.Find(c.Id, cell.Id));
                    md.Append(s.Length == 0 ? " |" : " " + s + " |");
                }

                md.Append('\n');
            }

            md.Append("\n</details>\n\n");
        }

        AppendNotPassing(md, view);
        return md.ToString();
    }

    private static void AppendSinceBaseline(StringBuilder md, ReportView view)
    {
        if (view.Document.Baseline is not { } since)
        {
            return;
        }

        md.Append("\n## Since baseline\n\n").Append(since.Regressions.Count == 0 ? "✅ " : "❌ ")
          .Append(Escape.MarkdownText(ReportView.SinceBaselinePhrase(since))).Append("\n\n");
        foreach (var note in since.Notes ?? [])
        {
            md.Append("- note: ").Append(Escape.MarkdownText(note)).Append('\n');
        }

        foreach (var (title, changes) in new[] { ("Worse", since.Regressions), ("Better", since.Improvements), ("Changed", since.Changes) })
        {
            if (changes.Count == 0)
            {
                continue;
            }

            md.Append("\n**").Append(title).Append(" (").Append(changes.Count.ToString(CultureInfo.InvariantCulture)).Append(")**\n\n");
            foreach (var c in changes.Take(MaxListed))
            {
                md.Append("- ").Append(c.Case is null ? "target " + Escape.MarkdownId(c.Target) : Escape.MarkdownId(c.Case) + " · " + Escape.MarkdownText(view.CellTitle(c.Cell!)))
                  .Append(": ").Append(Escape.MarkdownText(c.Before)).Append(" → **").Append(Escape.MarkdownText(c.After)).Append("**");
                if (!string.IsNullOrEmpty(c.Detail))
                {
                    md.Append(" — ").Append(Escape.MarkdownText(Escape.Truncate(c.Detail, MaxDetail)));
                }

                md.Append('\n');
            }

            if (changes.Count > MaxListed)
            {
                md.Append("- … and ").Append((changes.Count - MaxListed).ToString(CultureInfo.InvariantCulture)).Append(" more: see results.json.\n");
            }
        }
    }

    private static void AppendNotPassing(StringBuilder md, ReportView view)
    {
        var groups = view.NotPassingLines;
        md.Append("## Not passing (").Append(view.NotPassingCount()).Append(")\n\n");
        if (groups.Count == 0)
        {
            md.Append("Every result is PASS.\n");
            return;
        }

        foreach (var g in groups.Take(MaxListed))
        {
            var r = g[0];
            md.Append("- ").Append(Symbol(r)).Append(" **")
              .Append(r.Stale ? "STALE KNOWN ISSUE" : ReportView.Label(r.Outcome)).Append("** ")
              .Append(Escape.MarkdownId(r.Case)).Append(" · ")
              .AppendJoin(", ", g.Select(x => Escape.MarkdownText(view.CellTitle(x.Cell))));
            if (!string.IsNullOrEmpty(r.Detail))
            {
                md.Append(" — ").Append(Escape.MarkdownText(Escape.Truncate(r.Detail, MaxDetail)));
            }

            if (r.Known is { } known)
            {
                md.Append(r.Stale ? " — listed as known: " : " — known issue: ").Append(Escape.MarkdownText(Escape.Truncate(known.Reason, MaxDetail)));
                if (IsWebLink(known.Link))
                {
                    md.Append(" ([link](<").Append(known.Link!.Replace(">", "%3E", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal)).Append(">))");
                }
            }

            md.Append('\n');
            if (!string.IsNullOrEmpty(r.Diff))
            {
                var lines = r.Diff.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
                var shown = string.Join("\n", lines.Take(MaxDiffLines).Select(Escape.Visible));
                if (lines.Length > MaxDiffLines)
                {
                    shown += string.Create(CultureInfo.InvariantCulture, $"\n… {lines.Length - MaxDiffLines} more lines in report.html");
                }

                // An HTML <pre> rather than a fenced block: its content is escaped, so it stays inert
                // in every Markdown renderer, not only in GitHub's.
                md.Append("\n  <details><summary>diff</summary>\n  <pre>").Append(Escape.Html(shown)).Append("</pre>\n  </details>\n\n");
            }
        }

        if (groups.Count > MaxListed)
        {
            md.Append("\n… and ").Append((groups.Count - MaxListed).ToString(CultureInfo.InvariantCulture))
              .Append(" more: see report.html or results.json.\n");
        }
    }

    internal static bool IsWebLink(string? link) =>
        link is not null
        && (link.StartsWith("https://", StringComparison.Ordinal) || link.StartsWith("http://", StringComparison.Ordinal))
        && !link.Any(char.IsWhiteSpace);

    private static string TallyPhrase(Tally t)
    {
        var parts = ReportView.OutcomeOrder.Where(o => t[o] > 0)
            .Select(o => string.Create(CultureInfo.InvariantCulture, $"{t[o]} {ReportView.Label(o)}")).ToList();
        if (t.Stale > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{t.Stale} stale"));
        }

        return parts.Count == 0 ? "no results" : string.Join(" · ", parts);
    }

    private static void AppendTallyHeader(StringBuilder md, string first)
    {
        md.Append("| ").Append(first).Append(" | ✅ PASS | ❌ FAIL | 🟡 KNOWN | 🔷 DEVIATION | ⬜ MISSING | ❗ stale | total |\n");
        md.Append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
    }

    private static void AppendTallyRow(StringBuilder md, string label, Tally t)
    {
        md.Append("| ").Append(label).Append(" |");
        foreach (var o in ReportView.OutcomeOrder)
        {
            md.Append(' ').Append(t[o].ToString(CultureInfo.InvariantCulture)).Append(" |");
        }

        md.Append(' ').Append(t.Stale.ToString(CultureInfo.InvariantCulture)).Append(" | ")
          .Append(t.Count.ToString(CultureInfo.InvariantCulture)).Append(" |\n");
    }
}
