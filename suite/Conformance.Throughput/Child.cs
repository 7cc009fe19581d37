using System.Diagnostics;
using System.Text.Json;

namespace Conformance.Throughput;

/// <summary>A child process spoken to by lines: stdin commands, one JSON line per answer on stdout. Killed by pid on dispose.</summary>
internal sealed class Child : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();

    private Child(Process process)
    {
        _process = process;
        _ = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    lock (_stderr)
                    {
                        _stderr.Enqueue(line);
                        if (_stderr.Count > 20)
                        {
                            _stderr.Dequeue();
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Killed and disposed.
            }
        });
    }

    public int Pid => _process.Id;

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static Child Start(string fileName, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new Child(Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName));
    }

    /// <summary>Reads the next stdout line as JSON, within <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> ReadJsonAsync(TimeSpan timeout, string what)
    {
        string? line;
        try
        {
            line = await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"pid {Pid}: no {what} within {timeout.TotalSeconds} s{StderrTail()}");
        }

        if (line is null)
        {
            await Task.Delay(200);
            throw new InvalidOperationException($"pid {Pid}: exited before its {what}{StderrTail()}");
        }

        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            return _stderr.Count == 0 ? "" : "; stderr: " + string.Join(" | ", _stderr);
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
