using System.Xml.Linq;
using Conformance.Cli;
using Conformance.Cli.Comparing;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary><c>--baseline</c>: what got worse fails the run with its own exit code; what got better is listed.</summary>
public sealed class BaselineTests
{
    // The documented order (BaselineComparer's remarks), written out by hand: +1 worse, -1 better, 0 same rank.
    [Theory]
    [InlineData(Outcome.Pass, Outcome.Fail, 1)]
    [InlineData(Outcome.Known, Outcome.Fail, 1)]
    [InlineData(Outcome.NotRun, Outcome.Fail, 1)]
    [InlineData(Outcome.Fail, Outcome.NotRun, 1)]
    [InlineData(Outcome.Pass, Outcome.NotRun, 1)]
    [InlineData(Outcome.Pass, Outcome.Missing, 1)]
    [InlineData(Outcome.Pass, Outcome.NonStrict, 1)]
    [InlineData(Outcome.Pass, Outcome.Deviation, 1)]
    [InlineData(Outcome.NonStrict, Outcome.Known, 1)]
    [InlineData(Outcome.Known, Outcome.Missing, 1)]
    [InlineData(Outcome.Fail, Outcome.Missing, -1)]
    [InlineData(Outcome.NotRun, Outcome.Pass, -1)]
    [InlineData(Outcome.Missing, Outcome.Known, -1)]
    [InlineData(Outcome.Deviation, Outcome.Pass, -1)]
    [InlineData(Outcome.NonStrict, Outcome.Deviation, 0)]
    [InlineData(Outcome.Pass, Outcome.Pass, 0)]
    public void OutcomesAreOrderedAsDocumented(Outcome before, Outcome after, int expected) =>
        Assert.Equal(expected, Math.Sign(BaselineComparer.Direction(before, after)));

    [Fact]
    public void ANewFailAPassTurnedMissingAndALostResultAreWorseAndAnImprovementIsListed()
    {
        var baseline = Doc(
            [Target("csharp"), Target("cpython-3.13.1")],
            ["a", "b", "c", "d"],
            R("a", "wire.writer", Outcome.Pass), R("b", "wire.writer", Outcome.Pass), R("c", "wire.writer", Outcome.Fail),
            R("d", "wire.writer", Outcome.NonStrict), R("d", "wire.parser", Outcome.Pass));
        var current = Doc(
            [Target("csharp"), Target("cpython-3.13.1")],
            ["a", "b", "c", "d", "e"],
            R("a", "wire.writer", Outcome.Missing), R("b", "wire.writer", Outcome.Pass), R("c", "wire.writer", Outcome.Known),
            R("d", "wire.writer", Outcome.Deviation), R("e", "wire.writer", Outcome.Fail), R("e", "wire.parser", Outcome.Pass));

        var since = BaselineComparer.Compare(baseline, current, "base.json");

        Assert.Equal(
            ["a wire.writer PASS→MISSING", "d wire.parser PASS→absent", "e wire.writer none→FAIL"],
            since.Regressions.Select(c => $"{c.Case} {c.Cell} {c.Before}→{c.After}"));
        Assert.Equal(["c wire.writer FAIL→KNOWN"], since.Improvements.Select(c => $"{c.Case} {c.Cell} {c.Before}→{c.After}"));
        Assert.Equal(["d wire.writer NON-STRICT→DEVIATION"], since.Changes.Select(c => $"{c.Case} {c.Cell} {c.Before}→{c.After}"));
        Assert.Equal(5, since.Compared);
        Assert.Equal(2, since.New);
    }

    [Fact]
    public void ATargetThatRanBeforeAndCouldNotRunNowIsOneRegressionStandingForItsCells()
    {
        var baseline = Doc([Target("csharp"), Target("cpython-3.13.1")], ["a", "b"],
            R("a", "live.cs-to-py@cpython-3.13.1", Outcome.Pass), R("b", "live.cs-to-py@cpython-3.13.1", Outcome.Pass), R("a", "wire.writer", Outcome.Pass));
        var current = Doc([Target("csharp"), Target("cpython-3.13.1") with { Error = "did not start" }], ["a", "b"],
            R("a", "live.cs-to-py@cpython-3.13.1", Outcome.NotRun), R("a", "wire.writer", Outcome.Pass));

        var since = BaselineComparer.Compare(baseline, current, "base.json");

        var lost = Assert.Single(since.Regressions);
        Assert.Equal(("cpython-3.13.1", "ran", "could not run"), (lost.Target, lost.Before, lost.After));
        Assert.Contains("did not start", lost.Detail, StringComparison.Ordinal);
        Assert.Contains("2 baseline results", lost.Detail, StringComparison.Ordinal);

        var absent = BaselineComparer.Compare(baseline, current with { Metadata = current.Metadata with { Targets = [Target("csharp")] } }, "base.json");
        Assert.Equal(("cpython-3.13.1", "absent"), (Assert.Single(absent.Regressions).Target, absent.Regressions[0].After));
    }

    [Fact]
    public void OnlyTheCasesOfThisRunsSelectionAreCompared()
    {
        var baseline = Doc([Target("csharp")], ["a", "b", "c"],
            R("a", "wire.writer", Outcome.Pass), R("b", "wire.writer", Outcome.Pass), R("c", "wire.writer", Outcome.Pass));
        var shard = Doc([Target("csharp")], ["b"], R("b", "wire.writer", Outcome.Pass));

        var since = BaselineComparer.Compare(baseline, shard, "base.json");

        Assert.Empty(since.Regressions);
        Assert.Equal((1, 2), (since.Compared, since.OutsideSelection));
    }

