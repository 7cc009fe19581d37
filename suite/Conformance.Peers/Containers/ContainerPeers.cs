using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Conformance.Peers.Containers;

/// <summary>A <c>server.py</c> in a container.</summary>
public sealed class ContainerServerPeer : IServerPeer
{
    private readonly PythonPeerContainer _container;

    private ContainerServerPeer(PythonPeerContainer container)
    {
        _container = container;
        Identity = container.Identity;
        Url = container.Url;
    }

    /// <inheritdoc/>
    public PeerRole Role => PeerRole.Server;

    /// <inheritdoc/>
    public PeerHosting Hosting => PeerHosting.Docker;

    /// <inheritdoc/>
    public PeerIdentity Identity { get; }

    /// <inheritdoc/>
    public string Source => _container.ImageName;

    /// <inheritdoc/>
    public string DisplayName => Identity.Key + " docker";

    /// <inheritdoc/>
    public Uri Url { get; }

    /// <summary>The container.</summary>
    public PythonPeerContainer Container => _container;

    /// <summary>Starts a server container from <paramref name="image"/> and waits for its ready line.</summary>
    public static async Task<ContainerServerPeer> StartAsync(string image, PeerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = new PythonPeerBuilder(image)
            .WithRunId(settings.RunId)
            .WithMaxLifetime(settings.MaxLifetime);
        if (settings.MountSources)
        {
            builder = builder.WithSources(settings.PeersDirectory, settings.FixturesDirectory);
        }

        var container = builder.Build();
        var clock = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.ReadyTimeout);
            await container.StartAsync(timeout.Token).ConfigureAwait(false);
            await container.ReadReadyLineAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not PeerException)
        {
            var tail = container.StandardErrorTail;
            await container.DisposeAsync().ConfigureAwait(false);
            throw new PeerException($"container from {image} did not become ready: {e.Message}{(tail.Length > 0 ? "; stderr: " + tail : "")}", e);
        }

        var peer = new ContainerServerPeer(container);
        settings.Write(string.Create(CultureInfo.InvariantCulture,
            $"Testcontainers started container {container.Id[..12]} from {image} (server, {peer.DisplayName}, {peer.Identity.Build}) at {peer.Url} in {clock.ElapsedMilliseconds} ms"));
        return peer;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _container.DisposeAsync();
}

/// <summary><c>client.py</c> in a container: every run is a new container.</summary>
/// <param name="image">Image name.</param>
/// <param name="identity">What the image declares.</param>
/// <param name="settings">The run's settings.</param>
public sealed class ContainerClientPeer(string image, PeerIdentity identity, PeerSettings settings) : IClientPeer
{
    /// <inheritdoc/>
    public PeerRole Role => PeerRole.Client;

    /// <inheritdoc/>
    public PeerHosting Hosting => PeerHosting.Docker;

    /// <inheritdoc/>
    public PeerIdentity Identity { get; private set; } = identity;

    /// <inheritdoc/>
    public string Source => image;

    /// <inheritdoc/>
    public string DisplayName => Identity.Key + " docker";

    /// <inheritdoc/>
    public async IAsyncEnumerable<PeerLine> RunAsync(Uri url, IReadOnlyList<string>? caseGlobs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var builder = new PythonPeerBuilder(image).WithTarget(url, caseGlobs);
        var summary = false;
        await foreach (var line in RunToEndAsync(builder, settings, $"client → {url}", cancellationToken).ConfigureAwait(false))
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
            throw new PeerException($"client container from {image} ended without a summary line");
        }
    }

    /// <summary>
    /// Starts the container <paramref name="builder"/> describes (with the run label and, when configured,
    /// the mounted sources), streams its stdout lines until it exits (bounded by
    /// <see cref="PeerSettings.ClientTimeout"/>), then removes it.
    /// </summary>
    /// <exception cref="PeerException">It exited non-zero having printed nothing.</exception>
    internal static async IAsyncEnumerable<PeerLine> RunToEndAsync(PythonPeerBuilder builder, PeerSettings settings, string description, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        builder = builder.WithRunId(settings.RunId);
        if (settings.MountSources)
        {
            builder = builder.WithSources(settings.PeersDirectory, settings.FixturesDirectory);
        }

        await using var container = builder.Build();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.ClientTimeout);
        var clock = Stopwatch.StartNew();
        await container.StartAsync(timeout.Token).ConfigureAwait(false);
        settings.Write(string.Create(CultureInfo.InvariantCulture,
            $"Testcontainers started container {container.Id[..12]} from {container.ImageName} ({description}) in {clock.ElapsedMilliseconds} ms"));
        var count = 0;
        await foreach (var line in container.ReadLinesAsync(timeout.Token).ConfigureAwait(false))
        {
            count++;
            yield return line;
        }

        if (container.ExitCode is not (null or 0) && count == 0)
        {
            throw new PeerException(string.Create(CultureInfo.InvariantCulture,
                $"container {container.Id[..12]} ({container.ImageName}, {description}) exited with code {container.ExitCode} and printed nothing; stderr: {container.StandardErrorTail}"));
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
