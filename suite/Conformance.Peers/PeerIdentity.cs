using System.Globalization;
using System.Text.Json;

namespace Conformance.Peers;

/// <summary>What a peer says it is: the fields of its ready (server) or start (client) line.</summary>
/// <param name="Implementation">Interpreter implementation, e.g. <c>CPython</c>.</param>
/// <param name="Version">Interpreter version, e.g. <c>3.11.7</c>.</param>
/// <param name="Build">Free-form build string (compiler, date), when the peer reports one.</param>
public sealed record PeerIdentity(string Implementation, string Version, string? Build)
{
    /// <summary>Short, stable key: <c>cpython-3.11.7</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Implementation.ToLowerInvariant()}-{Version}");

    /// <summary>Reads <c>implementation</c>, <c>version</c> and <c>build</c> from a peer's JSON line.</summary>
    /// <param name="line">A ready or start line.</param>
    /// <param name="fallback">Used for members the line does not have.</param>
    public static PeerIdentity FromJson(JsonElement line, PeerIdentity? fallback = null)
    {
        static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        return new PeerIdentity(
            Str(line, "implementation") ?? fallback?.Implementation ?? "CPython",
            Str(line, "version") ?? fallback?.Version ?? "unknown",
            Str(line, "build") ?? fallback?.Build);
    }

    /// <inheritdoc/>
    public override string ToString() => Build is null ? Key : $"{Key} ({Build})";
}
