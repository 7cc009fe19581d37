using XmlRpc.Internal;

namespace XmlRpc.Server.Internal;

/// <summary>
/// A response document, in one part or several (a <c>system.multicall</c> written as its calls return), and the buffers
/// it lives in: dispose once it has been written.
/// </summary>
internal sealed class Answer : IDisposable
{
    private readonly PooledBufferWriter?[] _buffers;

    public Answer(ReadOnlyMemory<byte> body, PooledBufferWriter? buffer)
    {
        Parts = [body];
        Length = body.Length;
        _buffers = [buffer];
    }

    public Answer(ReadOnlyMemory<byte>[] parts, PooledBufferWriter[] buffers)
    {
        Parts = parts;
        Length = parts.Sum(p => (long)p.Length);
        _buffers = buffers;
    }

    /// <summary>The document's parts, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Parts { get; }

    /// <summary>The document's length in bytes.</summary>
    public long Length { get; }

    public static implicit operator Answer(byte[] document) => new(document, null);

    /// <summary>The document in one array.</summary>
    public byte[] ToArray()
    {
        if (Parts.Count == 1)
        {
            return Parts[0].ToArray();
        }

        var document = new byte[Length];
        var offset = 0;
        foreach (var part in Parts)
        {
            part.Span.CopyTo(document.AsSpan(offset));
            offset += part.Length;
        }

        return document;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
        {
            buffer?.Dispose();
        }
    }
}
