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

    /// <summary>A request whose results and document stay within this always fits the in-flight budget (64 KiB).</summary>
    public const long SmallResponseBytes = 64 * 1024;

    /// <summary>
    /// Reserves <paramref name="bytes"/> more of the in-flight budget for a request that holds <paramref name="held"/>
    /// already; false (nothing reserved) when they do not fit.
    /// </summary>
    /// <remarks>
    /// Two requests always fit, so that the budget bounds what requests hold together without refusing what it was not
    /// made for: one alone in flight, so any response within <see cref="XmlRpcServerOptions.MaxResponseBytes"/> can be
    /// served (its strings hold twice their characters while it is formatted), and one within
    /// <see cref="SmallResponseBytes"/> (Kestrel's output buffer takes such a document at once), so an ordinary call is
    /// not refused while large responses fill the budget. Together they hold at most the budget, the largest response
    /// and <see cref="SmallResponseBytes"/> per request slot.
    /// </remarks>
    public bool TryReserve(long bytes, long held)
    {
        while (true)
        {
            var current = Interlocked.Read(ref _bytesInFlight);
            if (current + bytes > options.MaxResponseBytesInFlight && current != held && held + bytes > SmallResponseBytes)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _bytesInFlight, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Documents at least this large are followed by a compacting collection (8 MiB).</summary>
    public const long LargeResponseBytes = 8L * 1024 * 1024;

    private static readonly TimeSpan CompactionDelay = TimeSpan.FromSeconds(1);
    private int _compactionPending;

    /// <summary>Gives reserved bytes back; after a large response, gives the memory back to the OS (<see cref="AfterLargeDocument"/>).</summary>
    public void Release(long bytes)
    {
        Return(bytes);
        if (bytes >= LargeResponseBytes)
        {
            AfterLargeDocument();
        }
    }

    /// <summary>Gives reserved bytes back while the request goes on (its reservation shrinks to its document).</summary>
    public void Return(long bytes) => Interlocked.Add(ref _bytesInFlight, -bytes);

    /// <summary>
    /// Large result values (8 MiB or more) have just become garbage: a blocking, non-compacting full collection now, so that
    /// the next requests' results reuse their memory instead of adding to it (<see cref="XmlRpcServerOptions.CompactAfterLargeResponses"/>).
    /// </summary>
    /// <remarks>
    /// 100 connections asking <c>make_string(16777216)</c> at once make a 32 MiB string each, most of them refused by the
    /// in-flight budget right after: left to the collector's own pace, a few of those strings were garbage at any time, and
    /// the process peaked 60-90 MiB higher. The collection runs on the request that dropped the values and costs what the
    /// live heap costs to mark; it follows an allocation of at least 8 MiB, which costs more.
    /// </remarks>
    public void CollectLargeResults()
    {
        if (options.CompactAfterLargeResponses)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        }
    }

    /// <summary>
    /// A large document was written out or dropped, or a large result was formatted (its values are garbage now):
    /// a compacting collection a second later (<see cref="XmlRpcServerOptions.CompactAfterLargeResponses"/>). Documents
    /// done while one is pending share it, so there is at most one a second, and the last document is always followed by one.
    /// </summary>
    /// <remarks>
    /// An idle server (or one whose clients are slow to read) allocates nothing that would start a collection: the 32 MiB
    /// UTF-16 string behind a 16 MiB result would stay resident while its document waits for the reader. CPython's
    /// reference counting frees it at once. (A collection at most every 2 s, skipping the documents in between, once left
    /// the last multicall of a burst resident: 155 MiB settled where 57 was the rule.)
    /// </remarks>
    public void AfterLargeDocument()
    {
        if (!options.CompactAfterLargeResponses || Interlocked.Exchange(ref _compactionPending, 1) == 1)
        {
            return;
        }

        // A moment later: the request that formatted or released the document still holds it until its handler returns.
        _ = Task.Delay(CompactionDelay).ContinueWith(
            _ =>
            {
                Volatile.Write(ref _compactionPending, 0);
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }
}
