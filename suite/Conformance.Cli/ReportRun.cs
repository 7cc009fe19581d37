using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Conformance.Cli.Comparing;
using Conformance.Cli.Rendering;
using Conformance.Cli.Results;
using Conformance.Cli.Running;
using Conformance.Cli.Terminal;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary>One run of the report: select cases, run the matrix, write the four files, print the summary.</summary>
internal static class ReportRun
{
    public static async Task<int> RunAsync(CliOptions options, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Implementation? given, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        CatalogSnapshot catalog;
        try
        {
            catalog = CatalogSnapshot.Load(CatalogSnapshot.FindFixtures(options.Fixtures));
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        var matched = catalog.Select(options.CaseGlobs);
        if (matched.Count == 0)
        {
            await stderr.WriteLineAsync($"error: no case matches {string.Join(" ", options.CaseGlobs)} ({catalog.Cases.Count} cases in the catalog)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        var selected = Sharding.Select(matched, options.Shard);
        if (selected.Count == 0)
        {
            await stderr.WriteLineAsync($"error: shard {options.Shard} of {matched.Count} selected cases is empty: use at most {matched.Count} shards").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        ResultsDocument? baseline = null;
        if (options.Baseline is not null && (baseline = await ResultsFiles.ReadAsync(options.Baseline, "--baseline", stderr).ConfigureAwait(false)) is null)
        {
            return ExitCodes.Usage;
        }

        var implementation = given ?? ImplementationFactory.Create(catalog, options.ServerExecutable);
        if (options.DryRun)
        {
            await DryRun.PrintAsync(stdout, options, catalog, selected, implementation, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        var interactive = !options.Plain
            && !IsCi()
            && ReferenceEquals(stdout, System.Console.Out)
            && !System.Console.IsOutputRedirected;
        var console = CreateConsole(stdout, interactive);
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"XML-RPC conformance: {selected.Count} of {catalog.Cases.Count} cases{(options.Shard is null ? "" : $" (shard {options.Shard} of {matched.Count} selected)")}, catalog {catalog.Hash[..15]}…, library {LibraryVersion.Informational}")));

        MatrixOutcome outcome;
        if (interactive)
        {
            var sink = new SpectreProgressSink(console);
            outcome = await sink.RunAsync(() => new MatrixRunner(options, catalog, selected, implementation, sink).RunAsync(cancellationToken)).ConfigureAwait(false);
            foreach (var m in sink.DrainMessages())
            {
                console.MarkupLine("[grey]" + Markup.Escape(m) + "[/]");
            }
        }
        else
        {
            var sink = new PlainProgressSink(stdout);
            outcome = await new MatrixRunner(options, catalog, selected, implementation, sink).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var document = new ResultsDocument
        {
            Metadata = new RunMetadata
            {
                StartedUtc = started.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 2),
                Command = string.Join(' ', args.Select(QuoteArg)),
                Library = new LibraryInfo("XmlRpc", LibraryVersion.Informational),
                Catalog = new CatalogInfo(catalog.Hash, catalog.Cases.Count, selected.Count, options.CaseGlobs.Count == 0 ? null : options.CaseGlobs),
                Machine = new MachineInfo(RuntimeInformation.OSDescription, RuntimeInformation.OSArchitecture.ToString(), RuntimeInformation.FrameworkDescription, Environment.ProcessorCount),
                PeerMode = options.NoLive || options.ForeignOnly ? "none" : options.Peers,
                Targets = outcome.Targets,
                Shard = options.Shard,
                Notes = outcome.Notes.Count == 0 ? null : [.. outcome.Notes.Order(StringComparer.Ordinal)],
            },
            Cells = outcome.Cells,
            Cases = [.. selected.Select(CatalogSnapshot.Info)],
            Results = outcome.Results,
        };

        return Finish(console, document, options.Out, baseline, options.Baseline);
    }

    /// <summary>
    /// Compares <paramref name="document"/> with the baseline (if any), writes the four files, prints the summary and
    /// returns the exit code; shared by a run and <c>merge</c>.
    /// </summary>
    internal static int Finish(IAnsiConsole console, ResultsDocument document, string outDirectory, ResultsDocument? baseline, string? baselineFile)
    {
        if (baseline is not null)
        {
            document = document with { Baseline = BaselineComparer.Compare(baseline, document, baselineFile!) };
        }

        var paths = ReportWriter.WriteAll(document, outDirectory);
        var view = new ReportView(ResultsDocument.Read(paths[0]));
        ConsoleSummary.Write(console, view, paths);
        foreach (var target in view.TargetErrors)
        {
            console.MarkupLine("[red]" + Markup.Escape($"target {target.Label} could not run: {target.Error}") + "[/]");
        }

        if (view.TargetErrors.Count > 0)
        {
            console.MarkupLine(Markup.Escape($"{view.TargetErrors.Count} target(s) could not run: see the notes in summary.md"));
        }

        return view.Regressions > 0 ? ExitCodes.Regression : view.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }

    internal static IAnsiConsole CreateConsole(TextWriter stdout, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });

        if (!interactive)
        {
            // Logs have no terminal width; Spectre's default of 80 columns would wrap every long line.
            console.Profile.Width = 160;
        }

        return console;
    }

    internal static bool IsCi() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "1", StringComparison.Ordinal);

