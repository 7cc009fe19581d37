using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Client;

/// <summary>The client logs each call at Debug, bodies at Trace, failures at Warning, and never credentials.</summary>
public sealed class ClientLoggingTests(ConformanceServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogsCallsAtDebugAndBodiesAtTrace()
    {
        var provider = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
        var url = new UriBuilder(server.Url) { UserName = "alice", Password = "s3cret" }.Uri.ToString();
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = url, LoggerFactory = loggerFactory });

        await client.CallAsync("add", [2, 3], Token).Bounded();
        await Assert.ThrowsAsync<XmlRpcFaultException>(() => client.CallAsync("fault", [42, "custom"], Token)).Bounded();

        var lines = provider.Snapshot();
        Assert.Contains(lines, l => l.StartsWith("Debug: XML-RPC call add to http://127.0.0.1:", StringComparison.Ordinal) && l.EndsWith("request bytes", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Trace: XML-RPC request of add: \"<?xml version='1.0'?>", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug: XML-RPC call add answered in ", StringComparison.Ordinal) && l.EndsWith(", result", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Debug: XML-RPC call fault answered in ", StringComparison.Ordinal) && l.EndsWith(", fault 42", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Trace: XML-RPC response to add: ", StringComparison.Ordinal) && l.Contains("<int>5</int>", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("s3cret", StringComparison.Ordinal) || l.Contains("alice", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogsAFailureAtWarning()
    {
        var provider = new ListLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(provider));
        // A loopback port nobody listens on: the connection is refused.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = $"http://127.0.0.1:{port}/RPC2", LoggerFactory = loggerFactory, RetryOnConnectionClosed = false });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CallAsync("add", [1, 2], Token)).Bounded();

        var line = Assert.Single(provider.Snapshot());
        Assert.StartsWith($"Warning: XML-RPC call add to http://127.0.0.1:{port}/RPC2 failed after ", line, StringComparison.Ordinal);
    }
}
