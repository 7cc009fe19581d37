using System.Text.Json;
using Microsoft.Extensions.Logging;
using XmlRpc.Server;

namespace Conformance.Server;

/// <summary>The conformance service on the standalone <see cref="XmlRpcServer"/>, in this process.</summary>
/// <remarks>The twin of <c>python-peers/server.py</c>: 127.0.0.1, paths <c>/RPC2</c> and <c>/</c>, the CPython fault profile.</remarks>
public sealed class ConformanceHost : IAsyncDisposable
{
    private ConformanceHost(XmlRpcServer server)
    {
        Server = server;
    }

    /// <summary>The running server.</summary>
    public XmlRpcServer Server { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => Server.Port;

    /// <summary>Its endpoint, <c>http://127.0.0.1:PORT/RPC2</c>.</summary>
    public Uri Url => Server.Url;

    /// <summary>Starts the service on <paramref name="port"/> (0 picks a free port), finding <c>fixtures/</c> like the catalog loader.</summary>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host; dispose it to stop.</returns>
    public static Task<ConformanceHost> StartAsync(int port, CancellationToken cancellationToken) => StartAsync("127.0.0.1", port, null, null, cancellationToken);

    /// <summary>Starts the service on <paramref name="port"/> with an explicit <c>fixtures/</c> folder.</summary>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder; null to search for it.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host; dispose it to stop.</returns>
    public static Task<ConformanceHost> StartAsync(int port, string? fixturesDirectory, CancellationToken cancellationToken) =>
        StartAsync("127.0.0.1", port, fixturesDirectory, null, cancellationToken);

    /// <summary>Starts the service on a chosen address, with logging.</summary>
    /// <param name="host">The address to bind (<c>127.0.0.1</c> for the peer contract).</param>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <param name="fixturesDirectory">The <c>fixtures/</c> folder; null to search for it.</param>
    /// <param name="loggerFactory">Where the server logs; none when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host; dispose it to stop.</returns>
    public static async Task<ConformanceHost> StartAsync(string host, int port, string? fixturesDirectory, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var methods = new XmlRpcMethodRegistry();
        ConformanceService.Register(methods, fixturesDirectory ?? Conformance.Catalog.FixturesLocator.Find());
        // Word for word as CPython's server: an exception's class and message are part of the contract here.
        var options = new XmlRpcServerOptions { EnableDetailedErrors = true };
        var listen = new XmlRpcHostOptions { Host = host, Port = port };
        listen.Paths.Clear();
        listen.Paths.Add("/RPC2");
        listen.Paths.Add("/");
        var server = new XmlRpcServer(methods, options, listen, loggerFactory);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ConformanceHost(server);
    }

    /// <summary>The JSON ready line, as <c>python-peers/server.py</c> prints it.</summary>
    /// <returns><c>{"event":"ready","role":"server","port":N,"url":"...","implementation":"XmlRpc.NET","version":"..."}</c>.</returns>
    public string ReadyLine() => JsonSerializer.Serialize(new ReadyEvent("ready", "server", Port, Url.ToString(), "XmlRpc.NET", ImplementationVersion), ReadyJson.Default.ReadyEvent);

    /// <summary>The version of the XmlRpc.Server assembly.</summary>
    public static string ImplementationVersion => typeof(XmlRpcServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
