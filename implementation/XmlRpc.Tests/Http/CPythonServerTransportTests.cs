using System.Diagnostics;
using System.Globalization;
using XmlRpc.Client;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>Our client against real CPython <c>SimpleXMLRPCServer</c> processes: the HTTP/1.0 close-after-reply trap and keep-alive.</summary>
public sealed class CPythonServerTransportTests(ITestOutputHelper output)
{
    private const int SequentialCalls = 10_000;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(120);

    [Fact(Timeout = 180_000)]
    public async Task MakesTenThousandSequentialCallsToAnHttp10ServerWithoutAFailure()
    {
        await using var server = await PythonServerProcess.StartAsync("HTTP/1.0", lifetime: TimeSpan.FromSeconds(170));
        // No retry: the connection handling alone must be right (a retry could hide a reused dead socket).
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = server.Url, RetryOnConnectionClosed = false });
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();

        for (var i = 0; i < SequentialCalls && clock.Elapsed < Budget; i++)
        {
            try
            {
                var result = await client.CallAsync("echo", [XmlRpcValue.FromInt32(i)], TestContext.Current.CancellationToken).Bounded();
                if (result.AsInt32() != i)
                {
                    failures.Add($"call {i}: got {result}");
                }
            }
            catch (HttpRequestException e)
            {
                failures.Add($"call {i}: {e.HttpRequestError} {e.Message} {e.InnerException?.Message}");
            }
        }

        var connections = await client.CallAsync("connections", [], TestContext.Current.CancellationToken).Bounded();
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0} calls, {1} failures, {2:F1} s, {3} TCP connections accepted", SequentialCalls, failures.Count, clock.Elapsed.TotalSeconds, connections.AsInt32()));
        Assert.Empty(failures);
        Assert.True(clock.Elapsed < Budget, $"{SequentialCalls} calls took longer than {Budget}");
        Assert.Equal(SequentialCalls + 1, connections.AsInt32());
    }

    [Fact(Timeout = 120_000)]
    public async Task MakesConcurrentCallsToAnHttp10ServerWithoutAFailure()
    {
        await using var server = await PythonServerProcess.StartAsync("HTTP/1.0", lifetime: TimeSpan.FromSeconds(110));
        // With calls waiting, SocketsHttpHandler hands a connection that just finished a response straight to the
        // next request, past its idle check: only attempts that provably never left may be (and are) retried.
        using var client = new XmlRpcClient(new XmlRpcClientOptions { Url = server.Url, RetryOnConnectionClosed = false });
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(Enumerable.Range(0, 16), TestContext.Current.CancellationToken, async (task, cancellationToken) =>
        {
            for (var i = 0; i < 250; i++)
            {
                try
                {
                    var result = await client.CallAsync("echo", [XmlRpcValue.FromInt32(i)], cancellationToken).Bounded();
                    if (result.AsInt32() != i)
                    {
                        failures.Add($"task {task} call {i}: got {result}");
                    }
                }
                catch (HttpRequestException e)
                {
                    failures.Add($"task {task} call {i}: {e.HttpRequestError} {e.Message} {e.InnerException?.Message}");
                }
            }
        });

        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "16 x 250 concurrent calls, {0} failures, {1:F1} s", failures.Count, clock.Elapsed.TotalSeconds));
        Assert.True(failures.IsEmpty, $"{failures.Count} failures, e.g.:\n" + string.Join("\n", failures.Take(5)));
    }

    [Fact(Timeout = 120_000)]
    public async Task SurvivesAnHttp10ServerOnAForeignHandlerThroughItsOneRetry()
    {
        await using var server = await PythonServerProcess.StartAsync("HTTP/1.0", lifetime: TimeSpan.FromSeconds(110));
        // A plain SocketsHttpHandler reuses connections the server is closing; only the CPython-style retry saves the calls.
        using var http = new HttpClient(new SocketsHttpHandler());
        using var client = new XmlRpcClient(http, new XmlRpcClientOptions { Url = server.Url });

        for (var i = 0; i < 2_000; i++)
        {
            var result = await client.CallAsync("echo", [XmlRpcValue.FromInt32(i)], TestContext.Current.CancellationToken).Bounded();
            Assert.Equal(i, result.AsInt32());
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task KeepsOneConnectionForManyCallsToAnHttp11Server()
    {
        await using var server = await PythonServerProcess.StartAsync("HTTP/1.1", lifetime: TimeSpan.FromSeconds(55));
        using var client = new XmlRpcClient(server.Url);

        for (var i = 0; i < 200; i++)
        {
            var result = await client.CallAsync("add", [XmlRpcValue.FromInt32(i), XmlRpcValue.FromInt32(1)], TestContext.Current.CancellationToken).Bounded();
            Assert.Equal(i + 1, result.AsInt32());
        }

        var connections = await client.CallAsync("connections", [], TestContext.Current.CancellationToken).Bounded();
        Assert.Equal(1, connections.AsInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task GetsPerCallResultsAndFaultsFromCPythonsMulticall()
    {
        await using var server = await PythonServerProcess.StartAsync("HTTP/1.0", lifetime: TimeSpan.FromSeconds(55));
        using var client = new XmlRpcClient(server.Url);

        var results = await client.CreateMultiCall()
            .Add("add", 2, 3)
            .Add("nope")
            .Add("echo", "a")
            .InvokeAsync(TestContext.Current.CancellationToken).Bounded();

        Assert.Equal(5, results.GetValue(0).AsInt32());
        var fault = Assert.Throws<XmlRpcFaultException>(() => results.GetValue(1));
        Assert.Equal(1, fault.FaultCode);
        Assert.Equal("<class 'Exception'>:method \"nope\" is not supported", fault.FaultString);
        Assert.Equal("a", results.GetValue(2).AsString());
    }
}
