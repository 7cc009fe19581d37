using Conformance.Cli.Rendering;

namespace Conformance.Cli;

/// <summary>The report tool's entry point, callable in-process (the end-to-end tests do).</summary>
public static class ConformanceCli
{
    /// <summary>Runs the tool with <paramref name="args"/>; returns the process exit code.</summary>
    /// <param name="args">The command line after the program name.</param>
    /// <param name="stdout">Where progress and the summary go.</param>
    /// <param name="stderr">Where usage errors go.</param>
    /// <param name="cancellationToken">Stops the run (peers are stopped too).</param>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, null, cancellationToken);

    /// <summary>Runs the tool against a given <paramref name="implementation"/> (null: the real one).</summary>
    /// <remarks>Tests use this to run the whole pipeline with stand-ins for parts of our implementation.</remarks>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Running.Implementation? implementation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Count > 0 && args[0] == MergeCommand.Name)
        {
            return await MergeCommand.RunAsync([.. args.Skip(1)], stdout, stderr).ConfigureAwait(false);
        }

        CliOptions options;
        try
        {
            options = CliOptions.Parse(args);
        }
        catch (CliUsageException e)
        {
            await stderr.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (options.Help)
        {
            await stdout.WriteLineAsync(CliOptions.Usage).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (File.Exists(options.Out))
        {
            await stderr.WriteLineAsync($"error: --out {options.Out} is a file, not a folder").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (options.RenderFrom is not null)
        {
            IReadOnlyList<string> written;
            try
            {
                written = [.. ReportWriter.RenderFrom(options.RenderFrom, options.Out)];
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                await stderr.WriteLineAsync($"error: --render {options.RenderFrom}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            foreach (var path in written)
            {
                await stdout.WriteLineAsync(path).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }

        return await ReportRun.RunAsync(options, args, stdout, stderr, implementation, cancellationToken).ConfigureAwait(false);
    }
}
