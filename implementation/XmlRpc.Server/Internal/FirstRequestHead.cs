using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;

namespace XmlRpc.Server.Internal;

/// <summary>
/// Kestrel connection middleware that looks at the raw head of a connection's first request, for what Kestrel answers
/// wrongly or not at all: an HTTP/1.0 <c>POST</c> or <c>PUT</c> without a length gets <c>411 Length Required</c>, as the
/// same request in HTTP/1.1; a <c>Content-Length</c> that is not <c>1*DIGIT</c> (<c>+5</c>) gets <c>400</c>.
/// </summary>
/// <remarks>
/// <para>Kestrel refuses the first itself, before the application runs, with a bare <c>400</c>
/// (<c>LengthRequiredHttp10</c>); the catalog's <c>transport.missing-content-length</c> is an HTTP/1.0 exchange
/// and its deviation promises 411 (RFC 9110 §15.5.12). CPython answers 500 (<c>int(None)</c>). The second Kestrel
/// accepts: it parses <c>+5</c> as 5 and hands the application the normalised value (RFC 9110 §8.6 allows digits only).</para>
/// <para>Only the first request of a connection is looked at (an HTTP/1.0 connection carries one request unless
/// both sides agree on keep-alive). The look is bounded: at most <see cref="MaxHeadBytes"/> bytes; a head that is
/// not complete within <see cref="XmlRpcHostOptions.RequestHeadersTimeout"/> gets <c>408</c> here (Kestrel's own
/// header timer starts only once the head is handed on, so leaving it to Kestrel would add the two up); anything else
/// goes to Kestrel untouched, with nothing consumed.</para>
/// </remarks>
internal static class FirstRequestHead
{
    private const int MaxHeadBytes = 16 * 1024;


    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan headersTimeout) => next => async connection =>
    {
        if (await RefusalAsync(connection, headersTimeout).ConfigureAwait(false) is { } refusal)
        {
            await AnswerAsync(connection, refusal.Status, refusal.Reason).ConfigureAwait(false);
            return;
        }

        await next(connection).ConfigureAwait(false);
    };

    /// <summary>Peeks at the first request head without consuming it: the answer it needs here, or null for Kestrel.</summary>
    private static async Task<(int Status, string Reason)?> RefusalAsync(ConnectionContext connection, TimeSpan headersTimeout)
    {
        // Not linked to ConnectionClosed: the socket transport signals it on the client's FIN, and the Python
        // peers half-close right after their request.
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(headersTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var head = buffer.Length > MaxHeadBytes ? buffer.Slice(0, MaxHeadBytes) : buffer;
                var end = IndexOfHeadEnd(head);
                if (end >= 0 || buffer.Length >= MaxHeadBytes || result.IsCompleted || result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    return end >= 0 ? Refusal(head.Slice(0, end)) : null;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            // A slow or silent client (slowloris): the head did not come in time.
            return (408, "Request Timeout");
        }
    }

    private static long IndexOfHeadEnd(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryAdvanceTo((byte)'\n'))
        {
            if (reader.IsNext((byte)'\n') || reader.IsNext("\r\n"u8))
            {
                return reader.Consumed;
            }
        }

        return -1;
    }

    /// <summary>
    /// 400 for a <c>Content-Length</c> that is not <c>1*DIGIT</c>; 411 for an HTTP/1.0 POST or PUT with neither
    /// <c>Content-Length</c> nor <c>Transfer-Encoding</c>; else null.
    /// </summary>
    internal static (int Status, string Reason)? Refusal(ReadOnlySequence<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split('\n');
        var requestLine = lines[0].TrimEnd('\r');
        var framed = false;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon] : string.Empty;
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                var value = line[(colon + 1)..].Trim(' ', '\t', '\r');
                if (value.Length == 0 || value.AsSpan().IndexOfAnyExceptInRange('0', '9') >= 0)
                {
                    return (400, "Bad Request");
                }
            }

            framed |= name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);
        }

        var http10Body = requestLine.EndsWith(" HTTP/1.0", StringComparison.Ordinal)
            && (requestLine.StartsWith("POST ", StringComparison.Ordinal) || requestLine.StartsWith("PUT ", StringComparison.Ordinal));
        return http10Body && !framed ? (411, "Length Required") : null;
    }

    private static async Task AnswerAsync(ConnectionContext connection, int status, string reason)
    {
        var response = string.Format(
            CultureInfo.InvariantCulture,
            "HTTP/1.1 {0} {1}\r\nContent-Length: {2}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nDate: {3:r}\r\n\r\n{1}",
            status,
            reason,
            reason.Length,
            DateTimeOffset.UtcNow);
        await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(response)).ConfigureAwait(false);

        // The body is delimited by the client's close: read it away, or closing with unread bytes sends an RST
        // that can destroy the answer before the client reads it.
        using var drain = new CancellationTokenSource(DrainTimeout);
        var input = connection.Transport.Input;
        long drained = 0;
        try
        {
            while (drained < XmlRpcServerOptions.DefaultMaxRequestBytes)
            {
                var result = await input.ReadAsync(drain.Token).ConfigureAwait(false);
                drained += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client neither finished nor closed: the connection is closed anyway.
        }
        catch (ConnectionResetException)
        {
            // Gone already.
        }

        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }
}
