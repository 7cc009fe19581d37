using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmlRpc.Internal;
using XmlRpc.Protocol;
using XmlRpc.Server.Internal;

namespace XmlRpc.Server;

/// <summary>Answers XML-RPC requests: parses, calls the registered method, writes the response or the fault.</summary>
/// <remarks>
/// <para>CPython's <c>SimpleXMLRPCDispatcher</c>: any error (unparsable request, unknown method, wrong
/// parameters, an exception in the method, a result that cannot be written) becomes a fault response, never an
/// HTTP error; how it is worded depends on <see cref="XmlRpcServerOptions.FaultProfile"/>. One dispatcher can serve
/// the standalone <see cref="XmlRpcServer"/> and any number of <c>MapXmlRpc</c> endpoints at once.</para>
/// <para>Built in, unless switched off in the options: <c>system.listMethods</c>, <c>system.methodHelp</c>,
/// <c>system.methodSignature</c> and <c>system.multicall</c>.</para>
/// </remarks>
public sealed partial class XmlRpcDispatcher
{
    // Results past this are written into one presized buffer of plain memory (PooledBufferWriter), not grown by doubling.
    private const long LargeDocumentBytes = 1024 * 1024;

    // The first pooled array a response is written into; it grows by doubling (small calls fit it).
    private const int SmallDocumentBytes = 4096;

    private readonly Dictionary<string, XmlRpcMethodDefinition> _system = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly FaultFactory _faults;

    /// <summary>Creates a dispatcher.</summary>
    /// <param name="methods">The methods to offer.</param>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="logger">Where method exceptions and internal errors are logged.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="XmlRpcServerOptions.Validate"/>).</exception>
    public XmlRpcDispatcher(XmlRpcMethodRegistry methods, XmlRpcServerOptions? options = null, ILogger<XmlRpcDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(methods);
        Methods = methods;
        Options = options ?? new XmlRpcServerOptions();
        Options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _faults = new FaultFactory(Options.FaultProfile, Options.EnableDetailedErrors);
        Limits = new ServerLimits(Options);
        Formatter = new XmlRpcFormatter(Options.FormatterOptions);
        Parser = new XmlRpcParser(Options.ParserOptions);
        if (Options.EnableIntrospection)
        {
            foreach (var method in SystemMethods.Introspection(this))
            {
                _system.Add(method.Name, method);
            }
        }

        if (Options.EnableMulticall)
        {
            var multicall = SystemMethods.Multicall(this);
            _system.Add(multicall.Name, multicall);
        }
    }

    /// <summary>The methods offered (besides the <c>system.*</c> ones).</summary>
    public XmlRpcMethodRegistry Methods { get; }

    /// <summary>The options.</summary>
    public XmlRpcServerOptions Options { get; }

    /// <summary>Writes the responses.</summary>
    public XmlRpcFormatter Formatter { get; }

    /// <summary>Reads the requests.</summary>
    public XmlRpcParser Parser { get; }

