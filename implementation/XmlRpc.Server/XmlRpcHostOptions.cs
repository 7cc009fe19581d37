using System.Net;
using XmlRpc.Internal;

namespace XmlRpc.Server;

/// <summary>Where and how the standalone <see cref="XmlRpcServer"/> listens: address, port, paths and connection limits.</summary>
/// <remarks>
/// These settings exist only for the standalone server: a <c>MapXmlRpc</c> endpoint is reached through the application's
/// own Kestrel, its addresses, routes and limits. What the dispatcher does with a request, wherever it is served, is
/// <see cref="XmlRpcServerOptions"/>. The options are checked when the server starts (<see cref="Validate"/>).
/// </remarks>
public sealed class XmlRpcHostOptions
{
    /// <summary>The default number of open connections: 1000.</summary>
    public const long DefaultMaxConcurrentConnections = 1000;

    /// <summary>The loopback or interface address the server binds (default <c>127.0.0.1</c>): an IP address, <c>localhost</c>, or empty for every IPv4 address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 (default) picks a free one, see <see cref="XmlRpcServer.Port"/>.</summary>
    public int Port { get; set; }

    /// <summary>The paths the server answers POSTs on (exact, case-sensitive); default <c>/</c> and <c>/RPC2</c>.</summary>
    /// <remarks>CPython's <c>rpc_paths</c> (<c>('/', '/RPC2')</c>; 3.11 added <c>/pydoc.css</c> for DocXMLRPCServer). Other paths get 404.
    /// Unlike CPython, a query string does not make a path unknown.</remarks>
    public IList<string> Paths { get; } = ["/", "/RPC2"];

    /// <summary>The most open connections (default 1000); more are closed as they arrive (Kestrel).</summary>
    public long MaxConcurrentConnections { get; set; } = DefaultMaxConcurrentConnections;

    /// <summary>
    /// The time a client has to send a request's whole head (default 30 s); then it gets
    /// <c>408 Request Timeout</c> and the connection is closed (slowloris).
    /// </summary>
    /// <remarks>CPython has no header timeout: one client that never finishes its head blocks SimpleXMLRPCServer for good.</remarks>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Answer a client that half-closes its side of the connection (<c>shutdown(SHUT_WR)</c>): after a complete request,
    /// like CPython; inside a body cut short, with <c>400 Bad Request</c> and <c>Connection: close</c> (default true).
    /// </summary>
    /// <remarks>
    /// Kestrel takes the client's FIN for a full close and drops the response (dotnet/aspnetcore#13188); CPython's
    /// <c>SimpleXMLRPCServer</c> answers, and the catalog's raw exchanges (<c>python-peers/conformance.py</c>
    /// <c>http_exchange</c>) half-close. A FIN inside a body (fewer bytes than <c>Content-Length</c>, a chunked body without
    /// its last chunk) makes Kestrel abort the connection before the application can answer; with this on, it is a 400.
    /// With this on, a FIN no longer signals <c>HttpContext.RequestAborted</c>: a client that goes away while a method
    /// runs is noticed when the response is written (CPython never notices). <c>MapXmlRpc</c> endpoints run on the
    /// application's own Kestrel and keep its behaviour: no response to either.
    /// </remarks>
    public bool AnswerHalfClosedConnections { get; set; } = true;

    /// <summary>Checks the options and throws one exception naming every invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate() => OptionsProblems.ThrowIfAny(nameof(XmlRpcHostOptions), Problems());

    private IEnumerable<string> Problems()
    {
        if (Host is null || (Host.Length > 0 && Host != "localhost" && !IPAddress.TryParse(Host, out _)))
        {
            yield return $"Host must be an IP address, \"localhost\" or empty (is \"{Host}\").";
        }

        if (Port is < 0 or > 65535)
        {
            yield return $"Port must be between 0 and 65535 (is {Port}).";
        }

        if (Paths.Count == 0)
        {
            yield return "Paths must name at least one path.";
        }

        foreach (var path in Paths.Where(p => string.IsNullOrEmpty(p) || p[0] != '/'))
        {
            yield return $"Paths: \"{path}\" does not start with '/'.";
        }

        if (MaxConcurrentConnections < 1)
        {
            yield return $"MaxConcurrentConnections must be at least 1 (is {MaxConcurrentConnections}).";
        }

        foreach (var problem in OptionsProblems.Timeout(nameof(RequestHeadersTimeout), RequestHeadersTimeout, allowZero: false))
        {
            yield return problem;
        }
    }
}
