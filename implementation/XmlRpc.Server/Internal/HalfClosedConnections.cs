using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace XmlRpc.Server.Internal;

/// <summary>
/// Kestrel connection middleware that answers clients which half-close (<c>shutdown(SHUT_WR)</c>) after sending
/// a complete request, as CPython's <c>SimpleXMLRPCServer</c> does.
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
/// so <see cref="Microsoft.AspNetCore.Http.HttpContext.RequestAborted"/> does not fire on a bare FIN.</para>
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
            _transport = new DuplexPipe(new Reader(inner.Transport.Input), inner.Transport.Output);
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
    /// The end is reported once the buffer is empty, or once the consumer has examined all of it and asks again.
    /// </summary>
    private sealed class Reader(PipeReader inner) : PipeReader
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
            return read.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Observe(read.Result)) : ObserveAsync(read);
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

        private ReadResult Observe(ReadResult result)
        {
            _last = result;
            if (!result.IsCompleted || result.Buffer.IsEmpty || _examinedToEnd)
            {
                return result;
            }

            return new ReadResult(result.Buffer, result.IsCanceled, isCompleted: false);
        }
    }
}
