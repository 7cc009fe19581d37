using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Conformance.Cli.Results;
using Conformance.Cli.Terminal;
using Conformance.Peers;

namespace Conformance.Cli.Running;

/// <summary>
/// Runs the selected cases in every cell: wire checks, our client against our server, and each peer
/// in both directions. Peers start in parallel; every client program runs once with all its cases.
/// </summary>
public sealed class MatrixRunner
{
    private readonly CliOptions _options;
    private readonly CatalogSnapshot _catalog;
    private readonly IReadOnlyList<CatalogCase> _cases;
    private readonly Judge _judge;
    private readonly Implementation _impl;
    private readonly IProgressSink _progress;
    private readonly string _peersDirectory;
    private readonly ConcurrentBag<CellResult> _results = [];
    private readonly ConcurrentDictionary<string, (CellInfo Cell, int Order)> _cells = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (TargetInfo Target, int Order)> _targets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _notes = new();

    /// <summary>Creates the runner.</summary>
    public MatrixRunner(CliOptions options, CatalogSnapshot catalog, IReadOnlyList<CatalogCase> cases, Implementation implementation, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _options = options;
        _catalog = catalog;
        _cases = cases;
        _impl = implementation;
        _progress = progress;
        _judge = new Judge(catalog.Catalog);
        _peersDirectory = options.PythonPeers is { } dir ? Path.GetFullPath(dir) : FixturesLocator.PythonPeers(catalog.FixturesDirectory);
    }

    /// <summary>The identity of our library, for the report's targets.</summary>
    public static TargetInfo OurTarget { get; } = new()
    {
        Id = "csharp",
        Label = "XmlRpc (C#) " + LibraryVersion.Informational,
        Kind = "in-process",
        Implementation = "XmlRpc (C#)",
        Version = LibraryVersion.Informational,
        Build = LibraryVersion.Runtime,
    };

    /// <summary>Runs everything; returns the cells, targets, results and notes (unsorted).</summary>
    public async Task<MatrixOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var foreignOnly = _options.ForeignOnly;
        var live = _cases.Where(c => c.IsLive).ToList();
        var work = new List<Task>();

        if (!foreignOnly)
        {
            work.Add(Task.Run(RunWire, cancellationToken));
        }

        var needServer = !_options.NoLive && (!foreignOnly || _options.ClientCommands.Count > 0 || _options.Foreign.Count > 0);
        IRunningServer? ours = null;
        var ourTarget = OurTarget;
        if (needServer && _impl.Server is null)
        {
            _notes.Enqueue("our C# server is not available in this build: the py→cs, cs→cs and client-command cells were skipped");
        }
        else if (needServer)
        {
            var step = _progress.Begin("our C# server", 0);
            try
            {
                ours = await _impl.Server!.StartAsync(cancellationToken).ConfigureAwait(false);
                step.Done(ours.Url.ToString());
            }
            catch (InvalidOperationException e)
            {
                // A server process (--server-exe) that did not start: our target could not run, which fails the run.
                _notes.Enqueue("our C# server did not start: " + e.Message);
                ourTarget = ourTarget with { Error = e.Message };
                step.Fail(e.Message);
            }

            if (ours?.Executable is { } executable)
            {
                ourTarget = ourTarget with { Label = $"{OurTarget.Label}, server process {Path.GetFileName(executable)}", Kind = "process", Executable = executable };
            }
        }

