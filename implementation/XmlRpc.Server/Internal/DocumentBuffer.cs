using System.Buffers;

namespace XmlRpc.Server.Internal;

/// <summary>
/// A buffer for one document (a response written, a request body copied): arrays of up to
/// <see cref="MaxPooledBytes"/> come from the shared pool and go back to it on <see cref="Dispose"/>; larger ones are plain
/// arrays the GC reclaims. A large document is presized from its <see cref="ResponseSize.LowerBound"/> so a 16 MiB string is
/// written into one array of about its size (no doubling to 32 MiB, no copy at the end).
/// </summary>
/// <remarks>The shared pool keeps what is returned to it for good: renting 16-256 MiB arrays from it would make a server that
/// once answered a large result hold that memory afterwards.</remarks>
internal sealed class DocumentBuffer(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    /// <summary>The largest array taken from (and given back to) the shared pool: 1 MiB, its default largest bucket.</summary>
    public const int MaxPooledBytes = 1024 * 1024;

    private byte[] _buffer = Rent(Math.Max(initialCapacity, 256));
    private int _written;

    /// <summary>The document written so far.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Gives a pooled array back; the buffer is empty afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        Return(buffer);
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var needed = (long)_written + sizeHint;
        var size = Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength);
        if (size < needed)
        {
            throw new InvalidOperationException("The XML-RPC document is too large for one buffer.");
        }

        var next = Rent((int)size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        Return(_buffer);
        _buffer = next;
    }

    private static byte[] Rent(int size) => size <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private static void Return(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
