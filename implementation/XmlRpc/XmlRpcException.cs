namespace XmlRpc;

/// <summary>Base class of the exceptions this library throws for XML-RPC problems.</summary>
public class XmlRpcException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public XmlRpcException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public XmlRpcException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public XmlRpcException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>What kind of problem an <see cref="XmlRpcParseException"/> reports.</summary>
/// <remarks>
/// The kinds map onto the interoperability fault codes (<c>-32700</c> not well formed, <c>-32701</c> unsupported
/// encoding, <c>-32702</c> invalid character, <c>-32600</c> invalid XML-RPC) that a server may answer with.
/// </remarks>
public enum XmlRpcParseErrorKind
{
    /// <summary>The document is not well-formed XML (CPython: <c>xml.parsers.expat.ExpatError</c>).</summary>
    NotWellFormed,

    /// <summary>The document contains a character that XML 1.0 does not allow, or bytes that are not valid in its encoding.</summary>
    InvalidCharacter,

    /// <summary>The declared encoding is unknown or not supported (CPython: <c>LookupError</c>, <c>ValueError</c> for multi-byte encodings).</summary>
    UnsupportedEncoding,

    /// <summary>The document has a DTD; DTDs are refused (CPython expands internal entities, we do not).</summary>
    DtdProhibited,

    /// <summary>Well-formed XML that is not an XML-RPC message (CPython: <c>ResponseError</c>, <c>TypeError</c>, <c>IndexError</c>).</summary>
    InvalidMessage,

    /// <summary>A scalar whose text is not valid for its type (CPython: <c>ValueError</c>, <c>TypeError('bad boolean value')</c>, <c>binascii.Error</c>...).</summary>
    InvalidValue,

    /// <summary>A configured limit (<see cref="XmlRpcParserOptions"/>) was exceeded.</summary>
    LimitExceeded,
}

/// <summary>An XML-RPC document could not be parsed.</summary>
/// <remarks>
/// Thrown for everything CPython's <c>xmlrpc.client.loads</c> rejects (with an <c>ExpatError</c>,
/// <c>ResponseError</c>, <c>ValueError</c>, <c>TypeError</c>...), for DTDs, and for exceeded limits.
/// <see cref="LineNumber"/> and <see cref="LinePosition"/> are 1-based and count UTF-16 code units of the
/// decoded document, like <see cref="System.Xml.XmlException"/>.
/// </remarks>
public sealed class XmlRpcParseException : XmlRpcException
{
    /// <summary>Creates a parse exception.</summary>
    public XmlRpcParseException(string message, XmlRpcParseErrorKind kind, int lineNumber, int linePosition)
        : base(lineNumber > 0 ? $"{message} (line {lineNumber}, position {linePosition})" : message)
    {
        Kind = kind;
        LineNumber = lineNumber;
        LinePosition = linePosition;
        Reason = message;
    }

    /// <summary>Creates a parse exception with no message.</summary>
    public XmlRpcParseException()
        : this("The XML-RPC document could not be parsed.", XmlRpcParseErrorKind.NotWellFormed, 0, 0)
    {
    }

    /// <summary>Creates a parse exception with a message.</summary>
    public XmlRpcParseException(string message)
        : this(message, XmlRpcParseErrorKind.InvalidMessage, 0, 0)
    {
    }

    /// <summary>Creates a parse exception with a message and the exception that caused it.</summary>
    public XmlRpcParseException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = message;
        Kind = XmlRpcParseErrorKind.InvalidMessage;
    }

    /// <summary>What kind of problem this is.</summary>
    public XmlRpcParseErrorKind Kind { get; }

    /// <summary>1-based line of the problem in the document (0 when unknown).</summary>
    public int LineNumber { get; }

    /// <summary>1-based position of the problem in its line (0 when unknown).</summary>
    public int LinePosition { get; }

    /// <summary>The message without the position.</summary>
    public string Reason { get; }

    /// <summary>
    /// The exception class CPython's <c>xmlrpc.client.loads</c> raises for this document, as <c>type(exc)</c> names it
    /// inside <c>&lt;class '...'&gt;</c>: <c>xml.parsers.expat.ExpatError</c>, <c>ValueError</c>, <c>TypeError</c>,
    /// <c>IndexError</c>, <c>binascii.Error</c>, <c>xmlrpc.client.ResponseError</c>, <c>LookupError</c>... Null where CPython
    /// reads the document (a DTD, a limit of <see cref="XmlRpcParserOptions"/>, a struct member name that is not a string).
    /// </summary>
    /// <remarks>With <see cref="PythonMessage"/>, what CPython's <c>SimpleXMLRPCDispatcher</c> puts in its fault string
    /// (<c>"%s:%s" % (type(exc), exc)</c>) for the same request, word for word as CPython 3.11 with expat 2.5 words it.</remarks>
    public string? PythonType { get; init; }

    /// <summary>
    /// CPython's <c>str(exc)</c> for <see cref="PythonType"/>: expat's message with expat's line and 0-based column (counted in
    /// characters) such as <c>not well-formed (invalid token): line 1, column 92</c>, or the text of the Python exception
    /// (<c>invalid literal for int() with base 10: ''</c>, <c>bad boolean value</c>). Null when <see cref="PythonType"/> is.
    /// </summary>
    public string? PythonMessage { get; init; }
}