        try
        {
            if (!_options.NoLive)
            {
                if (_impl.Client is null)
                {
                    _notes.Enqueue("our C# client is not available in this build: the cs→* cells were skipped");
                }

                _targets[OurTarget.Id] = (ourTarget, 0);
                if (!foreignOnly && ours is not null && _impl.Client is not null)
                {
                    var cell = AddCell("live.cs-to-cs", OurTarget.Id, "cs→cs", "our C# client against our C# server (baseline)", 10);
                    work.Add(RunClientCellAsync("cs→cs", cell, live, ours.Url, new JudgeContext { OurServer = true }, null, cancellationToken));
                }

                if (!foreignOnly)
                {
                    work.Add(RunPythonPeersAsync(live, ours, cancellationToken));
                }

                for (var i = 0; i < _options.Servers.Count; i++)
                {
                    work.Add(RunForeignServerAsync(i, live, cancellationToken));
                }

                for (var i = 0; i < _options.Foreign.Count; i++)
                {
                    work.Add(RunForeignPeerAsync(i, ForeignPeer.Named(_options.Foreign[i])!, live, ours, cancellationToken));
                }

                for (var i = 0; i < _options.ClientCommands.Count; i++)
                {
                    if (ours is not null)
                    {
                        work.Add(RunClientCommandAsync(i, live, ours.Url, cancellationToken));
                    }
                }
            }

            await Task.WhenAll(work).ConfigureAwait(false);
        }
        finally
        {
            if (ours is not null)
            {
                await ours.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new MatrixOutcome(
            [.. _cells.Values.OrderBy(c => c.Order).ThenBy(c => c.Cell.Id, StringComparer.Ordinal).Select(c => c.Cell)],
            [.. _targets.Values.OrderBy(t => t.Order).ThenBy(t => t.Target.Id, StringComparer.Ordinal).Select(t => t.Target)],
            [.. _results],
            [.. _notes]);
    }

    private void RunWire()
    {
        if (_impl.Wire is null)
        {
            _notes.Enqueue("the wire checks are not available in this build: wire.writer and wire.parser were skipped");
            return;
        }

        var writer = AddCell("wire.writer", null, "writer", "our writer's bytes vs the golden bytes CPython 3.11 wrote (unified diff on mismatch)", 0);
        var parser = AddCell("wire.parser", null, "parser", "our parser's decoded values vs CPython's recorded decode", 1);
        var step = _progress.Begin("wire: writer and parser vs the golden tree", _cases.Count);
        foreach (var c in _cases)
        {
            Record(c, writer, null, Timed(() => _impl.Wire.CheckWriter(c)));
            Record(c, parser, null, Timed(() => _impl.Wire.CheckParser(c)));
            step.Advance();
        }

        step.Done(Summary(writer.Id, parser.Id));
    }

    private async Task RunPythonPeersAsync(List<CatalogCase> live, IRunningServer? ours, CancellationToken cancellationToken)
    {
        var step = _progress.Begin($"peers: {_options.Peers}", 0);
        var environment = await PeerEnvironment.DiscoverAsync(_options.PeerDiscovery, cancellationToken).ConfigureAwait(false);
        foreach (var note in environment.Notes)
        {
            _notes.Enqueue("peers: " + note);
        }

        // A peer that was asked for (--python, --image) or none at all is a target that could not run: it shows in every
        // rendering and fails the run, never only a note.
        var asked = _options.Images.Count > 0 ? _options.Images : _options.Pythons;
        if (environment.Error is { } error)
        {
            _notes.Enqueue("no Python peer ran: " + error);
            foreach (var (name, i) in (asked.Count > 0 ? asked : ["python peers"]).Select((n, i) => (n, i)))
            {
                AddUnrunnablePeer(name, i, environment.Notes.FirstOrDefault(n => n.Contains(name, StringComparison.Ordinal)) ?? error);
            }

            step.Fail(error);
            return;
        }

        foreach (var (name, i) in asked.Select((n, i) => (n, i)))
        {
            if (environment.Notes.FirstOrDefault(n => n.Contains(name, StringComparison.Ordinal)) is { } why)
            {
                AddUnrunnablePeer(name, environment.Runtimes.Count + i, why);
            }
        }

        step.Done(environment.Reason);
        var settings = new PeerSettings
        {
            PeersDirectory = _peersDirectory,
            FixturesDirectory = _catalog.FixturesDirectory,
            ReadyTimeout = TimeSpan.FromSeconds(30),
            ClientTimeout = Timeout,
            MaxLifetime = Timeout + TimeSpan.FromMinutes(1),
        };

        // Python peers are mostly waiting on sockets; a few at a time keeps two cores busy without thrashing.
        using var gate = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount * 2));
        await Task.WhenAll(environment.Runtimes.Select((r, i) => RunPythonPeerAsync(r, i, settings, live, ours, gate, cancellationToken))).ConfigureAwait(false);
    }

    private async Task RunPythonPeerAsync(PeerRuntime runtime, int index, PeerSettings settings, List<CatalogCase> live, IRunningServer? ours, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var docker = runtime.Hosting == PeerHosting.Docker;
            var step = _progress.Begin($"Python {runtime.Key}", 0);
            IServerPeer peer;
            try
            {
                peer = await runtime.StartServerAsync(settings, cancellationToken).ConfigureAwait(false);
            }
            catch (PeerException e)
            {
                var failed = PeerTarget("python-" + (index + 1).ToString(CultureInfo.InvariantCulture), runtime, runtime.Identity) with { Label = runtime.Key, Error = e.Message };
                _targets[failed.Id] = (failed, 100 + index);
                _notes.Enqueue($"peer {runtime.Source} ({runtime.Key}) did not start: {e.Message}");
                step.Fail("did not start: " + e.Message);
                return;
            }

            await using (peer.ConfigureAwait(false))
            {
                var version = peer.Identity.Version;
                var id = UniqueTargetId("cpython-" + version + (docker ? "-docker" : ""));
                var target = PeerTarget(id, runtime, peer.Identity);
                _targets[id] = (target, 100 + index);
                var order = 100 + (index * 2);
                var suffix = docker ? " docker" : "";
                var tasks = new List<Task>();
                var total = 0;
                if (_impl.Client is not null)
                {
                    var cell = AddCell("live.cs-to-py", id, $"cs→py {version}{suffix}", $"our C# client against {target.Label}'s server.py", order);
                    tasks.Add(RunClientCellAsync(null, cell, live, peer.Url, new JudgeContext(), version, cancellationToken, step));
                    total += live.Count;
                }

                if (ours is not null)
                {
                    var cell = AddCell("live.py-to-cs", id, $"py→cs {version}{suffix}", $"{target.Label}'s client.py against our C# server", order + 1);
                    tasks.Add(RunContractClientAsync(cell, live, version,
                        async (onCase, ct) =>
                        {
                            await using var client = runtime.CreateClient(settings);
                            return await PeerClientRun.CollectAsync($"client.py on {runtime.Source}", t => client.RunAsync(ours.Url, ClientGlobs(live), t), Timeout, onCase, ct).ConfigureAwait(false);
                        },
                        step, cancellationToken));
                    total += live.Count;
                }

                step.SetTotal(total);
                await Task.WhenAll(tasks).ConfigureAwait(false);
                step.Done(SummaryOfTarget(id));
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private void AddUnrunnablePeer(string name, int index, string error)
    {
        var docker = _options.Images.Count > 0 || _options.Peers == "docker";
        var target = new TargetInfo
        {
            Id = UniqueTargetId("python-" + (index + 1).ToString(CultureInfo.InvariantCulture)),
            Label = name,
            Kind = docker ? "docker" : "process",
            Executable = docker ? null : name,
            Image = docker ? name : null,
            Error = error,
        };
        _targets[target.Id] = (target, 100 + index);
    }

    private static TargetInfo PeerTarget(string id, PeerRuntime runtime, PeerIdentity identity)
    {
        var image = runtime as ContainerRuntime;
        return new TargetInfo
        {
            Id = id,
            Label = $"{identity.Implementation} {identity.Version}{(image is null ? "" : " (docker)")}",
            Kind = image is null ? "process" : "docker",
            Implementation = identity.Implementation,
            Version = identity.Version,
            Build = identity.Build,
            Executable = image is null ? runtime.Source : null,
            Image = image?.Source,
            ImageId = image?.ImageId,
        };
    }

    private async Task RunForeignServerAsync(int index, List<CatalogCase> live, CancellationToken cancellationToken)
    {
        var url = new Uri(_options.Servers[index]);
        var id = "server-" + (index + 1).ToString(CultureInfo.InvariantCulture);
        var step = _progress.Begin("server " + url, live.Count);
        var probe = await ServerProbe.ProbeAsync(url, Timeout, cancellationToken).ConfigureAwait(false);
        var target = new TargetInfo
        {
            Id = id,
            Label = probe.PythonVersion is null ? url.ToString() : $"CPython {probe.PythonVersion} at {url}",
            Kind = "url",
            Url = url.ToString(),
            Implementation = probe.PythonVersion is null ? probe.ServerHeader : "CPython",
            Version = probe.PythonVersion,
            Build = probe.ServerHeader,
            Error = probe.Error,
        };
        _targets[id] = (target, 1000 + index);
        if (probe.Error is not null)
        {
            _notes.Enqueue($"server {url} did not answer: {probe.Error}");
            step.Fail("unreachable: " + probe.Error);
            return;
        }

        if (_impl.Client is null)
        {
            step.Done("our client is not available");
            return;
        }

        // A CPython server's known issues (it writes \r raw...) are CPython's, whatever else it serves.
        var kind = probe.PythonVersion is null ? "live.cs-to-server" : "live.cs-to-py";
        var cell = AddCell(kind, id, "cs→server " + (index + 1).ToString(CultureInfo.InvariantCulture), $"our C# client against {url}", 1000 + index);
        var context = new JudgeContext { ListedMethods = probe.Methods?.ToHashSet(StringComparer.Ordinal) };
        await RunClientCellAsync(null, cell, live, url, context, probe.PythonVersion, cancellationToken, step).ConfigureAwait(false);
        step.Done(SummaryOfTarget(id));
    }

    // A foreign peer (suite/foreign-peers): its server against our client, its client against our server; its own cells,
    // named after it, so known-issues.json can name its limitations.
    private async Task RunForeignPeerAsync(int index, ForeignPeer peer, List<CatalogCase> live, IRunningServer? ours, CancellationToken cancellationToken)
    {
        var order = 500 + (index * 2);
        var folder = ForeignPeer.Folder(_catalog.FixturesDirectory);
        var step = _progress.Begin("foreign peer " + peer.Name, live.Count * 2);
        ServerProcess server;
        try
        {
            server = await peer.StartAsync(folder, Timeout + TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            _targets[peer.Name] = (new TargetInfo { Id = peer.Name, Label = peer.Name, Kind = "foreign", Error = e.Message }, order);
            _notes.Enqueue($"foreign peer {peer.Name}: {e.Message}");
            step.Fail(e.Message);
            return;
        }

        using (server)
        {
            _targets[peer.Name] = (new TargetInfo
            {
                Id = peer.Name,
                Label = $"{server.Implementation} {server.Version}",
                Kind = "foreign",
                Implementation = server.Implementation,
                Version = server.Version,
                Build = server.Build,
                Url = server.Url.ToString(),
                Command = peer.ClientCommand(folder),
            }, order);
            var tasks = new List<Task>();
            if (_impl.Client is not null)
            {
                var probe = await ServerProbe.ProbeAsync(server.Url, Timeout, cancellationToken).ConfigureAwait(false);
                var cell = AddCell("live.cs-to-" + peer.Name, peer.Name, "cs→" + peer.Name, $"our C# client against {server.Implementation} {server.Version}'s server", order);
                var context = new JudgeContext { ListedMethods = probe.Methods?.ToHashSet(StringComparer.Ordinal) };
                tasks.Add(RunClientCellAsync(null, cell, live, server.Url, context, null, cancellationToken, step));
            }

            if (ours is not null)
            {
                var cell = AddCell($"live.{peer.Name}-to-cs", peer.Name, peer.Name + "→cs", $"{server.Implementation} {server.Version}'s client against our C# server", order + 1);
                tasks.Add(RunContractClientAsync(cell, live, null,
                    (onCase, ct) => PeerClientRun.RunCommandAsync(peer.ClientCommand(folder), ours.Url, ClientGlobs(live), Timeout, onCase, ct), step, cancellationToken));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            step.Done(SummaryOfTarget(peer.Name));
        }
    }

    private async Task RunClientCommandAsync(int index, List<CatalogCase> live, Uri ours, CancellationToken cancellationToken)
    {
        var command = _options.ClientCommands[index];
        var id = "client-" + (index + 1).ToString(CultureInfo.InvariantCulture);
        var step = _progress.Begin("client " + command, live.Count);
        var report = await PeerClientRun.RunCommandAsync(command, ours, ClientGlobs(live), Timeout, _ => step.Advance(), cancellationToken).ConfigureAwait(false);
        var implementation = report.StartField("implementation");
        var version = report.StartField("version");
        var target = new TargetInfo
        {
            Id = id,
            Label = implementation is null ? command : $"{implementation} {version} ({command})",
            Kind = "command",
            Command = command,
            Implementation = implementation,
            Version = version,
            Build = report.StartField("build"),
            Error = report.Error,
        };
        _targets[id] = (target, 2000 + index);
        var isCPython = string.Equals(implementation, "CPython", StringComparison.Ordinal);
        var cell = AddCell(isCPython ? "live.py-to-cs" : "live.client-to-cs", id, "client " + (index + 1).ToString(CultureInfo.InvariantCulture) + "→cs", $"{command} against our C# server", 2000 + index);
        RecordContractReport(cell, live, isCPython ? version : null, report);
        if (report.Error is not null)
        {
            _notes.Enqueue($"client command {command}: {report.Error}");
            step.Fail(report.Error);
        }
        else
        {
            step.Done(SummaryOfTarget(id));
        }
    }

    private async Task RunContractClientAsync(CellInfo cell, List<CatalogCase> live, string? pythonVersion,
        Func<Action<PeerCaseLine>, CancellationToken, Task<PeerClientReport>> run, IProgressStep step, CancellationToken cancellationToken)
    {
        var report = await run(_ => step.Advance(), cancellationToken).ConfigureAwait(false);
        RecordContractReport(cell, live, pythonVersion, report);
        if (report.Error is not null)
        {
            _notes.Enqueue($"{cell.Title}: {report.Command}: {report.Error}");
        }
    }

    // A client of the peer contract ran against our server. A line with an observation is judged here by the one judge;
    // a line with only an outcome (a client that judges itself) is taken as it says.
    private void RecordContractReport(CellInfo cell, List<CatalogCase> live, string? pythonVersion, PeerClientReport report)
    {
        var byId = live.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var context = new JudgeContext { OurServer = true };
        foreach (var line in report.Cases.Values)
        {
            if (!byId.TryGetValue(line.Case, out var c))
            {
                continue; // A case this run did not select (or a retired one): not this report's business.
            }

            CellVerdict verdict;
            if (line.Observation is { } json)
            {
                var observation = CaseObservation.FromJson(json, _catalog.FixturesDirectory);
                if (line.Describe is { } describe)
                {
                    observation = observation with { Describe = CaseObservation.FromJson(describe, _catalog.FixturesDirectory) };
                }
                verdict = CellVerdict.From(c, _judge.Evaluate(c, observation, context), observation);
            }
            else
            {
                var outcome = line.Outcome switch
                {
                    "pass" => Outcome.Pass,
                    "deviation" => Outcome.Deviation,
                    "missing" => Outcome.Missing,
                    "non-strict" => Outcome.NonStrict,
                    _ => Outcome.Fail,
                };
                verdict = new CellVerdict
                {
                    Outcome = outcome,
                    Detail = line.Outcome is "pass" or "fail" or "deviation" or "missing" or "non-strict" ? line.Detail : $"outcome '{line.Outcome}': {line.Detail}",
                };
            }

            Record(c, cell, pythonVersion, verdict with { DurationMs = line.Duration * 1000.0, Request = line.Request, Response = line.Response });
        }

        // A live case the client never reported is a failure of the run, not a silent gap; shapes the client says it does
        // not run (a client library has no business with raw http exchanges) are not expected.
        foreach (var c in live.Where(c => !report.Cases.ContainsKey(c.Id) && report.Runs(c.Shape)))
        {
            var why = report.Error ?? (report.ExitCode is { } code && code != 0
                ? string.Create(CultureInfo.InvariantCulture, $"exit code {code}")
                : "no line for this case");
            Record(c, cell, pythonVersion, CellVerdict.Fail($"the client reported nothing for this case ({why}){(string.IsNullOrEmpty(report.Stderr) ? "" : "; stderr: " + report.Stderr)}"));
        }
    }

    private async Task RunClientCellAsync(string? stepName, CellInfo cell, List<CatalogCase> live, Uri url, JudgeContext context, string? pythonVersion, CancellationToken cancellationToken, IProgressStep? step = null)
    {
        var own = step is null;
        step ??= _progress.Begin(stepName ?? cell.Title, live.Count);
        var answered = 0;
        var unlistedMissing = 0;
        string? death = null;
        var proven = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in live)
        {
            CellVerdict verdict;
            var required = _catalog.Catalog.RequiredMethods(c);
            if (death is not null)
            {
                verdict = CellVerdict.NotRun(death);
            }
            else if (context.ListedMethods is { } listed && required.FirstOrDefault(m => !listed.Contains(m)) is { } absent)
            {
                verdict = CellVerdict.Missing($"the server does not list method \"{absent}\" (system.listMethods)");
            }
            else
            {
                var sw = Stopwatch.StartNew();
                try
                {
                    verdict = await _impl.Client!.RunAsync(c, url, context with { ProvenMethods = proven }, cancellationToken).ConfigureAwait(false);
                    proven.UnionWith(verdict.AnsweredMethods);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    verdict = CellVerdict.Fail($"the runner threw {e.GetType().Name}: {e.Message}");
                }

                if (verdict.DurationMs == 0)
                {
                    verdict = verdict with { DurationMs = sw.Elapsed.TotalMilliseconds };
                }

                if (!verdict.Unanswered)
                {
                    answered++;
                }
                else if (answered > 0 && !await TargetProbe.IsListeningAsync(url, cancellationToken).ConfigureAwait(false))
                {
                    // It answered before and now refuses connections: it died (during this case, which keeps its FAIL).
                    death = $"not run: the target stopped accepting connections during {c.Id} (after {answered} answered cases)";
                    MarkTargetDead(cell.Target, death);
                }
            }

            if (verdict.Outcome == Outcome.Missing && context.ListedMethods is null)
            {
                unlistedMissing++;
            }

            Record(c, cell, pythonVersion, verdict);
            step.Advance();
        }

        if (_options.Shard is not null && unlistedMissing > 0)
        {
            // Without system.listMethods, "a method that answered earlier in this cell exists" is evidence the judge uses
            // (JudgeContext.ProvenMethods): a shard sees only its own earlier cases, so these may be FAIL in a whole run.
            _notes.Enqueue(string.Create(CultureInfo.InvariantCulture,
                $"{cell.Id}: {unlistedMissing} MISSING decided in shard {_options.Shard} without system.listMethods; an unsharded run may judge some of them FAIL (a case of another shard may have proven the method exists)"));
        }

        if (own)
        {
            step.Done(SummaryOfCell(cell.Id));
        }
    }

    private void MarkTargetDead(string? targetId, string reason)
    {
        var id = targetId ?? OurTarget.Id;
        _notes.Enqueue($"{id}: {reason}");
        lock (_targets)
        {
            if (_targets.TryGetValue(id, out var entry))
            {
                _targets[id] = (entry.Target with { Error = entry.Target.Error ?? reason.Replace("not run: ", "", StringComparison.Ordinal) }, entry.Order);
            }
        }
    }

    private CellInfo AddCell(string kind, string? target, string title, string description, int order)
    {
        var cell = new CellInfo { Id = target is null || target == OurTarget.Id ? kind : kind + "@" + target, Kind = kind, Target = target, Title = title, Description = description };
        _cells[cell.Id] = (cell, order);
        return cell;
    }

    private string UniqueTargetId(string id)
    {
        lock (_targets)
        {
            var candidate = id;
            for (var n = 2; !_targets.TryAdd(candidate, (new TargetInfo { Id = candidate, Label = "", Kind = "" }, int.MaxValue)); n++)
            {
                candidate = id + "-" + n.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }
    }

    private void Record(CatalogCase c, CellInfo cell, string? pythonVersion, CellVerdict? verdict)
    {
        if (verdict is null)
        {
            return;
        }

        _results.Add(CellResults.Apply(_catalog.Catalog.KnownIssues, c.Id, cell, pythonVersion, verdict));
    }

    private static CellVerdict? Timed(Func<CellVerdict?> check)
    {
        var start = Stopwatch.GetTimestamp();
        CellVerdict? v;
        try
        {
            v = check();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            v = CellVerdict.Fail($"the check threw {e.GetType().Name}: {e.Message}");
        }

        return v is null ? null : v with { DurationMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds };
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(_options.TimeoutSeconds);

    // The --case globs a client program gets: the run's own, or in a shard the exact ids of its live cases (a glob of an id
    // with its *, ? and [ bracketed matches only that id), so that each shard's client runs only its part.
    private IReadOnlyList<string> ClientGlobs(List<CatalogCase> live) =>
        _options.Shard is null || live.Count == 0
            ? _options.CaseGlobs
            : [.. live.Select(c => string.Concat(c.Id.Select(ch => ch is '*' or '?' or '[' ? "[" + ch + "]" : ch.ToString())))];

    private string Summary(params string[] cellIds) =>
        Rendering.ReportView.Tally(_results.Where(r => cellIds.Contains(r.Cell))) is var t
            ? string.Join(", ", Rendering.ReportView.OutcomeOrder.Where(o => t[o] > 0).Select(o => string.Create(CultureInfo.InvariantCulture, $"{t[o]} {Rendering.ReportView.Label(o)}")))
            : "";

    private string SummaryOfCell(string cellId) => Summary(cellId);

    private string SummaryOfTarget(string targetId) =>
        Summary([.. _cells.Values.Where(c => c.Cell.Target == targetId).Select(c => c.Cell.Id)]);
}

/// <summary>What <see cref="MatrixRunner"/> produced.</summary>
public sealed record MatrixOutcome(IReadOnlyList<CellInfo> Cells, IReadOnlyList<TargetInfo> Targets, IReadOnlyList<CellResult> Results, IReadOnlyList<string> Notes);

/// <summary>Turns a verdict into a result with the one known-issue rule (<see cref="KnownIssues.Resolve"/>).</summary>
public static class CellResults
{
    /// <summary>The result of <paramref name="verdict"/> for <paramref name="caseId"/> in <paramref name="cell"/>.</summary>
    public static CellResult Apply(KnownIssues knownIssues, string caseId, CellInfo cell, string? pythonVersion, CellVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(knownIssues);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(verdict);
        var resolution = knownIssues.Resolve(caseId, cell.Kind, pythonVersion, verdict.Outcome);
        return new CellResult
        {
            Case = caseId,
            Cell = cell.Id,
            Outcome = resolution.Outcome,
            Stale = resolution.Stale,
            Known = resolution.Issue is { } issue ? new KnownIssueNote(issue.Reason, issue.Link) : null,
            DurationMs = Math.Round(verdict.DurationMs, 3),
            Detail = verdict.Detail,
            Diff = verdict.Diff,
            Request = Cap(verdict.Request, verdict.Outcome),
            Response = Cap(verdict.Response, verdict.Outcome),
        };
    }

    // A response of several megabytes (make_string, the logo) would swamp the report; the head says
    // enough, and a passing exchange needs less of it than one to debug.
    private static string? Cap(string? xml, Outcome outcome)
    {
        var max = outcome == Outcome.Pass ? 4 * 1024 : 16 * 1024;
        return xml is null || xml.Length <= max ? xml : string.Concat(xml.AsSpan(0, max), $"\n… ({xml.Length - max} more characters)");
    }
}

/// <summary>Is a target still there? A TCP connect to its URL's host and port.</summary>
internal static class TargetProbe
{
    public static async Task<bool> IsListeningAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = new System.Net.Sockets.TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await client.ConnectAsync(url.Host, url.Port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
