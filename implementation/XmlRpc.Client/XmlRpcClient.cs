using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmlRpc.Client.Internal;
using XmlRpc.Protocol;

namespace XmlRpc.Client;

/// <summary>Calls methods on an XML-RPC server over HTTP: the .NET counterpart of CPython's <c>xmlrpc.client.ServerProxy</c>.</summary>
/// <remarks>
/// <para>Each call is one <c>POST</c> with a <c>Content-Length</c> body (never chunked: CPython's server refuses
/// chunked requests), <c>Content-Type: text/xml</c> and <c>Accept-Encoding: gzip</c>. Only HTTP 200 is read as an
/// XML-RPC response (<see cref="XmlRpcProtocolException"/> otherwise); a fault response throws
/// <see cref="XmlRpcFaultException"/>.</para>
/// <para>The client is thread-safe: concurrent calls share the <see cref="HttpClient"/> and its connection pool.
/// Requests are written by <see cref="XmlRpcFormatter"/> (byte-identical to CPython's) and responses read by
/// <see cref="XmlRpcParser"/>.</para>
/// </remarks>
public sealed class XmlRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly HttpTransport _transport;
    private readonly ILogger _logger;

    /// <summary>Creates a client for <paramref name="url"/> with default options, on its own <see cref="XmlRpcHttpHandler.CreatePrimaryHandler"/>.</summary>
    /// <param name="url">The endpoint, e.g. <c>http://127.0.0.1:8000/RPC2</c>.</param>
    public XmlRpcClient(string url)
        : this(new XmlRpcClientOptions { Url = url })
    {
    }

    /// <summary>Creates a client on its own <see cref="XmlRpcHttpHandler.CreatePrimaryHandler"/> (disposed with the client).</summary>
    /// <param name="options">The options; <see cref="XmlRpcClientOptions.Url"/> is required.</param>
    public XmlRpcClient(XmlRpcClientOptions options)
        : this(new HttpClient(XmlRpcHttpHandler.CreatePrimaryHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }, options, ownsHttpClient: true)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/> (not disposed with the client).</summary>
    /// <param name="httpClient">The HTTP client, e.g. from <see cref="IHttpClientFactory"/>. Its own <see cref="HttpClient.Timeout"/> still applies.</param>
    /// <param name="options">The options; without <see cref="XmlRpcClientOptions.Url"/>, <see cref="HttpClient.BaseAddress"/> is the endpoint.</param>
    /// <remarks>A handler that is not <see cref="XmlRpcHttpHandler.CreatePrimaryHandler"/> may reuse connections an HTTP/1.0 server is
    /// closing; the client then relies on its one retry (<see cref="XmlRpcClientOptions.RetryOnConnectionClosed"/>).</remarks>
    public XmlRpcClient(HttpClient httpClient, XmlRpcClientOptions options)
        : this(httpClient, options, ownsHttpClient: false)
    {
    }

    /// <summary>Creates a client over an <see cref="HttpMessageHandler"/>.</summary>
    /// <param name="handler">The handler (for tests, or a custom pipeline ending in <see cref="XmlRpcHttpHandler.CreatePrimaryHandler"/>).</param>
    /// <param name="options">The options; <see cref="XmlRpcClientOptions.Url"/> is required.</param>
    /// <param name="disposeHandler">Dispose <paramref name="handler"/> with the client.</param>
    public XmlRpcClient(HttpMessageHandler handler, XmlRpcClientOptions options, bool disposeHandler = false)
        : this(new HttpClient(handler ?? throw new ArgumentNullException(nameof(handler)), disposeHandler) { Timeout = Timeout.InfiniteTimeSpan }, options, ownsHttpClient: true)
    {
    }

    private XmlRpcClient(HttpClient httpClient, XmlRpcClientOptions options, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        Options = options;
        Formatter = new XmlRpcFormatter(options.FormatterOptions);
        Parser = new XmlRpcParser(options.ParserOptions);
        _transport = new HttpTransport(httpClient, options);
        _logger = options.LoggerFactory?.CreateLogger<XmlRpcClient>() ?? NullLogger<XmlRpcClient>.Instance;
    }

    /// <summary>The request URI (user info removed; it is sent as <c>Authorization</c>).</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>The options.</summary>
    public XmlRpcClientOptions Options { get; }

    /// <summary>Writes the requests.</summary>
    public XmlRpcFormatter Formatter { get; }

    /// <summary>Reads the responses.</summary>
    public XmlRpcParser Parser { get; }

    /// <summary>Sends one call and returns the response, fault or not.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response (a fault response does not throw).</returns>
    /// <exception cref="XmlRpcFormatException">The request cannot be written (e.g. an int beyond 32 bits, a control character); nothing was sent.</exception>
    /// <exception cref="XmlRpcProtocolException">The server answered with a status other than 200.</exception>
    /// <exception cref="XmlRpcInvalidResponseException">The response body is not an XML-RPC response.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    /// <exception cref="TimeoutException"><see cref="XmlRpcClientOptions.Timeout"/> elapsed.</exception>
    public async Task<XmlRpcResponse> SendAsync(XmlRpcRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = Formatter.FormatRequest(request);
        var method = request.MethodName;
        var started = Stopwatch.GetTimestamp();
        ClientLog.Sending(_logger, method, Endpoint, body.Length);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            ClientLog.RequestBody(_logger, method, BodyText.Preview(body, ClientLog.TraceBodyChars));
        }

        byte[] answer;
        XmlRpcMessage message;
        try
        {
            answer = await _transport.PostAsync(body, method, cancellationToken).ConfigureAwait(false);
            message = Parse(answer, method);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ClientLog.Failed(_logger, e, method, Endpoint, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }

        var response = message.ToResponse();
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var outcome = response.Fault is { } fault ? string.Format(CultureInfo.InvariantCulture, "fault {0}", fault.Code) : "result";
            ClientLog.Answered(_logger, method, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, answer.Length, outcome);
        }

        if (_logger.IsEnabled(LogLevel.Trace))
        {
            ClientLog.ResponseBody(_logger, method, BodyText.Preview(answer, ClientLog.TraceBodyChars));
        }

        return response;
    }

    private XmlRpcMessage Parse(byte[] answer, string method)
    {
        try
        {
            return Parser.Parse(answer);
        }
        catch (XmlRpcParseException e)
        {
            throw new XmlRpcInvalidResponseException(
                string.Format(CultureInfo.InvariantCulture, "The answer of {0} to '{1}' is not an XML-RPC response: {2} Body starts: {3}", Endpoint, method, e.Message, BodyText.Preview(answer)),
                answer.AsMemory(0, Math.Min(answer.Length, XmlRpcProtocolException.MaxBodyPrefixBytes)),
                e);
        }
    }

    /// <summary>Calls <paramref name="methodName"/> with XML-RPC values and returns its result.</summary>
    /// <param name="methodName">The method name.</param>
    /// <param name="parameters">The parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result (one value; a response with zero or several params comes back as an array of them).</returns>
    /// <exception cref="XmlRpcFaultException">The server answered with a fault.</exception>
    public async Task<XmlRpcValue> CallAsync(string methodName, IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        ArgumentNullException.ThrowIfNull(parameters);
        var response = await SendAsync(new XmlRpcRequest(methodName, parameters), cancellationToken).ConfigureAwait(false);
        return response.GetValueOrThrow();
    }

    /// <summary>Calls <paramref name="methodName"/> with CLR arguments and maps the result to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The result type (<see cref="XmlRpcValue"/> for the raw value).</typeparam>
    /// <param name="methodName">The method name.</param>
    /// <param name="args">The arguments, mapped by the CLR mapping (an <see cref="XmlRpcValue"/> is sent as it is).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    /// <exception cref="XmlRpcFaultException">The server answered with a fault.</exception>
    /// <exception cref="XmlRpcMappingException">An argument or the result cannot be mapped.</exception>
    [RequiresUnreferencedCode("Arguments and results are mapped to and from CLR types by reflection.")]
    [RequiresDynamicCode("Arguments and results are mapped to and from CLR types by reflection.")]
    public async Task<T> InvokeAsync<T>(string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var result = await CallAsync(methodName, ToValues(args), cancellationToken).ConfigureAwait(false);
        return result is T same ? same : XmlRpcSerializer.FromValue<T>(result);
    }

    /// <summary>Calls <paramref name="methodName"/> with CLR arguments, ignoring the result.</summary>
    /// <param name="methodName">The method name.</param>
    /// <param name="args">The arguments, mapped by the CLR mapping.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The call.</returns>
    /// <exception cref="XmlRpcFaultException">The server answered with a fault.</exception>
    [RequiresUnreferencedCode("Arguments are mapped from CLR types by reflection.")]
    [RequiresDynamicCode("Arguments are mapped from CLR types by reflection.")]
    public Task InvokeAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        CallAsync(methodName, ToValues(args), cancellationToken);

    /// <summary>Starts a <c>system.multicall</c> batch (CPython's <c>MultiCall</c>).</summary>
    /// <returns>An empty batch bound to this client.</returns>
    public XmlRpcMultiCallBuilder CreateMultiCall() => new(this);

    /// <summary>Creates a typed proxy: each method of <typeparamref name="T"/> is one XML-RPC call.</summary>
    /// <typeparam name="T">
    /// An interface whose methods return <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or
    /// <see cref="ValueTask{TResult}"/>; <see cref="XmlRpcMethodAttribute"/> renames a method; a <see cref="CancellationToken"/>
    /// parameter cancels the call and is not sent.
    /// </typeparam>
    /// <returns>The proxy: the one the XmlRpcWire source generator wrote for <typeparamref name="T"/> (no reflection,
    /// see <see cref="XmlRpcGeneratedProxies"/>), else one built by <see cref="DispatchProxy"/> (no Reflection.Emit of ours).</returns>
    [RequiresDynamicCode("DispatchProxy generates the proxy type at run time.")]
    [RequiresUnreferencedCode("Arguments and results are mapped to and from CLR types by reflection.")]
    public T CreateProxy<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>()
        where T : class
    {
        if (!typeof(T).IsInterface)
        {
            throw new ArgumentException($"{typeof(T)} is not an interface: XML-RPC proxies implement interfaces.", nameof(T));
        }

        if (XmlRpcGeneratedProxies.TryCreate<T>(this) is { } generated)
        {
            return generated;
        }

        var proxy = DispatchProxy.Create<T, XmlRpcDispatchProxy>();
        ((XmlRpcDispatchProxy)(object)proxy).Attach(this);
        return proxy;
    }

    /// <summary>Disposes the <see cref="HttpClient"/> when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    [RequiresUnreferencedCode("Arguments are mapped from CLR types by reflection.")]
    [RequiresDynamicCode("Arguments are mapped from CLR types by reflection.")]
    internal static XmlRpcValue[] ToValues(object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new XmlRpcValue[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            values[i] = args[i] as XmlRpcValue ?? XmlRpcSerializer.ToValue(args[i]);
        }

        return values;
    }
}
