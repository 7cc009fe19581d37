using Conformance.Peers.Containers;
using Conformance.Peers.Processes;

namespace Conformance.Peers;

/// <summary>
/// Somewhere a Python peer can run: a local interpreter or a container image. Found by
/// <see cref="PeerEnvironment"/>; starts servers and creates clients.
/// </summary>
public abstract class PeerRuntime
{
    private protected PeerRuntime(PeerIdentity identity, string source)
    {
        Identity = identity;
        Source = source;
    }

    /// <summary>Process or container.</summary>
    public abstract PeerHosting Hosting { get; }

    /// <summary>
    /// What the runtime is known to be before any peer runs: the interpreter's own answer for a process,
    /// the image's declaration (label, <c>PYTHON_VERSION</c>, or tag) for a container.
    /// </summary>
    public PeerIdentity Identity { get; }

    /// <summary>The interpreter path or the image name.</summary>
    public string Source { get; }

    /// <summary>Stable label of this runtime in test names: <c>cpython-3.11.7 process</c>, <c>cpython-3.13 docker</c>.</summary>
    public string Key { get; internal set; } = "";

    /// <summary>Starts <c>server.py</c> and returns once it is ready.</summary>
    public abstract Task<IServerPeer> StartServerAsync(PeerSettings settings, CancellationToken cancellationToken);

    /// <summary>A <c>client.py</c> that runs on this runtime.</summary>
    public abstract IClientPeer CreateClient(PeerSettings settings);

    /// <summary>
    /// Runs another Python script (a host file, e.g. a tutorial example) on this runtime and streams its
    /// stdout lines until it exits. In a container the script's folder is mounted read-only; the network is
    /// the host's, so <c>127.0.0.1</c> reaches servers of this process.
    /// </summary>
    public abstract IAsyncEnumerable<PeerLine> RunScriptAsync(string scriptPath, IReadOnlyList<string> arguments, PeerSettings settings, CancellationToken cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"{Key} ({Source})";
}

/// <summary>A local interpreter.</summary>
public sealed class ProcessRuntime : PeerRuntime
{
    /// <summary>Creates the runtime.</summary>
    /// <param name="interpreter">Interpreter path.</param>
    /// <param name="identity">What the interpreter said it is.</param>
    public ProcessRuntime(string interpreter, PeerIdentity identity)
        : base(identity, interpreter)
    {
        Key = identity.Key + " process";
    }

    /// <inheritdoc/>
    public override PeerHosting Hosting => PeerHosting.Process;

    /// <inheritdoc/>
    public override async Task<IServerPeer> StartServerAsync(PeerSettings settings, CancellationToken cancellationToken) =>
        await ProcessServerPeer.StartAsync(Source, settings, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public override IClientPeer CreateClient(PeerSettings settings) => new ProcessClientPeer(Source, Identity, settings);

    /// <inheritdoc/>
    public override IAsyncEnumerable<PeerLine> RunScriptAsync(string scriptPath, IReadOnlyList<string> arguments, PeerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(arguments);
        var builder = new PythonProcessBuilder()
            .WithInterpreter(Source)
            .WithSources(settings.PeersDirectory, settings.FixturesDirectory)
            .WithScript(scriptPath, [.. arguments]);
        return ProcessClientPeer.RunToEndAsync(builder, settings, $"{Key} {Path.GetFileName(scriptPath)}", cancellationToken);
    }
}

/// <summary>A container image run through Testcontainers.</summary>
public sealed class ContainerRuntime : PeerRuntime
{
    /// <summary>Creates the runtime.</summary>
    /// <param name="image">Image name.</param>
    /// <param name="identity">What the image declares.</param>
    /// <param name="imageId">The image's content id (<c>sha256:...</c>), when inspected.</param>
    public ContainerRuntime(string image, PeerIdentity identity, string? imageId = null)
        : base(identity, image)
    {
        Key = identity.Key + " docker";
        ImageId = imageId;
    }

    /// <summary>The image's content id (<c>sha256:...</c>), so a report names exactly what ran.</summary>
    public string? ImageId { get; }

    /// <inheritdoc/>
    public override PeerHosting Hosting => PeerHosting.Docker;

    /// <inheritdoc/>
    public override async Task<IServerPeer> StartServerAsync(PeerSettings settings, CancellationToken cancellationToken) =>
        await ContainerServerPeer.StartAsync(Source, settings, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public override IClientPeer CreateClient(PeerSettings settings) => new ContainerClientPeer(Source, Identity, settings);

    /// <inheritdoc/>
    public override IAsyncEnumerable<PeerLine> RunScriptAsync(string scriptPath, IReadOnlyList<string> arguments, PeerSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var builder = new PythonPeerBuilder(Source).WithScript(scriptPath, [.. arguments]);
        return ContainerClientPeer.RunToEndAsync(builder, settings, $"{Path.GetFileName(scriptPath)}", cancellationToken);
    }
}
