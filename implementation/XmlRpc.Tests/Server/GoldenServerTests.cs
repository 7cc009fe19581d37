using System.Text;
using Conformance.Catalog;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>
/// Our conformance dispatcher fed the exact request bytes CPython's <c>ServerProxy</c> sent (the golden
/// <c>.request.xml</c>): its answer must meet the case, and must be CPython's <c>.response.xml</c> byte for byte
/// whenever the case pins the whole outcome (a value, or a fault with its string) and documents no server deviation.
/// </summary>
public sealed class GoldenServerTests(ConformanceServerFixture server)
{
    public static IEnumerable<TheoryDataRow<string>> GoldenCases() =>
        CatalogData.Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall && CatalogData.Catalog.ReadGolden(c, ".request.xml") is not null);

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public async Task OurServerAnswersCPythonsRequestAsCPythonDoes(string id)
    {
        var catalog = CatalogData.Catalog;
        var testCase = catalog.Get(id);
        var request = catalog.ReadGolden(testCase, ".request.xml")!;

        var answer = await server.Host.Server.Dispatcher.HandleRequestAsync(request, TestContext.Current.CancellationToken).Bounded();

        var golden = catalog.ReadGolden(testCase, ".response.xml");
        if (golden is not null && IsExact(testCase))
        {
            // CPython's answer to its own request is the reference, even where CPython misses the intent (\r read as \n).
            Assert.Equal(Encoding.UTF8.GetString(golden), Encoding.UTF8.GetString(answer));
            return;
        }

        // CPython's client sent the request (golden bytes), our server answered.
        CatalogData.AssertOurs(testCase, CatalogData.Observe(testCase, XmlRpcParser.Default.ParseResponse(answer)), ourClient: false);
    }

    /// <summary>The case pins the whole answer: a value, a fault with its string, or multicall outcomes all pinned; no server-side deviation.</summary>
    private static bool IsExact(CatalogCase testCase)
    {
        if (testCase.Deviation?.Expect is not null)
        {
            return false;
        }

        var expect = testCase.Expect;
        return expect.Result is not null
            || expect.Fault is { FaultString: not null }
            || expect.Results is { } results && results.All(r => r.Result is not null || r.Fault?.FaultString is not null);
    }
}
