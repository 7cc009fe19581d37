using System.Security.Cryptography;
using System.Text;
using Conformance.Cli.Results;
using CaseCatalog = Conformance.Catalog.Catalog;

namespace Conformance.Cli.Running;

/// <summary>The catalog a report is about: the one <see cref="CaseCatalog"/> loader's cases, and the hash that pins them.</summary>
public sealed class CatalogSnapshot
{
    private CatalogSnapshot(CaseCatalog catalog, string hash)
    {
        Catalog = catalog;
        Hash = hash;
        Cases = [.. catalog.Cases.OrderBy(c => c.Id, StringComparer.Ordinal)];
    }

    /// <summary>The catalog (cases, known issues, golden files).</summary>
    public CaseCatalog Catalog { get; }

    /// <summary>The fixtures/ folder.</summary>
    public string FixturesDirectory => Catalog.FixturesDirectory;

    /// <summary>Every non-retired case, ordered by id.</summary>
    public IReadOnlyList<CatalogCase> Cases { get; }

    /// <summary><c>sha256:</c> over each <c>cases/*.json</c> file name and bytes, in ordinal name order.</summary>
    public string Hash { get; }

    /// <summary>Finds fixtures/ (<see cref="FixturesLocator"/>); a usage error when <c>--fixtures</c> names a folder without a catalog.</summary>
    public static string FindFixtures(string? given)
    {
        try
        {
            return FixturesLocator.Find(given);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CliUsageException(given is null ? e.Message : "--fixtures " + e.Message);
        }
    }

    /// <summary>Loads the catalog under <paramref name="fixtures"/>.</summary>
    public static CatalogSnapshot Load(string fixtures)
    {
        var catalog = CaseCatalog.Load(fixtures);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.GetFiles(Path.Combine(catalog.FixturesDirectory, "cases"), "*.json").Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            sha.AppendData(File.ReadAllBytes(file));
        }

        return new CatalogSnapshot(catalog, "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    /// <summary>The cases selected by <paramref name="globs"/> (all when empty).</summary>
    public IReadOnlyList<CatalogCase> Select(IReadOnlyList<string> globs) =>
        globs.Count == 0 ? Cases : [.. Cases.Where(c => globs.Any(g => Glob.IsMatch(g, c.Id)))];

    /// <summary>The report's record of a case.</summary>
    public static CaseInfo Info(CatalogCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return new()
        {
            Id = testCase.Id,
            Area = testCase.Area,
            Description = testCase.Description,
            Checks = testCase.Checks.Length == 0 ? null : testCase.Checks,
            Expectation = testCase.Expectation.ToString().ToLowerInvariant(),
            Deviation = testCase.Deviation?.Reason,
            NonStrict = testCase.NonStrict?.Reason,
        };
    }
}
