using System.Globalization;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>The server's HTTP behaviour, byte by byte over raw sockets (what a client library would hide).</summary>
public sealed class ServerHttpTests(ConformanceServerFixture server)
{
    private const string EchoCall = "<?xml version='1.0'?>\n<methodCall>\n<methodName>echo</methodName>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodCall>\n";

    private const string EchoResponse = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodResponse>\n";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task AnswersAPostWithCPythonsResponseBytes()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Type", "text/xml")], Utf8(EchoCall)));

        Assert.Equal(200, response.Status);
        Assert.Equal("text/xml", response.Header("Content-Type"));
        Assert.Equal(EchoResponse, response.Text);
        Assert.Equal(Encoding.UTF8.GetByteCount(EchoResponse).ToString(CultureInfo.InvariantCulture), response.Header("Content-Length"));
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/%52PC2")] // CPython compares the path as sent, not percent-decoded
    [InlineData("/rpc2")]
    public async Task AnswersOtherPathsWithCPythonsNotFound(string path)
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", path, [], Utf8(EchoCall)));

        Assert.Equal(404, response.Status);
        Assert.Equal("No such page", response.Text);
    }

    [Theory]
    [InlineData("GET", "/RPC2")]
    [InlineData("GET", "/elsewhere")] // CPython: 501 on every path, the method is checked first
    [InlineData("PUT", "/RPC2")]
    [InlineData("DELETE", "/RPC2")]
    [InlineData("OPTIONS", "/")]
    public async Task AnswersMethodsOtherThanPostWith501(string method, string path)
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request(method, path, [], method == "GET" ? [] : Utf8(EchoCall), omitContentLength: method == "GET"));

        Assert.Equal(501, response.Status);
        Assert.Equal($"Unsupported method ('{method}')", response.Reason);
    }

    [Fact]
    public async Task RequiresALengthForAPostBody()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [], Utf8(EchoCall), omitContentLength: true));

        Assert.Equal(411, response.Status);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public async Task RequiresALengthForAnHttp10PostBodyToo()
    {
        // Kestrel alone answers a bare 400 before any application code runs (FirstRequestHead).
        foreach (var method in new[] { "POST", "PUT" })
        {
            var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request(method, "/RPC2", [], Utf8(EchoCall), omitContentLength: true, version: "HTTP/1.0"));

            Assert.Equal(411, response.Status);
            Assert.Equal("Length Required", response.Reason);
            Assert.Equal("close", response.Header("Connection"));
        }
    }

    [Fact]
    public async Task RefusesAnUnparsableContentLength()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Length", "abc")], Utf8(EchoCall)));

        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData("+5")]
    [InlineData("-1")]
    [InlineData(" 5x")]
    public async Task RefusesAContentLengthThatIsNotDigits(string length)
    {
        // RFC 9110 §8.6: 1*DIGIT. Kestrel alone reads "+5" as 5 and answers 200.
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Length", length)], Utf8(EchoCall)[..5]));

        Assert.Equal(400, response.Status);
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("ffffffffff")]
    [InlineData("zz")]
    public async Task AnswersAMalformedChunkSizeWith400(string chunkSize)
    {
        // Kestrel reports a chunk size past int.MaxValue as a plain IOException, which used to escape as a 500.
        var request = Encoding.ASCII.GetBytes($"POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{chunkSize}\r\n" + EchoCall);

        var response = await RawHttp.ExchangeAsync(server.Port, request);

        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Theory]
    [InlineData("Content-Length: 100\r\n\r\n0123456789")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\n64\r\n0123456789")]
    [InlineData("Transfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n")]
    public async Task AnswersABodyCutShortByTheClientsHalfCloseWith400(string framingAndBody)
    {
        // The client sends less body than it announced, then shutdown(SHUT_WR). Kestrel alone aborts such a connection
        // (the client reads a reset); the issue asks for a 400, and a clean close after it.
        var request = Encoding.ASCII.GetBytes("POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n" + framingAndBody);

        var (responses, after) = await HalfClosedExchangeAsync(server.Port, request);

        var response = Assert.Single(responses);
        Assert.Equal(400, response.Status);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal("Bad Request", response.Text);
        Assert.Empty(after);
    }

    [Fact]
    public async Task AnswersACompleteRequestThenABodyCutShortOnOneConnection()
    {
        var request = (byte[])[.. RawHttp.Request("POST", "/RPC2", [], Utf8(EchoCall)), .. RawHttp.Request("POST", "/RPC2", [("Content-Length", "100")], "<?xml"u8.ToArray())];

        var (responses, after) = await HalfClosedExchangeAsync(server.Port, request, count: 2);

        Assert.Equal([200, 400], responses.Select(r => r.Status));
        Assert.Equal(EchoResponse, responses[0].Text);
        Assert.Empty(after);
    }

    [Fact]
    public async Task ClosesCleanlyAfterANotFoundWhoseUnreadBodyWasCutShort()
    {
        // The body is never read (404): Kestrel's own drain of it meets the end of input after the response is written.
        var (responses, after) = await HalfClosedExchangeAsync(server.Port, RawHttp.Request("POST", "/nope", [("Content-Length", "100")], "0123456789"u8.ToArray()));

        Assert.Equal(404, Assert.Single(responses).Status);
        Assert.Empty(after);
    }

    /// <summary>
    /// Sends <paramref name="request"/>, half-closes and reads until the server's FIN: a reset fails the read (IOException),
    /// so a passing caller proves a clean close. Returns the responses, each cut at its Content-Length, and any bytes after them.
    /// </summary>
    private static async Task<(List<RawResponse> Responses, byte[] After)> HalfClosedExchangeAsync(int port, byte[] request, int count = 1)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken).AsTask().Bounded();
        var stream = client.GetStream();
        await stream.WriteAsync(request).AsTask().Bounded();
        client.Client.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        await stream.CopyToAsync(received).Bounded();

        var data = received.ToArray();
        var responses = new List<RawResponse>();
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var headEnd = data.AsSpan(offset).IndexOf("\r\n\r\n"u8);
            Assert.True(headEnd >= 0, "response " + (i + 1).ToString(CultureInfo.InvariantCulture) + " is missing: " + Encoding.Latin1.GetString(data));
            var head = Encoding.Latin1.GetString(data, offset, headEnd);
            var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(p => int.Parse(p[1], CultureInfo.InvariantCulture)).Single();
            var end = offset + headEnd + 4 + length;
            responses.Add(await RawHttp.ReadResponseAsync(new MemoryStream(data[offset..end])));
            offset = end;
        }

        return (responses, data[offset..]);
    }

    [Fact]
    public async Task RefusesAnOversizeBodyBeforeReadingIt()
    {
        // Only the headers are sent: a server that tried to read 1 GB would time out here instead of answering.
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Length", "1000000000")], []));

        Assert.Equal(413, response.Status);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public async Task RefusesAChunkedBodyOverTheCap()
    {
        await using var host = await SmallLimitServer.StartAsync(maxRequestBytes: 1024);
        var request = new StringBuilder("POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (var i = 0; i < 4; i++)
        {
            request.Append("200\r\n").Append('x', 0x200).Append("\r\n");
        }

        request.Append("0\r\n\r\n");
        var response = await RawHttp.ExchangeAsync(host.Port, Encoding.ASCII.GetBytes(request.ToString()));

        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task AcceptsAChunkedHttp11Body()
    {
        var body = Utf8(EchoCall);
        var request = new List<byte>();
        request.AddRange(Encoding.ASCII.GetBytes("POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        request.AddRange(Encoding.ASCII.GetBytes($"{10:x}\r\n"));
        request.AddRange(body.AsSpan(0, 10));
        request.AddRange(Encoding.ASCII.GetBytes($"\r\n{body.Length - 10:x}\r\n"));
        request.AddRange(body.AsSpan(10));
        request.AddRange("\r\n0\r\n\r\n"u8);

        var response = await RawHttp.ExchangeAsync(server.Port, [.. request]);

        Assert.Equal(200, response.Status);
        Assert.Equal(EchoResponse, response.Text);
    }

    [Fact]
    public async Task DecodesAGzipRequestBody()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "gzip")], Gzip(Utf8(EchoCall))));

        Assert.Equal(200, response.Status);
        Assert.Equal(EchoResponse, response.Text);
    }

    [Fact]
    public async Task RefusesAGzipBodyThatDecodesPastTheCap()
    {
        await using var host = await SmallLimitServer.StartAsync(maxRequestBytes: 1024 * 1024, maxGzipRequestBytes: 4096);
        var bomb = Gzip(new byte[1024 * 1024]);

        var response = await RawHttp.ExchangeAsync(host.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "gzip")], bomb));

        Assert.Equal(400, response.Status);
        Assert.Equal("error decoding gzip content", response.Reason);
    }

    [Fact]
    public async Task RefusesABodyThatIsNotGzipDespiteItsHeader()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "gzip")], Utf8(EchoCall)));

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task ReadsTheFirstContentEncodingHeaderLikeCPython()
    {
        var twoHeaders = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "gzip"), ("Content-Encoding", "identity")], Gzip(Utf8(EchoCall))));
        var oneList = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "gzip, identity")], Gzip(Utf8(EchoCall))));

        Assert.Equal(200, twoHeaders.Status);
        Assert.Equal(EchoResponse, twoHeaders.Text);
        Assert.Equal(501, oneList.Status);
        Assert.Equal("encoding 'gzip, identity' not supported", oneList.Reason);
    }

    [Fact]
    public async Task RefusesAnUnsupportedContentEncodingWithCPythonsReason()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [("Content-Encoding", "deflate")], Utf8(EchoCall)));

        Assert.Equal(501, response.Status);
        Assert.Equal("encoding 'deflate' not supported", response.Reason);
    }

    [Theory]
    [InlineData(1275, "gzip", true)]
    [InlineData(1274, "gzip", false)]
    [InlineData(5000, "gzip;q=0", false)]
    [InlineData(5000, "gzip; q = 0.0", false)]
    [InlineData(5000, "identity, gzip ; q=0.001", true)]
    [InlineData(5000, "gzip;q=abc", true)]
    [InlineData(5000, "GZIP", false)]
    [InlineData(5000, "x-gzip", false)]
    [InlineData(5000, "*", false)]
    [InlineData(5000, null, false)]
    public async Task GzipsResponsesOverThe1400ByteThresholdWhenGranted(int length, string? acceptEncoding, bool gzipped)
    {
        var call = $"<?xml version='1.0'?>\n<methodCall>\n<methodName>make_string</methodName>\n<params>\n<param>\n<value><int>{length}</int></value>\n</param>\n</params>\n</methodCall>\n";
        (string, string)[] headers = acceptEncoding is null ? [] : [("Accept-Encoding", acceptEncoding)];

        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", headers, Utf8(call)));

        Assert.Equal(200, response.Status);
        Assert.Equal(gzipped ? "gzip" : null, response.Header("Content-Encoding"));
        Assert.Contains(new string('x', length), response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnswersUnparsableXmlWithAFaultAndStatus200()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [], Utf8("this is not xml")));

        Assert.Equal(200, response.Status);
        Assert.Contains("<name>faultCode</name>\n<value><int>1</int></value>", response.Text, StringComparison.Ordinal);
        // CPython's SimpleXMLRPCServer, word for word: expat's message, line and 0-based column.
        Assert.Contains("&lt;class 'xml.parsers.expat.ExpatError'&gt;:syntax error: line 1, column 0</string>", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepsAnHttp11ConnectionOpenForManyRequests()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, TestContext.Current.CancellationToken).AsTask().Bounded();
        var stream = client.GetStream();

        for (var i = 0; i < 5; i++)
        {
            await stream.WriteAsync(RawHttp.Request("POST", "/RPC2", [], Utf8(EchoCall)), TestContext.Current.CancellationToken).AsTask().Bounded();
            var response = await RawHttp.ReadResponseAsync(stream).Bounded();
            Assert.Equal(200, response.Status);
            Assert.Equal(EchoResponse, response.Text);
            Assert.Equal("HTTP/1.1", response.Version);
        }
    }

    [Fact]
    public async Task AnswersAnHttp10RequestAndClosesTheConnection()
    {
        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [], Utf8(EchoCall), version: "HTTP/1.0"));

        Assert.Equal(200, response.Status);
        Assert.Equal(EchoResponse, response.Text);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public async Task KeepsServingAfterGarbage()
    {
        byte[][] garbage =
        [
            "\0\0\0\0\r\n\r\n"u8.ToArray(),
            "POST /RPC2\r\n\r\n"u8.ToArray(),
            "POST /RPC2 HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"u8.ToArray(),
            "GARBAGE GARBAGE GARBAGE\r\n\r\n"u8.ToArray(),
            Encoding.ASCII.GetBytes("POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Long: " + new string('a', 100_000) + "\r\n\r\n"),
            RawHttp.Request("POST", "/RPC2", [], Utf8("<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value><array><data>" + string.Concat(Enumerable.Repeat("<value><array><data>", 5000)))),
            RawHttp.Request("POST", "/RPC2", [], Utf8("<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><methodCall><methodName>echo</methodName><params><param><value>&b;</value></param></params></methodCall>")),
        ];

        foreach (var request in garbage)
        {
            await SendAndForgetAsync(request);
        }

        var response = await RawHttp.ExchangeAsync(server.Port, RawHttp.Request("POST", "/RPC2", [], Utf8(EchoCall)));
        Assert.Equal(200, response.Status);
        Assert.Equal(EchoResponse, response.Text);
    }

    private async Task SendAndForgetAsync(byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, TestContext.Current.CancellationToken).AsTask().Bounded();
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request).AsTask().Bounded();
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer).AsTask().Bounded() > 0)
            {
                // Drain whatever the server answers until it closes.
            }
        }
        catch (IOException)
        {
            // The server may reset a connection that sent garbage; what matters is the next request.
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
