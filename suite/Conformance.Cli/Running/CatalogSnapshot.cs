using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Conformance.Cli.Results;

namespace Conformance.Cli.Running;

/// <summary>
/// What the report needs of the catalog: ids, descriptions, shapes, the methods a case calls, the
/// deviation reason, the catalog hash, and <c>known-issues.json</c>.
/// </summary>
/// <remarks>
/// The case records themselves (values, expectations) are Conformance.Catalog's; this reads only the
/// report's view of the same files, plus the hash that pins which catalog a report is about.
/// </remarks>
public sealed class CatalogSnapshot
{
    private CatalogSnapshot(string fixtures, IReadOnlyList<CaseEntry> cases, string hash, IReadOnlyList<KnownIssueEntry> known)
    {
        FixturesDirectory = fixtures;
        Cases = cases;
        Hash = hash;
        KnownIssues = known;
    }

    /// <summary>The fixtures/ folder.</summary>
    public string FixturesDirectory { get; }

    /// <summary>Every non-retired case, ordered by id.</summary>
    public IReadOnlyList<CaseEntry> Cases { get; }

    /// <summary><c>sha256:</c> over each <c>cases/*.json</c> file name and bytes, in ordinal name order.</summary>
    public string Hash { get; }

    /// <summary>The entries of <c>known-issues.json</c>.</summary>
    public IReadOnlyList<KnownIssueEntry> KnownIssues { get; }

    /// <summary>Finds fixtures/: the given folder, $CONFORMANCE_FIXTURES, or the first <c>fixtures/case.schema.json</c> above the working directory or the program.</summary>
    public static string FindFixtures(string? given)
    {
        if (given is not null)
        {
            return File.Exists(Path.Combine(given, "case.schema.json"))
                ? Path.GetFullPath(given)
                : throw new CliUsageException($"--fixtures {given}: no case.schema.json there");
        }

        var env = Environment.GetEnvironmentVariable("CONFORMANCE_FIXTURES");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "case.schema.json")))
        {
            return Path.GetFullPath(env);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "fixtures");
                if (File.Exists(Path.Combine(candidate, "case.schema.json")))
                {
                    return candidate;
                }
            }
        }

        throw new CliUsageException("fixtures/ not found above the working directory: run from the repository or pass --fixtures DIR");
    }

    /// <summary>Loads the catalog under <paramref name="fixtures"/>.</summary>
    public static CatalogSnapshot Load(string fixtures)
    {
        var files = Directory.GetFiles(Path.Combine(fixtures, "cases"), "*.json").Order(StringComparer.Ordinal).ToList();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var cases = new List<CaseEntry>();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            sha.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            sha.AppendData(bytes);
            using var doc = JsonDocument.Parse(bytes);
            var area = doc.RootElement.GetProperty("area").GetString()!;
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                if (c.TryGetProperty("retired", out _))
                {
                    continue;
                }

                cases.Add(CaseEntry.From(area, c));
            }
        }

        var knownPath = Path.Combine(fixtures, "known-issues.json");
        var known = File.Exists(knownPath)
            ? JsonSerializer.Deserialize<List<KnownIssueEntry>>(File.ReadAllText(knownPath), KnownIssueEntry.JsonOptions) ?? []
            : [];
        return new CatalogSnapshot(
            fixtures,
            [.. cases.OrderBy(c => c.Id, StringComparer.Ordinal)],
            "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset()),
            known);
    }

    /// <summary>The cases selected by <paramref name="globs"/> (all when empty).</summary>
    public IReadOnlyList<CaseEntry> Select(IReadOnlyList<string> globs) =>
        globs.Count == 0 ? Cases : [.. Cases.Where(c => globs.Any(g => Glob.IsMatch(g, c.Id)))];

    /// <summary>
    /// The known issue for a case in a cell kind, for a peer's Python version (null: no version, i.e.
    /// not a CPython peer — then only entries for every version apply).
    /// </summary>
    public KnownIssueEntry? FindKnownIssue(string caseId, string cellKind, string? pythonVersion) =>
        KnownIssues.FirstOrDefault(k => k.Applies(caseId, cellKind, pythonVersion));
}

/// <summary>The report's view of one case.</summary>
public sealed record CaseEntry
{
    /// <summary>Dotted id.</summary>
    public required string Id { get; init; }

    /// <summary>Area (the catalog file's).</summary>
    public required string Area { get; init; }

    /// <summary>One line: what is sent.</summary>
    public required string Description { get; init; }

    /// <summary>What the case pins.</summary>
    public string? Checks { get; init; }

    /// <summary>valid / invalid / acceptable.</summary>
    public string? Expectation { get; init; }

    /// <summary>The shape: <c>call</c>, <c>multicall</c>, <c>document</c>, <c>http</c>.</summary>
    public required string Shape { get; init; }

