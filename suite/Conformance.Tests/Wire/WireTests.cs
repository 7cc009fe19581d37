using Conformance.Catalog;
using Xunit;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Tests.Wire;

/// <summary>
/// Our writer and parser against the CPython-made golden tree: one theory row per catalog case, the case id as display
/// name. Deviations and known issues come from the catalog and known-issues.json, never from code here.
/// </summary>
public sealed class WireTests
{
    private static readonly Lazy<CaseCatalog> Loaded = new(() => CaseCatalog.Load(FixturesLocator.Find()));
    private static readonly Lazy<WireChecks> Checks = new(() => new WireChecks(Loaded.Value));

    /// <summary>Call and multicall cases (the writer writes their request; CPython wrote a golden request or refused).</summary>
    public static IEnumerable<TheoryDataRow<string>> SentCases() =>
        Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall);

    /// <summary>Call and multicall cases with a golden response.</summary>
    public static IEnumerable<TheoryDataRow<string>> ResponseCases() =>
        Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall && Loaded.Value.ReadGolden(c, ".response.xml") is not null);

    /// <summary>Call and multicall cases with a golden request.</summary>
    public static IEnumerable<TheoryDataRow<string>> RequestCases() =>
        Rows(c => c.Shape is CaseShape.Call or CaseShape.Multicall && Loaded.Value.ReadGolden(c, ".request.xml") is not null);

    /// <summary>Parse-only cases (<c>document</c>, <c>documentBase64</c>).</summary>
    public static IEnumerable<TheoryDataRow<string>> DocumentCases() => Rows(c => c.Shape == CaseShape.Document);

    [Theory]
    [MemberData(nameof(SentCases))]
    public void WriterRequestMatchesGolden(string id) => Verify(id, WireChecks.WriterCell, Checks.Value.CheckRequestWriter(Loaded.Value.Get(id)));

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void WriterResponseMatchesGolden(string id) => Verify(id, WireChecks.WriterCell, Checks.Value.CheckResponseWriter(Loaded.Value.Get(id)));

    [Theory]
    [MemberData(nameof(RequestCases))]
    public void ParserDecodesGoldenRequest(string id) => Verify(id, WireChecks.ParserCell, Checks.Value.CheckRequestParser(Loaded.Value.Get(id)));

    [Theory]
    [MemberData(nameof(ResponseCases))]
    public void ParserDecodesGoldenResponse(string id) => Verify(id, WireChecks.ParserCell, Checks.Value.CheckResponseParser(Loaded.Value.Get(id)));

    [Theory]
    [MemberData(nameof(DocumentCases))]
    public void ParserMatchesCPythonOnDocument(string id) => Verify(id, WireChecks.ParserCell, Checks.Value.CheckDocumentParser(Loaded.Value.Get(id)));

    [Fact]
    public void EveryCaseIsCoveredByAWireTheory()
    {
        var covered = SentCases().Concat(DocumentCases()).Select(r => r.Data).ToHashSet(StringComparer.Ordinal);
        var missing = Loaded.Value.Cases.Where(c => c.Shape != CaseShape.Http && !covered.Contains(c.Id)).Select(c => c.Id).ToList();
        Assert.Empty(missing);
    }

    private static IEnumerable<TheoryDataRow<string>> Rows(Func<CatalogCase, bool> select) =>
        Loaded.Value.Cases.Where(select).Select(c => new TheoryDataRow<string>(c.Id) { TestDisplayName = c.Id });

    // Known issues are resolved per cell, as the report resolves them: an entry for (case, cell) must still describe a
    // failure of the whole cell (writer or parser, request and response combined), or it is stale and fails here too.
    private static void Verify(string id, string cell, WireCheckResult result)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{result.Outcome}: {result.Message}");
        Assert.NotEqual(WireOutcome.NotApplicable, result.Outcome);
        if (Loaded.Value.KnownIssues.Find(id, cell, pythonVersion: null) is { } issue)
        {
            var testCase = Loaded.Value.Get(id);
            var whole = cell == WireChecks.WriterCell ? Checks.Value.CheckWriter(testCase) : Checks.Value.CheckParser(testCase);
            var resolution = Loaded.Value.KnownIssues.Resolve(id, cell, null, whole.Outcome == WireOutcome.Fail ? Outcome.Fail : Outcome.Pass);
            Assert.False(resolution.Stale, $"stale known issue: {id} passes in {cell}; remove or narrow the entry in fixtures/known-issues.json (\"{issue.Reason}\")");
            TestContext.Current.TestOutputHelper?.WriteLine($"KNOWN ({cell}): {issue.Reason} {issue.Link}");
            return;
        }

        if (result.Outcome == WireOutcome.Fail)
        {
            // The message, then a unified diff of the golden bytes against ours (or our bytes, when we should have refused).
            Assert.Fail(result.Describe());
        }
    }
}
