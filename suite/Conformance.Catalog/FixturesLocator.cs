namespace Conformance.Catalog;

/// <summary>The one place that finds <c>fixtures/</c> (and the repository around it) for the CLI, the tests and the peers.</summary>
/// <remarks>
/// Search order: an explicit folder (it must hold <c>case.schema.json</c>), then <c>$CONFORMANCE_FIXTURES</c>, then the first
/// <c>fixtures/case.schema.json</c> walking up from the working directory, then from the program's own folder (a test
/// assembly under <c>bin/</c>, an installed tool).
/// </remarks>
public static class FixturesLocator
{
    /// <summary>The environment variable that names the fixtures folder.</summary>
    public const string EnvironmentVariable = "CONFORMANCE_FIXTURES";

    /// <summary>The fixtures folder (full path).</summary>
    /// <param name="given">A folder the user named (<c>--fixtures</c>), or null to search.</param>
    /// <exception cref="DirectoryNotFoundException">The given folder has no <c>case.schema.json</c>, or none was found.</exception>
    public static string Find(string? given = null)
    {
        if (given is not null)
        {
            return IsFixtures(given)
                ? Path.GetFullPath(given)
                : throw new DirectoryNotFoundException($"{given}: no case.schema.json there");
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment && IsFixtures(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fixtures");
                if (IsFixtures(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"fixtures/ (with case.schema.json) not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}: run from the repository, pass --fixtures DIR or set {EnvironmentVariable}");
    }

    /// <summary>The folder that holds <paramref name="fixturesDirectory"/> (the repository root in a checkout).</summary>
    public static string RootOf(string fixturesDirectory) =>
        Path.GetDirectoryName(Path.GetFullPath(fixturesDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))!;

    /// <summary>
    /// The <c>python-peers/</c> folder: <c>$CONFORMANCE_PYTHON_PEERS</c>, else beside <paramref name="fixturesDirectory"/>,
    /// else beside the fixtures this checkout would find (a <c>--fixtures</c> copy elsewhere still runs the real peers).
    /// </summary>
    public static string PythonPeers(string fixturesDirectory)
    {
        if (Environment.GetEnvironmentVariable("CONFORMANCE_PYTHON_PEERS") is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var beside = Path.Combine(RootOf(fixturesDirectory), "python-peers");
        if (File.Exists(Path.Combine(beside, "server.py")))
        {
            return beside;
        }

        try
        {
            return Path.Combine(RootOf(Find()), "python-peers");
        }
        catch (DirectoryNotFoundException)
        {
            return beside;
        }
    }

    private static bool IsFixtures(string folder) => File.Exists(Path.Combine(folder, "case.schema.json"));
}
