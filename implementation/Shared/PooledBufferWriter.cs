using System.Buffers;

namespace XmlRpc.Internal;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> for one document (a request or response written, a request body copied) over arrays
/// rented from <see cref="ArrayPool{T}.Shared"/>, up to <see cref="MaxPooledBytes"/> (compiled into the core and the server).
/// </summary>
/// <remarks>
/// A large document can be presized (the server sizes a response from its lower bound) so a 16 MiB string is written
/// into one array of about its size: no doubling to 32 MiB, no copy at the end.
/// Larger documents (a multicall of 16 MiB strings) grow in plain arrays the GC reclaims: the shared pool keeps what is
/// returned to it for good, so renting 128-256 MiB arrays from it made a server that once answered a large result hold
/// gigabytes afterwards.
/// </remarks>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>The largest array taken from (and given back to) the shared pool: 1 MiB, its default largest bucket.</summary>
    public const int MaxPooledBytes = 1024 * 1024;

    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialCapacity = 4096)
    {
        _buffer = Rent(Math.Max(initialCapacity, 256));
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public int WrittenCount => _written;

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

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

    public void Clear() => _written = 0;

    /// <summary>Forgets what was written after the first <paramref name="count"/> bytes.</summary>
    public void Truncate(int count) => _written = count >= 0 && count <= _written ? count : throw new ArgumentOutOfRangeException(nameof(count));

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
        var size = Math.Max(needed, (long)_buffer.Length * 2);
        if (size > Array.MaxLength)
        {
            size = needed <= Array.MaxLength ? Array.MaxLength : throw new InvalidOperationException("The XML-RPC document is too large for one buffer.");
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
