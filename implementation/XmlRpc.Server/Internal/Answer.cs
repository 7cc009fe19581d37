using XmlRpc.Internal;

namespace XmlRpc.Server.Internal;

/// <summary>A response document and the pooled buffer it lives in, if any: dispose once it has been written.</summary>
internal readonly struct Answer(ReadOnlyMemory<byte> body, PooledBufferWriter? buffer) : IDisposable
{
    public ReadOnlyMemory<byte> Body { get; } = body;

    public static implicit operator Answer(byte[] document) => new(document, null);

    public void Dispose() => buffer?.Dispose();
}
