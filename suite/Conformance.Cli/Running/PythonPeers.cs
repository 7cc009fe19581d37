using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Conformance.Cli.Running;

/// <summary>A Python interpreter to use as a peer.</summary>
/// <param name="Executable">Path (or name on PATH).</param>
/// <param name="Label">Where it was found (<c>python3</c>, <c>pyenv 3.11.7</c>, <c>--python</c>).</param>
public sealed record PythonInterpreter(string Executable, string Label);

/// <summary>What a server peer said in its ready line.</summary>
public sealed record PeerIdentity(string Implementation, string Version, string? Build);

/// <summary>
/// Local CPython peers: discovery of interpreters (like <c>make_fixtures.py --check</c>: python3 on PATH
/// and every pyenv version, or <c>$CONFORMANCE_PYTHONS</c>) and <c>python-peers/server.py</c> as a process.
/// </summary>
public static class PythonPeers
{
    /// <summary>The interpreters to use: <paramref name="explicitPaths"/>, else $CONFORMANCE_PYTHONS, else discovery.</summary>
    public static IReadOnlyList<PythonInterpreter> Discover(IReadOnlyList<string> explicitPaths)
    {
        ArgumentNullException.ThrowIfNull(explicitPaths);
        if (explicitPaths.Count > 0)
        {
            return [.. explicitPaths.Select(p => new PythonInterpreter(p, p))];
        }

        var env = Environment.GetEnvironmentVariable("CONFORMANCE_PYTHONS");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return [.. env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => new PythonInterpreter(p, p))];
        }

        var found = new List<PythonInterpreter>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var python3 = FindOnPath(OperatingSystem.IsWindows() ? "python.exe" : "python3");
        if (python3 is not null)
        {
            found.Add(new PythonInterpreter(python3, "python3"));
            seen.Add(RealPath(ResolvePyenvShim(python3)));
        }

        var root = Environment.GetEnvironmentVariable("PYENV_ROOT");
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        }

        var versions = Path.Combine(root, "versions");
        if (Directory.Exists(versions))
        {
            foreach (var dir in Directory.GetDirectories(versions).OrderBy(VersionKey, VersionComparer.Instance))
            {
                var exe = Path.Combine(dir, "bin", "python");
                if (File.Exists(exe) && seen.Add(RealPath(exe)))
                {
                    found.Add(new PythonInterpreter(exe, "pyenv " + Path.GetFileName(dir)));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Starts <c>server.py</c> with <paramref name="python"/> on a free loopback port and waits for its
    /// ready line.
    /// </summary>
    public static async Task<ProcessServerPeer> StartServerAsync(PythonInterpreter python, string peersDirectory, string fixtures, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(python);
        var psi = new ProcessStartInfo(python.Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            ArgumentList = { "-u", Path.Combine(peersDirectory, "server.py"), "--host", "127.0.0.1", "--port", "0" },
        };
        psi.Environment["CONFORMANCE_FIXTURES"] = fixtures;
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new PeerStartException($"{python.Executable}: could not start ({e.Message})", e);
        }

        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(readyTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false) is { } line)
            {
                if (!line.TrimStart().StartsWith('{'))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty("event", out var ev) && ev.ValueEquals("ready"))
                {
                    string? Str(string n) => root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    var port = root.GetProperty("port").GetInt32();
                    var url = Str("url") ?? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/RPC2");
                    var identity = new PeerIdentity(Str("implementation") ?? "CPython", Str("version") ?? "?", Str("build"));
                    // Keep draining stdout so the peer never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return new ProcessServerPeer(process, new Uri(url), identity);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Stop(process);
                throw;
            }
        }

        var exited = process.HasExited;
        if (exited)
        {
            // Let the stderr reader catch up with what the process wrote before it died.
            process.WaitForExit();
        }

        Stop(process);
        string err;
        lock (stderr)
        {
            err = stderr.ToString().Trim();
        }

        var what = exited ? "server.py exited before its ready line" : string.Create(CultureInfo.InvariantCulture, $"server.py printed no ready line within {readyTimeout.TotalSeconds:0} s");
        throw new PeerStartException($"{what}{(err.Length > 0 ? ": " + Tail(err) : "")}");
    }

    internal static void Stop(Process process)
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
            // Never started or already gone.
        }

        process.Dispose();
    }

    private static string Tail(string s) => s.Length <= 600 ? s : "…" + s[^600..];

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    // pyenv's python3 is a shell shim: the interpreter it runs is the one pyenv selects, which is also
    // listed under versions/. Ask the shim which one it is, so that interpreter is not run twice.
    private static string ResolvePyenvShim(string python3)
    {
        if (!python3.Contains(Path.Combine(".pyenv", "shims"), StringComparison.Ordinal))
        {
            return python3;
        }

        try
        {
            using var p = Process.Start(new ProcessStartInfo(python3, ["-c", "import sys; print(sys.executable)"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(10_000);
            return text.Length > 0 ? text : python3;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return python3;
        }
    }

    private static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? info.FullName;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static string VersionKey(string dir) => Path.GetFileName(dir);

    private sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = Parse(x);
            var b = Parse(y);
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                var c = (i < a.Length ? a[i] : -1).CompareTo(i < b.Length ? b[i] : -1);
                if (c != 0)
                {
                    return c;
                }
            }

            return string.CompareOrdinal(x, y);
        }

        private static int[] Parse(string? s) =>
            [.. (s ?? "").Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 999)];
    }
}

/// <summary>A running <c>server.py</c> process.</summary>
public sealed class ProcessServerPeer : IRunningServer
{
    private readonly Process _process;

    internal ProcessServerPeer(Process process, Uri url, PeerIdentity identity)
    {
        _process = process;
        Url = url;
        Identity = identity;
    }

    /// <inheritdoc/>
    public Uri Url { get; }

    /// <summary>What the ready line said.</summary>
    public PeerIdentity Identity { get; }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        PythonPeers.Stop(_process);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A peer could not start; the message says why (its stderr included).</summary>
public sealed class PeerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PeerStartException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public PeerStartException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public PeerStartException() { }
}
