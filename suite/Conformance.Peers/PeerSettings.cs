using Conformance.Catalog;

namespace Conformance.Peers;

/// <summary>What every peer of one run shares: where the peer scripts and the catalog are, the run's label, limits, the log.</summary>
public sealed record PeerSettings
{
    /// <summary>Host folder with <c>server.py</c>, <c>client.py</c> and <c>conformance.py</c>.</summary>
    public required string PeersDirectory { get; init; }

    /// <summary>Host folder of the catalog (<c>fixtures/</c>).</summary>
    public required string FixturesDirectory { get; init; }

    /// <summary>
    /// Value of the <c>org.xmlrpc-conformance.run</c> label on every container of this run, so that CI can
    /// sweep what a crashed run left behind.
    /// </summary>
    public string RunId { get; init; } = DefaultRunId();

    /// <summary>
    /// <c>server.py --max-lifetime</c>: a server exits by itself after this long even if nobody stops it.
    /// </summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a server may take to print its ready line.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one <c>client.py</c> run may take before it is stopped.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Mount <see cref="PeersDirectory"/> at <c>/peers</c> and <see cref="FixturesDirectory"/> at
    /// <c>/fixtures</c> (read-only) in containers, so that a container runs this checkout's peers and catalog
    /// rather than the copy baked into its image, and any stock Python image (<c>python:3.x-slim</c>) works.
    /// </summary>
    public bool MountSources { get; init; } = true;

    /// <summary>Receives one line per notable event (peer started, container id, timings).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// The settings for this checkout: the folders <see cref="FixturesLocator"/> finds (<c>$CONFORMANCE_FIXTURES</c> and
    /// <c>$CONFORMANCE_PYTHON_PEERS</c> override them).
    /// </summary>
    public static PeerSettings ForRepository(Action<string>? log = null)
    {
        var fixtures = FixturesLocator.Find();
        return new PeerSettings { PeersDirectory = FixturesLocator.PythonPeers(fixtures), FixturesDirectory = fixtures, Log = log };
    }

    /// <summary><c>$CONFORMANCE_RUN_ID</c>, else <c>$RUN_LABEL</c> (CI), else one made from the process id and time.</summary>
    public static string DefaultRunId() =>
        Environment.GetEnvironmentVariable("CONFORMANCE_RUN_ID") is { Length: > 0 } id ? id
        : Environment.GetEnvironmentVariable("RUN_LABEL") is { Length: > 0 } label ? label
        : FormattableString.Invariant($"local-{Environment.ProcessId}-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");

    internal void Write(string message) => Log?.Invoke(message);
}
