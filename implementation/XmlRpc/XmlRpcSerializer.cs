using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace XmlRpc;

/// <summary>Maps ordinary .NET values to <see cref="XmlRpcValue"/> and back.</summary>
/// <remarks>
/// <para>To XML-RPC, following CPython's <c>Marshaller</c> for the equivalent Python types:</para>
/// <list type="table">
/// <listheader><term>.NET</term><description>XML-RPC</description></listheader>
/// <item><term>null</term><description><c>nil</c></description></item>
/// <item><term><see cref="int"/>, <see cref="short"/>, <see cref="byte"/>, <see cref="sbyte"/>, <see cref="ushort"/></term><description><c>int</c></description></item>
/// <item><term><see cref="long"/>, <see cref="uint"/>, <see cref="ulong"/>, <see cref="BigInteger"/></term><description><c>int</c> when it fits in 32 bits, else <see cref="XmlRpcValueKind.I8"/>/<see cref="XmlRpcValueKind.BigInteger"/> (written only as <c>&lt;i8&gt;</c>, see <see cref="XmlRpcSerializerOptions.AllowInt64"/>)</description></item>
/// <item><term><see cref="bool"/></term><description><c>boolean</c></description></item>
/// <item><term><see cref="string"/>, <see cref="char"/></term><description><c>string</c></description></item>
/// <item><term><see cref="double"/>, <see cref="float"/></term><description><c>double</c></description></item>
/// <item><term><see cref="DateTime"/>, <see cref="DateTimeOffset"/></term><description><c>dateTime.iso8601</c> (wall-clock time; the offset is dropped like CPython drops <c>tzinfo</c>)</description></item>
/// <item><term><c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/>, <see cref="Memory{T}"/>, <see cref="ArraySegment{T}"/> of bytes</term><description><c>base64</c></description></item>
/// <item><term>dictionaries with string keys</term><description><c>struct</c> (other keys are refused: CPython's <c>dictionary key must be string</c>)</description></item>
/// <item><term>arrays, lists, any other <see cref="IEnumerable"/></term><description><c>array</c></description></item>
/// <item><term>classes, structs, records</term><description><c>struct</c> of public properties and fields (<see cref="XmlRpcMemberAttribute"/> renames, <see cref="XmlRpcIgnoreAttribute"/> leaves out), like CPython's <c>vars(obj)</c>; see below for the order</description></item>
/// <item><term><see cref="XmlRpcValue"/></term><description>itself</description></item>
/// </list>
/// <para>
/// Struct member order is deterministic: base class members first; within a class, its properties in declaration order,
/// then its fields in declaration order (the metadata keeps properties and fields apart, so a field declared between two
/// properties still comes after both). An override keeps the place of the property it overrides, and a member hidden
/// with <c>new</c> is replaced by the hiding member (the most derived declaration wins, as in C#). CPython's
/// <c>vars(obj)</c> follows attribute assignment order, which .NET types do not record.
/// </para>
/// <para>
/// Refused with <see cref="XmlRpcMappingException"/>: <see cref="decimal"/> (CPython cannot marshal <c>Decimal</c>),
/// enums (CPython refuses <c>IntEnum</c>), <see cref="DateOnly"/>/<see cref="TimeOnly"/> (CPython refuses <c>date</c>),
/// other framework types, and cycles (CPython's <c>cannot marshal recursive sequences</c>).
/// </para>
/// <para>
/// From XML-RPC: the same table backwards, plus interfaces (<see cref="IEnumerable{T}"/>, <see cref="IReadOnlyList{T}"/>,
/// <see cref="IDictionary{TKey, TValue}"/>...), constructor-bound types (a class, record or struct without a declared
/// public parameterless constructor is created through its public constructor with the most parameters, matched to
/// members by name; members left over are then set if they have a public setter; get-only properties and readonly
/// fields no parameter sets are written but not read, like computed properties), and
/// <see cref="object"/>, which gets the natural .NET type (<c>int</c>, <c>long</c>, <c>BigInteger</c>, <c>bool</c>, <c>string</c>,
/// <c>double</c>, <c>DateTime</c> when the text is a date else <c>string</c>, <c>byte[]</c>, <c>object?[]</c>,
/// <c>Dictionary&lt;string, object?&gt;</c>, <c>null</c>). A struct member may be absent only when it is optional: a nullable type, a
/// constructor parameter with a default value, or <see cref="XmlRpcMemberAttribute.Optional"/>. Unknown members are ignored.
/// </para>
/// </remarks>
public static class XmlRpcSerializer
{
    private const string ReflectionMessage = "XmlRpcSerializer maps arbitrary types by reflection; build XmlRpcValue directly for trimmed or AOT applications.";

    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    /// <summary>Maps a .NET value to an <see cref="XmlRpcValue"/> (see the class remarks).</summary>
    /// <exception cref="XmlRpcMappingException">The value, or something inside it, cannot be mapped.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static XmlRpcValue ToValue(object? value, XmlRpcSerializerOptions? options = null)
    {
        var path = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return ToValueCore(value, options ?? XmlRpcSerializerOptions.Default, 0, path, "$");
    }

