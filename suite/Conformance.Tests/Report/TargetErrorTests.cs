using System.Globalization;
using System.Xml.Linq;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>
/// A target that could not run (a peer that did not start, a --server that refused the connection)
/// fails the run and shows in every output, although it has no result of its own.
/// </summary>
public sealed class TargetErrorTests
{
    private static readonly ResultsDocument Fixed = ResultsDocument.Read(ReportPaths.GoldenInput);

    /// <summary>The fixed input with every result a plain PASS: only the target error can fail it.</summary>
    private static readonly ResultsDocument AllPass = Fixed with
    {
        Results = [.. Fixed.Results.Select(r => r with { Outcome = Outcome.Pass, Stale = false, Known = null, Detail = null, Diff = null })],
    };

    private static readonly TargetInfo Errored = Assert.Single(Fixed.Metadata.Targets, t => t.Error is not null);

    private static ResultsDocument WithoutTargetErrors(ResultsDocument d) =>
        d with { Metadata = d.Metadata with { Targets = [.. d.Metadata.Targets.Where(t => t.Error is null)] } };

    [Fact]
    public void ATargetErrorAloneFailsTheVerdict()
    {
        var view = new ReportView(AllPass);

        Assert.False(view.Succeeded);
        Assert.Equal([Errored.Id], view.TargetErrors.Select(t => t.Id));
        Assert.Equal("1 target could not run", view.Verdict());
        Assert.True(new ReportView(WithoutTargetErrors(AllPass)).Succeeded);
        Assert.StartsWith("no failures: ", new ReportView(WithoutTargetErrors(AllPass)).Verdict(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheVerdictCountsTargetErrorsWithFailures()
    {
        Assert.Equal("4 FAIL, 1 stale known issue, 1 target could not run", new ReportView(Fixed).Verdict());
    }

    [Fact]
    public void ARunWhoseOnlyTargetCouldNotRunSaysSo()
    {
        var doc = Fixed with { Cells = [], Results = [] };
        var view = new ReportView(doc);

        Assert.False(view.Succeeded);
        Assert.Equal("no results: 1 target could not run", view.Verdict());
        Assert.Equal("no results: nothing ran", new ReportView(WithoutTargetErrors(doc)).Verdict());
    }

    [Fact]
    public void JunitHasAFailingTestcasePerTargetThatCouldNotRun()
    {
        var junit = XDocument.Parse(JUnitRenderer.Render(AllPass));

        var suite = Assert.Single(junit.Root!.Elements("testsuite"), s => (string?)s.Attribute("name") == "targets");
        var testcase = Assert.Single(suite.Elements("testcase"));
        Assert.Equal(Errored.Id, (string?)testcase.Attribute("classname"));
        Assert.Equal("target could not run", (string?)testcase.Attribute("name"));
        var failure = testcase.Element("failure")!;
        Assert.Equal("TARGET", (string?)failure.Attribute("type"));
        Assert.Equal(Errored.Error, (string?)failure.Attribute("message"));
        Assert.Contains(Errored.Error!, failure.Value, StringComparison.Ordinal);
        Assert.Equal("1", (string?)suite.Attribute("failures"));

        // The totals count it: CI cannot read the run as green.
        var root = junit.Root!;
        Assert.Equal((AllPass.Results.Count + 1).ToString(CultureInfo.InvariantCulture), (string?)root.Attribute("tests"));
        Assert.Equal("1", (string?)root.Attribute("failures"));
        Assert.Equal(AllPass.Results.Count + 1, junit.Descendants("testcase").Count());
    }

    [Fact]
    public void JunitOfARunWithNothingButAnUnreachableTargetIsNotGreen()
    {
        var junit = XDocument.Parse(JUnitRenderer.Render(Fixed with { Cells = [], Results = [] }));

        Assert.Equal("1", (string?)junit.Root!.Attribute("tests"));
        Assert.Equal("1", (string?)junit.Root!.Attribute("failures"));
        Assert.NotNull(Assert.Single(junit.Descendants("testcase")).Element("failure"));
    }

    [Fact]
    public void JunitHasNoTargetsSuiteWhenEveryTargetRan()
    {
        var junit = XDocument.Parse(JUnitRenderer.Render(WithoutTargetErrors(AllPass)));

        Assert.DoesNotContain(junit.Root!.Elements("testsuite"), s => (string?)s.Attribute("name") == "targets");
        Assert.Equal("0", (string?)junit.Root!.Attribute("failures"));
    }

    [Fact]
    public void SummaryShowsTargetErrorsRightUnderTheVerdict()
    {
        var md = MarkdownRenderer.Render(AllPass);

        Assert.StartsWith("# XML-RPC conformance report\n\n**❌ 1 target could not run**\n\n**⚠️ 1 target could not run:**\n\n- `cpython-3.6.15` (process ", md, StringComparison.Ordinal);
        var block = md[..md.IndexOf("- date (UTC)", StringComparison.Ordinal)];
        Assert.Contains(Escape.MarkdownText(Errored.Error), block, StringComparison.Ordinal);
        Assert.DoesNotContain("could not run", MarkdownRenderer.Render(WithoutTargetErrors(AllPass)), StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlShowsTargetErrorsRightUnderARedVerdict()
    {
        var html = HtmlRenderer.Render(AllPass);

        var header = html[html.IndexOf("<header>", StringComparison.Ordinal)..html.IndexOf("<dl class=\"meta\">", StringComparison.Ordinal)];
        Assert.Contains("<p class=\"verdict bad\">1 target could not run</p>", header, StringComparison.Ordinal);
        Assert.Contains("<div class=\"target-errors\" role=\"alert\">", header, StringComparison.Ordinal);
        Assert.Contains("<code>cpython-3.6.15</code>", header, StringComparison.Ordinal);
        Assert.Contains(Escape.Html(Errored.Error), header, StringComparison.Ordinal);

        var fine = HtmlRenderer.Render(WithoutTargetErrors(AllPass));
        Assert.Contains("<p class=\"verdict ok\">", fine, StringComparison.Ordinal);
        Assert.DoesNotContain("<div class=\"target-errors\"", fine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatRefusesTheConnectionFailsTheRunInEveryOutput()
    {
        // Port 1 on the loopback: nothing listens there, the connection is refused at once.
        var run = await CliRunner.RunAsync("--server", "http://127.0.0.1:1/RPC2", "--case", "value.int.max");

        Assert.Equal(1, run.ExitCode);
        var results = run.Results;
        var target = Assert.Single(results.Metadata.Targets, t => t.Error is not null);
        Assert.False(new ReportView(results).Succeeded);

        var junit = XDocument.Parse(run.Read("junit.xml"));
        var testcase = Assert.Single(junit.Descendants("testcase"), c => (string?)c.Attribute("classname") == target.Id);
        Assert.Equal("target could not run", (string?)testcase.Attribute("name"));
        Assert.Equal(target.Error, (string?)testcase.Element("failure")!.Attribute("message"));
        Assert.NotEqual("0", (string?)junit.Root!.Attribute("failures"));

        Assert.Contains("could not run:**", run.Read("summary.md"), StringComparison.Ordinal);
        Assert.Contains("<div class=\"target-errors\"", run.Read("report.html"), StringComparison.Ordinal);
    }
}
