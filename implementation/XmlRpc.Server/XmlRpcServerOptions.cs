namespace XmlRpc.Server;

/// <summary>Settings of the XML-RPC server (the standalone <see cref="XmlRpcServer"/> and <c>MapXmlRpc</c> endpoints).</summary>
/// <remarks>Defaults follow CPython's <c>SimpleXMLRPCServer</c>; each limit CPython lacks is named on its property.</remarks>
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

    /// <summary>The default total of response bytes being written at once: 100 MiB (room for one response of <see cref="DefaultMaxResponseBytes"/>).</summary>
    public const long DefaultMaxResponseBytesInFlight = 100L * 1024 * 1024;

    /// <summary>The default number of open connections of the standalone server: 1000.</summary>
    public const long DefaultMaxConcurrentConnections = 1000;

    /// <summary>The default cap on the calls of one <c>system.multicall</c>.</summary>
    public const int DefaultMaxMulticallCalls = 1000;

    /// <summary>The paths the standalone server answers POSTs on (exact, case-sensitive); default <c>/</c> and <c>/RPC2</c>.</summary>
    /// <remarks>CPython's <c>rpc_paths</c> (<c>('/', '/RPC2')</c>; 3.11 added <c>/pydoc.css</c> for DocXMLRPCServer). Other paths get 404.
    /// Unlike CPython, a query string does not make a path unknown.</remarks>
    public IList<string> Paths { get; } = ["/", "/RPC2"];

    /// <summary>The loopback or interface address the standalone server binds (default <c>127.0.0.1</c>).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port of the standalone server; 0 (default) picks a free one, see <see cref="XmlRpcServer.Port"/>.</summary>
    public int Port { get; set; }

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
    /// The most response bytes being written at once, over all connections (default 256 MiB); a response that does not fit
    /// is dropped and answered <c>503 Service Unavailable</c> with <c>Retry-After: 1</c> (default 100 MiB).
    /// </summary>
    /// <remarks>
    /// With <see cref="ResponseStallTimeout"/> this bounds what clients that do not read can make the server hold: CPython
    /// has no such limit (100 connections asking for 16 MiB and never reading held 3.5 GB of an earlier build of ours).
    /// </remarks>
    public long MaxResponseBytesInFlight { get; set; } = DefaultMaxResponseBytesInFlight;

    /// <summary>
    /// After a response document of 8 MiB or more is formatted, and after it is written or dropped, run a compacting
    /// collection a second later (at most every 2 s) so the memory goes back to the operating system (default true).
    /// </summary>
    /// <remarks>
    /// An idle server, or one whose clients are slow to read, allocates nothing that would start a collection, so the
    /// garbage of large results stays resident (measured: 1.3 GB held after four 96 MiB multicalls, and the 32 MiB UTF-16
    /// string behind each 16 MiB result kept while its document waited for a slow reader). CPython's reference counting
    /// frees it at once. Turn it off where the host manages collections itself.
    /// </remarks>
    public bool CompactAfterLargeResponses { get; set; } = true;

    /// <summary>
    /// A client that takes no byte of its response for this long is disconnected and the response dropped (default 10 s).
    /// </summary>
    /// <remarks>The response is written in 64 KiB segments, each of which must be taken within this time. CPython has no such limit.</remarks>
    public TimeSpan ResponseStallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most open connections of the standalone server (default 1000); more are closed as they arrive (Kestrel).</summary>
    /// <remarks><c>MapXmlRpc</c> endpoints run on the application's Kestrel, whose own limits apply.</remarks>
    public long MaxConcurrentConnections { get; set; } = DefaultMaxConcurrentConnections;

    /// <summary>
    /// The time a client of the standalone server has to send a request's whole head (default 30 s); then it gets
    /// <c>408 Request Timeout</c> and the connection is closed (slowloris).
    /// </summary>
    /// <remarks>CPython has no header timeout: one client that never finishes its head blocks SimpleXMLRPCServer for good.</remarks>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Offer <c>system.listMethods</c>, <c>system.methodHelp</c> and <c>system.methodSignature</c> (default true).</summary>
    /// <remarks>CPython's <c>register_introspection_functions()</c>.</remarks>
    public bool EnableIntrospection { get; set; } = true;

    /// <summary>Offer <c>system.multicall</c> (default true).</summary>
    /// <remarks>CPython's <c>register_multicall_functions()</c>.</remarks>
    public bool EnableMulticall { get; set; } = true;

    /// <summary>
    /// Answer a client that half-closes its side of the connection (<c>shutdown(SHUT_WR)</c>) after a complete
    /// request (default true, like CPython). Applies to the standalone <see cref="XmlRpcServer"/>.
    /// </summary>
    /// <remarks>
    /// Kestrel takes the client's FIN for a full close and drops the response (dotnet/aspnetcore#13188); CPython's
    /// <c>SimpleXMLRPCServer</c> answers, and the catalog's raw exchanges (<c>python-peers/conformance.py</c>
    /// <c>http_exchange</c>) half-close. With this on, a FIN no longer signals <c>HttpContext.RequestAborted</c>:
    /// a client that goes away while a method runs is noticed when the response is written (CPython never notices).
    /// <c>MapXmlRpc</c> endpoints run on the application's own Kestrel and keep its behaviour.
    /// </remarks>
    public bool AnswerHalfClosedConnections { get; set; } = true;

    /// <summary>How responses are written (default: byte-identical to CPython with <c>allow_none=True</c>).</summary>
    public XmlRpcFormatterOptions FormatterOptions { get; set; } = XmlRpcFormatterOptions.Default;

    /// <summary>Limits of the request parser (default <see cref="XmlRpcParserOptions.Default"/>).</summary>
    public XmlRpcParserOptions ParserOptions { get; set; } = XmlRpcParserOptions.Default;
}
