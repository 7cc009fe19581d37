using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Conformance.Peers;
using Conformance.Peers.Containers;
using Conformance.Peers.Processes;
using Xunit;

namespace Conformance.Tests.Peers;

/// <summary>The peer module itself: discovery, readiness, the ready line, streaming, cleanup.</summary>
public sealed class PeerModuleTests(PeerFixture peers, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string EchoCall = "<?xml version='1.0'?>\n<methodCall>\n<methodName>echo</methodName>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodCall>\n";

    [Fact]
    public void EnvironmentFindsPeers()
    {
        var env = peers.Environment;
        output.WriteLine(env.Describe());
        Assert.Null(env.Error);
        Assert.NotEmpty(env.Runtimes);
        Assert.Equal(env.Runtimes.Count, env.Runtimes.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(env.Runtimes, r => Assert.Equal(env.Hosting, r.Hosting));
        if (env.Hosting == PeerHosting.Docker)
        {
            Assert.Equal("true", Environment.GetEnvironmentVariable("TESTCONTAINERS_RYUK_DISABLED"));
            Assert.False(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")));
        }
    }

    [Theory, PeerRuntimes]
    public async Task ServerPeerAnswersOnLoopbackWithItsReadyLineIdentity(string runtime)
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await peers.ServerAsync(runtime, ct).WaitAsync(Timeout, ct);
        output.WriteLine($"{server.DisplayName} {server.Source} {server.Url} build={server.Identity.Build}");
        Assert.Equal("127.0.0.1", server.Url.Host);
        Assert.Equal("/RPC2", server.Url.AbsolutePath);
        AssertSameVersion(peers.Runtime(runtime).Identity, server.Identity);

        using var http = new HttpClient { Timeout = Timeout };
        using var response = await http.PostAsync(server.Url, new StringContent(EchoCall, Encoding.UTF8, "text/xml"), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<value><int>1</int></value>", body, StringComparison.Ordinal);
    }

    [Theory, PeerRuntimes]
    public async Task ClientPeerStreamsOneLinePerSelectedCase(string runtime)
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await peers.ServerAsync(runtime, ct).WaitAsync(Timeout, ct);
        var client = peers.Runtime(runtime).CreateClient(peers.Settings);
        var lines = new List<PeerLine>();
        await foreach (var line in client.RunAsync(server.Url, ["seed.*"], ct).WithCancellation(ct))
        {
            lines.Add(line);
        }

        foreach (var line in lines)
        {
            output.WriteLine(line.Text);
        }

        Assert.Equal("start", lines[0].Event);
        Assert.Equal("summary", lines[^1].Event);
        var cases = lines.Where(l => l.Case is not null).Select(l => l.Case!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["seed.multicall-arithmetic", "seed.python-logo", "seed.today"], cases);
        AssertSameVersion(peers.Runtime(runtime).Identity, client.Identity);
    }

    [Fact]
    public async Task ProcessPeerIsKilledByPidOnDispose()
    {
        var ct = TestContext.Current.CancellationToken;
        var process = new PythonProcessBuilder()
            .WithInterpreter("python3")
            .WithSources(peers.Settings.PeersDirectory, peers.Settings.FixturesDirectory)
            .Build();
        int pid;
        await using (process)
        {
            await process.StartAsync(ct).WaitAsync(Timeout, ct);
            pid = process.Pid!.Value;
            Assert.False(process.HasExited);
            Assert.Equal("ready", process.ReadyLine!.Event);
        }

        Assert.True(HasExited(pid), $"pid {pid} still runs after dispose");
    }

    [Fact]
    public async Task ContainerPeerCarriesTheRunLabelUsesHostNetworkingAndIsRemovedOnDispose()
    {
        if (peers.Environment.Hosting != PeerHosting.Docker)
        {
            Assert.Skip($"peers run as {peers.Environment.Hosting} ({peers.Environment.Reason})");
        }

        var ct = TestContext.Current.CancellationToken;
        var runId = "peer-module-test-" + Guid.NewGuid().ToString("N")[..8];
        var image = peers.Environment.Runtimes[0].Source;
        var container = new PythonPeerBuilder(image)
            .WithSources(peers.Settings.PeersDirectory, peers.Settings.FixturesDirectory)
            .WithRunId(runId)
            .Build();
        string id;
        await using (container)
        {
            await container.StartAsync(ct).WaitAsync(Timeout, ct);
            await container.ReadReadyLineAsync(ct);
            id = container.Id;
            output.WriteLine($"container {id[..12]} from {image}: {container.Url}");
            var inspect = await DockerGetAsync($"/containers/{id}/json", ct);
            Assert.Equal("host", inspect.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
            Assert.True(inspect.GetProperty("HostConfig").GetProperty("AutoRemove").GetBoolean());
            var labels = inspect.GetProperty("Config").GetProperty("Labels");
            Assert.Equal(runId, labels.GetProperty(PythonPeerBuilder.RunLabel).GetString());
            Assert.Equal("server", labels.GetProperty(PythonPeerBuilder.RoleLabel).GetString());
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var left = await DockerGetAsync($"/containers/json?all=1&filters={Uri.EscapeDataString($"{{\"label\":[\"{PythonPeerBuilder.RunLabel}={runId}\"]}}")}", ct);
            if (left.GetArrayLength() == 0)
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail($"container {id[..12]} still exists 10 s after dispose");
    }

    // A process runtime knows its exact version; an image may only declare "3.11" in its tag (or a name).
    private static void AssertSameVersion(PeerIdentity declared, PeerIdentity running)
    {
        if (declared.Version.Length > 0 && char.IsAsciiDigit(declared.Version[0]))
        {
            Assert.StartsWith(declared.Version, running.Version, StringComparison.Ordinal);
        }
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited || p.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static async Task<JsonElement> DockerGetAsync(string path, CancellationToken ct) =>
        await DockerEnvironment.GetJsonAsync(path, Timeout).WaitAsync(ct) ?? throw new InvalidOperationException("Docker engine: no answer to GET " + path);
}
