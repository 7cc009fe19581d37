using Conformance.Catalog;
using XmlRpc.Protocol;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>The case catalog as theory rows (one row per case id), and the one judge of the conformance suite.</summary>
internal static class CatalogData
{
    private static readonly Lazy<Catalog> Loaded = new(() => Catalog.Load(TestEnvironment.FixturesDirectory));
    private static readonly Lazy<Judge> TheJudge = new(() => new Judge(Loaded.Value));

    public static Catalog Catalog => Loaded.Value;

    /// <summary>The ids of the live cases (shape <c>call</c> or <c>multicall</c>), not retired.</summary>
    public static IEnumerable<TheoryDataRow<string>> LiveCases() => Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall);

    /// <summary>The ids of the transport cases (shape <c>http</c>), not retired.</summary>
    public static IEnumerable<TheoryDataRow<string>> HttpCases() => Rows(c => c.Shape == CaseShape.Http);

    /// <summary>A parsed response as the judge's observation (a multicall's result array also read per call).</summary>
    public static CaseObservation Observe(CatalogCase testCase, XmlRpcResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsFault)
        {
            return new CaseObservation { Fault = CatalogFault.From(response.Fault) };
        }

        var observation = new CaseObservation { Result = response.Value };
        return testCase.Expect.Results is not null || testCase.Deviation?.Expect?.Results is not null
            ? observation with { Results = Outcomes(XmlRpcMultiCall.ReadResults(response.Value)) }
            : observation;
    }

    /// <summary>Multicall results as the judge's outcomes.</summary>
    public static IReadOnlyList<CatalogOutcome> Outcomes(IReadOnlyList<XmlRpcMultiCallResult> results) =>
        [.. results.Select(r => r.IsFault ? new CatalogOutcome(null, CatalogFault.From(r.Fault!)) : new CatalogOutcome(r.Value, null))];

    /// <summary>
    /// Our client and our server on both ends: the one judge must say PASS or a documented DEVIATION (never NON-STRICT: what
    /// the spec merely allows is not what we promise).
    /// </summary>
    public static void AssertOurs(CatalogCase testCase, CaseObservation observation, bool ourClient = true)
    {
        var verdict = TheJudge.Value.Evaluate(testCase, observation, new JudgeContext { OurServer = true, OurClient = ourClient, DescribeRequired = false });
        Assert.True(verdict.Outcome is Outcome.Pass or Outcome.Deviation, $"{testCase.Id}: {verdict.Outcome}: {verdict.Detail}");
    }

    public static IEnumerable<TheoryDataRow<string>> Rows(Func<CatalogCase, bool> select) =>
        Catalog.Cases.Where(select).Select(c => new TheoryDataRow<string>(c.Id) { TestDisplayName = c.Id });
}
