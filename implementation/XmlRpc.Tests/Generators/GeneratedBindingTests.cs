using System.Text;
using XmlRpc.Server;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Generators;

/// <summary>
/// The source generator's binding of <see cref="TypedService"/> against the reflection binding of the same instance:
/// two dispatchers (one registry filled by <c>AddInstance</c>, which finds the generated binding, one by the
/// reflection binder) answer the same request documents, and the response bytes must be identical. The documents
/// are every catalog request CPython wrote (<c>fixtures/golden/**/*.request.xml</c>), and calls written here that
/// reach every method with good, missing, surplus, nil and mistyped parameters, where the fault texts differ most.
/// </summary>
public sealed class GeneratedBindingTests
{
    private static readonly TypedService Service = new();
    private static readonly XmlRpcDispatcher Generated = new(new XmlRpcMethodRegistry().AddInstance(Service));
    private static readonly XmlRpcDispatcher Reflected = new(new XmlRpcMethodRegistry().AddInstanceByReflection(Service, prefix: null));

    public static IEnumerable<TheoryDataRow<string>> GoldenRequests() =>
        CatalogData.Rows(c => CatalogData.Catalog.ReadGolden(c, ".request.xml") is not null);

    public static IEnumerable<TheoryDataRow<string, string>> Calls() =>
    [
        .. Call("add", "<int>2</int>", "<int>3</int>"),
        .. Call("add", "<int>2</int>"),
        .. Call("add"),
        .. Call("add", "<int>1</int>", "<int>2</int>", "<int>3</int>"),
        .. Call("add", "<string>2</string>", "<int>3</int>"),
        .. Call("add", "<int>2</int>", "<nil/>"),
        .. Call("add", "<i8>4294967296</i8>", "<int>1</int>"),
        .. Call("add", "<double>2.5</double>", "<int>1</int>"),
        .. Call("add", "<int>2147483647</int>", "<int>1</int>"),
        .. Call("subtract", "<int>7</int>", "<double>0.5</double>"),
        .. Call("subtract", "<boolean>1</boolean>", "<double>0.5</double>"),
        .. Call("multiply", "<int>7</int>"),
        .. Call("multiply", "<int>7</int>", "<int>3</int>"),
        .. Call("multiply", "<int>7</int>", "<int>3</int>", "<int>3</int>"),
        .. Call("divide", "<int>7</int>", "<int>0</int>"),
        .. Call("make_string", "<int>3</int>"),
        .. Call("today"),
        .. Call("today", "<int>1</int>"),
        .. Call("sleep", "<double>0.25</double>"),
        .. Call("sleep", "<int>2</int>"),
        .. Call("sleep"),
        .. Call("fault", "<int>4</int>", "<string>boom</string>"),
        .. Call("notify", "<nil/>"),
        .. Call("notify", "<string>x</string>"),
        .. Call("flush"),
        .. Call("greet", "<string>ab</string>"),
        .. Call("greet", "<string>ab</string>", "<int>3</int>", "<boolean>1</boolean>", "<double>1.5</double>", "<dateTime.iso8601>20261203T11:00:00</dateTime.iso8601>"),
        .. Call("greet", "<string>ab</string>", "<nil/>", "<nil/>", "<nil/>", "<nil/>"),
        .. Call("greet", "<string>ab</string>", "<string>3</string>"),
        .. Call("greet", "<string>ab</string>", "<int>1</int>", "<int>1</int>"),
        .. Call("greet", "<string>ab</string>", "<int>1</int>", "<boolean>0</boolean>", "<string>x</string>"),
        .. Call("greet", "<string>ab</string>", "<int>1</int>", "<boolean>0</boolean>", "<double>1</double>", "<string>x</string>"),
        .. Call("greet", "<string>a</string>", "<int>1</int>", "<boolean>0</boolean>", "<double>1</double>", "<nil/>", "<int>6</int>"),
        .. Call("greet"),
        .. Call("bytes", "<base64>AAEC</base64>", "<array><data><int>3</int><int>4</int></data></array>"),
        .. Call("bytes", "<nil/>", "<array><data/></array>"),
        .. Call("bytes", "<string>AAEC</string>", "<array><data/></array>"),
        .. Call("bytes", "<base64>AAEC</base64>", "<array><data><int>3</int><string>4</string></data></array>"),
        .. Call("bytes", "<base64>AAEC</base64>", "<struct></struct>"),
        .. Call("bytes", "<base64>AAEC</base64>", "<array><data><nil/></data></array>"),
        .. Call("echo_params"),
        .. Call("echo_params", "<int>1</int>", "<nil/>", "<string>s</string>"),
        .. Call("validator1.easyStructTest", Stooges("1", "2", "3")),
        .. Call("validator1.easyStructTest", Stooges("1", "2", "3", "<member><name>nickname</name><value><string>m</string></value></member>")),
        .. Call("validator1.easyStructTest", "<struct><member><name>moe</name><value><int>1</int></value></member></struct>"),
        .. Call("validator1.easyStructTest", Stooges("1", "<string>2</string>", "3")),
        .. Call("validator1.easyStructTest", "<array><data/></array>"),
        .. Call("validator1.easyStructTest", "<nil/>"),
        .. Call("validator1.easyStructTest", Stooges("1", "2", "3", "<member><name>nickname</name><value><int>5</int></value></member>")),
        .. Call("validator1.arrayOfStructsTest", $"<array><data>{Stooges("1", "2", "3")}{Stooges("4", "5", "6")}</data></array>"),
        .. Call("validator1.arrayOfStructsTest", $"<array><data>{Stooges("1", "2", "3")}<int>4</int></data></array>"),
        .. Call("validator1.arrayOfStructsTest", $"<array><data>{Stooges("1", "2", "3")}<struct></struct></data></array>"),
        .. Call("validator1.arrayOfStructsTest", Stooges("1", "2", "3")),
        .. Call("validator1.countTheEntities", "<string>&lt;&amp;&gt;'\"</string>"),
        .. Call("validator1.simpleStructReturnTest", "<int>7</int>"),
        .. Call("validator1.moderateSizeArrayCheck", "<array><data><string>a</string><string>b</string></data></array>"),
        .. Call("validator1.moderateSizeArrayCheck", "<array><data><string>a</string><int>1</int></data></array>"),
        .. Call("validator1.manyTypesTest", "<int>1</int>", "<boolean>1</boolean>", "<string>s</string>", "<double>1.5</double>", "<dateTime.iso8601>19980717T14:08:55</dateTime.iso8601>", "<base64>eW91IGNhbid0IHJlYWQgdGhpcyE=</base64>"),
        .. Call("validator1.manyTypesTest", "<int>1</int>", "<boolean>1</boolean>", "<string>s</string>", "<double>1.5</double>", "<string>19980717T14:08:55</string>", "<base64>eW91IGNhbid0IHJlYWQgdGhpcyE=</base64>"),
        .. Call("roster", Roster(string.Empty)),
        .. Call("roster", Roster(string.Empty), "<array><data><int>9</int></data></array>"),
        .. Call("roster", Roster("<member><name>Team</name><value><struct><member><name>Name</name><value><string>t</string></value></member><member><name>Founded</name><value><dateTime.iso8601>20000101T00:00:00</dateTime.iso8601></value></member></struct></value></member><member><name>Note</name><value><string>n</string></value></member><member><name>Captain</name><value><boolean>1</boolean></value></member><member><name>Blobs</name><value><array><data><base64>AA==</base64><nil/></data></array></value></member>")),
        .. Call("roster", Roster("<member><name>Team</name><value><struct><member><name>Rating</name><value><double>2</double></value></member></struct></value></member>")),
        .. Call("roster", Roster("<member><name>Team</name><value><struct><member><name>Name</name><value><string>t</string></value></member><member><name>Founded</name><value><int>1</int></value></member></struct></value></member>")),
        .. Call("roster", Roster("<member><name>Secret</name><value><int>1</int></value></member><member><name>MemberCount</name><value><int>1</int></value></member>")),
        .. Call("roster", "<struct><member><name>Members</name><value><array><data/></array></value></member></struct>"),
        .. Call("roster", Roster(string.Empty), "<array><data><double>1</double></data></array>"),
        .. Call("system.methodSignature", "<string>greet</string>"),
        .. Call("system.methodSignature", "<string>roster</string>"),
        .. Call("system.methodSignature", "<string>echo_params</string>"),
        .. Call("system.methodHelp", "<string>echo</string>"),
        .. Call("system.methodHelp", "<string>echo_params</string>"),
        .. Call("system.listMethods"),
    ];

