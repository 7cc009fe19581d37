namespace XmlRpc.Client.Internal;

/// <summary>A request was about to be written to a connection its HTTP/1.0 server is closing; nothing was sent.</summary>
internal sealed class StaleConnectionException : IOException
{
    public StaleConnectionException()
        : base("The HTTP/1.0 server closes this connection after its response; the request was not sent.")
    {
    }
}
