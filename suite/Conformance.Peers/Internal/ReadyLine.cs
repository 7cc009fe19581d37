using System.Globalization;
using System.Text.Json;

namespace Conformance.Peers.Internal;

/// <summary>The <c>{"event":"ready",...}</c> line of <c>server.py</c>.</summary>
internal static class ReadyLine
{
    /// <summary>Matches the ready line in container logs (the Testcontainers readiness check).</summary>
    public const string Pattern = "\"event\"\\s*:\\s*\"ready\"";

    public static bool IsReady(PeerLine line) => string.Equals(line.Event, "ready", StringComparison.Ordinal);

    /// <summary>The endpoint a ready line announces: its <c>url</c>, else <c>http://127.0.0.1:{port}/RPC2</c>.</summary>
    public static Uri Url(PeerLine line)
    {
        if (line.GetString("url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return uri;
        }

        if (line.Json is { } json && json.TryGetProperty("port", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var port))
        {
            return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/RPC2"));
        }

        throw new PeerException("ready line without url or port: " + line.Text);
    }
}
