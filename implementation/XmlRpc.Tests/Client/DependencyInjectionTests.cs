using Microsoft.Extensions.DependencyInjection;
using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Client;

public sealed class DependencyInjectionTests(ConformanceServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResolvesNamedClientsFromTheFactory()
    {
        var services = new ServiceCollection();
        services.AddXmlRpcClient("conformance", options => options.Url = server.Url);
        services.AddXmlRpcClient("nowhere", options => options.Url = "http://127.0.0.1:1/RPC2");
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IXmlRpcClientFactory>();

        using var client = factory.CreateClient("conformance");
        var result = await client.CallAsync("add", [XmlRpcValue.FromInt32(2), XmlRpcValue.FromInt32(3)], Token).Bounded();

        Assert.Equal(5, result.AsInt32());
        Assert.Equal(new Uri("http://127.0.0.1:1/RPC2"), factory.CreateClient("nowhere").Endpoint);
    }

    [Fact]
    public async Task InjectsTheDefaultClientAndTypedProxies()
    {
        var services = new ServiceCollection();
        services.AddXmlRpcClient(new Uri(server.Url), options => options.Timeout = TimeSpan.FromSeconds(10));
        services.AddXmlRpcProxy<IConformanceService>(Microsoft.Extensions.Options.Options.DefaultName);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<XmlRpcClient>();
        var proxy = provider.GetRequiredService<IConformanceService>();

        Assert.Equal(TimeSpan.FromSeconds(10), client.Options.Timeout);
        Assert.Equal(7, await proxy.AddAsync(3, 4).Bounded());
        var echoed = await client.CallAsync("echo", [XmlRpcValue.FromString("x")], Token).Bounded();
        Assert.Equal("x", echoed.AsString());
    }

    [Fact]
    public void RunsOnTheHandlerThatUnderstandsHttp10Servers()
    {
        var services = new ServiceCollection();
        var builder = services.AddXmlRpcClient("conformance", options => options.Url = server.Url);
        HttpMessageHandler? primary = null;
        builder.ConfigurePrimaryHttpMessageHandler((handler, _) =>
        {
            primary = handler;
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IXmlRpcClientFactory>().CreateClient("conformance").Dispose();

        var sockets = Assert.IsType<SocketsHttpHandler>(primary);
        Assert.NotNull(sockets.PlaintextStreamFilter);
        Assert.False(sockets.AllowAutoRedirect);
    }
}
