using System.Globalization;
using System.Text;
using Conformance.Cli.Results;

namespace Conformance.Cli.Rendering;

/// <summary>
/// What every renderer derives from a <see cref="ResultsDocument"/>: lookups, totals and labels.
/// Derived here once so the Markdown, HTML, JUnit and console outputs cannot disagree.
/// </summary>
public sealed class ReportView
{
    /// <summary>Outcomes in report order.</summary>
    public static IReadOnlyList<Outcome> OutcomeOrder { get; } =
        [Outcome.Pass, Outcome.NonStrict, Outcome.Fail, Outcome.Known, Outcome.Deviation, Outcome.Missing, Outcome.NotRun];

    private readonly Dictionary<(string Case, string Cell), CellResult> _byCaseCell;

    /// <summary>Builds the view of <paramref name="document"/> (sorted first).</summary>
    public ReportView(ResultsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = document.Sorted();
        _byCaseCell = [];
        foreach (var r in Document.Results)
        {
            _byCaseCell[(r.Case, r.Cell)] = r;
        }

        Areas = [.. Document.Cases.Select(c => c.Area).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        CasesByArea = Document.Cases.GroupBy(c => c.Area, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CaseInfo>)[.. g], StringComparer.Ordinal);
        CellTotals = Document.Cells.ToDictionary(
            c => c.Id, c => Tally(Document.Results.Where(r => r.Cell == c.Id)), StringComparer.Ordinal);
        var areaOfCase = Document.Cases.ToDictionary(c => c.Id, c => c.Area, StringComparer.Ordinal);
        AreaTotals = Areas.ToDictionary(
            a => a,
            a => Tally(Document.Results.Where(r => areaOfCase.TryGetValue(r.Case, out var x) && x == a)),
            StringComparer.Ordinal);
        Total = Tally(Document.Results);
        CellsById = Document.Cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        TargetsById = Document.Metadata.Targets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        TargetErrors = [.. Document.Metadata.Targets.Where(t => t.Error is not null)];
    }

    /// <summary>The (sorted) document.</summary>
    public ResultsDocument Document { get; }

    /// <summary>Areas, ordered.</summary>
    public IReadOnlyList<string> Areas { get; }

    /// <summary>Cases of each area, ordered by id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CaseInfo>> CasesByArea { get; }

    /// <summary>Totals per cell id.</summary>
    public IReadOnlyDictionary<string, Tally> CellTotals { get; }

    /// <summary>Totals per area (over all cells).</summary>
    public IReadOnlyDictionary<string, Tally> AreaTotals { get; }

    /// <summary>Totals over everything.</summary>
    public Tally Total { get; }

    /// <summary>Cells by id.</summary>
    public IReadOnlyDictionary<string, CellInfo> CellsById { get; }

    /// <summary>Targets by id.</summary>
    public IReadOnlyDictionary<string, TargetInfo> TargetsById { get; }

    /// <summary>Targets that could not take part (a peer that did not start, an unreachable server...), in document order.</summary>
    public IReadOnlyList<TargetInfo> TargetErrors { get; }

    /// <summary>
    /// True when the run has results, no FAIL, no stale known issue and every target ran (exit code 0).
    /// A target that could not run leaves no result to fail, so it fails the run by itself.
    /// </summary>
    public bool Succeeded => Total.Count > 0 && Total[Outcome.Fail] == 0 && Total.Stale == 0 && TargetErrors.Count == 0 && Regressions == 0;

    /// <summary>What got worse since the baseline (<see cref="ResultsDocument.Baseline"/>); 0 without one.</summary>
    public int Regressions => Document.Baseline?.Regressions.Count ?? 0;

    /// <summary>The result of a case in a cell, or null when the cell does not apply to the case.</summary>
    public CellResult? Find(string caseId, string cellId) =>
        _byCaseCell.TryGetValue((caseId, cellId), out var r) ? r : null;

    /// <summary>Results that need a reader's attention: everything but a plain PASS.</summary>
    public IEnumerable<CellResult> NotPassing => Document.Results.Where(r => r.Outcome != Outcome.Pass || r.Stale);

