using System.Text;
using Conformance.Server;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;
using static XmlRpc.Tests.Generators.GeneratedBindingTests;

namespace XmlRpc.Tests.Generators;

/// <summary>
/// The conformance service as it is served (its generated binding, the one Native AOT can run) against the reflection
/// binding of the same instance: every catalog request CPython wrote, and every method called with a fitting, a missing
/// and a surplus parameter, plus its <c>system.methodSignature</c> and <c>system.methodHelp</c>, must get byte-identical
/// response documents from both, with the server options the conformance host uses.
/// </summary>
public sealed class ConformanceServiceBindingTests
{
    private static readonly XmlRpcServerOptions HostOptions = new() { EnableDetailedErrors = true };
    private static readonly XmlRpcDispatcher Generated = Served();
    private static readonly XmlRpcDispatcher Reflected = new(
        new XmlRpcMethodRegistry().AddInstanceByReflection(new ConformanceService(TestEnvironment.FixturesDirectory), prefix: null), HostOptions);

    public static IEnumerable<TheoryDataRow<string>> GoldenRequests() =>
        CatalogData.Rows(c => CatalogData.Catalog.ReadGolden(c, ".request.xml") is not null);

    public static IEnumerable<TheoryDataRow<string, string>> Calls() =>
        Served().Methods.Methods.Select(m => m.Name).Order(StringComparer.Ordinal).SelectMany(name => (IEnumerable<TheoryDataRow<string, string>>)
        [
            .. Call(name),
            .. Call(name, "<int>0</int>"),
            .. Call(name, "<int>0</int>", "<string>3</string>"),
            .. Call(name, "<int>0</int>", "<nil/>", "<int>4</int>", "<int>5</int>", "<int>6</int>", "<int>7</int>", "<int>8</int>"),
            .. Call("system.methodSignature", $"<string>{name}</string>"),
            .. Call("system.methodHelp", $"<string>{name}</string>"),
        ]).Append(Call("system.listMethods").Single());

    [Theory]
    [MemberData(nameof(GoldenRequests))]
    public async Task GoldenRequestIsAnsweredAlikeByBothBindings(string id)
    {
        var request = CatalogData.Catalog.ReadGolden(CatalogData.Catalog.Get(id), ".request.xml")!;
        await AssertSameAnswer(request, clock: id == "seed.today");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task CallIsAnsweredAlikeByBothBindings(string label, string request)
    {
        var answer = await AssertSameAnswer(Encoding.UTF8.GetBytes(request), clock: label.StartsWith("today(", StringComparison.Ordinal));

        Assert.DoesNotContain("is not supported", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void TheServedServiceIsTheGeneratedBinding()
    {
        Assert.True(XmlRpcGeneratedBindings.IsGenerated(typeof(ConformanceService)));
        Assert.Equal(22, Generated.Methods.Methods.Count);
        Assert.All(Generated.Methods.Methods, m => Assert.StartsWith("XmlRpc.Generated.", m.Handler.Method.DeclaringType!.FullName, StringComparison.Ordinal));
    }

    private static XmlRpcDispatcher Served()
    {
        var methods = new XmlRpcMethodRegistry();
        ConformanceService.Register(methods, TestEnvironment.FixturesDirectory);
        return new XmlRpcDispatcher(methods, HostOptions);
    }

    /// <summary>Both answers; <paramref name="clock"/>: the method reads the clock, so a second may tick between the two calls (asked once more).</summary>
    private static async Task<string> AssertSameAnswer(byte[] request, bool clock)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        for (var attempt = 1; ; attempt++)
        {
            var generated = Encoding.UTF8.GetString(await Generated.HandleRequestAsync(request, cancellationToken).Bounded());
            var reflected = Encoding.UTF8.GetString(await Reflected.HandleRequestAsync(request, cancellationToken).Bounded());
            if (clock && attempt == 1 && generated != reflected)
            {
                continue;
            }

            Assert.Equal(reflected, generated);
            return generated;
        }
    }
}
