using System.Threading.Channels;
using Conformance.Peers.Internal;
using DotNet.Testcontainers.Configurations;

namespace Conformance.Peers.Containers;

/// <summary>
/// The output consumer of a peer container: Testcontainers attaches to the container before starting it and
/// copies stdout/stderr here, where they become lines.
/// </summary>
internal sealed class ContainerOutput : IOutputConsumer
{
    private readonly LineSplitter _stdout;
    private readonly LineSplitter _stderr;
    private readonly Channel<PeerLine> _lines = Channel.CreateUnbounded<PeerLine>();
    private readonly TaskCompletionSource<PeerLine> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ContainerOutput()
    {
        _stdout = new LineSplitter(text =>
        {
            var line = PeerLine.Parse(text);
            if (!_ready.Task.IsCompleted && ReadyLine.IsReady(line))
            {
                _ready.TrySetResult(line);
            }

            _lines.Writer.TryWrite(line);
        });
        _stderr = new LineSplitter(StderrTail.Add);
    }

    public bool Enabled => true;

    public Stream Stdout => _stdout;

    public Stream Stderr => _stderr;

    public TextTail StderrTail { get; } = new();

    /// <summary>Completes with the ready line once it arrives.</summary>
    public Task<PeerLine> Ready => _ready.Task;

    public ChannelReader<PeerLine> Lines => _lines.Reader;

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }
}
