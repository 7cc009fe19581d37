using System.Collections.ObjectModel;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using XmlRpc.Internal;

namespace XmlRpc;

/// <summary>An immutable, typed XML-RPC value.</summary>
/// <remarks>
/// <para>
/// One class for every XML-RPC type (<see cref="Kind"/>); create values with the <c>From*</c> factories,
/// <see cref="Array(ReadOnlySpan{XmlRpcValue})"/>, <see cref="Struct(ReadOnlySpan{ValueTuple{string, XmlRpcValue}})"/>
/// or the implicit conversions, and read them with the <c>As*</c> accessors.
/// </para>
/// <para>
/// Equality is structural: integers compare by numeric value whatever their width (<see cref="XmlRpcValueKind.Int"/>,
/// <see cref="XmlRpcValueKind.I8"/> and <see cref="XmlRpcValueKind.BigInteger"/> are one XML-RPC type, as in CPython);
/// doubles compare by their bits (so <c>-0.0</c> differs from <c>0.0</c>) except that every NaN equals every NaN;
/// structs compare as a set of named members like a Python <c>dict</c> (use
/// <see cref="Equals(XmlRpcValue?, bool)"/> to make member order count); arrays compare in order.
/// </para>
/// <para>
/// Struct member names are unique: building a struct with a repeated name keeps the position of the first
/// occurrence and the value of the last, exactly like a Python <c>dict</c> (and CPython's <c>Unmarshaller.end_struct</c>).
/// </para>
/// </remarks>
public sealed class XmlRpcValue : IEquatable<XmlRpcValue>
{
    private const int SmallIntMin = -128;
    private const int SmallIntMax = 1023;
    private const int LinearLookupLimit = 8;

    private static readonly XmlRpcValue[] SmallInts = CreateSmallInts();

    private readonly long _bits;
    private readonly object? _ref;
    private Dictionary<string, int>? _index;

    private XmlRpcValue(XmlRpcValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
    }

    /// <summary>The XML-RPC type of this value.</summary>
    public XmlRpcValueKind Kind { get; }

    /// <summary>
    /// Python's <c>type(v).__name__</c> for what CPython's unmarshaller makes of this value (<c>int</c>, <c>bool</c>,
    /// <c>str</c>, <c>float</c>, <c>DateTime</c>, <c>Binary</c>, <c>dict</c>, <c>list</c>, <c>NoneType</c>; qualified,
    /// <c>decimal.Decimal</c>, as CPython's messages print it), for error texts word for word as CPython's.
    /// </summary>
    public string PythonTypeName => Kind switch
    {
        XmlRpcValueKind.Boolean => "bool",
        XmlRpcValueKind.String => "str",
        XmlRpcValueKind.Double => "float",
        XmlRpcValueKind.Nil => "NoneType",
        XmlRpcValueKind.Base64 => "Binary",
        XmlRpcValueKind.DateTime => "DateTime",
        XmlRpcValueKind.Array => "list",
        XmlRpcValueKind.Struct => "dict",
        XmlRpcValueKind.BigDecimal => "decimal.Decimal",
        _ => "int",
    };

    /// <summary>The nil value (<c>&lt;nil/&gt;</c>, Python <c>None</c>).</summary>
    public static XmlRpcValue Nil { get; } = new(XmlRpcValueKind.Nil, 0, null);

    /// <summary>The boolean <c>true</c>.</summary>
    public static XmlRpcValue True { get; } = new(XmlRpcValueKind.Boolean, 1, null);

    /// <summary>The boolean <c>false</c>.</summary>
    public static XmlRpcValue False { get; } = new(XmlRpcValueKind.Boolean, 0, null);

    /// <summary>The empty string.</summary>
    public static XmlRpcValue EmptyString { get; } = new(XmlRpcValueKind.String, 0, string.Empty);

    /// <summary>True for <see cref="XmlRpcValueKind.Nil"/>.</summary>
    public bool IsNil => Kind == XmlRpcValueKind.Nil;

    /// <summary>True for the three integer kinds (<see cref="XmlRpcValueKind.Int"/>, <see cref="XmlRpcValueKind.I8"/>, <see cref="XmlRpcValueKind.BigInteger"/>).</summary>
    public bool IsInteger => Kind is XmlRpcValueKind.Int or XmlRpcValueKind.I8 or XmlRpcValueKind.BigInteger;

