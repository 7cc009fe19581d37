using System.Text;
using System.Text.RegularExpressions;

namespace Conformance.Cli.Running;

/// <summary>
/// Asks a foreign server who it is, without assuming any method: one <c>system.listMethods</c> call,
/// reading the HTTP <c>Server</c> header (CPython's <c>BaseHTTP/0.6 Python/3.11.7</c>) and, when the
/// server supports introspection, the methods it lists.
/// </summary>
public static partial class ServerProbe
{
    private const string ListMethods =
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>system.listMethods</methodName>\n<params>\n</params>\n</methodCall>\n";

    /// <summary>Probes <paramref name="url"/>.</summary>
    public static async Task<ServerProbeResult> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var content = new StringContent(ListMethods, Encoding.UTF8, "text/xml");
            using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
            var server = response.Headers.Server.ToString();
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var python = PythonServerHeader().Match(server);
            return new ServerProbeResult(
                server.Length == 0 ? null : server,
                python.Success ? python.Groups[1].Value : null,
                response.IsSuccessStatusCode ? ListedMethods(body) : null,
                null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ServerProbeResult(null, null, null, e.Message);
        }
    }

    // Read with our parser, so any valid XML-RPC layout (indented, <string> or untyped values) is understood; anything
    // but an array of strings means "no introspection" and every case is tried.
    private static List<string>? ListedMethods(byte[] body)
    {
        try
        {
            var answer = XmlRpc.XmlRpcParser.Default.ParseResponse(body);
            if (answer.IsFault || answer.Value.Kind != XmlRpc.XmlRpcValueKind.Array
                || answer.Value.AsArray().Any(v => v.Kind != XmlRpc.XmlRpcValueKind.String))
            {
                return null;
            }

            return [.. answer.Value.AsArray().Select(v => v.AsString())];
        }
        catch (XmlRpc.XmlRpcParseException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\bPython/(\d+\.\d+\.\d+)")]
    private static partial Regex PythonServerHeader();
}

/// <summary>What <see cref="ServerProbe"/> learnt.</summary>
/// <param name="ServerHeader">The HTTP Server header, if any.</param>
/// <param name="PythonVersion">The CPython version the header names, if it names one.</param>
/// <param name="Methods">The methods <c>system.listMethods</c> listed; null when introspection is not supported.</param>
/// <param name="Error">Why the server could not be reached.</param>
public sealed record ServerProbeResult(string? ServerHeader, string? PythonVersion, IReadOnlyList<string>? Methods, string? Error);
