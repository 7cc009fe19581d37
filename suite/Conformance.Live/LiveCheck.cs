using Conformance.Catalog;
using XmlRpc.Client;

namespace Conformance.Live;

/// <summary>The verdict of one live case run with our client: met or not, and what was expected and seen.</summary>
/// <param name="Met">The observation meets the expectation that applies.</param>
/// <param name="Detail">Expected (and from where: <c>expect</c>, <c>deviation.expect</c>, ...) vs observed, for a reader.</param>
/// <param name="Source">Which expectation applied: <c>expect</c>, <c>deviation.expect</c> or <c>deviation.writer: refuse</c>.</param>
public sealed record LiveCheckResult(bool Met, string Detail, string Source)
{
    /// <summary>For an <c>http</c> case, the raw response (our client's exchanges are recorded by <see cref="ExchangeRecorder"/>).</summary>
    public string? RawResponse { get; init; }

    /// <summary>True when a documented deviation of ours, not CPython's behaviour, was the expectation.</summary>
    public bool IsDeviation => !string.Equals(Source, "expect", StringComparison.Ordinal);
}

/// <summary>
/// Runs a live catalog case (<c>call</c>, <c>multicall</c>, <c>http</c>) with our C# client against a server and judges
/// it: the one judge behind the interop tests' C#-client rows and the report's C#-client cells.
/// </summary>
/// <remarks>
/// For <c>echo</c> with one param the server's <c>describe</c> of the same value must be the expected model too: the
/// receiver's own view of the value, so an equal-looking echo of the wrong type does not pass.
/// </remarks>
public static class LiveCheck
{
    /// <summary>Runs <paramref name="liveCase"/> against <paramref name="url"/>.</summary>
    /// <param name="liveCase">A case with a live shape.</param>
    /// <param name="url">The server endpoint.</param>
    /// <param name="client">Our client for a request encoding (null: UTF-8).</param>
    /// <param name="ourServer">The server is our C# conformance service (a case's <c>deviation.expect</c> applies).</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async Task<LiveCheckResult> RunAsync(CatalogCase liveCase, Uri url, Func<string?, XmlRpcClient> client, bool ourServer, string fixturesDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(client);
        var (expect, source) = Expectations.For(liveCase, ourClient: true, ourServer);
        var ordered = liveCase.CompareOrdered;
        bool ok;
        string detail;
        string? raw = null;
        switch (liveCase.Shape)
        {
            case CaseShape.Call:
                var (call, describe) = await CSharpCaseRunner.CallAsync(liveCase, client, fixturesDirectory, cancellationToken).ConfigureAwait(false);
                ok = Expectations.Meets(expect, call, ordered);
                detail = $"{liveCase.Call!.Method}: expected ({source}) {Show(expect)}, got {call}";
                if (describe is not null && expect?.Result is { } result)
                {
                    var described = describe.Result is { } d && result.Equals(d, ordered);
                    ok &= described;
                    detail += $"; describe: the server decoded {describe}{(described ? "" : $", expected {Observation.Model(result)}")}";
                }

                break;
            case CaseShape.Multicall:
                var multi = await CSharpCaseRunner.MultiCallAsync(liveCase, client(null), cancellationToken).ConfigureAwait(false);
                ok = Expectations.Meets(expect, multi, ordered);
                detail = $"system.multicall: expected ({source}) {Show(expect)}, got {multi}";
                break;
            case CaseShape.Http:
                var http = await CSharpCaseRunner.HttpAsync(liveCase, url, cancellationToken).ConfigureAwait(false);
                ok = Expectations.Meets(expect, http, ordered);
                raw = http.RawResponse;
                detail = $"{liveCase.Http!.Method} {liveCase.Http.Path}: expected ({source}) {Show(expect)}, got {http}";
                break;
            default:
                throw new ArgumentException($"{liveCase.Id} is parse-only: it has no live form", nameof(liveCase));
        }

        return new LiveCheckResult(ok, detail, source) { RawResponse = raw };
    }

    private static string Show(CatalogExpect? expect) =>
        expect is { } e ? Observation.Compact(e.Json) : "a refusal to send (our writer)";
}
