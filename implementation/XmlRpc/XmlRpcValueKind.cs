namespace XmlRpc;

/// <summary>The XML-RPC type of an <see cref="XmlRpcValue"/>.</summary>
/// <remarks>
/// The base types of the XML-RPC specification (<c>int</c>, <c>boolean</c>, <c>string</c>, <c>double</c>,
/// <c>dateTime.iso8601</c>, <c>base64</c>, <c>struct</c>, <c>array</c>) plus the extensions CPython's
/// <c>xmlrpc.client.Unmarshaller</c> reads: <c>nil</c>, <c>i8</c>, <c>biginteger</c> and <c>bigdecimal</c>.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the XML-RPC type names (int, string, double).")]
public enum XmlRpcValueKind
{
    /// <summary>A 32-bit integer (<c>&lt;int&gt;</c> / <c>&lt;i4&gt;</c>).</summary>
    Int,

    /// <summary>A 64-bit integer, written as <c>&lt;i8&gt;</c> only when <see cref="XmlRpcFormatterOptions.Int64Tag"/> asks for it.</summary>
    I8,

    /// <summary>An integer outside the 64-bit range (decoded from <c>&lt;biginteger&gt;</c> or a long <c>&lt;int&gt;</c> text).</summary>
    BigInteger,

    /// <summary><c>&lt;boolean&gt;</c>.</summary>
    Boolean,

    /// <summary><c>&lt;string&gt;</c> or an untyped <c>&lt;value&gt;</c>.</summary>
    String,

    /// <summary><c>&lt;double&gt;</c> (also read from <c>&lt;float&gt;</c>).</summary>
    Double,

    /// <summary><c>&lt;dateTime.iso8601&gt;</c>, kept as text like CPython's <c>DateTime.value</c>.</summary>
    DateTime,

    /// <summary><c>&lt;base64&gt;</c> binary data.</summary>
    Base64,

    /// <summary><c>&lt;struct&gt;</c>: named members, order kept.</summary>
    Struct,

    /// <summary><c>&lt;array&gt;</c>.</summary>
    Array,

    /// <summary><c>&lt;nil/&gt;</c> (the XML-RPC nil extension; CPython's <c>None</c>).</summary>
    Nil,

    /// <summary><c>&lt;bigdecimal&gt;</c> (parse only), kept as the text CPython's <c>str(Decimal)</c> gives.</summary>
    BigDecimal,
}
