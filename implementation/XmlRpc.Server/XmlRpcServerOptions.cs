using XmlRpc.Internal;

namespace XmlRpc.Server;

/// <summary>Settings of the XML-RPC dispatcher, wherever it is served: the standalone <see cref="XmlRpcServer"/> and <c>MapXmlRpc</c> endpoints alike.</summary>
/// <remarks>
/// Defaults follow CPython's <c>SimpleXMLRPCServer</c>; each limit CPython lacks is named on its property. Where the
/// standalone server listens (address, port, paths, connection limits) is <see cref="XmlRpcHostOptions"/>: an
/// endpoint in an ASP.NET Core application has those from the application, so <c>MapXmlRpc</c> cannot take them.
/// The options are checked when the dispatcher is created (<see cref="Validate"/>); with <c>AddXmlRpcServer</c> also
/// when the host starts.
/// </remarks>
public sealed class XmlRpcServerOptions
{
    /// <summary>The default cap on a request body: 32 MiB.</summary>
    public const long DefaultMaxRequestBytes = 32L * 1024 * 1024;

    /// <summary>The default cap on a gzip-decoded request body: 20 MiB, CPython's <c>gzip_decode</c> limit.</summary>
    public const long DefaultMaxGzipRequestBytes = 20L * 1024 * 1024;

    /// <summary>The default gzip threshold of responses: 1400 bytes, CPython's <c>encode_threshold</c>.</summary>
    public const int DefaultGzipResponseThreshold = 1400;

    /// <summary>The default cap on the bytes of one response body (before gzip): 100 MiB, the client's default cap too.</summary>
    public const long DefaultMaxResponseBytes = 100L * 1024 * 1024;

    /// <summary>The default number of requests dispatched or written at once: 16.</summary>
    public const int DefaultMaxConcurrentRequests = 16;

    /// <summary>The default total of response bytes in flight: 100 MiB.</summary>
    public const long DefaultMaxResponseBytesInFlight = 100L * 1024 * 1024;

    /// <summary>The default cap on the calls of one <c>system.multicall</c>.</summary>
    public const int DefaultMaxMulticallCalls = 1000;

    /// <summary>How the server words the faults it makes itself (default <see cref="XmlRpcFaultProfile.CPython"/>).</summary>
    public XmlRpcFaultProfile FaultProfile { get; set; } = XmlRpcFaultProfile.CPython;

    /// <summary>
    /// Send the class and message of an unexpected exception from a method to the client (default false: secure by
    /// default, like grpc-dotnet's <c>EnableDetailedErrors</c>).
    /// </summary>
    /// <remarks>
    /// Off, the client gets fault 1 <c>&lt;class 'Exception'&gt;:the method failed; the server logged the error</c> (interop
    /// profile: -32500 with that text) and the exception is logged at Error with the method's name. On, the fault is
    /// CPython's <c>&lt;class 'TypeName'&gt;:message</c>, word for word (the conformance service turns it on). A method that
    /// raises <c>XmlRpcFaultException</c> chooses its own fault and is sent as it is either way; argument errors (CPython's
    /// <c>TypeError</c>) describe the call, not the server, and are sent either way.
    /// </remarks>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>The largest request body (default 32 MiB); larger declared bodies get 413 before anything is read.</summary>
    /// <remarks>CPython has no request size limit: it reads whatever Content-Length announces.</remarks>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>The largest gzip-decoded request body (default 20 MiB, like CPython); more is answered 400.</summary>
    public long MaxGzipRequestBytes { get; set; } = DefaultMaxGzipRequestBytes;

    /// <summary>Responses longer than this are gzipped when the client grants gzip (default 1400); <see langword="null"/> never gzips.</summary>
    /// <remarks>CPython's <c>encode_threshold</c>: strictly greater (1400 bytes stay plain, 1401 are gzipped).</remarks>
    public int? GzipResponseThreshold { get; set; } = DefaultGzipResponseThreshold;

    /// <summary>The most calls one <c>system.multicall</c> may carry (default 1000); more fail the whole request with one fault.</summary>
    /// <remarks>CPython has no limit.</remarks>
    public int MaxMulticallCalls { get; set; } = DefaultMaxMulticallCalls;

    /// <summary>The largest response body the server writes (default 100 MiB); a larger result becomes a fault instead.</summary>
    /// <remarks>
    /// CPython has no limit, so a small <c>system.multicall</c> of large results can make it build gigabytes. Here a
    /// multicall stops running its calls once their results pass the limit, and any response over it is replaced by a
    /// fault saying so (CPython profile: <c>&lt;class 'Exception'&gt;:...</c>; interop profile: -32603).
    /// </remarks>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>
    /// The most requests dispatched or written at once (default 16); a request beyond it waits for a slot up to
    /// <see cref="RequestQueueTimeout"/>, then gets <c>503 Service Unavailable</c> with <c>Retry-After: 1</c>.
    /// </summary>
    /// <remarks>CPython's <c>SimpleXMLRPCServer</c> serves one request at a time and queues connections in the kernel (backlog 5).</remarks>
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>How long a request waits for one of the <see cref="MaxConcurrentRequests"/> slots before its 503 (default 5 s).</summary>
    public TimeSpan RequestQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most bytes responses hold in memory at once, over all connections (default 100 MiB); a response that does not
    /// fit is dropped and answered <c>503 Service Unavailable</c> with <c>Retry-After: 1</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A request charges each result with its document while it is formatted (strings at two bytes a character, binaries at
    /// their length: a 16 MiB string result holds 48 MiB until its document is written), then its document alone until it
    /// is written or dropped. A <c>system.multicall</c> is written as its calls return: it holds its document so far and
    /// one result at a time.
    /// </para>
    /// <para>
    /// Two requests always fit: one alone in flight, so that any response within <see cref="MaxResponseBytes"/> can be
    /// served (a 503 would only make its client retry forever), and one whose results and document stay within 64 KiB,
    /// so that ordinary calls are served while large responses fill the budget. The server thus holds at most this figure,
    /// one response beyond it and 64 KiB per request slot.
    /// </para>
    /// <para>
    /// With <see cref="ResponseStallTimeout"/> this bounds what clients that do not read can make the server hold: CPython
    /// has no such limit (100 connections asking for 16 MiB and never reading held 3.5 GB of an earlier build of ours).
    /// </para>
    /// </remarks>
    public long MaxResponseBytesInFlight { get; set; } = DefaultMaxResponseBytesInFlight;

