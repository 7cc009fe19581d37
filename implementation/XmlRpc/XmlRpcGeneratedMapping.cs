using System.ComponentModel;

namespace XmlRpc;

/// <summary>
/// The reflection-free building blocks of the code that the XmlRpcWire source generator writes (server bindings of
/// <see cref="XmlRpcMethodAttribute"/> types, client proxies of marked interfaces, struct mapping of the classes they
/// use). Not meant to be called by hand.
/// </summary>
/// <remarks>
/// Every conversion here behaves, and fails with the same message, as <see cref="XmlRpcSerializer.FromValue(XmlRpcValue, Type, XmlRpcSerializerOptions?)"/>
/// does for the same CLR type with the default options: a generated binding and a reflection binding answer a request
/// with the same bytes. <c>where</c> is the path of the value in the message (<c>$</c>, <c>$[0]</c>, <c>$.name</c>);
/// <c>typeName</c> is the CLR type's <see cref="System.Reflection.MemberInfo.Name"/>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class XmlRpcGeneratedMapping
{
    /// <summary>An <c>int</c>: an <c>&lt;int&gt;</c>/<c>&lt;i4&gt;</c> or a wider integer that fits.</summary>
    public static int ToInt32(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        NotNil(value, "Int32", where);
        try
        {
            return value.AsInt32();
        }
        catch (Exception e) when (e is InvalidOperationException or OverflowException or FormatException)
        {
            throw Failed(value, "Int32", where, e);
        }
    }

    /// <summary>A <c>bool</c>.</summary>
    public static bool ToBoolean(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        NotNil(value, "Boolean", where);
        try
        {
            return value.AsBoolean();
        }
        catch (Exception e) when (e is InvalidOperationException)
        {
            throw Failed(value, "Boolean", where, e);
        }
    }

    /// <summary>A <c>double</c>: a <c>&lt;double&gt;</c> or any integer (converted).</summary>
    public static double ToDouble(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        NotNil(value, "Double", where);
        try
        {
            return value.ToDouble();
        }
        catch (Exception e) when (e is InvalidOperationException or OverflowException or FormatException)
        {
            throw Failed(value, "Double", where, e);
        }
    }

    /// <summary>A <c>DateTime</c> from a <c>&lt;dateTime.iso8601&gt;</c>.</summary>
    public static DateTime ToDateTime(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        NotNil(value, "DateTime", where);
        try
        {
            return value.AsDateTime();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw Failed(value, "DateTime", where, e);
        }
    }

    /// <summary>A <c>string</c>; nil is <see langword="null"/>.</summary>
    public static string? ToString(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNil)
        {
            return null;
        }

        try
        {
            return value.AsString();
        }
        catch (Exception e) when (e is InvalidOperationException)
        {
            throw Failed(value, "String", where, e);
        }
    }

    /// <summary>A copy of a <c>&lt;base64&gt;</c>'s bytes; nil is <see langword="null"/>.</summary>
    public static byte[]? ToBytes(XmlRpcValue value, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsNil)
        {
            return null;
        }

        try
        {
            return value.AsBase64().ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException)
        {
            throw Failed(value, "Byte[]", where, e);
        }
    }

    /// <summary>The items of an array (the caller's collection type is <paramref name="typeName"/>); nil is <see langword="null"/>.</summary>
    public static XmlRpcValue[]? Items(XmlRpcValue value, string typeName, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.IsNil ? null
            : value.Kind == XmlRpcValueKind.Array ? value.ArrayItems
            : throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {typeName}: an array is needed.");
    }

    /// <summary>Checks that <paramref name="value"/> is a struct for the class <paramref name="typeName"/>; <see langword="false"/> for nil.</summary>
    public static bool IsStruct(XmlRpcValue value, string typeName, string where)
    {
        ArgumentNullException.ThrowIfNull(value);
        return !value.IsNil && (value.Kind == XmlRpcValueKind.Struct
            ? true
            : throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {typeName}: a struct is needed."));
    }

    /// <summary>The error for a required struct member that the struct lacks.</summary>
    public static XmlRpcMappingException MissingMember(string typeName, string where, string wireName) =>
        new($"Cannot map the struct at {where} to {typeName}: the member '{wireName}' is missing.");

    /// <summary>The error for nil where a value type is needed.</summary>
    public static XmlRpcMappingException NilForValueType(string typeName, string where) =>
        new($"Cannot map nil at {where} to {typeName}, which cannot be null.");

    /// <summary>The path of an array item: <c>where[i]</c>.</summary>
    public static string Index(string where, int index) =>
        where + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>An array value that takes ownership of <paramref name="items"/>.</summary>
    public static XmlRpcValue Array(XmlRpcValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return XmlRpcValue.CreateArrayOwned(items);
    }

    /// <summary>A struct value of these members (a repeated name keeps its first position and its last value).</summary>
    public static XmlRpcValue Struct(KeyValuePair<string, XmlRpcValue>[] members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return XmlRpcValue.CreateStruct(members);
    }

    private static void NotNil(XmlRpcValue value, string typeName, string where)
    {
        if (value.IsNil)
        {
            throw NilForValueType(typeName, where);
        }
    }

    private static XmlRpcMappingException Failed(XmlRpcValue value, string typeName, string where, Exception e) =>
        new($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {typeName}: {e.Message}", e);
}
