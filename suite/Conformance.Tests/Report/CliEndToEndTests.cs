using System.Globalization;
using System.Xml.Linq;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>The CLI, in-process, on a small subset against a local CPython peer: four files that agree.</summary>
public sealed class CliEndToEndTests
{
    [Fact]
    public async Task ASmallRunAgainstALocalPythonPeerWritesFourFilesThatAgree()
    {
        var python = CliRunner.Python3();
        CliRunner.RequirePeers();
        CliRunner.RequireImplementation();

        var run = await CliRunner.RunAsync("--python", python, "--case", "value.int.*", "--case", "fault.wrong-arg-count", "--case", "dialect.i8");

        foreach (var name in ReportWriter.FileNames)
        {
            Assert.True(File.Exists(run.PathOf(name)), $"{name} was not written; {run}");
        }

        var results = run.Results;
        var view = new ReportView(results);
        Assert.Equal(view.Succeeded ? 0 : 1, run.ExitCode);
        Assert.Contains(results.Cells, c => c.Id == "wire.writer");
        Assert.Contains(results.Cells, c => c.Id == "wire.parser");
        Assert.Contains(results.Cells, c => c.Id == "live.cs-to-cs");
        var peer = Assert.Single(results.Metadata.Targets, t => t.Implementation == "CPython");
        Assert.False(string.IsNullOrEmpty(peer.Version));
        Assert.False(string.IsNullOrEmpty(peer.Build));
        Assert.Contains(results.Cells, c => c.Id == "live.cs-to-py@" + peer.Id);
        Assert.Contains(results.Cells, c => c.Id == "live.py-to-cs@" + peer.Id);
        Assert.StartsWith("sha256:", results.Metadata.Catalog.Hash, StringComparison.Ordinal);
        Assert.Equal(["value.int.*", "fault.wrong-arg-count", "dialect.i8"], results.Metadata.Catalog.Filters);
        Assert.All(results.Cases, c => Assert.True(c.Id.StartsWith("value.int.", StringComparison.Ordinal) || c.Id is "fault.wrong-arg-count" or "dialect.i8"));
        // A parse-only case has only the parser cell.
        Assert.Equal(["wire.parser"], results.Results.Where(r => r.Case == "dialect.i8").Select(r => r.Cell));

        // The renderings were made from results.json: re-rendering it gives the same bytes.
        Assert.Equal(MarkdownRenderer.Render(results), run.Read("summary.md"));
        Assert.Equal(HtmlRenderer.Render(results), run.Read("report.html"));
        Assert.Equal(JUnitRenderer.Render(results), run.Read("junit.xml"));

        // And they agree with it: every cell's totals in summary.md, every result a JUnit testcase.
        var md = run.Read("summary.md");
        foreach (var cell in results.Cells)
        {
            var t = view.CellTotals[cell.Id];
            var counts = string.Join(" | ", ReportView.OutcomeOrder.Select(o => t[o].ToString(CultureInfo.InvariantCulture)));
            Assert.Contains($"`{cell.Id}` | {counts} | {t.Stale} | {t.Count} |", md, StringComparison.Ordinal);
        }

        var junit = XDocument.Parse(run.Read("junit.xml"));
        Assert.Equal(results.Results.Count + view.TargetErrors.Count, junit.Descendants("testcase").Count());
        Assert.Equal((view.Total[Outcome.Fail] + view.Total.Stale + view.TargetErrors.Count).ToString(CultureInfo.InvariantCulture), (string?)junit.Root!.Attribute("failures"));
        var html = run.Read("report.html");
        Assert.All(results.Cases, c => Assert.Contains("data-id=\"" + Escape.Html(c.Id) + "\"", html, StringComparison.Ordinal));

        // The console ends with the summary table and the files written.
        Assert.Contains("wrote " + run.PathOf("junit.xml"), run.Output, StringComparison.Ordinal);
        Assert.Contains("DEVIATION", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeersDockerRunsBothDirectionsOnEveryPeerImageAndNamesTheImages()
    {
        // The same rule as the interop tests: containers when this run's peers are containers (CI), else a skip that says why.
        var environment = Conformance.Peers.PeerEnvironment.Current;
        if (environment.Hosting != Conformance.Peers.PeerHosting.Docker)
        {
            Assert.Skip($"peers run as {environment.Hosting} ({environment.Reason})");
        }

        var run = await CliRunner.RunAsync("--peers", "docker", "--case", "value.int.*", "--case", "seed.*");

        Assert.Equal(0, run.ExitCode);
        var results = run.Results;
        var images = results.Metadata.Targets.Where(t => t.Kind == "docker").ToList();
        Assert.Equal(environment.Runtimes.Count, images.Count);
        Assert.All(images, t =>
        {
            Assert.False(string.IsNullOrEmpty(t.Image));
            Assert.StartsWith("sha256:", t.ImageId, StringComparison.Ordinal);
            Assert.Contains(results.Cells, c => c.Id == "live.cs-to-py@" + t.Id);
            Assert.Contains(results.Cells, c => c.Id == "live.py-to-cs@" + t.Id);
        });
        Assert.DoesNotContain(results.Results, r => r.Outcome is Outcome.Fail or Outcome.Missing);
    }

    [Fact]
    public async Task DryRunListsTheSelectedCasesWithDescriptionsAndWritesNothing()
    {
        var run = await CliRunner.RunAsync("--dry-run", "--no-live", "--case", "value.int.*");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("value.int.max", run.Output, StringComparison.Ordinal);
        Assert.Contains("Largest 32-bit int", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("value.string", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(run.OutDirectory));
    }

    [Fact]
    public async Task AGlobThatMatchesNothingIsAUsageError()
    {
        var run = await CliRunner.RunAsync("--case", "no.such.case.*");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no case matches", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpEndsWithANewline()
    {
        var run = await CliRunner.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("\n", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APythonThatDoesNotExistIsNamedOnTheConsoleAndFailsTheRun()
    {
        var run = await CliRunner.RunAsync("--python", "/nonexistent/python9", "--case", "value.int.max");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("target /nonexistent/python9 could not run: interpreter /nonexistent/python9", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderReproducesTheGoldenFilesFromTheFixedInput()
    {
        var run = await CliRunner.RunAsync("--render", ReportPaths.GoldenInput);

        Assert.Equal(0, run.ExitCode);
        foreach (var name in new[] { "summary.md", "report.html", "junit.xml" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(ReportPaths.GoldenDirectory, name)), run.Read(name));
        }
    }
}
