using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Load;

/// <summary>What a raw exchange ended in: an HTTP status, a reset, a close without a response, or nothing before the timeout.</summary>
internal sealed record RawOutcome(string Kind, int? Status, double Ms, string? StatusLine)
{
    public const string StatusKind = "status";
    public const string ResetKind = "reset";
    public const string ClosedKind = "closed, no response";
    public const string NoResponseKind = "no response";

    public string Describe() => Kind switch
    {
        StatusKind => string.Create(CultureInfo.InvariantCulture, $"{Status}"),
        NoResponseKind => string.Create(CultureInfo.InvariantCulture, $"no response in {Ms / 1000:0.#} s"),
        _ => Kind,
    };
}

/// <summary>The peer's view of a connection we do not read: TCP_INFO's state, so nothing buffered is consumed.</summary>
internal enum PeerState
{
    Open,
    ClosedByPeer, // FIN received (CLOSE_WAIT)
    Reset, // RST received (CLOSE)
    Unknown,
}

/// <summary>Raw sockets to 127.0.0.1 for the abusive clients (nothing else is ever dialled).</summary>
internal static class RawHttp
{
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;

    public static async Task<Socket> ConnectAsync(int port, TimeSpan timeout, CancellationToken cancellationToken, int? receiveBufferBytes = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferBytes is { } size)
            {
                // A fixed SO_RCVBUF turns off receive autotuning: a reader that never reads stays at a small window.
                socket.ReceiveBufferSize = size;
            }

            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(timeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), bounded.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An HTTP/1.1 POST to /RPC2 with the body and a correct Content-Length.</summary>
    public static byte[] Post(string body, int port)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"POST /RPC2 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: Conformance.Load\r\nContent-Type: text/xml\r\nContent-Length: {bytes.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. bytes];
    }

    /// <summary>Reads until the status line, the peer closes or resets, or the timeout passes.</summary>
    public static async Task<RawOutcome> ReadStatusAsync(Socket socket, TimeSpan timeout, CancellationToken cancellationToken, Stopwatch? since = null)
    {
        var watch = since ?? Stopwatch.StartNew();
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout - (since?.Elapsed ?? TimeSpan.Zero));
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, bounded.Token);
                if (n == 0)
                {
                    return received.Count == 0
                        ? new RawOutcome(RawOutcome.ClosedKind, null, watch.Elapsed.TotalMilliseconds, null)
                        : FromBytes(received, watch);
                }

                received.AddRange(buffer.AsSpan(0, n));
                if (received.Contains((byte)'\n'))
                {
                    return FromBytes(received, watch);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return received.Count == 0
                ? new RawOutcome(RawOutcome.NoResponseKind, null, watch.Elapsed.TotalMilliseconds, null)
                : FromBytes(received, watch);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown)
        {
            return received.Count == 0
                ? new RawOutcome(RawOutcome.ResetKind, null, watch.Elapsed.TotalMilliseconds, null)
                : FromBytes(received, watch);
        }
    }

    /// <summary>Whether the server closed or reset a connection, without reading what it sent (TCP_INFO's tcpi_state).</summary>
    public static PeerState State(Socket socket)
    {
        Span<byte> info = stackalloc byte[256];
        try
        {
            var length = socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            if (length < 1)
            {
                return PeerState.Unknown;
            }

            return info[0] switch
            {
                1 => PeerState.Open, // TCP_ESTABLISHED
                7 => PeerState.Reset, // TCP_CLOSE: a reset (we never closed it ourselves)
                8 => PeerState.ClosedByPeer, // TCP_CLOSE_WAIT: the peer's FIN
                _ => PeerState.Unknown,
            };
        }
        catch (SocketException)
        {
            return PeerState.Unknown;
        }
        catch (ObjectDisposedException)
        {
            return PeerState.Unknown;
        }
    }

    /// <summary>Sends everything, or reports the peer closed it (false).</summary>
    public static async Task<bool> TrySendAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            while (!data.IsEmpty)
            {
                var n = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
                data = data[n..];
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static RawOutcome FromBytes(List<byte> received, Stopwatch watch)
    {
        var text = Encoding.Latin1.GetString([.. received]);
        var line = text.Split('\n', 2)[0].TrimEnd('\r');
        var parts = line.Split(' ', 3);
        if (parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return new RawOutcome(RawOutcome.StatusKind, status, watch.Elapsed.TotalMilliseconds, line);
        }

        return new RawOutcome("garbage: " + XmlRpcText.Shorten(line, 40), null, watch.Elapsed.TotalMilliseconds, line);
    }
}
