using System.Globalization;

namespace Conformance.Cli;

/// <summary>The command line of the report tool.</summary>
public sealed record CliOptions
{
    /// <summary>How Python peers start: <c>process</c> (default), <c>docker</c>, <c>auto</c>.</summary>
    public string Peers { get; init; } = "process";

    /// <summary>Interpreters to use instead of discovery (<c>--python</c>, repeatable).</summary>
    public IReadOnlyList<string> Pythons { get; init; } = [];

    /// <summary>Container images to use (<c>--image</c>, repeatable; implies docker peers).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>Foreign servers our client is run against (<c>--server</c>, repeatable).</summary>
    public IReadOnlyList<string> Servers { get; init; } = [];

    /// <summary>A published build of Conformance.Server (Native AOT...) that serves our side instead of this process (<c>--server-exe</c>).</summary>
    public string? ServerExecutable { get; init; }

    /// <summary>Foreign client commands run against our server (<c>--client-command</c>, repeatable; <c>{url}</c> substituted).</summary>
    public IReadOnlyList<string> ClientCommands { get; init; } = [];

    /// <summary>Foreign peers of <c>suite/foreign-peers/</c> to add to the matrix (<c>--foreign xmlrpc-c,node</c>), both directions.</summary>
    public IReadOnlyList<string> Foreign { get; init; } = [];

    /// <summary>Case-id globs (<c>--case</c>, repeatable); empty selects every case.</summary>
    public IReadOnlyList<string> CaseGlobs { get; init; } = [];

    /// <summary>List the selected cases and cells, run nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Output folder.</summary>
    public string Out { get; init; } = Path.Combine("artifacts", "compat");

    /// <summary>Wire columns only: no peers, no servers.</summary>
    public bool NoLive { get; init; }

    /// <summary>Plain line output even on a terminal.</summary>
    public bool Plain { get; init; }

    /// <summary>The fixtures/ folder, when not found by itself.</summary>
    public string? Fixtures { get; init; }

    /// <summary>The python-peers/ folder (server.py, client.py); default: beside fixtures/.</summary>
    public string? PythonPeers { get; init; }

    /// <summary>Seconds a live peer run may take before it is abandoned.</summary>
    public int TimeoutSeconds { get; init; } = 120;

    /// <summary>Re-render summary.md, report.html and junit.xml from this results.json instead of running.</summary>
    public string? RenderFrom { get; init; }

    /// <summary>Run only this part of the selected cases (<c>--shard K/N</c>); null runs them all.</summary>
    public Results.ShardInfo? Shard { get; init; }

    /// <summary>A previous run's results.json to compare with (<c>--baseline</c>): what got worse fails the run.</summary>
    public string? Baseline { get; init; }

    /// <summary>Print the help text.</summary>
    public bool Help { get; init; }

    /// <summary>True when the user named the targets (<c>--server</c>, <c>--client-command</c>, <c>--foreign</c>) and no Python peer was asked for.</summary>
    public bool ForeignOnly => (Servers.Count > 0 || ClientCommands.Count > 0 || Foreign.Count > 0) && Pythons.Count == 0 && Images.Count == 0 && !PeersGiven;

    /// <summary>True when <c>--peers</c> was given explicitly.</summary>
    public bool PeersGiven { get; init; }

    /// <summary>How Conformance.Peers should find the Python peers of this run.</summary>
    public Conformance.Peers.PeerDiscoveryOptions PeerDiscovery => new() { Mode = Peers, Pythons = Pythons, Images = Images };

