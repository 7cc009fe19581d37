using System.Globalization;
using System.Text;
using System.Xml;
using Conformance.Cli.Results;

namespace Conformance.Cli.Rendering;

/// <summary>
/// <c>junit.xml</c>: one <c>testsuite</c> per cell, one <c>testcase</c> per case in it.
/// FAIL is a failure, MISSING is skipped, KNOWN and DEVIATION pass with a system-out note, and a
/// stale known issue is a failure (the run's exit code fails on it too). A target that could not run
/// (a peer that did not start, a <c>--server</c> that refused the connection) has no results to fail,
/// so it is a failing testcase of its own in a <c>targets</c> testsuite: CI cannot show it as green. With
/// <c>--baseline</c>, each change for the worse is a failing testcase of a <c>baseline</c> testsuite.
/// </summary>
public static class JUnitRenderer
{
    /// <summary>The testcase name of a target that could not run.</summary>
    public const string TargetErrorCaseName = "target could not run";

    /// <summary>The testcase name of a target that ran in the baseline and not now.</summary>
    public const string RegressionTargetCaseName = "target lost since the baseline";

    /// <summary>Renders the document.</summary>
    public static string Render(ResultsDocument document)
    {
        var view = new ReportView(document);
        var doc = view.Document;
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = false,
        };
        var sb = new StringBuilder();
        using (var sw = new Utf8StringWriter(sb))
        using (var x = XmlWriter.Create(sw, settings))
        {
            x.WriteStartDocument();
            x.WriteStartElement("testsuites");
            x.WriteAttributeString("name", "xmlrpc-conformance");
            WriteCounts(x, view.Total, doc.Results.Sum(r => r.DurationMs), view.TargetErrors.Count + view.Regressions);
            x.WriteAttributeString("timestamp", doc.Metadata.StartedUtc);
            if (view.TargetErrors.Count > 0)
            {
                WriteTargetErrors(x, view);
            }

            if (view.Regressions > 0)
            {
                WriteRegressions(x, view);
            }

            foreach (var cell in doc.Cells)
            {
                var results = doc.Results.Where(r => r.Cell == cell.Id).ToList();
                x.WriteStartElement("testsuite");
                x.WriteAttributeString("name", Escape.XmlSafe(cell.Id));
                WriteCounts(x, view.CellTotals[cell.Id], results.Sum(r => r.DurationMs));
                x.WriteAttributeString("timestamp", doc.Metadata.StartedUtc);
                x.WriteStartElement("properties");
                WriteProperty(x, "description", cell.Description);
                WriteProperty(x, "kind", cell.Kind);
                if (cell.Target is not null && view.TargetsById.TryGetValue(cell.Target, out var t))
                {
                    WriteProperty(x, "target", t.Label);
                    WriteProperty(x, "target.where", ReportView.TargetWhere(t));
                    if (t.Build is not null)
                    {
                        WriteProperty(x, "target.build", t.Build);
                    }
                }

                WriteProperty(x, "library", doc.Metadata.Library.Name + " " + doc.Metadata.Library.Version);
                WriteProperty(x, "catalog", doc.Metadata.Catalog.Hash);
                x.WriteEndElement();
                foreach (var r in results)
                {
                    WriteCase(x, r);
                }

                x.WriteEndElement();
            }

            x.WriteEndElement();
            x.WriteEndDocument();
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>One failing testcase per target that could not run: classname the target id, the error as the message.</summary>
    private static void WriteTargetErrors(XmlWriter x, ReportView view) =>
        WriteFailureSuite(x, view, "targets", "targets that could not run (a peer that did not start, a server that did not answer)", "TARGET",
            [.. view.TargetErrors.Select(t => (t.Id, TargetErrorCaseName, t.Error, t.Label + " (" + ReportView.TargetWhere(t) + ") could not run: " + t.Error))]);

    /// <summary>One failing testcase per change for the worse since the baseline: classname the cell (or target), name the case.</summary>
    private static void WriteRegressions(XmlWriter x, ReportView view) =>
        WriteFailureSuite(x, view, "baseline", "what got worse since " + view.Document.Baseline!.File, "WORSE",
            [.. view.Document.Baseline.Regressions.Select(c => (c.Cell ?? c.Target ?? "", c.Case ?? RegressionTargetCaseName, (string?)$"{c.Before} → {c.After}", view.ChangeLine(c)))]);

    private static void WriteFailureSuite(XmlWriter x, ReportView view, string name, string description, string type,
        IReadOnlyList<(string ClassName, string Name, string? Message, string Text)> failures)
    {
        var count = failures.Count.ToString(CultureInfo.InvariantCulture);
        x.WriteStartElement("testsuite");
        x.WriteAttributeString("name", name);
        x.WriteAttributeString("tests", count);
        x.WriteAttributeString("failures", count);
        x.WriteAttributeString("errors", "0");
        x.WriteAttributeString("skipped", "0");
        x.WriteAttributeString("time", Seconds(0));
        x.WriteAttributeString("timestamp", view.Document.Metadata.StartedUtc);
        x.WriteStartElement("properties");
        WriteProperty(x, "description", description);
        x.WriteEndElement();
        foreach (var f in failures)
        {
            x.WriteStartElement("testcase");
            x.WriteAttributeString("classname", Escape.XmlSafe(f.ClassName));
            x.WriteAttributeString("name", Escape.XmlSafe(f.Name));
            x.WriteAttributeString("time", Seconds(0));
            x.WriteStartElement("failure");
            x.WriteAttributeString("type", type);
            x.WriteAttributeString("message", Escape.XmlSafe(Escape.Truncate(f.Message, 500)));
            x.WriteString(Escape.XmlSafe(f.Text));
            x.WriteEndElement();
            x.WriteEndElement();
        }

        x.WriteEndElement();
    }

    private static void WriteCase(XmlWriter x, CellResult r)
    {
        x.WriteStartElement("testcase");
        x.WriteAttributeString("classname", Escape.XmlSafe(r.Cell));
        x.WriteAttributeString("name", Escape.XmlSafe(r.Case));
        x.WriteAttributeString("time", Seconds(r.DurationMs));
        var body = Body(r);
        if (r.Stale)
        {
            x.WriteStartElement("failure");
            x.WriteAttributeString("type", "STALE");
            x.WriteAttributeString("message", Escape.XmlSafe(Escape.Truncate(
                "passed, but fixtures/known-issues.json lists it as a known issue: remove the entry. " + r.Known?.Reason, 500)));
            x.WriteString(Escape.XmlSafe(body));
            x.WriteEndElement();
        }
        else
        {
            switch (r.Outcome)
            {
                case Outcome.Fail:
                    x.WriteStartElement("failure");
                    x.WriteAttributeString("type", "FAIL");
                    x.WriteAttributeString("message", Escape.XmlSafe(Escape.Truncate(r.Detail ?? "failed", 500)));
                    x.WriteString(Escape.XmlSafe(body));
                    x.WriteEndElement();
                    break;
                case Outcome.Missing:
                case Outcome.NotRun:
                    x.WriteStartElement("skipped");
                    x.WriteAttributeString("message", Escape.XmlSafe(Escape.Truncate(ReportView.Label(r.Outcome) + ": " + (r.Detail ?? "not implemented by the target"), 500)));
                    x.WriteEndElement();
                    break;
                case Outcome.Known:
                case Outcome.Deviation:
                case Outcome.NonStrict:
                    x.WriteElementString("system-out", Escape.XmlSafe(ReportView.Label(r.Outcome) + ": " + body));
                    break;
                default:
                    break;
            }
        }

        x.WriteEndElement();
    }

    private static string Body(CellResult r)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(r.Detail))
        {
            parts.Add(r.Detail);
        }

        if (r.Known is { } k)
        {
            parts.Add("known issue: " + k.Reason + (k.Link is null ? "" : " " + k.Link));
        }

        if (!string.IsNullOrEmpty(r.Diff))
        {
            parts.Add(r.Diff);
        }

        return string.Join("\n\n", parts);
    }

    private static void WriteCounts(XmlWriter x, Tally t, double ms, int extraFailures = 0)
    {
        x.WriteAttributeString("tests", (t.Count + extraFailures).ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("failures", (t[Outcome.Fail] + t.Stale + extraFailures).ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("errors", "0");
        x.WriteAttributeString("skipped", (t[Outcome.Missing] + t[Outcome.NotRun]).ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("time", Seconds(ms));
    }

    private static void WriteProperty(XmlWriter x, string name, string value)
    {
        x.WriteStartElement("property");
        x.WriteAttributeString("name", name);
        x.WriteAttributeString("value", Escape.XmlSafe(value));
        x.WriteEndElement();
    }

    private static string Seconds(double ms) => (ms / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
