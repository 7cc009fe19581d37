using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text;
using XmlRpc.Internal;
using XmlRpc.Protocol;

namespace XmlRpc.Server.Internal;

/// <summary>Words the faults the server makes itself, per <see cref="XmlRpcFaultProfile"/>.</summary>
/// <param name="profile">The wording.</param>
/// <param name="detailedErrors">An unexpected exception's class and message go to the client (<see cref="XmlRpcServerOptions.EnableDetailedErrors"/>).</param>
internal sealed class FaultFactory(XmlRpcFaultProfile profile, bool detailedErrors)
{
    /// <summary>What a client is told of an unexpected exception when detailed errors are off.</summary>
    public const string HiddenError = "the method failed; the server logged the error";

    /// <summary>xmlrpc-epi: parse error, not well formed.</summary>
    public const int ParseErrorCode = -32700;

    /// <summary>xmlrpc-epi: parse error, unsupported encoding.</summary>
    public const int UnsupportedEncodingCode = -32701;

    /// <summary>xmlrpc-epi: parse error, invalid character for encoding.</summary>
    public const int InvalidCharacterCode = -32702;

    /// <summary>xmlrpc-epi: server error, invalid XML-RPC, not conforming to spec.</summary>
    public const int InvalidRequestCode = -32600;

    /// <summary>xmlrpc-epi: server error, requested method not found.</summary>
    public const int MethodNotFoundCode = -32601;

    /// <summary>xmlrpc-epi: server error, invalid method parameters.</summary>
    public const int InvalidParamsCode = -32602;

    /// <summary>xmlrpc-epi: server error, internal XML-RPC error.</summary>
    public const int InternalErrorCode = -32603;

    /// <summary>xmlrpc-epi: application error.</summary>
    public const int ApplicationErrorCode = -32500;

    /// <summary>CPython's code for every fault its dispatcher makes.</summary>
    public const int CPythonCode = 1;

    private bool CPython => profile == XmlRpcFaultProfile.CPython;

    /// <summary>
    /// The request could not be parsed: in the CPython profile the exception CPython's <c>loads</c> raises, word for word
    /// (<c>&lt;class 'xml.parsers.expat.ExpatError'&gt;:not well-formed (invalid token): line 1, column 92</c>,
    /// <c>&lt;class 'ValueError'&gt;:invalid literal for int() with base 10: ''</c>); where CPython reads the document (a DTD,
    /// a limit), the parser's own exception.
    /// </summary>
    public XmlRpcFault ParseError(XmlRpcParseException exception)
    {
        if (CPython)
        {
            return exception.PythonType is { } type
                ? new XmlRpcFault(CPythonCode, "<class '" + type + "'>:" + exception.PythonMessage)
                : PythonStyle(exception);
        }

        var code = exception.Kind switch
        {
            XmlRpcParseErrorKind.UnsupportedEncoding => UnsupportedEncodingCode,
            XmlRpcParseErrorKind.InvalidCharacter => InvalidCharacterCode,
            XmlRpcParseErrorKind.NotWellFormed or XmlRpcParseErrorKind.DtdProhibited => ParseErrorCode,
            _ => InvalidRequestCode,
        };
        return new XmlRpcFault(code, (code == InvalidRequestCode ? "invalid XML-RPC request: " : "parse error: ") + exception.Message);
    }

    /// <summary>The request is a <c>&lt;fault&gt;</c> document: CPython answers with that fault.</summary>
    public XmlRpcFault FaultDocument(XmlRpcFault fault) =>
        CPython ? fault : new XmlRpcFault(InvalidRequestCode, "invalid XML-RPC request: a fault document is not a methodCall");

