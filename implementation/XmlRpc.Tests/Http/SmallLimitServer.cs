using XmlRpc.Server;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>A standalone server with an <c>echo</c> method and chosen limits, for tests of the limits themselves.</summary>
internal static class SmallLimitServer
{
    public static async Task<XmlRpcServer> StartAsync(long maxRequestBytes = XmlRpcServerOptions.DefaultMaxRequestBytes, long maxGzipRequestBytes = XmlRpcServerOptions.DefaultMaxGzipRequestBytes)
    {
        var methods = new XmlRpcMethodRegistry().Add("echo", (parameters, _) => ValueTask.FromResult(parameters[0]));
        var server = new XmlRpcServer(methods, new XmlRpcServerOptions { MaxRequestBytes = maxRequestBytes, MaxGzipRequestBytes = maxGzipRequestBytes });
        await server.StartAsync(TestContext.Current.CancellationToken).Bounded();
        return server;
    }
}
