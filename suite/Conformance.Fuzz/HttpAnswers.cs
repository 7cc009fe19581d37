using System.Net.Http.Headers;
using Conformance.Catalog;
using Conformance.Peers;
using Conformance.Peers.Processes;
using Conformance.Server;

namespace Conformance.Fuzz;

/// <summary>One answer over HTTP: the status, the content type and the body.</summary>
internal sealed record HttpAnswer(int Status, string? ContentType, byte[] Body)
{
    public override string ToString() => $"{Status} {ContentType ?? "(no content type)"}";
}

/// <summary>
/// <c>--http</c>: both answers come from real servers on loopback instead of the dispatchers, CPython's stock
/// <c>SimpleXMLRPCServer</c> (<c>python-peers/server.py</c>) and our standalone server (<see cref="ConformanceHost"/>),
/// each document POSTed as the request body to <c>/RPC2</c>.
/// </summary>
internal sealed class HttpAnswers : IAsyncDisposable
{
    private readonly ProcessServerPeer _cpython;
    private readonly ConformanceHost _ours;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private HttpAnswers(ProcessServerPeer cpython, ConformanceHost ours)
    {
        _cpython = cpython;
        _ours = ours;
    }

    public string Describe => $"CPython's server at {_cpython.Url}, ours at {_ours.Url}";

    public static async Task<HttpAnswers> StartAsync(string python, string fixtures, CancellationToken cancellationToken)
    {
        var settings = new PeerSettings { PeersDirectory = FixturesLocator.PythonPeers(fixtures), FixturesDirectory = fixtures };
        var cpython = await ProcessServerPeer.StartAsync(python, settings, cancellationToken);
        try
        {
            return new HttpAnswers(cpython, await ConformanceHost.StartAsync(0, fixtures, cancellationToken));
        }
        catch
        {
            await cpython.DisposeAsync();
            throw;
        }
    }

    public Task<HttpAnswer> CPythonAsync(byte[] document, CancellationToken cancellationToken) => PostAsync(_cpython.Url, document, cancellationToken);

    public Task<HttpAnswer> OursAsync(byte[] document, CancellationToken cancellationToken) => PostAsync(_ours.Url, document, cancellationToken);

    // CPython's single-threaded HTTP/1.0 server now and then closes a connection before its answer reaches the client
    // (about 1 document in 500 here, a different one each run): a request that got no answer at all is sent once more,
    // and a second failure is the answer.
    private async Task<HttpAnswer> PostAsync(Uri url, byte[] document, CancellationToken cancellationToken)
    {
        var answer = await PostOnceAsync(url, document, cancellationToken);
        return answer.Status == 0 ? await PostOnceAsync(url, document, cancellationToken) : answer;
    }

    private async Task<HttpAnswer> PostOnceAsync(Uri url, byte[] document, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/xml");
        try
        {
            // One connection per document: CPython's stock server speaks HTTP/1.0 and closes after each answer, and a
            // pooled connection it has just closed would fail the next request for a reason that is nobody's answer.
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.ConnectionClose = true;
            using var response = await _client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
        }
        catch (HttpRequestException e)
        {
            // No complete answer (a reset, a cut-short body): status 0, so it differs from any real answer.
            return new HttpAnswer(0, "no answer: " + (e.InnerException?.Message ?? e.Message), []);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _ours.DisposeAsync();
        await _cpython.DisposeAsync();
    }
}
