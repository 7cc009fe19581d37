using XmlRpc.Server;

namespace Conformance.Server;

/// <summary>Python's <c>ValueError</c>: fault 1 <c>&lt;class 'ValueError'&gt;:message</c> in the CPython profile.</summary>
[XmlRpcExceptionName("ValueError")]
internal sealed class PythonValueError(string message) : Exception(message);

/// <summary>Python's <c>TypeError</c>.</summary>
[XmlRpcExceptionName("TypeError")]
internal sealed class PythonTypeError(string message) : Exception(message);

/// <summary>Python's <c>AttributeError</c>, e.g. <c>'int' object has no attribute 'count'</c>.</summary>
[XmlRpcExceptionName("AttributeError")]
internal sealed class PythonAttributeError(string message) : Exception(message);

/// <summary>Python's <c>KeyError</c>; its text is the key's <c>repr</c>, e.g. <c>'curly'</c>.</summary>
[XmlRpcExceptionName("KeyError")]
internal sealed class PythonKeyError(string key) : Exception("'" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'");

/// <summary>Python's <c>IndexError</c>.</summary>
[XmlRpcExceptionName("IndexError")]
internal sealed class PythonIndexError(string message) : Exception(message);

/// <summary>Python's <c>ZeroDivisionError</c>.</summary>
[XmlRpcExceptionName("ZeroDivisionError")]
internal sealed class PythonZeroDivisionError(string message) : Exception(message);

/// <summary>Python's <c>OverflowError</c>, as CPython's marshaller raises it for an int outside ±2^31.</summary>
[XmlRpcExceptionName("OverflowError")]
internal sealed class PythonOverflowError(string message) : Exception(message);