    /// <summary>
    /// The one "not passing" count every rendering shows: results (a case in a cell), the cases they belong to, and the
    /// lines a list groups them into (a case's identical results across cells read as one line).
    /// </summary>
    public string NotPassingCount() => NotPassingCount(NotPassingLines.Count);

    /// <summary>
    /// The not-passing list both renderings show: one line per case and outcome with the same detail, diff and reason,
    /// listing the cells it happened in; FAIL first (<see cref="ListOrder"/>), then by case id.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<CellResult>> NotPassingLines =>
        _notPassingLines ??= [.. NotPassing
            .GroupBy(r => (r.Case, r.Outcome, r.Stale, r.Detail, r.Diff, Reason: r.Known?.Reason))
            .Select(g => (IReadOnlyList<CellResult>)[.. g])
            .OrderBy(g => ListOrder(g[0]))
            .ThenBy(g => g[0].Case, StringComparer.Ordinal)];

    private IReadOnlyList<IReadOnlyList<CellResult>>? _notPassingLines;

    private string NotPassingCount(int lines)
    {
        var results = NotPassing.ToList();
        var cases = results.Select(r => r.Case).Distinct(StringComparer.Ordinal).Count();
        return string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} result{(results.Count == 1 ? "" : "s")} in {cases} case{(cases == 1 ? "" : "s")}, {lines} line{(lines == 1 ? "" : "s")}");
    }

    /// <summary>Title of a cell id (the id itself if unknown).</summary>
    public string CellTitle(string cellId) => CellsById.TryGetValue(cellId, out var c) ? c.Title : cellId;

    /// <summary>One-line verdict: "2 FAIL, 1 stale known issue, 1 target could not run" or "no failures".</summary>
    public string Verdict()
    {
        var parts = new List<string>();
        if (Total[Outcome.Fail] > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Total[Outcome.Fail]} FAIL"));
        }

        if (Total.Stale > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Total.Stale} stale known issue{(Total.Stale == 1 ? "" : "s")}"));
        }

        if (TargetErrors.Count > 0)
        {
            parts.Add(TargetsCouldNotRun(TargetErrors.Count));
        }

        if (Regressions > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Regressions} worse than the baseline"));
        }

        if (Total.Count == 0)
        {
            return parts.Count == 0 ? "no results: nothing ran" : "no results: " + string.Join(", ", parts);
        }

        return parts.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no failures: {Total.Count} results, every non-PASS explained")
            : string.Join(", ", parts);
    }

    /// <summary>Text label of an outcome (<c>PASS</c>, <c>DEVIATION</c>...).</summary>
    public static string Label(Outcome outcome) => outcome switch
    {
        Outcome.Pass => "PASS",
        Outcome.Fail => "FAIL",
        Outcome.Known => "KNOWN",
        Outcome.Deviation => "DEVIATION",
        Outcome.Missing => "MISSING",
        Outcome.NonStrict => "NON-STRICT",
        Outcome.NotRun => "NOT RUN",
        _ => outcome.ToString().ToUpperInvariant(),
    };

    /// <summary>Where a non-passing result is listed: FAIL first, then stale known issues, MISSING and NOT RUN, KNOWN, the rest.</summary>
    public static int ListOrder(CellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Stale ? 1 : result.Outcome switch
        {
            Outcome.Fail => 0,
            Outcome.Missing or Outcome.NotRun => 2,
            Outcome.Known => 3,
            Outcome.NonStrict => 4,
            _ => 5,
        };
    }

    /// <summary>Counts per outcome for a set of results.</summary>
    public static Tally Tally(IEnumerable<CellResult> results)
    {
        var counts = new int[OutcomeOrder.Count];
        var stale = 0;
        foreach (var r in results)
        {
            counts[(int)r.Outcome]++;
            if (r.Stale)
            {
                stale++;
            }
        }

        return new Tally(counts, stale);
    }

    /// <summary>The run's metadata as "name: value" lines, in a fixed order.</summary>
    public IReadOnlyList<(string Name, string Value)> MetadataLines()
    {
        var m = Document.Metadata;
        var lines = new List<(string, string)>
        {
            ("date (UTC)", m.StartedUtc),
            ("library", $"{m.Library.Name} {m.Library.Version}"),
            ("catalog", string.Create(CultureInfo.InvariantCulture,
                $"{m.Catalog.Hash} ({m.Catalog.Cases} cases, {m.Catalog.Selected} selected{(m.Catalog.Filters is { Count: > 0 } f ? ": " + string.Join(" ", f) : "")})")),
            ("machine", $"{m.Machine.Os}, {m.Machine.Architecture}, {m.Machine.Processors.ToString(CultureInfo.InvariantCulture)} CPUs, {m.Machine.Runtime}"),
            ("peers", m.PeerMode ?? "none"),
            ("duration", m.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"),
        };
        if (m.Shard is not null)
        {
            lines.Add(("shard", $"{m.Shard} (of the selected cases, round-robin in id order)"));
        }

        if (!string.IsNullOrEmpty(m.Command))
        {
            lines.Add(("command", m.Command));
        }

        return lines;
    }

    /// <summary>"Since baseline (2026-11-24T07:00:00Z, library 1.0.0): 2 worse, 3 better, 1 changed; 512 results compared, 0 outside this selection, 4 new".</summary>
    public static string SinceBaselinePhrase(BaselineComparison since)
    {
        ArgumentNullException.ThrowIfNull(since);
        return string.Create(CultureInfo.InvariantCulture,
            $"since the baseline {since.File} ({since.StartedUtc}, library {since.Library}): {since.Regressions.Count} worse, {since.Improvements.Count} better, {since.Changes.Count} changed; {since.Compared} results compared, {since.OutsideSelection} outside this run's selection, {since.New} new");
    }

    /// <summary>One change as a line: <c>value.int.max [cs→py 3.11.7]: PASS → FAIL — detail</c>, or a target's.</summary>
    public string ChangeLine(BaselineChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var what = change.Case is null ? $"target {change.Target}" : $"{change.Case} [{CellTitle(change.Cell!)}]";
        return $"{what}: {change.Before} → {change.After}" + (string.IsNullOrEmpty(change.Detail) ? "" : " — " + Escape.Truncate(change.Detail, 160));
    }

    /// <summary>How a target ran, in one phrase (interpreter path, image and id, URL, command).</summary>
    public static string TargetWhere(TargetInfo t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var sb = new StringBuilder(t.Kind);
        if (t.Executable is not null)
        {
            sb.Append(' ').Append(t.Executable);
        }

        if (t.Image is not null)
        {
            sb.Append(' ').Append(t.Image);
            if (t.ImageId is not null)
            {
                sb.Append(" (").Append(t.ImageId).Append(')');
            }
        }

        if (t.Url is not null)
        {
            sb.Append(' ').Append(t.Url);
        }

        if (t.Command is not null)
        {
            sb.Append(' ').Append(t.Command);
        }

        return sb.ToString();
    }

    /// <summary>"1 target could not run", "2 targets could not run".</summary>
    public static string TargetsCouldNotRun(int n) =>
        n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " target" : " targets") + " could not run";

    /// <summary>"1 case", "7 cases".</summary>
    public static string Cases(int n) => n.ToString(CultureInfo.InvariantCulture) + (n == 1 ? " case" : " cases");

    /// <summary>Milliseconds as report text (<c>1.2 ms</c>).</summary>
    public static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}

/// <summary>Counts per outcome, plus stale known issues (which are PASS results).</summary>
public sealed class Tally(int[] counts, int stale)
{
    /// <summary>Count of <paramref name="outcome"/>.</summary>
    public int this[Outcome outcome] => counts[(int)outcome];

    /// <summary>PASS results whose known issue no longer reproduces.</summary>
    public int Stale { get; } = stale;

    /// <summary>All results.</summary>
    public int Count => counts.Sum();
}
