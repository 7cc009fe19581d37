using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace XmlRpc.Server.Internal;

/// <summary>The HTTP side of one XML-RPC request: CPython's <c>SimpleXMLRPCRequestHandler.do_POST</c>, with limits.</summary>
internal static partial class HttpPipeline
{
    private static readonly byte[] NoSuchPage = "No such page"u8.ToArray();

    /// <summary>The segments a response is written in, each within <see cref="XmlRpcServerOptions.ResponseStallTimeout"/>.</summary>
    private const int WriteSegmentBytes = 64 * 1024;

    /// <summary>Answers one HTTP request already routed to an XML-RPC path.</summary>
    public static async Task HandleAsync(HttpContext context, XmlRpcDispatcher dispatcher, XmlRpcServerOptions options, ILogger logger)
    {
        var request = context.Request;
        var response = context.Response;

        if (!HttpMethods.IsPost(request.Method))
        {
            // CPython (BaseHTTPRequestHandler): 501 "Unsupported method ('GET')" with Connection: close, for every method but POST.
            await WriteErrorAsync(context, StatusCodes.Status501NotImplemented, string.Format(CultureInfo.InvariantCulture, "Unsupported method ('{0}')", request.Method), close: true).ConfigureAwait(false);
            return;
        }

        // HTTP/1.x: a body has a Content-Length or Transfer-Encoding; HTTP/2 and 3 (MapXmlRpc on such a host) frame
        // bodies themselves, which Kestrel reports as CanHaveBody.
        var framed = request.Headers.TransferEncoding.Count > 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        if (request.ContentLength is null && !framed)
        {
            // CPython: int(None) -> 500. A POST without a length is a client error (RFC 9110 §15.5.12).
            await WriteErrorAsync(context, StatusCodes.Status411LengthRequired, "Length Required", close: true).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > options.MaxRequestBytes)
        {
            // CPython has no cap and reads until EOF; we refuse before reading a byte.
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "Content Too Large", close: true).ConfigureAwait(false);
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = options.MaxRequestBytes;
        }

