using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Conformance.Load;

/// <summary>How to start one server under test: a name, a program and its arguments.</summary>
/// <remarks>
/// <paramref name="KeepAlive"/> is false for CPython: its server answers HTTP/1.0 and closes every connection, and an
/// HttpClient that reuses a pooled connection races that close ("response ended prematurely" on a POST, not retried).
/// The well-behaved clients then ask for Connection: close, as the server does anyway.
/// </remarks>
internal sealed record TargetSpec(string Name, string Label, string FileName, IReadOnlyList<string> Arguments, bool KeepAlive);

/// <summary>
/// One server under test, started by the harness as a child process on 127.0.0.1 with a free port.
/// It prints one JSON ready line on stdout (<c>"url"</c>, <c>"port"</c>); it is killed by pid (whole tree) on dispose.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();

    private ServerProcess(Process process, Uri url, int port)
    {
        _process = process;
        Url = url;
        Port = port;
    }

    public Uri Url { get; }

    public int Port { get; }

    public int Pid => _process.Id;

    public bool HasExited
    {
        get
        {
            try
            {
                return _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>The last lines the server wrote on stderr (tracebacks of CPython, for the report's notes).</summary>
    public IReadOnlyList<string> StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return [.. _stderrTail];
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(TargetSpec spec, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + spec.FileName);
        ServerProcess? started = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadyTimeout);
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"{spec.Name}: no ready line within {ReadyTimeout.TotalSeconds} s");
            }

            if (line is null)
            {
                var err = await process.StandardError.ReadToEndAsync(cancellationToken);
                throw new InvalidOperationException($"{spec.Name}: exited before its ready line: {err.Trim()}");
            }

            using var ready = JsonDocument.Parse(line);
            var url = new Uri(ready.RootElement.GetProperty("url").GetString() ?? throw new InvalidOperationException("ready line without url"));
            var port = ready.RootElement.GetProperty("port").GetInt32();
            if (!string.Equals(url.Host, "127.0.0.1", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{spec.Name}: ready line names {url.Host}, not 127.0.0.1 (the harness only talks to loopback)");
            }

            started = new ServerProcess(process, url, port);
            // Drain both pipes on background tasks (nothing is expected on stdout after the ready line), so a full pipe never blocks the server.
            _ = started.DrainAsync(process.StandardError, keep: true);
            _ = started.DrainAsync(process.StandardOutput, keep: false);
            return started;
        }
        finally
        {
            if (started is null)
            {
                Kill(process);
                process.Dispose();
            }
        }
    }

    /// <summary>Kills the server now (the RSS guard); dispose still follows.</summary>
    public void KillNow() => Kill(_process);

    public int? ExitCode => HasExited ? _process.ExitCode : null;

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"pid {Pid} on {Url}");

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we killed it.
        }
    }

    private async Task DrainAsync(StreamReader reader, bool keep)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (keep)
                {
                    KeepStderr(line);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was killed and disposed.
        }
    }

    private void KeepStderr(string line)
    {
        lock (_stderrTail)
        {
            _stderrTail.Enqueue(line);
            while (_stderrTail.Count > 40)
            {
                _stderrTail.Dequeue();
            }
        }
    }
}