    /// <summary>The usage text.</summary>
    public const string Usage = """
        Runs the XML-RPC case catalog (fixtures/cases) against chosen targets and writes the report:
        results.json (the single source), summary.md, report.html, junit.xml.

        usage: xmlrpc-conformance [options]
               xmlrpc-conformance merge RESULTS.json... --out DIR [--force] [--baseline FILE]
        (from a checkout: dotnet run --project suite/Conformance.Cli -- [options])

        With no option: the wire columns, our C# client and server against each other, and against
        CPython peers as local processes (python3 and every pyenv interpreter found).

          --peers process|docker|auto   how Python peers start (default process; auto = docker if an
                                        engine answers, else process)
          --python PATH                 a Python interpreter to use as peer (repeatable; replaces discovery)
          --image NAME                  a peer container image (repeatable; implies --peers docker)
          --server URL                  run the client-side cases (call, multicall, http, validator1) with
                                        our client against any XML-RPC server; what it lacks is MISSING
          --server-exe PATH             serve our side from this build of Conformance.Server (e.g. the Native AOT
                                        one of bash scripts/publish-aot.sh) as a process of its own, started with
                                        --port 0; every client (ours, the Python peers', --client-command,
                                        --foreign) runs against it instead of the in-process server
          --client-command "CMD {url}"  run a client speaking python-peers/README.md's contract against
                                        our server; {url} is replaced by its URL (repeatable)
          --foreign NAME[,NAME]         a foreign peer of suite/foreign-peers (xmlrpc-c, node, or all) in both
                                        directions (built by bash suite/foreign-peers/install.sh); add
                                        --peers process for the CPython columns too
          --case GLOB                   select cases by id glob, e.g. 'value.int.*' (repeatable)
          --dry-run                     list the cases and cells that would run, with descriptions
          --out DIR                     output folder (default artifacts/compat)
          --no-live                     wire columns only (no network, no peers)
          --fixtures DIR                the fixtures/ folder (default: found above the working directory)
          --python-peers DIR            the folder of server.py and client.py (default: beside fixtures/)
          --timeout SECONDS             time limit of one peer run (default 120)
          --render FILE                 run nothing: render summary.md, report.html and junit.xml from an
                                        existing results.json into --out
          --shard K/N                   run only shard K of N: the selected cases at positions K-1, K-1+N,
                                        K-1+2N... in id order (round-robin); join the shards' results.json
                                        with merge
          --baseline FILE               compare with a previous run's results.json: list what got worse
                                        (becoming FAIL or NOT RUN; PASS → NON-STRICT/DEVIATION → KNOWN →
                                        MISSING; a result or a target lost) and what got better, in the
                                        console, summary.md and report.html; only the cases this run selected
                                        are compared
          --plain                       plain progress lines even on a terminal (also when CI=true or
                                        output is redirected)
          -h, --help                    this text

        merge RESULTS.json... --out DIR joins the results.json of several runs (the shards of a CI matrix) into
        one and renders summary.md, report.html and junit.xml from it as a single run would. It refuses inputs
        from another catalog or library version (unless --force), results of the same case and cell that
        disagree, and an incomplete set of shards (unless --force). --baseline works as for a run.

        Exit codes:
          0  nothing FAILs, no known issue is stale, every target ran, nothing got worse than --baseline
          1  a FAIL, a stale known issue, or a target that could not run
          2  a usage error or an unreadable input (nothing written)
          3  something got worse since --baseline (takes precedence over 1)
          4  merge: the inputs cannot be joined (nothing written)
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="CliUsageException"/> on a bad command line.</summary>
    public static CliOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new CliOptions();
        List<string> pythons = [], images = [], servers = [], clients = [], globs = [], foreign = [];
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
            {
                inline = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..];
                arg = arg[..arg.IndexOf('=', StringComparison.Ordinal)];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                // "--case --out DIR" is a forgotten value, not a glob named "--out" (use --case=--x for such a value).
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new CliUsageException($"{arg} needs a value");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--peers":
                    var mode = Value();
                    if (mode is not ("process" or "docker" or "auto"))
                    {
                        throw new CliUsageException($"--peers must be process, docker or auto, not '{mode}'");
                    }

                    o = o with { Peers = mode, PeersGiven = true };
                    break;
                case "--python": pythons.Add(Value()); break;
                case "--image": images.Add(Value()); break;
                case "--server":
                    var url = Value();
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                    {
                        throw new CliUsageException($"--server needs an http(s) URL, not '{url}'");
                    }

                    servers.Add(url);
                    break;
                case "--server-exe": o = o with { ServerExecutable = Value() }; break;
                case "--client-command":
                    var cmd = Value();
                    if (!cmd.Contains("{url}", StringComparison.Ordinal))
                    {
                        throw new CliUsageException("--client-command needs a {url} placeholder, e.g. \"python3 python-peers/client.py --url {url}\"");
                    }

                    clients.Add(cmd);
                    break;
                case "--foreign":
                    foreach (var name in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (name == "all")
                        {
                            foreign.AddRange(Running.ForeignPeer.All.Select(p => p.Name));
                        }
                        else if (Running.ForeignPeer.Named(name) is null)
                        {
                            throw new CliUsageException($"--foreign: unknown peer '{name}' (known: {string.Join(", ", Running.ForeignPeer.All.Select(p => p.Name))}, all)");
                        }
                        else
                        {
                            foreign.Add(name);
                        }
                    }

                    break;
                case "--case": globs.Add(Value()); break;
                case "--dry-run": o = o with { DryRun = true }; break;
                case "--out": o = o with { Out = Value() }; break;
                case "--no-live": o = o with { NoLive = true }; break;
                case "--plain": o = o with { Plain = true }; break;
                case "--render": o = o with { RenderFrom = Value() }; break;
                case "--shard": o = o with { Shard = Running.Sharding.Parse(Value()) }; break;
                case "--baseline": o = o with { Baseline = Value() }; break;
                case "--fixtures": o = o with { Fixtures = Value() }; break;
                case "--python-peers": o = o with { PythonPeers = Value() }; break;
                case "--timeout":
                    var text = Value();
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
                    {
                        throw new CliUsageException($"--timeout needs a positive number of seconds, not '{text}'");
                    }

                    o = o with { TimeoutSeconds = seconds };
                    break;
                case "-h" or "--help" or "-?": o = o with { Help = true }; break;
                default:
                    throw new CliUsageException($"unknown option '{args[i]}' (--help lists the options)");
            }
        }

        if (images.Count > 0 && !o.PeersGiven)
        {
            o = o with { Peers = "docker" };
        }

        // Options that would be silently ignored are mistakes: say so instead of running something else.
        if (o.NoLive && (servers.Count > 0 || clients.Count > 0 || pythons.Count > 0 || images.Count > 0 || foreign.Count > 0))
        {
            throw new CliUsageException("--no-live runs only the wire cells: it cannot go with --server, --client-command, --python, --image or --foreign");
        }

        if (o.ServerExecutable is { } exe && (o.NoLive || o.RenderFrom is not null || !File.Exists(exe)))
        {
            throw new CliUsageException(File.Exists(exe)
                ? "--server-exe serves the live cells: it cannot go with --no-live or --render"
                : $"--server-exe {exe}: no such file (bash scripts/publish-aot.sh publishes artifacts/aot/server/Conformance.Server)");
        }

        if (o.RenderFrom is not null && (o.Shard is not null || o.Baseline is not null))
        {
            throw new CliUsageException("--render re-renders one results.json as it is: it cannot go with --shard or --baseline (merge FILE --out DIR --baseline FILE compares one)");
        }

        if (o.Peers == "process" && images.Count > 0)
        {
            throw new CliUsageException("--image needs container peers: drop --peers process (or use --peers docker)");
        }

        if (o.Peers == "docker" && pythons.Count > 0)
        {
            throw new CliUsageException("--python names a local interpreter: it cannot go with container peers (--peers docker, --image)");
        }

        return o with { Pythons = pythons, Images = images, Servers = servers, ClientCommands = clients, CaseGlobs = globs, Foreign = [.. foreign.Distinct(StringComparer.Ordinal)] };
    }
}

/// <summary>A bad command line; the message says what to change.</summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CliUsageException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public CliUsageException() { }

    /// <summary>Creates the exception.</summary>
    public CliUsageException(string message, Exception inner) : base(message, inner) { }
}