        // CPython reads the first Content-Encoding header (email.message get): a second one is ignored, a list in one is not gzip.
        var encoding = (request.Headers.ContentEncoding.Count > 0 ? request.Headers.ContentEncoding[0] ?? "" : "").Trim();
        var gzipped = false;
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                // CPython: 501 "encoding 'deflate' not supported" (custom reason phrase, %r quoting).
                await WriteErrorAsync(context, StatusCodes.Status501NotImplemented, string.Format(CultureInfo.InvariantCulture, "encoding '{0}' not supported", encoding), close: true).ConfigureAwait(false);
                return;
            }

            gzipped = true;
        }

        // Admission: the request slot is held from reading the body to the last byte written.
        var limits = dispatcher.Limits;
        bool admitted;
        try
        {
            admitted = await limits.EnterAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (!admitted)
        {
            LogBusy(logger, "no request slot came free", options.MaxConcurrentRequests);
            await WriteUnavailableAsync(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await HandleAdmittedAsync(context, dispatcher, options, logger, gzipped).ConfigureAwait(false);
        }
        finally
        {
            limits.Exit();
        }
    }

    private static async Task HandleAdmittedAsync(HttpContext context, XmlRpcDispatcher dispatcher, XmlRpcServerOptions options, ILogger logger, bool gzipped)
    {
        var request = context.Request;
        var response = context.Response;
        RequestBody body;
        try
        {
            body = await RequestBody.ReadAsync(request.BodyReader, request.ContentLength, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
            HalfClosedConnections.BodyRead(context);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(context, e.StatusCode, ReasonPhrase(e.StatusCode), close: true).ConfigureAwait(false);
            return;
        }
        catch (IOException e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel reports some malformed framings as a plain IOException: a chunk-size line of 80000000 or more
            // overflows its parser ("Bad chunk size data"). A malformed request is a 400, never a 500.
            LogBadFraming(logger, e.Message);
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request", close: true).ConfigureAwait(false);
            return;
        }
        catch (RequestTooLargeException)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "Content Too Large", close: true).ConfigureAwait(false);
            return;
        }

        using var budget = new ResponseBudget(dispatcher.Limits);
        Answer answer;
        using (body)
        {
            var document = body.Memory;
            if (gzipped)
            {
                try
                {
                    document = Gunzip(document, options.MaxGzipRequestBytes);
                }
                catch (Exception e) when (e is InvalidDataException or RequestTooLargeException)
                {
                    // CPython: 400 "error decoding gzip content" for data that is not gzip and for > 20 MiB. .NET's GZipStream is
                    // more lenient than CPython's gzip module: it ignores trailing garbage (CPython: 400) and a cut-off trailer
                    // (CPython: 500, EOFError); the document is then parsed as it decoded, and a cut-off one is a parse fault.
                    LogGzipError(logger, e.Message);
                    await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "error decoding gzip content", close: false).ConfigureAwait(false);
                    return;
                }
            }

            try
            {
                answer = await dispatcher.AnswerAsync(document, budget, context.RequestAborted).ConfigureAwait(false);
                try
                {
                    budget.ReserveExactly(answer.Length);
                }
                catch
                {
                    answer.Dispose();
                    throw;
                }

                budget.ResultsDropped();
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; the method saw the cancellation; there is nobody to answer.
                return;
            }
            catch (ServerBusyException)
            {
                budget.ResultsDropped();
                LogBusy(logger, "the results do not fit the response bytes in flight", options.MaxResponseBytesInFlight);
                await WriteUnavailableAsync(context).ConfigureAwait(false);
                return;
            }
        }

        using (answer)
        {
            IReadOnlyList<ReadOnlyMemory<byte>> document = answer.Parts;
            var length = answer.Length;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/xml";
            if (options.GzipResponseThreshold is int threshold && length > threshold && ClientAcceptsGzip(request.Headers.AcceptEncoding))
            {
                var compressed = Gzip(answer.Parts);
                document = [compressed];
                length = compressed.Length;
                response.Headers.ContentEncoding = "gzip";
            }

            response.ContentLength = length;
            await WriteWithinStallTimeoutAsync(context, document, length, options.ResponseStallTimeout, logger).ConfigureAwait(false);
        }
    }

    // A client must take each segment within the stall timeout, whatever the size of the response: one that stops
    // reading is dropped, and its response with it (Kestrel's minimum data rate allows a 16 MiB response hours). A segment
    // Kestrel takes at once (its output buffer has room: every small answer) starts no timer.
    private static async Task WriteWithinStallTimeoutAsync(HttpContext context, IReadOnlyList<ReadOnlyMemory<byte>> parts, long length, TimeSpan stallTimeout, ILogger logger)
    {
        var body = context.Response.Body;
        long written = 0;
        foreach (var part in parts)
        {
            for (var offset = 0; offset < part.Length; offset += WriteSegmentBytes)
            {
                var segment = part.Slice(offset, Math.Min(WriteSegmentBytes, part.Length - offset));
                var write = body.WriteAsync(segment, context.RequestAborted);
                if (!write.IsCompletedSuccessfully)
                {
                    var pending = write.AsTask();
                    try
                    {
                        await pending.WaitAsync(stallTimeout, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        LogStalled(logger, written, length, stallTimeout.TotalSeconds);
                        context.Abort();
                        Observe(pending);
                        return;
                    }
                    catch (OperationCanceledException) when (!pending.IsCompleted)
                    {
                        Observe(pending);
                        throw;
                    }
                }

                written += segment.Length;
            }
        }
    }

    // A write given up on ends with the aborted connection; its exception is nobody's news.
    private static void Observe(Task pending) =>
        pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    // Overloaded: the connection is closed too, so a client that does not read its answer holds nothing here.
    private static Task WriteUnavailableAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", close: true);
    }

    // Kestrel's BadHttpRequestException carries 400, 408 (body too slow), 413 ...: each its own phrase (RFC 9110 §15).
    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Bad Request";

    /// <summary>The standalone server's answer to a path outside <see cref="XmlRpcHostOptions.Paths"/>.</summary>
    /// <remarks>CPython: <c>404 Not Found</c>, <c>text/plain</c>, body <c>No such page</c>; the request body is not read.</remarks>
    public static async Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = NoSuchPage.Length;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            // The body stays unread (as in CPython); closing keeps it from being read as the next request.
            context.Response.Headers.Connection = "close";
        }

        await context.Response.Body.WriteAsync(NoSuchPage, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Does <c>Accept-Encoding</c> grant gzip with q &gt; 0? CPython's parsing, exactly.</summary>
    /// <remarks>
    /// CPython's <c>accept_encodings</c>: comma split, each part matched by
    /// <c>\s*([^\s;]+)\s*(;\s*q\s*=\s*([0-9\.]+))?</c>, the key compared case-sensitively with <c>gzip</c>;
    /// an unmatched q (<c>gzip;q=abc</c>, <c>gzip;level=1</c>) counts as 1.0. CPython drops the connection on
    /// <c>gzip;q=1.2.3</c> (a float() error); this server reads such a q as 0.
    /// </remarks>
    internal static bool ClientAcceptsGzip(IEnumerable<string?> headerValues)
    {
        var granted = 0.0;
        foreach (var headerValue in headerValues)
        {
            foreach (var part in (headerValue ?? string.Empty).Split(','))
            {
                var match = AcceptEncodingPattern().Match(part);
                if (!match.Success || match.Groups[1].Value != "gzip")
                {
                    continue;
                }

                var q = match.Groups[3];
                if (!q.Success)
                {
                    granted = 1.0;
                }
                else
                {
                    granted = double.TryParse(q.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : 0.0;
                }
            }
        }

        return granted > 0;
    }

    [GeneratedRegex(@"\G\s*([^\s;]+)\s*(;\s*q\s*=\s*([0-9\.]+))?", RegexOptions.CultureInvariant)]
    private static partial Regex AcceptEncodingPattern();

    private static byte[] Gunzip(ReadOnlyMemory<byte> data, long cap)
    {
        if (data.Length == 0)
        {
            throw new InvalidDataException("An empty body is not a gzip stream.");
        }

        using var input = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        var output = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = gzip.Read(chunk)) > 0)
        {
            if (output.Length + read > cap)
            {
                throw new RequestTooLargeException();
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }

    private static byte[] Gzip(IReadOnlyList<ReadOnlyMemory<byte>> parts)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var part in parts)
            {
                gzip.Write(part.Span);
            }
        }

        return output.ToArray();
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string reason, bool close)
    {
        var response = context.Response;
        response.StatusCode = status;
        var responseFeature = context.Features.Get<IHttpResponseFeature>();
        if (responseFeature is not null)
        {
            responseFeature.ReasonPhrase = reason;
        }

        if (close)
        {
            // The unread body would otherwise be parsed as the next request on this connection.
            response.Headers.Connection = "close";
        }

        var text = Encoding.UTF8.GetBytes(reason);
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = text.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Answered 503: {Why} (limit {Limit})")]
    private static partial void LogBusy(ILogger logger, string why, long limit);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Dropped a client that took no response byte for {Seconds} s ({Written} of {Length} bytes written)")]
    private static partial void LogStalled(ILogger logger, long written, long length, double seconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Refused a request body with malformed framing: {Reason}")]
    private static partial void LogBadFraming(ILogger logger, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Refused a gzip request body: {Reason}")]
    private static partial void LogGzipError(ILogger logger, string reason);
}