    // ----------------------------------------------------------------------------------------------
    // Factories

    /// <summary>A 32-bit <c>&lt;int&gt;</c>.</summary>
    public static XmlRpcValue FromInt32(int value) =>
        value is >= SmallIntMin and <= SmallIntMax ? SmallInts[value - SmallIntMin] : new(XmlRpcValueKind.Int, value, null);

    /// <summary>A 64-bit integer (<see cref="XmlRpcValueKind.I8"/>).</summary>
    /// <remarks>
    /// Written as <c>&lt;i8&gt;</c> when <see cref="XmlRpcFormatterOptions.Int64Tag"/> is <see cref="XmlRpcInt64Tag.I8"/>;
    /// otherwise as <c>&lt;int&gt;</c> if it fits in 32 bits, and refused if it does not (CPython's
    /// <c>OverflowError: int exceeds XML-RPC limits</c>).
    /// </remarks>
    public static XmlRpcValue FromInt64(long value) => new(XmlRpcValueKind.I8, value, null);

    /// <summary>An integer of any size (<see cref="XmlRpcValueKind.BigInteger"/>).</summary>
    /// <remarks>The writer emits it as <c>&lt;int&gt;</c> or <c>&lt;i8&gt;</c> when it fits, and refuses it otherwise.</remarks>
    public static XmlRpcValue FromBigInteger(BigInteger value) => new(XmlRpcValueKind.BigInteger, 0, value);

    /// <summary>A <c>&lt;boolean&gt;</c>.</summary>
    public static XmlRpcValue FromBoolean(bool value) => value ? True : False;