    internal static string QuoteArg(string a) =>
        a.Length > 0 && a.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./:=@,+".Contains(ch, StringComparison.Ordinal)) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>Reads a results.json named on the command line; null (after saying why on stderr) when it cannot.</summary>
internal static class ResultsFiles
{
    public static async Task<ResultsDocument?> ReadAsync(string path, string what, TextWriter stderr)
    {
        try
        {
            return ResultsDocument.Read(path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            await stderr.WriteLineAsync($"error: {what} {path}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }
}

/// <summary>The console summary after a run: cells × outcomes, the verdict, the files.</summary>
internal static class ConsoleSummary
{
    public static void Write(IAnsiConsole console, ReportView view, IReadOnlyList<string> paths)
    {
        var table = new Table().Title("results").AddColumn("cell");
        // One colour per ReportView.OutcomeOrder entry: PASS, NON-STRICT, FAIL, KNOWN, DEVIATION, MISSING, NOT RUN.
        var colours = new[] { "green", "aqua", "red", "yellow", "blue", "grey", "grey" };
        for (var i = 0; i < ReportView.OutcomeOrder.Count; i++)
        {
            table.AddColumn(new TableColumn($"[{colours[i]}]{ReportView.Label(ReportView.OutcomeOrder[i])}[/]").RightAligned());
        }

        table.AddColumn(new TableColumn("[purple]stale[/]").RightAligned()).AddColumn(new TableColumn("total").RightAligned());
        void Row(string label, Tally t)
        {
            var cells = new List<string> { label };
            for (var i = 0; i < ReportView.OutcomeOrder.Count; i++)
            {
                var n = t[ReportView.OutcomeOrder[i]];
                cells.Add(n == 0 ? "[grey]0[/]" : $"[{colours[i]}]{n.ToString(CultureInfo.InvariantCulture)}[/]");
            }

            cells.Add(t.Stale == 0 ? "[grey]0[/]" : $"[purple]{t.Stale.ToString(CultureInfo.InvariantCulture)}[/]");
            cells.Add(t.Count.ToString(CultureInfo.InvariantCulture));
            table.AddRow(cells.ToArray());
        }

        foreach (var cell in view.Document.Cells)
        {
            Row(Markup.Escape(cell.Title), view.CellTotals[cell.Id]);
        }

        table.AddEmptyRow();
        Row("[bold]all[/]", view.Total);
        console.Write(table);
        console.MarkupLine((view.Succeeded ? "[green]" : "[red]") + Markup.Escape(view.Verdict()) + "[/]");
        foreach (var r in view.NotPassing.Where(r => r.Outcome == Outcome.Fail || r.Stale).Take(15))
        {
            console.MarkupLine(Markup.Escape($"  {(r.Stale ? "STALE" : "FAIL")} {r.Case} [{view.CellTitle(r.Cell)}] {Escape.Truncate(r.Detail ?? r.Known?.Reason, 160)}"));
        }

        if (view.Document.Baseline is { } since)
        {
            console.MarkupLine((since.Regressions.Count == 0 ? "[green]" : "[red]") + Markup.Escape(ReportView.SinceBaselinePhrase(since)) + "[/]");
            foreach (var c in since.Regressions.Take(30))
            {
                console.MarkupLine(Markup.Escape("  WORSE " + view.ChangeLine(c)));
            }

            if (since.Regressions.Count > 30)
            {
                console.MarkupLine(Markup.Escape($"  … {since.Regressions.Count - 30} more in summary.md"));
            }

            foreach (var c in since.Improvements.Take(15))
            {
                console.MarkupLine(Markup.Escape("  better " + view.ChangeLine(c)));
            }
        }

        foreach (var p in paths)
        {
            console.MarkupLine("[grey]wrote[/] " + Markup.Escape(p));
        }
    }
}

/// <summary><c>--dry-run</c>: what would run, with descriptions, and nothing else.</summary>
internal static class DryRun
{
    public static async Task PrintAsync(TextWriter o, CliOptions options, CatalogSnapshot catalog, IReadOnlyList<CatalogCase> selected, Implementation implementation, CancellationToken cancellationToken)
    {
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{selected.Count} of {catalog.Cases.Count} cases{(options.Shard is null ? "" : $" (shard {options.Shard})")} (catalog {catalog.Hash})"));
        o.WriteLine();
        o.WriteLine("cells:");
        if (!options.ForeignOnly)
        {
            o.WriteLine("  wire.writer      our writer's bytes vs the golden bytes (call, multicall)" + (implementation.Wire is null ? "  [not available in this build]" : ""));
            o.WriteLine("  wire.parser      our parser vs CPython's recorded decode (every case with a golden decode)" + (implementation.Wire is null ? "  [not available in this build]" : ""));
        }

        if (!options.NoLive)
        {
            if (!options.ForeignOnly)
            {
                o.WriteLine("  live.cs-to-cs    our client against our server");
                var peers = await Conformance.Peers.PeerEnvironment.DiscoverAsync(options.PeerDiscovery, cancellationToken).ConfigureAwait(false);
                foreach (var p in peers.Runtimes)
                {
                    o.WriteLine($"  live.cs-to-py    our client against server.py on {p.Source} ({p.Key})");
                    o.WriteLine($"  live.py-to-cs    client.py on {p.Source} ({p.Key}) against our server");
                }

                if (peers.Error is { } error)
                {
                    o.WriteLine($"  (no Python peer: {error})");
                }
            }

            foreach (var s in options.Servers)
            {
                o.WriteLine($"  live.cs-to-server our client against {s}");
            }

            foreach (var c in options.ClientCommands)
            {
                o.WriteLine($"  live.client-to-cs {c} against our server");
            }
        }

        o.WriteLine();
        o.WriteLine("cases:");
        var width = Math.Min(48, selected.Max(c => c.Id.Length));
        foreach (var c in selected)
        {
            var scope = c.IsLive ? (options.NoLive ? "wire" : "wire+live") : "parser";
            o.WriteLine($"  {c.Id.PadRight(width)}  {scope,-9}  {c.Description}");
        }
    }
}
