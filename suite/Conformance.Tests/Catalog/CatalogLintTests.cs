using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Catalog;
using NJsonSchema;
using Xunit;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Tests.CatalogLint;

/// <summary>
/// The catalog's own invariants (fixtures/README.md): schema-valid, ids unique and well-formed, golden files
/// complete and all referenced, and every case's intent met by what CPython recorded unless known-issues.json says
/// CPython itself fails it.
/// </summary>
public sealed partial class CatalogLintTests
{
    /// <summary>The cells of fixtures/README.md, plus <c>peer.self</c> (a Python client against a Python server of the same version), which known-issues.json uses.</summary>
    private static readonly string[] Cells = ["wire.writer", "wire.parser", "live.cs-to-py", "live.py-to-cs", "live.cs-to-cs", "cpython.self", "peer.self", "live.cs-to-xmlrpc-c", "live.xmlrpc-c-to-cs", "live.cs-to-node", "live.node-to-cs"];

    private static readonly Lazy<CaseCatalog> Loaded = new(() => CaseCatalog.Load());

    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    public static IEnumerable<TheoryDataRow<string>> CatalogFiles() =>
        Directory.GetFiles(Path.Combine(FixturesLocator.Find(), "cases"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => new TheoryDataRow<string>(Path.GetFileName(f)) { TestDisplayName = "cases/" + Path.GetFileName(f) });

    public static IEnumerable<TheoryDataRow<string>> Cases() =>
        Loaded.Value.Cases.Select(c => new TheoryDataRow<string>(c.Id) { TestDisplayName = c.Id });

    [Theory]
    [MemberData(nameof(CatalogFiles))]
    public void CatalogFileMatchesTheSchema(string file)
    {
        var text = SmallIntegers(File.ReadAllText(Path.Combine(FixturesLocator.Find(), "cases", file)));
        var errors = Schema.Value.Validate(text);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"{e.Path}: {e.Kind} {e}")));
    }

    [Fact]
    public void SchemaRejectsACaseWithoutExpect()
    {
        // The lint above can fail: a case missing a required member is reported.
        const string broken = """{"area": "value", "description": "d", "cases": [{"id": "value.x", "description": "d", "checks": "c", "expectation": "valid", "call": {"method": "m", "params": []}}]}""";
        Assert.NotEmpty(Schema.Value.Validate(broken));
    }

    [Fact]
    public void CaseIdsAreUniqueAndCarryTheirArea()
    {
        var problems = new List<string>();
        foreach (var group in Loaded.Value.AllCases.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{group.Key} is used {group.Count()} times");
        }

        foreach (var c in Loaded.Value.AllCases)
        {
            if (!IdPattern().IsMatch(c.Id))
            {
                problems.Add($"{c.Id}: not a dotted lower-case id");
            }

            if (!c.Id.StartsWith(c.Area + ".", StringComparison.Ordinal))
            {
                problems.Add($"{c.Id}: does not start with its area '{c.Area}.'");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void EveryCaseHasADescriptionAndChecks()
    {
        var problems = Loaded.Value.AllCases
            .Where(c => string.IsNullOrWhiteSpace(c.Description) || c.Description.Contains('\n', StringComparison.Ordinal) || string.IsNullOrWhiteSpace(c.Checks))
            .Select(c => c.Id)
            .ToList();
        Assert.Empty(problems);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExpectedGoldenFilesArePresent(string id)
    {
        var catalog = Loaded.Value;
        var testCase = catalog.Get(id);
        var observation = catalog.ReadObservation(testCase);
        Assert.True(observation is not null, $"missing {catalog.GoldenPath(testCase, ".cpython.json")}: run python3 python-peers/make_fixtures.py");
        var missing = CaseCatalog.ExpectedGoldenSuffixes(testCase, observation)
            .Where(s => !File.Exists(catalog.GoldenPath(testCase, s)))
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryGoldenFileBelongsToACase()
    {
        var catalog = Loaded.Value;
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in catalog.Cases)
        {
            if (catalog.ReadObservation(c) is { } observation)
            {
                foreach (var suffix in CaseCatalog.ExpectedGoldenSuffixes(c, observation))
                {
                    expected.Add(Path.GetRelativePath(catalog.FixturesDirectory, catalog.GoldenPath(c, suffix)).Replace('\\', '/'));
                }
            }
        }

        var stray = Directory.GetFiles(Path.Combine(catalog.FixturesDirectory, "golden"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(catalog.FixturesDirectory, f).Replace('\\', '/'))
            .Where(f => !expected.Contains(f))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Empty(stray);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CPythonMeetsTheIntent(string id)
    {
        var catalog = Loaded.Value;
        var testCase = catalog.Get(id);
        var observation = catalog.ReadObservation(testCase);
        Assert.NotNull(observation);
        // The one judge, on CPython's own recorded exchange (its server's decode stands in for describe): CPython must PASS.
        var verdict = new Judge(catalog).Evaluate(testCase, observation.Observed, new JudgeContext { DescribeRequired = false });
        var resolution = catalog.KnownIssues.Resolve(id, "cpython.self", null, verdict.Outcome);
        Assert.False(resolution.Stale, $"known issue for cpython.self is stale: CPython now meets the intent ({resolution.Issue?.Reason})");
        if (resolution.Issue is { } issue)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"KNOWN: {issue.Reason} ({issue.Link})");
            return;
        }

        Assert.True(verdict.Outcome == Outcome.Pass, $"CPython does not meet the case's intent ({verdict.Outcome}): {verdict.Detail}; recorded: {observation.Root.GetRawText()}");
    }

    [Fact]
    public void KnownIssuesNameExistingCasesAndCells()
    {
        var catalog = Loaded.Value;
        var problems = new List<string>();
        foreach (var issue in catalog.KnownIssues.Entries)
        {
            foreach (var glob in issue.Cases)
            {
                if (!catalog.Cases.Any(c => Glob.IsMatch(glob, c.Id)))
                {
                    problems.Add($"'{glob}' matches no case");
                }
            }

            problems.AddRange(issue.Cells.Where(cell => !Cells.Contains(cell, StringComparer.Ordinal)).Select(cell => $"unknown cell '{cell}'"));
            if (string.IsNullOrWhiteSpace(issue.Reason) || string.IsNullOrWhiteSpace(issue.Link))
            {
                problems.Add($"{string.Join(",", issue.Cases)}: a known issue needs a reason and a link");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void DescribeJsonMatchesPythonJsonDumps()
    {
        // Expected texts from Python 3.11: json.dumps(model, separators=(",", ":"), ensure_ascii=True).
        var value = XmlRpc.XmlRpcValue.Struct(
            ("k\u00e9y", XmlRpc.XmlRpcValue.FromString("a\"\\\n\r\t\b\f\u0001\u007f\u00e9\U0001D518")),
            ("n", XmlRpc.XmlRpcValue.Array(1, 0.1, true, XmlRpc.XmlRpcValue.Nil)));
        Assert.Equal(
            """{"struct":[["k\u00e9y",{"string":"a\"\\\n\r\t\b\f\u0001\u007f\u00e9\ud835\udd18"}],["n",{"array":[{"int":1},{"double":"0.1"},{"boolean":true},{"nil":null}]}]]}""",
            CatalogModel.DescribeJson(value));
    }

    [Fact]
    public void GlobFollowsFnmatch()
    {
        Assert.True(Glob.IsMatch("value.string.*", "value.string.cr"));
        Assert.True(Glob.IsMatch("value.?nt.max", "value.int.max"));
        Assert.True(Glob.IsMatch("3.[0-9]*", "3.11.7"));
        Assert.True(Glob.IsMatch("[!2]*", "3.6.15"));
        Assert.False(Glob.IsMatch("[!2]*", "2.7.18"));
        Assert.False(Glob.IsMatch("value.string.*", "value.strings"));
        Assert.False(Glob.IsMatch("value.int.max", "VALUE.int.max"));
    }

    [Fact]
    public void SchemaRejectsAWriterDeviationThatIsNeitherRefuseNorReplace()
    {
        const string broken = """{"area": "value", "description": "d", "cases": [{"id": "value.x", "description": "d", "checks": "c", "expectation": "valid", "call": {"method": "m", "params": []}, "expect": {"result": {"nil": null}}, "deviation": {"reason": "r", "writer": "ignore"}}]}""";
        Assert.NotEmpty(Schema.Value.Validate(broken));
    }

    /// <summary>
    /// The schema with every <c>const</c> written as a one-value <c>enum</c> (the same constraint in JSON Schema):
    /// NJsonSchema ignores <c>const</c>, which made <c>oneOf [{"const": "refuse"}, {object}]</c> match twice.
    /// </summary>
    private static JsonSchema LoadSchema()
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesLocator.Find(), "case.schema.json")))!;
        ConstToEnum(node);
        return JsonSchema.FromJsonAsync(node.ToJsonString()).GetAwaiter().GetResult();
    }

    private static void ConstToEnum(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            if (o["const"] is { } value)
            {
                o.Remove("const");
                o["enum"] = new JsonArray(value.DeepClone());
            }

            foreach (var child in o.Select(p => p.Value).ToList())
            {
                ConstToEnum(child);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                ConstToEnum(child);
            }
        }
    }

    /// <summary>
    /// The catalog text with integers beyond 64 bits replaced by 0 (still a JSON integer, so the type check is the same):
    /// NJsonSchema cannot validate a BigInteger (InvalidCastException: Object must implement IConvertible).
    /// </summary>
    private static string SmallIntegers(string text)
    {
        var node = JsonNode.Parse(text)!;
        Replace(node);
        return node.ToJsonString();

        static void Replace(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, child) in o.ToList())
                    {
                        if (IsHuge(child))
                        {
                            o[key] = 0;
                        }
                        else
                        {
                            Replace(child);
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        if (IsHuge(a[i]))
                        {
                            a[i] = 0;
                        }
                        else
                        {
                            Replace(a[i]);
                        }
                    }

                    break;
            }
        }

        static bool IsHuge(JsonNode? n) =>
            n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && !v.ToJsonString().Contains('.', StringComparison.Ordinal) && !long.TryParse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    [GeneratedRegex("^[a-z0-9]+(\\.[a-z0-9][a-z0-9-]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
