using System.IO.Compression;
using System.Net;
using System.Text;
using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Client;

/// <summary>What the client puts on the wire and how it reads what comes back, against a scripted server.</summary>
public sealed class ClientHttpTests
{
    private const string OneResponse = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodResponse>\n";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendsCPythonsRequestBytesWithALengthAndTextXml()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient(server.Url);

        await client.CallAsync("pow", [XmlRpcValue.FromInt32(2), XmlRpcValue.FromInt32(3)], Token).Bounded();

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST /RPC2 HTTP/1.1", request.RequestLine);
        Assert.Equal(
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>pow</methodName>\n<params>\n<param>\n<value><int>2</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n",
            Encoding.UTF8.GetString(request.Body));
        Assert.Equal("187", request.Header("Content-Length"));
        Assert.Null(request.Header("Transfer-Encoding"));
        Assert.Equal("text/xml", request.Header("Content-Type"));
        Assert.Equal("gzip", request.Header("Accept-Encoding"));
        Assert.StartsWith("XmlRpc.NET/", request.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Null(request.Header("Expect"));
    }

    [Theory]
    [InlineData("http://us%40er:p%3Ass@HOST/RPC2", "dXNAZXI6cDpzcw==")]
    [InlineData("http://us@er:p:ss@HOST/RPC2", "dXNAZXI6cDpzcw==")]
    [InlineData("http://user@HOST/RPC2", "dXNlcg==")]
    [InlineData("http://user:@HOST/RPC2", "dXNlcjo=")]
    [InlineData("http://üser:pä@HOST/RPC2", "w7xzZXI6cMOk")]
    public async Task SendsBasicAuthenticationFromTheUrlLikeCPython(string url, string expected)
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient(url.Replace("HOST", "127.0.0.1:" + server.Port, StringComparison.Ordinal));

        await client.CallAsync("m", [], Token).Bounded();

        var request = Assert.Single(server.Requests);
        Assert.Equal("Basic " + expected, request.Header("Authorization"));
        Assert.Equal("127.0.0.1:" + server.Port, request.Header("Host"));
        Assert.DoesNotContain("@", client.Endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendsCredentialsAndHeadersFromTheOptions()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        var options = new XmlRpcClientOptions { Url = server.Url, UserName = "a", Password = "b", UserAgent = "test-agent/1" };
        options.Headers.Add(new("X-Trace", "42"));
        using var client = new XmlRpcClient(options);

        await client.CallAsync("m", [], Token).Bounded();

        var request = Assert.Single(server.Requests);
        Assert.Equal("Basic YTpi", request.Header("Authorization"));
        Assert.Equal("42", request.Header("X-Trace"));
        Assert.Equal("test-agent/1", request.Header("User-Agent"));
    }

    [Fact]
    public async Task AHeaderFromTheOptionsReplacesTheDefaultOfTheSameName()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        var options = new XmlRpcClientOptions { Url = server.Url };
        options.Headers.Add(new("Accept-Encoding", "identity"));
        options.Headers.Add(new("content-type", "text/xml; charset=utf-8"));
        options.Headers.Add(new("User-Agent", "mine/2"));
        using var client = new XmlRpcClient(options);

        await client.CallAsync("m", [], Token).Bounded();

        var request = Assert.Single(server.Requests);
        Assert.Equal("identity", request.Header("Accept-Encoding"));
        Assert.Equal("text/xml; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("mine/2", request.Header("User-Agent"));
    }

