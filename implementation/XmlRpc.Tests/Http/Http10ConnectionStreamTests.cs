using System.Text;
using XmlRpc.Client.Internal;
using Xunit;

namespace XmlRpc.Tests.Http;

public sealed class Http10ConnectionStreamTests
{
    private const string Http10Response = "HTTP/1.0 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11.7\r\nContent-type: text/xml\r\nContent-length: 5\r\n\r\nhello";

    [Fact]
    public async Task ReportsEndOfStreamAfterAnHttp10ResponseWithoutKeepAlive()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream(Http10Response));
        await stream.WriteAsync("POST /RPC2 HTTP/1.1\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        var body = await ReadAllAvailableAsync(stream, 1);

        Assert.EndsWith("hello", body, StringComparison.Ordinal);
        Assert.True(stream.ServerClosing);
        var preemptiveRead = stream.ReadAsync(new byte[16], TestContext.Current.CancellationToken);
        Assert.True(preemptiveRead.IsCompleted, "SocketsHttpHandler drops a pooled connection only when its read-ahead completes synchronously");
        Assert.Equal(0, await preemptiveRead);
    }

    [Fact]
    public async Task RefusesToWriteARequestOnAConnectionTheServerIsClosing()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream(Http10Response));
        await ReadAllAvailableAsync(stream, 1);

        await Assert.ThrowsAsync<StaleConnectionException>(() => stream.WriteAsync("POST / HTTP/1.1\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task FollowsResponsesSplitAcrossManyReads()
    {
        var chunks = Http10Response.Select(c => c.ToString()).ToArray();
        var stream = new Http10ConnectionStream(new ScriptedStream(chunks));

        var text = await ReadAllAvailableAsync(stream, chunks.Length);

        Assert.Equal(Http10Response.Replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n", StringComparison.Ordinal), text);
        Assert.True(stream.ServerClosing);
    }

    [Fact]
    public async Task AddsConnectionCloseToAnHttp10ResponseWithoutKeepAlive()
    {
        // RFC 9112 §9.3: what the response means, said so that SocketsHttpHandler does not pool the connection.
        var stream = new Http10ConnectionStream(new ScriptedStream(Http10Response));

        var text = await ReadAllAvailableAsync(stream, 2);

        Assert.Equal("HTTP/1.0 200 OK\r\nServer: BaseHTTP/0.6 Python/3.11.7\r\nContent-type: text/xml\r\nContent-length: 5\r\nConnection: close\r\n\r\nhello", text);
    }

    [Fact]
    public async Task ChangesNoByteOfKeepAliveOrHttp11Responses()
    {
        const string keepAlive = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
        const string closing = "HTTP/1.0 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok";
        const string http11 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

        foreach (var response in new[] { keepAlive, closing, http11 })
        {
            var stream = new Http10ConnectionStream(new ScriptedStream(response));
            Assert.Equal(response, await ReadAllAvailableAsync(stream, 2));
        }
    }

    [Fact]
    public void ServesTheAmendedHeadToSynchronousReadsInSmallPieces()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream(Http10Response[..20], Http10Response[20..]));
        var text = new StringBuilder();
        var buffer = new byte[7];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        Assert.EndsWith("Content-length: 5\r\nConnection: close\r\n\r\nhello", text.ToString(), StringComparison.Ordinal);
        Assert.True(stream.ServerClosing);
    }

    [Fact]
    public async Task KeepsAnHttp10KeepAliveConnectionOpenAcrossResponses()
    {
        var keepAlive = "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok";
        var stream = new Http10ConnectionStream(new ScriptedStream(keepAlive, keepAlive));

        await ReadAllAvailableAsync(stream, 2);

        Assert.False(stream.ServerClosing);
    }

    [Fact]
    public async Task LeavesHttp11ConnectionsAlone()
    {
        var inner = new ScriptedStream("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "more");
        var stream = new Http10ConnectionStream(inner);

        var text = await ReadAllAvailableAsync(stream, 2);

        Assert.EndsWith("okmore", text, StringComparison.Ordinal);
        Assert.False(stream.ServerClosing);
    }

    [Fact]
    public async Task LeavesCloseDelimitedHttp10BodiesToTheHandler()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream("HTTP/1.0 200 OK\r\n\r\nbody without a length"));

        await ReadAllAvailableAsync(stream, 1);

        Assert.False(stream.ServerClosing);
    }

    [Fact]
    public async Task TreatsAnHttp10ResponseWithConnectionCloseAsClosing()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream("HTTP/1.0 404 Not Found\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n"));

        await ReadAllAvailableAsync(stream, 1);

        Assert.True(stream.ServerClosing);
    }

    [Fact]
    public async Task ExpectsNoBodyAfterAHeadRequest()
    {
        var stream = new Http10ConnectionStream(new ScriptedStream("HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n"));
        await stream.WriteAsync("HEAD / HTTP/1.1\r\n\r\n"u8.ToArray(), TestContext.Current.CancellationToken);

        await ReadAllAvailableAsync(stream, 1);

        Assert.True(stream.ServerClosing);
    }

    private static async Task<string> ReadAllAvailableAsync(Stream stream, int reads)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        for (var i = 0; i < reads; i++)
        {
            var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask().Bounded();
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    /// <summary>Returns one scripted chunk per read, then blocks-free EOF; records writes.</summary>
    private sealed class ScriptedStream(params string[] chunks) : Stream
    {
        private readonly Queue<byte[]> _chunks = new(chunks.Select(Encoding.Latin1.GetBytes));

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_chunks.TryDequeue(out var chunk))
            {
                return 0;
            }

            chunk.CopyTo(buffer, offset);
            return chunk.Length;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
