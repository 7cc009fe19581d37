using System.Diagnostics;
using System.Text;
using Conformance.Cli;
using Conformance.Cli.Results;
using Conformance.Cli.Running;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>Runs the report CLI in-process into a fresh folder and reads back what it wrote.</summary>
internal static class CliRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    public static string PeersDirectory => Path.Combine(ReportPaths.RepoRoot, "python-peers");

    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var outDir = Path.Combine(Path.GetTempPath(), "conformance-report-" + Guid.NewGuid().ToString("N"));
        var output = new StringWriter();
        using var cts = new CancellationTokenSource(Timeout);
        var all = args.Concat(["--out", outDir, "--plain", "--fixtures", Path.Combine(ReportPaths.RepoRoot, "fixtures")]).ToArray();
        var clock = Stopwatch.StartNew();
        var exit = await ConformanceCli.RunAsync(all, output, output, cts.Token).WaitAsync(Timeout + TimeSpan.FromSeconds(10));
        return new CliRun(exit, output.ToString(), outDir, clock.Elapsed);
    }

    /// <summary>python3 on PATH, or a skip.</summary>
    public static string Python3()
    {
        var python = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "python3")).FirstOrDefault(File.Exists);
        if (python is null)
        {
            Assert.Skip("python3 is not on PATH");
        }

        return python;
    }

    /// <summary>The Python peers of python-peers/README.md must be present: they are part of this repository.</summary>
    public static void RequirePeers()
    {
        foreach (var name in new[] { "server.py", "client.py" })
        {
            Assert.True(File.Exists(Path.Combine(PeersDirectory, name)), $"python-peers/{name} is missing");
        }
    }

    /// <summary>Our implementation must be wired into the CLI (Running/ImplementationFactory.cs).</summary>
    public static void RequireImplementation()
    {
        var impl = ImplementationFactory.Create(CatalogSnapshot.Load(Path.Combine(ReportPaths.RepoRoot, "fixtures")));
        Assert.True(impl.Wire is not null && impl.Client is not null && impl.Server is not null,
            "Conformance.Cli/Running/ImplementationFactory.cs does not connect every part of our implementation (wire checks, client runner, server host)");
    }
}

internal sealed record CliRun(int ExitCode, string Output, string OutDirectory, TimeSpan Elapsed)
{
    public string PathOf(string name) => System.IO.Path.Combine(OutDirectory, name);

    public ResultsDocument Results => ResultsDocument.Read(PathOf("results.json"));

    public string Read(string name) => File.ReadAllText(PathOf(name), Encoding.UTF8);

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n{Output}";
}
