using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace XmlRpc.Server.Internal;

/// <summary>XML-RPC type names of CLR types, for <c>system.methodSignature</c>.</summary>
/// <remarks>
/// The names of the introspection specification (<c>int</c>, <c>boolean</c>, <c>string</c>, <c>double</c>,
/// <c>dateTime.iso8601</c>, <c>base64</c>, <c>struct</c>, <c>array</c>) plus <c>i8</c> and <c>nil</c>; a slot
/// that takes any XML-RPC value (<see cref="XmlRpcValue"/>, <see cref="object"/>) is named <c>any</c>.
/// </remarks>
internal static class TypeNames
{
    public static string Of([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.Interfaces)] Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(void))
        {
            return "nil";
        }

        if (type == typeof(int) || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort))
        {
            return "int";
        }

        if (type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(System.Numerics.BigInteger))
        {
            return "i8";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(string) || type == typeof(char))
        {
            return "string";
        }

        if (type == typeof(double) || type == typeof(float))
        {
            return "double";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "dateTime.iso8601";
        }

        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>) || type == typeof(Memory<byte>))
        {
            return "base64";
        }

        if (type == typeof(XmlRpcValue) || type == typeof(object))
        {
            return "any";
        }

        if (typeof(IDictionary).IsAssignableFrom(type) || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
        {
            return "struct";
        }

        if (type.IsArray || typeof(IEnumerable).IsAssignableFrom(type))
        {
            return "array";
        }

        return "struct";
    }
}
