using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Conformance.Peers;
using Conformance.Server;
using XmlRpc;
using XmlRpc.Client;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

[assembly: AssemblyFixture(typeof(Conformance.Tests.Peers.PeerFixture))]

namespace Conformance.Tests.Peers;

/// <summary>
/// The peers of the whole test run, shared by every interop test: one <c>server.py</c> per runtime, started
/// in parallel on first use; the C# conformance service, hosted in-process once; and one <c>client.py</c> run
/// per runtime against that service, whose result lines the python-client rows look up.
/// </summary>
/// <remarks>
/// Nothing starts until a test asks, so a run filtered to other tests costs nothing. Logs (peer starts with
/// container ids, timings per direction) go to the diagnostic message sink; enable
/// <c>"diagnosticMessages": true</c> in xunit.runner.json to see them in <c>dotnet test</c>'s output.
/// </remarks>
public sealed class PeerFixture : IAsyncLifetime
{
    private readonly IMessageSink _sink;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Lazy<Dictionary<string, Task<IServerPeer>>> _servers;
    private readonly Lazy<Task<ConformanceHost>> _csharp;
    private readonly ConcurrentDictionary<string, Lazy<Task<PythonClientRun>>> _clientRuns = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _clientSlots = new(Math.Max(2, System.Environment.ProcessorCount + 1));
    private readonly CancellationTokenSource _stopping = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lazy<PeerSettings> _settings;
    private readonly ConcurrentDictionary<(Uri, string?), XmlRpcClient> _clients = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<PeerLine>>>> _scriptRuns = new(StringComparer.Ordinal);

