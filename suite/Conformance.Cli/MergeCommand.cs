using Conformance.Cli.Comparing;
using Conformance.Cli.Results;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary><c>merge RESULTS.json... --out DIR [--force] [--baseline FILE] [--plain]</c>: one report from several runs.</summary>
internal static class MergeCommand
{
    /// <summary>The command word, first on the command line.</summary>
    public const string Name = "merge";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        MergeOptions options;
        try
        {
            options = MergeOptions.Parse(args);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (File.Exists(options.Out))
        {
            await stderr.WriteLineAsync($"error: --out {options.Out} is a file, not a folder").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var inputs = new List<(string, ResultsDocument)>();
        foreach (var path in options.Inputs)
        {
            if (await ResultsFiles.ReadAsync(path, "merge", stderr).ConfigureAwait(false) is not { } doc)
            {
                return ExitCodes.Usage;
            }

            inputs.Add((path, doc));
        }

        ResultsDocument? baseline = null;
        if (options.Baseline is not null && (baseline = await ResultsFiles.ReadAsync(options.Baseline, "--baseline", stderr).ConfigureAwait(false)) is null)
        {
            return ExitCodes.Usage;
        }

        ResultsDocument merged;
        try
        {
            merged = ResultsMerger.Merge(inputs, options.Force, string.Join(' ', args.Prepend(Name).Select(ReportRun.QuoteArg)));
        }
        catch (MergeConflictException e)
        {
            await stderr.WriteLineAsync("error: merge: " + e.Message).ConfigureAwait(false);
            return ExitCodes.MergeConflict;
        }

        var console = ReportRun.CreateConsole(stdout, interactive: !options.Plain && !ReportRun.IsCi() && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
        console.MarkupLine(Markup.Escape($"merged {inputs.Count} results.json: {merged.Cases.Count} cases, {merged.Results.Count} results"));
        return ReportRun.Finish(console, merged, options.Out, baseline, options.Baseline);
    }
}

/// <summary>The command line of <c>merge</c>.</summary>
public sealed record MergeOptions
{
    /// <summary>The results.json files to merge, in order (the first wins where <c>--force</c> lets inputs differ).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Output folder.</summary>
    public string Out { get; init; } = Path.Combine("artifacts", "compat");

    /// <summary>Merge inputs of another catalog or library version, or an incomplete set of shards.</summary>
    public bool Force { get; init; }

    /// <summary>A previous run's results.json to compare the merge with.</summary>
    public string? Baseline { get; init; }

    /// <summary>Plain output even on a terminal.</summary>
    public bool Plain { get; init; }

    /// <summary>Parses the arguments after <c>merge</c>; throws <see cref="CliUsageException"/> on a bad command line.</summary>
    public static MergeOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new MergeOptions();
        var inputs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new CliUsageException($"merge: {args[i]} needs a value");

            switch (args[i])
            {
                case "--out": o = o with { Out = Value() }; break;
                case "--baseline": o = o with { Baseline = Value() }; break;
                case "--force": o = o with { Force = true }; break;
                case "--plain": o = o with { Plain = true }; break;
                case var a when a.StartsWith('-'):
                    throw new CliUsageException($"merge: unknown option '{a}' (merge RESULTS.json... --out DIR [--force] [--baseline FILE] [--plain])");
                default: inputs.Add(args[i]); break;
            }
        }

        return inputs.Count == 0
            ? throw new CliUsageException("merge needs at least one results.json (merge shard1/results.json shard2/results.json --out DIR)")
            : o with { Inputs = inputs };
    }
}
