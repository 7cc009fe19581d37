using System.Diagnostics;
using System.Globalization;
using Conformance.Load;
using Conformance.Load.Scenarios;

// Load and abuse harness: each scenario against a FRESH server process per target (our C# conformance server and
// CPython's SimpleXMLRPCServer), both on 127.0.0.1 with a free port, killed by pid in a finally block.
// Usage: dotnet run -c Release --project suite/Conformance.Load -- [--short] [--target csharp|cpython|both]
//        [--scenario NAME]... [--json FILE] [--server-dll PATH] [--python PATH] [--repo DIR]
IScenario[] all = [new Baseline(), new Concurrency(), new Malformed(), new Slowloris(), new SlowReaders(), new Amplification()];
var isShort = false;
var targets = "both";
var chosen = new List<string>();
string? jsonPath = null;
string? serverDll = null;
var python = "python3";
string? repo = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--short":
            isShort = true;
            break;
        case "--target" when value is "csharp" or "cpython" or "both":
            targets = value;
            i++;
            break;
        case "--scenario" when value is not null && all.Any(s => s.Name == value):
            chosen.Add(value);
            i++;
            break;
        case "--json" when value is not null:
            jsonPath = value;
            i++;
            break;
        case "--server-dll" when value is not null:
            serverDll = value;
            i++;
            break;
        case "--python" when value is not null:
            python = value;
            i++;
            break;
        case "--repo" when value is not null:
            repo = value;
            i++;
            break;
        case "--help" or "-h":
            Console.WriteLine("usage: Conformance.Load [--short] [--target csharp|cpython|both] [--scenario NAME]... [--json FILE] [--server-dll PATH] [--python PATH] [--repo DIR]");
            Console.WriteLine("scenarios: " + string.Join(", ", all.Select(s => s.Name + " (" + s.Summary + ")")));
            return 0;
        default:
            Console.Error.WriteLine("Conformance.Load: unknown or incomplete argument: " + args[i] + " (--help)");
            return 2;
    }
}

var settings = new LoadSettings(isShort);
var scenarios = chosen.Count == 0 ? all : all.Where(s => chosen.Contains(s.Name)).ToArray();
repo ??= FindRepo();
if (repo is null)
{
    Console.Error.WriteLine("Conformance.Load: cannot find the repository (Conformance.sln); pass --repo DIR");
    return 2;
}

// The whole run is bounded: a deadline well beyond the expected duration, and Ctrl+C.
using var deadline = new CancellationTokenSource(isShort ? TimeSpan.FromMinutes(8) : TimeSpan.FromMinutes(45));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};

var specs = new List<TargetSpec>();
if (targets is "csharp" or "both")
{
    if (serverDll is null)
    {
        // Without --server-dll the harness builds the server itself (incremental, Release), so it never measures a stale build.
        serverDll = Path.Combine(repo, "suite", "Conformance.Server", "bin", "Release", "net10.0", "Conformance.Server.dll");
        if (!await BuildServerAsync(repo, deadline.Token))
        {
            return 2;
        }
    }

    specs.Add(new TargetSpec("csharp", "C# Conformance.Server", "dotnet", [serverDll, "--port", "0", "--max-lifetime", "600"], KeepAlive: true));
}

if (targets is "cpython" or "both")
{
    specs.Add(new TargetSpec("cpython", "CPython SimpleXMLRPCServer", python, [Path.Combine(repo, "python-peers", "server.py"), "--port", "0", "--max-lifetime", "600"], KeepAlive: false));
}

