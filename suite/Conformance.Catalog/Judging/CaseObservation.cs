using System.Globalization;
using System.Text;
using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>An error seen instead of an answer: the exception (or error) class, its message, and the HTTP status if one came.</summary>
/// <param name="Type">The class name (<c>ProtocolError</c>, <c>XmlRpcProtocolException</c>, <c>ConnectionRefusedError</c>...).</param>
/// <param name="Message">Its text.</param>
/// <param name="Status">The HTTP status of the response that carried the error, or null.</param>
public sealed record ObservedError(string Type, string Message, int? Status = null)
{
    /// <inheritdoc/>
    public override string ToString() =>
        Status is { } s ? string.Create(CultureInfo.InvariantCulture, $"{Type} (HTTP {s}): {Message}") : $"{Type}: {Message}";
}

/// <summary>
/// What a client saw for one case, in the language-neutral observation format every judge reads: the C# client's runs,
/// the Python peer's <c>observation</c> lines, foreign clients' lines, CPython's golden <c>.cpython.json</c> and the
/// judge vectors (<c>fixtures/judge-vectors.json</c>).
/// </summary>
/// <remarks>
/// JSON (<see cref="FromJson"/>): <c>{"response": {"result": model}}</c>, <c>{"response": {"fault": {"code", "string"}}}</c>,
/// <c>{"response": {"results": [...]}}</c>, <c>{"response": {"resultType": "string"}}</c>, <c>{"sendError": {"type", "message"}}</c>,
/// <c>{"error": {"type", "message", "status"?}}</c>, for http cases <c>{"status": 200, ...}</c> or <c>{"noResponse": true}</c>,
/// for parse-only cases <c>{"decodes": ...}</c>; an echo call adds <c>"describe"</c>, the observation of the <c>describe</c> call.
/// </remarks>
public sealed record CaseObservation
{
    /// <summary>The call returned this value (null when the model is one XML-RPC cannot say).</summary>
    public XmlRpcValue? Result { get; init; }

    /// <summary>The type of the value returned, when only the type was recorded (values that change per run).</summary>
    public string? ResultType { get; init; }

    /// <summary>The call returned a fault.</summary>
    public CatalogFault? Fault { get; init; }

    /// <summary>Multicall: one entry per sub-call.</summary>
    public IReadOnlyList<CatalogOutcome>? Results { get; init; }

    /// <summary>The client refused to send the request: nothing went on the wire.</summary>
    public ObservedError? SendError { get; init; }

    /// <summary>A transport, HTTP or parse error instead of an answer.</summary>
    public ObservedError? Error { get; init; }

    /// <summary>http cases: the status of the response.</summary>
    public int? Status { get; init; }

    /// <summary>http cases: the connection closed without a response.</summary>
    public bool NoResponse { get; init; }

    /// <summary>Parse-only cases: what the document decoded to.</summary>
    public CatalogDecodes? Decodes { get; init; }

    /// <summary>For <c>echo</c> with one param: the observation of <c>describe</c> with the same param.</summary>
    public CaseObservation? Describe { get; init; }

    /// <summary>The response carried a value, but its model could not be read as one (e.g. CPython's <c>{"python": repr}</c>).</summary>
    public string? UnreadableResult { get; init; }

    /// <summary>True when a response (value, fault or results) came back.</summary>
    public bool Answered => Result is not null || ResultType is not null || Fault is not null || Results is not null || UnreadableResult is not null;

