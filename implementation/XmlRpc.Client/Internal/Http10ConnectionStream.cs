using System.Buffers.Text;
using System.Text;

namespace XmlRpc.Client.Internal;

/// <summary>
/// Wraps the plaintext stream of one HTTP/1.x connection and tells <see cref="SocketsHttpHandler"/>
/// the truth about HTTP/1.0 servers: after an HTTP/1.0 response without <c>Connection: keep-alive</c>
/// the server closes the connection, so the connection must never be reused.
/// </summary>
/// <remarks>
/// <para>RFC 9112 §9.3: an HTTP/1.0 response persists only if it carries the <c>keep-alive</c>
/// connection option. SocketsHttpHandler only honours an explicit <c>Connection: close</c>, so it
/// returns such a connection to its pool; if the next request picks it up before the server's FIN
/// arrives, the request fails with "The response ended prematurely" and, because a POST has a body,
/// SocketsHttpHandler does not retry it. Against CPython's <c>SimpleXMLRPCServer</c> (HTTP/1.0, no
/// <c>Connection</c> header, close after every reply) that is 2–30 % of calls.</para>
/// <para>The stream holds back each response's status line and headers until the header block is
/// complete (nothing else is delayed or changed). When the response is HTTP/1.0 without the
/// <c>keep-alive</c> option and without <c>close</c>, it adds <c>Connection: close</c>, the meaning the
/// RFC gives that response, so SocketsHttpHandler disposes of the connection after it instead of
/// pooling it (with calls waiting it would otherwise hand the connection straight to the next one).
/// As a second line, once such a response's <c>Content-Length</c> body is complete every further
/// read returns end-of-stream at once and a write fails before any byte is sent
/// (<see cref="StaleConnectionException"/>).</para>
/// <para>HTTP/1.1 responses switch the observer off: SocketsHttpHandler handles their
/// <c>Connection</c> header itself, and keep-alive is kept.</para>
/// </remarks>
internal sealed class Http10ConnectionStream : Stream
{
    private const int MaxHeaderBytes = 64 * 1024;

    private static readonly byte[] ConnectionClose = "Connection: close\r\n"u8.ToArray();

    private readonly Stream _inner;
    private readonly byte[] _header = new byte[MaxHeaderBytes];
    private readonly byte[] _chunk = new byte[16 * 1024];
    private int _headerLength;
    private byte[] _pending = [];
    private int _pendingOffset;
    private State _state = State.Headers;
    private long _bodyRemaining;
    private bool _closeAfterBody;
    private bool _awaitingRequestLine = true;
    private bool _requestIsHead;

    public Http10ConnectionStream(Stream inner) => _inner = inner;

    private enum State
    {
        /// <summary>Reading a response's status line and headers.</summary>
        Headers,

        /// <summary>Counting the bytes of a Content-Length body.</summary>
        Body,

        /// <summary>The server closes after the response just delivered: report EOF.</summary>
        Closed,

        /// <summary>Not an HTTP/1.0 exchange we can follow (HTTP/1.1, chunked, close-delimited): stop looking.</summary>
        PassThrough,
    }

