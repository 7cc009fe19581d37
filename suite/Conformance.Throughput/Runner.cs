using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Conformance.Throughput;

/// <summary>What the runner is told.</summary>
internal sealed record RunSettings(
    IReadOnlyList<string> Targets,
    int Rounds,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    long MaxRequests,
    string Python,
    string Repo,
    string? JsonPath,
    (string FileName, string[] Prefix)? OtherBuild);

/// <summary>One measured phase of one target.</summary>
internal sealed record Sample(
    string Target,
    int Round,
    long Requests,
    double Seconds,
    double RequestsPerSecond,
    double P50Microseconds,
    double P99Microseconds,
    long Errors,
    long Connects,
    string FirstError,
    double ServerCpuMicrosecondsPerRequest,
    double? AllocatedBytesPerRequest,
    long? Gen0Collections);

/// <summary>
/// The default role: starts every target server once (each its own process), then for each round and each target (the
/// order rotated every round) runs one load process against it and reads the server's counters around the measured
/// phase. Prints one row per target (medians over the rounds) and the same-run ratios to bare Kestrel.
/// </summary>
internal static class Runner
{
    public static readonly string[] AllTargets = ["kestrel", "standalone", "mapxmlrpc", "cpython"];

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["kestrel"] = "bare Kestrel (constant answer)",
        ["standalone"] = "XmlRpcServer (standalone)",
        ["mapxmlrpc"] = "MapXmlRpc (endpoint)",
        ["cpython"] = "CPython SimpleXMLRPCServer",
    };

    /// <summary>Suffix of a target served by the other build (<c>--other-build</c>): <c>standalone@other</c>.</summary>
    public const string OtherSuffix = "@other";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(RunSettings settings, (string FileName, string[] Prefix) self)
    {
        var phase = settings.Warmup + settings.Duration + TimeSpan.FromSeconds(30);
        var lifetime = (phase * settings.Targets.Count * settings.Rounds) + TimeSpan.FromSeconds(120);
        var servers = new Dictionary<string, Child>(StringComparer.Ordinal);
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var python = "";
        try
        {
            foreach (var target in settings.Targets)
            {
                var seconds = ((int)lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                var child = target == "cpython"
                    ? Child.Start(settings.Python, [Path.Combine(settings.Repo, "python-peers", "server.py"), "--port", "0", "--max-lifetime", seconds])
                    : target.EndsWith(OtherSuffix, StringComparison.Ordinal)
                        ? Child.Start(settings.OtherBuild!.Value.FileName, [.. settings.OtherBuild.Value.Prefix, "serve", Kind(target), "--max-lifetime", seconds])
                        : Child.Start(self.FileName, [.. self.Prefix, "serve", target, "--max-lifetime", seconds]);
                servers[target] = child;
                var ready = await child.ReadJsonAsync(ReadyTimeout, "ready line");
                ports[target] = ready.GetProperty("port").GetInt32();
                var url = ready.GetProperty("url").GetString() ?? "";
                if (!url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{target}: ready line names {url}, not 127.0.0.1 (loopback only)");
                }

                Console.Error.WriteLine($"started {target} (pid {child.Pid}) on {url}");
            }

            if (settings.Targets.Contains("cpython"))
            {
                python = (await Capture(settings.Python, "-c", "import sys; print(sys.version.split()[0])")).Trim();
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                var order = settings.Targets.Skip((round - 1) % settings.Targets.Count).Concat(settings.Targets.Take((round - 1) % settings.Targets.Count));
                foreach (var target in order)
                {
                    var sample = await MeasureAsync(target, round, servers[target], ports[target], settings, self, phase);
                    samples.Add(sample);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} {target,-10} {sample.RequestsPerSecond,9:F0} req/s  p50 {sample.P50Microseconds,7:F0} us  p99 {sample.P99Microseconds,7:F0} us  cpu {sample.ServerCpuMicrosecondsPerRequest,6:F1} us/req  alloc {Bytes(sample.AllocatedBytesPerRequest)}  errors {sample.Errors}{(sample.Errors > 0 ? " (" + sample.FirstError + ")" : "")}"));
                }
            }
        }
        finally
        {
            foreach (var child in servers.Values)
            {
                child.Dispose();
            }
        }

        var report = Report(samples, settings, python);
        Console.Out.Write(report);
        if (settings.JsonPath is not null)
        {
            await File.WriteAllTextAsync(settings.JsonPath, JsonSerializer.Serialize(new { settings = Describe(settings, python), samples }, Indented));
        }

        return samples.Any(s => s.Errors > 0 && s.Target != "cpython") ? 1 : 0;
    }

    private static async Task<Sample> MeasureAsync(string target, int round, Child server, int port, RunSettings settings, (string FileName, string[] Prefix) self, TimeSpan phase)
    {
        using var load = Child.Start(self.FileName, [.. self.Prefix, "load",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--connections", settings.Connections.ToString(CultureInfo.InvariantCulture),
            "--warmup", settings.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--seconds", settings.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--max-requests", settings.MaxRequests.ToString(CultureInfo.InvariantCulture)]);
        await load.ReadJsonAsync(phase, "warm-up");
        var dotnet = Kind(target) != "cpython";
        var before = dotnet ? await StatsAsync(server) : default;
        var cpuBefore = server.CpuTime;
        await load.SendAsync("go");
        var result = await load.ReadJsonAsync(phase, "result");
        var cpuAfter = server.CpuTime;
        var after = dotnet ? await StatsAsync(server) : default;
        await load.WaitForExitAsync(TimeSpan.FromSeconds(10));

        var requests = result.GetProperty("requests").GetInt64();
        var perRequest = Math.Max(1, requests);
        return new Sample(
            target,
            round,
            requests,
            result.GetProperty("seconds").GetDouble(),
            result.GetProperty("requests_per_second").GetDouble(),
            result.GetProperty("p50_us").GetDouble(),
            result.GetProperty("p99_us").GetDouble(),
            result.GetProperty("errors").GetInt64(),
            result.GetProperty("connects").GetInt64(),
            result.GetProperty("first_error").GetString() ?? "",
            (cpuAfter - cpuBefore).TotalMicroseconds / perRequest,
            dotnet ? (double)(after.Allocated - before.Allocated) / perRequest : null,
            dotnet ? after.Gen0 - before.Gen0 : null);
    }

    private static async Task<(long Allocated, long Gen0)> StatsAsync(Child server)
    {
        await server.SendAsync("stats");
        var stats = await server.ReadJsonAsync(TimeSpan.FromSeconds(10), "stats");
        return (stats.GetProperty("allocated").GetInt64(), stats.GetProperty("gen0").GetInt64());
    }

    private static string Report(List<Sample> samples, RunSettings settings, string python)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(inv, $"add(7, 3) over loopback, {settings.Connections} keep-alive connections (CPython closes after each answer), no pipelining; medians of {settings.Rounds} rounds of {settings.Duration.TotalSeconds:0.#} s after {settings.Warmup.TotalSeconds:0.#} s warm-up; {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}{(python.Length > 0 ? ", CPython " + python : "")}");
        text.AppendLine();
        text.AppendLine("| server | requests/s | vs bare Kestrel | p50 latency | p99 latency | server CPU per request | allocated per request (server process) | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var rows = new Dictionary<string, (double Rps, double Cpu, double? Alloc)>(StringComparer.Ordinal);
        foreach (var target in settings.Targets)
        {
            var mine = samples.Where(s => s.Target == target).ToList();
            rows[target] = (
                Median(mine.Select(s => s.RequestsPerSecond)),
                Median(mine.Select(s => s.ServerCpuMicrosecondsPerRequest)),
                mine[0].AllocatedBytesPerRequest is null ? null : Median(mine.Select(s => s.AllocatedBytesPerRequest!.Value)));
        }

        var kestrel = rows.TryGetValue("kestrel", out var k) ? k : default;
        foreach (var target in settings.Targets)
        {
            var mine = samples.Where(s => s.Target == target).ToList();
            var row = rows[target];
            text.AppendLine(inv, $"| {Label(target)} | {row.Rps:N0} | {(kestrel.Rps > 0 ? (row.Rps / kestrel.Rps * 100).ToString("0", inv) + " %" : "-")} | {Median(mine.Select(s => s.P50Microseconds)):0} µs | {Median(mine.Select(s => s.P99Microseconds)):0} µs | {row.Cpu:0.0} µs | {Bytes(row.Alloc)} | {mine.Sum(s => s.Errors)} |");
        }

        text.AppendLine();
        if (kestrel.Rps > 0)
        {
            foreach (var target in settings.Targets.Where(t => Kind(t) is "standalone" or "mapxmlrpc"))
            {
                var row = rows[target];
                var ratio = row.Rps / kestrel.Rps;
                var goal = Kind(target) == "standalone" ? "  (target >= 90 %: " + (ratio >= 0.9 ? "MET" : "MISSED") + ")" : "";
                // Paired: each round's ratio to the Kestrel run of the same round, so load that drifts between rounds cancels.
                var paired = Median(samples.Where(s => s.Target == target).Select(s =>
                    s.RequestsPerSecond / samples.First(b => b.Target == "kestrel" && b.Round == s.Round).RequestsPerSecond));
                text.AppendLine(inv, $"{Label(target)} / bare Kestrel: {ratio * 100:0} % of its requests/s{goal}; median of the per-round ratios {paired * 100:0} %; server CPU per request {row.Cpu / kestrel.Cpu:0.00}x Kestrel's");
            }

            foreach (var target in settings.Targets.Where(t => Kind(t) is "standalone" or "mapxmlrpc"))
            {
                var alloc = rows[target].Alloc ?? 0;
                text.AppendLine(inv, $"{Label(target)}: {Bytes(alloc)} allocated per request by the server process, {Bytes(alloc - (kestrel.Alloc ?? 0))} more than bare Kestrel  (target <= 2 KB per small call: {(alloc <= 2048 ? "MET" : "MISSED")})");
            }
        }

        if (rows.TryGetValue("cpython", out var cpython) && cpython.Rps > 0 && rows.TryGetValue("standalone", out var standalone))
        {
            text.AppendLine(inv, $"{Label("standalone")} / CPython: {standalone.Rps / cpython.Rps:0.0}x its requests/s");
        }

        return text.ToString();
    }

    private static Dictionary<string, object> Describe(RunSettings settings, string python) => new()
    {
        ["targets"] = settings.Targets,
        ["rounds"] = settings.Rounds,
        ["warmup_s"] = settings.Warmup.TotalSeconds,
        ["seconds"] = settings.Duration.TotalSeconds,
        ["connections"] = settings.Connections,
        ["max_requests"] = settings.MaxRequests,
        ["cores"] = Environment.ProcessorCount,
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        ["python"] = python,
    };

    /// <summary>The server kind of a target: <c>standalone@other</c> → <c>standalone</c>.</summary>
    public static string Kind(string target) => target.EndsWith(OtherSuffix, StringComparison.Ordinal) ? target[..^OtherSuffix.Length] : target;

    private static string Label(string target) => Labels[Kind(target)] + (target.EndsWith(OtherSuffix, StringComparison.Ordinal) ? " [other build]" : "");

    private static string Bytes(double? bytes) => bytes is not { } b ? "-" : b.ToString("N0", CultureInfo.InvariantCulture) + " B";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<string> Capture(string fileName, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(fileName) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
