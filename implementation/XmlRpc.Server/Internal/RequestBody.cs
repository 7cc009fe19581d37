using System.IO.Pipelines;
using XmlRpc.Internal;

namespace XmlRpc.Server.Internal;

/// <summary>
/// A request body read whole: still in Kestrel's buffer when it came in one segment (no copy at all; the usual case for a
/// small call), else copied once into a <see cref="PooledBufferWriter"/> (pooled up to 1 MiB, presized from Content-Length).
/// Dispose when the document has been parsed.
/// </summary>
internal readonly struct RequestBody : IDisposable
{
    private readonly PipeReader? _heldIn;
    private readonly SequencePosition _end;
    private readonly PooledBufferWriter? _copy;

    private RequestBody(ReadOnlyMemory<byte> memory, PipeReader? heldIn, SequencePosition end, PooledBufferWriter? copy)
    {
        Memory = memory;
        _heldIn = heldIn;
        _end = end;
        _copy = copy;
    }

    /// <summary>The document's bytes (valid until <see cref="Dispose"/>).</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Reads the body to its end.</summary>
    /// <param name="reader">The request's body reader.</param>
    /// <param name="declared">Its Content-Length, when it has one.</param>
    /// <param name="cap">The most bytes accepted (<see cref="XmlRpcServerOptions.MaxRequestBytes"/>).</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    /// <exception cref="RequestTooLargeException">The body is longer than <paramref name="cap"/>.</exception>
    public static async ValueTask<RequestBody> ReadAsync(PipeReader reader, long? declared, long cap, CancellationToken cancellationToken)
    {
        var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCompleted && result.Buffer.IsSingleSegment && result.Buffer.Length <= cap)
        {
            // Not advanced: the bytes stay Kestrel's until Dispose.
            return new RequestBody(result.Buffer.First, reader, result.Buffer.End, null);
        }

        var copy = new PooledBufferWriter((int)Math.Min(Math.Min(Math.Max(declared ?? 0, result.Buffer.Length), cap), Array.MaxLength));
        try
        {
            long length = 0;
            while (true)
            {
                var buffer = result.Buffer;
                length += buffer.Length;
                if (length > cap)
                {
                    throw new RequestTooLargeException();
                }

                foreach (var segment in buffer)
                {
                    segment.Span.CopyTo(copy.GetSpan(segment.Length));
                    copy.Advance(segment.Length);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return new RequestBody(copy.WrittenMemory, null, default, copy);
                }

                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <summary>Hands the bytes back (to Kestrel, or to the pool).</summary>
    public void Dispose()
    {
        _copy?.Dispose();
        try
        {
            _heldIn?.AdvanceTo(_end);
        }
        catch (InvalidOperationException)
        {
            // The request is over already (aborted, reset): the host has completed its reader and owns the bytes again.
        }
    }
}

/// <summary>The request body is over <see cref="XmlRpcServerOptions.MaxRequestBytes"/> (or the gzip cap): answered 413 / 400.</summary>
internal sealed class RequestTooLargeException : Exception
{
    public RequestTooLargeException()
        : base("The request body is over the configured limit.")
    {
    }

    public RequestTooLargeException(string message)
        : base(message)
    {
    }

    public RequestTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
