using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conformance.Cli.Results;

/// <summary>
/// The single source of a report run: <c>results.json</c>. Every renderer reads only this, so a
/// report can be re-rendered later from the file alone (and the renderers are tested on fixed inputs).
/// </summary>
/// <remarks>
/// Ordering is part of the format: cells in matrix order, cases by id (ordinal), results by case then
/// cell. Nothing in here is derived from the clock except <see cref="RunMetadata.StartedUtc"/> and the
/// durations, so two runs of the same code give the same file up to those fields.
/// </remarks>
public sealed record ResultsDocument
{
    /// <summary>Version of this file format; bumped when a field changes meaning.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>What was tested, where and when.</summary>
    public required RunMetadata Metadata { get; init; }

    /// <summary>The report's columns, in matrix order.</summary>
    public required IReadOnlyList<CellInfo> Cells { get; init; }

    /// <summary>The cases that ran, ordered by id.</summary>
    public required IReadOnlyList<CaseInfo> Cases { get; init; }

    /// <summary>One entry per cell × case that applies, ordered by case then cell.</summary>
    public required IReadOnlyList<CellResult> Results { get; init; }

    /// <summary>What changed since the results.json given to <c>--baseline</c>, when one was.</summary>
    public BaselineComparison? Baseline { get; init; }

    /// <summary>Options used by <see cref="Write"/> and <see cref="Read"/>.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // results.json is data, never embedded in a page: XML stays readable (<, >, & unescaped); renderers escape.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<Outcome>(JsonNamingPolicy.SnakeCaseUpper) },
        NewLine = "\n",
    };

    /// <summary>Serializes this document (UTF-8 JSON, LF line ends, final newline).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>Reads a document written by <see cref="ToJson"/>.</summary>
    public static ResultsDocument FromJson(string json) =>
        JsonSerializer.Deserialize<ResultsDocument>(json, JsonOptions)
        ?? throw new InvalidDataException("results.json is empty");

    /// <summary>Writes the document to <paramref name="path"/>.</summary>
    public void Write(string path) => File.WriteAllText(path, ToJson());

    /// <summary>Reads the document at <paramref name="path"/>.</summary>
    public static ResultsDocument Read(string path) => FromJson(File.ReadAllText(path));

    /// <summary>Returns a copy with cells, cases and results in the canonical order.</summary>
    public ResultsDocument Sorted()
    {
        var cellOrder = Cells.Select((c, i) => (c.Id, i)).ToDictionary(t => t.Id, t => t.i, StringComparer.Ordinal);
        return this with
        {
            Cases = [.. Cases.OrderBy(c => c.Id, StringComparer.Ordinal)],
            Results = [.. Results
                .OrderBy(r => r.Case, StringComparer.Ordinal)
                .ThenBy(r => cellOrder.TryGetValue(r.Cell, out var i) ? i : int.MaxValue)
                .ThenBy(r => r.Cell, StringComparer.Ordinal)],
        };
    }
}

/// <summary>What was tested: the implementations, their versions, the catalog and the machine.</summary>
public sealed record RunMetadata
{
    /// <summary>Start of the run, UTC, ISO 8601 with seconds (<c>2026-11-24T07:00:00Z</c>).</summary>
    public required string StartedUtc { get; init; }

    /// <summary>Wall-clock duration of the whole run in seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>The command line after the program name.</summary>
    public string? Command { get; init; }

    /// <summary>Our library: name and assembly informational version.</summary>
    public required LibraryInfo Library { get; init; }

    /// <summary>The case catalog that was read.</summary>
    public required CatalogInfo Catalog { get; init; }

    /// <summary>The machine the run happened on.</summary>
    public required MachineInfo Machine { get; init; }

    /// <summary>How peers were started: <c>process</c>, <c>docker</c>, <c>auto</c> (resolved), or <c>none</c>.</summary>
    public string? PeerMode { get; init; }

    /// <summary>Every implementation that took part, ours included.</summary>
    public required IReadOnlyList<TargetInfo> Targets { get; init; }

    /// <summary>The part of the selection this run took (<c>--shard K/N</c>); null for a whole run or a merge of shards.</summary>
    public ShardInfo? Shard { get; init; }

    /// <summary>Things worth knowing about the run that are not a case result (a peer that failed to start...).</summary>
    public IReadOnlyList<string>? Notes { get; init; }
}

/// <summary>Our library under test.</summary>
public sealed record LibraryInfo(string Name, string Version);

/// <summary>The catalog that was read.</summary>
/// <param name="Hash">SHA-256 over the <c>fixtures/cases/*.json</c> files (name and bytes, sorted by name).</param>
/// <param name="Cases">Number of (non-retired) cases in the catalog.</param>
/// <param name="Selected">Number of cases this run selected.</param>
/// <param name="Filters">The <c>--case</c> globs, if any.</param>
public sealed record CatalogInfo(string Hash, int Cases, int Selected, IReadOnlyList<string>? Filters = null);

