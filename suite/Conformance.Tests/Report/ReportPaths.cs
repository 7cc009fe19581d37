namespace Conformance.Tests.Report;

/// <summary>Paths of the repository and of the report's golden files, found from the test binary.</summary>
internal static class ReportPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string GoldenDirectory => Path.Combine(RepoRoot, "suite", "Conformance.Tests", "Report", "golden");

    /// <summary>The fixed input every renderer test reads.</summary>
    public static string GoldenInput => Path.Combine(GoldenDirectory, "results.json");

    private static string FindRepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")) && Directory.Exists(Path.Combine(dir.FullName, "fixtures")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("repository root (Conformance.sln beside fixtures/) not found above " + AppContext.BaseDirectory);
    }
}
