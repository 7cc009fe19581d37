using System.Buffers;

namespace XmlRpc.Server.Internal;

/// <summary>
/// A buffer for one large response document, sized from the result's <see cref="ResponseSize.LowerBound"/> so a 16 MiB
/// string is written into one array of about its size (no doubling to 32 MiB, no copy at the end), in plain arrays the GC
/// reclaims rather than the shared pool's.
/// </summary>
internal sealed class ResponseBuffer(int initialCapacity) : IBufferWriter<byte>
{
    private byte[] _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(initialCapacity, 256));
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

        var next = GC.AllocateUninitializedArray<byte>((int)size);
        _buffer.AsSpan(0, _written).CopyTo(next);
        _buffer = next;
    }
}
