using Conformance.Cli.Results;

namespace Conformance.Cli.Running;

/// <summary>What a cell found for one case, before known issues are applied.</summary>
public sealed record CellVerdict
{
    /// <summary>PASS, NON-STRICT, FAIL, DEVIATION, MISSING or NOT RUN (KNOWN is decided later, from known-issues.json).</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>No HTTP answer came at all (refused, reset, timed out): the runner then checks that the target is still alive.</summary>
    public bool Unanswered { get; init; }

    /// <summary>The methods this exchange proved the server has (<see cref="Judge.AnsweredMethods"/>).</summary>
    public IReadOnlyList<string> AnsweredMethods { get; init; } = [];

    /// <summary>What happened, for a reader.</summary>
    public string? Detail { get; init; }

    /// <summary>Unified diff of expected vs actual bytes.</summary>
    public string? Diff { get; init; }

    /// <summary>Request XML as sent.</summary>
    public string? Request { get; init; }

    /// <summary>Response XML as received.</summary>
    public string? Response { get; init; }

    /// <summary>Milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>A PASS.</summary>
    public static CellVerdict Pass(string? detail = null) => new() { Outcome = Outcome.Pass, Detail = detail };

    /// <summary>A FAIL.</summary>
    public static CellVerdict Fail(string detail, string? diff = null) => new() { Outcome = Outcome.Fail, Detail = detail, Diff = diff };

    /// <summary>A DEVIATION.</summary>
    public static CellVerdict Deviation(string detail, string? diff = null) => new() { Outcome = Outcome.Deviation, Detail = detail, Diff = diff };

    /// <summary>A MISSING.</summary>
    public static CellVerdict Missing(string detail) => new() { Outcome = Outcome.Missing, Detail = detail };

    /// <summary>A NOT RUN.</summary>
    public static CellVerdict NotRun(string reason) => new() { Outcome = Outcome.NotRun, Detail = reason };

    /// <summary>The judge's verdict on an observation of <paramref name="testCase"/>.</summary>
    public static CellVerdict From(CatalogCase testCase, Verdict verdict, CaseObservation observation)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(observation);
        return new()
        {
            Outcome = verdict.Outcome,
            Detail = verdict.Detail.Length == 0 ? null : verdict.Detail,
            Unanswered = !observation.Answered && observation.Status is null && observation.Error is not { Status: not null } && observation.SendError is null,
            AnsweredMethods = [.. Judge.AnsweredMethods(testCase, observation)],
        };
    }
}


/// <summary>The wire cells: our writer and parser against the CPython-made golden tree (no network).</summary>
public interface IWireChecks
{
    /// <summary>Our writer vs the golden request/response bytes; null when the cell does not apply to the case.</summary>
    CellVerdict? CheckWriter(CatalogCase testCase);

    /// <summary>Our parser vs CPython's recorded decode; null when the cell does not apply.</summary>
    CellVerdict? CheckParser(CatalogCase testCase);
}

/// <summary>Runs one live case with our C# client against a server URL and judges the outcome.</summary>
public interface ILiveCaseRunner
{
    /// <summary>Runs <paramref name="testCase"/> against <paramref name="server"/> and judges it in <paramref name="context"/>.</summary>
    Task<CellVerdict> RunAsync(CatalogCase testCase, Uri server, JudgeContext context, CancellationToken cancellationToken);
}

/// <summary>A running server the report talks to.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>Its endpoint (<c>http://127.0.0.1:PORT/RPC2</c>).</summary>
    Uri Url { get; }

    /// <summary>The program serving it when it runs as a process of its own (<c>--server-exe</c>); null in this process.</summary>
    string? Executable => null;
}

/// <summary>Starts our C# conformance service: in this process, or a published build of it (<c>--server-exe</c>).</summary>
public interface IOurServerHost
{
    /// <summary>Starts it on a free loopback port.</summary>
    Task<IRunningServer> StartAsync(CancellationToken cancellationToken);
}

/// <summary>The C# implementation parts the report exercises; null members are not available in this build.</summary>
public sealed record Implementation
{
    /// <summary>Wire checks.</summary>
    public IWireChecks? Wire { get; init; }

    /// <summary>Our client, driving live cases.</summary>
    public ILiveCaseRunner? Client { get; init; }

    /// <summary>Our server host.</summary>
    public IOurServerHost? Server { get; init; }
}
