using Microsoft.Extensions.Logging;
using XmlRpc.Internal;

namespace XmlRpc.Client;

/// <summary>Settings of an <see cref="XmlRpcClient"/>.</summary>
/// <remarks>Defaults follow CPython's <c>xmlrpc.client.ServerProxy</c> where it is safe to do so; every difference is named on its property.</remarks>
public sealed class XmlRpcClientOptions
{
    /// <summary>The default cap on a decoded response body: 100 MiB.</summary>
    public const long DefaultMaxResponseBytes = 100L * 1024 * 1024;

    /// <summary>
    /// The endpoint, e.g. <c>http://user:pass@127.0.0.1:8000/RPC2</c>. User info becomes a Basic
    /// <c>Authorization</c> header (percent-decoded, split at the last <c>@</c>); an empty path is <c>/RPC2</c>.
    /// </summary>
    /// <remarks>CPython 3.9.3+ <c>ServerProxy</c> URL handling. Unlike CPython a fragment is not sent
    /// (<see cref="HttpClient"/> never puts one on the wire).</remarks>
    public string? Url { get; set; }

    /// <summary>The <c>User-Agent</c> header; <see langword="null"/> sends none.</summary>
    /// <remarks>CPython sends <c>Python-xmlrpc/3.X</c>.</remarks>
    public string? UserAgent { get; set; } = "XmlRpc.NET/" + typeof(XmlRpcClientOptions).Assembly.GetName().Version?.ToString(3);

    /// <summary>The user name of Basic authentication; overrides the URL's user info when set.</summary>
    public string? UserName { get; set; }

    /// <summary>The password of Basic authentication (with <see cref="UserName"/>).</summary>
    public string? Password { get; set; }

    /// <summary>Extra request headers, sent in this order after the standard ones.</summary>
    /// <remarks>CPython 3.8+ <c>ServerProxy(headers=...)</c>.</remarks>
    public IList<KeyValuePair<string, string>> Headers { get; } = [];

    /// <summary>How long one call may take, from sending the request to the last byte of the response; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    /// <remarks>CPython has no timeout parameter (bpo-14134) and blocks forever by default; a client library should not.</remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Send <c>Accept-Encoding: gzip</c> and decode gzip responses (default true, like CPython).</summary>
    public bool AcceptGzip { get; set; } = true;

    /// <summary>The largest response body accepted, after gzip decoding (default 100 MiB).</summary>
    /// <remarks>CPython's <c>GzipDecodedResponse</c> decodes without any limit, so a small gzip bomb can
    /// exhaust a CPython client's memory; this client stops at the cap and throws.</remarks>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Gzip request bodies longer than this many bytes (<c>Content-Encoding: gzip</c>); <see langword="null"/> (default) never.</summary>
    /// <remarks>CPython's <c>Transport.encode_threshold</c> (default <c>None</c>); compression level 1 like CPython's <c>gzip_encode</c>.</remarks>
    public int? GzipRequestThreshold { get; set; }

    /// <summary>
    /// Retry a call once when the server closed the connection before any response byte arrived
    /// (a stale keep-alive connection). Default true.
    /// </summary>
    /// <remarks>
    /// CPython's <c>Transport.request</c> retries once on <c>RemoteDisconnected</c>/<c>ECONNRESET</c>/<c>EPIPE</c>,
    /// so the request may reach the server twice. A request this client provably did not send (an HTTP/1.0
    /// connection the server had announced it would close) is always retried, whatever this setting says.
    /// Turn it off for non-idempotent methods on servers that close idle keep-alive connections.
    /// </remarks>
    public bool RetryOnConnectionClosed { get; set; } = true;

    /// <summary>How requests are written (default: byte-identical to CPython's <c>ServerProxy(allow_none=True)</c>); its <see cref="XmlRpcFormatterOptions.EncodingName"/> is CPython's <c>encoding=</c>.</summary>
    public XmlRpcFormatterOptions FormatterOptions { get; set; } = XmlRpcFormatterOptions.Default;

    /// <summary>Limits of the response parser (default <see cref="XmlRpcParserOptions.Default"/>).</summary>
    public XmlRpcParserOptions ParserOptions { get; set; } = XmlRpcParserOptions.Default;

    /// <summary>
    /// Where the client logs (default none; <c>AddXmlRpcClient</c> takes the application's): each call at Debug (method,
    /// endpoint, sizes, time, fault code), the start of request and response bodies at Trace, failures at Warning.
    /// </summary>
    /// <remarks>Credentials are never logged: they travel in the <c>Authorization</c> header, which is not.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Checks the options and throws one exception naming every invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate() => OptionsProblems.ThrowIfAny(nameof(XmlRpcClientOptions), Problems());

    internal IEnumerable<string> Problems()
    {
        foreach (var problem in OptionsProblems.Timeout(nameof(Timeout), Timeout, allowZero: false))
        {
            yield return problem;
        }

        if (MaxResponseBytes <= 0)
        {
            yield return $"MaxResponseBytes must be positive (is {MaxResponseBytes}).";
        }

        if (GzipRequestThreshold < 0)
        {
            yield return $"GzipRequestThreshold must be null or at least 0 (is {GzipRequestThreshold}).";
        }

        if (FormatterOptions is null)
        {
            yield return "FormatterOptions must not be null.";
        }

        if (ParserOptions is null)
        {
            yield return "ParserOptions must not be null.";
        }
    }
}