/// <summary>Shard <paramref name="Index"/> of <paramref name="Count"/> (1-based): the selected cases whose position in id order is <c>Index - 1</c> modulo <c>Count</c>.</summary>
public sealed record ShardInfo(int Index, int Count)
{
    /// <summary><c>K/N</c>.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

/// <summary>The machine: OS description, architecture, .NET runtime.</summary>
public sealed record MachineInfo(string Os, string Architecture, string Runtime, int Processors);

/// <summary>One implementation taking part in the run.</summary>
public sealed record TargetInfo
{
    /// <summary>Stable id used by cells (<c>cpython-3.11.7</c>, <c>csharp</c>, <c>server-1</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Human label (<c>CPython 3.11.7</c>).</summary>
    public required string Label { get; init; }

    /// <summary>How it ran: <c>in-process</c>, <c>process</c>, <c>docker</c>, <c>url</c>, <c>command</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Implementation name (<c>CPython</c>, <c>XmlRpc (C#)</c>), when known.</summary>
    public string? Implementation { get; init; }

    /// <summary>Implementation version, when known.</summary>
    public string? Version { get; init; }

    /// <summary>Build string (<c>sys.version</c>), when known.</summary>
    public string? Build { get; init; }

    /// <summary>Interpreter path for process peers.</summary>
    public string? Executable { get; init; }

    /// <summary>Image name for container peers.</summary>
    public string? Image { get; init; }

    /// <summary>Image id for container peers.</summary>
    public string? ImageId { get; init; }

    /// <summary>Server URL (for <c>--server</c>).</summary>
    public string? Url { get; init; }

    /// <summary>Client command (for <c>--client-command</c>).</summary>
    public string? Command { get; init; }

    /// <summary>Why the target could not take part, if it could not.</summary>
    public string? Error { get; init; }
}

/// <summary>One column of the matrix.</summary>
public sealed record CellInfo
{
    /// <summary>Unique id: the kind, plus <c>@target</c> for per-peer cells (<c>live.cs-to-py@cpython-3.11.7</c>).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// The kind, as <c>fixtures/known-issues.json</c> names cells: <c>wire.writer</c>, <c>wire.parser</c>,
    /// <c>live.cs-to-cs</c>, <c>live.cs-to-py</c>, <c>live.py-to-cs</c>; for foreign targets
    /// <c>live.cs-to-server</c> and <c>live.client-to-cs</c>.
    /// </summary>
    public required string Kind { get; init; }

    /// <summary>The target id (<see cref="TargetInfo.Id"/>) for per-peer cells.</summary>
    public string? Target { get; init; }

    /// <summary>Short column header (<c>cs→py 3.11.7</c>).</summary>
    public required string Title { get; init; }

    /// <summary>One line: what this column checks.</summary>
    public required string Description { get; init; }
}

/// <summary>A case as the report shows it.</summary>
public sealed record CaseInfo
{
    /// <summary>Dotted id.</summary>
    public required string Id { get; init; }

    /// <summary>The area (first id segment).</summary>
    public required string Area { get; init; }

    /// <summary>One line: what is sent.</summary>
    public required string Description { get; init; }

    /// <summary>The spec sentence or CPython behaviour the case pins.</summary>
    public string? Checks { get; init; }

    /// <summary><c>valid</c>, <c>invalid</c> or <c>acceptable</c>.</summary>
    public string? Expectation { get; init; }

    /// <summary>The case's documented deviation reason, if it has one.</summary>
    public string? Deviation { get; init; }

    /// <summary>Why the case accepts answers other than CPython's (NON-STRICT), if it does.</summary>
    public string? NonStrict { get; init; }
}

/// <summary>The outcome of one case in one cell.</summary>
public sealed record CellResult
{
    /// <summary>The case id.</summary>
    public required string Case { get; init; }

    /// <summary>The cell id.</summary>
    public required string Cell { get; init; }

    /// <summary>The outcome.</summary>
    public required Outcome Outcome { get; init; }

    /// <summary>Time spent on this case in this cell, milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>One paragraph: what happened (expected vs actual, the exception, the reason).</summary>
    public string? Detail { get; init; }

    /// <summary>Unified diff of expected vs actual bytes (wire cells).</summary>
    public string? Diff { get; init; }

    /// <summary>The request XML as sent, when the cell saw it.</summary>
    public string? Request { get; init; }

    /// <summary>The response XML as received, when the cell saw it.</summary>
    public string? Response { get; init; }

    /// <summary>The known issue that explains this result (KNOWN), or that should have (stale).</summary>
    public KnownIssueNote? Known { get; init; }

    /// <summary>True when a known issue names this cell but the case passed: the entry is stale.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Stale { get; init; }
}

/// <summary>Reason and link of a <c>fixtures/known-issues.json</c> entry.</summary>
public sealed record KnownIssueNote(string Reason, string? Link);
