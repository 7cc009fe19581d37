using System.IO.Compression;
using System.Text;

namespace Conformance.Live;

/// <summary>
/// Keeps the XML of the requests and responses our client exchanges inside a <see cref="Begin"/> scope, so a report can
/// show the bytes of a case beside its verdict.
/// </summary>
/// <remarks>
/// The scope is an <see cref="AsyncLocal{T}"/>: cases that run at the same time on one client each see only their own
/// exchanges. Bodies are read as UTF-8 for display (a gzip body is decoded first); the client still reads the bytes.
/// </remarks>
public sealed class ExchangeRecorder : DelegatingHandler
{
    private static readonly AsyncLocal<Exchanges?> Current = new();

    /// <summary>Records through <paramref name="inner"/>.</summary>
    public ExchangeRecorder(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Starts recording the exchanges of the current async flow; dispose the result to stop.</summary>
    public static Exchanges Begin() => Current.Value = new Exchanges();

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = Current.Value;
        if (scope is not null && request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            scope.Add(true, Text(await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), content.Headers.ContentEncoding));
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (scope is not null)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            scope.Add(false, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}\n"
                + Text(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), response.Content.Headers.ContentEncoding));
        }

        return response;
    }

    private static string Text(byte[] body, ICollection<string> encodings)
    {
        if (encodings.Contains("gzip", StringComparer.OrdinalIgnoreCase))
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                body = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                return $"(gzip body of {body.Length} bytes that does not decode: {e.Message})";
            }
        }

        return Encoding.UTF8.GetString(body);
    }

    /// <summary>The exchanges of one scope, in order.</summary>
    public sealed class Exchanges : IDisposable
    {
        private readonly List<(bool IsRequest, string Text)> _parts = [];

        /// <summary>Every request body, separated by blank lines; null when nothing was sent.</summary>
        public string? Requests => Join(true);

        /// <summary>Every response (status line and body), separated by blank lines; null when nothing came back.</summary>
        public string? Responses => Join(false);

        /// <inheritdoc/>
        public void Dispose()
        {
            if (ReferenceEquals(Current.Value, this))
            {
                Current.Value = null;
            }
        }

        internal void Add(bool isRequest, string text)
        {
            lock (_parts)
            {
                _parts.Add((isRequest, text));
            }
        }

        private string? Join(bool requests)
        {
            lock (_parts)
            {
                var texts = _parts.Where(p => p.IsRequest == requests).Select(p => p.Text).ToList();
                return texts.Count == 0 ? null : string.Join("\n\n", texts);
            }
        }
    }
}
