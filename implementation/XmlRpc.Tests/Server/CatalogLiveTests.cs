using System.Text.Json;
using Conformance.Catalog;
using XmlRpc.Client;
using XmlRpc.Protocol;
using XmlRpc.Tests.Http;
using Xunit;

namespace XmlRpc.Tests.Server;

/// <summary>
/// Every live case of the catalog (<c>call</c> and <c>multicall</c> shapes), sent by our client to our conformance
/// server over loopback HTTP; the outcome must meet the case's <c>deviation.expect</c> when it documents one, else its <c>expect</c>.
/// </summary>
public sealed class CatalogLiveTests(ConformanceServerFixture server)
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static IEnumerable<TheoryDataRow<string>> LiveCases() => CatalogData.LiveCases();

    [Theory]
    [MemberData(nameof(LiveCases))]
    public async Task OurClientAndServerMeetTheCase(string id)
    {
        var testCase = CatalogData.Catalog.Get(id);
        var options = new XmlRpcClientOptions { Url = server.Url };
        if (testCase.Call?.Encoding is { } encoding)
        {
            options.FormatterOptions = options.FormatterOptions with { EncodingName = encoding };
        }

        using var client = new XmlRpcClient(options);

        if (testCase.Expect.SendError is not null || testCase.Deviation?.WriterRefuses == true)
        {
            // CPython refuses to marshal it (sendError), or our writer refuses what CPython would send ill-formed.
            var refusal = await Assert.ThrowsAsync<XmlRpcFormatException>(() => client.SendAsync(testCase.Request!, Token)).Bounded();
            CatalogData.AssertOurs(testCase, new CaseObservation { SendError = new ObservedError(nameof(XmlRpcFormatException), refusal.Message) });
            return;
        }

        if (testCase.Shape == CaseShape.Multicall)
        {
            var batch = client.CreateMultiCall();
            foreach (var call in testCase.Multicall!)
            {
                batch.Add(call.Method, [.. call.Params]);
            }

            var results = await batch.InvokeAsync(Token).Bounded();
            CatalogData.AssertOurs(testCase, new CaseObservation { Results = CatalogData.Outcomes(results) });
            return;
        }

        var response = await client.SendAsync(testCase.Request!, Token).Bounded();
        var observation = CatalogData.Observe(testCase, response);
        if (testCase.IsDescribed && !response.IsFault)
        {
            // fixtures/README.md: describe() proves the receiver decoded the right type, not just an equal value.
            var described = await client.SendAsync(new XmlRpcRequest("describe", testCase.Call!.Params), Token).Bounded();
            observation = observation with { Describe = CatalogData.Observe(testCase, described) };
        }

        CatalogData.AssertOurs(testCase, observation);
    }
}
