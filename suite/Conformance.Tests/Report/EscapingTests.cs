using System.Text.RegularExpressions;
using System.Xml.Linq;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>Data never becomes markup: case ids, details, build strings and XML are escaped in every output.</summary>
public sealed partial class EscapingTests
{
    private static readonly ResultsDocument Hostile = ResultsDocument.Read(ReportPaths.GoldenInput);

    [Fact]
    public void ReportHtmlHasNoRawScriptFromData()
    {
        var html = HtmlRenderer.Render(Hostile);

        // Exactly one script element: the report's own inline script, at the end of the body.
        Assert.Single(ScriptTag().Matches(html));
        Assert.EndsWith("</script>\n</body>\n</html>\n", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("</td></tr></table>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReportHtmlIsSelfContained()
    {
        var html = HtmlRenderer.Render(Hostile);

        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SummaryMarkdownHasNoRawHtmlFromData()
    {
        var md = MarkdownRenderer.Render(Hostile);

        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>bold</b>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("(javascript:", md, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void JunitXmlIsWellFormedAndKeepsHostileTextAsText()
    {
        var doc = XDocument.Parse(JUnitRenderer.Render(Hostile));

        var cases = doc.Descendants("testcase").ToList();
        // One per result, plus one per target that could not run (the fixed input has one).
        Assert.Equal(Hostile.Results.Count + 1, cases.Count);
        Assert.Contains(cases, c => (string?)c.Element("failure")?.Attribute("message") == "did not print its ready line within 10 s: <stderr> ]]> & 'x'");
        var hostile = Assert.Single(cases, c => (string?)c.Attribute("name") == "fault.<script>alert(1)</script>" && c.Element("failure") is not null);
        Assert.Equal("</td></tr></table><script>alert(1)</script><!--", (string?)hostile.Element("failure")!.Attribute("message"));
        Assert.Contains(cases, c => c.Element("failure")?.Value.Contains("]]>", StringComparison.Ordinal) == true);
        Assert.Contains(cases, c => c.Element("failure")?.Value.Contains("\\x01 control", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void JunitXmlMapsOutcomes()
    {
        var doc = XDocument.Parse(JUnitRenderer.Render(Hostile));
        XElement Case(string id, string cell) =>
            doc.Descendants("testcase").Single(c => (string?)c.Attribute("name") == id && (string?)c.Attribute("classname") == cell);

        Assert.Equal("FAIL", (string?)Case("value.string.hostile", "wire.writer").Element("failure")!.Attribute("type"));
        Assert.NotNull(Case("value.int.max", "live.cs-to-py@cpython-2.7.18-docker").Element("skipped"));
        Assert.StartsWith("KNOWN: ", Case("value.string.cr", "live.cs-to-py@cpython-3.11.7").Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.StartsWith("DEVIATION: ", Case("value.string.cr", "wire.writer").Element("system-out")!.Value, StringComparison.Ordinal);
        Assert.Equal("STALE", (string?)Case("value.string.cr", "live.cs-to-cs").Element("failure")!.Attribute("type"));
        Assert.Empty(Case("value.int.max", "wire.writer").Elements());

        var root = doc.Root!;
        Assert.Equal((Hostile.Results.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)root.Attribute("tests"));
        Assert.Equal("6", (string?)root.Attribute("failures")); // 4 FAIL, 1 stale, 1 target that could not run
        Assert.Equal("3", (string?)root.Attribute("skipped")); // 2 MISSING, 1 NOT RUN
    }

    [Theory]
    [InlineData("value.int.max", "`value.int.max`")]
    [InlineData("live.cs-to-py@cpython-3.11.7", "`live.cs-to-py@cpython-3.11.7`")]
    [InlineData("a`b", "a\\`b")]
    [InlineData("a|b", "a\\|b")]
    [InlineData("x.<script>", "x.&lt;script&gt;")]
    public void MarkdownIdsAreCodeOnlyWhenPlain(string text, string expected) =>
        Assert.Equal(expected, Escape.MarkdownId(text));

    [Theory]
    [InlineData("<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;")]
    [InlineData("a|b_c*d", "a\\|b\\_c\\*d")]
    [InlineData("[x](javascript:y)", "\\[x\\](javascript:y)")]
    [InlineData("line\nbreak", "line break")]
    public void MarkdownTextIsInert(string text, string expected) =>
        Assert.Equal(expected, Escape.MarkdownText(text));

    [Fact]
    public void XmlSafeMakesInvalidCharactersVisible() =>
        Assert.Equal("a\\x01b\\x1f\tc\\ud800", Escape.XmlSafe("a\u0001b\u001f\tc\ud800"));

    [GeneratedRegex("<script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}
