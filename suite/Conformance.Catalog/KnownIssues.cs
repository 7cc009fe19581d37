using System.Text.Json;

namespace Conformance.Catalog;

/// <summary>One entry of <c>fixtures/known-issues.json</c>: a peer failure we cannot fix, with a reason and a link.</summary>
/// <param name="Cases">Case id globs (Python <c>fnmatch</c>, case-sensitive).</param>
/// <param name="Cells">Cells it applies to (<c>wire.writer</c>, <c>wire.parser</c>, <c>live.cs-to-py</c>, <c>live.py-to-cs</c>, <c>live.cs-to-cs</c>, <c>cpython.self</c>).</param>
/// <param name="Python">Python version glob (<c>*</c> for all).</param>
/// <param name="Reason">Why.</param>
/// <param name="Link">Where it is documented.</param>
public sealed record KnownIssue(IReadOnlyList<string> Cases, IReadOnlyList<string> Cells, string Python, string Reason, string? Link)
{
    /// <summary>
    /// Does this entry cover the case in the cell for a target of this Python version? A null version is a target that is not
    /// CPython (our C# pair, a foreign peer): only entries for every version (<c>python: "*"</c>) apply to it.
    /// </summary>
    public bool Applies(string caseId, string cell, string? pythonVersion) =>
        Cells.Contains(cell, StringComparer.Ordinal)
        && Cases.Count > 0
        && Cases.Any(g => Glob.IsMatch(g, caseId))
        && (Python == "*" || (pythonVersion is not null && Glob.IsMatch(Python, pythonVersion)));
}

/// <summary>A judged outcome after <c>known-issues.json</c>: KNOWN where an entry explains it, stale where an entry names a pass.</summary>
/// <param name="Outcome">The outcome to report.</param>
/// <param name="Issue">The entry that applies, or null.</param>
/// <param name="Stale">An entry names this case and cell but the target passed: the entry must go (a failure of the run).</param>
public sealed record KnownIssueResolution(Outcome Outcome, KnownIssue? Issue, bool Stale);

/// <summary><c>fixtures/known-issues.json</c>.</summary>
public sealed class KnownIssues
{
    private KnownIssues(IReadOnlyList<KnownIssue> entries)
    {
        Entries = entries;
    }

    /// <summary>The entries, in file order.</summary>
    public IReadOnlyList<KnownIssue> Entries { get; }

    /// <summary>Reads the file (an empty list when it does not exist).</summary>
    public static KnownIssues Load(string path)
    {
        if (!File.Exists(path))
        {
            return new KnownIssues([]);
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var entries = new List<KnownIssue>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            entries.Add(new KnownIssue(
                e.TryGetProperty("cases", out var cases) ? [.. cases.EnumerateArray().Select(c => c.GetString()!)] : [],
                e.TryGetProperty("cells", out var cells) ? [.. cells.EnumerateArray().Select(c => c.GetString()!)] : [],
                e.TryGetProperty("python", out var python) ? python.GetString() ?? "*" : "*",
                e.TryGetProperty("reason", out var reason) ? reason.GetString() ?? string.Empty : string.Empty,
                e.TryGetProperty("link", out var link) ? link.GetString() : null));
        }

        return new KnownIssues(entries);
    }

    /// <summary>The first entry naming this case and cell for a target of this Python version (see <see cref="KnownIssue.Applies"/>), or null.</summary>
    public KnownIssue? Find(string caseId, string cell, string? pythonVersion) =>
        Entries.FirstOrDefault(k => k.Applies(caseId, cell, pythonVersion));

    /// <summary>
    /// The one rule for known issues, used by the tests and the report alike: a FAIL or NON-STRICT an entry names becomes
    /// KNOWN; a PASS it names is stale (the entry no longer describes what happens); other outcomes stand.
    /// </summary>
    public KnownIssueResolution Resolve(string caseId, string cell, string? pythonVersion, Outcome judged)
    {
        var issue = judged is Outcome.Fail or Outcome.NonStrict or Outcome.Pass ? Find(caseId, cell, pythonVersion) : null;
        return issue is null
            ? new KnownIssueResolution(judged, null, false)
            : new KnownIssueResolution(judged == Outcome.Pass ? Outcome.Pass : Outcome.Known, issue, judged == Outcome.Pass);
    }
}
