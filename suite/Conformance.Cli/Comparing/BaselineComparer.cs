using System.Globalization;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;

namespace Conformance.Cli.Comparing;

/// <summary>
/// Compares a run with a previous one (<c>--baseline</c>): what got worse fails the run, what got better is listed.
/// </summary>
/// <remarks>
/// <para>The order of outcomes, per (case, cell) result:</para>
/// <list type="number">
/// <item>Becoming FAIL or NOT RUN is always worse (NOT RUN hides whatever the case would show, so FAIL → NOT RUN is too).</item>
/// <item>Leaving FAIL or NOT RUN for anything else is better.</item>
/// <item>Otherwise by rank, lower is better: PASS 0; NON-STRICT and DEVIATION 1 (an accepted answer that is not CPython's);
/// KNOWN 2 (a failure a known issue explains); MISSING 3 (the target lacks what the case needs). Equal ranks
/// (NON-STRICT ↔ DEVIATION) are a change, neither better nor worse.</item>
/// </list>
/// <para>A stale known issue is a PASS here (its own exit code already fails the run). A result the baseline had and this
/// run lacks, while its case is selected and its cell ran, is worse (<c>absent</c>). A result this run has and the baseline
/// lacked is new: only a new FAIL is worse. A target that ran in the baseline and is absent or could not run now is worse,
/// once for the target: its cells' absent and NOT RUN results are counted in that entry instead of listed one by one.</para>
/// <para>Only cases of this run's selection are compared (<c>--case</c>, <c>--shard</c>): a baseline result for a case this
/// run did not select is counted as outside the selection, never as lost.</para>
/// </remarks>
public static class BaselineComparer
{
    /// <summary>The rank of an outcome that is neither FAIL nor NOT RUN (lower is better).</summary>
    public static int Rank(Outcome outcome) => outcome switch
    {
        Outcome.Pass => 0,
        Outcome.NonStrict or Outcome.Deviation => 1,
        Outcome.Known => 2,
        Outcome.Missing => 3,
        _ => 4,
    };

    /// <summary>Negative when <paramref name="after"/> is better than <paramref name="before"/>, positive when worse, zero when of equal rank.</summary>
    public static int Direction(Outcome before, Outcome after)
    {
        if (before == after)
        {
            return 0;
        }

        if (after is Outcome.Fail or Outcome.NotRun)
        {
            return 1;
        }

        if (before is Outcome.Fail or Outcome.NotRun)
        {
            return -1;
        }

        return Rank(after).CompareTo(Rank(before));
    }

    /// <summary>Compares <paramref name="current"/> with <paramref name="baseline"/> (read from <paramref name="baselineFile"/>).</summary>
    public static BaselineComparison Compare(ResultsDocument baseline, ResultsDocument current, string baselineFile)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var selected = current.Cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var nowCells = current.Cells.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var nowTargets = current.Metadata.Targets.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var nowResults = current.Results.ToDictionary(r => (r.Case, r.Cell));
        var thenCells = baseline.Cells.ToDictionary(c => c.Id, StringComparer.Ordinal);

        // Targets that ran then and not now: one entry each, standing for their cells' absent and NOT RUN results.
        var lost = new Dictionary<string, (TargetInfo Then, TargetInfo? Now, int Results)>(StringComparer.Ordinal);
        foreach (var then in baseline.Metadata.Targets.Where(t => t.Error is null))
        {
            nowTargets.TryGetValue(then.Id, out var now);
            if (now is null || now.Error is not null)
            {
                lost[then.Id] = (then, now, 0);
            }
        }

        List<BaselineChange> worse = [], better = [], changed = [];
        int compared = 0, outside = 0;
        foreach (var then in baseline.Results)
        {
            if (!selected.Contains(then.Case))
            {
                outside++;
                continue;
            }

            compared++;
            nowResults.TryGetValue((then.Case, then.Cell), out var now);
            var target = thenCells.TryGetValue(then.Cell, out var cell) ? cell.Target : null;
            if (target is not null && lost.TryGetValue(target, out var entry) && (now is null || now.Outcome == Outcome.NotRun))
            {
                lost[target] = entry with { Results = entry.Results + 1 };
                continue;
            }

            if (now is null)
            {
                worse.Add(new BaselineChange
                {
                    Case = then.Case,
                    Cell = then.Cell,
                    Before = ReportView.Label(then.Outcome),
                    After = "absent",
                    Detail = nowCells.ContainsKey(then.Cell) ? "the cell ran but has no result for this case" : "this run has no such cell",
                });
                continue;
            }

            if (then.Outcome == now.Outcome)
            {
                continue;
            }

            var direction = Direction(then.Outcome, now.Outcome);
            var change = new BaselineChange { Case = now.Case, Cell = now.Cell, Before = ReportView.Label(then.Outcome), After = ReportView.Label(now.Outcome), Detail = now.Detail };
            (direction > 0 ? worse : direction < 0 ? better : changed).Add(change);
        }

        var baselineKeys = baseline.Results.Select(r => (r.Case, r.Cell)).ToHashSet();
        var fresh = current.Results.Where(r => !baselineKeys.Contains((r.Case, r.Cell))).ToList();
        worse.AddRange(fresh.Where(r => r.Outcome == Outcome.Fail).Select(r => new BaselineChange
        {
            Case = r.Case,
            Cell = r.Cell,
            Before = "none",
            After = ReportView.Label(r.Outcome),
            Detail = r.Detail,
        }));

        var targets = lost.Values.Select(t => new BaselineChange
        {
            Target = t.Then.Id,
            Before = "ran",
            After = t.Now is null ? "absent" : "could not run",
            Detail = (t.Now?.Error is { } error ? error : "this run has no such target")
                + string.Create(CultureInfo.InvariantCulture, $" ({t.Results} baseline result{(t.Results == 1 ? "" : "s")} of its cells absent or NOT RUN)"),
        });

        return new BaselineComparison
        {
            File = baselineFile,
            StartedUtc = baseline.Metadata.StartedUtc,
            Library = baseline.Metadata.Library.Version,
            CatalogHash = baseline.Metadata.Catalog.Hash,
            Compared = compared,
            OutsideSelection = outside,
            New = fresh.Count,
            Regressions = [.. targets.OrderBy(t => t.Target, StringComparer.Ordinal), .. Ordered(worse)],
            Improvements = Ordered(better),
            Changes = Ordered(changed),
            Notes = Notes(baseline, current) is { Count: > 0 } notes ? notes : null,
        };
    }

    private static List<BaselineChange> Ordered(List<BaselineChange> changes) =>
        [.. changes.OrderBy(c => c.Case, StringComparer.Ordinal).ThenBy(c => c.Cell, StringComparer.Ordinal)];

    private static List<string> Notes(ResultsDocument baseline, ResultsDocument current)
    {
        var notes = new List<string>();
        if (baseline.Metadata.Catalog.Hash != current.Metadata.Catalog.Hash)
        {
            notes.Add($"the catalog changed since the baseline ({baseline.Metadata.Catalog.Hash[..Math.Min(15, baseline.Metadata.Catalog.Hash.Length)]}… → {current.Metadata.Catalog.Hash[..Math.Min(15, current.Metadata.Catalog.Hash.Length)]}…): a changed case may change its outcome");
        }

        if (baseline.Metadata.Library.Version != current.Metadata.Library.Version)
        {
            notes.Add($"library {baseline.Metadata.Library.Version} → {current.Metadata.Library.Version}");
        }

        return notes;
    }
}
