using Conformance.Cli.Results;

namespace Conformance.Cli.Running;

/// <summary>What a cell found for one case, before known issues are applied.</summary>
public sealed record CellVerdict
{
    /// <summary>PASS, FAIL, DEVIATION or MISSING (KNOWN is decided later, from known-issues.json).</summary>
    public required Outcome Outcome { get; init; }

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
}

/// <summary>Who answers on the server side of a live cell: decides which expectation applies.</summary>
public enum ServerKind
{
    /// <summary>Our C# conformance service: a case's <c>deviation.expect</c> replaces its <c>expect</c>.</summary>
    Ours,

    /// <summary>A CPython conformance peer (python-peers/server.py): the case's <c>expect</c>.</summary>
    CPython,

    /// <summary>Any server (<c>--server</c>): <c>expect</c>, and what it lacks is MISSING.</summary>
    Foreign,
}

/// <summary>The wire cells: our writer and parser against the CPython-made golden tree (no network).</summary>
public interface IWireChecks
{
    /// <summary>Our writer vs the golden request/response bytes; null when the cell does not apply to the case.</summary>
    CellVerdict? CheckWriter(CaseEntry testCase);

    /// <summary>Our parser vs CPython's recorded decode; null when the cell does not apply.</summary>
    CellVerdict? CheckParser(CaseEntry testCase);
}

/// <summary>Runs one live case with our C# client against a server URL and judges the outcome.</summary>
public interface ILiveCaseRunner
{
    /// <summary>Runs <paramref name="testCase"/> against <paramref name="server"/>.</summary>
    Task<CellVerdict> RunAsync(CaseEntry testCase, Uri server, ServerKind serverKind, CancellationToken cancellationToken);
}

/// <summary>A running server the report talks to.</summary>
public interface IRunningServer : IAsyncDisposable
{
    /// <summary>Its endpoint (<c>http://127.0.0.1:PORT/RPC2</c>).</summary>
    Uri Url { get; }
}

/// <summary>Starts our C# conformance service in this process.</summary>
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

    /// <summary>
    /// Every method of the conformance service (with <c>system.*</c>): what a case may need a foreign server to have.
    /// A method a case calls that is not one of these (<c>nope</c>, <c>a&lt;b&amp;c</c>) is meant to be unknown.
    /// </summary>
    public IReadOnlySet<string> ServiceMethods { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
