using System.Text;

namespace Conformance.Throughput;

/// <summary>The one exchange every target is measured on: <c>add(7, 3)</c> as CPython's <c>xmlrpc.client</c> sends it, and the answer.</summary>
internal static class Wire
{
    /// <summary>The path every target serves (CPython's <c>rpc_paths</c> include it).</summary>
    public const string Path = "/RPC2";

    /// <summary><c>xmlrpc.client.dumps((7, 3), "add")</c>, byte for byte.</summary>
    public static readonly byte[] RequestBody = Encoding.ASCII.GetBytes(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>add</methodName>\n<params>\n<param>\n<value><int>7</int></value>\n</param>\n<param>\n<value><int>3</int></value>\n</param>\n</params>\n</methodCall>\n");

    /// <summary>
    /// <c>xmlrpc.client.dumps((10,), methodresponse=True)</c>: what CPython's server answers, what ours must answer (the
    /// conformance suite holds it to that), and what the bare Kestrel baseline writes as a constant.
    /// </summary>
    public static readonly byte[] ResponseBody = Encoding.ASCII.GetBytes(
        "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><int>10</int></value>\n</param>\n</params>\n</methodResponse>\n");

    /// <summary>The whole HTTP/1.1 request, with the headers CPython's <c>Transport</c> sends (keep-alive is HTTP/1.1's default).</summary>
    public static byte[] Request(int port) => [.. Encoding.ASCII.GetBytes(
        "POST " + Path + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n"
        + "Accept-Encoding: gzip\r\n"
        + "Content-Type: text/xml\r\n"
        + "User-Agent: Python-xmlrpc/3.11\r\n"
        + "Content-Length: " + RequestBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\r\n\r\n"), .. RequestBody];
}
