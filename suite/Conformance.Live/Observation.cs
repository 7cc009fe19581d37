using System.Text.Json;
using Conformance.Catalog;
using XmlRpc;
using XmlRpc.Protocol;

namespace Conformance.Live;

/// <summary>What the C# side saw for one case (the C#-client twin of <c>client.py</c>'s observation).</summary>
public sealed record Observation
{
    /// <summary>The result.</summary>
    public XmlRpcValue? Result { get; init; }

    /// <summary>A fault response.</summary>
    public XmlRpcFault? Fault { get; init; }

    /// <summary>Multicall: one entry per sub-call.</summary>
    public IReadOnlyList<XmlRpcMultiCallResult>? Results { get; init; }

    /// <summary>Our writer refused the request; nothing was sent (exception type and message).</summary>
    public string? SendRefused { get; init; }

    /// <summary>A transport, HTTP or parse error (exception type and message).</summary>
    public string? Error { get; init; }

    /// <summary>Http shape: the status code (null when nothing parsable came back).</summary>
    public int? Status { get; init; }

    /// <summary>Http shape: the status line, headers and body as received (gunzipped), for a reader.</summary>
    public string? RawResponse { get; init; }

    /// <summary>One line for messages: values as their catalog model.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Result is { } r)
        {
            parts.Add("result " + Model(r));
        }

        if (Fault is { } f)
        {
            parts.Add("fault " + f);
        }

        if (Results is { } rs)
        {
            parts.Add("results [" + string.Join(", ", rs.Select(x => x.IsFault ? "fault " + x.Fault : Model(x.Value))) + "]");
        }

        if (SendRefused is { } s)
        {
            parts.Add("refused to send: " + s);
        }

        if (Error is { } e)
        {
            parts.Add("error: " + e);
        }

        if (Status is { } st)
        {
            parts.Add("HTTP " + st.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return Shorten(parts.Count == 0 ? "nothing" : string.Join("; ", parts));
    }

    /// <summary>A value's catalog model (the describe text), for messages.</summary>
    public static string Model(XmlRpcValue value)
    {
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
    public static string Shorten(string text, int limit = 600) => text.Length <= limit ? text : text[..limit] + "…";

    /// <summary>A JSON value on one line, non-ASCII kept readable.</summary>
    public static string Compact(JsonElement element) => Shorten(JsonSerializer.Serialize(element, Relaxed));

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
