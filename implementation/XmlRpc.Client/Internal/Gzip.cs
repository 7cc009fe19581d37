using System.IO.Compression;

namespace XmlRpc.Client.Internal;

/// <summary>gzip encoding of request bodies.</summary>
internal static class Gzip
{
    /// <summary>Compresses with the fastest level, like CPython's <c>gzip_encode</c> (<c>compresslevel=1</c>).</summary>
    public static byte[] Compress(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
