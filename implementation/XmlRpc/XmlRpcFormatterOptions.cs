namespace XmlRpc;

/// <summary>How the formatter writes integers that do not fit in 32 bits.</summary>
public enum XmlRpcInt64Tag
{
    /// <summary>Refuse them (<see cref="XmlRpcFormatException"/>), as CPython does (<c>OverflowError: int exceeds XML-RPC limits</c>).</summary>
    None,

    /// <summary>Write <see cref="XmlRpcValueKind.I8"/> values and 64-bit integers as <c>&lt;i8&gt;</c> (the Apache ws-xmlrpc extension; CPython 3.6+ reads it).</summary>
    I8,
}

/// <summary>How the formatter writes doubles.</summary>
public enum XmlRpcDoubleFormat
{
    /// <summary>Python <c>repr()</c>, byte-identical to CPython: <c>0.1</c>, <c>1e-07</c>, <c>1e+16</c>, <c>inf</c>, <c>nan</c>.</summary>
    PythonRepr,

    /// <summary>
    /// The XML-RPC specification's form: digits, a point and digits, never an exponent (<c>0.0000001</c>,
    /// <c>10000000000000000.0</c>); infinities and NaN are refused because the specification cannot say them.
    /// </summary>
    Positional,
}

/// <summary>Options of <see cref="XmlRpcFormatter"/>. The defaults write exactly what CPython's <c>xmlrpc.client.dumps</c> writes (with <c>allow_none=True</c>).</summary>
public sealed record XmlRpcFormatterOptions
{
    /// <summary>The defaults.</summary>
    public static XmlRpcFormatterOptions Default { get; } = new();

    /// <summary>How integers beyond 32 bits are written. Default <see cref="XmlRpcInt64Tag.None"/> (refused, like CPython).</summary>
    public XmlRpcInt64Tag Int64Tag { get; init; } = XmlRpcInt64Tag.None;

    /// <summary>Write <c>&lt;i4&gt;</c> instead of <c>&lt;int&gt;</c> (both are in the specification; CPython writes <c>&lt;int&gt;</c>).</summary>
    public bool UseI4Tag { get; init; }

    /// <summary>How doubles are written. Default <see cref="XmlRpcDoubleFormat.PythonRepr"/>.</summary>
    public XmlRpcDoubleFormat DoubleFormat { get; init; } = XmlRpcDoubleFormat.PythonRepr;

    /// <summary>Allow <c>&lt;nil/&gt;</c> (CPython's <c>allow_none</c>). Default true; when false, nil is refused like CPython's <c>TypeError: cannot marshal None unless allow_none is enabled</c>.</summary>
    public bool AllowNil { get; init; } = true;

    /// <summary>
    /// The document encoding. Null (default) is UTF-8 with the declaration <c>&lt;?xml version='1.0'?&gt;</c>;
    /// any other name is written verbatim into <c>&lt;?xml version='1.0' encoding='NAME'?&gt;</c> (CPython compares
    /// with the exact string <c>"utf-8"</c>, so <c>"UTF-8"</c> gets a declaration too), and characters the encoding
    /// cannot carry become decimal character references <c>&amp;#N;</c>, like CPython's
    /// <c>encode(encoding, 'xmlcharrefreplace')</c>.
    /// </summary>
    /// <remarks>
    /// Byte for byte what CPython's <c>dumps(..., encoding=NAME).encode(NAME, 'xmlcharrefreplace')</c> gives:
    /// single-byte encodings use CPython's codec tables (windows-1252 has no U+0081, so it becomes <c>&amp;#129;</c>), and
    /// <c>utf-16</c> starts with the byte order mark FF FE and is little-endian (CPython's <c>utf_16</c> codec; XML 1.0
    /// §4.3.3 requires the mark), while <c>utf-16le</c> and <c>utf-16be</c> have none. UTF-32 is refused when the
    /// formatter is created: neither CPython's parser (expat) nor <see cref="XmlRpcParser"/> reads it. Other multi-byte
    /// encodings (<c>shift_jis</c>...) are written as CPython writes them, though neither parser reads them back.
    /// </remarks>
    public string? EncodingName { get; init; }

    /// <summary>The deepest nesting of arrays and structs written (default 512); deeper values are refused instead of risking the stack.</summary>
    /// <remarks>512 is above what the default parser reads (<see cref="XmlRpcParserOptions.MaxDepth"/> 1024 elements, about 340
    /// nested arrays in a call), so a server can echo every request it accepts, as CPython does up to its recursion limit (about
    /// 490 nested arrays in <c>dumps</c>). Writing recurses once per level. With a raised limit, a value too deep for the thread's stack is still refused with <see cref="XmlRpcFormatException"/> (checked with <c>RuntimeHelpers.TryEnsureSufficientExecutionStack</c>), never a process crash.</remarks>
    public int MaxDepth { get; init; } = 512;
}
