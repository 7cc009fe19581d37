namespace XmlRpc.Server.Internal;

/// <summary>
/// One request's share of <see cref="XmlRpcServerOptions.MaxResponseBytesInFlight"/>: grown as its results come into
/// memory (each result with its document while it is formatted; a multicall's document so far and the sub-result being
/// written), cut to the document once formatted, given back when the response is written or dropped.
/// </summary>
/// <remarks>
/// The HTTP pipeline makes one per request and the dispatcher charges it, so a request whose results do not fit stops
/// before it builds more (a 1.6 KB multicall of six 16 MiB strings asked eight times at once would otherwise hold
/// gigabytes). A multicall that is not written as it runs (a response in another encoding than UTF-8) finds it as
/// <see cref="Current"/>, set around its dispatch. Outside the pipeline there is none.
/// </remarks>
internal sealed class ResponseBudget(ServerLimits limits) : IDisposable
{
    private static readonly AsyncLocal<ResponseBudget?> Ambient = new();

    private long _reserved;
    private long _largestAsked;

    /// <summary>The budget of the request being dispatched on this flow, or null.</summary>
    public static ResponseBudget? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Grows the reservation to at least <paramref name="bytes"/>.</summary>
    /// <exception cref="ServerBusyException">The in-flight budget cannot hold it.</exception>
    public void EnsureReserved(long bytes)
    {
        _largestAsked = Math.Max(_largestAsked, bytes);
        var more = bytes - _reserved;
        if (more <= 0)
        {
            return;
        }

        if (!limits.TryReserve(more, _reserved))
        {
            throw new ServerBusyException();
        }

        _reserved = bytes;
    }

    /// <summary>The results are formatted: the reservation becomes the document's <paramref name="bytes"/>, more or less.</summary>
    /// <exception cref="ServerBusyException">The document is larger than reserved and the in-flight budget cannot hold it.</exception>
    public void ReserveExactly(long bytes)
    {
        EnsureReserved(bytes);
        if (bytes < _reserved)
        {
            limits.Return(_reserved - bytes);
            _reserved = bytes;
        }
    }

    /// <summary>
    /// The request's result values are garbage now (formatted, or refused): when they were large, they are collected
    /// before the next request makes its own (<see cref="ServerLimits.CollectLargeResults"/>).
    /// </summary>
    public void ResultsDropped()
    {
        if (_largestAsked >= ServerLimits.LargeResponseBytes)
        {
            limits.CollectLargeResults();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        limits.Release(_reserved);
        _reserved = 0;
    }
}

/// <summary>The response bytes in flight are at their limit: the request is answered 503, not with a fault.</summary>
internal sealed class ServerBusyException : Exception
{
    public ServerBusyException()
        : base("The server's response bytes in flight are at their limit.")
    {
    }

    public ServerBusyException(string message)
        : base(message)
    {
    }

    public ServerBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
