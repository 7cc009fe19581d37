using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Conformance.Cli.Results;
using Xunit;

namespace Conformance.Tests.Report;

/// <summary>
/// <c>--server URL</c> against the Python server peer and against a stock SimpleXMLRPCServer that
/// only has validator1; <c>--client-command</c> with the Python client peer.
/// </summary>
public sealed class ForeignTargetTests
{
    [Fact]
    public async Task ServerOptionRunsOurClientAgainstThePythonServerPeer()
    {
        var python = CliRunner.Python3();
        CliRunner.RequirePeers();
        CliRunner.RequireImplementation();
        await using var server = await PythonServer.StartAsync(python, Path.Combine(CliRunner.PeersDirectory, "server.py"), "--port", "0");

        var run = await CliRunner.RunAsync("--server", server.Url, "--case", "value.int.*", "--case", "validator1.*", "--case", "multicall.*");

        var results = run.Results;
        var cell = Assert.Single(results.Cells);
        Assert.Equal("live.cs-to-py", cell.Kind); // identified as CPython by its Server header
        var target = Assert.Single(results.Metadata.Targets, t => t.Id == cell.Target);
        Assert.Equal(server.Url, target.Url);
        Assert.Equal("CPython", target.Implementation);
        Assert.DoesNotContain(results.Results, r => r.Outcome is Outcome.Fail or Outcome.Missing);
        Assert.Contains(results.Results, r => r.Case.StartsWith("validator1.", StringComparison.Ordinal));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task ServerOptionReportsWhatAStockServerLacksAsMissing()
    {
        var python = CliRunner.Python3();
        CliRunner.RequireImplementation();
        await using var server = await PythonServer.StartAsync(python, "-c", ValidatorOnlyServer, CliRunner.PeersDirectory, Path.Combine(ReportPaths.RepoRoot, "fixtures"));

        // Cases that reach the server (no client-side refusal) and call what it lacks: echo, system.multicall.
        var run = await CliRunner.RunAsync("--server", server.Url, "--case", "validator1.*", "--case", "value.int.m*", "--case", "value.boolean.*", "--case", "value.double.*", "--case", "multicall.*");

        var results = run.Results.Results;
        var validator = results.Where(r => r.Case.StartsWith("validator1.", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, validator.Count);
        Assert.All(validator, r => Assert.True(r.Outcome == Outcome.Pass, $"{r.Case}: {r.Outcome} {r.Detail}"));
        var others = results.Where(r => !r.Case.StartsWith("validator1.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(others);
        Assert.All(others, r => Assert.True(r.Outcome == Outcome.Missing, $"{r.Case}: {r.Outcome} {r.Detail}"));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task ClientCommandRunsThePythonClientPeerAgainstOurServer()
    {
        var python = CliRunner.Python3();
        CliRunner.RequirePeers();
        CliRunner.RequireImplementation();
        var command = $"'{python}' '{Path.Combine(CliRunner.PeersDirectory, "client.py")}' --url {{url}}";

        var run = await CliRunner.RunAsync("--client-command", command, "--case", "value.int.*", "--case", "validator1.*");

        var results = run.Results;
        var cell = Assert.Single(results.Cells);
        Assert.Equal("live.py-to-cs", cell.Kind); // the client's start event says CPython
        var target = Assert.Single(results.Metadata.Targets, t => t.Id == cell.Target);
        Assert.Equal(command, target.Command);
        Assert.False(string.IsNullOrEmpty(target.Version));
        Assert.Equal(18, results.Results.Count);
        Assert.All(results.Results, r => Assert.True(r.Outcome == Outcome.Pass, $"{r.Case}: {r.Outcome} {r.Detail}"));
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task AServerThatDiesIsSentNoMoreCasesAndFailsTheRun()
    {
        var python = CliRunner.Python3();
        CliRunner.RequireImplementation();
        // The conformance service, which exits (closing its socket) after answering 5 requests: the probe's listMethods
        // and 4 cases, then every connection is refused.
        await using var server = await PythonServer.StartAsync(python, "-c", DyingServer, CliRunner.PeersDirectory, Path.Combine(ReportPaths.RepoRoot, "fixtures"));

        var run = await CliRunner.RunAsync("--server", server.Url, "--case", "value.int.*");

        Assert.Equal(1, run.ExitCode);
        var results = run.Results;
        var target = Assert.Single(results.Metadata.Targets, t => t.Error is not null);
        Assert.Contains("stopped accepting connections", target.Error, StringComparison.Ordinal);
        var outcomes = results.Results.Select(r => r.Outcome).ToList();
        Assert.Equal(1, outcomes.Count(o => o == Outcome.Fail)); // the case during which it died
        Assert.Contains(Outcome.NotRun, outcomes);
        Assert.All(results.Results.Where(r => r.Outcome == Outcome.NotRun), r => Assert.StartsWith("not run: the target stopped accepting connections during ", r.Detail, StringComparison.Ordinal));
        Assert.Contains("target(s) could not run", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignPeersRunInBothDirectionsAndEveryFailureIsAKnownIssue()
    {
        CliRunner.RequireImplementation();
        var folder = Path.Combine(ReportPaths.RepoRoot, "suite", "foreign-peers");
        if (!File.Exists(Path.Combine(folder, "xmlrpc-c", "bin", "client")) || !File.Exists(Path.Combine(folder, "node", "node_modules", "xmlrpc", "package.json")))
        {
            // CI builds them (.ci/run); there a missing build is a failure, on a developer's machine a skip that says what to run.
            Assert.False(ReportRunIsCi(), "the foreign peers are not built: .ci/run must run bash suite/foreign-peers/install.sh");
            Assert.Skip("the foreign peers are not built: bash suite/foreign-peers/install.sh");
        }

        var run = await CliRunner.RunAsync("--foreign", "all");

        var results = run.Results;
        Assert.Equal(["live.cs-to-node", "live.cs-to-xmlrpc-c", "live.node-to-cs", "live.xmlrpc-c-to-cs"],
            results.Cells.Select(c => c.Kind).Where(k => k.Contains("node", StringComparison.Ordinal) || k.Contains("xmlrpc-c", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(results.Metadata.Targets, t => Assert.True(t.Error is null, $"{t.Id}: {t.Error}"));
        Assert.All(results.Results, r => Assert.True(r.Outcome != Outcome.Fail && !r.Stale, $"{r.Case} [{r.Cell}]: {r.Outcome}{(r.Stale ? " (stale known issue)" : "")} {r.Detail}"));
        Assert.Contains(results.Results, r => r.Outcome == Outcome.NonStrict);
        Assert.Contains(results.Results, r => r.Outcome == Outcome.Missing && r.Cell.StartsWith("live.cs-to-node", StringComparison.Ordinal));
        Assert.Equal(0, run.ExitCode);
    }

    private static bool ReportRunIsCi() =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The conformance service on a stock server that answers 5 requests (with echo's describe) and exits.</summary>
    private const string DyingServer = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import conformance
        from xmlrpc.server import SimpleXMLRPCServer
        server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True)
        conformance.register_service(server, sys.argv[2])
        print(json.dumps({"event": "ready", "port": server.server_address[1]}), flush=True)
        for _ in range(9):
            server.handle_request()
        server.server_close()
        """;

    /// <summary>A stock SimpleXMLRPCServer with the validator1 methods only: no echo, no introspection, no multicall.</summary>
    private const string ValidatorOnlyServer = """
        import json, sys
        sys.path.insert(0, sys.argv[1])
        import conformance
        from xmlrpc.server import SimpleXMLRPCServer
        server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True)
        for name, fn in conformance.service_functions(sys.argv[2]).items():
            if name.startswith("validator1."):
                server.register_function(fn, name)
        print(json.dumps({"event": "ready", "port": server.server_address[1]}), flush=True)
        server.serve_forever()
        """;

    /// <summary>A Python server process that prints a JSON ready line with its port; killed on dispose.</summary>
    private sealed class PythonServer : IAsyncDisposable
    {
        private readonly Process _process;

        private PythonServer(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public static async Task<PythonServer> StartAsync(string python, params string[] args)
        {
            var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
            psi.ArgumentList.Add("-u");
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            var process = Process.Start(psi)!;
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                if (!line.StartsWith('{'))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("port", out var port))
                {
                    var url = doc.RootElement.TryGetProperty("url", out var u) ? u.GetString()! : $"http://127.0.0.1:{port.GetInt32()}/RPC2";
                    return new PythonServer(process, url);
                }
            }

            var err = await process.StandardError.ReadToEndAsync(cts.Token);
            process.Kill(true);
            throw new InvalidOperationException("server printed no ready line: " + err);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            _process.Dispose();
        }
    }
}
