using Conformance.Catalog;
using XmlRpc.Client;

namespace Conformance.Live;

/// <summary>One live case run with our client: the judge's verdict, what was seen, and for an <c>http</c> case the raw response.</summary>
/// <param name="Verdict">The verdict of <see cref="Judge"/>.</param>
/// <param name="Observation">What our client saw.</param>
/// <param name="RawResponse">For an <c>http</c> case, the raw response (our client's exchanges are recorded by <see cref="ExchangeRecorder"/>).</param>
public sealed record LiveCheckResult(Verdict Verdict, CaseObservation Observation, string? RawResponse);

/// <summary>
/// Runs a live catalog case (<c>call</c>, <c>multicall</c>, <c>http</c>) with our C# client against a server and hands what it
/// saw to the one <see cref="Judge"/>: behind the interop tests' C#-client rows and the report's C#-client cells.
/// </summary>
public static class LiveCheck
{
    /// <summary>Runs <paramref name="liveCase"/> against <paramref name="url"/> and judges it.</summary>
    /// <param name="liveCase">A case with a live shape.</param>
    /// <param name="url">The server endpoint.</param>
    /// <param name="client">Our client for a request encoding (null: UTF-8).</param>
    /// <param name="judge">The judge.</param>
    /// <param name="context">Who answers (our server or another); our client always sends.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    public static async Task<LiveCheckResult> RunAsync(CatalogCase liveCase, Uri url, Func<string?, XmlRpcClient> client, Judge judge, JudgeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(judge);
        ArgumentNullException.ThrowIfNull(context);
        string? raw = null;
        CaseObservation observation;
        switch (liveCase.Shape)
        {
            case CaseShape.Call:
                observation = await CSharpCaseRunner.CallAsync(liveCase, client, cancellationToken).ConfigureAwait(false);
                break;
            case CaseShape.Multicall:
                observation = await CSharpCaseRunner.MultiCallAsync(liveCase, client(null), cancellationToken).ConfigureAwait(false);
                break;
            case CaseShape.Http:
                (observation, raw) = await CSharpCaseRunner.HttpAsync(liveCase, url, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"{liveCase.Id} is parse-only: it has no live form", nameof(liveCase));
        }

        var verdict = judge.Evaluate(liveCase, observation, context with { OurClient = true });
        return new LiveCheckResult(verdict, observation, raw);
    }
}
