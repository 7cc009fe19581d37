using Conformance.Catalog;
using XmlRpc.Protocol;
using Xunit;

namespace XmlRpc.Tests.Http;

/// <summary>The case catalog as theory rows (one row per case id), and the checks of a case's expectation.</summary>
internal static class CatalogData
{
    private static readonly Lazy<Catalog> Loaded = new(() => Catalog.Load(TestEnvironment.FixturesDirectory));

    public static Catalog Catalog => Loaded.Value;

    /// <summary>The ids of the live cases (shape <c>call</c> or <c>multicall</c>), not retired.</summary>
    public static IEnumerable<TheoryDataRow<string>> LiveCases() => Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall);

    /// <summary>The ids of the transport cases (shape <c>http</c>), not retired.</summary>
    public static IEnumerable<TheoryDataRow<string>> HttpCases() => Rows(c => c.Shape == CaseShape.Http);

    /// <summary>What our implementation must do: the deviation's expectation when the case documents one, else the case's.</summary>
    public static CatalogExpect OurExpectation(CatalogCase testCase) => testCase.Deviation?.Expect ?? testCase.Expect;

    /// <summary>Asserts that a response meets an expectation (value, result type, fault, or multicall outcomes).</summary>
    public static void AssertResponse(CatalogCase testCase, CatalogExpect expect, XmlRpcResponse response)
    {
        if (expect.Result is { } expected)
        {
            Assert.False(response.IsFault, $"{testCase.Id}: expected {expected}, got {response}");
            Assert.True(expected.Equals(response.Value, testCase.CompareOrdered), $"{testCase.Id}: expected {expected}, got {response.Value}");
        }
        else if (expect.ResultType is { } type)
        {
            Assert.False(response.IsFault, $"{testCase.Id}: expected a {type}, got {response}");
            Assert.Equal(type, CatalogModel.TypeName(response.Value));
        }
        else if (expect.Fault is { } fault)
        {
            Assert.True(response.IsFault, $"{testCase.Id}: expected {fault}, got {response}");
            Assert.True(fault.Matches(response.Fault), $"{testCase.Id}: expected {fault}, got {response.Fault}");
        }
        else if (expect.Results is { } outcomes)
        {
            Assert.False(response.IsFault, $"{testCase.Id}: expected multicall results, got {response}");
            AssertOutcomes(testCase, outcomes, XmlRpcMultiCall.ReadResults(response.Value));
        }
        else
        {
            Assert.Fail($"{testCase.Id}: no live expectation (expect: {expect.Json})");
        }
    }

    /// <summary>Asserts per-call multicall outcomes.</summary>
    public static void AssertOutcomes(CatalogCase testCase, IReadOnlyList<CatalogOutcome> expected, IReadOnlyList<XmlRpcMultiCallResult> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Fault is { } fault)
            {
                Assert.True(actual[i].IsFault && fault.Matches(actual[i].Fault!), $"{testCase.Id} call {i}: expected {fault}, got {actual[i]}");
            }
            else
            {
                Assert.True(!actual[i].IsFault && expected[i].Result!.Equals(actual[i].Value, testCase.CompareOrdered), $"{testCase.Id} call {i}: expected {expected[i].Result}, got {actual[i]}");
            }
        }
    }

    public static IEnumerable<TheoryDataRow<string>> Rows(Func<CatalogCase, bool> select) =>
        Catalog.Cases.Where(select).Select(c => new TheoryDataRow<string>(c.Id) { TestDisplayName = c.Id });
}
