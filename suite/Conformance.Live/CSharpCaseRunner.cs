using System.Net.Http;
using Conformance.Catalog;
using XmlRpc;
using XmlRpc.Client;
using XmlRpc.Protocol;

namespace Conformance.Live;

/// <summary>Runs a live case with our client (or, for <c>http</c>, a raw socket) and records what came back as a <see cref="CaseObservation"/>.</summary>
public static class CSharpCaseRunner
{
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A call, and for <c>echo</c> with one param the <c>describe</c> of the same value (<see cref="CaseObservation.Describe"/>).</summary>
    /// <param name="liveCase">A case with a <c>call</c>.</param>
    /// <param name="client">Our client for a request encoding (null: UTF-8).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task<CaseObservation> CallAsync(CatalogCase liveCase, Func<string?, XmlRpcClient> client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(client);
        var call = liveCase.Call ?? throw new ArgumentException($"{liveCase.Id} has no call", nameof(liveCase));
        var http = client(call.Encoding);
        var observed = await SendAsync(http, call.Method, call.Params, cancellationToken);
        if (call.Method == "system.multicall" && AsMultiCallResults(observed.Result) is { } results)
        {
            // system.multicall called directly (a request MultiCall cannot build): its array also reads as per-call results.
            observed = observed with { Results = results };
        }

        if (liveCase.IsDescribed && observed.SendError is null)
        {
            observed = observed with { Describe = await SendAsync(http, "describe", call.Params, cancellationToken) };
        }

        return observed;
    }

    /// <summary>A multicall through <see cref="XmlRpcClient.CreateMultiCall"/>.</summary>
    public static async Task<CaseObservation> MultiCallAsync(CatalogCase liveCase, XmlRpcClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(client);
        var batch = client.CreateMultiCall();
        foreach (var call in liveCase.Multicall ?? throw new ArgumentException($"{liveCase.Id} has no multicall", nameof(liveCase)))
        {
            batch.Add(call.Method, [.. call.Params]);
        }

        try
        {
            var results = await batch.InvokeAsync(cancellationToken);
            return new CaseObservation { Results = [.. results.Select(Outcome)] };
        }
        catch (XmlRpcFaultException e)
        {
            return new CaseObservation { Fault = CatalogFault.From(e.Fault) };
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return new CaseObservation { SendError = Describe(e) };
        }
        catch (Exception e) when (IsFailure(e))
        {
            return new CaseObservation { Error = Describe(e) };
        }
    }

    /// <summary>An <c>http</c> case: the raw exchange over TCP; the raw response comes back for a reader.</summary>
    public static async Task<(CaseObservation Observation, string? Raw)> HttpAsync(CatalogCase liveCase, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(url);
        var response = await RawHttpResponse.ExchangeAsync(RawHttpRequest.From(liveCase), url, HttpTimeout, cancellationToken);
        if (response.Status is { } status)
        {
            return (new CaseObservation { Status = status }, response.Describe());
        }

        return response.Raw.Length == 0
            ? (new CaseObservation { NoResponse = true }, null)
            : (new CaseObservation { Error = new ObservedError("NoStatusLine", "no HTTP status line: " + response.Raw) }, response.Raw);
    }

    /// <summary>One call; a fault, a refusal to send and a failure are observations, not exceptions.</summary>
    public static async Task<CaseObservation> SendAsync(XmlRpcClient client, string method, IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var response = await client.SendAsync(new XmlRpcRequest(method, parameters), cancellationToken);
            return response.IsFault ? new CaseObservation { Fault = CatalogFault.From(response.Fault) } : new CaseObservation { Result = response.Value };
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return new CaseObservation { SendError = Describe(e) };
        }
        catch (Exception e) when (IsFailure(e))
        {
            return new CaseObservation { Error = Describe(e) };
        }
    }

    private static CatalogOutcome Outcome(XmlRpcMultiCallResult result) =>
        result.IsFault ? new CatalogOutcome(null, CatalogFault.From(result.Fault!)) : new CatalogOutcome(result.Value, null);

    private static IReadOnlyList<CatalogOutcome>? AsMultiCallResults(XmlRpcValue? result)
    {
        if (result is not { Kind: XmlRpcValueKind.Array })
        {
            return null;
        }

        try
        {
            return [.. XmlRpcMultiCall.ReadResults(result).Select(Outcome)];
        }
        catch (XmlRpcParseException)
        {
            return null;
        }
    }

    private static bool IsRefusal(Exception e) => e is XmlRpcFormatException;

    private static bool IsFailure(Exception e) =>
        e is XmlRpcProtocolException or XmlRpcInvalidResponseException or XmlRpcException or HttpRequestException or TimeoutException or IOException;

    private static ObservedError Describe(Exception e) => e switch
    {
        XmlRpcProtocolException p => new(nameof(XmlRpcProtocolException), $"HTTP {(int)p.StatusCode} {p.ReasonPhrase}", (int)p.StatusCode),
        _ => new(e.GetType().Name, e.Message + (e.InnerException is { } inner ? $" ← {inner.GetType().Name}: {inner.Message}" + (inner.InnerException is { } root ? $" ← {root.GetType().Name}: {root.Message}" : "") : "")),
    };
}
