namespace Conformance.Peers.Processes;

/// <summary>
/// Builds a peer process: an interpreter running <c>python-peers/server.py</c> or <c>client.py</c>. Immutable,
/// like Testcontainers' builders: every <c>With</c> returns a new builder.
/// </summary>
/// <example><code>
/// await using var server = new PythonProcessBuilder()
///     .WithInterpreter("/root/.pyenv/versions/2.7.18/bin/python")
///     .WithSources(settings.PeersDirectory, settings.FixturesDirectory)
///     .Build();
/// await server.StartAsync(ct);   // returns once the ready line is read
/// var url = server.Url;
/// </code></example>
public sealed class PythonProcessBuilder
{
    private readonly PythonProcessConfiguration _configuration;

    /// <summary>A builder for a <c>server.py</c> on <c>python3</c>.</summary>
    public PythonProcessBuilder()
        : this(new PythonProcessConfiguration())
    {
    }

    private PythonProcessBuilder(PythonProcessConfiguration configuration) => _configuration = configuration;

    /// <summary>The configuration so far.</summary>
    public PythonProcessConfiguration Configuration => _configuration;

    /// <summary>The interpreter to run.</summary>
    public PythonProcessBuilder WithInterpreter(string interpreter) => new(_configuration with { Interpreter = interpreter });

    /// <summary>Server or client.</summary>
    public PythonProcessBuilder WithRole(PeerRole role) => new(_configuration with { Role = role });

    /// <summary>Where the peer scripts and the catalog are.</summary>
    public PythonProcessBuilder WithSources(string peersDirectory, string fixturesDirectory) =>
        new(_configuration with { PeersDirectory = peersDirectory, FixturesDirectory = fixturesDirectory });

    /// <summary>Client role against <paramref name="url"/>, limited to <paramref name="caseGlobs"/> when any.</summary>
    public PythonProcessBuilder WithTarget(Uri url, IReadOnlyList<string>? caseGlobs = null) =>
        new(_configuration with { Role = PeerRole.Client, TargetUrl = url, CaseGlobs = caseGlobs ?? [] });

    /// <summary>Server role: exit by itself after this long.</summary>
    public PythonProcessBuilder WithMaxLifetime(TimeSpan lifetime) => new(_configuration with { MaxLifetime = lifetime });

    /// <summary>Server role: time allowed for the ready line.</summary>
    public PythonProcessBuilder WithReadyTimeout(TimeSpan timeout) => new(_configuration with { ReadyTimeout = timeout });

    /// <summary>Adds an environment variable.</summary>
    public PythonProcessBuilder WithEnvironment(string name, string value) =>
        new(_configuration with { Environment = new Dictionary<string, string>(_configuration.Environment, StringComparer.Ordinal) { [name] = value } });

    /// <summary>Appends arguments after the generated ones.</summary>
    public PythonProcessBuilder WithArguments(params string[] arguments) =>
        new(_configuration with { ExtraArguments = [.. _configuration.ExtraArguments, .. arguments] });

    /// <summary>Runs another script (with <paramref name="arguments"/>) whose stdout lines are read like a client's.</summary>
    public PythonProcessBuilder WithScript(string scriptPath, params string[] arguments) =>
        new(_configuration with { Role = PeerRole.Client, Script = Path.GetFullPath(scriptPath), ExtraArguments = arguments });

    /// <summary>Receives start/stop lines.</summary>
    public PythonProcessBuilder WithLog(Action<string>? log) => new(_configuration with { Log = log });

    /// <summary>Validates the configuration and creates the (not yet started) process.</summary>
    /// <exception cref="InvalidOperationException">Missing sources, or a client without a target.</exception>
    public PythonProcess Build()
    {
        if (_configuration.PeersDirectory is null)
        {
            throw new InvalidOperationException("WithSources(peersDirectory, fixturesDirectory) is required");
        }

        if (_configuration.Role == PeerRole.Client && _configuration.TargetUrl is null && _configuration.Script is null)
        {
            throw new InvalidOperationException("a client peer needs WithTarget(url) or WithScript(path)");
        }

        return new PythonProcess(_configuration);
    }
}
