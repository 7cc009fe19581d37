using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Images;

namespace Conformance.Peers.Containers;

/// <summary>
/// Builds a Python peer container: <c>server.py</c> (ready when its ready line is logged; the port is read
/// from that line, since host networking maps no ports) or <c>client.py</c> (runs the catalog against a URL
/// and exits).
/// </summary>
/// <remarks>
/// Defaults, all overridable: the local image <see cref="DefaultImage"/>, never pulled (the peer images are
/// built here without a registry; call <c>WithImagePullPolicy(PullPolicy.Missing)</c> for a registry image
/// such as <c>python:3.12-slim</c>), host networking (the peer listens on 127.0.0.1 of the host), AutoRemove
/// for servers (a client or script container exits by itself and is kept until its log is read, then removed
/// on dispose; Testcontainers merges AutoRemove with OR, so it is set per role in <see cref="Build"/>),
/// and the labels <see cref="PeerLabel"/>, <see cref="RunLabel"/> and <see cref="RoleLabel"/> so that CI can
/// sweep what a crashed run left. The entrypoint is set explicitly (<c>python3 -u /peers/server.py</c>), so any image with
/// <c>python3</c> works when the sources are mounted with <see cref="WithSources"/>.
/// </remarks>
/// <example><code>
/// await using var server = new PythonPeerBuilder("xmlrpc-conformance/python-peer:3.13")
///     .WithSources(settings.PeersDirectory, settings.FixturesDirectory)
///     .WithRunId(settings.RunId)
///     .Build();
/// await server.StartAsync(ct);
/// var url = server.Url;   // http://127.0.0.1:{port}/RPC2 from the ready line
/// </code></example>
public sealed class PythonPeerBuilder : ContainerBuilder<PythonPeerBuilder, PythonPeerContainer, PythonPeerConfiguration>
{
    /// <summary>The default image: one of the locally built peer images.</summary>
    public const string DefaultImage = "xmlrpc-conformance/python-peer:3.11";

    /// <summary>Label naming the test run a container belongs to.</summary>
    public const string RunLabel = "org.xmlrpc-conformance.run";

    /// <summary>Label present on every peer container (value <c>python</c>, as the peer images declare it): CI sweeps by it.</summary>
    public const string PeerLabel = "org.xmlrpc-conformance.peer";

    /// <summary>Label naming the container's role: <c>server</c>, <c>client</c> or <c>script</c>.</summary>
    public const string RoleLabel = "org.xmlrpc-conformance.role";

    /// <summary>Where <see cref="WithSources"/> mounts the peer scripts.</summary>
    public const string PeersMountPath = "/peers";

    /// <summary>Where <see cref="WithSources"/> mounts the catalog.</summary>
    public const string FixturesMountPath = "/fixtures";

    /// <summary>Where <see cref="WithScript"/> mounts the script's folder.</summary>
    public const string ScriptMountPath = "/script";

