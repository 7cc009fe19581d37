using System.Runtime.CompilerServices;
using DotNet.Testcontainers.Containers;

namespace Conformance.Peers.Containers;

/// <summary>A Python peer container (the Container of the Testcontainers trio).</summary>
public sealed class PythonPeerContainer : DockerContainer
{
    private readonly PythonPeerConfiguration _configuration;
    private readonly ContainerOutput _output;
    private PeerLine? _readyLine;

    internal PythonPeerContainer(PythonPeerConfiguration configuration, ContainerOutput output)
        : base(configuration)
    {
        _configuration = configuration;
        _output = output;
    }

    /// <summary>Server or client.</summary>
    public PeerRole Role => _configuration.Role ?? PeerRole.Server;

    /// <summary>The image name.</summary>
    public string ImageName => _configuration.Image.FullName;

    /// <summary>Server role: the ready line (read after <c>StartAsync</c>).</summary>
    public PeerLine ReadyLine => _readyLine ?? throw new InvalidOperationException("the server has not announced itself; call StartAsync first");

    /// <summary>Server role: the endpoint from the ready line (host networking: no port mapping).</summary>
    public Uri Url => Internal.ReadyLine.Url(ReadyLine);

    /// <summary>Server role: what the ready line says the peer is.</summary>
    public PeerIdentity Identity => PeerIdentity.FromJson(ReadyLine.Json!.Value);

    /// <summary>The last lines of the container's stderr.</summary>
    public string StandardErrorTail => _output.StderrTail.ToString();

    /// <summary>
    /// Server role: reads the ready line once readiness passed. The attached stream normally has it already;
    /// the container log is the fallback.
    /// </summary>
    public async Task<PeerLine> ReadReadyLineAsync(CancellationToken cancellationToken)
    {
        if (_readyLine is not null)
        {
            return _readyLine;
        }

        try
        {
            _readyLine = await _output.Ready.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var (stdout, _) = await GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
            _readyLine = stdout.Split('\n').Select(PeerLine.Parse).FirstOrDefault(Internal.ReadyLine.IsReady)
                ?? throw new Conformance.Peers.PeerException($"container {Id[..12]} ({ImageName}) passed readiness but its log has no ready line: {stdout}");
        }

        return _readyLine;
    }

    /// <summary>
    /// Client role: the lines the container prints, streamed as they come, until it exits. Once it has
    /// exited, its log is the authority: lines the attached stream had not delivered yet come from there.
    /// </summary>
    public async IAsyncEnumerable<PeerLine> ReadLinesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var yielded = 0;
        var exited = GetExitCodeAsync(cancellationToken);
        while (true)
        {
            var next = _output.Lines.WaitToReadAsync(cancellationToken).AsTask();
            var done = await Task.WhenAny(next, exited).ConfigureAwait(false);
            if (done == exited)
            {
                break;
            }

            while (_output.Lines.TryRead(out var line))
            {
                yielded++;
                yield return line;
            }
        }

        ExitCode = await exited.ConfigureAwait(false);
        var (stdout, _) = await GetLogsAsync(timestampsEnabled: false, ct: cancellationToken).ConfigureAwait(false);
        var all = stdout.Split('\n');
        var count = all.Length > 0 && all[^1].Length == 0 ? all.Length - 1 : all.Length;
        for (var i = yielded; i < count; i++)
        {
            yield return PeerLine.Parse(all[i].TrimEnd('\r'));
        }
    }

    /// <summary>Client role: the exit code, once <see cref="ReadLinesAsync"/> has finished.</summary>
    public long? ExitCode { get; private set; }

    /// <inheritdoc/>
    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore().ConfigureAwait(false);
        _output.Dispose();
    }
}
