using System.Text.Json;
using Xunit;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Tests.Catalog;

/// <summary>
/// <c>fixtures/judge-vectors.json</c> (JSON-Schema-Test-Suite style): the one judge gives every vector's outcome. The Python
/// peers' judge (<c>conformance.judge</c>) runs the same file in <c>python-peers/test_peers.py</c> on every interpreter.
/// </summary>
public sealed class JudgeVectorTests
{
    private static readonly Lazy<CaseCatalog> Loaded = new(() => CaseCatalog.Load(FixturesLocator.Find()));

    public static IEnumerable<TheoryDataRow<int>> Vectors() =>
        Read().Select((v, i) => new TheoryDataRow<int>(i) { TestDisplayName = $"{v.GetProperty("case").GetString()}: {v.GetProperty("description").GetString()}" });

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TheJudgeGivesTheVectorsOutcome(int index)
    {
        var vector = Read()[index];
        var catalog = Loaded.Value;
        var context = vector.TryGetProperty("context", out var c) ? c : default;
        var judged = new Judge(catalog).Evaluate(
            catalog.Get(vector.GetProperty("case").GetString()!),
            CaseObservation.FromJson(vector.GetProperty("observation"), catalog.FixturesDirectory),
            new JudgeContext
            {
                OurClient = Flag(context, "ourClient", false),
                OurServer = Flag(context, "ourServer", false),
                DescribeRequired = Flag(context, "describeRequired", true),
                ListedMethods = Names(context, "listedMethods"),
                ProvenMethods = Names(context, "provenMethods"),
            });
        Assert.True(Name(judged.Outcome) == vector.GetProperty("outcome").GetString(), $"expected {vector.GetProperty("outcome").GetString()}, got {Name(judged.Outcome)}: {judged.Detail}");
    }

    [Fact]
    public void EveryOutcomeOfTheJudgeHasAVector()
    {
        var outcomes = Read().Select(v => v.GetProperty("outcome").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["deviation", "fail", "missing", "non-strict", "pass"], outcomes.Order(StringComparer.Ordinal));
    }

    private static string Name(Outcome outcome) => outcome == Outcome.NonStrict ? "non-strict" : outcome.ToString().ToLowerInvariant();

    private static HashSet<string>? Names(JsonElement context, string name) =>
        context.ValueKind == JsonValueKind.Object && context.TryGetProperty(name, out var names)
            ? names.EnumerateArray().Select(m => m.GetString()!).ToHashSet(StringComparer.Ordinal)
            : null;

    private static bool Flag(JsonElement context, string name, bool fallback) =>
        context.ValueKind == JsonValueKind.Object && context.TryGetProperty(name, out var v) ? v.GetBoolean() : fallback;

    private static List<JsonElement> Read()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixturesLocator.Find(), "judge-vectors.json")));
        return [.. doc.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.Clone())];
    }
}
