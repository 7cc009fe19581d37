using XmlRpc.Server;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>A standalone server with an <c>echo</c> method and chosen limits, for tests of the limits themselves.</summary>
internal static class SmallLimitServer
{
    public static Task<XmlRpcServer> StartAsync(long maxRequestBytes = XmlRpcServerOptions.DefaultMaxRequestBytes, long maxGzipRequestBytes = XmlRpcServerOptions.DefaultMaxGzipRequestBytes) =>
        StartAsync(new XmlRpcServerOptions { MaxRequestBytes = maxRequestBytes, MaxGzipRequestBytes = maxGzipRequestBytes });

    /// <summary>With any options, and the methods <c>echo</c>, <c>make_string(n)</c> and <c>wait()</c> (which waits for <paramref name="release"/>).</summary>
    public static async Task<XmlRpcServer> StartAsync(XmlRpcServerOptions options, Task? release = null, XmlRpcHostOptions? hostOptions = null)
    {
        var methods = new XmlRpcMethodRegistry()
            .Add("echo", (parameters, _) => ValueTask.FromResult(parameters[0]))
            .Add("make_string", (int length) => new string('x', length))
            .Add("wait", async () =>
            {
                await (release ?? Task.CompletedTask);
                return true;
            });
        var server = new XmlRpcServer(methods, options, hostOptions);
        await server.StartAsync(TestContext.Current.CancellationToken).Bounded();
        return server;
    }
}