    [Fact]
    public async Task ARunWorseThanItsBaselineExitsWithTheRegressionCodeAndSaysWhereverTheReportGoes()
    {
        var first = await CliRunner.RunAsync("--no-live", "--case", "value.string.c*", "--case", "value.int.max");
        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        var results = first.Results;
        // The baseline claims PASS where this code deviates (documented), and FAIL where it passes.
        var deviation = results.Results.First(r => r.Outcome == Outcome.Deviation);
        var pass = results.Results.First(r => r.Case == "value.int.max" && r.Outcome == Outcome.Pass);
        var doctored = results with
        {
            Results = [.. results.Results.Select(r => r == deviation ? r with { Outcome = Outcome.Pass } : r == pass ? r with { Outcome = Outcome.Fail } : r)],
        };
        var baselinePath = Path.Combine(first.OutDirectory, "baseline.json");
        doctored.Write(baselinePath);

        var run = await CliRunner.RunAsync("--no-live", "--case", "value.string.c*", "--case", "value.int.max", "--baseline", baselinePath);

        Assert.True(run.ExitCode == ExitCodes.Regression, run.ToString());
        var since = run.Results.Baseline!;
        var worse = Assert.Single(since.Regressions);
        Assert.Equal((deviation.Case, deviation.Cell, "PASS", "DEVIATION"), (worse.Case, worse.Cell, worse.Before, worse.After));
        var better = Assert.Single(since.Improvements);
        Assert.Equal((pass.Case, pass.Cell, "FAIL", "PASS"), (better.Case, better.Cell, better.Before, better.After));
        Assert.Contains("WORSE " + deviation.Case, run.Output, StringComparison.Ordinal);
        Assert.Contains("better " + pass.Case, run.Output, StringComparison.Ordinal);
        var md = run.Read("summary.md");
        Assert.Contains("## Since baseline", md, StringComparison.Ordinal);
        Assert.Contains("1 worse than the baseline", md, StringComparison.Ordinal);
        Assert.Contains("id=\"since-baseline\"", run.Read("report.html"), StringComparison.Ordinal);
        var junit = XDocument.Parse(run.Read("junit.xml"));
        var suite = Assert.Single(junit.Descendants("testsuite"), s => (string?)s.Attribute("name") == "baseline");
        Assert.Equal(deviation.Case, (string?)Assert.Single(suite.Elements("testcase")).Attribute("name"));

        // The same run against its own results: nothing worse, exit 0.
        var same = await CliRunner.RunAsync("--no-live", "--case", "value.string.c*", "--case", "value.int.max", "--baseline", first.PathOf("results.json"));
        Assert.True(same.ExitCode == ExitCodes.Ok, same.ToString());
        Assert.Empty(same.Results.Baseline!.Regressions);
    }

    [Fact]
    public async Task AShardComparedWithAWholeBaselineReportsNothingLost()
    {
        var whole = await CliRunner.RunAsync("--no-live", "--case", "value.int.*");
        var shard = await CliRunner.RunAsync("--no-live", "--case", "value.int.*", "--shard", "2/3", "--baseline", whole.PathOf("results.json"));

        Assert.True(shard.ExitCode == ExitCodes.Ok, shard.ToString());
        var since = shard.Results.Baseline!;
        Assert.Empty(since.Regressions);
        Assert.Equal(whole.Results.Results.Count, since.Compared + since.OutsideSelection);
        Assert.Equal(shard.Results.Results.Count, since.Compared);
    }

    [Fact]
    public async Task AnUnreadableBaselineIsAUsageErrorBeforeAnythingRuns()
    {
        var run = await CliRunner.RunAsync("--no-live", "--case", "value.int.max", "--baseline", Path.Combine(Path.GetTempPath(), "no-such-baseline-" + Guid.NewGuid().ToString("N") + ".json"));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--baseline", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.OutDirectory));
    }

    internal static TargetInfo Target(string id) => new() { Id = id, Label = id, Kind = "process", Implementation = "X", Version = "1" };

    internal static CellResult R(string caseId, string cell, Outcome outcome) => new() { Case = caseId, Cell = cell, Outcome = outcome };

    internal static ResultsDocument Doc(IReadOnlyList<TargetInfo> targets, IReadOnlyList<string> cases, params CellResult[] results) => new()
    {
        Metadata = new RunMetadata
        {
            StartedUtc = "2026-12-01T00:00:00Z",
            Library = new LibraryInfo("XmlRpc", "1.0.0"),
            Catalog = new CatalogInfo("sha256:00", 10, cases.Count),
            Machine = new MachineInfo("Linux", "X64", ".NET 10", 2),
            Targets = targets,
        },
        Cells = [.. results.Select(r => r.Cell).Distinct(StringComparer.Ordinal).Select(id => new CellInfo
        {
            Id = id,
            Kind = id.Split('@')[0],
            Target = id.Contains('@', StringComparison.Ordinal) ? id.Split('@')[1] : null,
            Title = id,
            Description = id,
        })],
        Cases = [.. cases.Select(id => new CaseInfo { Id = id, Area = "value", Description = id })],
        Results = results,
    };
}
