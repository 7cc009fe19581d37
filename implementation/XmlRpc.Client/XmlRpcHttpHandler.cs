using System.Net;
using XmlRpc.Client.Internal;

namespace XmlRpc.Client;

/// <summary>Creates the <see cref="HttpMessageHandler"/> an <see cref="XmlRpcClient"/> should run on.</summary>
/// <remarks>
/// <para>The handler is a <see cref="SocketsHttpHandler"/> whose connections understand HTTP/1.0 servers
/// that close after every reply (CPython's <c>SimpleXMLRPCServer</c>): an HTTP/1.0 response without
/// <c>keep-alive</c> reaches the handler with the <c>Connection: close</c> it implies (RFC 9112 §9.3), so the
/// connection is never pooled and no request is written to a socket the server is closing, sequential or
/// concurrent. HTTP/1.1 keep-alive is used wherever the server offers it (one connection for many calls).</para>
/// <para>Automatic decompression is off because the client decodes gzip itself, with a size cap;
/// redirects are not followed (CPython raises <c>ProtocolError</c> for a 3xx); cookies are not kept.</para>
/// </remarks>
public static class XmlRpcHttpHandler
{
    /// <summary>Creates a new primary handler (use it with <see cref="HttpClient"/> or <c>ConfigurePrimaryHttpMessageHandler</c>).</summary>
    /// <returns>A configured <see cref="SocketsHttpHandler"/>; the caller may adjust it further (e.g. its <c>ConnectCallback</c>).</returns>
    public static SocketsHttpHandler CreatePrimaryHandler()
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        InstallHttp10Support(handler);
        return handler;
    }

    /// <summary>Makes an existing <see cref="SocketsHttpHandler"/> correct against HTTP/1.0 servers that close after each reply.</summary>
    /// <param name="handler">The handler; its <see cref="SocketsHttpHandler.PlaintextStreamFilter"/> is replaced (an existing filter still runs first).</param>
    public static void InstallHttp10Support(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var previous = handler.PlaintextStreamFilter;
        handler.PlaintextStreamFilter = async (context, cancellationToken) =>
        {
            var stream = previous is null ? context.PlaintextStream : await previous(context, cancellationToken).ConfigureAwait(false);
            return context.NegotiatedHttpVersion.Major >= 2 ? stream : new Http10ConnectionStream(stream);
        };
    }
}
