using XmlRpc.Internal;

namespace XmlRpc.Server.Internal;

/// <summary>
/// A response document written in parts as a <c>system.multicall</c>'s calls return: small sub-results share parts of about
/// <see cref="PartBytes"/>, a larger one gets a part of its own sized for it, so no buffer is grown by doubling past
/// <see cref="PartBytes"/> and nothing is copied to join them (the parts are written to the client one after another).
/// </summary>
internal sealed class MulticallDocument : IDisposable
{
    /// <summary>The size of a shared part, and the least sub-result that gets a part of its own (1 MiB).</summary>
    public const int PartBytes = 1024 * 1024;

    private const int FirstBufferBytes = 4096;

    private readonly List<ReadOnlyMemory<byte>> _parts = [];
    private readonly List<PooledBufferWriter> _buffers = [];
    private PooledBufferWriter? _current;
    private bool _handedOver;

    /// <summary>The bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>Adds bytes that live elsewhere (the document's prolog and epilog).</summary>
    public void AppendRaw(ReadOnlyMemory<byte> bytes)
    {
        Close();
        _parts.Add(bytes);
        Length += bytes.Length;
    }

    /// <summary>Writes one sub-result with <paramref name="write"/>, whose document is at least <paramref name="lowerBound"/> bytes.</summary>
    public void Append(long lowerBound, Action<PooledBufferWriter> write)
    {
        PooledBufferWriter buffer;
        if (lowerBound >= PartBytes)
        {
            Close();
            buffer = Add((int)Math.Min(lowerBound + (64 * 1024), Array.MaxLength));
        }
        else
        {
            buffer = _current ??= Add(FirstBufferBytes);
        }

        var before = buffer.WrittenCount;
        write(buffer);
        Length += buffer.WrittenCount - before;
        if (buffer != _current)
        {
            _parts.Add(buffer.WrittenMemory); // a part of its own, done
        }
        else if (buffer.WrittenCount >= PartBytes)
        {
            Close();
        }
    }

    /// <summary>The document, which owns the buffers from now on.</summary>
    public Answer ToAnswer()
    {
        Close();
        _handedOver = true;
        return new Answer([.. _parts], [.. _buffers]);
    }

    public void Dispose()
    {
        if (_handedOver)
        {
            return;
        }

        foreach (var buffer in _buffers)
        {
            buffer.Dispose();
        }

        _buffers.Clear();
    }

    private PooledBufferWriter Add(int capacity)
    {
        var buffer = new PooledBufferWriter(capacity);
        _buffers.Add(buffer);
        return buffer;
    }

    // The shared part is done: its bytes stay where they are (the buffer is not written again).
    private void Close()
    {
        if (_current is not null)
        {
            _parts.Add(_current.WrittenMemory);
            _current = null;
        }
    }
}
