using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using XmlRpc.Client;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>Options are checked before anything is served or sent, and every invalid setting is named at once.</summary>
public sealed class OptionsValidationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void TheDispatcherNamesEveryInvalidSetting()
    {
        var options = new XmlRpcServerOptions { MaxConcurrentRequests = 0, MaxResponseBytesInFlight = -1, ResponseStallTimeout = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => new XmlRpcDispatcher(new XmlRpcMethodRegistry(), options));

        Assert.Contains("MaxConcurrentRequests must be at least 1 (is 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxResponseBytesInFlight must be positive (is -1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResponseStallTimeout must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultsAreValid()
    {
        new XmlRpcServerOptions().Validate();
        new XmlRpcHostOptions().Validate();
        new XmlRpcClientOptions().Validate();
    }

    [Fact]
    public async Task TheStandaloneServerChecksItsHostOptionsWhenItStarts()
    {
        var host = new XmlRpcHostOptions { Host = "not an address", Port = 70000 };
        host.Paths.Add("RPC3");
        await using var server = new XmlRpcServer(new XmlRpcMethodRegistry(), hostOptions: host);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => server.StartAsync(Token)).Bounded();

        Assert.Contains("Host must be an IP address", error.Message, StringComparison.Ordinal);
        Assert.Contains("Port must be between 0 and 65535 (is 70000)", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"RPC3\" does not start with '/'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApplicationWithInvalidServerOptionsDoesNotStart()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddXmlRpcServer(_ => { }, options => options.MaxRequestBytes = -1);
        await using var app = builder.Build();

        // Mapping the endpoint already resolves the dispatcher, so the application stops there, before it listens.
        var error = Assert.Throws<OptionsValidationException>(() => app.MapXmlRpc("/RPC2"));

        Assert.Contains("MaxRequestBytes must be positive (is -1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnApplicationWithAnInvalidClientDoesNotStart()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddXmlRpcClient(new Uri("http://127.0.0.1:1/RPC2"), options => options.Timeout = TimeSpan.FromSeconds(-5));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Token)).Bounded();

        Assert.Contains("Timeout must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientWithInvalidOptionsIsNotCreated()
    {
        var error = Assert.Throws<ArgumentException>(() => new XmlRpcClient(new XmlRpcClientOptions { Url = "http://127.0.0.1:1/", MaxResponseBytes = 0, GzipRequestThreshold = -1 }));

        Assert.Contains("MaxResponseBytes must be positive (is 0)", error.Message, StringComparison.Ordinal);
        Assert.Contains("GzipRequestThreshold must be null or at least 0 (is -1)", error.Message, StringComparison.Ordinal);
    }
}
