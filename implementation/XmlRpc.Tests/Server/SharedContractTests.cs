using XmlRpc.Client;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>One marked interface is the contract of both sides: the client's proxy and the server's registration.</summary>
public interface ICalculator
{
    [XmlRpcMethod("calc.add")]
    Task<int> AddAsync(int x, int y);

    [XmlRpcMethod]
    Task<string> Describe();
}

/// <summary>The server's implementation: no attribute of its own, the interface's count.</summary>
public sealed class Calculator : ICalculator
{
    public Task<int> AddAsync(int x, int y) => Task.FromResult(x + y);

    public Task<string> Describe() => Task.FromResult("calculator");

    public string NotInTheContract() => "hidden";
}

public sealed class SharedContractTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> Registrations => ["class", "interface"];

    [Theory]
    [MemberData(nameof(Registrations))]
    public async Task OneInterfaceServesTheProxyAndTheRegistration(string registration)
    {
        var methods = new XmlRpcMethodRegistry();
        _ = registration == "class" ? methods.AddInstance(new Calculator()) : methods.AddInstance<ICalculator>(new Calculator());
        await using var server = new XmlRpcServer(methods);
        await server.StartAsync(Token).Bounded();
        using var client = new XmlRpcClient(server.Url.ToString());
        var calculator = client.CreateProxy<ICalculator>();

        Assert.Equal(5, await calculator.AddAsync(2, 3).Bounded());
        Assert.Equal("calculator", await calculator.Describe().Bounded());
        // Only the contract is offered: the marks on the interface select the methods, as marks on the class would.
        Assert.Equal(["Describe", "calc.add"], methods.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnEmptyWireNameIsRefusedWhereItIsWritten() =>
        Assert.Throws<ArgumentException>(() => new XmlRpcMethodAttribute(""));
}
