using Conformance.Cli.Diffing;
using Xunit;

namespace Conformance.Tests.Report;

public sealed class UnifiedDiffTests
{
    [Fact]
    public void EqualTextsHaveNoDiff() => Assert.Equal("", UnifiedDiff.Create("a\nb\n", "a\nb\n"));

    [Fact]
    public void OneChangedLineShowsContextAndBothVersions()
    {
        var diff = UnifiedDiff.Create("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "golden", "ours");

        Assert.Equal("--- golden\n+++ ours\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", diff);
    }

    [Fact]
    public void CarriageReturnsAreVisible()
    {
        var diff = UnifiedDiff.Create("<string>a\rb</string>\n", "<string>a&#13;b</string>\n");

        Assert.Contains("-<string>a\\rb</string>", diff, StringComparison.Ordinal);
        Assert.Contains("+<string>a&#13;b</string>", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void InsertionAtTheEndAndMissingFinalNewline()
    {
        var diff = UnifiedDiff.Create("a\nb\n", "a\nb\nc");

        Assert.Equal("--- expected\n+++ actual\n@@ -1,2 +1,3 @@\n a\n b\n+c\\ no newline at end\n", diff);
    }

    [Fact]
    public void DistantChangesMakeTwoHunks()
    {
        var a = string.Join("\n", Enumerable.Range(1, 30)) + "\n";
        var b = a.Replace("\n3\n", "\nthree\n", StringComparison.Ordinal).Replace("\n27\n", "\ntwenty-seven\n", StringComparison.Ordinal);

        var diff = UnifiedDiff.Create(a, b);

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -1,6 +1,6 @@", diff, StringComparison.Ordinal);
        Assert.Contains("@@ -24,7 +24,7 @@", diff, StringComparison.Ordinal);
    }
}
