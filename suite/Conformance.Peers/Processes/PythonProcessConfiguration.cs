namespace Conformance.Peers.Processes;

/// <summary>Immutable configuration of a peer process (the Configuration of the process trio).</summary>
public sealed record PythonProcessConfiguration
{
    /// <summary>The interpreter: a path or a name on PATH.</summary>
    public string Interpreter { get; init; } = "python3";

    /// <summary>Which script runs: <c>server.py</c> or <c>client.py</c>.</summary>
    public PeerRole Role { get; init; } = PeerRole.Server;

    /// <summary>Folder with the peer scripts.</summary>
    public string? PeersDirectory { get; init; }

    /// <summary>Catalog folder, passed as <c>--fixtures</c>.</summary>
    public string? FixturesDirectory { get; init; }

    /// <summary>Client role: <c>--url</c>.</summary>
    public Uri? TargetUrl { get; init; }

    /// <summary>Client role: one <c>--case</c> per glob.</summary>
    public IReadOnlyList<string> CaseGlobs { get; init; } = [];

    /// <summary>Server role: <c>--max-lifetime</c>.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Server role: time allowed for the ready line.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra arguments after the generated ones.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Receives start/stop lines.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Another script instead of the peer's (client role: its stdout lines are read, no readiness).</summary>
    public string? Script { get; init; }

    /// <summary>The script that runs: <see cref="Script"/>, else <c>server.py</c> or <c>client.py</c> for <see cref="Role"/>.</summary>
    public string ScriptPath => Script ?? Path.Combine(PeersDirectory ?? ".", Role == PeerRole.Server ? "server.py" : "client.py");

    /// <summary>The full argument list after the interpreter.</summary>
    public IReadOnlyList<string> BuildArguments()
    {
        var args = new List<string> { "-u", ScriptPath };
        if (Script is not null)
        {
            args.AddRange(ExtraArguments);
            return args;
        }

        if (Role == PeerRole.Server)
        {
            args.AddRange(["--host", "127.0.0.1", "--port", "0", "--max-lifetime", ((int)Math.Ceiling(MaxLifetime.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        else
        {
            args.AddRange(["--url", TargetUrl!.AbsoluteUri]);
            foreach (var glob in CaseGlobs)
            {
                args.AddRange(["--case", glob]);
            }
        }

        if (FixturesDirectory is not null)
        {
            args.AddRange(["--fixtures", FixturesDirectory]);
        }

        args.AddRange(ExtraArguments);
        return args;
    }
}