// RSS guard: a runaway server is killed before it can take the machine down (60% of what is available now, at most 12 GiB).
var guardKb = Math.Min(12L * 1024 * 1024, (long)(MemAvailableKb() * 0.6));
var started = DateTimeOffset.Now;
var total = Stopwatch.StartNew();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Conformance.Load: {(isShort ? "short" : "full")} mode, {Environment.ProcessorCount} cores, targets {string.Join(", ", specs.Select(s => s.Name))}, RSS guard {guardKb / 1024} MiB"));
var results = new List<ScenarioResult>();
foreach (var scenario in scenarios)
{
    Console.WriteLine();
    Console.WriteLine($"== {scenario.Name}: {scenario.Summary}");
    var watch = Stopwatch.StartNew();
    ScenarioResult[] done;
    if (scenario.TargetsInParallel)
    {
        done = await Task.WhenAll(specs.Select(spec => RunOneAsync(scenario, spec, deadline.Token)));
    }
    else
    {
        done = new ScenarioResult[specs.Count];
        for (var t = 0; t < specs.Count; t++)
        {
            done[t] = await RunOneAsync(scenario, specs[t], deadline.Token);
        }
    }

    foreach (var result in done)
    {
        results.Add(result);
        Report.PrintOne(result, Console.Out);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ({watch.Elapsed.TotalSeconds:0} s)"));
    if (deadline.IsCancellationRequested)
    {
        Console.WriteLine("Conformance.Load: deadline reached or interrupted; stopping");
        break;
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== Summary ({(isShort ? "short" : "full")} mode, {started:yyyy-MM-dd HH:mm}, {total.Elapsed.TotalSeconds:0} s)"));
Report.PrintTable(results, [.. scenarios.Select(s => s.Name)], Console.Out);
var checks = Checks.Evaluate(results);
Console.WriteLine();
Console.WriteLine(isShort ? "== Checks (our server; these decide the exit code)" : "== Checks (our server; informational in full mode: the thresholds are the short-mode targets)");
foreach (var check in checks)
{
    Console.WriteLine($"  {(check.Passed ? "PASS" : "FAIL")}  {check.Name}: {check.Detail}");
}

if (jsonPath is not null)
{
    Report.WriteJson(jsonPath, settings, results, checks, started);
    Console.WriteLine("wrote " + jsonPath);
}

var failed = checks.Count(c => !c.Passed);
if (isShort && failed > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Conformance.Load: {failed} check(s) failed"));
    return 1;
}

return deadline.IsCancellationRequested ? 3 : 0;

async Task<ScenarioResult> RunOneAsync(IScenario scenario, TargetSpec spec, CancellationToken token)
{
    var result = new ScenarioResult(scenario.Name, spec.Name);
    ServerProcess? server = null;
    try
    {
        server = await ServerProcess.StartAsync(spec, token);
        var current = server;
        await using var rss = new RssSampler(server.Pid, guardKb, () =>
        {
            result.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"RSS guard ({guardKb / 1024} MiB) tripped: server killed"));
            current.KillNow();
        });
        try
        {
            await scenario.RunAsync(new ScenarioContext(server, spec.KeepAlive, rss, settings, result, token));
        }
        finally
        {
            result.PeakRssMiB = rss.PeakKb / 1024.0;
            if (server.HasExited)
            {
                result.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"the server process exited during the scenario (exit code {server.ExitCode})"));
            }

            // What the server said on stderr (CPython's tracebacks), last lines only.
            result.Notes.AddRange(server.StderrTail.TakeLast(4).Select(l => "server stderr: " + XmlRpcText.Shorten(l, 200)));
        }
    }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        result.Error = e.GetType().Name + ": " + e.Message;
    }
    finally
    {
        server?.Dispose();
    }

    return result;
}

static string? FindRepo()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Conformance.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return null;
}

static long MemAvailableKb()
{
    foreach (var line in File.ReadLines("/proc/meminfo"))
    {
        if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
        {
            return long.Parse(line["MemAvailable:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    return 4L * 1024 * 1024;
}

static async Task<bool> BuildServerAsync(string repo, CancellationToken token)
{
    var project = Path.Combine(repo, "suite", "Conformance.Server", "Conformance.Server.csproj");
    Console.WriteLine("Conformance.Load: dotnet build -c Release " + project);
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "build", "-c", "Release", project, "--nologo", "-v", "q" })
    {
        info.ArgumentList.Add(a);
    }

    using var build = Process.Start(info)!;
    var stdout = build.StandardOutput.ReadToEndAsync(token);
    var stderr = build.StandardError.ReadToEndAsync(token);
    using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
    bounded.CancelAfter(TimeSpan.FromMinutes(5));
    try
    {
        await build.WaitForExitAsync(bounded.Token);
    }
    catch (OperationCanceledException)
    {
        build.Kill(entireProcessTree: true);
        Console.Error.WriteLine("Conformance.Load: building the server took over 5 minutes; stopped");
        return false;
    }

    if (build.ExitCode != 0)
    {
        Console.Error.WriteLine("Conformance.Load: building the server failed:\n" + await stdout + await stderr);
        return false;
    }

    return true;
}
