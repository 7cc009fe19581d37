using System.Globalization;

namespace Conformance.Throughput;

/// <summary>
/// Server throughput on loopback: bare Kestrel vs the standalone <c>XmlRpcServer</c> vs a <c>MapXmlRpc</c> endpoint vs
/// CPython's <c>SimpleXMLRPCServer</c>, same request, same run. One binary, three roles: the runner (default), <c>serve
/// KIND</c> and <c>load</c>; the runner starts the others as child processes. See README.md.
/// </summary>
public static class Program
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A JIT-compiled benchmark; the add method is bound by reflection as an application would.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "A JIT-compiled benchmark.")]
    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "serve")
            {
                return await Serve.RunAsync(args.Length > 1 ? args[1] : "", TimeSpan.FromSeconds(Number(args, "--max-lifetime", 600)));
            }

            if (args.Length > 0 && args[0] == "load")
            {
                return await Load.RunAsync(new LoadSettings(
                    (int)Number(args, "--port", 0),
                    (int)Number(args, "--connections", 8),
                    TimeSpan.FromSeconds(Number(args, "--warmup", 2)),
                    TimeSpan.FromSeconds(Number(args, "--seconds", 5)),
                    (long)Number(args, "--max-requests", 2_000_000)));
            }

            if (args.Contains("--help") || args.Contains("-h"))
            {
                Console.WriteLine("""
                    Conformance.Throughput [--rounds 5] [--seconds 5] [--warmup 2] [--connections 8] [--max-requests 2000000]
                                           [--targets kestrel,standalone,mapxmlrpc,cpython] [--python python3] [--repo DIR] [--json FILE]
                                           [--other-build PATH/Conformance.Throughput.dll]   (adds standalone@other, mapxmlrpc@other)
                    """);
                return 0;
            }

            var other = Text(args, "--other-build") is { } path ? Launcher(Path.GetFullPath(path)) : ((string, string[])?)null;
            string[] targets = Text(args, "--targets") is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : other is null ? Runner.AllTargets : [.. Runner.AllTargets, "standalone" + Runner.OtherSuffix, "mapxmlrpc" + Runner.OtherSuffix];
            var unknown = targets.Where(t => !Runner.AllTargets.Contains(Runner.Kind(t))
                || (t.EndsWith(Runner.OtherSuffix, StringComparison.Ordinal) && (other is null || Runner.Kind(t) == "cpython"))).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException("unknown target(s): " + string.Join(", ", unknown) + " (a .NET kind with " + Runner.OtherSuffix + " needs --other-build)");
            }

            var settings = new RunSettings(
                targets,
                (int)Number(args, "--rounds", 5),
                TimeSpan.FromSeconds(Number(args, "--warmup", 2)),
                TimeSpan.FromSeconds(Number(args, "--seconds", 5)),
                (int)Number(args, "--connections", 8),
                (long)Number(args, "--max-requests", 2_000_000),
                Text(args, "--python") ?? "python3",
                Text(args, "--repo") ?? FindRepo(),
                Text(args, "--json"),
                other);
            if (settings.Rounds < 1 || settings.Connections < 1 || settings.Duration <= TimeSpan.Zero || settings.Duration > TimeSpan.FromMinutes(2))
            {
                throw new ArgumentException("--rounds and --connections must be at least 1, --seconds between 0 and 120 (the run is bounded)");
            }

            return await Runner.RunAsync(settings, Self());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    /// <summary>How to start this program again: its apphost, or <c>dotnet</c> with its dll.</summary>
    private static (string FileName, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(Program).Assembly.Location])
            : (process, []);
    }

    /// <summary>How to start another build of this program (<c>--other-build</c>): a dll through <c>dotnet</c>, an apphost as it is.</summary>
    private static (string FileName, string[] Prefix) Launcher(string path) =>
        !File.Exists(path) ? throw new ArgumentException("--other-build: no such file " + path)
        : path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [path])
        : (path, []);

    private static string FindRepo()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "python-peers", "server.py")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("python-peers/server.py not found above the working directory: pass --repo DIR");
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static double Number(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