    /// <summary>A <c>&lt;string&gt;</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static XmlRpcValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? EmptyString : new(XmlRpcValueKind.String, 0, value);
    }

    /// <summary>A <c>&lt;double&gt;</c>.</summary>
    public static XmlRpcValue FromDouble(double value) => new(XmlRpcValueKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A <c>&lt;dateTime.iso8601&gt;</c> formatted from a .NET date and time.</summary>
    /// <remarks>
    /// The text is <c>YYYYMMDDTHH:MM:SS</c>: no separators in the date, no fraction (truncated, not rounded),
    /// no time zone, and <see cref="DateTime.Kind"/> is ignored (no conversion), exactly what CPython's
    /// <c>_iso8601_format</c> writes for a <c>datetime</c>.
    /// </remarks>
    public static XmlRpcValue FromDateTime(DateTime value) =>
        new(XmlRpcValueKind.DateTime, 0, IsoDateTime.Format(value));

    /// <summary>A <c>&lt;dateTime.iso8601&gt;</c> holding <paramref name="text"/> verbatim.</summary>
    /// <remarks>Like CPython's <c>DateTime(str)</c>, the text is not validated.</remarks>
    public static XmlRpcValue FromDateTimeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(XmlRpcValueKind.DateTime, 0, text);
    }

    /// <summary>A <c>&lt;base64&gt;</c> holding a copy of <paramref name="data"/>.</summary>
    public static XmlRpcValue FromBase64(ReadOnlySpan<byte> data) => new(XmlRpcValueKind.Base64, 0, data.ToArray());

    /// <summary>A <c>&lt;bigdecimal&gt;</c> holding <paramref name="text"/> verbatim.</summary>
    /// <remarks>Parse-only in the writer: CPython cannot marshal a <c>Decimal</c>, so neither do we.</remarks>
    public static XmlRpcValue FromBigDecimalText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(XmlRpcValueKind.BigDecimal, 0, text);
    }

    /// <summary>An <c>&lt;array&gt;</c> of the given items (copied).</summary>
    public static XmlRpcValue Array(params ReadOnlySpan<XmlRpcValue> items)
    {
        var copy = items.ToArray();
        foreach (var item in copy)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new(XmlRpcValueKind.Array, 0, copy);
    }

    /// <summary>An <c>&lt;array&gt;</c> of the given items (copied).</summary>
    public static XmlRpcValue Array(IEnumerable<XmlRpcValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var copy = items.ToArray();
        foreach (var item in copy)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }

        return new(XmlRpcValueKind.Array, 0, copy);
    }

    /// <summary>A <c>&lt;struct&gt;</c> with the given members, in order.</summary>
    /// <remarks>A repeated name keeps its first position and its last value (Python <c>dict</c> semantics).</remarks>
    public static XmlRpcValue Struct(params ReadOnlySpan<(string Name, XmlRpcValue Value)> members)
    {
        var list = new KeyValuePair<string, XmlRpcValue>[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(members[i].Name, nameof(members));
            ArgumentNullException.ThrowIfNull(members[i].Value, nameof(members));
            list[i] = new(members[i].Name, members[i].Value);
        }

        return CreateStruct(list);
    }

    /// <summary>A <c>&lt;struct&gt;</c> with the given members, in order.</summary>
    /// <remarks>A repeated name keeps its first position and its last value (Python <c>dict</c> semantics).</remarks>
    public static XmlRpcValue Struct(IEnumerable<KeyValuePair<string, XmlRpcValue>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = members.ToArray();
        foreach (var m in list)
        {
            ArgumentNullException.ThrowIfNull(m.Key, nameof(members));
            ArgumentNullException.ThrowIfNull(m.Value, nameof(members));
        }

        return CreateStruct(list);
    }

    /// <summary>Converts an <see cref="int"/> (<see cref="FromInt32"/>).</summary>
    public static implicit operator XmlRpcValue(int value) => FromInt32(value);

    /// <summary>Converts a <see cref="long"/> (<see cref="FromInt64"/>).</summary>
    public static implicit operator XmlRpcValue(long value) => FromInt64(value);

    /// <summary>Converts a <see cref="System.Numerics.BigInteger"/> (<see cref="FromBigInteger"/>).</summary>
    public static implicit operator XmlRpcValue(BigInteger value) => FromBigInteger(value);

    /// <summary>Converts a <see cref="bool"/> (<see cref="FromBoolean"/>).</summary>
    public static implicit operator XmlRpcValue(bool value) => FromBoolean(value);

    /// <summary>Converts a <see cref="string"/> (<see cref="FromString"/>); null becomes <see cref="Nil"/>.</summary>
    public static implicit operator XmlRpcValue(string? value) => value is null ? Nil : FromString(value);

    /// <summary>Converts a <see cref="double"/> (<see cref="FromDouble"/>).</summary>
    public static implicit operator XmlRpcValue(double value) => FromDouble(value);

    /// <summary>Converts a <see cref="System.DateTime"/> (<see cref="FromDateTime"/>).</summary>
    public static implicit operator XmlRpcValue(DateTime value) => FromDateTime(value);

    /// <summary>Converts a byte array (<see cref="FromBase64"/>, copied); null becomes <see cref="Nil"/>.</summary>
    public static implicit operator XmlRpcValue(byte[]? value) => value is null ? Nil : FromBase64(value);

    /// <summary>Equality (<see cref="Equals(XmlRpcValue?)"/>).</summary>
    public static bool operator ==(XmlRpcValue? left, XmlRpcValue? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality (<see cref="Equals(XmlRpcValue?)"/>).</summary>
    public static bool operator !=(XmlRpcValue? left, XmlRpcValue? right) => !(left == right);

    // ----------------------------------------------------------------------------------------------
    // Accessors

    /// <summary>The value as a 32-bit integer.</summary>
    /// <exception cref="InvalidOperationException">Not an integer.</exception>
    /// <exception cref="OverflowException">An integer outside the 32-bit range.</exception>
    public int AsInt32()
    {
        var v = AsBigIntegerOrLong(out var big, out var isBig);
        if (isBig || v < int.MinValue || v > int.MaxValue)
        {
            throw new OverflowException($"The XML-RPC integer {(isBig ? big : v).ToString(CultureInfo.InvariantCulture)} does not fit in an Int32.");
        }

        return (int)v;
    }

    /// <summary>The value as a 64-bit integer.</summary>
    /// <exception cref="InvalidOperationException">Not an integer.</exception>
    /// <exception cref="OverflowException">An integer outside the 64-bit range.</exception>
    public long AsInt64()
    {
        var v = AsBigIntegerOrLong(out var big, out var isBig);
        return isBig
            ? throw new OverflowException($"The XML-RPC integer {big.ToString(CultureInfo.InvariantCulture)} does not fit in an Int64.")
            : v;
    }

    /// <summary>The value as an integer of any size.</summary>
    /// <exception cref="InvalidOperationException">Not an integer.</exception>
    public BigInteger AsBigInteger()
    {
        var v = AsBigIntegerOrLong(out var big, out var isBig);
        return isBig ? big : v;
    }

    /// <summary>The value of a <c>&lt;boolean&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">Not a boolean.</exception>
    public bool AsBoolean()
    {
        Expect(XmlRpcValueKind.Boolean);
        return _bits != 0;
    }

    /// <summary>The text of a <c>&lt;string&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">Not a string.</exception>
    public string AsString()
    {
        Expect(XmlRpcValueKind.String);
        return (string)_ref!;
    }

    /// <summary>The value of a <c>&lt;double&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">Not a double.</exception>
    public double AsDouble()
    {
        Expect(XmlRpcValueKind.Double);
        return BitConverter.Int64BitsToDouble(_bits);
    }

    /// <summary>
    /// The number as a double: a double as it is, an integer rounded to the nearest double, half to even (Python's
    /// <c>float(int)</c>; <see cref="BigInteger"/>'s explicit conversion truncates: 9999999999999999 would become
    /// 9999999999999998, not 1e16).
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither an integer nor a double.</exception>
    /// <exception cref="OverflowException">An integer beyond the range of a double (Python: <c>int too large to convert to float</c>).</exception>
    public double ToDouble()
    {
        if (!IsInteger)
        {
            return AsDouble();
        }

        var v = AsBigIntegerOrLong(out var big, out var isBig);
        if (!isBig)
        {
            return v; // long to double rounds to nearest, half to even
        }

        var d = double.Parse(big.ToString(CultureInfo.InvariantCulture), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return double.IsInfinity(d) ? throw new OverflowException("The integer is too large to convert to a double.") : d;
    }

    /// <summary>The text of a <c>&lt;dateTime.iso8601&gt;</c>, as received (stripped of surrounding whitespace, like CPython's <c>DateTime.value</c>).</summary>
    /// <exception cref="InvalidOperationException">Not a dateTime.iso8601.</exception>
    public string AsDateTimeText()
    {
        Expect(XmlRpcValueKind.DateTime);
        return (string)_ref!;
    }

    /// <summary>Reads a <c>&lt;dateTime.iso8601&gt;</c> as a <see cref="System.DateTime"/>.</summary>
    /// <remarks>
    /// Accepts <c>YYYYMMDDTHH:MM:SS</c> (the form CPython writes) and the usual ISO 8601 variants:
    /// dashed dates, time without colons, a fraction, and a <c>Z</c> or <c>±HH:MM</c> suffix. Without a zone
    /// the result has <see cref="DateTimeKind.Unspecified"/>; with one, it is converted to UTC.
    /// </remarks>
    /// <returns>False when this is not a dateTime.iso8601 or its text is not a date and time.</returns>
    public bool TryGetDateTime(out DateTime value)
    {
        if (Kind == XmlRpcValueKind.DateTime)
        {
            return IsoDateTime.TryParse((string)_ref!, out value);
        }

        value = default;
        return false;
    }

    /// <summary>Reads a <c>&lt;dateTime.iso8601&gt;</c> as a <see cref="System.DateTime"/> (see <see cref="TryGetDateTime"/>).</summary>
    /// <exception cref="InvalidOperationException">Not a dateTime.iso8601.</exception>
    /// <exception cref="FormatException">The text is not a date and time.</exception>
    public DateTime AsDateTime()
    {
        Expect(XmlRpcValueKind.DateTime);
        return TryGetDateTime(out var value)
            ? value
            : throw new FormatException($"The XML-RPC dateTime.iso8601 text '{(string)_ref!}' is not a date and time.");
    }

    /// <summary>The bytes of a <c>&lt;base64&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">Not a base64.</exception>
    public ReadOnlyMemory<byte> AsBase64()
    {
        Expect(XmlRpcValueKind.Base64);
        return (byte[])_ref!;
    }

    /// <summary>The text of a <c>&lt;bigdecimal&gt;</c>.</summary>
    /// <exception cref="InvalidOperationException">Not a bigdecimal.</exception>
    public string AsBigDecimalText()
    {
        Expect(XmlRpcValueKind.BigDecimal);
        return (string)_ref!;
    }

    /// <summary>The items of an <c>&lt;array&gt;</c> (a read-only view).</summary>
    /// <exception cref="InvalidOperationException">Not an array.</exception>
    public IReadOnlyList<XmlRpcValue> AsArray()
    {
        Expect(XmlRpcValueKind.Array);
        return new ReadOnlyCollection<XmlRpcValue>((XmlRpcValue[])_ref!);
    }

    /// <summary>The members of a <c>&lt;struct&gt;</c>, in order (a read-only view).</summary>
    /// <exception cref="InvalidOperationException">Not a struct.</exception>
    public IReadOnlyList<KeyValuePair<string, XmlRpcValue>> AsStruct()
    {
        Expect(XmlRpcValueKind.Struct);
        return new ReadOnlyCollection<KeyValuePair<string, XmlRpcValue>>((KeyValuePair<string, XmlRpcValue>[])_ref!);
    }

    /// <summary>The number of items of an array or members of a struct.</summary>
    /// <exception cref="InvalidOperationException">Neither an array nor a struct.</exception>
    public int Count => Kind switch
    {
        XmlRpcValueKind.Array => ((XmlRpcValue[])_ref!).Length,
        XmlRpcValueKind.Struct => ((KeyValuePair<string, XmlRpcValue>[])_ref!).Length,
        _ => throw WrongKind("an array or a struct"),
    };

    /// <summary>An item of an array.</summary>
    /// <exception cref="InvalidOperationException">Not an array.</exception>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public XmlRpcValue this[int index]
    {
        get
        {
            Expect(XmlRpcValueKind.Array);
            return ((XmlRpcValue[])_ref!)[index];
        }
    }

    /// <summary>A member of a struct, by name (ordinal).</summary>
    /// <exception cref="InvalidOperationException">Not a struct.</exception>
    /// <exception cref="KeyNotFoundException">No member has that name.</exception>
    public XmlRpcValue this[string name] =>
        TryGetMember(name, out var value) ? value : throw new KeyNotFoundException($"The XML-RPC struct has no member '{name}'.");

    /// <summary>Looks up a struct member by name (ordinal).</summary>
    /// <exception cref="InvalidOperationException">Not a struct.</exception>
    public bool TryGetMember(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out XmlRpcValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        Expect(XmlRpcValueKind.Struct);
        var members = (KeyValuePair<string, XmlRpcValue>[])_ref!;
        var i = IndexOf(members, name);
        if (i >= 0)
        {
            value = members[i].Value;
            return true;
        }

        value = null;
        return false;
    }

    // ----------------------------------------------------------------------------------------------
    // Equality

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is XmlRpcValue other && Equals(other);

    /// <summary>Structural equality; struct members compare as a set of names (see the class remarks).</summary>
    public bool Equals(XmlRpcValue? other) => Equals(other, orderedStructs: false);

    /// <summary>Structural equality; with <paramref name="orderedStructs"/>, struct member order counts too.</summary>
    public bool Equals(XmlRpcValue? other, bool orderedStructs)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (IsInteger && other.IsInteger)
        {
            var a = AsBigIntegerOrLong(out var abig, out var aIsBig);
            var b = other.AsBigIntegerOrLong(out var bbig, out var bIsBig);
            return aIsBig == bIsBig && (aIsBig ? abig == bbig : a == b);
        }

        if (Kind != other.Kind)
        {
            return false;
        }

        switch (Kind)
        {
            case XmlRpcValueKind.Boolean:
                return _bits == other._bits;
            case XmlRpcValueKind.Double:
                return _bits == other._bits || (double.IsNaN(BitConverter.Int64BitsToDouble(_bits)) && double.IsNaN(BitConverter.Int64BitsToDouble(other._bits)));
            case XmlRpcValueKind.Nil:
                return true;
            case XmlRpcValueKind.String:
            case XmlRpcValueKind.DateTime:
            case XmlRpcValueKind.BigDecimal:
                return string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal);
            case XmlRpcValueKind.Base64:
                return ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!);
            case XmlRpcValueKind.Array:
                {
                    RuntimeHelpers.EnsureSufficientExecutionStack();
                    var x = (XmlRpcValue[])_ref!;
                    var y = (XmlRpcValue[])other._ref!;
                    if (x.Length != y.Length)
                    {
                        return false;
                    }

                    for (var i = 0; i < x.Length; i++)
                    {
                        if (!x[i].Equals(y[i], orderedStructs))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case XmlRpcValueKind.Struct:
                {
                    RuntimeHelpers.EnsureSufficientExecutionStack();
                    var x = (KeyValuePair<string, XmlRpcValue>[])_ref!;
                    var y = (KeyValuePair<string, XmlRpcValue>[])other._ref!;
                    if (x.Length != y.Length)
                    {
                        return false;
                    }

                    for (var i = 0; i < x.Length; i++)
                    {
                        XmlRpcValue? match;
                        if (orderedStructs)
                        {
                            if (!string.Equals(x[i].Key, y[i].Key, StringComparison.Ordinal))
                            {
                                return false;
                            }

                            match = y[i].Value;
                        }
                        else if (!other.TryGetMember(x[i].Key, out match))
                        {
                            return false;
                        }

                        if (!x[i].Value.Equals(match, orderedStructs))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            default:
                return false;
        }
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (Kind)
        {
            case XmlRpcValueKind.Int:
            case XmlRpcValueKind.I8:
            case XmlRpcValueKind.BigInteger:
                {
                    var v = AsBigIntegerOrLong(out var big, out var isBig);
                    return isBig ? big.GetHashCode() : v.GetHashCode();
                }

            case XmlRpcValueKind.Double:
                return double.IsNaN(BitConverter.Int64BitsToDouble(_bits)) ? 0x7ff8 : _bits.GetHashCode();
            case XmlRpcValueKind.String:
            case XmlRpcValueKind.DateTime:
            case XmlRpcValueKind.BigDecimal:
                return HashCode.Combine(Kind, string.GetHashCode((string)_ref!, StringComparison.Ordinal));
            case XmlRpcValueKind.Base64:
                {
                    var h = new HashCode();
                    h.AddBytes((byte[])_ref!);
                    return h.ToHashCode();
                }

            case XmlRpcValueKind.Array:
                {
                    var h = new HashCode();
                    var items = (XmlRpcValue[])_ref!;
                    h.Add(items.Length);
                    for (var i = 0; i < items.Length && i < 8; i++)
                    {
                        h.Add(items[i]);
                    }

                    return h.ToHashCode();
                }

            case XmlRpcValueKind.Struct:
                {
                    // Order-insensitive, matching Equals.
                    var sum = 0;
                    foreach (var m in (KeyValuePair<string, XmlRpcValue>[])_ref!)
                    {
                        sum += HashCode.Combine(string.GetHashCode(m.Key, StringComparison.Ordinal), m.Value);
                    }

                    return sum;
                }

            default:
                return (int)Kind;
        }
    }

    /// <summary>A short, readable rendering for diagnostics (not a wire format).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Append(sb, 0, python: false);
        return sb.ToString();
    }

    /// <summary>
    /// Python's <c>repr()</c> of what CPython's unmarshaller makes of this value (<c>xmlrpc.client.loads</c> with
    /// <c>use_builtin_types=False</c>, the default of <c>SimpleXMLRPCServer</c>): <c>[1, 'a', None, True, 1e+16]</c>,
    /// <c>{'k': Decimal('1.50')}</c>, for error texts word for word as CPython's (<c>str()</c> of a list or dict is its repr).
    /// </summary>
    /// <remarks>
    /// CPython's <c>DateTime</c> and <c>Binary</c> print their object's address (<c>&lt;DateTime '20250101T00:00:00' at
    /// 0x7f3a2c1b93d0&gt;</c>, <c>&lt;xmlrpc.client.Binary object at 0x7f3a2c1b93d0&gt;</c>), which no other process can
    /// reproduce: here the address is always <c>0x0</c>. Strings follow <c>repr(str)</c> (quote choice, backslash escapes,
    /// non-printable characters as <c>\xNN</c>, <c>\uNNNN</c>, <c>\UNNNNNNNN</c>); doubles are Python's shortest repr.
    /// </remarks>
    public string ToPythonRepr()
    {
        var sb = new StringBuilder();
        Append(sb, 0, python: true);
        return sb.ToString();
    }

    // ----------------------------------------------------------------------------------------------
    // Internals shared with the parser, the formatter and the serializer

    internal long Bits => _bits;

    internal object? Reference => _ref;

    internal XmlRpcValue[] ArrayItems => (XmlRpcValue[])_ref!;

    /// <summary>The text of a <see cref="XmlRpcValueKind.String"/> value.</summary>
    internal string StringText => (string)_ref!;

    internal KeyValuePair<string, XmlRpcValue>[] StructMembers => (KeyValuePair<string, XmlRpcValue>[])_ref!;

    internal static XmlRpcValue CreateStringOwned(string value) => value.Length == 0 ? EmptyString : new(XmlRpcValueKind.String, 0, value);

    internal static XmlRpcValue CreateBase64Owned(byte[] data) => new(XmlRpcValueKind.Base64, 0, data);

    internal static XmlRpcValue CreateArrayOwned(XmlRpcValue[] items) => new(XmlRpcValueKind.Array, 0, items);

    /// <summary>Members must already be unique by name.</summary>
    internal static XmlRpcValue CreateStructOwned(KeyValuePair<string, XmlRpcValue>[] members) => new(XmlRpcValueKind.Struct, 0, members);

    /// <summary>The smallest integer kind that holds <paramref name="value"/>.</summary>
    internal static XmlRpcValue Integer(long value) =>
        value is >= int.MinValue and <= int.MaxValue ? FromInt32((int)value) : FromInt64(value);

    /// <summary>The smallest integer kind that holds <paramref name="value"/>.</summary>
    internal static XmlRpcValue Integer(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? Integer((long)value) : FromBigInteger(value);

    /// <summary>Python dict semantics: a repeated name keeps its first position and its last value.</summary>
    internal static XmlRpcValue CreateStruct(KeyValuePair<string, XmlRpcValue>[] members)
    {
        if (members.Length <= 1)
        {
            return new(XmlRpcValueKind.Struct, 0, members);
        }

        var count = 0;
        if (members.Length <= LinearLookupLimit)
        {
            for (var i = 0; i < members.Length; i++)
            {
                // Lengths first: names of a struct mostly differ in length, and the parser's cached names are often the same instance.
                var key = members[i].Key;
                var j = 0;
                while (j < count && !SameName(members[j].Key, key))
                {
                    j++;
                }

                members[j] = j == count ? members[i] : new(members[j].Key, members[i].Value);
                if (j == count)
                {
                    count++;
                }
            }
        }
        else
        {
            var seen = new Dictionary<string, int>(members.Length, StringComparer.Ordinal);
            for (var i = 0; i < members.Length; i++)
            {
                if (seen.TryGetValue(members[i].Key, out var j))
                {
                    members[j] = new(members[j].Key, members[i].Value);
                }
                else
                {
                    seen.Add(members[i].Key, count);
                    members[count++] = members[i];
                }
            }
        }

        if (count != members.Length)
        {
            System.Array.Resize(ref members, count);
        }

        return new(XmlRpcValueKind.Struct, 0, members);
    }

    private static bool SameName(string a, string b) =>
        (object)a == b || (a.Length == b.Length && a.AsSpan().SequenceEqual(b));

    private int IndexOf(KeyValuePair<string, XmlRpcValue>[] members, string name)
    {
        if (members.Length <= LinearLookupLimit)
        {
            for (var i = 0; i < members.Length; i++)
            {
                if (string.Equals(members[i].Key, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        var index = _index;
        if (index is null)
        {
            index = new Dictionary<string, int>(members.Length, StringComparer.Ordinal);
            for (var i = 0; i < members.Length; i++)
            {
                index[members[i].Key] = i;
            }

            _index = index;
        }

        return index.TryGetValue(name, out var found) ? found : -1;
    }

    private long AsBigIntegerOrLong(out BigInteger big, out bool isBig)
    {
        switch (Kind)
        {
            case XmlRpcValueKind.Int:
            case XmlRpcValueKind.I8:
                big = default;
                isBig = false;
                return _bits;
            case XmlRpcValueKind.BigInteger:
                big = (BigInteger)_ref!;
                if (big >= long.MinValue && big <= long.MaxValue)
                {
                    isBig = false;
                    return (long)big;
                }

                isBig = true;
                return 0;
            default:
                throw WrongKind("an integer");
        }
    }

    private void Expect(XmlRpcValueKind kind)
    {
        if (Kind != kind)
        {
            throw WrongKind(KindName(kind));
        }
    }

    private InvalidOperationException WrongKind(string expected) =>
        new($"Expected {expected} but the XML-RPC value is {KindName(Kind)}.");

    internal static string KindName(XmlRpcValueKind kind) => kind switch
    {
        XmlRpcValueKind.Int => "an int",
        XmlRpcValueKind.I8 => "an i8",
        XmlRpcValueKind.BigInteger => "a biginteger",
        XmlRpcValueKind.Boolean => "a boolean",
        XmlRpcValueKind.String => "a string",
        XmlRpcValueKind.Double => "a double",
        XmlRpcValueKind.DateTime => "a dateTime.iso8601",
        XmlRpcValueKind.Base64 => "a base64",
        XmlRpcValueKind.Struct => "a struct",
        XmlRpcValueKind.Array => "an array",
        XmlRpcValueKind.Nil => "nil",
        XmlRpcValueKind.BigDecimal => "a bigdecimal",
        _ => kind.ToString(),
    };

    private void Append(StringBuilder sb, int depth, bool python)
    {
        // The diagnostic rendering is cut deep down; Python's repr is whole (the parser and the writer bound the depth).
        if (depth > 64 && !python)
        {
            sb.Append("...");
            return;
        }

        switch (Kind)
        {
            case XmlRpcValueKind.Int:
            case XmlRpcValueKind.I8:
            case XmlRpcValueKind.BigInteger:
                sb.Append(AsBigInteger().ToString(CultureInfo.InvariantCulture));
                break;
            case XmlRpcValueKind.Boolean:
                sb.Append(_bits != 0 ? (python ? "True" : "true") : (python ? "False" : "false"));
                break;
            case XmlRpcValueKind.Double:
                sb.Append(PythonFloat.Repr(AsDouble()));
                break;
            case XmlRpcValueKind.String:
                AppendQuoted(sb, (string)_ref!, python);
                break;
            case XmlRpcValueKind.DateTime when python:
                sb.Append("<DateTime ").Append(PythonText.Repr((string)_ref!)).Append(" at 0x0>");
                break;
            case XmlRpcValueKind.DateTime:
                sb.Append("dateTime(");
                AppendQuoted(sb, (string)_ref!, python);
                sb.Append(')');
                break;
            case XmlRpcValueKind.BigDecimal:
                sb.Append(python ? "Decimal('" : "bigdecimal(").Append((string)_ref!).Append(python ? "')" : ")");
                break;
            case XmlRpcValueKind.Base64:
                sb.Append(python ? "<xmlrpc.client.Binary object at 0x0>" : "base64(" + Convert.ToBase64String((byte[])_ref!) + ")");
                break;
            case XmlRpcValueKind.Nil:
                sb.Append(python ? "None" : "nil");
                break;
            case XmlRpcValueKind.Array:
                sb.Append('[');
                var items = (XmlRpcValue[])_ref!;
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    items[i].Append(sb, depth + 1, python);
                }

                sb.Append(']');
                break;
            case XmlRpcValueKind.Struct:
                sb.Append('{');
                var members = (KeyValuePair<string, XmlRpcValue>[])_ref!;
                for (var i = 0; i < members.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendQuoted(sb, members[i].Key, python);
                    sb.Append(": ");
                    members[i].Value.Append(sb, depth + 1, python);
                }

                sb.Append('}');
                break;
        }
    }

    private static void AppendQuoted(StringBuilder sb, string s, bool python)
    {
        if (python)
        {
            sb.Append(PythonText.Repr(s));
            return;
        }

        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static XmlRpcValue[] CreateSmallInts()
    {
        var values = new XmlRpcValue[SmallIntMax - SmallIntMin + 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = new(XmlRpcValueKind.Int, i + SmallIntMin, null);
        }

        return values;
    }
}
