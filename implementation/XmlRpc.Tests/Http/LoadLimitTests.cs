using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using XmlRpc.Server;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>The limits that keep a server under hostile load bounded (XmlRpcServerOptions): each one, alone, with small figures.</summary>
public sealed class LoadLimitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] Call(string method, string param = "") =>
        RawHttp.Request("POST", "/RPC2", [], Encoding.UTF8.GetBytes(
            $"<?xml version='1.0'?><methodCall><methodName>{method}</methodName><params>{param}</params></methodCall>"));

    private static string IntParam(int n) => $"<param><value><int>{n}</int></value></param>";

    [Fact]
    public async Task ARequestBeyondTheConcurrencyLimitGets503WithRetryAfter()
    {
        var release = new TaskCompletionSource();
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { MaxConcurrentRequests = 1, RequestQueueTimeout = TimeSpan.FromMilliseconds(200) }, release.Task);
        var held = RawHttp.ExchangeAsync(server.Port, Call("wait"));
        await Task.Delay(300, Token); // the first request holds the only slot

        var refused = await RawHttp.ExchangeAsync(server.Port, Call("echo", IntParam(1)));
        release.SetResult();
        var first = await held;

        Assert.Equal(503, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(200, first.Status);
        Assert.Equal(200, (await RawHttp.ExchangeAsync(server.Port, Call("echo", IntParam(2)))).Status); // the slot is free again
    }

    private static string MulticallParam(params string[] calls) =>
        "<param><value><array><data>" + string.Concat(calls) + "</data></array></value></param>";

    private static string SubCall(string method, string param = "") =>
        $"<value><struct><member><name>methodName</name><value><string>{method}</string></value></member>"
        + $"<member><name>params</name><value><array><data>{param}</data></array></value></member></struct></value>";

    // Holds a share of the bytes in flight until released: a multicall whose first result (make_string(n)) is written,
    // which keeps its document (about n bytes) charged, then waits.
    private static async Task<Task<RawResponse>> HoldAsync(int port, int length)
    {
        var held = RawHttp.ExchangeAsync(port, Call("system.multicall", MulticallParam(SubCall("make_string", $"<value><int>{length}</int></value>"), SubCall("wait"))));
        await Task.Delay(300, Token);
        Assert.False(held.IsCompleted, "the holding multicall did not wait");
        return held;
    }

    [Fact]
    public async Task AResponseThatDoesNotFitBesideTheOthersInFlightGets503()
    {
        var release = new TaskCompletionSource();
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { MaxResponseBytesInFlight = 300_000 }, release.Task);
        var held = await HoldAsync(server.Port, 100_000); // about 100 000 bytes of document

        // 70 030 bytes of document would fit beside it; with the 140 000 its string holds while formatted, they do not.
        var big = await RawHttp.ExchangeAsync(server.Port, Call("make_string", IntParam(70_000)));
        var small = await RawHttp.ExchangeAsync(server.Port, Call("make_string", IntParam(10)));
        release.SetResult();

        Assert.Equal(503, big.Status);
        Assert.Equal("1", big.Header("Retry-After"));
        Assert.Equal(200, small.Status);
        Assert.Equal(200, (await held).Status);
    }

    [Fact]
    public async Task AResponseAloneInFlightIsServedWhateverTheBudget()
    {
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { MaxResponseBytesInFlight = 100_000 });

        var big = await RawHttp.ExchangeAsync(server.Port, Call("make_string", IntParam(200_000)));

        Assert.Equal(200, big.Status); // it could never fit: a 503 would only make the client retry forever
        Assert.Contains(new string('x', 200_000), big.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASmallResponseIsServedWhileALargeOneOverdrawsTheBudget()
    {
        var release = new TaskCompletionSource();
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { MaxResponseBytesInFlight = 100_000 }, release.Task);
        var held = await HoldAsync(server.Port, 200_000); // alone, 600 030 bytes

        var small = await RawHttp.ExchangeAsync(server.Port, Call("echo", "<param><value><string>still served</string></value></param>"));
        var big = await RawHttp.ExchangeAsync(server.Port, Call("make_string", IntParam(70_000)));
        release.SetResult();

        Assert.Equal(200, small.Status);
        Assert.Contains("still served", small.Text, StringComparison.Ordinal);
        Assert.Equal(503, big.Status);
        Assert.Equal(200, (await held).Status);
    }

    [Fact]
    public async Task AMulticallStopsOnceItsResultsPassTheBytesInFlight()
    {
        var release = new TaskCompletionSource();
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { MaxResponseBytesInFlight = 250_000 }, release.Task);
        var held = await HoldAsync(server.Port, 20_000); // about 20 000 bytes

        // Each result holds 150 030 bytes while it is written, then its document of about 50 000 stays: the third comes to
        // about 20 000 + 2 × 50 000 + 150 030 (had the first two kept their strings, the second would not have fitted).
        var call = SubCall("make_string", "<value><int>50000</int></value>");
        var three = await RawHttp.ExchangeAsync(server.Port, Call("system.multicall", MulticallParam(call, call, call)));
        var two = await RawHttp.ExchangeAsync(server.Port, Call("system.multicall", MulticallParam(call, call)));
        release.SetResult();

        Assert.Equal(503, three.Status); // the third result does not fit: refused before the rest of the document is built
        Assert.Equal(200, two.Status); // and what the first two held was given back
        Assert.Equal(200, (await held).Status);
    }

    [Fact]
    public async Task AClientThatStopsReadingIsDroppedAfterTheStallTimeout()
    {
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions { ResponseStallTimeout = TimeSpan.FromSeconds(1) });
        using var client = new TcpClient { ReceiveBufferSize = 4096 };
        await client.ConnectAsync("127.0.0.1", server.Port, Token).AsTask().Bounded();
        var stream = client.GetStream();
        const int length = 32 * 1024 * 1024; // far more than the socket buffers of both ends hold
        await stream.WriteAsync(Call("make_string", IntParam(length)), Token).AsTask().Bounded();

        await Task.Delay(TimeSpan.FromSeconds(4), Token); // read nothing: the server's writes stall, then it gives up
        long received = 0;
        var chunk = new byte[1 << 16];
        var clock = Stopwatch.StartNew();
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, Token).AsTask().Bounded()) > 0)
            {
                received += read;
            }
        }
        catch (IOException)
        {
            // A reset is a drop too.
        }

        Assert.True(received < length, $"the whole response arrived ({received} bytes): the stalled client was not dropped");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the connection was not closed");
        Assert.Equal(200, (await RawHttp.ExchangeAsync(server.Port, Call("echo", IntParam(3)))).Status); // and the server goes on
    }

    [Fact]
    public async Task AHeadThatNeverEndsGets408AfterTheHeadersTimeout()
    {
        await using var server = await SmallLimitServer.StartAsync(new XmlRpcServerOptions(), hostOptions: new XmlRpcHostOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port, Token).AsTask().Bounded();
        var stream = client.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync("POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Slow: "u8.ToArray(), Token).AsTask().Bounded();

        var response = await RawHttp.ReadResponseAsync(stream).Bounded();

        Assert.Equal(408, response.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
    }
}
