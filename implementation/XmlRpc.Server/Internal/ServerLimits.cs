namespace XmlRpc.Server.Internal;

/// <summary>
/// The admission limits of one dispatcher (<see cref="XmlRpcServerOptions.MaxConcurrentRequests"/>,
/// <see cref="XmlRpcServerOptions.MaxResponseBytesInFlight"/>), shared by every endpoint it serves.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A SemaphoreSlim whose wait handle is never asked for holds nothing to dispose; the limits live as long as their dispatcher.")]
internal sealed class ServerLimits(XmlRpcServerOptions options)
{
    private readonly SemaphoreSlim _requests = new(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
    private long _bytesInFlight;

    /// <summary>Takes a request slot, waiting at most <see cref="XmlRpcServerOptions.RequestQueueTimeout"/>; false: none came.</summary>
    public Task<bool> EnterAsync(CancellationToken cancellationToken) => _requests.WaitAsync(options.RequestQueueTimeout, cancellationToken);

    /// <summary>Gives a slot back.</summary>
    public void Exit() => _requests.Release();

    /// <summary>Reserves <paramref name="bytes"/> of the in-flight budget; false (nothing reserved) when they do not fit.</summary>
    public bool TryReserve(long bytes)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _bytesInFlight);
            if (current + bytes > options.MaxResponseBytesInFlight)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _bytesInFlight, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives reserved bytes back.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _bytesInFlight, -bytes);
}
