using System.Globalization;
using System.Runtime.CompilerServices;

namespace Conformance.Peers.Processes;

/// <summary>A <c>server.py</c> running as a local process.</summary>
public sealed class ProcessServerPeer : IServerPeer
{
    private readonly PythonProcess _process;

    private ProcessServerPeer(PythonProcess process, PeerIdentity identity)
    {
        _process = process;
        Identity = identity;
        Url = process.Url;
    }

    /// <inheritdoc/>
    public PeerRole Role => PeerRole.Server;

    /// <inheritdoc/>
    public PeerHosting Hosting => PeerHosting.Process;

    /// <inheritdoc/>
    public PeerIdentity Identity { get; }

    /// <inheritdoc/>
    public string Source => _process.Configuration.Interpreter;

    /// <inheritdoc/>
    public string DisplayName => Identity.Key + " process";

    /// <inheritdoc/>
    public Uri Url { get; }

    /// <summary>The process id.</summary>
    public int? Pid => _process.Pid;

    /// <summary>Starts <c>server.py</c> with <paramref name="interpreter"/> and waits for its ready line.</summary>
    public static async Task<ProcessServerPeer> StartAsync(string interpreter, PeerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var process = new PythonProcessBuilder()
            .WithInterpreter(interpreter)
            .WithRole(PeerRole.Server)
            .WithSources(settings.PeersDirectory, settings.FixturesDirectory)
            .WithMaxLifetime(settings.MaxLifetime)
            .WithReadyTimeout(settings.ReadyTimeout)
            .Build();
        try
        {
            await process.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var peer = new ProcessServerPeer(process, PeerIdentity.FromJson(process.ReadyLine!.Json!.Value));
        settings.Write(string.Create(CultureInfo.InvariantCulture, $"started {peer.DisplayName} server: pid {process.Pid}, {interpreter}, {peer.Url}"));
        return peer;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary><c>client.py</c> on a local interpreter: every run is a new process.</summary>
/// <param name="interpreter">The interpreter path.</param>
/// <param name="identity">What discovery found the interpreter to be.</param>
/// <param name="settings">The run's settings.</param>
public sealed class ProcessClientPeer(string interpreter, PeerIdentity identity, PeerSettings settings) : IClientPeer
{
    /// <inheritdoc/>
    public PeerRole Role => PeerRole.Client;

    /// <inheritdoc/>
    public PeerHosting Hosting => PeerHosting.Process;

    /// <inheritdoc/>
    public PeerIdentity Identity { get; private set; } = identity;

    /// <inheritdoc/>
    public string Source => interpreter;

    /// <inheritdoc/>
    public string DisplayName => Identity.Key + " process";

    /// <inheritdoc/>
    public async IAsyncEnumerable<PeerLine> RunAsync(Uri url, IReadOnlyList<string>? caseGlobs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = new PythonProcessBuilder()
            .WithInterpreter(interpreter)
            .WithSources(settings.PeersDirectory, settings.FixturesDirectory)
            .WithTarget(url, caseGlobs);
        var summary = false;
        await foreach (var line in RunToEndAsync(builder, settings, $"{DisplayName} client → {url}", cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(line.Event, "start", StringComparison.Ordinal) && line.Json is { } json)
            {
                Identity = PeerIdentity.FromJson(json, Identity);
            }

            summary |= string.Equals(line.Event, "summary", StringComparison.Ordinal);
            yield return line;
        }

        if (!summary)
        {
            throw new PeerException($"{interpreter} client.py ended without a summary line");
        }
    }

    /// <summary>
    /// Starts the process <paramref name="builder"/> describes, streams its stdout lines until it exits
    /// (bounded by <see cref="PeerSettings.ClientTimeout"/>), then kills it if it still runs.
    /// </summary>
    /// <exception cref="PeerException">It exited non-zero having printed nothing.</exception>
    internal static async IAsyncEnumerable<PeerLine> RunToEndAsync(PythonProcessBuilder builder, PeerSettings settings, string description, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var process = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ClientTimeout);
        await process.StartAsync(timeout.Token).ConfigureAwait(false);
        settings.Write(string.Create(CultureInfo.InvariantCulture, $"started {description}: pid {process.Pid}"));
        var count = 0;
        await foreach (var line in process.ReadLinesAsync(timeout.Token).ConfigureAwait(false))
        {
            count++;
            yield return line;
        }

        var code = await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (code != 0 && count == 0)
        {
            throw new PeerException(string.Create(CultureInfo.InvariantCulture, $"{description}: exited with code {code} and printed nothing; stderr: {process.StandardErrorTail}"));
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