    private static readonly Regex ReadyPattern = new(Internal.ReadyLine.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    static PythonPeerBuilder() => DockerEnvironment.Configure();

    /// <summary>A builder for <see cref="DefaultImage"/>.</summary>
    public PythonPeerBuilder()
        : this(new PythonPeerConfiguration())
    {
        DockerResourceConfiguration = Init().DockerResourceConfiguration;
    }

    /// <summary>A builder for <paramref name="image"/>.</summary>
    public PythonPeerBuilder(string image)
        : this(new PythonPeerConfiguration())
    {
        DockerResourceConfiguration = Init().WithImage(image).DockerResourceConfiguration;
    }

    private PythonPeerBuilder(PythonPeerConfiguration resourceConfiguration)
        : base(resourceConfiguration)
    {
        DockerResourceConfiguration = resourceConfiguration;
    }

    /// <inheritdoc/>
    protected override PythonPeerConfiguration DockerResourceConfiguration { get; }

    /// <summary>Server (the default) or client.</summary>
    public PythonPeerBuilder WithRole(PeerRole role) => Merge(DockerResourceConfiguration, new PythonPeerConfiguration(role: role));

    /// <summary>Client role: run <c>client.py --url <paramref name="url"/></c>, for <paramref name="caseGlobs"/> when any.</summary>
    public PythonPeerBuilder WithTarget(Uri url, IReadOnlyList<string>? caseGlobs = null) =>
        Merge(DockerResourceConfiguration, new PythonPeerConfiguration(role: PeerRole.Client, targetUrl: url, caseGlobs: caseGlobs ?? []));

    /// <summary>
    /// Runs another script (a host file; its folder is mounted read-only at <see cref="ScriptMountPath"/>) whose
    /// stdout lines are read like a client's.
    /// </summary>
    public PythonPeerBuilder WithScript(string scriptPath, params string[] arguments)
    {
        var full = Path.GetFullPath(scriptPath);
        return Merge(DockerResourceConfiguration, new PythonPeerConfiguration(role: PeerRole.Client, script: full, scriptArguments: arguments))
            .WithBindMount(Path.GetDirectoryName(full)!, ScriptMountPath, AccessMode.ReadOnly);
    }

    /// <summary>Server role: <c>--max-lifetime</c>, so a server left behind exits by itself.</summary>
    public PythonPeerBuilder WithMaxLifetime(TimeSpan lifetime) => Merge(DockerResourceConfiguration, new PythonPeerConfiguration(maxLifetime: lifetime));

    /// <summary>Sets the <see cref="RunLabel"/> label.</summary>
    public PythonPeerBuilder WithRunId(string runId) => WithLabel(RunLabel, runId);

    /// <summary>Mounts this checkout's peer scripts and catalog (read-only) over the image's copies.</summary>
    public PythonPeerBuilder WithSources(string peersDirectory, string fixturesDirectory) =>
        WithBindMount(Path.GetFullPath(peersDirectory), PeersMountPath, AccessMode.ReadOnly)
            .WithBindMount(Path.GetFullPath(fixturesDirectory), FixturesMountPath, AccessMode.ReadOnly);

    /// <inheritdoc/>
    public override PythonPeerContainer Build()
    {
        Validate();
        var configuration = DockerResourceConfiguration;
        var role = configuration.Role ?? PeerRole.Server;
        var output = new ContainerOutput();
        var builder = WithOutputConsumer(output).WithLabel(RoleLabel, role == PeerRole.Server ? "server" : configuration.Script is null ? "client" : "script");
        if (role == PeerRole.Server)
        {
            var lifetime = (int)Math.Ceiling((configuration.MaxLifetime ?? TimeSpan.FromMinutes(15)).TotalSeconds);
            builder = builder
                .WithEntrypoint("python3", "-u", PeersMountPath + "/server.py")
                .WithCommand("--host", "127.0.0.1", "--port", "0", "--max-lifetime", lifetime.ToString(CultureInfo.InvariantCulture), "--fixtures", FixturesMountPath)
                .WithAutoRemove(true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged(ReadyPattern, w => w.WithInterval(TimeSpan.FromMilliseconds(100))));
        }
        else if (configuration.Script is { } script)
        {
            builder = builder
                .WithEntrypoint("python3", "-u", ScriptMountPath + "/" + Path.GetFileName(script))
                .WithCommand([.. configuration.ScriptArguments ?? []]);
        }
        else
        {
            var args = new List<string> { "--url", configuration.TargetUrl!.AbsoluteUri };
            foreach (var glob in configuration.CaseGlobs ?? [])
            {
                args.Add("--case");
                args.Add(glob);
            }

            args.AddRange(["--fixtures", FixturesMountPath]);

            builder = builder
                .WithEntrypoint("python3", "-u", PeersMountPath + "/client.py")
                .WithCommand([.. args]);
        }

        return new PythonPeerContainer(builder.DockerResourceConfiguration, output);
    }

    /// <inheritdoc/>
    protected override PythonPeerBuilder Init() =>
        base.Init()
            .WithImage(DefaultImage)
            .WithImagePullPolicy(PullPolicy.Never)

            // Testcontainers' default logger writes to the console, through the report's live display; what a peer
            // did is logged by the peer classes (PeerSettings.Log), and failures surface as PeerException.
            .WithLogger(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)
            .WithCreateParameterModifier(p =>
            {
                p.HostConfig ??= new HostConfig();
                p.HostConfig.NetworkMode = "host";

                // docker-init as PID 1: python3 then gets the default SIGTERM behaviour and stops at once.
                p.HostConfig.Init = true;
            })
            .WithEnvironment("PYTHONDONTWRITEBYTECODE", "1")
            .WithEnvironment("PYTHONIOENCODING", "utf-8")
            .WithLabel(PeerLabel, "python")
            .WithLabel(RunLabel, PeerSettings.DefaultRunId())
            .WithRole(PeerRole.Server);

    /// <inheritdoc/>
    protected override void Validate()
    {
        base.Validate();
        if (DockerResourceConfiguration.Role == PeerRole.Client && DockerResourceConfiguration.TargetUrl is null && DockerResourceConfiguration.Script is null)
        {
            throw new ArgumentException("a client peer needs WithTarget(url) or WithScript(path)", nameof(DockerResourceConfiguration));
        }
    }

    /// <inheritdoc/>
    protected override PythonPeerBuilder Clone(IResourceConfiguration<CreateContainerParameters> resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new PythonPeerConfiguration(resourceConfiguration));

    /// <inheritdoc/>
    protected override PythonPeerBuilder Clone(IContainerConfiguration resourceConfiguration) =>
        Merge(DockerResourceConfiguration, new PythonPeerConfiguration(resourceConfiguration));

    /// <inheritdoc/>
    protected override PythonPeerBuilder Merge(PythonPeerConfiguration oldValue, PythonPeerConfiguration newValue) =>
        new(new PythonPeerConfiguration(oldValue, newValue));
}
