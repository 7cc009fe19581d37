namespace XmlRpc.Server;

/// <summary>Which fault codes and strings the server produces for errors it detects itself.</summary>
/// <remarks>A fault raised by a method (<c>XmlRpcFaultException</c>) is always sent as it is, whatever the profile.</remarks>
public enum XmlRpcFaultProfile
{
    /// <summary>
    /// Byte-identical to CPython's <c>SimpleXMLRPCDispatcher</c> (default): every error is fault code 1 with the
    /// string <c>&lt;class 'TypeName'&gt;:message</c>; an unknown method is
    /// <c>&lt;class 'Exception'&gt;:method "x" is not supported</c>.
    /// </summary>
    CPython,

    /// <summary>
    /// The xmlrpc-epi "specification for fault code interoperability": -32700 parse error, -32600 invalid
    /// request, -32601 method not found, -32602 invalid params, -32603 internal error, -32500 application error.
    /// </summary>
    Interop,
}
