using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Conformance.Peers.Internal;

namespace Conformance.Peers.Processes;

/// <summary>
/// A peer process. <see cref="StartAsync"/> starts it (a server: and waits for its ready line);
/// <see cref="DisposeAsync"/> kills it if it still runs. Only this process is ever killed, by its own handle
/// (its pid), never by name.
/// </summary>
public sealed class PythonProcess : IAsyncDisposable
{
    private readonly PythonProcessConfiguration _configuration;
    private readonly Channel<PeerLine> _lines = Channel.CreateUnbounded<PeerLine>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TextTail _stderr = new();
    private readonly TaskCompletionSource<PeerLine> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private Task? _pump;
    private bool _drainAfterReady;

    internal PythonProcess(PythonProcessConfiguration configuration) => _configuration = configuration;

    /// <summary>The configuration it was built with.</summary>
    public PythonProcessConfiguration Configuration => _configuration;

    /// <summary>The operating system's id of the started process.</summary>
    public int? Pid { get; private set; }

    /// <summary>Server role: the ready line, once read.</summary>
    public PeerLine? ReadyLine => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    /// <summary>Server role: the endpoint the ready line announced.</summary>
    public Uri Url => ReadyLine is { } line ? Internal.ReadyLine.Url(line) : throw new InvalidOperationException("not started");

    /// <summary>The last lines of stderr.</summary>
    public string StandardErrorTail => _stderr.ToString();

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process?.HasExited ?? false;

    /// <summary>Starts the process; for a server, returns once its ready line was read.</summary>
    /// <exception cref="PeerException">It could not start, exited early, or printed no ready line in time.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("already started");
        }

        var psi = new ProcessStartInfo(_configuration.Interpreter)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = _configuration.PeersDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var a in _configuration.BuildArguments())
        {
            psi.ArgumentList.Add(a);
        }

        // Python 2.7 would otherwise write .pyc files beside the checkout's sources, and print in ASCII.
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        if (_configuration.FixturesDirectory is not null)
        {
            psi.Environment["CONFORMANCE_FIXTURES"] = _configuration.FixturesDirectory;
        }

        foreach (var (k, v) in _configuration.Environment)
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new PeerException($"{_configuration.Interpreter}: cannot start ({e.Message})", e);
        }

        _process = process;
        Pid = process.Id;
        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Add(e.Data);
            }
        };
        process.BeginErrorReadLine();
        _drainAfterReady = _configuration.Role == PeerRole.Server;
        _pump = Task.Run(() => PumpAsync(process), CancellationToken.None);
        _configuration.Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"process pid {Pid}: {_configuration.Interpreter} {Path.GetFileName(_configuration.ScriptPath)}"));

        if (_configuration.Role != PeerRole.Server)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_configuration.ReadyTimeout);
        try
        {
            await _ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill();
            throw new PeerException(string.Create(CultureInfo.InvariantCulture, $"{_configuration.Interpreter} server.py printed no ready line within {_configuration.ReadyTimeout.TotalSeconds:0} s{_stderr.AsSuffix()}"));
        }
        catch (PeerException)
        {
            Kill();
            throw;
        }
    }

    /// <summary>
    /// The lines the process prints on stdout after start (a server: after the ready line), until it exits.
    /// Read once.
    /// </summary>
    public async IAsyncEnumerable<PeerLine> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var line in _lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return line;
        }
    }

    /// <summary>Waits for the process to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return process.ExitCode;
    }

    /// <summary>Kills the process (by its own handle) if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        if (_process is { } p)
        {
            try
            {
                await p.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Reported by the caller's log; nothing more to do for a process that ignores SIGKILL.
            }

            p.Dispose();
        }
    }

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: false);
                _configuration.Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"process pid {Pid}: killed"));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task PumpAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } text)
            {
                var line = PeerLine.Parse(text);
                if (!_ready.Task.IsCompleted && Internal.ReadyLine.IsReady(line))
                {
                    _ready.TrySetResult(line);
                    continue;
                }

                if (!_drainAfterReady)
                {
                    _lines.Writer.TryWrite(line);
                }
            }
        }
        finally
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            _ready.TrySetException(new PeerException(string.Create(CultureInfo.InvariantCulture,
                $"{_configuration.Interpreter} {Path.GetFileName(_configuration.ScriptPath)} exited with code {process.ExitCode} before its ready line{_stderr.AsSuffix()}")));
            _lines.Writer.TryComplete();
        }
    }
}
