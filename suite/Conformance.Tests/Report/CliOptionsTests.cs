using Conformance.Cli;
using Xunit;

namespace Conformance.Tests.Report;

public sealed class CliOptionsTests
{
    [Fact]
    public void NoArgumentsMeansProcessPeersAndTheDefaultFolder()
    {
        var o = CliOptions.Parse([]);

        Assert.Equal("process", o.Peers);
        Assert.Equal(Path.Combine("artifacts", "compat"), o.Out);
        Assert.False(o.DryRun);
        Assert.False(o.ForeignOnly);
    }

    [Fact]
    public void RepeatableOptionsAccumulate()
    {
        var o = CliOptions.Parse(["--case", "value.int.*", "--case=fault.*", "--python", "/a/python", "--python", "/b/python", "--dry-run", "--out", "x"]);

        Assert.Equal(["value.int.*", "fault.*"], o.CaseGlobs);
        Assert.Equal(["/a/python", "/b/python"], o.Pythons);
        Assert.True(o.DryRun);
        Assert.Equal("x", o.Out);
    }

    [Fact]
    public void AnImageImpliesDockerPeers() => Assert.Equal("docker", CliOptions.Parse(["--image", "python:3.12-slim"]).Peers);

    [Fact]
    public void AServerAloneRunsOnlyTheForeignTarget()
    {
        var o = CliOptions.Parse(["--server", "http://127.0.0.1:8000/RPC2"]);

        Assert.True(o.ForeignOnly);
        Assert.False(CliOptions.Parse(["--server", "http://127.0.0.1:8000/", "--peers", "process"]).ForeignOnly);
    }

    [Theory]
    [InlineData("--peers", "kubernetes")]
    [InlineData("--server", "not a url")]
    [InlineData("--client-command", "python3 client.py")]
    [InlineData("--timeout", "-1")]
    [InlineData("--bogus", "x")]
    public void BadCommandLinesSayWhatIsWrong(string option, string value) =>
        Assert.Throws<CliUsageException>(() => CliOptions.Parse([option, value]));

    [Fact]
    public void AServerExecutableMustExistAndServeLiveCells()
    {
        var existing = Environment.ProcessPath!;

        Assert.Equal(existing, CliOptions.Parse(["--server-exe", existing]).ServerExecutable);
        Assert.Contains("no such file", Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--server-exe", existing + ".missing"])).Message, StringComparison.Ordinal);
        Assert.Contains("--no-live", Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--server-exe", existing, "--no-live"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptionWithoutItsValueIsAUsageError() =>
        Assert.Contains("--out", Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--out"])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("--no-live", "--server", "http://127.0.0.1:8000/RPC2")]
    [InlineData("--no-live", "--python", "/usr/bin/python3")]
    [InlineData("--peers", "process", "--image", "python:3.12-slim")]
    [InlineData("--image", "python:3.12-slim", "--python", "/usr/bin/python3")]
    public void OptionsThatWouldBeIgnoredAreAUsageError(params string[] args) =>
        Assert.Throws<CliUsageException>(() => CliOptions.Parse(args));

    [Fact]
    public void AForgottenValueIsNotTakenFromTheNextOption() =>
        Assert.Contains("--case", Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--case", "--out", "x"])).Message, StringComparison.Ordinal);

    [Fact]
    public async Task RenderingAMissingOrBrokenResultsFileIsAUsageError()
    {
        var broken = Path.Combine(Path.GetTempPath(), "broken-results-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(broken, "{ not json", TestContext.Current.CancellationToken);
        try
        {
            foreach (var path in new[] { broken, broken + ".missing" })
            {
                var errors = new StringWriter();
                var exit = await ConformanceCli.RunAsync(["--render", path, "--out", Path.GetTempPath()], TextWriter.Null, errors, TestContext.Current.CancellationToken);
                Assert.Equal(2, exit);
                Assert.Contains("--render", errors.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void ShardAndBaselineAreParsed()
    {
        var o = CliOptions.Parse(["--shard", "2/3", "--baseline", "base/results.json"]);

        Assert.Equal(new Conformance.Cli.Results.ShardInfo(2, 3), o.Shard);
        Assert.Equal("base/results.json", o.Baseline);
        Assert.Null(CliOptions.Parse([]).Shard);
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("2")]
    [InlineData("a/b")]
    [InlineData("-1/2")]
    [InlineData("1/2/3")]
    public void AShardOutsideOneToNIsAUsageError(string shard) =>
        Assert.Contains("--shard", Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--shard", shard])).Message, StringComparison.Ordinal);

    [Fact]
    public void RenderCannotGoWithShardOrBaseline()
    {
        Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--render", "r.json", "--baseline", "b.json"]));
        Assert.Throws<CliUsageException>(() => CliOptions.Parse(["--render", "r.json", "--shard", "1/2"]));
    }

    [Fact]
    public async Task MergeWithoutInputsOrWithAnUnknownOptionIsAUsageError()
    {
        foreach (var args in new string[][] { ["merge", "--out", "x"], ["merge", "a.json", "--shard", "1/2"], ["merge", "a.json", "--out"] })
        {
            var output = new StringWriter();
            Assert.Equal(ExitCodes.Usage, await ConformanceCli.RunAsync(args, output, output, TestContext.Current.CancellationToken));
            Assert.StartsWith("error: merge", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HelpListsEveryExitCode()
    {
        foreach (var code in new[] { ExitCodes.Ok, ExitCodes.Failed, ExitCodes.Usage, ExitCodes.Regression, ExitCodes.MergeConflict })
        {
            Assert.Matches($@"(?m)^\s+{code}  \S", CliOptions.Usage);
        }
    }
}
