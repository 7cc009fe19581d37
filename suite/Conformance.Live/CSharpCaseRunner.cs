using System.Net.Http;
using System.Text.Json;
using Conformance.Catalog;
using XmlRpc;
using XmlRpc.Client;
using XmlRpc.Protocol;

namespace Conformance.Live;

/// <summary>Runs a live case with our client (or, for <c>http</c>, a raw socket) and records what came back.</summary>
public static class CSharpCaseRunner
{
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A call: the call's observation, and for <c>echo</c> with one param the <c>describe</c> of the same value.</summary>
    /// <param name="liveCase">A case with a <c>call</c>.</param>
    /// <param name="client">Our client for a request encoding (null: UTF-8).</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder, to read the <c>describe</c> answer.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public static async Task<(Observation Call, Observation? Describe)> CallAsync(CatalogCase liveCase, Func<string?, XmlRpcClient> client, string fixturesDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(client);
        var call = liveCase.Call ?? throw new ArgumentException($"{liveCase.Id} has no call", nameof(liveCase));
        var http = client(call.Encoding);
        var observed = await SendAsync(http, call.Method, call.Params, cancellationToken);
        Observation? describe = null;
        if (call.Method == "echo" && call.Params.Count == 1 && observed.SendRefused is null)
        {
            describe = Described(await SendAsync(http, "describe", call.Params, cancellationToken), fixturesDirectory);
        }

        return (observed, describe);
    }

    /// <summary>The value a <c>describe</c> answer reports (its JSON model read back into a value).</summary>
    /// <param name="answer">The observation of a <c>describe</c> call.</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder (a model may name a file there, e.g. the logo).</param>
    public static Observation Described(Observation answer, string fixturesDirectory)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Result is not { Kind: XmlRpcValueKind.String } text)
        {
            return answer;
        }

        try
        {
            using var doc = JsonDocument.Parse(text.AsString());
            return answer with { Result = CatalogModel.FromModel(doc.RootElement, fixturesDirectory) };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return answer with { Result = null, Error = $"describe returned {text.AsString()} ({e.Message})" };
        }
    }

    /// <summary>A multicall through <see cref="XmlRpcClient.CreateMultiCall"/>.</summary>
    public static async Task<Observation> MultiCallAsync(CatalogCase liveCase, XmlRpcClient client, CancellationToken cancellationToken)
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
            return new Observation { Results = [.. results] };
        }
        catch (XmlRpcFaultException e)
        {
            return new Observation { Fault = e.Fault };
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return new Observation { SendRefused = Describe(e) };
        }
        catch (Exception e) when (IsFailure(e))
        {
            return new Observation { Error = Describe(e) };
        }
    }

    /// <summary>An <c>http</c> case: the raw exchange over TCP.</summary>
    public static async Task<Observation> HttpAsync(CatalogCase liveCase, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        ArgumentNullException.ThrowIfNull(url);
        var response = await RawHttpResponse.ExchangeAsync(RawHttpRequest.From(liveCase), url, HttpTimeout, cancellationToken);
        return response.Status is { } status
            ? new Observation { Status = status, RawResponse = response.Describe() }
            : new Observation { Error = "no HTTP response: " + (response.Raw.Length == 0 ? "(nothing)" : response.Raw) };
    }

    /// <summary>One call; a fault, a refusal to send and a failure are observations, not exceptions.</summary>
    public static async Task<Observation> SendAsync(XmlRpcClient client, string method, IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            var response = await client.SendAsync(new XmlRpcRequest(method, parameters), cancellationToken);
            return response.IsFault ? new Observation { Fault = response.Fault } : new Observation { Result = response.Value };
        }
        catch (Exception e) when (IsRefusal(e))
        {
            return new Observation { SendRefused = Describe(e) };
        }
        catch (Exception e) when (IsFailure(e))
        {
            return new Observation { Error = Describe(e) };
        }
    }

    private static bool IsRefusal(Exception e) => e is XmlRpcFormatException;

    private static bool IsFailure(Exception e) =>
        e is XmlRpcProtocolException or XmlRpcInvalidResponseException or XmlRpcException or HttpRequestException or TimeoutException or IOException;

    private static string Describe(Exception e) => e switch
    {
        XmlRpcProtocolException p => $"{nameof(XmlRpcProtocolException)}: HTTP {(int)p.StatusCode} {p.ReasonPhrase}",
        _ => $"{e.GetType().Name}: {e.Message}" + (e.InnerException is { } inner ? $" ← {inner.GetType().Name}: {inner.Message}" + (inner.InnerException is { } root ? $" ← {root.GetType().Name}: {root.Message}" : "") : ""),
    };
}
