using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>What CPython did for a case: <c>fixtures/golden/&lt;area&gt;/&lt;id&gt;.cpython.json</c>, written by python-peers/make_fixtures.py.</summary>
/// <remarks>
/// Layout: call and multicall cases have <c>received</c> (the params CPython's server decoded from the request, or
/// <c>{"error": ...}</c>) and <c>response</c> (<c>{"result": model}</c>, <c>{"fault": {...}}</c>, <c>{"results": [...]}</c>,
/// <c>{"resultType": "..."}</c> or <c>{"error": ...}</c>), or only <c>sendError</c> when CPython refused to marshal;
/// parse-only cases have <c>decodes</c> (<c>{"params": [...], "methodName": ...}</c> or <c>{"fault": {...}}</c>) or
/// <c>error</c>; http cases have <c>status</c>, <c>reason</c>, <c>headers</c>, <c>bodyLength</c> and maybe <c>response</c>.
/// </remarks>
public sealed class CPythonObservation
{
    private readonly string _fixtures;

    /// <summary>Wraps a parsed <c>.cpython.json</c>.</summary>
    public CPythonObservation(JsonElement root, string fixturesDirectory)
    {
        Root = root;
        _fixtures = fixturesDirectory;
    }

    /// <summary>The JSON.</summary>
    public JsonElement Root { get; }

    /// <summary>The exception class CPython raised when marshalling the request, or null.</summary>
    public string? SendError => ErrorType(Root, "sendError");

    /// <summary>The exception class of a parse-only case, or null.</summary>
    public string? Error => ErrorType(Root, "error");

    /// <summary>The HTTP status of an http case, or null.</summary>
    public int? Status => Root.TryGetProperty("status", out var s) ? s.GetInt32() : null;

    /// <summary>The params CPython's server decoded from the golden request (null when it raised or there was no request).</summary>
    public IReadOnlyList<XmlRpcValue?>? ReceivedParams =>
        Root.TryGetProperty("received", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray().Select(Value)] : null;

    /// <summary>The exception class CPython's server raised parsing the golden request, or null.</summary>
    public string? ReceivedError => Root.TryGetProperty("received", out var r) && r.ValueKind == JsonValueKind.Object ? ErrorType(r, "error") : null;

    /// <summary>The <c>response</c> object (for http cases, the one inside the exchange), or null.</summary>
    public JsonElement? Response => Root.TryGetProperty("response", out var r) ? r : null;

    /// <summary>The response's result value, or null.</summary>
    public XmlRpcValue? ResponseResult => Response is { } r && r.TryGetProperty("result", out var v) ? Value(v) : null;

    /// <summary>The response's fault, or null.</summary>
    public CatalogFault? ResponseFault => Response is { } r && r.TryGetProperty("fault", out var f) ? Catalog.ReadFault(f) : null;

    /// <summary>The response's multicall results, or null.</summary>
    public IReadOnlyList<CatalogOutcome>? ResponseResults =>
        Response is { } r && r.TryGetProperty("results", out var results)
            ? [.. results.EnumerateArray().Select(o => o.TryGetProperty("fault", out var f)
                ? new CatalogOutcome(null, Catalog.ReadFault(f))
                : o.TryGetProperty("result", out var v) ? new CatalogOutcome(Value(v), null) : new CatalogOutcome(null, null))]
            : null;

    /// <summary>The response's result type (values that change per run), or null.</summary>
    public string? ResponseResultType => Response is { } r && r.TryGetProperty("resultType", out var t) ? t.GetString() : null;

    /// <summary>The exception class CPython raised reading its own response, or null.</summary>
    public string? ResponseError => Response is { } r ? ErrorType(r, "error") : null;

    /// <summary>Parse-only: what CPython decoded, or null when it raised.</summary>
    public CatalogDecodes? Decodes
    {
        get
        {
            if (!Root.TryGetProperty("decodes", out var d))
            {
                return null;
            }

            if (d.TryGetProperty("fault", out var f))
            {
                return new CatalogDecodes(null, null, Catalog.ReadFault(f));
            }

            return new CatalogDecodes(
                [.. d.GetProperty("params").EnumerateArray().Select(Value)],
                d.TryGetProperty("methodName", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                null);
        }
    }

    /// <summary>True when CPython decoded something XML-RPC cannot say (the model <c>{"python": repr}</c>, e.g. <c>{1: 'a'}</c>).</summary>
    public static bool IsUnrepresentable(XmlRpcValue? value) => value is null;

    /// <summary>A model as a value; null for CPython's <c>{"python": ...}</c> (not representable).</summary>
    private XmlRpcValue? Value(JsonElement model)
    {
        try
        {
            return CatalogModel.FromModel(model, _fixtures);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? ErrorType(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var e) && e.TryGetProperty("type", out var t) ? t.GetString() : null;
}
