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
            Conclude(caseId, run.Identity.Version, JudgePythonLine(liveCase, line!), LineDetail(line!));
            return;
        }

        var (url, version) = await ServerAsync(peer);
        var verdict = await LiveCheck.RunAsync(liveCase, url, encoding => Peers.Client(url, encoding), OurServer, InteropCatalog.Catalog.FixturesDirectory, Cancellation)
            .WaitAsync(Timeout, Cancellation);
        Conclude(caseId, version, verdict.Met, verdict.Detail);
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
    /// The verdict. <paramref name="pythonVersion"/> is the Python of the row (null for C# → C#), matched
    /// against a known issue's <c>python</c> glob.
    /// </summary>
    protected void Conclude(string caseId, string? pythonVersion, bool ok, string detail)
    {
        var issue = InteropCatalog.KnownIssue(caseId, Cell, pythonVersion);
        if (issue is not null)
        {
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"known issue ({Cell}, python {pythonVersion ?? "-"}): {issue.Reason} {issue.Link}"));
            Output.WriteLine(detail);
            Assert.False(ok, $"stale known issue: {caseId} now passes in {Cell} with Python {pythonVersion ?? "-"}; remove or narrow the entry in fixtures/known-issues.json (\"{issue.Reason}\"). {detail}");
            return;
        }

        Output.WriteLine(detail);
        Assert.True(ok, detail);
    }

    /// <summary>Python client rows: the outcome client.py reported must be the one our server promises.</summary>
    /// <remarks>
    /// Our server answers here, so a case with <c>deviation.expect</c> must come out as <c>deviation</c> (client.py met
    /// the documented alternative); CPython's own behaviour (<c>pass</c>) would mean the documented deviation is gone.
    /// Every other case must <c>pass</c>; <c>missing</c> (the server lacks a method) is never a pass.
    /// </remarks>
    protected static bool JudgePythonLine(CatalogCase liveCase, PeerLine line)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(line);
        return string.Equals(line.Outcome, liveCase.Deviation?.Expect is null ? "pass" : "deviation", StringComparison.Ordinal);
    }

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
                text += $"\n--- {wire} ---\n{Observation.Shorten(xml, 2000)}";
            }
        }

        return text;
    }
}