/// <summary>The formatter refused to write a value.</summary>
/// <remarks>
/// Thrown where CPython's <c>Marshaller</c> raises (<c>OverflowError: int exceeds XML-RPC limits</c>,
/// <c>TypeError: cannot marshal None unless allow_none is enabled</c>) and where CPython writes ill-formed XML
/// and we refuse instead (characters XML 1.0 cannot carry, lone surrogates).
/// </remarks>
public sealed class XmlRpcFormatException : XmlRpcException
{
    /// <summary>Creates a format exception with no message.</summary>
    public XmlRpcFormatException()
        : base("The value cannot be written as XML-RPC.")
    {
    }

    /// <summary>Creates a format exception with a message.</summary>
    public XmlRpcFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a format exception with a message and the exception that caused it.</summary>
    public XmlRpcFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The exception class CPython's <c>Marshaller</c> raises for the same value (<c>TypeError</c> for a <c>Decimal</c> or a
    /// <c>None</c> without <c>allow_none</c>); null where CPython writes the value (and we refuse it).
    /// </summary>
    public string? PythonType { get; init; }

    /// <summary>CPython's <c>str(exc)</c> for <see cref="PythonType"/> (<c>cannot marshal &lt;class 'decimal.Decimal'&gt; objects</c>); null when <see cref="PythonType"/> is.</summary>
    public string? PythonMessage { get; init; }
}

/// <summary>A .NET value or type cannot be mapped to or from an <see cref="XmlRpcValue"/>.</summary>
public sealed class XmlRpcMappingException : XmlRpcException
{
    /// <summary>Creates a mapping exception with no message.</summary>
    public XmlRpcMappingException()
        : base("The value cannot be mapped.")
    {
    }

    /// <summary>Creates a mapping exception with a message.</summary>
    public XmlRpcMappingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a mapping exception with a message and the exception that caused it.</summary>
    public XmlRpcMappingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An XML-RPC fault, as an exception: thrown by a client when the server answers with a fault, and by a server method to answer with one.</summary>
public sealed class XmlRpcFaultException : XmlRpcException
{
    /// <summary>Creates the exception for a fault.</summary>
    public XmlRpcFaultException(XmlRpc.Protocol.XmlRpcFault fault)
        : base((fault ?? throw new ArgumentNullException(nameof(fault))).ToString())
    {
        Fault = fault;
    }

    /// <summary>Creates the exception for a fault code and string.</summary>
    public XmlRpcFaultException(int code, string faultString)
        : this(new XmlRpc.Protocol.XmlRpcFault(code, faultString))
    {
    }

    /// <summary>Creates a fault exception with code 1 (CPython's code for any exception) and a message.</summary>
    public XmlRpcFaultException(string message)
        : this(1, message)
    {
    }

    /// <summary>Creates a fault exception with code 1 and a message, wrapping the exception that caused it.</summary>
    public XmlRpcFaultException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Fault = new XmlRpc.Protocol.XmlRpcFault(1, message);
    }

    /// <summary>Creates a fault exception with code 1 and a generic message.</summary>
    public XmlRpcFaultException()
        : this("XML-RPC fault")
    {
    }

    /// <summary>The fault.</summary>
    public XmlRpc.Protocol.XmlRpcFault Fault { get; }

    /// <summary>The fault code.</summary>
    public int FaultCode => Fault.Code;

    /// <summary>The fault string.</summary>
    public string FaultString => Fault.Message;
}
