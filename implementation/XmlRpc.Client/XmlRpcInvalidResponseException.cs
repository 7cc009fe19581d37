namespace XmlRpc.Client;

/// <summary>The server answered HTTP 200, but the body is not a usable XML-RPC response (not XML-RPC, bad gzip, too large).</summary>
/// <remarks>
/// CPython ignores the response <c>Content-Type</c> and raises whatever its parser raises (<c>ExpatError</c>,
/// <c>ResponseError</c>, <c>BadGzipFile</c>); this exception names the problem and shows the start of the body.
/// </remarks>
public sealed class XmlRpcInvalidResponseException : XmlRpcException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, including the start of the body.</param>
    /// <param name="bodyPrefix">The first bytes of the body.</param>
    /// <param name="innerException">The parser or decoder error, if any.</param>
    public XmlRpcInvalidResponseException(string message, ReadOnlyMemory<byte> bodyPrefix, Exception? innerException = null)
        : base(message, innerException)
    {
        BodyPrefix = bodyPrefix;
    }

    /// <summary>The first bytes of the response body (at most <see cref="XmlRpcProtocolException.MaxBodyPrefixBytes"/>).</summary>
    public ReadOnlyMemory<byte> BodyPrefix { get; }
}