    /// <summary>
    /// Collect large results as soon as they are garbage, and give their memory back to the operating system (default
    /// true): once the values of a result of 8 MiB or more are formatted or refused, a blocking non-compacting collection
    /// at once; after such a document is formatted, written or dropped, a compacting one a second later (documents done
    /// meanwhile share it).
    /// </summary>
    /// <remarks>
    /// An idle server, or one whose clients are slow to read, allocates nothing that would start a collection, so the
    /// garbage of large results stays resident (measured: 1.3 GB held after four 96 MiB multicalls, and the 32 MiB UTF-16
    /// string behind each 16 MiB result kept while its document waited for a slow reader); and under a burst of large
    /// requests the collector's own pace left a few 32 MiB strings of refused results garbage at any time (100 slow readers
    /// of 16 MiB results peaked 60-90 MiB higher). CPython's reference counting frees them at once. The immediate
    /// collection costs what marking the live heap costs (1-2 ms measured on the conformance server), on the request that
    /// dropped the values. Turn it off where the host manages collections itself or keeps a large live heap.
    /// </remarks>
    public bool CompactAfterLargeResponses { get; set; } = true;

    /// <summary>
    /// A client that takes no byte of its response for this long is disconnected and the response dropped (default 10 s).
    /// </summary>
    /// <remarks>The response is written in 64 KiB segments, each of which must be taken within this time. CPython has no such limit.</remarks>
    public TimeSpan ResponseStallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Offer <c>system.listMethods</c>, <c>system.methodHelp</c> and <c>system.methodSignature</c> (default true).</summary>
    /// <remarks>CPython's <c>register_introspection_functions()</c>.</remarks>
    public bool EnableIntrospection { get; set; } = true;

    /// <summary>Offer <c>system.multicall</c> (default true).</summary>
    /// <remarks>CPython's <c>register_multicall_functions()</c>.</remarks>
    public bool EnableMulticall { get; set; } = true;

    /// <summary>How responses are written (default: byte-identical to CPython with <c>allow_none=True</c>).</summary>
    public XmlRpcFormatterOptions FormatterOptions { get; set; } = XmlRpcFormatterOptions.Default;

    /// <summary>Limits of the request parser (default <see cref="XmlRpcParserOptions.Default"/>).</summary>
    public XmlRpcParserOptions ParserOptions { get; set; } = XmlRpcParserOptions.Default;

    /// <summary>Checks the options and throws one exception naming every invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate() => OptionsProblems.ThrowIfAny(nameof(XmlRpcServerOptions), Problems());

    internal IEnumerable<string> Problems()
    {
        if (MaxRequestBytes <= 0)
        {
            yield return $"MaxRequestBytes must be positive (is {MaxRequestBytes}).";
        }

        if (MaxGzipRequestBytes <= 0)
        {
            yield return $"MaxGzipRequestBytes must be positive (is {MaxGzipRequestBytes}).";
        }

        if (GzipResponseThreshold < 0)
        {
            yield return $"GzipResponseThreshold must be null or at least 0 (is {GzipResponseThreshold}).";
        }

        if (MaxMulticallCalls < 1)
        {
            yield return $"MaxMulticallCalls must be at least 1 (is {MaxMulticallCalls}); set EnableMulticall to false to offer no system.multicall.";
        }

        if (MaxResponseBytes <= 0)
        {
            yield return $"MaxResponseBytes must be positive (is {MaxResponseBytes}).";
        }

        if (MaxConcurrentRequests < 1)
        {
            yield return $"MaxConcurrentRequests must be at least 1 (is {MaxConcurrentRequests}).";
        }

        if (MaxResponseBytesInFlight <= 0)
        {
            yield return $"MaxResponseBytesInFlight must be positive (is {MaxResponseBytesInFlight}).";
        }


        foreach (var problem in OptionsProblems.Timeout(nameof(RequestQueueTimeout), RequestQueueTimeout, allowZero: true)
            .Concat(OptionsProblems.Timeout(nameof(ResponseStallTimeout), ResponseStallTimeout, allowZero: false)))
        {
            yield return problem;
        }

        if (!Enum.IsDefined(FaultProfile))
        {
            yield return $"FaultProfile {(int)FaultProfile} is not a defined profile.";
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
