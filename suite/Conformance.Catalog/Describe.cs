using System.Text.Json;
using XmlRpc;

namespace Conformance.Catalog;

/// <summary>The canonical text and model of a decoded value, as the conformance services' <c>describe</c> method returns it.</summary>
public static class Describe
{
    /// <summary>
    /// Exactly Python's <c>json.dumps(model, separators=(",", ":"), ensure_ascii=True)</c> of the value's model
    /// (fixtures/README.md): <c>\uXXXX</c> lowercase escapes, surrogate pairs for astral characters, struct members in order.
    /// </summary>
    /// <remarks>Same as <see cref="CatalogModel.DescribeJson"/>; python-peers/conformance.py <c>describe_json</c>.</remarks>
    public static string Json(XmlRpcValue value) => CatalogModel.DescribeJson(value);

    /// <summary>The value's tagged model as a JSON element (integers of any tag as <c>int</c>, doubles as repr text).</summary>
    public static JsonElement Model(XmlRpcValue value)
    {
        using var doc = JsonDocument.Parse(Json(value), new JsonDocumentOptions { MaxDepth = 4096 });
        return doc.RootElement.Clone();
    }
}