    /// <summary>Created once per test assembly by xunit.</summary>
    public PeerFixture(IMessageSink sink)
    {
        _sink = sink;
        _settings = new(() => PeerSettings.ForRepository(Log));
        _servers = new(StartServers, LazyThreadSafetyMode.ExecutionAndPublication);
        _csharp = new(StartCSharpServerAsync, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Containers or processes, and the runtimes (decided once per process).</summary>
    public PeerEnvironment Environment => PeerEnvironment.Current;

    /// <summary>Folders, run label and limits shared by all peers.</summary>
    /// <exception cref="DirectoryNotFoundException">The repository's folders are not found (thrown to the tests that need peers, not to every test of the assembly).</exception>
    public PeerSettings Settings => _settings.Value;

    /// <summary>Time spent per interop direction.</summary>
    public DirectionTimings Timings { get; } = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyCollection<string> LogLines => _log;

    /// <summary>Records one line in the run's log (and the diagnostic sink).</summary>
    public void Log(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[peers {_clock.Elapsed.TotalSeconds,6:0.00}s] {message}");
        _log.Enqueue(line);
        _sink.OnMessage(new DiagnosticMessage(line));
    }

    /// <inheritdoc/>
    public ValueTask InitializeAsync()
    {
        // Discovery already ran for the theory rows; this only logs its outcome.
        try
        {
            Log(Environment.Describe());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log("peer discovery failed: " + e);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The runtime with this key (a theory row's peer).</summary>
    public PeerRuntime Runtime(string key) =>
        Environment.Runtimes.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no peer runtime '{key}' in this run: {Environment.Describe()}");

    /// <summary>
    /// The running <c>server.py</c> of a runtime; the first call starts all of them in parallel (one that
    /// cannot start fails only its own rows).
    /// </summary>
    public Task<IServerPeer> ServerAsync(string key, CancellationToken cancellationToken) =>
        _servers.Value.TryGetValue(key, out var server)
            ? server.WaitAsync(cancellationToken)
            : throw new InvalidOperationException($"no server peer '{key}' in this run: {Environment.Describe()}");

    /// <summary>The in-process C# conformance service; started on first use.</summary>
    public Task<ConformanceHost> CSharpServerAsync(CancellationToken cancellationToken) => _csharp.Value.WaitAsync(cancellationToken);

    /// <summary>
    /// <c>client.py</c> of a runtime, run once with all live cases against the C# service; the first call for
    /// any runtime starts the runs of all runtimes.
    /// </summary>
    public Task<PythonClientRun> PythonClientRunAsync(string key, CancellationToken cancellationToken)
    {
        foreach (var runtime in Environment.Runtimes)
        {
            _clientRuns.GetOrAdd(runtime.Key, _ => new Lazy<Task<PythonClientRun>>(() => RunPythonClientAsync(runtime), LazyThreadSafetyMode.ExecutionAndPublication));
        }

        var run = _clientRuns.TryGetValue(key, out var lazy) ? lazy : throw new InvalidOperationException($"no client peer '{key}'");
        foreach (var other in _clientRuns.Values)
        {
            _ = other.Value;
        }

        return run.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The C# client for <paramref name="url"/> (one per URL and request encoding, shared by all rows: the
    /// client is thread-safe and keeps its connections).
    /// </summary>
    public XmlRpcClient Client(Uri url, string? encoding = null) =>
        _clients.GetOrAdd((url, encoding), key => new XmlRpcClient(new XmlRpcClientOptions
        {
            Url = key.Item1.AbsoluteUri,
            Timeout = TimeSpan.FromSeconds(30),
            FormatterOptions = XmlRpcFormatterOptions.Default with { EncodingName = key.Item2 },
        }));

    /// <summary>
    /// Runs a Python script of the test project (e.g. <c>Interop/python/tutorial.py</c>) once per runtime
    /// with <c>URL</c> of the C# service as its only argument, and keeps its lines.
    /// </summary>
    public Task<IReadOnlyList<PeerLine>> ScriptRunAsync(string runtimeKey, string scriptPath, CancellationToken cancellationToken)
    {
        var lazy = _scriptRuns.GetOrAdd(runtimeKey + "|" + scriptPath, _ => new Lazy<Task<IReadOnlyList<PeerLine>>>(async () =>
        {
            var server = await CSharpServerAsync(_stopping.Token).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            var lines = new List<PeerLine>();
            await foreach (var line in Runtime(runtimeKey).RunScriptAsync(scriptPath, [server.Url.AbsoluteUri], Settings, _stopping.Token).ConfigureAwait(false))
            {
                lines.Add(line);
            }

            Timings.Add(InteropDirection.PythonClientToCSharpServer, clock.Elapsed, Path.GetFileName(scriptPath) + " runs");
            return lines;
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var line in Timings.Describe())
        {
            Log(line);
        }

        var clock = Stopwatch.StartNew();
        if (_servers.IsValueCreated)
        {
            foreach (var (key, start) in _servers.Value)
            {
                try
                {
                    await (await start.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Reported by the rows that needed the server; cleanup of the assembly must not fail.
                    Log($"server peer {key}: {e.Message}");
                }
            }
        }

        foreach (var run in _clientRuns.Values.Where(r => r.IsValueCreated))
        {
            try
            {
                await run.Value.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Reported by the rows that needed the run.
                Log("peer run: " + e.Message);
            }
        }

        foreach (var run in _scriptRuns.Values.Where(r => r.IsValueCreated))
        {
            try
            {
                await run.Value.ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Reported by the rows that needed the run.
                Log("peer run: " + e.Message);
            }
        }

        if (_csharp.IsValueCreated)
        {
            try
            {
                await (await _csharp.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log("C# server: " + e.Message);
            }
        }

        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Log(string.Create(CultureInfo.InvariantCulture, $"peers stopped in {clock.ElapsedMilliseconds} ms"));
        _clientSlots.Dispose();
        _stopping.Dispose();
    }

    private Dictionary<string, Task<IServerPeer>> StartServers()
    {
        if (Environment.Error is { } error)
        {
            var failed = Task.FromException<IServerPeer>(new PeerException(error));
            return Environment.Runtimes.ToDictionary(r => r.Key, _ => failed, StringComparer.Ordinal);
        }

        var clock = Stopwatch.StartNew();
        var starts = Environment.Runtimes.ToDictionary(r => r.Key, r => Task.Run(() => r.StartServerAsync(Settings, _stopping.Token)), StringComparer.Ordinal);
        _ = Task.WhenAll(starts.Values).ContinueWith(
            all => Log(string.Create(CultureInfo.InvariantCulture,
                $"{starts.Count} {Environment.Hosting} server peer(s) started in parallel in {clock.ElapsedMilliseconds} ms{(all.IsFaulted ? $" ({all.Exception!.InnerExceptions.Count} failed)" : "")}")),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return starts;
    }

    private async Task<ConformanceHost> StartCSharpServerAsync()
    {
        var clock = Stopwatch.StartNew();
        var host = await ConformanceHost.StartAsync(0, Settings.FixturesDirectory, _stopping.Token).ConfigureAwait(false);
        Log(string.Create(CultureInfo.InvariantCulture, $"C# conformance server in-process at {host.Url} in {clock.ElapsedMilliseconds} ms"));
        return host;
    }

    private async Task<PythonClientRun> RunPythonClientAsync(PeerRuntime runtime)
    {
        var server = await CSharpServerAsync(_stopping.Token).ConfigureAwait(false);
        await _clientSlots.WaitAsync(_stopping.Token).ConfigureAwait(false);
        try
        {
            var clock = Stopwatch.StartNew();
            var client = runtime.CreateClient(Settings);
            var run = await PythonClientRun.CollectAsync(client, server.Url, _stopping.Token).ConfigureAwait(false);
            Log(string.Create(CultureInfo.InvariantCulture, $"client.py {client.DisplayName} → C#: {run.Cases.Count} case line(s) in {clock.ElapsedMilliseconds} ms"));
            Timings.Add(InteropDirection.PythonClientToCSharpServer, clock.Elapsed, "client.py runs");
            return run;
        }
        finally
        {
            _clientSlots.Release();
        }
    }
}
