namespace Conformance.Cli;

/// <summary>The report tool's exit codes (the same for a run and for <c>merge</c>).</summary>
public static class ExitCodes
{
    /// <summary>Nothing FAILs, no known issue is stale, every target ran, nothing got worse since the baseline.</summary>
    public const int Ok = 0;

    /// <summary>A FAIL, a stale known issue, or a target that could not run.</summary>
    public const int Failed = 1;

    /// <summary>A bad command line or an unreadable input; nothing was written.</summary>
    public const int Usage = 2;

    /// <summary>Something got worse since <c>--baseline</c> (takes precedence over <see cref="Failed"/>).</summary>
    public const int Regression = 3;

    /// <summary><c>merge</c>: the inputs cannot be joined (another catalog or library without <c>--force</c>, results that disagree, a shard missing).</summary>
    public const int MergeConflict = 4;
}
