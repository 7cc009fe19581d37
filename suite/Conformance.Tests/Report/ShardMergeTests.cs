using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Cli;
using Conformance.Cli.Comparing;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Conformance.Cli.Running;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary><c>--shard K/N</c> and <c>merge</c>: the shards of a run, merged, are the run.</summary>
public sealed partial class ShardMergeTests
{
    /// <summary>
    /// The only fields that may differ between a merge of shards and the whole run: when and how long it ran
    /// (<c>metadata.startedUtc</c>, <c>metadata.durationSeconds</c>, <c>results[].durationMs</c>) and the command line
    /// (<c>metadata.command</c>: the merge's own).
    /// </summary>
    private static readonly string[] IgnoredMetadata = ["startedUtc", "durationSeconds", "command"];

    [Fact]
    public void ShardsAreDisjointCoverTheSelectionAndKeepItsOrder()
    {
        var ids = Enumerable.Range(0, 11).Select(i => "case." + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var shards = Enumerable.Range(1, 3).Select(k => Sharding.Select(ids, new ShardInfo(k, 3))).ToList();

        Assert.Equal(["case.00", "case.03", "case.06", "case.09"], shards[0]);
        Assert.Equal(ids, shards.SelectMany(s => s).Order(StringComparer.Ordinal));
        Assert.All(shards, s => Assert.Equal(s.Order(StringComparer.Ordinal), s));
        Assert.Same(ids, Sharding.Select(ids, null));
    }

    [Fact]
    public async Task TwoShardsOfTheWholeCatalogMergedEqualTheUnshardedRunFieldByField()
    {
        var whole = await CliRunner.RunAsync("--no-live");
        var merged = await RunShardsAndMergeAsync(2, "--no-live");

        Assert.True(whole.ExitCode == merged.ExitCode, $"{whole}\n---\n{merged}");
        AssertSameRun(whole, merged);
    }

    [Fact]
    public async Task ThreeShardsOfALiveRunAgainstALocalPythonPeerMergedEqualTheUnshardedRunFieldByField()
    {
        var python = CliRunner.Python3();
        CliRunner.RequirePeers();
        CliRunner.RequireImplementation();
        string[] args = ["--python", python, "--case", "value.int.*", "--case", "fault.*", "--case", "multicall.*", "--case", "introspection.*", "--case", "dialect.i8"];

        var whole = await CliRunner.RunAsync(args);
        var merged = await RunShardsAndMergeAsync(3, args);

        Assert.True(whole.ExitCode == merged.ExitCode, $"{whole}\n---\n{merged}");
        Assert.Contains(whole.Results.Cells, c => c.Kind == "live.py-to-cs");
        Assert.Contains(whole.Results.Cells, c => c.Kind == "live.cs-to-py");
        AssertSameRun(whole, merged);
    }

    [Fact]
    public async Task MergeRefusesAnotherCatalogOrLibraryUnlessForced()
    {
        var (a, b) = await TwoShardsAsync();
        var other = b.Results with { Metadata = b.Results.Metadata with { Catalog = b.Results.Metadata.Catalog with { Hash = "sha256:other" } } };
        var otherPath = Path.Combine(b.OutDirectory, "other-catalog.json");
        other.Write(otherPath);

        var refused = await MergeAsync(a.PathOf("results.json"), otherPath);
        Assert.True(refused.ExitCode == ExitCodes.MergeConflict, refused.ToString());
        Assert.Contains("catalog sha256:other", refused.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(refused.OutDirectory));

        var forced = await MergeAsync(a.PathOf("results.json"), otherPath, "--force");
        Assert.True(forced.ExitCode == ExitCodes.Ok, forced.ToString());
        Assert.Contains(forced.Results.Metadata.Notes ?? [], n => n.StartsWith("merged with --force:", StringComparison.Ordinal));

        var library = b.Results with { Metadata = b.Results.Metadata with { Library = new LibraryInfo("XmlRpc", "0.0.1-other") } };
        var libraryPath = Path.Combine(b.OutDirectory, "other-library.json");
        library.Write(libraryPath);
        var refusedLibrary = await MergeAsync(a.PathOf("results.json"), libraryPath);
        Assert.True(refusedLibrary.ExitCode == ExitCodes.MergeConflict, refusedLibrary.ToString());
        Assert.Contains("library 0.0.1-other", refusedLibrary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MergeRefusesResultsOfTheSameCellThatDisagreeEvenWhenForced()
    {
        var (a, _) = await TwoShardsAsync();
        var results = a.Results;
        var flipped = results.Results[0];
        var disagreeing = results with { Results = [flipped with { Outcome = flipped.Outcome == Outcome.Fail ? Outcome.Pass : Outcome.Fail }, .. results.Results.Skip(1)] };
        var path = Path.Combine(a.OutDirectory, "disagreeing.json");
        disagreeing.Write(path);

        var refused = await MergeAsync(a.PathOf("results.json"), path, "--force");

        Assert.True(refused.ExitCode == ExitCodes.MergeConflict, refused.ToString());
        Assert.Contains($"{flipped.Case} in {flipped.Cell}", refused.Output, StringComparison.Ordinal);

        // Overlapping results that agree are one result.
        var same = await MergeAsync(a.PathOf("results.json"), a.PathOf("results.json"), "--force");
        Assert.Equal(results.Results.Count, same.Results.Results.Count);
    }

    [Fact]
    public async Task MergeRefusesAnIncompleteSetOfShardsUnlessForced()
    {
        var (a, _) = await TwoShardsAsync();

        var refused = await MergeAsync(a.PathOf("results.json"));
        Assert.True(refused.ExitCode == ExitCodes.MergeConflict, refused.ToString());
        Assert.Contains("shard 2/2 missing", refused.Output, StringComparison.Ordinal);

        var forced = await MergeAsync(a.PathOf("results.json"), "--force");
        Assert.True(forced.ExitCode == ExitCodes.Ok, forced.ToString());
    }

    [Fact]
    public async Task MergeWithABaselineFailsOnWhatGotWorse()
    {
        var (a, b) = await TwoShardsAsync();
        var whole = await CliRunner.RunAsync("--no-live", "--case", "value.string.*");
        var deviation = whole.Results.Results.First(r => r.Outcome == Outcome.Deviation);
        var baseline = whole.Results with { Results = [.. whole.Results.Results.Select(r => r == deviation ? r with { Outcome = Outcome.Pass } : r)] };
        var path = Path.Combine(whole.OutDirectory, "baseline.json");
        baseline.Write(path);

        var merged = await MergeAsync(a.PathOf("results.json"), b.PathOf("results.json"), "--baseline", path);

        Assert.True(merged.ExitCode == ExitCodes.Regression, merged.ToString());
        Assert.Equal(deviation.Case, Assert.Single(merged.Results.Baseline!.Regressions).Case);
    }

    private static async Task<(CliRun A, CliRun B)> TwoShardsAsync() =>
        (await CliRunner.RunAsync("--no-live", "--case", "value.string.*", "--shard", "1/2"),
         await CliRunner.RunAsync("--no-live", "--case", "value.string.*", "--shard", "2/2"));

    private static async Task<CliRun> RunShardsAndMergeAsync(int n, params string[] args)
    {
        var shards = new List<CliRun>();
        for (var k = 1; k <= n; k++)
        {
            var shard = await CliRunner.RunAsync([.. args, "--shard", $"{k}/{n}"]);
            Assert.True(File.Exists(shard.PathOf("results.json")), shard.ToString());
            Assert.Equal(new ShardInfo(k, n), shard.Results.Metadata.Shard);
            shards.Add(shard);
        }

        // Disjoint parts that cover the selection.
        var cases = shards.SelectMany(s => s.Results.Cases.Select(c => c.Id)).ToList();
        Assert.Equal(cases.Count, cases.Distinct(StringComparer.Ordinal).Count());
        return await MergeAsync([.. shards.Select(s => s.PathOf("results.json"))]);
    }

    private static async Task<CliRun> MergeAsync(params string[] args)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "conformance-merge-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        var exit = await ConformanceCli.RunAsync([MergeCommandName, .. args, "--out", outDir, "--plain"], output, output, TestContext.Current.CancellationToken).WaitAsync(CliRunner.Timeout, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), outDir, TimeSpan.Zero);
    }

    private const string MergeCommandName = "merge";

    private static void AssertSameRun(CliRun whole, CliRun merged)
    {
        var expected = Comparable(Stable(whole.Read("results.json")));
        var actual = Comparable(Stable(merged.Read("results.json")));
        Assert.Null(actual["metadata"]!["shard"]);
        foreach (var (name, value) in expected)
        {
            if (name == "results")
            {
                var e = value!.AsArray();
                var a = actual[name]!.AsArray();
                Assert.Equal(e.Count, a.Count);
                for (var i = 0; i < e.Count; i++)
                {
                    Assert.True(JsonNode.DeepEquals(e[i], a[i]), $"result {i}:\nunsharded {e[i]}\nmerged    {a[i]}");
                }
            }
            else if (name == "metadata")
            {
                foreach (var (field, v) in value!.AsObject())
                {
                    Assert.True(JsonNode.DeepEquals(v, actual[name]![field]), $"metadata.{field}:\nunsharded {v}\nmerged    {actual[name]![field]}");
                }
            }

            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"{name} differs");
        }

        Assert.Equal(expected.Count, actual.Count);

        // Rendered from the merge with the ignored fields set to the whole run's, every format is the whole run's.
        var wholeDoc = whole.Results;
        var timings = wholeDoc.Results.ToDictionary(r => (r.Case, r.Cell), r => r.DurationMs);
        var m = merged.Results;
        var aligned = m with
        {
            Metadata = m.Metadata with { StartedUtc = wholeDoc.Metadata.StartedUtc, DurationSeconds = wholeDoc.Metadata.DurationSeconds, Command = wholeDoc.Metadata.Command },
            Results = [.. m.Results.Select(r => r with { DurationMs = timings[(r.Case, r.Cell)] })],
        };
        Assert.Equal(Stable(whole.Read("summary.md")), Stable(MarkdownRenderer.Render(aligned)));
        Assert.Equal(Stable(whole.Read("report.html")), Stable(HtmlRenderer.Render(aligned)));
        Assert.Equal(Stable(whole.Read("junit.xml")), Stable(JUnitRenderer.Render(aligned)));
    }

    // What differs from one run of a server to the next: the port in a client's error text (an unreadable answer), and the
    // object addresses (id()) in CPython's answer to fault.raised-exception.object-address.
    private static string Stable(string text) => ObjectAddress().Replace(LoopbackPort().Replace(text, "127.0.0.1:PORT"), " at 0x0");

    [GeneratedRegex(" at 0x[0-9a-f]+", RegexOptions.CultureInvariant)]
    private static partial Regex ObjectAddress();

    [GeneratedRegex(@"127\.0\.0\.1:[0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex LoopbackPort();

    private static JsonObject Comparable(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var metadata = root["metadata"]!.AsObject();
        foreach (var name in IgnoredMetadata)
        {
            metadata.Remove(name);
        }

        foreach (var r in root["results"]!.AsArray())
        {
            r!.AsObject().Remove("durationMs");
        }

        return root;
    }
}
