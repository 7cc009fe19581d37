using Conformance.Server;
using Xunit;

[assembly: AssemblyFixture(typeof(XmlRpc.Tests.Http.ConformanceServerFixture))]

namespace XmlRpc.Tests.Http;

/// <summary>One C# conformance server (the twin of python-peers/server.py) for the whole test run.</summary>
public sealed class ConformanceServerFixture : IAsyncLifetime
{
    private ConformanceHost? _host;

    /// <summary>The running host.</summary>
    public ConformanceHost Host => _host ?? throw new InvalidOperationException("The conformance server is not started.");

    /// <summary>Its <c>/RPC2</c> URL.</summary>
    public string Url => Host.Url.ToString();

    /// <summary>Its port.</summary>
    public int Port => Host.Port;

    public async ValueTask InitializeAsync() =>
        _host = await ConformanceHost.StartAsync(0, TestEnvironment.FixturesDirectory, TestContext.Current.CancellationToken).Bounded();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
