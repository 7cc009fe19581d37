using XmlRpc.Client;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Client;

public sealed class MultiCallTests(ConformanceServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReturnsAResultOrAFaultPerCall()
    {
        using var client = new XmlRpcClient(server.Url);

        var results = await client.CreateMultiCall()
            .Add("add", 2, 3)
            .Add("nope")
            .Add("fault", 42, "custom fault")
            .Add("echo_params", 1, "a")
            .InvokeAsync(Token).Bounded();

        Assert.Equal(4, results.Count);
        Assert.Equal(5, results.GetValue<int>(0));
        Assert.True(results[1].IsFault);
        Assert.Equal("<class 'Exception'>:method \"nope\" is not supported", results[1].Fault!.Message);
        var fault = Assert.Throws<XmlRpcFaultException>(() => results.GetValue(2));
        Assert.Equal(42, fault.FaultCode);
        Assert.Equal(XmlRpcValue.Array(1, "a"), results.GetValue(3));
    }

    [Fact]
    public async Task OneAddTakesValuesAndMappedClrArgumentsAlike()
    {
        using var client = new XmlRpcClient(server.Url);

        var results = await client.CreateMultiCall()
            .Add("validator1.easyStructTest", new Stooges { Moe = 1, Larry = 2, Curly = 3 })
            .Add("echo", XmlRpcValue.FromString("as is"))
            .InvokeAsync(Token).Bounded();

        Assert.Equal(6, results.GetValue<int>(0));
        Assert.Equal("as is", results.GetValue<string>(1));
    }

    [Fact]
    public async Task ThrowsAtTheFirstFaultWhenIterated()
    {
        using var client = new XmlRpcClient(server.Url);
        var results = await client.CreateMultiCall().Add("add", 1, 1).Add("raise_error", "bad").Add("add", 2, 2).InvokeAsync(Token).Bounded();
        var seen = new List<XmlRpcValue>();

        var fault = Assert.Throws<XmlRpcFaultException>(() =>
        {
            foreach (var value in results.Values)
            {
                seen.Add(value);
            }
        });

        Assert.Equal(new[] { XmlRpcValue.FromInt32(2) }, seen);
        Assert.Equal("<class 'ValueError'>:bad", fault.FaultString);
    }

    [Fact]
    public async Task SendsAnEmptyBatch()
    {
        using var client = new XmlRpcClient(server.Url);

        var results = await client.CreateMultiCall().InvokeAsync(Token).Bounded();

        Assert.Empty(results);
    }
}
