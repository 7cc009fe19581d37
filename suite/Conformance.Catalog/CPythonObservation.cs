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
    private CaseObservation? _observed;

    /// <summary>Wraps a parsed <c>.cpython.json</c>.</summary>
    public CPythonObservation(JsonElement root, string fixturesDirectory)
    {
        Root = root;
        _fixtures = fixturesDirectory;
    }

    /// <summary>The JSON.</summary>
    public JsonElement Root { get; }

    /// <summary>What CPython's client saw, in the judge's observation format (the same file is read by the judge).</summary>
    public CaseObservation Observed => _observed ??= CaseObservation.FromJson(Root, _fixtures);

    /// <summary>The params CPython's server decoded from the golden request (null when it raised or there was no request).</summary>
    public IReadOnlyList<XmlRpcValue?>? ReceivedParams =>
        Root.TryGetProperty("received", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray().Select(Value)] : null;

    /// <summary>The exception class CPython's server raised parsing the golden request, or null.</summary>
    public string? ReceivedError => Root.TryGetProperty("received", out var r) && r.ValueKind == JsonValueKind.Object ? ErrorType(r, "error") : null;

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
