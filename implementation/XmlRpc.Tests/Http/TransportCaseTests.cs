using System.IO.Compression;
using System.Net.Sockets;
using Conformance.Catalog;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>The catalog's transport cases, sent as raw bytes to our conformance server: as HTTP/1.1, and exactly as the Python peers send them.</summary>
public sealed class TransportCaseTests(ConformanceServerFixture server)
{
    public static IEnumerable<TheoryDataRow<string>> HttpCases() => CatalogData.HttpCases();

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task OurServerAnswersWithTheCasesStatus(string id)
    {
        var testCase = CatalogData.Catalog.Get(id);
        var http = testCase.Http!;
        var body = http.GzipBody ? Gzip(http.Body) : http.Body;
        var request = RawHttp.Request(http.Method, http.Path, http.Headers.Select(h => (h.Key, h.Value)), body, http.OmitContentLength);

        var response = await RawHttp.ExchangeAsync(server.Port, request);

        CatalogData.AssertOurs(testCase, new CaseObservation { Status = response.Status }, ourClient: false);
    }

    [Theory]
    [MemberData(nameof(HttpCases))]
    public async Task OurServerAnswersTheHalfClosedHttp10ExchangeOfThePythonPeers(string id)
    {
        // python-peers/conformance.py http_exchange: an HTTP/1.0 request, shutdown(SHUT_WR), read to EOF.
        // Kestrel alone drops the response when the client's FIN arrives (XmlRpcHostOptions.AnswerHalfClosedConnections).
        var testCase = CatalogData.Catalog.Get(id);
        if (CatalogData.Catalog.KnownIssues.Find(id, "live.py-to-cs", pythonVersion: null) is { } known)
        {
            Assert.Skip($"known issue: {known.Reason} {known.Link}");
        }

        var http = testCase.Http!;
        var body = http.GzipBody ? Gzip(http.Body) : http.Body;
        var request = RawHttp.Request(http.Method, http.Path, http.Headers.Select(h => (h.Key, h.Value)), body, http.OmitContentLength, version: "HTTP/1.0");
        var token = TestContext.Current.CancellationToken;

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, token).AsTask().WaitAsync(TestEnvironment.Timeout, token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, token).AsTask().WaitAsync(TestEnvironment.Timeout, token);
        client.Client.Shutdown(SocketShutdown.Send);
        var response = await RawHttp.ReadResponseAsync(stream).WaitAsync(TestEnvironment.Timeout, token);

        CatalogData.AssertOurs(testCase, new CaseObservation { Status = response.Status }, ourClient: false);
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