    /// <summary>Every callable name, sorted by code point (what <c>system.listMethods</c> returns).</summary>
    public IReadOnlyList<string> MethodNames =>
        [.. Methods.Methods.Select(m => m.Name).Union(_system.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Answers one request body with one response body (a fault response for any error).</summary>
    /// <param name="requestBody">The request document.</param>
    /// <param name="cancellationToken">The request's cancellation (client gone, server stopping).</param>
    /// <returns>The response document.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled.</exception>
    public async Task<byte[]> HandleRequestAsync(ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken)
    {
        using var answer = await AnswerAsync(requestBody, budget: null, cancellationToken).ConfigureAwait(false);
        return answer.ToArray();
    }

    /// <summary>As <see cref="HandleRequestAsync"/>, the document in a pooled buffer (dispose the answer once written).</summary>
    /// <param name="requestBody">The request document (read synchronously, before the method runs).</param>
    /// <param name="budget">The request's share of the response bytes in flight (the HTTP pipeline's); null outside it.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    internal async ValueTask<Answer> AnswerAsync(ReadOnlyMemory<byte> requestBody, ResponseBudget? budget, CancellationToken cancellationToken)
    {
        XmlRpcMessage message;
        try
        {
            message = Parser.Parse(requestBody.Span);
        }
        catch (XmlRpcParseException e)
        {
            LogParseError(_logger, e.Message);
            return Formatter.FormatFault(_faults.ParseError(e));
        }

        if (message.IsFault)
        {
            // CPython: loads() raises the Fault and the dispatcher answers with it (echoes it back), its members as received.
            try
            {
                return Formatter.FormatFault(_faults.FaultDocument(message.Fault));
            }
            catch (XmlRpcFormatException)
            {
                // A code CPython cannot write either (beyond 32 bits: its server fails with HTTP 500): the code as an int.
                return Formatter.FormatFault(new XmlRpcFault(message.Fault.Code, message.Fault.Message));
            }
        }

        var request = new XmlRpcRequest(message.MethodName ?? string.Empty, message.Params);
        if (StreamsMulticall(message.MethodName))
        {
            return await StreamMulticallAsync(request, budget, cancellationToken).ConfigureAwait(false);
        }

        if (budget is not null && message.MethodName == XmlRpcMultiCall.MethodName)
        {
            // A multicall not written as it runs (another encoding) charges each sub-result as it comes (SystemMethods); set
            // here, the ambient value flows into this call only (an async method's changes to it end with the method), and
            // no other call pays for setting it.
            ResponseBudget.Current = budget;
        }

        var response = message.MethodName is null
            ? XmlRpcResponse.FromFault(_faults.MissingMethodName())
            : await DispatchCoreAsync(request, cancellationToken).ConfigureAwait(false);
        return Format(request, response, budget);
    }

    /// <summary>Calls one method and returns its result or its fault (never throws for a method's failure).</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Passed to the method.</param>
    /// <returns>The response.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled.</exception>
    public Task<XmlRpcResponse> DispatchAsync(XmlRpcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DispatchCoreAsync(request, cancellationToken).AsTask();
    }

    // A ValueTask: a method that completes synchronously (most do) costs no Task here.
    private async ValueTask<XmlRpcResponse> DispatchCoreAsync(XmlRpcRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return XmlRpcResponse.Success(await InvokeAsync(request.MethodName, request.Params, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not ServerBusyException)
        {
            return XmlRpcResponse.FromFault(ToFault(request.MethodName, e));
        }
    }

    /// <summary>Calls one method; its exceptions propagate (CPython's <c>_dispatch</c>).</summary>
    /// <param name="methodName">The exact wire name.</param>
    /// <param name="parameters">The parameters.</param>
    /// <param name="cancellationToken">Passed to the method.</param>
    /// <returns>The result.</returns>
    /// <exception cref="XmlRpcFaultException">The method raised a fault, or there is no such method.</exception>
    public ValueTask<XmlRpcValue> InvokeAsync(string methodName, IReadOnlyList<XmlRpcValue> parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(methodName);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!Methods.TryGetMethod(methodName, out var method) && !_system.TryGetValue(methodName, out method))
        {
            throw new XmlRpcFaultException(_faults.MethodNotFound(methodName));
        }

        return method.Handler(parameters, cancellationToken);
    }

    /// <summary>The fault for an exception raised by a call of <paramref name="methodName"/>, as the profile words it.</summary>
    /// <param name="methodName">The method called.</param>
    /// <param name="exception">What it raised.</param>
    /// <returns>The fault to send.</returns>
    public XmlRpcFault ToFault(string methodName, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // A fault the method chose and an argument error are answers about the call; anything else is the server's error.
        if (exception is not (XmlRpcFaultException or XmlRpcInvalidParamsException))
        {
            LogMethodException(_logger, methodName, exception);
        }

        return _faults.FromException(exception);
    }

    internal bool TryGetMethod(string name, out XmlRpcMethodDefinition? method) =>
        Methods.TryGetMethod(name, out method) || _system.TryGetValue(name, out method);

    internal FaultFactory Faults => _faults;

    /// <summary>The admission limits every endpoint of this dispatcher shares.</summary>
    internal ServerLimits Limits { get; }

    private Answer Format(XmlRpcRequest request, XmlRpcResponse response, ResponseBudget? budget)
    {
        PooledBufferWriter? buffer = null;
        try
        {
            var initialCapacity = SmallDocumentBytes;
            if (!response.IsFault)
            {
                var size = ResponseSize.Of(response.Value);
                if (size.Document > Options.MaxResponseBytes)
                {
                    return Formatter.FormatFault(_faults.ResponseTooLarge(Options.MaxResponseBytes));
                }

                budget?.EnsureReserved(size.WhileFormatting);
                if (size.Document > LargeDocumentBytes)
                {
                    // One array of about the document's size; the prolog and what escaping adds fit the slack or grow it once.
                    initialCapacity = (int)Math.Min(size.Document + (64 * 1024), Array.MaxLength);
                }
            }

            buffer = new PooledBufferWriter(initialCapacity);
            Formatter.WriteResponse(buffer, response);
            if (initialCapacity > LargeDocumentBytes)
            {
                Limits.AfterLargeDocument();
            }

            if (buffer.WrittenMemory.Length > Options.MaxResponseBytes)
            {
                buffer.Dispose();
                return Formatter.FormatFault(_faults.ResponseTooLarge(Options.MaxResponseBytes));
            }

            return new Answer(buffer.WrittenMemory, buffer);
        }
        catch (XmlRpcFormatException e) when (response.IsFault && response.Fault.Value is not null)
        {
            // A fault whose members were given as values (CPython's Fault(code, anything), a received fault re-raised)
            // that cannot be written: its code and text still can.
            buffer?.Dispose();
            LogUnwritableResult(_logger, request.MethodName, e.Message);
            return Formatter.FormatFault(FaultFactory.Writable(new XmlRpcFault(response.Fault.Code, response.Fault.Message)));
        }
        catch (XmlRpcFormatException e) when (!response.IsFault)
        {
            buffer?.Dispose();
            if (request.MethodName == XmlRpcMultiCall.MethodName && response.Value.Kind == XmlRpcValueKind.Array)
            {
                // One sub-result cannot be written: fault that call only (CPython fails the whole multicall).
                return Formatter.FormatResponse(XmlRpcResponse.Success(IsolateUnwritableResults(response.Value)));
            }

            LogUnwritableResult(_logger, request.MethodName, e.Message);
            return Formatter.FormatFault(_faults.FromException(e));
        }
        catch
        {
            buffer?.Dispose();
            throw;
        }
    }

    private XmlRpcValue IsolateUnwritableResults(XmlRpcValue results)
    {
        var items = new List<XmlRpcValue>(results.Count);
        foreach (var item in results.AsArray())
        {
            try
            {
                Formatter.FormatResponse(XmlRpcResponse.Success(item));
                items.Add(item);
            }
            catch (XmlRpcFormatException e)
            {
                items.Add(_faults.FromException(e).ToValue());
            }
        }

        return XmlRpcValue.Array(items);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Unparsable XML-RPC request: {Reason}")]
    private static partial void LogParseError(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "XML-RPC method '{Method}' raised an exception")]
    private static partial void LogMethodException(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "The result of XML-RPC method '{Method}' cannot be written: {Reason}")]
    private static partial void LogUnwritableResult(ILogger logger, string method, string reason);
}
