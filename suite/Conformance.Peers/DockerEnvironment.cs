using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Conformance.Peers;

/// <summary>A Docker engine that answered <c>GET /version</c>.</summary>
/// <param name="Endpoint">Where it answered (<c>unix:///var/run/docker.sock</c>).</param>
/// <param name="Version">Engine version.</param>
/// <param name="ApiVersion">Highest API version it speaks.</param>
public sealed record DockerEngineInfo(string Endpoint, string Version, string ApiVersion);

/// <summary>
/// Talks to the Docker engine directly (HTTP over its unix socket) for what must be known before
/// Testcontainers is used: whether an engine answers, its API version, whether an image exists. Also sets
/// the environment Testcontainers reads once, at first use.
/// </summary>
public static class DockerEnvironment
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>
    /// Sets <c>TESTCONTAINERS_RYUK_DISABLED=true</c> (Ryuk's image cannot be pulled here; containers are
    /// removed by dispose, AutoRemove and the run label instead) and <c>DOCKER_API_VERSION</c> to the
    /// engine's version when unset (Testcontainers asks for a newer API than Debian's engine speaks).
    /// Idempotent; a variable already set is left alone.
    /// </summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            _configured = true;
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED")))
            {
                Environment.SetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED", "true");
            }

            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION"))
                && Probe(TimeSpan.FromSeconds(3)) is { } engine)
            {
                Environment.SetEnvironmentVariable("DOCKER_API_VERSION", engine.ApiVersion);
            }
        }
    }

    /// <summary>Asks the engine (<c>$DOCKER_HOST</c>, else the default socket) for its version; null when none answers.</summary>
    public static DockerEngineInfo? Probe(TimeSpan timeout) =>
        Task.Run(() => ProbeAsync(timeout)).GetAwaiter().GetResult();

    /// <inheritdoc cref="Probe"/>
    public static async Task<DockerEngineInfo?> ProbeAsync(TimeSpan timeout)
    {
        try
        {
            using var http = CreateClient(out var endpoint, timeout);
            using var response = await http.GetAsync(new Uri("/version", UriKind.Relative)).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var json = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
            return new DockerEngineInfo(endpoint, Str(json, "Version") ?? "?", Str(json, "ApiVersion") ?? "1.41");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or IOException or JsonException or UriFormatException)
        {
            return null;
        }
    }

    /// <summary>The engine's <c>image inspect</c> of <paramref name="image"/>, or null when it has no such image.</summary>
    public static Task<JsonElement?> InspectImageAsync(string image, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(image);
        return GetJsonAsync("/images/" + image + "/json", timeout);
    }

    /// <summary>
    /// <c>GET</c> of an engine path (e.g. <c>/containers/ID/json</c>, <c>/containers/json?all=1&amp;filters=...</c>);
    /// null when the engine does not answer or answers with an error status.
    /// </summary>
    public static async Task<JsonElement?> GetJsonAsync(string path, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var http = CreateClient(out _, timeout);
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or IOException or JsonException)
        {
            return null;
        }
    }

    private static HttpClient CreateClient(out string endpoint, TimeSpan timeout)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrEmpty(host) && host.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = host;
            return new HttpClient { BaseAddress = new Uri("http://" + host["tcp://".Length..].TrimEnd('/') + "/"), Timeout = timeout };
        }

        var socket = !string.IsNullOrEmpty(host) && host.StartsWith("unix://", StringComparison.OrdinalIgnoreCase) ? host["unix://".Length..] : "/var/run/docker.sock";
        endpoint = "unix://" + socket;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct).ConfigureAwait(false);
                    return new NetworkStream(s, ownsSocket: true);
                }
                catch
                {
                    s.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = timeout };
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
