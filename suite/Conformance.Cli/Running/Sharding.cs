using System.Globalization;
using Conformance.Cli.Results;

namespace Conformance.Cli.Running;

/// <summary><c>--shard K/N</c>: a deterministic part of the selected cases, so a CI matrix can spread one run over machines.</summary>
/// <remarks>
/// Round-robin over the selected cases in id order: the case at position <c>i</c> goes to shard <c>i mod N + 1</c>. Every
/// shard of the same catalog and <c>--case</c> globs therefore gets a disjoint part, the parts cover the selection, and each
/// area (ids sort by area, and the slow ones cluster there) is spread evenly over the shards. Within a shard the cases keep
/// the id order of the whole run, so each cell still runs them in the same relative order.
/// </remarks>
public static class Sharding
{
    /// <summary>Parses <c>K/N</c> (1 ≤ K ≤ N).</summary>
    public static ShardInfo Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && k >= 1 && k <= n)
        {
            return new ShardInfo(k, n);
        }

        throw new CliUsageException($"--shard needs K/N with 1 <= K <= N, e.g. 2/4, not '{text}'");
    }

    /// <summary>The cases of <paramref name="shard"/> among <paramref name="selected"/> (which are in id order); all of them when null.</summary>
    public static IReadOnlyList<T> Select<T>(IReadOnlyList<T> selected, ShardInfo? shard)
    {
        ArgumentNullException.ThrowIfNull(selected);
        return shard is null ? selected : [.. selected.Where((_, i) => i % shard.Count == shard.Index - 1)];
    }
}
