using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;

namespace XmlRpc.Tests.Http;

/// <summary>One HTTP response read off a raw socket.</summary>
internal sealed record RawResponse(string Version, int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.LastOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The body, gunzipped when the response says <c>Content-Encoding: gzip</c>.</summary>
    public byte[] DecodedBody()
    {
        if (Header("Content-Encoding") != "gzip")
        {
            return Body;
        }

        using var gzip = new GZipStream(new MemoryStream(Body), CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    public string Text => Encoding.UTF8.GetString(DecodedBody());
}

/// <summary>Sends literal HTTP bytes over a TcpClient: what a client library would hide.</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> on a new connection and reads one response.</summary>
    public static async Task<RawResponse> ExchangeAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port).WaitAsync(TestEnvironment.Timeout);
        var stream = client.GetStream();
        await stream.WriteAsync(request).AsTask().WaitAsync(TestEnvironment.Timeout);
        return await ReadResponseAsync(stream).WaitAsync(TestEnvironment.Timeout);
    }

    /// <summary>Builds a request; <c>Content-Length</c> is added unless <paramref name="omitContentLength"/> or a header sets it.</summary>
    public static byte[] Request(string method, string path, IEnumerable<(string Name, string Value)> headers, byte[] body, bool omitContentLength = false, string version = "HTTP/1.1")
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {path} {version}\r\nHost: 127.0.0.1\r\n");
        var hasLength = false;
        foreach (var (name, value) in headers)
        {
            hasLength |= name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase);
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (!hasLength && !omitContentLength)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
    }

    /// <summary>Reads one response: status line, headers, then a Content-Length body or everything until the server closes.</summary>
    public static async Task<RawResponse> ReadResponseAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = FindHeaderEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                throw new IOException("The connection closed before the response headers ended; got: " + Encoding.Latin1.GetString([.. buffer]));
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        var head = Encoding.Latin1.GetString([.. buffer.Take(headerEnd)]);
        var lines = head.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var body = buffer.Skip(headerEnd + 4).ToList();
        var lengthHeader = headers.LastOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
        long? length = lengthHeader is null ? null : long.Parse(lengthHeader, CultureInfo.InvariantCulture);
        while (length is null || body.Count < length)
        {
            var read = await stream.ReadAsync(chunk);
            if (read == 0)
            {
                break;
            }

            body.AddRange(chunk.AsSpan(0, read));
        }

        return new RawResponse(status[0], int.Parse(status[1], CultureInfo.InvariantCulture), status.Length > 2 ? status[2] : string.Empty, headers, [.. body]);
    }

    private static int FindHeaderEnd(List<byte> buffer)
    {
        for (var i = 0; i + 3 < buffer.Count; i++)
        {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
