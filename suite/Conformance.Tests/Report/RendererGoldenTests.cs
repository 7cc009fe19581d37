using Conformance.Cli.Diffing;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>
/// The renderers on a fixed results.json (every outcome, a stale known issue, hostile strings)
/// against golden files. Goldens change only through scripts/regenerate-report-goldens.sh, after
/// reading the diff this test prints.
/// </summary>
public sealed class RendererGoldenTests
{
    public static TheoryData<string> Renderings => ["summary.md", "report.html", "junit.xml"];

    [Theory]
    [MemberData(nameof(Renderings))]
    public void RenderingTheFixedInputMatchesTheGoldenFile(string fileName)
    {
        var input = ResultsDocument.Read(ReportPaths.GoldenInput);
        var actual = Render(fileName, input);
        var expected = File.ReadAllText(Path.Combine(ReportPaths.GoldenDirectory, fileName));

        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            Assert.Fail($"{fileName} differs from its golden file. If the change is intended, review this diff, then run "
                + $"scripts/regenerate-report-goldens.sh and commit the new golden files.\n"
                + UnifiedDiff.Create(expected, actual, "golden/" + fileName, "rendered now"));
        }
    }

    [Theory]
    [MemberData(nameof(Renderings))]
    public void RenderingIsDeterministic(string fileName)
    {
        var input = ResultsDocument.Read(ReportPaths.GoldenInput);
        Assert.Equal(Render(fileName, input), Render(fileName, ResultsDocument.FromJson(input.ToJson())));
    }

    [Fact]
    public void ResultsJsonRoundTripsToTheSameText()
    {
        var once = ResultsDocument.Read(ReportPaths.GoldenInput).Sorted().ToJson();
        var twice = ResultsDocument.FromJson(once).Sorted().ToJson();
        Assert.Equal(once, twice);
    }

    [Fact]
    public void TheFixedInputHoldsEveryOutcomeAndAStaleKnownIssue()
    {
        var input = ResultsDocument.Read(ReportPaths.GoldenInput);
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            Assert.Contains(input.Results, r => r.Outcome == outcome);
        }

        Assert.Contains(input.Results, r => r.Stale);
        Assert.Contains(input.Cases, c => c.Id.Contains("<script>alert(1)</script>", StringComparison.Ordinal));
        Assert.Contains(input.Results, r => r.Detail?.Contains("]]>", StringComparison.Ordinal) == true);
    }

    internal static string Render(string fileName, ResultsDocument input) => fileName switch
    {
        "summary.md" => MarkdownRenderer.Render(input),
        "report.html" => HtmlRenderer.Render(input),
        "junit.xml" => JUnitRenderer.Render(input),
        _ => throw new ArgumentOutOfRangeException(nameof(fileName), fileName, "not a rendering"),
    };
}
