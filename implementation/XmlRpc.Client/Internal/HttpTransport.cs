using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace XmlRpc.Client.Internal;

/// <summary>Moves one XML-RPC request body to the server and its response body back (CPython's <c>Transport</c>).</summary>
internal sealed class HttpTransport
{
    private static readonly MediaTypeHeaderValue TextXml = new("text/xml");

    /// <summary>How often a request that provably never left is tried on another connection.</summary>
    private const int MaxUnsentAttempts = 8;

    private readonly HttpClient _http;
    private readonly XmlRpcClientOptions _options;
    private readonly AuthenticationHeaderValue? _authorization;

    public HttpTransport(HttpClient http, XmlRpcClientOptions options)
    {
        _http = http;
        _options = options;
        if (options.Url is null && http.BaseAddress is null)
        {
            throw new ArgumentException("XmlRpcClientOptions.Url (or HttpClient.BaseAddress) must name the endpoint.", nameof(options));
        }

        var address = EndpointAddress.Parse(options.Url ?? http.BaseAddress!.OriginalString);
        Endpoint = address.RequestUri;
        var credentials = options.UserName is not null
            ? Encoding.UTF8.GetBytes(options.UserName + ":" + (options.Password ?? string.Empty))
            : address.UserInfo;
        if (credentials is not null)
        {
            // CPython: base64 of unquote_to_bytes(userinfo), no newlines; "user@" sends "user" without a colon.
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        }
    }

    /// <summary>The request URI (user info removed).</summary>
    public Uri Endpoint { get; }

