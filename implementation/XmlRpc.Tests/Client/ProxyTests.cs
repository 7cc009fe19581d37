using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Client;

/// <summary>The conformance service's contract, as a typed proxy sees it.</summary>
public interface IConformanceService
{
    [XmlRpcMethod("add")]
    Task<int> AddAsync(int x, int y);

    [XmlRpcMethod("echo")]
    Task<string> EchoAsync(string value, CancellationToken cancellationToken);

    [XmlRpcMethod("echo")]
    ValueTask<double> EchoDoubleAsync(double value);

    [XmlRpcMethod("echo_params")]
    Task<int[]> EchoParamsAsync(int a, int b, int c);

    [XmlRpcMethod("validator1.simpleStructReturnTest")]
    Task<Multiples> SimpleStructReturnAsync(int n);

    [XmlRpcMethod("validator1.easyStructTest")]
    Task<int> EasyStructAsync(Stooges stooges);

    [XmlRpcMethod("fault")]
    Task FaultAsync(int code, string message);

    [XmlRpcMethod("echo")]
    ValueTask EchoIgnoringResultAsync(int value);

    [XmlRpcMethod("sleep")]
    Task<int> SleepAsync(int seconds, CancellationToken cancellationToken);

    [XmlRpcMethod("system.listMethods")]
    Task<IReadOnlyList<string>> ListMethodsAsync();
}

/// <summary>A proxy method with a return type XML-RPC calls cannot have.</summary>
public interface ISynchronousService
{
    int Add(int x, int y);
}

/// <summary>validator1's struct result.</summary>
public sealed record Multiples(
    [property: XmlRpcMember("times10")] int Times10,
    [property: XmlRpcMember("times100")] int Times100,
    [property: XmlRpcMember("times1000")] int Times1000);

/// <summary>validator1's input struct.</summary>
public sealed class Stooges
{
    [XmlRpcMember("moe")]
    public int Moe { get; init; }

    [XmlRpcMember("larry")]
    public int Larry { get; init; }

    [XmlRpcMember("curly")]
    public int Curly { get; init; }
}

public sealed class ProxyTests(ConformanceServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallsRenamedMethodsWithMappedArgumentsAndResults()
    {
        using var client = new XmlRpcClient(server.Url);
        var proxy = client.CreateProxy<IConformanceService>();

        Assert.Equal(5, await proxy.AddAsync(2, 3).Bounded());
        Assert.Equal("héllo", await proxy.EchoAsync("héllo", Token).Bounded());
        Assert.Equal(0.1, await proxy.EchoDoubleAsync(0.1).Bounded());
        Assert.Equal(new[] { 1, 2, 3 }, await proxy.EchoParamsAsync(1, 2, 3).Bounded());
        Assert.Equal(new Multiples(70, 700, 7000), await proxy.SimpleStructReturnAsync(7).Bounded());
        Assert.Equal(6, await proxy.EasyStructAsync(new Stooges { Moe = 1, Larry = 2, Curly = 3 }).Bounded());
        await proxy.EchoIgnoringResultAsync(1).Bounded();
        Assert.Contains("system.multicall", await proxy.ListMethodsAsync().Bounded());
    }

    [Fact]
    public async Task ThrowsTheServersFault()
    {
        using var client = new XmlRpcClient(server.Url);
        var proxy = client.CreateProxy<IConformanceService>();

        var fault = await Assert.ThrowsAsync<XmlRpcFaultException>(() => proxy.FaultAsync(42, "custom fault")).Bounded();

        Assert.Equal(42, fault.FaultCode);
        Assert.Equal("custom fault", fault.FaultString);
    }

    [Fact]
    public async Task PassesTheCancellationTokenWithoutSendingIt()
    {
        using var client = new XmlRpcClient(server.Url);
        var proxy = client.CreateProxy<IConformanceService>();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => proxy.SleepAsync(5, cancellation.Token)).Bounded();
    }

    [Fact]
    public void RefusesAClassOrASynchronousMethod()
    {
        using var client = new XmlRpcClient(server.Url);

        Assert.Throws<ArgumentException>(() => client.CreateProxy<Stooges>());
        var proxy = client.CreateProxy<ISynchronousService>();
        Assert.Throws<NotSupportedException>(() => proxy.Add(1, 2));
    }
}
