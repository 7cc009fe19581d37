using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conformance.Catalog;

/// <summary>One entry of <c>fixtures/known-issues.json</c>: a peer failure we cannot fix, with a reason and a link.</summary>
/// <param name="Cases">Case id globs (Python <c>fnmatch</c>, case-sensitive).</param>
/// <param name="Cells">Cells it applies to (<c>wire.writer</c>, <c>wire.parser</c>, <c>live.cs-to-py</c>, <c>live.py-to-cs</c>, <c>live.cs-to-cs</c>, <c>cpython.self</c>).</param>
/// <param name="Python">Python version glob (<c>*</c> for all).</param>
/// <param name="Reason">Why.</param>
/// <param name="Link">Where it is documented.</param>
public sealed record KnownIssue(IReadOnlyList<string> Cases, IReadOnlyList<string> Cells, string Python, string Reason, string? Link)
{
    /// <summary>Does this entry cover the case in the cell, for a peer of this Python version (null: any version)?</summary>
    public bool Applies(string caseId, string cell, string? pythonVersion) =>
        Cells.Contains(cell, StringComparer.Ordinal)
        && Cases.Count > 0
        && Cases.Any(g => Glob.IsMatch(g, caseId))
        && (pythonVersion is null || Glob.IsMatch(Python, pythonVersion));
}

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

    /// <summary>The first entry naming this case and cell (and matching the peer's Python version when given), or null.</summary>
    public KnownIssue? Find(string caseId, string cell, string? pythonVersion = null) =>
        Entries.FirstOrDefault(k => k.Applies(caseId, cell, pythonVersion));
}

/// <summary>Python's <c>fnmatch.fnmatchcase</c>: <c>*</c>, <c>?</c>, <c>[seq]</c>, <c>[!seq]</c>.</summary>
public static class Glob
{
    /// <summary>Does <paramref name="text"/> match <paramref name="pattern"/> (case-sensitive)?</summary>
    public static bool IsMatch(string pattern, string text)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 2 < pattern.Length ? i + 2 : pattern.Length - 1);
                    if (end < 0)
                    {
                        sb.Append("\\[");
                        break;
                    }

                    var body = pattern[(i + 1)..end];
                    sb.Append('[');
                    if (body.StartsWith('!'))
                    {
                        sb.Append('^');
                        body = body[1..];
                    }

                    sb.Append(body.Replace("\\", "\\\\", StringComparison.Ordinal));
                    sb.Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        sb.Append('$');
        return Regex.IsMatch(text, sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