    /// <summary>Maps an <see cref="XmlRpcValue"/> to <typeparamref name="T"/> (see the class remarks).</summary>
    /// <exception cref="XmlRpcMappingException">The value does not fit <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static T FromValue<T>(XmlRpcValue value, XmlRpcSerializerOptions? options = null) => (T)FromValue(value, typeof(T), options)!;

    /// <summary>Maps an <see cref="XmlRpcValue"/> to <paramref name="type"/> (see the class remarks).</summary>
    /// <exception cref="XmlRpcMappingException">The value does not fit the type.</exception>
    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    public static object? FromValue(XmlRpcValue value, Type type, XmlRpcSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        return FromValueCore(value, type, options ?? XmlRpcSerializerOptions.Default, 0, "$");
    }

    // ----------------------------------------------------------------------------------------------
    // .NET -> XML-RPC

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static XmlRpcValue ToValueCore(object? value, XmlRpcSerializerOptions options, int depth, HashSet<object> path, string where)
    {
        switch (value)
        {
            case null:
                return XmlRpcValue.Nil;
            case XmlRpcValue v:
                return v;
            case string s:
                return XmlRpcValue.FromString(s);
            case bool b:
                return XmlRpcValue.FromBoolean(b);
            case int i:
                return XmlRpcValue.FromInt32(i);
            case short i:
                return XmlRpcValue.FromInt32(i);
            case sbyte i:
                return XmlRpcValue.FromInt32(i);
            case byte i:
                return XmlRpcValue.FromInt32(i);
            case ushort i:
                return XmlRpcValue.FromInt32(i);
            case uint i:
                return Int64(i, options, where);
            case long i:
                return Int64(i, options, where);
            case ulong i:
                return i <= long.MaxValue ? Int64((long)i, options, where) : Big(i, options, where);
            case BigInteger i:
                return i >= long.MinValue && i <= long.MaxValue ? Int64((long)i, options, where) : Big(i, options, where);
            case double d:
                return XmlRpcValue.FromDouble(d);
            case float f:
                return XmlRpcValue.FromDouble(f);
            case char c:
                return XmlRpcValue.FromString(c.ToString());
            case DateTime dt:
                return XmlRpcValue.FromDateTime(dt);
            case DateTimeOffset dto:
                return XmlRpcValue.FromDateTime(dto.DateTime);
            case byte[] bytes:
                return XmlRpcValue.FromBase64(bytes);
            case ReadOnlyMemory<byte> rom:
                return XmlRpcValue.FromBase64(rom.Span);
            case Memory<byte> mem:
                return XmlRpcValue.FromBase64(mem.Span);
            case ArraySegment<byte> seg:
                return XmlRpcValue.FromBase64(seg);
            case decimal:
                throw new XmlRpcMappingException($"Cannot map the decimal at {where}: XML-RPC has no decimal type (CPython cannot marshal Decimal either); convert it to double or string.");
            case Enum e:
                throw new XmlRpcMappingException($"Cannot map the enum {e.GetType().Name} at {where} (CPython refuses enums too); convert it to its number or name.");
            case DateOnly or TimeOnly or TimeSpan:
                throw new XmlRpcMappingException($"Cannot map the {value.GetType().Name} at {where}: only a full date and time has an XML-RPC form (CPython refuses date and time alone too).");
        }

        if (depth >= options.MaxDepth)
        {
            throw new XmlRpcMappingException($"The value at {Shorten(where)} nests deeper than XmlRpcSerializerOptions.MaxDepth ({options.MaxDepth.ToString(CultureInfo.InvariantCulture)}).");
        }

        EnsureStack(options, where);

        if (!path.Add(value))
        {
            throw new XmlRpcMappingException($"Cannot map a recursive structure: the object at {where} contains itself (CPython: cannot marshal recursive sequences).");
        }

        try
        {
            var type = value.GetType();
            if (value is IDictionary dictionary)
            {
                var members = new List<KeyValuePair<string, XmlRpcValue>>(dictionary.Count);
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key as string
                        ?? throw new XmlRpcMappingException($"Cannot map the dictionary at {where}: the key {entry.Key} is not a string (CPython: dictionary key must be string).");
                    if (entry.Value is null && options.IgnoreNullMembers)
                    {
                        continue;
                    }

                    members.Add(new(key, ToValueCore(entry.Value, options, depth + 1, path, where + "." + key)));
                }

                return XmlRpcValue.CreateStruct([.. members]);
            }

            if (FindReadOnlyDictionary(type) is { } pairType)
            {
                var keyProperty = pairType.GetProperty("Key")!;
                var valueProperty = pairType.GetProperty("Value")!;
                var members = new List<KeyValuePair<string, XmlRpcValue>>();
                foreach (var pair in (IEnumerable)value)
                {
                    var key = (string)keyProperty.GetValue(pair)!;
                    var item = valueProperty.GetValue(pair);
                    if (item is null && options.IgnoreNullMembers)
                    {
                        continue;
                    }

                    members.Add(new(key, ToValueCore(item, options, depth + 1, path, where + "." + key)));
                }

                return XmlRpcValue.CreateStruct([.. members]);
            }

            if (value is IEnumerable enumerable)
            {
                var items = new List<XmlRpcValue>();
                foreach (var item in enumerable)
                {
                    items.Add(ToValueCore(item, options, depth + 1, path, where + "[" + items.Count.ToString(CultureInfo.InvariantCulture) + "]"));
                }

                return XmlRpcValue.CreateArrayOwned([.. items]);
            }

            var shape = GetShape(type);
            var result = new List<KeyValuePair<string, XmlRpcValue>>(shape.Members.Length);
            foreach (var member in shape.Members)
            {
                if (member.Getter is null)
                {
                    continue;
                }

                var item = member.Getter(value);
                if (item is null && options.IgnoreNullMembers)
                {
                    continue;
                }

                result.Add(new(member.WireName, ToValueCore(item, options, depth + 1, path, where + "." + member.WireName)));
            }

            return XmlRpcValue.CreateStruct([.. result]);
        }
        finally
        {
            path.Remove(value);
        }
    }

    private static XmlRpcValue Int64(long value, XmlRpcSerializerOptions options, string where)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            return XmlRpcValue.FromInt32((int)value);
        }

        return options.AllowInt64
            ? XmlRpcValue.FromInt64(value)
            : throw new XmlRpcMappingException($"The integer {value.ToString(CultureInfo.InvariantCulture)} at {where} exceeds XML-RPC limits (32 bits); CPython refuses it too (OverflowError).");
    }

    private static XmlRpcValue Big(BigInteger value, XmlRpcSerializerOptions options, string where) =>
        options.AllowInt64
            ? XmlRpcValue.FromBigInteger(value)
            : throw new XmlRpcMappingException($"The integer {value.ToString(CultureInfo.InvariantCulture)} at {where} exceeds XML-RPC limits (32 bits); CPython refuses it too (OverflowError).");

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static Type? FindReadOnlyDictionary(Type type)
    {
        foreach (var i in type.GetInterfaces())
        {
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            {
                return typeof(KeyValuePair<,>).MakeGenericType(i.GetGenericArguments());
            }
        }

        return null;
    }

    // ----------------------------------------------------------------------------------------------
    // XML-RPC -> .NET

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static object? FromValueCore(XmlRpcValue value, Type type, XmlRpcSerializerOptions options, int depth, string where)
    {
        if (type == typeof(XmlRpcValue))
        {
            return value;
        }

        if (type == typeof(object))
        {
            return Natural(value, depth, options, where);
        }

        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return value.IsNil ? null : FromValueCore(value, underlying, options, depth, where);
        }

        if (value.IsNil)
        {
            return type.IsValueType
                ? throw new XmlRpcMappingException($"Cannot map nil at {where} to {type.Name}, which cannot be null.")
                : null;
        }

        try
        {
            if (type == typeof(int))
            {
                return value.AsInt32();
            }

            if (type == typeof(long))
            {
                return value.AsInt64();
            }

            if (type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong))
            {
                var big = value.AsBigInteger();
                return type == typeof(short) ? (object)(short)big
                    : type == typeof(byte) ? (byte)big
                    : type == typeof(sbyte) ? (sbyte)big
                    : type == typeof(ushort) ? (ushort)big
                    : type == typeof(uint) ? (uint)big
                    : (ulong)big;
            }

            if (type == typeof(BigInteger))
            {
                return value.AsBigInteger();
            }

            if (type == typeof(bool))
            {
                return value.AsBoolean();
            }

            if (type == typeof(string))
            {
                return value.AsString();
            }

            if (type == typeof(char))
            {
                var s = value.AsString();
                return s.Length == 1 ? s[0] : throw new XmlRpcMappingException($"Cannot map the string at {where} to a char: it has {s.Length.ToString(CultureInfo.InvariantCulture)} characters.");
            }

            if (type == typeof(double))
            {
                return value.ToDouble();
            }

            if (type == typeof(float))
            {
                return (float)value.ToDouble();
            }

            if (type == typeof(decimal))
            {
                return value.Kind switch
                {
                    XmlRpcValueKind.BigDecimal => decimal.Parse(value.AsBigDecimalText(), NumberStyles.Float, CultureInfo.InvariantCulture),
                    XmlRpcValueKind.Double => (decimal)value.AsDouble(),
                    _ => (decimal)value.AsBigInteger(),
                };
            }

            if (type == typeof(DateTime))
            {
                return value.AsDateTime();
            }

            if (type == typeof(DateTimeOffset))
            {
                var dt = value.AsDateTime();
                return new DateTimeOffset(dt.Kind == DateTimeKind.Utc ? dt : DateTime.SpecifyKind(dt, DateTimeKind.Unspecified), TimeSpan.Zero);
            }

            if (type == typeof(byte[]))
            {
                return value.AsBase64().ToArray();
            }

            if (type == typeof(ReadOnlyMemory<byte>))
            {
                return value.AsBase64();
            }

            if (type == typeof(Memory<byte>))
            {
                return new Memory<byte>(value.AsBase64().ToArray());
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OverflowException or FormatException)
        {
            throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.Name}: {e.Message}", e);
        }

        if (type.IsEnum || type.IsPrimitive)
        {
            throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.Name}: the type has no XML-RPC mapping.");
        }

        if (depth >= options.MaxDepth)
        {
            throw new XmlRpcMappingException($"The value at {Shorten(where)} nests deeper than XmlRpcSerializerOptions.MaxDepth ({options.MaxDepth.ToString(CultureInfo.InvariantCulture)}).");
        }

        EnsureStack(options, where);

        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var items = Items(value, type, where);
            var array = Array.CreateInstance(element, items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                array.SetValue(FromValueCore(items[i], element, options, depth + 1, Index(where, i)), i);
            }

            return array;
        }

        if (DictionaryValueType(type) is { } dictValue)
        {
            var members = Members(value, type, where);
            var dictType = type.IsInterface ? typeof(Dictionary<,>).MakeGenericType(typeof(string), dictValue) : type;
            var dict = (IDictionary)Activator.CreateInstance(dictType)!;
            foreach (var m in members)
            {
                dict[m.Key] = FromValueCore(m.Value, dictValue, options, depth + 1, where + "." + m.Key);
            }

            return dict;
        }

        if (type == typeof(IDictionary) || type == typeof(Hashtable))
        {
            var dict = type == typeof(Hashtable) ? new Hashtable() : (IDictionary)new Dictionary<string, object?>();
            foreach (var m in Members(value, type, where))
            {
                dict[m.Key] = Natural(m.Value, depth + 1, options, where + "." + m.Key);
            }

            return dict;
        }

        if (CollectionElementType(type) is { } elementType)
        {
            var items = Items(value, type, where);
            var listType = type.IsInterface ? typeof(List<>).MakeGenericType(elementType) : type;
            var list = Activator.CreateInstance(listType)!;
            var add = listType.GetMethod("Add", [elementType])
                ?? throw new XmlRpcMappingException($"Cannot map an array at {where} to {type.Name}: it has no Add({elementType.Name}).");
            for (var i = 0; i < items.Length; i++)
            {
                add.Invoke(list, [FromValueCore(items[i], elementType, options, depth + 1, Index(where, i))]);
            }

            return list;
        }

        if (type == typeof(IEnumerable) || type == typeof(IList) || type == typeof(ArrayList) || type == typeof(ICollection))
        {
            var items = Items(value, type, where);
            var list = new List<object?>(items.Length);
            for (var i = 0; i < items.Length; i++)
            {
                list.Add(Natural(items[i], depth + 1, options, Index(where, i)));
            }

            return type == typeof(ArrayList) ? new ArrayList(list) : list;
        }

        return ToObject(value, type, options, depth, where);
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static object ToObject(XmlRpcValue value, Type type, XmlRpcSerializerOptions options, int depth, string where)
    {
        if (type.IsAbstract || type.IsInterface || IsFrameworkType(type))
        {
            throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.FullName}: the type has no XML-RPC mapping.");
        }

        if (value.Kind != XmlRpcValueKind.Struct)
        {
            throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.Name}: a struct is needed.");
        }

        var shape = GetShape(type);
        var assigned = new bool[shape.Members.Length];
        object? instance;
        if (shape.Constructor is null)
        {
            instance = Activator.CreateInstance(type)!;
        }
        else
        {
            var parameters = shape.Constructor.GetParameters();
            var args = new object?[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var memberIndex = shape.ParameterMembers[i];
                var wireName = memberIndex >= 0 ? shape.Members[memberIndex].WireName : WireName(parameters[i]);
                if (value.TryGetMember(wireName, out var item))
                {
                    args[i] = FromValueCore(item, parameters[i].ParameterType, options, depth + 1, where + "." + wireName);
                }
                else if (parameters[i].HasDefaultValue)
                {
                    args[i] = parameters[i].DefaultValue;
                }
                else if (shape.ParameterOptional[i])
                {
                    args[i] = null;
                }
                else
                {
                    throw new XmlRpcMappingException($"Cannot map the struct at {where} to {type.Name}: the member '{wireName}' is missing.");
                }

                if (memberIndex >= 0)
                {
                    assigned[memberIndex] = true;
                }
            }

            try
            {
                instance = shape.Constructor.Invoke(args);
            }
            catch (TargetInvocationException e)
            {
                throw new XmlRpcMappingException($"The constructor of {type.Name} refused the struct at {where}: {e.InnerException?.Message}", e.InnerException);
            }
        }

        for (var i = 0; i < shape.Members.Length; i++)
        {
            var member = shape.Members[i];
            if (assigned[i] || member.Setter is null)
            {
                continue;
            }

            if (value.TryGetMember(member.WireName, out var item))
            {
                member.Setter(instance, FromValueCore(item, member.Type, options, depth + 1, where + "." + member.WireName));
            }
            else if (!member.Optional)
            {
                throw new XmlRpcMappingException($"Cannot map the struct at {where} to {type.Name}: the member '{member.WireName}' is missing.");
            }
        }

        return instance;
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    [RequiresDynamicCode(ReflectionMessage)]
    private static object? Natural(XmlRpcValue value, int depth, XmlRpcSerializerOptions options, string where)
    {
        if (depth >= options.MaxDepth)
        {
            throw new XmlRpcMappingException($"The value at {Shorten(where)} nests deeper than XmlRpcSerializerOptions.MaxDepth ({options.MaxDepth.ToString(CultureInfo.InvariantCulture)}).");
        }

        EnsureStack(options, where);

        switch (value.Kind)
        {
            case XmlRpcValueKind.Int:
                return value.AsInt32();
            case XmlRpcValueKind.I8:
                return value.AsInt64();
            case XmlRpcValueKind.BigInteger:
                return value.AsBigInteger();
            case XmlRpcValueKind.Boolean:
                return value.AsBoolean();
            case XmlRpcValueKind.String:
                return value.AsString();
            case XmlRpcValueKind.Double:
                return value.AsDouble();
            case XmlRpcValueKind.DateTime:
                return value.TryGetDateTime(out var dt) ? dt : value.AsDateTimeText();
            case XmlRpcValueKind.Base64:
                return value.AsBase64().ToArray();
            case XmlRpcValueKind.Nil:
                return null;
            case XmlRpcValueKind.BigDecimal:
                return decimal.TryParse(value.AsBigDecimalText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : value.AsBigDecimalText();
            case XmlRpcValueKind.Array:
                {
                    var items = value.ArrayItems;
                    var result = new object?[items.Length];
                    for (var i = 0; i < items.Length; i++)
                    {
                        result[i] = Natural(items[i], depth + 1, options, Index(where, i));
                    }

                    return result;
                }

            default:
                {
                    var result = new Dictionary<string, object?>(value.Count, StringComparer.Ordinal);
                    foreach (var m in value.StructMembers)
                    {
                        result[m.Key] = Natural(m.Value, depth + 1, options, where + "." + m.Key);
                    }

                    return result;
                }
        }
    }

    private static XmlRpcValue[] Items(XmlRpcValue value, Type type, string where) =>
        value.Kind == XmlRpcValueKind.Array
            ? value.ArrayItems
            : throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.Name}: an array is needed.");

    private static KeyValuePair<string, XmlRpcValue>[] Members(XmlRpcValue value, Type type, string where) =>
        value.Kind == XmlRpcValueKind.Struct
            ? value.StructMembers
            : throw new XmlRpcMappingException($"Cannot map {XmlRpcValue.KindName(value.Kind)} at {where} to {type.Name}: a struct is needed.");

    /// <summary>
    /// A raised <see cref="XmlRpcSerializerOptions.MaxDepth"/> must not crash the process: the mapping recurses once per
    /// level, so running out of stack is a mapping error while there is still room to throw it.
    /// </summary>
    private static void EnsureStack(XmlRpcSerializerOptions options, string where)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new XmlRpcMappingException(
                $"The value at {Shorten(where)} nests too deep for this thread's stack (XmlRpcSerializerOptions.MaxDepth is {options.MaxDepth.ToString(CultureInfo.InvariantCulture)}); lower MaxDepth or map on a thread with a larger stack.");
        }
    }

    /// <summary>A path for a message: deep paths are long (three characters a level), their start says enough.</summary>
    private static string Shorten(string where) => where.Length <= 200 ? where : string.Concat(where.AsSpan(0, 200), "...");

    private static string Index(string where, int i) => where + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static Type? DictionaryValueType(Type type)
    {
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if ((definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)) && type.GetGenericArguments()[0] == typeof(string))
            {
                return type.GetGenericArguments()[1];
            }
        }

        if (!type.IsInterface && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null && typeof(IDictionary).IsAssignableFrom(type))
        {
            foreach (var i in type.GetInterfaces())
            {
                if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
                {
                    return i.GetGenericArguments()[1];
                }
            }
        }

        return null;
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static Type? CollectionElementType(Type type)
    {
        if (type.IsInterface && type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>)
                || definition == typeof(IList<>) || definition == typeof(ICollection<>))
            {
                return type.GetGenericArguments()[0];
            }

            return null;
        }

        if (type.IsInterface || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            return null;
        }

        foreach (var i in type.GetInterfaces())
        {
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollection<>))
            {
                return i.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static bool IsFrameworkType(Type type) =>
        type.Namespace is { } ns && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal));

    // ----------------------------------------------------------------------------------------------
    // Object shapes

    private sealed class MemberShape
    {
        public required string WireName { get; init; }

        public required string ClrName { get; init; }

        public required Type Type { get; init; }

        public required bool Optional { get; init; }

        public Func<object, object?>? Getter { get; init; }

        public Action<object, object?>? Setter { get; init; }
    }

    private sealed class Shape
    {
        public required MemberShape[] Members { get; init; }

        public ConstructorInfo? Constructor { get; init; }

        public int[] ParameterMembers { get; init; } = [];

        public bool[] ParameterOptional { get; init; } = [];
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static Shape GetShape(Type type)
    {
        if (Shapes.TryGetValue(type, out var shape))
        {
            return shape;
        }

        if (IsFrameworkType(type) || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
        {
            throw new XmlRpcMappingException($"Cannot map {type.FullName}: the type has no XML-RPC mapping.");
        }

        var nullability = new NullabilityInfoContext();
        var members = new List<MemberShape>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in DataMembers(type))
        {
            if (m.GetCustomAttribute<XmlRpcIgnoreAttribute>() is not null)
            {
                continue;
            }

            var attribute = m.GetCustomAttribute<XmlRpcMemberAttribute>();
            MemberShape? member = null;
            if (m is PropertyInfo p)
            {
                member = new MemberShape
                {
                    WireName = attribute?.Name ?? p.Name,
                    ClrName = p.Name,
                    Type = p.PropertyType,
                    Optional = (attribute?.Optional ?? false) || IsNullable(p.PropertyType, () => nullability.Create(p).ReadState),
                    Getter = p.GetValue,
                    Setter = p.SetMethod is { IsPublic: true } ? p.SetValue : null,
                };
            }
            else if (m is FieldInfo f)
            {
                member = new MemberShape
                {
                    WireName = attribute?.Name ?? f.Name,
                    ClrName = f.Name,
                    Type = f.FieldType,
                    Optional = (attribute?.Optional ?? false) || IsNullable(f.FieldType, () => nullability.Create(f).ReadState),
                    Getter = f.GetValue,
                    Setter = f.IsInitOnly ? null : f.SetValue,
                };
            }

            if (member is not null)
            {
                if (!names.Add(member.WireName))
                {
                    throw new XmlRpcMappingException($"{type.Name} maps two members to the struct member '{member.WireName}'.");
                }

                members.Add(member);
            }
        }

        var array = members.ToArray();
        ConstructorInfo? constructor = null;
        var parameterMembers = Array.Empty<int>();
        var parameterOptional = Array.Empty<bool>();
        // Without a declared public parameterless constructor, the public constructor with the most parameters is bound,
        // for value types too: a readonly struct's get-only members can be set only through it. A struct that declares no
        // constructor at all is created as its default value and filled through its setters.
        var constructors = type.GetConstructors();
        if (type.GetConstructor(Type.EmptyTypes) is null && (constructors.Length > 0 || !type.IsValueType))
        {
            constructor = constructors.OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                ?? throw new XmlRpcMappingException($"Cannot create {type.Name} from a struct: it has no public constructor.");
            var parameters = constructor.GetParameters();
            parameterMembers = new int[parameters.Length];
            parameterOptional = new bool[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameter = parameters[i];
                parameterMembers[i] = Array.FindIndex(array, m => string.Equals(m.ClrName, parameter.Name, StringComparison.OrdinalIgnoreCase));
                var attribute = parameter.GetCustomAttribute<XmlRpcMemberAttribute>();
                if (attribute?.Name is { } renamed && parameterMembers[i] >= 0)
                {
                    var old = array[parameterMembers[i]];
                    array[parameterMembers[i]] = new MemberShape
                    {
                        WireName = renamed,
                        ClrName = old.ClrName,
                        Type = old.Type,
                        Optional = old.Optional,
                        Getter = old.Getter,
                        Setter = old.Setter,
                    };
                }

                parameterOptional[i] = (attribute?.Optional ?? false)
                    || (parameterMembers[i] >= 0 && array[parameterMembers[i]].Optional)
                    || IsNullable(parameter.ParameterType, () => nullability.Create(parameter).WriteState);
            }
        }

        shape = new Shape { Members = array, Constructor = constructor, ParameterMembers = parameterMembers, ParameterOptional = parameterOptional };
        Shapes.TryAdd(type, shape);
        return shape;
    }

    /// <summary>
    /// The public instance properties (public getter, no index) and fields of a type, in a deterministic order: base
    /// classes first; within a class its properties in declaration order, then its fields in declaration order (the
    /// metadata keeps properties and fields in separate tables, so their interleaving in the source is not recorded).
    /// An override keeps the place of the member it overrides; a member hidden with <c>new</c> gives way to the hiding one.
    /// </summary>
    [RequiresUnreferencedCode(ReflectionMessage)]
    private static List<MemberInfo> DataMembers(Type type)
    {
        var byName = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var m in type.GetMembers(BindingFlags.Public | BindingFlags.Instance))
        {
            var isData = m switch
            {
                PropertyInfo p => p.GetIndexParameters().Length == 0 && (p.GetMethod?.IsPublic ?? false),
                FieldInfo f => !f.IsStatic,
                _ => false,
            };

            // Reflection returns both a member and the one it hides with 'new' (C# hides by name): the most derived wins.
            if (isData && (!byName.TryGetValue(m.Name, out var other) || InheritanceDepth(m.DeclaringType!) > InheritanceDepth(other.DeclaringType!)))
            {
                byName[m.Name] = m;
            }
        }

        return [.. byName.Values.OrderBy(OrderKey)];
    }

    [RequiresUnreferencedCode(ReflectionMessage)]
    private static (int Depth, int Kind, int Token) OrderKey(MemberInfo member)
    {
        // An override is ordered where the overridden property was declared.
        if (member is PropertyInfo p && p.GetMethod!.GetBaseDefinition().DeclaringType is { } definer && definer != p.DeclaringType
            && definer.GetProperty(p.Name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { } original)
        {
            member = original;
        }

        return (InheritanceDepth(member.DeclaringType!), member is PropertyInfo ? 0 : 1, member.MetadataToken);
    }

    private static int InheritanceDepth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }

    private static bool IsNullable(Type type, Func<NullabilityState> state) =>
        Nullable.GetUnderlyingType(type) is not null || (!type.IsValueType && state() == NullabilityState.Nullable);

    private static string WireName(ParameterInfo parameter) =>
        parameter.GetCustomAttribute<XmlRpcMemberAttribute>()?.Name ?? parameter.Name ?? string.Empty;
}