    /// <summary>True once the server is known to close this connection after the current response.</summary>
    internal bool ServerClosing => _state == State.Closed;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_pendingOffset < _pending.Length)
            {
                return ServePending(buffer);
            }

            switch (_state)
            {
                case State.Closed:
                    return 0;
                case State.PassThrough:
                    return _inner.Read(buffer);
                case State.Body:
                    var read = _inner.Read(buffer);
                    Observe(buffer[..read]);
                    return read;
                default:
                    if (!TakeHeaderBytes(_chunk.AsSpan(0, _inner.Read(_chunk))))
                    {
                        return 0;
                    }

                    break;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_pendingOffset < _pending.Length)
        {
            return ValueTask.FromResult(ServePending(buffer.Span));
        }

        return _state switch
        {
            // Completing synchronously is what makes SocketsHttpHandler's PrepareForReuse drop the connection.
            State.Closed => ValueTask.FromResult(0),
            State.PassThrough => _inner.ReadAsync(buffer, cancellationToken),
            State.Body => ReadBodyAsync(buffer, cancellationToken),
            _ => ReadHeadersAsync(buffer, cancellationToken),
        };
    }

    private async ValueTask<int> ReadBodyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    private async ValueTask<int> ReadHeadersAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_state == State.Headers && _pendingOffset == _pending.Length)
        {
            var read = await _inner.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
            if (!TakeHeaderBytes(_chunk.AsSpan(0, read)))
            {
                return 0;
            }
        }

        return await ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private int ServePending(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _pending.Length - _pendingOffset);
        _pending.AsSpan(_pendingOffset, count).CopyTo(buffer);
        _pendingOffset += count;
        return count;
    }

    /// <summary>Collects response-head bytes; once the head is complete, queues it (amended) and what follows it.</summary>
    /// <returns>False at end of stream with nothing queued.</returns>
    private bool TakeHeaderBytes(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            // The server closed inside a head: hand over what came, the handler reports the broken response.
            SetPending(_header.AsSpan(0, _headerLength), default);
            _headerLength = 0;
            _state = State.PassThrough;
            return _pending.Length > 0;
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (_headerLength == _header.Length)
            {
                SetPending(_header, data[i..]);
                _headerLength = 0;
                _state = State.PassThrough;
                return true;
            }

            _header[_headerLength++] = data[i];
            if (data[i] == (byte)'\n' && HeaderBlockComplete())
            {
                var head = _header.AsSpan(0, _headerLength);
                var addClose = AnalyzeHeaders(head);
                _headerLength = 0;
                var rest = data[(i + 1)..];
                SetPending(addClose ? WithConnectionClose(head) : head, rest);
                if (_state == State.Body && _bodyRemaining == 0)
                {
                    EndOfResponse();
                }

                Observe(rest);
                return true;
            }
        }

        return true;
    }

    private void SetPending(ReadOnlySpan<byte> head, ReadOnlySpan<byte> rest)
    {
        _pending = [.. head, .. rest];
        _pendingOffset = 0;
    }

    /// <summary>The head with <c>Connection: close</c> before its final empty line.</summary>
    private static byte[] WithConnectionClose(ReadOnlySpan<byte> head)
    {
        var at = head.EndsWith("\r\n\r\n"u8) || head.EndsWith("\n\r\n"u8) ? head.Length - 2 : head.Length - 1;
        return [.. head[..at], .. ConnectionClose, .. head[at..]];
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite(buffer);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeforeWrite(buffer.Span);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void BeforeWrite(ReadOnlySpan<byte> buffer)
    {
        if (_state == State.Closed)
        {
            throw new StaleConnectionException();
        }

        if (_awaitingRequestLine && buffer.Length > 0)
        {
            // SocketsHttpHandler writes the request line and headers in one buffer: its first bytes name the method.
            _requestIsHead = buffer.StartsWith("HEAD "u8);
            _awaitingRequestLine = false;
        }
    }

    private void Observe(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            switch (_state)
            {
                case State.Headers:
                    data = ObserveHeaderBytes(data);
                    break;
                case State.Body:
                    var take = (int)Math.Min(_bodyRemaining, data.Length);
                    _bodyRemaining -= take;
                    data = data[take..];
                    if (_bodyRemaining == 0)
                    {
                        EndOfResponse();
                    }

                    break;
                default:
                    return;
            }
        }
    }

    private ReadOnlySpan<byte> ObserveHeaderBytes(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (_headerLength == _header.Length)
            {
                _state = State.PassThrough;
                return default;
            }

            _header[_headerLength++] = data[i];
            if (data[i] == (byte)'\n' && HeaderBlockComplete())
            {
                // A head inside a body read (never for a client that waits for each response): observed, not amended.
                _ = AnalyzeHeaders(_header.AsSpan(0, _headerLength));
                _headerLength = 0;
                if (_state == State.Body && _bodyRemaining == 0)
                {
                    EndOfResponse();
                }

                return data[(i + 1)..];
            }
        }

        return default;
    }

    private bool HeaderBlockComplete()
    {
        // An empty line ends the header block; SocketsHttpHandler accepts bare LF line ends too.
        var block = _header.AsSpan(0, _headerLength);
        return block.EndsWith("\n\n"u8) || block.EndsWith("\n\r\n"u8);
    }

    /// <summary>Sets the state for the response whose head this is.</summary>
    /// <returns>True when the head needs <c>Connection: close</c> added (HTTP/1.0, neither keep-alive nor close).</returns>
    private bool AnalyzeHeaders(ReadOnlySpan<byte> block)
    {
        if (!block.StartsWith("HTTP/1.0 "u8) || block.Length < 12)
        {
            // HTTP/1.1 (or anything else): SocketsHttpHandler's own Connection handling is right.
            _state = State.PassThrough;
            return false;
        }

        var status = block.Slice(9, 3);
        var noBody = _requestIsHead || status.SequenceEqual("204"u8) || status.SequenceEqual("304"u8) || status[0] == (byte)'1';
        var keepAlive = false;
        var close = false;
        long? contentLength = null;
        var chunked = false;

        var text = Encoding.Latin1.GetString(block);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in value.Split(','))
                {
                    var option = token.Trim();
                    keepAlive |= option.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                    close |= option.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && Utf8Parser.TryParse(Encoding.ASCII.GetBytes(value), out long length, out var consumed)
                && consumed == value.Length && length >= 0)
            {
                contentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        var addClose = !keepAlive && !close;
        if (chunked || (contentLength is null && !noBody))
        {
            // A close-delimited body: SocketsHttpHandler reads to EOF and never pools the connection.
            _state = State.PassThrough;
            return addClose;
        }

        _closeAfterBody = close || !keepAlive;
        _bodyRemaining = noBody ? 0 : contentLength!.Value;
        _state = State.Body;
        return addClose;
    }

    private void EndOfResponse()
    {
        _state = _closeAfterBody ? State.Closed : State.Headers;
        _awaitingRequestLine = true;
        _requestIsHead = false;
    }
}
