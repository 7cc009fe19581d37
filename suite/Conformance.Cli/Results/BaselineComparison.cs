namespace Conformance.Cli.Results;

/// <summary>
/// What changed between a previous run (<c>--baseline results.json</c>) and this one, per (case, cell) result and per
/// target. Written into results.json so that every rendering (and <c>--render</c> later) shows the same list.
/// </summary>
/// <remarks>
/// Only the cases of this run's selection are compared (its <c>--case</c> globs and <c>--shard</c>): a baseline result
/// whose case this run did not select is counted in <see cref="OutsideSelection"/>, never reported as lost.
/// </remarks>
public sealed record BaselineComparison
{
    /// <summary>The baseline file as given on the command line.</summary>
    public required string File { get; init; }

    /// <summary>When the baseline run started (its <see cref="RunMetadata.StartedUtc"/>).</summary>
    public required string StartedUtc { get; init; }

    /// <summary>The library version the baseline ran.</summary>
    public required string Library { get; init; }

    /// <summary>The catalog hash the baseline ran.</summary>
    public required string CatalogHash { get; init; }

    /// <summary>Baseline results compared with this run's (their case is in this run's selection).</summary>
    public int Compared { get; init; }

    /// <summary>Baseline results not compared: their case is not in this run's selection (another shard, a narrower <c>--case</c>, a retired case).</summary>
    public int OutsideSelection { get; init; }

    /// <summary>This run's results with no baseline counterpart (a new case, cell or target); only a new FAIL among them is a regression.</summary>
    public int New { get; init; }

    /// <summary>What got worse; any entry makes the run exit with <see cref="ExitCodes.Regression"/>.</summary>
    public required IReadOnlyList<BaselineChange> Regressions { get; init; }

    /// <summary>What got better; listed, never fails the run.</summary>
    public required IReadOnlyList<BaselineChange> Improvements { get; init; }

    /// <summary>Changes of equal rank (NON-STRICT ↔ DEVIATION); listed, never fails the run.</summary>
    public required IReadOnlyList<BaselineChange> Changes { get; init; }

    /// <summary>Differences of the two runs' setup a reader should weigh (another catalog, another library version).</summary>
    public IReadOnlyList<string>? Notes { get; init; }
}

/// <summary>One change since the baseline: a result of a case in a cell, or a whole target.</summary>
public sealed record BaselineChange
{
    /// <summary>The case id; null for a target entry.</summary>
    public string? Case { get; init; }

    /// <summary>The cell id; null for a target entry.</summary>
    public string? Cell { get; init; }

    /// <summary>The target id, for a target entry.</summary>
    public string? Target { get; init; }

    /// <summary>Before: an outcome label (<c>PASS</c>, <c>NOT RUN</c>...), <c>ran</c> for a target, <c>none</c> when the baseline had no such result.</summary>
    public required string Before { get; init; }

    /// <summary>Now: an outcome label, <c>absent</c> (no result, no target), or <c>could not run</c> for a target.</summary>
    public required string After { get; init; }

    /// <summary>Why, for a reader: the current result's detail, or the target's error.</summary>
    public string? Detail { get; init; }
}
