using System.Globalization;
using Conformance.Catalog;
using Conformance.Live;
using Conformance.Peers;
using Conformance.Tests.Peers;
using Xunit;

namespace Conformance.Tests.Interop;

/// <summary>
/// What every interop concern shares: the direction (from the subclass's name), the way to reach the server
/// of a row, and the verdict with known issues.
/// </summary>
/// <remarks>
/// A row fails when the observation misses the expectation, unless fixtures/known-issues.json names
/// (case, cell, Python version): then it passes and says why, and it FAILS if the known issue did not
/// happen (a stale entry must go).
/// </remarks>
public abstract class InteropTests
{
    /// <summary>Upper bound of every await in a row.</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Binds the test class to the run's peers.</summary>
    protected InteropTests(PeerFixture peers, ITestOutputHelper output)
    {
        Peers = peers;
        Output = output;
        Direction = InteropDirections.Of(GetType());
    }

    /// <summary>The run's peers.</summary>
    protected PeerFixture Peers { get; }

    /// <summary>The row's output.</summary>
    protected ITestOutputHelper Output { get; }

    /// <summary>Who calls whom.</summary>
    protected InteropDirection Direction { get; }

    /// <summary>Our C# server answers in this direction (a case's <c>deviation.expect</c> applies).</summary>
    protected bool OurServer => Direction != InteropDirection.CSharpClientToPythonServer;

    /// <summary>The catalog's name of this direction's cell.</summary>
    protected string Cell => DirectionTimings.Cell(Direction);

    /// <summary>The row's cancellation (the test run's), for every await.</summary>
    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// Runs a catalog case in this direction against <paramref name="peer"/> and concludes: C# client rows call
    /// the server now; Python client rows look up their line in the run's one <c>client.py</c> pass.
    /// </summary>
    protected async Task CheckCaseAsync(string caseId, string peer)
    {
        var liveCase = InteropCatalog.Case(caseId);
        using var timing = Peers.Timings.Measure(Direction);
        if (Direction == InteropDirection.PythonClientToCSharpServer)
        {
            var run = await Peers.PythonClientRunAsync(RequirePeer(peer), Cancellation).WaitAsync(Timeout, Cancellation);
            Assert.True(run.Cases.TryGetValue(caseId, out var line), $"client.py ({run.Identity}) printed no line for {caseId}; other output: {string.Join(" | ", run.OtherLines.Take(5))}");
            var (verdict, pythonSaid) = JudgePythonLine(liveCase, line!);
            Conclude(caseId, run.Identity.Version, verdict.Outcome, $"{verdict.Outcome}: {verdict.Detail}\n{pythonSaid}");
            return;
        }

        var (url, version) = await ServerAsync(peer);
        var result = await LiveCheck.RunAsync(liveCase, url, encoding => Peers.Client(url, encoding), InteropCatalog.Judge, new JudgeContext { OurServer = OurServer }, Cancellation)
            .WaitAsync(Timeout, Cancellation);
        Conclude(caseId, version, result.Verdict.Outcome, $"{result.Verdict.Outcome}: {result.Verdict.Detail}");
    }

    /// <summary>The server of a C#-client row: the peer's <c>server.py</c>, or the in-process C# service; and its Python version.</summary>
    protected async Task<(Uri Url, string? PythonVersion)> ServerAsync(string peer)
    {
        if (Direction == InteropDirection.CSharpClientToCSharpServer)
        {
            return ((await Peers.CSharpServerAsync(Cancellation).WaitAsync(Timeout, Cancellation)).Url, null);
        }

        var server = await Peers.ServerAsync(RequirePeer(peer), Cancellation).WaitAsync(Timeout, Cancellation);
        return (server.Url, server.Identity.Version);
    }

    /// <summary>
    /// The verdict, with the one known-issue rule. <paramref name="pythonVersion"/> is the Python of the row (null for C# → C#).
    /// Against CPython peers only PASS and a documented DEVIATION are right: NON-STRICT, MISSING and FAIL all fail the row.
    /// </summary>
    protected void Conclude(string caseId, string? pythonVersion, Outcome outcome, string detail)
    {
        var resolution = InteropCatalog.Catalog.KnownIssues.Resolve(caseId, Cell, pythonVersion, outcome);
        if (resolution.Issue is { } issue)
        {
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"known issue ({Cell}, python {pythonVersion ?? "-"}): {issue.Reason} {issue.Link}"));
            Output.WriteLine(detail);
            Assert.False(resolution.Stale, $"stale known issue: {caseId} now passes in {Cell} with Python {pythonVersion ?? "-"}; remove or narrow the entry in fixtures/known-issues.json (\"{issue.Reason}\"). {detail}");
            Assert.True(resolution.Outcome == Outcome.Known, $"a known issue names {caseId}, but the outcome is {outcome}: {detail}");
            return;
        }

        Output.WriteLine(detail);
        Assert.True(outcome is Outcome.Pass or Outcome.Deviation, detail);
    }

    /// <summary>
    /// Python client rows: client.py's observation, judged by the one judge with our server answering. client.py judges
    /// itself without knowing whose server it talks to (a deviation of ours is NON-STRICT to it); in that same context the
    /// C# judge must give the outcome it printed: the two judges are held to the same vectors, and here to the same exchange.
    /// </summary>
    protected static (Verdict Verdict, string PythonSaid) JudgePythonLine(CatalogCase liveCase, PeerLine line)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(line);
        var said = LineDetail(line);
        if (line.Json is not { } json || !json.TryGetProperty("observation", out var observed))
        {
            return (new Verdict(Outcome.Fail, "client.py printed no observation", null), said);
        }

        var observation = CaseObservation.FromJson(observed, InteropCatalog.Catalog.FixturesDirectory);
        var verdict = InteropCatalog.Judge.Evaluate(liveCase, observation, new JudgeContext { OurServer = true });
        var blind = InteropCatalog.Judge.Evaluate(liveCase, observation, new JudgeContext());
        var agree = string.Equals(line.Outcome, OutcomeName(blind.Outcome), StringComparison.Ordinal);
        return agree ? (verdict, said) : (verdict with { Outcome = Outcome.Fail, Detail = $"the judges disagree: C# says {OutcomeName(blind.Outcome)} ({blind.Detail}), client.py says {line.Outcome}" }, said);
    }

    /// <summary>The contract's lower-case name of an outcome (<c>pass</c>, <c>non-strict</c>...).</summary>
    protected static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.NonStrict => "non-strict",
        Outcome.NotRun => "not-run",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>The peer key, or a clear failure when discovery found no peer.</summary>
    protected string RequirePeer(string peer)
    {
        if (peer == InteropDirections.NoPeer)
        {
            Assert.Fail("no Python peer for this run: " + Peers.Environment.Describe());
        }

        return peer;
    }

    private static string LineDetail(PeerLine line)
    {
        var text = $"client.py: {line.Outcome}{(string.IsNullOrEmpty(line.Detail) ? "" : ": " + line.Detail)}";
        foreach (var wire in new[] { "request", "response" })
        {
            if (line.GetString(wire) is { } xml)
            {
                text += $"\n--- {wire} ---\n{CaseObservation.Shorten(xml, 2000)}";
            }
        }

        return text;
    }
}
