using System.Text.RegularExpressions;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>
/// report.html's behaviour that a golden file does not spell out: the sticky bars, case links, details
/// without a script and known-issue reasons shown once.
/// </summary>
public sealed partial class HtmlReportTests
{
    private static readonly ResultsDocument Fixed = ResultsDocument.Read(ReportPaths.GoldenInput);

    [Fact]
    public void ThePageAndTheSummaryGiveOneNotPassingCount()
    {
        var view = new ReportView(Fixed);
        var count = view.NotPassingCount();
        Assert.Contains($"<h2>Not passing <span class=\"dim\">({count})</span></h2>", HtmlRenderer.Render(Fixed), StringComparison.Ordinal);
        Assert.Contains($"## Not passing ({count})", MarkdownRenderer.Render(Fixed), StringComparison.Ordinal);
        Assert.Equal(view.NotPassing.Count(), int.Parse(count.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheStickyHeaderFollowsTheFilterBarsMeasuredHeight()
    {
        var html = HtmlRenderer.Render(Fixed);

        // No fixed offset: the bar wraps on narrow windows (74 px at 900 px) and is shorter than 44 px on wide ones.
        Assert.DoesNotMatch(StickyTopInPixels(), html);
        Assert.Matches(@"table\.matrix thead th \{ position: sticky; top: var\(--filters-h, 0px\);", html);
        // The script measures the bar on load and whenever it changes size (resize, wrap), rounding down so no gap shows.
        Assert.Contains("root.style.setProperty(\"--filters-h\", Math.floor(b) + \"px\")", html, StringComparison.Ordinal);
        Assert.Contains("new ResizeObserver(measure).observe(bar)", html, StringComparison.Ordinal);
        Assert.Contains("window.addEventListener(\"resize\", measure)", html, StringComparison.Ordinal);
        // A collapsed top border stays behind when the header sticks (a strip of rows shows through): none, a shadow instead.
        Assert.Matches(@"table\.matrix thead th \{[^}]*border-top: 0;[^}]*box-shadow: inset 0 1px 0 var\(--line\)", html);
    }

    [Fact]
    public void ALinkedCaseLandsBelowTheStickyBars()
    {
        var html = HtmlRenderer.Render(Fixed);

        Assert.Contains("table.matrix tr.case { scroll-margin-top: calc(var(--sticky-h, 4em) + 4px); }", html, StringComparison.Ordinal);
        Assert.Contains("root.style.setProperty(\"--sticky-h\", Math.ceil(b + head.getBoundingClientRect().height) + \"px\")", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCaseRowIsTheTargetOfItsLinks()
    {
        var html = HtmlRenderer.Render(Fixed);

        foreach (var c in Fixed.Cases)
        {
            var href = "#case=" + Uri.EscapeDataString(c.Id);
            Assert.Contains("<tr class=\"case\" id=\"" + Escape.Html("case=" + c.Id) + "\"", html, StringComparison.Ordinal);
            Assert.Contains("<a class=\"open\" href=\"" + Escape.Html(href) + "\"", html, StringComparison.Ordinal);
            // Browsers match a fragment to an id after percent-decoding it.
            Assert.Equal("case=" + c.Id, Uri.UnescapeDataString(href[1..]));
        }

        // The not-passing list links the same way.
        Assert.Contains("<a href=\"" + Escape.Html("#case=" + Uri.EscapeDataString("fault.<script>alert(1)</script>")) + "\"><code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void DetailsAreInTheMarkupAndOpenWithoutAScript()
    {
        var html = HtmlRenderer.Render(Fixed);
        var markup = html[..html.IndexOf("<script>", StringComparison.Ordinal)];

        // One detail row per case, not hidden by an attribute only a script could remove.
        Assert.Equal(Fixed.Cases.Count, DetailRow().Count(markup));
        Assert.DoesNotContain("<tr class=\"detail\" id=\"c0-d\" hidden", markup, StringComparison.Ordinal);
        Assert.Contains("value.string.cr</b> — ", markup, StringComparison.Ordinal);
        // CSS alone shows a case's detail when its row is the :target; the script switches that to a class it toggles.
        Assert.Contains("tr.detail { display: none; }", html, StringComparison.Ordinal);
        Assert.Contains("tr.detail.open, html:not(.js) tr.case:target + tr.detail { display: table-row; }", html, StringComparison.Ordinal);
        Assert.Contains("root.classList.add(\"js\")", html, StringComparison.Ordinal);
        // The filter bar only works with the script: hidden until the script shows it.
        Assert.Contains("<form class=\"filters\" id=\"filters\" onsubmit=\"return false\" hidden>", markup, StringComparison.Ordinal);
        Assert.Contains(".filters[hidden] { display: none; }", html, StringComparison.Ordinal);
        Assert.Contains("bar.hidden = false;", html, StringComparison.Ordinal);
        // Nothing else in the markup is hidden.
        Assert.Single(HiddenAttribute().Matches(markup));
    }

    [Fact]
    public void AKnownIssueReasonIsShownOncePerCaseWithItsCellsAndEachCellKeepsItsOutcome()
    {
        var note = new KnownIssueNote("One long reason that every peer column used to repeat <&>", "https://example.org/issue/1");
        var doc = Fixed with { Results = [.. Fixed.Results.Select(r => r.Known is null ? r : r with { Known = note })] };

        var detail = DetailOf(HtmlRenderer.Render(doc), "value.string.cr");

        Assert.Equal(1, Occurrences(detail, Escape.Html(note.Reason)));
        Assert.Contains("<b>Known issue</b> <span class=\"cells\">(cs→py 3.11.7, py→cs 3.11.7)</span>: ", detail, StringComparison.Ordinal);
        Assert.Contains("Also listed for cs→cs, but it passed there — remove that entry.", detail, StringComparison.Ordinal);
        Assert.Equal(2, Occurrences(detail, "<span class=\"badge\">KNOWN</span>"));
        Assert.Equal(1, Occurrences(detail, "<span class=\"badge\">STALE</span>"));
        Assert.Contains("expected {&quot;string&quot;:&quot;a\\rb&quot;}, got {&quot;string&quot;:&quot;a\\nb&quot;}", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentKnownIssueReasonsOfACaseAreEachShown()
    {
        var detail = DetailOf(HtmlRenderer.Render(Fixed), "value.string.cr");
        var reasons = Fixed.Results.Where(r => r.Case == "value.string.cr" && r.Known is not null).Select(r => r.Known!).Distinct().ToList();

        Assert.True(reasons.Count > 1, "the fixed input gives value.string.cr more than one known-issue note");
        Assert.Equal(reasons.Count, Occurrences(detail, "<div class=\"known-issue\">"));
        Assert.All(reasons, k => Assert.Contains(Escape.Html(k.Reason), detail, StringComparison.Ordinal));
    }

    /// <summary>The detail row of a case (from its case row to the end of its detail row).</summary>
    private static string DetailOf(string html, string caseId)
    {
        var start = html.IndexOf("data-id=\"" + Escape.Html(caseId) + "\"", StringComparison.Ordinal);
        Assert.True(start >= 0, caseId + " has no row");
        var detail = html.IndexOf("<tr class=\"detail\"", start, StringComparison.Ordinal);
        return html[detail..html.IndexOf("</td></tr>\n", detail, StringComparison.Ordinal)];
    }

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [GeneratedRegex(@"sticky; top: \d+px")]
    private static partial Regex StickyTopInPixels();

    [GeneratedRegex("<tr class=\"detail\" id=\"c[0-9]+-d\"><td colspan=")]
    private static partial Regex DetailRow();

    [GeneratedRegex(@"\shidden[\s>]")]
    private static partial Regex HiddenAttribute();
}
