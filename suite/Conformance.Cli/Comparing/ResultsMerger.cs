using System.Globalization;
using Conformance.Cli.Results;

namespace Conformance.Cli.Comparing;

/// <summary>
/// <c>merge</c>: joins the results.json of several runs (the shards of a CI matrix) into the document one run over all of
/// their cases would have written.
/// </summary>
/// <remarks>
/// <para>Refused (<see cref="MergeConflictException"/>): another schema version, always; another catalog hash or library
/// version, unless forced; an incomplete set of shards (some <c>K/N</c> given, another <c>K</c> of that <c>N</c> not),
/// unless forced; the same case in the same cell with another outcome or stale flag, always; the same target id with
/// another implementation, version or build, or the same cell id defined otherwise, unless forced (the first input wins).</para>
/// <para>Joined: cases, cells and targets by id (cells and targets keep the order of the inputs' lists), results by (case,
/// cell), notes as a sorted set. A target that could not run in any input could not run in the merge (its first error).
/// The run's start is the earliest input's, its duration the longest input's (shards run side by side), its command the
/// merge's own, its machine the first input's (a note lists the others). The inputs' own baseline comparisons are
/// dropped: compare the merge with <c>merge --baseline</c>.</para>
/// </remarks>
public static class ResultsMerger
{
    /// <summary>Merges <paramref name="inputs"/> (name for messages, document); <paramref name="command"/> becomes the metadata's command.</summary>
    public static ResultsDocument Merge(IReadOnlyList<(string Name, ResultsDocument Document)> inputs, bool force, string command)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            throw new MergeConflictException("nothing to merge");
        }

        var (firstName, first) = inputs[0];
        var notes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, doc) in inputs.Skip(1))
        {
            if (doc.SchemaVersion != first.SchemaVersion)
            {
                throw new MergeConflictException($"{name} has results.json schema {doc.SchemaVersion}, {firstName} has {first.SchemaVersion}");
            }

            Same("catalog", firstName, first.Metadata.Catalog.Hash, name, doc.Metadata.Catalog.Hash, force, notes);
            Same("library", firstName, first.Metadata.Library.Version, name, doc.Metadata.Library.Version, force, notes);
        }

        CheckShards(inputs, force, notes);

        var cases = new Dictionary<string, CaseInfo>(StringComparer.Ordinal);
        var cells = new OrderedUnion<CellInfo>(c => c.Id);
        var targets = new OrderedUnion<TargetInfo>(t => t.Id);
        var results = new Dictionary<(string Case, string Cell), (CellResult Result, string From)>();
        foreach (var (name, doc) in inputs)
        {
            foreach (var c in doc.Cases)
            {
                cases.TryAdd(c.Id, c);
            }

            cells.Add(doc.Cells, (then, now) =>
            {
                if (then != now)
                {
                    Conflict($"cell {now.Id} is defined otherwise in {name}", force, notes);
                }

                return then;
            });
            targets.Add(doc.Metadata.Targets, (then, now) =>
            {
                if (then.Implementation != now.Implementation || then.Version != now.Version || then.Build != now.Build)
                {
                    Conflict($"target {now.Id} is {then.Implementation} {then.Version} ({then.Build}) in one input and {now.Implementation} {now.Version} ({now.Build}) in {name}", force, notes);
                }

                return then.Error is null && now.Error is not null ? then with { Error = now.Error } : then;
            });
            foreach (var r in doc.Results)
            {
                if (!results.TryAdd((r.Case, r.Cell), (r, name)))
                {
                    var (other, from) = results[(r.Case, r.Cell)];
                    if (other.Outcome != r.Outcome || other.Stale != r.Stale)
                    {
                        throw new MergeConflictException($"{r.Case} in {r.Cell} is {Label(other)} in {from} and {Label(r)} in {name}");
                    }
                }
            }

            foreach (var note in doc.Metadata.Notes ?? [])
            {
                notes.Add(note);
            }
        }

        var machines = inputs.Select(i => i.Document.Metadata.Machine).Distinct().ToList();
        if (machines.Count > 1)
        {
            notes.Add("the inputs ran on " + string.Join("; ", machines.Select(m => $"{m.Os}, {m.Architecture}, {m.Processors.ToString(CultureInfo.InvariantCulture)} CPUs, {m.Runtime}")));
        }

        var filters = inputs.Any(i => i.Document.Metadata.Catalog.Filters is null)
            ? null
            : inputs.SelectMany(i => i.Document.Metadata.Catalog.Filters!).Distinct(StringComparer.Ordinal).ToList();
        var peerModes = inputs.Select(i => i.Document.Metadata.PeerMode).Where(m => m is not null).Distinct(StringComparer.Ordinal).ToList();
        return new ResultsDocument
        {
            SchemaVersion = first.SchemaVersion,
            Metadata = first.Metadata with
            {
                StartedUtc = inputs.Select(i => i.Document.Metadata.StartedUtc).Min(StringComparer.Ordinal)!,
                DurationSeconds = inputs.Max(i => i.Document.Metadata.DurationSeconds),
                Command = command,
                Catalog = first.Metadata.Catalog with { Selected = cases.Count, Filters = filters },
                PeerMode = peerModes.Count == 0 ? null : string.Join(",", peerModes),
                Targets = targets.Items,
                Shard = null,
                Notes = notes.Count == 0 ? null : [.. notes],
            },
            Cells = cells.Items,
            Cases = [.. cases.Values],
            Results = [.. results.Values.Select(v => v.Result)],
            Baseline = null,
        }.Sorted();
    }

    private static void Same(string what, string firstName, string first, string name, string other, bool force, SortedSet<string> notes)
    {
        if (first != other)
        {
            Conflict($"{name} ran {what} {other}, {firstName} ran {first}", force, notes);
        }
    }

    private static void Conflict(string message, bool force, SortedSet<string> notes)
    {
        if (!force)
        {
            throw new MergeConflictException(message + " (--force merges them anyway)");
        }

        notes.Add("merged with --force: " + message);
    }

    // Shards of one run name the same N: every K of it must be there, or the merge would pass for the whole run.
    private static void CheckShards(IReadOnlyList<(string Name, ResultsDocument Document)> inputs, bool force, SortedSet<string> notes)
    {
        foreach (var group in inputs.Where(i => i.Document.Metadata.Shard is not null).GroupBy(i => i.Document.Metadata.Shard!.Count))
        {
            var have = group.Select(i => i.Document.Metadata.Shard!.Index).ToHashSet();
            var missing = Enumerable.Range(1, group.Key).Where(k => !have.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                Conflict($"shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(k => new ShardInfo(k, group.Key).ToString()))} missing", force, notes);
            }
        }
    }

    private static string Label(CellResult r) => r.Stale ? "PASS (stale known issue)" : Rendering.ReportView.Label(r.Outcome);

    // A union of lists that keeps each list's order: an item not seen yet goes right after the item that precedes it in its own list.
    private sealed class OrderedUnion<T>(Func<T, string> key)
    {
        private readonly List<T> _items = [];

        public IReadOnlyList<T> Items => _items;

        public void Add(IEnumerable<T> items, Func<T, T, T> join)
        {
            var at = -1;
            foreach (var item in items)
            {
                var i = _items.FindIndex(x => key(x) == key(item));
                if (i >= 0)
                {
                    _items[i] = join(_items[i], item);
                    at = i;
                }
                else
                {
                    _items.Insert(++at, item);
                }
            }
        }
    }
}

/// <summary>The inputs of <c>merge</c> cannot be joined; the message says why and, where it helps, that <c>--force</c> would.</summary>
public sealed class MergeConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MergeConflictException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public MergeConflictException() { }

    /// <summary>Creates the exception.</summary>
    public MergeConflictException(string message, Exception inner) : base(message, inner) { }
}
