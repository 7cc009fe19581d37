using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Conformance.Peers.Containers;

/// <summary>Configuration of a Python peer container (the Configuration of the Testcontainers trio).</summary>
public sealed class PythonPeerConfiguration : ContainerConfiguration
{
    /// <summary>Creates a configuration with the peer's own settings.</summary>
    /// <param name="role">Server or client.</param>
    /// <param name="targetUrl">Client role: <c>--url</c>.</param>
    /// <param name="caseGlobs">Client role: one <c>--case</c> per glob.</param>
    /// <param name="maxLifetime">Server role: <c>--max-lifetime</c>.</param>
    /// <param name="script">Another script (host path) to run instead of the peer's.</param>
    /// <param name="scriptArguments">Its arguments.</param>
    public PythonPeerConfiguration(PeerRole? role = null, Uri? targetUrl = null, IReadOnlyList<string>? caseGlobs = null, TimeSpan? maxLifetime = null, string? script = null, IReadOnlyList<string>? scriptArguments = null)
    {
        Role = role;
        TargetUrl = targetUrl;
        CaseGlobs = caseGlobs;
        MaxLifetime = maxLifetime;
        Script = script;
        ScriptArguments = scriptArguments;
    }

    /// <summary>Copies a Docker resource configuration.</summary>
    public PythonPeerConfiguration(IResourceConfiguration<CreateContainerParameters> resourceConfiguration)
        : base(resourceConfiguration)
    {
    }

    /// <summary>Copies a container configuration.</summary>
    public PythonPeerConfiguration(IContainerConfiguration resourceConfiguration)
        : base(resourceConfiguration)
    {
    }

    /// <summary>Copies a peer configuration.</summary>
    public PythonPeerConfiguration(PythonPeerConfiguration resourceConfiguration)
        : this(new PythonPeerConfiguration(), resourceConfiguration)
    {
    }

    /// <summary>Merges two configurations; values of <paramref name="newValue"/> win.</summary>
    public PythonPeerConfiguration(PythonPeerConfiguration oldValue, PythonPeerConfiguration newValue)
        : base(oldValue, newValue)
    {
        ArgumentNullException.ThrowIfNull(oldValue);
        ArgumentNullException.ThrowIfNull(newValue);
        Role = newValue.Role ?? oldValue.Role;
        TargetUrl = BuildConfiguration.Combine(oldValue.TargetUrl, newValue.TargetUrl);
        CaseGlobs = newValue.CaseGlobs ?? oldValue.CaseGlobs;
        MaxLifetime = newValue.MaxLifetime ?? oldValue.MaxLifetime;
        Script = newValue.Script ?? oldValue.Script;
        ScriptArguments = newValue.ScriptArguments ?? oldValue.ScriptArguments;
    }

    /// <summary>Server or client.</summary>
    public PeerRole? Role { get; }

    /// <summary>Client role: the server <c>client.py</c> calls.</summary>
    public Uri? TargetUrl { get; }

    /// <summary>Client role: case-id globs (all live cases when none).</summary>
    public IReadOnlyList<string>? CaseGlobs { get; }

    /// <summary>Server role: the container's server exits by itself after this long.</summary>
    public TimeSpan? MaxLifetime { get; }

    /// <summary>A script (host path) run instead of the peer's; its folder is mounted at <c>/script</c>.</summary>
    public string? Script { get; }

    /// <summary>The script's arguments.</summary>
    public IReadOnlyList<string>? ScriptArguments { get; }
}
