using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Conformance.Live;

/// <summary>A catalog case's <c>http</c> shape: one raw HTTP/1.0 exchange, as no client library would send it.</summary>
/// <param name="Method">Request method (default POST).</param>
/// <param name="Path">Request target (default /RPC2).</param>
/// <param name="Headers">Headers in order, as written.</param>
/// <param name="Body">Body bytes before optional gzip.</param>
/// <param name="GzipBody">Compress the body with gzip (level 1, mtime 0, as <c>conformance.http_request_bytes</c> does).</param>
/// <param name="OmitContentLength">Send no Content-Length (unless a header sets one).</param>
/// <param name="HalfClose">Shut down the sending side after the request (default), so a server reading to EOF ends.</param>
public sealed record RawHttpRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool GzipBody, bool OmitContentLength, bool HalfClose)
{
    /// <summary>The catalog's <c>http</c> shape; <c>halfClose</c> (default true) as python-peers/conformance.py reads it.</summary>
    public static RawHttpRequest From(Conformance.Catalog.CatalogCase liveCase)
    {
        ArgumentNullException.ThrowIfNull(liveCase);
        var http = liveCase.Http ?? throw new ArgumentException($"{liveCase.Id} has no http shape", nameof(liveCase));
        var halfClose = !(liveCase.Json.TryGetProperty("http", out var spec) && spec.TryGetProperty("halfClose", out var h) && h.ValueKind == JsonValueKind.False);
        return new RawHttpRequest(http.Method, http.Path, http.Headers, http.Body, http.GzipBody, http.OmitContentLength, halfClose);
    }

    /// <summary>The exact request bytes for a server on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public byte[] ToBytes(string host, int port)
    {
        var body = GzipBody ? Gzip(Body) : Body;
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{Method} {Path} HTTP/1.0\r\nHost: {host}:{port}\r\n");
        var hasLength = false;
        foreach (var (name, value) in Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            hasLength |= string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase);
        }

        if (!hasLength && !OmitContentLength)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}

/// <summary>What came back: status line, headers, body (gunzipped when the server said gzip).</summary>
/// <param name="Status">Status code, or null when nothing parsable came back.</param>
/// <param name="Reason">Reason phrase.</param>
/// <param name="Headers">Response headers, names lower-cased.</param>
/// <param name="Body">Body bytes (decoded from gzip when Content-Encoding says so).</param>
/// <param name="Raw">The first bytes received, for messages.</param>
public sealed record RawHttpResponse(int? Status, string Reason, IReadOnlyDictionary<string, string> Headers, byte[] Body, string Raw)
{
    /// <summary>Sends <paramref name="request"/> to <paramref name="baseAddress"/> over a plain TCP socket and reads until EOF (or the timeout).</summary>
    public static async Task<RawHttpResponse> ExchangeAsync(RawHttpRequest request, Uri baseAddress, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(baseAddress);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port, cts.Token);
        await socket.SendAsync(request.ToBytes(baseAddress.Host, baseAddress.Port), SocketFlags.None, cts.Token);
        if (request.HalfClose)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        using var received = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    break;
                }

                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: judge what arrived (a server that keeps the connection open after its answer).
        }
        catch (SocketException) when (received.Length > 0)
        {
            // Reset after the answer: judge what arrived.
        }

        return Parse(received.ToArray());
    }

    /// <summary>Status line, headers and the body as text (UTF-8), for a reader.</summary>
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP {Status} {Reason}\n")
        + string.Concat(Headers.Select(h => $"{h.Key}: {h.Value}\n"))
        + "\n" + Encoding.UTF8.GetString(Body);

    /// <summary>Parses a raw HTTP response.</summary>
    public static RawHttpResponse Parse(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var preview = Encoding.Latin1.GetString(raw, 0, Math.Min(raw.Length, 300));
        var split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        var headText = Encoding.Latin1.GetString(raw, 0, split < 0 ? raw.Length : split);
        var body = split < 0 ? [] : raw[(split + 4)..];
        var lines = headText.Split("\r\n");
        var parts = lines[0].Split(' ', 3);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return new RawHttpResponse(null, "", headers, body, preview);
        }

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        if (headers.TryGetValue("content-encoding", out var encoding) && string.Equals(encoding, "gzip", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            body = plain.ToArray();
        }

        return new RawHttpResponse(status, parts.Length > 2 ? parts[2] : "", headers, body, preview);
    }
}
