using System.Globalization;
using System.Text.Json;

namespace Conformance.Peers;

/// <summary>What peers to use, from the environment.</summary>
public sealed record PeerDiscoveryOptions
{
    /// <summary>The images used when <c>$CONFORMANCE_IMAGES</c> is unset (those that exist locally).</summary>
    public static readonly IReadOnlyList<string> DefaultImages =
    [
        "xmlrpc-conformance/python-peer:3.9",
        "xmlrpc-conformance/python-peer:3.11",
        "xmlrpc-conformance/python-peer:3.13",
    ];

    /// <summary><c>auto</c> (containers when an engine answers and the images exist, else processes), <c>docker</c> or <c>process</c>.</summary>
    public string Mode { get; init; } = "auto";

    /// <summary>Interpreters for process peers; discovery when empty.</summary>
    public IReadOnlyList<string> Pythons { get; init; } = [];

    /// <summary>Images for container peers; <see cref="DefaultImages"/> when empty.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary><c>$CONFORMANCE_PEERS</c>, <c>$CONFORMANCE_PYTHONS</c>, <c>$CONFORMANCE_IMAGES</c>.</summary>
    public static PeerDiscoveryOptions FromEnvironment()
    {
        var mode = Environment.GetEnvironmentVariable("CONFORMANCE_PEERS");
        var pythons = Environment.GetEnvironmentVariable("CONFORMANCE_PYTHONS");
        var images = Environment.GetEnvironmentVariable("CONFORMANCE_IMAGES");
        return new PeerDiscoveryOptions
        {
            Mode = string.IsNullOrWhiteSpace(mode) ? "auto" : mode.Trim().ToLowerInvariant(),
            Pythons = string.IsNullOrWhiteSpace(pythons) ? [] : PythonInterpreters.SplitPathList(pythons),
            Images = string.IsNullOrWhiteSpace(images) ? [] : images.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
}

/// <summary>
/// The peers of this run: containers or processes, and which runtimes. Decided once per process
/// (<see cref="Current"/>) so that test discovery and the fixture agree.
/// </summary>
public sealed class PeerEnvironment
{
    private static readonly Lazy<PeerEnvironment> Lazy = new(() => Task.Run(() => DiscoverAsync(PeerDiscoveryOptions.FromEnvironment(), CancellationToken.None)).GetAwaiter().GetResult());

    private PeerEnvironment(PeerHosting hosting, IReadOnlyList<PeerRuntime> runtimes, string reason, DockerEngineInfo? engine, IReadOnlyList<string> notes, string? error)
    {
        Hosting = hosting;
        Runtimes = runtimes;
        Reason = reason;
        Engine = engine;
        Notes = notes;
        Error = error;
    }

    /// <summary>The environment of this process, discovered on first use from the environment variables.</summary>
    public static PeerEnvironment Current => Lazy.Value;

    /// <summary>Containers or processes.</summary>
    public PeerHosting Hosting { get; }

    /// <summary>The runtimes, oldest Python first; keys are unique.</summary>
    public IReadOnlyList<PeerRuntime> Runtimes { get; }

    /// <summary>Why this hosting was chosen.</summary>
    public string Reason { get; }

    /// <summary>The Docker engine, when one answered.</summary>
    public DockerEngineInfo? Engine { get; }

    /// <summary>What discovery left out, and why.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Set when the requested hosting cannot work (e.g. <c>docker</c> without an engine); then there are no runtimes.</summary>
    public string? Error { get; }

    /// <summary>Finds the runtimes for <paramref name="options"/>.</summary>
    public static async Task<PeerEnvironment> DiscoverAsync(PeerDiscoveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var notes = new List<string>();
        if (options.Mode is not ("auto" or "docker" or "process"))
        {
            return new PeerEnvironment(PeerHosting.Process, [], "", null, notes, $"peers '{options.Mode}' (CONFORMANCE_PEERS, --peers): expected docker, process or auto");
        }

        DockerEngineInfo? engine = null;
        if (options.Mode != "process")
        {
            DockerEnvironment.Configure();
            engine = await DockerEnvironment.ProbeAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            if (engine is null)
            {
                if (options.Mode == "docker")
                {
                    return new PeerEnvironment(PeerHosting.Docker, [], "", null, notes, "peers: docker requested but no Docker engine answers (DOCKER_HOST or /var/run/docker.sock)");
                }

                notes.Add("no Docker engine answers: process peers");
            }
            else
            {
                var images = await ImagesAsync(options, notes).ConfigureAwait(false);
                var explicitImages = options.Images.Count > 0;
                if (images.Count > 0 && (!explicitImages || images.Count == options.Images.Count))
                {
                    var reason = string.Create(CultureInfo.InvariantCulture,
                        $"{(options.Mode == "docker" ? "docker requested" : "auto")}: Docker engine {engine.Version} (API {engine.ApiVersion}) at {engine.Endpoint}, {images.Count} peer image(s)");
                    return new PeerEnvironment(PeerHosting.Docker, WithUniqueKeys(images), reason, engine, notes, null);
                }

                if (options.Mode == "docker")
                {
                    return new PeerEnvironment(PeerHosting.Docker, [], "", engine, notes,
                        "peers: docker requested but the peer images are missing: " + string.Join(", ", explicitImages ? options.Images : PeerDiscoveryOptions.DefaultImages) + " (python-peers/build-images.sh builds them)");
                }

                notes.Add("Docker engine answers but no peer image exists: process peers");
            }
        }

        var pythons = await PythonInterpreters.DiscoverAsync(options.Pythons, notes, cancellationToken).ConfigureAwait(false);
        var runtimes = WithUniqueKeys([.. pythons.Select(p => (PeerRuntime)new ProcessRuntime(p.Executable, p.Identity))]);
        var why = options.Mode == "process" ? "process requested" : "auto: " + string.Join("; ", notes);
        var none = options.Pythons.Count > 0
            ? "no interpreter given with --python runs: " + string.Join("; ", notes.Where(n => n.StartsWith("interpreter ", StringComparison.Ordinal)))
            : "no Python interpreter found (python3 on PATH, $PYENV_ROOT/versions, or $CONFORMANCE_PYTHONS)";
        return runtimes.Count == 0
            ? new PeerEnvironment(PeerHosting.Process, [], why, engine, notes, none)
            : new PeerEnvironment(PeerHosting.Process, runtimes, why + string.Create(CultureInfo.InvariantCulture, $", {runtimes.Count} interpreter(s)"), engine, notes, null);
    }

    /// <summary>One line per runtime, for logs.</summary>
    public string Describe() =>
        $"peers: {Hosting} ({Reason})" + string.Concat(Runtimes.Select(r => $"\n  {r.Key}: {r.Source}{(r.Identity.Build is { } b ? " [" + b + "]" : "")}"))
        + string.Concat(Notes.Select(n => "\n  note: " + n)) + (Error is null ? "" : "\n  ERROR: " + Error);

    private static async Task<List<PeerRuntime>> ImagesAsync(PeerDiscoveryOptions options, List<string> notes)
    {
        var names = options.Images.Count > 0 ? options.Images : PeerDiscoveryOptions.DefaultImages;
        var inspected = await Task.WhenAll(names.Select(n => DockerEnvironment.InspectImageAsync(n, TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        var list = new List<PeerRuntime>();
        for (var i = 0; i < names.Count; i++)
        {
            if (inspected[i] is { } json)
            {
                var id = json.TryGetProperty("Id", out var idJson) && idJson.ValueKind == JsonValueKind.String ? idJson.GetString() : null;
                list.Add(new ContainerRuntime(names[i], DeclaredIdentity(names[i], json), id));
            }
            else
            {
                notes.Add($"image {names[i]}: not present");
            }
        }

        return [.. list.OrderBy(r => PythonInterpreters.VersionOf(r.Identity.Version))];
    }

    /// <summary>
    /// What an image says it runs, without running it: an <c>org.xmlrpc-conformance.python.version</c>-like
    /// label, else the <c>PYTHON_VERSION</c> variable of the official images, else the tag.
    /// </summary>
    private static PeerIdentity DeclaredIdentity(string image, JsonElement inspect)
    {
        string? version = null;
        string? build = null;
        if (inspect.TryGetProperty("Config", out var config) && config.ValueKind == JsonValueKind.Object)
        {
            if (config.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
            {
                foreach (var label in labels.EnumerateObject())
                {
                    if (label.Value.ValueKind == JsonValueKind.String && label.Name.Contains("python", StringComparison.OrdinalIgnoreCase))
                    {
                        if (label.Name.EndsWith("version", StringComparison.OrdinalIgnoreCase))
                        {
                            version ??= label.Value.GetString();
                        }
                        else if (label.Name.EndsWith("build", StringComparison.OrdinalIgnoreCase))
                        {
                            build ??= label.Value.GetString();
                        }
                    }
                }
            }

            if (version is null && config.TryGetProperty("Env", out var env) && env.ValueKind == JsonValueKind.Array)
            {
                version = env.EnumerateArray().Select(e => e.GetString() ?? "").FirstOrDefault(e => e.StartsWith("PYTHON_VERSION=", StringComparison.Ordinal))?["PYTHON_VERSION=".Length..];
            }
        }

        var colon = image.LastIndexOf(':');
        version ??= colon > image.LastIndexOf('/') ? image[(colon + 1)..] : "latest";
        return new PeerIdentity("CPython", version, build);
    }

    private static List<PeerRuntime> WithUniqueKeys(List<PeerRuntime> runtimes)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in runtimes)
        {
            var n = seen[r.Key] = seen.GetValueOrDefault(r.Key) + 1;
            if (n > 1)
            {
                r.Key += string.Create(CultureInfo.InvariantCulture, $" #{n}");
            }
        }

        return runtimes;
    }
}
