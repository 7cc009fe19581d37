using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Conformance.Peers;

/// <summary>A local interpreter and what it says it is.</summary>
/// <param name="Path">Where it was found (a pyenv shim, a path from <c>$CONFORMANCE_PYTHONS</c>).</param>
/// <param name="Executable">Its <c>sys.executable</c>: what peers run (no shim in between).</param>
/// <param name="RealExecutable">The executable with links resolved: two names for one interpreter are one.</param>
/// <param name="Identity">Implementation, version, build.</param>
public sealed record PythonInterpreter(string Path, string Executable, string RealExecutable, PeerIdentity Identity);

/// <summary>Finds the local interpreters to use as process peers.</summary>
public static class PythonInterpreters
{
    // Runs on 2.7 and 3.x: one line each of executable, implementation, version, build.
    private const string ProbeScript =
        "import sys, platform\n" +
        "print(sys.executable)\n" +
        "print(platform.python_implementation())\n" +
        "print('%d.%d.%d' % sys.version_info[:3])\n" +
        "print(' '.join(platform.python_build()) + ' ' + platform.python_compiler())\n";

    /// <summary>
    /// <c>$CONFORMANCE_PYTHONS</c> (paths separated by <c>:</c> or <c>;</c>) when set, else <c>python3</c> on PATH and
    /// every <c>$PYENV_ROOT/versions/*/bin/python</c>. Each candidate is asked what it is (in parallel);
    /// one that does not answer is reported in <paramref name="notes"/> and left out; duplicates (a pyenv
    /// shim and the version it runs) are kept once.
    /// </summary>
    public static async Task<IReadOnlyList<PythonInterpreter>> DiscoverAsync(IReadOnlyList<string>? explicitPaths, ICollection<string> notes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notes);
        var candidates = explicitPaths is { Count: > 0 } ? [.. explicitPaths] : Candidates();
        var probes = await Task.WhenAll(candidates.Select(c => ProbeAsync(c, cancellationToken))).ConfigureAwait(false);
        var found = new List<PythonInterpreter>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (probes[i] is not { } interpreter)
            {
                notes.Add($"interpreter {candidates[i]}: does not run, left out");
            }
            else if (seen.Add(interpreter.RealExecutable))
            {
                found.Add(interpreter);
            }
        }

        return [.. found.OrderBy(p => VersionOf(p.Identity.Version))];
    }

    /// <summary>Splits a <c>$CONFORMANCE_PYTHONS</c> value.</summary>
    public static IReadOnlyList<string> SplitPathList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var separators = OperatingSystem.IsWindows() ? new[] { ';' } : [':', ';'];
        return value.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static List<string> Candidates()
    {
        var list = new List<string>();
        if (FindOnPath(OperatingSystem.IsWindows() ? "python.exe" : "python3") is { } python3)
        {
            list.Add(python3);
        }

        var root = Environment.GetEnvironmentVariable("PYENV_ROOT");
        if (string.IsNullOrEmpty(root))
        {
            root = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        }

        var versions = System.IO.Path.Combine(root, "versions");
        if (Directory.Exists(versions))
        {
            foreach (var dir in Directory.GetDirectories(versions).Order(StringComparer.Ordinal))
            {
                var exe = System.IO.Path.Combine(dir, "bin", "python");
                if (File.Exists(exe))
                {
                    list.Add(exe);
                }
            }
        }

        return list;
    }

    private static async Task<PythonInterpreter?> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            ArgumentList = { "-c", ProbeScript },
        };
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        try
        {
            using var p = Process.Start(psi);
            if (p is null)
            {
                return null;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                return null;
            }

            var lines = (await stdout.ConfigureAwait(false)).Split('\n', StringSplitOptions.TrimEntries);
            _ = await stderr.ConfigureAwait(false);
            if (p.ExitCode != 0 || lines.Length < 4)
            {
                return null;
            }

            var executable = lines[0].Length > 0 ? lines[0] : path;
            return new PythonInterpreter(path, executable, RealPath(executable), new PeerIdentity(lines[1], lines[2], lines[3]));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    internal static Version VersionOf(string text)
    {
        var digits = new string([.. text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.')]).Trim('.');
        return Version.TryParse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0", out var v) ? v : new Version(0, 0);
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string RealPath(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