    /// <summary>The methodCall has no methodName: CPython looks up <c>None</c>.</summary>
    public XmlRpcFault MissingMethodName() =>
        CPython ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:method \"None\" is not supported") : new XmlRpcFault(InvalidRequestCode, "invalid XML-RPC request: the methodCall has no methodName");

    /// <summary>No method has that name: byte-identical to CPython's <c>method "x" is not supported</c>.</summary>
    public XmlRpcFault MethodNotFound(string name) =>
        CPython
            ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:method \"" + name + "\" is not supported")
            : new XmlRpcFault(MethodNotFoundCode, "requested method not found: '" + name + "'");

    /// <summary>A <c>system.multicall</c> inside a <c>system.multicall</c> (refused per call).</summary>
    public XmlRpcFault NestedMulticall() =>
        CPython
            ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:system.multicall cannot be nested")
            : new XmlRpcFault(InvalidRequestCode, "system.multicall cannot be nested");

    /// <summary>A sub-call that is not <c>{methodName: string, params: array}</c> (both profiles: xmlrpc-epi's invalid request).</summary>
    public static XmlRpcFault MalformedCall() =>
        new(InvalidRequestCode, "system.multicall: a call needs 'methodName' (string) and 'params' (array)");

    /// <summary>Parameters that do not fit (CPython: <c>TypeError</c>).</summary>
    public XmlRpcFault InvalidParams(string message) =>
        CPython ? new XmlRpcFault(CPythonCode, "<class 'TypeError'>:" + message) : new XmlRpcFault(InvalidParamsCode, message);

    /// <summary>A request the server refuses as a whole (a limit).</summary>
    public XmlRpcFault InvalidRequest(string message) =>
        CPython ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:" + message) : new XmlRpcFault(InvalidRequestCode, message);

    /// <summary>A result larger than <see cref="XmlRpcServerOptions.MaxResponseBytes"/>.</summary>
    public XmlRpcFault ResponseTooLarge(long limit)
    {
        var message = string.Format(CultureInfo.InvariantCulture, "the response would exceed this server's limit of {0} bytes", limit);
        return CPython ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:" + message) : new XmlRpcFault(InternalErrorCode, message);
    }

    /// <summary>
    /// An exception raised by a method (or by writing its result). A <see cref="XmlRpcFaultException"/> is sent as
    /// it is; anything else is CPython's <c>Fault(1, "%s:%s" % (type(exc), exc))</c>, or -32500/-32602/-32603 in the interop
    /// profile. Without detailed errors an unexpected exception's class and message stay on the server: the client gets
    /// <c>&lt;class 'Exception'&gt;:</c><see cref="HiddenError"/> (interop: -32500 with that text).
    /// </summary>
    public XmlRpcFault FromException(Exception exception) => Writable(exception switch
    {
        XmlRpcFaultException fault => fault.Fault,
        XmlRpcInvalidParamsException invalid => InvalidParams(invalid.Message),
        XmlRpcFormatException format when !CPython => new XmlRpcFault(InternalErrorCode, "the result cannot be written as XML-RPC: " + format.Message),
        XmlRpcFormatException { PythonType: { } type } format when CPython => new XmlRpcFault(CPythonCode, "<class '" + type + "'>:" + format.PythonMessage),
        XmlRpcFormatException when CPython => PythonStyle(exception),
        _ when !detailedErrors => CPython ? new XmlRpcFault(CPythonCode, "<class 'Exception'>:" + HiddenError) : new XmlRpcFault(ApplicationErrorCode, HiddenError),
        _ when CPython => PythonStyle(exception),
        _ => new XmlRpcFault(ApplicationErrorCode, ClassName(exception.GetType()) + ": " + exception.Message),
    });

    // What Writable must look at: the characters XML 1.0 never allows, and the surrogates (which may be lone).
    private static readonly SearchValues<char> Unwritable = SearchValues.Create(
        XmlCharacters.Forbidden + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    /// <summary>
    /// The fault, with each character of its text that XML 1.0 cannot carry (U+0000–U+0008, U+000B, U+000C,
    /// U+000E–U+001F, U+FFFE, U+FFFF, a lone surrogate) replaced by U+FFFD, so that it can always be sent: an exception's
    /// text can hold anything (<c>str()</c> of a Binary is its bytes). CPython writes such text raw, and no client can
    /// read its answer (bpo-7727).
    /// </summary>
    /// <remarks>A fault given as values (<see cref="XmlRpcFault.Value"/>: CPython's <c>Fault(code, anything)</c>) is left as it is:
    /// its members are written as values, and the dispatcher falls back to this for its code and text only if they cannot be.</remarks>
    public static XmlRpcFault Writable(XmlRpcFault fault)
    {
        var text = fault.Message;
        if (fault.Value is not null || text.AsSpan().IndexOfAny(Unwritable) < 0)
        {
            return fault;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes already yields U+FFFD for a lone surrogate.
            sb.Append(XmlCharacters.IsXmlChar(rune.Value) ? rune : Rune.ReplacementChar);
        }

        return new XmlRpcFault(fault.Code, sb.ToString());
    }

    /// <summary>CPython's <c>"%s:%s" % (type(exc), exc)</c>.</summary>
    private static XmlRpcFault PythonStyle(Exception exception) =>
        new(CPythonCode, string.Format(CultureInfo.InvariantCulture, "<class '{0}'>:{1}", ClassName(exception.GetType()), exception.Message));

    /// <summary><see cref="XmlRpcExceptionNameAttribute.Name"/>, else the .NET full name.</summary>
    private static string ClassName(Type type) =>
        type.GetCustomAttribute<XmlRpcExceptionNameAttribute>(inherit: false)?.Name ?? type.FullName ?? type.Name;
}
