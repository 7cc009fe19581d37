using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace XmlRpc.Server.Internal;

/// <summary>
/// Kestrel connection middleware that answers clients which half-close (<c>shutdown(SHUT_WR)</c>): after a complete
/// request, as CPython's <c>SimpleXMLRPCServer</c> does, and inside a body cut short, with <c>400 Bad Request</c>.
/// </summary>
/// <remarks>
/// <para>Kestrel treats the client's FIN as a full close: the socket transport fires
/// <c>ConnectionContext.ConnectionClosed</c>, the HTTP/1 layer aborts the response and the client reads
/// nothing (dotnet/aspnetcore#13188, aspnet/KestrelHttpServer#1774). RFC 9112 §9.6 lets a client half-close,
/// and the catalog's raw exchanges (<c>python-peers/conformance.py</c> <c>http_exchange</c>) do exactly that.</para>
/// <para>This middleware hands Kestrel a connection whose <c>ConnectionContext.ConnectionClosed</c> fires only
/// when the connection is aborted, and whose input reports its end only after every buffered request has been
/// parsed. Kestrel then answers each complete request and ends the connection when it next reads. The price: a
/// client that goes away while a method runs is noticed when the response is written (CPython never notices),
/// so <see cref="HttpContext.RequestAborted"/> does not fire on a bare FIN.</para>
/// <para>A body shorter than its <c>Content-Length</c> (or a chunked body without its last chunk) followed by the
/// client's FIN: Kestrel, told that its input is complete inside a body, aborts the connection itself before the
/// application can answer (the client reads a reset). While the standalone server says a body may still come
/// (<see cref="RequestStarted"/> to <see cref="BodyRead"/>), the end of input is instead an exception from the input
/// pipe, which Kestrel hands to the application's body read without aborting: the application answers 400 with
/// <c>Connection: close</c> and Kestrel closes gracefully after it. Kestrel's own drain of a body the application did not
/// read meets the same exception and ends the connection after the response, without a reset.</para>
/// </remarks>
internal static class HalfClosedConnections
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => connection => next(new Connection(connection));

    private sealed class Connection : ConnectionContext
    {
        private readonly ConnectionContext _inner;
        private readonly CancellationTokenSource _closed = new();
        private IDuplexPipe _transport;

        public Connection(ConnectionContext inner)
        {
            _inner = inner;
            var body = new UnfinishedBody();
            inner.Features.Set(body);
            _transport = new DuplexPipe(new Reader(inner.Transport.Input, body), inner.Transport.Output);
        }

        public override string ConnectionId
        {
            get => _inner.ConnectionId;
            set => _inner.ConnectionId = value;
        }

        public override IFeatureCollection Features => _inner.Features;

        public override IDictionary<object, object?> Items
        {
            get => _inner.Items;
            set => _inner.Items = value;
        }

        public override IDuplexPipe Transport
        {
            get => _transport;
            set => _transport = value;
        }

        public override CancellationToken ConnectionClosed
        {
            get => _closed.Token;
            set => throw new NotSupportedException();
        }

        public override EndPoint? LocalEndPoint
        {
            get => _inner.LocalEndPoint;
            set => _inner.LocalEndPoint = value;
        }

        public override EndPoint? RemoteEndPoint
        {
            get => _inner.RemoteEndPoint;
            set => _inner.RemoteEndPoint = value;
        }

        public override void Abort(ConnectionAbortedException abortReason)
        {
            _inner.Abort(abortReason);
            Close();
        }

        public override void Abort()
        {
            _inner.Abort();
            Close();
        }

        public override ValueTask DisposeAsync()
        {
            _closed.Dispose();
            return base.DisposeAsync();
        }

        internal void Close()
        {
            try
            {
                _closed.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection is already gone.
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// Hides the end of input from Kestrel while unread bytes remain: Kestrel fails a Content-Length body as
    /// "unexpected end" whenever its read result says completed, even when the whole body is in the buffer.
    /// The end is reported once the buffer is empty, or once the consumer has examined all of it and asks again; while a
    /// request body is expected (<see cref="RequestStarted"/>), it is raised instead as a 400 <see cref="BadHttpRequestException"/>.
    /// </summary>
    private sealed class Reader(PipeReader inner, UnfinishedBody body) : PipeReader
    {
        private ReadResult _last;
        private bool _examinedToEnd;

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            _examinedToEnd = _last.IsCompleted && examined.Equals(_last.Buffer.End);
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            // Every request on a keep-alive connection reads through here: no state machine when the bytes are there, a
            // pooled one when they are not.
            var read = inner.ReadAsync(cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                return ObserveAsync(read);
            }

            try
            {
                return new ValueTask<ReadResult>(Observe(read.Result));
            }
            catch (BadHttpRequestException e)
            {
                return ValueTask.FromException<ReadResult>(e);
            }
        }

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> ObserveAsync(ValueTask<ReadResult> read) => Observe(await read.ConfigureAwait(false));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            result = Observe(result);
            return true;
        }

        /// <exception cref="BadHttpRequestException">The input ended inside a request body.</exception>
        private ReadResult Observe(ReadResult result)
        {
            _last = result;
            if (!result.IsCompleted)
            {
                return result;
            }

            if (result.Buffer.IsEmpty || _examinedToEnd)
            {
                if (body.Expected)
                {
                    // Told "completed" inside a body, Kestrel aborts the connection (a reset, no response) before the
                    // application can answer; an exception from its input instead reaches the application's body read as
                    // it is, and the response stays writable: HttpPipeline answers 400 with Connection: close.
                    throw new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
                }

                return result;
            }

            return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
        }
    }

    /// <summary>Marks the start of a request on a connection of this middleware: its body, if it has one, is still to come.</summary>
    /// <remarks>From here until <see cref="BodyRead"/>, the end of input is a body cut short (400), not the end of the connection.</remarks>
    public static void RequestStarted(HttpContext context)
    {
        if (context.Features.Get<UnfinishedBody>() is { } body)
        {
            body.Expected = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        }
    }

    /// <summary>The request's body has been read to its end: the end of input is the end of the connection again.</summary>
    public static void BodyRead(HttpContext context)
    {
        if (context.Features.Get<UnfinishedBody>() is { } body)
        {
            body.Expected = false;
        }
    }

    /// <summary>
    /// A connection feature (seen through <see cref="HttpContext.Features"/>): set while the request being served may have
    /// body bytes to come.
    /// </summary>
    private sealed class UnfinishedBody
    {
        public volatile bool Expected;
    }
}