    /// <summary>Reads the JSON observation format (see the type's remarks).</summary>
    /// <param name="json">The observation object.</param>
    /// <param name="fixturesDirectory">The fixtures folder (a model may name a file there).</param>
    public static CaseObservation FromJson(JsonElement json, string fixturesDirectory)
    {
        var observation = new CaseObservation();
        if (json.ValueKind != JsonValueKind.Object)
        {
            return observation;
        }

        var response = json.TryGetProperty("response", out var r) && r.ValueKind == JsonValueKind.Object ? r : json;
        if (response.TryGetProperty("result", out var result))
        {
            try
            {
                observation = observation with { Result = CatalogModel.FromModel(result, fixturesDirectory) };
            }
            catch (FormatException)
            {
                observation = observation with { UnreadableResult = result.GetRawText() };
            }
        }

        if (response.TryGetProperty("resultType", out var type))
        {
            observation = observation with { ResultType = type.GetString() };
        }

        if (response.TryGetProperty("fault", out var fault))
        {
            observation = observation with { Fault = Catalog.ReadFault(fault) };
        }

        if (response.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            observation = observation with { Results = [.. results.EnumerateArray().Select(o => ReadOutcome(o, fixturesDirectory))] };
        }

        // An error reading the response (CPython's golden files put it inside "response") is an error of the exchange.
        var error = ReadError(json, "error") ?? ReadError(response, "error");
        return observation with
        {
            Error = error,
            SendError = ReadError(json, "sendError"),
            Status = json.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null,
            NoResponse = json.TryGetProperty("noResponse", out var none) && none.ValueKind == JsonValueKind.True,
            Decodes = json.TryGetProperty("decodes", out var decodes) ? Catalog.ReadDecodes(decodes, fixturesDirectory, lenient: true) : null,
            Describe = json.TryGetProperty("describe", out var describe) && describe.ValueKind == JsonValueKind.Object ? FromJson(describe, fixturesDirectory) : null,
        };
    }

    /// <summary>One line for a reader: values as their catalog model, at most about 600 characters.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Result is { } value)
        {
            parts.Add("result " + Model(value));
        }

        if (UnreadableResult is { } unreadable)
        {
            parts.Add("result " + unreadable);
        }

        if (ResultType is { } type)
        {
            parts.Add("a " + type);
        }

        if (Fault is { } fault)
        {
            parts.Add(fault.ToString());
        }

        if (Results is { } results)
        {
            parts.Add("results [" + string.Join(", ", results.Select(o => o.Fault?.ToString() ?? (o.Result is { } v ? Model(v) : "?"))) + "]");
        }

        if (SendError is { } refused)
        {
            parts.Add("refused to send: " + refused);
        }

        if (Error is { } error)
        {
            parts.Add("error: " + error);
        }

        if (Status is { } status)
        {
            parts.Add("HTTP " + status.ToString(CultureInfo.InvariantCulture));
        }

        if (NoResponse)
        {
            parts.Add("no response (the connection closed)");
        }

        if (Decodes is { } decodes)
        {
            parts.Add("decodes " + (decodes.Fault?.ToString() ?? "(" + string.Join(", ", decodes.Params!.Select(p => p is null ? "<not representable>" : Model(p))) + ")"));
        }

        return Shorten(parts.Count == 0 ? "nothing" : string.Join("; ", parts));
    }

    /// <summary>A value's catalog model (the describe text), for messages.</summary>
    public static string Model(XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            return CatalogModel.DescribeJson(value);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return value.ToString();
        }
    }

    /// <summary>At most <paramref name="limit"/> characters of <paramref name="text"/>, with an ellipsis when cut.</summary>
    public static string Shorten(string text, int limit = 600)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= limit ? text : new StringBuilder(text, 0, limit, limit + 1).Append('…').ToString();
    }

    private static CatalogOutcome ReadOutcome(JsonElement outcome, string fixturesDirectory)
    {
        if (outcome.TryGetProperty("fault", out var fault))
        {
            return new CatalogOutcome(null, Catalog.ReadFault(fault));
        }

        try
        {
            return new CatalogOutcome(outcome.TryGetProperty("result", out var v) ? CatalogModel.FromModel(v, fixturesDirectory) : null, null);
        }
        catch (FormatException)
        {
            return new CatalogOutcome(null, null);
        }
    }

    private static ObservedError? ReadError(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new ObservedError(
            e.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "",
            e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "",
            e.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null);
    }
}
