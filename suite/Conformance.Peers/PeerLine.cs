using System.Text.Json;

namespace Conformance.Peers;

/// <summary>One line a peer printed on stdout: JSON when it parses as an object, else plain text.</summary>
public sealed class PeerLine
{
    private PeerLine(string text, JsonElement? json)
    {
        Text = text;
        Json = json;
    }

    /// <summary>The line as printed (without the line break).</summary>
    public string Text { get; }

    /// <summary>The parsed object, or <see langword="null"/> when the line is not a JSON object.</summary>
    public JsonElement? Json { get; }

    /// <summary>The <c>event</c> member (<c>ready</c>, <c>start</c>, <c>summary</c>), if any.</summary>
    public string? Event => GetString("event");

    /// <summary>The <c>case</c> member of a per-case result line, if any.</summary>
    public string? Case => GetString("case");

    /// <summary>The <c>outcome</c> member of a per-case result line (<c>pass</c>, <c>fail</c>, <c>missing</c>, <c>deviation</c>).</summary>
    public string? Outcome => GetString("outcome");

    /// <summary>The <c>detail</c> member of a per-case result line.</summary>
    public string? Detail => GetString("detail");

    /// <summary>The <c>duration</c> member (seconds) of a per-case result line.</summary>
    public double? Duration =>
        Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;

    /// <summary>Parses one line of peer output.</summary>
    public static PeerLine Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return new PeerLine(text, doc.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: kept as text.
            }
        }

        return new PeerLine(text, null);
    }

    /// <summary>A string member of the JSON object, or <see langword="null"/>.</summary>
    public string? GetString(string name) =>
        Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <inheritdoc/>
    public override string ToString() => Text;
}
