using System.Globalization;
using System.Net;
using XmlRpc.Client.Internal;

namespace XmlRpc.Client;

/// <summary>The server answered with an HTTP status other than 200.</summary>
/// <remarks>
/// CPython's <c>Transport.single_request</c> parses only status 200; anything else (201, 204, redirects,
/// 401, 404, 500...) raises <c>ProtocolError(url, errcode, errmsg, headers)</c>. Redirects are not followed.
/// This exception also carries the first bytes of the body, which CPython discards.
/// </remarks>
public sealed class XmlRpcProtocolException : XmlRpcException
{
    /// <summary>How many body bytes are kept in <see cref="BodyPrefix"/>.</summary>
    public const int MaxBodyPrefixBytes = 1024;

    /// <summary>Creates the exception.</summary>
    /// <param name="url">The endpoint, without credentials.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="reasonPhrase">The reason phrase of the status line.</param>
    /// <param name="headers">Response headers (content headers included), in order.</param>
    /// <param name="bodyPrefix">The first bytes of the body (at most <see cref="MaxBodyPrefixBytes"/>).</param>
    public XmlRpcProtocolException(Uri url, HttpStatusCode statusCode, string? reasonPhrase, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> bodyPrefix)
        : base(FormatMessage(url, statusCode, reasonPhrase, bodyPrefix))
    {
        Url = url;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        BodyPrefix = bodyPrefix;
    }

    /// <summary>The endpoint that answered (without user info).</summary>
    public Uri Url { get; }

    /// <summary>The HTTP status code.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The reason phrase (CPython's <c>errmsg</c>), e.g. <c>Not Found</c>.</summary>
    public string? ReasonPhrase { get; }

    /// <summary>The response headers, content headers included, in the order received.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The first bytes of the response body (at most <see cref="MaxBodyPrefixBytes"/>).</summary>
    public ReadOnlyMemory<byte> BodyPrefix { get; }

    private static string FormatMessage(Uri url, HttpStatusCode statusCode, string? reasonPhrase, ReadOnlyMemory<byte> bodyPrefix)
    {
        var message = string.Format(CultureInfo.InvariantCulture, "XML-RPC endpoint {0} answered HTTP {1} {2}", url, (int)statusCode, reasonPhrase);
        return bodyPrefix.IsEmpty ? message + " (empty body)." : message + "; body starts: " + BodyText.Preview(bodyPrefix.Span);
    }
}
