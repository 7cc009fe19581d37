using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmlRpc.Client;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>The two hostings (ASP.NET Core endpoint and standalone server) and the conformance server's command line.</summary>
public sealed class HostingTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServesOneDispatcherOnMappedEndpointsAndAStandaloneServer()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await StartAppAsync(methods => methods
            .Add("add", (int x, int y) => x + y)
            .Add("wait", async (CancellationToken cancellationToken) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    cancelled.TrySetResult(true);
                    throw;
                }

                return 0;
            }));
        var baseUrl = AddressOf(app);
        await using var standalone = new XmlRpcServer(app.Services.GetRequiredService<XmlRpcDispatcher>());
        await standalone.StartAsync(Token).Bounded();

        foreach (var url in new[] { baseUrl + "/RPC2", baseUrl + "/api/xmlrpc", standalone.Url.ToString() })
        {
            using var client = new XmlRpcClient(url);
            var sum = await client.CallAsync("add", [XmlRpcValue.FromInt32(2), XmlRpcValue.FromInt32(3)], Token).Bounded();
            Assert.Equal(5, sum.AsInt32());
        }

        Assert.Same(app.Services.GetRequiredService<XmlRpcDispatcher>(), standalone.Dispatcher);
        using (var client = new XmlRpcClient(new XmlRpcClientOptions { Url = baseUrl + "/RPC2", Timeout = TimeSpan.FromMilliseconds(300) }))
        {
            // The request's cancellation (HttpContext.RequestAborted) reaches the method when the client gives up.
            await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync("wait", [], Token)).Bounded();
        }

        Assert.True(await cancelled.Task.Bounded());
    }

    [Fact]
    public async Task AnswersOtherMethodsWith501OnAMappedEndpoint()
    {
        await using var app = await StartAppAsync(methods => methods.Add("one", () => 1));
        var port = new Uri(AddressOf(app)).Port;

        var get = await RawHttp.ExchangeAsync(port, RawHttp.Request("GET", "/RPC2", [], [], omitContentLength: true));
        var elsewhere = await RawHttp.ExchangeAsync(port, RawHttp.Request("POST", "/other", [], "x"u8.ToArray()));

        Assert.Equal(501, get.Status);
        Assert.Equal(404, elsewhere.Status);
    }

    [Fact]
    public async Task AMappedEndpointTakesAnHttp2BodyWithoutContentLength()
    {
        // HTTP/2 frames the body itself: no Content-Length is needed (the 411 rule is HTTP/1.x's).
        await using var app = await StartAppAsync(methods => methods.Add("add", (int x, int y) => x + y), Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        using var http = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var body = XmlRpcFormatter.Default.FormatRequest(new Protocol.XmlRpcRequest("add", [XmlRpcValue.FromInt32(2), XmlRpcValue.FromInt32(3)]));
        using var content = new StreamContent(new NoLengthStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml");

        using var response = await http.PostAsync(AddressOf(app) + "/RPC2", content, Token).Bounded();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = XmlRpcParser.Default.ParseResponse(await response.Content.ReadAsByteArrayAsync(Token).Bounded());
        Assert.Equal(5, answer.Value!.AsInt32());
    }

    [Fact]
    public async Task StartsTheConformanceServerFromItsCommandLine()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Conformance.Server.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { program, "--port", "0", "--max-lifetime", "20", "--fixtures", TestEnvironment.FixturesDirectory })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(Token).AsTask().Bounded();
            Assert.NotNull(line);
            using var ready = JsonDocument.Parse(line);
            var root = ready.RootElement;
            Assert.Equal("ready", root.GetProperty("event").GetString());
            Assert.Equal("server", root.GetProperty("role").GetString());
            Assert.Equal("XmlRpc.NET", root.GetProperty("implementation").GetString());
            Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
            var url = root.GetProperty("url").GetString()!;
            Assert.Equal($"http://127.0.0.1:{root.GetProperty("port").GetInt32()}/RPC2", url);

            using var client = new XmlRpcClient(url);
            var help = await client.CallAsync("system.methodHelp", [XmlRpcValue.FromString("echo")], Token).Bounded();
            Assert.Equal("Return the argument unchanged.", help.AsString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Token).Bounded();
        }
    }

    [Fact]
    public async Task LogsThroughTheGivenLoggerFactory()
    {
        var provider = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(provider));
        var methods = new XmlRpcMethodRegistry().Add("boom", new Func<int>(() => throw new InvalidOperationException("boom")));
        await using var server = new XmlRpcServer(methods, loggerFactory: loggerFactory);
        await server.StartAsync(Token).Bounded();
        using var client = new XmlRpcClient(server.Url.ToString());

        await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("boom", [], Token)).Bounded();

        // Kestrel keeps logging (connection events) while the assertion runs: look at a snapshot.
        var messages = provider.Snapshot();

        Assert.Contains(messages, m => m.Contains("'boom' raised an exception", StringComparison.Ordinal));
    }

    private static async Task<WebApplication> StartAppAsync(Action<XmlRpcMethodRegistry> register, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        builder.Logging.ClearProviders();
        builder.Services.AddXmlRpcServer(register);
        var app = builder.Build();
        app.MapXmlRpc("/RPC2");
        app.MapXmlRpc("/api/xmlrpc");
        await app.StartAsync(Token).Bounded();
        return app;
    }

    private static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();

    /// <summary>A stream that does not know its length, so HttpClient sends no Content-Length.</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