    /// <summary>Every string the case sends or expects (method names among them), and an http body's method name.</summary>
    public required IReadOnlyList<string> NamedStrings { get; init; }

    /// <summary>The case is about an unknown method: it expects CPython's <c>method "x" is not supported</c> fault.</summary>
    public bool TestsUnknownMethod => NamedStrings.Any(s => s.Contains("\" is not supported", StringComparison.Ordinal));

    /// <summary>
    /// The methods of the conformance service (<paramref name="serviceMethods"/>) the case needs a server to have:
    /// those it calls (<c>system.multicall</c> for a multicall), asks about or expects listed. A method it calls that the
    /// service does not have is meant to be unknown (fault.unknown-method) and is not required.
    /// </summary>
    public IReadOnlyList<string> RequiredMethodsOf(IReadOnlySet<string> serviceMethods)
    {
        ArgumentNullException.ThrowIfNull(serviceMethods);
        var names = Shape == "multicall" ? NamedStrings.Prepend("system.multicall") : NamedStrings;
        return [.. names.Where(serviceMethods.Contains).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The deviation's reason, when the case documents one.</summary>
    public string? DeviationReason { get; init; }

    /// <summary>The case's JSON, as written in the catalog.</summary>
    public required JsonElement Json { get; init; }

    /// <summary>True for shapes a live cell runs (call, multicall, http).</summary>
    public bool IsLive => Shape is "call" or "multicall" or "http";

    /// <summary>The report's case record.</summary>
    public CaseInfo ToInfo() => new()
    {
        Id = Id,
        Area = Area,
        Description = Description,
        Checks = Checks,
        Expectation = Expectation,
        Deviation = DeviationReason,
    };

    private static void CollectStrings(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectStrings(item, into);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    CollectStrings(property.Value, into);
                }

                break;
            default:
                break;
        }
    }

    internal static CaseEntry From(string area, JsonElement c)
    {
        var shape = c.TryGetProperty("call", out _) ? "call"
            : c.TryGetProperty("multicall", out _) ? "multicall"
            : c.TryGetProperty("http", out _) ? "http"
            : "document";
        // Every string of what the case sends and expects: method names, and names passed to or listed by
        // introspection (system.methodHelp("echo"), listMethods' expected list). RequiredMethodsOf keeps the service's.
        var methods = new List<string>();
        foreach (var part in new[] { "call", "multicall", "expect" })
        {
            if (c.TryGetProperty(part, out var section))
            {
                CollectStrings(section, methods);
            }
        }

        if (c.TryGetProperty("http", out var http) && http.TryGetProperty("body", out var body))
        {
            var text = body.GetString() ?? "";
            var start = text.IndexOf("<methodName>", StringComparison.Ordinal);
            var end = text.IndexOf("</methodName>", StringComparison.Ordinal);
            if (start >= 0 && end > start)
            {
                methods.Add(text[(start + "<methodName>".Length)..end].Trim());
            }
        }

        return new CaseEntry
        {
            Id = c.GetProperty("id").GetString()!,
            Area = area,
            Description = c.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "",
            Checks = c.TryGetProperty("checks", out var ch) ? ch.GetString() : null,
            Expectation = c.TryGetProperty("expectation", out var e) ? e.GetString() : null,
            Shape = shape,
            NamedStrings = methods,
            DeviationReason = c.TryGetProperty("deviation", out var dev) && dev.TryGetProperty("reason", out var r) ? r.GetString() : null,
            Json = c.Clone(),
        };
    }
}

/// <summary>An entry of <c>fixtures/known-issues.json</c>.</summary>
public sealed record KnownIssueEntry
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Case id globs.</summary>
    public IReadOnlyList<string> Cases { get; init; } = [];

    /// <summary>Cell kinds.</summary>
    public IReadOnlyList<string> Cells { get; init; } = [];

    /// <summary>Python version glob (<c>*</c>, <c>2.7*</c>); absent means every version.</summary>
    public string? Python { get; init; }

    /// <summary>Why.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Where it is documented.</summary>
    public string? Link { get; init; }

    /// <summary>The report's note.</summary>
    public KnownIssueNote ToNote() => new(Reason, Link);

    /// <summary>True when this entry names the case, the cell kind and (if it says one) the peer's Python version.</summary>
    public bool Applies(string caseId, string cellKind, string? pythonVersion)
    {
        if (!Cells.Contains(cellKind, StringComparer.Ordinal) || !Cases.Any(g => Glob.IsMatch(g, caseId)))
        {
            return false;
        }

        if (Python is null or "*")
        {
            return true;
        }

        return pythonVersion is not null && Glob.IsMatch(Python, pythonVersion);
    }
}

/// <summary>Case-id globs: <c>*</c> any run of characters, <c>?</c> one character (fnmatch, case-sensitive).</summary>
public static class Glob
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