    [Fact]
    public async Task AGzippedErrorPageIsShownDecoded()
    {
        var page = System.Text.Encoding.ASCII.GetBytes("<html>proxy says no</html>");
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(page);
        }

        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(502, "Bad Gateway", packed.ToArray(), ("Content-Encoding", "gzip")));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcProtocolException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal(502, (int)error.StatusCode);
        Assert.Equal(page, error.BodyPrefix.ToArray());
    }

    [Fact]
    public async Task UsesRpc2WhenTheUrlHasNoPath()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient("http://127.0.0.1:" + server.Port);

        await client.CallAsync("m", [], Token).Bounded();

        Assert.Equal("POST /RPC2 HTTP/1.1", Assert.Single(server.Requests).RequestLine);
    }

    [Fact]
    public async Task GzipsRequestsOverTheThreshold()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = server.Url, GzipRequestThreshold = 100 });

        await client.CallAsync("echo", [XmlRpcValue.FromString(new string('x', 500))], Token).Bounded();
        await client.CallAsync("m", [], Token).Bounded();

        var requests = server.Requests.ToArray();
        Assert.Equal("gzip", requests[0].Header("Content-Encoding"));
        Assert.Contains(new string('x', 500), Encoding.UTF8.GetString(Gunzip(requests[0].Body)), StringComparison.Ordinal);
        Assert.Null(requests[1].Header("Content-Encoding"));
    }

    [Fact]
    public async Task DecodesGzipResponses()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(200, "OK", Gzip(Encoding.UTF8.GetBytes(OneResponse)), ("Content-Type", "text/xml"), ("Content-Encoding", "gzip")));
        using var client = new XmlRpcClient(server.Url);

        var result = await client.CallAsync("m", [], Token).Bounded();

        Assert.Equal(1, result.AsInt32());
    }

    [Fact]
    public async Task StopsDecodingAGzipBombAtTheCap()
    {
        var bomb = Gzip(new byte[4 * 1024 * 1024]);
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(200, "OK", bomb, ("Content-Encoding", "gzip")));
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = server.Url, MaxResponseBytes = 1024 * 1024 });

        var error = await Assert.ThrowsAsync<XmlRpcInvalidResponseException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesAResponseDeclaredLargerThanTheCap()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = server.Url, MaxResponseBytes = 10 });

        await Assert.ThrowsAsync<XmlRpcInvalidResponseException>(() => client.CallAsync("m", [], Token)).Bounded();
    }

    [Fact]
    public async Task ReportsANon200AnswerWithStatusReasonHeadersAndBody()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(404, "Not Found", "No such page"u8.ToArray(), ("Content-type", "text/plain"), ("X-A", "1")));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcProtocolException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("Not Found", error.ReasonPhrase);
        Assert.Contains(error.Headers, h => h.Key == "X-A" && h.Value == "1");
        Assert.Equal("No such page", Encoding.UTF8.GetString(error.BodyPrefix.Span));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains("No such page", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DoesNotFollowRedirects()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(301, "Moved Permanently", [], ("Location", "http://127.0.0.1:1/elsewhere")));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcProtocolException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal(HttpStatusCode.MovedPermanently, error.StatusCode);
    }

    [Fact]
    public async Task SaysSoWhenTheBodyIsNotXmlRpc()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Response(200, "OK", "<html>oops</html>"u8.ToArray(), ("Content-Type", "text/html")));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcInvalidResponseException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Contains("not an XML-RPC response", error.Message, StringComparison.Ordinal);
        Assert.Contains("<html>oops</html>", error.Message, StringComparison.Ordinal);
        Assert.IsType<XmlRpcParseException>(error.InnerException);
    }

    [Fact]
    public async Task ThrowsTheFaultWithCodeAndString()
    {
        const string fault = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>42</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>Test &lt;Fault&gt; &amp; co</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n";
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(fault));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal(42, error.FaultCode);
        Assert.Equal("Test <Fault> & co", error.FaultString);
    }

    [Fact]
    public async Task ToleratesAStringFaultCode()
    {
        const string fault = "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><string>4</string></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>";
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(fault));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal(4, error.FaultCode);
        Assert.Equal("x", error.FaultString);
    }

    [Fact]
    public async Task ANonNumericFaultCodeIsStillAFault()
    {
        const string fault = "<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><string>Server.Error</string></value></member><member><name>faultString</name><value><string>x</string></value></member></struct></value></fault></methodResponse>";
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(fault));
        using var client = new XmlRpcClient(server.Url);

        var error = await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Equal("x", error.FaultString);
        Assert.Equal("Server.Error", error.Fault.RawCode!.AsString());
    }

    [Fact]
    public async Task RefusesToSendAnIntBeyond32BitsLikeCPython()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Xml(OneResponse));
        using var client = new XmlRpcClient(server.Url);

        await Assert.ThrowsAsync<XmlRpcFormatException>(() => client.CallAsync("echo", [XmlRpcValue.FromInt64(2147483648)], Token)).Bounded();

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task TimesOutASlowServer()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = $"http://127.0.0.1:{port}/RPC2", Timeout = TimeSpan.FromMilliseconds(300) });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync("m", [], Token)).Bounded();

        Assert.Contains("'m'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsWhenCancelled()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new XmlRpcClient($"http://127.0.0.1:{port}/RPC2");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CallAsync("m", [], cancellation.Token)).Bounded();
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

    private static byte[] Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
