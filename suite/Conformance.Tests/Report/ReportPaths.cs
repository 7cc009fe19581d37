namespace Conformance.Tests.Report;

/// <summary>Paths of the repository and of the report's golden files, found from the test binary.</summary>
internal static class ReportPaths
{
    public static string RepoRoot { get; } = FixturesLocator.RootOf(FixturesLocator.Find());

    public static string GoldenDirectory => Path.Combine(RepoRoot, "suite", "Conformance.Tests", "Report", "golden");

    /// <summary>The fixed input every renderer test reads.</summary>
    public static string GoldenInput => Path.Combine(GoldenDirectory, "results.json");
}
