using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Conformance.Cli.Running;

/// <summary>A server process this run started (a foreign peer's, or ours with <c>--server-exe</c>); disposing stops it.</summary>
/// <param name="Process">The server process.</param>
/// <param name="Url">Its endpoint, from its ready line.</param>
/// <param name="Implementation">The ready line's implementation.</param>
/// <param name="Version">The ready line's version.</param>
/// <param name="Build">The ready line's build, if any.</param>
public sealed record ServerProcess(Process Process, Uri Url, string Implementation, string? Version, string? Build) : IDisposable
{
    /// <summary>
    /// Starts <paramref name="command"/> with the peer contract's server flags (<c>--host 127.0.0.1 --port 0 --max-lifetime N</c>)
    /// and waits for its JSON ready line (python-peers/README.md).
    /// </summary>
    /// <param name="name">The server's name in messages.</param>
    /// <param name="command">The program and its own arguments.</param>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="lifetime">How long it may live (it exits by itself then, should this run never stop it).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">It did not start, or printed no ready line with a URL within 30 s.</exception>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyList<string> command, string workingDirectory, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var psi = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var arg in command.Skip(1).Concat(["--host", "127.0.0.1", "--port", "0", "--max-lifetime", ((int)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)]))
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"{name}: could not start {command[0]}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{name}: could not start {command[0]}: {e.Message}", e);
        }

        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{name}: the server exited before its ready line (exit code {(process.HasExited ? process.ExitCode : -1)})");
            using var ready = JsonDocument.Parse(line);
            var root = ready.RootElement;
            string? Field(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new ServerProcess(process, new Uri(Field("url") ?? throw new InvalidOperationException($"{name}: ready line without url: {line}")),
                Field("implementation") ?? name, Field("version"), Field("build"));
        }
        catch (Exception e) when (e is OperationCanceledException or JsonException or UriFormatException or InvalidOperationException)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException(e is OperationCanceledException ? $"{name}: no ready line within 30 s" : e.Message, e);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(5000);
        }

        Process.Dispose();
    }
}