    /// <summary>Posts <paramref name="body"/> and returns the decoded response body of a 200 answer.</summary>
    public async Task<byte[]> PostAsync(byte[] body, string methodName, CancellationToken cancellationToken)
    {
        using var timeout = _options.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(_options.Timeout);
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? cancellationToken;

        var payload = body;
        var gzipped = false;
        if (_options.GzipRequestThreshold is int threshold && body.Length > threshold)
        {
            payload = Gzip.Compress(body);
            gzipped = true;
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = CreateRequest(payload, gzipped);
                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (IsUnsent(e) && attempt < MaxUnsentAttempts)
                {
                    // Not a byte left: safe to try again on another (or a new) connection, whatever the method.
                    continue;
                }
                catch (HttpRequestException e) when (attempt == 0 && IsRetryable(e))
                {
                    continue;
                }

                using (response)
                {
                    return await ReadResponseAsync(response, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException e) when (timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                string.Format(CultureInfo.InvariantCulture, "The XML-RPC call '{0}' to {1} did not complete within {2} s.", methodName, Endpoint, _options.Timeout.TotalSeconds),
                e);
        }
    }

    private HttpRequestMessage CreateRequest(byte[] payload, bool gzipped)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            // Always a Content-Length body: CPython's server does not support chunked requests.
            Content = new ByteArrayContent(payload),
        };
        request.Content.Headers.ContentType = TextXml;
        var custom = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in _options.Headers)
        {
            // A header the options name replaces the default of the same name (Content-Type, Accept-Encoding, User-Agent).
            if (custom.Add(name))
            {
                // TryGetValues is false (never a throw) for a name that belongs to the other collection.
                _ = request.Headers.TryGetValues(name, out _) && request.Headers.Remove(name);
                _ = request.Content.Headers.TryGetValues(name, out _) && request.Content.Headers.Remove(name);
            }

            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (_authorization is not null)
        {
            request.Headers.Authorization = _authorization;
        }

        if (_options.AcceptGzip && !custom.Contains("Accept-Encoding"))
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        }

        if (!string.IsNullOrEmpty(_options.UserAgent) && !custom.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        }

        if (gzipped)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Content.Headers.ContentLength = payload.Length;
        return request;
    }

    /// <summary>
    /// True when the request was refused before any byte was written (<see cref="StaleConnectionException"/>).
    /// </summary>
    /// <remarks>
    /// A safety net: <see cref="Http10ConnectionStream"/> marks such connections <c>Connection: close</c>, so
    /// SocketsHttpHandler should never hand one out again. Should it (another handler version, a custom
    /// pipeline), the attempt cost nothing and is retried, up to <see cref="MaxUnsentAttempts"/> times.
    /// </remarks>
    private static bool IsUnsent(HttpRequestException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is StaleConnectionException)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsRetryable(HttpRequestException exception)
    {
        if (!_options.RetryOnConnectionClosed)
        {
            return false;
        }

        if (exception.HttpRequestError == HttpRequestError.ResponseEnded)
        {
            // SendAsync failed before a complete status line and headers: CPython's RemoteDisconnected.
            return true;
        }

        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown })
            {
                return true;
            }
        }

        return false;
    }

    private async Task<byte[]> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // The error page is for a reader: decoded when the server gzipped it (a partial decode is still shown).
                var gzipped = response.Content.Headers.ContentEncoding.Contains("gzip", StringComparer.OrdinalIgnoreCase);
                var source = gzipped ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
                ReadOnlyMemory<byte> prefix;
                await using (source.ConfigureAwait(false))
                {
                    prefix = await ReadAtMostAsync(source, XmlRpcProtocolException.MaxBodyPrefixBytes, cancellationToken).ConfigureAwait(false);
                }

                throw new XmlRpcProtocolException(Endpoint, response.StatusCode, response.ReasonPhrase, CollectHeaders(response), prefix);
            }

            if (response.Content.Headers.ContentLength is long declared && declared > _options.MaxResponseBytes)
            {
                throw new XmlRpcInvalidResponseException(
                    string.Format(CultureInfo.InvariantCulture, "The response of {0} declares {1} bytes, over MaxResponseBytes ({2}).", Endpoint, declared, _options.MaxResponseBytes),
                    ReadOnlyMemory<byte>.Empty);
            }

            var body = await ReadCappedAsync(stream, _options.MaxResponseBytes, "response body", cancellationToken).ConfigureAwait(false);
            if (!response.Content.Headers.ContentEncoding.Contains("gzip", StringComparer.OrdinalIgnoreCase))
            {
                return body;
            }

            try
            {
                var compressed = new MemoryStream(body, writable: false);
                var gzip = new GZipStream(compressed, CompressionMode.Decompress);
                await using (gzip.ConfigureAwait(false))
                {
                    return await ReadCappedAsync(gzip, _options.MaxResponseBytes, "gzip-decoded response body", cancellationToken).ConfigureAwait(false);
                }
            }
            catch (InvalidDataException e)
            {
                throw new XmlRpcInvalidResponseException(
                    string.Format(CultureInfo.InvariantCulture, "The response of {0} says Content-Encoding: gzip but is not valid gzip: {1} Body starts: {2}", Endpoint, e.Message, BodyText.Preview(body)),
                    body.AsMemory(0, Math.Min(body.Length, XmlRpcProtocolException.MaxBodyPrefixBytes)),
                    e);
            }
        }
    }

    private async Task<byte[]> ReadCappedAsync(Stream stream, long cap, string what, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > cap)
            {
                var prefix = buffer.ToArray();
                throw new XmlRpcInvalidResponseException(
                    string.Format(CultureInfo.InvariantCulture, "The {0} of {1} exceeds MaxResponseBytes ({2}).", what, Endpoint, cap),
                    prefix.AsMemory(0, Math.Min(prefix.Length, XmlRpcProtocolException.MaxBodyPrefixBytes)));
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAtMostAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var total = 0;
        try
        {
            while (total < count)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            // The status is what matters; a body cut short (or gzip that stops decoding) only shortens the prefix.
        }

        return buffer.AsMemory(0, total);
    }

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value));
            }
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value));
            }
        }

        return headers;
    }
}