    [Theory]
    [MemberData(nameof(GoldenRequests))]
    public async Task GoldenRequestIsAnsweredAlikeByBothBindings(string id)
    {
        var request = CatalogData.Catalog.ReadGolden(CatalogData.Catalog.Get(id), ".request.xml")!;
        await AssertSameAnswer(request);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task CallIsAnsweredAlikeByBothBindings(string label, string request)
    {
        Assert.NotEmpty(label);
        var answer = await AssertSameAnswer(Encoding.UTF8.GetBytes(request));

        // Every call reaches a method (else the comparison would prove nothing).
        Assert.DoesNotContain("is not supported", answer, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInstanceFindsTheGeneratedBinding()
    {
        Assert.True(XmlRpcGeneratedBindings.IsGenerated(typeof(TypedService)));
        Assert.Equal(Reflected.Methods.Methods.Select(m => m.Name).Order(StringComparer.Ordinal), Generated.Methods.Methods.Select(m => m.Name).Order(StringComparer.Ordinal));

        // The generated handlers are the generator's code, not the reflection binder's.
        Assert.All(Generated.Methods.Methods.Where(m => !m.Name.StartsWith("system.", StringComparison.Ordinal)), m =>
            Assert.StartsWith("XmlRpc.Generated.", m.Handler.Method.DeclaringType!.FullName, StringComparison.Ordinal));
    }

    [Fact]
    public void AddGeneratedRegistersWithoutReflectionUnderAPrefix()
    {
        var registry = new XmlRpcMethodRegistry().AddGenerated(Service, "typed");
        Assert.True(registry.TryGetMethod("typed.validator1.easyStructTest", out var method));
        Assert.Equal([["int", "struct"]], method.Signatures);
        Assert.False(registry.TryGetMethod("typed.Hidden", out _));
    }

    private static async Task<string> AssertSameAnswer(byte[] request)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var generated = Encoding.UTF8.GetString(await Generated.HandleRequestAsync(request, cancellationToken).Bounded());
        var reflected = Encoding.UTF8.GetString(await Reflected.HandleRequestAsync(request, cancellationToken).Bounded());
        Assert.Equal(reflected, generated);
        return generated;
    }

    internal static IEnumerable<TheoryDataRow<string, string>> Call(string method, params string[] parameters)
    {
        var body = new StringBuilder("<?xml version='1.0'?>\n<methodCall>\n<methodName>").Append(method).Append("</methodName>\n<params>\n");
        foreach (var p in parameters)
        {
            body.Append("<param>\n<value>").Append(p).Append("</value>\n</param>\n");
        }

        body.Append("</params>\n</methodCall>\n");
        yield return new TheoryDataRow<string, string>(method + "(" + string.Join(", ", parameters) + ")", body.ToString());
    }

    private static string Stooges(string moe, string larry, string curly, string extra = "") =>
        "<struct>" + Member("moe", moe) + Member("larry", larry) + Member("curly", curly) + extra + "</struct>";

    private static string Member(string name, string value) =>
        $"<member><name>{name}</name><value>{(value.StartsWith('<') ? value : "<int>" + value + "</int>")}</value></member>";

    private static string Roster(string extra) =>
        "<struct><member><name>Members</name><value><array><data>" + Stooges("1", "2", "3") + "</data></array></value></member>"
        + "<member><name>Scores</name><value><array><data><int>5</int></data></array></value></member>" + extra + "</struct>";
}
